import { detailsOf, stateNameOf } from '../asl/history-events';

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
