import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand, StopExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { consoleApi } from './console/console-helpers';
import { asl, ROLE, serve, settled, until } from './helpers';
import { fakeRealTime } from '../real-time';

/*
 * A `states:startExecution` Task of a served execution runs the child on a state machine serve
 * holds, as AWS does (connect-stepfunctions.html): through @aws-sdk/client-sfn as an application
 * sees it.
 */

const ACCOUNT_ARN = 'arn:aws:states:us-east-1:123456789012';
const machineArn = (name: string): string => `${ACCOUNT_ARN}:stateMachine:${name}`;

/** Doubles `n`, or fails with Child.Failed when asked to. */
const CHILD = asl({
  StartAt: 'Fail?',
  States: {
    'Fail?': { Type: 'Choice', Choices: [{ Variable: '$.fail', IsPresent: true, Next: 'Boom' }], Default: 'Double' },
    'Double': { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true },
    'Boom': { Type: 'Fail', Error: 'Child.Failed', Cause: 'asked to fail' },
  },
});

/** Waits for a callback, whose answer is its output. */
const WAITING_CHILD = asl({
  StartAt: 'Approve',
  States: { Approve: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } },
});

/** A parent whose one Task starts `child` with `input` through `resource`. */
function parentOf(resource: string, child: string, input: object, fields: object = {}): string {
  return asl({
    StartAt: 'Start child',
    States: { 'Start child': { Type: 'Task', Resource: `arn:aws:states:::states:${resource}`, Parameters: { StateMachineArn: machineArn(child), Input: input }, End: true, ...fields } },
  });
}

type Env = Awaited<ReturnType<typeof serve>>;

async function create(sfn: SFNClient, name: string, definition: string, type?: 'EXPRESS'): Promise<string> {
  return (await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, ...(type ? { type } : {}) }))).stateMachineArn!;
}

async function run(sfn: SFNClient, stateMachineArn: string, input = '{}') {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
  return until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
}

const executionsOf = async (sfn: SFNClient, stateMachineArn: string) =>
  (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];

/** The task token of the callback the execution waits for, once it waits. */
async function tokenOf(sfn: SFNClient, executionArn: string): Promise<string> {
  const { events } = await until(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
  return (JSON.parse(events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!) as { MessageBody: { token: string } }).MessageBody.token;
}

describe('serve runs nested executions of the machines it holds', () => {
  let env: Env;
  beforeEach(async () => { env = await serve(); });
  afterEach(async () => { await env.stop(); });

  it('answers startExecution.sync with the child\'s description, its Input and Output as JSON text, the child an execution of its own', async () => {
    await create(env.sfn, 'child', CHILD);
    const parent = await create(env.sfn, 'parent', parentOf('startExecution.sync', 'child', { n: 21 }));
    const done = await run(env.sfn, parent);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!) as Record<string, unknown>;
    expect(output).toMatchObject({ Input: '{"n":21}', Output: '{"doubled":42}', Status: 'SUCCEEDED', StateMachineArn: machineArn('child'), RedriveCount: 0 });
    // Its ARN is the one ListExecutions and DescribeExecution know, with its own history.
    const [listed] = await executionsOf(env.sfn, machineArn('child'));
    expect(listed).toMatchObject({ executionArn: output.ExecutionArn, status: 'SUCCEEDED', name: output.Name });
    const child = await env.sfn.send(new DescribeExecutionCommand({ executionArn: output.ExecutionArn as string }));
    expect([child.input, child.output, child.startDate!.getTime()]).toEqual(['{"n":21}', '{"doubled":42}', output.StartDate]);
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: child.executionArn }));
    expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('links the child to its parent as AWS does: through the input the CDK\'s associateWithParent passes, and in the console', async () => {
    await create(env.sfn, 'child', CHILD);
    // What StepFunctionsStartExecution's associateWithParent adds to the Input (connect-stepfunctions.html, "Associate Workflow Executions").
    const parent = await create(env.sfn, 'parent', parentOf('startExecution.sync:2', 'child', { 'n': 1, 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' }));
    const done = await run(env.sfn, parent);
    const { ExecutionArn } = JSON.parse(done.output!) as { ExecutionArn: string };
    const child = await env.sfn.send(new DescribeExecutionCommand({ executionArn: ExecutionArn }));
    expect(JSON.parse(child.input!)).toEqual({ n: 1, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: done.executionArn });
    // DescribeExecution names no parent (its model has no such member); the console leads back to it.
    const view = await (await consoleApi(env.server.endpoint)).get(`execution?arn=${encodeURIComponent(ExecutionArn)}&limit=0`);
    expect(view.execution).toMatchObject({ startedByArn: done.executionArn, startedByName: done.name });
    expect(view.execution.parentArn).toBeUndefined();
  });

  it('answers startExecution.sync:2 with the child\'s Input and Output parsed, from an EXPRESS child too', async () => {
    await create(env.sfn, 'express-child', CHILD, 'EXPRESS');
    const parent = await create(env.sfn, 'parent', parentOf('startExecution.sync:2', 'express-child', { n: 4 }));
    const done = await run(env.sfn, parent);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!) as Record<string, unknown>;
    expect(output).toMatchObject({ Input: { n: 4 }, Output: { doubled: 8 }, Status: 'SUCCEEDED' });
    expect(output.ExecutionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:express-child:/);
  });

  it('answers the request-response pattern at once, while the child runs on', async () => {
    const child = await create(env.sfn, 'waiting-child', WAITING_CHILD);
    const parent = await create(env.sfn, 'parent', parentOf('startExecution', 'waiting-child', { order: 1 }));
    const done = await run(env.sfn, parent);
    expect(done.status).toBe('SUCCEEDED');
    const { ExecutionArn, StartDate } = JSON.parse(done.output!) as { ExecutionArn: string; StartDate: number };
    expect(typeof StartDate).toBe('number');
    expect((await env.sfn.send(new DescribeExecutionCommand({ executionArn: ExecutionArn }))).status).toBe('RUNNING');
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf(env.sfn, ExecutionArn), output: '"approved"' }));
    const [listed] = await executionsOf(env.sfn, child);
    expect(listed.executionArn).toBe(ExecutionArn);
    expect(await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: ExecutionArn })), (d) => d.status !== 'RUNNING'))
      .toMatchObject({ status: 'SUCCEEDED', output: '"approved"' });
  });

  it('fails a .sync Task with States.TaskFailed and the failed child\'s description as the cause, as AWS records it', async () => {
    await create(env.sfn, 'child', CHILD);
    const parent = await create(env.sfn, 'parent', parentOf('startExecution.sync', 'child', { fail: true }));
    const done = await run(env.sfn, parent);
    expect([done.status, done.error]).toEqual(['FAILED', 'States.TaskFailed']);
    const cause = JSON.parse(done.cause!) as Record<string, unknown>;
    // Recorded: test_start_execution_sync_delegate_failure (its keys, in AWS's order).
    expect(Object.keys(cause)).toEqual(['Cause', 'Error', 'ExecutionArn', 'Input', 'InputDetails', 'Name', 'StartDate', 'StateMachineArn', 'Status', 'StopDate']);
    expect(cause).toMatchObject({ Cause: 'asked to fail', Error: 'Child.Failed', Input: '{"fail":true}', Status: 'FAILED' });
    expect((await env.sfn.send(new DescribeExecutionCommand({ executionArn: cause.ExecutionArn as string }))).status).toBe('FAILED');
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: done.executionArn }));
    expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed', 'ExecutionFailed']);
  });

  it.each(['startExecution.sync', 'startExecution.sync:2'])('fails a %s Task with States.TaskFailed when its child is stopped: the child ended ABORTED', async (resource) => {
    const child = await create(env.sfn, 'waiting-child', WAITING_CHILD);
    const parent = await create(env.sfn, 'parent', parentOf(resource, 'waiting-child', {}));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [running] = await until(() => executionsOf(env.sfn, child), (l) => l.length === 1);
    await tokenOf(env.sfn, running.executionArn!);
    await env.sfn.send(new StopExecutionCommand({ executionArn: running.executionArn, error: 'Ops.Stopped', cause: 'by hand' }));
    const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'FAILED' || d.status === 'SUCCEEDED');
    expect([done.status, done.error]).toEqual(['FAILED', 'States.TaskFailed']);
    expect(JSON.parse(done.cause!)).toMatchObject({ Status: 'ABORTED', Error: 'Ops.Stopped', Cause: 'by hand', ExecutionArn: running.executionArn });
  });

  it('stops a .sync child when its parent is stopped', async () => {
    const child = await create(env.sfn, 'waiting-child', WAITING_CHILD);
    const parent = await create(env.sfn, 'parent', parentOf('startExecution.sync:2', 'waiting-child', {}));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [running] = await until(() => executionsOf(env.sfn, child), (l) => l.length === 1);
    await tokenOf(env.sfn, running.executionArn!);
    await env.sfn.send(new StopExecutionCommand({ executionArn, error: 'Ops.Stopped' }));
    expect(await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: running.executionArn })), (d) => d.status !== 'RUNNING'))
      .toMatchObject({ status: 'ABORTED' });
    expect((await env.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
  });

  it('leaves a fire-and-forget child running when its parent is stopped', async () => {
    const child = await create(env.sfn, 'waiting-child', WAITING_CHILD);
    const parent = await create(env.sfn, 'parent', asl({
      StartAt: 'Start child',
      States: {
        'Start child': { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: machineArn('waiting-child') }, Next: 'Hold' },
        'Hold': { Type: 'Wait', Seconds: 3600, End: true },
      },
    }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [started] = await until(() => executionsOf(env.sfn, child), (l) => l.length === 1);
    await env.sfn.send(new StopExecutionCommand({ executionArn }));
    expect((await env.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status).toBe('RUNNING');
  });

  it('fails the Task with StepFunctions.ExecutionAlreadyExistsException when the Name is taken by an execution that ended', async () => {
    const child = await create(env.sfn, 'child', CHILD);
    await run(env.sfn, child, '{"n":1}');
    const [earlier] = await executionsOf(env.sfn, child);
    const parent = await create(env.sfn, 'parent', asl({
      StartAt: 'Start child',
      States: {
        'Start child': {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync',
          Parameters: { StateMachineArn: child, Name: earlier.name, Input: { n: 2 } },
          Catch: [{ ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'], Next: 'Taken' }],
          End: true,
        },
        'Taken': { Type: 'Pass', End: true },
      },
    }));
    const done = await run(env.sfn, parent);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ Error: 'StepFunctions.ExecutionAlreadyExistsException', Cause: `Execution Already Exists: '${earlier.executionArn}'` });
    expect(await executionsOf(env.sfn, child)).toHaveLength(1);
  });

  it('names a state machine it does not hold when nothing answers the Task', async () => {
    const parent = await create(env.sfn, 'parent', parentOf('startExecution.sync', 'absent', {}));
    const done = await run(env.sfn, parent);
    expect([done.status, done.error]).toEqual(['FAILED', 'States.Runtime']);
    expect(done.cause).toContain(`serve holds no state machine '${machineArn('absent')}'`);
  });
});

describe('serve: a mock or a handler answers a startExecution Task before a child runs', () => {
  it('takes a --handlers export over the child machine', async () => {
    const env = await serve({ handlers: { 'Start child': () => ({ ExecutionArn: 'from-handler', Output: '{}', Status: 'SUCCEEDED' }) } });
    try {
      const child = await create(env.sfn, 'child', CHILD);
      const parent = await create(env.sfn, 'parent', parentOf('startExecution.sync', 'child', { n: 1 }));
      const done = await run(env.sfn, parent);
      expect(JSON.parse(done.output!)).toMatchObject({ ExecutionArn: 'from-handler' });
      expect(await executionsOf(env.sfn, child)).toHaveLength(0);
    } finally {
      await env.stop();
    }
  });

  it('takes a MockConfigFile test case over the child machine', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-nested-mock-'));
    const file = path.join(dir, 'MockConfigFile.json');
    fs.writeFileSync(file, JSON.stringify({
      StateMachines: { parent: { TestCases: { Mocked: { 'Start child': 'Started' } } } },
      MockedResponses: { Started: { 0: { Return: { ExecutionArn: `${ACCOUNT_ARN}:execution:child:from-mock`, StartDate: '2024-01-01T00:00:00Z' } } } },
    }));
    const env = await serve({ mockConfig: file });
    try {
      const child = await create(env.sfn, 'child', CHILD);
      const parent = await create(env.sfn, 'parent', parentOf('startExecution', 'child', { n: 1 }));
      const done = await run(env.sfn, `${parent}#Mocked`);
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: JSON.stringify({ ExecutionArn: `${ACCOUNT_ARN}:execution:child:from-mock`, StartDate: '2024-01-01T00:00:00Z' }) });
      expect(await executionsOf(env.sfn, child)).toHaveLength(0);
    } finally {
      await env.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('serve --data-dir: nested executions across a restart', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-nested-restart-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the child a waiting .sync Task started before the restart, rather than starting another, and ends with its answer', async () => {
    const first = await serve({ dataDir: dir });
    const child = await create(first.sfn, 'waiting-child', WAITING_CHILD);
    const parent = await create(first.sfn, 'parent', parentOf('startExecution.sync:2', 'waiting-child', { order: 7 }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [running] = await until(() => executionsOf(first.sfn, child), (l) => l.length === 1);
    const token = await tokenOf(first.sfn, running.executionArn!);
    await first.stop();

    const second = await serve({ dataDir: dir });
    try {
      await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
      const done = await until(() => second.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toMatchObject({ ExecutionArn: running.executionArn, Input: { order: 7 }, Output: { approved: true } });
      expect((await executionsOf(second.sfn, child)).map((e) => e.executionArn)).toEqual([running.executionArn]);
    } finally {
      await second.stop();
    }
    // And once more, with both closed: the journal restores them as they ended.
    const third = await serve({ dataDir: dir });
    try {
      expect((await third.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
      expect((await executionsOf(third.sfn, child)).map((e) => [e.executionArn, e.status])).toEqual([[running.executionArn, 'SUCCEEDED']]);
    } finally {
      await third.stop();
    }
  });

  it('does not start a fire-and-forget child twice when its parent runs again after a restart', async () => {
    const first = await serve({ dataDir: dir });
    const child = await create(first.sfn, 'waiting-child', WAITING_CHILD);
    const parent = await create(first.sfn, 'parent', asl({
      StartAt: 'Start child',
      States: {
        'Start child': { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: machineArn('waiting-child') }, Next: 'Hold' },
        'Hold': { Type: 'Wait', Seconds: 3600, End: true },
      },
    }));
    await first.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [started] = await until(() => executionsOf(first.sfn, child), (l) => l.length === 1);
    await first.stop();

    const second = await serve({ dataDir: dir });
    try {
      // The parent runs again from its start, through its Task, to its Wait.
      await until(() => second.sfn.send(new ListExecutionsCommand({ stateMachineArn: parent })), (l) => l.executions![0].status === 'RUNNING');
      await new Promise((resolve) => setImmediate(resolve));
      expect((await executionsOf(second.sfn, child)).map((e) => e.executionArn)).toEqual([started.executionArn]);
    } finally {
      await second.stop();
    }
  });
});

/*
 * `states:startExecution.waitForTaskToken`: the child starts as fire-and-forget starts it, with the
 * Task's Input (the token in it), and the parent waits for SendTaskSuccess, SendTaskFailure or its
 * own clock ("Start workflow executions from a Task state", concepts-nested-workflows.html).
 */
describe('serve starts the child of a startExecution.waitForTaskToken Task and waits for its token', () => {
  /** Doubles `n` and hands on the token it was given; fails with Child.Failed when asked to. */
  const TOKEN_CHILD = asl({
    StartAt: 'Fail?',
    States: {
      'Fail?': { Type: 'Choice', Choices: [{ Variable: '$.fail', IsPresent: true, Next: 'Boom' }], Default: 'Double' },
      'Double': { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)', 'token.$': '$.token' }, End: true },
      'Boom': { Type: 'Fail', Error: 'Child.Failed', Cause: 'asked to fail' },
    },
  });
  const waitingParent = (input: object, fields: object = { TimeoutSeconds: 60 }): string =>
    parentOf('startExecution.waitForTaskToken', 'token-child', { ...input, 'token.$': '$$.Task.Token' }, fields);

  let env: Env;
  afterEach(async () => {
    jest.useRealTimers();
    await env.stop();
  });

  it('starts the child with the Task\'s Input and token, and the parent succeeds with the output SendTaskSuccess sends', async () => {
    env = await serve();
    const child = await create(env.sfn, 'token-child', TOKEN_CHILD);
    const parent = await create(env.sfn, 'parent', waitingParent({ n: 21 }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [started] = await until(() => executionsOf(env.sfn, child), (l) => l.length === 1);
    const childDone = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn })), (d) => d.status !== 'RUNNING');
    expect(childDone.status).toBe('SUCCEEDED');
    const { doubled, token } = JSON.parse(childDone.output!) as { doubled: number; token: string };
    expect(JSON.parse(childDone.input!)).toEqual({ n: 21, token });
    // The parent waits for the token, not for the child's end.
    expect((await env.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    // What the child's last state would send (aws-sdk:sfn:sendTaskSuccess), sent as a worker sends it.
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ doubled }) }));
    const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect([done.status, done.output]).toEqual(['SUCCEEDED', '{"doubled":42}']);
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    // What the Task submitted is StartExecution's answer: the child's ARN and start.
    const submitted = JSON.parse(events!.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!.output!) as Record<string, unknown>;
    expect(submitted).toEqual({ ExecutionArn: started.executionArn, StartDate: childDone.startDate!.getTime() });
    // The child is an execution of its own, with its own history.
    const childHistory = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(childHistory.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('fails the parent with what SendTaskFailure sends', async () => {
    env = await serve();
    const child = await create(env.sfn, 'token-child', TOKEN_CHILD);
    const parent = await create(env.sfn, 'parent', waitingParent({ n: 1 }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [started] = await until(() => executionsOf(env.sfn, child), (l) => l.length === 1);
    const { token } = JSON.parse((await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn })), (d) => d.status !== 'RUNNING')).output!) as { token: string };
    await env.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Child.Refused', cause: 'no' }));
    const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect([done.status, done.error, done.cause]).toEqual(['FAILED', 'Child.Refused', 'no']);
  });

  it('keeps the parent waiting when the child fails without sending the token, until the Task\'s TimeoutSeconds: States.Timeout', async () => {
    env = await serve();
    fakeRealTime();
    const child = await create(env.sfn, 'token-child', TOKEN_CHILD);
    const parent = await create(env.sfn, 'parent', waitingParent({ fail: true }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [started] = await settled(() => executionsOf(env.sfn, child), (l) => l.length === 1 && l[0].status !== 'RUNNING');
    expect(started.status).toBe('FAILED');
    await jest.advanceTimersByTimeAsync(59_000);
    expect((await env.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await jest.advanceTimersByTimeAsync(2_000);
    const done = await settled(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect([done.status, done.error]).toEqual(['FAILED', 'States.Timeout']);
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const start = events![0].timestamp!.getTime();
    expect(events!.filter((e) => e.type === 'TaskTimedOut').map((e) => (e.timestamp!.getTime() - start) / 1000)).toEqual([60]);
  });

  it('times the parent out when no heartbeat comes within HeartbeatSeconds: States.Timeout', async () => {
    env = await serve();
    fakeRealTime();
    const child = await create(env.sfn, 'token-child', TOKEN_CHILD);
    const parent = await create(env.sfn, 'parent', waitingParent({ fail: true }, { HeartbeatSeconds: 30 }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    await settled(() => executionsOf(env.sfn, child), (l) => l.length === 1 && l[0].status !== 'RUNNING');
    await jest.advanceTimersByTimeAsync(31_000);
    const done = await settled(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect([done.status, done.error]).toEqual(['FAILED', 'States.Timeout']);
  });

  /** Sends its answer to the token it was given through an aws-sdk:sfn Task, as a child on AWS does. */
  const sendingChild = (resource: string, fields: object) => asl({
    StartAt: 'Send',
    States: { Send: { Type: 'Task', Resource: `arn:aws:states:::aws-sdk:sfn:${resource}`, Parameters: { 'TaskToken.$': '$.token', ...fields }, End: true } },
  });

  it('gives the parent what the child\'s aws-sdk:sfn:sendTaskSuccess Task sends, through serve\'s own SendTaskSuccess', async () => {
    env = await serve();
    const child = await create(env.sfn, 'token-child', sendingChild('sendTaskSuccess', { Output: { 'approved.$': '$.n' } }));
    const parent = await create(env.sfn, 'parent', waitingParent({ n: 7 }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect([done.status, done.output]).toEqual(['SUCCEEDED', '{"approved":7}']);
    const [started] = await executionsOf(env.sfn, child);
    const childDone = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn })), (d) => d.status !== 'RUNNING');
    expect([childDone.status, childDone.output]).toEqual(['SUCCEEDED', '{}']);
  });

  it('fails the parent with the error and cause the child\'s aws-sdk:sfn:sendTaskFailure Task sends', async () => {
    env = await serve();
    await create(env.sfn, 'token-child', sendingChild('sendTaskFailure', { Error: 'Child.Refused', Cause: 'out of stock' }));
    const parent = await create(env.sfn, 'parent', waitingParent({ n: 1 }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect([done.status, done.error, done.cause]).toEqual(['FAILED', 'Child.Refused', 'out of stock']);
  });

  it('fails an aws-sdk:sfn:sendTaskSuccess Task whose token Step Functions never issued with Sfn.InvalidTokenException, as AWS records', async () => {
    env = await serve();
    const alone = await create(env.sfn, 'alone', sendingChild('sendTaskSuccess', { Output: 'ParameterOutput' }));
    const done = await run(env.sfn, alone, JSON.stringify({ token: 'NoSuchTaskToken' }));
    expect([done.status, done.error]).toEqual(['FAILED', 'Sfn.InvalidTokenException']);
    expect(done.cause).toMatch(/^Invalid Token: 'Invalid token' \(Service: Sfn, Status Code: 400, Request ID: [0-9a-f-]{36}\) \(SDK Attempt Count: 1\)$/);
  });

  it('leaves the child running when the parent is stopped: the pattern is not granted StopExecution', async () => {
    env = await serve();
    const child = await create(env.sfn, 'waiting-child', WAITING_CHILD);
    const parent = await create(env.sfn, 'parent', parentOf('startExecution.waitForTaskToken', 'waiting-child', { 'token.$': '$$.Task.Token' }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [started] = await until(() => executionsOf(env.sfn, child), (l) => l.length === 1);
    await tokenOf(env.sfn, started.executionArn!);
    await env.sfn.send(new StopExecutionCommand({ executionArn }));
    await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect((await env.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status).toBe('RUNNING');
  });
});

describe('serve --data-dir: a startExecution.waitForTaskToken Task across a restart', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-nested-token-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const parentWithHold = (child: string): string => asl({
    StartAt: 'Start child',
    States: {
      'Start child': {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
        Parameters: { StateMachineArn: machineArn(child), Input: { 'token.$': '$$.Task.Token' } },
        Next: 'Hold',
      },
      'Hold': { Type: 'Wait', Seconds: 3600, End: true },
    },
  });

  it('keeps the parent waiting for the token of the child it started before the restart, without starting another', async () => {
    const first = await serve({ dataDir: dir });
    const child = await create(first.sfn, 'waiting-child', WAITING_CHILD);
    const parent = await create(first.sfn, 'parent', parentOf('startExecution.waitForTaskToken', 'waiting-child', { 'token.$': '$$.Task.Token' }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [started] = await until(() => executionsOf(first.sfn, child), (l) => l.length === 1);
    const childInput = JSON.parse((await first.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).input!) as {
      token: string;
    };
    await first.stop();

    const second = await serve({ dataDir: dir });
    try {
      await second.sfn.send(new SendTaskSuccessCommand({ taskToken: childInput.token, output: '{"approved":true}' }));
      const done = await until(() => second.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect([done.status, done.output]).toEqual(['SUCCEEDED', '{"approved":true}']);
      expect((await executionsOf(second.sfn, child)).map((e) => e.executionArn)).toEqual([started.executionArn]);
    } finally {
      await second.stop();
    }
  });

  it('gives the parent run again after a restart the answer its token was sent before it', async () => {
    const first = await serve({ dataDir: dir });
    const child = await create(first.sfn, 'token-child', asl({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    const parent = await create(first.sfn, 'parent', parentWithHold('token-child'));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const [started] = await until(() => executionsOf(first.sfn, child), (l) => l.length === 1);
    const described = await first.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    const { token } = JSON.parse(described.input!) as { token: string };
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"approved"' }));
    const entered = (h: { events?: Array<{ type?: string }> }): boolean => h.events!.some((e) => e.type === 'WaitStateEntered');
    await until(() => first.sfn.send(new GetExecutionHistoryCommand({ executionArn })), entered);
    await first.stop();

    const second = await serve({ dataDir: dir });
    try {
      // The parent runs again from its start: its Task takes the journaled answer and goes on to its Wait.
      const { events } = await until(() => second.sfn.send(new GetExecutionHistoryCommand({ executionArn })), entered);
      expect(events!.find((e) => e.type === 'TaskSucceeded')!.taskSucceededEventDetails!.output).toBe('"approved"');
      expect((await executionsOf(second.sfn, child)).map((e) => e.executionArn)).toEqual([started.executionArn]);
    } finally {
      await second.stop();
    }
  });
});
