// Runs the AWS-recorded conformance cases through the compiled interpreter and fails when a
// pass rate falls below the floor committed in floor.json (raise it as the engine improves;
// never lower it). Skips, saying so, when ../shared is absent.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.env.STEPWRIGHT_SHARED ?? path.join(here, '..', '..', '..', 'shared');
const runner = path.join(shared, 'conformance', 'run.mjs');
if (!fs.existsSync(runner)) {
  console.log(`conformance: skipped — ${runner} not found (the shared data is not beside this checkout)`);
  process.exit(0);
}
const floor = JSON.parse(fs.readFileSync(path.join(here, 'floor.json'), 'utf8'));
const out = path.join(os.tmpdir(), `stepwright-conformance-${process.pid}.json`);
const printed = execFileSync(process.execPath, [runner, '--adapter', path.join(here, 'adapter.mjs'), '--out', out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
console.log(printed.split('\n').filter((l) => /^(SCORE|conformance:|JSONPath|JSONata|OVERALL)/.test(l)).join('\n'));
const { summary, cases } = JSON.parse(fs.readFileSync(out, 'utf8'));
fs.rmSync(out, { force: true });

const measured = {
  JSONPath: summary.byQueryLanguage.JSONPath.passRate,
  JSONata: summary.byQueryLanguage.JSONata.passRate,
  overall: summary.overall.passRate,
  strict: +(100 * summary.overall.strict / summary.overall.runnable).toFixed(1),
  crashes: summary.overall.crashed,
  // Cases whose history event types equal AWS's, of those where AWS recorded them.
  history: +(100 * summary.overall.historyPassed / summary.overall.historyScored).toFixed(1),
};
const problems = [];
for (const key of ['JSONPath', 'JSONata', 'overall', 'strict', 'history']) {
  if (measured[key] < floor[key]) problems.push(`${key} pass rate ${measured[key]}% is below the floor of ${floor[key]}%`);
}
if (measured.crashes > floor.maxCrashes) problems.push(`${measured.crashes} crashes (at most ${floor.maxCrashes} allowed)`);
for (const c of cases) if (c.result === 'failed' || c.result === 'crashed') console.log(`  ${c.result}: ${c.id}\n      ${c.reason ?? ''}`);
for (const c of cases) if (c.historyPass === false) console.log(`  history differs: ${c.id}\n      ${JSON.stringify(c.historyDiff)}`);
console.log(`measured: ${JSON.stringify(measured)}  floor: ${JSON.stringify(floor)}`);
if (problems.length) {
  console.error(`conformance below its floor:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
