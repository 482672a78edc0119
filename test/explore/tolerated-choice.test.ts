import { machine, reaching, replays, runScenario } from './helpers';
import type { MapState } from '../../src/asl';
import { failingRounds, itemsForFailures } from '../../src/explore/tolerated-failures';

/*
 * Issue 77, explore round 4: a Choice after a Distributed Map that tolerates failed items and
 * reads how many failed. The Map's result holds each failed child's error ({Error, Cause}) when
 * no more fail than it tolerates (https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html):
 * explore makes items fail, within the threshold, to take the Choice's other branch.
 */

/** A Map sending invoices that tolerates `tolerance`, then a Choice on the count of failed items. */
function invoices(tolerance: object, condition: string) {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Send invoices',
    States: {
      'Send invoices': {
        Type: 'Map',
        Items: '{% $states.input.invoices %}',
        ...tolerance,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'Send',
          States: {
            Send: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:send-invoice', Payload: '{% $states.input %}' },
              Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1 }],
              Output: '{% $states.result.Payload %}',
              End: true,
            },
          },
        },
        Output: "{% {'sent': $count($states.result[$not($exists(Error))]), 'failed': $count($states.result[$exists(Error)])} %}",
        Next: 'Any failed?',
      },
      'Any failed?': { Type: 'Choice', Choices: [{ Condition: condition, Next: 'Report failures' }], Default: 'Done' },
      'Report failures': { Type: 'Pass', End: true },
      'Done': { Type: 'Succeed' },
    },
  });
}

describe('explore reaches a Choice on the items a tolerant Distributed Map let fail', () => {
  it('fails one item within a ToleratedFailureCount to take the branch on a failed count above 0', async () => {
    const wf = invoices({ ToleratedFailureCount: 2 }, '{% $states.input.failed > 0 %}');
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const s = reaching(report, 'states', 'Report failures');
    await replays(wf, s);
    const run = await runScenario(wf, s);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toMatchObject({ failed: 1 });
    expect(run.path).toContain('Report failures');
  });

  it('gives the Map enough items for one failure to stay within a ToleratedFailurePercentage', async () => {
    const wf = invoices({ ToleratedFailurePercentage: 10 }, '{% $states.input.failed >= 1 %}');
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const s = reaching(report, 'states', 'Report failures');
    await replays(wf, s);
    expect((s.input as { invoices: unknown[] }).invoices.length).toBeGreaterThanOrEqual(10);
  });

  it('fails as many items as the count tolerates for a rule on that many', async () => {
    const wf = invoices({ ToleratedFailureCount: 3 }, '{% $states.input.failed = 3 %}');
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Report failures'));
  });
});

describe('itemsForFailures', () => {
  const map = (t: object) => ({ Type: 'Map', ...t }) as unknown as MapState;
  it('needs as many items as a percentage takes for that many failures, and none past a count', () => {
    expect(itemsForFailures(map({ ToleratedFailurePercentage: 10 }), 1, 1)).toBe(10);
    expect(itemsForFailures(map({ ToleratedFailurePercentage: 10 }), 1, 30)).toBe(30);
    expect(itemsForFailures(map({ ToleratedFailurePercentage: 0 }), 1, 5)).toBeUndefined();
    expect(itemsForFailures(map({ ToleratedFailureCount: 2 }), 3, 5)).toBeUndefined();
    expect(itemsForFailures(map({ ToleratedFailureCount: 2 }), 2, 1)).toBe(2);
    expect(itemsForFailures(map({ ToleratedFailureCount: 4, ToleratedFailurePercentage: 50 }), 3, 1)).toBe(6);
  });
});

describe('failingRounds', () => {
  it('fails the first calls of the failing children, then each round of their retries after every child called once', () => {
    expect(failingRounds(0, 10, 1, 1)).toEqual([[0, 1]]);
    expect(failingRounds(0, 10, 2, 3)).toEqual([[0, 2], [10, 2], [12, 2]]);
    expect(failingRounds(4, 3, 1, 2)).toEqual([[4, 1], [7, 1]]);
  });
});
