/*
 * An answer's JSON as AWS writes it. Step Functions' service is Java: it writes a timestamp as
 * epoch seconds in a Java double, which Java prints as `1.686509515191E9`, not `1686509515.191`
 * (recorded: AWS's StartExecution answer passed on raw by API Gateway, `"startDate":1.652716274909E9`,
 * aws-samples/serverless-patterns apigw-websocket-api-sfn-async, and the same form in other
 * users' captures), and a float member (`toleratedFailurePercentage`) as Java prints a float,
 * `5.0` (inferred: no answer with one is recorded). The SDKs and the AWS CLI read
 * either text as the same number; a client that reads the body itself (a proxy, a test that
 * compares text, an API Gateway integration that passes it on) sees what AWS sends.
 */
import type { WireNumbers } from './validation/model-types';
import { OUTPUT_NUMBERS } from './validation/stepfunctions-model.generated';

/**
 * Java's `Double.toString` of a finite number: plain decimals with at least one digit after the
 * point from 10^-3 up to 10^7 (`100.0`, `0.5`), else the shortest digits in computerized scientific
 * notation (`1.686509515191E9`, `1.0E-4`).
 * @internal
 */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return JSON.stringify(value);
  return javaForm(String(value), value);
}

/**
 * Java's `Float.toString`: the number read as a 32-bit float, in the fewest digits that read back
 * as that float, in the form of {@link javaDouble} (`5.0`, `33.3`, `1.0E-4`).
 * @internal
 */
export function javaFloat(value: number): string {
  const float = Math.fround(value);
  if (!Number.isFinite(float)) return JSON.stringify(float);
  let digits = String(float);
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = float.toPrecision(precision);
    if (Math.fround(Number(candidate)) === float) {
      digits = String(Number(candidate));
      break;
    }
  }
  return javaForm(digits, float);
}

/** `digits` (JavaScript's shortest text of `value`) in Java's form. */
function javaForm(digits: string, value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    // JavaScript writes this range without an exponent.
    return digits.includes('.') ? digits : `${digits}.0`;
  }
  const [mantissa, exponent] = Number(digits).toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/**
 * The JSON text of operation `operation`'s answer: JSON.stringify's, with each timestamp and float
 * the model puts in its output shape ({@link OUTPUT_NUMBERS}) written as AWS writes it.
 * @throws as JSON.stringify throws (a cycle, a BigInt)
 * @internal
 */
export function answerJson(operation: string, answer: unknown): string | undefined {
  const numbers = Object.hasOwn(OUTPUT_NUMBERS, operation) ? OUTPUT_NUMBERS[operation] : undefined;
  return numbers === undefined ? JSON.stringify(answer) : write(answer, numbers);
}

function write(value: unknown, numbers: WireNumbers | 't' | 'f'): string | undefined {
  if (typeof value === 'number') {
    if (numbers === 't') return javaDouble(value);
    if (numbers === 'f') return javaFloat(value);
    return JSON.stringify(value);
  }
  if (typeof numbers !== 'object' || value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item: unknown) => write(item, numbers) ?? 'null').join(',')}]`;
  const members: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    const text = Object.hasOwn(numbers, key) ? write(member, numbers[key]) : JSON.stringify(member);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}
