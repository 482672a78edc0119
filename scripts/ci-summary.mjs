// Prints the summary .ci/run keeps: one line per step, `<name>\t<PASSED|FAILED|SKIPPED>\t<detail>`,
// as the steps and the checks of ../shared data (test/shared-check.mjs) wrote them. A skipped
// step shows as SKIPPED with why, never among the passed ones.
//   node scripts/ci-summary.mjs <summary file>
import fs from 'node:fs';

const file = process.argv[2];
const text = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
const rows = text.split('\n').filter((l) => l.trim() !== '').map((l) => {
  const [name, outcome = '?', ...detail] = l.split('\t');
  return { name, outcome, detail: detail.join(' ') };
});
const width = Math.max(0, ...rows.map((r) => r.name.length));
const lines = rows.map((r) => `  ${r.outcome.padEnd(7)}  ${r.name.padEnd(width)}${r.detail ? `  ${r.detail}` : ''}`);
const count = (outcome) => rows.filter((r) => r.outcome === outcome).length;
const totals = ['PASSED', 'FAILED', 'SKIPPED'].map((o) => `${count(o)} ${o.toLowerCase()}`).join(', ');
process.stdout.write(`== summary: ${totals}\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
