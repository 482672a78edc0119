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
import { describe, type Shape, type StructureShape } from './shapes';
import type { JsonValue } from '../asl/definition-types';

/** What a check found. */
export interface ContractFinding {
  /**
   * `UNKNOWN_FIELD`: a field the contract does not define; `MISSING_FIELD`: a
   * required field is absent; `WRONG_TYPE`: a literal of another type than the
   * contract's; `UNION`: more than one member of a union is set;
   * `UNKNOWN_ACTION`: the Resource names an action or service the contracts do not know.
   */
  readonly code: 'UNKNOWN_FIELD' | 'MISSING_FIELD' | 'WRONG_TYPE' | 'UNION' | 'UNKNOWN_ACTION';
  /** Where: `Parameters.Key.id.S`, `$.Item` (an answer). */
  readonly path: string;
  /** What the contract expects there (`string`, `structure {Item, ConsumedCapacity}`). */
  readonly expected?: string;
  /** Closest valid names, for an unknown field. */
  readonly suggestions?: readonly string[];
  readonly message: string;
}

/** How strictly an answer is checked, as TestState's `mock.fieldValidationMode` defines it. */
export type FieldValidationMode = 'STRICT' | 'PRESENT' | 'NONE';

export interface CheckRequestOptions {
  /** The state's query language: `.$` fields are paths in JSONPath, `{% %}` strings expressions in JSONata. @default 'JSONPath' */
  readonly language?: 'JSONPath' | 'JSONata';
  /** The name of the field the payload is in, for paths. @default 'Parameters' (JSONPath) or 'Arguments' (JSONata) */
  readonly field?: string;
}

/** Bound on the depth of a walk: payloads are bounded by Step Functions' 256 KiB, but a hostile one may nest deeply. */
const MAX_DEPTH = 64;
const JSONATA = /^\s*\{%[\s\S]*%\}\s*$/;

type Mode = { readonly request: boolean; readonly language: 'JSONPath' | 'JSONata'; readonly required: boolean };

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

function join(path: string, field: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(field) ? `${path}.${field}` : `${path}[${JSON.stringify(field)}]`;
}

/** True when a value is only known at run time. */
function dynamic(value: JsonValue, mode: Mode): boolean {
  return mode.request && mode.language === 'JSONata' && typeof value === 'string' && JSONATA.test(value);
}

/** A number or a boolean written as text, which Step Functions reads as the value (`"false"` for a boolean, as definitions AWS ran show). */
function textOf(value: JsonValue, type: 'integer' | 'number' | 'boolean'): boolean {
  if (typeof value !== 'string') return false;
  if (type === 'boolean') return value === 'true' || value === 'false';
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) && (type === 'number' || Number.isInteger(n));
}

function scalarConforms(type: string, value: JsonValue, request: boolean): boolean {
  switch (type) {
    // A request's JSON value for a text member is sent as its JSON text (Step Functions serializes it).
    case 'string': return request || typeof value === 'string';
    case 'integer': return (typeof value === 'number' && Number.isInteger(value)) || (request && textOf(value, 'integer'));
    case 'number': return typeof value === 'number' || (request && textOf(value, 'number'));
    case 'boolean': return typeof value === 'boolean' || (request && textOf(value, 'boolean'));
    case 'timestamp': return typeof value === 'string' || typeof value === 'number';
    // A request's bytes may be given as JSON, which Step Functions serializes; an answer's are text.
    case 'blob': return request || typeof value === 'string';
    default: return true;
  }
}

function walk(shape: Shape, value: JsonValue, path: string, mode: Mode, out: ContractFinding[], depth: number): void {
  if (depth > MAX_DEPTH || value === null || dynamic(value, mode)) return;
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
        if (mode.request && mode.language === 'JSONPath' && key.endsWith('.$')) continue;
        walk(shape.value, item, join(path, key), mode, out, depth + 1);
      }
      return;
    }
    default:
      if (!scalarConforms(shape.type, value, mode.request)) out.push(wrongType(path, shape, value));
  }
}

function walkStructure(
  shape: StructureShape, value: Record<string, JsonValue>, path: string, mode: Mode, out: ContractFinding[], depth: number,
): void {
  const present = new Set<string>();
  for (const [key, item] of Object.entries(value)) {
    const isPath = mode.request && mode.language === 'JSONPath' && key.endsWith('.$');
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
        message: `${join(path, key)}: the field '${field}' is not defined${suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : ''}`,
      });
      continue;
    }
    present.add(canonical);
    if (!isPath) walk(member, item, join(path, field), mode, out, depth + 1);
  }
  if (shape.union && present.size > 1) {
    out.push({ code: 'UNION', path, expected: `exactly one of ${shape.fields.join(', ')}`, message: `${path}: only one of ${[...present].join(', ')} may be set` });
  }
  if (mode.required) {
    for (const field of shape.required) {
      if (!present.has(field)) {
        out.push({ code: 'MISSING_FIELD', path: join(path, field), expected: describe(shape.member(field)!), message: `${join(path, field)}: the required field '${field}' is missing` });
      }
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
  const language = options.language ?? 'JSONPath';
  const field = options.field ?? (language === 'JSONata' ? 'Arguments' : 'Parameters');
  if (contract.unknown !== undefined) {
    return [{ code: 'UNKNOWN_ACTION', path: 'Resource', message: `Resource ${resource}: ${contract.unknown}` }];
  }
  if (contract.request === undefined) return [];
  const mode: Mode = { request: true, language, required: true };
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
 * Resource returns, as TestState's field validation modes define it: STRICT,
 * every required field is present and every present field conforms; PRESENT,
 * every present field conforms; NONE, nothing. A field the model does not
 * define does not conform. An answer no model describes (a callback's output,
 * a Lambda ARN's result) is not judged.
 */
export function checkAnswer(resource: string, answer: JsonValue, mode: FieldValidationMode = 'STRICT'): ContractFinding[] {
  if (mode === 'NONE') return [];
  const output = contractOf(resource).output;
  if (output === undefined) return [];
  const out: ContractFinding[] = [];
  walk(output, answer, '$', { request: false, language: 'JSONPath', required: mode === 'STRICT' }, out, 0);
  return out;
}
