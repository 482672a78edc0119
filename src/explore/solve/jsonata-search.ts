import { clockCandidates, FLIPPED } from './clock';
import type { Binding, SolveResult } from './index';
import { assignments, candidatesFor, parseJsonata, readsOf, stripDelimiters, type Assignment, type Reads } from './jsonata-ast';
import { readKinds, type ReadKind } from './jsonata-kinds';
import { parseBindingPath } from './paths';
import type { CurrentValue } from './world';
import type { ChoiceState, JsonValue } from '../../asl';

/** What {@link searchJsonataCondition} needs from the engine. */
export interface JsonataSearchContext {
  /**
   * The concrete value now at a path, asked in the expression's spelling
   * (`$states.input.amount`, `$states.context.Execution.Input.x`, `$limit`).
   */
  readonly current: (path: string) => CurrentValue;
  /**
   * Paths the engine cannot change; the search never binds them.
   * @default nothing is fixed
   */
  readonly isFixed?: (path: string) => boolean;
  /**
   * Evaluates the Condition with the bindings applied to the current values:
   * its boolean result, or the Error it raised (a non-boolean result is an
   * Error too, as AWS fails the state with States.QueryEvaluationError).
   */
  readonly evaluate: (bindings: readonly Binding[]) => Promise<boolean | Error>;
  /**
   * How many evaluations the search may make.
   * @default 300
   */
  readonly budget?: number;
  /**
   * Asked before each evaluation: true ends the search there (explore's time
   * is up), with what it tried so far.
   * @default never
   */
  readonly stopped?: () => boolean;
  /**
   * A value of the kind a field should have (a string where the field flows into a request
   * member that takes a string), tried before the others.
   * @default no kind known
   */
  readonly kindOf?: (path: string) => JsonValue | undefined;
  /**
   * Asked of values that bring the Condition round before they are answered: `true` takes
   * them; a string says why they cannot be used (they cannot be written where the fields
   * come from), and the search goes on.
   * @default every value found is taken
   */
  readonly accept?: (bindings: readonly Binding[]) => Promise<true | string>;
  /**
   * Where a field the engine cannot change comes from, for the reason that says so.
   * @default the reason names the field only
   */
  readonly describeFixed?: (path: string) => string | undefined;
  /**
   * Values worth trying for a field besides those the Conditions give it: the values its
   * service's contract allows (an enum).
   * @default none
   */
  readonly valuesFor?: (path: string) => readonly JsonValue[];
  /**
   * Texts the machine's Choice rules compare with, tried for a field the Conditions compare with
   * no text of their own (`$status in $terminal`).
   * @default none
   */
  readonly texts?: readonly JsonValue[];
  /**
   * Epoch milliseconds `$now()` and `$millis()` give the evaluations (the run's virtual clock): a
   * field compared with a time relative to it is tried just before and just after that time.
   * @default no field is tried against the clock
   */
  readonly now?: number;
}

/** What {@link searchJsonataBranch} needs from the engine. */
export interface JsonataBranchSearchContext extends Omit<JsonataSearchContext, 'evaluate'> {
  /** Evaluates the Condition of `Choices[index]` with the bindings applied, as {@link JsonataSearchContext.evaluate}. */
  readonly evaluate: (index: number, bindings: readonly Binding[]) => Promise<boolean | Error>;
}

/** The default number of evaluations of one search. */
export const DEFAULT_JSONATA_BUDGET = 300;

/** A Condition to bring to a value: its text (or a literal boolean) and the value wanted. */
interface Target {
  readonly index: number;
  readonly condition: string | boolean;
  readonly want: boolean;
}

/**
 * Brings several Conditions to wanted values at once, by guided search: the
 * fields they read are given values drawn from the expressions (the
 * literals they compare against, one either side of each number, strings
 * that contain or extend the literal, arrays of the counted length, other
 * types, absence), one field at a time, then in pairs, then all together,
 * each try confirmed by `evaluate`.
 */
async function searchConditions(targets: readonly Target[], ctx: JsonataBranchSearchContext, describe: string): Promise<SolveResult> {
  const budget = ctx.budget ?? DEFAULT_JSONATA_BUDGET;
  const fields: string[] = [];
  let opaque = false;
  let varying = false;
  const allReads: Reads = {
    fields, refs: new Map(), hints: new Map(), literals: [], opaque: false, varying: false, pairs: [], lookups: [], clock: [],
  };
  const targetReads: Array<Reads | undefined> = [];
  for (const target of targets) {
    targetReads.push(undefined);
    if (typeof target.condition === 'boolean') continue;
    const parsed = parseJsonata(stripDelimiters(target.condition));
    if ('error' in parsed) return { kind: 'unknown', reason: `the JSONata Condition '${stripDelimiters(target.condition)}' does not parse (${parsed.error})` };
    const reads = readsOf(parsed.ast);
    // A field compared with the run's clock: times either side of the one it is compared with, before its other hints.
    if (ctx.now !== undefined) {
      for (const hint of reads.clock) reads.hints.set(hint.field, [...clockCandidates(hint, ctx.now), ...(reads.hints.get(hint.field) ?? [])]);
    }
    targetReads[targetReads.length - 1] = reads;
    opaque ||= reads.opaque;
    varying ||= reads.varying;
    for (const f of reads.fields) if (!fields.includes(f)) fields.push(f);
    for (const [f, ref] of reads.refs) allReads.refs.set(f, ref);
    for (const [f, hs] of reads.hints) allReads.hints.set(f, [...(allReads.hints.get(f) ?? []), ...hs]);
    allReads.literals.push(...reads.literals);
    allReads.pairs.push(...reads.pairs);
    allReads.lookups.push(...reads.lookups);
  }
  // A literal boolean Condition is what it is.
  for (const target of targets) {
    if (typeof target.condition === 'boolean' && target.condition !== target.want) {
      return { kind: 'unsat', reason: `Choices[${target.index}] has the Condition ${target.condition}, which is never ${target.want}` };
    }
  }
  // A Condition sees the state's input, the Context Object and the variables (no result, no error output).
  const bindable = fields.filter((f) => {
    const root = allReads.refs.get(f)?.root;
    return (root === 'input' || root === 'context' || typeof root === 'object') && !('error' in parseBindingPath(f)) && !ctx.isFixed?.(f);
  });
  // A field compared with another is tried at the other's value now, and either side of it.
  for (const [a, b] of allReads.pairs) {
    for (const [field, other] of [[a, b], [b, a]]) {
      const now = ctx.current(other);
      if (!now.found) continue;
      const v = now.value;
      // A list the field is compared with (`$decision in $terminal`): its items, one of which the field may need to be.
      const near: JsonValue[] = typeof v === 'number' ? [v, v + 1, v - 1] : typeof v === 'string' ? [v, `${v}x`] : Array.isArray(v) ? [...v.slice(0, 8), v] : [v];
      allReads.hints.set(field, [...(allReads.hints.get(field) ?? []), ...near]);
    }
  }
  // Two fields compared through their difference (`$dueMs - $startedMs < 86400000`): each tried at the other's value moved
  // by it, either side, first the side that makes the comparison true. The other's value is the one it holds now or one
  // it is tried at, so that a field the search moves (`$dueMs`) takes the second field (`$filedMs`) along with it; a second
  // round carries values along a chain of differences.
  const differences = targetReads.flatMap((r) => r?.differences ?? []);
  for (let round = 0; round < 2 && differences.length > 0; round++) {
    for (const { plus, minus, op, by } of differences) {
      for (const [field, other, at, cmp] of [[plus, minus, by, op], [minus, plus, -by, FLIPPED[op] ?? op]] as const) {
        const now = ctx.current(other);
        const bases = [...(now.found ? [now.value] : []), ...(allReads.hints.get(other) ?? [])]
          .filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).slice(0, MAX_DIFFERENCE_BASES);
        const near = bases.flatMap((v) => nearComparison(v + at, cmp));
        const own = allReads.hints.get(field) ?? [];
        allReads.hints.set(field, [...near.filter((v, i) => near.indexOf(v) === i && !own.includes(v)), ...own]);
      }
    }
  }
  // A key looked up in an object (`$lookup($limits, $category)`) is tried at the object's keys and at one it lacks; a
  // field compared with the lookup, either side of the values the object holds.
  for (const { object, key, compared } of allReads.lookups) {
    const now = ctx.current(object);
    const held = now.found && now.value !== null && typeof now.value === 'object' && !Array.isArray(now.value) ? now.value : undefined;
    // The other way round: the object tried with the key it is looked up at now holding each literal the Condition names
    // (`$lookup($flags, $feature) = true`: `$flags` with `$feature`'s value set to true).
    const keyNow = ctx.current(key);
    if (keyNow.found && typeof keyNow.value === 'string') {
      const k = keyNow.value;
      const made = allReads.literals.filter((l) => typeof l !== 'object' || l === null).slice(0, MAX_LOOKUP_LITERALS)
        .map((l): JsonValue => ({ ...held, [k]: l }));
      allReads.hints.set(object, [...(allReads.hints.get(object) ?? []), ...made]);
    }
    if (held === undefined) continue;
    const entries = Object.entries(held).slice(0, 8);
    const keys = entries.map(([k]) => k);
    allReads.hints.set(key, [...(allReads.hints.get(key) ?? []), ...keys, `${keys.join('')}x`]);
    if (compared === undefined) continue;
    const near = entries.flatMap(([, v]): JsonValue[] => (typeof v === 'number' ? [v + 1, v - 1, v] : [v]));
    allReads.hints.set(compared, [...(allReads.hints.get(compared) ?? []), ...near]);
  }
  // Values the machine and the services name for a field (its contract's enum, the texts its Conditions compare with) come after its own hints.
  for (const f of bindable) {
    const own = allReads.hints.get(f) ?? [];
    const texts = own.some((h) => typeof h === 'string') ? [] : ctx.texts ?? [];
    const more = [...(ctx.valuesFor?.(f) ?? []), ...texts];
    if (more.length > 0) allReads.hints.set(f, [...own, ...more]);
  }
  const nows = bindable.map((f) => ctx.current(f));
  const candidates = bindable.map((f, i) => candidatesFor(f, allReads, nows[i], ctx.kindOf?.(f)));
  // A field read as a number, a string, a list or an object that holds nothing of that kind now gets one first,
  // so that a Condition reading several (`$a + $b + $c > 500`) does not fail on those the try leaves alone.
  const base = kindBase(targets, bindable, nows);
  let tries = 0;
  let errors = 0;
  let lastError: string | undefined;
  let refused = 0;
  let lastRefusal: string | undefined;
  let cut = false;
  // The fields under each (`$lines.unitPrice` under `$lines`): a try's value for a field is what they hold, not their base.
  const beneath = bindable.map((f) => {
    const outer = allReads.refs.get(f);
    return bindable.flatMap((g, j) => {
      const inner = allReads.refs.get(g);
      const under = outer !== undefined && inner !== undefined && g !== f && JSON.stringify(inner.root) === JSON.stringify(outer.root)
        && inner.steps.length > outer.steps.length && outer.steps.every((st, k) => inner.steps[k] === st);
      return under ? [j] : [];
    });
  });
  const bindingsOf = (assignment: Assignment): Binding[] => {
    const merged = new Map<number, JsonValue | undefined>(base);
    for (const [i] of assignment) for (const j of beneath[i]) if (!assignment.some(([k]) => k === j)) merged.delete(j);
    for (const [i, v] of assignment) merged.set(i, v);
    return [...merged].map(([i, v]) => (v === undefined ? { path: bindable[i], absent: true } : { path: bindable[i], value: v }));
  };
  /**
   * Whether the targets up to `upTo` come out as wanted with these bindings (one evaluation each, each counted): the
   * one at `upTo` first, which most tries are made for and fail, so that a try it refuses costs one evaluation, not one
   * per Condition before it.
   */
  const holds = async (bindings: readonly Binding[], upTo: number): Promise<boolean> => {
    for (const target of [targets[upTo], ...targets.slice(0, upTo)]) {
      if (typeof target.condition === 'boolean') continue;
      if (tries >= budget) return false;
      tries++;
      const result = await ctx.evaluate(target.index, bindings);
      if (result instanceof Error) {
        errors++;
        lastError = result.message;
        return false;
      }
      if (result !== target.want) return false;
    }
    return true;
  };
  const take = async (bindings: Binding[]): Promise<SolveResult | undefined> => {
    const taken = ctx.accept ? await ctx.accept(bindings) : true;
    if (taken === true) return { kind: 'sat', bindings };
    refused++;
    lastRefusal = taken;
    return undefined;
  };
  // First, Condition by Condition: each brought round over the fields it reads, the ones before it kept as they came out.
  const perTarget = targets.map((t) => fieldsOfTarget(t, bindable));
  let chosen: Assignment = [];
  let greedy = targets.length > 1 || base.size > 0;
  // It may take half the evaluations; the search over every field has the rest.
  const greedyBudget = Math.floor(budget / 2);
  for (let t = 0; greedy && t < targets.length; t++) {
    if (tries >= greedyBudget || ctx.stopped?.()) { greedy = false; break; }
    if (await holds(bindingsOf(chosen), t)) continue;
    const own = perTarget[t];
    // The values this Condition's own comparisons name come first (`$lowercase($d) = 'approved' and $length($c) > 0`
    // tries 'approved' with a comment before the texts the rules before it compare with).
    const reads = targetReads[t];
    const ownCandidates = own.map((i) => {
      const first = reads ? candidatesFor(bindable[i], reads, nows[i], ctx.kindOf?.(bindable[i])) : [];
      const seen = new Set(first.map((v) => (v === undefined ? 'absent' : JSON.stringify(v))));
      return [...first, ...candidates[i].filter((v) => !seen.has(v === undefined ? 'absent' : JSON.stringify(v)))];
    });
    let found = false;
    for (const assignment of assignments(own.map((i) => bindable[i]), ownCandidates)) {
      if (assignment.length === 0) continue;
      if (tries >= greedyBudget) break;
      if (ctx.stopped?.()) { cut = true; break; }
      const mine: Assignment = assignment.map(([k, v]) => [own[k], v]);
      const next: Assignment = [...chosen.filter(([i]) => !mine.some(([k]) => k === i)), ...mine];
      if (!(await holds(bindingsOf(next), t))) continue;
      chosen = next;
      found = true;
      break;
    }
    if (!found) greedy = false;
  }
  if (greedy && !cut) {
    const done = await take(bindingsOf(chosen));
    if (done) return done;
  }
  for (const assignment of cut ? [] : assignments(bindable, candidates)) {
    if (tries >= budget) break;
    // One evaluation of a recursive Condition can take seconds: the clock is read before each.
    if (ctx.stopped?.()) {
      cut = true;
      break;
    }
    const bindings = bindingsOf(assignment);
    if (!(await holds(bindings, targets.length - 1))) continue;
    const done = await take(bindings);
    if (done) return done;
  }
  if (cut) return { kind: 'unknown', reason: `the time ran out after ${tries} tries to bring ${describe} to the wanted value` };
  // Nothing could be changed and nothing varies: the one evaluation made is the only possible one.
  const unparsed = fields.filter((f) => 'error' in parseBindingPath(f));
  if (bindable.length === 0 && unparsed.length === 0 && !opaque && !varying && tries > 0 && refused === 0) {
    const outcome = errors > 0 ? `raises an error (${lastError})` : 'does not come out as wanted';
    const named = fields.map((f) => {
      const from = ctx.describeFixed?.(f);
      return from === undefined ? f : `${f}, which comes from ${from}`;
    });
    const reads = fields.length === 0 ? 'reads no field of the input, the Context Object or a variable' : `reads only values that cannot be changed (${named.join('; ')})`;
    return { kind: 'unsat', reason: `${describe} ${reads}, and ${outcome}` };
  }
  const what = fields.length === 0 ? 'it reads no field of the input or a variable' : `over ${bindable.length === 0 ? 'no field it may change' : bindable.join(', ')}`;
  const why = [
    opaque ? 'it reads $states as a whole or looks fields up by name, which the search cannot follow' : undefined,
    varying ? 'it calls a function whose result varies ($now, $millis, $random or $uuid)' : undefined,
    errors > 0 ? `${errors} tries raised an error (last: ${lastError})` : undefined,
    refused > 0 ? `${refused} values that take it could not be written where they come from (last: ${lastRefusal})` : undefined,
  ].filter((s) => s !== undefined);
  return { kind: 'unknown', reason: `${describe} was not brought to the wanted value in ${tries} tries ${what}${why.length > 0 ? `; ${why.join('; ')}` : ''}` };
}

/** The most values of one field another is tried against, for a difference of the two. */
const MAX_DIFFERENCE_BASES = 6;

/** Values a number compared with `op` to `at` is tried at: first one that makes the comparison true, then one that makes it false. */
function nearComparison(at: number, op: string): number[] {
  const out = op === '<' ? [at - 1, at] : op === '<=' ? [at, at + 1] : op === '>' ? [at + 1, at] : op === '>=' ? [at, at - 1]
    : op === '!=' ? [at + 1, at] : op === '=' ? [at, at + 1] : [];
  return out.filter((n) => Number.isFinite(n));
}

/** The indexes (into `bindable`) of the fields a target's Condition reads. */
function fieldsOfTarget(target: Target, bindable: readonly string[]): number[] {
  if (typeof target.condition === 'boolean') return [];
  const parsed = parseJsonata(stripDelimiters(target.condition));
  if ('error' in parsed) return [];
  const reads = readsOf(parsed.ast);
  return bindable.map((f, i) => (reads.fields.includes(f) ? i : -1)).filter((i) => i >= 0);
}

/** Most literals of a Condition an object looked up is tried holding at the key it is looked up at. */
const MAX_LOOKUP_LITERALS = 4;

/** A value of each kind a Condition reads a field as, for a field that holds none now. */
const KIND_VALUES: Readonly<Record<ReadKind, JsonValue | undefined>> = {
  any: undefined, number: 0, numeric: 0, string: '', array: [], object: {}, json: '{}', timestamp: '2024-01-01T00:00:00Z',
};

function fitsKind(value: JsonValue, kind: ReadKind): boolean {
  switch (kind) {
    case 'number': return typeof value === 'number';
    case 'numeric': return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
    case 'string': case 'json': return typeof value === 'string';
    case 'timestamp': return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'array': return Array.isArray(value);
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    default: return true;
  }
}

/**
 * The values every try starts from: for each field a Condition reads as a number, a string, a
 * list or an object (arithmetic, `<` with a number, `$contains`, `$count`, `$keys`), one of that
 * kind where the field holds none now. A try's own values replace them.
 */
function kindBase(targets: readonly Target[], bindable: readonly string[], nows: readonly CurrentValue[]): Map<number, JsonValue | undefined> {
  const base = new Map<number, JsonValue | undefined>();
  for (const target of targets) {
    if (typeof target.condition === 'boolean') continue;
    const parsed = parseJsonata(stripDelimiters(target.condition));
    if ('error' in parsed) continue;
    for (const { ref, kind } of readKinds(parsed.ast)) {
      const i = bindable.indexOf(ref.key);
      const value = KIND_VALUES[kind];
      if (i < 0 || value === undefined || base.has(i)) continue;
      const now = nows[i];
      if (now.found && fitsKind(now.value, kind)) continue;
      base.set(i, value);
    }
  }
  return base;
}

/**
 * The fields a JSONata expression (without its `{% %}`) reads, in the
 * spelling of bindings (`$states.input.a.b`, `$var.x`), or `undefined` when it
 * does not parse or reads what the search cannot follow (all of `$states`, a
 * field looked up by name).
 */
export function jsonataFields(expression: string): string[] | undefined {
  const parsed = parseJsonata(expression);
  if ('error' in parsed) return undefined;
  const reads = readsOf(parsed.ast);
  return reads.opaque ? undefined : reads.fields;
}

/**
 * JSONata Condition: guided search over the fields the expression reads.
 * The expression is parsed with the jsonata library; the paths it reads
 * under `$states.input`, `$states.context` and variables are collected with
 * the literals it compares them against, and candidates derived from those
 * (equal, ±1, ±0.5, strings holding the literal, arrays of the counted
 * length, other types, absent) are tried, each confirmed with `evaluate`.
 *
 * `unsat` only when the Condition reads nothing that can be changed (no field
 * at all, or only fixed ones), calls nothing that varies, and evaluates to
 * the other value; otherwise a search that finds nothing answers `unknown`,
 * naming the expression and the fields it tried.
 *
 * @param expression the Condition, with or without its `{% %}`
 * @example
 * await searchJsonataCondition('$states.input.amount > 100', true, { current, evaluate });
 * // { kind: 'sat', bindings: [{ path: '$states.input.amount', value: 101 }] }
 */
export async function searchJsonataCondition(expression: string, want: boolean, ctx: JsonataSearchContext): Promise<SolveResult> {
  const text = stripDelimiters(expression);
  return searchConditions([{ index: 0, condition: expression, want }], { ...ctx, evaluate: (_i, b) => ctx.evaluate(b) }, `the JSONata Condition '${text}'`);
}

/**
 * Takes branch `branch` of a JSONata Choice state (or its Default) by guided
 * search: the Conditions before it must be false and its own true (Default:
 * all false). Each try evaluates the Conditions in order, as the state does.
 *
 * @throws RangeError when `branch` is not an index of `state.Choices`
 * @example
 * await searchJsonataBranch(state, 'default', {
 *   current,
 *   evaluate: (index, bindings) => evaluateCondition(state.Choices[index].Condition, bindings),
 * });
 */
export async function searchJsonataBranch(state: ChoiceState, branch: number | 'default', ctx: JsonataBranchSearchContext): Promise<SolveResult> {
  const choices = state.Choices ?? [];
  if (branch !== 'default' && !(Number.isInteger(branch) && branch >= 0 && branch < choices.length)) {
    throw new RangeError(`branch ${String(branch)} is not a rule of this Choice state, which has ${choices.length} (0 to ${choices.length - 1}) besides 'default'`);
  }
  const last = branch === 'default' ? choices.length : branch + 1;
  const targets: Target[] = [];
  for (let i = 0; i < last; i++) {
    const condition = choices[i].Condition;
    if (typeof condition !== 'string' && typeof condition !== 'boolean') {
      return { kind: 'unknown', reason: `Choices[${i}] has no JSONata Condition; solve JSONPath rules with solveChoiceBranch` };
    }
    targets.push({ index: i, condition, want: i === branch });
  }
  const describe = branch === 'default' ? 'the Default (every Condition false)' : `Choices[${branch}] (the Conditions before it false, it true)`;
  return searchConditions(targets, ctx, describe);
}
