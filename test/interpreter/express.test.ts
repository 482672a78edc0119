import { clock, run, single } from './helpers';
import { compileStateMachine, type JsonObject } from '../../src/interpreter';

/*
 * Express executions as AWS runs them.
 * - Recorded (LocalStack's test_express_sync, test_query_runtime_memory): the execution ARN is
 *   arn:aws:states:<region>:<account>:express:<state machine>:<name>:<id>, and the Context
 *   Object's Execution has Id, Input, Name, RoleArn and StartTime, with no RedriveCount.
 * - Developer guide, "Choosing workflow type in Step Functions": an Express workflow runs for
 *   at most five minutes. https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
 */
describe('Express executions', () => {
  it('gives the execution an express ARN, which is $$.Execution.Id', async () => {
    const r = await run(single({ Type: 'Pass', Parameters: { 'id.$': '$$.Execution.Id' } }), {}, { type: 'EXPRESS', stateMachineName: 'Orders' }, { name: 'run-1' });
    expect(r.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:Orders:run-1:[0-9a-f-]{36}$/);
    expect((r.output as JsonObject).id).toBe(r.executionArn);
  });

  it('takes the execution ARN it was started with (a server that named it) as $$.Execution.Id', async () => {
    const given = 'arn:aws:states:us-east-1:123456789012:express:Orders:run-1:11111111-2222-4333-8444-555555555555';
    const r = await run(single({ Type: 'Pass', Parameters: { 'id.$': '$$.Execution.Id' } }), {}, { type: 'EXPRESS', stateMachineName: 'Orders' }, { name: 'run-1', executionArn: given });
    expect([r.executionArn, (r.output as JsonObject).id]).toEqual([given, given]);
  });

  it('refuses an executionArn that does not name the execution, naming the option', () => {
    const machine = compileStateMachine(single({ Type: 'Pass' }), { type: 'EXPRESS' });
    expect(() => machine.start({}, { name: 'run-1', executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:run-1' }))
      .toThrow(/executionArn must be an ARN of the form arn:aws:states:<region>:<account>:express:<state machine>:run-1:<id>/);
  });

  it('has no RedriveCount in the Context Object (Standard executions have one)', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'e.$': '$$.Execution' } });
    const express = await run(def, { m: 1 }, { type: 'EXPRESS' }, { name: 'x' });
    expect(Object.keys((express.output as { e: JsonObject }).e).sort()).toEqual(['Id', 'Input', 'Name', 'RoleArn', 'StartTime']);
    const standard = await run(def, { m: 1 }, {}, { name: 'x' });
    expect((standard.output as { e: JsonObject }).e).toMatchObject({ RedriveCount: 0 });
  });

  it('times out after five minutes, even when TimeoutSeconds asks for more', async () => {
    const r = await run({ TimeoutSeconds: 3600, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } }, {}, { type: 'EXPRESS', clock: clock() });
    expect(r.status).toBe('TIMED_OUT');
    expect((r.stopDate.getTime() - r.startDate.getTime()) / 1000).toBe(300);
  });

  it('keeps a shorter TimeoutSeconds', async () => {
    const r = await run({ TimeoutSeconds: 10, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } }, {}, { type: 'EXPRESS', clock: clock() });
    expect((r.stopDate.getTime() - r.startDate.getTime()) / 1000).toBe(10);
  });

  it('returns the outcome of a synchronous run: output, or error and cause', async () => {
    const ok = await run(single({ Type: 'Pass', Result: { Arg1: 'argument1' } }), {}, { type: 'EXPRESS' });
    expect([ok.status, ok.output]).toEqual(['SUCCEEDED', { Arg1: 'argument1' }]);
    const failed = await run(single({ Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." }), {}, { type: 'EXPRESS' });
    expect([failed.status, failed.error, failed.cause]).toEqual(['FAILED', 'SomeFailure', "This state machines raises a 'SomeFailure' failure."]);
  });
});
