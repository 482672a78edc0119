import { checkMockError, checkMockResult, type MockCheckSettings, type MockOrigin, type RunAdvice } from './validation';
import type { JsonValue } from '../../asl';
import { AwsLimits } from '../../asl/limits';
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

/**
 * Advice on a Task's failure whose error name or cause is longer than the API lets one be
 * (SensitiveError, 256 characters; SensitiveCause, 32,768): SendTaskFailure refuses such a one,
 * but what AWS does with a longer one a service gives (cut it, or fail otherwise) is recorded
 * nowhere. The run keeps it whole rather than guess; the advice says an assertion on it may not
 * hold on AWS. Undefined within both bounds.
 * @internal
 */
export function longFailureAdvice(stateName: string, e: StatesError): RunAdvice | undefined {
  const n = (count: number): string => count.toLocaleString('en-US');
  const over = [
    ...(e.error.length > AwsLimits.ERROR_CHARS ? [`an error name of ${n(e.error.length)} characters (the API's SensitiveError holds ${n(AwsLimits.ERROR_CHARS)})`] : []),
    ...((e.cause?.length ?? 0) > AwsLimits.CAUSE_CHARS ? [`a cause of ${n(e.cause!.length)} characters (the API's SensitiveCause holds ${n(AwsLimits.CAUSE_CHARS)})`] : []),
  ];
  if (over.length === 0) return undefined;
  return {
    state: stateName,
    message: `Task '${stateName}' failed with ${over.join(' and ')}: what AWS does with a longer one a service gives is not recorded, `
      + 'so the run keeps it whole; a Catch, a Retry or an assertion on it may not see the same on AWS. Keep errors and causes within those bounds.',
  };
}
