import { UsageError } from './cli-error';
import { MOCK_VALIDATION_MODES, mockValidationOf, type MockValidation } from '../workbench/mocks/validation-mode';

/**
 * Reads --mock-validation (any case). A module of its own so that `serve`, which reads the flag
 * at start, does not load `run`'s command with it.
 * @internal
 */
export function mockValidationFlag(value: string | undefined): MockValidation | undefined {
  if (value === undefined) return undefined;
  const mode = mockValidationOf(value.toUpperCase());
  if (mode === undefined) throw new UsageError(`--mock-validation must be ${MOCK_VALIDATION_MODES.join(', ')}, got '${value}'`);
  return mode;
}
