import { machine, reaching, replays } from './helpers';

/*
 * Issue 77, explore round 4: a Retry or a Catch on States.DataLimitExceeded. AWS raises it for a
 * Task whose result is over the payload limit ("the output of a connector is larger than payload
 * size quota", https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html);
 * no call answers it as an error. Explore reaches such a rule with an answer over 256 KiB, and
 * never by a mock that throws the error.
 */

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:export-rows';

function exportMachine(resource: string, args: object) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Export rows',
    States: {
      'Export rows': {
        Type: 'Task',
        Resource: resource,
        Arguments: args,
        Retry: [{ ErrorEquals: ['States.DataLimitExceeded'], MaxAttempts: 1, IntervalSeconds: 1 }],
        Catch: [{ ErrorEquals: ['States.DataLimitExceeded'], Next: 'Export to S3' }],
        Next: 'Done',
      },
      'Export to S3': { Type: 'Pass', End: true },
      'Done': { Type: 'Succeed' },
    },
  };
}

/** Every mock outcome a scenario gives, as written. */
function outcomes(mocks: unknown): unknown[] {
  return Object.values(mocks as Record<string, unknown>).flatMap((m) => (Array.isArray(m) ? m : [m]));
}

describe('explore on a Retry or Catch of States.DataLimitExceeded', () => {
  it('reaches both with a Lambda function answering more than 256 KiB, never with a call that throws the error', async () => {
    const wf = machine(exportMachine('arn:aws:states:::lambda:invoke', { FunctionName: FN, Payload: { table: 'orders' } }));
    const report = await wf.explore();
    expect(report.catches.notReached).toEqual([]);
    expect(report.retries.notReached).toEqual([]);
    const caught = reaching(report, 'catches', 'Export rows#0');
    const retried = reaching(report, 'retries', 'Export rows#0');
    for (const s of [caught, retried]) {
      await replays(wf, s);
      const given = outcomes(s.mocks);
      expect(JSON.stringify(given)).not.toContain('"Throw"');
      expect(given.some((o) => JSON.stringify(o).length > 256 * 1024)).toBe(true);
    }
  });

  it('makes no callback throw it: a worker\'s SendTaskSuccess output is held to the limit, and the reason says so', async () => {
    const wf = machine(exportMachine('arn:aws:states:::lambda:invoke.waitForTaskToken', {
      FunctionName: FN, Payload: { token: '{% $states.context.Task.Token %}' },
    }));
    const report = await wf.explore();
    for (const s of report.scenarios) expect(JSON.stringify(s.mocks)).not.toContain('States.DataLimitExceeded');
    const why = report.catches.notReached.find((n) => n.catch === 'Export rows#0');
    expect(why?.reason).toMatch(/more than 262144 bytes/);
  });
});
