import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve } from './helpers';
import { MatchCounter } from './match-counter';

/*
 * Closing serve stops the work of its executions. A run that never waits for anything (here an
 * expression that recurses until JSONata's bound of 1,000,000 steps, seconds of work; a Pass and
 * Choice loop to the 25,000-event limit is another) went on after close(), pausing now and then
 * with setImmediate: the process stayed alive until it ended, and a jest worker whose test had
 * closed an in-process server "failed to exit gracefully". The test measures no time: it counts the
 * expression's regular-expression matches (its progress) across turns of the event loop.
 */

/** Resolves once the event loop has turned `n` times. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('closing serve', () => {
  const matches = new MatchCounter();
  beforeAll(() => matches.install());
  afterAll(() => matches.restore());

  it('stops an execution that runs without waiting: it makes no progress after close()', async () => {
    const s = await serve();
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({
      name: 'endless-jsonata',
      roleArn: ROLE,
      definition: asl({
        QueryLanguage: 'JSONata',
        StartAt: 'Spin',
        States: {
          Spin: { Type: 'Pass', Output: "{% ($f := function($n) { $contains('spin', /s/) ? $f($n + 1) : $n }; $f(0)) %}", End: true },
        },
      }),
    }));
    const begun = matches.next();
    await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    await begun;
    await s.stop();
    // The evaluation stops at its next step: one turn lets whatever was under way end.
    await turns(1);
    const atClose = matches.count;
    // Running on, it would make matches between any two turns: each turn comes only after a pause,
    // which comes after 100 ms of its work.
    await turns(5);
    expect(matches.count).toBe(atClose);
    expect(atClose).toBeLessThan(1_000_000);
  });
});
