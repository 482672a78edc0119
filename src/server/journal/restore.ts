/*
 * Rebuilding the server from its journal: each record checked, then applied in
 * order; executions that were running run again from their start, and find
 * their journaled task answers, deliveries, heartbeats and Task results here as
 * they replay. With --repair, records that cannot be applied are dropped
 * (with those that depend on them) and the journal is written anew.
 */
import { readClosedHistory, readMapRuns, storedHistoryOf, type ClosedRecord, type StoredClosing } from './closing';
import { JournalDamagedError } from './errors';
import type { RawRecord } from './format';
import type { OpenedJournal } from './index';
import type { JsonValue } from '../../asl';
import type { HistoryRecorder } from '../../interpreter/history-recorder';
import type { ExecutionRecord } from '../model';
import { checkRecord, type JournalRecord, type RecordKind, type RecordOf } from '../records';
import type { ReplayedDelivery, TaskResult } from '../tasks';

/** How long after a restart an unknown task token may still be re-issued by an execution replaying its journal. */
const REPLAY_WINDOW_MS = 5_000;

/** Records read in a first pass of restore, not applied one by one. */
const NOT_APPLIED = ['closed', 'child', 'history', 'callback', 'delivered', 'heartbeat', 'result', 'compacted'] as const satisfies readonly RecordKind[];

/** A record restore applies one by one, in order (see ApplyRecord). @internal */
export type AppliedRecord = Exclude<JournalRecord, { readonly t: (typeof NOT_APPLIED)[number] }>;

function isApplied(r: JournalRecord): r is AppliedRecord {
  return !(NOT_APPLIED as readonly string[]).includes(r.t);
}

/** A journaled answer to a task token (SendTaskSuccess or SendTaskFailure). @internal */
export interface ReplayedAnswer {
  readonly ok: boolean;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
}

/** Applies one journaled record; `closed` finds the journaled closing of an execution. @internal */
export type ApplyRecord = (record: AppliedRecord, closed: (arn: string) => ClosedRecord | undefined) => unknown;

/** A record restore could not apply, by its index, and why. @internal */
export interface SkippedRecord {
  readonly index: number;
  readonly problem: string;
}

/**
 * What the journal said that is read back as executions replay: the answers,
 * deliveries and heartbeats of task tokens, and the answers of Task calls.
 * @internal
 */
export class JournalReplay {
  private readonly answers = new Map<string, ReplayedAnswer>();
  private readonly deliveries = new Map<string, ReplayedDelivery>();
  private readonly heartbeats = new Map<string, number>();
  /** The answers of Tasks, by execution and by call (see TaskRouter). */
  private readonly results = new Map<string, Map<string, TaskResult>>();
  /** Per execution, the redrives replayed so far (see countRedrive). */
  private readonly redrives = new Map<string, number>();
  /** Child executions stopped by themselves in a run of their root that runs again: stopped again when they start. */
  private readonly childStops = new Map<string, { readonly error?: string; readonly cause?: string }>();
  /** Executions that were running when the journal was read, run again from their start. */
  private readonly rerun = new Set<ExecutionRecord>();
  private restoring = false;
  /** While restoring: reports a record that cannot be applied (throws, or with --repair notes it and goes on). */
  private refuseRecord: (index: number, problem: string) => void = refuseOutsideRestore;
  /** Until then (ms, real time), SendTask* waits briefly for a token not yet re-issued by a replaying execution. */
  private windowEnd = 0;

  /** True while the journal's records are applied: nothing is journaled again, and executions replay. */
  get replaying(): boolean {
    return this.restoring;
  }

  /**
   * Rebuilds the state from journaled records, applying each with `apply`;
   * executions that were running run again from their start. Each record is
   * checked first: one that lacks a field of its kind, or refers to something no
   * earlier record made, is a {@link RecordError} naming its index, and nothing
   * after it is applied. With `repair`, such records are skipped instead (and
   * those that depend on them), and their indexes and problems returned.
   */
  restore(records: readonly RawRecord[], repair: boolean, apply: ApplyRecord): SkippedRecord[] {
    const skipped: SkippedRecord[] = [];
    const refuse = (index: number, problem: string): void => {
      if (!repair) throw new RecordError(index, problem);
      skipped.push({ index, problem });
    };
    this.refuseRecord = refuse;
    this.restoring = true;
    const closed = new Map<string, { record: RecordOf<'closed'>; index: number }>();
    const histories = new Map<string, Array<RecordOf<'history'>>>();
    /** The closings of child executions, by the execution the user started: restored with it (see child-closing.ts). */
    const children = new Map<string, Array<{ record: RecordOf<'child'>; index: number }>>();
    const checked = records.map((raw, index) => {
      const { record: r, problem } = checkRecord(raw);
      if (problem !== undefined) {
        refuse(index, problem);
        return undefined;
      }
      if (r.t === 'callback') this.answers.set(r.token, { ok: r.ok, output: r.output, error: r.error ?? undefined, cause: r.cause ?? undefined });
      if (r.t === 'delivered') this.deliveries.set(r.token, { worker: r.worker ?? undefined, at: r.at ?? undefined });
      if (r.t === 'heartbeat') this.heartbeats.set(r.token, r.at);
      if (r.t === 'result') {
        const kept = this.results.get(r.arn) ?? new Map<string, TaskResult>();
        kept.set(r.key, taskResultOf(r));
        this.results.set(r.arn, kept);
      }
      if (r.t === 'closed') closed.set(r.arn, { record: r, index });
      if (r.t === 'child') {
        const list = children.get(r.root) ?? [];
        list.push({ record: r, index });
        children.set(r.root, list);
      }
      if (r.t === 'history') {
        const parts = histories.get(r.id) ?? [];
        parts.push(r);
        histories.set(r.id, parts);
      }
      return r;
    });
    const historyOf = (ref: unknown): Array<RecordOf<'history'>> => {
      const stored = storedHistoryOf(ref);
      return stored ? histories.get(stored.id) ?? [] : [];
    };
    const closedOf = (arn: string): ClosedRecord | undefined => {
      const found = closed.get(arn);
      if (!found) return undefined;
      const kept = (children.get(arn) ?? []).map((c) => ({ ...c, history: historyOf(c.record.history) }));
      return { ...found, history: historyOf(found.record.history), children: kept };
    };
    checked.forEach((r, index) => {
      if (r === undefined || !isApplied(r)) return;
      try {
        apply(r, closedOf);
      } catch (e) {
        if (e instanceof ConfigurationError) throw e;
        if (e instanceof RecordError) refuse(e.index, e.problem);
        else refuse(index, `the '${r.t}' record cannot be applied: ${(e as Error).message}`);
      }
    });
    this.restoring = false;
    this.refuseRecord = refuseOutsideRestore;
    this.windowEnd = Date.now() + REPLAY_WINDOW_MS;
    return skipped;
  }

  /**
   * The history a `closed` record names, read back; a closed record whose
   * history cannot be read is refused (with --repair: dropped, so that the
   * execution runs again from its start, as one the server was killed in).
   */
  readClosed(closed: StoredClosing<RecordOf<'closed' | 'child'>>): HistoryRecorder | undefined {
    try {
      if (closed.record.t === 'closed') readMapRuns(closed.record.mapRuns);
      return readClosedHistory(closed);
    } catch (e) {
      this.refuseRecord(closed.index, `the '${closed.record.t}' record of '${String(closed.record.arn)}' cannot be read: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Notes an execution run again while the journal replays (see {@link rerunning}). */
  noteRerun(record: ExecutionRecord): void {
    if (this.restoring) this.rerun.add(record);
  }

  /** Notes a journaled stop of a child execution whose root runs again: the child is stopped again when that run starts it. */
  noteChildStop(arn: string, error: string | undefined, cause: string | undefined): void {
    this.childStops.set(arn, { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
  }

  /** The stop noted for a child execution that starts again, taken: each is given once. */
  takeChildStop(arn: string): { readonly error?: string; readonly cause?: string } | undefined {
    const stop = this.childStops.get(arn);
    if (stop) this.childStops.delete(arn);
    return stop;
  }

  /** Whether an execution run again from the journal still runs: a task token not re-issued yet may be one of its. */
  rerunning(): boolean {
    for (const e of this.rerun) if (e.status === 'RUNNING') return true;
    return false;
  }

  /**
   * Counts a redrive of `arn` replayed from the journal, whose closing may hold its run already:
   * the count so far, this one included.
   */
  countRedrive(arn: string): number {
    const k = (this.redrives.get(arn) ?? 0) + 1;
    this.redrives.set(arn, k);
    return k;
  }

  /** How long (real ms) SendTask* may wait for a token a replaying execution has not re-issued yet: none (0 or less) once the replay window has passed. */
  tokenWaitMs(): number {
    return Math.min(this.windowEnd - Date.now(), REPLAY_WINDOW_MS);
  }

  // ---- what the task router reads back (see TaskRouterHost)

  answerOf(token: string): ReplayedAnswer | undefined {
    return this.answers.get(token);
  }

  deliveryOf(token: string): ReplayedDelivery | undefined {
    return this.deliveries.get(token);
  }

  heartbeatOf(token: string): number | undefined {
    return this.heartbeats.get(token);
  }

  /** The answer journaled for a call of a Task, taken: each is given once. */
  takeResult(arn: string, key: string): TaskResult | undefined {
    const kept = this.results.get(arn);
    const result = kept?.get(key);
    if (result !== undefined) kept!.delete(key);
    return result;
  }
}

/**
 * A journaled record that cannot be applied where it is: its index among the
 * records read back, and what is wrong. The server turns it into a refusal that
 * names the journal's line and byte offset.
 * @internal
 */
export class RecordError extends Error {
  constructor(public readonly index: number, public readonly problem: string) {
    super(`record ${index + 1}: ${problem}`);
    this.name = 'RecordError';
  }
}

/** The journal is whole, but the server was started with options that cannot serve it (a mock configuration without a test case in use). @internal */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

function refuseOutsideRestore(index: number, problem: string): never {
  throw new RecordError(index, problem);
}

/**
 * Rebuilds the server from the journal's records with `restore`. A record that
 * cannot be applied stops the server with the line and byte offset it is at;
 * with `repair`, the damaged lines and the records that cannot be applied are
 * dropped (each named in a log line) and the journal is written anew, its old
 * bytes kept in a backup file.
 * @throws JournalDamagedError naming the line and byte offset of a record that cannot be applied (not with `repair`)
 * @internal
 */
export function restoreJournal(
  opened: OpenedJournal, repair: boolean, log: (line: string) => void,
  restore: (records: readonly RawRecord[], repair: boolean) => readonly SkippedRecord[],
): void {
  const { journal, records, places, damaged } = opened;
  let skipped: readonly SkippedRecord[];
  try {
    skipped = restore(records, repair);
  } catch (e) {
    if (!(e instanceof RecordError)) throw e;
    const place = places[e.index];
    throw new JournalDamagedError(journal.file, place.line, place.offset, e.problem);
  }
  if (!repair) return;
  if (damaged.length === 0 && skipped.length === 0) {
    log(`journal ${journal.file}: --repair found nothing to repair`);
    return;
  }
  for (const d of damaged) log(`journal ${journal.file}: --repair dropped line ${d.line} (byte offset ${d.offset}): ${d.problem}`);
  for (const s of skipped) log(`journal ${journal.file}: --repair dropped line ${places[s.index].line} (byte offset ${places[s.index].offset}): ${s.problem}`);
  const dropped = new Set(skipped.map((s) => s.index));
  const kept = records.filter((_, i) => !dropped.has(i));
  const backup = journal.repair(kept);
  log(`journal ${journal.file}: repaired: kept ${kept.length} records, dropped ${damaged.length + skipped.length}; the journal as it was is kept as ${backup}`);
}

/**
 * The latest server time journaled (a change, a start, a compaction), so that
 * the server's time never runs backwards over a restart. Execution times (a
 * stopDate, a heartbeat, a redrive) are left out: waits at `--time-scale` put
 * them ahead of the server's time, and counting them would make the server's
 * clock jump ahead at a restart.
 * @internal
 */
export function latestTime(records: readonly RawRecord[]): number {
  let latest = 0;
  for (const r of records) {
    if (EXECUTION_TIMES.has(r.t)) continue;
    const at = typeof r.at === 'number' ? r.at : 0;
    if (at > latest) latest = at;
  }
  return latest;
}

/** What a call of a Task answered, as the router gives it again, from its checked `result` record. */
function taskResultOf(r: RecordOf<'result'>): TaskResult {
  if (r.ok) return { at: r.at, ok: true, output: r.output ?? null };
  if (r.aborted === true) return { at: r.at, ok: false, aborted: true };
  // checkRecord made sure a failed call that was not abandoned has its error.
  return { at: r.at, ok: false, error: r.error ?? '', ...(typeof r.cause === 'string' ? { cause: r.cause } : {}), ...(r.inState === true ? { inState: true } : {}) };
}

/** Records whose `at` is an execution's time, not the server's. */
const EXECUTION_TIMES = new Set(['heartbeat', 'redrive', 'result', 'delivered']);
