import { answerShapeAt, modelAllowsPlaced } from './contract-answers';
import { machineStates } from './goals';
import { choiceReads, readsOf } from './reads';
import type { Outcome } from './runner';
import { parseJsonata, sampleMatching, stripDelimiters, type JsonataNode } from './solve/jsonata-ast';
import { modelAllows, type AnswerFields, type FieldRead } from './verify-answer-fields';
import type { RuleReadTogether } from './verify-asks';
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
/** How deep into an input or answer its texts are looked for (a model's reply: `Body.output.message.content[0].text`). */
const DEPTH = 8;
/** The longest text written into the machine that is tried (longer ones are messages, not values compared). */
const MAX_TEXT_LENGTH = 64;
/** The longest text made for a `$length` bound. */
const MAX_LENGTH = 4096;

/** The fields of a state whose values are written in the definition. */
const WRITTEN = new Set(['Assign', 'Result', 'Output', 'Arguments', 'Parameters']);
const STRING_OPERATORS = /^String(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)$/;
/** The numbers of an expression a text matched by its regular expressions may carry (a `$match` group compared with one). */
const NUMBER = /(?<![\w.$])\d+(?![\w.])/g;
/** The JSONata operators that compare two values: a text on one side is one the machine compares. */
const COMPARISON: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=', 'in']);
const LENGTH_BOUND = /\$length\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:<=|>=|!=|<|>|=)\s*(\d+)/g;

/** A text a rule may compare, not a resource's name, a path or an expression. */
const usable = (s: string): boolean => s.length > 0 && s.length <= MAX_TEXT_LENGTH && !s.startsWith('arn:') && !s.includes('{%') && !s.startsWith('$');

/**
 * The string literals of a JSONata expression (`{% ... %}`), a text each of its regular expressions
 * matches (`$match`, `$contains`, `$replace`: one match, whose count a rule may compare; with the
 * expression's integers, and one either side, where a run of digits goes: `INV-500001` for a
 * group compared with 500000), and the lengths its `$length` comparisons name.
 */
function expressionTexts(text: string, out: Set<string>, lengths: Set<number>, compared?: Set<string>): void {
  const parsed = parseJsonata(stripDelimiters(text.trim()));
  if ('error' in parsed) return;
  const integers = [...text.matchAll(NUMBER)].map((m) => Number(m[0])).filter(Number.isSafeInteger);
  eachNode(parsed.ast, (n) => {
    if (n.type === 'string' && typeof n.value === 'string' && usable(n.value)) out.add(n.value);
    if (compared && n.type === 'binary' && typeof n.value === 'string' && COMPARISON.has(n.value)) {
      for (const side of [n.lhs, n.rhs]) for (const t of textsOf(side)) if (usable(t)) compared.add(t);
    }
    if (n.type === 'regex' && n.value instanceof RegExp) {
      for (const digits of [undefined, ...integers.flatMap((c) => [c + 1, c, c - 1]).filter((d) => d >= 0).map(String)]) {
        const sample = sampleMatching(n.value, digits);
        if (sample !== undefined && usable(sample)) out.add(sample);
      }
    }
  });
  for (const m of text.matchAll(LENGTH_BOUND)) lengths.add(Number(m[1]));
}

/**
 * The texts a value written in the definition holds: its strings, its objects' keys, and the
 * literals of its expressions; those its expressions compare a value with also in `compared`.
 */
function valueTexts(v: unknown, out: Set<string>, lengths: Set<number>, compared: Set<string>): void {
  if (typeof v === 'string') {
    if (v.trim().startsWith('{%')) expressionTexts(v, out, lengths, compared);
    else if (usable(v)) out.add(v);
  } else if (Array.isArray(v)) {
    v.forEach((x) => valueTexts(x, out, lengths, compared));
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (!k.endsWith('.$') && usable(k)) out.add(k);
      valueTexts(x, out, lengths, compared);
    }
  }
}

/** A JSONata node's texts: a string literal's, or those of an array constructor's string items (`x in ['a', 'b']`). */
function textsOf(node: JsonataNode | undefined): string[] {
  if (node?.type === 'string' && typeof node.value === 'string') return [node.value];
  if (node?.type === 'unary' && node.value === '[' && Array.isArray(node.expressions)) return node.expressions.flatMap((e: JsonataNode) => textsOf(e));
  return [];
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
 * The fields of the answers the text probes place texts at beyond those an answer holds (`reads`,
 * per Task), and per field a Choice rule reads (keyed `JSON.stringify([state, steps])`) the texts
 * of the rules that read it, tried there first.
 * @internal
 */
export interface TextFields {
  readonly reads: AnswerFields;
  readonly ruled: ReadonlyMap<string, readonly string[]>;
  /**
   * Per Task, the fields inside a JSON text of its answer the Choice rules read through `$parse`
   * (a model's reply: `Body.content[0].text` holding `{"answer": …}`), as steps through the text.
   */
  readonly inside?: ReadonlyMap<string, ReadonlyArray<readonly AnswerStep[]>>;
}

/** The key of a field of a Task's answer in {@link TextFields.ruled}: a step into a JSON text written as `{"json": true}`. @internal */
export function fieldKey(state: string, path: readonly AnswerStep[]): string {
  return JSON.stringify([state, path.map((s) => (s === INSIDE_TEXT ? { json: true } : s))]);
}

/** A field read's steps through its answer, into the JSON text the rules `$parse` where they do. */
const readPath = (r: FieldRead): AnswerStep[] => (r.inner ? [...r.steps, INSIDE_TEXT, ...r.inner] : [...r.steps]);

/** Per Task, the fields of `reads` inside a JSON text of its answer ({@link TextFields.inside}). @internal */
export function insideFieldsOf(reads: readonly FieldRead[]): Map<string, AnswerStep[][]> {
  const out = new Map<string, AnswerStep[][]>();
  for (const r of reads) {
    if (!r.inner) continue;
    const list = out.get(r.state) ?? [];
    list.push(readPath(r));
    out.set(r.state, list);
  }
  return out;
}

/**
 * The variables a rule reads (`$banned`) that an Assign of the machine sets to a value written in
 * the definition: the texts it holds are texts the rule compares (a list of forbidden words).
 */
function assignedTexts(def: StateMachineDefinition | undefined, rule: ChoiceRule, out: Set<string>, lengths: Set<number>): void {
  if (def === undefined || typeof rule.Condition !== 'string') return;
  const parsed = parseJsonata(stripDelimiters(rule.Condition.trim()));
  if ('error' in parsed) return;
  const names = new Set<string>();
  eachNode(parsed.ast, (n) => {
    if (n.type === 'variable' && typeof n.value === 'string' && n.value !== '' && n.value !== 'states') names.add(n.value);
  });
  if (names.size === 0) return;
  const take = (assign: unknown): void => {
    if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) return;
    for (const [k, v] of Object.entries(assign)) if (names.has(k) && !(typeof v === 'string' && v.trim().startsWith('{%'))) valueTexts(v, out, lengths, new Set());
  };
  forEachState(def, (_name, state) => {
    take((state as { Assign?: unknown }).Assign);
    if (state.Type === 'Choice') for (const r of state.Choices ?? []) take(r.Assign);
  });
}

/** Texts of the lengths a `$length` comparison names: one either side of it and at it. */
function sizedTexts(lengths: ReadonlySet<number>): string[] {
  const out: string[] = [];
  for (const c of lengths) for (const n of [c + 1, c, c - 1]) if (n >= 1 && n <= MAX_LENGTH) out.push('a'.repeat(n));
  return out;
}

/**
 * Per field of `reads`, the texts the rules reading it name (their literals, a text each regular
 * expression matches, the texts of a variable set to a value written in `def` they read, texts of
 * the lengths their `$length` comparisons name), keyed as {@link TextFields}'s ({@link fieldKey}).
 * @internal
 */
export function textsOfRulesRead(reads: readonly FieldRead[], def?: StateMachineDefinition): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of reads) {
    // Each rule's texts in turn: at a field two rules read (a forbidden word, a length), neither waits behind the other's.
    const perRule = r.rules.map((rule) => {
      const texts = new Set<string>();
      const lengths = new Set<number>();
      ruleTexts(rule as ChoiceRule, texts, lengths);
      assignedTexts(def, rule as ChoiceRule, texts, lengths);
      return [...[...texts].slice(0, MAX_TEXTS), ...sizedTexts(lengths)];
    });
    const all = [...new Set(inTurn(perRule))];
    if (all.length > 0) out.set(fieldKey(r.state, readPath(r)), all);
  }
  return out;
}

/**
 * The texts of a definition to try: its Choice rules', then texts of the lengths its `$length`
 * comparisons name, then those of its Assigns, Results, Outputs, Arguments and Parameters.
 * @internal
 */
export function machineTexts(def: StateMachineDefinition): string[] {
  const fromRules = new Set<string>();
  const written = new Set<string>();
  const compared = new Set<string>();
  const lengths = new Set<number>();
  forEachState(def, (_name, state) => {
    if (state.Type === 'Choice') for (const r of state.Choices ?? []) ruleTexts(r, fromRules, lengths);
  });
  forEachState(def, (_name, state) => {
    for (const [field, v] of Object.entries(state)) if (WRITTEN.has(field)) valueTexts(v, written, lengths, compared);
    if (state.Type === 'Choice') for (const r of state.Choices ?? []) valueTexts(r.Assign, written, lengths, compared);
  });
  // A text an expression compares a value with (`$states.result[status = 'FAILED']`) before one it only writes (a key, a message).
  const texts = [...new Set([...fromRules, ...[...written].filter((t) => compared.has(t)), ...written])].slice(0, MAX_TEXTS);
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
  // A first item where no array is yet is one (`content[0]` of an object reads the object itself, not a key `0`).
  if (head === 0) return [withTextAt(undefined, rest, value)];
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
 * Task answers to try beside the runs' of `bases`: a base's answers with one text of one answer,
 * or one of the fields `reads` names for its Task that it does not hold (a status the machine
 * reads from an answer of `{}`) where the service's model allows a text, set to one of the values
 * its service's model lists for that field, or else one of the machine's texts (at a field a
 * Choice rule reads, the texts that rule names first); taken in turn across the texts of every
 * base (the fields a Choice rule reads first, then those a model lists values for: a status is
 * what a Choice compares), each with the index of its base; each set of answers once.
 * @internal
 */
export function textAnswers(
  def: StateMachineDefinition, resources: ReadonlyMap<string, string>, bases: ReadonlyArray<ReadonlyMap<string, readonly Outcome[]>>,
  fields: TextFields, prefixOf: (resource: string) => ReadonlyArray<string | number>,
): Array<{ readonly base: number; readonly answers: ReadonlyMap<string, readonly Outcome[]>; readonly ruled?: true }> {
  const texts = machineTexts(def);
  const { reads, ruled } = fields;
  const ruledLanes: Array<Array<{ base: number; answers: Map<string, Outcome[]> }>> = [];
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
        const held = new Set([...paths.map((p) => JSON.stringify(p)), ...paths.map((p) => fieldKey(state, p))]);
        for (const f of reads.get(state) ?? []) {
          if (resource === undefined || held.has(JSON.stringify(f)) || !modelAllows(resource, [...prefixOf(resource), ...f], 'text')) continue;
          held.add(JSON.stringify(f));
          paths.push([...f]);
        }
        // A field of the JSON a text holds that a rule reads through `$parse`, where the model allows a text that holds it.
        for (const f of fields.inside?.get(state) ?? []) {
          const text = f.slice(0, f.indexOf(INSIDE_TEXT)) as Array<string | number>;
          const key = fieldKey(state, f);
          if (resource === undefined || held.has(key) || !modelAllows(resource, [...prefixOf(resource), ...text], 'text')) continue;
          held.add(key);
          paths.push([...f]);
        }
        for (const path of paths) {
          // A field inside a JSON text is the text's own, which no service model describes.
          const modelled = path.every((s): s is string | number => s !== INSIDE_TEXT) ? path : undefined;
          const shape = resource === undefined || modelled === undefined ? undefined : answerShapeAt(resource, modelled);
          const listed = shape !== undefined && 'enum' in shape && shape.enum !== undefined ? shape.enum.slice(0, MAX_ENUM) : [];
          const lane: Array<{ base: number; answers: Map<string, Outcome[]> }> = [];
          const first = ruled.get(fieldKey(state, path));
          // A field the model lists the values of takes no other (a mock outside them fails the Task).
          for (const t of listed.length > 0 ? listed : first ? new Set([...first, ...texts]) : texts) {
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
          if (lane.length > 0) (listed.length > 0 ? listedLanes : first ? ruledLanes : otherLanes).push(lane);
        }
      });
    }
  }
  return [...inTurn(ruledLanes).map((r) => ({ ...r, ruled: true as const })), ...inTurn(listedLanes), ...inTurn(otherLanes)];
}

/** A run the text probes start from: its input and what its Tasks answered. @internal */
export interface TextBase {
  readonly input: JsonValue;
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
  /** The states its run entered: a probe's run from it is followed a little further (verify-probes' probeStates). */
  readonly states?: number;
}

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
 * text of an answer, or a field of `fields` it lacks, changed.
 * @internal
 */
export function textRuns(
  def: StateMachineDefinition, bases: readonly TextBase[], answersOf: (base: TextBase) => ReadonlyMap<string, readonly Outcome[]>,
  most: number, mostAnswers: number, fields: TextFields, prefixOf: (resource: string) => ReadonlyArray<string | number>,
): Array<readonly [JsonValue, ReadonlyMap<string, readonly Outcome[]>, TextBase]> {
  const resources = new Map<string, string>();
  forEachState(def, (name, s) => {
    if (s.Type === 'Task' && typeof s.Resource === 'string') resources.set(name, s.Resource);
  });
  return [
    ...textInputs(def, bases.map((b) => b.input)).slice(0, most).map(({ base, input }) => [input, answersOf(bases[base]), bases[base]] as const),
    // A Task the changed text sends the run to, which its base did not call, answered as `answersOf` answers it (the callers').
    ...cappedApart(textAnswers(def, resources, bases.map((b) => b.calls), fields, prefixOf), mostAnswers)
      .map(({ base, answers }) => [bases[base].input, answersOf({ input: bases[base].input, calls: answers }), bases[base]] as const),
  ];
}

/**
 * At most `most` of the answers placing a text a Choice rule names at a field it reads, and at
 * most `most` of the rest: a rule's own texts at the fields it reads (several per rule, inside a
 * model's JSON reply too) do not crowd out the machine's other texts, nor they them.
 */
function cappedApart<T extends { readonly ruled?: true }>(all: readonly T[], most: number): T[] {
  const ruled = all.filter((a) => a.ruled === true).slice(0, most);
  return [...ruled, ...all.filter((a) => a.ruled !== true).slice(0, most)];
}

/** Texts of one rule placed at each place it reads at once: at most this many per place. */
const TOGETHER_TEXTS = 4;
/** Sets of places one rule's texts fill at once, per base, at most. */
const TOGETHER_SETS = 64;

/**
 * The runs that place a rule's texts at every place it reads at once, for each rule that reads
 * two or more ({@link RuleReadTogether}): `$decision = 'APPROVED' and $match($approver, …)` is
 * true only with both, which the text probes, one field at a time, never make from a run that
 * had neither. Each base that answered every Task call the rule reads gives the sets of its
 * texts (its literals, a text each regular expression matches, the texts of a constant it reads
 * from a variable), taken in turn across the rules and bases, at most `most`; an answer the
 * service's model refuses is not made, and a Task a change sends the run to is answered as
 * `answersOf` answers it.
 * @internal
 */
export function togetherRuns(
  def: StateMachineDefinition, bases: readonly TextBase[], together: readonly RuleReadTogether[],
  answersOf: (base: TextBase) => ReadonlyMap<string, readonly Outcome[]>, most: number,
): Array<readonly [JsonValue, ReadonlyMap<string, readonly Outcome[]>, TextBase]> {
  const resources = new Map<string, string>();
  forEachState(def, (name, s) => {
    if (s.Type === 'Task' && typeof s.Resource === 'string') resources.set(name, s.Resource);
  });
  const lanes: Array<Array<readonly [JsonValue, ReadonlyMap<string, readonly Outcome[]>, TextBase]>> = [];
  const seen = new Set<string>();
  for (const { rule, places } of together) {
    const texts = new Set<string>();
    ruleTexts(rule as ChoiceRule, texts, new Set());
    assignedTexts(def, rule as ChoiceRule, texts, new Set());
    const tried = [...texts].slice(0, TOGETHER_TEXTS);
    if (tried.length === 0) continue;
    // Every choice of one text per place, the first place's changing slowest, at most TOGETHER_SETS.
    const sets: string[][] = [];
    const fill = (at: number, chosen: string[]): void => {
      if (sets.length >= TOGETHER_SETS) return;
      if (at === places.length) {
        sets.push(chosen);
        return;
      }
      for (const t of tried) fill(at + 1, [...chosen, t]);
    };
    fill(0, []);
    for (const base of bases) {
      const lane: Array<readonly [JsonValue, ReadonlyMap<string, readonly Outcome[]>, TextBase]> = [];
      if (places.some((p) => p.kind === 'task' && base.calls.get(p.state)?.[p.invocation]?.kind !== 'return')) continue;
      for (const set of sets) {
        let input = base.input;
        const calls = new Map<string, Outcome[]>([...base.calls].map(([k, v]) => [k, [...v]]));
        let refused = false;
        places.forEach((p, i) => {
          if (p.kind === 'input') {
            input = withTextAt(input, p.steps, set[i]);
            return;
          }
          const list = calls.get(p.state)!;
          const o = list[p.invocation];
          if (o?.kind !== 'return') return;
          const value = withTextAt(o.value, p.steps, set[i]);
          const resource = resources.get(p.state);
          if (resource !== undefined && !modelAllowsPlaced(resource, o.value, value)) refused = true;
          list[p.invocation] = { ...o, value };
        });
        const key = JSON.stringify([input, [...calls]]);
        if (refused || seen.has(key)) continue;
        seen.add(key);
        lane.push([input, answersOf({ input, calls }), base] as const);
      }
      if (lane.length > 0) lanes.push(lane);
    }
  }
  return inTurn(lanes).slice(0, most);
}
