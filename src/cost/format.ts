/**
 * Cost as text: the monthly estimate side by side, and the difference between two coverage
 * reports' cost rows as a Markdown table for a pull request.
 */
import type { CostEstimate } from './estimate';

/** US dollars for people: cents for amounts of a dollar or more, significant digits below. */
export function usd(amount: number): string {
  if (amount === 0) return '$0.00';
  if (Math.abs(amount) >= 1) return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${amount.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
}

function num(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/**
 * The estimate as a side-by-side table with the Express verdict and the assumptions.
 * @example
 * console.log(formatEstimate(estimateCost({ definition, runs }, { perMonth: 1_000_000 })));
 */
export function formatEstimate(e: CostEstimate, title = 'state machine'): string {
  const rows: Array<[string, string, string]> = [
    ['', 'STANDARD', 'EXPRESS'],
    ['per execution', `${num(e.standard.stateTransitionsPerExecution, 2)} transitions`, `${num(e.express.billedDurationMsPerExecution, 1)} ms billed at ${e.express.billedMemoryMb} MB`],
    ['a month', `${num(e.standard.stateTransitions)} transitions${e.standard.freeTransitions ? ` (${num(e.standard.freeTransitions)} free)` : ''}`,
      `${num(e.express.requests)} requests, ${num(e.express.gbSeconds, 1)} GB-s`],
    ['cost a month', usd(e.standard.usdPerMonth), e.express.eligible ? usd(e.express.usdPerMonth) : `${usd(e.express.usdPerMonth)} (not eligible)`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [`Cost of ${title} at ${num(e.perMonth)} executions a month in ${e.region}, from ${e.runs} run(s)`, ''];
  for (const r of rows) lines.push(`  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`.trimEnd());
  lines.push('');
  if (e.express.eligible) {
    lines.push(`Express: eligible. ${e.cheaper === 'EXPRESS' ? 'Express costs less' : 'Standard costs less'} at this volume.`);
    lines.push('  Express runs each execution at least once: make its tasks idempotent, and test them with delivery: { atLeastOnce: ... }.');
  } else {
    lines.push('Express: not eligible.');
    for (const r of e.express.reasons) lines.push(`  - ${r.message}`);
  }
  lines.push('', 'Assumptions:');
  for (const a of e.assumptions) lines.push(`  - ${a}`);
  lines.push('', `Prices: ${e.prices.source}, read ${e.prices.retrieved}.`);
  return `${lines.join('\n')}\n`;
}

/** One row of a coverage report's cost table: one state machine's runs in one test file. */
export interface CostRow {
  /** The test file, relative to the project. */
  readonly file: string;
  /** The state machine's name. */
  readonly machine: string;
  readonly runs: number;
  /** State transitions of all the runs together (Standard billing). */
  readonly stateTransitions: number;
  /** Billed Express duration of all the runs together, in ms. */
  readonly billedDurationMs: number;
}

/** The part of a coverage report {@link costDiffMarkdown} reads: `{ cost: { rows } }`. */
export interface CostReport {
  readonly cost?: { readonly rows?: readonly CostRow[] };
}

function rowsOf(report: CostReport, which: string): Map<string, CostRow> {
  const rows = report?.cost?.rows;
  if (!Array.isArray(rows)) throw new TypeError(`the ${which} report has no cost rows (cost.rows); write it with the stepwright reporter's outputFile`);
  const out = new Map<string, CostRow>();
  for (const r of rows) {
    if (typeof r?.file !== 'string' || typeof r.machine !== 'string' || typeof r.runs !== 'number' || typeof r.stateTransitions !== 'number') {
      throw new TypeError(`the ${which} report has a cost row that is not { file, machine, runs, stateTransitions, billedDurationMs }: ${JSON.stringify(r).slice(0, 120)}`);
    }
    out.set(`${r.file}\u0000${r.machine}`, r);
  }
  return out;
}

function perRun(r: CostRow | undefined): number | undefined {
  return r === undefined || r.runs === 0 ? undefined : r.stateTransitions / r.runs;
}

function cell(s: string): string {
  return s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/**
 * The cost rows of two coverage reports (before and after a change) as a Markdown table:
 * transitions per run before and after and the change, for every test file and state machine
 * in either, the changed rows first.
 * @example
 * fs.writeFileSync('cost.md', costDiffMarkdown(JSON.parse(before), JSON.parse(after)));
 */
export function costDiffMarkdown(before: CostReport, after: CostReport): string {
  const a = rowsOf(before, 'first');
  const b = rowsOf(after, 'second');
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const rows = keys.map((k) => {
    const [file, machine] = k.split('\u0000');
    const x = perRun(a.get(k));
    const y = perRun(b.get(k));
    const change = x === undefined || y === undefined ? undefined : y - x;
    return { file, machine, x, y, change, moved: change !== 0 };
  }).sort((p, q) => Number(q.moved) - Number(p.moved) || p.file.localeCompare(q.file) || p.machine.localeCompare(q.machine));
  const fmt = (v: number | undefined): string => (v === undefined ? '–' : num(v, 2));
  const delta = (r: typeof rows[number]): string => {
    if (r.x === undefined) return 'new';
    if (r.y === undefined) return 'gone';
    if (r.change === 0) return '0';
    const pct = r.x === 0 ? '' : ` (${r.change! > 0 ? '+' : ''}${num((100 * r.change!) / r.x, 1)}%)`;
    return `${r.change! > 0 ? '+' : ''}${num(r.change!, 2)}${pct}`;
  };
  const lines = [
    '| Test file | State machine | Transitions per run, before | after | Change |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${cell(r.file)} | ${cell(r.machine)} | ${fmt(r.x)} | ${fmt(r.y)} | ${delta(r)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
