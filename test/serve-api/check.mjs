// Runs the recorded AWS answers of ../shared/serve-api against the compiled `stepwright serve`
// (lib/, so build first) and fails when a score falls below the floor committed in floor.json
// (raise it as serve improves; never lower it). Skips, saying so, when ../shared is absent (see ../shared-check.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedRunner, summarize } from '../shared-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const runner = sharedRunner('serve-api', 'serve-api', 'the API answers recorded on AWS');
const floor = JSON.parse(fs.readFileSync(path.join(here, 'floor.json'), 'utf8'));
const run = spawnSync(process.execPath, [runner, '--project', root], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const printed = `${run.stdout ?? ''}`;
// Standard error (where the SDK prints its notice about Node versions) is shown only on failure.
console.log(printed.trimEnd());
if (run.status !== 0) {
  summarize('serve-api', 'FAILED', `the runner could not score serve (exit ${run.status ?? run.signal})`);
  console.error(`serve-api: the runner could not score serve (exit ${run.status ?? run.signal}):\n${run.stderr ?? ''}`);
  process.exit(1);
}
const score = printed.trim().split('\n').filter((l) => l.startsWith('SCORE ')).pop();
const fields = Object.fromEntries([...(score ?? '').matchAll(/(\w+)=(\d+)\/(\d+)/g)].map((m) => [m[1], { passed: Number(m[2]), total: Number(m[3]) }]));
const problems = [];
for (const [key, min] of Object.entries(floor)) {
  if (!(key in fields)) problems.push(`the runner no longer reports '${key}' (its last line was ${JSON.stringify(score ?? '')})`);
  else if (fields[key].passed < min) problems.push(`${key}=${fields[key].passed}/${fields[key].total} is below the floor of ${min}`);
}
console.log(`measured: ${score}  floor: ${JSON.stringify(floor)}`);
if (problems.length) {
  summarize('serve-api', 'FAILED', `${score}; ${problems.join('; ')}`);
  console.error(`serve-api below its floor:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
summarize('serve-api', 'PASSED', score ?? '');
