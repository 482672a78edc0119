import { machine, reaching, replays } from './helpers';
import { stopExploreClock } from '../explore-clock';

const LAMBDA = 'arn:aws:states:::lambda:invoke';

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

  it('reaches `true in` a list an Output builds of fields of a Task\'s answer, by writing the item in the field it comes from', async () => {
    const wf = choiceAfter({
      Risk: {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'risk', Payload: {} },
        Next: 'Check',
        Output: "{% $merge([$states.input, {'risk': $states.result.Payload.risk, 'signals': [$states.result.Payload.velocity, $states.result.Payload.geo]}]) %}",
      },
    }, 'Risk', ['$states.input.risk * $states.input.amount > 5000', 'true in $states.input.signals']);
    const report = await reachesAll(wf);
    const raised = reaching(report, 'choiceRules', 'Check#1').mocks.Risk as { Return: { velocity?: unknown; geo?: unknown } };
    expect([raised.Return.velocity, raised.Return.geo]).toContain(true);
  });

  it('tries the items of a list a filter keeps for the field the filter compares them with (a banned word in an answer)', async () => {
    const wf = choiceAfter({
      Init: { Type: 'Pass', Assign: { banned: ['lawsuit', 'guarantee'] }, Next: 'Generate' },
      Generate: {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'generate', Payload: {} },
        Assign: { verdict: '{% $parse($states.result.Payload.text) %}' },
        Next: 'Check',
      },
    }, 'Init', ['$verdict.toxicity >= 0.5', '$count($banned[$contains($lowercase($verdict.answer), $)]) > 0']);
    const report = await reachesAll(wf);
    const legal = reaching(report, 'choiceRules', 'Check#1').mocks.Generate as { Return: { text: string } };
    expect((JSON.parse(legal.Return.text) as { answer: string }).answer.toLowerCase()).toMatch(/lawsuit|guarantee/);
  });

  it('counts the items a `$contains` filter keeps, making as many as the count wants', async () => {
    const wf = choiceAfter({ Start: { Type: 'Pass', Next: 'Check' } }, 'Start', ['$count($states.input.items[$contains(name, "gift")]) > 1']);
    const report = await reachesAll(wf);
    const items = (reaching(report, 'choiceRules', 'Check#0').input as { items: Array<{ name: string }> }).items;
    expect(items.filter((i) => i.name.includes('gift')).length).toBeGreaterThan(1);
  });

  it('meets a count of a list and an average of a field of its items with one list (many cheap lines)', async () => {
    const wf = choiceAfter({
      Price: {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'price', Payload: {} },
        Assign: { lines: '{% $states.result.Payload.lines %}' },
        Next: 'Check',
      },
    }, 'Price', ['$count($lines) >= 4 and $average($lines.unitPrice) < 2']);
    const report = await reachesAll(wf);
    const lines = (reaching(report, 'choiceRules', 'Check#0').mocks.Price as { Return: { lines: Array<{ unitPrice: number }> } }).Return.lines;
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.reduce((a, l) => a + l.unitPrice, 0) / lines.length).toBeLessThan(2);
  });
});

describe('explore inverts `$join`: the list is the text wanted split at the separator', () => {
  stopExploreClock();

  it('writes the segments a Task answers as the list whose join an Assign keeps and a Choice compares', async () => {
    const wf = choiceAfter({
      Load: {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'load', Payload: {} },
        Assign: { route: '{% $join($states.result.Payload.segments, "/") %}' },
        Next: 'Check',
      },
    }, 'Load', ['$route = "eu/west/1"']);
    const report = await reachesAll(wf);
    expect(reaching(report, 'choiceRules', 'Check#0').mocks.Load).toEqual({ Return: { segments: ['eu', 'west', '1'] } });
  });

  it('reaches a Condition comparing a `$join` of the input\'s tags with a text, where one tag would not do', async () => {
    const wf = choiceAfter({ Start: { Type: 'Pass', Next: 'Check' } }, 'Start', ['$count($states.input.tags) > 1 and $join($states.input.tags, ",") = "urgent,vip"']);
    const report = await reachesAll(wf);
    expect(reaching(report, 'choiceRules', 'Check#0').input).toEqual({ tags: ['urgent', 'vip'] });
  });
});
