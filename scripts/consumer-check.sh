#!/usr/bin/env bash
# Installs the packed stepwright tarball into a copy of examples/getting-started (the README's
# getting-started app) in a temp dir, as a new user would, then type-checks it with
# skipLibCheck: false (TypeScript's default) and runs its jest tests, once per toolchain the README
# says it supports:
#   - jest 29 and TypeScript 5.9, the app's own package.json;
#   - jest 30 and TypeScript 7, what the newest `cdk init app --language typescript` writes
#     (its module and moduleResolution NodeNext too), pinned to exact versions;
#   - vitest's current major, the one before and 3.2 (examples/getting-started-vitest: the same app with
#     vitest, `setupFiles: ['stepwright/testing/setup']` and the matchers' types for vitest, and
#     test/harness.test.ts, the harness a jest user has: every matcher, the virtual clock beside
#     vitest's fake timers, concurrent tests, replay, explore, verify and testState), whose
#     run snapshots must be the ones jest writes for the same test file (test/snapshot.test.ts),
#     and so must the snapshots of every behaviour case of test/cases/corpus through the harness
#     (corpus/corpus.check.ts: each run, its history, the matchers' failure messages, the same
#     run under the runner's fake timers),
#     the files `explore --write-tests` (the project's runner found) and `verify --write-tests
#     --runner vitest` write must pass as written, and stepwright/testing/vitest-reporter must write the coverage
#     report jest's reporter writes for the same test file, fail the run over a cost budget, and
#     its `vitest --shard` reports must merge (`stepwright coverage merge`) into the report of the
#     unsharded run; and the app again under each other pool and isolation a vitest config can
#     choose (VITEST_POOL_RUNS), whose report must be the default run's. vitest 5 asks for
#     Node 22.12 or later to report a failed test; every test here passes, so Node 20 runs them all.
#
# Every jest, vitest and stepwright run in the check has a temp dir of its own (TMPDIR), which must
# be left as it was found (leaves_nothing): no cdk.out folder of a synthesized app, under any pool
# or isolation setting, nor anything else.
#
# Each app is first made as its developer has it before adding stepwright: a copy of the example
# with its own dependencies (and the toolchain under test) installed; then the tarball is installed
# into it, as `npm install -D stepwright` adds it to a CDK app. The first part needs no tarball, so
# CI runs it while the tests run (`--prepare`) and, after the build, only the rest (`--prepared`).
#
# Usage: scripts/consumer-check.sh [path/to/stepwright-x.y.z.tgz]   (default: dist/js/*.tgz)
#        scripts/consumer-check.sh --prepare <dir>                  the apps alone, into <dir>
#        scripts/consumer-check.sh --prepared <dir> [tarball]       the rest, on the apps of <dir>
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

# The newest `cdk init` toolchain, as the README states it.
NEW_TOOLCHAIN=(jest@30.5.2 @jest/globals@30.5.2 @types/jest@30.0.0 typescript@7.0.2)

# vitest's current major, the one before and 3.2, which many projects still use, each with the
# declarations of its matcher types.
VITEST_VERSIONS=(5.1.2 4.1.12 3.2.7)

# The matchers' types for a vitest: vitest 5's Matchers takes other type parameters than 4's and
# 3.2's, which take the same (Matchers<T = any>), so those two share one declarations entry.
vitest_types() {
  if [ "${1%%.*}" -ge 5 ]; then echo stepwright/testing/vitest; else echo stepwright/testing/vitest4; fi
}

# The app run again, by each vitest, under the pools and isolation a vitest config chooses besides
# its default (`pool: 'forks'`, isolated files): one run each, spread over the versions, the
# report of each the default run's. vitest 5 sets up its vm pools with a dynamic import Node 20
# refuses (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, before any test file loads): like its failure
# report, they need Node 22.12, so vmThreads runs under vitest 4 here.
declare -A VITEST_POOL_RUNS=(
  [5.1.2]='--pool=threads|--no-isolate|--no-file-parallelism'
  [4.1.12]='--pool=vmThreads|--pool=threads --no-isolate'
  [3.2.7]='--pool=vmForks'
)

# npm install once stopped for good here after resolving the tree (CI on 29 Nov 2026: eight minutes
# with no socket open, no CPU used, deaf to SIGTERM), which only CI's 90-minute limit would have
# ended. Each install gets a time limit, far above what one takes (20-60 s), and one more try.
# The first try trusts npm's cached package lists (--prefer-offline, quick); the second asks the
# registry afresh (--prefer-online): CI on 1 Dec 2026 failed with ETARGET on @babel/generator@^7.29.16,
# published days before, because a cached list older than the release was trusted on both tries.
NPM_INSTALL_LIMIT_SECONDS="${NPM_INSTALL_LIMIT_SECONDS:-300}"
npm_install() {
  local attempt freshness
  for attempt in 1 2; do
    if [ "$attempt" = 1 ]; then freshness=--prefer-offline; else freshness=--prefer-online; fi
    if timeout -s KILL "$NPM_INSTALL_LIMIT_SECONDS" npm install --no-audit --no-fund "$freshness" --loglevel=error "$@"; then return 0; fi
    echo "consumer-check: npm install $* failed or did not end within ${NPM_INSTALL_LIMIT_SECONDS} s (try ${attempt} of 2)" >&2
  done
  return 1
}

# The apps in folders of <dir>, with their own dependencies and without stepwright:
#   jest29/            examples/getting-started as it is (jest 29, TypeScript 5.9);
#   jest30/            the same with the newest cdk init's toolchain and its NodeNext options;
#   vitest-<version>/  examples/getting-started-vitest with that vitest, and the matchers' types for it;
#   footprint/         aws-cdk-lib and constructs alone, for bench/install-footprint.mjs.
prepare() {
  local dir="$1" version types
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  echo "consumer-check: preparing the apps in $dir: their own dependencies, without stepwright"
  mkdir "$dir/jest29" "$dir/jest30"
  cp -R "$repo/examples/getting-started/." "$dir/jest29/"
  (cd "$dir/jest29" && npm_install)
  cp -R "$repo/examples/getting-started/." "$dir/jest30/"
  (
    cd "$dir/jest30"
    npm_install -D --save-exact "${NEW_TOOLCHAIN[@]}"
    node -e '
      const fs = require("fs");
      const config = JSON.parse(fs.readFileSync("tsconfig.json", "utf8"));
      Object.assign(config.compilerOptions, { module: "NodeNext", moduleResolution: "NodeNext" });
      fs.writeFileSync("tsconfig.json", JSON.stringify(config, null, 2));
    '
  )
  for version in "${VITEST_VERSIONS[@]}"; do
    mkdir "$dir/vitest-$version"
    cp -R "$repo/examples/getting-started-vitest/." "$dir/vitest-$version/"
    cp -R "$repo/examples/getting-started/lib" "$dir/vitest-$version/lib"
    types="$(vitest_types "$version")"
    (
      cd "$dir/vitest-$version"
      npm_install -D --save-exact "vitest@$version"
      TYPES="$types" node -e '
        const fs = require("fs");
        const config = JSON.parse(fs.readFileSync("tsconfig.json", "utf8"));
        config.compilerOptions.types = ["node", "vitest/globals", process.env.TYPES];
        fs.writeFileSync("tsconfig.json", JSON.stringify(config, null, 2));
      '
    )
  done
  node "$repo/bench/install-footprint.mjs" --prepare "$dir/footprint"
  touch "$dir/.prepared"
  echo "consumer-check: the apps are prepared (${SECONDS} s)"
}

if [ "${1:-}" = --prepare ]; then
  [ -n "${2:-}" ] || { echo "consumer-check: --prepare needs a folder" >&2; exit 1; }
  prepare "$2"
  exit 0
fi
prepared=""
if [ "${1:-}" = --prepared ]; then
  prepared="${2:-}"
  [ -f "$prepared/.prepared" ] || { echo "consumer-check: $prepared holds no apps --prepare finished" >&2; exit 1; }
  prepared="$(cd "$prepared" && pwd)"
  shift 2
fi

tarball="${1:-$(ls -t "$repo"/dist/js/stepwright-*.tgz 2>/dev/null | head -n 1)}"
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
  echo "consumer-check: no tarball; run 'npm install && npx projen package' first" >&2
  exit 1
fi
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"

# The jest 29 app's check and the tarball's install into the current vitest's app run in a second
# chain beside the jest 30 app's (job control gives it a process group of its own, which a failure
# of this one ends, so nothing outlives the check); the install footprint's summary and the install
# into the previous vitest's app follow the jest 30 app's steps, which end sooner (with them in the
# second chain, about 44 s of CPU against 17 s, the first chain waited for it). The two share no
# folder: the jest 30 app writes the snapshots and the coverage report the vitest apps are compared
# with, and the vitest apps are checked after both chains, as before; only the order in which the
# steps run changed. One after the other, the check was a single chain of some 230 s of CPU beside
# CI's steps after the build, which end sooner, so it alone set the end of CI while one core was idle.
side_pid=""
side_log="$(mktemp)"
cleanup() {
  if [ -n "$side_pid" ]; then kill -- "-$side_pid" 2>/dev/null || true; fi
  rm -f "$side_log"
  if [ -n "$made_here" ]; then rm -rf "$prepared"; fi
}
made_here=""
trap cleanup EXIT

if [ -z "$prepared" ]; then
  prepared="$(mktemp -d "${TMPDIR:-/tmp}/stepwright-consumer-XXXXXX")"
  made_here=1
  prepare "$prepared"
fi

# An app's own tools, the ones `npx <tool>` runs from its node_modules/.bin, started without npx,
# which first loads the app's dependency tree to find them (0.3 s of CPU a call, 29 calls; and a
# tool missing from the app fails here, where npx would fetch it from the registry).
app_bin() { "./node_modules/.bin/$1" "${@:2}"; }

# A test run (or a stepwright command) with a temp dir of its own, which must be as empty after the
# run as before it: the harness removes the cdk.out folders of the apps it synthesized (under every
# pool and isolation setting), and nothing else of stepwright's may stay behind. The runners' own
# caches are theirs to keep (jest's jest_* folder, which it makes in the temp dir by default). The
# command's exit status is kept; a leftover ends the check whatever it was, even where the command
# is expected to fail.
leaves_nothing() {
  local tmp status=0 left
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/stepwright-run-XXXXXX")"
  TMPDIR="$tmp" "$@" || status=$?
  left="$(cd "$tmp" && find . -mindepth 1 -maxdepth 1 ! -name 'jest_*' -printf '%P ')"
  rm -rf "$tmp"
  if [ -n "$left" ]; then
    echo "consumer-check: in $PWD, '$*' left in its temp dir: $left" >&2
    exit 1
  fi
  return "$status"
}

check() {
  echo "consumer-check: $1: tsc $(app_bin tsc --version) --noEmit (skipLibCheck: false)"
  app_bin tsc --noEmit
  echo "consumer-check: $1: jest $(app_bin jest --version)"
  leaves_nothing app_bin jest --ci
}

install_into_vitest_app() {
  cd "$prepared/vitest-$1"
  echo "consumer-check: installing $(basename "$tarball") into the app with vitest $1 in $prepared/vitest-$1"
  npm_install -D "$tarball"
}

set -m
(
  app="$prepared/jest29"
  cd "$app"
  echo "consumer-check: installing $(basename "$tarball") into a CDK app with jest 29 in $app"
  npm_install -D "$tarball"
  check 'jest 29, TypeScript 5.9'
  install_into_vitest_app "${VITEST_VERSIONS[0]}"
  install_into_vitest_app "${VITEST_VERSIONS[2]}"
) >"$side_log" 2>&1 &
side_pid=$!
set +m

app="$prepared/jest30"
cd "$app"
echo "consumer-check: installing $(basename "$tarball") into a CDK app with the newest cdk init's toolchain (${NEW_TOOLCHAIN[*]}) in $app"
npm_install -D "$tarball"
check 'jest 30, TypeScript 7 (the newest cdk init)'
# The snapshots jest writes for the test file the vitest app runs too, to compare below.
cp "$repo/examples/getting-started-vitest/test/snapshot.test.ts" test/snapshot.test.ts
echo "consumer-check: jest: writing the snapshots and the coverage report of test/snapshot.test.ts"
cat > jest.report.config.js <<'JS'
module.exports = { ...require('./jest.config.js'), reporters: ['default', ['stepwright/testing/reporter', { outputFile: 'reports/sfn-coverage.json', html: false }]] };
JS
leaves_nothing app_bin jest --ci=false --config jest.report.config.js test/snapshot.test.ts
jest_snap="$app/test/__snapshots__/snapshot.test.ts.snap"
jest_report="$app/reports/sfn-coverage.json"
# The behaviour cases of test/cases/corpus through the harness (corpus/corpus.check.ts): the
# snapshots jest writes of each run, its history and the matchers' failure messages, to compare
# below with each vitest's.
mkdir corpus
cp "$repo/examples/getting-started-vitest/corpus/corpus.check.ts" corpus/
cp -R "$repo/test/cases/corpus" corpus/cases
cat > jest.corpus.config.js <<'JS'
module.exports = { ...require('./jest.config.js'), testMatch: ['<rootDir>/corpus/corpus.check.ts'] };
JS
echo "consumer-check: jest: writing the snapshots of the behaviour cases (corpus/corpus.check.ts)"
leaves_nothing app_bin jest --ci=false --config jest.corpus.config.js
jest_corpus_snap="$app/corpus/__snapshots__/corpus.check.ts.snap"
# What the install costs a new CDK app (bench/install-footprint.mjs measures it apart from the app's jest and TypeScript).
node "$repo/bench/install-footprint.mjs" --summary --base "$prepared/footprint" "$tarball"
install_into_vitest_app "${VITEST_VERSIONS[1]}"

side_status=0
wait "$side_pid" || side_status=$?
side_pid=""
echo "consumer-check: the chain beside it (jest 29, the installs into vitest ${VITEST_VERSIONS[0]}'s and ${VITEST_VERSIONS[2]}'s apps):"
cat "$side_log"
if [ "$side_status" -ne 0 ]; then
  echo "consumer-check: the jest 29 app or the installs into vitest ${VITEST_VERSIONS[0]}'s and ${VITEST_VERSIONS[2]}'s apps failed: exit $side_status" >&2
  exit "$side_status"
fi

written=""
for version in "${VITEST_VERSIONS[@]}"; do
  vapp="$prepared/vitest-$version"
  cd "$vapp"
  types="$(vitest_types "$version")"
  if [ -z "$written" ]; then
    # A test file `explore --write-tests` writes in a vitest project must type-check and pass as written.
    mkdir -p machines
    cat > machines/charge.asl.json <<'ASL'
{
  "StartAt": "Charge",
  "States": {
    "Charge": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": { "FunctionName": "charge", "Payload.$": "$" },
      "OutputPath": "$.Payload",
      "Catch": [{ "ErrorEquals": ["Payment.Declined"], "Next": "Declined" }],
      "End": true
    },
    "Declined": { "Type": "Fail", "Error": "Declined" }
  }
}
ASL
    # Without --runner: the app's package.json lists vitest and not jest, so the file is for vitest.
    leaves_nothing app_bin stepwright explore machines/charge.asl.json --write-tests test/charge.explore.test.ts
    grep -q "from 'vitest'" test/charge.explore.test.ts
    # And one `verify --write-tests --runner vitest` writes, with a test that calls a function of the run.
    cat > machines/charge.properties.js <<'JS'
exports.neverDeclined = { kind: 'never', state: 'Declined' };
exports.succeeds = (run) => run.status === 'SUCCEEDED';
JS
    # verify exits 1: both properties are VIOLATED, which is what the file's tests reproduce.
    if leaves_nothing app_bin stepwright verify machines/charge.asl.json --property machines/charge.properties.js --write-tests test/charge.verify.test.ts --runner vitest; then
      echo "consumer-check: verify found no property violated" >&2
      exit 1
    fi
    grep -q "from 'vitest'" test/charge.verify.test.ts
    # A template whose parameter a SAM configuration's environment gives (--config-env): the written
    # file reads the same environment, so its tests take the branch explore's did (the default
    # environment's value takes the other one).
    cat > machines/stage.template.json <<'JSON'
{
  "Parameters": { "Stage": { "Type": "String" } },
  "Resources": {
    "Deploy": {
      "Type": "AWS::StepFunctions::StateMachine",
      "Properties": {
        "RoleArn": "arn:aws:iam::123456789012:role/deploy",
        "DefinitionString": { "Fn::Sub": "{\"StartAt\":\"Which\",\"States\":{\"Which\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.stage\",\"StringEquals\":\"${Stage}\",\"Next\":\"ThisStage\"}],\"Default\":\"OtherStage\"},\"ThisStage\":{\"Type\":\"Pass\",\"End\":true},\"OtherStage\":{\"Type\":\"Pass\",\"End\":true}}}" }
      }
    }
  }
}
JSON
    printf '%s\n' 'version = 0.1' '[default.deploy.parameters]' 'parameter_overrides = "Stage=dev"' '[prod.deploy.parameters]' 'parameter_overrides = "Stage=prod"' > machines/samconfig.toml
    leaves_nothing app_bin stepwright explore machines/stage.template.json --config-env prod --write-tests test/stage.explore.test.ts
    grep -q "configEnv: 'prod'" test/stage.explore.test.ts
    written="$vapp"
  else
    # The same files, run by this vitest too.
    cp -R "$written/machines" machines
    cp "$written/test/charge.explore.test.ts" "$written/test/charge.verify.test.ts" "$written/test/stage.explore.test.ts" test/
  fi
  echo "consumer-check: vitest $version: tsc $(app_bin tsc --version) --noEmit (skipLibCheck: false, $types)"
  app_bin tsc --noEmit
  rm -rf test/__snapshots__
  echo "consumer-check: vitest $version: $(app_bin vitest --version)"
  # Under CI=true vitest, like jest --ci, writes no new snapshot and fails the test that has none:
  # the snapshots were just removed so that vitest writes its own, so say so.
  leaves_nothing app_bin vitest run --update
  # The files' first lines name the runner; every snapshot after them must be the same bytes.
  if ! diff <(tail -n +2 "$jest_snap") <(tail -n +2 test/__snapshots__/snapshot.test.ts.snap); then
    echo "consumer-check: vitest $version wrote other snapshots than jest for test/snapshot.test.ts" >&2
    exit 1
  fi
  echo "consumer-check: vitest $version: snapshots identical to jest's"

  # The behaviour cases through the harness under vitest: the same snapshots as jest's, byte for byte.
  rm -rf corpus/cases corpus/__snapshots__
  cp -R "$repo/test/cases/corpus" corpus/cases
  cat > vitest.corpus.config.mts <<'TS'
import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { setupFiles: ['stepwright/testing/setup'], globals: true, include: ['corpus/corpus.check.ts'] } });
TS
  leaves_nothing app_bin vitest run --config vitest.corpus.config.mts --update
  if ! diff <(tail -n +2 "$jest_corpus_snap") <(tail -n +2 corpus/__snapshots__/corpus.check.ts.snap); then
    echo "consumer-check: vitest $version gave other runs, histories or matcher messages than jest for the behaviour cases" >&2
    exit 1
  fi
  rm vitest.corpus.config.mts
  echo "consumer-check: vitest $version: the behaviour cases' snapshots identical to jest's"

  # The vitest reporter: shards merged are the unsharded run, and one file's report is jest's.
  whole="$(mktemp -d)"
  cp reports/sfn-coverage.json "$whole/all.json"
  for shard in 1 2; do
    leaves_nothing app_bin vitest run --shard="$shard/2"
    cp reports/sfn-coverage.json "$whole/shard-$shard.json"
  done
  app_bin stepwright coverage merge "$whole/shard-1.json" "$whole/shard-2.json" --out "$whole/merged.json" --threshold states=100
  leaves_nothing app_bin vitest run test/snapshot.test.ts
  WHOLE="$whole" JEST_REPORT="$jest_report" node -e '
    const fs = require("fs");
    const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
    const same = (a, b) => JSON.stringify({ machines: a.machines, cost: a.cost }) === JSON.stringify({ machines: b.machines, cost: b.cost });
    const all = read(`${process.env.WHOLE}/all.json`);
    if (all.machines.length === 0 || all.cost.rows.length === 0) throw new Error("the vitest reporter wrote no coverage");
    if (!same(all, read(`${process.env.WHOLE}/merged.json`))) throw new Error("the merge of the vitest shards is not the unsharded run");
    if (!same(read(process.env.JEST_REPORT), read("reports/sfn-coverage.json"))) throw new Error("the vitest reporter wrote another report than jest for test/snapshot.test.ts");
  '
  echo "consumer-check: vitest $version: the reporter's report is jest's; its shards merge into the unsharded run"

  # The app under other pools and isolation: every test (the written files' too) passes, the
  # snapshots are the default run's (CI=true: none is written), and so is the coverage report.
  IFS='|' read -r -a pool_runs <<<"${VITEST_POOL_RUNS[$version]}"
  for flags in "${pool_runs[@]}"; do
    # shellcheck disable=SC2086 # the flags are words
    leaves_nothing app_bin vitest run $flags
    WHOLE="$whole" FLAGS="$flags" node -e '
      const fs = require("fs");
      const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
      const same = (a, b) => JSON.stringify({ machines: a.machines, cost: a.cost }) === JSON.stringify({ machines: b.machines, cost: b.cost });
      if (!same(read(`${process.env.WHOLE}/all.json`), read("reports/sfn-coverage.json"))) throw new Error(`vitest run ${process.env.FLAGS} wrote another coverage report than the default run`);
    '
    echo "consumer-check: vitest $version: vitest run $flags: the default run's tests, snapshots and report"
  done
  rm -rf "$whole"
  cat > vitest.budget.config.mts <<'TS'
import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { setupFiles: ['stepwright/testing/setup'], globals: true, reporters: [['stepwright/testing/vitest-reporter', { costBudget: { stateTransitions: 1 } }]] } });
TS
  if leaves_nothing app_bin vitest run --config vitest.budget.config.mts test/snapshot.test.ts > budget.log 2>&1; then
    cat budget.log
    echo "consumer-check: vitest $version: a run over the stepwright cost budget passed" >&2
    exit 1
  fi
  grep -q 'stepwright cost is over the budget' budget.log
  rm vitest.budget.config.mts budget.log
  echo "consumer-check: vitest $version: a run over the cost budget fails"
done
