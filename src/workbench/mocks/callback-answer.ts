import type { JsonValue } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { StatesErrors } from '../../asl/states-errors';
import type { ExecutionControl } from '../../interpreter/execution-types';

/**
 * Answers a callback Task's token with a mock's value, as a worker's SendTaskSuccess would.
 * `refused` hears a refusal that means the task ended meanwhile or its token was used already (a
 * duplicate delivery). An output SendTaskSuccess refuses itself (over 262,144 bytes, or not JSON) is
 * an answer no worker can send: on AWS the worker's call fails and the task keeps waiting for its
 * token until it times out. Such a mock fails the run with States.Runtime, past every Retry and
 * Catch, rather than hang it or let a Catch take it.
 * @internal
 */
export function answerCallback(execution: ExecutionControl, token: string, stateName: string, value: JsonValue, refused: (e: unknown) => void): void {
  try {
    execution.sendTaskSuccess(token, value);
  } catch (e) {
    const { name, message } = e as Error;
    if (name !== ApiErrors.ValidationException && name !== ApiErrors.InvalidOutput) {
      refused(e);
      return;
    }
    const cause = `The mock of Task '${stateName}' answers its callback with an output SendTaskSuccess refuses (${name}: ${message}); `
      + "on AWS the worker's call fails and the task keeps waiting for its token: give the mock a smaller answer";
    try { execution.sendTaskFailure(token, StatesErrors.RUNTIME, cause); } catch (again) { refused(again); }
  }
}
