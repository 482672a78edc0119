/*
 * The modes of checking a mock against the service models, apart from the checks themselves:
 * `stepwright serve` reads the mode at start, and the checks (with the service contracts behind
 * them) are loaded with the first mock they check.
 */
/**
 * How strictly a mock's answer is checked against the service's model, as
 * TestState's `mock.fieldValidationMode`: `STRICT`, every required field is
 * present and every present field conforms (and a mock's error is one the
 * integration can raise); `PRESENT`, every present field conforms; `NONE`,
 * nothing is checked. A field the model does not define does not conform.
 */
export type MockValidation = 'STRICT' | 'PRESENT' | 'NONE';

/** The modes, in the order the help lists them. */
export const MOCK_VALIDATION_MODES: readonly MockValidation[] = ['STRICT', 'PRESENT', 'NONE'];

/** The mode a flag, a tool argument or a request names; undefined when it names none. */
export function mockValidationOf(value: unknown): MockValidation | undefined {
  return typeof value === 'string' && (MOCK_VALIDATION_MODES as readonly string[]).includes(value) ? value as MockValidation : undefined;
}

/** The mode given in code, checked: a TypeError names the modes otherwise. */
export function checkedMockValidation(value: unknown): MockValidation {
  const mode = mockValidationOf(value);
  if (mode === undefined) {
    throw new TypeError(`mockValidation must be one of ${MOCK_VALIDATION_MODES.join(', ')} (as TestState's mock.fieldValidationMode), got ${JSON.stringify(value) ?? String(value)}`);
  }
  return mode;
}
