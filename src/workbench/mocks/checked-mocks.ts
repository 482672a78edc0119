import { checkMockError, checkMockResult, type MockOrigin, type MockValidation } from './validation';
import type { JsonValue } from '../../asl/definition-types';
import { StatesError, TestSetupError } from '../../asl/states-errors';

/**
 * A mock's answer checked against what its Resource returns: a refusal is a test-setup mistake
 * ({@link TestSetupError}), which no Retry, Catch or Distributed Map's tolerated failures hide
 * (docs/contracts.md).
 * @internal
 */
export function checkedMockResult(origin: MockOrigin, value: JsonValue, mode: MockValidation): JsonValue {
  try {
    return checkMockResult(origin, value, mode);
  } catch (e) {
    throw e instanceof StatesError ? new TestSetupError(e.cause) : e;
  }
}

/** A mock's error checked against what its Resource raises: a refusal is a test-setup mistake, as in {@link checkedMockResult}. @internal */
export function checkedMockError(origin: MockOrigin, error: StatesError, mode: MockValidation): StatesError {
  const checked = checkMockError(origin, error, mode);
  return checked === error ? error : new TestSetupError(checked.cause);
}
