import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { mayLastAYear, retryWaitSeconds } from '../../src/explore/verify-year';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

stopExploreClock();

/*
 * A STANDARD execution runs a year at most, then AWS ends it TIMED_OUT wherever it is. A state that
 * may last that long (a callback nobody answers, a Wait until a timestamp the input gives) is then
 * an end of the run, and a property that allows no TIMED_OUT end is not proved there.
 */
const callback = (fields: Record<string, unknown> = {}): StateMachineDefinition => ({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
      ...fields,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Pass', End: true },
  },
}) as unknown as StateMachineDefinition;

const waitFor = (wait: Record<string, unknown>): StateMachineDefinition => ({
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', ...wait, Next: 'Done' }, Done: { Type: 'Succeed' } },
}) as unknown as StateMachineDefinition;

const ends = { succeeded: Property.endsWith({ statuses: ['SUCCEEDED'] }), answered: Property.leadsTo('Ask', ['Done', 'Failed']) };

describe('verify counts a STANDARD run\'s year as an end where a state may last that long', () => {
  it('a callback answered a year late times the run out, through the harness', async () => {
    const wf = Workflow.fromDefinition(callback());
    const run = await wf.run({}, { mocks: mocksFromJson({ Ask: { Delay: 31_536_000, Return: {} } }, 'late') });
    expect(run.status).toBe('TIMED_OUT');
  });

  it('does not prove a callback with no TimeoutSeconds ends SUCCEEDED, nor that it leads on', async () => {
    const report = await Workflow.fromDefinition(callback()).verify(ends, { seed: 1 });
    expect(report.properties.succeeded.verdict).not.toBe('HOLDS');
    expect(report.properties.succeeded.reason).toContain('TIMED_OUT');
    expect(report.properties.answered.verdict).not.toBe('HOLDS');
  });

  it('still proves them where the callback\'s TimeoutSeconds ends it within the year', async () => {
    const report = await Workflow.fromDefinition(callback({ TimeoutSeconds: 3600 })).verify(ends, { seed: 1 });
    expect(report.properties.answered.verdict).toBe('HOLDS');
  });

  it('does not prove a Wait until a timestamp from the input ends SUCCEEDED', async () => {
    const report = await Workflow.fromDefinition(waitFor({ TimestampPath: '$.at' })).verify({ succeeded: ends.succeeded }, { seed: 1 });
    expect(report.properties.succeeded.verdict).not.toBe('HOLDS');
  });

  it('still proves a run of a one-minute Wait ends SUCCEEDED', async () => {
    const report = await Workflow.fromDefinition(waitFor({ Seconds: 60 })).verify({ succeeded: ends.succeeded }, { seed: 1 });
    expect(report.properties.succeeded.verdict).toBe('HOLDS');
  });
});

describe('the seconds a state\'s retries may wait', () => {
  const task = (retry: Record<string, unknown>) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['States.ALL'], ...retry }], End: true }) as never;

  it('grow by the BackoffRate and stop at MaxDelaySeconds', () => {
    expect(retryWaitSeconds(task({ IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 3, MaxDelaySeconds: 30 }))).toBe(2 + 6 + 18 + 30);
  });

  it('add up the attempts left at once when the interval no longer grows, however many', () => {
    expect(retryWaitSeconds(task({ IntervalSeconds: 1, MaxAttempts: 99_999_999, BackoffRate: 1 }))).toBe(99_999_999);
    expect(mayLastAYear(task({ IntervalSeconds: 1, MaxAttempts: 99_999_999, BackoffRate: 1 }))).toBe(true);
  });
});
