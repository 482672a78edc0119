import { CreateActivityCommand, CreateStateMachineCommand, DeleteActivityCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StopExecutionCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { JsonObject, JsonValue } from '../../../src/asl/definition-types';
import { StatesError } from '../../../src/asl/states-errors';
import { matchers } from '../../../src/testing/matchers';
import {
  parseRecording, record, recordExecutions, redact, replay, RecordingError, type Recording, type RecordedEvent,
} from '../../../src/workbench/replay';
import { withoutRealTime } from '../../real-time';
import { activityTask, asl, ROLE, serve, until } from '../../server/helpers';

expect.extend(matchers);

const ORDER = {
  StartAt: 'Validate',
  States: {
    Validate: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'validate', 'Payload.$': '$' }, ResultSelector: { 'ok.$': '$.Payload.ok' }, ResultPath: '$.validation', Next: 'Items' },
    Items: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Reserve',
        States: {
          Reserve: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:putItem',
            Parameters: { TableName: 'stock', Item: { sku: { 'S.$': '$.sku' } } },
            Retry: [{ ErrorEquals: ['DynamoDB.ProvisionedThroughputExceededException'], MaxAttempts: 2, IntervalSeconds: 1 }],
            ResultPath: null,
            End: true,
          },
        },
      },
      ResultPath: '$.reserved',
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' }, OutputPath: '$.Payload', End: true } } },
        { StartAt: 'Label', States: { Label: { Type: 'Pass', Result: 'label-1', End: true } } },
      ],
      Catch: [{ ErrorEquals: ['Payment.Declined'], ResultPath: '$.error', Next: 'Declined' }],
      Next: 'Done',
    },
    Declined: { Type: 'Fail', Error: 'OrderDeclined', Cause: 'the card was declined' },
    Done: { Type: 'Succeed' },
  },
};

/** Handlers for `serve`: AWS's stand-in. The first putItem of sku 'b' is throttled once, to record a retry. */
function handlers(): Record<string, (input: JsonValue) => JsonValue> {
  let throttled = false;
  return {
    Validate: () => ({ StatusCode: 200, Payload: { ok: true } }),
    Reserve: (input) => {
      const sku = ((input as JsonObject).Item as { sku: { S: string } }).sku.S;
      if (sku === 'b' && !throttled) {
        throttled = true;
        throw new StatesError('DynamoDB.ProvisionedThroughputExceededException', 'slow down');
      }
      return {};
    },
    Charge: (input) => {
      const amount = ((input as JsonObject).Payload as JsonObject).amount as number;
      if (amount > 100) throw new StatesError('Payment.Declined', `amount ${amount} over the limit`);
      return { StatusCode: 200, Payload: { charged: amount } };
    },
  };
}

async function runOn(sfn: SFNClient, machineArn: string, input: JsonValue, name?: string): Promise<string> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(input), name }));
  await until(() => sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 })),
    (h) => /^Execution(Succeeded|Failed|TimedOut|Aborted)$/.test(h.events?.[0]?.type ?? ''));
  return executionArn!;
}

describe('record and replay against stepwright serve', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let machineArn: string;
  let succeeded: Recording;
  let declined: Recording;

  beforeAll(async () => {
    env = await serve({ handlers: handlers() });
    machineArn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: asl(ORDER), roleArn: ROLE }))).stateMachineArn!;
    const ok = await runOn(env.sfn, machineArn, { amount: 40, items: [{ sku: 'a' }, { sku: 'b' }] }, 'ok-1');
    const bad = await runOn(env.sfn, machineArn, { amount: 400, items: [{ sku: 'c' }] }, 'declined-1');
    succeeded = await record(ok, { endpoint: env.server.endpoint, region: 'us-east-1', pageSize: 7 });
    declined = await record(bad, { client: env.sfn });
  });
  afterAll(() => env.stop());

  it('writes a versioned recording: the definition that ran, the input, the outcome and the full history with ISO timestamps', () => {
    expect(succeeded).toMatchObject({
      format: 'stepwright-recording',
      version: 1,
      source: { endpoint: env.server.endpoint, region: 'us-east-1' },
      stateMachine: { arn: machineArn, name: 'orders', roleArn: ROLE },
      execution: { name: 'ok-1', status: 'SUCCEEDED', input: { amount: 40, items: [{ sku: 'a' }, { sku: 'b' }] }, output: [{ charged: 40 }, 'label-1'] },
    });
    expect(JSON.parse(succeeded.stateMachine.definition as string)).toEqual(ORDER);
    expect(succeeded.events[0]).toMatchObject({ type: 'ExecutionStarted', id: 1, timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(succeeded.events[succeeded.events.length - 1].type).toBe('ExecutionSucceeded');
    expect(parseRecording(JSON.parse(JSON.stringify(succeeded)))).toEqual(succeeded);
  });

  it('reads every page of the history (7 events a page here)', async () => {
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: succeeded.execution.arn, maxResults: 1000 }));
    expect(events!.length).toBeGreaterThan(14);
    expect(succeeded.events.map((e) => e.id)).toEqual(events!.map((e) => e.id));
  });

  it('replays a succeeded execution exactly: Map iterations, a retried Task, Parallel branches', async () => {
    const result = await replay(succeeded);
    expect(result.equal).toBe(true);
    expect(result.unanswered).toEqual([]);
    expect(result.unusedAnswers).toEqual([]);
    expect(result.run.history.filter((e) => e.type === 'TaskFailed')).toHaveLength(1);
    expect(result).toMatchRecording();
  });

  it('replays a failed execution exactly: the recorded Task error is caught as on the endpoint', async () => {
    const result = await replay(JSON.stringify(declined));
    expect(result.run).toMatchObject({ status: 'FAILED', error: 'OrderDeclined' });
    expect(result).toMatchRecording();
  });

  it('reports a different output as the JSONPath of the first differing value, AWS and local side by side', async () => {
    const tampered = withEvents(succeeded, (e) => (e.type === 'ExecutionSucceeded'
      ? { ...e, executionSucceededEventDetails: { output: '[{"charged":41},"label-1"]' } } : e));
    const result = await replay({ ...tampered, execution: { ...tampered.execution, output: [{ charged: 41 }, 'label-1'] } });
    expect(result.equal).toBe(false);
    expect(result.divergence).toMatchObject({ kind: 'output', path: '$[0].charged' });
    expect(result.divergence!.message).toBe('both SUCCEEDED, but the output differs at $[0].charged:\n  AWS:   41\n  local: 40');
    expect(() => expect(result).toMatchRecording()).toThrow(/output differs at \$\[0\]\.charged/);
    expect(result).not.toMatchRecording();
  });

  it('reports the first state where the sequence of states parts, in words', async () => {
    const changed = { ...ORDER, States: { ...ORDER.States, Validate: { ...ORDER.States.Validate, Next: 'Normalise' }, Normalise: { Type: 'Pass', Next: 'Items' } } };
    const result = await replay(succeeded, { definition: asl(changed) });
    expect(result.divergence?.kind).toBe('states');
    expect(result.divergence!.message).toBe([
      'the sequence of states differs at step 3:',
      "  AWS:   entered Map state 'Items'",
      "  local: entered Pass state 'Normalise'",
    ].join('\n'));
    expect(result.run.status).toBe('SUCCEEDED');
  });

  it('reports where a changed Catch sends the execution instead of the recorded state', async () => {
    const { Declined: _declined, ...others } = ORDER.States;
    const lenient = { ...ORDER, States: { ...others, Both: { ...ORDER.States.Both, Catch: [{ ErrorEquals: ['Payment.Declined'], ResultPath: '$.error', Next: 'Done' }] } } };
    const result = await replay(declined, { definition: asl(lenient) });
    expect(result.divergence?.kind).toBe('states');
    expect(result.describe()).toContain("AWS:   entered Fail state 'Declined'\n  local: entered Succeed state 'Done'");
  });

  it('reports a different error of the same Fail state, both errors side by side', async () => {
    const renamed = { ...ORDER, States: { ...ORDER.States, Declined: { Type: 'Fail', Error: 'PaymentRejected', Cause: 'the card was declined' } } };
    const result = await replay(declined, { definition: asl(renamed) });
    expect(result.divergence).toMatchObject({ kind: 'error' });
    expect(result.divergence!.message).toBe([
      'both FAILED, with different errors:',
      '  AWS:   FAILED with OrderDeclined: the card was declined',
      '  local: FAILED with PaymentRejected: the card was declined',
    ].join('\n'));
  });

  it('reports a different status when the states agree but the recording ended otherwise', async () => {
    const result = await replay({ ...declined, execution: { ...declined.execution, status: 'TIMED_OUT', error: 'States.Timeout', cause: undefined } });
    expect(result.divergence).toMatchObject({ kind: 'status' });
    expect(result.divergence!.message).toBe('the outcome differs:\n  AWS:   TIMED_OUT with States.Timeout\n  local: FAILED with OrderDeclined: the card was declined');
  });

  it('answers a changed definition from the recording and lists the Tasks it has no answer for', async () => {
    const audited = {
      ...ORDER,
      States: {
        ...ORDER.States,
        Both: { ...ORDER.States.Both, Next: 'Audit' },
        Audit: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$' }, Next: 'Done' },
      },
    };
    const result = await replay(succeeded, { definition: asl(audited) });
    expect(result.unanswered).toEqual([{ state: 'Audit', resource: 'arn:aws:states:::sqs:sendMessage', input: { QueueUrl: 'q', MessageBody: [{ charged: 40 }, 'label-1'] } }]);
    expect(result.run).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.describe()).toContain('1 Task call had no recorded answer:\n  Audit (arn:aws:states:::sqs:sendMessage)');
    const answered = await replay(succeeded, { definition: asl(audited), fallback: (_input, req) => (req.stateName === 'Audit' ? { MessageId: 'm-1' } : undefined) });
    expect(answered.unanswered).toEqual([]);
    expect(answered.run.status).toBe('SUCCEEDED');
  });

  it('records the newest executions of a state machine, filtered by status, at most max, with progress', async () => {
    const progress: string[] = [];
    const failed = await recordExecutions(machineArn, { client: env.sfn, status: 'FAILED', max: 5, onProgress: (n, total, arn) => progress.push(`${n}/${total} ${arn}`) });
    expect(failed.map((r) => r.execution.name)).toEqual(['declined-1']);
    expect(progress).toEqual([`1/1 ${declined.execution.arn}`]);
    const one = await recordExecutions(machineArn, { client: env.sfn, max: 1 });
    expect(one).toHaveLength(1);
    await expect(recordExecutions(machineArn, { client: env.sfn, max: 0 })).rejects.toThrow('max must be a positive integer, got 0');
  });
});

describe('a callback Task recorded and replayed', () => {
  it('answers the .waitForTaskToken Task with the result the worker sent on the endpoint', async () => {
    const env = await serve();
    try {
      const definition = {
        StartAt: 'Approve',
        States: {
          Approve: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, TimeoutSeconds: 60, End: true },
        },
      };
      const arn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'approval', definition: asl(definition), roleArn: ROLE }))).stateMachineArn!;
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
      const { events } = await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
      const token = JSON.parse(events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!).MessageBody.token as string;
      await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
      await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 })), (h) => h.events![0].type === 'ExecutionSucceeded');
      const recording = await record(executionArn!, { client: env.sfn });
      const result = await replay(recording);
      expect(result.run.output).toEqual({ approved: true });
      expect(result).toMatchRecording();
    } finally {
      await env.stop();
    }
  });
});

describe('activities, nested executions and timeouts recorded on serve and replayed', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    env = await serve({
      timeScale: 1000,
      handlers: {
        // serve answers a nested execution's Task through a handler, with what `.sync:2` returns (Output parsed).
        Child: (input) => ({
          Status: 'SUCCEEDED',
          Output: { total: ((input as JsonObject).Input as JsonObject).n as number * 2 },
          ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:child:c-1',
        }),
      },
    });
  });
  afterAll(() => env.stop());

  async function finished(executionArn: string): Promise<void> {
    await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 })),
      (h) => /^Execution(Succeeded|Failed|TimedOut)$/.test(h.events?.[0]?.type ?? ''));
  }

  it('answers an activity with the result its worker sent, and a nested .sync execution with its recorded output', async () => {
    const activityArn = (await env.sfn.send(new CreateActivityCommand({ name: 'pack' }))).activityArn!;
    const definition = {
      StartAt: 'Pack',
      States: {
        Pack: { Type: 'Task', Resource: activityArn, Next: 'Child' },
        Child: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', Input: { 'n.$': '$.boxes' } },
          OutputPath: '$.Output',
          End: true,
        },
      },
    };
    const arn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'packing', definition: asl(definition), roleArn: ROLE }))).stateMachineArn!;
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    // At --time-scale 1000 one long poll lasts 60 ms, so the worker polls again until the task comes.
    const task = await activityTask(env.sfn, activityArn, 'w');
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"boxes":3}' }));
    await finished(executionArn!);
    const recording = await record(executionArn!, { client: env.sfn });
    expect(recording.execution.status).toBe('SUCCEEDED');
    const result = await replay(recording);
    expect(result.run.output).toEqual({ total: 6 });
    expect(result).toMatchRecording();
  });

  it('replays a Task on a deleted activity as AWS recorded it: States.Runtime at once, no Activity event', async () => {
    // Recorded (test_activity_task_on_deleted): no ActivityScheduleFailed, only ExecutionFailed's cause says so.
    const activityArn = (await env.sfn.send(new CreateActivityCommand({ name: 'retired' }))).activityArn!;
    await env.sfn.send(new DeleteActivityCommand({ activityArn }));
    const definition = { StartAt: 'ActivityTask', States: { ActivityTask: { Type: 'Task', Resource: activityArn, End: true } } };
    const arn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'retired-work', definition: asl(definition), roleArn: ROLE }))).stateMachineArn!;
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"Value1":"HelloWorld"}' }));
    await finished(executionArn!);
    const recording = await record(executionArn!, { client: env.sfn });
    expect(recording.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    const result = await replay(recording);
    expect([result.run.status, result.run.error]).toEqual(['FAILED', 'States.Runtime']);
    expect(result).toMatchRecording();
  });

  it('replays a callback Task that timed out on the endpoint as a timeout on the virtual clock', async () => {
    const definition = {
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          TimeoutSeconds: 5,
          Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Escalate' }],
          End: true,
        },
        Escalate: { Type: 'Pass', Result: 'escalated', End: true },
      },
    };
    const arn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'approval-timeout', definition: asl(definition), roleArn: ROLE }))).stateMachineArn!;
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    await finished(executionArn!);
    const recording = await record(executionArn!, { client: env.sfn });
    expect(recording.events.map((e) => e.type)).toContain('TaskTimedOut');
    const result = await replay(recording);
    expect(result.run.output).toBe('escalated');
    expect(result).toMatchRecording();
  });
});

describe('executions that ended while a Task was still running', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    // Slow never answers: the Task is still running when the execution is stopped.
    env = await serve({ timeScale: 1000, handlers: { Slow: () => new Promise<JsonValue>(() => undefined) } });
  });
  afterAll(() => env.stop());

  async function recordEnded(definition: object, stop: boolean): Promise<Recording> {
    const arn = (await env.sfn.send(new CreateStateMachineCommand({ name: `m-${Math.random().toString(36).slice(2, 8)}`, definition: asl(definition), roleArn: ROLE }))).stateMachineArn!;
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => /Scheduled$/.test(e.type!)));
    if (stop) await env.sfn.send(new StopExecutionCommand({ executionArn, error: 'Ops.Cancelled', cause: 'stopped by the operator' }));
    await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    return record(executionArn!, { client: env.sfn });
  }

  const callback = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true };

  it('replays an execution stopped while a callback waited as ABORTED with the recorded error and cause', async () => {
    const recording = await recordEnded({ StartAt: 'Approve', States: { Approve: callback } }, true);
    expect(recording.execution).toMatchObject({ status: 'ABORTED', error: 'Ops.Cancelled' });
    const result = await replay(recording);
    expect(result.run).toMatchObject({ status: 'ABORTED', error: 'Ops.Cancelled', cause: 'stopped by the operator' });
    expect(result).toMatchRecording();
  });

  it('replays an execution stopped while a Lambda call ran as ABORTED', async () => {
    const slow = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'slow' }, End: true };
    const recording = await recordEnded({ StartAt: 'Slow', States: { Slow: slow } }, true);
    expect(await replay(recording)).toMatchRecording();
  });

  it('replays an execution that hit its TimeoutSeconds while a callback waited as TIMED_OUT', async () => {
    const recording = await recordEnded({ StartAt: 'Approve', TimeoutSeconds: 30, States: { Approve: callback } }, false);
    expect(recording.execution.status).toBe('TIMED_OUT');
    const result = await replay(recording);
    expect(result.run.status).toBe('TIMED_OUT');
    expect(result).toMatchRecording();
  });

  it('replays an execution that hit its TimeoutSeconds while a Lambda call ran as TIMED_OUT, without holding the clock', async () => {
    const slow = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'slow' }, End: true };
    const recording = await recordEnded({ StartAt: 'Slow', TimeoutSeconds: 30, States: { Slow: slow } }, false);
    expect(recording.execution.status).toBe('TIMED_OUT');
    // A held clock would stay still until the hold guard lets go (holdTimeoutMs of real time) and only
    // then reach the timeout: with no real time passing, the guard never fires, so the replay must end without it.
    expect(await withoutRealTime(() => replay(recording))).toMatchRecording();
  });

  it('refuses to replay an execution recorded while it was still RUNNING, saying to record it once ended', async () => {
    const recording = await recordEnded({ StartAt: 'Approve', States: { Approve: callback } }, true);
    await expect(replay({ ...recording, execution: { ...recording.execution, status: 'RUNNING' } }))
      .rejects.toThrow(/was RUNNING when recorded, so there is no outcome to replay; record it again once it has ended/);
  });
});

describe('recordings', () => {
  const minimal = (): Recording => ({
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } },
    execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'SUCCEEDED', input: { a: 1 }, output: { a: 1 } },
    events: [
      { type: 'ExecutionStarted', id: 1, previousEventId: 0 },
      { type: 'PassStateEntered', id: 2, previousEventId: 1, stateEnteredEventDetails: { name: 'P' } },
      { type: 'PassStateExited', id: 3, previousEventId: 2, stateExitedEventDetails: { name: 'P' } },
      { type: 'ExecutionSucceeded', id: 4, previousEventId: 3 },
    ],
  });

  it.each([
    ['not JSON', '{', 'NOT_A_RECORDING', /not JSON/],
    ['another document', { hello: 1 }, 'NOT_A_RECORDING', /'format' must be 'stepwright-recording', got undefined/],
    ['a newer version', { ...minimal(), version: 2 }, 'UNSUPPORTED_VERSION', /version 2 is not supported; this stepwright reads version 1/],
    ['no definition', { ...minimal(), stateMachine: { arn: 'x' } }, 'INVALID_FIELD', /'stateMachine.definition' must be the ASL definition/],
    ['no input', { ...minimal(), execution: { arn: 'x', status: 'SUCCEEDED' } }, 'INVALID_FIELD', /'execution.input'/],
    ['an event without a type', { ...minimal(), events: [{ id: 1 }] }, 'INVALID_FIELD', /'events\[0\].type'/],
    ['a redrive count that is no count', { ...minimal(), execution: { ...minimal().execution, redriveCount: '1' } }, 'INVALID_FIELD', /'execution.redriveCount'/],
    ['a redrive status that is no text', { ...minimal(), execution: { ...minimal().execution, redriveStatus: 3 } }, 'INVALID_FIELD', /'execution.redriveStatus'/],
  ])('refuses %s with a RecordingError naming the field', (_what, doc, code, message) => {
    let error: unknown;
    try {
      parseRecording(doc);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RecordingError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a definition option that is not JSON with a RecordingError saying what to pass', async () => {
    await expect(replay(minimal(), { definition: '{"StartAt":' })).rejects.toThrow(/the definition option is not JSON: .*; pass ASL as JSON text or an object/);
  });

  it('refuses a definition option that is not JSON naming the line and column, never quoting its text', async () => {
    const error = await replay(minimal(), { definition: '{\n  "StartAt": hunter2-secret\n}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordingError);
    expect(error).toMatchObject({ code: 'INVALID_DEFINITION' });
    expect((error as Error).message).toBe('the definition option is not JSON: Unexpected character at line 2, column 14; pass ASL as JSON text or an object');
  });

  it('refuses a recorded definition that is not JSON naming the line and column, never quoting its text', async () => {
    const rec = minimal();
    const broken = { ...rec, stateMachine: { ...rec.stateMachine, definition: '{"StartAt": hunter2-secret}' } };
    const error = await replay(broken).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_DEFINITION' });
    expect((error as Error).message).toMatch(/^stateMachine\.definition is not JSON: Unexpected character at line 1, column 13; /);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('replays a history listed newest first (GetExecutionHistory reverseOrder) as the same execution', async () => {
    const rec = minimal();
    // The synthetic events carry no details: the sequence of states and the outcome are compared.
    expect(await replay({ ...rec, events: [...rec.events].reverse() }, { compareEvents: false })).toMatchRecording();
  });

  it('compares a recording written without event details by its states, outcome and output, as earlier releases did', async () => {
    // AWS gives every ExecutionStarted its details; without them the recording was written by hand.
    const rec = minimal();
    expect(await replay(rec)).toMatchRecording();
    expect(await replay({ ...rec, events: [...rec.events].reverse() })).toMatchRecording();
    const other = await replay(rec, { definition: { StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } } });
    expect(other.divergence?.kind).toBe('states');
    // Asked to, it compares every event: the local ExecutionStarted has the details the recording lacks.
    expect((await replay(rec, { compareEvents: true })).divergence).toMatchObject({ kind: 'event', path: '$.executionStartedEventDetails' });
  });

  it('redacts JSONPaths in the execution input and output and in every payload of the events, leaving the original untouched', () => {
    const rec: Recording = {
      ...minimal(),
      execution: { ...minimal().execution, input: { customer: { email: 'a@b.c', id: 7 } }, output: { customer: { email: 'a@b.c', id: 7 } } },
      events: [
        { type: 'ExecutionStarted', id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{"customer":{"email":"a@b.c","id":7}}' } },
        { type: 'TaskScheduled', id: 2, previousEventId: 1, taskScheduledEventDetails: { parameters: '{"to":{"email":"a@b.c"}}', resource: 'x' } },
      ],
    };
    const out = redact(rec, ['$.customer.email', '$..email']);
    expect(out.execution.input).toEqual({ customer: { email: '<redacted>', id: 7 } });
    expect(out.execution.output).toEqual({ customer: { email: '<redacted>', id: 7 } });
    expect(JSON.parse((out.events[0].executionStartedEventDetails as { input: string }).input)).toEqual({ customer: { email: '<redacted>', id: 7 } });
    expect(JSON.parse((out.events[1].taskScheduledEventDetails as { parameters: string }).parameters)).toEqual({ to: { email: '<redacted>' } });
    expect(out.redacted).toEqual(['$.customer.email', '$..email']);
    expect(JSON.stringify(rec)).toContain('a@b.c');
    expect(JSON.stringify(out)).not.toContain('a@b.c');
  });

  describe('concurrent lanes', () => {
    const definition = asl({
      StartAt: 'Items',
      States: {
        Items: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Pass', End: true } } }, ResultPath: null, Next: 'Both' },
        Both: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } }, { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } }],
          End: true,
        },
      },
    });
    const ev = (id: number, previousEventId: number, type: string, details: Record<string, unknown> = {}): RecordedEvent => ({
      id, previousEventId, type, ...details,
    });
    const entered = (name: string) => ({ stateEnteredEventDetails: { name } });
    const exited = (name: string) => ({ stateExitedEventDetails: { name } });
    const iteration = (key: string, index: number) => ({ [key]: { name: 'Items', index } });
    // As AWS may record it: iteration 1 and branch B first, the lanes interleaved.
    const interleaved = (iterationZeroState = 'Double'): Recording => ({
      ...minimal(),
      stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition },
      execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'SUCCEEDED', input: { items: [1, 2] }, output: ['a', 'b'] },
      events: [
        ev(1, 0, 'ExecutionStarted'), ev(2, 1, 'MapStateEntered', entered('Items')), ev(3, 2, 'MapStateStarted'),
        ev(4, 3, 'MapIterationStarted', iteration('mapIterationStartedEventDetails', 0)),
        ev(5, 3, 'MapIterationStarted', iteration('mapIterationStartedEventDetails', 1)),
        ev(6, 5, 'PassStateEntered', entered('Double')), ev(7, 4, 'PassStateEntered', entered(iterationZeroState)),
        ev(8, 6, 'PassStateExited', exited('Double')), ev(9, 7, 'PassStateExited', exited(iterationZeroState)),
        ev(10, 8, 'MapIterationSucceeded', iteration('mapIterationSucceededEventDetails', 1)),
        ev(11, 9, 'MapIterationSucceeded', iteration('mapIterationSucceededEventDetails', 0)),
        ev(12, 11, 'MapStateSucceeded'), ev(13, 12, 'MapStateExited', exited('Items')),
        ev(14, 13, 'ParallelStateEntered', entered('Both')), ev(15, 14, 'ParallelStateStarted'),
        ev(16, 15, 'PassStateEntered', entered('B')), ev(17, 15, 'PassStateEntered', entered('A')),
        ev(18, 16, 'PassStateExited', exited('B')), ev(19, 17, 'PassStateExited', exited('A')),
        ev(20, 19, 'ParallelStateSucceeded'), ev(21, 20, 'ParallelStateExited', exited('Both')), ev(22, 21, 'ExecutionSucceeded'),
      ],
    });

    it('accepts Map iterations and Parallel branches recorded in another interleaving: only the order within each lane counts', async () => {
      expect(await replay(interleaved(), { compareEvents: false })).toMatchRecording();
    });

    it('accepts a recording without event details in another interleaving by default, as earlier releases did', async () => {
      expect(await replay(interleaved())).toMatchRecording();
    });

    it('names the Map iteration where a lane differs', async () => {
      const result = await replay(interleaved('Triple'));
      expect(result.divergence?.message).toMatch(
        /differs at step \d+:\n {2}AWS: {3}entered Pass state 'Triple' in Map iteration Items\[0\]\n {2}local: entered Pass state 'Double' in Map iteration Items\[0\]$/,
      );
    });
  });

  it('refuses a redaction path that does not start at $, saying how to write it', () => {
    expect(() => redact(minimal(), ['customer.email'])).toThrow(/--redact 'customer.email' is not a JSONPath .*write it as '\$.customer.email'/);
    expect(() => redact(minimal(), ['$$.Execution'])).toThrow(RecordingError);
  });
});

function withEvents(rec: Recording, fn: (e: RecordedEvent) => RecordedEvent): Recording {
  return { ...rec, events: rec.events.map(fn) };
}
