import type { StateMachineDefinition } from '../../src/asl/definition-types';
import type { HistoryEvent } from '../../src/asl/history-events';
import { Workflow } from '../../src/testing/workflow';
import { delay, fail, succeed } from '../../src/workbench/mocks/answers';

const approval = (task: Record<string, unknown> = {}): Workflow => Workflow.fromDefinition({
  StartAt: 'Approve',
  States: {
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/approvals', MessageBody: { 'token.$': '$$.Task.Token' } },
      Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.rejection', Next: 'Cancelled' }],
      Next: 'Approved',
      ...task,
    },
    Approved: { Type: 'Pass', End: true },
    Cancelled: { Type: 'Fail', Error: 'Order.Cancelled' },
  },
} as StateMachineDefinition);

describe('callbacks step by step', () => {
  it('names the token wait waitForTaskToken, as the interpreter does, and keeps waitForTask as an alias', async () => {
    const exec = approval().start({ orderId: 'o-1' });
    const token = await exec.waitForTask('Approve');
    expect(exec.status).toBe('RUNNING');
    exec.sendTaskSuccess(token, { approved: true });
    await exec.result;
    expect(exec.status).toBe('SUCCEEDED');
  });

  it('approves: waitForTaskToken yields the token and sendTaskSuccess completes the task', async () => {
    const exec = approval().start({ orderId: 'o-1' });
    const token = await exec.waitForTaskToken('Approve');
    expect(typeof token).toBe('string');
    exec.sendTaskSuccess(token, { approved: true });
    const run = await exec.result;
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ approved: true });
    expect(run.path).toEqual(['Approve', 'Approved']);
  });

  it('rejects: sendTaskFailure fails the task with the given error, which Catch handles', async () => {
    const exec = approval().start({});
    exec.sendTaskFailure(await exec.waitForTaskToken('Approve'), 'Rejected', 'too expensive');
    const run = await exec.result;
    expect(run.path).toEqual(['Approve', 'Cancelled']);
    expect(run.error).toBe('Order.Cancelled');
  });

  it('holds virtual time while the task waits for the test, so a HeartbeatSeconds timer does not fire on its own', async () => {
    const exec = approval({ HeartbeatSeconds: 60 }).start({});
    const token = await exec.waitForTaskToken('Approve');
    await new Promise((r) => setTimeout(r, 20));
    exec.sendTaskHeartbeat(token);
    exec.sendTaskSuccess(token, 'ok');
    expect((await exec.result).status).toBe('SUCCEEDED');
  });

  it('advanceTime past TimeoutSeconds times the task out with States.Timeout at its deadline, not at the end of the jump', async () => {
    const exec = approval({ TimeoutSeconds: 3600 }).start({});
    await exec.waitForTaskToken('Approve');
    void exec.advanceTime(3599);
    void exec.advanceTime(2);
    const run = await exec.result;
    expect(run.error).toBe('States.Timeout');
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(3_600_000);
  });

  // A callback's missed heartbeat fails it with States.Timeout on AWS (recorded: LocalStack's test_heartbeats).
  it('a heartbeat resets the HeartbeatSeconds timer; a longer gap fails the callback with States.Timeout', async () => {
    const exec = approval({ HeartbeatSeconds: 60 }).start({});
    const token = await exec.waitForTaskToken('Approve');
    void exec.advanceTime(50);
    exec.sendTaskHeartbeat(token);
    void exec.advanceTime(50);
    exec.sendTaskHeartbeat(token);
    void exec.advanceTime(61);
    const run = await exec.result;
    expect(run.error).toBe('States.Timeout');
    // The last heartbeat, at +100 s, set the deadline to +160 s: the jump to +161 s passes it there.
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(160_000);
  });

  it("hands out each Parallel branch's token by the Task that issued it, not by the state entered last", async () => {
    const ask = (name: string) => ({
      StartAt: name,
      States: { [name]: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token', name } }, End: true } },
    });
    const exec = Workflow.fromDefinition({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: [ask('Left'), ask('Right')], End: true } } } as StateMachineDefinition).start({});
    const left = await exec.waitForTaskToken('Left');
    const right = await exec.waitForTaskToken('Right');
    exec.sendTaskSuccess(left, 'left answer');
    exec.sendTaskSuccess(right, 'right answer');
    expect((await exec.result).output).toEqual(['left answer', 'right answer']);
  });

  it('waitForTask rejects when the execution ends before the state issues a token', async () => {
    const exec = approval().start({}, { mocks: { Approve: 'auto' } });
    await expect(exec.waitForTaskToken('Approved')).rejects.toThrow(/the execution ended SUCCEEDED before state 'Approved' issued a task token; path: Approve → Approved/);
  });

  it('stop() aborts the execution', async () => {
    const exec = approval().start({});
    await exec.waitForTaskToken('Approve');
    exec.stop('Test.Stopped', 'by the test');
    const run = await exec.result;
    expect([run.status, run.error]).toEqual(['ABORTED', 'Test.Stopped']);
  });

  it('completes an activity through its token', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:Review', End: true } },
    } as StateMachineDefinition);
    const exec = wf.start({});
    exec.sendTaskSuccess(await exec.waitForTaskToken('Work'), { reviewed: true });
    expect((await exec.result).output).toEqual({ reviewed: true });
  });
});

describe('mocked callbacks', () => {
  it('a mock answers a .waitForTaskToken task through its token', async () => {
    const run = await approval().run({}, { mocks: { Approve: { approved: true } } });
    expect(run.output).toEqual({ approved: true });
    expect(run.history.map((e) => e.type)).toContain('TaskSubmitted');
  });

  it('a mock of a lambda:invoke.waitForTaskToken task is the callback output as sent, not a Lambda invoke envelope', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'ask', Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    } as StateMachineDefinition);
    const run = await wf.run({}, { mocks: { Approve: { approved: true } } });
    expect(run.output).toEqual({ approved: true });
    const fn = await wf.run({}, { mocks: { Approve: () => ({ approved: false }) } });
    expect(fn.output).toEqual({ approved: false });
  });

  // SendTaskSuccess refuses an output over 262,144 bytes (API reference): no worker can deliver this
  // answer, and on AWS the task would wait for its token. Not a result a States.ALL Catch takes.
  it.each([
    ['at once', (big: string) => big],
    ['after a delay', (big: string) => delay(5, succeed(big))],
  ])('a mock whose callback output SendTaskSuccess refuses fails the run with States.Runtime, past a States.ALL Catch (%s)', async (_when, answer) => {
    const wf = approval({ Catch: [{ ErrorEquals: ['Rejected'], Next: 'Cancelled' }, { ErrorEquals: ['States.ALL'], Next: 'Approved' }] });
    const run = await wf.run({}, { mocks: { Approve: answer('x'.repeat(300 * 1024)) } });
    expect([run.status, run.error, run.path]).toEqual(['FAILED', 'States.Runtime', ['Approve']]);
    expect(run.cause).toMatch(/^The mock of Task 'Approve' answers its callback with an output SendTaskSuccess refuses \(ValidationException: /);
  });

  it('in run(), an unmocked callback task fails with the unmocked error instead of waiting forever', async () => {
    const run = await approval().run({});
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toMatch(/No mock for Task 'Approve'/);
  });

  it('delay() with heartbeats keeps a callback alive past HeartbeatSeconds', async () => {
    const run = await approval({ HeartbeatSeconds: 30 }).run({}, { mocks: { Approve: delay(70, succeed('late'), { heartbeats: [25, 50] }) } });
    expect(run.output).toBe('late');
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(70_000);
  });

  it('delay() whose heartbeats leave a gap longer than HeartbeatSeconds fails the callback with States.Timeout', async () => {
    const run = await approval({ HeartbeatSeconds: 30 }).run({}, { mocks: { Approve: delay(70, succeed('late'), { heartbeats: [25] }) } });
    expect(run.error).toBe('States.Timeout');
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(55_000);
  });

  it('heartbeats on a Task without a task token fail with a clear States.Runtime error', async () => {
    const wf = Workflow.fromDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } } as StateMachineDefinition);
    const run = await wf.run({}, { mocks: { T: delay(10, 1, { heartbeats: [5] }) } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toMatch(/needs a task token/);
  });
});

/*
 * What a service answered on submission and which worker took an activity: the mock says them
 * (recorded on AWS: TaskSubmitted holds SendMessage's or StartExecution's answer, ActivityStarted
 * the workerName; ../shared/conformance callback/ and activities/ cases).
 */
describe('mocks that say what the service answered and which worker worked', () => {
  const submittedOf = (run: { history: readonly HistoryEvent[] }) =>
    JSON.parse(run.history.find((e) => e.type === 'TaskSubmitted')?.taskSubmittedEventDetails?.output ?? 'null') as unknown;

  it('records a callback mock\'s submitted answer as TaskSubmitted, and its value as the result', async () => {
    const run = await approval().run({}, { mocks: { Approve: succeed({ approved: true }, { submitted: { MessageId: 'm-1', MD5OfMessageBody: 'x' } }) } });
    expect(run.output).toEqual({ approved: true });
    expect(submittedOf(run)).toEqual({ MessageId: 'm-1', MD5OfMessageBody: 'x' });
  });

  it('records a .sync mock\'s submitted answer before its failure', async () => {
    const wf = Workflow.fromDefinition({ StartAt: 'Child', States: { Child: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:c' }, End: true } } } as StateMachineDefinition);
    const run = await wf.run({}, { mocks: { Child: fail('States.TaskFailed', '{}', { submitted: { ExecutionArn: 'e', StartDate: 's' } }) } });
    expect(run.history.map((e) => e.type).slice(-3)).toEqual(['TaskSubmitted', 'TaskFailed', 'ExecutionFailed']);
    expect(submittedOf(run)).toEqual({ ExecutionArn: 'e', StartDate: 's' });
  });

  it('names an activity\'s worker from the mock\'s workerName, also when the answer comes after a delay', async () => {
    const wf = Workflow.fromDefinition({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:a', End: true } } } as StateMachineDefinition);
    for (const mock of [succeed(1, { workerName: 'w-1' }), delay(30, succeed(1, { workerName: 'w-1' }))]) {
      const run = await wf.run({}, { mocks: { Work: mock } });
      expect(run.history.find((e) => e.type === 'ActivityStarted')!.activityStartedEventDetails).toEqual({ workerName: 'w-1' });
    }
  });

  it('refuses a submitted answer for a Task that records no submission, naming the state', async () => {
    const wf = Workflow.fromDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } } as StateMachineDefinition);
    const run = await wf.run({}, { mocks: { T: succeed({}, { submitted: {} }) } });
    expect([run.error, run.cause]).toEqual(['States.Runtime', expect.stringMatching(/mock of Task 'T' gives submitted, but arn:aws:states:::sqs:sendMessage is not a \.sync or \.waitForTaskToken/)]);
  });

  it('refuses a worker name that GetActivityTask would refuse', () => {
    expect(() => succeed(1, { workerName: '' })).toThrow(/workerName must be a string of 1 to 80 characters/);
  });
});
