import { CancelSource, type CancelListener } from './cancel';
import { VirtualClock, type Clock } from './clock';
import { ClosedTokens } from './closed-tokens';
import { compileTopMachine } from './compile';
import { addEvent, runMachine, type CompiledMachine, type RunOutcome } from './engine';
import { ExecutionDefaults } from './execution-defaults';
import { InvalidExecutionInputError, TaskDoesNotExistError, TaskTimedOutError } from './execution-errors';
import { Result } from './execution-result';
import type {
  CompileOptions, CompletedChildren, ExecutionControl, ExecutionResult, ExecutionStatus, MapRunCounts, StartOptions,
} from './execution-types';
import type { HistoryEvent, HistoryRecorder } from './history-recorder';
import { RunFailure } from './run-failure';
import {
  closeCallback, ExecutionState, isoTime, newFrame, type ChildOutputs, type Failure, type Frame, type PendingCallback, type TaskHandlerTable,
} from './runtime';
import { jsonByteLength, jsonByteLengthWithin } from './size';
import {
  checkExecutionArn, checkLimits, checkResume, checkTaskOutput, noTokenError, parseText, taskFailureOf,
} from './start-checks';
import type { JsonObject, JsonValue, RandomSource, StateMachineDefinition } from '../asl';
import { definitionNotJson, describeNonJson, jsonTextOf } from '../asl/json-value';
import { AwsLimits } from '../asl/limits';
import { drawnValue, firstSeededUuid, seededRandom, seededRandomAfter } from '../asl/random';
import { StatesErrors, InternalErrors, DefinitionError } from '../asl/states-errors';
import { checkedDefinition } from '../asl/validate';
import { VariableStore } from '../asl/variables';

export {
  InvalidExecutionInputError, InvalidOptionError, InvalidOutputError, TaskDoesNotExistError, TaskTimedOutError, ValidationException,
} from './execution-errors';

/** An execution's Map Runs before it has any. */
const NO_MAP_RUNS: ReadonlyMap<string, MapRunCounts> = new Map();
/** The untaken tokens an execution lists before it first drops those of closed tasks (Execution.tokenIssued). */
const TOKENS_PRUNED_FROM = 64;

/**
 * Compiles a state machine definition once; start as many executions as you
 * like. The definition is first checked by the static validator
 * (`validateDefinition`); when it has errors an {@link InvalidDefinitionError}
 * lists every finding with its location and how to fix it. Pass
 * `validate: false` to skip that check.
 *
 * @example
 * const machine = compileStateMachine(definition, {
 *   taskHandlers: { Charge: (input) => ({ chargeId: 'ch_1' }) },
 * });
 * const result = await machine.start({ orderId: 'o-1' }).result;
 */
export function compileStateMachine(definition: StateMachineDefinition | string, options: CompileOptions = {}): StateMachine {
  return new StateMachine(definition, options);
}

/** A compiled state machine. Create it with {@link compileStateMachine}. */
export class StateMachine {
  /** The definition, as given (parsed if it was a string). */
  public readonly definition: StateMachineDefinition;
  private readonly machine: CompiledMachine;
  private readonly options: CompileOptions;
  private handlers: TaskHandlerTable;
  private executions = 0;
  /** What each execution takes from the options, made by the first start and again when the options change. */
  private defaults: ExecutionDefaults | undefined;

  constructor(definition: StateMachineDefinition | string, options: CompileOptions = {}) {
    const given = typeof definition === 'string' ? parseText(definition) : definition;
    checkLimits(options.limits);
    this.options = options;
    this.handlers = { byName: new Map(Object.entries(options.taskHandlers ?? {})), fallback: options.defaultTaskHandler };
    // One set of rules: the static validator decides what is a valid
    // definition; compiling only builds closures for what it accepted.
    // JSON text is checked even without `validate`: nothing else gives it the definition's type.
    if (options.validate !== false || typeof definition === 'string') {
      this.definition = checkedDefinition(given, { type: options.type, warnings: false });
    } else {
      // The validator checks this too; compiling walks the definition recursively, so it is never skipped.
      const notJson = definitionNotJson(definition);
      if (notJson !== undefined) {
        throw new DefinitionError(notJson.nesting ? 'DEFINITION_TOO_DEEP' : 'INVALID_JSON_DESCRIPTION', '', `The definition is not JSON that Step Functions accepts: it holds ${notJson.problem}${notJson.nesting ? '; flatten nested Parallel and Map states' : ''}`);
      }
      this.definition = definition;
    }
    this.machine = compileTopMachine(this.definition);
  }

  /** ARN of this state machine, from its name, region and account. */
  get arn(): string {
    return this.defaultsNow().stateMachineArn;
  }

  /**
   * Starts an execution; returns at once. Await `execution.result` for the outcome. The input
   * is taken as StartExecution takes it, as JSON text: a -0 in it is 0.
   * @throws InvalidExecutionInputError when `input` is not a JSON value (a BigInt,
   *   a function, a circular reference, nesting deeper than 1,000 levels), as
   *   StartExecution refuses input that is not JSON
   */
  start(input: JsonValue = {}, options: StartOptions = {}): Execution {
    const json = jsonTextOf(input);
    if (json === undefined) throw new InvalidExecutionInputError(`The execution input is not a JSON value: ${describeNonJson(input)}.`);
    this.executions++;
    // The options are the caller's object: a default handler set on it since is used from now on.
    const fallback = this.options.defaultTaskHandler;
    if (this.handlers.fallback !== fallback) this.handlers = { byName: this.handlers.byName, fallback };
    return new Execution(this.machine, this.definition, this.defaultsNow(), this.options, json, options, this.executions);
  }

  /** The defaults for the options as they are now (the caller's object, which it may change between starts). */
  private defaultsNow(): ExecutionDefaults {
    const d = this.defaults;
    if (d !== undefined && d.madeFor(this.options, this.handlers)) return d;
    return (this.defaults = new ExecutionDefaults(this.options, this.handlers));
  }
}

/** An execution's Waiters for a task token. */
interface TokenWaiter {
  readonly state: string | undefined;
  readonly resolve: (token: string) => void;
  readonly reject: (e: Error) => void;
}

/** One running execution: its result, and the handle to complete callbacks or stop it. */
export class Execution implements ExecutionControl {
  // Also an ExecutionOwner (its runtime calls back into it), a CancelListener and a TimerTarget
  // (see race), by methods kept out of the public API: not declared, so that the API names none of them.
  // Declared fields set in the constructor (see Call in engine.ts): one execution is made per
  // start, and a field initializer is a second pass over each field.
  /** Resolves when the execution ends, whatever its status. */
  declare public readonly result: Promise<ExecutionResult>;
  /** ARN of the execution. */
  declare public readonly executionArn: string;
  /** Name of the execution. */
  declare public readonly name: string;
  declare private readonly rt: ExecutionState;
  declare private readonly stopSource: CancelSource;
  /** Callers of waitForTaskToken still waiting; made by the first, as most executions issue no token. */
  declare private tokenWaiters: TokenWaiter[] | undefined;
  /**
   * Tokens issued that no waitForTaskToken has taken yet; made by the first. Those whose task has
   * closed, which waitForTaskToken never gives, are dropped whenever the list doubles (pruneTokensAt).
   */
  declare private issuedTokens: Array<{ state: string; token: string }> | undefined;
  declare private pruneTokensAt: number;
  /** The tokens of this execution's closed tasks, so a closed one is told apart from one never issued (the last CLOSED_TOKENS_KEPT); made with the first. */
  declare private closedTokens: ClosedTokens | undefined;
  declare private stopFailure: Failure | undefined;
  /** What StartOptions.interrupt threw, once it has: the result rejects with it. */
  declare private interruption: { readonly error: unknown } | undefined;
  declare private currentStatus: ExecutionStatus;
  /** What `$$.Execution` is made of, kept until something reads it (see executionContext). */
  declare private readonly input: JsonValue;
  declare private readonly startTime: number;
  declare private readonly start: StartOptions;
  declare private readonly defaults: ExecutionDefaults;
  declare private context: JsonObject | undefined;
  /** Ends the race of a waiting run (see onCancelled and timerFired). */
  declare private settleRace: ((winner: 'stopped' | 'timeout') => void) | undefined;
  /** What the run starts from. */
  declare private entry: CompiledMachine;
  declare private definition: StateMachineDefinition;
  declare private variables: VariableStore;
  /** The execution's source of randomness; undefined until first used when it is the seeded default. */
  declare private randomSource: RandomSource | undefined;
  declare private readonly seed: number;
  /** Values drawn from the seed before the source was made. */
  declare private seedDraws: number;

  /** @internal */
  constructor(
    machine: CompiledMachine, definition: StateMachineDefinition, defaults: ExecutionDefaults, options: CompileOptions,
    input: JsonValue, start: StartOptions, ordinal: number,
  ) {
    this.stopSource = new CancelSource();
    this.tokenWaiters = undefined;
    this.issuedTokens = undefined;
    this.pruneTokensAt = TOKENS_PRUNED_FROM;
    this.closedTokens = undefined;
    this.stopFailure = undefined;
    this.interruption = undefined;
    this.currentStatus = 'RUNNING';
    this.input = input;
    this.start = start;
    this.defaults = defaults;
    this.context = undefined;
    this.settleRace = undefined;
    this.seedDraws = 0;
    const clock = start.clock ?? options.clock ?? new VirtualClock();
    const express = defaults.express;
    // The seeded source is made when a state first draws from it (most draw only the name), as
    // `seededRandomAfter` the draws the name took; an EXPRESS execution draws its ARN's id too.
    this.seed = ordinal;
    this.randomSource = start.random ?? options.random ?? (express ? seededRandom(ordinal) : undefined);
    const random = this.randomSource;
    if (start.name !== undefined) {
      this.name = start.name;
    } else if (random !== undefined) {
      this.name = random.uuid();
    } else {
      this.name = firstSeededUuid(ordinal);
      this.seedDraws = 4;
    }
    // An Express execution's ARN names the 'express' resource and ends in an id of its own
    // (recorded: LocalStack's test_express_sync, executionArn and $$.Execution.Id).
    this.executionArn = start.executionArn !== undefined ? checkExecutionArn(start.executionArn, this.name, express)
      : express
        ? `${defaults.expressPrefix}${this.name}:${random!.uuid()}`
        : `${defaults.executionPrefix}${this.name}`;
    const startTime = clock.now();
    this.startTime = startTime;
    this.rt = new ExecutionState(
      this, this.stopSource, defaults, start, clock, this.executionArn,
      { Id: defaults.stateMachineArn, Name: defaults.stateMachineName },
      start.interrupt === undefined ? undefined : this.interruptOf(start.interrupt),
    );
    const variables = new VariableStore();
    // Measured like any Assign, so that variables restored on a redrive count towards the execution's 10 MiB of variables.
    const given = start.variables;
    if (given) variables.assign(given, new Map(Object.keys(given).map((k) => [k, jsonByteLength(given[k])])));
    if (start.startAt !== undefined && !machine.states.has(start.startAt)) {
      throw new DefinitionError('MISSING_TRANSITION_TARGET', '/StartAt', `startAt names no top-level state: '${start.startAt}'`);
    }
    const entry = start.startAt === undefined ? machine : { ...machine, startAt: start.startAt, start: machine.states.get(start.startAt)! };
    if (start.resume) checkResume(start.resume, entry, express);
    this.entry = entry;
    this.definition = definition;
    this.variables = variables;
    // Runs once the caller has the handle (to wait for a token, to stop it). A promise of the
    // execution itself and a function of the module: no closure, and no context to hold its arguments.
    this.result = Promise.resolve(this).then(runExecution);
  }

  /**
   * Runs the execution (once, from `result`).
   * @internal
   */
  runNow(): ExecutionResult | Promise<ExecutionResult> {
    return this.run(this.entry, this.definition, this.input, this.variables, this.startTime, this.defaults.roleArn);
  }

  /**
   * The execution's source of randomness, made on first use.
   * @internal
   */
  random(): RandomSource {
    return (this.randomSource ??= seededRandomAfter(this.seed, this.seedDraws));
  }

  /**
   * The `Execution` part of the Context Object, made on first read.
   * @internal
   */
  executionContext(): JsonObject {
    // Express executions cannot be redriven: their Context Object has no RedriveCount.
    const startedAt = drawnValue(this.rt.random, isoTime(this.startTime), 'startTime');
    const roleArn = this.defaults.roleArn;
    // Fields in the order AWS gives them (its recordings of `$$.Execution`).
    const execution: JsonObject = { Id: this.executionArn, Input: this.input, StartTime: startedAt, Name: this.name, RoleArn: roleArn };
    // Nor has one started before AWS launched redrive (null: a replay of such a recording).
    const redriveCount = this.start.redriveCount;
    this.context ??= this.defaults.express || redriveCount === null ? execution : { ...execution, RedriveCount: redriveCount ?? 0 };
    return this.context;
  }

  /**
   * The history events recorded so far, AWS-shaped: the whole history once the
   * execution has ended (for reading a running execution's history, such as a
   * task token in a `TaskScheduled` event).
   */
  get history(): HistoryEvent[] {
    return this.rt.history.toEvents();
  }

  /** The recorder of this execution's history, to read it an event at a time. @internal */
  get historyRecorder(): HistoryRecorder {
    return this.rt.history;
  }

  /**
   * The Map Runs of the execution so far, by Map Run ARN, with their items counted as their
   * child executions end (live while the execution runs).
   */
  get mapRuns(): ReadonlyMap<string, Readonly<MapRunCounts>> {
    return this.rt.mapRuns ?? NO_MAP_RUNS;
  }

  /** The status now. */
  get status(): ExecutionStatus {
    return this.currentStatus;
  }

  /**
   * Completes the callback task (or activity) that holds `taskToken` with `output`, taken as
   * SendTaskSuccess takes it, as JSON text: a -0 in it is 0, as in any Task's result.
   * @throws InvalidOutputError when `output` is not a JSON value, or its JSON text is over 262,144 UTF-8 bytes
   * @throws ValidationException when `output`'s JSON text is over 262,144 characters (AWS refuses both; the task keeps waiting)
   * @throws TaskTimedOutError when the task is already closed (a token is used once)
   * @throws TaskDoesNotExistError when this execution never issued the token
   */
  sendTaskSuccess(taskToken: string, output: JsonValue): void {
    checkTaskOutput(output);
    this.takePending(taskToken).resolve(output);
  }

  /**
   * Fails the callback task (or activity) that holds `taskToken`. Both `error` and `cause` are
   * optional, as in the SendTaskFailure API (null counts as absent): with no error the task
   * fails with no error name, which AWS records as a TaskFailed without `error`, and which a
   * `States.ALL` or `States.TaskFailed` Catch or Retry handles (a catcher receives `"Error": null`).
   * @throws ValidationException when `error` or `cause` is neither a string nor null, or too long (256 / 32,768 characters)
   * @throws TaskTimedOutError when the task is already closed
   * @throws TaskDoesNotExistError when this execution never issued the token
   */
  sendTaskFailure(taskToken: string, error?: string | null, cause?: string | null): void {
    const failure = taskFailureOf(error, cause);
    this.takePending(taskToken).reject(failure);
  }

  /** Resets the HeartbeatSeconds timer of the task that holds `taskToken`. */
  sendTaskHeartbeat(taskToken: string): void {
    this.pendingFor(taskToken).heartbeat();
  }

  private pendingFor(taskToken: string): PendingCallback {
    const pending = this.rt.callbacks?.get(taskToken);
    if (pending) return pending;
    throw this.closedTokens?.has(taskToken) ? new TaskTimedOutError(taskToken) : new TaskDoesNotExistError(taskToken);
  }

  /** The pending task, closed at once: its token answers only one success or failure. */
  private takePending(taskToken: string): PendingCallback {
    const pending = this.pendingFor(taskToken);
    closeCallback(this.rt, taskToken);
    return pending;
  }

  /** Stops the execution: it ends ABORTED, with the error and cause given (AWS records none when none is given). */
  /**
   * StartOptions.interrupt as the runtime asks it: the first time it throws, the execution ends
   * there (as a stop ends it) and keeps the error, which every later ask throws again.
   */
  private interruptOf(check: () => void): () => void {
    return () => {
      if (this.interruption !== undefined) throw this.interruption.error;
      try {
        check();
      } catch (e) {
        this.interruption = { error: e };
        this.rt.ended ??= { error: '', cause: undefined };
        this.stopSource.cancel();
        throw e;
      }
    };
  }

  stop(error?: string, cause?: string): void {
    if (this.currentStatus !== 'RUNNING') return;
    this.stopFailure = { error: error ?? '', cause };
    this.rt.ended = this.stopFailure;
    this.stopSource.cancel();
  }

  /**
   * Ends a running execution FAILED, with this error and cause, when it next enters a state: for a
   * host that cannot give it more room (what runs until then records nothing more); `atTransition`,
   * once what runs (a Task's answer, its exit) is recorded, as DeleteStateMachine ends executions
   * "on the next state transition". Nothing happens once it has ended.
   * @internal
   */
  failAtNextState(error: string, cause: string, atTransition = false): void {
    if (this.currentStatus !== 'RUNNING' || this.rt.ended !== undefined) return;
    if (atTransition) return void (this.rt.failsAtEntry ??= new RunFailure(error, cause));
    this.rt.ended = this.rt.limitFailure ??= new RunFailure(error, cause);
  }

  /**
   * Resolves with the next task token issued (by the named state, if given):
   * the token of a `.waitForTaskToken` task or an activity, for completing it
   * with sendTaskSuccess / sendTaskFailure. Rejects when the execution ends
   * (or has ended) without issuing one.
   */
  waitForTaskToken(stateName?: string): Promise<string> {
    const issued = this.issuedTokens?.findIndex((t) => (stateName === undefined || t.state === stateName) && this.rt.callbacks?.has(t.token) === true)
      ?? -1;
    if (issued >= 0) return Promise.resolve(this.issuedTokens!.splice(issued, 1)[0].token);
    if (this.currentStatus !== 'RUNNING') return Promise.reject(noTokenError(stateName, this.currentStatus, this.rt.path));
    return new Promise((resolve, reject) => (this.tokenWaiters ??= []).push({ state: stateName, resolve, reject }));
  }

  /**
   * A task token has been issued by state `state`: to the first caller of waitForTaskToken
   * waiting for that state's (or any) token, or kept for the next. Named by the Task that issued
   * it, not by the state entered last: the branches of a Parallel or Map enter their states
   * before any of them issues its token.
   * @internal
   */
  tokenIssued(token: string, state: string): void {
    const w = this.tokenWaiters?.findIndex((t) => t.state === undefined || t.state === state) ?? -1;
    if (w >= 0) return void this.tokenWaiters!.splice(w, 1)[0].resolve(token);
    let issued = this.issuedTokens ??= [];
    if (issued.length >= this.pruneTokensAt) {
      const open = this.rt.callbacks;
      issued = this.issuedTokens = issued.filter((t) => open?.has(t.token) === true);
      this.pruneTokensAt = Math.max(TOKENS_PRUNED_FROM, 2 * issued.length);
    }
    issued.push({ state, token });
  }

  /**
   * The task holding a token this execution (or a child of its DISTRIBUTED Map) issued has closed.
   * @internal
   */
  tokenClosed(token: string): void {
    (this.closedTokens ??= new ClosedTokens()).add(token);
  }

  /**
   * How many task tokens the execution keeps: those no waitForTaskToken has taken, and those of
   * closed tasks it remembers. For tests of their bounds.
   * @internal
   */
  get keptTokens(): { readonly untaken: number; readonly closed: number } {
    return { untaken: this.issuedTokens?.length ?? 0, closed: this.closedTokens?.size ?? 0 };
  }

  /**
   * Runs the execution. Not an async function: most executions finish without waiting on
   * anything, and an async function allocates its frame and a promise on every call; only a run
   * that waits goes through `race`.
   */
  private run(
    machine: CompiledMachine, definition: StateMachineDefinition, input: JsonValue, variables: VariableStore, startTime: number, roleArn: string,
  ): ExecutionResult | Promise<ExecutionResult> {
    const rt = this.rt;
    const frame: Frame = newFrame(rt, variables, true, undefined, 0);
    addEvent(frame, 'ExecutionStarted', 'executionStartedEventDetails', rt.recordHistory ? { input, roleArn } : undefined);
    // AWS does not chain the first state to ExecutionStarted: its previousEventId is 0.
    frame.lastEventId = 0;
    // Measured up to the limit only: an input over it fails here, however far over it is.
    if (rt.maxPayloadBytes !== Infinity) frame.valueSize = jsonByteLengthWithin(input, rt.maxPayloadBytes);
    if (frame.valueSize !== undefined && frame.valueSize > rt.maxPayloadBytes) {
      const failure = { error: StatesErrors.DATA_LIMIT_EXCEEDED, cause: `The execution input exceeds the maximum of ${rt.maxPayloadBytes} bytes.` };
      return this.finish(frame, startTime, 'FAILED', undefined, failure, false);
    }
    const maxSeconds = rt.express ? AwsLimits.EXPRESS_DURATION_SECONDS : AwsLimits.STANDARD_DURATION_SECONDS;
    const ownTimeout = definition.TimeoutSeconds;
    const timeoutSeconds = ownTimeout !== undefined && ownTimeout <= maxSeconds ? ownTimeout : maxSeconds;
    const run = runMachine(machine, input, frame);
    // Finished without waiting on anything: nothing to race against. A stop before the run began
    // (StopExecution at once after StartExecution) ends it at its first state: ABORTED, as any stop.
    if (!(run instanceof Promise)) return this.ended(frame, startTime, this.stopFailure !== undefined ? 'stopped' : run);
    return this.race(frame, startTime, run, timeoutSeconds, timeoutSeconds === ownTimeout);
  }

  /**
   * A run that waits, raced against a stop and the execution's timeout. Written with `then`
   * rather than `await Promise.race`, which made an async frame and an iterator and its results
   * for each execution, and listening to the stop with the execution itself (onCancelled) rather
   * than with a promise of its own; each outcome reaches `ended` after as many microtasks as it did then.
   */
  private race(frame: Frame, startTime: number, run: Promise<RunOutcome>, timeoutSeconds: number, ownTimeout: boolean): Promise<ExecutionResult> {
    const clock = this.rt.clock;
    const deadline = startTime + timeoutSeconds * 1000;
    // The definition's own TimeoutSeconds moves a virtual clock like any timer; AWS's maximum
    // duration only fires once other work carries the clock past it, so a test still about to
    // call sendTaskSuccess does not see its execution jump a year ahead.
    let timer: CancelSource | undefined;
    let wake: CancelListener | undefined;
    let expired: Promise<'timeout'> | undefined;
    if (deadline > clock.now() && isPlainVirtualClock(clock)) {
      // The same timer, telling the execution (timerFired) rather than resolving a promise.
      wake = clock.wakeAt(deadline, !ownTimeout, this);
    } else {
      timer = new CancelSource();
      const expiry = ownTimeout ? clock.sleepUntil(deadline, timer) : clock.sleepUntilPassed?.(deadline, timer);
      expired = expiry?.then(timedOut);
    }
    const first = new Promise<RunOutcome | 'stopped' | 'timeout'>((resolve, reject) => {
      this.settleRace = resolve;
      run.then(resolve, reject);
      if (this.stopSource.cancelled) void Promise.resolve('stopped' as const).then(resolve);
      else this.stopSource.listen(this);
      if (expired) expired.then(resolve, reject);
    });
    return first.then((winner) => {
      if (timer !== undefined) timer.cancel();
      else wake!.onCancelled();
      return this.ended(frame, startTime, winner);
    });
  }

  /**
   * The execution was stopped while its run waited: the race of `race` ends 'stopped' in the
   * next microtask, as a promise resolved now would make it.
   * @internal
   */
  onCancelled(): void {
    const settle = this.settleRace;
    if (settle !== undefined) void Promise.resolve('stopped' as const).then(settle);
  }

  /**
   * The execution's time limit was reached while its run waited: the race ends 'timeout' two
   * microtasks on, as the promise of a sleep resolved now, and a `then` of it, would make it.
   * @internal
   */
  timerFired(): void {
    const settle = this.settleRace;
    if (settle !== undefined) void Promise.resolve().then(timedOut).then(settle);
  }

  /** The result of a run that ended with `winner`. */
  private ended(frame: Frame, startTime: number, winner: RunOutcome | 'stopped' | 'timeout'): ExecutionResult {
    const rt = this.rt;
    // Stopped or timed out while its Map states run: their children end with it, before its result is made.
    if (winner === 'stopped' || winner === 'timeout') rt.endChildren?.();
    if (winner === 'stopped') return this.finish(frame, startTime, 'ABORTED', undefined, this.stopFailure, false);
    if (winner === 'timeout') {
      // AWS records no error or cause for it in DescribeExecution ('' is "no error", as for a stop);
      // only its ExecutionTimedOut event names States.Timeout.
      const failure = { error: '', cause: undefined };
      rt.ended = failure;
      this.stopSource.cancel();
      // Set when the clock ran past TimeoutSeconds or the maximum duration, not when the EXPRESS loop
      // bound (stepwright's own stand-in for that duration, which keeps its explanation) ended the run.
      return this.finish(frame, startTime, 'TIMED_OUT', undefined, failure, true);
    }
    if (winner.ok) return this.finish(frame, startTime, 'SUCCEEDED', winner.output, undefined, false);
    const failure = rt.limitFailure ?? winner.failure;
    const status = rt.transitionsBoundDuration && failure === rt.limitFailure && failure.error === StatesErrors.TIMEOUT ? 'TIMED_OUT' : 'FAILED';
    return this.finish(frame, startTime, status, undefined, failure, false);
  }

  /** Records how the execution ended and makes its result. */
  private finish(
    frame: Frame, startTime: number, status: ExecutionStatus, output: JsonValue | undefined, failure: Failure | undefined, clockTimeout: boolean,
  ): ExecutionResult {
    const rt = this.rt;
    rt.ended ??= failure ?? SUCCEEDED;
    if (this.interruption !== undefined) {
      // Cut short from outside: no closing event, no result; the caller gets what its interrupt threw.
      this.currentStatus = 'ABORTED';
      for (const waiter of this.tokenWaiters?.splice(0) ?? []) waiter.reject(noTokenError(waiter.state, 'ABORTED', rt.path));
      throw this.interruption.error;
    }
    // The closing event is recorded even when the history limit ended the execution.
    rt.maxHistoryEvents = Infinity;
    const lastEvents = frame;
    switch (status) {
      case 'SUCCEEDED': addEvent(lastEvents, 'ExecutionSucceeded', 'executionSucceededEventDetails', rt.recordHistory ? { output } : undefined); break;
      case 'FAILED': addEvent(lastEvents, 'ExecutionFailed', 'executionFailedEventDetails', { error: failure?.error || undefined, cause: failure?.cause }); break;
      case 'TIMED_OUT':
        if (clockTimeout) {
          // As AWS records it: the timeout comes from the clock, not from the last state, so the event
          // links to no earlier one, and States.Timeout is named here only, with no cause.
          lastEvents.lastEventId = 0;
          addEvent(lastEvents, 'ExecutionTimedOut', 'executionTimedOutEventDetails', { error: StatesErrors.TIMEOUT });
        } else {
          addEvent(lastEvents, 'ExecutionTimedOut', 'executionTimedOutEventDetails', { error: failure?.error || undefined, cause: failure?.cause });
        }
        break;
      default:
        // A stop comes from outside the execution: AWS links its ExecutionAborted to no earlier event.
        lastEvents.lastEventId = 0;
        addEvent(lastEvents, 'ExecutionAborted', 'executionAbortedEventDetails', { error: failure?.error || undefined, cause: failure?.cause });
        break;
    }
    this.currentStatus = status;
    if (this.tokenWaiters !== undefined && this.tokenWaiters.length > 0) {
      for (const waiter of this.tokenWaiters.splice(0)) waiter.reject(noTokenError(waiter.state, status, rt.path));
    }
    const result = new Result(rt.history, rt.path, this.executionArn, startTime, rt.clock.now(), status);
    if (status === 'SUCCEEDED') result.output = output;
    // A Fail state without Error (or Cause) ends the execution without one, as in AWS.
    if (failure && status !== 'SUCCEEDED' && failure.error !== '') result.error = failure.error;
    if (failure && status !== 'SUCCEEDED' && failure.cause !== undefined) result.cause = failure.cause;
    if (status !== 'SUCCEEDED') result.keepChildren(completedChildren(rt.completedChildren, frame));
    if (rt.childExecutions !== undefined) result.keepChildExecutions([...rt.childExecutions.values()]);
    if (rt.unrecorded !== undefined) result.keepUnrecorded(rt.unrecorded);
    return result;
  }
}

/**
 * Starts an execution: the callback of the promise its `result` waits on. What it returns is a
 * promise, as when `run` was an async function, so that `result` settles in the same microtask
 * as it did then (two after the run ends).
 */
function runExecution(execution: Execution): Promise<ExecutionResult> {
  let ran: ExecutionResult | Promise<ExecutionResult>;
  try {
    ran = execution.runNow();
  } catch (e) {
    return Promise.reject(e);
  }
  return ran instanceof Promise ? ran : Promise.resolve(ran);
}

const SLEEP_UNTIL = VirtualClock.prototype.sleepUntil;
const SLEEP_UNTIL_PASSED = VirtualClock.prototype.sleepUntilPassed;

/** A VirtualClock whose sleeps are its own (not a subclass's), so its wakeAt wakes as they would. */
function isPlainVirtualClock(clock: Clock): clock is VirtualClock {
  return clock instanceof VirtualClock && clock.sleepUntil === SLEEP_UNTIL && clock.sleepUntilPassed === SLEEP_UNTIL_PASSED;
}

/** What the execution's timeout resolves to in the race of Execution.race. */
function timedOut(): 'timeout' {
  return 'timeout';
}

/** What `ended` holds once an execution has succeeded. */
const SUCCEEDED: Failure = { error: InternalErrors.SUCCEEDED, cause: undefined };

/** What the top-level Map or Parallel the execution ended in had completed, if it ended in one. */
function completedChildren(children: ChildOutputs | undefined, top: Frame): CompletedChildren | undefined {
  if (children === undefined || top.current?.name !== children.state) return undefined;
  const outputs = new Map<number, JsonValue>();
  children.outputs.forEach((output, index) => {
    if (!children.failed.has(index)) outputs.set(index, output);
  });
  return children.mapRunArn === undefined ? { state: children.state, outputs } : { state: children.state, outputs, mapRunArn: children.mapRunArn };
}
