import { compileChoiceRule, type ChoicePredicate } from '../../../src/asl/choice';
import type { ChoiceRule, JsonValue } from '../../../src/asl/definition-types';
import { StatesError } from '../../../src/asl/states-errors';
import { applyBindings, parseBindingPath, type Binding, type BindingTarget, type SolveContext } from '../../../src/explore/solve';
import { readTarget } from '../../../src/explore/solve/paths';

/** A SolveContext that reads the current values from documents, with some paths fixed. */
export function contextOf(target: BindingTarget, fixed: readonly string[] = []): SolveContext & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    current: (path) => {
      asked.push(path);
      const parsed = parseBindingPath(path);
      if ('error' in parsed) throw new Error(parsed.error);
      const value = readTarget(target, parsed.root, parsed.steps);
      return value === undefined ? { found: false } : { found: true, value };
    },
    isFixed: (path) => fixed.includes(path),
  };
}

/** What a rule comes to on documents: true, false, or the execution fails. */
export function evaluate(rule: ChoiceRule, target: BindingTarget): boolean | 'error' {
  return evaluator(rule)(target);
}

/** {@link evaluate} with the rule compiled once. */
export function evaluator(rule: ChoiceRule): (target: BindingTarget) => boolean | 'error' {
  const predicate = compileChoiceRule(rule, '/test');
  return (target) => run(predicate, target);
}

function run(predicate: ChoicePredicate, target: BindingTarget): boolean | 'error' {
  const variables = target.variables ?? {};
  try {
    return predicate({
      input: target.input ?? null,
      context: target.context ?? null,
      variables: { get: (name) => (Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined) },
    });
  } catch (e) {
    if (e instanceof StatesError && e.error === 'States.Runtime') return 'error';
    throw e;
  }
}

/** The documents after the bindings. */
export function after(target: BindingTarget, bindings: readonly Binding[]): BindingTarget {
  return applyBindings(target, bindings);
}

/** Shorthand for an input-only target. */
export function input(value: JsonValue): BindingTarget {
  return { input: value, context: {}, variables: {} };
}
