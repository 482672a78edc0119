import type { JsonValue, StateMachineDefinition } from '../asl';
import { answerType, modelAllowsPlaced } from './contract-answers';
import { machineStates } from './goals';
import { choiceReads, readsOf, type Expect } from './reads';
import type { Outcome } from './runner';
import { forEachState } from '../asl/state-tree';

/*
 * The values at a property's or a rule's edge. explore's search brings each Choice rule to true
 * and to false, and stops there: a run predicate that asks about "an amount over 1,000" may need
 * an amount the machine's goals never ask for (a limit read through a path, a branch every amount
 * takes). verify therefore also tries, in the inputs of the search's runs, each number the
 * machine's rules and results and the properties' own source name, and the numbers either side
 * of it (c - 1, c, c + 1), at each input field a Choice compares numerically and each number the
 * input already holds, and at each number a Task answered. These are only more runs: a violation
 * one of them shows is confirmed, as any, by running its counterexample again.
 */

/** Constants tried at most. */
const MAX_CONSTANTS = 12;
/** Input fields tried at most. */
const MAX_FIELDS = 12;
/** How deep into an input its numbers are looked for. */
const DEPTH = 4;
/**
 * How deep into a Task's answer its numbers are looked for: a service's answer nests deeper than an
 * input (a Textract expense field's `ExpenseDocuments[0].SummaryFields[0].ValueDetection.Text`).
 */
const ANSWER_DEPTH = 8;


/** The numbers a definition's Choice rules, JSONata conditions, Results and Assigns name. */
function machineConstants(def: StateMachineDefinition, out: Set<number>): void {
  const numbers = (v: unknown): void => {
    if (typeof v === 'number' && Number.isFinite(v)) out.add(v);
    else if (typeof v === 'string' && v.trim().startsWith('{%')) for (const n of numbersIn(v)) out.add(n);
    else if (Array.isArray(v)) v.forEach(numbers);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(numbers);
  };
  forEachState(def, (_name, state) => {
    if (state.Type === 'Choice') numbers(state.Choices);
    if (state.Type === 'Pass') numbers((state as { Result?: unknown }).Result);
    numbers(state.Assign);
  });
}

/** Numbers written in a piece of source text (a JSONata expression, a function of the run). */
function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(?<![\w.$])\d+(?:\.\d+)?(?![\w.])/g)) {
    const n = Number(m[0]);
    if (Number.isFinite(n)) out.push(n);
  }
  return out;
}

/**
 * The input fields a number is tried at, as steps ({@link choiceReads}): a JSONPath rule's field
 * under a Numeric… operator (`$.entry.amount`), and every input field a JSONata Condition reads,
 * also one it takes as a text, a list or an object: a number there is an input a user can send,
 * and `$length($states.input.coupon)` of one fails the Choice with States.QueryEvaluationError.
 */
function comparedFields(def: StateMachineDefinition): Step[][] {
  const out = new Map<string, Step[]>();
  for (const info of machineStates(def).values()) {
    for (const r of choiceReads(info)) {
      if (r.scope !== 'input' && r.scope !== 'raw') continue;
      const numeric = r.expect === 'number' || r.expect === 'numeric' || info.language === 'JSONata';
      if (numeric && r.steps.length > 0) out.set(JSON.stringify(r.steps), [...r.steps]);
    }
  }
  return [...out.values()];
}

/** A step into an input: a field's name, or an array's index. */
type Step = string | number;

/**
 * The paths of the numbers and of the arrays an input holds, through objects and each array's
 * first item (its other items are alike: a line of a cart), an array's index as a step.
 */
function inputPaths(v: JsonValue, at: Step[], depth: number, numbers: Step[][], arrays: Step[][]): void {
  if (depth < 0 || numbers.length + arrays.length >= MAX_FIELDS * 2) return;
  if (typeof v === 'number') {
    numbers.push(at);
  } else if (Array.isArray(v)) {
    arrays.push(at);
    if (v.length > 0) inputPaths(v[0], [...at, 0], depth - 1, numbers, arrays);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) inputPaths(x, [...at, k], depth - 1, numbers, arrays);
  }
}

/** The value at `path` of an input, undefined where there is none. @internal */
export function valueAt(v: JsonValue | undefined, path: readonly Step[]): JsonValue | undefined {
  let at = v;
  for (const step of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? (typeof step === 'number' ? at[step] : undefined) : Object.hasOwn(at, step) ? at[step] : undefined;
  }
  return at;
}

/** `input` with what `change` makes of the value at `path`, an object made in place of whatever else is on the way (an array's item changed in place). @internal */
export function withValue(input: JsonValue | undefined, path: readonly Step[], change: (old: JsonValue | undefined) => JsonValue): JsonValue {
  if (path.length === 0) return change(input);
  const [head, ...rest] = path;
  if (Array.isArray(input) && typeof head === 'number') return input.map((x, i) => (i === head ? withValue(x, rest, change) : x));
  const base = input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
  return { ...base, [head]: withValue(base[head], rest, change) };
}

/** The constants of the machine and of the properties' source, and one either side of each. */
function boundaryValues(def: StateMachineDefinition, propertySources: readonly string[]): Set<number> {
  const constants = new Set<number>();
  machineConstants(def, constants);
  for (const s of propertySources) for (const n of numbersIn(s)) constants.add(n);
  const values = new Set<number>();
  for (const c of [...constants].slice(0, MAX_CONSTANTS)) for (const v of [c - 1, c, c + 1]) values.add(v);
  return values;
}

/**
 * A step into a text that holds JSON (a model's reply, a child execution's `Output`, an object
 * read from S3 as text): the JSON is read, changed and written back as text.
 */
export const INSIDE_TEXT: unique symbol = Symbol('inside a JSON text');
/** A step into an answer: a field's name, an array's index, or into a JSON text. @internal */
export type AnswerStep = string | number | typeof INSIDE_TEXT;
/** The longest text read as JSON. */
const MAX_JSON_TEXT = 65_536;

/** The object or array a text holds as JSON, else undefined. @internal */
export function jsonInText(v: string): JsonValue | undefined {
  const t = v.trim();
  if (t.length > MAX_JSON_TEXT || !(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return JSON.parse(t) as JsonValue;
  } catch {
    return undefined;
  }
}

/** What an answer's value at a path is to the boundary probes: a number, a number written as text, an array. */
type AnswerKind = 'number' | 'text' | 'array';

/** A number written as text (a DynamoDB `N`, a Textract field's `Text`): what `$number` reads. @internal */
export const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;
/** The longest array an answer is made to hold. */
const MAX_ITEMS = 64;

/**
 * The paths of the numbers, numeric texts and non-empty arrays a value holds, through objects,
 * arrays and texts that hold JSON, at most `MAX_FIELDS` of the kinds asked for.
 */
function answerPaths(
  v: JsonValue, at: AnswerStep[], depth: number, kinds: ReadonlySet<AnswerKind>, out: Array<{ path: AnswerStep[]; kind: AnswerKind }>,
): void {
  if (depth < 0 || out.length >= MAX_FIELDS) return;
  const add = (kind: AnswerKind): void => {
    if (kinds.has(kind)) out.push({ path: at, kind });
  };
  if (typeof v === 'number') add('number');
  if (typeof v === 'string') {
    if (NUMERIC_TEXT.test(v)) add('text');
    const inner = jsonInText(v);
    // A text is a document of its own, looked into as deep as an answer (each one inside is shorter: it ends).
    if (inner !== undefined) answerPaths(inner, [...at, INSIDE_TEXT], ANSWER_DEPTH, kinds, out);
  } else if (Array.isArray(v)) {
    if (v.length > 0) add('array');
    v.forEach((x, i) => answerPaths(x, [...at, i], depth - 1, kinds, out));
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) answerPaths(x, [...at, k], depth - 1, kinds, out);
  }
}

/** `v` with the value at `path` (which holds one) replaced by what `change` makes of it; a JSON text written back as text. */
function withAt(v: JsonValue, path: readonly AnswerStep[], change: (old: JsonValue) => JsonValue): JsonValue {
  if (path.length === 0) return change(v);
  const [head, ...rest] = path;
  if (head === INSIDE_TEXT) return JSON.stringify(withAt(jsonInText(v as string) as JsonValue, rest, change));
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? withAt(x, rest, change) : x));
  const o = v as { [k: string]: JsonValue };
  return { ...o, [head]: withAt(o[head as string], rest, change) };
}

/** Lanes taken in turn, each one's items in order, so that a bound on the runs reaches every lane. @internal */
export function inTurn<T>(lanes: ReadonlyArray<readonly T[]>): T[] {
  const out: T[] = [];
  for (let round = 0; lanes.some((l) => round < l.length); round++) for (const l of lanes) if (round < l.length) out.push(l[round]);
  return out;
}

/**
 * The answers `make` changes from each of `bases`, taken in turn across the bases (each one's in
 * order), each with its base: a bound on the runs reaches every base, not the first one's alone.
 * @internal
 */
export function acrossBases<B>(
  bases: readonly B[], make: (base: B) => ReadonlyArray<Map<string, Outcome[]>>,
): Array<readonly [B, Map<string, Outcome[]>]> {
  return inTurn(bases.map((b) => make(b).map((a) => [b, a] as const)));
}

/** A set of answers made from a run's: one answer changed, the others copied. */
type Answers = Map<string, Outcome[]>;

/** The Resource of each Task of a definition, by state name: the model an answer to it is held to. @internal */
export function taskResources(def: StateMachineDefinition): Map<string, string> {
  const out = new Map<string, string>();
  forEachState(def, (name, state) => {
    if (state.Type === 'Task' && typeof state.Resource === 'string') out.set(name, state.Resource);
  });
  return out;
}

/**
 * The lane of one call's answer: `answers` with call `i` of `state` answered each value `valueFor`
 * makes of one of `values` (undefined, the answer itself, or one the model of the Task's
 * `resource` refuses: skipped), each set of answers once.
 */
function laneOf(
  answers: ReadonlyMap<string, readonly Outcome[]>, state: string, i: number, values: readonly number[],
  valueFor: (v: number) => JsonValue | undefined, seen: Set<string>, resource: string | undefined,
): Answers[] {
  const outcomes = answers.get(state) ?? [];
  const o = outcomes[i];
  const lane: Answers[] = [];
  if (o === undefined || o.kind !== 'return') return lane;
  const was = JSON.stringify(o.value);
  for (const v of values) {
    const value = valueFor(v);
    const key = `${state}\u0000${i}\u0000${JSON.stringify(value)}`;
    if (value === undefined || seen.has(key) || JSON.stringify(value) === was) continue;
    // Marked seen either way: the model refuses the same answer however it was made.
    seen.add(key);
    if (resource !== undefined && !modelAllowsPlaced(resource, o.value, value)) continue;
    const changed = [...outcomes];
    changed[i] = { ...o, value };
    lane.push(new Map([...answers].map(([k, list]) => [k, k === state ? changed : [...list]])));
  }
  return lane;
}

/**
 * Per number (or numeric text, or array) of each answer of `answers`, the answers with it changed
 * to each of `values` (`make` says into what, undefined to skip the value): one lane each, each
 * set of answers once.
 */
function answerLanes(
  answers: ReadonlyMap<string, readonly Outcome[]>, kinds: ReadonlySet<AnswerKind>, values: readonly number[],
  make: (kind: AnswerKind, old: JsonValue, v: number) => JsonValue | undefined, resources: ReadonlyMap<string, string>,
): Answers[][] {
  const lanes: Answers[][] = [];
  const seen = new Set<string>();
  for (const [state, outcomes] of answers) {
    outcomes.forEach((o, i) => {
      if (o === undefined || o.kind !== 'return') return;
      const paths: Array<{ path: AnswerStep[]; kind: AnswerKind }> = [];
      answerPaths(o.value, [], ANSWER_DEPTH, kinds, paths);
      for (const { path, kind } of paths) {
        const lane = laneOf(answers, state, i, values, (v) => {
          let skip = false;
          const value = withAt(o.value, path, (old) => {
            const made = make(kind, old, v);
            skip = made === undefined;
            return made ?? old;
          });
          return skip ? undefined : value;
        }, seen, resources.get(state));
        if (lane.length > 0) lanes.push(lane);
      }
    });
  }
  return lanes;
}

/**
 * Task answers to try beside a run's: the run's answers with one number of one answer set to a
 * boundary value (a constant of the machine or of the properties' source, or one either side),
 * a number inside a text that holds JSON too (a model's reply, a child execution's `Output`).
 * A Choice may compare what a Task answered, or a count or sum made of it (a moved constant
 * shows only at the original's boundary, which the search, bringing each rule to true and to
 * false, may step over); taken in turn across the numbers, each one's values in order, so that a
 * bound on the runs reaches every one; each set of answers once.
 * @internal
 */
export function boundaryAnswers(
  def: StateMachineDefinition, propertySources: readonly string[], answers: ReadonlyMap<string, readonly Outcome[]>,
): Array<Map<string, Outcome[]>> {
  const values = [...boundaryValues(def, propertySources)];
  return inTurn(answerLanes(answers, new Set(['number']), values, (_kind, _old, v) => v, taskResources(def)));
}

/** An array of `n` items: its first `n`, or its items with its last repeated up to `n`. */
const resized = (items: readonly JsonValue[], n: number): JsonValue[] =>
  n <= items.length ? items.slice(0, n) : [...items, ...Array.from({ length: n - items.length }, () => items[items.length - 1])];

/** What a read may be given a number for (a field copied on, or compared): not a text, JSON text, array or object it must be. */
const NUMBER_READS: ReadonlySet<Expect> = new Set<Expect>(['any', 'number', 'integer', 'positive', 'numeric']);

/** How a read field is given a number: as a number, or as its text where the service's model types the field a string. */
type Placing = 'number' | 'text';

/** The answer model's types a number may be placed at as it is. */
const NUMBER_TYPES: ReadonlySet<string> = new Set(['integer', 'number', 'any', 'json', 'document']);

/**
 * How a number is placed at `steps` of a Task's answer: as it is where no model describes the field
 * (a Lambda function's payload) or the model types it a number; as its text where the model types
 * it a string (a DynamoDB attribute's `N`, which AWS answers as text); not at all where the model
 * gives it another type. An answer the service never gives would break a property in a run AWS
 * cannot have: a counterexample no user can meet.
 */
function placingAt(resource: string, steps: ReadonlyArray<string | number>, mapped: boolean): Placing | undefined {
  const type = answerType(resource, steps, mapped);
  if (type === undefined || NUMBER_TYPES.has(type)) return 'number';
  return type === 'string' ? 'text' : undefined;
}

/**
 * Per Task, the paths in its answer that its ResultSelector, Output or Assign read from its result
 * and may take a number at: a read's steps with the runner's envelope (a Lambda invoke's `Payload`)
 * taken off, a read of the envelope itself left out; each with how its model says a number goes there
 * (a JSONata read's field of a list read from each of its items: `Items.count.N`, a DynamoDB `N`, a text).
 */
function answerReads(
  def: StateMachineDefinition, prefixOf: (resource: string) => ReadonlyArray<string | number>,
): Map<string, Array<{ path: Step[]; placing: Placing }>> {
  const out = new Map<string, Array<{ path: Step[]; placing: Placing }>>();
  for (const info of machineStates(def).values()) {
    const resource = info.def.Type === 'Task' ? info.def.Resource : undefined;
    if (typeof resource !== 'string') continue;
    const prefix = prefixOf(resource);
    const paths: Array<{ path: Step[]; placing: Placing }> = [];
    for (const r of readsOf(info)) {
      if (r.scope !== 'result' || !NUMBER_READS.has(r.expect) || r.steps.length <= prefix.length) continue;
      if (!prefix.every((s, i) => r.steps[i] === s)) continue;
      const placing = placingAt(resource, r.steps, info.language === 'JSONata');
      if (placing !== undefined) paths.push({ path: r.steps.slice(prefix.length) as Step[], placing });
    }
    if (paths.length > 0) out.set(info.name, paths.slice(0, MAX_FIELDS));
  }
  return out;
}

/**
 * `v` with `n` at `path`, objects and arrays made where `v` has none (an array's missing items
 * `{}`), undefined where an index is past `MAX_ITEMS`. A field's name where `v` is an array is
 * placed in each of its items (one `{}` made where it has none), as a JSONata path maps a step
 * over an array: `Items.count.N` reads the `N` of each item's `count`. @internal
 */
export function placed(v: JsonValue | undefined, path: readonly Step[], n: JsonValue): JsonValue | undefined {
  if (path.length === 0) return n;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    if (head > MAX_ITEMS) return undefined;
    const items: JsonValue[] = Array.isArray(v) ? [...v] : [];
    while (items.length < head) items.push({});
    const inner = placed(items[head], rest, n);
    if (inner === undefined) return undefined;
    items[head] = inner;
    return items;
  }
  if (Array.isArray(v)) {
    const items: JsonValue[] = [];
    for (const item of v.length > 0 ? v : [{}]) {
      const inner = placed(item, path, n);
      if (inner === undefined) return undefined;
      items.push(inner);
    }
    return items;
  }
  const o = v !== null && typeof v === 'object' ? v : {};
  const inner = placed(Object.hasOwn(o, head) ? o[head] : undefined, rest, n);
  return inner === undefined ? undefined : { ...o, [head]: inner };
}

/**
 * Per field a Task reads from its answer (its ResultSelector, Output or Assign) where an answer
 * of `answers` holds no number (the field missing, `{}` answered, a text there), the answers with
 * that field set to each of `values`: one lane each, each set of answers once. A rule compares
 * what the Task's reads copy on, and the search may never have answered a number there.
 */
function readLanes(
  def: StateMachineDefinition, prefixOf: (resource: string) => ReadonlyArray<string | number>,
  answers: ReadonlyMap<string, readonly Outcome[]>, values: readonly number[],
): Answers[][] {
  const reads = answerReads(def, prefixOf);
  const resources = taskResources(def);
  const lanes: Answers[][] = [];
  const seen = new Set<string>();
  for (const [state, outcomes] of answers) {
    outcomes.forEach((o, i) => {
      if (o === undefined || o.kind !== 'return') return;
      for (const { path, placing } of reads.get(state) ?? []) {
        const old = valueAt(o.value, path);
        if (typeof old === 'number' || (typeof old === 'string' && NUMERIC_TEXT.test(old))) continue;
        const lane = laneOf(answers, state, i, values, (v) => placed(o.value, path, placing === 'text' ? String(v) : v), seen, resources.get(state));
        if (lane.length > 0) lanes.push(lane);
      }
    });
  }
  return lanes;
}

/**
 * Task answers to try beside a run's, as {@link boundaryAnswers} but for the numbers an answer
 * holds as text (a DynamoDB `N`, a Textract field's `Text`, which `$number` reads) and for the
 * number of items an array of an answer holds (what a `$count` or a Map counts), inside a text
 * that holds JSON too, and for each field a Task reads from its answer where the answer holds no
 * number (`prefixOf` says where the runner puts an answer in a Task's result): one of them at a
 * time set to a boundary value, taken in turn across them (each one's values in order), so that a
 * bound on the runs reaches every one. Each set of answers once.
 * @internal
 */
export function boundaryShapes(
  def: StateMachineDefinition, propertySources: readonly string[], answers: ReadonlyMap<string, readonly Outcome[]>,
  prefixOf: (resource: string) => ReadonlyArray<string | number> = () => [],
): Array<Map<string, Outcome[]>> {
  const values = [...boundaryValues(def, propertySources)];
  return inTurn([
    ...answerLanes(answers, new Set(['text', 'array']), values, (kind, old, v) => {
      if (kind === 'text') return String(v);
      return Number.isInteger(v) && v >= 0 && v <= MAX_ITEMS ? resized(old as JsonValue[], v) : undefined;
    }, taskResources(def)),
    ...readLanes(def, prefixOf, answers, values),
  ]);
}

/**
 * Inputs to try beside the search's: each of `bases` with each boundary value (a constant of the
 * machine or of the properties' source, and one either side) at each field a Choice compares
 * numerically (where the base holds a number there, or nothing) or a number the base holds (an
 * array's first item's too), and with each array it holds made that many items long (what a
 * `$count`, `States.ArrayLength` or a Map counts: a rule over 20 parcels needs 21; an empty
 * array's items are `{}`); taken in turn across the bases' fields and arrays, each one's values
 * in order, so that a bound on the runs reaches every one; each input once, with the index of its
 * base.
 * @internal
 */
export function boundaryInputs(
  def: StateMachineDefinition, propertySources: readonly string[], bases: readonly JsonValue[],
): Array<{ readonly base: number; readonly input: JsonValue }> {
  const values = [...boundaryValues(def, propertySources)];
  const counts = values.filter((v) => Number.isInteger(v) && v >= 0 && v <= MAX_ITEMS);
  const seen = new Set(bases.map((b) => JSON.stringify(b)));
  const lanes: Array<Array<{ base: number; input: JsonValue }>> = [];
  const lane = (base: number, make: (v: number) => JsonValue, of: readonly number[]): void => {
    const out: Array<{ base: number; input: JsonValue }> = [];
    for (const v of of) {
      const input = make(v);
      const key = JSON.stringify(input);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ base, input });
    }
    if (out.length > 0) lanes.push(out);
  };
  const compared = comparedFields(def);
  for (const [b, base] of bases.entries()) {
    const fields: Step[][] = compared.filter((f) => ['number', 'undefined'].includes(typeof valueAt(base, f)));
    const arrays: Step[][] = [];
    inputPaths(base, [], DEPTH, fields, arrays);
    const distinct = new Map(fields.map((f) => [JSON.stringify(f), f]));
    for (const field of [...distinct.values()].slice(0, MAX_FIELDS)) lane(b, (v) => withValue(base, field, () => v), values);
    for (const at of arrays.slice(0, MAX_FIELDS)) {
      lane(b, (n) => withValue(base, at, (old) => {
        const items = old as JsonValue[];
        return resized(items.length > 0 ? items : [{}], n);
      }), counts);
    }
  }
  return inTurn(lanes);
}
