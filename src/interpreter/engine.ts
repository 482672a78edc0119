import type { RecordedDetails } from './history-recorder';
import { retryDelayMs, type CompiledRetrier } from './retry';
import { errorOfFailure, failureOf, LimitError, LimitFailure, RunFailure, TestSetupFailure } from './run-failure';
import { interrupted, isoTime, isStopped, type AttemptResult, type Failure, type Frame, type StateCall } from './runtime';
import { derivedByteLength, jsonByteLength } from './size';
import { type JsonObject, type JsonValue, type StateType } from '../asl';
import { errorMatches, findCatcher } from '../asl/error-rules';
import type { HistoryEventDetailsKey, HistoryEventType } from '../asl/history-events';
import { AwsLimits, EXPRESS_DURATION_WORDS } from '../asl/limits';
import { drawnValue } from '../asl/random';
import { InternalErrors, isTimeoutError, StatesErrors, StatesError } from '../asl/states-errors';

export { errorOfFailure, LimitFailure, RunFailure, TestSetupFailure };

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
  readonly enteredEvent: HistoryEventType;
  readonly exitedEvent: HistoryEventType | undefined;
  /** `ParallelStateFailed` / `MapStateFailed`: recorded once the state has failed for good (not before a retry). */
  readonly failedEvent: HistoryEventType | undefined;
  readonly retriers: readonly CompiledRetrier[];
  readonly catchers: readonly CompiledCatcher[];
  /** True for the state types that may have Retry (Task, Parallel, Map). */
  readonly retriable: boolean;
  /**
   * The same work as `attempt`, as a function of the input alone, for a state
   * that reads nothing else and can neither wait, retry, catch nor assign (a
   * JSONPath Pass whose paths all start at `$`); the engine then runs it
   * without the call object every other state gets. It throws as `attempt`
   * would: the engine then makes the call object and handles the error.
   */
  readonly plain: PlainStep | undefined;
  /** The state a plain state goes on to, or undefined when it ends its machine; set once the machine is compiled. */
  following: CompiledState | undefined;
  /** One attempt of the state's work, after it is entered and before it exits. */
  attempt(input: JsonValue, call: StateCall): AttemptResult | Promise<AttemptResult>;
}

/** A state's work as a function of its input alone (see CompiledState.plain). @internal */
export type PlainStep = (input: JsonValue, maxPayloadBytes: number) => JsonValue;

/** A state machine, a Parallel branch or a Map item processor, compiled. @internal */
export interface CompiledMachine {
  readonly startAt: string;
  readonly states: ReadonlyMap<string, CompiledState>;
  /** The state `startAt` names, found once: a Parallel or Map starts its machine once per branch or item. */
  readonly start: CompiledState;
}

/** How a run of states ended. @internal */
export type RunOutcome = RunSucceeded | RunFailed;

/*
 * The outcomes are classes, not object literals, for the same reason as the frame (see
 * newFrame): a literal's second instance would widen its fields' recorded types and throw
 * away the loop's optimized code at the start of the second execution.
 */

/** A run of states that ended well, with its output. @internal */
export class RunSucceeded {
  declare public readonly ok: true;
  declare public readonly output: JsonValue;
  constructor(output: JsonValue) {
    this.ok = true;
    // null first: V8 records the kind of object a field holds, and code optimized while every
    // output had one shape (a Map's iterations) would be thrown away when the execution's own
    // output, of another shape, arrives at the end. With two kinds seen, the field holds any.
    this.output = null;
    this.output = output;
  }
}

/** A run of states that failed. @internal */
export class RunFailed {
  declare public readonly ok: false;
  declare public readonly failure: Failure;
  constructor(failure: Failure) {
    this.ok = false;
    this.failure = failure;
  }
}

const STOPPED = new RunFailure(InternalErrors.STOPPED, undefined);

/**
 * Runs a (sub)machine from its start state until it ends or fails. States
 * whose work is synchronous (Pass, Choice, Succeed, Fail, and Tasks whose
 * handler answers at once) run in a plain loop with no promise at all; the
 * loop turns asynchronous only when a state does.
 * @internal
 */
export function runMachine(machine: CompiledMachine, input: JsonValue, frame: Frame): RunOutcome | Promise<RunOutcome> {
  return runFrom(machine, machine.start, input, frame, false);
}

/*
 * How the loop hands its output back. V8 optimizes the loop while it runs (on-stack
 * replacement, in the first execution of a long machine), before the loop has ever ended:
 * an operation there that has never run (a `new`, a call, a field store) has no type
 * feedback, and optimized code that reaches one is thrown away at once. Every execution
 * then ended by throwing the loop's optimized code away, and the next ran unoptimized while
 * V8 compiled it again (seq-pass-10k: 1.9 ms a run optimized, 16 ms not). So the loop ends
 * with nothing that needs feedback: it puts the output in a module variable (a context slot,
 * which V8 writes without feedback) and returns ENDED; runFrom, which has ended every
 * execution before, wraps it. Nothing runs between the return and the read.
 */
const ENDED: unique symbol = Symbol('ended');
let endedWith: JsonValue = null;

function runFrom(machine: CompiledMachine, first: CompiledState, input: JsonValue, frame: Frame, resumed: boolean): RunOutcome | Promise<RunOutcome> {
  let r: RunFailed | Promise<RunOutcome> | typeof ENDED;
  if (first.plain !== undefined && !resumed) {
    // A machine that starts with plain states (a Parallel branch of Pass states) runs them without
    // entering the loop, which V8 optimizes only after many calls (it is large): a Parallel of
    // 1,000 such branches called it 1,000 times a run, unoptimized for its first nine runs.
    const ran = runPlain(first, input, frame);
    if (ran === ENDED || ran instanceof RunFailed) {
      r = ran;
    } else {
      const value = plainValue;
      plainValue = null;
      r = loop(machine, ran, value, frame, false);
    }
  } else {
    r = loop(machine, first, input, frame, resumed);
  }
  if (r !== ENDED) return r;
  const output = endedWith;
  endedWith = null;
  return new RunSucceeded(output);
}

/**
 * The states of one (sub)machine, one after another. A transition's common
 * path (entering the state, one attempt that succeeds synchronously, exiting
 * it) is written out here in one function rather than spread over small ones:
 * most executions are short, so much of their work runs before V8 has
 * optimized anything, where every call and every object costs; and one
 * function warms up as a whole instead of each small one on its own.
 * Failures, retries, catches, Assign, payload limits and asynchronous states
 * go through settle.
 */
function loop(
  machine: CompiledMachine, first: CompiledState, input: JsonValue, frame: Frame, resumed: boolean,
): RunFailed | Promise<RunOutcome> | typeof ENDED {
  const rt = frame.rt;
  let state = first;
  let value = input;
  let paused = resumed;
  for (;;) {
    let thrown: StatesError | undefined;
    let enteredId = 0;
    // plainThrown is set when the state was handed over by runPlain (here or in runFrom), which
    // entered it and whose work threw: it is not run again, but handled below, as any failure.
    if (state.plain !== undefined && !paused && plainThrown === undefined) {
      const ran = runPlain(state, value, frame);
      if (ran === ENDED || ran instanceof RunFailed) return ran;
      state = ran;
      value = plainValue;
      plainValue = null;
    }
    if (plainThrown !== undefined) {
      thrown = plainThrown;
      plainThrown = undefined;
      enteredId = plainEnteredId;
    }
    if (thrown === undefined) {
      // Entering the state: the limits, the path, the entered event.
      if (rt.failsAtEntry !== undefined && rt.ended === undefined) rt.ended = rt.limitFailure ??= rt.failsAtEntry;
      if (rt.ended || (frame.group !== undefined && isStopped(frame)) || (rt.interrupt !== undefined && interrupted(rt))) {
        return new RunFailed(STOPPED);
      }
      // Every 4 states the clock may ask for a pause, so a server goes on answering while a long
      // run of synchronous states (a Pass/Choice loop doing heavy work) runs.
      if (!paused && rt.transitions % 4 === 3 && rt.clock.pause !== undefined) {
        const pause = rt.clock.pause(rt.concurrentSets > 0);
        if (pause !== undefined) {
          const at = state;
          const carried = value;
          return pause.then(() => runFrom(machine, at, carried, frame, true));
        }
      }
      paused = false;
      if (++rt.transitions > rt.maxTransitions) return new RunFailed(transitionLimit(rt));
      rt.path.push(state.name);
      frame.current = state;
      enteredId = addStateEvent(frame, state.enteredEvent, state.name, value);
      if (enteredId < 0) return new RunFailed(historyLimit(rt));
    }
    let attempted: AttemptResult | Promise<AttemptResult> | undefined;
    const plain = state.plain;
    if (plain !== undefined && thrown === undefined) {
      // A state of input-only data work: no call object, no result object, its successor already found.
      let output: JsonValue | undefined;
      try {
        output = plain(value, rt.maxPayloadBytes);
      } catch (e) {
        thrown = toStatesError(e);
      }
      if (thrown === undefined) {
        if (output !== value && rt.maxPayloadBytes !== Infinity) {
          const over = checkPayload(frame, value, output!, state);
          if (over !== undefined) return new RunFailed(over);
        }
        if (state.exitedEvent !== undefined && addStateEvent(frame, state.exitedEvent, state.name, output!) < 0) {
          return new RunFailed(historyLimit(rt));
        }
        frame.current = undefined;
        const following = state.following;
        if (following === undefined) { endedWith = output!; return ENDED; }
        value = output!;
        state = following;
        continue;
      }
    }
    // One attempt.
    const call = new Call(state, frame, enteredId, rt.clock.now());
    if (thrown === undefined) {
      try {
        attempted = state.attempt(value, call);
      } catch (e) {
        thrown = toStatesError(e);
      }
    }
    if (thrown === undefined && !(attempted instanceof Promise) && attempted!.assign === undefined
      && (attempted!.output === value || rt.maxPayloadBytes === Infinity)) {
      // Succeeded at once, with nothing to assign or measure: exit, and on to the next state.
      const done = attempted!;
      if (state.exitedEvent !== undefined && addStateEvent(frame, state.exitedEvent, state.name, done.output) < 0) {
        return new RunFailed(historyLimit(rt));
      }
      frame.current = undefined;
      if (done.next === undefined) { endedWith = done.output; return ENDED; }
      value = done.output;
      const successor = machine.states.get(done.next);
      if (successor === undefined) return new RunFailed(noSuchState(state, done.next));
      state = successor;
      continue;
    }
    let result: Settled;
    if (thrown !== undefined) {
      result = settle(state, value, call, thrown, undefined);
    } else if (attempted instanceof Promise) {
      const stateInput = value;
      const current = state;
      result = attempted.then(
        (r) => settle(current, stateInput, call, r, undefined),
        (e: unknown) => settle(current, stateInput, call, toStatesError(e), undefined),
      );
    } else {
      result = settle(state, value, call, attempted!, undefined);
    }
    if (result instanceof Promise) return result.then((r) => afterAsync(machine, state, r, frame));
    if (result instanceof RunFailure) return new RunFailed(result);
    if (result.next === undefined) { endedWith = result.output; return ENDED; }
    value = result.output;
    const following = machine.states.get(result.next);
    if (following === undefined) return new RunFailed(noSuchState(state, result.next));
    state = following;
  }
}

/** A transition to no state: AWS refuses it at creation (MISSING_TRANSITION_TARGET), as compile does unless `validate: false`. */
function noSuchState(from: { readonly name: string }, next: string): RunFailure {
  return new TestSetupFailure(StatesErrors.RUNTIME, `State '${from.name}' goes to '${next}', which is not a state of its machine (AWS refuses `
    + 'this definition: MISSING_TRANSITION_TARGET); name an existing state, or compile without validate: false to see every such transition.');
}

// What runPlain hands back besides its return value, through module variables for the reason given
// at ENDED: the value the next state is to run on, and the failure of a state it entered.
let plainValue: JsonValue = null;
let plainThrown: StatesError | undefined;
let plainEnteredId = 0;

/**
 * A run of plain states (see CompiledState.plain), each entered, run and exited, until a state
 * that is not plain, the end of the machine, or anything out of the ordinary: a pause the clock
 * may ask for, an interrupt, a stopped execution or branch, or the transition limit. Such a state
 * is handed back to the loop not entered, and the loop runs it as it runs every state.
 *
 * A function of its own so that the states most executions spend their time in run in a small
 * function V8 optimizes early and keeps: the loop around it also runs Tasks, Parallels and
 * failures, and code V8 optimized for it is thrown away when one of those first comes (a
 * Parallel's own state comes before V8 records anything in the loop, so its second execution
 * did), taking the plain states' optimized code with it when it was one function.
 *
 * Returns ENDED (the output in endedWith), a failure, or the next state for the loop (the
 * value in plainValue; plainThrown set when runPlain entered that state and its work threw).
 */
function runPlain(first: CompiledState, input: JsonValue, frame: Frame): CompiledState | RunFailed | typeof ENDED {
  const rt = frame.rt;
  let state = first;
  let value = input;
  for (;;) {
    const plain = state.plain;
    if (plain === undefined || rt.transitions % 4 === 3 && rt.clock.pause !== undefined || rt.ended || rt.failsAtEntry !== undefined
      || rt.interrupt !== undefined || (frame.group !== undefined && isStopped(frame)) || rt.transitions >= rt.maxTransitions) {
      plainValue = value;
      return state;
    }
    ++rt.transitions;
    rt.path.push(state.name);
    frame.current = state;
    const enteredId = addStateEvent(frame, state.enteredEvent, state.name, value);
    if (enteredId < 0) return new RunFailed(historyLimit(rt));
    let output: JsonValue;
    try {
      output = plain(value, rt.maxPayloadBytes);
    } catch (e) {
      plainThrown = toStatesError(e);
      plainEnteredId = enteredId;
      plainValue = value;
      return state;
    }
    if (output !== value && rt.maxPayloadBytes !== Infinity) {
      const over = checkPayload(frame, value, output, state);
      if (over !== undefined) return new RunFailed(over);
    }
    if (state.exitedEvent !== undefined && addStateEvent(frame, state.exitedEvent, state.name, output) < 0) {
      return new RunFailed(historyLimit(rt));
    }
    frame.current = undefined;
    const following = state.following;
    if (following === undefined) {
      endedWith = output;
      return ENDED;
    }
    value = output;
    state = following;
  }
}

function afterAsync(machine: CompiledMachine, from: CompiledState, done: AttemptResult | RunFailure, frame: Frame): RunOutcome | Promise<RunOutcome> {
  if (done instanceof RunFailure) return new RunFailed(done);
  if (done.next === undefined) return new RunSucceeded(done.output);
  const following = machine.states.get(done.next);
  return following === undefined ? new RunFailed(noSuchState(from, done.next)) : runFrom(machine, following, done.output, frame, false);
}

/** The failure of an execution that entered more states than limits.maxTransitions allows. */
function transitionLimit(rt: Frame['rt']): RunFailure {
  return rt.limitFailure ??= rt.transitionsBoundDuration
    ? new RunFailure(StatesErrors.TIMEOUT, `The EXPRESS execution entered more than ${rt.maxTransitions} states without its clock reaching the ${AwsLimits.EXPRESS_DURATION_SECONDS / 60}-minute limit: `
      + `stepwright ends an endless loop here, as AWS ends it at ${EXPRESS_DURATION_WORDS}.`)
    : new RunFailure(StatesErrors.RUNTIME, `The execution entered more than ${rt.maxTransitions} states (limits.maxTransitions); is there an endless loop?`);
}

/** The failure of an execution whose history reached limits.maxHistoryEvents. */
function historyLimit(rt: Frame['rt']): RunFailure {
  return rt.limitFailure ??= new RunFailure(StatesErrors.RUNTIME, `The execution reached the maximum number of history events (${rt.maxHistoryEvents}).`);
}

/**
 * Counts an event against the history limit; false when the limit is reached. The last place
 * is kept for the closing event: as AWS records it, event 25,000 is the ExecutionFailed itself.
 */
function countEvent(frame: Frame): boolean {
  const rt = frame.rt;
  if (++rt.eventCount >= rt.maxHistoryEvents) {
    historyLimit(rt);
    return false;
  }
  return true;
}

/**
 * Counts `n` events that are not recorded (the history is off) towards the
 * history limit, as addEvent would, without building them; -1 when the limit
 * is reached. @internal
 */
export function countUnrecordedEvents(frame: Frame, n: number): number {
  const rt = frame.rt;
  if ((rt.eventCount += n) >= rt.maxHistoryEvents) {
    historyLimit(rt);
    return -1;
  }
  return (frame.lastEventId = rt.eventCount);
}

/** Adds an event to the frame; -1 when the history limit is reached. @internal */
export function addEvent<K extends HistoryEventDetailsKey>(frame: Frame, type: HistoryEventType, key?: K, details?: RecordedDetails<K>): number {
  if (!countEvent(frame)) return -1;
  const rt = frame.rt;
  const id = rt.recordHistory ? rt.history.add(type, frame.lastEventId, key, details) : rt.eventCount;
  frame.lastEventId = id;
  return id;
}

/**
 * Adds an event that hangs off the frame's chain of previousEventIds without
 * extending it (`MapStateSucceeded`, `ParallelStateSucceeded`, `MapIteration{Succeeded,Failed}`):
 * the next event points past it, as in AWS's histories. @internal
 */
export function addSideEvent<K extends HistoryEventDetailsKey>(frame: Frame, type: HistoryEventType, key?: K, details?: RecordedDetails<K>): void {
  const last = frame.lastEventId;
  addEvent(frame, type, key, details);
  frame.lastEventId = last;
}

function addStateEvent(frame: Frame, type: HistoryEventType, name: string, payload: JsonValue, assigned?: Record<string, JsonValue>): number {
  const rt = frame.rt;
  // As countEvent: the last place is the closing event's.
  if (++rt.eventCount >= rt.maxHistoryEvents) {
    historyLimit(rt);
    return -1;
  }
  const id = rt.recordHistory ? rt.history.addStateEvent(type, frame.lastEventId, name, payload, assigned) : rt.eventCount;
  frame.lastEventId = id;
  return id;
}

/** One state being run: what its handler and the engine share. */
class Call implements StateCall {
  // `declare`d fields, set in the constructor: the target (ES2022) would otherwise also define
  // each one in a field initializer first, a second pass over every field of an object made
  // once per state entered, which is most of the cost while the code is not yet optimized.
  declare private readonly state: CompiledState;
  declare public readonly frame: Frame;
  declare public readonly enteredEventId: number;
  declare public retryCount: number;
  declare public taskToken: string | undefined;
  declare private cachedContext: JsonObject | undefined;
  declare private contextRetry: number;
  declare public readonly enteredTime: number;

  constructor(state: CompiledState, frame: Frame, enteredEventId: number, enteredTime: number) {
    this.state = state;
    this.frame = frame;
    this.enteredEventId = enteredEventId;
    this.retryCount = 0;
    this.taskToken = undefined;
    this.cachedContext = undefined;
    this.contextRetry = -1;
    this.enteredTime = enteredTime;
  }

  get stateName(): string {
    return this.state.name;
  }

  get stateType(): StateType {
    return this.state.type;
  }

  context(): JsonObject {
    const given = this.frame.rt.contextObject;
    if (given !== undefined) return given;
    if (this.cachedContext === undefined || this.contextRetry !== this.retryCount) {
      const rt = this.frame.rt;
      // Fields in the order AWS gives them (its recordings of `$$`).
      const stateInfo: JsonObject = { Name: this.state.name, EnteredTime: drawnValue(rt.random, isoTime(this.enteredTime), 'enteredTime') };
      // AWS shows RetryCount only for the states that can retry.
      if (this.state.retriable) stateInfo.RetryCount = this.retryCount;
      const context: JsonObject = { Execution: rt.executionContext(), StateMachine: rt.contextStateMachine, State: stateInfo };
      if (this.taskToken !== undefined) context.Task = { Token: this.taskToken };
      this.cachedContext = context;
      this.contextRetry = this.retryCount;
    }
    return this.cachedContext;
  }

  setTaskToken(token: string): void {
    this.taskToken = token;
    this.cachedContext = undefined;
  }

  event<K extends HistoryEventDetailsKey>(type: HistoryEventType, detailsKey?: K, details?: RecordedDetails<K>): number {
    return addEvent(this.frame, type, detailsKey, details);
  }
}

type Settled = AttemptResult | RunFailure | Promise<AttemptResult | RunFailure>;

function tryAttempt(state: CompiledState, input: JsonValue, call: StateCall): AttemptResult | StatesError | Promise<AttemptResult | StatesError> {
  try {
    const r = state.attempt(input, call);
    if (r instanceof Promise) return r.catch(toStatesError);
    return r;
  } catch (e) {
    return toStatesError(e);
  }
}

/**
 * The error output a catcher receives. A failure without an error name (a
 * SendTaskFailure that gave neither error nor cause, a Fail state with
 * neither) reaches it as `{"Error": null, "Cause": null}`, and a timeout without a cause as
 * `{"Error": "States.Timeout", "Cause": ""}`, as AWS recorded (TimeoutSeconds on lambda:invoke: its
 * TaskTimedOut and an uncaught ExecutionFailed carry no cause, yet a catcher gets `"Cause": ""`).
 */
function errorOutputOf(error: string, cause: string | undefined): JsonObject {
  if (error === '') return { Error: null, Cause: cause ?? null };
  if (cause === undefined && isTimeoutError(error)) return { Error: error, Cause: '' };
  return cause === undefined ? { Error: error } : { Error: error, Cause: cause };
}

/** Turns anything thrown into a StatesError: its name is the error, its message the cause. @internal */
export function toStatesError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  if (e instanceof Error) {
    if (e.name === 'PathSyntaxError' || e.name === 'ResultPathError') return new StatesError(StatesErrors.RUNTIME, e.message);
    return new StatesError(e.name || 'Error', e.message);
  }
  return new StatesError('Error', typeof e === 'string' ? e : JSON.stringify(e ?? null));
}

function settle(
  state: CompiledState, input: JsonValue, call: StateCall, attempted: AttemptResult | StatesError, counters: number[] | undefined,
): Settled {
  const frame = call.frame;
  if (!(attempted instanceof StatesError)) {
    // A branch stopped (or an execution ended) while the state worked asynchronously records
    // nothing more: its state was recorded as aborted, and AWS writes no event after the
    // execution's closing one.
    if (isStopped(frame)) return STOPPED;
    // An unchanged input was measured when it was produced; with the limit off, nothing is measured.
    if (attempted.output !== input && frame.rt.maxPayloadBytes !== Infinity) {
      const limit = checkPayload(frame, input, attempted.output, state);
      if (limit) return limit;
    }
    if (attempted.assign) {
      const over = assignVariables(frame, state, attempted.assign);
      if (over) return over;
    }
    // The exit event may be the one past the history limit: the run fails there.
    if (state.exitedEvent && addStateEvent(frame, state.exitedEvent, state.name, attempted.output, attempted.assign) < 0) {
      return historyLimit(frame.rt);
    }
    frame.current = undefined;
    return attempted;
  }
  const err = attempted;
  if (isStopped(frame)) return new RunFailure(err.error, err.cause);
  // A limit reached while the state worked (its call's events past the history limit) has ended
  // the execution: no Retry runs again and no Catch takes it, however many attempts are left.
  if (frame.rt.limitFailure !== undefined) return frame.rt.limitFailure;
  const cause = err.inState
    ? `An error occurred while executing the state '${state.name}' (entered at the event id #${call.enteredEventId}). ${err.cause ?? ''}`
    : err.cause;
  recordEvaluationFailed(state, call, err, cause);
  // A branch's or iteration's output or variables over the limit: the execution ends, past this
  // state's Retry and Catch, as it would have past the inner state's.
  if (err instanceof LimitError) return new LimitFailure(err.error, cause);
  // Retry
  for (let i = 0; i < state.retriers.length; i++) {
    const r = state.retriers[i];
    if (!errorMatches(r.errorEquals, err.error)) continue;
    counters ??= new Array<number>(state.retriers.length).fill(0);
    if (counters[i] >= r.maxAttempts) break;
    const delay = retryDelayMs(r, counters[i], r.jitter ? frame.rt.random.next : Math.random);
    counters[i]++;
    call.retryCount++;
    frame.rt.retries++;
    const byState = frame.rt.retriesByState;
    if (byState !== undefined) byState.set(state.name, (byState.get(state.name) ?? 0) + 1);
    const c = counters;
    const again = (): Settled => {
      if (isStopped(frame)) return new RunFailure(err.error, cause);
      const next = tryAttempt(state, input, call);
      return next instanceof Promise ? next.then((a) => settle(state, input, call, a, c)) : settle(state, input, call, next, c);
    };
    if (delay <= 0) return again();
    return frame.rt.clock.sleepUntil(frame.rt.clock.now() + delay, frame.group?.cancel).then(again);
  }
  // A Parallel or Map that will not run again records its failure; States.Runtime ends the execution at once.
  if (state.failedEvent !== undefined && err.error !== StatesErrors.RUNTIME) addEvent(frame, state.failedEvent);
  // Catch
  const catcher = findCatcher(state.catchers, err.error);
  if (catcher) {
    const errorOutput = errorOutputOf(err.error, cause);
    let handled: AttemptResult | Promise<AttemptResult>;
    try {
      handled = catcher.handle(input, errorOutput, call);
    } catch (e) {
      return failFromError(state, call, toStatesError(e));
    }
    const finish = (h: AttemptResult): AttemptResult | RunFailure => {
      if (isStopped(frame)) return STOPPED;
      frame.valueSize = undefined;
      // The error path is held to the payload limit like any other output: a large
      // Cause, or a Catch that loops back and grows the document, ends here.
      if (frame.rt.maxPayloadBytes !== Infinity) {
        const limit = checkPayload(frame, input, h.output, state);
        if (limit) return limit;
      }
      if (h.assign) {
        const over = assignVariables(frame, state, h.assign);
        if (over) return over;
      }
      if (state.exitedEvent && addStateEvent(frame, state.exitedEvent, state.name, h.output, h.assign) < 0) {
        return historyLimit(frame.rt);
      }
      return { output: h.output, next: catcher.next };
    };
    if (handled instanceof Promise) return handled.then(finish, (e: unknown) => failFromError(state, call, toStatesError(e)));
    return finish(handled);
  }
  return failureOf(err, cause);
}

function failFromError(state: CompiledState, call: StateCall, err: StatesError): RunFailure {
  const cause = err.inState
    ? `An error occurred while executing the state '${state.name}' (entered at the event id #${call.enteredEventId}). ${err.cause ?? ''}`
    : err.cause;
  recordEvaluationFailed(state, call, err, cause);
  return failureOf(err, cause);
}

/**
 * AWS records `EvaluationFailed` where a JSONata expression failed: in the state that
 * evaluated it only (not again in the Parallel or Map it fails), naming the field
 * (`location`).
 */
function recordEvaluationFailed(state: CompiledState, call: StateCall, err: StatesError, cause: string | undefined): void {
  if (err.error !== StatesErrors.QUERY_EVALUATION_ERROR || !err.inState) return;
  const frame = call.frame;
  const location = (err as StatesError & { location?: string }).location;
  // Recorded on AWS: a Wait's Seconds/Timestamp fail after the state was entered (the event
  // follows WaitStateEntered); other states' fields fail as they are entered (it follows what preceded it).
  frame.lastEventId = state.type === 'Wait' ? call.enteredEventId : frame.rt.history.previousOf(call.enteredEventId) ?? frame.lastEventId;
  addEvent(frame, 'EvaluationFailed', 'evaluationFailedEventDetails', { error: err.error, cause, location, state: state.name });
}


/**
 * Assigns a state's variables, unless a value, the Assign as a whole, or all
 * the variables stored (in this scope and the scopes around it) would be over
 * AWS's size limits: then the state fails with States.DataLimitExceeded, which
 * (like an over-size state output) no catcher handles.
 */
function assignVariables(frame: Frame, state: CompiledState, values: Record<string, JsonValue>): RunFailure | undefined {
  if (!frame.ownsVariables) {
    // A branch or iteration's first assignment: from now on it has a scope of its own.
    frame.variables = frame.variables.child();
    frame.ownsVariables = true;
  }
  let total = 0;
  const sizes = new Map<string, number>();
  let replaced = 0;
  for (const name in values) {
    const size = jsonByteLength(values[name]);
    if (size > AwsLimits.PAYLOAD_BYTES) {
      return new LimitFailure(StatesErrors.DATA_LIMIT_EXCEEDED, `The variable '${name}' assigned by the state '${state.name}' is ${size} bytes, over the maximum of ${AwsLimits.PAYLOAD_BYTES} bytes for one variable.`);
    }
    total += size;
    sizes.set(name, size);
    replaced += frame.variables.ownSize(name);
  }
  if (total > AwsLimits.PAYLOAD_BYTES) {
    return new LimitFailure(StatesErrors.DATA_LIMIT_EXCEEDED, `The variables assigned by the state '${state.name}' are ${total} bytes together, over the maximum of ${AwsLimits.PAYLOAD_BYTES} bytes for one Assign.`);
  }
  const stored = frame.variables.storedBytes() - replaced + total;
  if (stored > AwsLimits.VARIABLES_BYTES) {
    return new LimitFailure(StatesErrors.DATA_LIMIT_EXCEEDED, `The variables stored after the state '${state.name}' assigns would be ${stored} bytes, over the maximum of ${AwsLimits.VARIABLES_BYTES} bytes for one execution.`);
  }
  frame.variables.assign(values, sizes);
  return undefined;
}

/** Fails a state whose output is over the payload limit; remembers the output's size for the next state. */
function checkPayload(frame: Frame, input: JsonValue, output: JsonValue, state: CompiledState): RunFailure | undefined {
  const max = frame.rt.maxPayloadBytes;
  let size: number | undefined;
  if (output !== null && typeof output === 'object') size = derivedByteLength(input, frame.valueSize, output);
  else if (typeof output === 'string' && output.length * 3 > max) size = jsonByteLength(output);
  frame.valueSize = size;
  if (size !== undefined && size > max) {
    return new LimitFailure(StatesErrors.DATA_LIMIT_EXCEEDED, `The state/task '${state.name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
  }
  return undefined;
}
