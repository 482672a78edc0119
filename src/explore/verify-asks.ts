import { choicePaths, leversOf } from './choices';
import { describeSteps } from './context';
import { machineStates } from './goals';
import { Provenance } from './provenance';
import { parseBindingPath } from './solve';
import type { Source } from './sources';
import type { FieldRead } from './verify-answer-fields';
import { readVisits } from './visits';
import type { ChoiceRule, ChoiceState, QueryLanguage, StateMachineDefinition } from '../asl';
import type { ExecutionResult } from '../interpreter';

/*
 * What an UNKNOWN asks for, where verify cannot read the property (a function of the run): the
 * value it asks about may be one no rule of the machine names, which the search cannot make up.
 * The reason then says where a user gives it: each place a Choice rule reads that a test writes
 * (a Task's answer, as its mocks give it, or a field of the execution input), followed back
 * through the run (explore's provenance), with the rule that reads it, which says what it is
 * compared with.
 */

/** Places named at most in one reason. */
const MAX_PLACES = 6;
/** A rule quoted up to this many characters. */
const RULE_CHARS = 80;

/** One place a Choice rule reads that a test writes, in words. */
interface Place {
  readonly where: string;
  readonly rule: string;
}

/** A rule as the reason quotes it: its JSONata Condition, else the JSONPath rule as JSON. @internal */
export function ruleText(rule: unknown): string {
  const r = rule as { Condition?: unknown; Next?: unknown };
  const text = typeof r.Condition === 'string' ? r.Condition : JSON.stringify({ ...r, Next: undefined });
  return text.length > RULE_CHARS ? `${text.slice(0, RULE_CHARS - 1)}…` : text;
}

/** Where a source is, in the words of what a test gives: a Task's mock (its envelope taken off) or the input. */
function placeOf(s: Source, prefixOf: (state: string) => readonly (string | number)[]): string | undefined {
  if (s.kind === 'input') return `the input at $${describeSteps(s.steps).replace('(the whole value)', '')}`;
  if (s.kind === 'cause') return `the ${s.field === 'Error' ? 'name' : 'Cause'} of the error '${s.state}' raises (its mock's Throw)`;
  if (s.kind !== 'task') return undefined;
  const prefix = prefixOf(s.state);
  const steps = prefix.every((p, i) => s.steps[i] === p) ? s.steps.slice(prefix.length) : s.steps;
  return `the answer of '${s.state}' at ${describeSteps(steps)} (its mock's Return)`;
}

/** A place a Choice rule reads that a test writes, followed back through a run. @internal */
export interface RulePlace {
  /** The Choice. */
  readonly choice: string;
  /** The rule's index in its Choices. */
  readonly rule: number;
  /** The rule as a reason quotes it. */
  readonly text: string;
  /** Where a test gives the value, in words. */
  readonly where: string;
  /** Where the value comes from: the input, or a Task call's answer. */
  readonly source: Source;
  /**
   * Where the rule reads inside the JSON text at `source`, when the value is that text read with
   * `$parse` (a model's reply): `['answer']` for `$verdict.answer` after `verdict: $parse(…text)`.
   */
  readonly inner?: readonly (string | number)[];
}

/**
 * The text a value was read from with `$parse` and the steps read inside it: a JSONata expression
 * that is `$parse` of one place a test writes, with the steps the rule reads under its value.
 */
function parsedFrom(s: Source): { readonly source: Source; readonly inner: readonly (string | number)[] } | undefined {
  const c = s.kind === 'fixed' ? s.computed : undefined;
  const node = c?.params?.jsonata?.node;
  if (c?.fn !== 'JSONata' || c.args.length !== 1 || node?.type !== 'function' || node.procedure?.value !== 'parse') return undefined;
  // The one field the expression reads is what `$parse` reads; the value sits at `at` of the expression's (`{'pricing': $parse(…)}`).
  const at = c.params?.jsonata?.at ?? [];
  if ((node.arguments?.length ?? 0) !== 1 || !at.every((x, i) => c.steps[i] === x)) return undefined;
  const arg = c.args[0];
  const inner = c.steps.slice(at.length);
  if (arg.kind !== 'source' || (arg.source.kind !== 'task' && arg.source.kind !== 'input') || inner.length === 0) return undefined;
  return { source: arg.source, inner };
}

/**
 * Which of a rule's paths {@link rulePlaces} follows back (all it reads, where absent), and
 * whether only to the places that hold the value it reads (`direct`), not to those a value it
 * reads is computed from.
 * @internal
 */
export interface RuleReads {
  readonly paths: (rule: ChoiceRule, language: QueryLanguage) => readonly string[];
  readonly direct?: true;
}

/**
 * Every place the Choice rules of `runs` read that a test writes (each Choice's first visit in
 * the first run that entered it), per rule, in the rules' order.
 * @internal
 */
export function rulePlaces(
  def: StateMachineDefinition, runs: readonly ExecutionResult[], prefixOf: (resource: string) => readonly (string | number)[],
  only?: RuleReads,
): RulePlace[] {
  const states = machineStates(def);
  const resourceOf = (state: string): readonly (string | number)[] => {
    const d = states.get(state)?.def;
    return d?.Type === 'Task' && typeof d.Resource === 'string' ? prefixOf(d.Resource) : [];
  };
  const out: RulePlace[] = [];
  const judged = new Set<string>();
  for (const run of runs) {
    if (run.history.length === 0) continue;
    const read = readVisits(run.history);
    const prov = new Provenance(states, prefixOf, read.visits);
    for (const [name, visits] of read.byState) {
      const info = states.get(name);
      if (judged.has(name) || info?.def.Type !== 'Choice' || visits.length === 0) continue;
      judged.add(name);
      const choice: ChoiceState = info.def;
      (choice.Choices ?? []).forEach((rule, i) => {
        const seen = new Set<string>();
        for (const path of only ? only.paths(rule, info.language) : choicePaths({ ...choice, Choices: [rule] }, 1, info.language)) {
          const parsed = parseBindingPath(path);
          if ('error' in parsed) continue;
          const source = prov.scope(visits[0], parsed.root.kind === 'variable' ? { variable: parsed.root.name } : parsed.root.kind, parsed.steps);
          // Only the places that hold the value the rule reads, not those a value it reads is computed from.
          if (only?.direct && source.kind === 'fixed') continue;
          const text = parsedFrom(source);
          if (text) {
            const at = placeOf(text.source, resourceOf);
            const where = at === undefined ? undefined : `${at}, inside the JSON text it holds at ${describeSteps(text.inner)}`;
            if (where !== undefined && !seen.has(where)) {
              seen.add(where);
              out.push({ choice: name, rule: i, text: ruleText(rule), where, source: text.source, inner: text.inner });
            }
            // The rule compares what the text holds, not the text: a value placed there goes inside it.
            continue;
          }
          for (const s of source.kind === 'fixed' ? leversOf(source) : [source]) {
            const where = placeOf(s, resourceOf);
            if (where === undefined || seen.has(where)) continue;
            seen.add(where);
            out.push({ choice: name, rule: i, text: ruleText(rule), where, source: s });
          }
        }
      });
    }
  }
  return out;
}

/**
 * The places the Choice rules of `runs` read that a test writes (each Choice's first visit in
 * the first run that entered it), each with the first rule that reads it: at most `MAX_PLACES`,
 * with the number left out. Empty when the rules read nothing a test gives.
 * @internal
 */
export function placesRulesRead(
  def: StateMachineDefinition, runs: readonly ExecutionResult[], prefixOf: (resource: string) => readonly (string | number)[],
): { readonly places: readonly Place[]; readonly more: number } {
  const places = new Map<string, Place>();
  for (const p of rulePlaces(def, runs, prefixOf)) {
    if (!places.has(p.where)) places.set(p.where, { where: p.where, rule: `rule ${p.rule + 1} of '${p.choice}' (${p.text})` });
  }
  const all = [...places.values()];
  return { places: all.slice(0, MAX_PLACES), more: Math.max(0, all.length - MAX_PLACES) };
}

/**
 * What to give for a function of the run no run broke: where the machine's rules read the values a
 * test writes, else an input or mocks in general.
 * @internal
 */
export function whatToGiveFor(found: { readonly places: readonly Place[]; readonly more: number }): string {
  if (found.places.length === 0) {
    return 'give an input (--input, the input option) or mocks (--mocks) that hold it, the search starts from them';
  }
  const listed = found.places.map((p) => `${p.where}, which ${p.rule} reads`).join('; ');
  return `give it where the machine's rules read it, and the search starts from there: ${listed}${found.more > 0 ? `; and ${found.more} more` : ''}`;
}

/**
 * The fields of the Tasks' answers (the runner's envelope taken off) the Choice rules of `runs`
 * read ({@link rulePlaces}), each with the rules that read it: a rule reading
 * `$states.input.profile.tags` after an Output that merged the answer in as `profile` reads the
 * answer's `tags`. At most `most` per Task.
 * @internal
 */
export function answerFieldsRulesRead(
  def: StateMachineDefinition, runs: readonly ExecutionResult[], prefixOf: (resource: string) => readonly (string | number)[], most: number,
): FieldRead[] {
  const states = machineStates(def);
  const out = new Map<string, { state: string; steps: Array<string | number>; rules: unknown[]; inner?: readonly (string | number)[] }>();
  const perTask = new Map<string, number>();
  for (const p of rulePlaces(def, runs, prefixOf)) {
    const s = p.source;
    const d = s.kind === 'task' ? states.get(s.state)?.def : undefined;
    if (s.kind !== 'task' || d === undefined) continue;
    const choice = states.get(p.choice)?.def;
    const rule = choice?.Type === 'Choice' ? choice.Choices?.[p.rule] : undefined;
    // As placeOf reads it: provenance gives the answer's own steps, an envelope that is there taken off.
    const prefix = d.Type === 'Task' && typeof d.Resource === 'string' ? prefixOf(d.Resource) : [];
    const steps = prefix.every((x, i) => s.steps[i] === x) ? s.steps.slice(prefix.length) : [...s.steps];
    if (steps.length === 0 || rule === undefined) continue;
    const key = JSON.stringify([s.state, steps, p.inner ?? null]);
    const known = out.get(key);
    if (known) {
      if (!known.rules.includes(rule)) known.rules.push(rule);
      continue;
    }
    if ((perTask.get(s.state) ?? 0) >= most) continue;
    perTask.set(s.state, (perTask.get(s.state) ?? 0) + 1);
    out.set(key, { state: s.state, steps, rules: [rule], ...(p.inner ? { inner: p.inner } : {}) });
  }
  return [...out.values()];
}

/** A place a rule reads that a test writes: a field of the input, or of one Task call's answer (its envelope taken off). @internal */
export type ReadPlace =
  | { readonly kind: 'input'; readonly steps: readonly (string | number)[] }
  | { readonly kind: 'task'; readonly state: string; readonly invocation: number; readonly steps: readonly (string | number)[] };

/** A Choice rule that reads several places a test writes at once, with them. @internal */
export interface RuleReadTogether {
  readonly rule: unknown;
  readonly places: readonly ReadPlace[];
}

/**
 * The Choice rules of `runs` that read two or more places a test writes (`$decision = 'APPROVED'
 * and $match($approver, …)`), each with its places ({@link rulePlaces}; a place read through
 * `$parse` is left out): a value placed at one of them alone leaves the rule false.
 * @internal
 */
export function rulesReadTogether(
  def: StateMachineDefinition, runs: readonly ExecutionResult[], prefixOf: (resource: string) => readonly (string | number)[],
): RuleReadTogether[] {
  const states = machineStates(def);
  const groups = new Map<string, { rule: unknown; places: ReadPlace[] }>();
  for (const p of rulePlaces(def, runs, prefixOf)) {
    const s = p.source;
    if (p.inner || (s.kind !== 'input' && s.kind !== 'task')) continue;
    const choice = states.get(p.choice)?.def;
    const rule = choice?.Type === 'Choice' ? choice.Choices?.[p.rule] : undefined;
    if (rule === undefined) continue;
    let place: ReadPlace;
    if (s.kind === 'task') {
      const d = states.get(s.state)?.def;
      const prefix = d?.Type === 'Task' && typeof d.Resource === 'string' ? prefixOf(d.Resource) : [];
      const steps = prefix.every((x, i) => s.steps[i] === x) ? s.steps.slice(prefix.length) : [...s.steps];
      if (steps.length === 0) continue;
      place = { kind: 'task', state: s.state, invocation: s.invocation, steps };
    } else {
      if (s.steps.length === 0) continue;
      place = { kind: 'input', steps: [...s.steps] };
    }
    const key = JSON.stringify([p.choice, p.rule]);
    const group = groups.get(key) ?? { rule, places: [] };
    groups.set(key, group);
    group.places.push(place);
  }
  return [...groups.values()].filter((g) => g.places.length >= 2);
}
