import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, RedriveExecutionCommand, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { JsonObject, JsonValue } from '../../../src/asl/definition-types';
import { StatesError } from '../../../src/asl/states-errors';
import { matchers } from '../../../src/testing/matchers';
import { record, RecordingError, replay, resume, resumePointOf, type Recording } from '../../../src/workbench/replay';
import { asl, ROLE, serve, until } from '../../server/helpers';

/*
 * The disaster-recovery drill: an execution failed in one region; its
 * recording holds what it had done and where it stopped. resume() restarts
 * the remaining work from the recording alone, as RedriveExecution does from
 * the execution's history on the endpoint: same state, same input, same result.
 */
expect.extend(matchers);

const ORDER = {
  StartAt: 'Reserve',
  States: {
    Reserve: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'stock', Item: { id: { 'S.$': '$.orderId' } } }, ResultPath: null, Next: 'Charge' },
    Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' }, ResultSelector: { 'chargeId.$': '$.Payload.id' }, ResultPath: '$.charge', Next: 'Ship' },
    Ship: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl': 'ship', 'MessageBody.$': '$' }, ResultSelector: { 'shipped.$': '$.MessageId' }, End: true },
  },
};

describe('DR drill: resume a failed execution from its recording', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let executionArn: string;
  let recording: Recording;
  const calls: string[] = [];
  let chargeDown = true;

  const handlers = {
    Reserve: (): JsonValue => { calls.push('Reserve'); return {}; },
    Charge: (input: JsonValue): JsonValue => {
      calls.push('Charge');
      if (chargeDown) throw new StatesError('Lambda.ServiceException', 'the payment service is down in this region');
      return { StatusCode: 200, Payload: { id: `ch-${((input as JsonObject).Payload as JsonObject).orderId as string}` } };
    },
    Ship: (): JsonValue => { calls.push('Ship'); return { MessageId: 'm-1' }; },
  };

  beforeAll(async () => {
    env = await serve({ handlers });
    const machineArn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: asl(ORDER), roleArn: ROLE }))).stateMachineArn!;
    executionArn = (await env.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: '{"orderId":"o-7"}' }))).executionArn!;
    await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'FAILED');
    recording = await record(executionArn, { client: env.sfn });
  });
  afterAll(() => env.stop());

  it('finds where the failed execution stopped and the input that state had', () => {
    expect(resumePointOf(JSON.parse(recording.stateMachine.definition as string).States, recording.events))
      .toEqual({ state: 'Charge', input: { orderId: 'o-7' }, variables: {} });
  });

  it('runs only the remaining work, and ends as RedriveExecution on the endpoint does', async () => {
    chargeDown = false;
    calls.length = 0;
    const local = await resume(recording, { taskHandlers: handlers });
    expect(calls).toEqual(['Charge', 'Ship']);
    expect(local).toMatchObject({ status: 'SUCCEEDED', output: { shipped: 'm-1' }, path: ['Charge', 'Ship'] });

    calls.length = 0;
    await env.sfn.send(new RedriveExecutionCommand({ executionArn }));
    const redriven = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(calls).toEqual(['Charge', 'Ship']);
    expect({ status: redriven.status, output: JSON.parse(redriven.output!) }).toEqual({ status: local.status, output: local.output });
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const afterRedrive = events!.slice(events!.findIndex((e) => e.type === 'ExecutionRedriven'));
    expect(afterRedrive.filter((e) => e.type!.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name)).toEqual(local.path);
  });

  // After the test above redrove the execution on the endpoint: its history now holds both runs.
  it('replays a redriven execution: the run after ExecutionRedriven resumes where the first stopped, with the recorded answers', async () => {
    const redriven = await record(executionArn, { client: env.sfn });
    expect(redriven.events.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(1);
    calls.length = 0;
    const result = await replay(redriven);
    expect(calls).toEqual([]);
    expect(result.run).toMatchObject({ status: 'SUCCEEDED', output: { shipped: 'm-1' } });
    expect(result).toMatchRecording();
    expect(result.unusedAnswers).toEqual([]);
  });

  it('fails a Task of the remaining work that has no handler with States.Runtime naming it', async () => {
    const run = await resume(recording, { taskHandlers: { Charge: handlers.Charge } });
    expect(run).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(run.cause).toContain("no handler for Task state 'Ship' (resource arn:aws:states:::sqs:sendMessage); add it to taskHandlers");
  });

  it('refuses to resume an execution that succeeded', async () => {
    await expect(resume({ ...recording, execution: { ...recording.execution, status: 'SUCCEEDED' } })).rejects.toThrow(RecordingError);
    await expect(resume({ ...recording, execution: { ...recording.execution, status: 'SUCCEEDED' } }))
      .rejects.toThrow(/is SUCCEEDED; only a FAILED, TIMED_OUT or ABORTED execution has remaining work to resume/);
  });
});
