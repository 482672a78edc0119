import { machine, reaching, replays } from './helpers';

/*
 * Issue 77, round 6: a Map whose ItemSelector reads the item through the Context Object
 * (`$states.context.Map.Item.Value.payee` in JSONata, `$$.Map.Item.Value.payee` in JSONPath)
 * fails with States.QueryEvaluationError on an item without that field (an ItemSelector field
 * that returns nothing). Explore gave a JSONata Map `[{}]` and stopped there, its processor "not
 * reached"; it now writes the field into the item where the Map's Items read it from.
 */

const PAY = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  End: true,
};

describe('explore makes the items a Map\'s ItemSelector reads through the Context Object', () => {
  it('gives a JSONata Map items holding the fields $states.context.Map.Item.Value reads', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Pay all',
      States: {
        'Pay all': {
          Type: 'Map',
          Items: '{% $states.input.payments %}',
          ItemSelector: { payee: '{% $states.context.Map.Item.Value.payee %}', amount: '{% $states.context.Map.Item.Value.amount %}' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Pay',
            States: { Pay: { ...PAY, Arguments: { FunctionName: 'pay', Payload: '{% $states.input %}' } } },
          },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const s = reaching(report, 'states', 'Pay');
    const [item] = (s.input as { payments: Array<Record<string, unknown>> }).payments;
    expect(item).toEqual(expect.objectContaining({ payee: expect.anything(), amount: expect.anything() }));
    await replays(wf, s);
  });

  it('gives a JSONPath Map items holding the field $$.Map.Item.Value reads', async () => {
    const wf = machine({
      StartAt: 'Pay all',
      States: {
        'Pay all': {
          Type: 'Map',
          ItemsPath: '$.payments',
          ItemSelector: { 'payee.$': '$$.Map.Item.Value.payee' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Pay',
            States: { Pay: { ...PAY, Parameters: { 'FunctionName': 'pay', 'Payload.$': '$' } } },
          },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Pay'));
  });
});
