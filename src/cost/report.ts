/**
 * What cost reads from files a user gives it: the runs a coverage report kept, and its cost rows.
 * A report may be old, hand-edited, truncated or hostile: every field is read as an own property
 * (never `__proto__` or `valueOf`), checked to be finite, non-negative and bounded, and a bad one
 * is a {@link CostError} naming the field and the value. Nothing here allocates in proportion to
 * the number of runs a report claims: a usage with its count of runs is priced by weight.
 */
import type { CostRow } from './format';
import { CostError } from './prices';
import type { ChildExecutionsCost, RunUsage } from './usage';
import { ownValue } from '../asl/own';

/** What some observed runs used, and how many runs used it: a coverage report keeps each distinct usage once. */
export interface UsageCount {
  readonly usage: RunUsage;
  /** How many runs had this usage (1 or more). */
  readonly runs: number;
}

/** One state machine of a coverage report: its definition id, its name, and what its runs used. */
export interface ReportMachine {
  readonly id: string;
  readonly name?: string;
  readonly usages: readonly UsageCount[];
}

/** The most a count may be: beyond it a number no longer counts by ones. */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** Entries of one list in a report: state machines, usages of one machine, cost rows, DISTRIBUTED Map groups of one run. */
const MAX_ENTRIES = 100_000;
/** Characters of a name, an id, a status or an error name. */
const MAX_TEXT = 1_000;
const STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

function show(v: unknown): string {
  const shown = typeof v === 'number' ? String(v) : JSON.stringify(v);
  if (shown === undefined) return String(v);
  return shown.length > 60 ? `${shown.slice(0, 60)}…` : shown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An object of a report, checked to be one, whose fields are read one by one, each checked, each named under `at` in a refusal. */
class Fields {
  constructor(private readonly obj: Record<string, unknown>, private readonly at: string) {}

  /** An own field, never one of the prototype. */
  own(key: string): unknown {
    return ownValue(this.obj, key);
  }

  /** A whole number from `min` to {@link MAX_COUNT}. */
  count(key: string, min = 0): number {
    const field = `${this.at}.${key}`;
    const v = this.own(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      throw new CostError(field, `${field} must be a whole number from ${min} to ${MAX_COUNT.toLocaleString('en-US')}, got ${show(v)}`);
    }
    return v;
  }

  /** A number of milliseconds: finite, from 0 to {@link MAX_COUNT}. */
  millis(key: string): number {
    const field = `${this.at}.${key}`;
    const v = this.own(key);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_COUNT) {
      throw new CostError(field, `${field} must be a number of milliseconds from 0 to ${MAX_COUNT.toLocaleString('en-US')}, got ${show(v)}`);
    }
    return v;
  }

  text(key: string, optional: boolean): string | undefined {
    const field = `${this.at}.${key}`;
    const v = this.own(key);
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.length > MAX_TEXT) throw new CostError(field, `${field} must be text of at most ${MAX_TEXT} characters, got ${show(v)}`);
    return v;
  }
}

/** The fields of `v`, an object (`what` says which), read under `at`. */
function record(v: unknown, at: string, what: string): Fields {
  if (!isRecord(v)) throw new CostError(at, `${at} must be an object (${what}), got ${show(v)}`);
  return new Fields(v, at);
}

/** An own field of `v` when it is an object, else undefined. */
function fieldOf(v: unknown, key: string): unknown {
  return isRecord(v) ? ownValue(v, key) : undefined;
}

function list(v: unknown, at: string, what: string): unknown[] {
  if (!Array.isArray(v)) throw new CostError(at, `${at} must be a list (${what}), got ${show(v)}`);
  if (v.length > MAX_ENTRIES) throw new CostError(at, `${at} lists ${v.length.toLocaleString('en-US')} entries; at most ${MAX_ENTRIES.toLocaleString('en-US')}`);
  return v;
}

function childGroup(v: unknown, at: string): ChildExecutionsCost {
  const c = record(v, at, '{ mapState, type, executions, stateTransitions, billedDurationMs }');
  const type = c.own('type');
  if (type !== 'STANDARD' && type !== 'EXPRESS') throw new CostError(`${at}.type`, `${at}.type must be "STANDARD" or "EXPRESS", got ${show(type)}`);
  return {
    mapState: c.text('mapState', false)!,
    type,
    executions: c.count('executions'),
    stateTransitions: c.count('stateTransitions'),
    billedDurationMs: c.millis('billedDurationMs'),
  };
}

/**
 * Checks what one run used, as a coverage report or a caller gives it, and returns a copy with
 * only the fields cost reads. `childExecutions` may be absent (no DISTRIBUTED Map children).
 * @throws CostError naming the field under `at` and its value
 */
export function checkRunUsage(value: unknown, at: string): RunUsage {
  const u = record(value, at, 'what a run used: stateTransitions, statesEntered, retries, durationMs, ...');
  const statesEntered = u.count('statesEntered');
  const retries = u.count('retries');
  const childExecutionsStarted = u.count('childExecutionsStarted');
  const redrives = u.own('redrives') === undefined ? 0 : u.count('redrives');
  const stateTransitions = u.count('stateTransitions');
  const sum = statesEntered + retries + redrives + childExecutionsStarted;
  if (stateTransitions !== sum) {
    throw new CostError(`${at}.stateTransitions`, `${at}.stateTransitions is ${stateTransitions}, but statesEntered + retries + redrives + childExecutionsStarted is ${sum}`);
  }
  const children = u.own('childExecutions') === undefined ? [] : list(u.own('childExecutions'), `${at}.childExecutions`, 'DISTRIBUTED Map children');
  const status = u.text('status', true);
  if (status !== undefined && !STATUSES.has(status)) {
    throw new CostError(`${at}.status`, `${at}.status must be one of ${[...STATUSES].join(', ')}, got ${show(status)}`);
  }
  const error = u.text('error', true);
  return {
    stateTransitions,
    statesEntered,
    retries,
    childExecutionsStarted,
    ...(redrives > 0 ? { redrives } : {}),
    durationMs: u.millis('durationMs'),
    billedDurationMs: u.millis('billedDurationMs'),
    largestPayloadBytes: u.count('largestPayloadBytes'),
    parallelOrMapSteps: u.count('parallelOrMapSteps'),
    childExecutions: children.map((c, i) => childGroup(c, `${at}.childExecutions[${i}]`)),
    ...(status !== undefined ? { status } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * The state machines of a coverage report (the stepwright reporter's outputFile) with what their
 * runs used, every field checked. The runs are counted, never repeated: a report of a million runs
 * reads as fast as one of one.
 * @throws CostError naming the field (`cost.machines[0].usages[3].runs`) and its value
 */
export function reportMachines(report: unknown): ReportMachine[] {
  const cost = fieldOf(report, 'cost');
  const machines = fieldOf(cost, 'machines');
  if (machines === undefined) {
    throw new CostError('cost.machines', 'the coverage report has no cost.machines: write it with the stepwright reporter (outputFile) of this version, then read it again');
  }
  return list(machines, 'cost.machines', 'the state machines the tests ran').map((m, i): ReportMachine => {
    const at = `cost.machines[${i}]`;
    const machine = record(m, at, '{ id, name, usages }');
    const id = machine.text('id', false)!;
    const name = machine.text('name', true);
    let total = 0;
    const usages = list(machine.own('usages'), `${at}.usages`, 'what the runs used, each { usage, runs }').map((e, j): UsageCount => {
      const entryAt = `${at}.usages[${j}]`;
      const entry = record(e, entryAt, '{ usage, runs }');
      const runs = entry.count('runs', 1);
      total += runs;
      if (total > MAX_COUNT) throw new CostError(`${entryAt}.runs`, `${at} counts more than ${MAX_COUNT.toLocaleString('en-US')} runs in all`);
      return { usage: checkRunUsage(entry.own('usage'), `${entryAt}.usage`), runs };
    });
    return { id, ...(name !== undefined ? { name } : {}), usages };
  });
}

/**
 * The cost rows of a coverage report, every field checked; rows of one test file and state
 * machine name given twice are added up.
 * @param which which report it is, for the messages ('first', 'second')
 * @throws CostError naming the field (`cost.rows[2].runs`) and its value
 */
export function reportCostRows(report: unknown, which: string): CostRow[] {
  const cost = fieldOf(report, 'cost');
  const rows = fieldOf(cost, 'rows');
  if (!Array.isArray(rows)) {
    throw new CostError('cost.rows', `the ${which} report has no cost rows (cost.rows); write it with the stepwright reporter's outputFile`);
  }
  const out = new Map<string, { -readonly [K in keyof CostRow]: CostRow[K] }>();
  list(rows, 'cost.rows', 'a row per test file and state machine').forEach((r, i) => {
    const at = `the ${which} report's cost.rows[${i}]`;
    const row = record(r, at, '{ file, machine, runs, stateTransitions, billedDurationMs }');
    const file = row.text('file', false)!;
    const machine = row.text('machine', false)!;
    const runs = row.count('runs');
    const stateTransitions = row.count('stateTransitions');
    const billedDurationMs = row.own('billedDurationMs') === undefined ? 0 : row.millis('billedDurationMs');
    const failedRuns = row.own('failedRuns') === undefined ? 0 : row.count('failedRuns');
    if (failedRuns > runs) throw new CostError(`${at}.failedRuns`, `${at}.failedRuns is ${failedRuns}, more than its ${runs} runs`);
    const key = `${file}\u0000${machine}`;
    const seen = out.get(key);
    if (!seen) {
      out.set(key, { file, machine, runs, stateTransitions, billedDurationMs, ...(failedRuns > 0 ? { failedRuns } : {}) });
      return;
    }
    const added = {
      runs: seen.runs + runs,
      stateTransitions: seen.stateTransitions + stateTransitions,
      billedDurationMs: seen.billedDurationMs + billedDurationMs,
      failedRuns: (seen.failedRuns ?? 0) + failedRuns,
    };
    for (const [field, v] of Object.entries(added)) {
      if (v > MAX_COUNT) throw new CostError(`${at}.${field}`, `${at} adds to an earlier row of ${file} and ${machine} past ${MAX_COUNT.toLocaleString('en-US')} ${field}`);
    }
    seen.runs = added.runs;
    seen.stateTransitions = added.stateTransitions;
    seen.billedDurationMs = added.billedDurationMs;
    if (added.failedRuns > 0) seen.failedRuns = added.failedRuns;
  });
  return [...out.values()];
}
