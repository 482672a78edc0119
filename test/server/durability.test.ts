import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand,
  GetExecutionHistoryCommand, ListExecutionsCommand, RedriveExecutionCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand,
  SendTaskSuccessCommand, StartExecutionCommand, type HistoryEvent, type SFNClient,
} from '@aws-sdk/client-sfn';
import { activityTask, asl, PASS, ROLE, until } from './helpers';
import { kill9, spawnServer as spawn, type Child } from './processes';

const spawnServer = (dataDir: string, args: string[] = [], env: Record<string, string> = {}): Promise<Child> => spawn(dataDir, { args, env });

const CALLBACK = asl({
  StartAt: 'Approve',
  States: { Approve: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } },
});
const WAIT = asl({ StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 100, Next: 'Done' }, Done: { Type: 'Pass', Result: 'rested', End: true } } });
const ACTIVITY_ARN = 'arn:aws:states:us-east-1:123456789012:activity:durable-work';
const ACTIVITY = asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: ACTIVITY_ARN, End: true } } });

const status = (sfn: SFNClient, executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));

describe('serve --data-dir: kill -9 and restart', () => {
  let dir: string;
  const children: Child[] = [];
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-serve-data-')); });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.process.exitCode === null && c.process.signalCode === null) await kill9(c);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps machines and executions, and resumes executions waiting for a callback, an activity worker and a Wait', async () => {
    const first = await spawnServer(dir, ['--time-scale', '100']);
    children.push(first);
    const mk = async (name: string, definition: string) =>
      (await first.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }))).stateMachineArn!;
    await first.sfn.send(new CreateActivityCommand({ name: 'durable-work' }));
    const [pass, callback, wait, activity] = [await mk('pass', PASS), await mk('callback', CALLBACK), await mk('wait', WAIT), await mk('activity', ACTIVITY)];
    const start = async (stateMachineArn: string, input = '{}') => (await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input }))).executionArn!;
    const passRun = await start(pass);
    const callbackRun = await start(callback);
    const waitRun = await start(wait);
    const activityRun = await start(activity, '{"job":"j-1"}');
    await until(() => status(first.sfn, passRun), (d) => d.status === 'SUCCEEDED');
    const { events } = await until(() => first.sfn.send(new GetExecutionHistoryCommand({ executionArn: callbackRun })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
    const token = JSON.parse(events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!).MessageBody.token;
    await kill9(first);

    const second = await spawnServer(dir, ['--time-scale', '100']);
    children.push(second);
    expect((await second.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: wait }))).definition).toBe(WAIT);
    expect(await status(second.sfn, passRun)).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
    expect((await status(second.sfn, callbackRun)).status).toBe('RUNNING');
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    expect(await until(() => status(second.sfn, callbackRun), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
    const task = await activityTask(second.sfn, ACTIVITY_ARN, 'after-restart');
    expect(JSON.parse(task.input!)).toEqual({ job: 'j-1' });
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '"worked"' }));
    expect(await until(() => status(second.sfn, activityRun), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '"worked"' });
    // The task started when the worker of the restarted server took it, under that worker's name.
    const worked = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: activityRun }));
    expect(worked.events!.filter((e) => e.type?.startsWith('Activity')).map((e) => [e.type, e.activityStartedEventDetails])).toEqual([
      ['ActivityScheduled', undefined], ['ActivityStarted', { workerName: 'after-restart' }], ['ActivitySucceeded', undefined],
    ]);
    expect(await until(() => status(second.sfn, waitRun), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '"rested"' });
    const history = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: waitRun }));
    expect(history.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  }, 60_000);

  it('a redriven Map killed while its rerun item waits resumes after the restart with the outputs the first run kept', async () => {
    // Each item waits for its callback, so the test decides which fails and when.
    const each = asl({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Ask',
            States: {
              Ask: {
                Type: 'Task',
                Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
                Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token', 'item.$': '$' } },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
    const history = async (sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> =>
      (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
    /** The tokens of the items scheduled after the event index `from`, by item. */
    const tokens = (events: HistoryEvent[], from = 0): Map<string, string> => new Map(events.slice(from).filter((e) => e.type === 'TaskScheduled').map((e) => {
      const body = JSON.parse(e.taskScheduledEventDetails!.parameters!).MessageBody as { token: string; item: string };
      return [body.item, body.token];
    }));
    const first = await spawnServer(dir);
    children.push(first);
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'each', definition: each, roleArn: ROLE }));
    const executionArn = (await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '["a","b","c"]' }))).executionArn!;
    const asked = tokens(await until(() => history(first.sfn, executionArn), (events) => tokens(events).size === 3));
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: asked.get('a'), output: '"A"' }));
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: asked.get('c'), output: '"C"' }));
    await until(() => history(first.sfn, executionArn), (events) => events.filter((e) => e.type === 'MapIterationSucceeded').length === 2);
    await first.sfn.send(new SendTaskFailureCommand({ taskToken: asked.get('b'), error: 'Service.Down' }));
    expect(await until(() => status(first.sfn, executionArn), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'FAILED', error: 'Service.Down' });
    await first.sfn.send(new RedriveExecutionCommand({ executionArn }));
    const redrivenAt = (events: HistoryEvent[]) => events.findIndex((e) => e.type === 'ExecutionRedriven');
    await until(() => history(first.sfn, executionArn), (events) => redrivenAt(events) >= 0 && tokens(events, redrivenAt(events)).size === 1);
    await kill9(first);

    const second = await spawnServer(dir);
    children.push(second);
    const events = await until(() => history(second.sfn, executionArn), (e) => redrivenAt(e) >= 0 && tokens(e, redrivenAt(e)).size === 1);
    const rerun = tokens(events, redrivenAt(events));
    expect([...rerun.keys()]).toEqual(['b']);
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: rerun.get('b'), output: '"B"' }));
    expect(await until(() => status(second.sfn, executionArn), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '["A","B","C"]' });
  }, 60_000);

  it('loses no answered StartExecution when killed right after answering', async () => {
    const first = await spawnServer(dir);
    children.push(first);
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'burst', definition: CALLBACK, roleArn: ROLE }));
    const answered = await Promise.all(Array.from({ length: 50 }, (_, i) => first.sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}` }))));
    await kill9(first);
    const second = await spawnServer(dir);
    children.push(second);
    const listed = await second.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }));
    expect(listed.executions!.map((e) => e.executionArn).sort()).toEqual(answered.map((a) => a.executionArn).sort());
    expect(new Set(listed.executions!.map((e) => e.status))).toEqual(new Set(['RUNNING']));
  }, 60_000);

  it('resumes an execution killed during a retry back-off, with the next mocked attempt', async () => {
    const mocks = path.join(dir, 'MockConfigFile.json');
    fs.writeFileSync(mocks, JSON.stringify({
      StateMachines: { retrying: { TestCases: { Flaky: { Call: 'FailThenSucceed' } } } },
      MockedResponses: { FailThenSucceed: { 0: { Throw: { Error: 'Busy', Cause: 'try later' } }, 1: { Return: { answer: 42 } } } },
    }));
    // The answers are made up (SQS raises no 'Busy'): this test is about the journal, not the mocks.
    const flags = ['--time-scale', '100', '--mock-config', mocks, '--mock-validation', 'NONE'];
    const first = await spawnServer(path.join(dir, 'data'), flags);
    children.push(first);
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({
      name: 'retrying',
      roleArn: ROLE,
      definition: asl({
        StartAt: 'Call',
        States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'x' }, Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 100 }], End: true } },
      }),
    }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Flaky` }));
    // The first attempt fails at once; the back-off is 100 s of server time, one real second.
    await until(() => first.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskFailed'));
    await kill9(first);
    const second = await spawnServer(path.join(dir, 'data'), flags);
    children.push(second);
    const d = await until(() => status(second.sfn, executionArn!), (x) => x.status !== 'RUNNING');
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"answer":42}' });
    const { events } = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.filter((e) => e.type === 'TaskScheduled')).toHaveLength(2);
  }, 60_000);

  it('keeps the heartbeats sent before a crash: an activity kept alive past HeartbeatSeconds is not timed out on restart', async () => {
    const first = await spawnServer(dir, ['--time-scale', '100']);
    children.push(first);
    const { activityArn } = await first.sfn.send(new CreateActivityCommand({ name: 'beating' }));
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({
      name: 'beating',
      roleArn: ROLE,
      definition: asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, HeartbeatSeconds: 200, End: true } } }),
    }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    const { taskToken } = await activityTask(first.sfn, activityArn!, 'before-crash');
    // HeartbeatSeconds 200 at --time-scale 100 is two real seconds, opened when the task was scheduled:
    // beat every fifth of a second until 2.5 s after the worker got the task, past the first window.
    const received = Date.now();
    while (Date.now() - received < 2_500) {
      await new Promise((r) => setTimeout(r, 200));
      await first.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
    }
    await kill9(first);
    // The restarted server's time goes on from the last heartbeat journaled, past the first window: a
    // heartbeat lost would time the task out at once. At --time-scale 1 the window the last heartbeat
    // opened lasts 200 real seconds, so however long the restart takes on a loaded machine, the answer
    // below comes within it.
    const second = await spawnServer(dir);
    children.push(second);
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken, output: '"beat"' }));
    expect(await until(() => status(second.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '"beat"' });
    // The worker that took the task before the crash is the one its ActivityStarted names, once, after the restart too.
    const { events } = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.filter((e) => e.type === 'ActivityStarted').map((e) => e.activityStartedEventDetails)).toEqual([{ workerName: 'before-crash' }]);
  }, 60_000);

  it('resumes a callback answered before the crash without waiting again', async () => {
    const first = await spawnServer(dir);
    children.push(first);
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({
      name: 'two-steps',
      roleArn: ROLE,
      definition: asl({
        StartAt: 'One',
        States: {
          One: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, ResultPath: '$.one', Next: 'Two' },
          Two: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, ResultPath: '$.two', End: true },
        },
      }),
    }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    const tokenOf = async (sfn: SFNClient, n: number) => {
      const { events } = await until(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.filter((e) => e.type === 'TaskScheduled').length >= n);
      return JSON.parse(events!.filter((e) => e.type === 'TaskScheduled')[n - 1].taskScheduledEventDetails!.parameters!).MessageBody.token as string;
    };
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf(first.sfn, 1), output: '1' }));
    const second = await tokenOf(first.sfn, 2);
    await kill9(first);
    const restarted = await spawnServer(dir);
    children.push(restarted);
    await restarted.sfn.send(new SendTaskSuccessCommand({ taskToken: second, output: '2' }));
    expect(await until(() => status(restarted.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"one":1,"two":2}' });
  }, 60_000);

  it('loses no answered request when killed during a compaction, between writing the new journal and renaming it over the old one', async () => {
    // The pause holds the compaction after its temporary file is fsynced, where a crash leaves two files.
    const first = await spawnServer(dir, ['--compact-journal-at', '20000'], { STEPWRIGHT_TEST_COMPACTION_PAUSE_MS: '60000' });
    children.push(first);
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'many', definition: PASS, roleArn: ROLE }));
    const temp = path.join(dir, 'journal.jsonl.compacting');
    const answered: string[] = [];
    let killed = false;
    const starting = (async () => {
      for (let i = 0; i < 1_000 && !killed; i++) {
        try {
          answered.push((await first.sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}` }))).executionArn!);
        } catch {
          return;
        }
      }
    })();
    await until(async () => fs.existsSync(temp), (exists) => exists);
    killed = true;
    await kill9(first);
    await starting;
    expect(answered.length).toBeGreaterThan(5);

    const second = await spawnServer(dir);
    children.push(second);
    expect(fs.readdirSync(dir).sort()).toEqual(['journal.jsonl', 'stepwright.lock']);
    const listed = await second.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }));
    const arns = listed.executions!.map((e) => e.executionArn);
    for (const arn of answered) expect(arns).toContain(arn);
    for (const arn of answered) expect(await until(() => status(second.sfn, arn), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED' });
  }, 60_000);
});
