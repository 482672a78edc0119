import { compileStateMachine } from '../../src/interpreter';
import { runSerializer, Stabilizer } from '../../src/testing/serializer';
import '../../src/testing/setup';

const callback = compileStateMachine({
  StartAt: 'Wait an hour',
  States: {
    'Wait an hour': { Type: 'Wait', Seconds: 3600, Next: 'Approve' },
    'Approve': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { 'token.$': '$$.Task.Token', 'started.$': '$$.Execution.StartTime', 'id.$': 'States.UUID()' },
      TimeoutSeconds: 60,
      End: true,
    },
  },
} as never, {
  taskHandlers: { Approve: (input) => ({ echoed: input }) },
});

describe('run snapshot serializer', () => {
  it('prints a run compactly: status, error, path, and each state entered and exited, with stable tokens and relative times', async () => {
    const run = await callback.start({ n: 1 }).result;
    expect(run).toMatchInlineSnapshot(`
Execution FAILED at +3660s
error: States.Timeout
path: Wait an hour → Approve
states:
  +0s     ▸ Wait an hour
  +3600s  ◂ Wait an hour → {"n":1}
  +3600s  ▸ Approve
  +3660s  ✗ TaskTimedOut States.Timeout
`);
  });

  it('prints the full history, every event with its details, when the history is snapshotted', async () => {
    const run = await callback.start({ n: 1 }).result;
    expect(run.history).toMatchInlineSnapshot(`
History
  #1 +0s ExecutionStarted input={"n":1} roleArn="arn:aws:iam::123456789012:role/StepFunctionsRole"
  #2 +0s WaitStateEntered Wait an hour input={"n":1}
  #3 +3600s WaitStateExited Wait an hour output={"n":1}
  #4 +3600s TaskStateEntered Approve input={"n":1}
  #5 +3600s TaskScheduled resourceType="sqs" resource="sendMessage.waitForTaskToken" region="us-east-1" parameters={"started":"<+0s>","id":"<uuid-1>","token":"<token-1>"} timeoutInSeconds=60
  #6 +3600s TaskStarted resourceType="sqs" resource="sendMessage.waitForTaskToken"
  #7 +3600s TaskSubmitted resourceType="sqs" resource="sendMessage.waitForTaskToken" output={"echoed":{"started":"<+0s>","id":"<uuid-1>","token":"<token-1>"}}
  #8 +3660s TaskTimedOut resourceType="sqs" resource="sendMessage.waitForTaskToken" error="States.Timeout"
  #9 +3660s ExecutionFailed error="States.Timeout"
`);
  });

  it('leaves the HTTP metadata of a lambda:invoke result out of the compact run', async () => {
    const invoke = compileStateMachine({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } } as never, {
      taskHandlers: { Call: () => ({ Payload: { ok: true }, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: 'r' } }) },
    });
    const text = runSerializer.serialize(await invoke.start({}).result);
    expect(text).toContain('output: {"Payload":{"ok":true},"StatusCode":200}');
    expect(text).not.toContain('SdkHttpMetadata');
  });

  it('replaces the absolute paths of stack traces in causes, so a snapshot passes on every machine', () => {
    const s = new Stabilizer(0);
    const trace = `at handler (${process.cwd()}/lambda/charge.ts:12:11) at run (/home/ci/work/app/node_modules/stepwright/src/testing/mocks/dispatch.ts:190:11)`;
    expect(s.string(trace)).toBe('at handler (<rootDir>/lambda/charge.ts:12:11) at run (<node_modules>/stepwright/src/testing/mocks/dispatch.ts:190:11)');
  });

  it('gives the same snapshot for two executions with different ids', async () => {
    const a = runSerializer.serialize(await callback.start({ n: 1 }).result);
    const b = runSerializer.serialize(await callback.start({ n: 1 }, { name: 'second-run' }).result);
    expect(b).toBe(a);
  });

  it('prints a failed run with its error and cause', async () => {
    const failing = compileStateMachine({ StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Oops', Cause: 'it broke' } } } as never);
    expect(await failing.start({}, { name: 'my-execution' }).result).toMatchInlineSnapshot(`
Execution FAILED at +0s
error: Oops
cause: it broke
path: Boom
states:
  +0s     ▸ Boom
`);
  });

  it('prints a history on its own, times relative to its first event', async () => {
    const run = await callback.start({ n: 1 }).result;
    expect(run.history.slice(0, 4)).toMatchInlineSnapshot(`
History
  #1 +0s ExecutionStarted input={"n":1} roleArn="arn:aws:iam::123456789012:role/StepFunctionsRole"
  #2 +0s WaitStateEntered Wait an hour input={"n":1}
  #3 +3600s WaitStateExited Wait an hour output={"n":1}
  #4 +3600s TaskStateEntered Approve input={"n":1}
`);
  });

  it('leaves arrays that are not histories to the default printer', () => {
    expect(runSerializer.test([{ a: 1 }])).toBe(false);
    expect(runSerializer.test([])).toBe(false);
    expect(runSerializer.test({ status: 'SUCCEEDED' })).toBe(false);
  });
});

describe('Stabilizer', () => {
  it('gives the same placeholder to the same UUID and a new one to another', () => {
    const s = new Stabilizer(0);
    expect(s.string('a 123e4567-e89b-12d3-a456-426614174000 b 123E4567-E89B-12D3-A456-426614174000 c 00000000-0000-4000-8000-000000000000'))
      .toBe('a <uuid-1> b <uuid-1> c <uuid-2>');
  });

  it('writes ISO times as offsets from the start, fractions included', () => {
    const s = new Stabilizer(Date.parse('2024-01-01T00:00:00Z'));
    expect(s.string('at 2024-01-01T01:00:00.000Z and 2024-01-01T00:00:00.250Z')).toBe('at <+3600s> and <+0.25s>');
  });

  it("replaces the execution's ARN and chosen name", () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:StateMachine:order-42';
    expect(new Stabilizer(0, arn).string(`${arn} / order-42`)).toBe('<execution-arn> / <execution-name>');
  });
});
