import { machine } from './helpers';

/*
 * Issue 77, explore round 4: a JSONata `lambda:invoke` Task with no Output hands on its result,
 * the invoke envelope ({ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata,
 * StatusCode}, as the AWS-validated recording outputdecl/TestArgumentsBase_test_base_task_lambda
 * shows), not the function's answer. A Choice after it on a field the envelope lacks reads a value
 * absent on every run: explore proves the branch that needs it unreachable, with the envelope as
 * the proof, where it said "not reached" (a value it "cannot change"). Where the field can be
 * there (under Payload, an Output that passes the answer on, another way in from the input), the
 * branch is reached, not proved.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:score';

/** Score, then a Choice on `read` ('gold' takes Gold); `score` adds to the Task. */
function scored(read: string, score: object = {}, route: object = {}) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Score',
    States: {
      Score: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: FN, Payload: '{% $states.input %}' }, Next: 'Route', ...score },
      Route: { Type: 'Choice', Choices: [{ Condition: `{% ${read} = 'gold' %}`, Next: 'Gold' }], Default: 'Plain', ...route },
      Gold: { Type: 'Succeed' },
      Plain: { Type: 'Succeed' },
    },
  };
}

describe('a JSONata Choice after a lambda:invoke Task with no Output', () => {
  it('proves a rule on a field the invoke envelope lacks unreachable, the envelope as the proof', async () => {
    const report = await machine(scored('$states.input.tier')).explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.choiceRules.notReached).toEqual([]);
    const gold = report.choiceRules.unreachable.find((u) => u.rule === 'Route#0');
    expect(gold?.reason).toContain("$states.input.tier, which comes from nowhere: it is absent on every way into 'Route', whose input is always the result of the lambda:invoke Task 'Score'");
    expect(gold?.reason).toContain('ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode');
    expect(report.states.unreachable.map((u) => u.state)).toEqual(['Gold']);
  });

  it('proves nothing of a Task that asks for the log, whose answer holds a LogResult besides', async () => {
    const def = scored('$states.input.LogResult', { Arguments: { FunctionName: FN, Payload: '{% $states.input %}', LogType: 'Tail' } });
    const report = await machine(def).explore();
    expect(report.choiceRules.unreachable).toEqual([]);
    expect(report.states.unreachable).toEqual([]);
  });

  it.each([
    ['the field under Payload', scored('$states.input.Payload.tier')],
    ['an Output that hands the answer on', scored('$states.input.tier', { Output: '{% $states.result.Payload %}' })],
    ['another way in, from the input', (() => {
      const def = scored('$states.input.tier');
      return { ...def, StartAt: 'Skip?', States: { 'Skip?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.skip = true %}', Next: 'Route' }], Default: 'Score' }, ...def.States } };
    })()],
  ])('reaches the rule, and proves nothing, when the field can be there: %s', async (_title, def) => {
    const report = await machine(def).explore();
    expect(report.choiceRules.unreachable).toEqual([]);
    expect(report.states.unreachable).toEqual([]);
    expect(report.states.notReached).toEqual([]);
  });
});
