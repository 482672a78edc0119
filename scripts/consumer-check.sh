#!/usr/bin/env bash
# Installs the packed stepwright tarball into a copy of examples/getting-started (the README's
# getting-started app) in a temp dir, as a new user would, then type-checks it with
# skipLibCheck: false (the TypeScript default, and `cdk init`'s) and runs its jest tests.
# Usage: scripts/consumer-check.sh [path/to/stepwright-x.y.z.tgz]   (default: dist/js/*.tgz)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tarball="${1:-$(ls -t "$repo"/dist/js/stepwright-*.tgz 2>/dev/null | head -n 1)}"
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
  echo "consumer-check: no tarball; run 'npx projen compile && npx projen package' first" >&2
  exit 1
fi
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"
app="$(mktemp -d "${TMPDIR:-/tmp}/stepwright-consumer-XXXXXX")"
trap 'rm -rf "$app"' EXIT
cp -R "$repo/examples/getting-started/." "$app/"
cd "$app"
echo "consumer-check: installing $(basename "$tarball") into a new CDK app in $app"
npm install --no-audit --no-fund --prefer-offline --loglevel=error
npm install --no-audit --no-fund --prefer-offline --loglevel=error -D "$tarball"
echo "consumer-check: tsc --noEmit (skipLibCheck: false)"
npx tsc --noEmit
echo "consumer-check: jest"
npx jest --ci
