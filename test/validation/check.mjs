// Runs the validator corpus of ../shared/validation through the compiled validator and fails
// when a figure falls below the floor committed in floor.json. Skips, saying so, when
// ../shared is absent (see ../shared-check.mjs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { sharedRunner, summarize } from '../shared-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = sharedRunner('validation corpus', 'validation', 'the validator corpus');
const floor = JSON.parse(fs.readFileSync(path.join(here, 'floor.json'), 'utf8'));
const printed = execFileSync(process.execPath, [runner, path.join(here, 'adapter.mjs')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const score = printed.trim().split('\n').filter((l) => l.startsWith('SCORE')).pop() ?? '';
console.log(score);
const fields = Object.fromEntries([...score.matchAll(/(\w+)=([\d.]+)(?:\/(\d+))?/g)].map((m) => [m[1], Number(m[2])]));
const problems = [];
for (const [key, min] of Object.entries(floor.min)) {
  if (!(key in fields)) problems.push(`the runner no longer reports '${key}'`);
  else if (fields[key] < min) problems.push(`${key}=${fields[key]} is below the floor of ${min}`);
}
for (const [key, max] of Object.entries(floor.max)) {
  if (key in fields && fields[key] > max) problems.push(`${key}=${fields[key]} is above the ceiling of ${max}`);
}
if (problems.length) {
  summarize('validation corpus', 'FAILED', `${score}; ${problems.join('; ')}`);
  console.error(`validation corpus below its floor:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
summarize('validation corpus', 'PASSED', score);
