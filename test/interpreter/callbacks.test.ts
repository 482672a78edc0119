import { clock, eventOf, secondsOf, single, tick, types } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { compileStateMachine, InvalidOutputError, TaskDoesNotExistError, TaskTimedOutError, ValidationException } from '../../src/interpreter';

const CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:approve';
const callbackState = (extra: Record<string, unknown> = {}) => single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'token.$': '$$.Task.Token' }, ...extra });

describe('Callbacks (.waitForTaskToken)', () => {
  it('pauses until sendTaskSuccess, and outputs what it was sent', async () => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({ MessageId: 'm' }) } }).start({});
    const token = await exec.waitForTaskToken('S');
    await tick();
    expect(exec.status).toBe('RUNNING');
    exec.sendTaskSuccess(token, { approved: true });
    const r = await exec.result;
    expect(r.output).toEqual({ approved: true });
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(eventOf(r.history, 'TaskSubmitted').taskSubmittedEventDetails).toMatchObject({ output: '{"MessageId":"m"}' });
  });

  it('sends the token to the handler in the payload and in the request', async () => {
    let fromPayload: string | undefined;
    let fromRequest: string | undefined;
    const handler = (input: unknown, req: { taskToken?: string }) => {
      fromPayload = (input as { token: string }).token;
      fromRequest = req.taskToken;
      return {};
    };
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: handler } }).start({});
    const token = await exec.waitForTaskToken();
    expect(fromPayload).toBe(token);
    expect(fromRequest).toBe(token);
    exec.sendTaskSuccess(token, null);
    await exec.result;
  });

  it('fails the task with the error and cause given to sendTaskFailure', async () => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({}) } }).start({});
    exec.sendTaskFailure(await exec.waitForTaskToken('S'), 'Rejected', 'no budget');
    const r = await exec.result;
    expect(r.error).toBe('Rejected');
    expect(r.cause).toBe('no budget');
  });

  it('gives a catcher {"Error": null, "Cause": null} for a sendTaskFailure with neither error nor cause, as AWS recorded', async () => {
    const def: StateMachineDefinition = {
      StartAt: 'S',
      States: {
        S: {
          Type: 'Task',
          Resource: CALLBACK,
          Parameters: { 'token.$': '$$.Task.Token' },
          End: true,
          Catch: [{ ErrorEquals: ['States.Runtime'], ResultPath: '$.runtime', Next: 'H' }, { ErrorEquals: ['States.ALL'], ResultPath: '$.all', Next: 'H' }],
        },
        H: { Type: 'Pass', End: true },
      },
    };
    const exec = compileStateMachine(def, { taskHandlers: { S: () => ({}) } }).start({ m: 1 });
    exec.sendTaskFailure(await exec.waitForTaskToken('S'));
    expect((await exec.result).output).toEqual({ m: 1, all: { Error: null, Cause: null } });
  });

  // SendTaskFailure's error and cause are optional members (API reference); a JSON request may
  // carry them as null, which AWS reads as absent. Recorded: the TaskFailed of such a failure has
  // no error, and a States.ALL catcher receives {"Error": null, "Cause": null}.
  it('accepts sendTaskFailure with a null error and cause, as a JSON request sends them, and fails the task with no error name', async () => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({}) } }).start({});
    exec.sendTaskFailure(await exec.waitForTaskToken('S'), null, null);
    const r = await exec.result;
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', undefined, undefined]);
    expect(eventOf(r.history, 'TaskFailed').taskFailedEventDetails).toEqual({ resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken' });
  });

  it('retries a sendTaskFailure with no error name under a States.ALL retrier, then catches it with {"Error": null}', async () => {
    const def: StateMachineDefinition = {
      StartAt: 'S',
      States: {
        S: {
          Type: 'Task',
          Resource: CALLBACK,
          Parameters: { 'token.$': '$$.Task.Token' },
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'H' }],
          End: true,
        },
        H: { Type: 'Pass', End: true },
      },
    };
    let calls = 0;
    const exec = compileStateMachine(def, {
      taskHandlers: { S: (_i, req) => { calls++; queueMicrotask(() => req.execution.sendTaskFailure(req.taskToken!, null, 'why')); return {}; } },
    }).start({});
    const r = await exec.result;
    expect(calls).toBe(2);
    expect(r.output).toEqual({ err: { Error: null, Cause: 'why' } });
  });

  it('restarts the HeartbeatSeconds timer on sendTaskHeartbeat', async () => {
    const c = clock();
    const exec = compileStateMachine(callbackState({ HeartbeatSeconds: 10 }), {
      clock: c,
      taskHandlers: {
        S: (_i, req) => {
          void c.sleepUntil(c.now() + 8000).then(() => req.execution.sendTaskHeartbeat(req.taskToken!));
          return {};
        },
      },
    }).start({});
    const r = await exec.result;
    // AWS reports a callback's missed heartbeat as States.Timeout (recorded: LocalStack's test_heartbeats).
    expect(r.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(18);
  });

  it('keeps waiting without TimeoutSeconds while the test does real asynchronous work before answering', async () => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({}) } }).start({});
    const token = await exec.waitForTaskToken('S');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exec.status).toBe('RUNNING');
    exec.sendTaskSuccess(token, 'late');
    expect((await exec.result).output).toBe('late');
  });

  it('throws TaskDoesNotExistError for a token the execution never issued', async () => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({}) } }).start({});
    const token = await exec.waitForTaskToken();
    expect(() => exec.sendTaskFailure('nope')).toThrow(TaskDoesNotExistError);
    expect(() => exec.sendTaskHeartbeat('nope')).toThrow("No pending task holds the task token 'nope'");
    exec.sendTaskSuccess(token, 1);
    expect((await exec.result).output).toBe(1);
  });

  it('throws TaskTimedOut for a second sendTaskSuccess or sendTaskFailure with a used token, as AWS does', async () => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({}) } }).start({});
    const token = await exec.waitForTaskToken();
    exec.sendTaskSuccess(token, 1);
    // At once, before the execution has moved on: the token is already spent.
    expect(() => exec.sendTaskSuccess(token, 2)).toThrow(TaskTimedOutError);
    expect(() => exec.sendTaskFailure(token, 'E')).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    const r = await exec.result;
    expect(r.output).toBe(1);
    expect(() => exec.sendTaskHeartbeat(token)).toThrow(TaskTimedOutError);
  });

  it.each([
    ['undefined', undefined],
    ['a BigInt', { n: 1n }],
    ['a circular value', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })()],
    ['a function', { f: () => 1 }],
  ])('refuses sendTaskSuccess output that is %s with InvalidOutput, and the task keeps waiting', async (_what, output) => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({}) } }).start({});
    const token = await exec.waitForTaskToken();
    expect(() => exec.sendTaskSuccess(token, output as never)).toThrow(InvalidOutputError);
    expect(exec.status).toBe('RUNNING');
    exec.sendTaskSuccess(token, 'ok');
    expect((await exec.result).output).toBe('ok');
  });

  // SendTaskSuccess: "output ... Length Constraints: Maximum length of 262144", in UTF-8 bytes (API reference).
  // AWS refuses the call and the task stays open; it must not fail the task with States.DataLimitExceeded,
  // which a States.ALL Catch would take. serve refuses the same calls under the same names.
  it.each([
    ['text over 262,144 characters', 'x'.repeat(262_143), ValidationException],
    ['text within 262,144 characters but over 262,144 UTF-8 bytes', 'é'.repeat(131_072), InvalidOutputError],
  ])('refuses sendTaskSuccess output whose JSON is %s, and the task keeps waiting for its token', async (_what, output, refusal) => {
    const def = {
      StartAt: 'S',
      States: {
        S: { Type: 'Task', Resource: CALLBACK, Parameters: { 'token.$': '$$.Task.Token' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], Next: 'Done' },
        Done: { Type: 'Pass', End: true },
        Caught: { Type: 'Pass', End: true },
      },
    } as unknown as StateMachineDefinition;
    const exec = compileStateMachine(def, { taskHandlers: { S: () => ({}) } }).start({});
    const token = await exec.waitForTaskToken();
    expect(() => exec.sendTaskSuccess(token, output)).toThrow(refusal);
    await tick();
    expect(exec.status).toBe('RUNNING');
    // Just within the bound: 262,144 bytes with its quotes.
    exec.sendTaskSuccess(token, 'y'.repeat(262_142));
    const r = await exec.result;
    expect(r.status).toBe('SUCCEEDED');
    expect(r.history.filter((e) => e.type === 'PassStateEntered').map((e) => e.stateEnteredEventDetails?.name)).toEqual(['Done']);
  });

  it('refuses sendTaskFailure with an error or cause that is not a string (ValidationException)', async () => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({}) } }).start({});
    const token = await exec.waitForTaskToken();
    expect(() => exec.sendTaskFailure(token, 5 as never, {} as never)).toThrow(ValidationException);
    expect(() => exec.sendTaskFailure(token, 'E', {} as never)).toThrow("sendTaskFailure: 'cause' must be a string, got {}");
    expect(() => exec.sendTaskFailure(token, 'x'.repeat(257))).toThrow('at most 256 characters');
    exec.sendTaskFailure(token, 'Custom.Error', 'why');
    const r = await exec.result;
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'Custom.Error', 'why']);
  });

  it('rejects waitForTaskToken when the execution ends without issuing a token', async () => {
    const exec = compileStateMachine(single({ Type: 'Pass' })).start({});
    const waiting = exec.waitForTaskToken('S');
    await expect(waiting).rejects.toThrow("the execution ended SUCCEEDED before state 'S' issued a task token; path: S");
    await expect(exec.waitForTaskToken()).rejects.toThrow('the execution ended SUCCEEDED before any state issued a task token');
  });

  it('lets the handler complete the callback itself through request.execution', async () => {
    const r = await compileStateMachine(callbackState(), {
      taskHandlers: { S: (_i, req) => { req.execution.sendTaskSuccess(req.taskToken!, 'inline'); return {}; } },
    }).start({}).result;
    expect(r.output).toBe('inline');
  });

  it('ends ABORTED when stopped while a task waits', async () => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({}) } }).start({});
    await exec.waitForTaskToken();
    exec.stop('Stopped.ByTest', 'enough');
    const r = await exec.result;
    expect(r.status).toBe('ABORTED');
    expect(r.error).toBe('Stopped.ByTest');
    expect(r.cause).toBe('enough');
    expect(r.history[r.history.length - 1].type).toBe('ExecutionAborted');
  });

  it('stopped with no error or cause, ends ABORTED with neither, its ExecutionAborted linked to no earlier event, as AWS records', async () => {
    const exec = compileStateMachine(callbackState(), { taskHandlers: { S: () => ({}) } }).start({});
    await exec.waitForTaskToken();
    exec.stop();
    const r = await exec.result;
    expect([r.status, r.error, r.cause]).toEqual(['ABORTED', undefined, undefined]);
    const last = r.history[r.history.length - 1];
    expect([last.type, last.previousEventId, last.executionAbortedEventDetails]).toEqual(['ExecutionAborted', 0, {}]);
  });

  it('ends TIMED_OUT, with no error, past the machine TimeoutSeconds', async () => {
    const machine = compileStateMachine({ ...callbackState(), TimeoutSeconds: 60 } as never, { clock: clock(), taskHandlers: { S: () => ({}) } });
    const r = await machine.start({}).result;
    expect(r.status).toBe('TIMED_OUT');
    expect(r.error).toBeUndefined();
    expect((r.stopDate.getTime() - r.startDate.getTime()) / 1000).toBe(60);
  });
});

describe('.sync integrations', () => {
  it("waits for the handler's final result and records TaskSubmitted", async () => {
    const r = await compileStateMachine(single({ Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: 'arn' } }), {
      taskHandlers: { S: async () => Promise.resolve({ Output: { done: true }, Status: 'SUCCEEDED' }) },
    }).start({}).result;
    expect(r.output).toEqual({ Output: { done: true }, Status: 'SUCCEEDED' });
    expect(types(r.history)).toContain('TaskSubmitted');
  });

  it('records TaskSubmitted also when the handler answers synchronously', async () => {
    const r = await compileStateMachine(single({ Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: 'arn' } }), {
      taskHandlers: { S: () => ({ Output: { done: true }, Status: 'SUCCEEDED' }) },
    }).start({}).result;
    expect(r.output).toEqual({ Output: { done: true }, Status: 'SUCCEEDED' });
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
  });
});

describe('Activities', () => {
  it('waits for a worker to complete the activity through the execution handle', async () => {
    const exec = compileStateMachine(single({ Type: 'Task', Resource: ACTIVITY }), { taskHandlers: { [ACTIVITY]: () => undefined as never } }).start({ order: 1 });
    const token = await exec.waitForTaskToken('S');
    exec.sendTaskSuccess(token, { ok: 1 });
    const r = await exec.result;
    expect(r.output).toEqual({ ok: 1 });
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('waits for a worker when no handler answers the activity', async () => {
    const exec = compileStateMachine(single({ Type: 'Task', Resource: ACTIVITY })).start({});
    exec.sendTaskSuccess(await exec.waitForTaskToken('S'), 'worked');
    expect((await exec.result).output).toBe('worked');
  });

  it('takes the answer of an activity handler that returns a value', async () => {
    const r = await compileStateMachine(single({ Type: 'Task', Resource: ACTIVITY }), { taskHandlers: { S: () => 'mocked' } }).start({}).result;
    expect(r.output).toBe('mocked');
  });

  it('fails with the error a worker reports', async () => {
    const exec = compileStateMachine(single({ Type: 'Task', Resource: ACTIVITY }), { taskHandlers: { [ACTIVITY]: () => undefined as never } }).start({});
    exec.sendTaskFailure(await exec.waitForTaskToken(), 'Worker.Failed', 'x');
    const r = await exec.result;
    expect(r.error).toBe('Worker.Failed');
    expect(types(r.history)).toContain('ActivityFailed');
  });

  it('times out an activity no worker picks up within TimeoutSeconds', async () => {
    const r = await compileStateMachine(single({ Type: 'Task', Resource: ACTIVITY, TimeoutSeconds: 5 }), { clock: clock(), taskHandlers: { [ACTIVITY]: () => undefined as never } }).start({}).result;
    expect(r.error).toBe('States.Timeout');
    expect(types(r.history)).toContain('ActivityTimedOut');
  });
});
