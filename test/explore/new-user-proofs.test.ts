import { nightlyGlueAlert, publishStatusCheck, publishStatusJsonata, queueCatchMisnamed, queuedReceiptFanOut } from '../../bench/modern-corpus/round13a';
import { stopExploreClock } from '../explore-clock';
import { exploredComplete, provedReasons } from './modern-machines';

/*
 * Issue 77: machines in the shape of the "new user" machines (bench/modern-corpus/round13a.ts),
 * each with states that are truly unreachable. Explore must finish each (every goal reached or
 * proved) and prove exactly those states, with a reason that names why.
 */

stopExploreClock();

describe('explore proves the truly unreachable states of a new user\'s machines, and no others', () => {
  it('PublishStatusCheck: the branches on an SNS answer\'s Status are closed, the invalid order is reached', async () => {
    const p = provedReasons(await exploredComplete(publishStatusCheck));
    expect([...p.keys()].sort()).toEqual(['Delivered?', 'Notify again later', 'Order confirmed']);
    expect(p.get('Delivered?')).toContain('arn:aws:states:::sns:publish never returns .Status');
  });

  it('PublishStatusJsonata: an Output of $states.result.Status fails the publish each time it returns', async () => {
    const p = provedReasons(await exploredComplete(publishStatusJsonata));
    expect([...p.keys()].sort()).toEqual(['Delivered?', 'Notify again later', 'Order confirmed']);
    expect(p.get('Delivered?')).toContain("'Notify customer' fails with States.QueryEvaluationError each time its call returns");
  });

  it('QueuedReceiptFanOut: the item\'s last state is closed, the report reached with no orders', async () => {
    const report = await exploredComplete(queuedReceiptFanOut);
    const p = provedReasons(report);
    expect([...p.keys()]).toEqual(['Keep receipt']);
    expect(p.get('Keep receipt')).toContain('arn:aws:states:::sqs:sendMessage never returns .ReceiptHandle');
    expect(report.scenarios.some((s) => s.path.includes('Report queued'))).toBe(true);
  });

  it('NightlyGlueAlert: a job state only a failed Task holds closes the alert', async () => {
    const p = provedReasons(await exploredComplete(nightlyGlueAlert));
    expect([...p.keys()]).toEqual(['Alert on-call']);
    expect(p.get('Alert on-call')).toContain("'Run nightly job' answers .JobRunState one of FAILED");
  });

  it('QueueCatchMisnamed: the Catch on a DynamoDB error SQS never raises is closed, the SQS one reached', async () => {
    const report = await exploredComplete(queueCatchMisnamed);
    const p = provedReasons(report);
    expect([...p.keys()]).toEqual(['Already sent']);
    expect(p.get('Already sent')).toContain('never raises DynamoDB.ConditionalCheckFailedException');
    expect(report.scenarios.some((s) => s.path.includes('Quarantine event'))).toBe(true);
  });
});
