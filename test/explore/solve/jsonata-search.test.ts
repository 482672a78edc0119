import { contextOf } from './helpers';
import type { ChoiceState, JsonValue } from '../../../src/asl/definition-types';
import { compileJsonataValue } from '../../../src/asl/jsonata/compile';
import { seededRandom } from '../../../src/asl/random';
import {
  applyBindings, searchJsonataBranch, searchJsonataCondition,
  type Binding, type BindingTarget, type JsonataSearchContext, type SolveResult,
} from '../../../src/explore/solve';

/** Evaluates a Condition as the interpreter does, on the documents with the bindings applied. */
async function evaluateCondition(expression: string, docs: BindingTarget, bindings: readonly Binding[], now = 0): Promise<boolean | Error> {
  const changed = applyBindings(docs, bindings);
  try {
    const value = await compileJsonataValue(`{% ${expression} %}`, 'Condition').evaluate({
      states: { input: changed.input ?? null, context: changed.context ?? {} },
      variables: changed.variables ?? {},
      random: seededRandom(1),
      now,
    });
    return typeof value === 'boolean' ? value : new Error(`the Condition returned ${JSON.stringify(value)}, not a boolean`);
  } catch (e) {
    return e as Error;
  }
}

function searchContext(expression: string, docs: BindingTarget, extra: Partial<JsonataSearchContext> = {}): JsonataSearchContext & { calls: number } {
  const ctx = {
    calls: 0,
    ...contextOf(docs),
    evaluate: async (bindings: readonly Binding[]) => {
      ctx.calls++;
      return evaluateCondition(expression, docs, bindings, extra.now);
    },
    ...extra,
  };
  return ctx;
}

async function search(expression: string, want: boolean, docs: BindingTarget, extra: Partial<JsonataSearchContext> = {}): Promise<SolveResult> {
  return searchJsonataCondition(expression, want, searchContext(expression, docs, extra));
}

/** Searches, expects `sat`, and checks the Condition with the bindings comes out as wanted. */
async function satisfy(expression: string, want: boolean, docs: BindingTarget): Promise<readonly Binding[]> {
  const result = await search(expression, want, docs);
  if (result.kind !== 'sat') throw new Error(`expected sat, got ${JSON.stringify(result)}`);
  expect(await evaluateCondition(expression, docs, result.bindings)).toBe(want);
  return result.bindings;
}

const docsOf = (input: JsonValue, variables: Record<string, JsonValue> = {}): BindingTarget => ({ input, context: {}, variables });

describe('searchJsonataCondition', () => {
  it('makes $states.input.amount > 100 true with the literal plus one', async () => {
    expect(await satisfy('$states.input.amount > 100', true, docsOf({ amount: 5 }))).toEqual([{ path: '$states.input.amount', value: 101 }]);
  });

  it('makes it false with the literal itself', async () => {
    expect(await satisfy('$states.input.amount > 100', false, docsOf({ amount: 500 }))).toEqual([{ path: '$states.input.amount', value: 100 }]);
  });

  it('binds nothing when the Condition already comes out as wanted', async () => {
    expect(await satisfy('$states.input.amount > 100', true, docsOf({ amount: 500 }))).toEqual([]);
  });

  it('makes $contains($states.input.s, "x") true and false', async () => {
    await satisfy('$contains($states.input.s, "x")', true, docsOf({ s: 'abc' }));
    await satisfy('$contains($states.input.s, "x")', false, docsOf({ s: 'xyz' }));
  });

  it('makes $count($states.input.items) = 0 true and false', async () => {
    expect(await satisfy('$count($states.input.items) = 0', true, docsOf({ items: [1, 2] }))).toEqual([{ path: '$states.input.items', value: [] }]);
    await satisfy('$count($states.input.items) = 0', false, docsOf({ items: [] }));
  });

  it('solves and/or of several fields', async () => {
    await satisfy('$states.input.kind = "gold" and $states.input.total >= 1000', true, docsOf({ kind: 'basic', total: 5 }));
    await satisfy('$states.input.kind = "gold" or $states.input.total >= 1000', false, docsOf({ kind: 'gold', total: 5000 }));
  });

  it('brings a conjunction over three fields round when one of them needs its second value (a text other than the one compared with)', async () => {
    const expression = "$states.input.status = 'CLEAR' and $substring($states.input.country, 0, 2) in ['US', 'CA'] and $states.input.category != 'contractor'";
    const bindings = await satisfy(expression, true, docsOf({}));
    expect(bindings.map((b) => b.path).sort()).toEqual(['$states.input.category', '$states.input.country', '$states.input.status']);
  });

  it('binds workflow variables', async () => {
    const bindings = await satisfy('$limit.max < $states.input.n', true, docsOf({ n: 3 }, { limit: { max: 10 } }));
    expect(bindings.length).toBeGreaterThan(0);
  });

  it('tries a field compared with another near the other\'s value: $seen < $limit false with $limit a fixed 400', async () => {
    const docs = docsOf({}, { seen: 3, limit: 400 });
    const result = await search('$seen < $limit', false, docs, { isFixed: (p) => p === '$limit' });
    expect(result.kind).toBe('sat');
    const bindings = (result as { bindings: readonly Binding[] }).bindings;
    expect(bindings).toEqual([{ path: '$seen', value: 400 }]);
    expect(await evaluateCondition('$seen < $limit', docs, bindings)).toBe(false);
  });

  it('reads a workflow variable named like a built-in function ($count) as a variable, and a call of it as the function', async () => {
    expect(await satisfy('$count > 2', true, docsOf({}, { count: 0 }))).toEqual([{ path: '$count', value: 3 }]);
    expect((await satisfy('$count($states.input.items) > 1', true, docsOf({ items: [] }))).map((b) => b.path)).toEqual(['$states.input.items']);
  });

  it('does not take names the expression binds itself for variables', async () => {
    const bindings = await satisfy('($t := 5; $states.input.n > $t)', true, docsOf({ n: 0 }));
    expect(bindings.map((b) => b.path)).toEqual(['$states.input.n']);
  });

  it('reads an index into an array as a field', async () => {
    await satisfy('$states.input.items[0].qty > 2', true, docsOf({ items: [{ qty: 1 }] }));
  });

  it('accepts the Condition with its {% %} delimiters', async () => {
    const result = await searchJsonataCondition('{% $states.input.ok %}', true, searchContext('$states.input.ok', docsOf({ ok: false })));
    expect(result).toEqual({ kind: 'sat', bindings: [{ path: '$states.input.ok', value: true }] });
  });

  it('never binds a fixed field', async () => {
    const result = await search('$states.input.a = 1 or $states.input.b = 2', true, docsOf({ a: 0, b: 0 }), { isFixed: (p) => p === '$states.input.a' });
    expect(result).toEqual({ kind: 'sat', bindings: [{ path: '$states.input.b', value: 2 }] });
  });

  it('answers unknown, naming the expression and the fields tried, when its search finds nothing', async () => {
    const expression = '$states.input.code = $string($states.input.n * 7919 % 104729) & "-ok"';
    const result = await search(expression, true, docsOf({ code: 'a', n: 1 }), { budget: 40 });
    expect(result.kind).toBe('unknown');
    expect((result as { reason: string }).reason).toContain(`the JSONata Condition '${expression}' was not brought to the wanted value in 40 tries over $states.input.code, $states.input.n`);
  });

  it('stays within its budget of evaluations', async () => {
    const ctx = searchContext('$states.input.a = "never seen"', docsOf({}), { budget: 25 });
    await searchJsonataCondition('$string($states.input.a) = "never" & " seen"', true, ctx);
    expect(ctx.calls).toBeLessThanOrEqual(25);
  });

  it('says when the Condition looks fields up by name, which the search cannot follow', async () => {
    const result = await search('$lookup($states.input, "k" & "ey") = 5', true, docsOf({}), { budget: 30 });
    expect((result as { reason: string }).reason).toContain('looks fields up by name');
  });

  it('proves a Condition that reads nothing changeable and is always false unsatisfiable', async () => {
    expect((await search('1 > 2', true, docsOf({}))).kind).toBe('unsat');
    const fixed = await search('$states.context.State.RetryCount > 2', true, { input: {}, context: { State: { RetryCount: 0 } } }, { isFixed: () => true });
    expect(fixed).toEqual({ kind: 'unsat', reason: expect.stringContaining('reads only values that cannot be changed ($states.context.State.RetryCount)') });
  });

  it('does not prove anything about a Condition whose result varies', async () => {
    expect((await search('$random() > 2', true, docsOf({}), { budget: 5 })).kind).toBe('unknown');
  });

  it('puts a field read as a time either side of a time the run\'s clock gives ($now, $millis, an age)', async () => {
    const now = Date.UTC(2026, 5, 15, 12);
    const docs = docsOf({ key: 'a.tmp', modified: 'x', expires: 'x', at: 'x' });
    const cases: Array<[string, boolean]> = [
      ['$toMillis($states.input.modified) < $toMillis($now()) - 604800000', true],
      ['$toMillis($states.input.modified) < $toMillis($now()) - 7 * 24 * 3600 * 1000', false],
      ['$states.input.expires < $now()', true],
      ['$now() < $states.input.expires', true],
      ['$millis() - $toMillis($states.input.at) > 86400000', true],
      ['$states.input.at >= $millis() + 3600000', true],
      // The time left until a field's (a trial ending, a deadline), both sides of three days.
      ['$toMillis($states.input.expires) - $toMillis($now()) < 259200000', false],
      ['$toMillis($states.input.expires) - $toMillis($now()) < 259200000', true],
    ];
    for (const [expression, want] of cases) {
      const result = await search(expression, want, docs, { now });
      if (result.kind !== 'sat') throw new Error(`${expression}: expected sat, got ${JSON.stringify(result)}`);
      expect(await evaluateCondition(expression, docs, result.bindings, now)).toBe(want);
    }
  });

  it('puts a field read as a time either side of the execution\'s StartTime', async () => {
    const now = Date.UTC(2026, 5, 15, 12);
    // The Choice is entered an hour after the start.
    const docs: BindingTarget = { input: { expiresAt: 'x' }, context: { Execution: { StartTime: new Date(now - 3_600_000).toISOString() } }, variables: {} };
    const expression = '$toMillis($states.input.expiresAt) < $toMillis($states.context.Execution.StartTime)';
    for (const want of [true, false]) {
      const result = await search(expression, want, docs, { now });
      if (result.kind !== 'sat') throw new Error(`${expression}: expected sat, got ${JSON.stringify(result)}`);
      expect(await evaluateCondition(expression, docs, result.bindings, now)).toBe(want);
    }
  });

  it('answers unknown for a Condition that does not parse', async () => {
    expect(await search('$states.input.a >', true, docsOf({}))).toEqual({ kind: 'unknown', reason: expect.stringContaining('does not parse') });
  });

  it('gives the same answer to the same question', async () => {
    const a = await search('$states.input.x.y < -3 and $contains($states.input.s, "q")', true, docsOf({}));
    const b = await search('$states.input.x.y < -3 and $contains($states.input.s, "q")', true, docsOf({}));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('searchJsonataBranch', () => {
  const state: ChoiceState = {
    Type: 'Choice',
    QueryLanguage: 'JSONata',
    Choices: [
      { Condition: '{% $states.input.total > 1000 %}', Next: 'Review' },
      { Condition: '{% $states.input.total > 100 %}', Next: 'Check' },
      { Condition: false, Next: 'Never' },
    ],
    Default: 'Ship',
  };
  const branchContext = (docs: BindingTarget) => ({
    ...contextOf(docs),
    evaluate: (index: number, bindings: readonly Binding[]) => {
      const condition = state.Choices[index].Condition as string;
      return evaluateCondition(condition.slice(2, -2), docs, bindings);
    },
  });

  it('makes the Conditions before the branch false and the branch true', async () => {
    const docs = docsOf({ total: 5000 });
    const result = await searchJsonataBranch(state, 1, branchContext(docs));
    if (result.kind !== 'sat') throw new Error(JSON.stringify(result));
    expect(await evaluateCondition('$states.input.total > 1000', docs, result.bindings)).toBe(false);
    expect(await evaluateCondition('$states.input.total > 100', docs, result.bindings)).toBe(true);
  });

  it('makes every Condition false for the Default', async () => {
    const result = await searchJsonataBranch(state, 'default', branchContext(docsOf({ total: 5000 })));
    expect(result).toEqual({ kind: 'sat', bindings: [{ path: '$states.input.total', value: 100 }] });
  });

  it('proves a branch whose Condition is the literal false unreachable', async () => {
    expect(await searchJsonataBranch(state, 2, branchContext(docsOf({})))).toEqual({ kind: 'unsat', reason: 'Choices[2] has the Condition false, which is never true' });
  });

  /** A JSONata Choice of these Conditions, with an evaluating context. */
  type BranchContext = Parameters<typeof searchJsonataBranch>[2];
  const choiceOf = (conditions: string[]): { state: ChoiceState; context: (docs: BindingTarget, extra?: object) => BranchContext } => {
    const s: ChoiceState = { Type: 'Choice', QueryLanguage: 'JSONata', Choices: conditions.map((c, i) => ({ Condition: `{% ${c} %}`, Next: `S${i}` })), Default: 'D' };
    return {
      state: s,
      context: (docs, extra = {}) => ({
        ...contextOf(docs),
        evaluate: (index: number, bindings: readonly Binding[]) => evaluateCondition(conditions[index], docs, bindings),
        ...extra,
      }),
    };
  };
  /** Takes every branch of the Choice and checks the Conditions come out as each needs. */
  const takesEvery = async (conditions: string[], docs: BindingTarget, extra: object = {}): Promise<void> => {
    const { state: s, context } = choiceOf(conditions);
    for (const branch of [...conditions.map((_c, i) => i), 'default' as const]) {
      const result = await searchJsonataBranch(s, branch, context(docs, extra));
      if (result.kind !== 'sat') throw new Error(`branch ${branch}: ${JSON.stringify(result)}`);
      const last = branch === 'default' ? conditions.length : branch + 1;
      for (let i = 0; i < last; i++) expect(await evaluateCondition(conditions[i], docs, result.bindings)).toBe(i === branch);
    }
  };

  it('takes each of five string Conditions in turn: $contains with a text and a regex, $substring, $length, $uppercase in a list', async () => {
    await takesEvery([
      '$contains($states.input.email, "@example.com")',
      '$contains($states.input.code, /^ERR-[0-9]{3}$/)',
      '$substring($states.input.sku, 0, 3) = "VIP"',
      '$length($states.input.name) > 20',
      '$uppercase($states.input.tier) in ["GOLD", "PLATINUM"]',
    ], docsOf({}));
  });

  it('brings a sum over several fields round, each field that holds no number given one', async () => {
    await takesEvery(['$subtotal + $tax + $shipping > 500', '$sum($states.input.lines.amount) > 100'], docsOf({}));
  });

  it('tries the values the contract allows for a field a Condition compares with a variable', async () => {
    const docs = docsOf({}, { terminal: ['STOPPED'], state: 'RUNNING' });
    const { state: s, context } = choiceOf(['$state in $terminal']);
    const valuesFor = (p: string): string[] => (p === '$state' ? ['RUNNING', 'STOPPED'] : []);
    const result = await searchJsonataBranch(s, 0, context(docs, { isFixed: (p: string) => p === '$terminal', valuesFor }));
    expect(result).toEqual({ kind: 'sat', bindings: [{ path: '$state', value: 'STOPPED' }] });
  });

  it('tries the texts the machine compares with for a field its Condition compares with no text of its own', async () => {
    const docs = docsOf({}, { terminal: ['CANCELLED'], status: 'x' });
    const { state: s, context } = choiceOf(['$status in $terminal']);
    const result = await searchJsonataBranch(s, 0, context(docs, { isFixed: (p: string) => p === '$terminal', texts: ['DONE', 'CANCELLED'] }));
    expect(result).toEqual({ kind: 'sat', bindings: [{ path: '$status', value: 'CANCELLED' }] });
  });

  it('takes a rule comparing a field with a variable times a number behind three rules on another variable, within its budget', async () => {
    await takesEvery([
      '$not($exists($status))',
      "$status = 'LAPSED'",
      "$uppercase($status) = 'CANCELLED'",
      "$status = 'ACTIVE' and $states.input.quote > $premium * 1.25",
    ], docsOf({ quote: 1 }, { status: 'S', premium: 1 }));
  });

  it('brings a product of two texts read as numbers past a threshold, each factor given a value past it', async () => {
    await takesEvery(['$number($states.input.row.count) * $number($states.input.row.unitCost) > 10000'], docsOf({ row: { count: 'x', unitCost: 'y' } }));
  });

  it('tries first the values a rule itself compares with, so that rules sharing a field with the ones before them are taken', async () => {
    const takes = async (conditions: string[], docs: BindingTarget): Promise<void> => {
      const { state: s, context } = choiceOf(conditions);
      const result = await searchJsonataBranch(s, 2, context(docs));
      if (result.kind !== 'sat') throw new Error(`branch 2: ${JSON.stringify(result)}`);
      for (let i = 0; i < 3; i++) expect(await evaluateCondition(conditions[i], docs, result.bindings)).toBe(i === 2);
    };
    await takes([
      "$lowercase($states.input.decision) = 'rejected'",
      "$lowercase($states.input.decision) = 'approved' and $states.input.approvedAmount >= $amount * 0.9",
      "$lowercase($states.input.decision) = 'approved' and $length($states.input.comment) > 0",
    ], docsOf({}, { amount: 100 }));
    await takes([
      '$states.input.score < 580',
      '$dti > 0.43',
      '$states.input.score >= 740 and $dti < 0.3 and $states.input.accounts > 0',
    ], docsOf({}, { dti: 0.5 }));
  });

  it('tries a key $lookup reads at the keys of the object it looks in, and the field compared with it beyond their values', async () => {
    const docs = docsOf({}, { limits: { auto: 5000, home: 20000 }, category: 'none', net: 0 });
    const { state: s, context } = choiceOf(['$not($exists($lookup($limits, $category)))', '$net > $lookup($limits, $category)']);
    const result = await searchJsonataBranch(s, 1, context(docs, { isFixed: (p: string) => p === '$limits' }));
    if (result.kind !== 'sat') throw new Error(`expected sat, got ${JSON.stringify(result)}`);
    const bound = Object.fromEntries(result.bindings.map((b) => [b.path, 'value' in b ? b.value : undefined]));
    expect(bound.$category).toBe('auto');
    expect(bound.$net).toBeGreaterThan(5000);
  });

  it('refuses a branch that is not one of the Conditions', async () => {
    await expect(searchJsonataBranch(state, 7, branchContext(docsOf({})))).rejects.toThrow(RangeError);
  });
});
