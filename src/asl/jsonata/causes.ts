/*
 * The causes of a JSONata field that gave nothing or a value of a kind the field does not take, as
 * Step Functions words them in an EvaluationFailed event (States.QueryEvaluationError): one home,
 * written by compile.ts and read back by explore (explore/repairs.ts), which loads no JSONata.
 */

const RETURNED_NOTHING = 'returned nothing (undefined).';
const UNEXPECTED_TYPE = 'returned an unexpected result type. Expected';
const THREW = 'threw an error during evaluation';
/** What a cause {@link threwCause} wrote holds (the field's name holds no quote), followed by the error's own words. */
const THREW_AT_END = new RegExp(`The JSONata expression '.*' specified for the field '[^']*' ${THREW}[.:]`, 's');

/**
 * The cause of a field whose JSONata expression threw, up to the error's own words (`describeError`
 * in compile.ts adds them: ". D3030: Unable to cast value to a number: \"x\"").
 * @internal
 */
export function threwCause(expression: string, field: string): string {
  return `The JSONata expression '${expression}' specified for the field '${field}' ${THREW}`;
}

/** The cause of a field whose JSONata expression gave undefined. @internal */
export function returnedNothingCause(expression: string, field: string): string {
  return `The JSONata expression '${expression}' specified for the field '${field}' ${RETURNED_NOTHING}`;
}

/**
 * The cause of a field whose JSONata expression gave a value of another kind, e.g. "The JSONata
 * expression '$ItemsVar' specified for the field 'Items' returned an unexpected result type.
 * Expected 'array', but was 'string' for value: \"x\"".
 * @internal
 */
export function unexpectedTypeCause(expression: string, field: string, expected: string, actual: string, valueText: string | undefined): string {
  return `The JSONata expression '${expression}' specified for the field '${field}' ${UNEXPECTED_TYPE} '${expected}', but was '${actual}' for value: ${valueText}`;
}

/**
 * What a cause written by {@link returnedNothingCause}, {@link unexpectedTypeCause} or
 * {@link threwCause} says of its field: that it gave nothing, the kind it expected, or that its
 * expression threw; undefined for any other cause.
 * @internal
 */
export function fieldResultOf(cause: string): { readonly nothing: true } | { readonly expected: string } | { readonly threw: true } | undefined {
  if (cause.endsWith(RETURNED_NOTHING)) return { nothing: true };
  if (THREW_AT_END.test(cause)) return { threw: true };
  const at = cause.indexOf(`${UNEXPECTED_TYPE} '`);
  if (at < 0) return undefined;
  const kind = /^'(\w+)'/.exec(cause.slice(at + UNEXPECTED_TYPE.length + 1))?.[1];
  return kind === undefined ? undefined : { expected: kind };
}
