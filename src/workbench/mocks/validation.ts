/**
 * Checks a mock's answer against what the Task's Resource can return and
 * raise, as TestState checks its mocks (`mock.fieldValidationMode`): a mock
 * AWS would never give makes a green local test of a machine that fails on
 * AWS, so the run fails instead, naming the state, the field, what the
 * service's model expects there and an answer of the right shape.
 */
import type { MockValidation } from './validation-mode';
import type { JsonValue } from '../../asl/definition-types';
import { StatesError } from '../../asl/states-errors';
import { checkAnswer } from '../../contracts/check';
import { closestErrors, contractOf } from '../../contracts/contract';
import { describe as describeShape, type Shape } from '../../contracts/shapes';

export { checkedMockValidation, MOCK_VALIDATION_MODES, mockValidationOf, type MockValidation } from './validation-mode';

/** Where a mock came from, for messages: `mocks`, `MockConfigFile`, `the handlers module`. */
export interface MockOrigin {
  readonly stateName: string;
  readonly resource: string;
  readonly label: string;
}

const HOW_TO_RELAX = "or, to keep a mock the service would never send, set mockValidation: 'PRESENT' (only the fields given are checked) or 'NONE'";

/**
 * The reason a mock's task result cannot be what the Resource returns, or
 * undefined when it can (or no model describes the result: a callback's
 * output, a Lambda function ARN's).
 */
export function mockResultProblem(origin: MockOrigin, result: JsonValue, mode: MockValidation, relax = HOW_TO_RELAX): string | undefined {
  if (mode === 'NONE') return undefined;
  const findings = checkAnswer(origin.resource, result, mode);
  if (findings.length === 0) return undefined;
  const contract = contractOf(origin.resource);
  const output = contract.output!;
  const what = contract.operation ? `${contract.service}:${contract.action} (${contract.operation})` : origin.resource;
  const lines = findings.slice(0, 5).map((f) => `  ${f.message}${f.expected && f.code !== 'WRONG_TYPE' ? ` (expected ${f.expected})` : ''}`);
  if (findings.length > 5) lines.push(`  … and ${findings.length - 5} more`);
  return `${mockOf(origin)} answers what ${what} never returns `
    + `(field validation ${mode}, as TestState's fieldValidationMode):\n${lines.join('\n')}\n`
    + `It returns ${describeShape(output)}, for example ${example(output, result)}. `
    + `Fix the mock (see ${contract.source ?? 'the service\'s API reference'}), ${relax}.`;
}

/**
 * The reason a mock's error cannot be one the Resource raises, under STRICT
 * only, and only when the contracts know every error it can raise (not a
 * Lambda function's own, nor a worker's).
 */
export function mockErrorProblem(origin: MockOrigin, error: string, mode: MockValidation, relax = HOW_TO_RELAX): string | undefined {
  if (mode !== 'STRICT') return undefined;
  const errors = contractOf(origin.resource).errors;
  if (!errors.complete || errors.names.includes(error)) return undefined;
  const closest = closestErrors(error, origin.resource);
  return `${mockOf(origin)} fails with '${error}', which ${origin.resource} never raises `
    + `(${relax === HOW_TO_RELAX ? 'mockValidation' : 'fieldValidationMode'} STRICT), so a Retry or Catch tested with it misses the error AWS raises`
    + `${closest.length > 0 ? `; did you mean ${closest.map((c) => `'${c}'`).join(' or ')}?` : '.'} `
    + `Use a name the integration raises, ${relax}.`;
}

function mockOf(origin: MockOrigin): string {
  return `The mock of Task '${origin.stateName}'${origin.label === `'${origin.stateName}'` ? '' : ` (${origin.label})`}`;
}

/** Fails the Task with States.Runtime (a test-setup mistake, not caught by States.ALL) when the result cannot be. */
export function checkMockResult(origin: MockOrigin, result: JsonValue, mode: MockValidation): JsonValue {
  const problem = mockResultProblem(origin, result, mode);
  if (problem !== undefined) throw new StatesError('States.Runtime', problem);
  return result;
}

/** Fails the Task with States.Runtime when the error cannot be one the Resource raises; else the mock's error. */
export function checkMockError(origin: MockOrigin, error: StatesError, mode: MockValidation): StatesError {
  const problem = mockErrorProblem(origin, error.error, mode);
  return problem === undefined ? error : new StatesError('States.Runtime', problem);
}

const MAX_EXAMPLE = 400;

/**
 * An answer of the right shape: the mock's own, with what the model does not
 * define moved where it most likely belongs (plain attributes into a
 * DynamoDB item, typed as attribute values), else a sketch of the shape.
 */
function example(output: Shape, answer: JsonValue): string {
  const fixed = output.type === 'structure' && isObject(answer) ? repairStructure(output, answer) : undefined;
  const value = fixed !== undefined && checkShape(output, fixed, 0) ? fixed : sketch(output, 0);
  const text = JSON.stringify(value);
  return text.length > MAX_EXAMPLE ? `${text.slice(0, MAX_EXAMPLE - 1)}…` : text;
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** True for DynamoDB's AttributeValue: S, N, BOOL, M and L (the v2 models do not mark it a union). */
function isAttributeValue(shape: Shape): boolean {
  return shape.type === 'structure' && ['S', 'N', 'BOOL', 'M', 'L'].every((f) => shape.fields.includes(f));
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

function repairStructure(shape: Shape & { type: 'structure' }, answer: Record<string, JsonValue>): JsonValue | undefined {
  const known: Record<string, JsonValue> = {};
  const unknown: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(answer)) {
    if (shape.canonical(key) !== undefined) known[shape.canonical(key)!] = value;
    else unknown[key] = value;
  }
  // An item's attributes written plainly: where the model keeps a map of attribute values, typed.
  for (const field of shape.fields) {
    const member = shape.member(field);
    if (member?.type !== 'map' || !isAttributeValue(member.value)) continue;
    if (Object.keys(unknown).length > 0 && known[field] === undefined) {
      known[field] = Object.fromEntries(Object.entries(unknown).map(([k, v]) => [k, marshal(v)]));
      return known;
    }
    const item = known[field];
    if (isObject(item)) {
      known[field] = Object.fromEntries(Object.entries(item).map(([k, v]) => [k, isObject(v) && Object.keys(v).length === 1 && member.value.type === 'structure' && member.value.canonical(Object.keys(v)[0]) !== undefined ? v : marshal(v)]));
    }
  }
  return Object.keys(unknown).length > 0 ? undefined : known;
}

/** A light conformance test for a repaired answer (present fields only). */
function checkShape(shape: Shape, value: JsonValue, depth: number): boolean {
  if (depth > 16 || value === null) return true;
  switch (shape.type) {
    case 'structure': return isObject(value) && Object.entries(value).every(([k, v]) => {
      const member = shape.member(k);
      return member !== undefined && checkShape(member, v, depth + 1);
    });
    case 'list': return Array.isArray(value) && value.every((v) => checkShape(shape.member, v, depth + 1));
    case 'map': return isObject(value) && Object.values(value).every((v) => checkShape(shape.value, v, depth + 1));
    case 'string': case 'blob': return typeof value === 'string';
    case 'integer': case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    default: return true;
  }
}

/** A value of the shape: its required fields (or its first ones), placeholders for scalars. */
function sketch(shape: Shape, depth: number): JsonValue {
  switch (shape.type) {
    case 'structure': {
      if (depth > 2) return {};
      const fields = shape.required.length > 0 ? shape.required : shape.fields.filter((f) => !f.startsWith('Sdk')).slice(0, shape.union || isAttributeValue(shape) ? 1 : 2);
      return Object.fromEntries(fields.map((f) => [f, sketch(shape.member(f)!, depth + 1)]));
    }
    case 'list': return depth > 2 ? [] : [sketch(shape.member, depth + 1)];
    case 'map': return depth > 2 ? {} : { key: sketch(shape.value, depth + 1) };
    case 'string': case 'blob': return '…';
    case 'integer': case 'number': return 0;
    case 'boolean': return false;
    case 'timestamp': return '2024-01-01T00:00:00Z';
    default: return {};
  }
}
