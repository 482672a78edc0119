/**
 * How an execution history is read: the shapes of GetExecutionHistory's
 * events and what their types say. The interpreter writes histories in this
 * shape; the coverage trace, explore, render, cost, the harness and replay
 * read them (and histories recorded on AWS) with these words, so that they
 * read them alike.
 */

/** One event of an execution history, shaped as GetExecutionHistory returns it. */
export interface HistoryEvent {
  readonly timestamp: Date;
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly [details: string]: unknown;
}

/**
 * What the readers here need of an event: its type, and its other fields by
 * name. An interpreter's event, a harness run's, one recorded on AWS or
 * parsed from a user's file all fit.
 * @internal
 */
export interface EventLike {
  readonly type: string;
}

/**
 * The details field of an event, by its type: `TaskScheduled` →
 * `taskScheduledEventDetails`; every `…StateEntered` and `…StateExited`
 * event keeps its details in `stateEnteredEventDetails` and
 * `stateExitedEventDetails`.
 * @internal
 */
export function detailsKeyOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

/**
 * The details of an event (its own field that its type names), or undefined
 * when it has none. Only that one field is read, as data: a history from a
 * user's file cannot make `constructor` or `__proto__` a detail.
 * @internal
 */
export function detailsOf(e: EventLike): Readonly<Record<string, unknown>> | undefined {
  const key = detailsKeyOf(e.type);
  const d = Object.hasOwn(e, key) ? (e as unknown as Record<string, unknown>)[key] : undefined;
  return d !== null && typeof d === 'object' && !Array.isArray(d) ? d as Record<string, unknown> : undefined;
}

/** A state was entered: `TaskStateEntered`, `MapStateEntered`, ... @internal */
export function isEntered(e: EventLike): boolean {
  return e.type.endsWith('StateEntered');
}

/** A state exited: `TaskStateExited`, `MapStateExited`, ... @internal */
export function isExited(e: EventLike): boolean {
  return e.type.endsWith('StateExited');
}

/** The state a `…StateEntered` or `…StateExited` event names; undefined for any other event. @internal */
export function stateNameOf(e: EventLike): string | undefined {
  if (!isEntered(e) && !isExited(e)) return undefined;
  const name = detailsOf(e)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The error an event records (`taskFailedEventDetails.error`, ...), when it records one. @internal */
export function errorOf(e: EventLike): string | undefined {
  const error = detailsOf(e)?.error;
  return typeof error === 'string' ? error : undefined;
}

/** Events that schedule one call of a Task's resource: the n-th of a state is its n-th invocation. @internal */
export const TASK_SCHEDULED: ReadonlySet<string> = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);

/** Events that end a Task's call successfully, carrying its result (`output`). @internal */
export const TASK_SUCCEEDED: ReadonlySet<string> = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded', 'ActivitySucceeded']);

/** A Task's attempt failing; AWS follows the one that fails a branch with the state's `TaskStateAborted`. @internal */
export const TASK_FAILURE = /^(Task|LambdaFunction|Activity)(Failed|TimedOut|StartFailed|SubmitFailed|ScheduleFailed)$/;

/**
 * Events that start one attempt at a state's work: a Task's call, or a
 * Parallel's or Map's branches. A second one in a visit is a retry.
 * @internal
 */
export const ATTEMPT_STARTS: ReadonlySet<string> = new Set([...TASK_SCHEDULED, 'ParallelStateStarted', 'MapStateStarted']);

/** Events that end an execution other than by success. @internal */
export const EXECUTION_UNSUCCESSFUL: ReadonlySet<string> = new Set(['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/** How a Map iteration or a Map Run went, by the event that says so. @internal */
export type MapEventKind = 'started' | 'succeeded' | 'failed' | 'aborted';

/** Map iterations' events by what they say. Event types are a history's strings: a `Map`, so `constructor` is no event. @internal */
export const MAP_ITERATION_EVENTS: ReadonlyMap<string, MapEventKind> = new Map<string, MapEventKind>([
  ['MapIterationStarted', 'started'], ['MapIterationSucceeded', 'succeeded'], ['MapIterationFailed', 'failed'], ['MapIterationAborted', 'aborted'],
]);

/**
 * A DISTRIBUTED Map's Map Run events by what they say. A redriven Map Run (MapRunRedriven) is
 * counted as another attempt of its Map state, as a second MapRunStarted would be. @internal
 */
export const MAP_RUN_EVENTS: ReadonlyMap<string, MapEventKind> = new Map<string, MapEventKind>([
  ['MapRunStarted', 'started'], ['MapRunRedriven', 'started'], ['MapRunSucceeded', 'succeeded'], ['MapRunFailed', 'failed'], ['MapRunAborted', 'aborted'],
]);
