import { ListStateMachinesCommand, TestStateCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve } from './helpers';
import { MatchCounter } from './match-counter';

/*
 * Attack round 7: serve's TestState ran the state on a clock that never paused, so a TestState of
 * a long JSONata expression (or of a Map of many items, each selected by one) held serve's only
 * thread: a Map of 10,000 items selected by a small `$sort` held it 24 s, and no other client was
 * answered. It now pauses as an execution does (ExecutionClock.pause). As in jsonata-yields.test.ts,
 * the test measures no time: it counts the expression's regular-expression matches (its progress)
 * and checks that each answer comes after the evaluation has begun and before it has ended.
 */
const ANSWERS = 2;

describe('serve answers other requests while a TestState runs', () => {
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
    const begun = matches.next();
    const tested = s.sfn.send(new TestStateCommand({
      roleArn: ROLE,
      // A tail call: the recursion runs in constant depth, so only JSONata's bound of steps ends it.
      definition: asl({ QueryLanguage: 'JSONata', Type: 'Pass', Output: "{% ($f := function($n) { $contains('spin', /s/) ? $f($n + 1) : $n }; $f(0)) %}", End: true }),
    }));
    await begun;
    // How far the evaluation had gone when each answer came.
    const matchesAtAnswers: number[] = [];
    for (let i = 0; i < ANSWERS; i++) {
      const { stateMachines } = await s.sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines).toEqual([]);
      matchesAtAnswers.push(matches.count);
    }
    const answer = await tested;
    expect(answer.status).toBe('FAILED');
    expect(answer.error).toBe('States.QueryEvaluationError');
    expect(answer.cause).toContain('D1012');
    expect(matchesAtAnswers[0]).toBeGreaterThan(0);
    expect(matchesAtAnswers[1]).toBeGreaterThan(matchesAtAnswers[0]);
    expect(matches.count).toBeGreaterThan(matchesAtAnswers[ANSWERS - 1]);
    // The evaluation runs to JSONata's bound of a million steps, as in jsonata-bounds.test.ts: the
    // limit is a guard against a hang on a machine shared with many busy processes, not a race.
  }, 300_000);

  it('finds the items of a Map of 10,000 items with no history-event limit, as TestState keeps no history', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const answer = await s.sfn.send(new TestStateCommand({
      roleArn: ROLE,
      definition: asl({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true }),
      input: JSON.stringify({ items }),
      mock: { result: '[]' },
      inspectionLevel: 'DEBUG',
    }));
    expect(answer.status).toBe('SUCCEEDED');
    expect(answer.output).toBe('[]');
    expect(JSON.parse(answer.inspectionData!.afterItemsPath!)).toEqual(items);
  });
});
