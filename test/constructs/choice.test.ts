import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { render } from './render';
import { Choice, When } from '../../src/constructs/builders';

const J = sfn.QueryLanguage.JSONATA;
const pass = (s: any, id: string) => new sfn.Pass(s, id);

describe('Choice', () => {
  const rule = () => When.and(When.string('status').equals('paid'), When.not(When.number('$.total').lessThanEquals(100)), When.field('$$.Execution.Input.vip').isPresent());

  it('renders typed rules as JSONPath comparisons', () => {
    const asl = render((s) => new Choice(s, 'Route').when(rule(), pass(s, 'A')).otherwise(pass(s, 'B')));
    expect(asl.States.Route).toEqual({
      Type: 'Choice',
      Default: 'B',
      Choices: [{
        And: [
          { Variable: '$.status', StringEquals: 'paid' },
          { Not: { Variable: '$.total', NumericLessThanEquals: 100 } },
          { Variable: '$$.Execution.Input.vip', IsPresent: true },
        ],
        Next: 'A',
      }],
    });
  });

  it('renders the same rules as a JSONata Condition, guarding typed comparisons with $type', () => {
    const asl = render((s) => Choice.jsonata(s, 'Route').when(rule(), pass(s, 'A')).otherwise(pass(s, 'B')), { queryLanguage: J });
    expect(asl.States.Route.Choices).toEqual([{
      Condition: '{% (($states.input.status = "paid") and $not(($type($states.input.total) = "number" and $states.input.total <= 100)) and $exists($states.context.Execution.Input.vip)) %}',
      Next: 'A',
    }]);
  });

  it('renders JSONata when the state inherits JSONata from the state machine', () => {
    const asl = render((s) => new Choice(s, 'Route').when(When.boolean('ok').equals(true), pass(s, 'A')).otherwise(pass(s, 'B')), { queryLanguage: J });
    expect(asl.States.Route.Choices[0].Condition).toBe('{% ($states.input.ok = true) %}');
  });

  it.each([
    [When.string('name').matches('a*b\\*.c'), { Variable: '$.name', StringMatches: 'a*b\\*.c' }, '($type($states.input.name) = "string" and $contains($states.input.name, /^a[\\s\\S]*b\\*\\.c$/))'],
    [When.timestamp('at').before('2024-01-01T00:00:00Z'), { Variable: '$.at', TimestampLessThan: '2024-01-01T00:00:00Z' }, '($type($states.input.at) = "string" and $contains($states.input.at, /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$/)'
      + ' and $toMillis($states.input.at) < $toMillis("2024-01-01T00:00:00Z"))'],
    [When.or(When.field('x').isNull(), When.field('$count').isNumeric()), { Or: [{ Variable: '$.x', IsNull: true }, { Variable: '$count', IsNumeric: true }] }, '(($states.input.x = null) or ($type($count) = "number"))'],
    [When.string('a').matches('x\\\\*\\*(y)'), { Variable: '$.a', StringMatches: 'x\\\\*\\*(y)' }, '($type($states.input.a) = "string" and $contains($states.input.a, /^x\\x5c[\\s\\S]*\\*\\(y\\)$/))'],
    [When.string('flags.null').equals('x'), { Variable: '$.flags.null', StringEquals: 'x' }, '($states.input.flags.`null` = "x")'],
    [When.string('order.items[0].sku-id').greaterThan('m'), { Variable: '$.order.items[0].sku-id', StringGreaterThan: 'm' }, '($type($states.input.order.items[0].`sku-id`) = "string" and $states.input.order.items[0].`sku-id` > "m")'],
  ])('renders rule %# in both languages', (r, jsonPath, jsonata) => {
    const jp = render((s) => new Choice(s, 'C').when(r, pass(s, 'A')).otherwise(pass(s, 'B')));
    expect(jp.States.C.Choices[0]).toEqual({ ...jsonPath, Next: 'A' });
    const jn = render((s) => Choice.jsonata(s, 'C').when(r, pass(s, 'A')).otherwise(pass(s, 'B')), { queryLanguage: J });
    expect(jn.States.C.Choices[0]).toEqual({ Condition: `{% ${jsonata} %}`, Next: 'A' });
  });

  it('accepts plain sfn.Condition values', () => {
    const asl = render((s) => new Choice(s, 'C').when(sfn.Condition.stringEquals('$.a', 'x'), pass(s, 'A')).otherwise(pass(s, 'B')));
    expect(asl.States.C.Choices).toEqual([{ Variable: '$.a', StringEquals: 'x', Next: 'A' }]);
  });

  it('fails synth without otherwise, saying how to fix it', () => {
    expect(() => render((s) => new Choice(s, 'Route').when(When.number('n').equals(1), pass(s, 'A'))))
      .toThrow(/Choice 'Route' has no otherwise branch: an input that matches no rule fails the execution with States.NoChoiceMatched. Add .otherwise\(state\), or set allowNoMatch: true/);
  });

  it('allows a missing otherwise when allowNoMatch is set', () => {
    const asl = render((s) => new Choice(s, 'Route', { allowNoMatch: true }).when(When.number('n').equals(1), pass(s, 'A')));
    expect(asl.States.Route.Default).toBeUndefined();
  });

  it('rejects fields that are not plain dotted paths', () => {
    expect(() => When.string('$.items[?(@.a)]')).toThrow(/field '\$.items\[\?\(@.a\)\]' is not a plain dotted path/);
  });
});
