// Runs the AWS-recorded conformance cases through the compiled interpreter and fails when a
// pass rate falls below the floor committed in floor.json (raise it as the engine improves;
// never lower it). Skips, saying so, when ../shared is absent (see ../shared-check.mjs).
// Besides the shared runner's scores (outcome, cause, history event TYPES), it reports the
// full-history share: each recorded GetExecutionHistory compared event by event (type, id,
// previousEventId, every details field) by test/conformance/full-history.ts, on the sources,
// the same code as full-history.test.ts; and the key-order share (output-order.ts): the outputs
// and Task inputs whose objects list their keys in AWS's order, which the runner's by-value
// comparison cannot see.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDir as shared, sharedRunner, summarize } from '../shared-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = sharedRunner('conformance', 'conformance', 'the executions recorded on AWS Step Functions');
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
// The full-history share, from the TypeScript comparison and the sources, compiled as they are
// required by the suite's loader (swc: a third of the CPU time ts-node took).
const full = JSON.parse(execFileSync(process.execPath, [
  '-r', path.join(here, '..', 'server', 'fixtures', 'register-ts.js'), path.join(here, 'full-history-cli.ts'), path.join(shared, 'conformance', 'cases'),
], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: path.join(here, '..', '..') }));
measured.fullHistory = full.share;
console.log(`full history: ${full.matched}/${full.total} recorded histories match event by event, details included (${full.share}%)`);
for (const miss of full.misses) console.log(`  full history differs: ${miss.split('\n')[0]}`);
measured.keyOrder = full.keyOrder.share;
console.log(`key order: ${full.keyOrder.matched}/${full.keyOrder.total} outputs and Task inputs list their keys in AWS's order (${full.keyOrder.share}%)`);
for (const miss of full.keyOrder.misses) console.log(`  key order differs: ${miss.replace(/\n\s*/g, ' ')}`);

const problems = [];
for (const key of ['JSONPath', 'JSONata', 'overall', 'strict', 'history', 'fullHistory', 'keyOrder']) {
  if (measured[key] < floor[key]) problems.push(`${key} pass rate ${measured[key]}% is below the floor of ${floor[key]}%`);
}
if (measured.crashes > floor.maxCrashes) problems.push(`${measured.crashes} crashes (at most ${floor.maxCrashes} allowed)`);
for (const c of cases) if (c.result === 'failed' || c.result === 'crashed') console.log(`  ${c.result}: ${c.id}\n      ${c.reason ?? ''}`);
for (const c of cases) if (c.historyPass === false) console.log(`  history differs: ${c.id}\n      ${JSON.stringify(c.historyDiff)}`);
console.log(`measured: ${JSON.stringify(measured)}  floor: ${JSON.stringify(floor)}`);
const figures = `${summary.overall.passed}/${summary.overall.runnable} runnable recorded executions pass (JSONPath ${measured.JSONPath}%, JSONata ${measured.JSONata}%)`;
if (problems.length) {
  summarize('conformance', 'FAILED', `${figures}; ${problems.join('; ')}`);
  console.error(`conformance below its floor:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
summarize('conformance', 'PASSED', figures);
