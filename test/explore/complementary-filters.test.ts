import { machine, reaching, replays } from './helpers';

/*
 * Issue 77, round 6: a Task's answer holds a list that one Assign splits with two complementary
 * filters (`tasks[status = 'DONE']`, `tasks[status != 'DONE']`), and a Choice counts both. An
 * Assign whose expression gives nothing fails its state with States.QueryEvaluationError (as
 * AWS's recordings show: "returned nothing (undefined)"), and a filter on a field keeps nothing
 * of an empty list: so `$count($open) = 0` never holds on a run that gets past the Task, and the
 * rule is proved unreachable, where explore said it was "not brought to the wanted value". A
 * count that the list can give (`$count($open) = 1`) is reached: each item a count wants passes
 * the filter, where explore made a list of numbers no filter on a field keeps.
 */

function board(condition: string) {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:list-tasks', Payload: '{% $states.input %}' },
        Assign: {
          done: "{% $states.result.Payload.tasks[status = 'DONE'] %}",
          open: "{% $states.result.Payload.tasks[status != 'DONE'] %}",
        },
        Next: 'Ready?',
      },
      'Ready?': { Type: 'Choice', Choices: [{ Condition: condition, Next: 'Close' }], Default: 'Wait' },
      'Close': { Type: 'Succeed' },
      'Wait': { Type: 'Succeed' },
    },
  });
}

describe('explore on two complementary filters of one list', () => {
  it('proves a rule wanting one filter empty unreachable, naming the Assign that fails on nothing', async () => {
    const report = await board('{% $count($done) >= 3 and $count($open) = 0 %}').explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Close']);
    const [rule] = report.choiceRules.unreachable;
    expect(rule.rule).toBe('Ready?#0');
    expect(rule.reason).toContain("Assign.open ({% $states.result.Payload.tasks[status != 'DONE'] %}) gives nothing: 'Load' fails with States.QueryEvaluationError");
    expect(report.search.complete).toBe(true);
  });

  it('reaches a rule on counts both filters can give, with items that pass each', async () => {
    const wf = board('{% $count($done) >= 3 and $count($open) = 1 %}');
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.states.unreachable).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Close'));
    await replays(wf, reaching(report, 'states', 'Wait'));
  });

  it('claims nothing of a filter on the item itself, which keeps an empty list', async () => {
    // `[[]][$ != 'DONE']` gives `[]`, whose count is 0: the proof holds only for a filter on a field of the item.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        'Load': { Type: 'Pass', Assign: { open: "{% $states.input.tasks[$ != 'DONE'] %}" }, Next: 'Ready?' },
        'Ready?': { Type: 'Choice', Choices: [{ Condition: '{% $count($open) = 0 %}', Next: 'Close' }], Default: 'Wait' },
        'Close': { Type: 'Succeed' },
        'Wait': { Type: 'Succeed' },
      },
    });
    expect((await wf.run({ tasks: [[]] })).path).toEqual(['Load', 'Ready?', 'Close']);
    const report = await wf.explore();
    expect(report.states.unreachable).toEqual([]);
  });
});
