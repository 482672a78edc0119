#!/usr/bin/env bash
# The test task's first step: type-checks the test suite (tsc over test/tsconfig.json, which takes in
# src/, examples/ and integ/) and lints (the eslint task) side by side. Each is one single-threaded
# process; one after the other, each left one of CI's two cores idle. Both always run to their end,
# each one's output is printed whole when it ends, and the step fails if either failed, so nothing
# either reports is lost. (The eslint task fixes what it can, as before: CI's build step then fails
# on the changed files.)
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

npx tsc --noEmit -p test/tsconfig.json >"$out/tsc.log" 2>&1 &
tsc_pid=$!
npx projen eslint >"$out/eslint.log" 2>&1 &
eslint_pid=$!

wait "$tsc_pid"; tsc_status=$?
echo "-- tsc --noEmit -p test/tsconfig.json: exit $tsc_status"
cat "$out/tsc.log"
wait "$eslint_pid"; eslint_status=$?
echo "-- eslint: exit $eslint_status"
cat "$out/eslint.log"

if [ "$tsc_status" -ne 0 ] || [ "$eslint_status" -ne 0 ]; then
  echo "typecheck-and-lint: tsc exited $tsc_status, eslint $eslint_status" >&2
  exit 1
fi
