import { WorkBudget, WorkExhausted } from './domain';
import { and, ruleFormulas, rulePaths, ruleSize, type Formula } from './formula';
import { applyBindings, readTarget, type BindingTarget } from './paths';
import { searchCases } from './search';
import { Conjunction } from './theory';
import { NodeTable, World, type CurrentValue } from './world';
import type { ChoiceRule, ChoiceState, JsonValue } from '../../asl';
import { compileChoiceRule, type ChoicePredicate } from '../../asl/choice';
import type { VariableReader } from '../../asl/path';

export { applyBindings, BindingError, parseBindingPath, formatPath } from './paths';
export type { BindingTarget, ParsedPath, PathRoot, Step } from './paths';
export type { CurrentValue } from './world';
export { searchJsonataCondition, searchJsonataBranch, jsonataFields, DEFAULT_JSONATA_BUDGET } from './jsonata-search';
export type { JsonataSearchContext, JsonataBranchSearchContext } from './jsonata-search';

/**
 * A value wanted at a path the rule reads, or that the path must be absent.
 * Paths are exactly as the rules write them: `$.a.b[0]`, `$$.Execution.Input.x`,
 * `$var.field` (a Variable), or for JSONata `$states.input.a.b` / `$var.x`.
 * A negative index is written as the index it names now (`$.items[2]` for
 * `$.items[-1]` of three items).
 *
 * Bindings are applied in order, as {@link applyBindings} does: a value
 * binding creates what is missing on its way (and replaces what is there but
 * is not the object or array the next step needs); an absent binding deletes
 * a field, cuts an array before the index, or unassigns a variable.
 */
export type Binding = { readonly path: string; readonly value: JsonValue } | { readonly path: string; readonly absent: true };

/**
 * The solver's answer.
 * - `sat`: these bindings, applied to the current values, make every goal come
 *   out as wanted (checked by running the compiled rules before answering).
 * - `unsat`: proved impossible; `reason` names the rules and values that
 *   contradict each other.
 * - `unknown`: neither found nor proved within the solver's bounds; `reason`
 *   says what was not decided. Never a disguised `unsat`.
 */
export type SolveResult =
  | { readonly kind: 'sat'; readonly bindings: readonly Binding[] }
  | { readonly kind: 'unsat'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** One literal of a conjunction: this rule must evaluate to `want`. */
export interface RuleGoal {
  /** A JSONPath Choice rule (a top-level rule with `Next`, or a nested one). */
  readonly rule: ChoiceRule;
  /** `true`: the rule must match; `false`: it must not match, and not fail either. */
  readonly want: boolean;
  /**
   * Where the rule sits, used in reasons (`Choices[2]`).
   * @default `goals[i]`, its index among the goals
   */
  readonly where?: string;
}

/** What the solver knows of the values now, from the engine. */
export interface SolveContext {
  /**
   * The concrete value now at a path (from a run the engine made), so the
   * answer changes only what it must and a `…Path` comparison can be solved
   * against the other side's present value. Asked for the paths the rules
   * write and for their prefixes (`$`, `$.a` for `$.a.b`), in the JSONPath
   * spelling; an answer for a prefix covers everything under it.
   */
  readonly current: (path: string) => CurrentValue;
  /**
   * Paths the engine cannot change (not traceable to the input or a Task
   * result); the solver must not bind them, only read their current value.
   * Everything under a fixed path is fixed too.
   * @default nothing is fixed
   */
  readonly isFixed?: (path: string) => boolean;
  /**
   * Bounds on the work of one question; past either the answer is `unknown`.
   * @default { maxChecks: MAX_CHECKS, maxWork: MAX_WORK }
   */
  readonly limits?: SolveLimits;
}

/** Bounds on the work of one question. */
export interface SolveLimits {
  /**
   * How many sets of literals (cases of the rules' And/Or/Not) may be checked.
   * @default MAX_CHECKS
   */
  readonly maxChecks?: number;
  /**
   * How many steps of work (a literal checked against a value) may be taken.
   * @default MAX_WORK
   */
  readonly maxWork?: number;
}

/** The most rules (And, Or, Not and comparisons, counted together) one question may hold. */
export const MAX_RULES = 2000;
/** How many sets of literals one question may check before it answers `unknown`. */
export const MAX_CHECKS = 1000;
/** How many steps of work (literals checked against values) one question may take before it answers `unknown`. */
export const MAX_WORK = 5_000_000;

/**
 * Solves a conjunction of rule literals: finds values for the paths the rules
 * read so that each rule evaluates to its `want` (without a States.Runtime
 * error), proves that none exist, or says why it cannot tell. The same
 * question always gets the same answer, byte for byte.
 *
 * Every `sat` answer is checked before it is given: the bindings are applied
 * to the current values and the compiled rules are run on the result.
 *
 * @throws ChoiceRuleError when a rule is malformed (as compiling the state machine would)
 * @example
 * const result = solveRules(
 *   [{ rule: { Variable: '$.total', NumericGreaterThan: 100, Next: 'Review' }, want: true }],
 *   { current: () => ({ found: false }) },
 * );
 * // { kind: 'sat', bindings: [{ path: '$.total', value: 101 }] }
 */
export function solveRules(goals: readonly RuleGoal[], ctx: SolveContext): SolveResult {
  let size = 0;
  for (const goal of goals) {
    if (goal.rule !== null && typeof goal.rule === 'object' && Object.prototype.hasOwnProperty.call(goal.rule, 'Condition')) {
      return { kind: 'unknown', reason: `${whereOf(goal, goals)} is a JSONata Condition; search it with searchJsonataCondition` };
    }
    size += ruleSize(goal.rule, MAX_RULES - size);
    if (size > MAX_RULES) return { kind: 'unknown', reason: `the rules hold more than ${MAX_RULES} rules, or nest deeper than 64 levels; the solver leaves them alone` };
  }
  const predicates = goals.map((goal, i) => compileChoiceRule(goal.rule, `/${goal.where ?? `goals/${i}`}`));
  const world = new World(ctx.current);
  const table = new NodeTable(world, ctx.isFixed);
  table.prepare(goals.flatMap((goal) => rulePaths(goal.rule)));
  const formula: Formula = and(goals.map((goal) => {
    const f = ruleFormulas(goal.rule, whereOf(goal, goals), (path) => table.resolve(path));
    return goal.want ? f.whenTrue : f.whenFalse;
  }));
  // Ask for every value the rules read up front, so the search sees them all alike.
  for (const info of [...table.nodes.values()]) world.valueAt(info.root, info.steps);

  const budget = new WorkBudget(ctx.limits?.maxWork ?? MAX_WORK);
  let outcome;
  try {
    outcome = searchCases<readonly Binding[]>(formula, (lits, complete) => {
      const answer = new Conjunction(lits, table, world, budget).solve();
      if (answer.kind !== 'sat') return answer;
      if (!complete) return { kind: 'unknown', reason: 'partial' };
      const bindings: Binding[] = answer.changes.map(({ node, value }) => (value === undefined
        ? { path: node.text, absent: true }
        : { path: node.text, value }));
      const failure = selfCheck(goals, predicates, world.documents(), bindings, table);
      return failure === undefined ? { kind: 'sat', value: bindings } : { kind: 'unknown', reason: `the values found failed the final check (${failure}); this is a solver defect` };
    }, ctx.limits?.maxChecks ?? MAX_CHECKS);
  } catch (e) {
    if (e instanceof WorkExhausted) return { kind: 'unknown', reason: `the rules are too large to decide: the solver ${e.message}` };
    throw e;
  }

  switch (outcome.kind) {
    case 'sat': return { kind: 'sat', bindings: outcome.value };
    case 'unknown': return outcome;
    case 'unsat': return { kind: 'unsat', reason: joinReasons(outcome.reasons) };
  }
}

function whereOf(goal: RuleGoal, goals: readonly RuleGoal[]): string {
  return goal.where ?? `goals[${goals.indexOf(goal)}]`;
}

/** One reason, or the reasons of each case the rules split into. */
function joinReasons(reasons: readonly string[]): string {
  if (reasons.length === 1) return reasons[0];
  const shown = reasons.slice(0, 5).map((r, i) => `(${i + 1}) ${r}`).join('; ');
  return `every way the rules can go is contradictory: ${shown}${reasons.length > 5 ? `; and ${reasons.length - 5} more` : ''}`;
}

/** Runs the compiled rules on the bound values; a description of the first that does not come out as wanted. */
function selfCheck(
  goals: readonly RuleGoal[],
  predicates: readonly ChoicePredicate[],
  documents: BindingTarget,
  bindings: readonly Binding[],
  table: NodeTable,
): string | undefined {
  const after = applyBindings(documents, bindings);
  const variables: VariableReader = {
    get: (name) => (after.variables && Object.prototype.hasOwnProperty.call(after.variables, name) ? after.variables[name] : undefined),
  };
  const scope = { input: after.input ?? null, context: after.context ?? null, variables };
  for (let i = 0; i < goals.length; i++) {
    let value: boolean;
    try {
      value = predicates[i](scope);
    } catch (e) {
      return `${whereOf(goals[i], goals)} fails: ${(e as Error).message}`;
    }
    if (value !== goals[i].want) return `${whereOf(goals[i], goals)} is ${value}`;
  }
  for (const info of table.nodes.values()) {
    if (!info.fixed) continue;
    const before = JSON.stringify(readTarget(documents, info.root, info.steps));
    if (JSON.stringify(readTarget(after, info.root, info.steps)) !== before) return `${info.text} cannot be changed, but would be`;
  }
  return undefined;
}

/**
 * Takes branch `branch` (index into Choices) or the Default: the rules before
 * it false, it true; Default: all false. A rule that fails (a missing
 * Variable) is neither, so the answer never leans on one.
 *
 * @throws RangeError when `branch` is not an index of `state.Choices`
 * @throws ChoiceRuleError when a rule is malformed
 * @example
 * solveChoiceBranch(state, 'default', { current: (p) => lookup(run, p) });
 */
export function solveChoiceBranch(state: ChoiceState, branch: number | 'default', ctx: SolveContext): SolveResult {
  const choices = state.Choices ?? [];
  const goals = choiceGoals(choices, branch);
  if (choices.some((c) => c !== null && typeof c === 'object' && Object.prototype.hasOwnProperty.call(c, 'Condition'))) {
    return { kind: 'unknown', reason: 'the Choice state uses JSONata Conditions; search them with searchJsonataBranch' };
  }
  return solveRules(goals, ctx);
}

/** The goals that take a branch: every rule before it false, it true. */
function choiceGoals(choices: readonly ChoiceRule[], branch: number | 'default'): RuleGoal[] {
  if (branch !== 'default' && !(Number.isInteger(branch) && branch >= 0 && branch < choices.length)) {
    throw new RangeError(`branch ${String(branch)} is not a rule of this Choice state, which has ${choices.length} (0 to ${choices.length - 1}) besides 'default'`);
  }
  const last = branch === 'default' ? choices.length : branch + 1;
  return choices.slice(0, last).map((rule, i) => ({ rule, want: i === branch, where: `Choices[${i}]` }));
}
