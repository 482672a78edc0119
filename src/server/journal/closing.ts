/*
 * The closing of an execution in the journal: its history, in `history`
 * records, then the `closed` record that says how it ended and names them. The
 * runner writes them when an execution ends, compaction writes them anew from
 * memory, and restore reads them back onto the execution's record.
 */
import { randomUUID } from 'node:crypto';
import type { JournalRecord } from './format';
import type { JsonValue } from '../../asl/definition-types';
import type { HistoryRecorder } from '../../interpreter/history-recorder';
import { ExecutionHistory } from '../execution-history';
import { historyRecords, readHistory, readRenderedHistory, type StoredHistoryRef } from '../history-store';
import type { ExecutionRecord } from '../model';

/** A `closed` record read back, its index among the records, and the `history` records it names. @internal */
export interface ClosedRecord {
  readonly record: JournalRecord;
  readonly index: number;
  /** The history records with its history's id, in order; for a closing written before they existed, its inline events. */
  readonly history: readonly JournalRecord[] | readonly unknown[];
}

/**
 * The journal records of a closed execution: its history, in `history`
 * records each of a bounded size, then the `closed` record: how it ended, which
 * history records hold its history, and what a redrive keeps of it.
 * @internal
 */
export function* closingRecords(record: ExecutionRecord): Generator<JournalRecord> {
  const children = record.completedChildren;
  const history = historyRecords(randomUUID(), new ExecutionHistory(record));
  let next = history.next();
  while (!next.done) {
    yield next.value;
    next = history.next();
  }
  yield {
    t: 'closed',
    arn: record.arn,
    status: record.status,
    stopDate: record.stopDate,
    output: record.output,
    error: record.error,
    cause: record.cause,
    history: next.value,
    // The time the redrive was asked for; its ExecutionRedriven event is stamped when the run starts, a moment later.
    ...(record.redriveDate !== undefined ? { redriveDate: record.redriveDate } : {}),
    ...(children ? {
      completedChildren: {
        state: children.state, outputs: [...children.outputs], ...(children.mapRunArn !== undefined ? { mapRunArn: children.mapRunArn } : {}),
      },
    } : {}),
  };
}

/**
 * The history a `closed` record names, read back.
 * @throws Error saying what is wrong with it, when it cannot be read
 * @internal
 */
export function readClosedHistory(closed: ClosedRecord): HistoryRecorder {
  const ref = closed.record.history;
  if (Array.isArray(ref)) return readRenderedHistory(ref);
  const stored = ref as Partial<StoredHistoryRef> | null;
  if (stored === null || typeof stored !== 'object' || typeof stored.id !== 'string' || typeof stored.parts !== 'number' || typeof stored.events !== 'number') {
    throw new Error('its field \'history\' is neither a list of events nor {id, parts, events}');
  }
  return readHistory(stored as StoredHistoryRef, closed.history as readonly JournalRecord[]);
}

/** Puts a closed execution's ending, read back from its `closed` record and history, on its record. @internal */
export function restoreClosed(record: ExecutionRecord, closed: JournalRecord, history: HistoryRecorder): void {
  record.status = closed.status as ExecutionRecord['status'];
  record.stopDate = closed.stopDate as number;
  record.output = (closed.output ?? undefined) as string | undefined;
  record.error = (closed.error ?? undefined) as string | undefined;
  record.cause = (closed.cause ?? undefined) as string | undefined;
  const children = closed.completedChildren as { state: string; outputs: Array<[number, JsonValue]>; mapRunArn?: unknown } | undefined;
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
  if (lastRedrive !== undefined) record.redriveDate = (closed.redriveDate as number | undefined) ?? lastRedrive;
}
