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
import { OUTPUT_NUMBER_MEMBERS } from './validation/stepfunctions-model.generated';
import { AwsLimits } from '../asl/limits';

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
 * {@link javaDouble} of the number JSON.stringify wrote as `literal`: a date's epoch seconds
 * (`1796044071.676`, ten whole digits) moved into Java's notation by moving the point alone.
 */
function javaDoubleText(literal: string): string {
  const point = literal.indexOf('.');
  const whole = point < 0 ? literal : literal.slice(0, point);
  if (whole.length < 8 || whole.length > 21 || !/^[1-9][0-9]*$/.test(whole)) return javaDouble(Number(literal));
  const digits = `${whole.slice(1)}${point < 0 ? '' : literal.slice(point + 1)}`.replace(/0+$/, '');
  return `${whole[0]}.${digits === '' ? '0' : digits}E${whole.length - 1}`;
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

/**
 * Java's `Long.toString` of a number read into a long member: every digit of its whole part, and
 * past Java's long its largest or smallest. JavaScript writes 2^63 as `9223372036854776000`, past
 * `Long.MAX_VALUE`, which an SDK that reads the member into a 64-bit integer refuses.
 * @internal
 */
export function javaLong(value: number): string {
  if (value >= AwsLimits.LONG_MAX) return '9223372036854775807';
  if (value <= AwsLimits.LONG_MIN) return '-9223372036854775808';
  const whole = Math.trunc(value) + 0;
  return Number.isSafeInteger(whole) ? String(whole) : BigInt(whole).toString();
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
 * A member of {@link OUTPUT_NUMBER_MEMBERS} with its number, in JSON.stringify's text: a key opens
 * an object or follows a comma, and no string holds an unescaped quote, so this finds the
 * answer's own members only, never text inside a string (an execution's input, a state's name).
 */
const NUMBER_MEMBER = new RegExp(`[{,]"(${Object.keys(OUTPUT_NUMBER_MEMBERS).join('|')})":(-?[0-9][0-9.eE+-]*|"-?[0-9]{16,19}")`, 'g');

/**
 * The JSON text of an answer: JSON.stringify's, with each timestamp, float and long member of the
 * model's output shapes ({@link OUTPUT_NUMBER_MEMBERS}) written as AWS writes it; a long member
 * whose value is a string of 16 to 19 digits (one past 2^53, kept exact as it was sent) is
 * written as that number.
 * @throws as JSON.stringify throws (a cycle, a BigInt)
 * @internal
 */
export function answerJson(answer: unknown): string | undefined {
  const text = JSON.stringify(answer);
  if (text === undefined) return undefined;
  const parts: string[] = [];
  let done = 0;
  NUMBER_MEMBER.lastIndex = 0;
  for (let m = NUMBER_MEMBER.exec(text); m !== null; m = NUMBER_MEMBER.exec(text)) {
    const number = m[2];
    const kind = OUTPUT_NUMBER_MEMBERS[m[1]];
    if (number.startsWith('"')) {
      // A long past 2^53 kept as the digits it was sent as (UpdateMapRun's): written as those digits, a JSON number.
      if (kind !== 'l') continue;
      parts.push(text.slice(done, NUMBER_MEMBER.lastIndex - number.length), number.slice(1, -1));
      done = NUMBER_MEMBER.lastIndex;
      continue;
    }
    // A long of 15 digits or fewer (an event's id, a count) is written as Java writes it already.
    if (kind === 'l' && /^-?[0-9]{1,15}$/.test(number)) continue;
    const at = NUMBER_MEMBER.lastIndex - number.length;
    parts.push(text.slice(done, at), kind === 't' ? javaDoubleText(number) : kind === 'f' ? javaFloat(Number(number)) : javaLong(Number(number)));
    done = NUMBER_MEMBER.lastIndex;
  }
  if (done === 0) return text;
  parts.push(text.slice(done));
  return parts.join('');
}
