import { machine, reaching, replays } from './helpers';
import { stopExploreClock } from '../explore-clock';

/*
 * Issue 77, explore round 4 (ninth pass): what a JSONata function does with a field it reads says
 * what explore must make up there. `$toMillis` reads an ISO 8601 time and throws D3110 on any
 * other text (https://docs.jsonata.org/date-time-functions#tomillis), so a Task's answer read
 * through it holds a time, not the field's name.
 */
describe('explore: the kind a JSONata function reads', () => {
  stopExploreClock();

  it('makes up an ISO 8601 time for a DynamoDB attribute read through $toMillis', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load claim',
      States: {
        'Load claim': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 'claims', Key: { pk: { S: '{% $states.input.claimId %}' } } },
          Assign: { dueMs: '{% $toMillis($states.result.Item.dueAt.S) %}', startedMs: '{% $toMillis($states.context.Execution.StartTime) %}' },
          Next: 'Overdue?',
        },
        'Overdue?': { Type: 'Choice', Choices: [{ Condition: '{% $dueMs < $startedMs %}', Next: 'Escalate' }], Default: 'Wait' },
        'Escalate': { Type: 'Succeed' },
        'Wait': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const overdue = reaching(report, 'choiceRules', 'Overdue?#0');
    const due = (overdue.mocks['Load claim'] as { Return: { Item: { dueAt: { S: string } } } }).Return.Item.dueAt.S;
    expect(Number.isNaN(Date.parse(due))).toBe(false);
    await replays(wf, overdue);
    await replays(wf, reaching(report, 'choiceRules', 'Overdue?#default'));
  });
});
