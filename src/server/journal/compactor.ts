/*
 * What a compacted journal keeps: the records that rebuild the server's state
 * as it is now. compaction.ts replaces the file; this decides what goes in it.
 */
import { keptChildClosings } from './child-closing';
import { closingRecords, storedHistoryOf } from './closing';
import type { RawRecord } from './format';
import type { ExecutionRecord } from '../model';
import { checkRecord, unknownKind, type JournalRecord } from '../records';

/** What the compaction policy reads of the server's state. @internal */
export interface LiveState {
  /** The execution of this ARN, if the server keeps it. */
  execution(arn: string): ExecutionRecord | undefined;
  /** The child executions kept of a Map Run, in the order they started. */
  children(mapRunArn: string): readonly ExecutionRecord[];
  /** How many child executions a Map Run started. */
  started(mapRunArn: string): number;
  /** The execution whose Task waits on this task token, if it was issued since the start and its Task has not ended. */
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
 * keeps its start and its closing, written anew from memory (the closings of
 * the Map Run children it keeps, then its `history` records and its `closed`
 * record); its redrives, stops and task-token records are dropped, as a
 * closed execution does not run again on restart.
 * A running execution, which restart runs again, keeps all of its records (a
 * closing from before a redrive with the `history` records it names), but
 * only the last heartbeat of each token, the latest closing of each of its
 * children and the stops of its children.
 * @internal
 */
export function* liveRecords(state: LiveState, records: () => Iterable<RawRecord>): Generator<RawRecord> {
  const running = (arn: string): boolean => state.execution(arn)?.status === 'RUNNING';
  // A token not re-issued yet may belong to an execution still replaying its run from before a restart.
  const replaying = state.rerunning();
  // A record names its execution (`arn`) since the router forgets a token once its Task ends; one
  // written before it did is kept while its token's Task waits, or while any execution replays.
  const tokenLive = (token: string, arn: string | null | undefined): boolean => {
    if (typeof arn === 'string') return running(arn);
    const owner = state.tokenOwner(token);
    return owner ? owner.status === 'RUNNING' : replaying;
  };
  const lastHeartbeat = new Map<string, number>();
  const lastClosed = new Map<string, number>();
  const lastChild = new Map<string, number>();
  /** The history records of the closings kept: those of running executions redriven before. */
  const keptHistories = new Set<string>();
  let n = 0;
  for (const { record: r } of checked(records())) {
    if (r?.t === 'heartbeat') lastHeartbeat.set(r.token, n);
    if (r?.t === 'closed') lastClosed.set(r.arn, n);
    if (r?.t === 'child') lastChild.set(r.arn, n);
    n++;
  }
  n = 0;
  for (const { record: r } of checked(records())) {
    const stored = r?.t === 'closed' && running(r.arn) && lastClosed.get(r.arn) === n ? storedHistoryOf(r.history) : undefined;
    if (stored) keptHistories.add(stored.id);
    const child = r?.t === 'child' && keepsChild(r.root, r.arn, n) ? storedHistoryOf(r.history) : undefined;
    if (child) keptHistories.add(child.id);
    n++;
  }
  const closedExecutions: ExecutionRecord[] = [];
  n = 0;
  for (const { raw, record } of checked(records())) {
    const index = n++;
    if (record === undefined) {
      // Not one of the service's records (a newer stepwright's, or one the check refuses): kept as it is.
      yield raw;
      continue;
    }
    if (keeps(record, index)) yield record;
  }
  for (const e of closedExecutions) {
    // A closed execution's children first: its closing covers them (child-closing.ts).
    yield* keptChildClosings(e, state.children);
    yield* closingRecords(e, { startedOf: state.started, findExecution: state.execution });
  }
  // The latest server time, for a sped-up clock to go on from after a restart (see latestTime).
  yield { t: 'compacted', at: state.now() };

  /**
   * Whether the `child` record at `index` is kept: the latest of its child, while its root runs (a
   * closed root's children are written anew from memory, with its closing).
   */
  function keepsChild(root: string, arn: string, index: number): boolean {
    return running(root) && lastChild.get(arn) === index;
  }

  /** Whether the record at `index` is kept; a closed execution's start notes it, to write its closing anew. */
  function keeps(r: JournalRecord, index: number): boolean {
    switch (r.t) {
      case 'start': {
        const e = state.execution(r.arn);
        if (e && e.status !== 'RUNNING') closedExecutions.push(e);
        return e !== undefined;
      }
      case 'closed':
        return running(r.arn) && lastClosed.get(r.arn) === index;
      case 'history':
        return keptHistories.has(r.id);
      case 'stop':
        // A child's stop, while its root runs again from the journal (child-closing.ts).
        return running(r.arn) || (typeof r.root === 'string' && running(r.root));
      case 'redrive':
      case 'result':
        return running(r.arn);
      case 'heartbeat':
        return tokenLive(r.token, r.arn) && lastHeartbeat.get(r.token) === index;
      case 'callback':
      case 'delivered':
        return tokenLive(r.token, r.arn);
      case 'child':
        return keepsChild(r.root, r.arn, index);
      case 'compacted':
        return false;
      case 'machine':
      case 'update':
      case 'deleteMachine':
      case 'version':
      case 'deleteVersion':
      case 'alias':
      case 'deleteAlias':
      case 'tag':
      case 'untag':
      case 'activity':
      case 'deleteActivity':
      case 'mapRun':
        return true;
      default:
        return unknownKind(r);
    }
  }
}

/** Each record with its checked form (undefined when it is none of the service's records). */
function* checked(records: Iterable<RawRecord>): Generator<{ readonly raw: RawRecord; readonly record: JournalRecord | undefined }> {
  for (const raw of records) yield { raw, record: checkRecord(raw).record };
}
