#!/usr/bin/env bash
# Runs the test suite (`npx projen test`: tsc of the tests, jest --ci, eslint) with CPU-bound
# busy loops beside it, as on a loaded developer machine or a shared CI runner, and prints how
# long it took and the load average. The suite must pass like this: tests wait for events, not
# for time (docs/contributing.md, "Tests on a loaded machine").
#
# Usage: scripts/test-under-load.sh [--busy N] [--runs N] [command ...]
#   --busy N   busy loops to start (default 2: as many as the 2 cores of CI's machines)
#   --runs N   run the command N times in a row (default 1); stops at the first failure
#   command    what to run instead of `npx projen test`, e.g. `npx jest test/server`
#
# The busy loops never outlive this script: a trap ends them on exit, Ctrl-C or TERM, and each
# loop also ends by itself once this script is gone (even after `kill -9`) or after
# STEPWRIGHT_LOAD_MAX_SECONDS (default 7200).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

busy=2
runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --busy) busy="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --help|-h) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
case "$busy$runs" in *[!0-9]*) echo "test-under-load: --busy and --runs take a whole number" >&2; exit 2 ;; esac
[ $# -gt 0 ] || set -- npx projen test

max_seconds="${STEPWRIGHT_LOAD_MAX_SECONDS:-7200}"
pids=()
stop_busy() {
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    pids=()
  fi
}
trap stop_busy EXIT
trap 'stop_busy; exit 130' INT
trap 'stop_busy; exit 143' TERM

# A loop that burns one core. It checks, about every 50 ms of spinning, that this script is still
# its parent and that its time is not up, so a crash or `kill -9` of the script leaks nothing.
busy_loop='const parent = Number(process.argv[1]); const end = Date.now() + Number(process.argv[2]) * 1000;
for (let i = 1; ; i++) if ((i & 0x3fffff) === 0 && (process.ppid !== parent || Date.now() > end)) process.exit(0);'
for _ in $(seq 1 "$busy"); do
  node -e "$busy_loop" "$$" "$max_seconds" &
  pids+=("$!")
done

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "test-under-load: $busy busy loop(s) (pids ${pids[*]:-none}) on $(nproc) cores; load average $(loadavg)"
status=0
for run in $(seq 1 "$runs"); do
  echo "test-under-load: run $run/$runs: $*"
  started=$(date +%s.%N)
  "$@" || status=$?
  ended=$(date +%s.%N)
  seconds=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.0f", b - a }')
  verdict=$([ "$status" -eq 0 ] && echo passed || echo "FAILED (exit $status)")
  echo "test-under-load: run $run/$runs $verdict in ${seconds} s; load average $(loadavg) (1, 5, 15 min)"
  [ "$status" -eq 0 ] || break
done
stop_busy
exit "$status"
