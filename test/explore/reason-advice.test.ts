import { machine } from './helpers';
import { stopExploreClock } from '../explore-clock';

/*
 * A reason explore prints for a branch it could not take names what to give: which input field
 * or Task answer, and, where the rule reads a value computed from it that explore cannot steer
 * (a hash, a JSONata expression it could not bring round), the value that computed value must
 * come out as. Before, the advice named the field alone ("give --input with $.x").
 */

stopExploreClock();

describe('advice for a branch explore could not take through a computation', () => {
  it('names the input field and the value the intrinsic function computed from it must give', async () => {
    const report = await machine({
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Parameters: { 'h.$': "States.Hash($.x, 'SHA-256')" }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.h', StringEquals: 'abc', Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
      },
    }).explore();
    const reason = report.choiceRules.notReached.find((n) => n.rule === 'Check#0')?.reason;
    expect(reason).toMatch(/to reach it, give --input with \$\.x, so that \$\.h is "abc" \(computed from them\)$/);
  });

  it('names the Task answer and the value the JSONata expression of its Assign must give', async () => {
    const report = await machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Get',
      States: {
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f' },
          Assign: { h: '{% $hash($states.result.Payload.x, "SHA-256") %}' },
          Next: 'Check',
        },
        Check: { Type: 'Choice', Choices: [{ Condition: "{% $h = 'abc' %}", Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
      },
    }).explore();
    const reason = report.choiceRules.notReached.find((n) => n.rule === 'Check#0')?.reason;
    expect(reason).toMatch(/to reach it, give --mocks for 'Get' \.x, so that \$h is "abc" \(computed from them\)$/);
  });
});
