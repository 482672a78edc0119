import { readdirSync, readFileSync } from 'fs';
import { isAbsolute, join, relative, sep } from 'path';
import type { CoverageRecord } from './index';
import { addHits, CATEGORIES, emptyHits, summarize, type CoverageHits, type FileCoverage, type MachineCoverage } from './model';
import type { StateMachineDefinition } from '../../asl/types';

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
 * Reads every per-process coverage file in `dir` and adds them up, one
 * entry per state machine, sorted by name, with what each test file
 * exercised when the records name their files. Lines that are not valid
 * records (a file cut short by a killed worker) are skipped. `definitions`,
 * when given, receives each machine's definition by id (for the HTML report).
 * @internal
 */
export function mergeCoverageDir(dir: string, definitions?: Map<string, StateMachineDefinition>, options: MergeOptions = {}): MachineCoverage[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const machines = new Map<string, MergedMachine>();
  for (const file of files.sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let record: CoverageRecord;
      try {
        record = JSON.parse(line) as CoverageRecord;
      } catch {
        continue;
      }
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

/** A test file's path relative to the root, with forward slashes; as recorded when it lies outside. */
function testFileName(file: string, rootDir: string | undefined): string {
  if (rootDir === undefined) return file;
  const rel = relative(rootDir, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
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
