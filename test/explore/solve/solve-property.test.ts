import fc from 'fast-check';
import { after, contextOf, evaluate, evaluator } from './helpers';
import type { ChoiceRule, JsonValue } from '../../../src/asl/definition-types';
import { solveChoiceBranch, solveRules, type BindingTarget, type RuleGoal } from '../../../src/explore/solve';
import { rulePaths } from '../../../src/explore/solve/formula';

/** Paths over a small pool, so rules often read the same node, its parent or its child. */
const PATHS = ['$', '$.a', '$.b', '$.a.b', '$.a.c', "$['x y']", '$.a[0]', '$.items[0]', '$.items[1]', '$.items[-1]', '$.a.b.c', '$v1', '$v1.a', '$$.Execution.Input.a'];
const NUMBERS = [-1, 0, 1, 1.5, 2, 100, 1e-9, -1e308];
const STRINGS = ['', 'a', 'b', 'ab', 'x y', 'A', '2024-01-01T00:00:00Z', '\u0000'];
const PATTERNS = ['*', 'a*', '*b', 'a*b', 'a\\*', '**', 'ab', '*a*', '', '\\\\*'];
const TIMESTAMPS = ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.5+01:00', '2023-12-31T23:59:59Z', '0000-01-01T00:00:00+18:00'];
const ORDERS = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];

const path = fc.constantFrom(...PATHS);
const comparison: fc.Arbitrary<ChoiceRule> = fc.oneof(
  fc.tuple(path, fc.constantFrom(...ORDERS), fc.constantFrom(...NUMBERS)).map(([v, op, n]) => ({ Variable: v, [`Numeric${op}`]: n })),
  fc.tuple(path, fc.constantFrom(...ORDERS), fc.constantFrom(...STRINGS)).map(([v, op, s]) => ({ Variable: v, [`String${op}`]: s })),
  fc.tuple(path, fc.constantFrom(...ORDERS), fc.constantFrom(...TIMESTAMPS)).map(([v, op, t]) => ({ Variable: v, [`Timestamp${op}`]: t })),
  fc.tuple(path, fc.constantFrom(...PATTERNS)).map(([v, p]) => ({ Variable: v, StringMatches: p })),
  fc.tuple(path, fc.boolean()).map(([v, b]) => ({ Variable: v, BooleanEquals: b })),
  fc.tuple(path, fc.constantFrom('IsPresent', 'IsNull', 'IsString', 'IsNumeric', 'IsBoolean', 'IsTimestamp'), fc.boolean()).map(([v, op, b]) => ({ Variable: v, [op]: b })),
  fc.tuple(path, fc.constantFrom('Numeric', 'String', 'Timestamp', 'Boolean'), fc.constantFrom(...ORDERS), path)
    .filter(([, family, op]) => family !== 'Boolean' || op === 'Equals')
    .map(([v, family, op, p]) => ({ Variable: v, [`${family}${op}Path`]: p })),
);

function ruleArb(depth: number): fc.Arbitrary<ChoiceRule> {
  if (depth <= 0) return comparison;
  const sub = ruleArb(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: comparison },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 3 }).map((rules) => ({ And: rules })) },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 3 }).map((rules) => ({ Or: rules })) },
    { weight: 1, arbitrary: sub.map((rule) => ({ Not: rule })) },
  );
}

const leaf: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.constantFrom(...NUMBERS), fc.constantFrom(...STRINGS), fc.constantFrom(...TIMESTAMPS),
);
const value: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 3 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'items', 'x y'), tie('v'), { maxKeys: 3 }) },
  ),
})).v;
const documents: fc.Arbitrary<BindingTarget> = fc.record({
  input: fc.oneof({ weight: 5, arbitrary: fc.dictionary(fc.constantFrom('a', 'b', 'items', 'x y'), value, { maxKeys: 4 }) }, { weight: 1, arbitrary: value }),
  context: fc.record({ Execution: fc.record({ Input: fc.dictionary(fc.constantFrom('a', 'b'), value, { maxKeys: 2 }) }) }),
  variables: fc.dictionary(fc.constantFrom('v1', 'v2'), value, { maxKeys: 2 }),
});

/** Documents to probe an `unsat` answer with: random ones, and each with every path set to each pool value. */
const PROBES: BindingTarget[] = fc.sample(documents, { numRuns: 80, seed: 7 });

function probeSatisfies(goals: readonly RuleGoal[]): BindingTarget | undefined {
  const values: JsonValue[] = [...NUMBERS, ...STRINGS, ...TIMESTAMPS, true, false, null, {}, []];
  const checks = goals.map((g) => ({ run: evaluator(g.rule), want: g.want }));
  const satisfies = (docs: BindingTarget): boolean => checks.every((c) => c.run(docs) === c.want);
  const paths = [...new Set(goals.flatMap((g) => rulePaths(g.rule)))];
  for (const probe of PROBES) {
    if (satisfies(probe)) return probe;
    for (const p of paths) {
      for (const v of values) {
        let changed: BindingTarget;
        try {
          changed = after(probe, [{ path: p, value: v }]);
        } catch {
          continue; // a negative index before the start of the array there
        }
        if (satisfies(changed)) return changed;
      }
    }
  }
  return undefined;
}

/** The quick budget CI runs; `SOLVER_RUNS` and `SOLVER_SEED` change it. */
const RUNS = Number(process.env.SOLVER_RUNS ?? 400);
const SEED = Number(process.env.SOLVER_SEED ?? 42);
jest.setTimeout(300_000);

describe('solveRules on random rules', () => {
  it('answers sat only with bindings that make every rule come out as wanted, and unsat only where probing finds nothing', () => {
    const counts = { sat: 0, unsat: 0, unknown: 0 };
    fc.assert(fc.property(
      fc.array(fc.tuple(ruleArb(2), fc.boolean()), { minLength: 1, maxLength: 3 }), documents,
      (pairs, docs) => {
        const goals: RuleGoal[] = pairs.map(([rule, want]) => ({ rule, want }));
        const result = solveRules(goals, contextOf(docs));
        counts[result.kind]++;
        if (result.kind === 'sat') {
          const changed = after(docs, result.bindings);
          for (const g of goals) expect({ rule: g.rule, result: evaluate(g.rule, changed) }).toEqual({ rule: g.rule, result: g.want });
        } else if (result.kind === 'unsat') {
          const witness = probeSatisfies(goals);
          expect({ goals, reason: result.reason, witness }).toEqual({ goals, reason: result.reason, witness: undefined });
        } else {
          if (process.env.SOLVER_DEBUG) console.log(JSON.stringify(goals), result.reason);
          expect(result.reason).not.toMatch(/solver defect/);
        }
      },
    ), { numRuns: RUNS, seed: SEED });
    // The property means little if nearly every answer were `unknown`.
    expect(counts.sat).toBeGreaterThan(RUNS / 2);
    expect(counts.unsat).toBeGreaterThan(RUNS / 50);
    expect(counts.unknown).toBeLessThan(RUNS / 10);
  });

  it('never binds a fixed path and still makes the rules come out as wanted', () => {
    fc.assert(fc.property(ruleArb(2), fc.boolean(), documents, fc.subarray(PATHS), (rule, want, docs, fixed) => {
      const result = solveRules([{ rule, want }], contextOf(docs, fixed));
      if (result.kind !== 'sat') return;
      const changed = after(docs, result.bindings);
      expect(evaluate(rule, changed)).toBe(want);
      for (const f of fixed) {
        if (f === '$' || f === '$.items[-1]') continue;
        const before = JSON.stringify(after(docs, []));
        void before;
        expect(result.bindings.map((b) => b.path)).not.toContain(f);
      }
    }), { numRuns: RUNS / 2, seed: SEED + 1 });
  });

  it('takes the branch asked for in Choice states of random rules', () => {
    fc.assert(fc.property(fc.array(ruleArb(1), { minLength: 1, maxLength: 3 }), fc.nat(3), documents, (rules, pick, docs) => {
      const state = { Type: 'Choice' as const, Choices: rules.map((r) => ({ ...r, Next: 'X' })), Default: 'D' };
      const branch = pick >= rules.length ? 'default' : pick;
      const result = solveChoiceBranch(state, branch, contextOf(docs));
      if (result.kind !== 'sat') return;
      const changed = after(docs, result.bindings);
      const outcomes = state.Choices.map((r) => evaluate(r, changed));
      const taken = outcomes.findIndex((o) => o !== false);
      expect(taken === -1 ? 'default' : outcomes[taken] === 'error' ? 'error' : taken).toBe(branch);
    }), { numRuns: RUNS / 2, seed: SEED + 2 });
  });
});
