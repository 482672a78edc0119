import { machine, reaching, replays } from './helpers';

/*
 * Issue 77, combined hints: a list a Task's answer gives is assigned to a variable, and a later
 * Pass assigns two filters of it (`$items[priority = 'high']`, `$items[priority != 'high']`)
 * that a Choice compares by count. A filter on a variable read alone is the variable's predicate
 * (JSONata's AST), not a path step's stage: explore now builds the item that passes it, where it
 * wrapped the placeholder text in a list the filter kept nothing of, and the Pass failed with
 * States.QueryEvaluationError on every run (an Assign whose expression returns nothing).
 */

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:load-tickets';

function triage(assign: object, condition: string) {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: FN, Payload: '{% $states.input %}' },
        Assign: { items: '{% $states.result.Payload.items %}' },
        Next: 'Split',
      },
      'Split': { Type: 'Pass', Assign: assign, Next: 'Mostly urgent?' },
      'Mostly urgent?': { Type: 'Choice', Choices: [{ Condition: condition, Next: 'Escalate' }], Default: 'Queue' },
      'Escalate': { Type: 'Succeed' },
      'Queue': { Type: 'Succeed' },
    },
  });
}

describe('explore solves filters of a variable a later state assigns', () => {
  it('gives the list an item each filter keeps, and takes both branches of a Choice comparing their counts', async () => {
    const wf = triage({ high: "{% $items[priority = 'high'] %}", low: "{% $items[priority != 'high'] %}" }, '{% $count($high) > $count($low) %}');
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Escalate'));
    await replays(wf, reaching(report, 'states', 'Queue'));
  });

  it('reaches a Choice on the count of one filter of the variable', async () => {
    const wf = triage({ high: "{% $items[priority = 'high'] %}" }, '{% $count($high) > 1 %}');
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Escalate'));
  });
});
