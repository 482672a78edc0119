import type { CancelSignal, CancelSource } from './cancel';
import type { Clock } from './clock';
import type {
  ChildExecutionInfo, ChildExecutionUsage, CompletedChildren, ExecutionControl, MapRunCounts, RequestCheck, StartOptions, TaskHandler,
  UnrecordedValue,
} from './execution-types';
import { HistoryRecorder, type HistoryEvent, type RecordedDetails } from './history-recorder';
import type { LocalS3 } from './object-store';
import type { RunFailure } from './run-failure';
import type { JsonObject, JsonValue, StateType, RandomSource } from '../asl';
import type { HistoryEventDetailsKey, HistoryEventType } from '../asl/history-events';
import { StatesError } from '../asl/states-errors';
import type { VariableStore } from '../asl/variables';

/** What one attempt of a state produced. @internal */
export interface AttemptResult {
  readonly output: JsonValue;
  /** The next state; `undefined` ends the (sub)machine. */
  readonly next: string | undefined;
  /** Variables to assign once the state is done (all evaluated against the values from before it). */
  readonly assign?: Record<string, JsonValue>;
}

/** A failure: an ASL error name and cause. @internal */
export interface Failure {
  readonly error: string;
  readonly cause: string | undefined;
}

/** A callback waiting for sendTaskSuccess / sendTaskFailure. @internal */
export interface PendingCallback {
  readonly resolve: (output: JsonValue) => void;
  readonly reject: (failure: StatesError) => void;
  readonly heartbeat: () => void;
  /**
   * The call's own handler saying, after the call began, that the Task times out (a mock's
   * `delay(n, fail('States.Timeout'))`): the Task fails with it when its own clock runs out,
   * as an answer of a timeout at once does, never at the moment the handler says it.
   */
  readonly timedOut: (failure: StatesError) => void;
}

/** State shared by every branch and iteration of one execution. @internal */
export interface ExecutionRuntime {
  readonly history: HistoryRecorder;
  readonly recordHistory: boolean;
  /** StartOptions.inlineChildEvents: a DISTRIBUTED Map's child executions record into this history. */
  readonly inlineChildEvents: boolean;
  /** StartOptions.childHistories. */
  readonly childHistories: ((history: readonly HistoryEvent[]) => void) | undefined;
  /** StartOptions.localS3. */
  readonly localS3: LocalS3 | undefined;
  /** StartOptions.onChildExecution. */
  readonly onChildExecution: ((child: ChildExecutionInfo) => void) | undefined;
  /** StartOptions.requestCheck. */
  readonly requestCheck: RequestCheck | undefined;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Where Task states find their handlers. */
  readonly handlers: TaskHandlerTable;
  /** CompileOptions.activityExists. */
  readonly activityExists: ((activityArn: string) => boolean) | undefined;
  maxHistoryEvents: number;
  readonly maxTransitions: number;
  /**
   * True when maxTransitions is the EXPRESS stand-in for AWS's 5-minute limit
   * (see EXPRESS_MAX_TRANSITIONS), not a limit the caller set.
   */
  readonly transitionsBoundDuration: boolean;
  readonly maxPayloadBytes: number;
  readonly express: boolean;
  readonly region: string;
  readonly accountId: string;
  /** `Execution` and `StateMachine` parts of the Context Object. */
  readonly contextStateMachine: JsonObject;
  /** The callback tasks waiting for their token, by token; made by the first, as most executions have none. */
  callbacks: Map<string, PendingCallback> | undefined;
  /** Called when a task token has been added to `callbacks` by state `stateName`, so the execution handle can hand it out. */
  readonly tokenIssued: (token: string, stateName: string) => void;
  /** Called when the task holding a token has closed (closeCallback), so the execution handle refuses a late answer as TaskTimedOut. */
  readonly tokenClosed: (token: string) => void;
  readonly control: ExecutionControl;
  readonly stopSignal: CancelSignal;
  readonly executionArn: string;
  readonly path: string[];
  eventCount: number;
  transitions: number;
  /**
   * How many Parallel and Map states of the execution run branches at once now: while one does, a
   * pause (Clock.pause) lets the branches not paused run ahead of the one that is.
   */
  concurrentSets: number;
  /** Retries so far (of Tasks, and of Parallel and Map states by their own Retry), which AWS bills as transitions. */
  retries: number;
  /**
   * The retries of a DISTRIBUTED Map's child execution, by state, when its events stay out of the
   * parent's history (ChildExecutionUsage.retriesByState); undefined elsewhere, where the history
   * holds them.
   */
  retriesByState: Map<string, number> | undefined;
  /**
   * The child executions DISTRIBUTED Map states started, per Map state and child type; made by
   * the first, as most executions have none.
   */
  childExecutions: Map<string, ChildExecutionUsage> | undefined;
  /** The Map Runs of the execution (its children's included), by Map Run ARN; made by the first. */
  mapRuns: Map<string, MapRunCounts> | undefined;
  /**
   * Ends the child executions its Distributed Maps still run, ABORTED: set when the first one
   * starts children, called when the execution is stopped or times out (its closing event is then
   * recorded while its Map states still unwind).
   */
  endChildren: (() => void) | undefined;
  /** Task tokens issued so far. */
  tokensIssued: number;
  /**
   * StartOptions.interrupt, wrapped so that once it throws, the execution has ended (`ended`)
   * and remembers the error to reject its result with.
   */
  readonly interrupt: (() => void) | undefined;
  /** StartOptions.contextObject: `$$` for every state, when given. */
  readonly contextObject: JsonObject | undefined;
  /** Set once the execution has ended: every branch stops at its next step. */
  ended: Failure | undefined;
  /** Raised when a limit is hit; the execution then fails with it. */
  limitFailure: RunFailure | undefined;
  /**
   * Set by Execution.failAtNextState(…, atTransition): the failure the execution ends with as it next enters
   * a state; what runs until then (a Task's answer, its exit) is recorded.
   */
  failsAtEntry: RunFailure | undefined;
  /** The values it met whose handling on AWS is not recorded (see noteUnrecorded); made by the first, as most executions meet none. */
  unrecorded: UnrecordedValue[] | undefined;
  /**
   * The outputs of the iterations or branches that succeeded in the latest
   * attempt of a top-level Map or Parallel state, for
   * ExecutionResult.completedChildren; each attempt starts it afresh.
   */
  completedChildren: ChildOutputs | undefined;
  /** StartOptions.resume, until the state it names first runs its iterations or branches. */
  resume: CompletedChildren | undefined;
  /** The `Execution` part of the Context Object, built on first use. */
  executionContext(): JsonObject;
  /**
   * Asks the clock for a pause between two steps of a JSONata evaluation (the Pausing it is
   * given), or before a child execution starts, counted as `asks` asks (Clock.pause).
   */
  pause(asks?: number): Promise<void> | undefined;
}

/**
 * The Task handlers of a state machine: by state name or resource ARN, then
 * the default. One object per state machine (and its defaultTaskHandler), so
 * a Task state that found its handler once knows it is still right with one
 * comparison.
 * @internal
 */
export interface TaskHandlerTable {
  /** Own entries of CompileOptions.taskHandlers (a Map: a state named `constructor` must not find Object's). */
  readonly byName: ReadonlyMap<string, TaskHandler>;
  /** CompileOptions.defaultTaskHandler. */
  readonly fallback: TaskHandler | undefined;
}

/**
 * Closes the callback of a task: its token answers nothing more, and the execution handle
 * remembers it as closed. @internal
 */
export function closeCallback(rt: ExecutionRuntime, token: string): void {
  if (rt.callbacks?.delete(token) === true) rt.tokenClosed(token);
}

/** A failure no execution ends with, written to ExecutionState.ended only to show V8 the field changes. */
const NOT_YET: Failure = { error: '', cause: undefined };

/**
 * The execution handle, as its runtime calls back into it: the Execution class. Its Context
 * Object and the hand-out of task tokens live there, so the runtime of an execution that
 * reads neither makes no closure for them. @internal
 */
export interface ExecutionOwner extends ExecutionControl {
  /** A task token has been added to `callbacks` by state `stateName`. */
  tokenIssued(token: string, stateName: string): void;
  /** The task holding a token has closed. */
  tokenClosed(token: string): void;
  /** The `Execution` part of the Context Object. */
  executionContext(): JsonObject;
  /** The execution's source of randomness (ExecutionRuntime.random). */
  random(): RandomSource;
}

/**
 * What an execution's runtime takes from its start that is the same for every execution of a
 * state machine with the same options: worked out once per state machine. @internal
 */
export type RuntimeLimits = Readonly<Pick<ExecutionRuntime,
  'recordHistory' | 'handlers' | 'activityExists' | 'maxHistoryEvents' | 'maxTransitions' | 'transitionsBoundDuration'
  | 'maxPayloadBytes' | 'express' | 'region' | 'accountId'>>;

/**
 * The runtime of one execution. A class rather than an object literal, for
 * the reason given at RunFrame: the engine's hot code reads it at every state.
 * Its fields are copied from its arguments, not from an options object: one
 * is made per execution, and a settings literal of thirty fields was the
 * largest thing a small execution allocated.
 * @internal
 */
export class ExecutionState implements ExecutionRuntime {
  declare public readonly history: HistoryRecorder;
  /** What the execution was started with, and its state machine's limits: the fields read rarely are read from them (see the getters). */
  declare private readonly start: StartOptions;
  declare private readonly limits: RuntimeLimits;
  declare public readonly recordHistory: boolean;
  declare public readonly requestCheck: RequestCheck | undefined;
  declare public readonly clock: Clock;
  declare public readonly handlers: TaskHandlerTable;
  declare public maxHistoryEvents: number;
  declare public readonly maxTransitions: number;
  declare public readonly maxPayloadBytes: number;
  declare public readonly region: string;
  declare public readonly contextStateMachine: JsonObject;
  declare public callbacks: Map<string, PendingCallback> | undefined;
  declare public readonly control: ExecutionOwner;
  declare public readonly stopSignal: CancelSignal;
  declare public readonly executionArn: string;
  declare public readonly path: string[];
  declare public eventCount: number;
  declare public transitions: number;
  declare public concurrentSets: number;
  declare public retries: number;
  declare public retriesByState: Map<string, number> | undefined;
  declare public childExecutions: Map<string, ChildExecutionUsage> | undefined;
  declare public mapRuns: Map<string, MapRunCounts> | undefined;
  declare public endChildren: (() => void) | undefined;
  declare public tokensIssued: number;
  declare public readonly interrupt: (() => void) | undefined;
  declare public ended: Failure | undefined;
  declare public limitFailure: RunFailure | undefined;
  declare public failsAtEntry: RunFailure | undefined;
  declare public unrecorded: UnrecordedValue[] | undefined;
  declare public completedChildren: ChildOutputs | undefined;
  declare public resume: CompletedChildren | undefined;

  constructor(
    owner: ExecutionOwner, stopSignal: CancelSignal, limits: RuntimeLimits, start: StartOptions, clock: Clock,
    executionArn: string, contextStateMachine: JsonObject, interrupt: (() => void) | undefined,
  ) {
    this.history = new HistoryRecorder(clock, start.historyDocuments !== false);
    this.start = start;
    this.limits = limits;
    this.recordHistory = limits.recordHistory;
    this.requestCheck = start.requestCheck;
    this.clock = clock;
    this.handlers = limits.handlers;
    // Written twice, as is `ended` below: both change once, when the execution ends. V8 takes a
    // field it has seen written only once for a constant, and the code it optimizes on that
    // ground is thrown away at the first change, at the end of the first execution; a field
    // already written twice is known to change from the start. The first value is a fraction,
    // never a limit, so the field holds a double from the start and the closing Infinity is no change of kind.
    this.maxHistoryEvents = -0.5;
    this.maxHistoryEvents = limits.maxHistoryEvents;
    this.maxTransitions = limits.maxTransitions;
    this.maxPayloadBytes = limits.maxPayloadBytes;
    this.region = limits.region;
    this.contextStateMachine = contextStateMachine;
    this.callbacks = undefined;
    this.control = owner;
    this.stopSignal = stopSignal;
    this.executionArn = executionArn;
    // Made holding a string, then emptied: an empty array literal starts out with room for small
    // integers only, and the first state name pushed would change its kind under optimized code.
    const path = [''];
    path.length = 0;
    this.path = path;
    this.eventCount = 0;
    this.transitions = 0;
    this.concurrentSets = 0;
    this.retries = 0;
    this.retriesByState = undefined;
    this.childExecutions = undefined;
    this.mapRuns = undefined;
    this.endChildren = undefined;
    this.tokensIssued = 0;
    this.interrupt = interrupt;
    this.ended = NOT_YET;
    this.ended = undefined;
    this.limitFailure = undefined;
    this.failsAtEntry = undefined;
    this.unrecorded = undefined;
    this.completedChildren = undefined;
    this.resume = start.resume;
  }

  // Fields read only by the states that use them (a DISTRIBUTED Map, an activity, an EXPRESS
  // limit, a Context Object given by the caller): read through, not copied into every runtime.
  get inlineChildEvents(): boolean { return this.start.inlineChildEvents === true; }
  get childHistories(): ((history: readonly HistoryEvent[]) => void) | undefined { return this.start.childHistories; }
  get localS3(): LocalS3 | undefined { return this.start.localS3; }
  get onChildExecution(): ((child: ChildExecutionInfo) => void) | undefined { return this.start.onChildExecution; }
  get contextObject(): JsonObject | undefined { return this.start.contextObject; }
  get activityExists(): ((activityArn: string) => boolean) | undefined { return this.limits.activityExists; }
  get accountId(): string { return this.limits.accountId; }
  get transitionsBoundDuration(): boolean { return this.limits.transitionsBoundDuration; }
  get express(): boolean { return this.limits.express; }

  /** The execution's source of randomness, which its owner makes on first use. */
  get random(): RandomSource {
    return this.control.random();
  }

  pause(asks?: number): Promise<void> | undefined {
    return this.clock.pause?.(this.concurrentSets > 0, asks);
  }

  tokenIssued(token: string, stateName: string): void {
    this.control.tokenIssued(token, stateName);
  }

  tokenClosed(token: string): void {
    this.control.tokenClosed(token);
  }

  executionContext(): JsonObject {
    return this.control.executionContext();
  }
}

/**
 * The children of a top-level Map or Parallel attempt, as runBranches fills them:
 * `outputs[i]` is set once child i ended well, with its output or (a tolerated
 * failure, listed in `failed`) its error output. Read only when the execution
 * ends, so that keeping it costs nothing while the children run.
 * @internal
 */
export interface ChildOutputs {
  readonly state: string;
  readonly outputs: readonly JsonValue[];
  readonly failed: ReadonlySet<number>;
  /** The Map Run of a DISTRIBUTED Map, which a redrive resumes. */
  readonly mapRunArn: string | undefined;
}

/**
 * One thread of execution: the top level, a Parallel branch or a Map iteration.
 * @internal
 */
export interface Frame {
  readonly rt: ExecutionRuntime;
  /** The variables the frame's states read; see ownsVariables. */
  variables: VariableStore;
  /**
   * False for a Parallel branch or Map iteration that has assigned nothing yet: it reads
   * its parent's store, and gets a child scope of its own on its first assignment (most
   * branches and iterations never assign, and a child that holds nothing reads as its parent).
   */
  ownsVariables: boolean;
  /** Stops this frame's siblings once one fails. */
  readonly group: BranchGroup | undefined;
  /** Id of the last event this frame recorded, for `previousEventId`. */
  lastEventId: number;
  /** Size in bytes of the value now flowing between this frame's states, when known. */
  valueSize?: number;
  /** The state this frame entered last: the one in progress while the frame runs. */
  current?: { readonly type: StateType; readonly name: string };
}

/**
 * A frame with every field in place from the start, in one order: the engine
 * sets `current` and `valueSize` as it runs, and a frame made without them
 * would change shape on each one's first set, on every branch and iteration.
 * @internal
 */
export function newFrame(
  rt: ExecutionRuntime, variables: VariableStore, ownsVariables: boolean, group: BranchGroup | undefined, lastEventId: number,
): Frame {
  return new RunFrame(rt, variables, ownsVariables, group, lastEventId);
}

/**
 * A class, not an object literal. V8 builds the second instance of a literal
 * from a template whose fields it first fills with a placeholder; that widens
 * the type it recorded for each field (the runtime, the variable store) and
 * throws away the code it optimized while the first execution ran, so the
 * second execution of a process would start cold again. A class keeps its
 * fields' types from one execution to the next.
 */
class RunFrame implements Frame {
  declare public readonly rt: ExecutionRuntime;
  declare public variables: VariableStore;
  declare public ownsVariables: boolean;
  declare public readonly group: BranchGroup | undefined;
  declare public lastEventId: number;
  declare public valueSize: number | undefined;
  declare public current: { readonly type: StateType; readonly name: string } | undefined;
  constructor(rt: ExecutionRuntime, variables: VariableStore, ownsVariables: boolean, group: BranchGroup | undefined, lastEventId: number) {
    this.rt = rt;
    this.variables = variables;
    this.ownsVariables = ownsVariables;
    this.group = group;
    this.lastEventId = lastEventId;
    this.valueSize = undefined;
    this.current = undefined;
  }
}

/** Siblings that stop together when one fails (Parallel branches, Map iterations). @internal */
export interface BranchGroup {
  stopped: boolean;
  /**
   * True when more than one sibling may run at once. A Task in such a group starts its call
   * (TaskStarted, the handler) once its siblings have scheduled theirs, as AWS records it.
   */
  readonly concurrent: boolean;
  readonly parent: BranchGroup | undefined;
  readonly cancel: CancelSource;
  /**
   * Set, with `stopped`, when the group is a child execution's own and the child ran past the
   * longest its type may run (an EXPRESS child's 5 minutes): it ended TIMED_OUT, a child that
   * did not succeed, not one someone stopped.
   */
  timedOut?: Failure;
}

/** One state being run. @internal */
export interface StateCall {
  readonly frame: Frame;
  readonly stateName: string;
  readonly stateType: StateType;
  readonly enteredEventId: number;
  readonly enteredTime: number;
  retryCount: number;
  /** The task token issued to this state, if any (`$$.Task.Token`). */
  readonly taskToken: string | undefined;
  /** Issues a task token: it appears in the Context Object from now on. */
  setTaskToken(token: string): void;
  /** The Context Object of this state; built on first use. */
  context(): JsonObject;
  /** Adds an event in this frame. */
  event<K extends HistoryEventDetailsKey>(type: HistoryEventType, detailsKey?: K, details?: RecordedDetails<K>): number;
}

/**
 * True when the execution's interrupt (StartOptions.interrupt) throws now, ending the
 * execution: asked before each state it enters.
 * @internal
 */
export function interrupted(rt: ExecutionRuntime): boolean {
  try {
    rt.interrupt!();
    return false;
  } catch {
    return true;
  }
}

/** The most unrecorded values an execution keeps: a loop cannot grow the list without bound. */
const MAX_UNRECORDED = 100;

/**
 * Notes a value the execution met whose handling on AWS is not recorded (UnrecordedValue), once
 * per state and message: the execution goes on with it.
 * @internal
 */
export function noteUnrecorded(rt: ExecutionRuntime, state: string, message: string): void {
  const list = rt.unrecorded ??= [];
  if (list.length >= MAX_UNRECORDED || list.some((v) => v.state === state && v.message === message)) return;
  list.push({ state, message });
}

/** True when this frame or any enclosing group has been told to stop. @internal */
export function isStopped(frame: Frame): boolean {
  if (frame.rt.ended) return true;
  for (let g = frame.group; g; g = g.parent) if (g.stopped) return true;
  return false;
}

/**
 * A runtime error that AWS reports with the state's name and entry event
 * (`An error occurred while executing the state 'X' (entered at the event id #N). …`).
 * @internal
 */
export function stateError(error: string, detail: string): StatesError {
  return new StatesError(error, detail, { inState: true });
}

/** The last time isoTime wrote, and what it wrote: on a virtual clock, every state of a run of them is entered at one time. */
let lastIsoMs = NaN;
let lastIso = '';

/** The ISO-8601 form AWS uses in the Context Object (milliseconds, `Z`). @internal */
export function isoTime(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}
