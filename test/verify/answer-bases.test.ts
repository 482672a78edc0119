import type { StateMachineDefinition } from '../../src/asl';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { reproduced } from './verify-setup';

/*
 * A rule compares a value the machine computes from the input and an answer (a refund: what was
 * paid less a restocking fee): the seeds bench (--choice-rules) moved its constant (0 to 1) and
 * verify missed it. The boundary probes of answers started from the first few runs of the search
 * that succeeded, all on one path, and the first of them spent the whole bound. They now start
 * from the first run on each path, taken in turn.
 */

stopExploreClock();

/** A return is inspected; a refund of 1 or less (the seed: 0 or less) is nothing to refund. */
const returns = {
  QueryLanguage: 'JSONata',
  StartAt: 'Inspect',
  States: {
    'Inspect': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'inspect', Payload: '{% $states.input %}' },
      Output: '{% $merge([$states.input, {"grade": $states.result.Payload.grade, "restocking": $states.result.Payload.restockingFee}]) %}',
      Next: 'Refund amount',
    },
    'Refund amount': {
      Type: 'Pass',
      Assign: { refund: "{% $states.input.paid - $states.input.restocking - ($states.input.grade = 'C' ? 10 : 0) %}" },
      Next: 'Refund?',
    },
    'Refund?': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $refund <= 1 %}', Next: 'Nothing to refund' },
        { Condition: '{% $refund > $states.input.paid * 0.9 and $states.input.grade = "A" %}', Next: 'Full refund' },
      ],
      Default: 'Partial refund',
    },
    'Nothing to refund': { Type: 'Succeed' },
    'Full refund': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'full', Payload: '{% $states.input %}' }, End: true },
    'Partial refund': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'partial', Payload: '{% $states.input %}' }, End: true },
  },
} as unknown as StateMachineDefinition;

/** The refund a run computes from what was paid and what Inspect answered, when both are numbers. */
const refundOf = (input: unknown, run: WorkflowRun): number | undefined => {
  const paid = (input as { paid?: unknown } | null)?.paid;
  const answer = (run.attempts('Inspect')[0]?.output as { Payload?: { grade?: unknown; restockingFee?: unknown } } | undefined)?.Payload;
  const fee = answer?.restockingFee;
  if (typeof paid !== 'number' || typeof fee !== 'number') return undefined;
  return paid - fee - (answer?.grade === 'C' ? 10 : 0);
};

describe('boundary probes of answers, from the first run on each path', () => {
  it('finds the refund of 1 that is nothing to refund, where the property refunds over 0, and it reproduces', async () => {
    const wf = Workflow.fromDefinition(returns);
    const positiveRefunded = (run: WorkflowRun): boolean => (refundOf(run.inputOf('Inspect', 0), run) ?? 0) <= 0 || !run.visited('Nothing to refund');
    const report = await wf.verify({ positiveRefunded });
    const v = report.properties.positiveRefunded;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, returns, v, 'positiveRefunded');
    expect(run.visited('Nothing to refund')).toBe(true);
    expect(refundOf(v.counterexample?.input, run)).toBeGreaterThan(0);
  });
});
