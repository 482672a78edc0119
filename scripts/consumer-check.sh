#!/usr/bin/env bash
# Installs the packed stepwright tarball into a copy of examples/getting-started (the README's
# getting-started app) in a temp dir, as a new user would, then type-checks it with
# skipLibCheck: false (TypeScript's default) and runs its jest tests, once per toolchain the README
# says it supports:
#   - jest 29 and TypeScript 5.9, the app's own package.json;
#   - jest 30 and TypeScript 7, what the newest `cdk init app --language typescript` writes
#     (its module and moduleResolution NodeNext too), pinned to exact versions.
# Usage: scripts/consumer-check.sh [path/to/stepwright-x.y.z.tgz]   (default: dist/js/*.tgz)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tarball="${1:-$(ls -t "$repo"/dist/js/stepwright-*.tgz 2>/dev/null | head -n 1)}"
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
  echo "consumer-check: no tarball; run 'npm install && npx projen package' first" >&2
  exit 1
fi
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"

# The newest `cdk init` toolchain, as the README states it.
NEW_TOOLCHAIN=(jest@30.5.2 @jest/globals@30.5.2 @types/jest@30.0.0 typescript@7.0.2)

app="$(mktemp -d "${TMPDIR:-/tmp}/stepwright-consumer-XXXXXX")"
trap 'rm -rf "$app"' EXIT
cp -R "$repo/examples/getting-started/." "$app/"
cd "$app"

check() {
  echo "consumer-check: $1: tsc $(npx tsc --version) --noEmit (skipLibCheck: false)"
  npx tsc --noEmit
  echo "consumer-check: $1: jest $(npx jest --version)"
  npx jest --ci
}

echo "consumer-check: installing $(basename "$tarball") into a new CDK app in $app"
# One install: the app's own dependencies and the tarball are resolved and fetched together.
npm install --no-audit --no-fund --prefer-offline --loglevel=error -D "$tarball"
# What the install costs a new CDK app (bench/install-footprint.mjs measures it apart from the app's jest and TypeScript).
node "$repo/bench/install-footprint.mjs" --summary "$tarball"
check 'jest 29, TypeScript 5.9'

npm install --no-audit --no-fund --prefer-offline --loglevel=error -D --save-exact "${NEW_TOOLCHAIN[@]}"
node -e '
  const fs = require("fs");
  const config = JSON.parse(fs.readFileSync("tsconfig.json", "utf8"));
  Object.assign(config.compilerOptions, { module: "NodeNext", moduleResolution: "NodeNext" });
  fs.writeFileSync("tsconfig.json", JSON.stringify(config, null, 2));
'
check 'jest 30, TypeScript 7 (the newest cdk init)'
