import { sfnModelsExtract } from './sfn-models-extract';
import type { ExtractMember, ExtractShape } from '../../scripts/extract-botocore-models';

/*
 * What AWS answers a request that breaks botocore's Step Functions model, worked out from the
 * committed extract of the model (not from serve's generated table), for the tests that send such
 * requests to serve: model-constraints.test.ts (one constraint at a time) and model-sweep.test.ts
 * (nulls, empty strings, unknown members, several constraints at once).
 */

export const service = sfnModelsExtract().services.sfn;
export const shapeOf = (name: string): ExtractShape => service.shapes[name];
export const refName = (ref: ExtractMember): string => (typeof ref === 'string' ? ref : ref[0]);

/** The order AWS lists ExecutionStatus in when it refuses another (recorded: test_sfn_api's list_executions); other enums, the model's. */
export const ENUM_ORDER: Readonly<Record<string, readonly string[]>> = { ExecutionStatus: ['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING'] };
export const JAVA: Readonly<Record<string, string>> = { string: 'String', integer: 'Integer', long: 'Long', float: 'Float', boolean: 'Boolean' };

/** The model's pattern, matched whole as Java matches it (`\p{ASCII}` is the one class it uses). */
export function matches(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern.replace(/\\p\{ASCII\}/g, '[\\x00-\\x7f]')})$`).test(value);
}

/** A string of `length` characters: `a`, which every pattern of the model takes. */
export function text(length: number): string {
  return 'a'.repeat(length);
}

/** The smallest value the model takes for a shape: required members only, lists at their fewest, strings at their shortest. */
export function baseline(name: string): unknown {
  const shape = shapeOf(name);
  switch (shape.t) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [member, ref] of Object.entries(shape.m ?? {})) {
        // An idempotency token the SDK would fill in is given, so both doors send the same body.
        if ((shape.r ?? []).includes(member) || (typeof ref !== 'string' && ref[1].includes('i'))) out[member] = baseline(refName(ref));
      }
      return out;
    }
    case 'list': return Array.from({ length: shape.n ?? 0 }, () => baseline(shape.l!));
    case 'string': return shape.e ? shape.e[0] : text(Math.max(shape.n ?? 0, 1));
    case 'boolean': return false;
    default: return shape.n ?? 0;
  }
}

/** A value as AWS shows it in a message: a float as Java prints one, a list of structures as their classes do. */
export function shown(value: unknown, name: string): string {
  const shape = shapeOf(name);
  if (shape.t === 'list') return `[${(value as unknown[]).map((v) => shown(v, shape.l!)).join(', ')}]`;
  if (shape.t === 'structure') {
    const record = value as Record<string, unknown>;
    return `${name}(${Object.entries(shape.m ?? {}).map(([m, ref]) => `${m}=${record[m] === undefined ? 'null' : shown(record[m], refName(ref))}`).join(', ')})`;
  }
  if (shape.t === 'float' && Number.isInteger(value)) return `${String(value)}.0`;
  // A long past 2^53 in all its digits, as Java prints it.
  if (shape.t === 'long' && Math.abs(value as number) >= 2 ** 53) return BigInt(value as number).toString();
  return String(value);
}

/** One error as AWS words it; a sensitive member's value is never shown, null or not. */
export function constraint(value: unknown, name: string, path: string, must: string): string {
  const what = shapeOf(name).s ? 'Value' : value === undefined ? 'Value null' : `Value '${shown(value, name)}'`;
  return `${what} at '${path}' failed to satisfy constraint: Member must ${must}`;
}

/**
 * Shapes whose bound AWS counts in bytes of UTF-8 and words as a size: "Member must have size less
 * than or equal to 262144 bytes in UTF-8 encoding" (recorded: StartExecution of an input past
 * 262,144 bytes). botocore's model gives the bound as a length.
 */
export const UTF8_SIZED: ReadonlySet<string> = new Set(['SensitiveData']);

/** What a string's longest bound says: a length in characters, or (UTF8_SIZED) a size in bytes of UTF-8. */
export function longest(name: string, max: number): string {
  return UTF8_SIZED.has(name) ? `have size less than or equal to ${max} bytes in UTF-8 encoding` : `have length less than or equal to ${max}`;
}

export interface Expected { readonly type: string; readonly message: string }

/** The most errors one ValidationException lists and counts (recorded from AWS's Kinesis and DynamoDB). */
export const MAX_LISTED = 10;

/** AWS's refusal of a request for the model's constraints: the first ten errors, counted. */
export const validation = (...errors: string[]): Expected => {
  const listed = errors.slice(0, MAX_LISTED);
  return { type: 'ValidationException', message: `${listed.length} validation error${listed.length === 1 ? '' : 's'} detected: ${listed.join('; ')}` };
};

/** Java's String.hashCode, spread as HashMap spreads it. */
function spreadHash(name: string): number {
  let h = 0;
  // eslint-disable-next-line no-bitwise -- Java's int arithmetic, which wraps at 32 bits
  for (let i = 0; i < name.length; i++) h = (Math.imul(31, h) + name.charCodeAt(i)) | 0;
  // eslint-disable-next-line no-bitwise -- HashMap.hash
  return h ^ (h >>> 16);
}

/**
 * A structure's members in the order a Java HashMap of their names, filled in the model's order,
 * iterates them: the order AWS lists a structure's errors in (AWS's answers of other JSON 1.0
 * services, docs/serve.md). The table doubles from 16 while it is more than three quarters full.
 */
export function hashMapOrder(names: readonly string[]): string[] {
  let size = 16;
  while (names.length > size * 0.75) size *= 2;
  // eslint-disable-next-line no-bitwise -- the bucket of a hash in a table of `size`
  const bucket = (name: string): number => spreadHash(name) & (size - 1);
  return names.map((name, i) => ({ name, i })).sort((a, b) => bucket(a.name) - bucket(b.name) || a.i - b.i).map((e) => e.name);
}

/** What the package of Step Functions' model names a structure's class in, in the reader's words. */
const MODEL_PACKAGE = 'com.amazonaws.swf.service.v2.model';

/** The reader's name of a JSON scalar's token: a number by its spelling (`1.5` DECIMAL_VALUE), a boolean by its value. */
function token(value: number | string | boolean): string {
  if (typeof value === 'string') return 'STRING_VALUE';
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
}

/**
 * The SerializationException AWS's JSON reader answers for `value` where the model has the shape
 * `name` (`inList`: as a list's member, which the reader reads as a value, not a field), or
 * undefined where the reader takes it. The words are those AWS's DynamoDB answers from the same
 * reader, recorded in dynalite's suite against AWS (`NUMBER_VALUE cannot be converted to String`,
 * `Unrecognized collection type class java.lang.String`, `Start of structure or map found where
 * not expected`, `Unexpected field type`, `Unexpected value type in payload`, `Unexpected token
 * received from parser`), with a structure's class in Step Functions' model package.
 */
export function readRefusal(name: string, value: unknown, inList: boolean): Expected | undefined {
  const shape = shapeOf(name);
  const refused = (message: string): Expected => ({ type: 'SerializationException', message });
  const array = Array.isArray(value);
  const object = typeof value === 'object' && value !== null && !array;
  switch (shape.t) {
    case 'structure':
      if (array) return refused(`Unrecognized collection type class ${MODEL_PACKAGE}.${name}`);
      return object ? undefined : refused(inList ? 'Unexpected value type in payload' : 'Unexpected field type');
    case 'list':
      if (array) return undefined;
      return refused(object ? 'Start of structure or map found where not expected' : 'Unexpected field type');
    default: {
      if (array) return refused(`Unrecognized collection type class java.lang.${JAVA[shape.t]}`);
      if (object) return refused('Start of structure or map found where not expected');
      const scalar = value as number | string | boolean;
      if (shape.t === 'string') return typeof scalar === 'string' ? undefined : refused(`${token(scalar)} cannot be converted to String`);
      if (shape.t === 'boolean') {
        if (typeof scalar === 'boolean') return undefined;
        if (typeof scalar === 'string') return ['true', 'false', 'yes', 'no', '1', '0'].includes(scalar.toLowerCase()) ? undefined : refused('Unexpected token received from parser');
        return refused(`${token(scalar)} cannot be converted to Boolean`);
      }
      return typeof scalar === 'number' ? undefined : refused(`${token(scalar)} cannot be converted to ${JAVA[shape.t]}`);
    }
  }
}
