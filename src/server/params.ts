/*
 * A request's members, read as the Step Functions service model declares them:
 * each reader checks the member's JSON type and the bound AWS states for it
 * (length, range, enumeration, pattern) and refuses anything else with AWS's
 * ValidationException, worded as AWS words it. A member sent as JSON null counts
 * as absent, as in the AWS JSON protocol. Readers take a path, so that a member
 * inside a list reads as AWS names it (`tags.2.member.key`).
 */
import { ApiError, validationError } from './api-errors';
import type { Declared, Unchecked } from './operations/operation-table';
import { AwsLimits } from '../asl/limits';

/**
 * A member of a request or structure `P`, by a name its type declares (for a request, its SDK
 * `…CommandInput`'s): a member read by a name the model does not have fails to compile.
 */
type Member<P> = keyof P & string;

/** The bounds of a string member, from the service model. @internal */
export interface StringBounds {
  /** Fewest characters (UTF-16 code units, as Java counts them). */
  readonly min?: number;
  /** Most characters. */
  readonly max?: number;
  /** The model's pattern, and its text as AWS quotes it. */
  readonly pattern?: { readonly test: (value: string) => boolean; readonly text: string };
  /** A sensitive member (a definition, an input, a cause): AWS does not repeat its value in a refusal. */
  readonly sensitive?: boolean;
}

/** Characters a string member of a Step Functions request may have, by the model's shapes. @internal */
export const BOUNDS = {
  /** `Arn`. */
  arn: { min: 1, max: 256 },
  /** `LongArn`: version, alias and Map Run ARNs. */
  longArn: { min: 1, max: 2000 },
  /** `Definition`. */
  definition: { min: 1, max: AwsLimits.DEFINITION_BYTES, sensitive: true },
  /** `SensitiveData`: inputs and outputs (AWS counts their UTF-8 bytes too, checked where they are used). */
  data: { max: AwsLimits.PAYLOAD_BYTES, sensitive: true },
  /** `SensitiveError`. */
  error: { min: 0, max: AwsLimits.ERROR_CHARS, sensitive: true },
  /** `SensitiveCause`. */
  cause: { min: 0, max: AwsLimits.CAUSE_CHARS, sensitive: true },
  /** `VersionDescription` and `AliasDescription`. */
  description: { max: 256, sensitive: true },
  /** `TaskToken`. */
  taskToken: { min: 1, max: 2048 },
  /** `TraceHeader`: ASCII only. */
  traceHeader: { min: 0, max: 256, pattern: { test: (v: string) => /^[\x00-\x7f]*$/.test(v), text: '\\p{ASCII}*' } },
  /** `ClientToken`. */
  clientToken: { min: 1, max: 64, pattern: { test: (v: string) => /^[!-~]+$/.test(v), text: '[!-~]+' } },
  /** `Name` where it is not checked as a resource name (a worker's name). */
  name: { min: 1, max: AwsLimits.NAME_CHARS },
  /** `StateName`. */
  stateName: { min: 1, max: AwsLimits.NAME_CHARS },
  /** `TagKey`. */
  tagKey: { min: 1, max: 128 },
  /** `TagValue`. */
  tagValue: { min: 0, max: 256 },
  /** `KmsKeyId`. */
  kmsKeyId: { min: 1, max: 2048 },
} as const satisfies Record<string, StringBounds>;

/** A member of the wrong JSON type: `expected` is "a string", "a list", .... @internal */
export function typeError(path: string, expected: string, value: unknown): ApiError {
  return validationError(path, `Member must be ${expected}`, value);
}

/** Checks a string value against its bounds; `path` names it as AWS does. @internal */
export function checkString(value: unknown, path: string, bounds: StringBounds = {}): string {
  if (typeof value !== 'string') throw typeError(path, 'a string', value);
  const shown = bounds.sensitive ? { sensitive: true } : {};
  if (bounds.min !== undefined && value.length < bounds.min) {
    throw validationError(path, `Member must have length greater than or equal to ${bounds.min}`, value, shown);
  }
  if (bounds.max !== undefined && value.length > bounds.max) {
    throw validationError(path, `Member must have length less than or equal to ${bounds.max}`, value, shown);
  }
  if (bounds.pattern && !bounds.pattern.test(value)) {
    throw validationError(path, `Member must satisfy regular expression pattern: ${bounds.pattern.text}`, value, shown);
  }
  return value;
}

/** Whether a member is absent: missing, or JSON null. */
function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/**
 * Reads a required string member (an empty one counts as missing, as the callers always did);
 * ValidationException "Member must not be null" when it is absent.
 * @internal
 */
export function requireString<P extends object>(p: P, field: Member<P>, bounds: StringBounds = {}): string {
  const value: unknown = p[field];
  if (absent(value) || value === '') throw validationError(field, 'Member must not be null', undefined);
  return checkString(value, field, bounds);
}

/** Reads an optional string member. @internal */
export function optionalString<P extends object>(p: P, field: Member<P>, bounds: StringBounds = {}, path: string = field): string | undefined {
  const value: unknown = p[field];
  return absent(value) ? undefined : checkString(value, path, bounds);
}

/** Reads an optional boolean member. @internal */
export function optionalBoolean<P extends object>(p: P, field: Member<P>, path: string = field): boolean | undefined {
  const value: unknown = p[field];
  if (absent(value)) return undefined;
  if (typeof value !== 'boolean') throw typeError(path, 'a boolean', value);
  return value;
}

/** Checks a number value against the model's range; `integer` for its integer and long shapes. @internal */
export function checkNumber(value: unknown, path: string, range: { min?: number; max?: number; integer?: boolean }): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(path, range.integer ? 'an integer' : 'a number', value);
  if (range.integer && !Number.isSafeInteger(value)) throw typeError(path, 'an integer', value);
  if (range.min !== undefined && value < range.min) throw validationError(path, `Member must have value greater than or equal to ${range.min}`, value);
  if (range.max !== undefined && value > range.max) throw validationError(path, `Member must have value less than or equal to ${range.max}`, value);
  return value;
}

/** Reads an optional number member. @internal */
export function optionalNumber<P extends object>(
  p: P, field: Member<P>, range: { min?: number; max?: number; integer?: boolean }, path: string = field,
): number | undefined {
  const value: unknown = p[field];
  return absent(value) ? undefined : checkNumber(value, path, range);
}

/** Reads an optional member whose value is one of an enumeration, listed in AWS's order. @internal */
export function optionalEnum<T extends string, P extends object>(p: P, field: Member<P>, values: readonly T[], path: string = field): T | undefined {
  const value: unknown = p[field];
  if (absent(value)) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw validationError(path, `Member must satisfy enum value set: [${values.join(', ')}]`, value);
  }
  return value as T;
}

/**
 * Reads an optional structure member: a JSON object, whose members (those of the SDK shape `T`)
 * are read and checked in turn.
 * @internal
 */
export function optionalStructure<P extends object, K extends Member<P>>(
  p: P, field: K, path: string = field,
): Unchecked<Declared<P, K>> | undefined {
  const value: unknown = p[field];
  return absent(value) ? undefined : checkStructure<Declared<P, K>>(value, path);
}

/** Checks that a value is a structure (a JSON object), whose members (those of the SDK shape `T`) are read and checked in turn. @internal */
export function checkStructure<T>(value: unknown, path: string): Unchecked<T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw typeError(path, 'a structure', value);
  // Unchecked<T> claims nothing of an object's members but their names: each is unknown until read.
  return value as Unchecked<T>;
}

/** Reads an optional list member: a JSON array, with at most `max` members. @internal */
export function optionalList<P extends object>(
  p: P, field: Member<P>, range: { min?: number; max?: number } = {}, path: string = field,
): unknown[] | undefined {
  const value: unknown = p[field];
  if (absent(value)) return undefined;
  if (!Array.isArray(value)) throw typeError(path, 'a list', value);
  if (range.min !== undefined && value.length < range.min) throw validationError(path, `Member must have length greater than or equal to ${range.min}`, value);
  if (range.max !== undefined && value.length > range.max) throw validationError(path, `Member must have length less than or equal to ${range.max}`, value);
  return value;
}
