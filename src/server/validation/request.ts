/*
 * A request checked as AWS checks it, from botocore's Step Functions model (the shapes in
 * stepfunctions-model.generated.ts), in AWS's order:
 *
 * 1. Reading the body. AWS's JSON 1.0 services read a request into the model's types before they
 *    validate it; a member of the wrong JSON type fails the read with SerializationException, in
 *    the words of AWS's JSON reader ("NUMBER_VALUE cannot be converted to String", "Start of
 *    structure or map found where not expected", ...: the answers AWS's DynamoDB gives, recorded
 *    in dynalite's suite against AWS, from the same reader). The first member of the wrong type,
 *    in the order of the body, is the one named. A member sent as JSON null is absent; a member
 *    the model does not have is ignored. A member sent more than once in one object is read each
 *    time, in the order sent (body.ts), and the last value kept.
 * 2. Validating every constraint of every member, nested ones too: required members, lengths,
 *    ranges, enums and patterns, in one ValidationException listing the first ten: "N validation
 *    errors detected: Value '…' at 'path' failed to satisfy constraint: Member must …; …". A structure's
 *    members are visited in the order of Java's HashMap of their names (AWS's answers of other
 *    JSON 1.0 services list several errors so: SNS's AddPermission, DynamoDB's
 *    ProvisionedThroughput, SES's tags), a member's own constraints before its members'.
 *
 * What an operation checks of its own (an ARN's shape, a name's characters) and the lookups come
 * after, in the operation.
 */
import type { JsonObject, JsonValue } from '../../asl';
import { ApiError, ConstraintViolation, SERVICE_PACKAGE, unknownOperation } from '../api-errors';
import { earlierDecimals, earlierValues, exactDigits, isDecimalLiteral, keepExactDigits } from './body';
import type { ModelShape } from './model-types';
import { OPERATION_INPUTS, SHAPES } from './stepfunctions-model.generated';
import { ApiErrors } from '../../asl/api-errors';
import { AwsLimits } from '../../asl/limits';
import { boundConstraint, constraintFailure, validationErrorsDetected } from '../../asl/validation-messages';
import type { OperationName, RequestOf } from '../operations/operation-table';
import { javaLong } from '../wire-json';

/**
 * Enums whose values AWS lists in an order of its own when it refuses another value (recorded:
 * ListExecutions' statusFilter, test_sfn_api's list_executions). Every other enum is listed in
 * the model's order.
 */
const RECORDED_ENUM_ORDER: Readonly<Record<string, readonly string[]>> = {
  ExecutionStatus: ['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING'],
};

/**
 * The most errors one ValidationException lists, and counts: the first ten found, in the order
 * above ("10 validation errors detected: …" for a request with more; recorded from AWS's Kinesis
 * (PutRecords with 501 records, each failing) and DynamoDB (a CreateTable of nine indexes, each
 * missing its members), in kinesalite's and dynalite's suites, run against AWS).
 */
const MAX_LISTED_ERRORS = 10;

/**
 * Shapes whose bound AWS counts in bytes of UTF-8, not in characters, and words so: "Value at
 * 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes
 * in UTF-8 encoding" (recorded: StartExecution of an input past 262,144 bytes, a user's capture of
 * AWS's answer, and an emulator's measurement of 262,146 ASCII characters; the API reference of
 * StartExecution's input and SendTaskSuccess's output: "Length constraints apply to the payload
 * size, and are expressed as bytes in UTF-8 encoding"). botocore's model gives the bound as a
 * length; the shape's other members (TestState's input, variables, context, mock result and item
 * reader data) are taken to share it (inferred: one shape, one constraint).
 */
const UTF8_SIZED: ReadonlySet<string> = new Set(['SensitiveData']);

/** The Java type a scalar shape is read into, as the reader's messages name it. */
const JAVA_TYPES: Readonly<Record<string, string>> = {
  string: 'String', integer: 'Integer', long: 'Long', float: 'Float', double: 'Double', boolean: 'Boolean', blob: 'ByteBuffer', timestamp: 'Date',
};

/**
 * The ranges of Java's int and long, which an integer or long member is read into. AWS's reader
 * reads a JSON number as a number it truncates (its class: `com.amazon.coral.value.json.numbers.
 * TruncatingBigNumber`, named in AWS's older answers) and takes any number into an integer member:
 * its answers recorded for DynamoDB and Kinesis (dynalite's and kinesalite's suites, run against
 * AWS) refuse a string or a boolean there, never a decimal or a number past 2^31, and both read a
 * decimal as its whole part, and a number past Java's int as its largest (kinesalite). So does
 * serve: `1.5` is 1, `1e2` and `100.0` are 100, `-0` is 0, `1e400` is 2147483647; a bound is
 * checked on what was read. Not recorded for Step Functions (docs/serve.md).
 */
const INT_RANGE = [AwsLimits.INTEGER_MIN, AwsLimits.INTEGER_MAX] as const;
const LONG_RANGE = [AwsLimits.LONG_MIN, AwsLimits.LONG_MAX] as const;
/** The same range held exactly: {@link LONG_RANGE}'s doubles, which round 2^63 - 1 up to 2^63. */
const LONG_EXACT_RANGE = [BigInt(AwsLimits.LONG_MIN), BigInt(AwsLimits.LONG_MAX) - BigInt(1)] as const;

/**
 * The strings AWS's reader takes for a boolean member, in any case (observed against DynamoDB:
 * dynalite's reader, "'true'/'false'/'1'/'0'/'no'/'yes' seem to convert fine").
 */
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { TRUE: true, YES: true, 1: true, FALSE: false, NO: false, 0: false };

function shapeOf(name: string): ModelShape {
  const shape = SHAPES[name];
  if (shape === undefined) throw new Error(`the model has no shape ${name}`);
  return shape;
}

/** A JSON object: what a structure is read as (readStructure), as against a list or a scalar. */
function isStructure(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The input shape of an operation the model has. @internal */
export function inputShapeOf(operation: string): string | undefined {
  return Object.hasOwn(OPERATION_INPUTS, operation) ? OPERATION_INPUTS[operation] : undefined;
}

/**
 * Reads and validates a request to `operation` as AWS does (see the top of this file), and
 * returns it as the model reads it: its members with a value, and only those the model has.
 * @throws ApiError SerializationException or ValidationException, in AWS's words
 * @internal
 */
export function checkRequest<N extends OperationName>(operation: N, body: Readonly<JsonObject>): RequestOf<N> {
  const input = inputShapeOf(operation);
  if (input === undefined) throw unknownOperation(operation);
  const read = readStructure(body, input);
  const errors: string[] = [];
  validateStructure(read, input, '', errors);
  if (errors.length > 0) {
    const listed = errors.slice(0, MAX_LISTED_ERRORS);
    throw new ConstraintViolation(validationErrorsDetected(listed));
  }
  // What was read is the input the SDK's type describes: both are generated from the same model.
  return read as RequestOf<N>;
}

/**
 * A ValidationException for one constraint an operation checks beyond the model, worded as the
 * model's are (`shape` says whether the value is shown).
 * @internal
 */
export function constraintError(value: JsonValue | undefined, shape: string, path: string, constraint: string): ApiError {
  return new ConstraintViolation(validationErrorsDetected([error(value, shape, path, constraint)]));
}

// ---- 1. reading: the JSON types

function serialization(message: string): ApiError {
  return new ApiError(ApiErrors.SerializationException, message);
}

/**
 * What AWS's reader calls a JSON scalar's token: NUMBER_VALUE, DECIMAL_VALUE, STRING_VALUE,
 * TRUE_VALUE, FALSE_VALUE. A number is a DECIMAL_VALUE by its spelling (`decimal`: `1.0`, `1e3`).
 */
function tokenOf(value: number | string | boolean, decimal: boolean): string {
  if (typeof value === 'string') return 'STRING_VALUE';
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return Number.isInteger(value) && !decimal ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
}

/** The reader's refusal of a JSON array where a scalar or structure was expected. */
function notACollection(shapeName: string, shape: ModelShape): ApiError {
  const type = shape.t === 'structure' ? `${SERVICE_PACKAGE}.${shapeName}` : `java.lang.${JAVA_TYPES[shape.t] ?? shape.t}`;
  return serialization(`Unrecognized collection type class ${type}`);
}

const START_OF_STRUCTURE = 'Start of structure or map found where not expected';

/** A structure read from a JSON object: its members with a value, each read as its shape says. */
function readStructure(value: Readonly<JsonObject>, shapeName: string): JsonObject {
  const members = shapeOf(shapeName).m ?? {};
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (!Object.hasOwn(members, key)) continue;
    // A member sent more than once: each value is read, in the order sent, and the last kept.
    const decimals = earlierDecimals(value, key);
    (earlierValues(value, key) ?? []).forEach((earlier, i) => {
      if (earlier !== null) readValue(earlier, members[key], false, decimals[i]);
    });
    if (member === null || member === undefined) continue;
    out[key] = readValue(member, members[key], false, isDecimalLiteral(value, key));
    // A long past 2^53 keeps the digits sent, as a Java long holds them (to its own bounds).
    const digits = shapeOf(members[key]).t === 'long' ? exactDigits(value, key) : undefined;
    if (digits !== undefined && BigInt(digits) >= LONG_EXACT_RANGE[0] && BigInt(digits) <= LONG_EXACT_RANGE[1]) {
      keepExactDigits(out, key, digits);
    }
  }
  return out;
}

/**
 * A value read as its shape says. `inList`: a list's member, which a reader takes as a value, not
 * a field ("Unexpected value type in payload" for a scalar where a structure is). `decimal`: a
 * whole number written as a decimal.
 */
function readValue(value: JsonValue, shapeName: string, inList: boolean, decimal = false): JsonValue {
  const shape = shapeOf(shapeName);
  if (shape.t === 'structure') {
    if (Array.isArray(value)) throw notACollection(shapeName, shape);
    if (typeof value !== 'object' || value === null) throw serialization(inList ? 'Unexpected value type in payload' : 'Unexpected field type');
    return readStructure(value, shapeName);
  }
  if (shape.t === 'list') {
    if (Array.isArray(value)) return value.map((item, i) => (item === null ? null : readValue(item, shape.l!, true, isDecimalLiteral(value, i))));
    if (typeof value === 'object' && value !== null) throw serialization(START_OF_STRUCTURE);
    throw serialization('Unexpected field type');
  }
  if (Array.isArray(value)) throw notACollection(shapeName, shape);
  if (typeof value === 'object' && value !== null) throw serialization(START_OF_STRUCTURE);
  const scalar = value as number | string | boolean;
  const java = JAVA_TYPES[shape.t];
  switch (shape.t) {
    case 'string':
      if (typeof scalar !== 'string') throw serialization(`${tokenOf(scalar, decimal)} cannot be converted to ${java}`);
      return scalar;
    case 'boolean':
      if (typeof scalar === 'string') {
        // The words AWS's reader takes for a boolean; any other string in words of its own (recorded for DynamoDB: '23').
        const word = scalar.toUpperCase();
        if (!Object.hasOwn(BOOLEAN_WORDS, word)) throw serialization('Unexpected token received from parser');
        return BOOLEAN_WORDS[word];
      }
      if (typeof scalar !== 'boolean') throw serialization(`${tokenOf(scalar, decimal)} cannot be converted to ${java}`);
      return scalar;
    case 'integer':
    case 'long': {
      if (typeof scalar !== 'number') throw serialization(`${tokenOf(scalar, decimal)} cannot be converted to ${java}`);
      // AWS's reader takes any JSON number into an integer member, as a number it truncates (see INT_RANGE).
      const [min, max] = shape.t === 'integer' ? INT_RANGE : LONG_RANGE;
      return Math.min(Math.max(Math.trunc(scalar), min), max) + 0;
    }
    case 'float':
      if (typeof scalar !== 'number') throw serialization(`${tokenOf(scalar, decimal)} cannot be converted to ${java}`);
      // Read as a Java Float: its bounds are checked on it, and it is kept as Java writes it back.
      return javaFloat(scalar);
    case 'double':
      if (typeof scalar !== 'number') throw serialization(`${tokenOf(scalar, decimal)} cannot be converted to ${java}`);
      return scalar;
    default:
      throw new Error(`the validator reads no ${shape.t} (shape ${shapeName})`);
  }
}

// ---- 2. validating: every constraint, all at once

/** Java's String.hashCode. */
function javaHash(text: string): number {
  let h = 0;
  // eslint-disable-next-line no-bitwise -- Java's int arithmetic, which wraps at 32 bits
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

const memberOrders = new Map<string, readonly string[]>();

/**
 * A structure's members in the order Java's HashMap of their names iterates them (the table's
 * size the smallest power of two from 16 that holds them at a load of 3/4; a bucket's names in the
 * model's order), the order AWS lists their errors in.
 */
function memberOrder(shapeName: string): readonly string[] {
  const known = memberOrders.get(shapeName);
  if (known) return known;
  const names = Object.keys(shapeOf(shapeName).m ?? {});
  let size = 16;
  while (names.length > size * 0.75) size *= 2;
  const bucket = (name: string): number => {
    const h = javaHash(name);
    // eslint-disable-next-line no-bitwise -- HashMap's spread of the hash and its bucket index
    return (h ^ (h >>> 16)) & (size - 1);
  };
  const ordered = names.map((name, i) => ({ name, i, b: bucket(name) })).sort((a, b) => a.b - b.b || a.i - b.i).map((e) => e.name);
  memberOrders.set(shapeName, ordered);
  return ordered;
}

const patterns = new Map<string, RegExp>();

/**
 * The model's pattern (Java's syntax) as a JavaScript one matching a whole value, as Java's
 * `matches` does. Only what the model's patterns use is translated: `\p{ASCII}`.
 */
function patternOf(javaPattern: string): RegExp {
  let re = patterns.get(javaPattern);
  if (!re) {
    const source = javaPattern.replace(/\\p\{ASCII\}/g, '[\\x00-\\x7f]');
    if (/\\[pP]\{/.test(source)) throw new Error(`the pattern ${javaPattern} uses a character class the validator does not translate`);
    re = new RegExp(`^(?:${source})$`);
    patterns.set(javaPattern, re);
  }
  return re;
}

/**
 * A number as Java reads it into a Float (`Math.fround`: past its range, an infinity), given as
 * the shortest decimal that reads back as that Float, the one Java writes (100.0000001 is 100).
 */
function javaFloat(value: number): number {
  const f = Math.fround(value);
  if (!Number.isFinite(f)) return f;
  for (let p = 1; p < 9; p++) {
    const n = Number(f.toPrecision(p));
    if (Math.fround(n) === f) return n;
  }
  return Number(f.toPrecision(9));
}

/** A float as Java's Float.toString writes it (`101.0`, `0.5`, `1.0E10`, `Infinity`): AWS quotes a float member so. */
function javaFloatText(value: number): string {
  const n = javaFloat(value);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) {
    const [mantissa, exponent] = n.toExponential().split('e');
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  const text = String(n);
  return text.includes('.') ? text : `${text}.0`;
}

/** A value as Java's toString writes it, for a message: a structure as its class does (`Shape(member=value, …)`). */
function javaText(value: JsonValue | undefined, shapeName: string): string {
  if (value === undefined || value === null) return 'null';
  const shape = shapeOf(shapeName);
  switch (shape.t) {
    case 'list':
      return Array.isArray(value) ? `[${value.map((item) => javaText(item, shape.l!)).join(', ')}]` : String(value);
    case 'structure': {
      if (!isStructure(value)) return String(value);
      const members = shape.m ?? {};
      return `${shapeName}(${Object.keys(members).map((m) => `${m}=${shapeOf(members[m]).s ? '***' : javaText(value[m], members[m])}`).join(', ')})`;
    }
    case 'float':
    case 'double':
      return javaFloatText(value as number);
    case 'long':
      return javaLong(value as number);
    default:
      return String(value as string | number | boolean);
  }
}

/** One error as AWS words it; a sensitive member's value is never shown, null or not. */
function error(value: JsonValue | undefined, shapeName: string, path: string, constraint: string): string {
  const shown = shapeOf(shapeName).s ? 'Value' : value === undefined || value === null ? 'Value null' : `Value '${javaText(value, shapeName)}'`;
  return constraintFailure(shown, path, constraint);
}

function validateStructure(value: Readonly<JsonObject>, shapeName: string, prefix: string, errors: string[]): void {
  const shape = shapeOf(shapeName);
  const members = shape.m ?? {};
  const required = shape.r ?? [];
  for (const name of memberOrder(shapeName)) {
    const path = `${prefix}${name}`;
    const member = value[name];
    if (member === undefined) {
      if (required.includes(name)) errors.push(error(undefined, members[name], path, 'not be null'));
      continue;
    }
    validateValue(member, members[name], path, errors);
  }
}

function validateValue(value: JsonValue, shapeName: string, path: string, errors: string[]): void {
  const shape = shapeOf(shapeName);
  switch (shape.t) {
    case 'structure':
      if (isStructure(value)) validateStructure(value, shapeName, `${path}.`, errors);
      return;
    case 'list': {
      if (!Array.isArray(value)) return;
      checkSize(value.length, value, shapeName, path, 'length', errors);
      value.forEach((item, i) => {
        const itemPath = `${path}.${i + 1}.member`;
        if (item === null) errors.push(error(null, shape.l!, itemPath, 'not be null'));
        else validateValue(item, shape.l!, itemPath, errors);
      });
      return;
    }
    case 'string': {
      const text = value as string;
      if (shape.e !== undefined && !shape.e.includes(text)) {
        errors.push(error(text, shapeName, path, `satisfy enum value set: [${(RECORDED_ENUM_ORDER[shapeName] ?? shape.e).join(', ')}]`));
      }
      // A pattern before the length: AWS's order where both fail (its answers of Cognito's and IAM's names).
      if (shape.p !== undefined && !patternOf(shape.p).test(text)) errors.push(error(text, shapeName, path, `satisfy regular expression pattern: ${shape.p}`));
      if (UTF8_SIZED.has(shapeName)) checkSize(Buffer.byteLength(text, 'utf8'), text, shapeName, path, 'size', errors);
      else checkSize(scalarLength(text), text, shapeName, path, 'length', errors);
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      checkSize(value as number, value, shapeName, path, 'value', errors);
      return;
    default:
  }
}

/**
 * A string's length as the model's length trait counts it: in Unicode scalar values, a character
 * outside the Basic Multilingual Plane (two UTF-16 units) once (Smithy's length trait; AWS's
 * protocol tests for malformed requests send such characters to check it). A lone surrogate is one.
 * @internal
 */
export function scalarLength(text: string): number {
  if (!/[\uD800-\uDFFF]/.test(text)) return text.length;
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

/**
 * A length (a string's in Unicode scalar values; a list's), a size (a string's in bytes of UTF-8,
 * {@link UTF8_SIZED}) or a number against the model's bounds.
 */
function checkSize(size: number, value: JsonValue, shapeName: string, path: string, what: 'length' | 'size' | 'value', errors: string[]): void {
  const shape = shapeOf(shapeName);
  if (shape.n !== undefined && size < shape.n) errors.push(error(value, shapeName, path, boundConstraint(what, 'min', shape.n)));
  if (shape.x !== undefined && size > shape.x) errors.push(error(value, shapeName, path, boundConstraint(what, 'max', shape.x)));
}
