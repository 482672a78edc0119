import type { Binding, SolveResult } from './index';
import { assignments, candidatesFor, parseJsonata, readsOf, stripDelimiters, type Reads } from './jsonata-ast';
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
   * @default 200
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
}

/** What {@link searchJsonataBranch} needs from the engine. */
export interface JsonataBranchSearchContext extends Omit<JsonataSearchContext, 'evaluate'> {
  /** Evaluates the Condition of `Choices[index]` with the bindings applied, as {@link JsonataSearchContext.evaluate}. */
  readonly evaluate: (index: number, bindings: readonly Binding[]) => Promise<boolean | Error>;
}

/** The default number of evaluations of one search. */
export const DEFAULT_JSONATA_BUDGET = 200;

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
  const allReads: Reads = { fields, refs: new Map(), hints: new Map(), literals: [], opaque: false, varying: false, pairs: [] };
  for (const target of targets) {
    if (typeof target.condition === 'boolean') continue;
    const parsed = parseJsonata(stripDelimiters(target.condition));
    if ('error' in parsed) return { kind: 'unknown', reason: `the JSONata Condition '${stripDelimiters(target.condition)}' does not parse (${parsed.error})` };
    const reads = readsOf(parsed.ast);
    opaque ||= reads.opaque;
    varying ||= reads.varying;
    for (const f of reads.fields) if (!fields.includes(f)) fields.push(f);
    for (const [f, ref] of reads.refs) allReads.refs.set(f, ref);
    for (const [f, hs] of reads.hints) allReads.hints.set(f, [...(allReads.hints.get(f) ?? []), ...hs]);
    allReads.literals.push(...reads.literals);
    allReads.pairs.push(...reads.pairs);
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
      const near: JsonValue[] = typeof v === 'number' ? [v, v + 1, v - 1] : typeof v === 'string' ? [v, `${v}x`] : [v];
      allReads.hints.set(field, [...(allReads.hints.get(field) ?? []), ...near]);
    }
  }
  const nows = bindable.map((f) => ctx.current(f));
  const candidates = bindable.map((f, i) => candidatesFor(f, allReads, nows[i], ctx.kindOf?.(f)));
  let tries = 0;
  let errors = 0;
  let lastError: string | undefined;
  let refused = 0;
  let lastRefusal: string | undefined;
  let cut = false;
  for (const assignment of assignments(bindable, candidates)) {
    if (tries >= budget) break;
    // One evaluation of a recursive Condition can take seconds: the clock is read before each.
    if (ctx.stopped?.()) {
      cut = true;
      break;
    }
    tries++;
    const bindings: Binding[] = assignment.map(([i, v]) => (v === undefined ? { path: bindable[i], absent: true } : { path: bindable[i], value: v }));
    let ok = true;
    for (const target of targets) {
      if (typeof target.condition === 'boolean') continue;
      const result = await ctx.evaluate(target.index, bindings);
      if (result instanceof Error) {
        errors++;
        lastError = result.message;
        ok = false;
        break;
      }
      if (result !== target.want) { ok = false; break; }
    }
    if (!ok) continue;
    const taken = ctx.accept ? await ctx.accept(bindings) : true;
    if (taken === true) return { kind: 'sat', bindings };
    refused++;
    lastRefusal = taken;
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
