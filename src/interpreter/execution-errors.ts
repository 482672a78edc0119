/* The errors an execution's handle and its start throw, named as AWS names them. */
import { ApiErrors } from '../asl/api-errors';

/**
 * A task token this execution never issued (AWS's `TaskDoesNotExist`).
 * @example
 * expect(() => execution.sendTaskSuccess('no-such-token', {})).toThrow(TaskDoesNotExistError);
 */
export class TaskDoesNotExistError extends Error {
  constructor(token: string) {
    super(`No pending task holds the task token '${token}': this execution never issued it`);
    this.name = ApiErrors.TaskDoesNotExist;
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
    this.name = ApiErrors.TaskTimedOut;
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
    this.name = ApiErrors.InvalidOutput;
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
    this.name = ApiErrors.InvalidExecutionInput;
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
    this.name = ApiErrors.ValidationException;
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
