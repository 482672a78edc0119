/*
 * The closing of a Map Run's child execution in the journal: its history, in
 * `history` records, then a `child` record that says how it ended, where it
 * is listed and which run of the execution the user started (its root) it
 * ended in. Only the children a Map Run keeps are written (its first
 * CHILDREN_KEPT, map-runs.ts), so a Map Run of a million items journals a
 * thousand children, as serve keeps a thousand in memory.
 *
 * The root's own closing covers them: restore reads a child back with its root
 * (applyStart), and only from a run of the root that closed, so a root still
 * running when the server stopped runs again from its start with no child read
 * back twice: its children run again with it, under the same ARNs.
 */
import { randomUUID } from 'node:crypto';
import { readMapRuns, type ClosedRecord, type StoredClosing } from './closing';
import type { JournalReplay } from './restore';
import type { HistoryRecorder } from '../../interpreter/history-recorder';
import { ExecutionHistory } from '../execution-history';
import { historyRecords } from '../history-store';
import { childRevision, mapRunsOf, rootOf } from '../map-runs';
import type { ExecutionRecord } from '../model';
import type { JournalRecord, RecordOf } from '../records';
import type { ResourceStore } from '../store';

/**
 * The journal records of a child execution that has ended: its history, in `history` records,
 * then its `child` record.
 * @internal
 */
export function* childClosingRecords(child: ExecutionRecord): Generator<JournalRecord> {
  const link = child.mapRun;
  const { status, stopDate } = child;
  // Only a bug gets here: a child that has not ended, or an execution that is no child.
  if (!link || status === 'RUNNING' || stopDate === undefined) throw new Error(`execution ${child.arn} is no child execution that has ended (${status})`);
  const root = rootOf(child);
  // The history's records first; what it returns says which records hold it.
  const history = yield* historyRecords(randomUUID(), new ExecutionHistory(child));
  yield {
    t: 'child',
    arn: child.arn,
    root: root.arn,
    parent: link.parent.arn,
    mapRunArn: link.mapRunArn,
    stateMachineArn: link.stateMachineArn,
    state: link.state,
    name: child.name,
    input: child.input,
    startDate: child.startDate,
    itemCount: link.itemCount,
    type: link.type,
    seq: link.seq,
    attempt: root.redriveCount + 1,
    status,
    stopDate,
    output: child.output,
    error: child.error,
    cause: child.cause,
    history,
    ...(child.redriveDate !== undefined ? { redriveDate: child.redriveDate } : {}),
  };
}

/**
 * The closings of the children kept of a closed root's Map Runs, written anew from memory
 * (compaction), before the root's own closing.
 * @internal
 */
export function* keptChildClosings(root: ExecutionRecord, childrenOf: (mapRunArn: string) => readonly ExecutionRecord[]): Generator<JournalRecord> {
  for (const arn of mapRunsOf(root).keys()) {
    for (const child of childrenOf(arn)) if (child.status !== 'RUNNING') yield* childClosingRecords(child);
  }
}

/**
 * Reads back the children a root restored from its closing kept: those of the runs its closing
 * covers (a `child` record of a later run belongs to a run that runs again), the latest closing
 * of each, listed under their Map Runs in the order they started. A child whose parent is not
 * kept (a child of a child the Map Run forgot) cannot be linked to it and is not read back.
 * @internal
 */
export function restoreChildren(store: ResourceStore, replay: JournalReplay, root: ExecutionRecord, closed: ClosedRecord): void {
  const runs = readMapRuns(closed.record.mapRuns);
  const latest = new Map<string, StoredClosing<RecordOf<'child'>>>();
  for (const c of closed.children ?? []) {
    if (c.record.attempt <= root.redriveCount + 1 && runs.has(c.record.mapRunArn)) latest.set(c.record.arn, c);
  }
  // The children of one Map Run share their parent, which, for a Map Run inside a child, is read back in an earlier round.
  const byRun = new Map<string, Array<StoredClosing<RecordOf<'child'>>>>();
  for (const c of latest.values()) {
    const list = byRun.get(c.record.mapRunArn) ?? [];
    list.push(c);
    byRun.set(c.record.mapRunArn, list);
  }
  for (;;) {
    let progress = false;
    for (const [arn, list] of byRun) {
      const parent = store.findExecution(list[0].record.parent);
      if (!parent) continue;
      byRun.delete(arn);
      progress = true;
      for (const c of list.sort((a, b) => a.record.seq - b.record.seq)) {
        const history = replay.readClosed(c);
        if (history) store.restoreChild(childOf(parent, root, c.record, history), runs.get(arn)!.started);
      }
    }
    if (!progress) return;
  }
}

/** The record of a child execution read back from its `child` record and history. */
function childOf(parent: ExecutionRecord, root: ExecutionRecord, r: RecordOf<'child'>, history: HistoryRecorder): ExecutionRecord {
  let redrives = 0;
  for (let i = 0; i < history.length; i++) if (history.typeAt(i) === 'ExecutionRedriven') redrives++;
  return {
    arn: r.arn,
    name: r.name,
    machine: parent.machine,
    revision: childRevision(parent.revision, r.state),
    input: r.input,
    seed: parent.seed,
    startDate: r.startDate,
    express: false,
    invocations: new Map(),
    calls: new Map(),
    clock: root.clock,
    status: r.status,
    stopDate: r.stopDate,
    output: r.output ?? undefined,
    error: r.error ?? undefined,
    cause: r.cause ?? undefined,
    redriveCount: redrives,
    ...(r.redriveDate !== undefined && r.redriveDate !== null ? { redriveDate: r.redriveDate } : {}),
    segments: [history],
    done: Promise.resolve(),
    mapRun: { mapRunArn: r.mapRunArn, stateMachineArn: r.stateMachineArn, parent, itemCount: r.itemCount, type: r.type, state: r.state, seq: r.seq },
  };
}
