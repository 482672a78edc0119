import { machine, reaching, replays, runScenario } from './helpers';

/*
 * The error output a Catch hands on is explore's to shape as a Task's answer is (issue 77): the
 * name of the error the failing call threw, and the way a Parallel failed inside, decide what a
 * Choice reading `$states.errorOutput` later sees.
 */

const INVOKE = 'arn:aws:states:::lambda:invoke';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:step';
const CAUGHT = { ErrorEquals: ['States.ALL'], Output: "{% $merge([$states.input, {'error': $states.errorOutput}]) %}" };

describe('explore shapes the error output a Choice reads', () => {
  it('makes the failing Task throw the error name a Choice on the error output compares with', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Charge',
      States: {
        'Charge': { Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: FN }, Catch: [{ ...CAUGHT, Next: 'Why?' }], Next: 'Done' },
        'Why?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $states.input.error.Error = 'Payments.CardDeclined' %}", Next: 'Declined' }],
          Default: 'Other failure',
        },
        'Declined': { Type: 'Succeed' },
        'Other failure': { Type: 'Fail', Error: 'Charge.Failed' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const s = reaching(report, 'states', 'Declined');
    await replays(wf, s);
  });

  it('reaches a Choice behind a catch-all the way another Catch took, renaming the error: a Parallel that failed with no Cause', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Saga',
      States: {
        'Saga': {
          Type: 'Parallel',
          Branches: [{
            StartAt: 'Reserve',
            States: {
              'Reserve': {
                Type: 'Task',
                Resource: INVOKE,
                Arguments: { FunctionName: FN },
                End: true,
                Catch: [{ ...CAUGHT, ErrorEquals: ['Stock.Out', 'Stock.Locked'], Next: 'Release' }, { ...CAUGHT, Next: 'Undo failed' }],
              },
              'Release': {
                Type: 'Task',
                Resource: INVOKE,
                Arguments: { FunctionName: FN },
                Output: '{% $states.input %}',
                Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Undo failed' }],
                Next: 'Rethrow',
              },
              'Undo failed': { Type: 'Fail', Error: 'Saga.CompensationFailed', Cause: '{% $string($states.input) %}' },
              'Rethrow': { Type: 'Fail', Error: '{% $states.input.error.Error %}' },
            },
          }],
          Catch: [
            { ErrorEquals: ['Stock.Out'], Next: 'Out of stock' },
            { ErrorEquals: ['States.ALL'], Output: "{% {'error': $states.errorOutput} %}", Next: 'Has cause?' },
          ],
          End: true,
        },
        'Out of stock': { Type: 'Succeed' },
        'Has cause?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $exists($states.input.error.Cause) %}', Next: 'With cause' }],
          Default: 'Without cause',
        },
        'With cause': { Type: 'Fail', Error: 'Saga.Failed', Cause: '{% $states.input.error.Cause %}' },
        'Without cause': { Type: 'Fail', Error: 'Saga.Failed' },
      },
    });
    const report = await wf.explore();
    const s = reaching(report, 'states', 'Without cause');
    await replays(wf, s);
  });

  // Assign in a Catch reading `$states.errorOutput.Error` (issue 77, round 4): the error a Retry takes is raised at every
  // attempt before the Catch sees it, and an error the state raised itself on the answer (its Output) may be the call's.
  it.each([
    ['a Retry takes the error first', {}],
    ['the run that reached the Catch failed on the answer, not the call', { Output: '{% $states.result.Payload.accepted %}' }],
  ])('makes a retried Task throw, at every attempt, the error name a Catch assigns and a Choice compares (%s)', async (_, fields) => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Call partner',
      States: {
        'Call partner': {
          Type: 'Task',
          Resource: INVOKE,
          Arguments: { FunctionName: FN },
          ...fields,
          Retry: [{ ErrorEquals: ['Partner.Unavailable'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 5, JitterStrategy: 'FULL' }],
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { lastError: '{% $states.errorOutput.Error %}' }, Next: 'Partner down' }],
          Next: 'Done',
        },
        'Partner down': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $lastError = 'Partner.Unavailable' %}", Next: 'Queue for later' }],
          Default: 'Give up',
        },
        'Queue for later': { Type: 'Succeed' },
        'Give up': { Type: 'Fail', Error: 'Partner.Down' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const s = reaching(report, 'states', 'Queue for later');
    await replays(wf, s);
    const run = await runScenario(wf, s);
    expect(run.history.filter((e) => e.type === 'TaskFailed')).toHaveLength(4);
  });

  it('makes a Task fail with an error its integration raises that the Condition on the name\'s prefix takes, not one it never raises', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        'Load': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 't', Key: { pk: { S: '{% $states.input.id %}' } } },
          Output: '{% $states.result.Item %}',
          Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput %}', Next: 'Classify error' }],
          Next: 'Done',
        },
        'Classify error': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $substringBefore($states.input.Error, '.') = 'DynamoDB' %}", Next: 'Dynamo trouble' }],
          Default: 'Other error',
        },
        'Dynamo trouble': { Type: 'Succeed' },
        'Other error': { Type: 'Fail', Error: 'Unknown' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const s = reaching(report, 'states', 'Dynamo trouble');
    await replays(wf, s);
    expect(s.mocks).toEqual({ Load: { Throw: expect.objectContaining({ Error: expect.stringMatching(/^DynamoDB\.[A-Za-z]+Exception$/) }) } });
  });
});
