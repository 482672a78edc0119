import type { StateMachineDefinition } from '../../src/asl';
import { machineTexts } from '../../src/explore/verify-texts';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { reproduced } from './verify-setup';

/*
 * A rule may compare a text's length: "a coupon of at least one letter is applied". The seeds
 * bench (--choice-rules) moved such a rule's constant (0 to 1) and verify missed it: the texts of
 * the lengths the rule names came after every text the machine writes, and a machine that writes
 * many (an order's fields, a table's name) spent the bound on the runs before them. They now come
 * right after the rules' own texts.
 */

stopExploreClock();

/** The order is written with many fields, ten of them the input's; a coupon of more than 15 letters is applied (a code of 15, by the property, should be too). */
const checkout = {
  QueryLanguage: 'JSONata',
  StartAt: 'Coupon given?',
  States: {
    'Coupon given?': {
      Type: 'Choice',
      Choices: [{ Condition: '{% $exists($states.input.coupon) and $length($states.input.coupon) > 15 %}', Next: 'Apply coupon' }],
      Default: 'Write order',
    },
    'Apply coupon': { Type: 'Pass', Output: { discount: 'ten-percent' }, Next: 'Write order' },
    'Write order': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Arguments: {
        TableName: 'Orders',
        Item: Object.fromEntries(['orderId', 'subtotal', 'shipping', 'express', 'discount', 'total', 'currency', 'customer', 'street', 'city', 'zip', 'country', 'channel', 'placed', 'status', 'notes']
          .map((k, i) => [k, { S: i < 10 ? `{% $states.input.${k} %}` : `${k}-value` }])),
        ConditionExpression: 'attribute_not_exists(orderId)',
      },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

/** The coupon the run was given, when it was a text. */
const couponOf = (run: WorkflowRun): string | undefined => {
  const coupon = (run.inputOf('Coupon given?') as { coupon?: unknown } | null)?.coupon;
  return typeof coupon === 'string' ? coupon : undefined;
};

describe('texts of the lengths a rule compares, tried by verify', () => {
  it('come right after the rules\' own texts, before the many texts the machine writes', () => {
    const texts = machineTexts(checkout);
    expect(texts.slice(0, 3)).toEqual([14, 15, 16].map((n) => 'a'.repeat(n)));
    expect(texts).toContain('Orders');
  });

  it('finds the coupon of 15 letters that is not applied, where the property asks for 15 or more, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(checkout);
    const couponApplied = (run: WorkflowRun): boolean => (couponOf(run) ?? '').length < 15 || !run.visited('Coupon given?') || run.visited('Apply coupon');
    const report = await wf.verify({ couponApplied });
    const v = report.properties.couponApplied;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, checkout, v, 'couponApplied');
    expect(run.visited('Apply coupon')).toBe(false);
    expect(couponOf(run)).toHaveLength(15);
  });
});
