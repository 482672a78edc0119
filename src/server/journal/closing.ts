/*
 * The closing of an execution in the journal: its history, in `history`
 * records, then the `closed` record that says how it ended and names them. The
 * runner writes them when an execution ends, compaction writes them anew from
 * memory, and restore reads them back onto the execution's record.
 */
import { randomUUID } from 'node:crypto';
import type { MapRunCounts, MapRunItemTally } from '../../interpreter/execution-types';
import type { HistoryRecorder } from '../../interpreter/history-recorder';
import { ExecutionHistory } from '../execution-history';
import { historyRecords, readHistory, readRenderedHistory, type StoredHistoryRef } from '../history-store';
import { mapRunsOf } from '../map-runs';
import type { ExecutionRecord } from '../model';
import type { JournalRecord, RecordOf } from '../records';

/** A closing read back (an execution's `closed` record, or a child's `child` record), its index among the records, and the `history` records it names. @internal */
export interface StoredClosing<R extends RecordOf<'closed' | 'child'>> {
  readonly record: R;
  readonly index: number;
  /** The history records with its history's id, in order. */
  readonly history: readonly RecordOf<'history'>[];
}

/** A `closed` record read back, with the closings of the children its Map Runs kept (`child` records naming it their root). @internal */
export interface ClosedRecord extends StoredClosing<RecordOf<'closed'>> {
  readonly children?: ReadonlyArray<StoredClosing<RecordOf<'child'>>>;
}

/**
 * The journal records of a closed execution: its history, in `history`
 * records each of a bounded size, then the `closed` record: how it ended, which
 * history records hold its history, and what a redrive keeps of it.
 * @internal
 */
export function* closingRecords(record: ExecutionRecord, kept?: KeptChildren): Generator<JournalRecord> {
  const { status, stopDate } = record;
  // Only a bug gets here: the closing of an execution that has not ended.
  if (status === 'RUNNING' || stopDate === undefined) throw new Error(`execution ${record.arn} has not ended (${status}), so it has no closing to journal`);
  const children = record.completedChildren;
  // The history's records first; what it returns says which records hold it.
  const history = yield* historyRecords(randomUUID(), new ExecutionHistory(record));
  yield {
    t: 'closed' as const,
    arn: record.arn,
    status,
    stopDate,
    output: record.output,
    error: record.error,
    cause: record.cause,
    history,
    // The time the redrive was asked for; its ExecutionRedriven event is stamped when the run starts, a moment later.
    ...(record.redriveDate !== undefined ? { redriveDate: record.redriveDate } : {}),
    ...(children ? {
      completedChildren: {
        state: children.state, outputs: [...children.outputs], ...(children.mapRunArn !== undefined ? { mapRunArn: children.mapRunArn } : {}),
      },
    } : {}),
    ...(kept ? mapRunsField(record, kept) : {}),
  };
}

/** The fields of MapRunCounts a `closed` record keeps of each Map Run, with the children it started. */
const COUNT_FIELDS = ['total', 'running', 'succeeded', 'failed', 'timedOut', 'aborted', 'resultsWritten', 'maxConcurrency', 'toleratedFailurePercentage', 'toleratedFailureCount'] as const;
/** The fields of MapRunCounts.items a `closed` record keeps. */
const ITEM_FIELDS = ['total', 'running', 'succeeded', 'failed', 'timedOut', 'aborted', 'resultsWritten'] as const;

/** True for a count a `closed` record can hold: a finite number, at least 0. */
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The tally of `value` (a record's counts, or their `items`), each field checked; undefined when one is not a count. */
function tallyOf(value: unknown): MapRunItemTally | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  // Any object has these fields, each possibly absent and of any type until checked.
  const fields: { readonly [K in keyof MapRunItemTally]?: unknown } = value;
  const { total, running, succeeded, failed, aborted, resultsWritten } = fields;
  // A journal written before children's time-outs were counted apart has no `timedOut`: none then.
  const timedOut = fields.timedOut === undefined ? 0 : fields.timedOut;
  const counted = isCount(total) && isCount(running) && isCount(succeeded) && isCount(failed) && isCount(timedOut) && isCount(aborted)
    && isCount(resultsWritten);
  if (!counted) return undefined;
  return { total, running, succeeded, failed, timedOut, aborted, resultsWritten };
}

/** What a closing reads of the child executions serve keeps (the store). @internal */
export interface KeptChildren {
  /** How many child executions a Map Run started. */
  startedOf(mapRunArn: string): number;
  /** The execution of this ARN (a child one too), if the server keeps it. */
  findExecution(arn: string): ExecutionRecord | undefined;
}

/**
 * What the Map Runs of an execution the user started counted, as its `closed` record keeps them
 * (none for a child, or without Map Runs): those of the execution and of the children kept, so
 * that a Map Run inside each of a million children adds no million entries.
 */
function mapRunsField(record: ExecutionRecord, kept: KeptChildren): { mapRuns?: unknown[] } {
  if (record.mapRun) return {};
  const runs: unknown[] = [];
  for (const [arn, counts] of mapRunsOf(record)) {
    if (counts.executionArn === record.arn || kept.findExecution(counts.executionArn)) runs.push({ ...counts, arn, started: kept.startedOf(arn) });
  }
  return runs.length > 0 ? { mapRuns: runs } : {};
}

/**
 * The Map Runs a `closed` record's `mapRuns` kept, by ARN, with the children each started.
 * @throws Error naming the entry that is not one
 * @internal
 */
export function readMapRuns(value: unknown): Map<string, { readonly counts: Readonly<MapRunCounts>; readonly started: number }> {
  const out = new Map<string, { counts: MapRunCounts; started: number }>();
  if (value === undefined || value === null) return out;
  const entries = Array.isArray(value) ? value as unknown[] : [value];
  entries.forEach((entry, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const tally = tallyOf(entry);
    const { maxConcurrency, toleratedFailurePercentage, toleratedFailureCount, started } = e;
    if (typeof entry !== 'object' || typeof e.arn !== 'string' || typeof e.stateName !== 'string' || typeof e.executionArn !== 'string' || tally === undefined
      || !isCount(maxConcurrency) || !isCount(toleratedFailurePercentage) || !isCount(toleratedFailureCount) || !isCount(started)) {
      throw new Error(`its field 'mapRuns' holds an entry (${i}) that is not a Map Run's counts: {arn, stateName, executionArn, ${COUNT_FIELDS.join(', ')}, started}`);
    }
    const counts: MapRunCounts = {
      stateName: e.stateName, executionArn: e.executionArn, ...tally, maxConcurrency, toleratedFailurePercentage, toleratedFailureCount,
    };
    // With an ItemBatcher, the items of the children's batches (MapRunCounts.items).
    if (e.items !== undefined) {
      const items = tallyOf(e.items);
      if (items === undefined) throw new Error(`its field 'mapRuns' holds an entry (${i}) whose items are not counts: {${ITEM_FIELDS.join(', ')}}`);
      counts.items = items;
    }
    out.set(e.arn, { counts, started });
  });
  return out;
}

/**
 * The history a `closed` record names, read back.
 * @throws Error saying what is wrong with it, when it cannot be read
 * @internal
 */
export function readClosedHistory(closed: StoredClosing<RecordOf<'closed' | 'child'>>): HistoryRecorder {
  const ref = closed.record.history;
  if (Array.isArray(ref)) return readRenderedHistory(ref);
  const stored = storedHistoryOf(ref);
  if (!stored) throw new Error('its field \'history\' is neither a list of events nor {id, parts, events}');
  return readHistory(stored, closed.history);
}

/** The history records a `closed` record's `history` names, when it names them as {id, parts, events}. @internal */
export function storedHistoryOf(ref: unknown): StoredHistoryRef | undefined {
  if (ref === null || typeof ref !== 'object' || Array.isArray(ref)) return undefined;
  const { id, parts, events } = ref as Partial<Record<keyof StoredHistoryRef, unknown>>;
  return typeof id === 'string' && typeof parts === 'number' && typeof events === 'number' ? { id, parts, events } : undefined;
}

/** Puts a closed execution's ending, read back from its `closed` record and history, on its record. @internal */
export function restoreClosed(record: ExecutionRecord, closed: RecordOf<'closed'>, history: HistoryRecorder): void {
  // Checked before anything changes by JournalReplay.readClosed.
  const runs = readMapRuns(closed.mapRuns);
  record.status = closed.status;
  record.stopDate = closed.stopDate;
  record.output = closed.output ?? undefined;
  record.error = closed.error ?? undefined;
  record.cause = closed.cause ?? undefined;
  if (runs.size > 0) record.restoredMapRuns = new Map([...runs].map(([arn, run]) => [arn, run.counts]));
  const children = closed.completedChildren;
  if (children) {
    // A redrive resumes the Map Run the execution failed in, under its ARN (a journal written before ARNs were kept starts a new one).
    const mapRunArn = typeof children.mapRunArn === 'string' ? { mapRunArn: children.mapRunArn } : {};
    record.completedChildren = { state: children.state, outputs: new Map(children.outputs), ...mapRunArn };
  }
  record.segments.push(history);
  // A redrive after the restart runs on from where this execution ended, which waits at --time-scale may have put ahead of the server's time.
  record.clock.replayTo(record.stopDate);
  let redrives = 0;
  let lastRedrive: number | undefined;
  for (let i = 0; i < history.length; i++) {
    if (history.typeAt(i) !== 'ExecutionRedriven') continue;
    redrives++;
    lastRedrive = history.recordedAt(i).timestamp;
  }
  record.redriveCount = redrives;
  if (lastRedrive !== undefined) record.redriveDate = closed.redriveDate ?? lastRedrive;
}
