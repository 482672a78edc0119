/**
 * The property of the cost fuzzer: `stepwright cost` on a hostile report, price table or diff
 * either refuses it (exit 2) with a message naming the field, or prints figures that are all
 * finite and non-negative (exit 0, or 1 when a run did not succeed); never a crash, an internal
 * error, NaN, ∞, a negative amount, `-0` or `+-`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COST_MACHINE, type CostCase } from './cost-arbitraries';
import { PropertyViolation } from './property';
import { cli } from '../cli/run-cli';

/** Text no figure of an estimate or a diff may show. */
const IMPOSSIBLE = /NaN|Infinity|∞|\$-|\+-|(?<![\w.-])-0(?![\d.,])/;

/** Every number in a parsed JSON estimate: finite and not negative; and no null, which is what JSON makes of NaN and ∞. */
function checkFigures(value: unknown, at: string): void {
  if (value === null) throw new PropertyViolation(`${at} is null in the --json estimate (a NaN or an infinity?)`);
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new PropertyViolation(`${at} is ${value} in the --json estimate`);
    return;
  }
  if (typeof value === 'object') for (const [k, v] of Object.entries(value)) checkFigures(v, `${at}.${k}`);
}

/**
 * Runs the case through the real command line, in process, with its files in `dir`; returns its
 * outcome class (`coverage-report replace → exit 2`) or throws a {@link PropertyViolation}.
 */
export async function checkCostCase(c: CostCase, dir: string): Promise<string> {
  fs.writeFileSync(path.join(dir, 'machine.asl.json'), JSON.stringify(COST_MACHINE));
  for (const [name, text] of Object.entries(c.files)) fs.writeFileSync(path.join(dir, name), text);
  const args = c.args.map((a) => (a === '@machine' ? path.join(dir, 'machine.asl.json') : a.startsWith('@') ? path.join(dir, a.slice(1)) : a));
  const r = await cli('cost', ...args);
  const outcome = `${c.family} ${c.mutation} → exit ${r.code}`;
  if (![0, 1, 2].includes(r.code)) throw new PropertyViolation(`exit code ${r.code}: ${r.err.slice(0, 500)}`);
  if (/internal error|TypeError|RangeError|ReferenceError|\n\s+at /.test(r.err)) throw new PropertyViolation(`a crash, not a refusal: ${r.err.slice(0, 500)}`);
  if (r.code === 2) {
    if (c.mutation === 'none') throw new PropertyViolation(`a valid case was refused: ${r.err.slice(0, 500)}`);
    if (!c.names.some((n) => r.err.includes(n))) {
      throw new PropertyViolation(`the refusal of a change to ${c.field} names none of ${JSON.stringify(c.names)}: ${r.err.slice(0, 500)}`);
    }
    if (r.out !== '') throw new PropertyViolation(`a refusal printed an estimate too: ${r.out.slice(0, 200)}`);
    return outcome;
  }
  if (r.code === 1 && c.family === 'diff-report') throw new PropertyViolation(`--diff exited 1: ${r.err.slice(0, 500)}`);
  if (IMPOSSIBLE.test(r.out) || IMPOSSIBLE.test(r.err)) {
    throw new PropertyViolation(`an impossible figure: ${(IMPOSSIBLE.exec(r.out) ?? IMPOSSIBLE.exec(r.err))![0]} in ${(r.out + r.err).slice(0, 800)}`);
  }
  if (c.args.includes('--json') && r.out !== '') checkFigures(JSON.parse(r.out), 'estimate');
  return outcome;
}
