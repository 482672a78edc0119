import { createHash } from 'node:crypto';
import { adviceLine, logText } from './advice';
import { honouredEndpointVariables } from './environment';
import { closedTokens, nested } from './lazy';
import type { ExecutionRecord, TokenRecord } from './model';
import type { JsonValue } from '../asl';
import { StatesErrors, StatesError } from '../asl/states-errors';
import type { Execution } from '../interpreter';
import type { ClosedTokens, CLOSED_TASK } from '../interpreter/closed-tokens';
import type { TaskAnswer, TaskHandler, TaskRequest } from '../interpreter/execution-types';
import type { MockFunction, DispatchDoor, RunAdvice } from '../workbench/mocks';
import { localS3Advice } from '../workbench/mocks/local-s3-advice';
import { targetScore } from '../workbench/mocks/targets';

/** A request id made from `text`: the same text, the same id (a version 4 UUID in form). @internal */
export function stableRequestId(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An activity task waiting for a worker. @internal */
export interface ActivityTask {
  readonly token: string;
  readonly input: string;
  /** Tells the execution a worker took the task: its ActivityStarted, with the worker's name. */
  readonly taken: (worker: string | undefined) => void;
}

/** What the journal says of an activity task handed to a worker before a restart. @internal */
export interface ReplayedDelivery {
  readonly worker: string | undefined;
  /** The execution's time when the worker took it; absent in journals written before it was kept. */
  readonly at: number | undefined;
}

/**
 * Who answers a SendTask* call on a token (TaskRouter.find): the execution whose Task waits on it,
 * or, once that Task has ended, the refusal of a closed task (its values checked, then TaskTimedOut).
 * @internal
 */
export type TokenHolder = { readonly open: TokenRecord } | { readonly closed: typeof CLOSED_TASK };

/** A GetActivityTask call waiting for a task. @internal */
interface Poller {
  readonly worker: string | undefined;
  readonly deliver: (task: ActivityTask | undefined) => void;
}

/** What the task router needs from the server around it. @internal */
export interface TaskRouterHost {
  /** By state name or resource ARN, and (for Lambda Tasks) by function name or ARN, which also answers its versions and aliases. */
  readonly handlers: ReadonlyMap<string, TaskHandler>;
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
  /** The worker the activity task holding this token was handed to before a restart, if it was. */
  replayedDelivery(token: string): ReplayedDelivery | undefined;
  /** Journals that a worker received an activity task of execution `arn`, at the execution's time `at`. */
  delivered(token: string, worker: string | undefined, at: number | undefined, arn: string | undefined): void;
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
 * What serve adds to how the workbench answers the Tasks of its executions (see DispatchDoor):
 * the handlers module (by state name, then resource ARN, then for a Lambda Task the function it
 * calls: an export named after a function answers its versions and aliases too, one named after
 * the version or alias winning), answered after the MockConfigFile test case chosen at
 * StartExecution; the journal, which keeps what a handler, an endpoint or inline code answered
 * so that a restart answers the same call again; activities, which wait for a worker
 * (GetActivityTask); `.waitForTaskToken` tasks, which wait for SendTaskSuccess/Failure (with
 * the endpoint's callback Tasks); the task tokens SendTask* find their execution by; and the
 * failure of a Task nothing answers, naming the flag that would answer it. Everything else
 * (mocks, endpoints, the local S3, inline code, what an answer means) is the workbench's, as
 * for every door.
 * @internal
 */
export class TaskRouter {
  /**
   * The tokens of the Tasks that wait, to route SendTask* to their executions (and the console's
   * view of an execution to its waiting callbacks). A token leaves when its Task ends, for
   * {@link closed}: the table holds neither the executions that ended nor a token per callback made.
   */
  public readonly tokens = new Map<string, TokenRecord>();
  /**
   * The tokens of the last Tasks that ended (CLOSED_TOKENS_KEPT, the same bound as the harness's
   * table, docs/limits.md "Callbacks"), made when the first ends: a late answer to one is refused
   * as AWS refuses it (TaskTimedOut), one to a token ended before them as a token no task holds
   * (TaskDoesNotExist).
   */
  private closed: ClosedTokens | undefined;
  /** Inline-code handlers by function and qualifier, loaded on first use: a warm Lambda keeps its module state across calls and executions. */
  public readonly inlineModules = new Map<string, MockFunction | undefined>();
  private readonly queues = new Map<string, ActivityTask[]>();
  private readonly pollers = new Map<string, Poller[]>();
  private readonly tokenWaiters = new Map<string, Array<() => void>>();
  /** The advice told so far, so that a Map of many items tells it once. */
  private readonly advised = new Set<string>();

  /** @param closedKept how many closed tasks' tokens are remembered; a test gives fewer. @default CLOSED_TOKENS_KEPT */
  constructor(private readonly host: TaskRouterHost, private readonly closedKept?: number) {}

  /** Whether a mock or handler answers a call of state `stateName` (resource `resource`) before the local S3 would. */
  answersFirst(record: ExecutionRecord, stateName: string, resource: string): boolean {
    return record.mocks?.has(stateName) === true || this.host.handlers.has(stateName) || this.host.handlers.has(resource);
  }

  /** What serve adds to the answering of the Tasks of one run of `record`. */
  door(record: ExecutionRecord): DispatchDoor {
    return {
      called: (request) => {
        const token = request.taskToken;
        if (token === undefined) return;
        this.issue(token, { record, execution: request.execution as Execution, ...childOf(request, record) }, request.signal);
      },
      answers: (stateName, resource) => this.host.handlers.has(stateName) || this.host.handlers.has(resource),
      handler: (request, target) => this.host.handlers.get(request.stateName) ?? this.host.handlers.get(request.resource)
        ?? this.functionHandler(target),
      handlerThrew: (request, err) => {
        this.host.log(`handler for Task '${request.stateName}' threw ${err.name}: ${err.message}${err.stack ? `\n${err.stack}` : ''}`);
      },
      outside: (request, call, kept) => (kept ? this.remembered(record, request, call) : call()),
      forwardedCallback: (request) => {
        this.replayCallback(request);
      },
      awaitToken: (request, activity, submitted) => {
        if (activity) return this.awaitWorker(request);
        this.replayCallback(request);
        return submitted();
      },
      unanswered: (request, localS3, endpointService) => `No mock or handler answers Task '${request.stateName}' (resource ${request.resource}).${notHeld(request)} `
        + (record.testCase === undefined
          ? 'Start \'stepwright serve\' with --mock-config <MockConfigFile> and start the execution on \'<stateMachineArn>#<TestCase>\', or with '
          // A test case that leaves a state out (the guide's HybridPath): Step Functions Local calls the service's endpoint for it.
          : `--mock-config test case '${record.testCase}' gives the state no response: add '${request.stateName}' to the test case; or, `
            // Only a service serve sends Tasks to an endpoint of: a Glue or ECS Task's endpoint would not be called.
            + (endpointService === undefined ? '' : 'where Step Functions Local called the service for a state its test case leaves out, give serve '
              + `the service's endpoint as it was given (${honouredEndpointVariables(endpointService).join(', ')}); or `)
            + 'start serve with ')
        + `--handlers <module> exporting '${request.stateName}' (or '${request.resource}')`
        // The service running locally answers it, as Step Functions Local sent it to LAMBDA_ENDPOINT, SQS_ENDPOINT, ...
        + (record.testCase === undefined && endpointService !== undefined
          ? `, or with --endpoint ${endpointService}=<url> (${endpointService === 'lambda' ? 'sam local start-lambda' : `an endpoint of your own that answers ${endpointService}`})`
          : '')
        // A local S3 answers what an S3 Task or a Map's ItemReader reads; serve has none without --s3-dir (or an s3 endpoint).
        + (localS3 === undefined ? '.' : `; or, ${localS3Advice('serve', localS3)}.`),
      configProblem: (e) => `--mock-config test case '${record.testCase}': ${e.reason}`,
      delayRefused: (request, from) => (from === 'handler'
        ? `The handler for Task '${request.stateName}' returned delay(), which needs the jest harness's virtual clock; `
          + 'serve runs on the real clock (--time-scale): wait in the handler instead'
        : `--mock-config test case '${record.testCase}' answers Task '${request.stateName}' with a Delay, stepwright's own field, which needs `
          + 'the virtual clock of `stepwright run` or the jest harness; serve runs on the real clock (--time-scale): answer it from a --handlers handler that waits instead'),
    };
  }

  /**
   * The request id of a Lambda call, the same when an execution replays after a restart, so
   * that the invoke envelope (and the history) comes out the same.
   */
  requestId(record: ExecutionRecord, request: TaskRequest, invocation: number): string {
    return stableRequestId(`${record.arn}\n${request.stateName}\n${invocation}\n${request.retryCount}`);
  }

  /**
   * Calls a Task whose answer comes from outside the execution (a handler, the
   * endpoint, inline code) and journals the answer before the execution sees
   * it; after a restart, answers the same call from the journal instead of
   * calling again. So an execution that runs again from its journaled start
   * shows the history it showed before (the result, and the time it came), and
   * a function with side effects is not called twice for one call. A call is
   * named by the run (redrive) it belongs to, its state, the Map iteration it
   * is in, a hash of its input and how many such calls came before it.
   */
  private remembered(record: ExecutionRecord, request: TaskRequest, call: () => JsonValue | Promise<JsonValue>): JsonValue | Promise<JsonValue> {
    // An EXPRESS execution is not journaled (a restart does not run it again), nor is any without a journal.
    if (record.express || !this.host.journaling) return call();
    const key = resultKey(record, request);
    const kept = this.host.replayedResult(record.arn, key);
    if (kept) return replayedAnswer(kept, record, request);
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
    record.clock.callMade();
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

  /**
   * Resolves with who answers the token: the execution whose Task waits on it, or, for a Task that
   * ended among the last remembered, how a closed task refuses an answer; undefined for a token no
   * task holds. While executions replay after a restart, waits briefly for it to be re-issued.
   */
  async find(token: string, waitMs: number): Promise<TokenHolder | undefined> {
    const known = this.holderOf(token);
    if (known || waitMs <= 0) return known;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs).unref();
      const list = this.tokenWaiters.get(token) ?? [];
      list.push(() => { clearTimeout(timer); resolve(); });
      this.tokenWaiters.set(token, list);
    });
    this.tokenWaiters.delete(token);
    return this.holderOf(token);
  }

  private holderOf(token: string): TokenHolder | undefined {
    const open = this.tokens.get(token);
    if (open) return { open };
    return this.closed?.has(token) ? { closed: closedTokens().CLOSED_TASK } : undefined;
  }

  /**
   * What the router holds: the tokens of Tasks that wait and of closed ones, and the activities
   * it holds a queue of tasks or of waiting workers for. For tests of its bounds.
   */
  get size(): { readonly open: number; readonly closed: number; readonly activities: number } {
    return { open: this.tokens.size, closed: this.closed?.size ?? 0, activities: new Set([...this.queues.keys(), ...this.pollers.keys()]).size };
  }

  /** Hands the oldest waiting task of an activity to a worker, or waits up to `waitMs` (real) for one. */
  poll(activityArn: string, worker: string | undefined, waitMs: number, signal: AbortSignal): Promise<ActivityTask | undefined> {
    const queue = this.queues.get(activityArn);
    const task = queue?.shift();
    if (queue?.length === 0) this.queues.delete(activityArn);
    if (task) {
      this.deliver(task, worker);
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
          // An activity no worker waits on holds no entry: a peer polling activity after activity leaves nothing behind.
          if (list.length === 0 && this.pollers.get(activityArn) === list) this.pollers.delete(activityArn);
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

  /** A worker took the task: journaled, and ActivityStarted recorded with the worker's name. */
  private deliver(task: ActivityTask, worker: string | undefined): void {
    const record = this.tokens.get(task.token)?.record;
    this.host.delivered(task.token, worker, record?.clock.now(), record?.arn);
    task.taken(worker);
  }

  /** How many GetActivityTask calls wait on an activity now. */
  waitingPollers(activityArn: string): number {
    return this.pollers.get(activityArn)?.length ?? 0;
  }

  /** Ends the long polls of an activity (it was deleted, or the server is closing). */
  releasePollers(activityArn?: string): void {
    for (const [arn, list] of this.pollers) {
      if (activityArn !== undefined && arn !== activityArn) continue;
      for (const p of [...list]) p.deliver(undefined);
    }
  }

  /** A Task holds `token` until `ended` aborts: then its token is remembered as closed. */
  private issue(token: string, entry: TokenRecord, ended: AbortSignal): void {
    const close = (): void => {
      // A token issued again while the execution replays after a restart has a new entry: that one is its.
      if (this.tokens.get(token) === entry) this.tokens.delete(token);
      (this.closed ??= new (closedTokens().ClosedTokens)(this.closedKept)).add(token);
    };
    if (ended.aborted) {
      close();
    } else {
      this.tokens.set(token, entry);
      ended.addEventListener('abort', close, { once: true });
    }
    const waiters = this.tokenWaiters.get(token);
    if (waiters) for (const w of waiters) w();
  }

  /**
   * Delivers what was journaled for a callback re-issued while its execution
   * replays: its answer, or else its last heartbeat (at the time it was sent).
   * Also told by a `.waitForTaskToken` Task that started its child (nested-executions.ts).
   */
  replayCallback(request: TaskRequest): boolean {
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

  /**
   * The request id a refused request's cause names: the same for the same call of the same
   * execution, so that an execution run again from its journal after a restart shows the
   * history it showed.
   */
  refusalRequestId(record: ExecutionRecord, state: string, input: JsonValue): string {
    return stableRequestId(`${record.arn}\u0000${state}\u0000${JSON.stringify(input)}`);
  }

  /** Advice goes to serve's output, once per execution, state and message. */
  advise(record: ExecutionRecord, advice: RunAdvice): void {
    const arn = record.arn;
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

  /** An activity: queue it for GetActivityTask (or hand it to a waiting worker) and let the execution wait for the token. */
  private awaitWorker(request: TaskRequest): TaskAnswer {
    const token = request.taskToken!;
    // AWS records ActivityStarted when a worker takes the task, with the name it gave GetActivityTask.
    const taken = request.awaitActivityWorker?.() ?? (() => undefined);
    const delivered = this.host.replayedDelivery(token);
    if (delivered) {
      const record = this.host.recordOf(request.execution as Execution);
      if (delivered.at !== undefined && record) record.clock.replayTo(delivered.at);
      taken(delivered.worker);
    }
    if (this.replayCallback(request) || delivered) return undefined;
    const task: ActivityTask = { token, input: JSON.stringify(request.input), taken };
    const arn = request.resource;
    const waiting = this.pollers.get(arn);
    if (waiting && waiting.length > 0) {
      const poller = waiting[0];
      this.deliver(task, poller.worker);
      poller.deliver(task);
    } else {
      const queue = this.queues.get(arn) ?? [];
      queue.push(task);
      this.queues.set(arn, queue);
      // A task whose execution stopped or timed out is no longer offered to workers.
      request.signal.addEventListener('abort', () => {
        const at = queue.indexOf(task);
        if (at >= 0) queue.splice(at, 1);
        if (queue.length === 0 && this.queues.get(arn) === queue) this.queues.delete(arn);
      }, { once: true });
    }
    return undefined;
  }
}

/**
 * For a `states:startExecution` Task nothing answered: the state machine it names is not one serve
 * holds, so no child execution was started (see nested-executions.ts).
 */
function notHeld(request: TaskRequest): string {
  if (nested().startExecutionPattern(request.resource) === undefined) return '';
  const arn = (request.input as { StateMachineArn?: unknown } | null)?.StateMachineArn;
  return ` serve holds no state machine ${typeof arn === 'string' ? `'${logText(arn.slice(0, 300))}'` : 'of the StateMachineArn it sends'} to start it on:`
    + ' create it (CreateStateMachine) or load its template (--load) to run it as a nested execution.';
}

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
 * @internal
 */
export function resultKey(record: ExecutionRecord, request: TaskRequest): string {
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
      const gone = (): void => reject(new StatesError(StatesErrors.RUNTIME, `Task '${request.stateName}' was abandoned before it answered`));
      if (request.signal.aborted) gone();
      else request.signal.addEventListener('abort', gone, { once: true });
    });
  }
  record.clock.replayTo(kept.at);
  if (kept.ok) return kept.output;
  const failed = kept as { error: string; cause?: string; inState?: boolean };
  throw new StatesError(failed.error, failed.cause, { inState: failed.inState === true });
}
