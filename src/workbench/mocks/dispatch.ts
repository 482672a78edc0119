import { withShapeAdvice } from './answer-shape-advice';
import {
  delay, fail, invokeEnvelope, isMockStep, rawResult, isSequence, lambdaFunctionError, lambdaShapeOf, returnedListProblem, thrownTaskError, toJson,
  unansweredInvoke,
  type LambdaShape, type Mock, type MockAnswer, type MockContext, type MockFunction, type MockStep,
} from './answers';
import { answerCallback } from './callback-answer';
import { checkedMockError, checkedMockResult } from './checked-mocks';
import type { RunContextProps, TaskCall } from './dispatch-door';
import { forwardedServiceOf } from './forwarded-tasks';
import { inlineCodeHandler } from './inline-code';
import type { KeyMatch } from './keys';
import { inlineCodeFor, invokedVersion, lambdaContext, lambdaTargetOf } from './lambda-call';
import { contracts } from './lazy-contracts';
import { MockConfigError } from './mock-config';
import { payloadShapeAdvice, withFunctionOutputAdvice } from './payload-shape-advice';
import { checkTaskRequest, type RequestCheckSettings, type RequestVerdict } from './request-check';
import { sendTaskCall, sendTaskError } from './send-task';
import { targetScore } from './targets';
import { localS3Folders, unmockedMessage } from './unmocked-message';
import { longClockAdvice, longFailureAdvice } from './unrecorded-advice';
import type { MockCheckSettings, MockOrigin } from './validation';
import { checksOfState, modeFor, mockModes } from './validation-mode';
import type { JsonObject, JsonValue } from '../../asl';
import { answerJudge, type AnswerJudge } from '../../asl/answer-outcomes';
import { describeNonJson } from '../../asl/json-value';
import { AwsLimits, EXPRESS_DURATION_WORDS } from '../../asl/limits';
import { isTimeoutError, StatesErrors, StatesError, TestSetupError } from '../../asl/states-errors';
import { CancelSource } from '../../interpreter/cancel';
import { VirtualClock } from '../../interpreter/clock';
import type { TaskAnswer, TaskHandler, TaskRequest } from '../../interpreter/execution-types';
import { classifyResource } from '../../interpreter/states/task';
import { answerS3Task } from '../s3/s3-tasks';

/** @internal */
export { HarnessClock } from './harness-clock';
export type { TaskCall, UnmockedPolicy } from './dispatch-door';
/** @internal */
export type { DispatchDoor, NestedStarter, RunContextProps } from './dispatch-door';

/**
 * Answers the Tasks of one execution, for every door: explicit mocks first, then the
 * MockConfigFile test case, then the door's handlers (serve's), then for an `aws-sdk:sfn:sendTask*`
 * Task the execution of the run holding its token, then a registered child workflow, then the
 * endpoint given for the Task's service, then the local S3 (`aws-sdk:s3` Tasks), then a Lambda
 * function's inline code, then (for `start()` and serve) the token's answer for an activity or
 * callback, then the unmocked policy.
 * @internal
 */
export class RunContext {
  public readonly calls: TaskCall[] = [];
  private readonly invocations: Map<string, number>;
  /** Inline-code handlers by function and qualifier, loaded once (a warm Lambda keeps its module state). */
  private readonly inlineHandlers: Map<string, MockFunction | undefined>;

  /** Told when a callback's answer is refused (its token was used already, or its task ended): a duplicate delivery's, mostly. */
  public onCallbackRefused: ((request: TaskRequest, error: unknown) => void) | undefined;

  /** How mocks' answers are checked (props.checks). */
  private readonly mockChecks: MockCheckSettings;
  /** How the Tasks' requests are checked (props.checks). */
  private readonly requestChecks: RequestCheckSettings;

  constructor(private readonly props: RunContextProps) {
    const { validation, advice, requests, door } = props.checks;
    this.mockChecks = { ...mockModes(validation), advice, door };
    this.requestChecks = { mode: requests, door };
    this.invocations = props.invocations ?? new Map();
    this.inlineHandlers = props.inlineModules ?? new Map();
  }

  /** The invocation index the next call of `state` takes. */
  nextInvocation(state: string): number {
    return this.invocations.get(state) ?? 0;
  }

  /** A duplicate's promise: the engine takes its hold for the last delivery only, so this one's skip is spent here. */
  discardHold(): void {
    this.props.clock.hold();
  }

  /**
   * A Task's request checked as AWS checks it (see request-check.ts). The service is not judged
   * when a real endpoint answers the Task (no mock of it): then that endpoint says.
   */
  checkRequest(stateName: string, resource: string, payload: JsonValue, field: 'Parameters' | 'Arguments'): RequestVerdict {
    const mocks = this.props.mocks;
    const endpoint = this.props.forwarder?.handles({ resource } as TaskRequest) === true && !mocks.byState.has(stateName)
      && this.props.config?.has(stateName) !== true && mocks.byArn.length === 0 && this.props.door?.answers?.(stateName, resource) !== true;
    return checkTaskRequest({
      stateName,
      resource,
      payload,
      field,
      settings: this.requestChecks,
      advise: this.props.advice.add,
      requestId: () => this.props.refusalRequestId(stateName, payload),
      judgeService: !endpoint,
    });
  }

  /**
   * Answers a Task call; `again` delivers invocation `again` a second time (at-least-once delivery).
   * Every answer, whoever gives it, passes the judge of the Task's Resource here, the one place
   * it is applied: an answer AWS turns into the Task's failure (EventBridge's failed entries,
   * Lambda's FunctionError, a `.sync` job that ended FAILED) fails the Task as it does on AWS
   * (asl/answer-outcomes.ts, from the catalogue). A callback's answer here is the call's (what
   * it submitted), never the worker's.
   */
  handle(input: JsonValue, request: TaskRequest, again?: number): TaskAnswer | Promise<TaskAnswer> {
    const judge = answerJudge(request.resource);
    // A Task with neither clock is the one whose answer of a timeout is worth a word (see timeoutAdvice).
    const untimed = request.timeoutSeconds === undefined && request.heartbeatSeconds === undefined;
    const clock = untimed ? undefined : longClockAdvice(request);
    if (clock !== undefined) this.props.advice.add(clock);
    let answer: TaskAnswer | Promise<TaskAnswer>;
    try {
      answer = this.respond(input, request, again);
      if (untimed && answer instanceof Promise) answer = answer.catch((e: unknown) => { this.adviseTimeout(e, request); throw e; });
      if (judge !== undefined) {
        const checked = (v: TaskAnswer): TaskAnswer => withShapeAdvice(request, judged(judge, v), this.props.advice.add, input);
        answer = answer instanceof Promise ? answer.then(checked) : checked(answer);
      }
    } catch (e) {
      if (untimed) this.adviseTimeout(e, request);
      this.adviseLongFailure(e, request);
      throw e;
    }
    return answer instanceof Promise ? answer.catch((e: unknown) => { this.adviseLongFailure(e, request); throw e; }) : answer;
  }

  /** A failure longer than the API holds, whoever gave it (see longFailureAdvice), after the judge, which builds some causes. */
  private adviseLongFailure(e: unknown, request: TaskRequest): void {
    const advice = e instanceof StatesError && !(e instanceof TestSetupError) ? longFailureAdvice(request.stateName, e) : undefined;
    if (advice !== undefined) this.props.advice.add(advice);
  }

  /**
   * An answer of `States.Timeout` or `States.HeartbeatTimeout` for a Task with neither
   * `TimeoutSeconds` nor `HeartbeatSeconds`: on AWS such a Task times out only after the default
   * of 99,999,999 s, longer than any execution may run, so the run times out first (its own
   * `TimeoutSeconds`, a year, an EXPRESS run's 5 minutes) and no Catch of the Task sees it.
   * The run does as AWS would; the advice says why and what to write.
   */
  private adviseTimeout(e: unknown, request: TaskRequest): void {
    if (!(e instanceof StatesError) || !isTimeoutError(e.error)) return;
    this.props.advice.add({
      state: request.stateName,
      message: `Task '${request.stateName}' is answered with ${e.error}, but it has no TimeoutSeconds or HeartbeatSeconds: on AWS it times out only `
        + `after the default of ${AwsLimits.TASK_DEFAULT_TIMEOUT_SECONDS} seconds, longer than an execution may run, so the execution times out first `
        + `(its own TimeoutSeconds, one year for STANDARD, ${EXPRESS_DURATION_WORDS} for EXPRESS), and the run does the same. Give the Task TimeoutSeconds to test its timeout.`,
    });
  }

  private respond(input: JsonValue, request: TaskRequest, again: number | undefined): TaskAnswer | Promise<TaskAnswer> {
    const state = request.stateName;
    const invocation = again ?? this.invocations.get(state) ?? 0;
    if (again === undefined) this.invocations.set(state, invocation + 1);
    const shape = lambdaShapeOf(request.resource);
    const kind = classifyResource(request.resource);
    const callback = kind.kind === 'service' && kind.pattern === 'callback';
    const event = shape === 'invoke' ? ((input as JsonObject | null)?.Payload ?? null) : input;
    if (this.props.recordCalls !== false) {
      const redelivered = again !== undefined ? { redelivered: true } : {};
      this.calls.push({ stateName: state, input: event, retryCount: request.retryCount, invocation, ...redelivered });
    }
    const call: Call = { request, shape, callback, event, invocation };
    const door = this.props.door;
    door?.called?.(request);
    if (request.taskToken !== undefined) this.props.taskTokens?.issued?.(request.taskToken, request.execution, request.signal);

    const explicit = this.findMock(state, input, request);
    if (explicit !== undefined) return this.answer(explicit.mock, call, explicit.label);
    const configured = this.props.config?.get(state);
    if (configured) {
      let response;
      try {
        response = configured(invocation);
      } catch (e) {
        if (e instanceof MockConfigError) throw new StatesError(StatesErrors.RUNTIME, door?.configProblem?.(e) ?? e.message);
        throw e;
      }
      const answer = 'return' in response ? rawResult(response.return) : fail(response.throw.error || 'Error', response.throw.cause);
      if (response.delay === undefined) return this.answer(answer, call, this.props.configLabel ?? 'MockConfigFile', true);
      const refused = door?.delayRefused?.(request, 'config');
      if (refused !== undefined) throw new StatesError(StatesErrors.RUNTIME, refused);
      return this.answer(delay(response.delay, answer), call, this.props.configLabel ?? 'MockConfigFile', true);
    }
    // A request-response Task's answer may be given again as it was; a callback's or a job's also comes through the request.
    const kept = kind.pattern === 'request-response' && kind.kind !== 'activity';
    const target = lambdaTargetOf(request, shape);
    const handler = door?.handler?.(request, target);
    if (handler) return this.outside(call, () => this.callHandler(handler, input, call), kept);
    const sent = this.sendTask(input, call);
    if (sent !== undefined) return sent;
    let childEnd: Promise<unknown> | undefined;
    const nested = this.props.nested(input, request, (end) => { childEnd = end; });
    if (nested !== undefined) {
      if (callback && !this.props.interactive) return this.awaitChildToken(nested, call, event, childEnd);
      // start(): a `.waitForTaskToken` child's parent waits for the token as any callback does, the clock held for the test.
      if (callback && !door?.awaitToken) this.holdForTest(request);
      if (nested instanceof Promise) this.props.clock.skipNextHold();
      return nested;
    }
    const forwarder = this.props.forwarder;
    if (forwarder?.handles(request) && (!callback || door?.forwardedCallback)) {
      // Real I/O: the engine holds the virtual clock until it answers.
      const forwarded = this.outside(call, () => forwarder.forward(input, request, this.props.clock)!, true);
      if (!callback) return forwarded;
      // The function got the token in its payload: the task waits for SendTaskSuccess or SendTaskFailure, as on AWS.
      const submitted = forwarder.handlesService(request);
      return Promise.resolve(forwarded).then((answer) => {
        // The call's answer is judged before a Lambda function's is set aside: its function error fails the Task.
        const judge = answerJudge(request.resource);
        if (judge) judged(judge, answer);
        door?.forwardedCallback?.(request);
        // What SQS or SNS answered is what the Task submitted (its TaskSubmitted output), as on AWS.
        return submitted ? answer : {};
      });
    }
    if (this.props.s3 && !callback) {
      const stored = answerS3Task(this.props.s3, request.resource, input);
      if (stored !== undefined) return stored;
    }
    // A callback's result is what SendTaskSuccess sends, never what the function returns: its code does not answer it.
    const inline = shape && !callback && this.props.inlineCode ? this.inlineHandler(target) : undefined;
    // Real code and the echoed input are not mocks of the service: what they return is not judged.
    if (inline) {
      // An Event or DryRun invocation answers before the function does (or without running it): its code never answers the Task.
      const unanswered = shape === 'invoke' ? unansweredInvoke(request, () => this.requestId(call), this.props.clock.now()) : undefined;
      return unanswered ?? this.outside(call, () => this.answer(inline, { ...call, inline: true }, 'inline code', false, false), kept);
    }
    // start() and serve: a task with a token and no mock waits for its token.
    if (this.props.interactive && (callback || kind.kind === 'activity')) {
      const submitted = (): JsonValue => submission(call, this.requestId(call), this.props.clock.now());
      return door?.awaitToken ? door.awaitToken(request, !callback, submitted) : this.awaitTest(call);
    }
    const policy = this.props.unmocked;
    if (policy === 'input') return this.answer(event, call, 'unmocked: input', false, false);
    if (typeof policy === 'function') return this.answer(policy as Mock, call, 'unmocked');
    // A run that has a local S3 is not told to give it one: its local S3 does not answer this operation.
    const folders = this.props.s3 === undefined ? localS3Folders(request.resource, input, this.props.resources) : undefined;
    throw new StatesError(StatesErrors.RUNTIME, door?.unanswered?.(request, folders, forwardedServiceOf(request.resource))
      ?? unmockedMessage(state, request.resource, input, this.props.resources, this.props.testCase, this.props.s3 !== undefined,
        this.props.checks.door));
  }

  /**
   * An `aws-sdk:sfn:sendTaskSuccess`, `…sendTaskFailure` or `…sendTaskHeartbeat` Task no mock or
   * handler answers: its call goes to the execution of the run holding the token (the run's
   * taskTokens: serve's own SendTask* operations, or the harness's table of the tokens its
   * executions issued), and what the API refuses fails the Task as the SDK integration names it
   * (send-task.ts). Its answer is SendTask*'s, `{}`; serve keeps it, so that the call is not made
   * again when the execution runs again after a restart. Undefined for any other Task.
   */
  private sendTask(input: JsonValue, call: Call): JsonValue | Promise<JsonValue> | undefined {
    const tokens = this.props.taskTokens;
    if (tokens === undefined) return undefined;
    const asked = sendTaskCall(call.request.resource, input);
    if (asked === undefined) return undefined;
    const refused = (e: unknown): never => {
      throw sendTaskError(e, this.requestId(call), (code) => contracts().serviceErrorName('sfn', code));
    };
    return this.outside(call, () => {
      let sent: void | Promise<void>;
      try {
        sent = tokens.send(asked);
      } catch (e) {
        return refused(e);
      }
      return sent instanceof Promise ? sent.then(() => ({}), refused) : {};
    }, true);
  }

  /**
   * The token of a `.waitForTaskToken` Task whose child a run that waits for nobody (jest's run(),
   * `stepwright run`, MCP) has started: as on AWS, the Task waits for it, which the child (or any
   * execution of the run) sends with an `aws-sdk:sfn:sendTask*` Task (sendTask), or for its own
   * TimeoutSeconds or HeartbeatSeconds, which the run's clock reaches. Once the run has nothing
   * left to do (the clock is idle) and the token is still unanswered, nothing can send it: the
   * Task would wait for ever, so the unmocked policy answers it as it answers any callback Task
   * without a mock, and by default the Task fails saying how to answer it. What the Task
   * submitted is still StartExecution's answer.
   *
   * A clock that cannot tell when it is idle (one of the user's own, a RealClock) waits as AWS
   * does for the Task's TimeoutSeconds or HeartbeatSeconds when it has one; without either, it
   * waits until the child execution has ended, the last moment its own Tasks could send the
   * token, and then answers as above, its message naming the clock (a wait without end would
   * hang the run).
   */
  private awaitChildToken(
    submitted: JsonValue | Promise<JsonValue>, call: Call, event: JsonValue, childEnd: Promise<unknown> | undefined,
  ): JsonValue | Promise<JsonValue> {
    const whenIdle = this.props.clock.whenIdle;
    const { request } = call;
    if (this.props.taskTokens === undefined || (whenIdle === undefined && childEnd === undefined)) {
      this.unsentToken(call, event, false);
    } else if (whenIdle === undefined) {
      if (request.timeoutSeconds === undefined && request.heartbeatSeconds === undefined) {
        const ended = (): void => {
          // A macrotask later: the token the child sent has closed the Task's wait by then.
          setImmediate(() => { if (!request.signal.aborted) this.unsentToken(call, event, true, 'child ended'); });
        };
        childEnd!.then(ended, ended);
      }
    } else {
      // The Task stops waiting (its token answered, a timeout, a stop): nothing to answer then.
      const forget = whenIdle(() => {
        if (!request.signal.aborted) this.unsentToken(call, event, true);
      });
      request.signal.addEventListener('abort', forget, { once: true });
    }
    if (submitted instanceof Promise) this.props.clock.skipNextHold();
    return submitted;
  }

  /**
   * A `.waitForTaskToken` child's token that nothing in the run sent: the unmocked policy's to
   * answer, or the Task fails with advice. `moment` says when the run gave up on it: once it had
   * nothing left to do, or (a clock that cannot tell) once the child had ended.
   */
  private unsentToken(call: Call, event: JsonValue, waiting: boolean, moment: 'idle' | 'child ended' = 'idle'): void {
    const policy = this.props.unmocked;
    // A callback's answer goes through its token: what answer() returns is only a submission, set aside for StartExecution's.
    if (policy === 'input') {
      void this.answer(event, call, 'unmocked: input', false, false);
      return;
    }
    if (typeof policy === 'function') {
      void this.answer(policy as Mock, call, 'unmocked');
      return;
    }
    const { stateName: state, resource, taskToken, execution } = call.request;
    const key = JSON.stringify(state);
    const cause = `Task '${state}' started its child execution (${resource}) and waits for the task token `
      + 'it passed on, but nothing in this run sent that token: no Task of the child, nor of any execution the run started, called '
      + 'SendTaskSuccess or SendTaskFailure with it (arn:aws:states:::aws-sdk:sfn:sendTaskSuccess, with the token as its TaskToken) '
      + (moment === 'idle'
        ? 'before the run had nothing left to do, and no TimeoutSeconds or HeartbeatSeconds of the Task ends its wait. '
        : 'before the child execution ended, and no TimeoutSeconds or HeartbeatSeconds of the Task ends its wait. '
          + "The run's clock (the clock option) cannot tell when the run has nothing left to do, so the wait ended with the child; "
          + 'run on the default clock (leave the clock option out, or give a VirtualClock) to let any later execution of the run send it, '
          + 'or give the Task a TimeoutSeconds. ')
      + 'Send the token from the child, '
      + `mock the Task with what SendTaskSuccess would send (mocks: { ${key}: ... } in a test, or ${key} in the --mocks file of stepwright run; the child then does not start), `
      + "answer it with its input (unmocked: 'input' in a test, --unmocked input on the command line), "
      + 'or, in a test, start() the execution and call sendTaskSuccess with the token';
    const failure = new StatesError(StatesErrors.RUNTIME, cause);
    // Before the call has returned (no execution of the run can send the token), the call itself fails.
    if (!waiting || taskToken === undefined) throw failure;
    execution.sendTaskFailure(taskToken, failure.error, failure.cause);
  }

  /** A call whose answer comes from outside the execution, through the door (which may keep it). */
  private outside(call: Call, make: () => JsonValue | Promise<JsonValue>, kept: boolean): JsonValue | Promise<JsonValue> {
    const door = this.props.door;
    return door?.outside ? door.outside(call.request, make, kept) : make();
  }

  /**
   * Calls a door's handler with the Task's input and request. What it throws fails the Task as a
   * mock function's throw does (for a Lambda Task, as Lambda reports a function error); a mock
   * step it returns means what it means from a mock; any other value is the task result as given.
   */
  private callHandler(handler: TaskHandler, input: JsonValue, call: Call): JsonValue | Promise<JsonValue> {
    const report = (e: unknown): StatesError => {
      if (e instanceof StatesError) return e;
      this.props.door?.handlerThrew?.(call.request, loggable(e));
      return thrownTaskError(e, call.shape);
    };
    let answer: TaskAnswer | Promise<TaskAnswer>;
    try {
      answer = handler(input, call.request);
    } catch (e) {
      throw report(e);
    }
    const finish = (v: unknown): JsonValue | Promise<JsonValue> => {
      if (isMockStep(v)) return this.stepOfFunction(v, call);
      const problem = returnedListProblem(v);
      if (problem) throw new StatesError(StatesErrors.RUNTIME, `The handler for Task '${call.request.stateName}' ${problem}.`);
      return toJson(v);
    };
    if (answer instanceof Promise) return answer.then(finish, (e: unknown) => { throw report(e); });
    return finish(answer);
  }

  /** A mock step a function returned; a door whose time is real refuses a delay. */
  private stepOfFunction(step: MockStep, call: Call): JsonValue | Promise<JsonValue> {
    const refused = step.kind === 'delay' ? this.props.door?.delayRefused?.(call.request, 'handler') : undefined;
    if (refused !== undefined) throw new StatesError(StatesErrors.RUNTIME, refused);
    return this.evaluate(step, call);
  }

  private findMock(state: string, input: JsonValue, request: TaskRequest): KeyMatch<Mock> | undefined {
    const direct = this.props.mocks.byState.get(state);
    if (direct) return direct;
    if (this.props.mocks.byArn.length === 0) return undefined;
    const p = input as JsonObject | null;
    const fn = lambdaShapeOf(request.resource) === 'invoke' ? p?.FunctionName : lambdaShapeOf(request.resource) === 'function' ? request.resource : undefined;
    const others = [p?.StateMachineArn, p?.ActivityArn].filter((v): v is string => typeof v === 'string');
    // The most specific key wins: a version's or alias' own key over its function's.
    let best: KeyMatch<Mock> | undefined;
    let bestScore = 0;
    for (const m of this.props.mocks.byArn) {
      for (const arn of m.arns) {
        let score = typeof fn === 'string' ? targetScore(fn, arn, true) : 0;
        for (const t of others) score = Math.max(score, targetScore(t, arn, false));
        if (!arn.startsWith('arn:aws:states:::')) score = Math.max(score, targetScore(request.resource, arn, false));
        if (score > bestScore) {
          best = m;
          bestScore = score;
        }
      }
    }
    return best;
  }

  /** The handler of the inline code of the Lambda function `target` names (or a version or alias of it), if it has any. */
  private inlineHandler(target: string | undefined): MockFunction | undefined {
    const found = target !== undefined ? inlineCodeFor(target, this.props.resources) : undefined;
    if (!found) return undefined;
    if (!this.inlineHandlers.has(found.key)) this.inlineHandlers.set(found.key, inlineCodeHandler(found.code, found.name));
    return this.inlineHandlers.get(found.key);
  }

  /** Answers a call with a mock, through the task token for callback tasks. */
  private answer(mock: Mock, plain: Call, label: string, internal = false, checked = true): JsonValue | Promise<JsonValue> {
    const step = this.pick(mock, plain, label, internal);
    const { stateName, resource } = plain.request;
    const settings = checksOfState(this.mockChecks, this.props.checks, stateName);
    const advise = this.props.advice.add;
    // A MockConfigFile's answers (`internal`) are checked as its own format is (modeFor).
    const from: MockOrigin = { stateName, resource, label, ...(internal ? { mockConfigFile: true } : {}) };
    const origin = checked && modeFor(from, settings) !== 'NONE' ? from : undefined;
    const call: Call = origin ? { ...plain, origin } : plain;
    if (!call.callback) {
      let r = this.evaluate(step, call);
      if (origin) {
        r = r instanceof Promise ? r.then((v) => checkedMockResult(origin, v, settings, advise)) : checkedMockResult(origin, r, settings, advise);
      }
      // The harness's own promises wait on the clock (or release a hold of their own): the engine must not hold it.
      if (r instanceof Promise) this.props.clock.skipNextHold();
      return r;
    }
    const token = call.request.taskToken!;
    const execution = call.request.execution;
    const deliver = (v: JsonValue) => answerCallback(execution, token, stateName, v, (e) => this.onCallbackRefused?.(call.request, e));
    const reject = (e: unknown) => {
      const err = e instanceof StatesError ? e : lambdaFunctionError(e);
      // A timeout is no worker's answer, late as at once: the Task times out when its own clock
      // runs out (TimeoutSeconds, or HeartbeatSeconds since the last heartbeat), not when the mock says it.
      if (isTimeoutError(err.error) && call.request.reportTimedOut !== undefined) {
        call.request.reportTimedOut(err);
        return;
      }
      try { execution.sendTaskFailure(token, err.error, err.cause); } catch (refused) { this.onCallbackRefused?.(call.request, refused); }
    };
    try {
      const r = this.evaluate(step, call);
      if (r instanceof Promise) r.then(deliver, reject);
      else deliver(r);
    } catch (e) {
      // A timeout is no worker's answer: the call itself says the Task timed out, and the
      // interpreter fails it when its clock runs out, after the work was submitted (as recorded).
      // Nor is a call that failed (what it submitted is a failure, see reportAnswer): no token was handed out.
      if (e instanceof StatesError && (isTimeoutError(e.error) || failedCalls.has(e))) throw e;
      reject(e);
    }
    return submission(call, this.requestId(call), this.props.clock.now());
  }

  /** The answer for this invocation: a sequence gives one answer per invocation and must cover every one. */
  private pick(mock: Mock, call: Call, label: string, internal: boolean): MockAnswer {
    if (internal || !isSequence(mock)) return mock as MockAnswer;
    const step = mock[call.invocation];
    if (step === undefined) {
      throw new StatesError(StatesErrors.RUNTIME,
        `Task '${call.request.stateName}' was invoked ${call.invocation + 1} times, but its mock (${label}) is a sequence of ${mock.length}; ` +
        'add a step for every invocation (retries, loops and Map iterations count)');
    }
    return step;
  }

  /** The task result of one answer, or a promise of it; failures are thrown as StatesError. */
  private evaluate(step: MockAnswer, call: Call): JsonValue | Promise<JsonValue> {
    if (typeof step === 'function') return this.callFunction(step as MockFunction, call);
    if (!isMockStep(step)) return this.wrap(step as JsonValue, call);
    const s = step as MockStep;
    if (s.kind !== 'delay') reportAnswer(s, call.request);
    switch (s.kind) {
      case 'succeed': return this.wrap(s.value as JsonValue, call);
      case 'raw': return withFunctionOutputAdvice(call, s.value as JsonValue, this.props.advice.add);
      case 'fail': {
        const error = new StatesError(s.error!, s.cause);
        if (!call.origin) throw error;
        throw checkedMockError(call.origin, error, checksOfState(this.mockChecks, this.props.checks, call.origin.stateName), this.props.advice.add);
      }
      default:
        // The service accepted the work (and a worker took it) when the call began, not when the delay ends.
        if (isMockStep(s.then)) reportAnswer(s.then, call.request);
        return this.delayed(s, call);
    }
  }

  private wrap(value: JsonValue, call: Call): JsonValue {
    // A callback's output is what the worker sends with SendTaskSuccess, not a Lambda invoke result.
    if (call.shape !== 'invoke' || call.callback) return withFunctionOutputAdvice(call, value, this.props.advice.add);
    const advice = call.inline ? undefined : payloadShapeAdvice(call.request.stateName, value);
    if (advice) this.props.advice.add(advice);
    try {
      return invokeEnvelope(value ?? null, this.requestId(call), this.props.clock.now(), { version: invokedVersion(call.request) });
    } catch (e) {
      // The envelope's Content-Length serialises the payload: one nested past what JSON.stringify's stack
      // holds is no JSON Step Functions carries either, the task's error as for any answer that is not JSON.
      if (!(e instanceof RangeError)) throw e;
      throw new StatesError(StatesErrors.RUNTIME,
        `The mock of Task '${call.request.stateName}' returned a value that is not JSON: ${describeNonJson(value) ?? e.message}.`);
    }
  }

  private callFunction(fn: MockFunction, call: Call): JsonValue | Promise<JsonValue> {
    const convert = (e: unknown): StatesError => thrownTaskError(e, call.shape);
    const finish = (v: unknown): JsonValue | Promise<JsonValue> => {
      if (isMockStep(v)) return this.stepOfFunction(v, call);
      const problem = returnedListProblem(v);
      if (problem) throw new StatesError(StatesErrors.RUNTIME, `The ${call.inline ? 'inline code' : 'mock function'} of Task '${call.request.stateName}' ${problem}.`);
      return this.wrap(toJson(v), call);
    };
    let r: unknown;
    let thenable: boolean;
    try {
      r = fn(call.event, this.mockContext(call));
      // Read where what the function throws is caught: the Node.js Lambda runtime looks for `then`
      // inside the same try as the call, so a `then` getter that throws is the function's error.
      thenable = !!r && typeof (r as Promise<unknown>).then === 'function';
    } catch (e) {
      throw convert(e);
    }
    if (thenable) {
      // Real asynchronous code: virtual time stands still until it settles.
      const release = this.props.clock.inner.hold();
      return Promise.resolve(r as Promise<unknown>).then(
        (v) => { release(); return finish(v); },
        (e: unknown) => { release(); throw convert(e); },
      );
    }
    return finish(r);
  }

  private async delayed(step: MockStep, call: Call): Promise<JsonValue> {
    const { request } = call;
    const clock = this.props.clock;
    const start = clock.now();
    const cancel = new CancelSource();
    request.signal.addEventListener('abort', () => cancel.cancel(), { once: true });
    const heartbeats = step.heartbeats ?? [];
    if (heartbeats.length > 0 && request.taskToken === undefined) {
      throw new StatesError(StatesErrors.RUNTIME, `delay(..., { heartbeats }) for Task '${request.stateName}' needs a task token, and ${request.resource} has none; ` +
        'heartbeats apply to activities, .waitForTaskToken and .sync tasks');
    }
    for (const h of heartbeats) {
      await clock.sleepUntil(start + h * 1000, cancel);
      try { request.execution.sendTaskHeartbeat(request.taskToken!); } catch { /* the task ended meanwhile */ }
    }
    await clock.sleepUntil(start + step.seconds! * 1000, cancel);
    return this.evaluate(step.then as MockAnswer, call);
  }

  /** start(): a callback task waits for the test; virtual time stands still meanwhile. */
  private awaitTest(call: Call): TaskAnswer | Promise<TaskAnswer> {
    if (call.callback) {
      this.holdForTest(call.request);
      return submission(call, this.requestId(call), this.props.clock.now());
    }
    // An activity: the worker (the test) answers through the token. Its promise is the test's
    // to settle: the engine takes no hold of its own on it, which a time jump would wait for.
    const release = this.testHold();
    this.props.clock.skipNextHold();
    const signal = call.request.signal;
    return new Promise<TaskAnswer>((resolve) => signal.addEventListener('abort', () => { release(); resolve(undefined); }, { once: true }));
  }

  /** A callback's hold for the test, released when the Task stops waiting (its token answered, a timeout, a stop). */
  private holdForTest(request: TaskRequest): void {
    const release = this.testHold();
    request.signal.addEventListener('abort', release, { once: true });
  }

  /** The test's hold: the clock stands still until the test answers, or moves time itself (advanceTime). */
  private testHold(): () => void {
    const inner = this.props.clock.inner;
    return inner instanceof VirtualClock ? inner.holdForTest() : inner.hold();
  }

  private requestId(call: Call): string {
    return this.props.requestId(call.request, call.invocation);
  }

  private mockContext(call: Call): MockContext {
    const clock = this.props.clock;
    return lambdaContext({ request: call.request, invocation: call.invocation, requestId: () => this.requestId(call), now: () => clock.now() });
  }
}

/** An answer the judge lets through, or the failure AWS makes of it; no answer yet (a token's) is not judged. */
function judged(judge: AnswerJudge, answer: TaskAnswer): TaskAnswer {
  if (answer === undefined) return answer;
  const failure = judge(answer);
  if (failure) throw failure;
  return answer;
}

interface Call {
  readonly request: TaskRequest;
  readonly shape: LambdaShape;
  readonly callback: boolean;
  readonly event: JsonValue;
  readonly invocation: number;
  /** Set when the answer is a mock to check against the Resource's contract. */
  readonly origin?: MockOrigin;
  /** Answered by a Lambda function's inline code. */
  readonly inline?: boolean;
}

/** What a callback task's call returns before the callback (recorded as TaskSubmitted). */
function submission(call: Call, requestId: string, now: number): JsonValue {
  return call.shape === 'invoke' ? invokeEnvelope(null, requestId, now, { version: invokedVersion(call.request) }) : {};
}

/** Calls whose step options were told already (a delay tells its step's as the call begins). */
const reported = new WeakSet<TaskRequest>();

/** The failures of calls whose own answer, what they submitted, AWS turns into the Task's failure: no worker's answers. */
const failedCalls = new WeakSet<StatesError>();

/**
 * Tells the execution what a step's options say: the submission answer, the activity worker's name (once per call).
 * The submission is the call's own answer (a `lambda:invoke.waitForTaskToken` invoke's, ECS RunTask's), which
 * recordSubmission judges as every answer is judged: one AWS turns into a failure (a FunctionError, ECS Failures)
 * fails the call itself, before any TaskSubmitted, whether the step is the mock, a step of its sequence, a delay's
 * answer, or what a mock function or a handler returned.
 */
function reportAnswer(step: MockStep, request: TaskRequest): void {
  if (step.workerName === undefined && step.submitted === undefined) return;
  if (reported.has(request)) return;
  reported.add(request);
  if (step.workerName !== undefined && request.taskToken !== undefined && classifyResource(request.resource).kind === 'activity') {
    request.recordWorkerName(step.workerName);
  }
  if (step.submitted !== undefined) {
    const kind = classifyResource(request.resource);
    if (kind.kind !== 'service' || kind.pattern === 'request-response') {
      throw new StatesError(StatesErrors.RUNTIME, `The mock of Task '${request.stateName}' gives submitted, but ${request.resource} is not a .sync or .waitForTaskToken integration; only those record TaskSubmitted`);
    }
    try {
      request.recordSubmission(step.submitted);
    } catch (e) {
      if (e instanceof StatesError) failedCalls.add(e);
      throw e;
    }
  }
}

/** What a handler threw, as an Error a log line can print: a value that cannot be read is named so, never read again. */
function loggable(e: unknown): Error {
  try {
    if (e instanceof Error && typeof e.name === 'string' && typeof e.message === 'string') return e;
    if (!(e instanceof Error)) return new Error(String(e));
  } catch {
    // Below.
  }
  return new Error('a value that cannot be read (an object with no prototype, or a getter or toString that throws)');
}
