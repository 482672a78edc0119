/*
 * The modes of checking mocks and requests against the service models, apart from the checks
 * themselves: `stepwright serve` reads the modes at start, and the checks (with the service
 * contracts behind them) are loaded with the first mock or request they check.
 */

/**
 * How strictly a mock's answer is checked against the service's model, as
 * TestState's `mock.fieldValidationMode`: `STRICT`, every required field is
 * present and every field the model defines conforms (type, enum, length,
 * bounds); `PRESENT`, every field given that the model defines conforms;
 * `NONE`, nothing is checked. A field the model does not define is advice in
 * STRICT and PRESENT, as TestState lets it through.
 */
export type MockValidation = 'STRICT' | 'PRESENT' | 'NONE';

/** What stepwright's own findings on a mock do: `warn` tells the run and goes on, `fail` fails the Task with `States.Runtime`. */
export type MockAdvice = 'warn' | 'fail';

/** What a refused request does: `fail` fails the Task as AWS does, `warn` tells the run and goes on. */
export type RequestChecks = 'fail' | 'warn';

/** The door a run came through, so that a message names that door's option: `--mock-validation` on the command line, `mockValidation` in jest. */
export type MockDoor = 'jest' | 'cli' | 'serve' | 'mcp' | 'test-state';

/** The modes, in the order the help lists them. */
export const MOCK_VALIDATION_MODES: readonly MockValidation[] = ['STRICT', 'PRESENT', 'NONE'];
export const MOCK_ADVICE_MODES: readonly MockAdvice[] = ['warn', 'fail'];
export const REQUEST_CHECK_MODES: readonly RequestChecks[] = ['fail', 'warn'];

/** The one of `modes` a flag, a tool argument or a request names; undefined when it names none. @internal */
export function modeOf<M extends string>(modes: readonly M[], value: unknown): M | undefined {
  return typeof value === 'string' && (modes as readonly string[]).includes(value) ? value as M : undefined;
}

/** The one of `modes` given in code as option `option`, checked: a TypeError names the modes otherwise. @internal */
export function checkedMode<M extends string>(option: string, modes: readonly M[], value: unknown, note = ''): M {
  const mode = modeOf(modes, value);
  if (mode === undefined) throw new TypeError(`${option} must be one of ${modes.join(', ')}${note}, got ${JSON.stringify(value) ?? String(value)}`);
  return mode;
}

/** The mode a flag, a tool argument or a request names; undefined when it names none. */
export function mockValidationOf(value: unknown): MockValidation | undefined {
  return modeOf(MOCK_VALIDATION_MODES, value);
}

/** The advice mode a flag or a tool argument names; undefined when it names none. */
export function mockAdviceOf(value: unknown): MockAdvice | undefined {
  return modeOf(MOCK_ADVICE_MODES, value);
}

/** The request-check mode a flag or a tool argument names; undefined when it names none. */
export function requestChecksOf(value: unknown): RequestChecks | undefined {
  return modeOf(REQUEST_CHECK_MODES, value);
}

/** The mode given in code, checked: a TypeError names the modes otherwise. */
export function checkedMockValidation(value: unknown): MockValidation {
  return checkedMode('mockValidation', MOCK_VALIDATION_MODES, value, " (as TestState's mock.fieldValidationMode)");
}

/** The advice mode given in code, checked. */
export function checkedMockAdvice(value: unknown): MockAdvice {
  return checkedMode('mockAdvice', MOCK_ADVICE_MODES, value);
}

/** The request-check mode given in code, checked. */
export function checkedRequestChecks(value: unknown): RequestChecks {
  return checkedMode('requestChecks', REQUEST_CHECK_MODES, value);
}
