import type { ExecutionResult } from '../../interpreter/types';
import type { StateMachineDefinition } from '../../asl/types';

/**
 * Records which states, transitions, Choice rules, Catch handlers and retries
 * an execution exercised, for the coverage report.
 * @internal
 */
export function recordExecution(_definition: StateMachineDefinition, _result: ExecutionResult): void {
  // Being implemented (coverage recorder); until then runs are not counted.
}
