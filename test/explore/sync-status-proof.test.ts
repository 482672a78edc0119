import { machine, reaching, replays } from './helpers';
import { failRulesOf } from '../../src/asl/answer-outcomes';
import { answerShapeAt } from '../../src/explore/contract-answers';

/*
 * Issue 77, round 6: a child workflow run with `startExecution.sync` answers once the child has
 * ended, with the execution as DescribeExecution describes it (recorded in ../shared/conformance
 * callback/TestCallback_test_start_execution_sync_*): its Status is one the model lists, never
 * RUNNING or PENDING_REDRIVE (states before the end), and FAILED, TIMED_OUT and ABORTED fail the
 * Task. So a Choice after it on `Status = 'SUCCEEDED'` always takes that rule: its Default is
 * proved unreachable, the proof naming the answers left out and where each ends, where explore
 * advised "give --mocks for .Status" after a run with Status FAILED that failed the Task.
 */

const CHILD = 'arn:aws:states:us-east-1:123456789012:stateMachine:child';

function jsonata(condition: string, resource = 'arn:aws:states:::states:startExecution.sync:2') {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Run child',
    States: {
      'Run child': {
        Type: 'Task',
        Resource: resource,
        Arguments: { StateMachineArn: CHILD, Input: '{% $states.input %}' },
        Next: 'Done?',
      },
      'Done?': { Type: 'Choice', Choices: [{ Condition: condition, Next: 'Ok' }], Default: 'Bad' },
      'Ok': { Type: 'Succeed' },
      'Bad': { Type: 'Fail', Error: 'Child.Failed' },
    },
  });
}

describe('explore proves the Default of a Choice on a .sync child\'s Status unreachable', () => {
  it('leaves SUCCEEDED the one Status the model lists that ends the child and lets the Task go on', () => {
    const [rule] = failRulesOf('arn:aws:states:::states:startExecution.sync');
    const described = rule.running!.described!;
    const listed = answerShapeAt(`arn:aws:states:::aws-sdk:${described.api[0]}:${described.api[1]}`, described.at.split('.'));
    const failing = 'oneOf' in rule.test ? rule.test.oneOf : [];
    expect(listed?.type === 'string' && listed.enum?.filter((s: string) => !failing.includes(s) && !rule.running!.oneOf.includes(s))).toEqual(['SUCCEEDED']);
  });

  it.each([
    ['the Status of a .sync:2 answer', "{% $states.input.Status = 'SUCCEEDED' %}", 'arn:aws:states:::states:startExecution.sync:2'],
    ['the Status of a .sync answer', "{% $states.input.Status = 'SUCCEEDED' %}", 'arn:aws:states:::states:startExecution.sync'],
  ])('proves it for %s, naming the statuses that fail the Task', async (_name, condition, resource) => {
    const report = await jsonata(condition, resource).explore();
    expect(report.choiceRules.notReached).toEqual([]);
    const [rule] = report.choiceRules.unreachable;
    expect(rule.rule).toBe('Done?#default');
    expect(rule.reason).toContain("'Run child' answers .Status one of FAILED, TIMED_OUT, ABORTED");
    expect(rule.reason).toContain('never with RUNNING or PENDING_REDRIVE');
    expect(rule.reason).not.toContain('give --mocks');
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Bad']);
    expect(report.search.complete).toBe(true);
  });

  it('proves it for a JSONPath Choice on the Status the ResultPath put under the input', async () => {
    const report = await machine({
      StartAt: 'Run child',
      States: {
        'Run child': {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { 'StateMachineArn': CHILD, 'Input.$': '$' },
          ResultPath: '$.child',
          Next: 'Done?',
        },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.child.Status', StringEquals: 'SUCCEEDED', Next: 'Ok' }], Default: 'Bad' },
        'Ok': { Type: 'Succeed' },
        'Bad': { Type: 'Fail', Error: 'Child.Failed' },
      },
    }).explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Bad']);
  });

  it('still reaches the Default of a Choice on the child\'s output, which the Status does not decide', async () => {
    const wf = jsonata("{% $states.input.Output.kind = 'full' %}");
    const report = await wf.explore();
    expect(report.states.unreachable).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Bad'));
  });
});
