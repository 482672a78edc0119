/**
 * The coverage reports of a suite sharded over CI machines (`jest --shard=i/n`, each shard writing
 * the reporter's outputFile), added up into the report one unsharded run would have written.
 *
 * A report file may be truncated, hand-edited, from another version or hostile: it is read as a
 * regular file of bounded size and nesting, every field as an own property (never `__proto__` or
 * `valueOf`), every count a whole number of 0 or more, and a bad one is a
 * {@link CoverageReportError} naming the file, the field and the value.
 */
import { ownValue } from '../../asl/own';
import { checkRunUsage, CostError, MAX_COUNT, reportCostRows, reportMachines, type CostRow } from '../../cost';
import { DATA_FILE_LIMIT, JsonFileReadError, jsonTextNestsDeeper, readJsonText } from '../common';
import type { CoverageCost, MachineUsages } from './format';
import { CATEGORIES, perCategory, type CategoryCount, type CoverageCategory, type FileCoverage, type MachineCoverage } from './model';

/** Why a coverage report cannot be read or merged: the file, the field and what to do. */
export class CoverageReportError extends Error {
  constructor(public readonly file: string, public readonly field: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'CoverageReportError';
  }
}

/** How the jest run that wrote a report went. */
export interface ReportRun {
  /** The shard, when jest ran with `--shard=index/count`. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Tests run, and how many failed. */
  readonly tests: { readonly total: number; readonly failed: number };
  /** Test files run, and how many failed (a failed file may have run none of its tests). */
  readonly testFiles: { readonly total: number; readonly failed: number };
}

/** What the stepwright reporter writes (its outputFile), and what a merge writes. */
export interface CoverageReport {
  readonly machines: MachineCoverage[];
  readonly cost: CoverageCost;
  /** How the run went; absent in reports of older versions and in merged ones. */
  readonly run?: ReportRun;
}

/** One shard's report as the merge read it. */
export interface ShardReport {
  /** Where it was read from, as the user named it. */
  readonly file: string;
  readonly report: CoverageReport;
}

/** What the merge says of one report it read. */
export interface ShardStatus {
  readonly file: string;
  /** `2/3`, when the run was a shard. */
  readonly shard?: string;
  /** Failed tests and test files of its run; undefined when the report does not say (an older reporter). */
  readonly failedTests?: number;
  readonly failedTestFiles?: number;
}

/** Reports of shards added up, and what a reader must know about them. */
export interface MergedCoverage extends CoverageReport {
  /** The reports merged, in the order given. */
  readonly shards: readonly ShardStatus[];
  /**
   * Why the figures may not be the suite's: a shard whose tests failed, a shard with no report.
   * Empty when every shard of the run is there and passed.
   */
  readonly warnings: readonly string[];
  /** False when a shard's tests failed or a shard has no report: the figures are not the whole suite's. */
  readonly complete: boolean;
}

/** Nesting of a report: `cost.machines[].usages[].usage.childExecutions[]` is the deepest, at 8. */
const MAX_DEPTH = 16;
const MAX_ENTRIES = 100_000;
const MAX_TEXT = 4_096;
const MAX_SHARDS = 10_000;

/**
 * Reads a coverage report file: a regular file of at most 256 MiB, JSON nested at most 16 deep,
 * every field checked.
 * @throws CoverageReportError naming the file and what is wrong with it
 */
export function readCoverageReport(file: string): ShardReport {
  let text: string;
  try {
    text = readJsonText(file, DATA_FILE_LIMIT);
  } catch (e) {
    if (e instanceof JsonFileReadError) throw new CoverageReportError(file, '', `cannot read it: ${e.reason}`);
    throw e;
  }
  const depth = jsonTextNestsDeeper(text, MAX_DEPTH);
  if (depth) throw new CoverageReportError(file, '', `it nests deeper than ${MAX_DEPTH} levels, which no coverage report does`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CoverageReportError(file, '', `it is not JSON (${(e as Error).message}); was the shard's run cut short?`);
  }
  return { file, report: checkCoverageReport(parsed, file) };
}

/**
 * A parsed coverage report, checked field by field, as a new object holding only what the
 * reporter writes.
 * @param file the report's name, for the messages
 * @throws CoverageReportError naming the field (`machines[0].states.hits`) and its value
 */
export function checkCoverageReport(value: unknown, file: string): CoverageReport {
  const c = new Checker(file);
  const report = c.record(value, '(the report)', '{ machines, cost }');
  const machines = c.list(ownValue(report, 'machines'), 'machines', 'a state machine coverage each').map((m, i) => c.machine(m, `machines[${i}]`));
  let cost: CoverageCost;
  try {
    const rows = reportCostRows(report, 'shard');
    cost = { rows, machines: reportMachines(report).map((m) => ({ ...m, usages: [...m.usages] })) };
  } catch (e) {
    if (e instanceof CostError) throw new CoverageReportError(file, e.field, e.message);
    throw e;
  }
  const run = ownValue(report, 'run') === undefined ? undefined : c.run(ownValue(report, 'run'));
  return { machines, cost, ...(run ? { run } : {}) };
}

/**
 * Adds up the reports of the shards of one run: the coverage of each state machine (hits add up,
 * an item is missed when no shard exercised it), its test files, the cost rows and usages, in the
 * order an unsharded run writes them. Figures from a shard whose tests failed, and a shard with no
 * report, are named in `warnings`, and the machines they touched carry `failedShards`.
 * @throws CoverageReportError when two reports name the same test file or shard (a report given
 *   twice), or disagree about a state machine's items
 */
export function mergeCoverageReports(reports: readonly ShardReport[]): MergedCoverage {
  const shards = reports.map(statusOf);
  const { warnings, complete } = shardWarnings(reports, shards);
  const failedShard = new Map(reports.map((r, i) => [r, isFailed(shards[i]) ? shards[i].shard ?? r.file : undefined]));
  const machines = new Map<string, MergingMachine>();
  const fileOwner = new Map<string, string>();
  for (const r of reports) {
    for (const m of r.report.machines) {
      let into = machines.get(m.id);
      if (!into) machines.set(m.id, into = newMachine(m));
      else addMachine(into, m, r.file);
      into.name ??= m.name;
      into.path ??= m.path;
      const failed = failedShard.get(r);
      if (failed !== undefined) into.failedShards.add(failed);
      for (const f of m.files ?? []) {
        const key = `${m.id}\u0000${f.file}`;
        const other = fileOwner.get(key);
        if (other !== undefined) {
          throw new CoverageReportError(r.file, 'machines.files', `test file ${f.file} is also in ${other}: the shards of one run never share a test file; `
            + 'was a report given twice, or are these reports of two runs?');
        }
        fileOwner.set(key, r.file);
        into.files.push(f);
      }
    }
  }
  const out = [...machines.entries()].map(([id, m]) => finishMachine(id, m));
  out.sort(byMachineOrder);
  return { machines: out, cost: mergeCost(reports, failedShard), shards, warnings, complete };
}

interface MergingMachine {
  name?: string;
  path?: string;
  runs: number;
  /** Per category: hits in the first report's item order, and its missed items in their order. */
  readonly categories: Map<CoverageCategory, { readonly hits: Map<string, number>; readonly missedOrder: readonly string[] }>;
  readonly files: FileCoverage[];
  readonly failedShards: Set<string>;
}

function newMachine(m: MachineCoverage): MergingMachine {
  const categories = new Map(CATEGORIES.map((c) => [c, { hits: new Map(Object.entries(m[c].hits)), missedOrder: m[c].missed }]));
  return { runs: m.runs, categories, files: [], failedShards: new Set() };
}

function addMachine(into: MergingMachine, m: MachineCoverage, file: string): void {
  into.runs = sum(into.runs, m.runs, file, 'runs');
  for (const category of CATEGORIES) {
    const { hits } = into.categories.get(category)!;
    const theirs = Object.entries(m[category].hits);
    // The id is a hash of the definition: the same id has the same items.
    if (theirs.length !== hits.size || theirs.some(([item]) => !hits.has(item))) {
      throw new CoverageReportError(file, `${category}.hits`, `state machine ${m.name ?? m.id} (id ${m.id}) has other ${category} than in the reports before it, `
        + 'yet the same id: was the report edited by hand?');
    }
    for (const [item, n] of theirs) hits.set(item, sum(hits.get(item)!, n, file, `${category}.hits.${item}`));
  }
}

function finishMachine(id: string, m: MergingMachine): MachineCoverage {
  return {
    id,
    runs: m.runs,
    ...(m.name !== undefined ? { name: m.name } : {}),
    ...(m.path !== undefined ? { path: m.path } : {}),
    ...perCategory((category) => {
      const { hits, missedOrder } = m.categories.get(category)!;
      const missed = missedOrder.filter((item) => hits.get(item) === 0);
      return { covered: hits.size - missed.length, total: hits.size, missed, hits: Object.fromEntries(hits) };
    }),
    ...(m.files.length > 0 ? { files: [...m.files].sort((a, b) => a.file.localeCompare(b.file)) } : {}),
    ...(m.failedShards.size > 0 ? { failedShards: [...m.failedShards] } : {}),
  };
}

function sum(a: number, b: number, file: string, field: string): number {
  if (a + b > MAX_COUNT) throw new CoverageReportError(file, field, `${field} adds up past ${MAX_COUNT.toLocaleString('en-US')}`);
  return a + b;
}

function mergeCost(reports: readonly ShardReport[], failedShard: ReadonlyMap<ShardReport, string | undefined>): CoverageCost {
  const rows = new Map<string, CostRow>();
  const machines = new Map<string, { name?: string; usages: Map<string, { usage: MachineUsages['usages'][number]['usage']; runs: number }> }>();
  for (const r of reports) {
    const failed = failedShard.get(r);
    for (const row of r.report.cost.rows) {
      const key = `${row.file}\u0000${row.machine}`;
      const seen = rows.get(key);
      const failedRuns = (seen?.failedRuns ?? 0) + (row.failedRuns ?? 0);
      rows.set(key, {
        file: row.file,
        machine: row.machine,
        runs: sum(seen?.runs ?? 0, row.runs, r.file, 'cost.rows.runs'),
        stateTransitions: sum(seen?.stateTransitions ?? 0, row.stateTransitions, r.file, 'cost.rows.stateTransitions'),
        billedDurationMs: sum(seen?.billedDurationMs ?? 0, row.billedDurationMs, r.file, 'cost.rows.billedDurationMs'),
        ...(failedRuns > 0 ? { failedRuns } : {}),
        ...(seen?.failedShard ?? failed) !== undefined ? { failedShard: seen?.failedShard ?? failed } : {},
      });
    }
    for (const m of r.report.cost.machines) {
      let into = machines.get(m.id);
      if (!into) machines.set(m.id, into = { usages: new Map() });
      into.name ??= m.name;
      for (const u of m.usages) {
        const key = usageKey(u.usage);
        const seen = into.usages.get(key);
        if (seen) seen.runs = sum(seen.runs, u.runs, r.file, 'cost.machines.usages.runs');
        else into.usages.set(key, { usage: u.usage, runs: u.runs });
      }
    }
  }
  return {
    rows: sortCostRows([...rows.values()]),
    machines: sortCostMachines([...machines].map(([id, m]) => ({
      id, ...(m.name !== undefined ? { name: m.name } : {}), usages: [...m.usages.values()],
    }))),
  };
}

/**
 * One text for equal usages, whatever the order of their fields: the checked copy, whose
 * fields come in one order.
 * @internal
 */
export function usageKey(usage: unknown): string {
  return JSON.stringify(checkRunUsage(usage, 'usage'));
}

/**
 * The order a coverage report lists its machines in: by name, then path, then id. Two machines
 * may share a name and have no path (two definitions a suite builds in its test files, each
 * `StateMachine`): the id orders them, as it orders the cost's machines, so the report does not
 * depend on which test file or worker ended first, and the merge of a run's shards lists them as
 * the unsharded run does.
 * @internal
 */
export function byMachineOrder(a: Pick<MachineCoverage, 'id' | 'name' | 'path'>, b: Pick<MachineCoverage, 'id' | 'name' | 'path'>): number {
  return (a.name ?? a.id).localeCompare(b.name ?? b.id) || (a.path ?? '').localeCompare(b.path ?? '') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Cost rows in the order a report lists them: by test file, then state machine. @internal */
export function sortCostRows<T extends CostRow>(rows: T[]): T[] {
  return rows.sort((a, b) => a.file.localeCompare(b.file) || a.machine.localeCompare(b.machine));
}

/** Cost machines in the order a report lists them: by name, then id; each one's usages by their {@link usageKey}. @internal */
export function sortCostMachines(machines: MachineUsages[]): MachineUsages[] {
  const keyed = (m: MachineUsages): MachineUsages => ({
    ...m,
    usages: m.usages.map((u) => ({ u, k: usageKey(u.usage) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map(({ u }) => u),
  });
  return machines.map(keyed).sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function statusOf(r: ShardReport): ShardStatus {
  const run = r.report.run;
  return {
    file: r.file,
    ...(run?.shard ? { shard: `${run.shard.index}/${run.shard.count}` } : {}),
    ...(run ? { failedTests: run.tests.failed, failedTestFiles: run.testFiles.failed } : {}),
  };
}

function isFailed(s: ShardStatus): boolean {
  return (s.failedTests ?? 0) > 0 || (s.failedTestFiles ?? 0) > 0;
}

/** What makes the merged figures other than the suite's: failed shards, shards without a report. */
function shardWarnings(reports: readonly ShardReport[], shards: readonly ShardStatus[]): { warnings: string[]; complete: boolean } {
  const warnings: string[] = [];
  let complete = !shards.some(isFailed);
  for (const s of shards) {
    const name = s.shard !== undefined ? `shard ${s.shard} (${s.file})` : s.file;
    if (s.failedTests === undefined) {warnings.push(`${name} does not say whether its tests passed (a report of an older version)`);} else if (isFailed(s)) {
      warnings.push(`${name} comes from a failing run (${s.failedTests} failed test${s.failedTests === 1 ? '' : 's'}, `
        + `${s.failedTestFiles} failed test file${s.failedTestFiles === 1 ? '' : 's'}): its figures may leave out what the failed tests would have run`);
    }
  }
  const counts = new Set(reports.flatMap((r) => (r.report.run?.shard ? [r.report.run.shard.count] : [])));
  if (counts.size > 1) {
    throw new CoverageReportError(reports.find((r) => r.report.run?.shard)!.file, 'run.shard.count',
      `the reports are shards of runs cut into ${[...counts].join(' and ')}: merge the shards of one run`);
  }
  const [count] = counts;
  if (count === undefined) return { warnings, complete };
  const seen = new Map<number, string>();
  for (const r of reports) {
    const index = r.report.run?.shard?.index;
    if (index === undefined) continue;
    const other = seen.get(index);
    if (other !== undefined) throw new CoverageReportError(r.file, 'run.shard.index', `shard ${index}/${count} is also ${other}: give each shard's report once`);
    seen.set(index, r.file);
  }
  for (let i = 1; i <= count; i++) {
    if (seen.has(i)) continue;
    warnings.push(`shard ${i}/${count} has no report: the figures leave out its tests`);
    complete = false;
  }
  return { warnings, complete };
}

/** The field checks, with the file they are about. */
class Checker {
  constructor(private readonly file: string) {}

  fail(at: string, message: string): never {
    throw new CoverageReportError(this.file, at, message);
  }

  record(v: unknown, at: string, what: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(at, `${at} must be an object (${what}), got ${show(v)}`);
    return v as Record<string, unknown>;
  }

  list(v: unknown, at: string, what: string): unknown[] {
    if (!Array.isArray(v)) this.fail(at, `${at} must be a list (${what}), got ${show(v)}`);
    if (v.length > MAX_ENTRIES) this.fail(at, `${at} lists ${v.length.toLocaleString('en-US')} entries; at most ${MAX_ENTRIES.toLocaleString('en-US')}`);
    return v;
  }

  count(v: unknown, at: string, max = MAX_COUNT): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
      this.fail(at, `${at} must be a whole number from 0 to ${max.toLocaleString('en-US')}, got ${show(v)}`);
    }
    return v;
  }

  text(v: unknown, at: string): string {
    if (typeof v !== 'string' || v.length > MAX_TEXT) this.fail(at, `${at} must be text of at most ${MAX_TEXT} characters, got ${show(v)}`);
    return v;
  }

  optionalText(obj: Record<string, unknown>, key: string, at: string): string | undefined {
    const v = ownValue(obj, key);
    return v === undefined ? undefined : this.text(v, `${at}.${key}`);
  }

  machine(v: unknown, at: string): MachineCoverage {
    const m = this.record(v, at, '{ id, name, runs, states, transitions, choices, catches, retries }');
    const id = this.text(ownValue(m, 'id'), `${at}.id`);
    const name = this.optionalText(m, 'name', at);
    const path = this.optionalText(m, 'path', at);
    const runs = this.count(ownValue(m, 'runs'), `${at}.runs`);
    const categories = perCategory((category) => this.category(ownValue(m, category), `${at}.${category}`));
    const files = ownValue(m, 'files');
    return {
      id,
      runs,
      ...(name !== undefined ? { name } : {}),
      ...(path !== undefined ? { path } : {}),
      ...categories,
      ...(files !== undefined ? { files: this.list(files, `${at}.files`, 'a test file each').map((f, i) => this.testFile(f, `${at}.files[${i}]`)) } : {}),
    };
  }

  category(v: unknown, at: string): MachineCoverage['states'] {
    const c = this.record(v, at, '{ covered, total, missed, hits }');
    const hitsAt = `${at}.hits`;
    const given = this.record(ownValue(c, 'hits'), hitsAt, 'the hits of every item');
    const items = Object.keys(given);
    if (items.length > MAX_ENTRIES) this.fail(hitsAt, `${hitsAt} has ${items.length.toLocaleString('en-US')} items; at most ${MAX_ENTRIES.toLocaleString('en-US')}`);
    const hits = new Map(items.map((item) => [this.text(item, hitsAt), this.count(given[item], `${hitsAt}[${JSON.stringify(item)}]`)]));
    const missed = this.list(ownValue(c, 'missed'), `${at}.missed`, 'the items never exercised').map((item, i) => this.text(item, `${at}.missed[${i}]`));
    const never = items.filter((item) => hits.get(item) === 0);
    // Each item once: a name listed twice would stand for another never listed, and count twice as missed.
    if (missed.length !== never.length || new Set(missed).size !== missed.length || missed.some((item) => hits.get(item) !== 0)) {
      this.fail(`${at}.missed`, `${at}.missed must list the items whose hits are 0 (${show(never)}), got ${show(missed)}`);
    }
    const total = this.count(ownValue(c, 'total'), `${at}.total`);
    const covered = this.count(ownValue(c, 'covered'), `${at}.covered`);
    if (total !== items.length || covered !== total - missed.length) {
      this.fail(at, `${at} says ${covered} of ${total} covered, but its hits have ${items.length - missed.length} of ${items.length}`);
    }
    return { covered, total, missed, hits: Object.fromEntries(hits) };
  }

  testFile(v: unknown, at: string): FileCoverage {
    const f = this.record(v, at, '{ file, runs, states, ... }');
    const file = this.text(ownValue(f, 'file'), `${at}.file`);
    const runs = this.count(ownValue(f, 'runs'), `${at}.runs`);
    return {
      file,
      runs,
      ...perCategory((category): CategoryCount => {
        const cAt = `${at}.${category}`;
        const c = this.record(ownValue(f, category), cAt, '{ covered, total }');
        const total = this.count(ownValue(c, 'total'), `${cAt}.total`);
        return { covered: this.count(ownValue(c, 'covered'), `${cAt}.covered`, total), total };
      }),
    };
  }

  run(v: unknown): ReportRun {
    const r = this.record(v, 'run', '{ shard, tests, testFiles }');
    const pair = (key: string): { total: number; failed: number } => {
      const p = this.record(ownValue(r, key), `run.${key}`, '{ total, failed }');
      const total = this.count(ownValue(p, 'total'), `run.${key}.total`);
      return { total, failed: this.count(ownValue(p, 'failed'), `run.${key}.failed`, total) };
    };
    const shardValue = ownValue(r, 'shard');
    let shard: ReportRun['shard'];
    if (shardValue !== undefined) {
      const s = this.record(shardValue, 'run.shard', '{ index, count }');
      const count = this.count(ownValue(s, 'count'), 'run.shard.count', MAX_SHARDS);
      const index = this.count(ownValue(s, 'index'), 'run.shard.index', count);
      if (index < 1) this.fail('run.shard.index', `run.shard.index must be from 1 to ${count}, got ${index}`);
      shard = { index, count };
    }
    return { ...(shard ? { shard } : {}), tests: pair('tests'), testFiles: pair('testFiles') };
  }
}

function show(v: unknown): string {
  const shown = typeof v === 'number' ? String(v) : JSON.stringify(v);
  if (shown === undefined) return String(v);
  return shown.length > 60 ? `${shown.slice(0, 60)}…` : shown;
}
