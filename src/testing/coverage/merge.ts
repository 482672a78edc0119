import { readdirSync, readFileSync } from 'fs';
import { isAbsolute, join, relative, sep } from 'path';
import type { CoverageRecord } from './index';
import type { StateMachineDefinition } from '../../asl/definition-types';
import type { CostRow, RunUsage } from '../../cost';
import { addHits, CATEGORIES, emptyHits, summarize, type CoverageHits, type FileCoverage, type MachineCoverage } from '../../workbench/coverage/model';

interface MergedMachine {
  name?: string;
  path?: string;
  definition?: StateMachineDefinition;
  runs: number;
  readonly hits: CoverageHits;
  /** Runs and hits by test file. */
  readonly files: Map<string, { runs: number; readonly hits: CoverageHits }>;
}

/** Options of {@link mergeCoverageDir}. @internal */
export interface MergeOptions {
  /** Test files are named relative to this directory (jest's rootDir). @default - as recorded */
  readonly rootDir?: string;
}

/**
 * The records of every per-process coverage file in `dir`, file by file in
 * name order. Lines that are not JSON (a file cut short by a killed worker)
 * are skipped; a missing folder holds none.
 */
function* readRecords(dir: string): Generator<CoverageRecord | null> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return;
  }
  for (const file of files.sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        yield JSON.parse(line) as CoverageRecord | null;
      } catch {
        continue;
      }
    }
  }
}

/**
 * Reads every per-process coverage file in `dir` and adds them up, one
 * entry per state machine, sorted by name, with what each test file
 * exercised when the records name their files. Lines that are not valid
 * records (a file cut short by a killed worker) are skipped. `definitions`,
 * when given, receives each machine's definition by id (for the HTML report).
 * @internal
 */
export function mergeCoverageDir(dir: string, definitions?: Map<string, StateMachineDefinition>, options: MergeOptions = {}): MachineCoverage[] {
  const machines = new Map<string, MergedMachine>();
  for (const record of readRecords(dir)) {
    if (typeof record?.id !== 'string' || typeof record.hits !== 'object') continue;
    let m = machines.get(record.id);
    if (!m) machines.set(record.id, m = { runs: 0, hits: emptyHits(), files: new Map() });
    m.name ??= record.name;
    m.path ??= record.path;
    m.definition ??= record.definition;
    m.runs++;
    addHits(m.hits, record.hits);
    if (typeof record.file === 'string') {
      const name = testFileName(record.file, options.rootDir);
      let f = m.files.get(name);
      if (!f) m.files.set(name, f = { runs: 0, hits: emptyHits() });
      f.runs++;
      addHits(f.hits, record.hits);
    }
  }
  const out: MachineCoverage[] = [];
  for (const [id, m] of machines) {
    if (!m.definition) continue;
    const summary = summarize(id, m.name, m.definition, m.runs, m.hits, m.path);
    const byFile: FileCoverage[] = [...m.files].sort(([a], [b]) => a.localeCompare(b)).map(([file, f]) => {
      const part = summarize(id, m.name, m.definition!, f.runs, f.hits);
      const counts = Object.fromEntries(CATEGORIES.map((c) => [c, { covered: part[c].covered, total: part[c].total }]));
      return { file, runs: f.runs, ...counts } as unknown as FileCoverage;
    });
    out.push(byFile.length > 0 ? { ...summary, files: byFile } : summary);
    definitions?.set(id, m.definition);
  }
  return out.sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id) || (a.path ?? '').localeCompare(b.path ?? ''));
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

/**
 * A test file's path with forward slashes, relative to the root, else (a file
 * outside it) to the working directory, else as recorded.
 */
function testFileName(file: string, rootDir: string | undefined): string {
  for (const base of [rootDir, process.cwd()]) {
    if (base === undefined) continue;
    const rel = relative(base, file);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  }
  return file;
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
 * Reads the per-process files in `dir` for cost: per test file and state machine, the runs with
 * their state transitions and billed Express duration; per state machine, every distinct
 * usage with its count of runs (what `stepwright cost --coverage` estimates from).
 * @internal
 */
export function mergeCostDir(dir: string, options: MergeOptions = {}): CoverageCost {
  const rows = new Map<string, { -readonly [K in keyof CostRow]: CostRow[K] }>();
  const machines = new Map<string, { name?: string; usages: Map<string, { usage: RunUsage; runs: number }> }>();
  for (const record of readRecords(dir)) {
    const usage = record?.usage;
    if (typeof record?.id !== 'string' || !usage || typeof usage.stateTransitions !== 'number') continue;
    const machine = record.name ?? `machine ${record.id}`;
    const testFile = typeof record.file === 'string' ? testFileName(record.file, options.rootDir) : '(outside jest)';
    const key = `${testFile}\u0000${record.id}`;
    const row = rows.get(key) ?? { file: testFile, machine, runs: 0, stateTransitions: 0, billedDurationMs: 0 };
    const children = (usage.childExecutions ?? []).filter((c) => c.type === 'STANDARD').reduce((n, c) => n + c.stateTransitions, 0);
    row.runs++;
    if (usage.status !== undefined && usage.status !== 'SUCCEEDED') row.failedRuns = (row.failedRuns ?? 0) + 1;
    row.stateTransitions += usage.stateTransitions + children;
    row.billedDurationMs += usage.billedDurationMs;
    rows.set(key, row);
    const m = machines.get(record.id) ?? { name: record.name, usages: new Map() };
    m.name ??= record.name;
    const same = JSON.stringify(usage);
    const seen = m.usages.get(same);
    if (seen) seen.runs++;
    else m.usages.set(same, { usage, runs: 1 });
    machines.set(record.id, m);
  }
  return {
    rows: [...rows.values()].sort((a, b) => a.file.localeCompare(b.file) || a.machine.localeCompare(b.machine)),
    machines: [...machines].map(([id, m]) => ({ id, ...(m.name !== undefined ? { name: m.name } : {}), usages: [...m.usages.values()] })),
  };
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
