import type { JsonValue, StateMachineDefinition } from '../asl';
import { answerShapeAt, modelAllowsPlaced } from './contract-answers';
import { machineStates } from './goals';
import { choiceReads, readsOf } from './reads';
import type { Outcome } from './runner';
import { isPlainStep, localNames, parseJsonata, stripDelimiters, type JsonataNode } from './solve/jsonata-ast';
import { inTurn, NUMERIC_TEXT, placed, valueAt, withValue } from './verify-boundaries';
import { eachNode } from './verify-forms';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { forEachState } from '../asl/state-tree';

/*
 * Values of another JSON kind. A rule that asks what kind a value is (JSONata's
 * `$type($v) = 'boolean'`, JSONPath's IsBoolean, IsNull, IsNumeric, IsString) decides on a kind
 * explore's search need not give: it brings each rule to true and to false with the values its
 * rules name, and a rule whose kind's name is not one (`'boolean'` moved to another word) names
 * no value of that kind. verify therefore also tries, where the machine asks a value's kind, a
 * value of each other kind (a text, a number, true and false, null, the value in a list, an
 * object) at each field of the search's inputs, at each field a Task answered, and at each field
 * a Task's reads take from its answer: as the service's model allows for an answer (a Lambda
 * function's payload is any JSON; a DynamoDB `S` only a text), never an answer AWS cannot give.
 */

/** Fields of one input or answer changed at most. */
const MAX_FIELDS = 12;
/** How deep into an input or answer its fields are looked for. */
const DEPTH = 4;

/** A JSON value's kind, as JSONata's `$type` names it. */
type Kind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

/** The kind of a value the answer model's type gives; the free types (any JSON) are absent. */
const MODEL_KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['string', 'string'], ['timestamp', 'string'], ['blob', 'string'],
  ['integer', 'number'], ['long', 'number'], ['float', 'number'], ['double', 'number'], ['number', 'number'],
  ['boolean', 'boolean'], ['list', 'array'], ['structure', 'object'], ['map', 'object'],
]);
/** The answer model's types that hold any JSON. */
const FREE_TYPES: ReadonlySet<string> = new Set(['any', 'json', 'document']);

/** Texts tried in a list at most: those a rule asks to be in one. */
const MAX_LISTED = 4;

const JSONPATH_KIND_TEST = /"Is(Boolean|Null|Numeric|String|Timestamp)"\s*:/;
/** How deep into a state's fields its JSONata expressions are looked for. */
const EXPRESSION_DEPTH = 16;

const kindOf = (v: JsonValue | undefined): Kind | undefined =>
  v === undefined ? undefined : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v as Kind;

/** The JSONata expressions (`{% … %}`) a value of the definition holds, parsed; those that do not parse are left out. */
function expressionsIn(v: unknown, depth: number, out: JsonataNode[]): JsonataNode[] {
  if (depth < 0) return out;
  if (isJsonataExpression(v)) {
    const parsed = parseJsonata(stripDelimiters(v));
    if (!('error' in parsed)) out.push(parsed.ast);
  } else if (Array.isArray(v)) {
    for (const x of v) expressionsIn(x, depth - 1, out);
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) expressionsIn(x, depth - 1, out);
  }
  return out;
}

/** Whether a JSONata expression calls `$type` (a variable of that name shadows it, as in JSONata). */
function callsType(ast: JsonataNode): boolean {
  const local = localNames(ast);
  let calls = false;
  eachNode(ast, (n) => {
    if (n.type === 'function' && isPlainStep(n.procedure, 'variable') && n.procedure.value === 'type' && !local.has('type')) calls = true;
  });
  return calls;
}

/** Whether a rule of the machine asks a value's kind (`$type(…)`, JSONPath's Is… tests). @internal */
export function asksKinds(def: StateMachineDefinition): boolean {
  let asks = false;
  forEachState(def, (_name, state) => {
    if (asks) return;
    asks = expressionsIn(state, EXPRESSION_DEPTH, []).some(callsType) || (state.Type === 'Choice' && JSONPATH_KIND_TEST.test(JSON.stringify(state)));
  });
  return asks;
}

/**
 * What the Choice rules of a definition name: the texts a JSONata rule asks to be in a list
 * (`'beta' in $states.input.tags`), the input fields the rules read ({@link choiceReads}).
 */
function ruleFacts(def: StateMachineDefinition): { listed: string[]; fields: Array<Array<string | number>> } {
  const listed = new Set<string>();
  const fields = new Map<string, Array<string | number>>();
  for (const info of machineStates(def).values()) {
    if (info.def.Type !== 'Choice') continue;
    for (const ast of expressionsIn(info.def.Choices?.map((r) => r.Condition), 1, [])) {
      eachNode(ast, (n) => {
        if (n.type === 'binary' && n.value === 'in' && n.lhs?.type === 'string' && typeof n.lhs.value === 'string') listed.add(n.lhs.value);
      });
    }
    for (const r of choiceReads(info)) if ((r.scope === 'input' || r.scope === 'raw') && r.steps.length > 0) fields.set(JSON.stringify(r.steps), [...r.steps]);
  }
  return { listed: [...listed].slice(0, MAX_LISTED), fields: [...fields.values()].slice(0, MAX_FIELDS) };
}

/**
 * A value of each kind `old` is not (for a boolean, the other boolean too): its text where it is
 * a number or a boolean, its number where it is a numeric text, the value in a list, and a list of
 * each text `listed` (those a rule asks to be in a list: `'beta' in tags`).
 */
function otherKinds(old: JsonValue | undefined, listed: readonly string[]): JsonValue[] {
  const k = kindOf(old);
  const out: JsonValue[] = [];
  if (k !== 'string') out.push(typeof old === 'number' || typeof old === 'boolean' ? String(old) : 'text');
  if (k !== 'number') out.push(typeof old === 'string' && NUMERIC_TEXT.test(old) ? Number(old) : 0);
  if (typeof old === 'boolean') out.push(!old);
  else out.push(true, false);
  if (k !== 'null') out.push(null);
  if (k !== 'array') out.push(old === undefined ? [] : [old], ...listed.map((t) => [t]));
  if (k !== 'object') out.push({});
  return out;
}

/** The paths of the fields a value holds, through objects and each array's first item, at most `MAX_FIELDS`. */
function fieldPaths(v: JsonValue, at: Array<string | number>, depth: number, out: Array<Array<string | number>>): void {
  if (depth < 0 || out.length >= MAX_FIELDS) return;
  if (at.length > 0) out.push(at);
  if (Array.isArray(v)) {
    if (v.length > 0) fieldPaths(v[0], [...at, 0], depth - 1, out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) fieldPaths(x, [...at, k], depth - 1, out);
  }
}

/**
 * Whether the service's model lets a Task's answer hold `v` at `steps`: always where no model
 * describes the answer (a Lambda function's payload) or the field holds any JSON; else only a
 * value of the kind the model types the field, and never at a field the model does not have
 * (`mapped`: a field's name read from a list is its items', as a JSONata path reads it).
 */
function modelAllows(resource: string, steps: ReadonlyArray<string | number>, v: JsonValue, mapped: boolean): boolean {
  if (answerShapeAt(resource, []) === undefined) return true;
  const type = answerShapeAt(resource, steps, mapped)?.type;
  if (type === undefined) return false;
  return FREE_TYPES.has(type) || MODEL_KINDS.get(type) === kindOf(v);
}

/** Per Task, the fields its ResultSelector, Output or Assign read from its answer (the runner's envelope taken off). */
function readFields(
  def: StateMachineDefinition, prefixOf: (resource: string) => ReadonlyArray<string | number>,
): Map<string, Array<Array<string | number>>> {
  const out = new Map<string, Array<Array<string | number>>>();
  for (const info of machineStates(def).values()) {
    const resource = info.def.Type === 'Task' ? info.def.Resource : undefined;
    if (typeof resource !== 'string') continue;
    const prefix = prefixOf(resource);
    const paths = readsOf(info)
      .filter((r) => r.scope === 'result' && r.steps.length > prefix.length && prefix.every((s, i) => r.steps[i] === s))
      .map((r) => r.steps.slice(prefix.length));
    if (paths.length > 0) out.set(info.name, paths.slice(0, MAX_FIELDS));
  }
  return out;
}

type Answers = Map<string, Outcome[]>;

/**
 * Task answers to try beside a run's, where the machine asks a value's kind: the run's answers
 * with one field of one answer (a field it holds, or one the Task's reads take from it) given a
 * value of each other kind the service's model allows there; one lane per field, taken in turn
 * across them, each set of answers once.
 * @internal
 */
export function kindAnswers(
  def: StateMachineDefinition, answers: ReadonlyMap<string, readonly Outcome[]>,
  prefixOf: (resource: string) => ReadonlyArray<string | number>,
): Answers[] {
  const states = machineStates(def);
  const reads = readFields(def, prefixOf);
  const { listed } = ruleFacts(def);
  const lanes: Answers[][] = [];
  const seen = new Set<string>();
  for (const [state, outcomes] of answers) {
    const info = states.get(state);
    const resource = info?.def.Type === 'Task' ? info.def.Resource : undefined;
    if (typeof resource !== 'string') continue;
    const mapped = info?.language === 'JSONata';
    const prefix = prefixOf(resource);
    outcomes.forEach((o, i) => {
      if (o === undefined || o.kind !== 'return') return;
      const paths: Array<Array<string | number>> = [];
      fieldPaths(o.value, [], DEPTH, paths);
      const distinct = new Map([...paths, ...(reads.get(state) ?? [])].map((p) => [JSON.stringify(p), p]));
      for (const path of distinct.values()) {
        const lane: Answers[] = [];
        for (const v of otherKinds(valueAt(o.value, path), listed)) {
          if (!modelAllows(resource, [...prefix, ...path], v, mapped)) continue;
          const value = placed(o.value, path, v);
          const key = `${state}\u0000${i}\u0000${JSON.stringify(value)}`;
          if (value === undefined || seen.has(key)) continue;
          seen.add(key);
          // The whole answer held to the model too: a text in a field its enum lists, a number within its bounds.
          if (!modelAllowsPlaced(resource, o.value, value)) continue;
          const changed = [...outcomes];
          changed[i] = { ...o, value };
          lane.push(new Map([...answers].map(([k, list]) => [k, k === state ? changed : [...list]])));
        }
        if (lane.length > 0) lanes.push(lane);
      }
    });
  }
  return inTurn(lanes);
}

/**
 * Inputs to try beside the search's, where the machine asks a value's kind: each of `bases` with
 * one of its fields, or one a Choice rule reads, given a value of each other kind (AWS takes any
 * JSON as an input); taken in
 * turn across the bases' fields, each input once, with the index of its base.
 * @internal
 */
export function kindInputs(def: StateMachineDefinition, bases: readonly JsonValue[]): Array<{ readonly base: number; readonly input: JsonValue }> {
  const { listed, fields } = ruleFacts(def);
  const seen = new Set(bases.map((b) => JSON.stringify(b)));
  const lanes: Array<Array<{ base: number; input: JsonValue }>> = [];
  for (const [b, base] of bases.entries()) {
    const paths: Array<Array<string | number>> = [];
    fieldPaths(base, [], DEPTH, paths);
    for (const path of new Map([...fields, ...paths].map((p) => [JSON.stringify(p), p])).values()) {
      const lane: Array<{ base: number; input: JsonValue }> = [];
      for (const v of otherKinds(valueAt(base, path), listed)) {
        const input = withValue(base, path, () => v);
        const key = JSON.stringify(input);
        if (seen.has(key)) continue;
        seen.add(key);
        lane.push({ base: b, input });
      }
      if (lane.length > 0) lanes.push(lane);
    }
  }
  return inTurn(lanes);
}
