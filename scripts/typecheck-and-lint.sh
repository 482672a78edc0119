#!/usr/bin/env bash
# The test task: type-checks the test suite and lints, in one single-threaded process
# (scripts/typecheck-and-lint.mjs: one TypeScript program, whose checker tsc's part and ESLint's
# type-aware rules share), and runs the command it is given (`npx projen test` gives `jest --ci`
# and its own arguments) beside it, so jest's workers take up the core it leaves (the suite passes
# with two CPU-bound processes beside it: the developers' guide; `npx projen test:load` runs it so).
# The command's output streams as it runs; the check's is printed whole when the command has ended
# and it has too, so nothing it reports is lost, and the task fails if either failed. The check
# does not fix what ESLint could: `npx projen eslint` does.
#
# Usage: scripts/typecheck-and-lint.sh [command ...]   (no command: the check only)
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
pids=()
# Stopped early (Ctrl-C, TERM), the check stops too: nothing outlives the task.
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$out"' EXIT

node scripts/typecheck-and-lint.mjs >"$out/check.log" 2>&1 &
check_pid=$!
pids+=("$check_pid")

command_status=0
if [ "$#" -gt 0 ]; then
  "$@"
  command_status=$?
fi

wait "$check_pid"; check_status=$?
echo "-- tsc --noEmit -p test/tsconfig.json and eslint (scripts/typecheck-and-lint.mjs): exit $check_status"
cat "$out/check.log"
pids=()

if [ "$check_status" -ne 0 ] || [ "$command_status" -ne 0 ]; then
  echo "typecheck-and-lint: tsc and eslint exited $check_status${1:+, $1 $command_status}" >&2
  exit 1
fi
