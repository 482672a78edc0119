/*
 * What a compacted journal keeps: the records that rebuild the server's state
 * as it is now. compaction.ts replaces the file; this decides what goes in it.
 */
import { closingRecords } from './closing';
import type { JournalRecord } from './format';
import type { StoredHistoryRef } from '../history-store';
import type { ExecutionRecord } from '../model';

/** What the compaction policy reads of the server's state. @internal */
export interface LiveState {
  /** The execution of this ARN, if the server keeps it. */
  execution(arn: string): ExecutionRecord | undefined;
  /** The execution that issued this task token, if it has been issued since the start. */
  tokenOwner(token: string): ExecutionRecord | undefined;
  /** Whether an execution run again from the journal still runs, and may re-issue tokens not issued yet. */
  rerunning(): boolean;
  /** The server's time. */
  now(): number;
}

/**
 * The records that rebuild the state the journal's `records` describe, for
 * compacting it, yielded as they are written. Resources keep their records,
 * in order (version numbers and deletions depend on it). A closed execution
 * keeps its start and its closing, written anew from memory (`history`
 * records, then the `closed` record); its redrives, stops and task-token
 * records are dropped, as a closed execution does not run again on restart.
 * A running execution, which restart runs again, keeps all of its records (a
 * closing from before a redrive with the `history` records it names), but
 * only the last heartbeat of each token.
 * @internal
 */
export function* liveRecords(state: LiveState, records: () => Iterable<JournalRecord>): Generator<JournalRecord> {
  const running = (arn: unknown): boolean => state.execution(arn as string)?.status === 'RUNNING';
  // A token not re-issued yet may belong to an execution still replaying its run from before a restart.
  const replaying = state.rerunning();
  const tokenLive = (token: unknown): boolean => {
    const owner = state.tokenOwner(token as string);
    return owner ? owner.status === 'RUNNING' : replaying;
  };
  const lastHeartbeat = new Map<unknown, number>();
  const lastClosed = new Map<unknown, number>();
  /** The history records of the closings kept: those of running executions redriven before. */
  const keptHistories = new Set<string>();
  let n = 0;
  for (const r of records()) {
    if (r.t === 'heartbeat') lastHeartbeat.set(r.token, n);
    if (r.t === 'closed') lastClosed.set(r.arn, n);
    n++;
  }
  n = 0;
  for (const r of records()) {
    if (r.t === 'closed' && running(r.arn) && lastClosed.get(r.arn) === n) {
      const ref = r.history as StoredHistoryRef | unknown[];
      if (!Array.isArray(ref)) keptHistories.add(ref.id);
    }
    n++;
  }
  const closedExecutions: ExecutionRecord[] = [];
  n = 0;
  for (const r of records()) {
    const index = n++;
    switch (r.t) {
      case 'start': {
        const e = state.execution(r.arn as string);
        if (!e) continue;
        yield r;
        if (e.status !== 'RUNNING') closedExecutions.push(e);
        continue;
      }
      case 'closed':
        if (running(r.arn) && lastClosed.get(r.arn) === index) yield r;
        continue;
      case 'history':
        if (keptHistories.has(r.id as string)) yield r;
        continue;
      case 'redrive':
      case 'stop':
      case 'result':
        if (running(r.arn)) yield r;
        continue;
      case 'heartbeat':
        if (tokenLive(r.token) && lastHeartbeat.get(r.token) === index) yield r;
        continue;
      case 'callback':
      case 'delivered':
        if (tokenLive(r.token)) yield r;
        continue;
      case 'compacted':
        continue;
      default:
        yield r;
    }
  }
  for (const e of closedExecutions) yield* closingRecords(e);
  // The latest server time, for a sped-up clock to go on from after a restart (see latestTime).
  yield { t: 'compacted', at: state.now() };
}
