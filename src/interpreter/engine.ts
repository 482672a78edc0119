import { StatesError } from '../asl/errors';
import { type JsonObject, type JsonValue, type StateType } from '../asl/types';
import { errorMatches, findCatcher, retryDelayMs, type CompiledRetrier } from './retry';
import { isoTime, isStopped, type AttemptResult, type Failure, type Frame, type StateCall } from './runtime';
import { jsonByteLength } from './size';

/** Handles a caught error: the output and next state, and variables to assign. @internal */
export interface CompiledCatcher {
  readonly ErrorEquals: readonly string[];
  readonly next: string;
  /** Builds the catcher's output from the state's raw input and the error output. */
  handle(rawInput: JsonValue, errorOutput: JsonObject, call: StateCall): AttemptResult | Promise<AttemptResult>;
}

/** A state compiled once: everything it needs to run, as closures. @internal */
export interface CompiledState {
  readonly name: string;
  readonly type: StateType;
  /** JSON pointer of the state in the definition. */
  readonly location: string;
  readonly enteredEvent: string;
  readonly exitedEvent: string | undefined;
  readonly retriers: readonly CompiledRetrier[];
  readonly catchers: readonly CompiledCatcher[];
  /** True for the state types that may have Retry (Task, Parallel, Map). */
  readonly retriable: boolean;
  /** One attempt of the state's work, after it is entered and before it exits. */
  attempt(input: JsonValue, call: StateCall): AttemptResult | Promise<AttemptResult>;
}

/** A state machine, a Parallel branch or a Map item processor, compiled. @internal */
export interface CompiledMachine {
  readonly startAt: string;
  readonly states: ReadonlyMap<string, CompiledState>;
}

/** How a run of states ended. @internal */
export type RunOutcome =
  | { readonly ok: true; readonly output: JsonValue }
  | { readonly ok: false; readonly failure: Failure };

const STOPPED: RunOutcome = { ok: false, failure: { error: 'States.Stopped', cause: undefined } };

/**
 * Runs a (sub)machine from its start state until it ends or fails. States
 * whose work is synchronous (Pass, Choice, Succeed, Fail) run without
 * awaiting, so a long chain costs no promise hops.
 * @internal
 */
export async function runMachine(machine: CompiledMachine, input: JsonValue, frame: Frame): Promise<RunOutcome> {
  let state = machine.states.get(machine.startAt)!;
  let value = input;
  const rt = frame.rt;
  for (;;) {
    if (isStopped(frame)) return STOPPED;
    if (++rt.transitions > rt.maxTransitions) {
      rt.limitFailure ??= { error: 'States.Runtime', cause: `The execution entered more than ${rt.maxTransitions} states (limits.maxTransitions); is there an endless loop?` };
      return { ok: false, failure: rt.limitFailure };
    }
    rt.path.push(state.name);
    const enteredEventId = addEvent(frame, state.enteredEvent, 'stateEnteredEventDetails', { name: state.name, input: value });
    if (enteredEventId < 0) return { ok: false, failure: rt.limitFailure! };
    let result = runState(state, value, frame, enteredEventId);
    if (result instanceof Promise) result = await result;
    if (!result.ok) return result;
    if (result.next === undefined) return { ok: true, output: result.output };
    value = result.output;
    state = machine.states.get(result.next)!;
  }
}

type StateRun = { ok: true; output: JsonValue; next: string | undefined } | { ok: false; failure: Failure };

/** Adds an event to the frame; -1 when the history limit is reached. @internal */
export function addEvent(frame: Frame, type: string, detailsKey?: string, details?: Record<string, unknown>): number {
  const rt = frame.rt;
  if (++rt.eventCount > rt.maxHistoryEvents) {
    rt.limitFailure ??= {
      error: 'States.Runtime',
      cause: `The execution reached the maximum number of history events (${rt.maxHistoryEvents}).`,
    };
    return -1;
  }
  const id = rt.recordHistory ? rt.history.add(type, frame.lastEventId, detailsKey, details) : rt.eventCount;
  frame.lastEventId = id;
  return id;
}

function makeCall(state: CompiledState, frame: Frame, enteredEventId: number): StateCall {
  const rt = frame.rt;
  const enteredTime = rt.clock.now();
  let context: JsonObject | undefined;
  let contextRetry = -1;
  const call: StateCall = {
    frame,
    stateName: state.name,
    stateType: state.type,
    enteredEventId,
    enteredTime,
    retryCount: 0,
    context() {
      if (context === undefined || contextRetry !== call.retryCount) {
        const stateInfo: JsonObject = { EnteredTime: isoTime(enteredTime), Name: state.name };
        // AWS shows RetryCount only for the states that can retry.
        if (state.retriable) stateInfo.RetryCount = call.retryCount;
        context = { Execution: rt.contextExecution, State: stateInfo, StateMachine: rt.contextStateMachine };
        if (frame.mapItem) context.Map = { Item: frame.mapItem };
        contextRetry = call.retryCount;
      }
      return context;
    },
    event(type, detailsKey, details) {
      return addEvent(frame, type, detailsKey, details);
    },
  };
  return call;
}

/** Runs one state: its attempts, retries and catchers. @internal */
function runState(state: CompiledState, input: JsonValue, frame: Frame, enteredEventId: number): StateRun | Promise<StateRun> {
  const call = makeCall(state, frame, enteredEventId);
  const first = tryAttempt(state, input, call);
  if (first instanceof Promise) return first.then((r) => settle(state, input, call, r, undefined));
  return settle(state, input, call, first, undefined);
}

type Attempted = { ok: true; result: AttemptResult } | { ok: false; error: StatesError };

function tryAttempt(state: CompiledState, input: JsonValue, call: StateCall): Attempted | Promise<Attempted> {
  try {
    const r = state.attempt(input, call);
    if (r instanceof Promise) return r.then(ok, (e: unknown) => failed(toStatesError(e)));
    return { ok: true, result: r };
  } catch (e) {
    return failed(toStatesError(e));
  }
}

const ok = (result: AttemptResult): Attempted => ({ ok: true, result });
const failed = (error: StatesError): Attempted => ({ ok: false, error });

/** Turns anything thrown into a StatesError: its name is the error, its message the cause. @internal */
export function toStatesError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  if (e instanceof Error) {
    if (e.name === 'PathSyntaxError' || e.name === 'ResultPathError') return new StatesError('States.Runtime', e.message);
    return new StatesError(e.name || 'Error', e.message);
  }
  return new StatesError('Error', typeof e === 'string' ? e : JSON.stringify(e ?? null));
}

function settle(state: CompiledState, input: JsonValue, call: StateCall, attempted: Attempted, counters: number[] | undefined): StateRun | Promise<StateRun> {
  const frame = call.frame;
  if (attempted.ok) {
    const { output, next, assign } = attempted.result;
    const limit = checkPayload(frame, output, state);
    if (limit) return fail(state, call, limit);
    if (assign) frame.variables.assign(assign);
    if (state.exitedEvent) addEvent(frame, state.exitedEvent, 'stateExitedEventDetails', { name: state.name, output });
    return { ok: true, output, next };
  }
  const err = attempted.error;
  if (isStopped(frame)) return { ok: false, failure: { error: err.error, cause: err.cause } };
  const cause = err.inState
    ? `An error occurred while executing the state '${state.name}' (entered at the event id #${call.enteredEventId}). ${err.cause ?? ''}`
    : err.cause;
  if (err.error === 'States.QueryEvaluationError') {
    addEvent(frame, 'EvaluationFailed', 'evaluationFailedEventDetails', { error: err.error, cause, state: state.name });
  }
  // Retry
  if (state.retriers.length > 0) {
    for (let i = 0; i < state.retriers.length; i++) {
      const r = state.retriers[i];
      if (!errorMatches(r.errorEquals, err.error)) continue;
      counters ??= new Array<number>(state.retriers.length).fill(0);
      if (counters[i] >= r.maxAttempts) break;
      const delay = retryDelayMs(r, counters[i], frame.rt.random.next);
      counters[i]++;
      call.retryCount++;
      const c = counters;
      const again = () => {
        if (isStopped(frame)) return { ok: false as const, failure: { error: err.error, cause } };
        const next = tryAttempt(state, input, call);
        return next instanceof Promise ? next.then((a) => settle(state, input, call, a, c)) : settle(state, input, call, next, c);
      };
      if (delay <= 0) return again();
      return frame.rt.clock.sleepUntil(frame.rt.clock.now() + delay, frame.group?.controller.signal).then(again);
    }
  }
  // Catch
  const catcher = findCatcher(state.catchers, err.error);
  if (catcher) {
    const errorOutput: JsonObject = { Error: err.error, Cause: cause ?? null };
    if (cause === undefined) delete errorOutput.Cause;
    let handled: AttemptResult | Promise<AttemptResult>;
    try {
      handled = catcher.handle(input, errorOutput, call);
    } catch (e) {
      return failFromError(state, call, toStatesError(e));
    }
    const finish = (h: AttemptResult): StateRun => {
      if (h.assign) frame.variables.assign(h.assign);
      if (state.exitedEvent) addEvent(frame, state.exitedEvent, 'stateExitedEventDetails', { name: state.name, output: h.output });
      return { ok: true, output: h.output, next: catcher.next };
    };
    if (handled instanceof Promise) return handled.then(finish, (e: unknown) => failFromError(state, call, toStatesError(e)));
    return finish(handled);
  }
  return { ok: false, failure: { error: err.error, cause } };
}


function failFromError(state: CompiledState, call: StateCall, err: StatesError): StateRun {
  const cause = err.inState
    ? `An error occurred while executing the state '${state.name}' (entered at the event id #${call.enteredEventId}). ${err.cause ?? ''}`
    : err.cause;
  if (err.error === 'States.QueryEvaluationError') {
    addEvent(call.frame, 'EvaluationFailed', 'evaluationFailedEventDetails', { error: err.error, cause, state: state.name });
  }
  return { ok: false, failure: { error: err.error, cause } };
}

function fail(_state: CompiledState, _call: StateCall, failure: Failure): StateRun {
  return { ok: false, failure };
}

function checkPayload(frame: Frame, output: JsonValue, state: CompiledState): Failure | undefined {
  const max = frame.rt.maxPayloadBytes;
  if (output !== null && typeof output === 'object' && jsonByteLength(output) > max) {
    return {
      error: 'States.DataLimitExceeded',
      cause: `The state/task '${state.name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    };
  }
  if (typeof output === 'string' && output.length * 3 > max && jsonByteLength(output) > max) {
    return {
      error: 'States.DataLimitExceeded',
      cause: `The state/task '${state.name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    };
  }
  return undefined;
}
