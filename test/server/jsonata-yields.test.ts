import { CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve } from './helpers';
import { MatchCounter } from './match-counter';

/*
 * Attack round 7: JSONata's evaluation is a chain of promises that never lets the event loop
 * turn, so one expression that runs without end (a tail-recursive function: constant depth)
 * held serve's only thread until JSONata's bound ended it (then 2 s, now 1,000,000 steps), and a Map of heavy expressions
 * held it for seconds more: no other client was answered meanwhile. The execution's clock now
 * pauses an evaluation as it pauses a run of states (ExecutionClock.pause). The test measures no
 * time: it counts the expression's regular-expression matches (its progress) and checks the order of
 * events. Each ListStateMachines is answered after the evaluation has begun and before it has
 * ended, and the evaluation goes on between two answers. Without the pauses the first answer
 * comes after the evaluation has failed.
 */
const ANSWERS = 2;

describe('serve answers other requests while a JSONata expression evaluates', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  const matches = new MatchCounter();
  beforeAll(async () => {
    matches.install();
    s = await serve();
  });
  afterAll(async () => {
    matches.restore();
    await s.stop();
  });

  it('answers ListStateMachines between the start and the end of an endless evaluation, which still fails with D1012', async () => {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({
      name: 'endless-jsonata',
      roleArn: ROLE,
      definition: asl({
        QueryLanguage: 'JSONata',
        StartAt: 'Spin',
        States: {
          // A tail call: the recursion runs in constant depth, so only JSONata's bound of steps ends it.
          Spin: { Type: 'Pass', Output: "{% ($f := function($n) { $contains('spin', /s/) ? $f($n + 1) : $n }; $f(0)) %}", End: true },
        },
      }),
    }));
    const begun = matches.next();
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    await begun;
    // How far the evaluation had gone when each answer came.
    const matchesAtAnswers: number[] = [];
    for (let i = 0; i < ANSWERS; i++) {
      const { stateMachines } = await s.sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines?.map((m) => m.name)).toEqual(['endless-jsonata']);
      matchesAtAnswers.push(matches.count);
    }
    let described = await s.sfn.send(new DescribeExecutionCommand({ executionArn }));
    while (described.status === 'RUNNING') described = await s.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('States.QueryEvaluationError');
    expect(described.cause).toContain('D1012');
    // Every answer came while the evaluation ran: after its first match, before its last, and it
    // went on between the two answers.
    expect(matchesAtAnswers[0]).toBeGreaterThan(0);
    expect(matchesAtAnswers[1]).toBeGreaterThan(matchesAtAnswers[0]);
    expect(matches.count).toBeGreaterThan(matchesAtAnswers[ANSWERS - 1]);
    // The evaluation runs to JSONata's bound of a million steps, as in jsonata-bounds.test.ts: the
    // limit is a guard against a hang on a machine shared with many busy processes, not a race.
  }, 300_000);
});
