/**
 * How Step Functions' API words a ValidationException for a member that breaks its model's
 * constraints, as AWS's JSON 1.0 services all word it: "N validation error(s) detected: Value
 * '…' at 'path' failed to satisfy constraint: Member must …; …". The one home of those words,
 * read by serve's model check (server/validation/request.ts), by the harness's, `stepwright run`'s
 * and MCP's refusal of an input StartExecution refuses for its size, by TestState's of a mock, and
 * by the request checks of a service's Task (workbench/mocks/request-check.ts).
 *
 * Recorded: StartExecution of an input past 262,144 bytes answers "1 validation error detected:
 * Value at 'input' failed to satisfy constraint: Member must have size less than or equal to
 * 262144 bytes in UTF-8 encoding" (a sensitive member's value is never shown: "Value at");
 * several errors are joined with "; " after "N validation errors detected: " (AWS's Kinesis and
 * DynamoDB, recorded in kinesalite's and dynalite's suites).
 * It imports nothing but the limits: serve's start, the harness and every command read it.
 */
import { AwsLimits } from './limits';

/** The whole message of a ValidationException listing `errors`, each worded by {@link constraintFailure}. @internal */
export function validationErrorsDetected(errors: readonly string[]): string {
  return `${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: ${errors.join('; ')}`;
}

/**
 * One member's failure: `shown` is how its value is named (`Value 'x'`, `Value null`, or `Value`
 * alone for a sensitive member), `path` the member's path in the request (`input`,
 * `mock.result`), `constraint` what the member must do (`not be null`).
 * @internal
 */
export function constraintFailure(shown: string, path: string, constraint: string): string {
  return `${shown} at '${path}' failed to satisfy constraint: Member must ${constraint}`;
}

/**
 * A bound of a member's length (a string's characters, a list's members), size (a string's bytes
 * of UTF-8) or value, as the constraint {@link constraintFailure} words: `have size less than or
 * equal to 262144 bytes in UTF-8 encoding`.
 * @internal
 */
export function boundConstraint(what: 'length' | 'size' | 'value', side: 'min' | 'max', bound: number): string {
  const unit = what === 'size' ? ' bytes in UTF-8 encoding' : '';
  return `have ${what} ${side === 'max' ? 'less' : 'greater'} than or equal to ${bound}${unit}`;
}

/**
 * The ValidationException's message for a sensitive payload member past its size (StartExecution's
 * `input`, TestState's `mock.result`): AWS's words, with the bound in effect (AWS's payload
 * limit, unless a run lets more through).
 * @internal
 */
export function payloadTooLargeMessage(path: string, most: number = AwsLimits.PAYLOAD_BYTES): string {
  return validationErrorsDetected([constraintFailure('Value', path, boundConstraint('size', 'max', most))]);
}
