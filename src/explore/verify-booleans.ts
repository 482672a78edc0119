import { modelAllowsPlaced } from './contract-answers';
import type { Outcome } from './runner';
import { fieldOf, localNames, parseJsonata, stripDelimiters, type JsonataNode } from './solve/jsonata-ast';
import { modelAllows } from './verify-answer-fields';
import { rulePlaces } from './verify-asks';
import { inTurn, placed, withValue } from './verify-boundaries';
import { eachNode } from './verify-forms';
import type { ChoiceRule, JsonValue, QueryLanguage, StateMachineDefinition } from '../asl';
import type { ExecutionResult } from '../interpreter';

/*
 * Both values of a boolean a Choice rule reads. explore's search brings each rule to true and to
 * false one Choice visit at a time, from the run it changes; a property about two rules together
 * (an express order that is also a gift; an approval the check answered on a rush order) needs
 * one value of each, which no single goal asks for. verify therefore also tries, at each field of
 * the input and of a Task's answer that a rule reads as a boolean (JSONPath's BooleanEquals,
 * BooleanEqualsPath and IsBoolean; a JSONata Condition that is the field, compares it with `true`
 * or `false`, joins it with `and` / `or`, or negates it with `$not`), true and false, from each of
 * the search's runs the other probes start from. A field of an answer takes a boolean only where
 * the service's model allows one there. These are only more runs: a violation one shows is
 * confirmed, as any, by running its counterexample again.
 */

/** Places per run a probe flips, at most. */
const MAX_PLACES = 12;

const JSONPATH_BOOLEAN = ['BooleanEquals', 'BooleanEqualsPath', 'IsBoolean'] as const;

/**
 * The paths a rule reads as a boolean, spelled as the solver spells them (a JSONPath rule's
 * Variable; a JSONata Condition's field as `fieldOf` keys it).
 * @internal
 */
export function booleanPaths(rule: ChoiceRule, language: QueryLanguage): string[] {
  const out: string[] = [];
  if (language === 'JSONata') {
    if (typeof rule.Condition === 'string') jsonataBooleans(rule.Condition, out);
    return out;
  }
  const visit = (r: ChoiceRule | undefined): void => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return;
    for (const op of ['And', 'Or'] as const) if (Array.isArray(r[op])) r[op].forEach(visit);
    if (r.Not !== undefined) visit(r.Not);
    if (!JSONPATH_BOOLEAN.some((k) => r[k] !== undefined)) return;
    if (typeof r.Variable === 'string') out.push(r.Variable);
    if (typeof r.BooleanEqualsPath === 'string') out.push(r.BooleanEqualsPath);
  };
  visit(rule);
  return [...new Set(out)];
}

/** The fields a JSONata Condition reads as a boolean: the whole Condition, `x = true`, `x and y`, `$not(x)`, a `? :`'s test. */
function jsonataBooleans(condition: string, out: string[]): void {
  const parsed = parseJsonata(stripDelimiters(condition.trim()));
  if ('error' in parsed) return;
  const local = localNames(parsed.ast);
  const used: JsonataNode[] = [parsed.ast];
  const isBoolean = (n: JsonataNode | undefined): boolean => n?.type === 'value' && typeof n.value === 'boolean';
  eachNode(parsed.ast, (n) => {
    if (n.type === 'binary' && (n.value === 'and' || n.value === 'or')) used.push(n.lhs, n.rhs);
    if (n.type === 'binary' && (n.value === '=' || n.value === '!=')) {
      if (isBoolean(n.rhs)) used.push(n.lhs);
      if (isBoolean(n.lhs)) used.push(n.rhs);
    }
    if (n.type === 'function' && n.procedure?.type === 'variable' && (n.procedure.value === 'not' || n.procedure.value === 'boolean') && !local.has(n.procedure.value)) {
      used.push(...(n.arguments ?? []));
    }
    if (n.type === 'condition') used.push(n.condition);
  });
  for (const node of used) {
    const f = node ? fieldOf(node, local) : undefined;
    if (f && 'ref' in f && f.whole && !out.includes(f.ref.key)) out.push(f.ref.key);
  }
}

/** A place a rule reads as a boolean that a test writes: a field of the input, or of a Task's answer (its envelope taken off). @internal */
export type BooleanPlace =
  | { readonly kind: 'input'; readonly steps: ReadonlyArray<string | number> }
  | { readonly kind: 'task'; readonly state: string; readonly steps: ReadonlyArray<string | number> };

/**
 * The places the Choice rules of `runs` read as a boolean (each Choice's first visit in the first
 * run that entered it, followed back as an UNKNOWN's reason follows it: verify-asks' rulePlaces),
 * where the value the rule reads is the one a test writes, not one computed from it.
 * @internal
 */
export function booleanPlaces(
  def: StateMachineDefinition, runs: readonly ExecutionResult[], resources: ReadonlyMap<string, string>,
  prefixOf: (resource: string) => readonly (string | number)[],
): BooleanPlace[] {
  const out = new Map<string, BooleanPlace>();
  for (const p of rulePlaces(def, runs, prefixOf, { paths: booleanPaths, direct: true })) {
    const s = p.source;
    if (p.inner) continue;
    if (s.kind === 'input' && s.steps.length > 0) out.set(JSON.stringify(['input', s.steps]), { kind: 'input', steps: s.steps });
    if (s.kind !== 'task') continue;
    const resource = resources.get(s.state);
    if (resource === undefined) continue;
    const prefix = prefixOf(resource);
    const steps = prefix.every((x, i) => s.steps[i] === x) ? s.steps.slice(prefix.length) : s.steps;
    if (steps.length > 0) out.set(JSON.stringify(['task', s.state, steps]), { kind: 'task', state: s.state, steps });
  }
  return [...out.values()].slice(0, MAX_PLACES);
}

/** A run the boolean probe makes: its input and its Task answers, with the index of the base it changed. @internal */
export interface BooleanRun {
  readonly base: number;
  readonly input: JsonValue;
  readonly answers: ReadonlyMap<string, readonly Outcome[]>;
}

/**
 * The runs of the boolean probe: each of `bases` with true, then false, at one of `places` (each
 * call of a Task whose answer it is, in turn), where it held another value or none; taken in
 * turn across the bases and places, each run once, at most `most`. An answer the service's model
 * refuses there (a text field, a list's item) is not made.
 * @internal
 */
export function booleanRuns(
  places: readonly BooleanPlace[], bases: ReadonlyArray<{ readonly input: JsonValue; readonly calls: ReadonlyMap<string, readonly Outcome[]> }>,
  resources: ReadonlyMap<string, string>, prefixOf: (resource: string) => readonly (string | number)[], most: number,
): BooleanRun[] {
  const lanes: BooleanRun[][] = [];
  const seen = new Set(bases.map((b) => JSON.stringify([b.input, [...b.calls]])));
  const keep = (lane: BooleanRun[], run: BooleanRun): void => {
    const key = JSON.stringify([run.input, [...run.answers]]);
    if (seen.has(key)) return;
    seen.add(key);
    lane.push(run);
  };
  bases.forEach((b, base) => {
    for (const place of places) {
      const lane: BooleanRun[] = [];
      for (const value of [true, false]) {
        if (place.kind === 'input') {
          keep(lane, { base, input: withValue(b.input, place.steps, () => value), answers: b.calls });
          continue;
        }
        const resource = resources.get(place.state);
        const outcomes = b.calls.get(place.state) ?? [];
        if (resource === undefined || !modelAllows(resource, [...prefixOf(resource), ...place.steps], value)) continue;
        outcomes.forEach((o, i) => {
          if (o?.kind !== 'return') return;
          const answer = placed(o.value, place.steps, value);
          if (answer === undefined || !modelAllowsPlaced(resource, o.value, answer)) return;
          const changed = [...outcomes];
          changed[i] = { ...o, value: answer };
          keep(lane, { base, input: b.input, answers: new Map([...b.calls, [place.state, changed]]) });
        });
      }
      if (lane.length > 0) lanes.push(lane);
    }
  });
  return inTurn(lanes).slice(0, most);
}
