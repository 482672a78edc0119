import { machine, reaching, replays } from './helpers';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * A callback (`.waitForTaskToken`) or `.sync` Task whose heartbeats stop fails with States.Timeout
 * (recorded: LocalStack's AWS-validated test_heartbeats; the interpreter raises it so, even for a
 * mock that answers States.HeartbeatTimeout), which a Catch of States.HeartbeatTimeout does not take:
 * explore proves such a Catch never taken, with the reason, instead of reaching it by a mock. An
 * activity's lapsed heartbeat is States.HeartbeatTimeout, and its Catch is reached.
 */
const CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:sign';

function waiting(resource: string): object {
  return {
    StartAt: 'Wait for worker',
    States: {
      'Wait for worker': {
        Type: 'Task',
        Resource: resource,
        ...(resource === CALLBACK ? { Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' } } : {}),
        HeartbeatSeconds: 60,
        Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Worker went quiet' }],
        Next: 'Done',
      },
      'Worker went quiet': { Type: 'Pass', End: true },
      'Done': { Type: 'Succeed' },
    },
  };
}

describe('a Catch of States.HeartbeatTimeout', () => {
  it('on a callback Task is proved never taken, and a run whose worker goes quiet fails with States.Timeout', async () => {
    const wf = machine(waiting(CALLBACK));
    const report = await wf.explore();
    expect(report.scenarios.some((s) => s.covers.states?.includes('Worker went quiet'))).toBe(false);
    expect(report.catches.unreachable.find((n) => n.catch === 'Wait for worker#0')?.reason)
      .toMatch(/'Wait for worker' never raises States\.HeartbeatTimeout: .* a callback or `\.sync` Task whose heartbeats stop fails with States\.Timeout/);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Worker went quiet']);
    expect(report.states.notReached).toEqual([]);
    // The proof's witness: a mock that says the heartbeat lapsed ends the run with States.Timeout, past the Catch.
    const run = await wf.run({}, { mocks: mocksFromJson({ 'Wait for worker': { Throw: { Error: 'States.HeartbeatTimeout' } } }, 'test') });
    expect({ status: run.status, error: run.error, caught: run.path.includes('Worker went quiet') }).toEqual({ status: 'FAILED', error: 'States.Timeout', caught: false });
  });

  it('on an activity is reached, and the scenario replays', async () => {
    const wf = machine(waiting(ACTIVITY));
    const report = await wf.explore();
    await replays(wf, reaching(report, 'states', 'Worker went quiet'));
    expect(report.catches.unreachable.find((n) => n.catch === 'Wait for worker#0')).toBeUndefined();
  });
});
