/**
 * Coverage and cost as people read them: the text tables the reporter prints at the end of a run,
 * and the Markdown summary of a merged report for a CI job summary.
 */
import type { CostBudget, CoverageThreshold } from './gates';
import { CATEGORIES, type MachineCoverage } from './model';
import type { MergedCoverage } from './shards';
import type { CostRow, RunUsage } from '../../cost';
import { cell } from '../../cost';
import { printable } from '../common/printable';

/** What the runs of one state machine used, each distinct usage with how many runs had it. @internal */
export interface MachineUsages {
  readonly id: string;
  readonly name?: string;
  readonly usages: ReadonlyArray<{ readonly usage: RunUsage; readonly runs: number }>;
}

/** The cost part of a coverage report: a row per test file and state machine, and what each machine's runs used. @internal */
export interface CoverageCost {
  readonly rows: CostRow[];
  readonly machines: MachineUsages[];
}

/**
 * Row names (printable: a name, path, file or state name is the user's text, and a table is
 * printed to a terminal by the jest reporter as by the CLI; a line break in it would forge a row):
 * the machine's name, and where two rows would share one (the same
 * construct id in two stacks, or two versions of a definition) its stack and
 * construct path, else its definition id, in parentheses.
 */
function rowLabels(machines: readonly MachineCoverage[]): (m: MachineCoverage) => string {
  const base = (m: MachineCoverage): string => m.name ?? `machine ${m.id}`;
  const counts = new Map<string, number>();
  for (const m of machines) counts.set(base(m), (counts.get(base(m)) ?? 0) + 1);
  return (m) => printable((counts.get(base(m)) ?? 0) > 1 ? `${base(m)} (${m.path ?? `machine ${m.id}`})` : base(m));
}

/** What a figure from a failed shard carries: ` (shard 2/3 failed)`, or nothing. */
function failedNote(shards: readonly string[] | undefined): string {
  return shards?.length ? ` (shard${shards.length > 1 ? 's' : ''} ${shards.map(printable).join(', ')} failed)` : '';
}

function pct(covered: number, total: number): string {
  return total === 0 ? '-' : `${covered}/${total} ${Math.floor((covered / total) * 100)}%`;
}

const HEADERS = ['State machine', 'Runs', 'States', 'Transitions', 'Choices', 'Catches', 'Retries'];

/** Options of {@link formatCoverage}. @internal */
export interface FormatOptions {
  /** Under each machine run by two or more test files, a row per file with what its tests exercised. @default false */
  readonly byFile?: boolean;
}

/**
 * The coverage summary as a text table (with a row per test file under each
 * machine when asked), followed by what was never exercised.
 * @internal
 */
export function formatCoverage(machines: readonly MachineCoverage[], options: FormatOptions = {}): string {
  if (machines.length === 0) return 'stepwright coverage: no executions recorded';
  const label = rowLabels(machines);
  const rows = machines.flatMap((m) => [
    [label(m), `${m.runs}${failedNote(m.failedShards)}`, ...CATEGORIES.map((c) => pct(m[c].covered, m[c].total))],
    // One file's rows would repeat the machine's.
    ...(options.byFile && (m.files?.length ?? 0) > 1
      ? m.files!.map((f) => [`  ${printable(f.file)}`, String(f.runs), ...CATEGORIES.map((c) => pct(f[c].covered, f[c].total))])
      : []),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ').trimEnd();
  const out = ['stepwright coverage', line(HEADERS), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)];
  const missed: string[] = [];
  for (const m of machines) {
    const parts = CATEGORIES.filter((c) => m[c].missed.length).map((c) => `    ${c}: ${m[c].missed.map(printable).join(', ')}`);
    if (parts.length) missed.push(`  ${label(m)}`, ...parts);
  }
  if (missed.length) out.push('', 'Never exercised:', ...missed);
  return out.join('\n');
}

const COST_HEADERS = ['Test file', 'State machine', 'Runs', 'Transitions', 'Per run', 'Express ms per run'];

/**
 * The cost rows as a text table: per test file and state machine, the runs' state transitions
 * (as a Standard workflow bills them) and billed Express duration, so a change that doubles the
 * transitions of a path shows in review.
 * @internal
 */
export function formatCost(rows: readonly CostRow[]): string {
  if (rows.length === 0) return '';
  const per = (n: number, runs: number): string => (runs === 0 ? '-' : (n / runs).toLocaleString('en-US', { maximumFractionDigits: 1 }));
  // A figure computed from runs that failed says so.
  const cells = rows.map((r) => [
    printable(r.file), printable(r.machine), `${r.runs}${r.failedRuns ? ` (${r.failedRuns} failed)` : ''}${failedNote(r.failedShard === undefined ? undefined : [r.failedShard])}`, String(r.stateTransitions),
    per(r.stateTransitions, r.runs), per(r.billedDurationMs, r.runs),
  ]);
  const widths = COST_HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ').trimEnd();
  return ['stepwright cost (state transitions as Standard bills them; Express duration rounded up to 100 ms)',
    line(COST_HEADERS), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

/** What the gates said of a merged report, for its summary. @internal */
export interface GateResults {
  readonly threshold: CoverageThreshold;
  readonly budget: CostBudget;
  /** One line per category under its threshold or budget gone over; empty when all passed. */
  readonly failures: readonly string[];
}

/**
 * A merged report as Markdown for a CI job summary (`$GITHUB_STEP_SUMMARY`): what may make the
 * figures short (a failed or missing shard), the coverage per state machine, the cost per test file
 * and state machine, and what the threshold and budget said. Every name is escaped for a table cell.
 * @internal
 */
export function coverageMarkdown(merged: MergedCoverage, gates?: GateResults): string {
  const out = ['## stepwright coverage', ''];
  const shards = merged.shards.map((s) => s.shard).filter((s): s is string => s !== undefined);
  out.push(`Merged from ${merged.shards.length} report${merged.shards.length === 1 ? '' : 's'}${shards.length ? ` (shards ${shards.join(', ')})` : ''}.`, '');
  for (const w of merged.warnings) out.push(`> **Warning:** ${cell(w)}`, '');
  if (merged.machines.length === 0) {out.push('No executions recorded.', '');} else {
    const label = rowLabels(merged.machines);
    const pctCell = (covered: number, total: number): string => (total === 0 ? '–' : `${covered}/${total} (${Math.floor((covered / total) * 100)}%)`);
    out.push(`| ${HEADERS.join(' | ')} |`, `| --- |${' ---: |'.repeat(HEADERS.length - 1)}`);
    for (const m of merged.machines) {
      out.push(`| ${cell(label(m))} | ${m.runs}${cell(failedNote(m.failedShards))} | ${CATEGORIES.map((c) => pctCell(m[c].covered, m[c].total)).join(' | ')} |`);
    }
    const missed = merged.machines.flatMap((m) => CATEGORIES.filter((c) => m[c].missed.length)
      .map((c) => `- ${cell(label(m))}, ${c}: ${m[c].missed.map(cell).join(', ')}`));
    if (missed.length) out.push('', '<details><summary>Never exercised</summary>', '', ...missed, '', '</details>');
    out.push('');
  }
  if (merged.cost.rows.length > 0) {
    const per = (n: number, runs: number): string => (runs === 0 ? '–' : (n / runs).toLocaleString('en-US', { maximumFractionDigits: 1 }));
    out.push('### Cost', '', `| ${COST_HEADERS.join(' | ')} |`, '| --- | --- | ---: | ---: | ---: | ---: |');
    for (const r of merged.cost.rows) {
      const runs = `${r.runs}${r.failedRuns ? ` (${r.failedRuns} failed)` : ''}${failedNote(r.failedShard === undefined ? undefined : [r.failedShard])}`;
      out.push(`| ${cell(r.file)} | ${cell(r.machine)} | ${cell(runs)} | ${r.stateTransitions} | ${per(r.stateTransitions, r.runs)} | ${per(r.billedDurationMs, r.runs)} |`);
    }
    out.push('');
  }
  if (gates) {
    const asked = [
      ...Object.entries(gates.threshold).map(([c, v]) => `${c} ≥ ${v}%`),
      ...Object.entries(gates.budget).map(([k, v]) => `${k} ≤ ${(v as number).toLocaleString('en-US')}`),
    ];
    if (asked.length > 0) {
      out.push(gates.failures.length === 0 ? `**Passed:** ${cell(asked.join(', '))}` : '**Failed:**', '');
      for (const f of gates.failures) out.push(`- ${cell(f.trim())}`);
      if (gates.failures.length) out.push('');
    }
  }
  return out.join('\n');
}
