/**
 * How an execution history is read: the shapes of GetExecutionHistory's
 * events and what their types say. The interpreter writes histories in this
 * shape; the coverage trace, explore, render, cost, the harness, serve and replay
 * read them (and histories recorded on AWS) with these words, so that they
 * read them alike. The types are generated from AWS's model
 * (history-event-types.ts); nothing else scans an event for its details.
 */
import {
  DETAILS_KEY_OF_TYPE, DETAILS_KEYS,
  type HistoryEventDetails, type HistoryEventDetailsKey, type HistoryEventType,
} from './history-event-types';

export type * from './history-event-types';

/** One event of an execution history, shaped as GetExecutionHistory returns it. */
export interface HistoryEvent extends HistoryEventDetails {
  readonly timestamp: Date;
  readonly type: HistoryEventType;
  readonly id: number;
  readonly previousEventId: number;
}

/**
 * What the readers here need of an event: its type, and its other fields by
 * name. An interpreter's event, a harness run's, one recorded on AWS or
 * parsed from a user's file all fit. Not internal: the public `resumePointOf`
 * takes it, so stripping it would break a consumer's skipLibCheck: false build.
 */
export interface EventLike {
  readonly type: string;
}

/**
 * The details member of an event, by its type as AWS's model has it: `TaskScheduled` →
 * `taskScheduledEventDetails`; every `…StateEntered` and `…StateExited` event keeps its
 * details in `stateEnteredEventDetails` and `stateExitedEventDetails`. Undefined for a type
 * without details, and for a type the model does not know.
 * @internal
 */
export function detailsKeyOf(type: string): HistoryEventDetailsKey | undefined {
  return Object.hasOwn(DETAILS_KEY_OF_TYPE, type) ? DETAILS_KEY_OF_TYPE[type as HistoryEventType] : undefined;
}

/** True when `type` is an event type of AWS's model; `__proto__` and `constructor` are none. @internal */
export function isEventType(type: string): type is HistoryEventType {
  return Object.hasOwn(DETAILS_KEY_OF_TYPE, type);
}

/** True when `key` names a details member of an event in AWS's model. @internal */
export function isDetailsKey(key: string): key is HistoryEventDetailsKey {
  return DETAILS_KEYS.has(key);
}

/**
 * An event as GetExecutionHistory gives it, put together from its parts: the envelope, then its
 * details under their member (none for a type without), in AWS's key order. The one place an
 * event is built, typed: details that are not `key`'s fail to compile.
 * @internal
 */
export function historyEvent<K extends HistoryEventDetailsKey>(
  timestamp: Date, type: HistoryEventType, id: number, previousEventId: number, key?: K, details?: HistoryEventDetails[K],
): HistoryEvent {
  // Its details are set on the envelope, not spread into a literal under a computed key: that literal
  // costs V8 a slower shape, and this runs for every event of every history read.
  const event: HistoryEvent = { timestamp, type, id, previousEventId };
  if (key !== undefined) (event as { -readonly [F in K]?: HistoryEventDetails[F] })[key] = details;
  return event;
}

/** The members of an event that are not details: the envelope every event has. @internal */
export const EVENT_ENVELOPE: ReadonlySet<string> = new Set(['timestamp', 'type', 'id', 'previousEventId']);

/**
 * The details of an event (its own member that its type names), or undefined
 * when it has none. Only that one member is read, as data: a history from a
 * user's file cannot make `constructor` or `__proto__` a detail.
 * @internal
 */
export function detailsOf(e: EventLike): Readonly<Record<string, unknown>> | undefined {
  const key = detailsKeyOf(e.type);
  if (key === undefined || !Object.hasOwn(e, key)) return undefined;
  const d: unknown = (e as Readonly<Partial<Record<HistoryEventDetailsKey, unknown>>>)[key];
  return d !== null && typeof d === 'object' && !Array.isArray(d) ? d as Readonly<Record<string, unknown>> : undefined;
}

/**
 * What readers take from an event's details, each only when it has the type AWS's model gives it:
 * the state or Map an event names (`name`, a Map iteration's `index`), the error and cause, the
 * payloads as JSON text (`input`, `output`, a Task's `parameters`) and a Task's `resource`.
 * @internal
 */
export interface EventFacts {
  readonly name?: string;
  readonly index?: number;
  readonly error?: string;
  readonly cause?: string;
  readonly input?: string;
  readonly output?: string;
  readonly parameters?: string;
  readonly resource?: string;
  readonly resourceType?: string;
}

const NO_FACTS: EventFacts = Object.freeze({});
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The facts of an event's details (see {@link EventFacts}); none for an event without details. @internal */
export function factsOf(e: EventLike): EventFacts {
  const d = detailsOf(e);
  if (d === undefined) return NO_FACTS;
  return {
    name: text(d.name),
    index: typeof d.index === 'number' ? d.index : undefined,
    error: text(d.error),
    cause: text(d.cause),
    input: text(d.input),
    output: text(d.output),
    parameters: text(d.parameters),
    resource: text(d.resource),
    resourceType: text(d.resourceType),
  };
}

/** The payloads an event carries as JSON text (input, output, a Task's parameters), in that order. @internal */
export const PAYLOAD_FIELDS = ['input', 'output', 'parameters'] as const;

/** UTF-16 characters of the payloads an event carries (its input, output and parameters). @internal */
export function payloadChars(e: EventLike): number {
  const f = factsOf(e);
  return (f.input?.length ?? 0) + (f.output?.length ?? 0) + (f.parameters?.length ?? 0);
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
