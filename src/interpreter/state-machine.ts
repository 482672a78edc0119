import { CancelSource } from './cancel';
import { VirtualClock } from './clock';
import { compileMachine } from './compile';
import { addEvent, runMachine, type CompiledMachine, type RunOutcome } from './engine';
import type {
  ChildExecutionUsage, CompileOptions, CompletedChildren, ExecutionControl, ExecutionResult, ExecutionStatus, MapRunCounts, StartOptions,
} from './execution-types';
import { HistoryRecorder, type HistoryEvent } from './history-recorder';
import {
  ExecutionState, isoTime, newFrame, type ChildOutputs, type ExecutionRuntime, type Failure, type Frame, type PendingCallback, type TaskHandlerTable,
} from './runtime';
import { jsonByteLength, jsonByteLengthWithin, MAX_PAYLOAD_BYTES } from './size';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../asl';
import { describeNonJson, describeNonJsonDocument } from '../asl/json-value';
import { drawnValue, seededRandom } from '../asl/random';
import { DefinitionError, StatesError } from '../asl/states-errors';
import { InvalidDefinitionError, validateDefinition } from '../asl/validate';
import { VariableStore } from '../asl/variables';

/** An execution's Map Runs before it has any. */
const NO_MAP_RUNS: ReadonlyMap<string, MapRunCounts> = new Map();

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

  constructor(definition: StateMachineDefinition | string, options: CompileOptions = {}) {
    this.definition = parseDefinition(definition);
    checkLimits(options.limits);
    this.options = options;
    this.handlers = { byName: new Map(Object.entries(options.taskHandlers ?? {})), fallback: options.defaultTaskHandler };
    // One set of rules: the static validator decides what is a valid
    // definition; compiling only builds closures for what it accepted.
    if (options.validate !== false) {
      const errors = validateDefinition(this.definition, { type: options.type, warnings: false }).filter((f) => f.severity === 'error');
      if (errors.length > 0) throw new InvalidDefinitionError(errors);
    } else {
      // The validator checks this too; compiling walks the definition recursively, so it is never skipped.
      const notJson = describeNonJsonDocument(this.definition);
      if (notJson !== undefined) {
        throw new DefinitionError('DEFINITION_TOO_DEEP', '', `The definition is not JSON that Step Functions accepts: it holds ${notJson}; flatten nested Parallel and Map states`);
      }
    }
    const language = this.definition.QueryLanguage ?? 'JSONPath';
    this.machine = compileMachine(this.definition, '', language);
  }

  /** ARN of this state machine, from its name, region and account. */
  get arn(): string {
    const o = this.options;
    return `arn:aws:states:${o.region ?? 'us-east-1'}:${o.accountId ?? '123456789012'}:stateMachine:${o.stateMachineName ?? 'StateMachine'}`;
  }

  /**
   * Starts an execution; returns at once. Await `execution.result` for the outcome.
   * @throws InvalidExecutionInputError when `input` is not a JSON value (a BigInt,
   *   a function, a circular reference, nesting deeper than 1,000 levels), as
   *   StartExecution refuses input that is not JSON
   */
  start(input: JsonValue = {}, options: StartOptions = {}): Execution {
    const problem = describeNonJson(input);
    if (problem !== undefined) throw new InvalidExecutionInputError(`The execution input is not a JSON value: ${problem}.`);
    this.executions++;
    // The options are the caller's object: a default handler set on it since is used from now on.
    const fallback = this.options.defaultTaskHandler;
    if (this.handlers.fallback !== fallback) this.handlers = { byName: this.handlers.byName, fallback };
    return new Execution(this.machine, this.definition, this.options, this.handlers, input, options, this.executions);
  }
}

function parseDefinition(definition: StateMachineDefinition | string): StateMachineDefinition {
  if (typeof definition !== 'string') return definition;
  try {
    return JSON.parse(definition) as StateMachineDefinition;
  } catch (e) {
    throw new DefinitionError('INVALID_JSON_DESCRIPTION', '', `The definition is not valid JSON: ${(e as Error).message}`);
  }
}

/** How long an EXPRESS execution may run on AWS: 5 minutes. */
const EXPRESS_MAX_SECONDS = 300;
/** How long a STANDARD execution may run on AWS: one year (365 days). */
const STANDARD_MAX_SECONDS = 365 * 24 * 3600;
/**
 * States an EXPRESS execution may enter when the caller sets no
 * limits.maxTransitions. An endless loop of Pass and Choice states never
 * advances the (virtual) clock, so AWS's 5-minute limit alone would never end
 * it; past this many states it ends TIMED_OUT, as on AWS. A million is far
 * more than AWS runs in 5 minutes, and still ends in seconds here.
 */
const EXPRESS_MAX_TRANSITIONS = 1_000_000;

/**
 * A task token this execution never issued (AWS's `TaskDoesNotExist`).
 * @example
 * expect(() => execution.sendTaskSuccess('no-such-token', {})).toThrow(TaskDoesNotExistError);
 */
export class TaskDoesNotExistError extends Error {
  constructor(token: string) {
    super(`No pending task holds the task token '${token}': this execution never issued it`);
    this.name = 'TaskDoesNotExist';
  }
}

/**
 * A task token whose task is over: completed, failed, timed out, or its
 * execution ended (AWS's `TaskTimedOut`, "the task associated with the token
 * has already been closed"). A token answers one sendTaskSuccess or sendTaskFailure.
 * @example
 * execution.sendTaskSuccess(token, { ok: true });
 * expect(() => execution.sendTaskSuccess(token, { ok: true })).toThrow(TaskTimedOutError);
 */
export class TaskTimedOutError extends Error {
  constructor(token: string) {
    super(`The task holding the task token '${token}' is already closed: it was completed, failed or timed out, or its execution ended`);
    this.name = 'TaskTimedOut';
  }
}

/**
 * `sendTaskSuccess` output that is not a JSON value (AWS's `InvalidOutput`):
 * `undefined`, a BigInt, a function, a cycle, nesting deeper than 1,000 levels.
 * @example
 * expect(() => execution.sendTaskSuccess(token, undefined as never)).toThrow(InvalidOutputError);
 */
export class InvalidOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOutput';
  }
}

/**
 * Execution input that is not a JSON value (AWS's `InvalidExecutionInput`),
 * thrown by `StateMachine.start`.
 * @example
 * expect(() => machine.start({ id: 1n } as never)).toThrow(InvalidExecutionInputError);
 */
export class InvalidExecutionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidExecutionInput';
  }
}

/**
 * An argument of an API call with the wrong type or length (AWS's `ValidationException`).
 * @example
 * expect(() => execution.sendTaskFailure(token, 5 as never)).toThrow(ValidationException);
 */
export class ValidationException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationException';
  }
}

/**
 * An option given to compileStateMachine or StateMachine.start that cannot be used, naming it.
 * @example
 * expect(() => compileStateMachine(def, { limits: { maxPayloadBytes: NaN } })).toThrow(InvalidOptionError);
 * expect(() => machine.start(input, { resume: { state: 'NotAMap', outputs: new Map() } })).toThrow(InvalidOptionError);
 */
export class InvalidOptionError extends Error {
  /** The option, for example `limits.maxPayloadBytes`. */
  public readonly option: string;
  constructor(option: string, message: string) {
    super(message);
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

/** Each limit is a positive integer, or Infinity for none; NaN would silently turn a limit off. */
function checkLimits(limits: CompileOptions['limits']): void {
  if (limits === undefined) return;
  if (limits === null || typeof limits !== 'object') {
    throw new InvalidOptionError('limits', `limits must be an object, got ${JSON.stringify(limits)}`);
  }
  for (const key of ['maxHistoryEvents', 'maxTransitions', 'maxPayloadBytes'] as const) {
    const value: unknown = limits[key];
    if (value === undefined || value === Infinity) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new InvalidOptionError(`limits.${key}`, `limits.${key} must be a positive integer (or Infinity for no limit), got ${String(value)}`);
    }
  }
}

/** StartOptions.executionArn: an execution ARN (`execution:` or, for EXPRESS, `express:`) naming this execution. */
function checkExecutionArn(arn: unknown, name: string, express: boolean): string {
  const kind = express ? 'express' : 'execution';
  const parts = typeof arn === 'string' ? arn.split(':') : [];
  const ok = parts.length === (express ? 9 : 8) && parts[0] === 'arn' && parts[2] === 'states' && parts[5] === kind && parts[7] === name;
  if (!ok) {
    throw new InvalidOptionError('executionArn', `executionArn must be an ARN of the form arn:aws:states:<region>:<account>:${kind}:<state machine>:${name}${express ? ':<id>' : ''}, got ${JSON.stringify(arn)}`);
  }
  return arn as string;
}

/** AWS's lengths for SendTaskFailure's `error` and `cause`. */
const MAX_TASK_ERROR_LENGTH = 256;
const MAX_TASK_CAUSE_LENGTH = 32_768;

/**
 * Checks SendTaskFailure's optional `error` or `cause`: absent, null (how a JSON request leaves a
 * member out, which AWS accepts) or a string of AWS's length. Returns the string, or undefined.
 */
function failureText(field: 'error' | 'cause', value: unknown, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationException(`sendTaskFailure: '${field}' must be a string, got ${typeof value === 'bigint' ? 'a BigInt' : JSON.stringify(value) ?? typeof value}`);
  if (value.length > max) throw new ValidationException(`sendTaskFailure: '${field}' must be at most ${max} characters, got ${value.length}`);
  return value;
}

/** One running execution: its result, and the handle to complete callbacks or stop it. */
export class Execution implements ExecutionControl {
  /** Resolves when the execution ends, whatever its status. */
  public readonly result: Promise<ExecutionResult>;
  /** ARN of the execution. */
  public readonly executionArn: string;
  /** Name of the execution. */
  public readonly name: string;
  private readonly rt: ExecutionRuntime;
  private readonly stopSource = new CancelSource();
  private readonly tokenWaiters: Array<{ state: string | undefined; resolve: (token: string) => void; reject: (e: Error) => void }> = [];
  private readonly issuedTokens: Array<{ state: string; token: string }> = [];
  /** Every token this execution issued, so a closed one is told apart from one never issued; created with the first. */
  private knownTokens: Set<string> | undefined;
  private stopFailure: Failure | undefined;
  /** What StartOptions.interrupt threw, once it has: the result rejects with it. */
  private interruption: { readonly error: unknown } | undefined;
  private currentStatus: ExecutionStatus = 'RUNNING';

  /** @internal */
  constructor(
    machine: CompiledMachine, definition: StateMachineDefinition, options: CompileOptions,
    handlers: TaskHandlerTable, input: JsonValue, start: StartOptions, ordinal: number,
  ) {
    const clock = start.clock ?? options.clock ?? new VirtualClock();
    const random = start.random ?? options.random ?? seededRandom(ordinal);
    const region = options.region ?? 'us-east-1';
    const accountId = options.accountId ?? '123456789012';
    const smName = options.stateMachineName ?? 'StateMachine';
    this.name = start.name ?? random.uuid();
    const express = options.type === 'EXPRESS';
    // An Express execution's ARN names the 'express' resource and ends in an id of its own
    // (recorded: LocalStack's test_express_sync, executionArn and $$.Execution.Id).
    this.executionArn = start.executionArn !== undefined ? checkExecutionArn(start.executionArn, this.name, express)
      : express
        ? `arn:aws:states:${region}:${accountId}:express:${smName}:${this.name}:${random.uuid()}`
        : `arn:aws:states:${region}:${accountId}:execution:${smName}:${this.name}`;
    const startTime = clock.now();
    const limits = options.limits ?? {};
    const executionArn = this.executionArn;
    const name = this.name;
    const roleArn = options.roleArn ?? `arn:aws:iam::${accountId}:role/StepFunctionsRole`;
    let executionContext: JsonObject | undefined;
    const self = this;
    this.rt = new ExecutionState({
      history: new HistoryRecorder(clock),
      recordHistory: options.recordHistory !== false,
      inlineChildEvents: start.inlineChildEvents === true,
      childHistories: start.childHistories,
      localS3: start.localS3,
      onChildExecution: start.onChildExecution,
      requestCheck: start.requestCheck,
      clock,
      random,
      handlers,
      activityExists: options.activityExists,
      maxHistoryEvents: options.type === 'EXPRESS' ? Infinity : limits.maxHistoryEvents ?? 25_000,
      maxTransitions: limits.maxTransitions ?? (options.type === 'EXPRESS' ? EXPRESS_MAX_TRANSITIONS : Infinity),
      transitionsBoundDuration: limits.maxTransitions === undefined && options.type === 'EXPRESS',
      maxPayloadBytes: limits.maxPayloadBytes ?? MAX_PAYLOAD_BYTES,
      express,
      region,
      accountId,
      executionContext: () => {
        // Express executions cannot be redriven: their Context Object has no RedriveCount.
        const startedAt = drawnValue(random, isoTime(startTime), 'startTime');
        // Fields in the order AWS gives them (its recordings of `$$.Execution`).
        executionContext ??= express
          ? { Id: executionArn, Input: input, StartTime: startedAt, Name: name, RoleArn: roleArn }
          : { Id: executionArn, Input: input, StartTime: startedAt, Name: name, RoleArn: roleArn, RedriveCount: start.redriveCount ?? 0 };
        return executionContext;
      },
      executionArn,
      contextStateMachine: { Id: `arn:aws:states:${region}:${accountId}:stateMachine:${smName}`, Name: smName },
      tokenIssued: (token) => self.tokenIssued(token),
      control: this,
      stopSignal: this.stopSource,
      resume: start.resume,
      interrupt: start.interrupt === undefined ? undefined : this.interruptOf(start.interrupt),
      contextObject: start.contextObject,
    });
    const variables = new VariableStore();
    // Measured like any Assign, so that variables restored on a redrive count towards the execution's 10 MiB of variables.
    const given = start.variables;
    if (given) variables.assign(given, new Map(Object.keys(given).map((k) => [k, jsonByteLength(given[k])])));
    if (start.startAt !== undefined && !machine.states.has(start.startAt)) {
      throw new DefinitionError('MISSING_TRANSITION_TARGET', '/StartAt', `startAt names no top-level state: '${start.startAt}'`);
    }
    const entry = start.startAt === undefined ? machine : { ...machine, startAt: start.startAt, start: machine.states.get(start.startAt)! };
    if (start.resume) checkResume(start.resume, entry, express);
    this.result = Promise.resolve().then(() => this.run(entry, definition, input, variables, startTime, roleArn));
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
   * Completes the callback task (or activity) that holds `taskToken` with `output`.
   * @throws InvalidOutputError when `output` is not a JSON value
   * @throws TaskTimedOutError when the task is already closed (a token is used once)
   * @throws TaskDoesNotExistError when this execution never issued the token
   */
  sendTaskSuccess(taskToken: string, output: JsonValue): void {
    const problem = describeNonJson(output);
    if (problem !== undefined) throw new InvalidOutputError(`sendTaskSuccess: the output is not a JSON value: ${problem}.`);
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
    const name = failureText('error', error, MAX_TASK_ERROR_LENGTH);
    const why = failureText('cause', cause, MAX_TASK_CAUSE_LENGTH);
    this.takePending(taskToken).reject(new StatesError(name ?? '', why));
  }

  /** Resets the HeartbeatSeconds timer of the task that holds `taskToken`. */
  sendTaskHeartbeat(taskToken: string): void {
    this.pendingFor(taskToken).heartbeat();
  }

  private pendingFor(taskToken: string): PendingCallback {
    const pending = this.rt.callbacks?.get(taskToken);
    if (pending) return pending;
    throw this.knownTokens?.has(taskToken) ? new TaskTimedOutError(taskToken) : new TaskDoesNotExistError(taskToken);
  }

  /** The pending task, closed at once: its token answers only one success or failure. */
  private takePending(taskToken: string): PendingCallback {
    const pending = this.pendingFor(taskToken);
    this.rt.callbacks?.delete(taskToken);
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
   * Ends a running execution FAILED, with this error and cause, when it next
   * enters a state: for a host that cannot give it more room, as the history
   * limit ends it. Nothing happens once it has ended.
   * @internal
   */
  failAtNextState(error: string, cause: string): void {
    if (this.currentStatus !== 'RUNNING' || this.rt.ended !== undefined) return;
    this.rt.limitFailure ??= { error, cause };
    this.rt.ended = this.rt.limitFailure;
  }

  /**
   * Resolves with the next task token issued (by the named state, if given):
   * the token of a `.waitForTaskToken` task or an activity, for completing it
   * with sendTaskSuccess / sendTaskFailure. Rejects when the execution ends
   * (or has ended) without issuing one.
   */
  waitForTaskToken(stateName?: string): Promise<string> {
    const issued = this.issuedTokens.findIndex((t) => (stateName === undefined || t.state === stateName) && this.rt.callbacks?.has(t.token) === true);
    if (issued >= 0) return Promise.resolve(this.issuedTokens.splice(issued, 1)[0].token);
    if (this.currentStatus !== 'RUNNING') return Promise.reject(noTokenError(stateName, this.currentStatus, this.rt.path));
    return new Promise((resolve, reject) => this.tokenWaiters.push({ state: stateName, resolve, reject }));
  }

  private tokenIssued(token: string): void {
    (this.knownTokens ??= new Set()).add(token);
    const state = this.rt.path[this.rt.path.length - 1] ?? '';
    const w = this.tokenWaiters.findIndex((t) => t.state === undefined || t.state === state);
    if (w >= 0) this.tokenWaiters.splice(w, 1)[0].resolve(token);
    else this.issuedTokens.push({ state, token });
  }

  private async run(
    machine: CompiledMachine, definition: StateMachineDefinition, input: JsonValue, variables: VariableStore, startTime: number, roleArn: string,
  ): Promise<ExecutionResult> {
    const rt = this.rt;
    const frame: Frame = newFrame(rt, variables, true, undefined, 0);
    addEvent(frame, 'ExecutionStarted', 'executionStartedEventDetails', { input, roleArn });
    // AWS does not chain the first state to ExecutionStarted: its previousEventId is 0.
    frame.lastEventId = 0;
    let status: ExecutionStatus;
    let output: JsonValue | undefined;
    let failure: Failure | undefined;
    // Set when the clock ran past TimeoutSeconds or the maximum duration, not when the EXPRESS loop
    // bound (stepwright's own stand-in for that duration, which keeps its explanation) ended the run.
    let clockTimeout = false;
    // Measured up to the limit only: an input over it fails here, however far over it is.
    if (rt.maxPayloadBytes !== Infinity) frame.valueSize = jsonByteLengthWithin(input, rt.maxPayloadBytes);
    if (frame.valueSize !== undefined && frame.valueSize > rt.maxPayloadBytes) {
      status = 'FAILED';
      failure = { error: 'States.DataLimitExceeded', cause: `The execution input exceeds the maximum of ${rt.maxPayloadBytes} bytes.` };
    } else {
      const maxSeconds = rt.express ? EXPRESS_MAX_SECONDS : STANDARD_MAX_SECONDS;
      const ownTimeout = definition.TimeoutSeconds;
      const timeoutSeconds = ownTimeout !== undefined && ownTimeout <= maxSeconds ? ownTimeout : maxSeconds;
      const run = runMachine(machine, input, frame);
      let winner: RunOutcome | 'stopped' | 'timeout';
      if (!(run instanceof Promise)) {
        // Finished without waiting on anything: nothing to race against.
        winner = run;
      } else {
        const racers: Array<Promise<RunOutcome | 'stopped' | 'timeout'>> = [run];
        racers.push(new Promise((resolve) => this.stopSource.onCancel(() => resolve('stopped'))));
        const timer = new CancelSource();
        const deadline = startTime + timeoutSeconds * 1000;
        // The definition's own TimeoutSeconds moves a virtual clock like any timer; AWS's maximum
        // duration only fires once other work carries the clock past it, so a test still about to
        // call sendTaskSuccess does not see its execution jump a year ahead.
        const expiry = timeoutSeconds === ownTimeout
          ? rt.clock.sleepUntil(deadline, timer)
          : rt.clock.sleepUntilPassed?.(deadline, timer);
        if (expiry) racers.push(expiry.then(() => 'timeout' as const));
        winner = await Promise.race(racers);
        timer.cancel();
      }
      if (winner === 'stopped') {
        status = 'ABORTED';
        failure = this.stopFailure;
      } else if (winner === 'timeout') {
        status = 'TIMED_OUT';
        clockTimeout = true;
        // AWS records no error or cause for it in DescribeExecution ('' is "no error", as for a stop);
        // only its ExecutionTimedOut event names States.Timeout.
        failure = { error: '', cause: undefined };
        rt.ended = failure;
        this.stopSource.cancel();
      } else if (winner.ok) {
        status = 'SUCCEEDED';
        output = winner.output;
      } else {
        failure = rt.limitFailure ?? winner.failure;
        status = rt.transitionsBoundDuration && failure === rt.limitFailure && failure.error === 'States.Timeout' ? 'TIMED_OUT' : 'FAILED';
      }
    }
    rt.ended ??= failure ?? { error: 'States.Succeeded', cause: undefined };
    if (this.interruption !== undefined) {
      // Cut short from outside: no closing event, no result; the caller gets what its interrupt threw.
      this.currentStatus = 'ABORTED';
      for (const waiter of this.tokenWaiters.splice(0)) waiter.reject(noTokenError(waiter.state, 'ABORTED', rt.path));
      throw this.interruption.error;
    }
    // The closing event is recorded even when the history limit ended the execution.
    rt.maxHistoryEvents = Infinity;
    const lastEvents = frame;
    switch (status) {
      case 'SUCCEEDED': addEvent(lastEvents, 'ExecutionSucceeded', 'executionSucceededEventDetails', { output }); break;
      case 'FAILED': addEvent(lastEvents, 'ExecutionFailed', 'executionFailedEventDetails', { error: failure?.error || undefined, cause: failure?.cause }); break;
      case 'TIMED_OUT':
        if (clockTimeout) {
          // As AWS records it: the timeout comes from the clock, not from the last state, so the event
          // links to no earlier one, and States.Timeout is named here only, with no cause.
          lastEvents.lastEventId = 0;
          addEvent(lastEvents, 'ExecutionTimedOut', 'executionTimedOutEventDetails', { error: 'States.Timeout' });
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
    if (this.tokenWaiters.length > 0) {
      for (const waiter of this.tokenWaiters.splice(0)) waiter.reject(noTokenError(waiter.state, status, rt.path));
    }
    const result = new Result(rt.history, rt.path, this.executionArn, startTime, rt.clock.now(), status);
    if (status === 'SUCCEEDED') result.output = output;
    // A Fail state without Error (or Cause) ends the execution without one, as in AWS.
    if (failure && status !== 'SUCCEEDED' && failure.error !== '') result.error = failure.error;
    if (failure && status !== 'SUCCEEDED' && failure.cause !== undefined) result.cause = failure.cause;
    if (status !== 'SUCCEEDED') result.keepChildren(completedChildren(rt.completedChildren, frame));
    if (rt.childExecutions !== undefined) result.keepChildExecutions([...rt.childExecutions.values()]);
    return result;
  }
}

function noTokenError(stateName: string | undefined, status: ExecutionStatus, path: readonly string[]): Error {
  return new Error(`the execution ended ${status} before ${stateName ? `state '${stateName}'` : 'any state'} issued a task token; path: ${path.join(' → ')}`);
}

/**
 * A redrive resumes the iterations or branches of the state it starts at, so
 * `resume` must name that state, a Map or a Parallel, and give each output by
 * a child's index.
 */
function checkResume(resume: CompletedChildren, entry: CompiledMachine, express: boolean): void {
  if (express) {
    throw new InvalidOptionError('resume', 'resume is for redriving a STANDARD execution; an EXPRESS execution cannot be redriven, so start it again without resume');
  }
  const state = entry.states.get(resume.state);
  if (resume.state !== entry.startAt || (state?.type !== 'Map' && state?.type !== 'Parallel')) {
    throw new InvalidOptionError('resume.state',
      `resume.state names '${resume.state}', but the execution starts at '${entry.startAt}' (a ${entry.states.get(entry.startAt)?.type} state): `
      + 'resume the Map or Parallel state given as startAt, with the completedChildren of the run that failed in it');
  }
  if (!(resume.outputs instanceof Map)) {
    throw new InvalidOptionError('resume.outputs', `resume.outputs must be a Map from child index to output, got ${JSON.stringify(resume.outputs)}`);
  }
  const mapRun = resume.mapRunArn;
  if (mapRun !== undefined && (typeof mapRun !== 'string' || !/^arn:[^:]+:states:[^:]*:[^:]*:mapRun:[^:]+:[^:]+$/.test(mapRun) || mapRun.length > 2000)) {
    throw new InvalidOptionError('resume.mapRunArn', `resume.mapRunArn must be the Map Run ARN of the run that failed (arn:aws:states:<region>:<account>:mapRun:<machine>/<label>:<id>), got ${JSON.stringify(mapRun)?.slice(0, 200)}`);
  }
  for (const [index, output] of resume.outputs) {
    if (!Number.isInteger(index) || index < 0) {
      throw new InvalidOptionError('resume.outputs', `resume.outputs has the key ${JSON.stringify(index)}; the keys are the 0-based indices of the iterations or branches of '${resume.state}'`);
    }
    const problem = describeNonJson(output);
    if (problem !== undefined) throw new InvalidOptionError('resume.outputs', `resume.outputs[${index}] is not a JSON value: ${problem}`);
  }
}

/** What the top-level Map or Parallel the execution ended in had completed, if it ended in one. */
function completedChildren(children: ChildOutputs | undefined, top: Frame): CompletedChildren | undefined {
  if (children === undefined || top.current?.name !== children.state) return undefined;
  const outputs = new Map<number, JsonValue>();
  children.outputs.forEach((output, index) => {
    if (!children.failed.has(index)) outputs.set(index, output);
  });
  return children.mapRunArn === undefined ? { state: children.state, outputs } : { state: children.state, outputs, mapRunArn: children.mapRunArn };
}

/** An execution's outcome; the history is rendered on first read. */
class Result implements ExecutionResult {
  public output?: JsonValue;
  public error?: string;
  public cause?: string;

  // ES private fields stay out of equality checks and snapshots of the result.
  readonly #recorder: HistoryRecorder;
  readonly #startMs: number;
  readonly #stopMs: number;
  #children: CompletedChildren | undefined;
  #childExecutions: readonly ChildExecutionUsage[] | undefined;

  constructor(
    recorder: HistoryRecorder,
    public readonly path: string[],
    public readonly executionArn: string,
    startMs: number,
    stopMs: number,
    public readonly status: ExecutionStatus,
  ) {
    this.#recorder = recorder;
    this.#startMs = startMs;
    this.#stopMs = stopMs;
  }

  get history(): HistoryEvent[] { return this.#recorder.toEvents(); }
  get startDate(): Date { return new Date(this.#startMs); }
  get stopDate(): Date { return new Date(this.#stopMs); }
  get completedChildren(): CompletedChildren | undefined { return this.#children; }
  get childExecutions(): readonly ChildExecutionUsage[] | undefined { return this.#childExecutions; }

  /** @internal */
  keepChildren(children: CompletedChildren | undefined): void {
    this.#children = children;
  }

  /** @internal */
  keepChildExecutions(usage: readonly ChildExecutionUsage[]): void {
    this.#childExecutions = usage;
  }
}
