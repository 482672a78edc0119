/*
 * The harness's table of the task tokens a run and its children issued, which an
 * `aws-sdk:sfn:sendTask*` Task answers through (send-task.ts). Apart from task-tokens.ts, which
 * serve's operations load at its start: this table reads the interpreter's memory of closed
 * tokens (interpreter/closed-tokens.ts), which a server that has not yet run a machine must not load
 * (test/server/start.test.ts, test/cli/start-cache.test.ts).
 */
import { INVALID_TOKEN_MESSAGE, isTaskTokenForm, taskDoesNotExistMessage, type SendTaskCall, type TaskTokenDesk } from './task-tokens';
import type { JsonValue } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { CLOSED_TASK, ClosedTokens } from '../../interpreter/closed-tokens';
import type { ExecutionControl } from '../../interpreter/execution-types';

/** An error of Step Functions' API, named as the API names it (its `name`), for sendTaskError to turn into the Task's. */
class SendTaskRefusal extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * The task tokens the executions of one harness run issued, its own and its children's (and
 * theirs): an `aws-sdk:sfn:sendTask*` Task of any of them answers the Task that holds the token,
 * as on AWS, where any caller with the token may. A token is kept with its execution while its
 * Task waits; once the Task ends, the token alone is kept (the last CLOSED_TOKENS_KEPT of them), so
 * that a late answer is refused as the execution refuses it (TaskTimedOut), not as one never
 * issued, and the table holds neither the executions that ended nor a token per callback the run made.
 * @internal
 */
export class TaskTokens implements TaskTokenDesk {
  /** The tokens of the Tasks that wait, with the execution that holds each. */
  private readonly open = new Map<string, ExecutionControl>();
  private readonly closed = new ClosedTokens();

  /** Told of each token a Task of the run's executions is given. */
  issued(token: string, execution: ExecutionControl, closed: AbortSignal): void {
    if (closed.aborted) return this.closed.add(token);
    this.open.set(token, execution);
    closed.addEventListener('abort', () => {
      this.open.delete(token);
      this.closed.add(token);
    }, { once: true });
  }

  /** How many tokens the table holds: of Tasks that wait, and of closed ones. For tests of its bound. */
  get size(): { readonly open: number; readonly closed: number } {
    return { open: this.open.size, closed: this.closed.size };
  }

  /** Sends the call to the execution holding its token; throws the API's refusal, named as the API names it. */
  send(call: SendTaskCall): void {
    const token = call.taskToken;
    if (!isTaskTokenForm(token)) throw new SendTaskRefusal(ApiErrors.InvalidToken, INVALID_TOKEN_MESSAGE);
    const execution = this.open.get(token) ?? (this.closed.has(token) ? CLOSED_TASK : undefined);
    if (execution === undefined) throw new SendTaskRefusal(ApiErrors.TaskDoesNotExist, taskDoesNotExistMessage(token));
    switch (call.operation) {
      case 'SendTaskSuccess': return execution.sendTaskSuccess(token, parseOutput(call.output));
      case 'SendTaskFailure': return execution.sendTaskFailure(token, call.error, call.cause);
      case 'SendTaskHeartbeat': return execution.sendTaskHeartbeat(token);
    }
  }
}

/** SendTaskSuccess's `output`, JSON text: what is not JSON is refused as InvalidOutput, as serve's API refuses it. */
function parseOutput(text: string | undefined): JsonValue {
  try {
    return JSON.parse(text ?? '') as JsonValue;
  } catch {
    throw new SendTaskRefusal(ApiErrors.InvalidOutput, 'Invalid output: the output is not valid JSON');
  }
}
