/**
 * Checks a Task's request (Parameters / Arguments) and a Task's answer against
 * the Resource's contract.
 *
 * A request value known only at run time is never judged: a JSONPath field
 * whose name ends in `.$` (a path, a context path or an intrinsic function)
 * and, in JSONata, a string that is a whole `{% … %}` expression.
 */
import { contractOf } from './contract';
import { closest } from './error-names';
import { describe, isEnumMember, type ScalarShape, type Shape, type StructureShape } from './shapes';
import type { JsonValue, QueryLanguage } from '../asl';
import { DEFAULT_QUERY_LANGUAGE } from '../asl/query-language';
import { parseRfc3339Timestamp } from '../asl/timestamp';

/** What a check found. */
export interface ContractFinding {
  /**
   * `UNKNOWN_FIELD`: a field the contract does not define; `MISSING_FIELD`: a
   * required field is absent; `WRONG_TYPE`: a value of another type than the
   * contract's; `NOT_IN_ENUM`: a text the model's enum does not list;
   * `OUT_OF_RANGE`: a number below the model's minimum or above its maximum;
   * `BAD_LENGTH`: a text or bytes shorter or longer than the model allows;
   * `UNION`: more than one member of a union is set; `UNKNOWN_ACTION`: the
   * Resource names an action or service the contracts do not know;
   * `BAD_TIMESTAMP`: an answer's timestamp member holds text that is no time.
   * A `null` in an answer's enum member is `NOT_IN_ENUM`.
   */
  readonly code: 'UNKNOWN_FIELD' | 'MISSING_FIELD' | 'WRONG_TYPE' | 'NOT_IN_ENUM' | 'OUT_OF_RANGE' | 'BAD_LENGTH' | 'UNION' | 'UNKNOWN_ACTION' | 'BAD_TIMESTAMP';
  /** Where: `Parameters.Key.id.S`, `$.Item` (an answer). */
  readonly path: string;
  /** What the contract expects there (`string`, `structure {Item, ConsumedCapacity}`). */
  readonly expected?: string;
  /** Closest valid names, for an unknown field. */
  readonly suggestions?: readonly string[];
  readonly message: string;
  /**
   * For an answer: AWS's TestState refuses it too (a required field missing, a value of the
   * wrong type, outside the enum or the bounds), in these words. Undefined where TestState
   * lets the answer through (a field the model does not define, recorded on AWS; a union
   * with two members set, not recorded): that finding is stepwright's advice.
   */
  readonly aws?: string;
}

/** How strictly an answer is checked, as TestState's `mock.fieldValidationMode` defines it. */
export type FieldValidationMode = 'STRICT' | 'PRESENT' | 'NONE';

export interface CheckRequestOptions {
  /** The state's query language: `.$` fields are paths in JSONPath, `{% %}` strings expressions in JSONata. @default 'JSONPath' */
  readonly language?: QueryLanguage;
  /** The name of the field the payload is in, for paths. @default 'Parameters' (JSONPath) or 'Arguments' (JSONata) */
  readonly field?: string;
  /**
   * The request is the one the Task sends (its paths and expressions evaluated): a `.$` key is
   * then a field like any other, and a missing idempotency token is one the SDK fills in.
   * @default false
   */
  readonly evaluated?: boolean;
}

/** Bound on the depth of a walk: payloads are bounded by Step Functions' 256 KiB, but a hostile one may nest deeply. */
const MAX_DEPTH = 64;
const JSONATA = /^\s*\{%[\s\S]*%\}\s*$/;

type Mode = { readonly request: boolean; readonly language: QueryLanguage; readonly required: boolean; readonly evaluated: boolean };

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Someone else's name as a message quotes it: control characters escaped as JSON escapes them. */
function quoted(name: string): string {
  return JSON.stringify(name).slice(1, -1);
}

function join(path: string, field: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(field) ? `${path}.${field}` : `${path}[${JSON.stringify(field)}]`;
}

/** True when a value is only known at run time. */
function dynamic(value: JsonValue, mode: Mode): boolean {
  return mode.request && !mode.evaluated && mode.language === 'JSONata' && typeof value === 'string' && JSONATA.test(value);
}

/** A number or a boolean written as text, which Step Functions reads as the value (`"false"` for a boolean, as definitions AWS ran show). */
function textOf(value: JsonValue, type: 'integer' | 'number' | 'boolean'): boolean {
  if (typeof value !== 'string') return false;
  if (type === 'boolean') return value === 'true' || value === 'false';
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) && (type === 'number' || Number.isInteger(n));
}

/** A request's literal: what Step Functions can turn into the member's type. */
function requestConforms(type: string, value: JsonValue): boolean {
  switch (type) {
    case 'integer': return (typeof value === 'number' && Number.isInteger(value)) || textOf(value, 'integer');
    case 'number': return typeof value === 'number' || textOf(value, 'number');
    case 'boolean': return typeof value === 'boolean' || textOf(value, 'boolean');
    case 'timestamp': return typeof value === 'string' || typeof value === 'number';
    // A JSON value for a text or bytes member is sent as its JSON text (Step Functions serializes it).
    default: return true;
  }
}

/**
 * The JSON type an answer's member must have, as TestState checks it ("Field 'StartDate' must be
 * a string" for a timestamp given as a number or a boolean, "Field 'StatusCode' must be a number"
 * for "200", "Field 'CiphertextBlob' must be a string" for bytes given as a number: recorded on
 * AWS, LocalStack's test_field_validation_mode, 2025); undefined for any JSON.
 */
function answerType(type: string): 'a string' | 'a number' | 'a boolean' | 'an array' | 'an object' | undefined {
  switch (type) {
    case 'string': case 'timestamp': case 'blob': return 'a string';
    case 'integer': case 'number': return 'a number';
    case 'boolean': return 'a boolean';
    case 'list': return 'an array';
    case 'structure': case 'map': return 'an object';
    default: return undefined;
  }
}

function jsonTypeIs(kind: NonNullable<ReturnType<typeof answerType>>, value: JsonValue): boolean {
  switch (kind) {
    case 'a string': return typeof value === 'string';
    case 'a number': return typeof value === 'number' && Number.isFinite(value);
    case 'a boolean': return typeof value === 'boolean';
    case 'an array': return Array.isArray(value);
    default: return isObject(value);
  }
}

/** The last field of a path, as AWS names the field in its messages: `EventId` for `$.Entries[1].EventId`. */
function fieldOf(path: string): string {
  return /(?:^|\.|\[")([^.[\]"]+)"?\]?(?:\[\d+\])*$/.exec(path)?.[1] ?? path;
}

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
/** An HTTP date (RFC 7231's IMF-fixdate), the form S3 gives `Last-Modified` in. */
const HTTP_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (?:${MONTHS}) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$`);
/** Epoch seconds written as text, with at most 9 digits of fraction. */
const EPOCH_TEXT = /^-?\d{1,12}(?:\.\d{1,9})?$/;

/**
 * Whether `text` is a time as a service's answer carries a timestamp member: ISO 8601 / RFC 3339
 * text (`2024-01-01T00:00:00Z`, as AWS's SDKs write a timestamp in JSON and the Choice rules read
 * it), epoch seconds written as text, or an HTTP date. A word (`"ESCALATE"`) is no time: no answer
 * of AWS holds one there.
 * @internal
 */
export function isAnswerTimestamp(text: string): boolean {
  if (text.length > 64) return false;
  return parseRfc3339Timestamp(text) !== undefined || EPOCH_TEXT.test(text) || (HTTP_DATE.test(text) && Number.isFinite(Date.parse(text)));
}

function walk(shape: Shape, value: JsonValue, path: string, mode: Mode, out: ContractFinding[], depth: number): void {
  if (depth > MAX_DEPTH || dynamic(value, mode)) return;
  if (value === null) {
    // AWS leaves an absent member out of its answer; an enum's member is one of its values or absent, never
    // null. What TestState makes of a null is not recorded: advice, with no words of AWS's.
    if (!mode.request && isEnumMember(shape)) {
      out.push({ code: 'NOT_IN_ENUM', path, expected: `one of ${listOf(shape.enum)}, or the field left out`, message: `${path}: null is not one of the values the model allows (${listOf(shape.enum)}); AWS leaves a field out rather than answer null` });
    }
    return;
  }
  if (!mode.request) {
    const kind = answerType(shape.type);
    if (kind !== undefined && !jsonTypeIs(kind, value)) {
      out.push({ ...wrongType(path, shape, value), aws: `Field '${fieldOf(path)}' must be ${kind}` });
      return;
    }
  }
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) {
        out.push(wrongType(path, shape, value));
        return;
      }
      walkStructure(shape, value, path, mode, out, depth);
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        out.push(wrongType(path, shape, value));
        return;
      }
      value.forEach((item, i) => walk(shape.member, item, `${path}[${i}]`, mode, out, depth + 1));
      return;
    }
    case 'map': {
      if (!isObject(value)) {
        out.push(wrongType(path, shape, value));
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        // A map's key is data, not a member; in JSONPath a key ending in `.$` is a path like any other.
        if (mode.request && !mode.evaluated && mode.language === 'JSONPath' && key.endsWith('.$')) continue;
        walk(shape.value, item, join(path, key), mode, out, depth + 1);
      }
      return;
    }
    default:
      if (mode.request) {
        if (!requestConforms(shape.type, value)) out.push(wrongType(path, shape, value));
        return;
      }
      checkBounds(shape, value, path, out);
  }
}

/** An answer's text within the model's enum and length, its number within its bounds: TestState refuses it otherwise (recorded). */
function listOf(values: readonly string[]): string {
  return values.length > 8 ? `${values.slice(0, 8).join(', ')}, …` : values.join(', ');
}

function checkBounds(shape: ScalarShape, value: JsonValue, path: string, out: ContractFinding[]): void {
  // The field's name is for a finding's words only: found from the path once one is made, not for every member.
  const field = (): string => fieldOf(path);
  if (typeof value === 'string') {
    if (shape.type === 'timestamp' && !isAnswerTimestamp(value)) {
      // TestState's check of a timestamp's text is not recorded (only that it must be a string): advice.
      out.push({ code: 'BAD_TIMESTAMP', path, expected: 'a time, as ISO 8601 text (2024-01-01T00:00:00Z)', message: `${path}: ${preview(value)} is not a time; the service answers a timestamp as ISO 8601 text such as 2024-01-01T00:00:00Z` });
      return;
    }
    if (shape.enum !== undefined && !shape.enum.includes(value)) {
      const listed = listOf(shape.enum);
      out.push({ code: 'NOT_IN_ENUM', path, expected: `one of ${listed}`, message: `${path}: ${preview(value)} is not one of the values the model allows (${listed})`, aws: `Field '${field()}' is not an expected value` });
      return;
    }
    // A blob's bounds count bytes, and an answer carries them as base64 text, longer than they are: its
    // maximum is judged on the bytes the text decodes to. Its minimum is judged on the text, never
    // shorter than the bytes, so neither refuses what the model allows.
    const blob = shape.type === 'blob';
    const unit = blob ? 'bytes' : 'characters';
    if (shape.min !== undefined && value.length < shape.min) {
      out.push({ code: 'BAD_LENGTH', path, expected: `at least ${shape.min} ${unit}`, message: `${path}: ${preview(value)} is shorter than the ${shape.min} ${unit} the model asks for`, aws: `Field '${field()}' is smaller than the minimum length` });
    } else if (shape.max !== undefined && (blob ? blobBytes(value) : value.length) > shape.max) {
      out.push({ code: 'BAD_LENGTH', path, expected: `at most ${shape.max} ${unit}`, message: `${path}: the ${blob ? 'blob' : 'text'} is longer than the ${shape.max} ${unit} the model allows`, aws: `Field '${field()}' exceeds the maximum length` });
    }
    return;
  }
  if (typeof value === 'number') {
    if (shape.min !== undefined && value < shape.min) {
      out.push({ code: 'OUT_OF_RANGE', path, expected: `at least ${shape.min}`, message: `${path}: ${value} is below the model's minimum, ${shape.min}`, aws: `Field '${field()}' is less than the minimum value` });
    } else if (shape.max !== undefined && value > shape.max) {
      out.push({ code: 'OUT_OF_RANGE', path, expected: `at most ${shape.max}`, message: `${path}: ${value} is above the model's maximum, ${shape.max}`, aws: `Field '${field()}' exceeds the maximum value` });
    }
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes a blob's text stands for: what its base64 decodes to, else its UTF-8 bytes (a body Step Functions gives as text). */
function blobBytes(text: string): number {
  if (BASE64.test(text)) return (text.length / 4) * 3 - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
  return new TextEncoder().encode(text).length;
}

function walkStructure(
  shape: StructureShape, value: Record<string, JsonValue>, path: string, mode: Mode, out: ContractFinding[], depth: number,
): void {
  const present = new Set<string>();
  for (const [key, item] of Object.entries(value)) {
    const isPath = mode.request && !mode.evaluated && mode.language === 'JSONPath' && key.endsWith('.$');
    const field = isPath ? key.slice(0, -2) : key;
    const member = shape.member(field);
    const canonical = shape.canonical(field);
    if (member === undefined || canonical === undefined) {
      const suggestions = closest(field, shape.fields);
      out.push({
        code: 'UNKNOWN_FIELD',
        path: join(path, key),
        expected: `one of ${shape.fields.length > 0 ? shape.fields.join(', ') : '(no fields)'}`,
        suggestions,
        message: `${join(path, key)}: the field '${quoted(field)}' is not defined${suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : ''}`,
      });
      continue;
    }
    // A request's member given as null is not sent at all: the service sees it missing.
    if (item !== null || !mode.request) present.add(canonical);
    if (!isPath) walk(member, item, join(path, field), mode, out, depth + 1);
  }
  if (shape.union && present.size > 1) {
    out.push({ code: 'UNION', path, expected: `exactly one of ${shape.fields.join(', ')}`, message: `${path}: only one of ${[...present].join(', ')} may be set` });
  }
  if (mode.required) {
    for (const field of shape.required) {
      if (present.has(field) || (mode.evaluated && shape.tokens?.includes(field))) continue;
      out.push({
        code: 'MISSING_FIELD',
        path: join(path, field),
        expected: describe(shape.member(field)!),
        message: `${join(path, field)}: the required field '${field}' is missing`,
        ...(mode.request ? {} : { aws: `Required field '${field}' is missing` }),
      });
    }
  }
}

function wrongType(path: string, shape: Shape, value: JsonValue): ContractFinding {
  const expected = describe(shape);
  return { code: 'WRONG_TYPE', path, expected, message: `${path}: expected ${expected}, got ${typeName(value)} ${preview(value)}` };
}

function preview(value: JsonValue): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Checks a Task's request against its Resource's contract: unknown fields
 * (with the closest names), missing required fields and literals of the wrong
 * type. Values known only at run time are not judged, and neither is a
 * payload the contract does not describe (an activity, a Lambda ARN).
 */
export function checkRequest(resource: string, parameters: JsonValue | undefined, options: CheckRequestOptions = {}): ContractFinding[] {
  const contract = contractOf(resource);
  const language = options.language ?? DEFAULT_QUERY_LANGUAGE;
  const field = options.field ?? (language === 'JSONata' ? 'Arguments' : 'Parameters');
  if (contract.unknown !== undefined) {
    return [{ code: 'UNKNOWN_ACTION', path: 'Resource', message: `Resource ${resource}: ${contract.unknown}` }];
  }
  if (contract.request === undefined) return [];
  const mode: Mode = { request: true, language, required: true, evaluated: options.evaluated === true };
  const out: ContractFinding[] = [];
  if (parameters === undefined) {
    walkStructure(contract.request, {}, field, mode, out, 0);
    return out;
  }
  walk(contract.request, parameters, field, mode, out, 0);
  return out;
}

/**
 * Checks a Task's answer (its result, before ResultSelector) against what the
 * Resource returns, as TestState's field validation modes define it ("MockInput",
 * AWS Step Functions API Reference): STRICT, every required field is present and
 * every present field the model defines conforms (its JSON type, enum, length,
 * bounds); PRESENT, every present field the model defines conforms; NONE, nothing.
 * A finding TestState refuses too carries AWS's words in `aws`. A field the model
 * does not define is found without them: TestState lets it through ("only fields
 * from the API spec are validated", recorded on AWS), so it is advice. An answer no
 * model describes (a callback's output, a Lambda ARN's result) is not judged.
 */
export function checkAnswer(resource: string, answer: JsonValue, mode: FieldValidationMode = 'STRICT'): ContractFinding[] {
  if (mode === 'NONE') return [];
  const contract = contractOf(resource);
  if (contract.output === undefined) return [];
  const out: ContractFinding[] = [];
  walk(contract.output, answer, '$', { request: false, language: 'JSONPath', required: mode === 'STRICT', evaluated: true }, out, 0);
  // What TestState makes of a job's answer (`.sync:2`, judged by the shape AWS's recordings show) is not
  // recorded, neither the API it would judge it by nor a verdict: there, what the model finds is advice.
  return contract.pattern === 'request' ? out : out.map(({ aws: _aws, ...finding }) => finding);
}
