/**
 * Coverage and cost as people read them: the text tables the reporter prints at the end of a run,
 * and the Markdown summary of a merged report for a CI job summary.
 */
import { CATEGORIES, type MachineCoverage } from './model';
import type { CostRow, RunUsage } from '../../cost';

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
 * Row names: the machine's name, and where two rows would share one (the same
 * construct id in two stacks, or two versions of a definition) its stack and
 * construct path, else its definition id, in parentheses.
 */
function rowLabels(machines: readonly MachineCoverage[]): (m: MachineCoverage) => string {
  const base = (m: MachineCoverage): string => m.name ?? `machine ${m.id}`;
  const counts = new Map<string, number>();
  for (const m of machines) counts.set(base(m), (counts.get(base(m)) ?? 0) + 1);
  return (m) => ((counts.get(base(m)) ?? 0) > 1 ? `${base(m)} (${m.path ?? `machine ${m.id}`})` : base(m));
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
    [label(m), String(m.runs), ...CATEGORIES.map((c) => pct(m[c].covered, m[c].total))],
    // One file's rows would repeat the machine's.
    ...(options.byFile && (m.files?.length ?? 0) > 1
      ? m.files!.map((f) => [`  ${f.file}`, String(f.runs), ...CATEGORIES.map((c) => pct(f[c].covered, f[c].total))])
      : []),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ').trimEnd();
  const out = ['stepwright coverage', line(HEADERS), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)];
  const missed: string[] = [];
  for (const m of machines) {
    const parts = CATEGORIES.filter((c) => m[c].missed.length).map((c) => `    ${c}: ${m[c].missed.join(', ')}`);
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
    r.file, r.machine, r.failedRuns ? `${r.runs} (${r.failedRuns} failed)` : String(r.runs), String(r.stateTransitions),
    per(r.stateTransitions, r.runs), per(r.billedDurationMs, r.runs),
  ]);
  const widths = COST_HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ').trimEnd();
  return ['stepwright cost (state transitions as Standard bills them; Express duration rounded up to 100 ms)',
    line(COST_HEADERS), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}
