import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ActivityDoesNotExist, CreateActivityCommand, CreateStateMachineCommand, DeleteActivityCommand, DescribeActivityCommand, DescribeExecutionCommand,
  GetActivityTaskCommand, GetExecutionHistoryCommand, InvalidOutput, InvalidToken, ListActivitiesCommand, SendTaskFailureCommand,
  SendTaskHeartbeatCommand, SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand, TaskDoesNotExist, TaskTimedOut,
  ValidationException, type SFNClient,
  type GetActivityTaskCommandOutput,
} from '@aws-sdk/client-sfn';
import { asl, raw, refusal, ROLE, serve, settled, until } from './helpers';
import { fakeRealTime, turns } from '../real-time';

const CALLBACK = asl({
  StartAt: 'Notify',
  States: {
    Notify: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
});
const ACTIVITY_ARN = 'arn:aws:states:us-east-1:123456789012:activity:work';
const ACTIVITY = asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: ACTIVITY_ARN, End: true } } });
const LAMBDA = asl({
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 2, IntervalSeconds: 1 }],
      OutputPath: '$.Payload',
      End: true,
    },
  },
});

async function machine(sfn: SFNClient, name: string, definition: string): Promise<string> {
  return (await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }))).stateMachineArn!;
}

const describe_ = (sfn: SFNClient, executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));

/** The task token a `.waitForTaskToken` task put in its TaskScheduled parameters, read from the history as a worker would. */
async function tokenFromHistory(sfn: SFNClient, executionArn: string): Promise<string> {
  const { events } = await until(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
  const scheduled = events!.find((e) => e.type === 'TaskScheduled')!;
  return JSON.parse(scheduled.taskScheduledEventDetails!.parameters!).MessageBody.token;
}

describe('serve: callbacks', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let arn: string;
  beforeAll(async () => {
    env = await serve();
    arn = await machine(env.sfn, 'callback', CALLBACK);
  });
  afterAll(() => env.stop());

  it('waits at a .waitForTaskToken task until SendTaskSuccess with the token from the TaskScheduled event', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const token = await tokenFromHistory(env.sfn, executionArn!);
    expect((await describe_(env.sfn, executionArn!)).status).toBe('RUNNING');
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
  });

  it('fails the task with SendTaskFailure error and cause', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const token = await tokenFromHistory(env.sfn, executionArn!);
    await env.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'no' }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'no' });
  });

  it('accepts SendTaskHeartbeat for a waiting task', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const token = await tokenFromHistory(env.sfn, executionArn!);
    await expect(env.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).resolves.toBeDefined();
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
  });

  it('answers a token whose task is over with TaskTimedOut, in AWS\'s words, through the SDK and raw HTTP', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const token = await tokenFromHistory(env.sfn, executionArn!);
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    // AWS's words, which name no token (recorded: SendTaskFailure of a token used once, aws-samples/amazon-mwaa-examples
    // issue 61; SendTaskSuccess and SendTaskHeartbeat, captured by users of the SDKs).
    const words = "Task Timed Out: 'Provided task does not exist anymore'";
    for (const call of [
      () => env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
      () => env.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })),
    ]) {
      const e = await refusal(call());
      expect(e).toBeInstanceOf(TaskTimedOut);
      expect(e.message).toBe(words);
    }
    const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.SendTaskFailure', body: JSON.stringify({ taskToken: token, error: 'E' }) });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: { __type: 'com.amazonaws.swf.service.v2.model#TaskTimedOut', message: words } });
  });

  it('answers a malformed token with InvalidToken', async () => {
    await expect(env.sfn.send(new SendTaskSuccessCommand({ taskToken: 'junk', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it.each(['SendTaskHeartbeat', 'SendTaskSuccess', 'SendTaskFailure'] as const)(
    'answers %s of a token no execution issued in AWS\'s words, which name no token', async (operation) => {
      // Recorded: SendTaskHeartbeat of 'FakeTaskToken' (aws_api_step_functions' tests, run against Step Functions).
      const send = {
        SendTaskHeartbeat: () => env.sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'FakeTaskToken' })),
        SendTaskSuccess: () => env.sfn.send(new SendTaskSuccessCommand({ taskToken: 'FakeTaskToken', output: '{}' })),
        SendTaskFailure: () => env.sfn.send(new SendTaskFailureCommand({ taskToken: 'FakeTaskToken' })),
      }[operation];
      const e = await send().then(() => undefined, (x: unknown) => x as Error);
      expect(e).toBeInstanceOf(InvalidToken);
      expect(e!.message).toBe("Invalid Token: 'Invalid token'");
    });

  it('answers a well-formed token never issued with TaskDoesNotExist', async () => {
    const token = '00000000-0000-4000-8000-000000000000-1';
    await expect(env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  it('refuses output that is not JSON with InvalidOutput', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const token = await tokenFromHistory(env.sfn, executionArn!);
    await expect(env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'nope' }))).rejects.toBeInstanceOf(InvalidOutput);
  });
});

describe('serve: activities', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  // At --time-scale 10, GetActivityTask's 60 s long poll lasts 6 s: a poll sent before
  // StartExecution is still waiting when the task comes, even on a loaded machine.
  beforeAll(async () => { env = await serve({ timeScale: 10 }); });
  afterAll(() => env.stop());

  it('creates an activity idempotently, describes and lists it', async () => {
    const a = await env.sfn.send(new CreateActivityCommand({ name: 'work' }));
    const b = await env.sfn.send(new CreateActivityCommand({ name: 'work' }));
    expect(a.activityArn).toBe(ACTIVITY_ARN);
    expect(b).toMatchObject({ activityArn: a.activityArn, creationDate: a.creationDate });
    expect(await env.sfn.send(new DescribeActivityCommand({ activityArn: a.activityArn }))).toMatchObject({ name: 'work', activityArn: ACTIVITY_ARN, creationDate: expect.any(Date) });
    const { activities } = await env.sfn.send(new ListActivitiesCommand({}));
    expect(activities!.map((x) => x.name)).toContain('work');
  });

  it('deletes an activity: DescribeActivity then answers ActivityDoesNotExist', async () => {
    const { activityArn } = await env.sfn.send(new CreateActivityCommand({ name: 'gone' }));
    await env.sfn.send(new DeleteActivityCommand({ activityArn }));
    await expect(env.sfn.send(new DescribeActivityCommand({ activityArn }))).rejects.toBeInstanceOf(ActivityDoesNotExist);
  });

  it('fails a Task on an activity deleted since with States.Runtime and AWS\'s cause, scheduling nothing', async () => {
    // Recorded (LocalStack's test_activity_task_on_deleted, on AWS): TaskStateEntered, then
    // ExecutionFailed States.Runtime "An error occurred while executing the state 'ActivityTask'
    // (entered at the event id #2). The activity <arn> does not exist."
    const { activityArn } = await env.sfn.send(new CreateActivityCommand({ name: 'deleted-since' }));
    await env.sfn.send(new DeleteActivityCommand({ activityArn }));
    const arn = await machine(env.sfn, 'on-deleted', asl({ StartAt: 'ActivityTask', States: { ActivityTask: { Type: 'Task', Resource: activityArn, End: true } } }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"Value1":"HelloWorld"}' }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: `An error occurred while executing the state 'ActivityTask' (entered at the event id #2). The activity ${activityArn!} does not exist.`,
    });
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    // Created again, the activity takes the Task as before.
    await env.sfn.send(new CreateActivityCommand({ name: 'deleted-since' }));
    const again = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const history = await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn: again.executionArn })), (h) => h.events!.some((e) => e.type === 'ActivityScheduled'));
    expect(history.events!.map((e) => e.type)).toContain('ActivityScheduled');
    await env.sfn.send(new StopExecutionCommand({ executionArn: again.executionArn }));
  });

  it('hands an activity task to a worker polling GetActivityTask, who completes it with SendTaskSuccess', async () => {
    await env.sfn.send(new CreateActivityCommand({ name: 'work' }));
    const arn = await machine(env.sfn, 'activity', ACTIVITY);
    const poll = env.sfn.send(new GetActivityTaskCommand({ activityArn: ACTIVITY_ARN, workerName: 'w1' }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":7}' }));
    const task = await poll;
    expect(JSON.parse(task.input!)).toEqual({ job: 7 });
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"done":7}' }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"done":7}' });
  });

  it('queues an activity task until a worker polls', async () => {
    await env.sfn.send(new CreateActivityCommand({ name: 'work' }));
    const arn = await machine(env.sfn, 'activity-queued', ACTIVITY);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":8}' }));
    // Scheduled before anyone polls: the poll finds it queued.
    await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'ActivityScheduled'));
    const task = await env.sfn.send(new GetActivityTaskCommand({ activityArn: ACTIVITY_ARN }));
    expect(JSON.parse(task.input!)).toEqual({ job: 8 });
    await env.sfn.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'Worker.Failed' }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'FAILED', error: 'Worker.Failed' });
  });

  it('records ActivityStarted when a worker takes the task, with the name it gave GetActivityTask, as AWS records it', async () => {
    // AWS: ActivityStarted carries the worker's name (recordings activities/TestActivities_test_activity_task_failure,
    // "workerName": "BASE_ID_ACTIVITY_CONSUMER"); GetActivityTask's workerName "is used when it is logged in the execution history".
    const { activityArn } = await env.sfn.send(new CreateActivityCommand({ name: 'named-worker' }));
    const definition = asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, End: true } } });
    const arn = await machine(env.sfn, 'activity-named-worker', definition);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":9}' }));
    const scheduled = await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'ActivityScheduled'));
    // No worker has the task yet: it has not started.
    expect(scheduled.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled']);
    const task = await env.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'worker-7' }));
    const taken = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(taken.events!.slice(2).map((e) => [e.type, e.id, e.previousEventId, e.activityStartedEventDetails])).toEqual([
      ['ActivityScheduled', 3, 2, undefined],
      ['ActivityStarted', 4, 3, { workerName: 'worker-7' }],
    ]);
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"done":9}' }));
    await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING');
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(events!.filter((e) => e.type === 'ActivityStarted').map((e) => e.activityStartedEventDetails)).toEqual([{ workerName: 'worker-7' }]);
  });

  it('answers GetActivityTask with no token once its long poll of 60 s of server time ends without a task', async () => {
    const fast = await serve({ timeScale: 100 });
    // Real time passes only when the test advances it (test/real-time.ts).
    fakeRealTime();
    try {
      const { activityArn } = await fast.sfn.send(new CreateActivityCommand({ name: 'idle' }));
      let answered: GetActivityTaskCommandOutput | undefined;
      const timers = jest.getTimerCount();
      void fast.sfn.send(new GetActivityTaskCommand({ activityArn })).then((t) => { answered = t; });
      // The poll has reached the server once it arms the timer that ends it.
      await settled(async () => jest.getTimerCount(), (n) => n > timers);
      // 60 s of server time at --time-scale 100 is 600 ms of real time: not a millisecond less.
      await jest.advanceTimersByTimeAsync(599);
      await turns();
      expect(answered).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      const task = await settled(async () => answered, (t) => t !== undefined);
      expect(task!.taskToken).toBeUndefined();
    } finally {
      jest.useRealTimers();
      await fast.stop();
    }
  });

  it('answers GetActivityTask on an unknown activity with ActivityDoesNotExist', async () => {
    await expect(env.sfn.send(new GetActivityTaskCommand({ activityArn: 'arn:aws:states:us-east-1:123456789012:activity:none' }))).rejects.toBeInstanceOf(ActivityDoesNotExist);
  });

  it('keeps an activity alive past HeartbeatSeconds while its worker sends SendTaskHeartbeat', async () => {
    const { activityArn } = await env.sfn.send(new CreateActivityCommand({ name: 'steady' }));
    // HeartbeatSeconds 10 at --time-scale 10: a window of one real second, which passes only when the test advances it.
    const windowMs = 1_000;
    const definition = asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, HeartbeatSeconds: 10, End: true } } });
    const arn = await machine(env.sfn, 'activity-steady', definition);
    fakeRealTime();
    try {
      const poll = env.sfn.send(new GetActivityTaskCommand({ activityArn }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
      const { taskToken } = await poll;
      // A beat nine tenths of a window after the last, three times: the task lives 2.7 windows, well past its first deadline.
      for (let beat = 0; beat < 3; beat++) {
        await jest.advanceTimersByTimeAsync(windowMs * 0.9);
        await env.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
      }
      expect((await describe_(env.sfn, executionArn!)).status).toBe('RUNNING');
      await env.sfn.send(new SendTaskSuccessCommand({ taskToken, output: '"kept alive"' }));
      expect(await settled(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '"kept alive"' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('times out an activity whose worker stops sending heartbeats (States.HeartbeatTimeout)', async () => {
    const { activityArn } = await env.sfn.send(new CreateActivityCommand({ name: 'beating' }));
    const definition = asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, HeartbeatSeconds: 3, End: true } } });
    const arn = await machine(env.sfn, 'activity-heartbeat', definition);
    const poll = env.sfn.send(new GetActivityTaskCommand({ activityArn }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    expect((await poll).taskToken).toBeDefined();
    // HeartbeatSeconds 3 at --time-scale 10: 300 ms without a heartbeat.
    const d = await until(() => describe_(env.sfn, executionArn!), (x) => x.status !== 'RUNNING');
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });

  /** The types of an execution's history events, and the seconds between two of them. */
  async function historyOf(executionArn: string): Promise<{ types: string[]; seconds(from: string, to: string): number }> {
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const at = (type: string): number => events!.find((e) => e.type === type)!.timestamp!.getTime();
    return { types: events!.map((e) => e.type!), seconds: (from, to) => (at(to) - at(from)) / 1000 };
  }

  it('times out an activity no worker takes at TimeoutSeconds from ActivityScheduled, HeartbeatSeconds not yet running, and hands a later worker nothing', async () => {
    const { activityArn } = await env.sfn.send(new CreateActivityCommand({ name: 'unpolled' }));
    // TimeoutSeconds 20 at --time-scale 10: two real seconds, which pass only when the test advances them.
    const definition = asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, TimeoutSeconds: 20, HeartbeatSeconds: 5, End: true } } });
    const arn = await machine(env.sfn, 'activity-unpolled', definition);
    fakeRealTime();
    try {
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
      // Past HeartbeatSeconds, before TimeoutSeconds: no worker has the task, so no heartbeat is due.
      await jest.advanceTimersByTimeAsync(1_500);
      expect((await describe_(env.sfn, executionArn!)).status).toBe('RUNNING');
      await jest.advanceTimersByTimeAsync(600);
      const d = await settled(() => describe_(env.sfn, executionArn!), (x) => x.status !== 'RUNNING');
      expect({ status: d.status, error: d.error, cause: d.cause }).toEqual({ status: 'FAILED', error: 'States.Timeout', cause: undefined });
      const history = await historyOf(executionArn!);
      expect(history.types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityTimedOut', 'ExecutionFailed']);
      expect(history.seconds('ActivityScheduled', 'ActivityTimedOut')).toBe(20);
      // The task is over: a worker polling now waits out its long poll and gets no task.
      const poll = env.sfn.send(new GetActivityTaskCommand({ activityArn }));
      await jest.advanceTimersByTimeAsync(60_000);
      expect((await poll).taskToken).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('starts an activity\'s HeartbeatSeconds when a worker takes the task, not while the task waits for one', async () => {
    const { activityArn } = await env.sfn.send(new CreateActivityCommand({ name: 'late-worker' }));
    // HeartbeatSeconds 10 at --time-scale 10: one real second.
    const definition = asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, HeartbeatSeconds: 10, End: true } } });
    const arn = await machine(env.sfn, 'activity-late-worker', definition);
    fakeRealTime();
    try {
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
      // Three heartbeat windows with no worker: the task still waits for one.
      await jest.advanceTimersByTimeAsync(3_000);
      expect((await describe_(env.sfn, executionArn!)).status).toBe('RUNNING');
      const { taskToken } = await env.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'late' }));
      expect(taskToken).toBeDefined();
      await jest.advanceTimersByTimeAsync(900);
      expect((await describe_(env.sfn, executionArn!)).status).toBe('RUNNING');
      await jest.advanceTimersByTimeAsync(200);
      const d = await settled(() => describe_(env.sfn, executionArn!), (x) => x.status !== 'RUNNING');
      expect({ status: d.status, error: d.error }).toEqual({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
      const history = await historyOf(executionArn!);
      expect(history.types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivityTimedOut', 'ExecutionFailed']);
      expect(history.seconds('ActivityStarted', 'ActivityTimedOut')).toBe(10);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('serve: task states without a worker', () => {
  it('fails a request-response task with neither mock nor handler, naming the state and the flags to add', async () => {
    const env = await serve();
    try {
      const arn = await machine(env.sfn, 'lambda', LAMBDA);
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
      const d = await until(() => describe_(env.sfn, executionArn!), (x) => x.status !== 'RUNNING');
      expect(d).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(d.cause).toContain("Task 'Charge'");
      expect(d.cause).toContain('--mock-config');
      expect(d.cause).toContain('--handlers');
    } finally {
      await env.stop();
    }
  });
});

describe('serve: --mock-config', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-serve-mocks-'));
  const file = path.join(dir, 'MockConfigFile.json');
  fs.writeFileSync(file, JSON.stringify({
    StateMachines: {
      orders: { TestCases: { HappyPath: { Charge: 'ChargeOk' }, RetryPath: { Charge: 'ChargeRetry' } } },
      callback: { TestCases: { Approved: { Notify: 'Approve' } } },
    },
    MockedResponses: {
      ChargeOk: { 0: { Return: { StatusCode: 200, Payload: { charged: true } } } },
      ChargeRetry: {
        0: { Throw: { Error: 'Lambda.ServiceException', Cause: 'flaky' } },
        1: { Return: { StatusCode: 200, Payload: { charged: 'second try' } } },
      },
      Approve: { 0: { Return: { approved: 'mocked' } } },
    },
  }));
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve({ mockConfig: file, timeScale: 1000 }); });
  afterAll(async () => {
    await env.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers Tasks from the test case named after # in the state machine ARN', async () => {
    const arn = await machine(env.sfn, 'orders', LAMBDA);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#HappyPath` }));
    expect(executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:orders:[0-9a-f-]{36}$/);
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":true}' });
  });

  it('gives each invocation its own mocked response (a retry gets the next one)', async () => {
    const arn = await machine(env.sfn, 'orders', LAMBDA);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#RetryPath` }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":"second try"}' });
  });

  it('answers a mocked .waitForTaskToken task without waiting for a callback', async () => {
    const arn = await machine(env.sfn, 'callback', CALLBACK);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Approved` }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":"mocked"}' });
  });

  it('refuses a test case the file does not have with ValidationException listing those it has', async () => {
    const arn = await machine(env.sfn, 'orders', LAMBDA);
    const e = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Nope` })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationException);
    expect((e as Error).message).toContain("'HappyPath'");
  });
});

describe('serve: --handlers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-serve-handlers-'));
  const file = path.join(dir, 'handlers.js');
  fs.writeFileSync(file, `
    exports.Charge = (input) => ({ Payload: { charged: input.Payload.amount * 2 } });
    exports['arn:aws:states:::sqs:sendMessage'] = () => ({ MessageId: 'm-1' });
    exports.Broken = () => { throw new TypeError('cannot read amount'); };
  `);
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve({ handlers: file }); });
  afterAll(async () => {
    await env.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a Task with the export named after the state', async () => {
    const arn = await machine(env.sfn, 'handled', LAMBDA);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"amount":21}' }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":42}' });
  });

  it('answers a Task with the export named after its resource ARN', async () => {
    const arn = await machine(env.sfn, 'by-resource', asl({ StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'hi' }, End: true } } }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"MessageId":"m-1"}' });
  });

  it('fails the Task with the error a handler throws, and reports it in the log', async () => {
    const arn = await machine(env.sfn, 'broken', asl({ StartAt: 'Broken', States: { Broken: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'x' }, End: true } } }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    expect(await until(() => describe_(env.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'FAILED', error: 'TypeError', cause: 'cannot read amount' });
    expect(env.logs.join('\n')).toContain("handler for Task 'Broken' threw TypeError: cannot read amount");
  });
});
