/*
 * The task tokens of a run, and how SendTask* refuses one, for every door: serve's SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat (server/operations/tasks.ts) and the harness's table of the
 * tokens a run and its children issued, which an `aws-sdk:sfn:sendTask*` Task answers (send-task.ts).
 * Loaded by serve's operations at its start: it imports nothing but asl/api-errors.ts and, for the
 * harness's table, the interpreter's memory of closed tokens (interpreter/closed-tokens.ts).
 */
import type { JsonValue } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { CLOSED_TASK, ClosedTokens } from '../../interpreter/closed-tokens';
import type { ExecutionControl } from '../../interpreter/execution-types';

/** The API operation a token's answer is sent with. @internal */
export type SendTaskOperation = 'SendTaskSuccess' | 'SendTaskFailure' | 'SendTaskHeartbeat';

/** What an `aws-sdk:sfn:sendTask*` Task sends, as the API takes it. @internal */
export interface SendTaskCall {
  readonly operation: SendTaskOperation;
  readonly taskToken: string;
  /** SendTaskSuccess's `output`, JSON text. */
  readonly output?: string;
  /** SendTaskFailure's `error` and `cause`, each optional as in the API. */
  readonly error?: string;
  readonly cause?: string;
}

/**
 * Whether a token has the form of those the interpreter issues (`newTaskToken`: a UUID, a dash
 * and its number within its execution in base 36). One of any other form was never issued:
 * SendTask* refuses it as InvalidToken, where a token of this form no task holds is TaskDoesNotExist.
 * @internal
 */
export function isTaskTokenForm(token: string): boolean {
  return /^[0-9a-f-]{36}-[0-9a-z]+$/.test(token);
}

/** An error of Step Functions' API, named as the API names it (its `name`), for sendTaskError to turn into the Task's. */
class SendTaskRefusal extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** SendTask*'s words for a token Step Functions never issued (recorded, see send-task.ts), which name no token. @internal */
export const INVALID_TOKEN_MESSAGE = "Invalid Token: 'Invalid token'";

/** SendTask*'s words for a token of the issued form that no task holds. @internal */
export function taskDoesNotExistMessage(token: string): string {
  return `Task Does Not Exist: no task holds the token '${token}'`;
}

/**
 * Where a run's `aws-sdk:sfn:sendTask*` Tasks send (RunContextProps.taskTokens): the harness's
 * table of the tokens its executions issued (TaskTokens), serve's own SendTask* operations.
 * @internal
 */
export interface TaskTokenDesk {
  /**
   * Told of each token a Task of the run is given, with the execution that holds it and the
   * Task's signal, aborted once it stops waiting (serve's router keeps its own).
   */
  issued?(token: string, execution: ExecutionControl, closed: AbortSignal): void;
  /** Sends the call to the execution holding its token; throws (or rejects with) the API's refusal, its `name` the API's error. */
  send(call: SendTaskCall): void | Promise<void>;
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
