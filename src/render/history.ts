import { RenderError } from './render-error';
import { detailsOf, stateNameOf } from '../asl/history-events';
import { AwsLimits } from '../asl/limits';

/**
 * One event of an execution history, as GetExecutionHistory returns it
 * (`stepwright run --json --history` and `aws stepfunctions
 * get-execution-history` both fit). Only the fields the overlay reads are named; its details
 * are read by the type it names, as `stepwright/interpreter`'s `HistoryEvent` types them.
 */
export interface HistoryEventLike {
  readonly id: number;
  readonly previousEventId?: number;
  readonly type: string;
  /** `stepwright run --json --history` names the state of an event here. */
  readonly state?: string;
}

/** The state an entered or exited event names. @internal */
export function nameOf(e: HistoryEventLike): string | undefined {
  return typeof e.state === 'string' ? e.state : stateNameOf(e);
}

/** The Map state a `MapIteration*` event belongs to: its details name it (`state` in `stepwright run --json --history`). @internal */
export function iterationMap(e: HistoryEventLike): string | undefined {
  if (typeof e.state === 'string') return e.state;
  const name = detailsOf(e)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * A run's `history` or `events` (an array, checked before), refused past the 25,000 events an
 * execution's history holds on AWS (its quota, docs/limits.md): a longer list is no history, and
 * drawing it would cost a pass, and records, per event (a million took 3 s and 690 MB).
 * @throws RenderError naming the count
 * @internal
 */
export function withinHistoryLimit(events: unknown, key: string): unknown[] | undefined {
  const list = events as unknown[] | undefined;
  if (list !== undefined && list.length > AwsLimits.HISTORY_EVENTS) {
    throw new RenderError(`the run's '${key}' holds ${list.length} events, more than the ${AwsLimits.HISTORY_EVENTS} an execution's history holds on AWS`);
  }
  return list;
}
