import type { JsonObject, JsonValue } from '../definition-types';
import { describeNonJson, jvmNumber } from '../json-value';
import { inHashMapOrder } from '../key-order';
import { AwsLimits } from '../limits';
import { drawnValue, seededRandom, type RandomSource } from '../random';
import { withThousands } from '../shorten';
import { StatesError, StatesErrors } from '../states-errors';
import { formatValue } from './format';
import { IntrinsicNames } from './names';
import type { IntrinsicNode } from './parser';

/**
 * The type an argument must have. `integer` is a number without a fraction;
 * `any` accepts every JSON value.
 * @internal
 */
export type ArgType = 'any' | 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** One declared parameter of an intrinsic function. @internal */
export interface ParamSpec {
  readonly name: string;
  readonly type: ArgType;
  /** A trailing parameter that may be left out. @default false */
  readonly optional?: boolean;
}

/** What a function body gets besides its arguments. @internal */
export interface CallContext {
  readonly random: RandomSource;
  /** Throws the failure of this function (States.Runtime, as AWS reports it) with the given detail. */
  fail(reason: string): never;
  /** Tells the run of a value whose handling on AWS is not recorded (the call goes on with it). */
  unrecorded(reason: string): void;
}

/**
 * An intrinsic function declared as data: its parameters are checked
 * generically (count at compile time; types of literals at compile time and
 * of every value at run time) before `run` sees them.
 * @internal
 */
export interface IntrinsicSpec {
  readonly name: string;
  readonly params: readonly ParamSpec[];
  /** Parameter repeated for any further arguments (States.Array, States.Format). */
  readonly rest?: ParamSpec;
  /** Checks beyond types that can be made on the written call, before any run. */
  readonly checkCall?: (args: readonly IntrinsicNode[], fail: (reason: string) => never) => void;
  /**
   * Why a literal argument makes every run that reaches the call refuse it (as `run` does, with
   * States.Runtime), or undefined. What AWS's CreateStateMachine says to such a literal is not
   * recorded, so the definition loads and `stepwright validate` warns (docs/fidelity.md); the
   * reason is `run`'s own words.
   */
  readonly doubtCall?: (args: readonly IntrinsicNode[]) => string | undefined;
  readonly run: (args: readonly JsonValue[], ctx: CallContext) => JsonValue;
  /**
   * A body made for one written call, when the written arguments allow a
   * better one than `run` (States.Format with a literal template knows its
   * placeholders, escaped braces included, before any run).
   */
  readonly specialise?: (args: readonly IntrinsicNode[]) => IntrinsicSpec['run'] | undefined;
}

/**
 * The error name AWS gives a failed intrinsic function: States.Runtime, which no Retry or Catch
 * takes, not the States Language's States.IntrinsicFailure. Suites run against AWS assert it (a
 * Pass whose States.MathAdd is given text fails the execution with States.Runtime, its cause
 * holding "Invalid arguments in States.MathAdd"; likewise States.ArrayRange, States.ArrayPartition
 * and States.StringToJson refusing their arguments). docs/fidelity.md.
 * @internal
 */
export const INTRINSIC_FAILURE = StatesErrors.RUNTIME;

/**
 * Text limits AWS documents for the encoding and hashing intrinsics.
 * @internal
 */
export const LIMITS = {
  /** Characters States.Base64Encode, States.Base64Decode and States.Hash accept. */
  textLength: 10_000,
  /** Items States.ArrayRange may produce. */
  arrayRangeItems: 1_000,
} as const;

const HASH_ALGORITHMS: Record<string, string> = {
  'MD5': 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** The value of each character of base64's alphabet, the URL-safe one's `-` and `_` too (62 and 63). */
const BASE64_VALUES: ReadonlyMap<string, number> = new Map(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i] as const)
    .concat([['-', 62], ['_', 63]]),
);

/**
 * The bytes base64 text stands for, read as AWS reads the argument of States.Base64Decode: it
 * decodes text with its padding left out (ministackorg/ministack#1360, measured on AWS), and
 * returns a result, not an error, for text with characters outside the alphabet, blanks around
 * it and padding inside it (`!!!invalid!!!`, `abc`, ` YWJjZA== `, `ab==cd`: a public catalogue
 * of Step Functions behaviour run against AWS, docs/fidelity.md). So it is read as a lenient
 * decoder reads it (Apache Commons Codec's `Base64`, which takes all of these): a character
 * outside the alphabet is skipped, the first `=` ends the data, and a last group of 2 or 3
 * characters gives 1 or 2 bytes (a lone character, 6 bits, gives none).
 */
function base64Bytes(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let count = 0;
  for (const ch of text) {
    if (ch === '=') break;
    const value = BASE64_VALUES.get(ch);
    if (value === undefined) continue;
    /* eslint-disable no-bitwise -- base64 packs 6-bit values into bytes */
    bits = (bits << 6) | value;
    if (++count === 4) {
      bytes.push((bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff);
      bits = 0;
      count = 0;
    }
  }
  if (count === 2) bytes.push((bits >> 4) & 0xff);
  if (count === 3) bytes.push((bits >> 10) & 0xff, (bits >> 2) & 0xff);
  /* eslint-enable no-bitwise */
  return Buffer.from(bytes);
}

/** The type of a JSON value in the words of an error message. @internal */
export function describeType(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

/** True when a value has the declared type. @internal */
export function hasType(value: JsonValue, type: ArgType): boolean {
  switch (type) {
    case 'any': return true;
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
}

/** Structural equality of JSON values; object key order does not matter. @internal */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !jsonEquals(a[k], (b as JsonObject)[k])) return false;
  }
  return true;
}

/** A literal number argument without its fraction, as `run` reads it; undefined for any other argument. */
function literalNumber(arg: IntrinsicNode | undefined): number | undefined {
  return arg?.kind === 'literal' && typeof arg.value === 'number' ? Math.trunc(arg.value) || 0 : undefined;
}

/** AWS rounds halves up (towards +infinity): 2.5 → 3, -2.5 → -2, as recorded for States.MathAdd. */
function roundHalfUp(n: number): number {
  const r = Math.round(n);
  return r === 0 ? 0 : r; // no -0 in JSON output
}

function placeholderCount(template: string): number {
  return template.split('{}').length - 1;
}

const Format: IntrinsicSpec = {
  name: IntrinsicNames.FORMAT,
  params: [{ name: 'template', type: 'string' }],
  rest: { name: 'value', type: 'any' },
  checkCall: (args, fail) => {
    const template = args[0];
    if (template?.kind === 'literal' && template.formatParts) {
      const expected = template.formatParts.length - 1;
      if (expected !== args.length - 1) {
        fail(`the template has ${expected} placeholder(s) '{}' but ${args.length - 1} value(s) follow it`);
      }
    }
  },
  run: (args, ctx) => {
    const template = args[0] as string;
    const parts = template.split('{}');
    if (parts.length - 1 !== args.length - 1) {
      ctx.fail(`the template '${template}' has ${placeholderCount(template)} placeholder(s) '{}' but ${args.length - 1} value(s) follow it`);
    }
    return interpolate(parts, args);
  },
  specialise: (args) => {
    const template = args[0];
    if (template?.kind !== 'literal' || !template.formatParts) return undefined;
    const parts = template.formatParts;
    return (values) => interpolate(parts, values);
  },
};

/** Joins template parts with the values after the template (`values[0]` is the template itself). */
function interpolate(parts: readonly string[], values: readonly JsonValue[]): string {
  let out = parts[0];
  for (let i = 1; i < parts.length; i++) out += formatValue(values[i]) + parts[i];
  return out;
}

const StringToJson: IntrinsicSpec = {
  name: IntrinsicNames.STRING_TO_JSON,
  params: [{ name: 'jsonString', type: 'string' }],
  run: ([text], ctx) => {
    // An empty or blank string parses to null (AWS-validated: LocalStack's test_string_to_json
    // runs "" and " " against AWS), not to an error.
    if ((text as string).trim() === '') return null;
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(text as string) as JsonValue;
    } catch (e) {
      return ctx.fail(`the value '${text as string}' is not valid JSON (${(e as Error).message})`);
    }
    // JSON.parse accepts any depth; the rest of a run cannot carry it (see MAX_JSON_DEPTH).
    const problem = describeNonJson(parsed);
    return problem === undefined ? parsed : ctx.fail(`the value holds ${problem}`);
  },
};

const JsonToString: IntrinsicSpec = {
  name: IntrinsicNames.JSON_TO_STRING,
  params: [{ name: 'value', type: 'any' }],
  run: ([value]) => JSON.stringify(value),
};

const ArrayFn: IntrinsicSpec = {
  name: IntrinsicNames.ARRAY,
  params: [],
  rest: { name: 'value', type: 'any' },
  run: (args) => args.slice(),
};

/**
 * States.ArrayPartition drops the fraction of its chunk size, as AWS does: a public catalogue of
 * Step Functions behaviour run against AWS records a chunk size of 2.6 and of 2.4 both giving
 * `[[1, 2], [3, 4], [5]]` of `[1, 2, 3, 4, 5]`, and 0.6 failing.
 */
const ArrayPartition: IntrinsicSpec = {
  name: IntrinsicNames.ARRAY_PARTITION,
  params: [{ name: 'array', type: 'array' }, { name: 'chunkSize', type: 'number' }],
  doubtCall: (args) => {
    const size = literalNumber(args[1]);
    return size !== undefined && size <= 0 ? `the chunk size must be greater than 0, got ${size}` : undefined;
  },
  run: ([array, size], ctx) => {
    const items = array as JsonValue[];
    const n = Math.trunc(size as number) || 0;
    if (n <= 0) ctx.fail(`the chunk size must be greater than 0, got ${n}`);
    const out: JsonValue[] = [];
    for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
    return out;
  },
};

const ArrayContains: IntrinsicSpec = {
  name: IntrinsicNames.ARRAY_CONTAINS,
  params: [{ name: 'array', type: 'array' }, { name: 'value', type: 'any' }],
  run: ([array, value]) => (array as JsonValue[]).some((item) => jsonEquals(item, value)),
};

/**
 * Tells the run of an intrinsic's integer (named, as the start or the sum) past Java's int range,
 * AwsLimits.INTEGER_MIN to INTEGER_MAX. AWS's intrinsics are Java and its page
 * asks integers of States.MathAdd, States.MathRandom and States.ArrayRange
 * (intrinsic-functions.html#asl-intrsc-func-math-operation); what AWS does with one past that
 * range (a wrapped sum, States.Runtime) is recorded nowhere (../shared/conformance holds none), so
 * the call goes on with the value as JavaScript gives it, and the run's advice says so.
 */
function pastInt(ctx: CallContext, what: string, value: number): boolean {
  if (value >= AwsLimits.INTEGER_MIN && value <= AwsLimits.INTEGER_MAX) return false;
  ctx.unrecorded(`whose ${what} ${JSON.stringify(value)} is past a Java int's range (${INT_RANGE_WORDS}), in which AWS's intrinsics take `
    + `integers: what AWS does with it is not recorded, so the run goes on with ${JSON.stringify(value)}. Keep it within that range.`);
  return true;
}

const INT_RANGE_WORDS = `${withThousands(AwsLimits.INTEGER_MIN)} to ${withThousands(AwsLimits.INTEGER_MAX)}`;

/**
 * States.ArrayRange drops the fraction of its arguments, as AWS does: a public catalogue of Step
 * Functions behaviour run against AWS records `States.ArrayRange(1.6, 1.4, 1)` giving `[1]`,
 * `States.ArrayRange(5.4, -0.6, -2.4)` giving `[5, 3, 1]` and `States.ArrayRange(1, 10, 0.49)`
 * failing (a step of 0), as the integer parts give them.
 */
const ArrayRange: IntrinsicSpec = {
  name: IntrinsicNames.ARRAY_RANGE,
  params: [{ name: 'start', type: 'number' }, { name: 'end', type: 'number' }, { name: 'step', type: 'number' }],
  doubtCall: (args) => (literalNumber(args[2]) === 0 ? 'the step must not be 0' : undefined),
  run: ([start, end, step], ctx) => {
    const from = Math.trunc(start as number) || 0;
    const to = Math.trunc(end as number) || 0;
    const by = Math.trunc(step as number) || 0;
    if (by === 0) ctx.fail('the step must not be 0');
    void (pastInt(ctx, 'start', from) || pastInt(ctx, 'end', to) || pastInt(ctx, 'step', by));
    const count = (to - from) / by < 0 ? 0 : Math.floor((to - from) / by) + 1;
    if (count > LIMITS.arrayRangeItems) {
      ctx.fail(`the range would have ${count} items; at most ${LIMITS.arrayRangeItems} are allowed`);
    }
    const out: number[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = from + i * by;
    return out;
  },
};

/**
 * States.ArrayGetItem as AWS runs it, per a public catalogue of Step Functions behaviour run
 * against AWS: an index with a fraction loses it (`States.ArrayGetItem($.arr, 1.2)` of
 * `[10, 20, 30]` is 20), an empty array gives null whatever the index (`999` of `[]`), and an
 * index past the end of a non-empty array, or a negative one, fails.
 */
const ArrayGetItem: IntrinsicSpec = {
  name: IntrinsicNames.ARRAY_GET_ITEM,
  params: [{ name: 'array', type: 'array' }, { name: 'index', type: 'number' }],
  doubtCall: (args) => {
    // A negative index fails on any array, an empty one included.
    const index = literalNumber(args[1]);
    return index !== undefined && index < 0 ? `the index ${index} is out of bounds` : undefined;
  },
  run: ([array, index], ctx) => {
    const items = array as JsonValue[];
    const i = Math.trunc(index as number) || 0;
    if (items.length === 0 && i >= 0) {
      // Past the int range, AWS may refuse the index rather than give null (unrecorded); any other array fails it.
      pastInt(ctx, 'index', i);
      return null;
    }
    if (i < 0 || i >= items.length) ctx.fail(`the index ${i} is out of bounds for an array of ${items.length} item(s)`);
    return items[i];
  },
};

const ArrayLength: IntrinsicSpec = {
  name: IntrinsicNames.ARRAY_LENGTH,
  params: [{ name: 'array', type: 'array' }],
  run: ([array]) => (array as JsonValue[]).length,
};

const ArrayUnique: IntrinsicSpec = {
  name: IntrinsicNames.ARRAY_UNIQUE,
  params: [{ name: 'array', type: 'array' }],
  // One pass keyed by each item's canonical text: comparing each item with every one kept took
  // seconds for the 40,000 numbers a 256 KiB payload holds, with the event loop held meanwhile.
  run: ([array]) => {
    const seen = new Set<string>();
    const out: JsonValue[] = [];
    for (const item of array as JsonValue[]) {
      const key = canonicalText(item);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(item);
      }
    }
    return out;
  },
};

/**
 * A JSON value's text with each object's keys sorted, so that two values {@link jsonEquals} calls
 * equal, and only those, have the same text.
 */
function canonicalText(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText(value[k])}`).join(',')}}`;
}

function checkTextLength(text: string, what: string, ctx: CallContext): void {
  if (text.length > LIMITS.textLength) {
    ctx.fail(`the ${what} has ${text.length} characters; at most ${LIMITS.textLength} are allowed`);
  }
}

const Base64Encode: IntrinsicSpec = {
  name: IntrinsicNames.BASE64_ENCODE,
  params: [{ name: 'data', type: 'string' }],
  run: ([data], ctx) => {
    checkTextLength(data as string, 'input', ctx);
    return Buffer.from(data as string, 'utf8').toString('base64');
  },
};

const Base64Decode: IntrinsicSpec = {
  name: IntrinsicNames.BASE64_DECODE,
  params: [{ name: 'base64', type: 'string' }],
  run: ([data], ctx) => {
    const text = data as string;
    checkTextLength(text, 'input', ctx);
    return base64Bytes(text).toString('utf8');
  },
};

/**
 * States.Hash takes any JSON value as its data, as AWS does: a public catalogue of Step Functions
 * behaviour run against AWS records that AWS "hashes numeric input by stringifying it" and returns
 * a digest for an object (`States.Hash(123, 'SHA-256')`, `States.Hash($.obj, 'SHA-256')`), where
 * it refuses a number or an object for States.Base64Encode. A value that is not text is hashed as
 * its JSON text, as States.JsonToString writes it (docs/fidelity.md: that text is not recorded).
 */
const Hash: IntrinsicSpec = {
  name: IntrinsicNames.HASH,
  params: [{ name: 'data', type: 'any' }, { name: 'algorithm', type: 'string' }],
  doubtCall: (args) => {
    const algorithm = args[1];
    return algorithm?.kind === 'literal' && typeof algorithm.value === 'string' && !Object.prototype.hasOwnProperty.call(HASH_ALGORITHMS, algorithm.value)
      ? `the algorithm '${algorithm.value}' is not one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`
      : undefined;
  },
  run: ([data, algorithm], ctx) => {
    const name = HASH_ALGORITHMS[algorithm as string];
    if (!Object.prototype.hasOwnProperty.call(HASH_ALGORITHMS, algorithm as string)) {
      ctx.fail(`the algorithm '${algorithm as string}' is not one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
    }
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    checkTextLength(text, 'input', ctx);
    // node:crypto is loaded here, by the one function that needs it, not when the interpreter is imported.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    return (require('node:crypto') as typeof import('node:crypto')).createHash(name).update(text, 'utf8').digest('hex');
  },
};

const JsonMerge: IntrinsicSpec = {
  name: IntrinsicNames.JSON_MERGE,
  params: [{ name: 'json1', type: 'object' }, { name: 'json2', type: 'object' }, { name: 'isDeepMerge', type: 'boolean' }],
  doubtCall: (args) => {
    const deep = args[2];
    return deep?.kind === 'literal' && deep.value === true ? 'only shallow merges are supported: the third argument must be false' : undefined;
  },
  run: ([a, b, deep], ctx) => {
    if (deep === true) ctx.fail('only shallow merges are supported: the third argument must be false');
    // AWS merges into a HashMap: the fields come in its order, not in the arguments' (docs/fidelity.md).
    return inHashMapOrder({ ...(a as JsonObject), ...(b as JsonObject) });
  },
};

/**
 * States.MathRandom drops the fraction of its bounds, as AWS does: a public catalogue of Step
 * Functions behaviour run against AWS records that `States.MathRandom(1.6, 5.4)` can give 1 and
 * that `States.MathRandom(1.4, 1.6)` fails with "Invalid arguments in States.MathRandom", both as
 * the integer parts (1 and 5; 1 and 1) give them, where rounding (2 and 5; 1 and 2) would not.
 */
const MathRandom: IntrinsicSpec = {
  name: IntrinsicNames.MATH_RANDOM,
  params: [{ name: 'start', type: 'number' }, { name: 'end', type: 'number' }, { name: 'seed', type: 'number', optional: true }],
  run: (args, ctx) => {
    const start = Math.trunc(args[0] as number) || 0;
    const end = Math.trunc(args[1] as number) || 0;
    if (end <= start) ctx.fail(`the end (${end}) must be greater than the start (${start})`);
    void (pastInt(ctx, 'start', start) || pastInt(ctx, 'end', end));
    // A seed makes the result repeatable, as AWS promises for the same seed.
    const random = args.length > 2 ? seededRandom(roundHalfUp(args[2] as number)) : ctx.random;
    const r = random.next();
    // Bounds past the int range (advised above) can be further apart than a double reaches
    // (-1e308 to 1e308): there, a point between them, which never overflows, is drawn instead.
    const width = end - start;
    const value = Number.isFinite(width) ? start + Math.floor(r * width) : Math.min(Math.floor((1 - r) * start + r * end), end - 1);
    return drawnValue(ctx.random, value, 'random');
  },
};

const MathAdd: IntrinsicSpec = {
  name: IntrinsicNames.MATH_ADD,
  params: [{ name: 'value1', type: 'number' }, { name: 'value2', type: 'number' }],
  // AWS rounds each operand to an integer first: 1.5 + 1.51 = 2 + 2 = 4 (recorded).
  run: ([a, b], ctx) => {
    const first = roundHalfUp(a as number);
    const second = roundHalfUp(b as number);
    const sum = first + second;
    void (pastInt(ctx, 'first value', first) || pastInt(ctx, 'second value', second) || pastInt(ctx, 'sum', sum));
    // Operands past the int range may add up past a double's (1e308 + 1e308).
    return jvmNumber(sum);
  },
};

const StringSplit: IntrinsicSpec = {
  name: IntrinsicNames.STRING_SPLIT,
  params: [{ name: 'string', type: 'string' }, { name: 'delimiters', type: 'string' }],
  run: ([text, delimiters]) => {
    const split = new Set(delimiters as string);
    const out: string[] = [];
    let current = '';
    for (const c of text as string) {
      if (split.has(c)) {
        if (current !== '') out.push(current);
        current = '';
      } else {
        current += c;
      }
    }
    if (current !== '') out.push(current);
    return out;
  },
};

const UUID: IntrinsicSpec = {
  name: IntrinsicNames.UUID,
  params: [],
  run: (_args, ctx) => drawnValue(ctx.random, ctx.random.uuid(), 'uuid'),
};

/** Every intrinsic function AWS offers in JSONPath states, by name. @internal */
export const INTRINSIC_FUNCTIONS: ReadonlyMap<string, IntrinsicSpec> = new Map(
  [
    Format, StringToJson, JsonToString,
    ArrayFn, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique,
    Base64Encode, Base64Decode, Hash, JsonMerge,
    MathRandom, MathAdd, StringSplit, UUID,
  ].map((spec) => [spec.name, spec]),
);

/** How the cause of a failed call begins, as AWS words it ("Invalid arguments in States.MathAdd"). */
const REFUSED = 'Invalid arguments in ';

/** The StatesError for a failed call. @internal */
export function intrinsicFailure(name: string, reason: string): StatesError {
  return new StatesError(INTRINSIC_FAILURE, `${REFUSED}${name}: ${reason}`);
}

/**
 * True when an error and its cause tell of an intrinsic function that refused its arguments, not
 * of another States.Runtime (a path that found nothing) that shares INTRINSIC_FAILURE's name.
 * @internal
 */
export function isIntrinsicFailure(error: string | undefined, cause: string | undefined): boolean {
  return error === INTRINSIC_FAILURE && cause !== undefined && cause.startsWith(REFUSED);
}
