import type { StateMachineDefinition } from '../../src/asl';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { reproduced } from './verify-setup';

/*
 * A Task's ResultSelector (or Output, or Assign) reads a number from its answer that the search's
 * runs answered as a text, or not at all: the seeds bench (--choice-rules) moved such a rule's
 * constant (10 days to 11) and verify missed it, for the boundary probes changed only the numbers
 * an answer held. They now also set each field a Task reads from its result to the boundary
 * values, where the answer holds no number there.
 */

stopExploreClock();

/** Two carriers quote at once; a delivery over 11 days (the seed: over 10) is refused. */
const quotes = {
  StartAt: 'Quotes',
  States: {
    'Quotes': {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Carrier A',
          States: {
            'Carrier A': {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { 'FunctionName': 'a', 'Payload.$': '$' },
              ResultSelector: { 'price.$': '$.Payload.price' },
              End: true,
            },
          },
        },
        {
          StartAt: 'Carrier B',
          States: {
            'Carrier B': {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { 'FunctionName': 'b', 'Payload.$': '$' },
              ResultSelector: { 'price.$': '$.Payload.total', 'days.$': '$.Payload.eta' },
              End: true,
            },
          },
        },
      ],
      ResultSelector: { 'a.$': '$[0]', 'b.$': '$[1]' },
      ResultPath: '$.quotes',
      Next: 'Pick carrier',
    },
    'Pick carrier': { Type: 'Choice', Choices: [{ Variable: '$.quotes.b.days', NumericGreaterThan: 11, Next: 'Too slow' }], Default: 'Book B' },
    'Too slow': { Type: 'Fail', Error: 'Shipment.TooSlow' },
    'Book B': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** The days carrier B answered, when it answered a number. */
const etaOf = (run: WorkflowRun): number | undefined => {
  const eta = (run.attempts('Carrier B')[0]?.output as { Payload?: { eta?: unknown } } | undefined)?.Payload?.eta;
  return typeof eta === 'number' ? eta : undefined;
};

describe('fields a Task reads from its answer, tried by verify where the answer holds no number', () => {
  it('finds the 11-day quote that is booked, where the property refuses over 10 days, and it reproduces', async () => {
    const wf = Workflow.fromDefinition(quotes);
    const overTenRefused = (run: WorkflowRun): boolean => (etaOf(run) ?? 0) <= 10 || run.status === 'FAILED';
    const report = await wf.verify({ overTenRefused });
    const v = report.properties.overTenRefused;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, quotes, v, 'overTenRefused');
    expect({ eta: etaOf(run), status: run.status }).toEqual({ eta: 11, status: 'SUCCEEDED' });
  });
});
