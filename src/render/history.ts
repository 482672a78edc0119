/**
 * One event of an execution history, as GetExecutionHistory returns it
 * (`stepwright run --json --history` and `aws stepfunctions
 * get-execution-history` both fit). Only the fields the overlay reads are named.
 */
export interface HistoryEventLike {
  readonly id: number;
  readonly previousEventId?: number;
  readonly type: string;
  /** `stepwright run --json --history` names the state of an event here. */
  readonly state?: string;
  readonly [details: string]: unknown;
}

/** Events that start one attempt of a Task's work; a second one in the same visit is a retry. @internal */
export const ATTEMPTS = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);
/** Events that end an execution other than by success. @internal */
export const FINAL = new Set(['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);
/** A Task's attempt failing; AWS follows the one that fails a branch with the state's `TaskStateAborted`. @internal */
export const TASK_FAILURE = /^(Task|LambdaFunction|Activity)(Failed|TimedOut|StartFailed|SubmitFailed|ScheduleFailed)$/;

/** The state an entered or exited event names. @internal */
export function nameOf(e: HistoryEventLike): string | undefined {
  if (typeof e.state === 'string') return e.state;
  const d = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: unknown } | undefined;
  return typeof d?.name === 'string' ? d.name : undefined;
}

/** @internal */
export const isEntered = (e: HistoryEventLike): boolean => e.type.endsWith('StateEntered');
/** @internal */
export const isExited = (e: HistoryEventLike): boolean => e.type.endsWith('StateExited');

/** The Map state a `MapIteration*` event belongs to: its details name it (`state` in `stepwright run --json --history`). @internal */
export function iterationMap(e: HistoryEventLike): string | undefined {
  if (typeof e.state === 'string') return e.state;
  const key = `${e.type.charAt(0).toLowerCase()}${e.type.slice(1)}EventDetails`;
  const name = (Object.hasOwn(e, key) ? e[key] as { name?: unknown } | undefined : undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}
/** Event types are a history's strings: a `Map`, so `constructor` is no event. @internal */
export const MAP_ITERATION_EVENTS = new Map<string, 'started' | 'succeeded' | 'failed' | 'aborted'>([
  ['MapIterationStarted', 'started'], ['MapIterationSucceeded', 'succeeded'], ['MapIterationFailed', 'failed'], ['MapIterationAborted', 'aborted'],
]);
/** @internal */
export const MAP_RUN_EVENTS = new Map<string, 'started' | 'succeeded' | 'failed' | 'aborted'>([
  ['MapRunStarted', 'started'], ['MapRunSucceeded', 'succeeded'], ['MapRunFailed', 'failed'], ['MapRunAborted', 'aborted'],
]);

/**
 * The error an event records (`taskFailedEventDetails.error`, ...), read
 * from the event's own details field only.
 * @internal
 */
export function errorOf(e: HistoryEventLike): string | undefined {
  const key = `${e.type.charAt(0).toLowerCase()}${e.type.slice(1)}EventDetails`;
  const error = (Object.hasOwn(e, key) ? e[key] as { error?: unknown } | undefined : undefined)?.error;
  return typeof error === 'string' ? error : undefined;
}
