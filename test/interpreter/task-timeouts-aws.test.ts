import { clock, eventOf, LAMBDA, run, secondsOf, single, tick, types } from './helpers';
import { compileStateMachine, StatesError, type StateMachineDefinition, type TaskRequest } from '../../src/interpreter';

/*
 * Timeouts, heartbeats and callbacks as AWS documents and records them.
 * - SendTaskHeartbeat (API reference): "Used by activity workers and Task states using the
 *   callback pattern, and optionally Task states using the job run pattern … resets the
 *   Heartbeat clock … The Timeout of a task … is its maximum allowed duration, regardless of
 *   the number of SendTaskHeartbeat requests received." A timeout is recorded as ActivityTimedOut
 *   for activities and TaskTimedOut for tasks.
 *   https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskHeartbeat.html
 * - Task state fields TimeoutSeconds / HeartbeatSeconds (developer guide, "Task workflow state").
 *   https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 * - Recorded: timeouts/test_fixed_timeout_service_lambda (TaskTimedOut with error States.Timeout
 *   and no cause), activities/test_activity_task_start_timeout (ActivityTimedOut),
 *   error_handling/test_task_service_lambda test_invoke_timeout (a Catch receives
 *   {"Error":"States.Timeout","Cause":""}).
 */

const CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const INVOKE = 'arn:aws:states:::lambda:invoke';
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:work';

/**
 * Runs `definition` with state S answered by a call that is still running when the test moves
 * the virtual clock `seconds` forward (a handler's pending promise holds the clock, as real work
 * does), then answers with `value`.
 */
async function slowCall(definition: StateMachineDefinition, seconds: number, value: unknown) {
  const c = clock();
  let answer!: (v: never) => void;
  const execution = compileStateMachine(definition, {
    clock: c, defaultTaskHandler: () => new Promise<never>((resolve) => { answer = resolve; }),
  }).start({});
  // Second by second, so a timer fires at its own time, as the clock would run it.
  for (let s = 0; s < seconds; s++) {
    await tick();
    await c.advance(1000);
  }
  await tick();
  answer(value as never);
  return execution.result;
}

describe('request-response tasks (no task token): TimeoutSeconds only', () => {
  it('ignores HeartbeatSeconds on lambda:invoke: no heartbeat can reach it, so a slow call still succeeds', async () => {
    const r = await slowCall(single({ Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, HeartbeatSeconds: 5, TimeoutSeconds: 60 }), 20, { Payload: 1 });
    expect(r.status).toBe('SUCCEEDED');
    expect(eventOf(r.history, 'TaskScheduled').taskScheduledEventDetails).toMatchObject({ heartbeatInSeconds: 5, timeoutInSeconds: 60 });
  });

  it('ignores HeartbeatSeconds on a Lambda function ARN too', async () => {
    const r = await slowCall(single({ Type: 'Task', Resource: LAMBDA, HeartbeatSeconds: 1 }), 10, 'ok');
    expect(r.output).toBe('ok');
  });

  it('times out lambda:invoke with States.Timeout and no cause, recorded as TaskTimedOut', async () => {
    const r = await slowCall(single({ Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, TimeoutSeconds: 5 }), 60, {});
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'States.Timeout', undefined]);
    expect(types(r.history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskTimedOut', 'ExecutionFailed']);
    expect(eventOf(r.history, 'TaskTimedOut').taskTimedOutEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke', error: 'States.Timeout' });
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(5);
  });

  it('times out a Lambda function ARN as LambdaFunctionTimedOut', async () => {
    const r = await slowCall(single({ Type: 'Task', Resource: LAMBDA, TimeoutSeconds: 2 }), 60, {});
    expect(eventOf(r.history, 'LambdaFunctionTimedOut').lambdaFunctionTimedOutEventDetails).toEqual({ error: 'States.Timeout' });
  });

  it('hands a Catch the error output {"Error":"States.Timeout","Cause":""}, as AWS recorded, though TaskTimedOut has no cause', async () => {
    const r = await slowCall({
      StartAt: 'S',
      States: {
        S: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Done' }], End: true },
        Done: { Type: 'Pass', End: true },
      },
    } as StateMachineDefinition, 60, {});
    expect(r.output).toEqual({ Error: 'States.Timeout', Cause: '' });
    expect(eventOf(r.history, 'TaskTimedOut').taskTimedOutEventDetails).not.toHaveProperty('cause');
  });
});

describe('heartbeats on callback and activity tasks', () => {
  // Recorded (LocalStack's test_heartbeats, test_heartbeat_no_timeout): HeartbeatSeconds applies with no TimeoutSeconds.
  it('times out a callback with HeartbeatSeconds and no TimeoutSeconds when no heartbeat comes', async () => {
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'T.$': '$$.Task.Token' }, HeartbeatSeconds: 5 }), {}, {
      clock: clock(), taskHandlers: { S: () => ({}) },
    });
    expect(r.error).toBe('States.Timeout');
    expect(eventOf(r.history, 'TaskTimedOut').taskTimedOutEventDetails).toEqual({ resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken', error: 'States.Timeout' });
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(5);
    expect(eventOf(r.history, 'TaskScheduled').taskScheduledEventDetails).not.toHaveProperty('timeoutInSeconds');
  });

  it('hands a Catch of a missed callback heartbeat {"Error":"States.Timeout","Cause":""}, and of an activity\'s {"Error":"States.HeartbeatTimeout","Cause":""}', async () => {
    const caught = (task: Record<string, unknown>) => ({
      StartAt: 'S',
      States: { S: { ...task, Type: 'Task', HeartbeatSeconds: 5, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }], End: true }, Done: { Type: 'Pass', End: true } },
    }) as unknown as StateMachineDefinition;
    const callback = await run(caught({ Resource: CALLBACK, Parameters: { 'T.$': '$$.Task.Token' } }), {}, { clock: clock(), taskHandlers: { S: () => ({}) } });
    expect(callback.output).toEqual({ Error: 'States.Timeout', Cause: '' });
    const activity = await run(caught({ Resource: ACTIVITY }), {}, { clock: clock() });
    expect(activity.output).toEqual({ Error: 'States.HeartbeatTimeout', Cause: '' });
  });

  // A handler that answers States.HeartbeatTimeout stands for a lapsed heartbeat: a callback's is
  // States.Timeout on AWS (recorded, above), past a Catch of States.HeartbeatTimeout; an activity's is not.
  it('fails a callback whose handler answers States.HeartbeatTimeout with States.Timeout, which a Catch of States.HeartbeatTimeout does not take', async () => {
    const named = (task: Record<string, unknown>) => ({
      StartAt: 'S',
      States: { S: { ...task, Type: 'Task', HeartbeatSeconds: 5, Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Done' }], End: true }, Done: { Type: 'Pass', End: true } },
    }) as unknown as StateMachineDefinition;
    const lapse = () => { throw new StatesError('States.HeartbeatTimeout'); };
    const callback = await run(named({ Resource: CALLBACK, Parameters: { 'T.$': '$$.Task.Token' } }), {}, { clock: clock(), taskHandlers: { S: lapse } });
    expect([callback.status, callback.error, secondsOf(eventOf(callback.history, 'TaskTimedOut'))]).toEqual(['FAILED', 'States.Timeout', 5]);
    const activity = await run(named({ Resource: ACTIVITY }), {}, { clock: clock(), taskHandlers: { S: lapse } });
    expect(activity.output).toEqual({ Error: 'States.HeartbeatTimeout', Cause: '' });
  });

  /** Sends a heartbeat every `every` seconds, `count` times, and never completes. */
  function beating(c: ReturnType<typeof clock>, every: number, count: number) {
    return (_input: unknown, req: TaskRequest) => {
      void (async () => {
        for (let i = 0; i < count && !req.signal.aborted; i++) {
          await c.sleepUntil(c.now() + every * 1000);
          if (!req.signal.aborted) req.execution.sendTaskHeartbeat(req.taskToken!);
        }
      })();
      return {} as never;
    };
  }

  it('resets the heartbeat clock on each heartbeat, so the task outlives HeartbeatSeconds, then times out (States.Timeout) when they stop', async () => {
    const c = clock();
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'T.$': '$$.Task.Token' }, HeartbeatSeconds: 10, TimeoutSeconds: 100 }), {}, {
      clock: c, taskHandlers: { S: beating(c, 8, 5) },
    });
    // Heartbeats at 8..40 s; the next is due by 50 s and never comes. A callback's missed heartbeat
    // is States.Timeout on AWS (recorded: LocalStack's test_heartbeats, test_heartbeat_timeout).
    expect(r.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(50);
  });

  it('does not extend TimeoutSeconds: heartbeats or not, the task times out at TimeoutSeconds with States.Timeout', async () => {
    const c = clock();
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'T.$': '$$.Task.Token' }, HeartbeatSeconds: 10, TimeoutSeconds: 30 }), {}, {
      clock: c, taskHandlers: { S: beating(c, 5, 100) },
    });
    expect(r.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(30);
  });

  it('times out an activity with no heartbeat as ActivityTimedOut with States.HeartbeatTimeout', async () => {
    const r = await run(single({ Type: 'Task', Resource: ACTIVITY, HeartbeatSeconds: 3 }), {}, { clock: clock() });
    expect(r.error).toBe('States.HeartbeatTimeout');
    expect(eventOf(r.history, 'ActivityTimedOut').activityTimedOutEventDetails).toEqual({ error: 'States.HeartbeatTimeout' });
    expect(eventOf(r.history, 'ActivityScheduled').activityScheduledEventDetails).toMatchObject({ heartbeatInSeconds: 3 });
  });

  it('times out an activity nobody works at TimeoutSeconds with States.Timeout', async () => {
    const r = await run(single({ Type: 'Task', Resource: ACTIVITY, TimeoutSeconds: 5 }), {}, { clock: clock() });
    expect(r.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(r.history, 'ActivityTimedOut'))).toBe(5);
  });
});

describe('callbacks (SendTaskSuccess / SendTaskFailure, API reference)', () => {
  it('fails the task on SendTaskFailure with no error and no cause: the events carry neither', async () => {
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'T.$': '$$.Task.Token' } }), {}, {
      taskHandlers: { S: (_i, req) => { queueMicrotask(() => req.execution.sendTaskFailure(req.taskToken!)); return {}; } },
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBeUndefined();
    expect(eventOf(r.history, 'TaskFailed').taskFailedEventDetails).toEqual({ resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken' });
    expect(eventOf(r.history, 'ExecutionFailed').executionFailedEventDetails).toEqual({});
  });

  it('lets States.ALL catch a SendTaskFailure that named no error', async () => {
    const r = await run({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: CALLBACK, Parameters: { 'T.$': '$$.Task.Token' }, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Done' }], End: true },
        Done: { Type: 'Succeed' },
      },
    } as StateMachineDefinition, {}, {
      taskHandlers: { T: (_i, req) => { queueMicrotask(() => req.execution.sendTaskFailure(req.taskToken!)); return {}; } },
    });
    expect(r.status).toBe('SUCCEEDED');
  });

  it('records TaskSubmitted with what the service answered, then waits for the callback', async () => {
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'T.$': '$$.Task.Token' } }), {}, {
      taskHandlers: { S: (_i, req) => { queueMicrotask(() => req.execution.sendTaskSuccess(req.taskToken!, 'done')); return { MessageId: 'm-1' }; } },
    });
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(eventOf(r.history, 'TaskSubmitted').taskSubmittedEventDetails).toMatchObject({ output: '{"MessageId":"m-1"}' });
    expect(r.output).toBe('done');
  });

  it('waits for a callback even when its Parameters pass no task token (the token is still issued)', async () => {
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { QueueUrl: 'q', MessageBody: 'no token here' }, TimeoutSeconds: 7 }), {}, {
      clock: clock(), taskHandlers: { S: () => ({}) },
    });
    expect(r.error).toBe('States.Timeout');
    expect(types(r.history)).toContain('TaskSubmitted');
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(7);
  });
});

// Recorded (LocalStack's test_activities, test_activity_task_on_deleted): a Task on an activity
// deleted after the state machine was created fails with States.Runtime, and no Activity event.
describe('activities that no longer exist', () => {
  it('fails with States.Runtime naming the activity, recording no ActivityScheduled', async () => {
    const r = await run(single({ Type: 'Task', Resource: ACTIVITY }), {}, { activityExists: (arn) => arn !== ACTIVITY });
    expect([r.status, r.error, r.cause]).toEqual([
      'FAILED', 'States.Runtime', `An error occurred while executing the state 'S' (entered at the event id #2). The activity ${ACTIVITY} does not exist.`,
    ]);
    expect(types(r.history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
  });

  it('is not caught by States.ALL', async () => {
    const r = await run({
      StartAt: 'S',
      States: { S: { Type: 'Task', Resource: ACTIVITY, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }], End: true }, Done: { Type: 'Succeed' } },
    } as StateMachineDefinition, {}, { activityExists: () => false });
    expect(r.error).toBe('States.Runtime');
  });

  it('runs the activity when it exists', async () => {
    const r = await run(single({ Type: 'Task', Resource: ACTIVITY }), {}, { activityExists: () => true, taskHandlers: { S: () => 'worked' } });
    expect(r.output).toBe('worked');
  });
});
