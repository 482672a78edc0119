import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineForExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist,
  GetExecutionHistoryCommand, InvalidArn, InvalidExecutionInput, InvalidName, ListExecutionsCommand, StartExecutionCommand, StartSyncExecutionCommand,
  StateMachineDoesNotExist, StateMachineTypeNotSupported, StopExecutionCommand, UpdateStateMachineCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, PASS, ROLE, serve, until } from './helpers';

const WAIT = asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
const FAIL = asl({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Oops', Cause: 'it broke' } } });

async function machine(sfn: SFNClient, name: string, definition: string, type?: 'EXPRESS'): Promise<string> {
  return (await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, type }))).stateMachineArn!;
}

async function finished(sfn: SFNClient, executionArn: string) {
  return until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
}

describe('serve: executions', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let pass: string;
  let wait: string;
  beforeAll(async () => {
    env = await serve();
    pass = await machine(env.sfn, 'pass', PASS);
    wait = await machine(env.sfn, 'wait', WAIT);
  });
  afterAll(() => env.stop());

  it('starts an execution with an AWS-format execution ARN and runs it to SUCCEEDED with its output', async () => {
    const { executionArn, startDate } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: pass, name: 'run-1', input: '{"a":1}' }));
    expect(executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:pass:run-1');
    expect(startDate).toBeInstanceOf(Date);
    const d = await finished(env.sfn, executionArn!);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}', input: '{"a":1}', name: 'run-1', stateMachineArn: pass, redriveCount: 0 });
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
  });

  it('reports a failed execution with its error and cause', async () => {
    const arn = await machine(env.sfn, 'fails', FAIL);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    expect(await finished(env.sfn, executionArn!)).toMatchObject({ status: 'FAILED', error: 'Oops', cause: 'it broke', redriveStatus: 'REDRIVABLE' });
  });

  it('gives a generated UUID name when none is given', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: pass }));
    expect(executionArn).toMatch(/:execution:pass:[0-9a-f-]{36}$/);
  });

  it('returns the same execution for the same name and input while it runs (idempotent)', async () => {
    const a = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: wait, name: 'same', input: '{"x":1}' }));
    const b = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: wait, name: 'same', input: '{"x":1}' }));
    expect(b).toEqual(expect.objectContaining({ executionArn: a.executionArn, startDate: a.startDate }));
  });

  it('refuses the same name with another input with ExecutionAlreadyExists', async () => {
    await env.sfn.send(new StartExecutionCommand({ stateMachineArn: wait, name: 'other-input', input: '{"x":1}' }));
    await expect(env.sfn.send(new StartExecutionCommand({ stateMachineArn: wait, name: 'other-input', input: '{"x":2}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('refuses the name of a closed execution with ExecutionAlreadyExists, even with the same input', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: pass, name: 'closed', input: '{}' }));
    await finished(env.sfn, executionArn!);
    await expect(env.sfn.send(new StartExecutionCommand({ stateMachineArn: pass, name: 'closed', input: '{}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('refuses input that is not JSON with InvalidExecutionInput', async () => {
    await expect(env.sfn.send(new StartExecutionCommand({ stateMachineArn: pass, input: '{nope' }))).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  it('refuses a bad execution name with InvalidName', async () => {
    await expect(env.sfn.send(new StartExecutionCommand({ stateMachineArn: pass, name: 'a/b' }))).rejects.toBeInstanceOf(InvalidName);
  });

  it('refuses to start an unknown machine with StateMachineDoesNotExist', async () => {
    await expect(env.sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:ghost' }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('answers DescribeExecution of an unknown execution with ExecutionDoesNotExist', async () => {
    await expect(env.sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:pass:ghost' }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('answers DescribeExecution of a malformed ARN with InvalidArn', async () => {
    await expect(env.sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }))).rejects.toBeInstanceOf(InvalidArn);
  });

  it('stops a running execution: ABORTED with the given error and cause', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: wait, name: 'to-stop' }));
    const out = await env.sfn.send(new StopExecutionCommand({ executionArn, error: 'Halt', cause: 'by test' }));
    expect(out.stopDate).toBeInstanceOf(Date);
    const d = await env.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Halt', cause: 'by test' });
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(events![0]).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Halt', cause: 'by test' } });
  });

  it('stops a running execution with no error or cause: DescribeExecution and the ExecutionAborted event carry neither', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: wait, name: 'to-stop-quietly' }));
    await env.sfn.send(new StopExecutionCommand({ executionArn }));
    const d = await env.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect([d.status, 'error' in d, 'cause' in d]).toEqual(['ABORTED', false, false]);
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(events![0]).toMatchObject({ type: 'ExecutionAborted', previousEventId: 0 });
    expect(events![0].executionAbortedEventDetails ?? {}).toEqual({});
  });

  it('lists executions newest first, filtered by status, a page at a time', async () => {
    const arn = await machine(env.sfn, 'listed', WAIT);
    for (const name of ['e1', 'e2', 'e3']) await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name }));
    await env.sfn.send(new StopExecutionCommand({ executionArn: arn.replace(':stateMachine:', ':execution:') + ':e2' }));
    const running = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }));
    expect(running.executions!.map((e) => e.name)).toEqual(['e3', 'e1']);
    const first = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2 }));
    expect(first.executions!.map((e) => e.name)).toEqual(['e3', 'e2']);
    const rest = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: first.nextToken }));
    expect(rest.executions!.map((e) => e.name)).toEqual(['e1']);
    expect(rest.executions![0]).toMatchObject({ status: 'RUNNING', stateMachineArn: arn, startDate: expect.any(Date) });
    expect(rest.nextToken).toBeUndefined();
  });

  it('answers ListExecutions of an unknown machine with StateMachineDoesNotExist', async () => {
    await expect(env.sfn.send(new ListExecutionsCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:ghost' }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('describes the definition an execution ran, not the one updated since', async () => {
    const arn = await machine(env.sfn, 'for-exec', WAIT);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: PASS }));
    const d = await env.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ stateMachineArn: arn, name: 'for-exec', definition: WAIT, roleArn: ROLE });
  });

  it('returns the AWS-shaped history: typed events with ids, previous ids, Date timestamps and details', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: pass, input: '{"in":1}' }));
    await finished(env.sfn, executionArn!);
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(events![0]).toMatchObject({ id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{"in":1}', roleArn: ROLE } });
    expect(events![0].timestamp).toBeInstanceOf(Date);
    expect(events![2]).toMatchObject({ id: 3, previousEventId: 2, stateExitedEventDetails: { name: 'P', output: '{"ok":true}' } });
    expect(events![3].executionSucceededEventDetails).toMatchObject({ output: '{"ok":true}' });
  });

  it('pages the history with maxResults and nextToken, and reverses it with reverseOrder', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: pass }));
    await finished(env.sfn, executionArn!);
    const first = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3 }));
    const rest = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, nextToken: first.nextToken }));
    expect([...first.events!, ...rest.events!].map((e) => e.id)).toEqual([1, 2, 3, 4]);
    const reversed = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    expect(reversed.events!.map((e) => e.id)).toEqual([4, 3, 2, 1]);
  });

  it('leaves input and output out of the history with includeExecutionData false', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: pass, input: '{"secret":1}' }));
    await finished(env.sfn, executionArn!);
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    expect(JSON.stringify(events)).not.toContain('secret');
    expect(events![0].executionStartedEventDetails).toMatchObject({ roleArn: ROLE });
    expect(events![0].executionStartedEventDetails!.input).toBeUndefined();
  });

  it('runs StartSyncExecution on an Express machine and answers with the result', async () => {
    const arn = await machine(env.sfn, 'express-sync', PASS, 'EXPRESS');
    const out = await env.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{}', name: 'sync-1' }));
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}', stateMachineArn: arn, name: 'sync-1' });
    expect(out.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:express-sync:sync-1:[0-9a-f-]{36}$/);
    expect(out.stopDate).toBeInstanceOf(Date);
    expect(out.billingDetails!.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
  });

  // Recorded (LocalStack's test_express_sync test_query_runtime_memory, StartSyncExecution on AWS):
  // $$.Execution.Id is the executionArn the call returned, and an Express execution has no RedriveCount.
  it('gives a StartSyncExecution the Context Object AWS gives: Execution.Id is the returned executionArn, with no RedriveCount', async () => {
    const context = asl({ StartAt: 'Q', States: { Q: { Type: 'Pass', Parameters: { 'execution.$': '$$.Execution', 'state.$': '$$.State' }, End: true } } });
    const arn = await machine(env.sfn, 'express-context', context, 'EXPRESS');
    const out = await env.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"message":"m"}', name: 'ctx-1' }));
    const { execution, state } = JSON.parse(out.output!) as { execution: Record<string, unknown>; state: Record<string, unknown> };
    expect(Object.keys(execution).sort()).toEqual(['Id', 'Input', 'Name', 'RoleArn', 'StartTime']);
    expect(execution).toMatchObject({ Id: out.executionArn, Input: { message: 'm' }, Name: 'ctx-1', RoleArn: ROLE });
    expect(Object.keys(state).sort()).toEqual(['EnteredTime', 'Name']);
  });

  it('reports a failed StartSyncExecution with its error and cause', async () => {
    const arn = await machine(env.sfn, 'express-fail', FAIL, 'EXPRESS');
    expect(await env.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }))).toMatchObject({ status: 'FAILED', error: 'Oops', cause: 'it broke' });
  });

  it('refuses StartSyncExecution on a Standard machine with StateMachineTypeNotSupported', async () => {
    await expect(env.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: pass }))).rejects.toBeInstanceOf(StateMachineTypeNotSupported);
  });

  it('refuses ListExecutions on an Express machine with StateMachineTypeNotSupported', async () => {
    const arn = await machine(env.sfn, 'express-list', PASS, 'EXPRESS');
    await expect(env.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }))).rejects.toBeInstanceOf(StateMachineTypeNotSupported);
  });

  it('starts an Express execution asynchronously with an express: ARN', async () => {
    const arn = await machine(env.sfn, 'express-async', PASS, 'EXPRESS');
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    expect(executionArn).toMatch(/:express:express-async:/);
  });
});
