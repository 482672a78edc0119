import { CancelSource } from './cancel';
import { VirtualClock } from './clock';
import { compileMachine } from './compile';
import { addEvent, runMachine, type CompiledMachine, type RunOutcome } from './engine';
import { HistoryRecorder, type HistoryEvent } from './history';
import { isoTime, type ExecutionRuntime, type Failure, type Frame, type PendingCallback } from './runtime';
import { jsonByteLength, MAX_PAYLOAD_BYTES } from './size';
import type { CompileOptions, ExecutionControl, ExecutionResult, ExecutionStatus, StartOptions, TaskHandler } from './types';
import { DefinitionError, StatesError } from '../asl/errors';
import { seededRandom } from '../asl/random';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../asl/types';
import { InvalidDefinitionError, validateDefinition } from '../asl/validate';
import { VariableStore } from '../asl/variables';

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
  private readonly taskHandlers: ReadonlyMap<string, TaskHandler>;
  private executions = 0;

  constructor(definition: StateMachineDefinition | string, options: CompileOptions = {}) {
    this.definition = parseDefinition(definition);
    this.options = options;
    this.taskHandlers = new Map(Object.entries(options.taskHandlers ?? {}));
    // One set of rules: the static validator decides what is a valid
    // definition; compiling only builds closures for what it accepted.
    if (options.validate !== false) {
      const errors = validateDefinition(this.definition, { type: options.type, warnings: false }).filter((f) => f.severity === 'error');
      if (errors.length > 0) throw new InvalidDefinitionError(errors);
    }
    const language = this.definition.QueryLanguage ?? 'JSONPath';
    this.machine = compileMachine(this.definition, '', language);
  }

  /** ARN of this state machine, from its name, region and account. */
  get arn(): string {
    const o = this.options;
    return `arn:aws:states:${o.region ?? 'us-east-1'}:${o.accountId ?? '123456789012'}:stateMachine:${o.stateMachineName ?? 'StateMachine'}`;
  }

  /** Starts an execution; returns at once. Await `execution.result` for the outcome. */
  start(input: JsonValue = {}, options: StartOptions = {}): Execution {
    this.executions++;
    return new Execution(this.machine, this.definition, this.options, this.taskHandlers, input, options, this.executions);
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

/** A task token that no pending task holds. */
export class TaskDoesNotExistError extends Error {
  constructor(token: string) {
    super(`No pending task holds the task token '${token}': it was completed, timed out, or never issued`);
    this.name = 'TaskDoesNotExist';
  }
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
  private readonly tokenWaiters: Array<{ state: string | undefined; resolve: (token: string) => void }> = [];
  private readonly issuedTokens: Array<{ state: string; token: string }> = [];
  private stopFailure: Failure | undefined;
  private currentStatus: ExecutionStatus = 'RUNNING';

  /** @internal */
  constructor(
    machine: CompiledMachine, definition: StateMachineDefinition, options: CompileOptions,
    taskHandlers: ReadonlyMap<string, TaskHandler>, input: JsonValue, start: StartOptions, ordinal: number,
  ) {
    const clock = start.clock ?? options.clock ?? new VirtualClock();
    const random = start.random ?? options.random ?? seededRandom(ordinal);
    const region = options.region ?? 'us-east-1';
    const accountId = options.accountId ?? '123456789012';
    const smName = options.stateMachineName ?? 'StateMachine';
    this.name = start.name ?? random.uuid();
    this.executionArn = `arn:aws:states:${region}:${accountId}:execution:${smName}:${this.name}`;
    const startTime = clock.now();
    const limits = options.limits ?? {};
    const callbacks = new Map<string, PendingCallback>();
    const executionArn = this.executionArn;
    const name = this.name;
    const roleArn = options.roleArn ?? `arn:aws:iam::${accountId}:role/StepFunctionsRole`;
    let executionContext: JsonObject | undefined;
    const self = this;
    this.rt = {
      history: new HistoryRecorder(clock),
      recordHistory: options.recordHistory !== false,
      clock,
      random,
      taskHandlers,
      defaultTaskHandler: options.defaultTaskHandler,
      maxHistoryEvents: options.type === 'EXPRESS' ? Infinity : limits.maxHistoryEvents ?? 25_000,
      maxTransitions: limits.maxTransitions ?? Infinity,
      maxPayloadBytes: limits.maxPayloadBytes ?? MAX_PAYLOAD_BYTES,
      express: options.type === 'EXPRESS',
      region,
      accountId,
      executionContext() {
        executionContext ??= {
          Id: executionArn,
          Input: input,
          Name: name,
          RoleArn: roleArn,
          StartTime: isoTime(startTime),
          RedriveCount: start.redriveCount ?? 0,
        };
        return executionContext;
      },
      executionArn,
      contextStateMachine: { Id: `arn:aws:states:${region}:${accountId}:stateMachine:${smName}`, Name: smName },
      callbacks,
      tokenIssued: (token) => self.tokenIssued(token),
      control: this,
      stopSignal: this.stopSource,
      path: [],
      eventCount: 0,
      transitions: 0,
      tokensIssued: 0,
      ended: undefined,
      limitFailure: undefined,
    };
    const variables = new VariableStore(undefined, start.variables);
    if (start.startAt !== undefined && !machine.states.has(start.startAt)) {
      throw new DefinitionError('MISSING_TRANSITION_TARGET', '/StartAt', `startAt names no top-level state: '${start.startAt}'`);
    }
    const entry = start.startAt === undefined ? machine : { ...machine, startAt: start.startAt };
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

  /** The status now. */
  get status(): ExecutionStatus {
    return this.currentStatus;
  }

  /** Completes the callback task (or activity) that holds `taskToken` with `output`. */
  sendTaskSuccess(taskToken: string, output: JsonValue): void {
    const pending = this.rt.callbacks.get(taskToken);
    if (!pending) throw new TaskDoesNotExistError(taskToken);
    pending.resolve(output);
  }

  /** Fails the callback task (or activity) that holds `taskToken`. */
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    const pending = this.rt.callbacks.get(taskToken);
    if (!pending) throw new TaskDoesNotExistError(taskToken);
    pending.reject(new StatesError(error ?? '', cause));
  }

  /** Resets the HeartbeatSeconds timer of the task that holds `taskToken`. */
  sendTaskHeartbeat(taskToken: string): void {
    const pending = this.rt.callbacks.get(taskToken);
    if (!pending) throw new TaskDoesNotExistError(taskToken);
    pending.heartbeat();
  }

  /** Stops the execution: it ends ABORTED. */
  stop(error?: string, cause?: string): void {
    if (this.currentStatus !== 'RUNNING') return;
    this.stopFailure = { error: error ?? 'States.Aborted', cause };
    this.rt.ended = this.stopFailure;
    this.stopSource.cancel();
  }

  /**
   * Resolves with the next task token issued (by the named state, if given):
   * the token of a `.waitForTaskToken` task or an activity, for completing it
   * with sendTaskSuccess / sendTaskFailure.
   */
  waitForTaskToken(stateName?: string): Promise<string> {
    const issued = this.issuedTokens.findIndex((t) => (stateName === undefined || t.state === stateName) && this.rt.callbacks.has(t.token));
    if (issued >= 0) return Promise.resolve(this.issuedTokens.splice(issued, 1)[0].token);
    return new Promise((resolve) => this.tokenWaiters.push({ state: stateName, resolve }));
  }

  private tokenIssued(token: string): void {
    const state = this.rt.path[this.rt.path.length - 1] ?? '';
    const w = this.tokenWaiters.findIndex((t) => t.state === undefined || t.state === state);
    if (w >= 0) this.tokenWaiters.splice(w, 1)[0].resolve(token);
    else this.issuedTokens.push({ state, token });
  }

  private async run(
    machine: CompiledMachine, definition: StateMachineDefinition, input: JsonValue, variables: VariableStore, startTime: number, roleArn: string,
  ): Promise<ExecutionResult> {
    const rt = this.rt;
    const frame: Frame = { rt, variables, group: undefined, lastEventId: 0 };
    addEvent(frame, 'ExecutionStarted', 'executionStartedEventDetails', { input, roleArn });
    let status: ExecutionStatus;
    let output: JsonValue | undefined;
    let failure: Failure | undefined;
    if (rt.maxPayloadBytes !== Infinity) frame.valueSize = jsonByteLength(input);
    if (frame.valueSize !== undefined && frame.valueSize > rt.maxPayloadBytes) {
      status = 'FAILED';
      failure = { error: 'States.DataLimitExceeded', cause: `The execution input exceeds the maximum of ${rt.maxPayloadBytes} bytes.` };
    } else {
      const timeoutSeconds = definition.TimeoutSeconds;
      const run = runMachine(machine, input, frame);
      let winner: RunOutcome | 'stopped' | 'timeout';
      if (!(run instanceof Promise)) {
        // Finished without waiting on anything: nothing to race against.
        winner = run;
      } else {
        const racers: Array<Promise<RunOutcome | 'stopped' | 'timeout'>> = [run];
        racers.push(new Promise((resolve) => this.stopSource.onCancel(() => resolve('stopped'))));
        const timer = new CancelSource();
        if (timeoutSeconds !== undefined) racers.push(rt.clock.sleepUntil(startTime + timeoutSeconds * 1000, timer).then(() => 'timeout' as const));
        winner = await Promise.race(racers);
        timer.cancel();
      }
      if (winner === 'stopped') {
        status = 'ABORTED';
        failure = this.stopFailure;
      } else if (winner === 'timeout') {
        status = 'TIMED_OUT';
        failure = { error: 'States.Timeout', cause: `The execution exceeded its TimeoutSeconds of ${timeoutSeconds} seconds.` };
        rt.ended = failure;
        this.stopSource.cancel();
      } else if (winner.ok) {
        status = 'SUCCEEDED';
        output = winner.output;
      } else {
        status = 'FAILED';
        failure = rt.limitFailure ?? winner.failure;
      }
    }
    rt.ended ??= failure ?? { error: 'States.Succeeded', cause: undefined };
    // The closing event is recorded even when the history limit ended the execution.
    rt.maxHistoryEvents = Infinity;
    const lastEvents = frame;
    switch (status) {
      case 'SUCCEEDED': addEvent(lastEvents, 'ExecutionSucceeded', 'executionSucceededEventDetails', { output }); break;
      case 'FAILED': addEvent(lastEvents, 'ExecutionFailed', 'executionFailedEventDetails', { error: failure?.error, cause: failure?.cause }); break;
      case 'TIMED_OUT': addEvent(lastEvents, 'ExecutionTimedOut', 'executionTimedOutEventDetails', { error: failure?.error, cause: failure?.cause }); break;
      default: addEvent(lastEvents, 'ExecutionAborted', 'executionAbortedEventDetails', { error: failure?.error, cause: failure?.cause }); break;
    }
    this.currentStatus = status;
    const result: Writable<ExecutionResult> = new Result(rt.history, rt.path, this.executionArn, startTime, rt.clock.now(), status);
    if (status === 'SUCCEEDED') result.output = output;
    // A Fail state without Error (or Cause) ends the execution without one, as in AWS.
    if (failure && status !== 'SUCCEEDED' && failure.error !== '') result.error = failure.error;
    if (failure && status !== 'SUCCEEDED' && failure.cause !== undefined) result.cause = failure.cause;
    return result;
  }
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** An execution's outcome; the history is rendered on first read. */
class Result implements ExecutionResult {
  public output?: JsonValue;
  public error?: string;
  public cause?: string;

  // ES private fields stay out of equality checks and snapshots of the result.
  readonly #recorder: HistoryRecorder;
  readonly #startMs: number;
  readonly #stopMs: number;

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
}
