import { createHash } from 'node:crypto';
import { mockChecks, requestChecks, s3Tasks, taskState } from './lazy';
import type { ExecutionRecord, TokenRecord } from './model';
import type { JsonObject, JsonValue } from '../asl/definition-types';
import { StatesError } from '../asl/states-errors';
import type { ResourceRef } from '../cfn/resolver';
import type { DeferringTaskHandler, RequestCheck, TaskAnswer, TaskHandler, TaskRequest } from '../interpreter/execution-types';
import type { ObjectStore } from '../interpreter/object-store';
import type { Execution } from '../interpreter/state-machine';
import { MockConfigError, type MockedResponseSequence } from '../workbench/mock-config';
import {
  invokeEnvelope, isMockStep, lambdaShapeOf, returnedListProblem, thrownTaskError, toJson, type LambdaShape, type MockFunction,
} from '../workbench/mocks/answers';
import type { CallClock, EndpointForwarder } from '../workbench/mocks/endpoints';
import { inlineCodeHandler } from '../workbench/mocks/inline-code';
import { inlineCodeFor, lambdaContext, lambdaTargetOf } from '../workbench/mocks/lambda-call';
import type { RequestCheckSettings } from '../workbench/mocks/request-check';
import { targetScore } from '../workbench/mocks/targets';
import type { MockCheckSettings, RunAdvice } from '../workbench/mocks/validation';

/** Others' text (state names, mock fields) as serve's log prints it: control characters escaped but the line breaks. @internal */
export function logText(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The request id a refused request's cause names: the same for the same call of the same
 * execution, so that an execution run again from its journal after a restart shows the
 * history it showed.
 */
function stableRequestId(executionArn: string, state: string, input: JsonValue): string {
  const h = createHash('sha256').update(`${executionArn}\u0000${state}\u0000${JSON.stringify(input)}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A piece of advice as serve's log prints it: `advice: <where>: <message>`, its lines after the first indented. @internal */
export function adviceLine(where: string, advice: RunAdvice): string {
  return `advice: ${where}: ${logText(advice.message).replace(/\n/g, '\n  ')}`;
}

/** An activity task waiting for a worker. @internal */
export interface ActivityTask {
  readonly token: string;
  readonly input: string;
}

/** A GetActivityTask call waiting for a task. @internal */
interface Poller {
  readonly worker: string | undefined;
  readonly deliver: (task: ActivityTask | undefined) => void;
}

/** What the task router needs from the server around it. @internal */
export interface TaskRouterHost {
  /** By state name or resource ARN, and (for Lambda Tasks) by function name or ARN, which also answers its versions and aliases. */
  readonly handlers: ReadonlyMap<string, TaskHandler>;
  /** How the MockConfigFile's answers are checked against the service models (named as serve's flags). */
  readonly mockChecks: MockCheckSettings;
  /** How the Tasks' requests are checked against the service models. */
  readonly requestChecks: RequestCheckSettings;
  /** Sends the Tasks of services given an endpoint (`--endpoint lambda=<url>`) there. */
  readonly forwarder?: EndpointForwarder;
  /** The local S3 (`--s3-dir`), which answers `aws-sdk:s3` Tasks nothing else answers. */
  readonly s3?: ObjectStore;
  /** The resources of the loaded templates, by placeholder ARN: Lambda functions (and their versions and aliases) with inline code run it. */
  readonly functions?: ReadonlyMap<string, ResourceRef>;
  /**
   * True when the server journals its executions (`--persist`): only then is a call of a Task
   * named and its answer kept for a restart. Without a journal nothing replays, so nothing is kept
   * per call (a Distributed Map of a million items would otherwise hold a million names).
   */
  readonly journaling: boolean;
  /** The execution record behind an interpreter execution. */
  recordOf(execution: Execution): ExecutionRecord | undefined;
  /** A journaled answer for this token, when the execution is being replayed after a restart. */
  replayedAnswer(token: string): { readonly ok: boolean; readonly output?: JsonValue; readonly error?: string; readonly cause?: string } | undefined;
  /** The server time of the last heartbeat journaled for this token before a restart. */
  replayedHeartbeat(token: string): number | undefined;
  /** True when the activity task holding this token was handed to a worker before a restart. */
  replayedDelivery(token: string): boolean;
  /** Journals that a worker received an activity task. */
  delivered(token: string, worker: string | undefined): void;
  /** The answer journaled for this call of a Task before a restart (see {@link TaskRouter}), taken: each is given once. */
  replayedResult(arn: string, key: string): TaskResult | undefined;
  /** Journals the answer to a call of a Task, before the execution sees it. */
  answered(arn: string, key: string, result: TaskResult): void;
  log(line: string): void;
}

/**
 * What a call of a Task answered, as journaled: its result or its error, at
 * the execution's time; or that the execution stopped waiting for it (a
 * timeout, a stop, a failed sibling branch) before it answered.
 * @internal
 */
export type TaskResult =
  | { readonly at: number; readonly ok: true; readonly output: JsonValue }
  | { readonly at: number; readonly ok: false; readonly error: string; readonly cause?: string; readonly inState?: boolean }
  | { readonly at: number; readonly ok: false; readonly aborted: true };

/**
 * Answers the Task states of the served executions, in this order: the
 * MockConfigFile test case chosen at StartExecution, the handlers module (by
 * state name, then resource ARN, then for a Lambda Task the function it calls:
 * an export named after a function answers its versions and aliases too, one
 * named after the version or alias winning), the endpoint given for the
 * Task's service (`--endpoint lambda=<url>`), the local S3 for an `aws-sdk:s3` Task
 * (`--s3-dir`), the inline code of a loaded
 * template's Lambda function (or of the function behind a version or alias)
 * for a request-response Lambda Task, and else by the resource's kind: an
 * activity waits for a worker (GetActivityTask), a `.waitForTaskToken` task
 * waits for SendTaskSuccess/Failure, and any other Task fails, naming the flag
 * that would answer it.
 * @internal
 */
export class TaskRouter {
  /** Every token issued, to route SendTask* to its execution. */
  public readonly tokens = new Map<string, TokenRecord>();
  private readonly queues = new Map<string, ActivityTask[]>();
  private readonly pollers = new Map<string, Poller[]>();
  private readonly tokenWaiters = new Map<string, Array<() => void>>();
  /** Inline-code handlers by function and qualifier, loaded on first use: a warm Lambda keeps its module state across calls. */
  private readonly inlineHandlers = new Map<string, MockFunction | undefined>();
  /** The advice told so far, so that a Map of many items tells it once. */
  private readonly advised = new Set<string>();

  constructor(private readonly host: TaskRouterHost) {}

  /** Whether a mock or handler answers a call of state `stateName` (resource `resource`) before the local S3 would. */
  answersFirst(record: ExecutionRecord, stateName: string, resource: string): boolean {
    return record.mocks?.has(stateName) === true || this.host.handlers.has(stateName) || this.host.handlers.has(resource);
  }

  /** The interpreter's `defaultTaskHandler`; an activity's answer comes from its worker, later. */
  readonly handle: DeferringTaskHandler = (input, request) => {
    const execution = request.execution as Execution;
    const record = this.host.recordOf(execution);
    const token = request.taskToken;
    if (token !== undefined && record) this.issue(token, { record, execution, ...childOf(request, record) });
    const mock = record?.mocks?.get(request.stateName);
    const shape = lambdaShapeOf(request.resource);
    const target = lambdaTargetOf(request, shape);
    const handler = this.host.handlers.get(request.stateName) ?? this.host.handlers.get(request.resource) ?? this.functionHandler(target);
    if (mock && record) return this.mocked(record, mock, request);
    const kind = taskState().classifyResource(request.resource);
    // A handler of a .sync or callback Task may answer through the request (its submission, the token), which a journaled result would not repeat.
    const plain = kind.pattern === 'request-response' && kind.kind !== 'activity';
    if (handler) {
      const call = (): JsonValue | Promise<JsonValue> => this.callHandler(handler, input, request, shape, record);
      return plain ? this.remembered(record, request, call, () => this.nextInvocation(record, request)) : call();
    }
    const forwarder = this.host.forwarder;
    if (forwarder?.handles(request)) {
      const forwarded = this.remembered(record, request, () => forwarder.forward(input, request, record?.clock ?? WALL_CLOCK)!);
      if (kind.pattern !== 'callback') return forwarded;
      // The function got the token in its payload: the task waits for SendTaskSuccess or SendTaskFailure, as on AWS.
      const submitted = forwarder.handlesService(request);
      return Promise.resolve(forwarded).then((answer) => {
        this.replay(request);
        // What SQS or SNS answered is what the Task submitted (its TaskSubmitted output), as on AWS.
        return submitted ? answer : {};
      });
    }
    const s3 = this.host.s3;
    if (s3 && kind.pattern !== 'callback') {
      const stored = s3Tasks().answerS3Task(s3, request.resource, input);
      if (stored !== undefined) return stored;
    }
    const inline = target !== undefined && kind.pattern !== 'callback' ? this.inlineHandler(target) : undefined;
    if (inline) {
      const call = (): JsonValue | Promise<JsonValue> => this.callInline(inline, input, request, shape, record);
      return plain ? this.remembered(record, request, call, () => this.nextInvocation(record, request)) : call();
    }
    if (kind.kind === 'activity') return this.awaitWorker(request);
    if (kind.pattern === 'callback') {
      this.replay(request);
      return {};
    }
    throw new StatesError('States.Runtime',
      `No mock or handler answers Task '${request.stateName}' (resource ${request.resource}). Start 'stepwright serve' with ` +
      '--mock-config <MockConfigFile> and start the execution on \'<stateMachineArn>#<TestCase>\', or with --handlers <module> ' +
      `exporting '${request.stateName}' (or '${request.resource}').`);
  };

  /**
   * Calls a Task whose answer comes from outside the execution (a handler, the
   * endpoint, inline code) and journals the answer before the execution sees
   * it; after a restart, answers the same call from the journal instead of
   * calling again. So an execution that runs again from its journaled start
   * shows the history it showed before (the result, and the time it came), and
   * a function with side effects is not called twice for one call. A call is
   * named by the run (redrive) it belongs to, its state, the Map iteration it
   * is in, a hash of its input and how many such calls came before it.
   * `counted` keeps the count of calls (the Lambda request ids) as the live
   * call would have.
   */
  private remembered(
    record: ExecutionRecord | undefined, request: TaskRequest, call: () => JsonValue | Promise<JsonValue>, counted?: () => void,
  ): JsonValue | Promise<JsonValue> {
    // An EXPRESS execution is not journaled (a restart does not run it again), nor is any without a journal.
    if (!record || record.express || !this.host.journaling) return call();
    const key = resultKey(record, request);
    const kept = this.host.replayedResult(record.arn, key);
    if (kept) {
      counted?.();
      return replayedAnswer(kept, record, request);
    }
    const settled = (outcome: { value: JsonValue } | { error: unknown }): void => {
      const at = record.clock.holdNow();
      if (request.signal.aborted) {
        this.host.answered(record.arn, key, { at, ok: false, aborted: true });
      } else if ('value' in outcome) {
        this.host.answered(record.arn, key, { at, ok: true, output: outcome.value ?? null });
      } else if (outcome.error instanceof StatesError) {
        const e = outcome.error;
        const cause = e.cause !== undefined ? { cause: e.cause } : {};
        this.host.answered(record.arn, key, { at, ok: false, error: e.error, ...cause, ...(e.inState ? { inState: true } : {}) });
      }
    };
    // Not answered before a restart: the call is made now, and the execution's time runs on from now.
    record.clock.goLive();
    let answer: JsonValue | Promise<JsonValue>;
    try {
      answer = call();
    } catch (e) {
      settled({ error: e });
      throw e;
    }
    if (!(answer instanceof Promise)) {
      settled({ value: answer });
      return answer;
    }
    return answer.then((value) => {
      settled({ value });
      return value;
    }, (error: unknown) => {
      settled({ error });
      throw error;
    });
  }

  /** Resolves with the token's record; while executions replay after a restart, waits briefly for it to be re-issued. */
  async find(token: string, waitMs: number): Promise<TokenRecord | undefined> {
    const known = this.tokens.get(token);
    if (known || waitMs <= 0) return known;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs).unref();
      const list = this.tokenWaiters.get(token) ?? [];
      list.push(() => { clearTimeout(timer); resolve(); });
      this.tokenWaiters.set(token, list);
    });
    this.tokenWaiters.delete(token);
    return this.tokens.get(token);
  }

  /** Hands the oldest waiting task of an activity to a worker, or waits up to `waitMs` (real) for one. */
  poll(activityArn: string, worker: string | undefined, waitMs: number, signal: AbortSignal): Promise<ActivityTask | undefined> {
    const queue = this.queues.get(activityArn);
    const task = queue?.shift();
    if (task) {
      this.host.delivered(task.token, worker);
      return Promise.resolve(task);
    }
    return new Promise((resolve) => {
      const list = this.pollers.get(activityArn) ?? [];
      const poller: Poller = {
        worker,
        deliver: (t) => {
          clearTimeout(timer);
          const at = list.indexOf(poller);
          if (at >= 0) list.splice(at, 1);
          resolve(t);
        },
      };
      const timer = setTimeout(() => poller.deliver(undefined), waitMs).unref();
      // A worker that hung up must not be handed a task it will never see.
      signal.addEventListener('abort', () => poller.deliver(undefined), { once: true });
      list.push(poller);
      this.pollers.set(activityArn, list);
    });
  }

  /** Ends the long polls of an activity (it was deleted, or the server is closing). */
  releasePollers(activityArn?: string): void {
    for (const [arn, list] of this.pollers) {
      if (activityArn !== undefined && arn !== activityArn) continue;
      for (const p of [...list]) p.deliver(undefined);
    }
  }

  private issue(token: string, entry: TokenRecord): void {
    this.tokens.set(token, entry);
    const waiters = this.tokenWaiters.get(token);
    if (waiters) for (const w of waiters) w();
  }

  /**
   * Delivers what was journaled for a callback re-issued while its execution
   * replays: its answer, or else its last heartbeat (at the time it was sent).
   */
  private replay(request: TaskRequest): boolean {
    const token = request.taskToken;
    if (token === undefined) return false;
    const answer = this.host.replayedAnswer(token);
    if (!answer) {
      const heartbeat = this.host.replayedHeartbeat(token);
      const record = this.host.recordOf(request.execution as Execution);
      if (heartbeat !== undefined && record) {
        record.clock.replayTo(heartbeat);
        request.execution.sendTaskHeartbeat(token);
      }
      return false;
    }
    if (answer.ok) request.execution.sendTaskSuccess(token, answer.output ?? null);
    else request.execution.sendTaskFailure(token, answer.error, answer.cause);
    return true;
  }

  private mocked(record: ExecutionRecord, sequence: MockedResponseSequence, request: TaskRequest): JsonValue {
    const invocation = record.invocations.get(request.stateName) ?? 0;
    record.invocations.set(request.stateName, invocation + 1);
    let response;
    try {
      response = sequence(invocation);
    } catch (e) {
      if (e instanceof MockConfigError) throw new StatesError('States.Runtime', `--mock-config test case '${record.testCase}': ${e.reason}`);
      throw e;
    }
    const callback = request.taskToken !== undefined && taskState().classifyResource(request.resource).pattern === 'callback';
    const origin = { stateName: request.stateName, resource: request.resource, label: `--mock-config test case '${record.testCase}'` };
    const advise = (advice: RunAdvice): void => this.advise(record, advice);
    if ('throw' in response) {
      if (!callback) {
        throw mockChecks().checkMockError(origin, new StatesError(response.throw.error, response.throw.cause), this.host.mockChecks, advise);
      }
      request.execution.sendTaskFailure(request.taskToken!, response.throw.error, response.throw.cause);
      return {};
    }
    // As in Step Functions Local, a mocked callback task returns its mocked answer without waiting.
    if (callback) {
      request.execution.sendTaskSuccess(request.taskToken!, response.return);
      return {};
    }
    return mockChecks().checkMockResult(origin, response.return, this.host.mockChecks, advise);
  }

  /**
   * An execution's StartOptions.requestCheck: Step Functions' refusal of a request before it calls
   * the service is thrown, the service's refusal returned, unless a real endpoint answers the Task
   * (no mock or handler of it): then that endpoint says.
   */
  requestCheck(record: ExecutionRecord): RequestCheck {
    return (stateName, resource, payload, field) => {
      const endpoint = this.host.forwarder?.handles({ resource } as TaskRequest) === true && record.mocks?.has(stateName) !== true
        && !this.host.handlers.has(stateName) && !this.host.handlers.has(resource);
      const verdict = requestChecks().checkTaskRequest({
        stateName,
        resource,
        payload,
        field,
        settings: this.host.requestChecks,
        advise: (a) => this.advise(record, a),
        requestId: () => stableRequestId(record.arn, stateName, payload),
        judgeService: !endpoint,
      });
      if (verdict.beforeCall !== undefined) throw verdict.beforeCall;
      return verdict.byService;
    };
  }

  /** Advice goes to serve's output, once per execution, state and message. */
  advise(record: ExecutionRecord | undefined, advice: RunAdvice): void {
    const arn = record?.arn ?? '(an execution)';
    const key = `${arn}\u0000${advice.state}\u0000${advice.message}`;
    if (this.advised.has(key)) return;
    // Bounded: a long-running serve forgets what it told long ago, and may tell it again.
    if (this.advised.size >= 10_000) this.advised.clear();
    this.advised.add(key);
    this.host.log(adviceLine(`execution ${arn}`, advice));
  }

  /** The export named after the Lambda function a Task calls: the most specific one (a version's or alias' own over its function's). */
  private functionHandler(target: string | undefined): TaskHandler | undefined {
    if (target === undefined) return undefined;
    let best: TaskHandler | undefined;
    let bestScore = 0;
    for (const [key, handler] of this.host.handlers) {
      const score = targetScore(target, key, true);
      if (score > bestScore) {
        best = handler;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * Calls a handler. What it throws fails the Task as in the jest harness: for
   * a Lambda Task as Lambda reports a function error (the error's name, and
   * the JSON error payload as cause), for another Task with the error's name
   * and message. What it returns is the task result; a mock step
   * (`succeed`, `fail`, `rawResult` from stepwright/testing) means what it
   * means in jest.
   */
  private callHandler(
    handler: TaskHandler, input: JsonValue, request: TaskRequest, shape: LambdaShape, record: ExecutionRecord | undefined,
  ): JsonValue | Promise<JsonValue> {
    const report = (e: unknown): StatesError => {
      if (e instanceof StatesError) return e;
      const err = e instanceof Error ? e : new Error(String(e));
      this.host.log(`handler for Task '${request.stateName}' threw ${err.name}: ${err.message}${err.stack ? `\n${err.stack}` : ''}`);
      return thrownTaskError(e, shape);
    };
    const invocation = this.nextInvocation(record, request);
    let answer: JsonValue | Promise<JsonValue>;
    try {
      answer = handler(input, request);
    } catch (e) {
      throw report(e);
    }
    const finish = (v: unknown): JsonValue => this.resultOf(v, request, shape, record, invocation, false);
    if (answer instanceof Promise) return answer.then(finish, (e: unknown) => { throw report(e); });
    return finish(answer);
  }

  /** Runs a loaded function's inline code as Lambda would: the event is the Payload, the result the invoke envelope's Payload. */
  private callInline(
    fn: MockFunction, input: JsonValue, request: TaskRequest, shape: LambdaShape, record: ExecutionRecord | undefined,
  ): JsonValue | Promise<JsonValue> {
    const invocation = this.nextInvocation(record, request);
    const event = shape === 'invoke' ? ((input as JsonObject | null)?.Payload ?? null) : input;
    const now = (): number => record?.clock.now() ?? Date.now();
    const context = lambdaContext({ request, invocation, requestId: requestIdOf(record, request, invocation), now });
    let answer: unknown;
    try {
      answer = fn(event, context);
    } catch (e) {
      throw thrownTaskError(e, shape);
    }
    const finish = (v: unknown): JsonValue => this.resultOf(v, request, shape, record, invocation, true);
    if (answer && typeof (answer as Promise<unknown>).then === 'function') {
      return Promise.resolve(answer as Promise<unknown>).then(finish, (e: unknown) => { throw thrownTaskError(e, shape); });
    }
    return finish(answer);
  }

  /**
   * The task result of what a handler or inline code returned. A step means
   * what it means in jest; a list holding steps is refused, as one call takes
   * one answer. A plain value is the result as given from a handler, and the
   * function's return value (inside the invoke envelope) from inline code.
   */
  private resultOf(
    value: unknown, request: TaskRequest, shape: LambdaShape, record: ExecutionRecord | undefined, invocation: number, fromFunction: boolean,
  ): JsonValue {
    const envelope = (payload: JsonValue): JsonValue => (shape === 'invoke'
      ? invokeEnvelope(payload ?? null, requestIdOf(record, request, invocation), record?.clock.now() ?? Date.now())
      : payload);
    if (isMockStep(value)) {
      switch (value.kind) {
        case 'succeed': return envelope(value.value as JsonValue);
        case 'raw': return value.value as JsonValue;
        case 'fail': throw new StatesError(value.error!, value.cause);
        default: throw new StatesError('States.Runtime', `The handler for Task '${request.stateName}' returned delay(), which needs the jest harness's virtual clock; `
          + 'serve runs on the real clock (--time-scale): wait in the handler instead');
      }
    }
    const problem = returnedListProblem(value);
    if (problem) throw new StatesError('States.Runtime', `The ${fromFunction ? 'inline code' : 'handler'} for Task '${request.stateName}' ${problem}.`);
    const json = toJson(value);
    return fromFunction ? envelope(json) : json;
  }

  private nextInvocation(record: ExecutionRecord | undefined, request: TaskRequest): number {
    if (!record) return 0;
    const invocation = record.invocations.get(request.stateName) ?? 0;
    record.invocations.set(request.stateName, invocation + 1);
    return invocation;
  }

  /** The handler of the inline code of the loaded Lambda function `target` names (or a version or alias of it). */
  private inlineHandler(target: string): MockFunction | undefined {
    const found = this.host.functions ? inlineCodeFor(target, this.host.functions) : undefined;
    if (!found) return undefined;
    if (!this.inlineHandlers.has(found.key)) this.inlineHandlers.set(found.key, inlineCodeHandler(found.code, found.name));
    return this.inlineHandlers.get(found.key);
  }

  /** An activity: queue it for GetActivityTask (or hand it to a waiting worker) and let the execution wait for the token. */
  private awaitWorker(request: TaskRequest): TaskAnswer {
    const token = request.taskToken!;
    if (this.replay(request) || this.host.replayedDelivery(token)) return undefined;
    const task: ActivityTask = { token, input: JSON.stringify(request.input) };
    const arn = request.resource;
    const waiting = this.pollers.get(arn);
    if (waiting && waiting.length > 0) {
      const poller = waiting[0];
      this.host.delivered(token, poller.worker);
      poller.deliver(task);
    } else {
      const queue = this.queues.get(arn) ?? [];
      queue.push(task);
      this.queues.set(arn, queue);
      // A task whose execution stopped or timed out is no longer offered to workers.
      request.signal.addEventListener('abort', () => {
        const at = queue.indexOf(task);
        if (at >= 0) queue.splice(at, 1);
      }, { once: true });
    }
    return undefined;
  }
}

/**
 * Real time, for a Task that runs outside a served execution: the bound on its
 * endpoint call. Written here rather than taken from the interpreter, whose
 * clocks the server loads only when it first needs them.
 */
const WALL_CLOCK: CallClock = {
  now: () => Date.now(),
  sleepUntil: (deadline, signal) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    signal?.onCancel(() => clearTimeout(timer));
  }),
};

/** The child execution of a Map Run a Task runs in, when it is not `record` itself: its `$$.Execution.Id`. */
function childOf(request: TaskRequest, record: ExecutionRecord): { child?: string } {
  const id = (request.context as { Execution?: { Id?: unknown } } | null)?.Execution?.Id;
  return typeof id === 'string' && id !== record.arn ? { child: id } : {};
}

/**
 * The name of a call of a Task in its execution's journal: the run, the state,
 * the Map iteration (`$$.Map.Item.Index`), a hash of the input and the retry,
 * and how many calls with all of these came before it in the execution, so
 * that iterations answered in another order on replay still find their own answers.
 */
function resultKey(record: ExecutionRecord, request: TaskRequest): string {
  const context = request.context as { Map?: { Item?: { Index?: unknown } } } | null;
  const index = typeof context?.Map?.Item?.Index === 'number' ? context.Map.Item.Index : '';
  const call = createHash('sha256')
    .update(`${record.redriveCount}\n${request.stateName}\n${index}\n${request.retryCount}\n${JSON.stringify(request.input) ?? ''}`)
    .digest('hex').slice(0, 24);
  const n = record.calls.get(call) ?? 0;
  record.calls.set(call, n + 1);
  return `${call}:${n}`;
}

/** A journaled answer given again: at the time it came, so the history shows it where it was. */
function replayedAnswer(kept: TaskResult, record: ExecutionRecord, request: TaskRequest): JsonValue | Promise<JsonValue> {
  if ('aborted' in kept && kept.aborted) {
    // The execution stopped waiting for it then, and will again now: it never answers.
    return new Promise<JsonValue>((_, reject) => {
      const gone = (): void => reject(new StatesError('States.Runtime', `Task '${request.stateName}' was abandoned before it answered`));
      if (request.signal.aborted) gone();
      else request.signal.addEventListener('abort', gone, { once: true });
    });
  }
  record.clock.replayTo(kept.at);
  if (kept.ok) return kept.output;
  const failed = kept as { error: string; cause?: string; inState?: boolean };
  throw new StatesError(failed.error, failed.cause, { inState: failed.inState === true });
}

/**
 * A request id for a Lambda call that is the same when an execution replays
 * after a restart, so the invoke envelope (and the history) comes out the same.
 */
function requestIdOf(record: ExecutionRecord | undefined, request: TaskRequest, invocation: number): string {
  const h = createHash('sha256').update(`${record?.arn ?? ''}\n${request.stateName}\n${invocation}\n${request.retryCount}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
