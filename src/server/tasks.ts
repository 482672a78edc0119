import { taskState } from './lazy';
import type { ExecutionRecord, TokenRecord } from './model';
import { StatesError } from '../asl/errors';
import type { JsonValue } from '../asl/types';
import type { Execution } from '../interpreter/state-machine';
import type { TaskHandler, TaskRequest } from '../interpreter/types';
import { MockConfigError, type MockedResponseSequence } from '../testing/mock-config';

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
  /** By state name or resource ARN. */
  readonly handlers: ReadonlyMap<string, TaskHandler>;
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
  log(line: string): void;
}

/**
 * Answers the Task states of the served executions, in this order: the
 * MockConfigFile test case chosen at StartExecution, the handlers module (by
 * state name, then resource ARN), and else by the resource's kind: an
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

  constructor(private readonly host: TaskRouterHost) {}

  /** The interpreter's `defaultTaskHandler`. */
  readonly handle: TaskHandler = (input, request) => {
    const execution = request.execution as Execution;
    const record = this.host.recordOf(execution);
    const token = request.taskToken;
    if (token !== undefined && record) this.issue(token, { record, execution });
    const mock = record?.mocks?.get(request.stateName);
    if (mock && record) return this.mocked(record, mock, request);
    const handler = this.host.handlers.get(request.stateName) ?? this.host.handlers.get(request.resource);
    if (handler) return this.callHandler(handler, input, request);
    const kind = taskState().classifyResource(request.resource);
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
    if ('throw' in response) {
      if (!callback) throw new StatesError(response.throw.error, response.throw.cause);
      request.execution.sendTaskFailure(request.taskToken!, response.throw.error, response.throw.cause);
      return {};
    }
    // As in Step Functions Local, a mocked callback task returns its mocked answer without waiting.
    if (callback) {
      request.execution.sendTaskSuccess(request.taskToken!, response.return);
      return {};
    }
    return response.return;
  }

  private callHandler(handler: TaskHandler, input: JsonValue, request: TaskRequest): JsonValue | Promise<JsonValue> {
    const report = (e: unknown): StatesError => {
      if (e instanceof StatesError) return e;
      const err = e instanceof Error ? e : new Error(String(e));
      this.host.log(`handler for Task '${request.stateName}' threw ${err.name}: ${err.message}${err.stack ? `\n${err.stack}` : ''}`);
      return new StatesError(err.name || 'Error', err.message);
    };
    let answer: JsonValue | Promise<JsonValue>;
    try {
      answer = handler(input, request);
    } catch (e) {
      throw report(e);
    }
    if (answer instanceof Promise) return answer.catch((e: unknown) => { throw report(e); });
    return answer === undefined ? null : answer;
  }

  /** An activity: queue it for GetActivityTask (or hand it to a waiting worker) and let the execution wait for the token. */
  private awaitWorker(request: TaskRequest): JsonValue {
    const token = request.taskToken!;
    if (this.replay(request) || this.host.replayedDelivery(token)) return undefined as unknown as JsonValue;
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
    return undefined as unknown as JsonValue;
  }
}
