import { machine, reaching, replays } from './helpers';

/*
 * A Choice reads a value a JSONata expression of an earlier state computes through a function
 * explore cannot give an exact value back through (`$split`, a filter with `$contains`, `$average`):
 * explore searches what the expression reads, with the values the Conditions compare it with
 * taken back through the function, and each Condition judging what the expression gives. Each
 * machine is the smallest of one form; each test fails when the branch it names is not reached.
 */

/** A JSONata machine: the states given, then the Choice `Check` with the Conditions given (each to its own Succeed state) and a Default. */
function choiceAfter(states: Record<string, object>, first: string, conditions: readonly string[]) {
  const targets = Object.fromEntries(conditions.map((_, i) => [`Rule${i}`, { Type: 'Succeed' }]));
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: first,
    States: {
      ...states,
      Check: { Type: 'Choice', Choices: conditions.map((c, i) => ({ Condition: `{% ${c} %}`, Next: `Rule${i}` })), Default: 'Otherwise' },
      ...targets,
      Otherwise: { Type: 'Succeed' },
    },
  });
}

/** Every Choice rule and state reached, with no claim of unreachability, and every scenario runs again as reported. */
async function reachesAll(wf: ReturnType<typeof machine>) {
  const report = await wf.explore();
  expect(report.states.notReached).toEqual([]);
  expect(report.choiceRules.notReached).toEqual([]);
  expect(report.choiceRules.unreachable).toEqual([]);
  for (const s of report.scenarios) await replays(wf, s);
  return report;
}

describe('explore searches through JSONata functions it cannot invert exactly', () => {
  it('reaches a count of words a Pass splits a text into, by joining the words the count wants', async () => {
    const wf = choiceAfter({
      Normalise: { Type: 'Pass', Output: '{% {"words": $split($trim($states.input.body), " ")} %}', Next: 'Check' },
    }, 'Normalise', ['$count($states.input.words) < 5']);
    const report = await reachesAll(wf);
    const long = reaching(report, 'choiceRules', 'Check#default').input as { body: string };
    expect(long.body.trim().split(' ').length).toBeGreaterThanOrEqual(5);
  });
});
