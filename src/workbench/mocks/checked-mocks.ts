import { checkMockError, checkMockResult, type MockCheckSettings, type MockOrigin, type RunAdvice } from './validation';
import type { JsonValue } from '../../asl';
import { StatesError, TestSetupError } from '../../asl/states-errors';

/**
 * A mock's answer checked against what its Resource returns: a refusal is a test-setup mistake
 * ({@link TestSetupError}), which no Retry, Catch or Distributed Map's tolerated failures hide
 * (docs/contracts.md).
 * @internal
 */
export function checkedMockResult(origin: MockOrigin, value: JsonValue, settings: MockCheckSettings, advise: (advice: RunAdvice) => void): JsonValue {
  try {
    return checkMockResult(origin, value, settings, advise);
  } catch (e) {
    throw e instanceof StatesError ? new TestSetupError(e.cause) : e;
  }
}

/** A mock's error checked against what its Resource raises: a refusal is a test-setup mistake, as in {@link checkedMockResult}. @internal */
export function checkedMockError(
  origin: MockOrigin, error: StatesError, settings: MockCheckSettings, advise: (advice: RunAdvice) => void,
): StatesError {
  const checked = checkMockError(origin, error, settings, advise);
  return checked === error ? error : new TestSetupError(checked.cause);
}
