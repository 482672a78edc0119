import { machine, reaching, replays } from './helpers';

/*
 * Issue 77, explore round 4: a Distributed Map that tolerates some failed items, caught twice:
 * States.ExceedToleratedFailureThreshold when too many items fail, and States.ALL for the Map's
 * own failure (its Items not a list: States.QueryEvaluationError, before any item runs). The
 * run that fails on the Items takes the second Catch: explore counts it so.
 */

describe('explore on a Map that tolerates failures, caught by the threshold and by States.ALL', () => {
  it('counts the catch-all taken when the Map fails on its own Items, not as the threshold', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Send invoices',
      States: {
        'Send invoices': {
          Type: 'Map',
          Items: '{% $states.input.invoices %}',
          ToleratedFailurePercentage: 20,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Send',
            States: {
              Send: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:send-invoice', Payload: '{% $states.input %}' },
                End: true,
              },
            },
          },
          Catch: [
            { ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Page billing' },
            { ErrorEquals: ['States.ALL'], Assign: { failure: '{% $states.errorOutput %}' }, Next: 'Other failure' },
          ],
          Next: 'Report',
        },
        'Page billing': { Type: 'Fail', Error: 'Billing.TooManyFailures' },
        'Other failure': { Type: 'Fail', Error: 'Billing.Failed', Cause: '{% $failure.Cause %}' },
        'Report': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    for (const c of ['states', 'transitions', 'catches'] as const) expect(report[c].notReached).toEqual([]);
    const s = reaching(report, 'catches', 'Send invoices#1');
    await replays(wf, s);
    expect(s.error).toBe('Billing.Failed');
    expect(reaching(report, 'catches', 'Send invoices#0').path).toContain('Send');
  });
});
