// `npm run bench`: stepwright's own figures on the fixed workloads of ../shared/bench, through
// bench/adapter.mjs on the compiled library (run `npx projen compile` first). Extra arguments go
// to the shared runner, e.g. `npm run bench -- --engines aws-local,stepwright --rounds 3` to
// compare with aws-local-stepfunctions (install it with `npm install` in ../shared/bench).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.env.STEPWRIGHT_SHARED ?? path.join(here, '..', '..', 'shared');
const runner = path.join(shared, 'bench', 'bench.mjs');
if (!fs.existsSync(runner)) {
  console.error(`bench: ${runner} not found; the workloads live in ../shared/bench beside this checkout`);
  process.exit(2);
}
if (!fs.existsSync(path.join(here, '..', 'lib', 'interpreter', 'index.js'))) {
  console.error('bench: lib/ is missing; run `npx projen compile` first');
  process.exit(2);
}
const extra = process.argv.slice(2);
const args = [runner, '--engine-module', `stepwright=${path.join(here, 'adapter.mjs')}`];
if (!extra.includes('--engines')) args.push('--engines', 'stepwright');
if (!extra.includes('--runs')) args.push('--runs', '5');
const run = spawnSync(process.execPath, [...args, ...extra], { stdio: 'inherit', cwd: path.dirname(runner) });
process.exit(run.status ?? 1);
