/**
 * The answer a mock meant, for the messages that flag it: the mock's own answer
 * with its misspelt fields renamed (`Itme` → `Item`), the attributes of a
 * DynamoDB item written outside `Item` moved into it (typed, where they were
 * not), the required fields filled in and what cannot be placed left out; else
 * the integration's documented example (a successful Lambda invocation), else a
 * sketch of the shape. Whatever it gives passes the check it was made for, and is
 * never an answer AWS turns into the Task's failure (asl/answer-outcomes.ts).
 */
import { contracts } from './lazy-contracts';
import type { JsonValue } from '../../asl';
import { answerJudge, asSucceeding, withoutFailure } from '../../asl/answer-outcomes';
import type { ScalarShape, Shape, StructureShape } from '../../contracts';


const MAX_EXAMPLE = 400;

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The answer the mock meant, as JSON text (cut at 400 characters). */
export function exampleAnswer(resource: string, answer: JsonValue): string {
  const { contractOf, OPTIMIZED_CONTRACTS } = contracts();
  const contract = contractOf(resource);
  const output = contract.output;
  if (output === undefined) return 'null';
  const top = output.type === 'structure' && isObject(answer) ? repairStructure(output, answer) : undefined;
  const repaired = top === undefined ? undefined : coerce(output, top, 0);
  const documented = contract.kind === 'optimized' ? OPTIMIZED_CONTRACTS.get(`${contract.service}:${contract.action}`)?.example : undefined;
  // Never an answer AWS turns into a failure (a child execution's "Status": "FAILED"): where the mock's own
  // answer or the sketch would be one, the catalogue's rule makes it the answer of a Task that succeeds.
  const sketched = asSucceeding(resource, sketch(output, 0));
  const candidates = [repaired, repaired === undefined ? undefined : withoutFailure(resource, repaired), documented, sketched];
  const value = candidates.find((c) => c !== undefined && passes(resource, c)) ?? sketched;
  const json = JSON.stringify(value);
  return json.length > MAX_EXAMPLE ? `${json.slice(0, MAX_EXAMPLE - 1)}…` : json;
}

/** True when the check finds nothing to refuse nor to advise in it, and AWS does not fail the Task on it. */
function passes(resource: string, value: JsonValue): boolean {
  return contracts().checkAnswer(resource, value, 'STRICT').length === 0 && answerJudge(resource)?.(value) === undefined;
}

/** True for DynamoDB's AttributeValue: S, N, BOOL, M and L. */
function isAttributeValue(shape: Shape): shape is StructureShape {
  return shape.type === 'structure' && ['S', 'N', 'BOOL', 'M', 'L'].every((f) => shape.fields.includes(f));
}

/** A value already written as a DynamoDB attribute value: one key, a type of AttributeValue. */
function isTypedAttribute(value: JsonValue, shape: StructureShape): boolean {
  return isObject(value) && Object.keys(value).length === 1 && shape.canonical(Object.keys(value)[0]) !== undefined;
}

/** A plain JSON value as a DynamoDB attribute value. */
function marshal(value: JsonValue): JsonValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshal) };
  return { M: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marshal(v)])) };
}

function attribute(value: JsonValue, shape: StructureShape): JsonValue {
  return isTypedAttribute(value, shape) ? value : marshal(value);
}

function repairStructure(shape: StructureShape, answer: Record<string, JsonValue>): JsonValue | undefined {
  const known: Record<string, JsonValue> = {};
  const unknown: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(answer)) {
    const canonical = shape.canonical(key);
    if (canonical !== undefined) known[canonical] = value;
    else unknown[key] = value;
  }
  // A misspelt field (`Itme`, `Status`) is the field it is closest to, when that one is not given too.
  for (const [key, value] of Object.entries(unknown)) {
    const [best] = contracts().closest(key, shape.fields, 1);
    if (best !== undefined && !(best in known)) {
      known[best] = value;
      delete unknown[key];
    }
  }
  // An item's attributes written outside it: they belong in the member that maps names to attribute values.
  for (const field of shape.fields) {
    const member = shape.member(field);
    if (member?.type !== 'map' || !isAttributeValue(member.value)) continue;
    const attributes = member.value;
    if (Object.keys(unknown).length > 0 && known[field] === undefined) {
      known[field] = Object.fromEntries(Object.entries(unknown).map(([k, v]) => [k, attribute(v, attributes)]));
      for (const k of Object.keys(unknown)) delete unknown[k];
    } else if (isObject(known[field])) {
      known[field] = Object.fromEntries(Object.entries(known[field]).map(([k, v]) => [k, attribute(v, attributes)]));
    }
  }
  // What cannot be placed is left out, unless nothing of the answer is left.
  if (Object.keys(known).length === 0) return undefined;
  for (const field of shape.required) {
    if (!(field in known)) known[field] = sketch(shape.member(field)!, 1);
  }
  return known;
}

/**
 * A repaired answer's values as the model types them, where that loses nothing the mock said
 * (`7` as `"7"` for text, `"30"` as `30` for a number, an epoch as an ISO timestamp), and inner
 * fields the model does not define left out.
 */
function coerce(shape: Shape, value: JsonValue, depth: number): JsonValue {
  if (depth > 16 || value === null) return value;
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) return value;
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value)) {
        const member = shape.member(k);
        if (member !== undefined) out[shape.canonical(k) ?? k] = coerce(member, v, depth + 1);
      }
      return out;
    }
    case 'list': return Array.isArray(value) ? value.map((v) => coerce(shape.member, v, depth + 1)) : value;
    case 'map': return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerce(shape.value, v, depth + 1)])) : value;
    case 'string': case 'blob': return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    case 'integer': case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(n) ? n : value;
    }
    case 'boolean': return value === 'true' ? true : value === 'false' ? false : value;
    case 'timestamp': return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e11 ? new Date(value * 1000).toISOString() : value;
    default: return value;
  }
}

/** A value of the shape: its required fields (or its first one), placeholders that fit the model's enums and bounds. */
function sketch(shape: Shape, depth: number): JsonValue {
  switch (shape.type) {
    case 'structure': {
      if (depth > 2) return {};
      const fields = shape.required.length > 0 ? shape.required : shape.fields.filter((f) => !f.startsWith('Sdk')).slice(0, 1);
      return Object.fromEntries(fields.map((f) => [f, sketch(shape.member(f)!, depth + 1)]));
    }
    case 'list': return depth > 2 ? [] : [sketch(shape.member, depth + 1)];
    case 'map': return depth > 2 ? {} : { key: sketch(shape.value, depth + 1) };
    case 'string': case 'blob': return text(shape);
    case 'integer': case 'number': return shape.min !== undefined && shape.min > 0 ? shape.min : 0;
    case 'boolean': return false;
    case 'timestamp': return '2024-01-01T00:00:00Z';
    default: return {};
  }
}

function text(shape: ScalarShape): string {
  if (shape.enum !== undefined && shape.enum.length > 0) return shape.enum[0];
  const length = Math.min(Math.max(shape.min ?? 1, 1), 64);
  return '…'.repeat(length);
}
