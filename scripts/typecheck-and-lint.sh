#!/usr/bin/env bash
# The test task: type-checks the test suite (tsc over test/tsconfig.json, which takes in src/,
# examples/ and integ/) and lints (the eslint task), each one single-threaded process, and runs the
# command it is given (`npx projen test` gives `jest --ci` and its own arguments) beside them. One
# after the other, tsc and eslint each left one of CI's two cores idle; side by side before jest,
# one core still idled while eslint went on alone after tsc. Beside jest, its workers take up what
# they leave (the suite passes with two CPU-bound processes beside it: the developers' guide; `npx projen test:load` runs it so).
# The command's output streams as it runs; tsc's and eslint's are printed whole when the command
# has ended and they have too, so nothing either reports is lost, and the task fails if any of the
# three failed. (The eslint task fixes what it can, as before: CI's build step then fails on the
# changed files.)
#
# Usage: scripts/typecheck-and-lint.sh [command ...]   (no command: tsc and eslint only)
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
pids=()
# Stopped early (Ctrl-C, TERM), tsc and eslint stop too: nothing outlives the task.
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$out"' EXIT

npx tsc --noEmit -p test/tsconfig.json >"$out/tsc.log" 2>&1 &
tsc_pid=$!
pids+=("$tsc_pid")
npx projen eslint >"$out/eslint.log" 2>&1 &
eslint_pid=$!
pids+=("$eslint_pid")

command_status=0
if [ "$#" -gt 0 ]; then
  "$@"
  command_status=$?
fi

wait "$tsc_pid"; tsc_status=$?
echo "-- tsc --noEmit -p test/tsconfig.json: exit $tsc_status"
cat "$out/tsc.log"
wait "$eslint_pid"; eslint_status=$?
echo "-- eslint: exit $eslint_status"
cat "$out/eslint.log"
pids=()

if [ "$tsc_status" -ne 0 ] || [ "$eslint_status" -ne 0 ] || [ "$command_status" -ne 0 ]; then
  echo "typecheck-and-lint: tsc exited $tsc_status, eslint $eslint_status${1:+, $1 $command_status}" >&2
  exit 1
fi
