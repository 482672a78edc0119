import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'fs';
import { isAbsolute, join, relative, sep } from 'path';
import { StringDecoder } from 'string_decoder';
import type { CoverageRecord } from './index';
import type { StateMachineDefinition } from '../../asl';
import { checkRunUsage, type CostRow, type RunUsage } from '../../cost';
import { DATA_FILE_LIMIT } from '../../workbench/common';
import type { CoverageCost } from '../../workbench/coverage/format';
import { addHits, emptyHits, perCategory, summarize, type CoverageHits, type FileCoverage, type MachineCoverage } from '../../workbench/coverage/model';
import { byMachineOrder, sortCostMachines, sortCostRows } from '../../workbench/coverage/shards';

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
 * are skipped; a missing folder holds none. Only regular files are read, never
 * through a link (the workers write nothing else), and a line at a time, so a
 * file larger than a string can be is read all the same.
 */
function* readRecords(dir: string): Generator<CoverageRecord | null> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return;
  }
  for (const file of files.sort()) {
    for (const line of workerFileLines(join(dir, file))) {
      if (!line.trim()) continue;
      try {
        yield JSON.parse(line) as CoverageRecord | null;
      } catch {
        continue;
      }
    }
  }
}

/** Bytes read from a worker's file at a time. */
const CHUNK_BYTES = 1_048_576;

/**
 * The lines of a file a worker wrote, read a chunk at a time; nothing for what is not a regular
 * file (a link, a FIFO, which would block the read for ever) or cannot be read. A line longer than
 * {@link DATA_FILE_LIMIT} is skipped unread, as the JSON files stepwright reads are bounded.
 * @internal
 */
export function* workerFileLines(file: string): Generator<string> {
  let fd: number;
  try {
    if (!lstatSync(file).isFile()) return;
    // eslint-disable-next-line no-bitwise -- open(2) flags are combined as bits
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return;
  }
  try {
    if (!fstatSync(fd).isFile()) return;
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let parts: string[] = [];
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      const text = n === 0 ? decoder.end() : decoder.write(buffer.subarray(0, n));
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (length + nl - start <= DATA_FILE_LIMIT.bytes) yield parts.join('') + text.slice(start, nl);
        parts = [];
        length = 0;
        start = nl + 1;
      }
      // Past the bound, the rest of the line is dropped as it comes and the line is not given.
      if (length <= DATA_FILE_LIMIT.bytes) parts.push(text.slice(start));
      length += text.length - start;
      if (n === 0) break;
    }
    if (length > 0 && length <= DATA_FILE_LIMIT.bytes) yield parts.join('');
  } finally {
    closeSync(fd);
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
    if (typeof record?.id !== 'string' || typeof record.hits !== 'object' || record.hits === null) continue;
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
      return { file, runs: f.runs, ...perCategory((c) => ({ covered: part[c].covered, total: part[c].total })) };
    });
    out.push(byFile.length > 0 ? { ...summary, files: byFile } : summary);
    definitions?.set(id, m.definition);
  }
  return out.sort(byMachineOrder);
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

/** The most pieces of advice the reporter prints: the rest are counted. */
const ADVICE_PRINTED = 20;

/**
 * The advice the runs of every test file were given, once each (by test file, state and
 * message), in the order the records hold it, and how many more there were beyond
 * {@link ADVICE_PRINTED}.
 * @internal
 */
export function mergeAdviceDir(dir: string, options: MergeOptions = {}): { readonly lines: string[]; readonly more: number } {
  const seen = new Set<string>();
  const lines: string[] = [];
  let more = 0;
  for (const record of readRecords(dir)) {
    if (!Array.isArray(record?.advice)) continue;
    const file = typeof record.file === 'string' ? testFileName(record.file, options.rootDir) : undefined;
    for (const advice of record.advice) {
      if (typeof advice?.message !== 'string') continue;
      const line = `${file !== undefined ? `${file}: ` : ''}${advice.message}`;
      if (seen.has(line)) continue;
      seen.add(line);
      if (lines.length < ADVICE_PRINTED) lines.push(line);
      else more++;
    }
  }
  return { lines, more };
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
    if (typeof record?.id !== 'string' || !record.usage) continue;
    let usage: RunUsage;
    try {
      // The copy a merged report would hold, so that shards merge to the same report.
      usage = checkRunUsage(record.usage, 'usage');
    } catch {
      continue;
    }
    const machine = record.name ?? `machine ${record.id}`;
    const testFile = typeof record.file === 'string' ? testFileName(record.file, options.rootDir) : '(outside jest)';
    const key = `${testFile}\u0000${record.id}`;
    const row = rows.get(key) ?? { file: testFile, machine, runs: 0, stateTransitions: 0, billedDurationMs: 0 };
    const children = usage.childExecutions.filter((c) => c.type === 'STANDARD').reduce((n, c) => n + c.stateTransitions, 0);
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
    rows: sortCostRows([...rows.values()]),
    machines: sortCostMachines([...machines].map(([id, m]) => ({
      id, ...(m.name !== undefined ? { name: m.name } : {}), usages: [...m.usages.values()],
    }))),
  };
}


export { formatCoverage, formatCost, type FormatOptions, type CoverageCost, type MachineUsages } from '../../workbench/coverage/format';
