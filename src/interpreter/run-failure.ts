import type { Failure } from './runtime';
import { StatesError, TestSetupError } from '../asl/states-errors';

/** A failed state or run; a class so the hot path tells it apart with one `instanceof`. @internal */
export class RunFailure implements Failure {
  declare public readonly error: string;
  declare public readonly cause: string | undefined;
  constructor(error: string, cause: string | undefined) {
    this.error = error;
    this.cause = cause;
  }
}

/** The failure of a {@link TestSetupError}: no Distributed Map tolerates it (see branches.ts). @internal */
export class TestSetupFailure extends RunFailure {}

/**
 * A state's own output or variables over AWS's payload limit: States.DataLimitExceeded, which no
 * Retry or Catch takes ("States.ALL ... can't catch the States.DataLimitExceeded terminal error
 * type", Step Functions Developer Guide, "Error handling in Step Functions"), neither the state's
 * own nor those of the Parallel or inline Map whose branch or iteration it fails: it ends the
 * execution (see TERMINAL_ERRORS). A Task's result over the limit is not one: States.ALL catches
 * that (recorded).
 * @internal
 */
export class LimitFailure extends RunFailure {}

/** A {@link LimitFailure} raised again in the Parallel or inline Map around it: it passes their Retry and Catch. @internal */
export class LimitError extends StatesError {}

/** The failure a state's error makes, keeping a test-setup mistake one. @internal */
export function failureOf(err: StatesError, cause: string | undefined): RunFailure {
  return err instanceof TestSetupError ? new TestSetupFailure(err.error, cause) : new RunFailure(err.error, cause);
}

/**
 * The error a failed branch, iteration or child execution raises again in its Parallel or Map,
 * keeping a test-setup mistake one, and a limit failure one within the execution (`sameExecution`:
 * a Parallel's branch, an inline Map's iteration; a Distributed Map's child is an execution of
 * its own, whose failure the Map reports as any child's).
 * @internal
 */
export function errorOfFailure(failure: Failure, sameExecution = true): StatesError {
  if (failure instanceof TestSetupFailure) return new TestSetupError(failure.cause);
  if (sameExecution && failure instanceof LimitFailure) return new LimitError(failure.error, failure.cause);
  return new StatesError(failure.error, failure.cause);
}
