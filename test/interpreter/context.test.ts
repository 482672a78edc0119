import { at, clock, outputOf, run, single } from './helpers';

describe('Context Object', () => {
  it('exposes Execution, StateMachine and State fields with the defaults', async () => {
    const out = await outputOf(single({ Type: 'Pass', Parameters: { 'ctx.$': '$$' } }), { a: 1 }, { clock: clock() }, { name: 'exec-1' });
    expect(out).toEqual({
      ctx: {
        Execution: {
          Id: 'arn:aws:states:us-east-1:123456789012:execution:StateMachine:exec-1',
          Input: { a: 1 },
          Name: 'exec-1',
          RoleArn: 'arn:aws:iam::123456789012:role/StepFunctionsRole',
          StartTime: at(0),
          RedriveCount: 0,
        },
        State: { EnteredTime: at(0), Name: 'S' },
        StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine', Name: 'StateMachine' },
      },
    });
  });

  it('uses the state machine name, region, account and role ARN the caller sets', async () => {
    const out = await outputOf(single({ Type: 'Pass', Parameters: { 'e.$': '$$.Execution', 'sm.$': '$$.StateMachine' } }), {}, {
      stateMachineName: 'Orders', region: 'eu-west-1', accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/R',
    }, { name: 'run-7' }) as { e: Record<string, unknown>; sm: Record<string, unknown> };
    expect(out.e).toMatchObject({ Id: 'arn:aws:states:eu-west-1:111122223333:execution:Orders:run-7', Name: 'run-7', RoleArn: 'arn:aws:iam::111122223333:role/R' });
    expect(out.sm).toEqual({ Id: 'arn:aws:states:eu-west-1:111122223333:stateMachine:Orders', Name: 'Orders' });
  });

  it('shows RetryCount only in states that can retry', async () => {
    const pass = await outputOf(single({ Type: 'Pass', Parameters: { 'st.$': '$$.State' } }));
    expect(pass).toEqual({ st: { EnteredTime: expect.any(String) as unknown, Name: 'S' } });
    const task = await outputOf(single({ Type: 'Task', Resource: 'arn:aws:states:::x:y', Parameters: { 'rc.$': '$$.State.RetryCount' } }), {}, { taskHandlers: { S: (i) => i } });
    expect(task).toEqual({ rc: 0 });
  });

  it('gives each state its own EnteredTime on the clock', async () => {
    const out = await outputOf({
      StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 42, Next: 'P' }, P: { Type: 'Pass', Parameters: { 't.$': '$$.State.EnteredTime' }, End: true } },
    }, {}, { clock: clock() });
    expect(out).toEqual({ t: at(42) });
  });

  it('gives a callback task its token in $$.Task.Token', async () => {
    let token: string | undefined;
    await run(single({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'T.$': '$$.Task.Token' } }), {}, {
      taskHandlers: { S: (input, req) => { token = (input as { T: string }).T; req.execution.sendTaskSuccess(req.taskToken!, 'ok'); return {}; } },
    });
    expect(token).toMatch(/^[0-9a-f-]{36}-/);
  });

  it('names a generated execution with a UUID from the random source', async () => {
    const r = await run(single({ Type: 'Pass', Parameters: { 'n.$': '$$.Execution.Name' } }));
    expect((r.output as { n: string }).n).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.executionArn.endsWith((r.output as { n: string }).n)).toBe(true);
  });
});
