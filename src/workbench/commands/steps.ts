import type { ExecutionResult } from '../../interpreter';
import { buildGraph } from '../../render/graph';
import { pathFromRun, type StateFailure } from '../../render/overlay';

/** What an execution's history says of its retries and errors, per state. @internal */
export interface RunSteps {
  /** Retries per state (attempts after the first), for states that retried. */
  readonly retries: Record<string, number>;
  /** Per state, its visits that ended in an error its Retry did not recover, and how many its Catch handled. */
  readonly errors: Record<string, StateFailure>;
  /** The state the execution failed in, when it did not succeed. */
  readonly failedState?: string;
}

/**
 * Retries, caught and uncaught errors per state, read from the run's history
 * by the reader the diagrams use (render's executionPath), so a run's report
 * and its drawing agree.
 * @internal
 */
export function runSteps(definition: unknown, result: ExecutionResult): RunSteps {
  const path = pathFromRun(buildGraph(definition), result);
  // The reader's records have no prototype; plain objects serialize the same and compare equal in tests.
  return {
    retries: { ...path.retries },
    errors: { ...path.failures },
    ...(path.failedState !== undefined ? { failedState: path.failedState } : {}),
  };
}
