import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BuildContext, LANGUAGES, synthesizeAll } from './harness';
import type { JsonValue } from '../../../src/asl/definition-types';
import { Choice, Rule, When } from '../../../src/constructs/builders';

/** One typed rule and the values of `v` it must accept (true) or refuse (false). */
interface RuleCase {
  readonly title: string;
  readonly rule: () => Rule;
  readonly cases: ReadonlyArray<readonly [JsonValue, boolean]>;
}

const T0 = '2024-01-01T00:00:00Z';

// Every wrong-type value must make the rule false, as in JSONPath Choice rules.
const RULES: RuleCase[] = [
  { title: "string('v').equals('paid')", rule: () => When.string('v').equals('paid'), cases: [['paid', true], ['unpaid', false], [42, false], [null, false]] },
  { title: "string('v').lessThan('m')", rule: () => When.string('v').lessThan('m'), cases: [['a', true], ['m', false], ['z', false], [5, false]] },
  { title: "string('v').lessThanEquals('m')", rule: () => When.string('v').lessThanEquals('m'), cases: [['m', true], ['l', true], ['n', false], [true, false]] },
  { title: "string('v').greaterThan('m')", rule: () => When.string('v').greaterThan('m'), cases: [['z', true], ['m', false], ['a', false], [null, false]] },
  { title: "string('v').greaterThanEquals('m')", rule: () => When.string('v').greaterThanEquals('m'), cases: [['m', true], ['n', true], ['l', false], [['z'], false]] },
  {
    title: "string('v').matches('order-*.json')",
    rule: () => When.string('v').matches('order-*.json'),
    cases: [['order-1.json', true], ['order-.json', true], ['order-1.jsonx', false], ['order-1xjson', false], ['invoice.json', false], [7, false]],
  },
  { title: "string('v').matches('a\\\\*b') (literal star)", rule: () => When.string('v').matches('a\\*b'), cases: [['a*b', true], ['axb', false], ['a**b', false]] },
  {
    title: "string('v').matches('a\\\\*') (literal backslash, then anything)",
    rule: () => When.string('v').matches('a\\\\*'),
    cases: [['a\\', true], ['a\\xyz', true], ['a*', false], ['ab', false]],
  },
  { title: "string('v').matches('a*b') across lines", rule: () => When.string('v').matches('a*b'), cases: [['a\nb', true], ['a\r\n\nb', true], ['a\nc', false]] },
  { title: "number('v').equals(5)", rule: () => When.number('v').equals(5), cases: [[5, true], [5.0, true], [6, false], ['5', false], [null, false]] },
  { title: "number('v').lessThan(5)", rule: () => When.number('v').lessThan(5), cases: [[4.5, true], [-10, true], [5, false], ['4', false]] },
  { title: "number('v').lessThanEquals(5)", rule: () => When.number('v').lessThanEquals(5), cases: [[5, true], [4, true], [6, false], [false, false]] },
  { title: "number('v').greaterThan(5)", rule: () => When.number('v').greaterThan(5), cases: [[6, true], [5, false], [null, false], ['10', false]] },
  { title: "number('v').greaterThanEquals(5)", rule: () => When.number('v').greaterThanEquals(5), cases: [[5, true], [100, true], [4, false], [true, false]] },
  { title: "boolean('v').equals(true)", rule: () => When.boolean('v').equals(true), cases: [[true, true], [false, false], ['true', false], [1, false]] },
  { title: "boolean('v').equals(false)", rule: () => When.boolean('v').equals(false), cases: [[false, true], [true, false], [0, false], [null, false]] },
  {
    title: `timestamp('v').equals('${T0}')`,
    rule: () => When.timestamp('v').equals(T0),
    cases: [[T0, true], ['2024-01-01T01:00:00+01:00', true], ['2024-01-01T00:00:01Z', false], ['not a date', false], ['2024-01-01', false], [1704067200, false]],
  },
  {
    title: `timestamp('v').before('${T0}')`,
    rule: () => When.timestamp('v').before(T0),
    cases: [
      ['2023-12-31T23:59:59Z', true], ['2023-12-31T23:59:59.999999999Z', true], [T0, false], ['2024-06-01T00:00:00Z', false],
      ['yesterday', false], ['2023-12-31', false], ['2023-12-31t23:59:59z', false], ['2023-12-31T23:59:59', false], [0, false],
    ],
  },
  { title: `timestamp('v').atOrBefore('${T0}')`, rule: () => When.timestamp('v').atOrBefore(T0), cases: [[T0, true], ['2023-01-01T00:00:00Z', true], ['2024-01-01T00:00:00.5Z', false], ['now', false]] },
  { title: `timestamp('v').after('${T0}')`, rule: () => When.timestamp('v').after(T0), cases: [['2024-01-01T00:00:00.5Z', true], [T0, false], ['2023-12-31T23:00:00-02:00', true], ['later', false]] },
  { title: `timestamp('v').atOrAfter('${T0}')`, rule: () => When.timestamp('v').atOrAfter(T0), cases: [[T0, true], ['2030-01-01T00:00:00Z', true], ['2023-12-31T23:59:59Z', false], [true, false]] },
  { title: "field('v').isPresent()", rule: () => When.field('v').isPresent(), cases: [[1, true], [null, true], [false, true]] },
  { title: "field('v').isNull()", rule: () => When.field('v').isNull(), cases: [[null, true], [0, false], ['', false], [false, false]] },
  { title: "field('v').isString()", rule: () => When.field('v').isString(), cases: [['x', true], ['', true], [1, false], [null, false], [['x'], false]] },
  { title: "field('v').isNumeric()", rule: () => When.field('v').isNumeric(), cases: [[1, true], [0.5, true], ['1', false], [null, false]] },
  { title: "field('v').isBoolean()", rule: () => When.field('v').isBoolean(), cases: [[false, true], [true, true], ['false', false], [0, false]] },
  {
    title: "and(number('v').greaterThan(1), number('v').lessThan(10))",
    rule: () => When.and(When.number('v').greaterThan(1), When.number('v').lessThan(10)),
    cases: [[5, true], [1, false], [10, false], ['5', false]],
  },
  {
    title: "or(string('v').equals('a'), number('v').equals(1))",
    rule: () => When.or(When.string('v').equals('a'), When.number('v').equals(1)),
    cases: [['a', true], [1, true], ['b', false], [2, false]],
  },
  { title: "not(string('v').equals('a'))", rule: () => When.not(When.string('v').equals('a')), cases: [['b', true], ['a', false], [1, true]] },
];

const pass = (ctx: BuildContext, id: string) => (ctx.jsonata ? sfn.Pass.jsonata(ctx.scope, id) : new sfn.Pass(ctx.scope, id));

/** A Choice that goes to Matched when the rule holds and to Otherwise when not; the language is inherited from the machine. */
const routeOn = (rule: Rule) => (ctx: BuildContext) => new Choice(ctx.scope, 'Route').when(rule, pass(ctx, 'Matched')).otherwise(pass(ctx, 'Otherwise'));

function machines(ql: sfn.QueryLanguage) {
  const builds: Record<string, (ctx: BuildContext) => sfn.IChainable> = {};
  RULES.forEach((r, i) => { builds[`rule${i}`] = routeOn(r.rule()); });
  return synthesizeAll<string>({
    ...builds,
    // First matching rule wins: three branches and the otherwise.
    tiers: (ctx: BuildContext) => new Choice(ctx.scope, 'Tier')
      .when(When.number('order.total').greaterThanEquals(1000), pass(ctx, 'Manual review'))
      .when(When.number('order.total').greaterThan(100), pass(ctx, 'Priority'))
      .when(When.string('order.country').equals('NZ'), pass(ctx, 'Overseas'))
      .otherwise(pass(ctx, 'Standard')),
    contextField: routeOn(When.string('$$.Execution.Input.v').equals('paid')),
    nestedField: routeOn(When.string('order.items[0].sku-id').equals('SKU-1')),
    literalNames: routeOn(When.and(When.string('flags.null').equals('x'), When.boolean('flags.true').equals(true), When.number('flags.false[0]').equals(1))),
    variable: (ctx: BuildContext) => (ctx.jsonata
      ? sfn.Pass.jsonata(ctx.scope, 'Remember', { assign: { limit: '{% $states.input.v %}' } })
      : new sfn.Pass(ctx.scope, 'Remember', { assign: { 'limit.$': '$.v' } })
    ).next(routeOn(When.number('$limit').greaterThan(5))(ctx)),
    noMatchAllowed: (ctx: BuildContext) => new Choice(ctx.scope, 'Route', { allowNoMatch: true }).when(When.string('v').equals('paid'), pass(ctx, 'Matched')),
    factory: (ctx: BuildContext) => (ctx.jsonata ? Choice.jsonata(ctx.scope, 'Route') : Choice.jsonPath(ctx.scope, 'Route'))
      .when(When.number('v').greaterThan(5), pass(ctx, 'Matched')).otherwise(pass(ctx, 'Otherwise')),
  }, ql);
}

const branchOf = (path: string[]) => path[path.length - 1];

describe.each(LANGUAGES)('Choice (%s)', (_name, ql) => {
  let m: ReturnType<typeof machines>;
  beforeAll(() => { m = machines(ql); });

  describe.each(RULES.map((r, i) => [r.title, i, r] as const))('When.%s', (_title, i, r) => {
    it.each(r.cases.map(([value, expected]) => [JSON.stringify(value), expected ? 'the rule\'s branch' : 'the otherwise', value, expected] as const))(
      'takes, for v = %s, %s', async (_v, _branch, value, expected) => {
        const run = await m[`rule${i}`].run({ v: value });
        expect(run.status).toBe('SUCCEEDED');
        expect(branchOf(run.path)).toBe(expected ? 'Matched' : 'Otherwise');
      });
  });

  it.each([
    [{ total: 5000, country: 'NZ' }, 'Manual review'],
    [{ total: 500, country: 'NZ' }, 'Priority'],
    [{ total: 50, country: 'NZ' }, 'Overseas'],
    [{ total: 50, country: 'DE' }, 'Standard'],
  ])('takes the first branch whose rule holds (order %j goes to %s)', async (order, branch) => {
    const run = await m.tiers.run({ order });
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { order } });
    expect(run.path).toEqual(['Tier', branch]);
  });

  it.each([['paid', 'Matched'], ['due', 'Otherwise']])('reads $$ context fields (execution input v = %s goes to %s)', async (v, branch) => {
    expect(branchOf((await m.contextField.run({ v })).path)).toBe(branch);
  });

  it.each([['SKU-1', 'Matched'], ['SKU-2', 'Otherwise']])('reads nested fields with indexes and dashes (sku-id %s goes to %s)', async (sku, branch) => {
    expect(branchOf((await m.nestedField.run({ order: { items: [{ 'sku-id': sku }] } })).path)).toBe(branch);
  });

  it.each([['x', 'Matched'], ['y', 'Otherwise']])('reads fields named null, true and false (flags.null = %s goes to %s)', async (v, branch) => {
    const run = await m.literalNames.run({ flags: { null: v, true: true, false: [1] } });
    expect(run.status).toBe('SUCCEEDED');
    expect(branchOf(run.path)).toBe(branch);
  });

  it.each([[6, 'Matched'], [5, 'Otherwise']])('reads variables ($limit = %s goes to %s)', async (v, branch) => {
    expect(branchOf((await m.variable.run({ v })).path)).toBe(branch);
  });

  it.each([[6, 'Matched'], [5, 'Otherwise']])('behaves the same when the Choice pins its language with a factory (v = %s goes to %s)', async (v, branch) => {
    expect(branchOf((await m.factory.run({ v })).path)).toBe(branch);
  });

  it('with allowNoMatch, fails the execution with States.NoChoiceMatched when no rule holds', async () => {
    const run = await m.noMatchAllowed.run({ v: 'due' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
    expect(branchOf((await m.noMatchAllowed.run({ v: 'paid' })).path)).toBe('Matched');
  });

  it('compares a missing field as AWS does in this language: States.Runtime in JSONPath, false in JSONata', async () => {
    const run = await m.rule0.run({ other: 1 });
    if (ql === sfn.QueryLanguage.JSONATA) {
      expect(run.status).toBe('SUCCEEDED');
      expect(branchOf(run.path)).toBe('Otherwise');
    } else {
      expect(run).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    }
  });
});
