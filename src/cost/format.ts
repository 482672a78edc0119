/**
 * Cost as text: the monthly estimate side by side, and the difference between two coverage
 * reports' cost rows as a Markdown table for a pull request.
 */
import type { CostEstimate } from './estimate';
import { reportCostRows } from './report';

/**
 * US dollars for people: cents for amounts of a dollar or more, significant digits below.
 * @throws RangeError for an amount that is not finite or is negative: no such amount is printed
 */
export function usd(amount: number): string {
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`no amount of US dollars: ${amount}`);
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
  const failed = e.failedRuns === 0 ? ''
    : e.failedRunsPriced ? `, ${num(e.failedRuns)} of which did not succeed (priced as they ran: --include-failed)`
      : `; ${num(e.failedRuns)} run(s) that did not succeed are not priced`;
  const lines = [`Cost of ${title} at ${num(e.perMonth)} executions a month in ${e.region}, from ${num(e.runs)} run(s)${failed}`, ''];
  const runWarnings = e.warnings.filter((w) => w.kind !== 'unresolved-resource');
  if (runWarnings.length > 0) {
    lines.push(e.failedRunsPriced ? 'Priced though they did not succeed:' : 'Not priced, as they did not succeed:');
    for (const w of runWarnings) lines.push(`  - ${w.message}`);
    lines.push('');
  }
  for (const r of rows) lines.push(`  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`.trimEnd());
  lines.push('');
  if (e.express.eligible) {
    lines.push(`Express: eligible. ${e.cheaper === 'EXPRESS' ? 'Express costs less' : 'Standard costs less'} at this volume.`);
    lines.push('  Express runs each execution at least once: make its tasks idempotent, and test them with delivery: { atLeastOnce: ... }.');
  } else {
    lines.push('Express: not eligible.');
    for (const r of e.express.reasons) lines.push(`  - ${r.message}`);
  }
  for (const w of e.warnings.filter((x) => x.kind === 'unresolved-resource')) lines.push(`  Cannot tell: ${w.message}`);
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
  /** How many of the runs did not succeed (their figures are in the row); absent when none. */
  readonly failedRuns?: number;
  /** The shard (`2/3`) the row came from, when that shard's tests failed: its figures may be short. Absent otherwise. */
  readonly failedShard?: string;
}

/** The part of a coverage report {@link costDiffMarkdown} reads: `{ cost: { rows } }`. */
export interface CostReport {
  readonly cost?: { readonly rows?: readonly CostRow[] };
}

function perRun(r: CostRow | undefined): number | undefined {
  return r === undefined || r.runs === 0 ? undefined : r.stateTransitions / r.runs;
}

/** Control characters, line and paragraph separators, and the marks that reorder a line (bidirectional controls). */
const HIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text as one Markdown table cell, read as it is written: line breaks as spaces; the characters
 * CommonMark and GitHub's Markdown give a meaning to inside a line backslash-escaped (any ASCII
 * punctuation may be, CommonMark 0.31 §2.4): emphasis, code, links, images, HTML and `&` entities
 * (`&lt;` would show as `<`), `~~strikethrough~~`, `$math$`, `:emoji:`, and the `:` of `https:`,
 * the `@` of an address and the `.` after `www` that would make a name a link; other control
 * characters and the marks that reorder a line as U+FFFD, so a name cannot hide or reorder text.
 * @internal
 */
export function cell(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_<>[\]|~&:@$]/g, (c) => `\\${c}`)
    .replace(/(www)\./gi, '$1\\.')
    .replace(HIDDEN, '\ufffd');
}

/** `v` rounded to `digits` decimals, with no negative zero. */
function rounded(v: number, digits: number): number {
  const r = Math.round(v * 10 ** digits) / 10 ** digits;
  return r === 0 ? 0 : r;
}

/** A change with its sign: `+5`, `-2.5`, or `0` for what rounds to nothing. */
function signed(v: number, digits: number): string {
  const r = rounded(v, digits);
  return r === 0 ? '0' : `${r > 0 ? '+' : '-'}${num(Math.abs(r), digits)}`;
}

/**
 * The cost rows of two coverage reports (before and after a change) as a Markdown table:
 * transitions per run before and after and the change, for every test file and state machine
 * in either, the changed rows first. A figure from runs among which some failed says so.
 * @throws CostError naming a field of either report that is missing, negative, not finite or too large
 * @example
 * fs.writeFileSync('cost.md', costDiffMarkdown(JSON.parse(before), JSON.parse(after)));
 */
export function costDiffMarkdown(before: CostReport, after: CostReport): string {
  const byKey = (rows: CostRow[]) => new Map(rows.map((r) => [`${r.file}\u0000${r.machine}`, r]));
  const a = byKey(reportCostRows(before, 'first'));
  const b = byKey(reportCostRows(after, 'second'));
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const rows = keys.map((k) => {
    const { file, machine } = (a.get(k) ?? b.get(k))!;
    const x = perRun(a.get(k));
    const y = perRun(b.get(k));
    const change = x === undefined || y === undefined ? undefined : rounded(y - x, 2);
    return { file, machine, x, y, change, moved: change !== 0, failed: [a.get(k)?.failedRuns ?? 0, b.get(k)?.failedRuns ?? 0] };
  }).sort((p, q) => Number(q.moved) - Number(p.moved) || p.file.localeCompare(q.file) || p.machine.localeCompare(q.machine));
  const fmt = (v: number | undefined, failed: number): string =>
    (v === undefined ? '–' : `${num(rounded(v, 2), 2)}${failed > 0 ? ` (${num(failed)} failed)` : ''}`);
  const delta = (r: typeof rows[number]): string => {
    if (r.x === undefined) return 'new';
    if (r.y === undefined) return 'gone';
    if (r.change === 0) return '0';
    const pct = r.x === 0 ? undefined : rounded((100 * r.change!) / r.x, 1);
    return `${signed(r.change!, 2)}${pct === undefined || pct === 0 ? '' : ` (${signed(pct, 1)}%)`}`;
  };
  const lines = [
    '| Test file | State machine | Transitions per run, before | after | Change |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${cell(r.file)} | ${cell(r.machine)} | ${fmt(r.x, r.failed[0])} | ${fmt(r.y, r.failed[1])} | ${delta(r)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
