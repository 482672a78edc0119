import { createHash } from 'crypto';
import jsonata from 'jsonata';
import type { JsonValue } from '../definition-types';
import { drawnValue, type RandomSource } from '../random';
import { withThousands } from '../shorten';
import { JSONATA_LIMITS, memoryLimitError } from './limits';

/**
 * The functions Step Functions adds to JSONata (`$partition`, `$range`,
 * `$hash`, `$random`, `$uuid`, `$parse`) and the standard ones it changes
 * (`$now`, `$millis` read the interpreter's clock; `$eval` is removed).
 *
 * Each is registered once per compiled expression with a JSONata signature,
 * so JSONata itself rejects wrongly typed arguments (T0410) as it does on AWS.
 * What differs between evaluations (the random source, the clock) is read
 * from a hidden binding, {@link RUNTIME_BINDING}.
 * @internal
 */

/**
 * Name under which each evaluation binds its {@link FunctionRuntime}. It holds
 * a space, so no JSONata `$name` can refer to it.
 * @internal
 */
export const RUNTIME_BINDING = ' stepwright runtime';

/** What the added functions need from one evaluation. @internal */
export interface FunctionRuntime {
  readonly random: RandomSource;
  /** Epoch milliseconds that `$now()` and `$millis()` report. */
  readonly now: number;
  /** Asked at every evaluation step of an interruptible evaluation (JsonataBindings.interrupt). */
  readonly interrupt?: () => void;
  /** Asked at every evaluation step, after `interrupt`: a pause before the next step (JsonataBindings.pausing). */
  readonly pausing?: Pausing;
  /** Told of a value whose handling on AWS is not recorded (JsonataBindings.unrecorded). */
  readonly unrecorded?: (message: string) => void;
}

/** What lets a long JSONata evaluation pause for other work: the execution's clock. @internal */
export interface Pausing {
  /** A promise when the evaluation should wait for it before its next step, undefined to go on. */
  pause?(): Promise<void> | undefined;
}

/**
 * The bindings one evaluation gives JSONata: the workflow variables first, so that `$states` always
 * means the state's data, then `states` and the {@link RUNTIME_BINDING}, which an evaluation sets
 * just before it starts and clears once JSONata has bound them (before its first await). One frame
 * for each object of variables (VariableStore.all() answers the same one until an assignment), so
 * an evaluation does not copy the variables again.
 * @internal
 */
export interface JsonataFrame {
  [binding: string]: JsonValue | object | undefined;
}

/** The frame of `variables`, made at its first evaluation. @internal */
export function frameOf(variables: Readonly<Record<string, JsonValue>>): JsonataFrame {
  let frame = FRAMES.get(variables);
  if (frame === undefined) {
    frame = { ...variables, states: undefined, [RUNTIME_BINDING]: undefined };
    FRAMES.set(variables, frame);
  }
  return frame;
}
const FRAMES = new WeakMap<Readonly<Record<string, JsonValue>>, JsonataFrame>();

/** The `this` JSONata gives a registered function. */
interface Focus {
  readonly environment: { lookup(name: string): unknown };
}

/** An added function, as registered with `Expression.registerFunction`. @internal */
export interface AddedFunction {
  readonly name: string;
  readonly signature: string;
  readonly implementation: (this: Focus, ...args: any[]) => unknown;
}

/** Hash algorithms `$hash` accepts, by their Step Functions names. */
const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  'MD5': 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function runtimeOf(focus: Focus): FunctionRuntime {
  return focus.environment.lookup(RUNTIME_BINDING) as FunctionRuntime;
}

/**
 * An error raised inside an added function. JSONata passes it through
 * unchanged, and the evaluator reports `message` in the cause.
 */
function functionError(fn: string, message: string): Error {
  return new Error(`${fn}: ${message}`);
}

/**
 * A failure AWS reports as its own internal error, not as JSONata's: the cause reads "threw an
 * internal error during evaluation." (measured with TestState for `$base64decode("!!!")`,
 * floci-io/floci issue 2736; AWS follows it with an identifier of its own, which is not kept).
 * @internal
 */
export class InternalEvaluationError extends Error {}

/**
 * `$base64decode(text)`: JSONata's decoding (each byte a character, as jsonata-js gives it), except
 * that text with a character outside the Base64 alphabet fails, as on AWS, instead of decoding to
 * whatever the rest gives (`$base64decode("!!!")` is `""` in jsonata-js). Which other malformed
 * text AWS refuses (padding inside, a lone last character) is not measured, and is decoded.
 */
function base64decode(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (/[^A-Za-z0-9+/=]/.test(text)) throw new InternalEvaluationError(`$base64decode: ${JSON.stringify(text.slice(0, 40))} is not Base64`);
  return Buffer.from(text, 'base64').toString('latin1');
}

/**
 * `$partition(array, size)`: the array cut into chunks of `size` items, the
 * last one shorter when the length is not a multiple. Returns a plain array
 * (not a JSONata sequence), so `$partition([0], 1)` is `[[0]]`, as recorded.
 * As measured on AWS, a fractional size is cut towards zero (2.9 chunks by 2),
 * and an empty array or a size of 0 gives nothing rather than an error; only a
 * negative size is an error.
 */
function partition(array: unknown[] | undefined, size: number | undefined): unknown[] | undefined {
  if (array === undefined || size === undefined) return undefined;
  const chunkSize = Math.trunc(size);
  if (chunkSize < 0) {
    throw functionError('$partition', `the chunk size must be a positive integer, got ${JSON.stringify(size)}`);
  }
  if (chunkSize === 0 || array.length === 0) return undefined;
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += chunkSize) chunks.push(array.slice(i, i + chunkSize));
  return chunks;
}

/**
 * `$range(start, end, step)`: numbers from `start` to `end` inclusive. AWS
 * returns a JSONata sequence, so a one-number range collapses to the number
 * (`$range(1, 9, 9)` is `1`, as recorded) and an empty one to nothing. As
 * measured on AWS, each argument is cut towards zero (`$range(-1.7, 2, 1)` is
 * `[-1, 0, 1, 2]`), and a missing step gives nothing rather than an error.
 */
function range(start: number | undefined, end: number | undefined, step: number | undefined): unknown {
  if (start === undefined || end === undefined || step === undefined) return undefined;
  const from = Math.trunc(start);
  const by = Math.trunc(step);
  if (by === 0) throw functionError('$range', 'the step must not be 0');
  const count = Math.floor((Math.trunc(end) - from) / by) + 1;
  // Refused before any number is made, as AWS refuses it on its memory bound.
  if (count > JSONATA_LIMITS.rangeFunction) throw memoryLimitError();
  const out: number[] & { sequence?: boolean } = [];
  for (let i = 0; i < count; i++) out.push(from + i * by);
  out.sequence = true;
  return out;
}

/** `$hash(value, algorithm)`: the lower-case hex digest of the UTF-8 string; nothing without an algorithm, as on AWS. */
function hash(value: string | undefined, algorithm: string | undefined): string | undefined {
  if (value === undefined || algorithm === undefined) return undefined;
  const nodeName = HASH_ALGORITHMS[algorithm];
  if (nodeName === undefined) {
    throw functionError('$hash', `unsupported hash algorithm ${JSON.stringify(algorithm)}; use one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
  }
  return createHash(nodeName).update(value, 'utf8').digest('hex');
}

/**
 * `java.util.Random(seed).nextDouble()`. Step Functions runs on the JVM; this
 * is its standard seeded generator, so a seeded `$random` gives the same
 * number on every run (that the numbers equal AWS's is not verified).
 */
export function seededDouble(seed: number): number {
  /* eslint-disable no-bitwise -- a 48-bit linear congruential generator is bit arithmetic by definition */
  const multiplier = 0x5deece66dn;
  const mask = (1n << 48n) - 1n;
  let state = (BigInt.asIntN(64, BigInt(Math.trunc(seed))) ^ multiplier) & mask;
  const next = (bits: number): number => {
    state = (state * multiplier + 0xbn) & mask;
    return Number(state >> BigInt(48 - bits));
  };
  const high = next(26);
  const low = next(27);
  /* eslint-enable no-bitwise */
  return (high * 2 ** 27 + low) / 2 ** 53;
}

/**
 * `$parse(json)`: the JSON value a string holds. Text that is not JSON fails, as on AWS. Two
 * readings of valid JSON are not recorded: floci-io/floci's tests say AWS refuses text that
 * repeats a key in one object, and a number past a double's range (`1e400`), with D3137, but no
 * thread quotes TestState's answer. JSON.parse keeps the last value of a repeated key and reads
 * such a number as Infinity; the evaluation goes on with that, and says so (docs/fidelity.md).
 */
function parse(this: Focus, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw functionError('$parse', `the argument is not valid JSON: ${JSON.stringify(text)}`);
  }
  const unrecorded = runtimeOf(this).unrecorded;
  if (unrecorded !== undefined) {
    const key = repeatedKey(text);
    const reading = key !== undefined ? `repeats the key ${JSON.stringify(key)} in one object, whose last value stepwright keeps`
      : holdsNonFinite(value) ? 'holds a number past the range of a double, which stepwright reads as Infinity' : undefined;
    if (reading !== undefined) {
      unrecorded(`$parse read JSON text that ${reading}: whether AWS refuses it (States.QueryEvaluationError, D3137) is not recorded, so the evaluation goes on. Keep keys unique and numbers within a double's range.`);
    }
  }
  return value;
}

/** The first key valid JSON text repeats within one object, if any. */
function repeatedKey(text: string): string | undefined {
  if (!text.includes('{')) return undefined;
  // One entry per open object (its keys so far) or array (null).
  const open: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const keys = open[open.length - 1];
      let after = end + 1;
      while (after < text.length && ' \t\n\r'.includes(text[after])) after++;
      if (keys && text[after] === ':') {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? JSON.parse(`"${raw}"`) as string : raw;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      i = end;
    } else if (c === '{') {
      open.push(new Set());
    } else if (c === '[') {
      open.push(null);
    } else if (c === '}' || c === ']') {
      open.pop();
    }
  }
  return undefined;
}

/** True when a parsed JSON value holds a number that is not finite (walked without recursion: JSON may nest deep). */
function holdsNonFinite(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'number' && !Number.isFinite(v)) return true;
    if (v !== null && typeof v === 'object') for (const item of Object.values(v)) pending.push(item);
  }
  return false;
}

/**
 * `$sort(array, comparator?)` with JSONata's meaning (a stable sort; the
 * comparator answers true when its first argument goes after its second; with
 * none, all numbers or all strings in ascending order, else D3070), by a
 * bottom-up merge sort. JSONata's own recursive merge copies the rest of the
 * array at each step, which takes quadratic memory: `$sort([1..100000])`
 * exhausted a 4 GB heap.
 */
async function sort(this: Focus, array: unknown[] | undefined, comparator?: (a: unknown, b: unknown) => unknown): Promise<unknown> {
  if (array === undefined) return undefined;
  if (array.length <= 1) return array;
  if (comparator === undefined) {
    const numbers = array.every((v) => typeof v === 'number');
    if (!numbers && !array.every((v) => typeof v === 'string')) {
      throw { code: 'D3070', stack: new Error().stack, index: 1 };
    }
    // Array.prototype.sort is stable; this orders as `a > b` does.
    return array.slice().sort(numbers ? (a, b) => (a as number) - (b as number) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  let from = array.slice();
  let to = new Array<unknown>(from.length);
  for (let width = 1; width < from.length; width *= 2) {
    for (let lo = 0; lo < from.length; lo += 2 * width) {
      const mid = Math.min(lo + width, from.length);
      const hi = Math.min(lo + 2 * width, from.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (await comparator.call(this, from[i], from[j])) to[k++] = from[j++];
        else to[k++] = from[i++];
      }
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
    }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * `$pad(str, width, char?)` with JSONata's meaning (pads to |width| code
 * points, on the right for a positive width, on the left for a negative one,
 * with `char` repeated, a space by default), but refusing, on AWS's memory
 * bound, a result longer than {@link JSONATA_LIMITS.stringLength} before making
 * it: JSONata allocates an array of the width, and `$pad("", 500000000)` aborted
 * the process (a fatal V8 error no try/catch sees).
 */
function pad(str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  const fill = char === undefined || char.length === 0 ? ' ' : char;
  const w = Math.trunc(width);
  const padLength = Math.abs(w) - Array.from(str).length;
  if (!(padLength > 0)) return str;
  // Refused before the padding is made: JSONata would allocate it whole.
  if (str.length + padLength > JSONATA_LIMITS.stringLength) throw memoryLimitError();
  let padding = fill.repeat(padLength);
  if (fill.length > 1) padding = Array.from(padding).slice(0, padLength).join('');
  return w > 0 ? str + padding : padding + str;
}

/** A function as JSONata gives it to an evaluation. */
interface LibraryFunction {
  readonly implementation: (this: Focus, ...args: unknown[]) => unknown;
}

/** JSONata's own `$fromMillis` and `$formatNumber`, which the added ones of the same names call. */
interface Library {
  readonly fromMillis: LibraryFunction;
  readonly formatNumber: LibraryFunction;
}

/** JSONata gives its functions only to an evaluation: they are read once, at the first call that needs them. */
let library: Library | undefined;
let libraryRead: Promise<Library> | undefined;

function withLibrary<T>(use: (lib: Library) => T): T | Promise<T> {
  if (library !== undefined) return use(library);
  libraryRead ??= Promise.all([jsonata('$fromMillis').evaluate(null), jsonata('$formatNumber').evaluate(null)])
    .then(([dates, numbers]) => (library = { fromMillis: dates, formatNumber: numbers } as Library));
  return libraryRead.then(use);
}

/** The milliseconds a JavaScript date reaches either side of 1970 (ECMA-262, "Time Values and Time Range"). */
const DATE_RANGE_MS = 8.64e15;
/** From here on a number's text is written with an exponent (ECMA-262, Number::toString), which JSONata's picture formatting does not read. */
const EXPONENT_TEXT_FROM = 1e21;

/**
 * `$fromMillis(ms, picture?, timezone?)`: JSONata's answer, always. Past the range of a date JSONata
 * writes "NaN" in each field (`$fromMillis(1e20)` is "0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ"); AWS implements
 * JSONata 2.0.6, whose formatting is the same, but its answer is not recorded: the evaluation goes on
 * with JSONata's text and says so (docs/fidelity.md).
 */
function fromMillis(this: Focus, millis: number | undefined, picture?: string, timezone?: string): unknown {
  if (millis !== undefined && !(Math.abs(millis) <= DATE_RANGE_MS)) {
    runtimeOf(this).unrecorded?.(`$fromMillis(${millis}) is past the ${withThousands(DATE_RANGE_MS)} milliseconds a date reaches either side of 1970, and JSONata writes it with NaN in each field: what AWS answers is not recorded, so the evaluation goes on with JSONata's text. Keep the milliseconds within that range.`);
  }
  return withLibrary((lib) => lib.fromMillis.implementation.call(this, millis, picture, timezone));
}

/**
 * `$formatNumber(n, picture, options?)`: JSONata's answer, always. From 1e21 JSONata formats the
 * number's exponent text, giving "NaN.00" for `$formatNumber(1e308, "0.00")` and "1e+21.00" for
 * 1e21; AWS's answer is not recorded: the evaluation goes on with JSONata's text and says so.
 */
function formatNumber(this: Focus, value: number | undefined, picture: string, options?: unknown): unknown {
  if (value !== undefined && Number.isFinite(value) && Math.abs(value) >= EXPONENT_TEXT_FROM) {
    runtimeOf(this).unrecorded?.(`$formatNumber(${value}, ${JSON.stringify(picture)}) formats a number of 1e21 or more, whose digits JSONata does not read (it writes text such as "NaN.00"): what AWS answers is not recorded, so the evaluation goes on with JSONata's text. Format numbers below 1e21, or write the number with $string.`);
  }
  return withLibrary((lib) => lib.formatNumber.implementation.call(this, value, picture, options));
}

/**
 * The functions registered on every expression.
 * @internal
 */
export const ADDED_FUNCTIONS: readonly AddedFunction[] = [
  { name: 'partition', signature: '<an:a>', implementation: partition },
  { name: 'range', signature: '<nnn?:a<n>>', implementation: range },
  { name: 'hash', signature: '<ss?:s>', implementation: hash },
  {
    name: 'random',
    signature: '<n?:n>',
    implementation(this: Focus, seed?: number) {
      const random = runtimeOf(this).random;
      return drawnValue(random, seed === undefined ? random.next() : seededDouble(seed), 'random');
    },
  },
  {
    name: 'uuid',
    signature: '<:s>',
    implementation(this: Focus) {
      const random = runtimeOf(this).random;
      return drawnValue(random, random.uuid(), 'uuid');
    },
  },
  { name: 'parse', signature: '<s:x>', implementation: parse },
  // Not a Step Functions addition: JSONata's $sort, reimplemented in bounded memory.
  { name: 'sort', signature: '<af?:a>', implementation: sort },
  // Nor this: JSONata's $pad, refusing a width that would exhaust memory.
  { name: 'pad', signature: '<s-ns?:s>', implementation: pad },
  // Nor this: JSONata's $base64decode, refusing what is not Base64 as AWS does.
  { name: 'base64decode', signature: '<s-:s>', implementation: base64decode },
  // Nor these: JSONata's own, telling the run where their text is not a date or a number.
  { name: 'fromMillis', signature: '<n-s?s?:s>', implementation: fromMillis },
  { name: 'formatNumber', signature: '<n-so?:s>', implementation: formatNumber },
  {
    name: 'now',
    signature: '<s?s?:s>',
    implementation(this: Focus, picture?: string, timezone?: string) {
      const runtime = runtimeOf(this);
      if (picture === undefined && timezone === undefined) return drawnValue(runtime.random, new Date(runtime.now).toISOString(), 'now');
      // Pictures and time zones are JSONata's own $fromMillis formatting.
      return withLibrary((lib) => drawnValue(runtime.random, lib.fromMillis.implementation.call(this, runtime.now, picture, timezone) as string, 'now'));
    },
  },
  {
    name: 'millis',
    signature: '<:n>',
    implementation(this: Focus) {
      const runtime = runtimeOf(this);
      return drawnValue(runtime.random, runtime.now, 'millis');
    },
  },
];

/**
 * Standard JSONata functions Step Functions does not offer. Calling one fails
 * as calling any unknown function does: T1006, "Attempted to invoke a
 * non-function".
 * @internal
 */
export const REMOVED_FUNCTIONS: readonly string[] = ['eval'];
