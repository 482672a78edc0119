/*
 * The task tokens of a run, and how SendTask* refuses one, for every door: serve's SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat (server/operations/tasks.ts) and the harness's table of the
 * tokens a run and its children issued, which an `aws-sdk:sfn:sendTask*` Task answers (send-task.ts).
 * Loaded by serve's operations at its start: it imports nothing at run time (the harness's table,
 * which needs the interpreter's memory of closed tokens, is run-task-tokens.ts).
 */
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
