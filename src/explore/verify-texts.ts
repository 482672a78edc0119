import { answerShapeAt, modelAllowsPlaced } from './contract-answers';
import { machineStates } from './goals';
import { choiceReads, readsOf } from './reads';
import type { Outcome } from './runner';
import { parseJsonata, sampleMatching, stripDelimiters } from './solve/jsonata-ast';
import { INSIDE_TEXT, inTurn, jsonInText, type AnswerStep } from './verify-boundaries';
import { eachNode } from './verify-forms';
import type { ChoiceRule, JsonValue, StateMachineDefinition } from '../asl';
import { forEachState } from '../asl/state-tree';

/*
 * The texts at a property's edge. explore's search brings each Choice rule to true and to false
 * with the texts the rule itself names; a run predicate may ask about a text the rule does not
 * name (the rule was written with another constant, or compares a value the machine computes
 * from a text), so the search never makes it. verify therefore also tries, at each text of the
 * inputs of the search's runs and of what its Tasks answered, the texts the machine itself
 * writes (in its Choice rules, Assigns, Results, Arguments and Parameters, the keys of the
 * objects written there too: a lookup table's keys), the values the service's model lists for
 * an answer's field (an Athena query's State, a Glue job run's JobRunState), and texts of the
 * lengths a rule compares a `$length` with (c - 1, c, c + 1). These are only more runs: a
 * violation one of them shows is confirmed, as any, by running its counterexample again.
 */

/** Texts of the machine tried at most. */
const MAX_TEXTS = 16;
/** Values of a model's enum tried at most, per field. */
const MAX_ENUM = 16;
/** Text fields of one input or answer tried at most. */
const MAX_FIELDS = 12;
/** How deep into an input or answer its texts are looked for. */
const DEPTH = 5;
/** The longest text written into the machine that is tried (longer ones are messages, not values compared). */
const MAX_TEXT_LENGTH = 64;
/** The longest text made for a `$length` bound. */
const MAX_LENGTH = 4096;

/** The fields of a state whose values are written in the definition. */
const WRITTEN = new Set(['Assign', 'Result', 'Output', 'Arguments', 'Parameters']);
const STRING_OPERATORS = /^String(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)$/;
/** The numbers of an expression a text matched by its regular expressions may carry (a `$match` group compared with one). */
const NUMBER = /(?<![\w.$])\d+(?![\w.])/g;
const LENGTH_BOUND = /\$length\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:<=|>=|!=|<|>|=)\s*(\d+)/g;

/** A text a rule may compare, not a resource's name, a path or an expression. */
const usable = (s: string): boolean => s.length > 0 && s.length <= MAX_TEXT_LENGTH && !s.startsWith('arn:') && !s.includes('{%') && !s.startsWith('$');

/**
 * The string literals of a JSONata expression (`{% ... %}`), a text each of its regular expressions
 * matches (`$match`, `$contains`, `$replace`: one match, whose count a rule may compare; with the
 * expression's integers, and one either side, where a run of digits goes: `INV-500001` for a
 * group compared with 500000), and the lengths its `$length` comparisons name.
 */
function expressionTexts(text: string, out: Set<string>, lengths: Set<number>): void {
  const parsed = parseJsonata(stripDelimiters(text.trim()));
  if ('error' in parsed) return;
  const integers = [...text.matchAll(NUMBER)].map((m) => Number(m[0])).filter(Number.isSafeInteger);
  eachNode(parsed.ast, (n) => {
    if (n.type === 'string' && typeof n.value === 'string' && usable(n.value)) out.add(n.value);
    if (n.type === 'regex' && n.value instanceof RegExp) {
      for (const digits of [undefined, ...integers.flatMap((c) => [c + 1, c, c - 1]).filter((d) => d >= 0).map(String)]) {
        const sample = sampleMatching(n.value, digits);
        if (sample !== undefined && usable(sample)) out.add(sample);
      }
    }
  });
  for (const m of text.matchAll(LENGTH_BOUND)) lengths.add(Number(m[1]));
}

/** The texts a value written in the definition holds: its strings, its objects' keys, and the literals of its expressions. */
function valueTexts(v: unknown, out: Set<string>, lengths: Set<number>): void {
  if (typeof v === 'string') {
    if (v.trim().startsWith('{%')) expressionTexts(v, out, lengths);
    else if (usable(v)) out.add(v);
  } else if (Array.isArray(v)) {
    v.forEach((x) => valueTexts(x, out, lengths));
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (!k.endsWith('.$') && usable(k)) out.add(k);
      valueTexts(x, out, lengths);
    }
  }
}

/**
 * The texts at a StringMatches pattern's edge: the pattern with each `*` matching nothing, and what
 * comes before its first `*` (matched only where the pattern ends there: `v1.` for `v1.*`), with
 * its escapes (`\\*`, `\\\\`) read as the characters they stand for.
 */
function wildcardTexts(pattern: string): string[] {
  let text = '';
  let prefix: string | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) text += pattern[++i];
    else if (c === '*') prefix ??= text;
    else text += c;
  }
  return prefix === undefined ? [text] : [text, prefix];
}

/** The texts a JSONPath rule compares with. */
function ruleTexts(r: ChoiceRule | undefined, out: Set<string>, lengths: Set<number>): void {
  if (r === null || typeof r !== 'object') return;
  for (const [k, v] of Object.entries(r)) if (STRING_OPERATORS.test(k) && typeof v === 'string' && usable(v)) out.add(v);
  if (typeof r.StringMatches === 'string') for (const t of wildcardTexts(r.StringMatches)) if (usable(t)) out.add(t);
  if (typeof r.Condition === 'string') expressionTexts(r.Condition, out, lengths);
  const subs = [...(Array.isArray(r.And) ? r.And : []), ...(Array.isArray(r.Or) ? r.Or : []), ...(r.Not ? [r.Not] : [])];
  for (const sub of subs) ruleTexts(sub, out, lengths);
}

/**
 * The texts of a definition to try: its Choice rules', then texts of the lengths its `$length`
 * comparisons name, then those of its Assigns, Results, Outputs, Arguments and Parameters.
 * @internal
 */
export function machineTexts(def: StateMachineDefinition): string[] {
  const fromRules = new Set<string>();
  const written = new Set<string>();
  const lengths = new Set<number>();
  forEachState(def, (_name, state) => {
    if (state.Type === 'Choice') for (const r of state.Choices ?? []) ruleTexts(r, fromRules, lengths);
  });
  forEachState(def, (_name, state) => {
    for (const [field, v] of Object.entries(state)) if (WRITTEN.has(field)) valueTexts(v, written, lengths);
    if (state.Type === 'Choice') for (const r of state.Choices ?? []) valueTexts(r.Assign, written, lengths);
  });
  const texts = [...new Set([...fromRules, ...written])].slice(0, MAX_TEXTS);
  const sized: string[] = [];
  for (const c of lengths) {
    for (const n of [c - 1, c, c + 1]) if (n >= 1 && n <= MAX_LENGTH) sized.push('a'.repeat(n));
  }
  // A length a rule compares is the rules' own edge: it goes before the texts the machine writes,
  // which a bound on the runs may not reach (a coupon of one letter, where a rule asks for two).
  const ruled = texts.filter((t) => fromRules.has(t));
  return [...new Set([...ruled, ...sized, ...texts])];
}

/**
 * The paths of the texts a value holds, through objects and arrays (an array's index as a step)
 * and texts that hold JSON (a model's reply read with `$parse`: a text inside is a text the
 * machine compares, and its length one a rule counts).
 */
function textPaths(v: JsonValue, at: AnswerStep[], depth: number, out: AnswerStep[][]): void {
  if (depth < 0 || out.length >= MAX_FIELDS) return;
  if (typeof v === 'string') {
    out.push(at);
    const inner = jsonInText(v);
    if (inner !== undefined) textPaths(inner, [...at, INSIDE_TEXT], depth - 1, out);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => textPaths(x, [...at, i], depth - 1, out));
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) textPaths(x, [...at, k], depth - 1, out);
  }
}

/** Whether a Task answered a text in one of these calls. @internal */
export function answersHoldText(calls: ReadonlyMap<string, readonly Outcome[]>): boolean {
  for (const outcomes of calls.values()) {
    for (const o of outcomes) {
      if (o === undefined || o.kind !== 'return') continue;
      const paths: AnswerStep[][] = [];
      textPaths(o.value, [], DEPTH, paths);
      if (paths.length > 0) return true;
    }
  }
  return false;
}

/** `v` with `value` at `path`, an object made in place of whatever else is on the way; a JSON text written back as text. */
function withTextAt(v: JsonValue | undefined, path: readonly AnswerStep[], value: string): JsonValue {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (head === INSIDE_TEXT) return JSON.stringify(withTextAt(typeof v === 'string' ? jsonInText(v) : undefined, rest, value));
  if (Array.isArray(v) && typeof head === 'number') return v.map((x, i) => (i === head ? withTextAt(x, rest, value) : x));
  const o = v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
  return { ...o, [head]: withTextAt(o[head as string], rest, value) };
}

/**
 * The input fields the machine reads by a plain path (what its states read, {@link readsOf}, and
 * its Choice rules, {@link choiceReads}), as steps: a text may go where none is yet.
 */
function readFields(def: StateMachineDefinition): AnswerStep[][] {
  const out = new Map<string, AnswerStep[]>();
  for (const info of machineStates(def).values()) {
    for (const r of [...readsOf(info), ...choiceReads(info)]) {
      if (out.size >= MAX_FIELDS) break;
      if ((r.scope === 'input' || r.scope === 'raw') && r.steps.length > 0) out.set(JSON.stringify(r.steps), [...r.steps]);
    }
  }
  return [...out.values()];
}

/**
 * Inputs to try beside the search's: each of `bases` with one of its texts, or a field the
 * machine reads by a plain path, set to one of the machine's texts ({@link machineTexts}), taken
 * in turn across them, each with the index of its base; each input once.
 * @internal
 */
export function textInputs(def: StateMachineDefinition, bases: readonly JsonValue[]): Array<{ readonly base: number; readonly input: JsonValue }> {
  const texts = machineTexts(def);
  if (texts.length === 0) return [];
  const seen = new Set(bases.map((b) => JSON.stringify(b)));
  const lanes: Array<Array<{ base: number; input: JsonValue }>> = [];
  const read = readFields(def);
  for (const [b, base] of bases.entries()) {
    const paths: AnswerStep[][] = [];
    textPaths(base, [], DEPTH, paths);
    const held = new Set(paths.map((p) => JSON.stringify(p)));
    for (const f of read) if (!held.has(JSON.stringify(f)) && paths.length < MAX_FIELDS * 2) paths.push(f);
    for (const path of paths) {
      const lane: Array<{ base: number; input: JsonValue }> = [];
      for (const t of texts) {
        const input = withTextAt(base, path, t);
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

/**
 * Task answers to try beside the runs' of `bases`: a base's answers with one text of one answer
 * set to one of the values its service's model lists for that field, or else one of the machine's
 * texts; taken in turn across the texts of every base (the fields a model lists values for first:
 * a status is what a Choice compares), each with the index of its base; each set of answers once.
 * @internal
 */
export function textAnswers(
  def: StateMachineDefinition, resources: ReadonlyMap<string, string>, bases: ReadonlyArray<ReadonlyMap<string, readonly Outcome[]>>,
): Array<{ readonly base: number; readonly answers: ReadonlyMap<string, readonly Outcome[]> }> {
  const texts = machineTexts(def);
  const listedLanes: Array<Array<{ base: number; answers: Map<string, Outcome[]> }>> = [];
  const otherLanes: Array<Array<{ base: number; answers: Map<string, Outcome[]> }>> = [];
  const seen = new Set<string>();
  for (const [b, answers] of bases.entries()) {
    for (const [state, outcomes] of answers) {
      const resource = resources.get(state);
      outcomes.forEach((o, i) => {
        if (o === undefined || o.kind !== 'return') return;
        const paths: AnswerStep[][] = [];
        textPaths(o.value, [], DEPTH, paths);
        for (const path of paths) {
          // A field inside a JSON text is the text's own, which no service model describes.
          const modelled = path.every((s): s is string | number => s !== INSIDE_TEXT) ? path : undefined;
          const shape = resource === undefined || modelled === undefined ? undefined : answerShapeAt(resource, modelled);
          const listed = shape !== undefined && 'enum' in shape && shape.enum !== undefined ? shape.enum.slice(0, MAX_ENUM) : [];
          const lane: Array<{ base: number; answers: Map<string, Outcome[]> }> = [];
          // A field the model lists the values of takes no other (a mock outside them fails the Task).
          for (const t of listed.length > 0 ? listed : texts) {
            const value = withTextAt(o.value, path, t);
            const key = `${b}\u0000${state}\u0000${i}\u0000${JSON.stringify(value)}`;
            if (seen.has(key) || JSON.stringify(value) === JSON.stringify(o.value)) continue;
            seen.add(key);
            // A text the model refuses there (one longer than the field allows) is no answer AWS gives.
            if (resource !== undefined && !modelAllowsPlaced(resource, o.value, value)) continue;
            const changed = [...outcomes];
            changed[i] = { ...o, value };
            lane.push({ base: b, answers: new Map([...answers].map(([k, list]) => [k, k === state ? changed : [...list]])) });
          }
          if (lane.length > 0) (listed.length > 0 ? listedLanes : otherLanes).push(lane);
        }
      });
    }
  }
  return [...inTurn(listedLanes), ...inTurn(otherLanes)];
}

/** A run the text probes start from: its input and what its Tasks answered. @internal */
export interface TextBase { readonly input: JsonValue; readonly calls: ReadonlyMap<string, readonly Outcome[]> }

/** A run's answers, with those of the runs that called each Task it did not call. @internal */
export function answersWithCallers(base: TextBase, callers: ReadonlyMap<string, TextBase>): Map<string, readonly Outcome[]> {
  const answers = new Map<string, readonly Outcome[]>(base.calls);
  for (const [state, c] of callers) {
    const outcomes = c.calls.get(state);
    if (outcomes && !answers.has(state)) answers.set(state, outcomes);
  }
  return answers;
}

/**
 * The runs the text probes make from `bases`, as [input, answers]: at most `most` with a text of
 * the input changed (each answered as `answersOf` its base), then at most `mostAnswers` with a
 * text of an answer changed.
 * @internal
 */
export function textRuns(
  def: StateMachineDefinition, bases: readonly TextBase[], answersOf: (base: TextBase) => ReadonlyMap<string, readonly Outcome[]>,
  most: number, mostAnswers: number,
): Array<readonly [JsonValue, ReadonlyMap<string, readonly Outcome[]>]> {
  const resources = new Map<string, string>();
  forEachState(def, (name, s) => {
    if (s.Type === 'Task' && typeof s.Resource === 'string') resources.set(name, s.Resource);
  });
  return [
    ...textInputs(def, bases.map((b) => b.input)).slice(0, most).map(({ base, input }) => [input, answersOf(bases[base])] as const),
    ...textAnswers(def, resources, bases.map((b) => b.calls)).slice(0, mostAnswers).map(({ base, answers }) => [bases[base].input, answers] as const),
  ];
}
