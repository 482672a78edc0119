import { run, single, types } from './helpers';
import { detailsOf } from '../../src/asl/history-events';
import { StatesError } from '../../src/asl/states-errors';
import type { HistoryEvent, JsonObject } from '../../src/interpreter';

/*
 * What a service answered on submission, and the worker that took an activity: the parts of a
 * history that no definition or input can tell, which the task handler says.
 * - Recorded (../shared/conformance, callback/TestCallback_test_start_execution_sync*,
 *   credentials/*start_sync_execution*): a states:startExecution.sync Task's TaskSubmitted output
 *   is StartExecution's answer, `ExecutionArn` and `StartDate` (with the SDK's HTTP metadata),
 *   not the child execution's result; callback/*sqs_wait_for_task_token*: a callback Task's
 *   TaskSubmitted output is SQS SendMessage's answer.
 * - Recorded (activities/TestActivities_test_activity_task_failure, _no_worker_name): the
 *   ActivityStarted event names the worker that called GetActivityTask with a workerName, and
 *   has no workerName when it gave none.
 */
const SYNC = 'arn:aws:states:::states:startExecution.sync';
const ECS_SYNC = 'arn:aws:states:::ecs:runTask.sync';
const CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:work';
const CHILD = 'arn:aws:states:us-east-1:123456789012:execution:child:run-1';

const details = (h: readonly HistoryEvent[], type: string): JsonObject => {
  const e = h.find((x) => x.type === type);
  if (!e) throw new Error(`no ${type} in ${types(h).join(' ')}`);
  return detailsOf(e) as JsonObject;
};

describe('TaskSubmitted: what the service answered on submission', () => {
  it('records what a .sync handler gives recordSubmission, before the job result', async () => {
    const r = await run(single({ Type: 'Task', Resource: SYNC, Parameters: { StateMachineArn: 'sm' } }), {}, {
      defaultTaskHandler: (_i, req) => {
        req.recordSubmission({ ExecutionArn: CHILD, StartDate: '2024-01-01T00:00:00.000Z', SdkResponseMetadata: { RequestId: 'r-1' } });
        return { ExecutionArn: CHILD, Status: 'SUCCEEDED', Output: '{}' };
      },
    });
    expect(types(r.history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(JSON.parse(details(r.history, 'TaskSubmitted').output as string)).toEqual({ ExecutionArn: CHILD, StartDate: '2024-01-01T00:00:00.000Z', SdkResponseMetadata: { RequestId: 'r-1' } });
    expect(r.output).toEqual({ ExecutionArn: CHILD, Status: 'SUCCEEDED', Output: '{}' });
  });

  it('answers StartExecution\'s ExecutionArn and StartDate by default for states:startExecution.sync, not the child\'s result', async () => {
    const r = await run(single({ Type: 'Task', Resource: SYNC, Parameters: { StateMachineArn: 'sm' } }), {}, {
      defaultTaskHandler: () => ({ ExecutionArn: CHILD, StartDate: '2024-01-01T00:00:00.000Z', Status: 'SUCCEEDED', Output: '{"big":1}' }),
    });
    expect(JSON.parse(details(r.history, 'TaskSubmitted').output as string)).toEqual({ ExecutionArn: CHILD, StartDate: '2024-01-01T00:00:00.000Z' });
  });

  it('reads ExecutionArn and StartDate from a failed child execution\'s cause by default', async () => {
    const cause = JSON.stringify({ ExecutionArn: CHILD, StartDate: '2024-01-01T00:00:00.000Z', Status: 'FAILED', Error: 'E' });
    const r = await run(single({ Type: 'Task', Resource: SYNC, Parameters: { StateMachineArn: 'sm' } }), {}, {
      defaultTaskHandler: () => { throw new StatesError('States.TaskFailed', cause); },
    });
    expect(types(r.history).slice(-3)).toEqual(['TaskSubmitted', 'TaskFailed', 'ExecutionFailed']);
    expect(JSON.parse(details(r.history, 'TaskSubmitted').output as string)).toEqual({ ExecutionArn: CHILD, StartDate: '2024-01-01T00:00:00.000Z' });
  });

  it('records {} by default for any other .sync integration, whose start answer nothing tells', async () => {
    const r = await run(single({ Type: 'Task', Resource: ECS_SYNC, Parameters: { Cluster: 'c' } }), {}, { defaultTaskHandler: () => ({ Tasks: [{ LastStatus: 'STOPPED' }] }) });
    expect(details(r.history, 'TaskSubmitted').output).toBe('{}');
  });

  it('records what a callback handler gives recordSubmission instead of what it returns', async () => {
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'T.$': '$$.Task.Token' } }), {}, {
      defaultTaskHandler: (_i, req) => {
        req.recordSubmission({ MessageId: 'm-1', MD5OfMessageBody: 'abc' });
        queueMicrotask(() => req.execution.sendTaskSuccess(req.taskToken!, 'done'));
        return { ignored: true };
      },
    });
    expect(JSON.parse(details(r.history, 'TaskSubmitted').output as string)).toEqual({ MessageId: 'm-1', MD5OfMessageBody: 'abc' });
    expect(types(r.history).filter((t) => t === 'TaskSubmitted')).toHaveLength(1);
  });

  it('fails with States.Runtime, naming the state, when a request-response task calls recordSubmission', async () => {
    const r = await run(single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' } }), {}, {
      defaultTaskHandler: (_i, req) => { req.recordSubmission({}); return {}; },
    });
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toMatch(/state 'S' called recordSubmission, but arn:aws:states:::lambda:invoke is not a \.sync or \.waitForTaskToken integration/);
  });

  // connect-ecs.html: "Run a Job or Task Token: If a non-empty Failures field is encountered, the task is failed with an AmazonECS.Unknown error".
  it('fails the Task with AmazonECS.Unknown, before any TaskSubmitted, when a .sync handler records a RunTask answer with Failures', async () => {
    const failures = { Failures: [{ Reason: 'RESOURCE:MEMORY' }], Tasks: [] };
    const r = await run(single({ Type: 'Task', Resource: ECS_SYNC, Parameters: { Cluster: 'c' } }), {}, {
      defaultTaskHandler: (_i, req) => { req.recordSubmission(failures); return { LastStatus: 'STOPPED', StopCode: 'EssentialContainerExited', Containers: [{ ExitCode: 0 }] }; },
    });
    expect([r.error, r.cause]).toEqual(['AmazonECS.Unknown', JSON.stringify(failures)]);
    expect(types(r.history)).not.toContain('TaskSubmitted');
  });

  // connect-lambda.html: "If an exception is raised within the Lambda function, the Task will fail".
  it('fails the Task with the payload\'s errorType when a callback handler records an invoke answer with a FunctionError', async () => {
    const invoked = { StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'Refused', errorMessage: 'no' } };
    const r = await run(single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f', Payload: { 't.$': '$$.Task.Token' } } }), {}, {
      defaultTaskHandler: (_i, req) => { req.recordSubmission(invoked); return {}; },
    });
    expect([r.error, r.cause]).toEqual(['Refused', JSON.stringify(invoked.Payload)]);
    expect(types(r.history)).not.toContain('TaskSubmitted');
  });

  it('fails with States.Runtime when recordSubmission is called twice', async () => {
    const r = await run(single({ Type: 'Task', Resource: SYNC, Parameters: {} }), {}, {
      defaultTaskHandler: (_i, req) => { req.recordSubmission({}); req.recordSubmission({}); return {}; },
    });
    expect([r.error, r.cause]).toEqual(['States.Runtime', expect.stringMatching(/called recordSubmission after the submission was recorded/)]);
  });
});

describe('ActivityStarted: the worker that took the task', () => {
  it('names the worker the handler gives recordWorkerName', async () => {
    const r = await run(single({ Type: 'Task', Resource: ACTIVITY }), { v: 1 }, {
      defaultTaskHandler: (input, req) => { req.recordWorkerName('BASE_ID_ACTIVITY_CONSUMER'); return input; },
    });
    expect(types(r.history).slice(2, 5)).toEqual(['ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded']);
    expect(details(r.history, 'ActivityStarted')).toEqual({ workerName: 'BASE_ID_ACTIVITY_CONSUMER' });
  });

  it('names no worker when the handler gives none, as AWS records a worker that gave no name', async () => {
    const r = await run(single({ Type: 'Task', Resource: ACTIVITY }), {}, { defaultTaskHandler: () => ({}) });
    expect(details(r.history, 'ActivityStarted')).toEqual({});
  });

  it('names the worker of an activity that fails too', async () => {
    const r = await run(single({ Type: 'Task', Resource: ACTIVITY }), {}, {
      defaultTaskHandler: (_i, req) => { req.recordWorkerName('w1'); throw new StatesError('Programmatic Error', 'c'); },
    });
    expect(types(r.history).slice(2)).toEqual(['ActivityScheduled', 'ActivityStarted', 'ActivityFailed', 'ExecutionFailed']);
    expect(details(r.history, 'ActivityStarted')).toEqual({ workerName: 'w1' });
  });

  it('fails with States.Runtime when a Task that is no activity names a worker, or the name is not 1 to 80 characters', async () => {
    const lambda = await run(single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f' }), {}, {
      defaultTaskHandler: (_i, req) => { req.recordWorkerName('w'); return {}; },
    });
    expect(lambda.cause).toMatch(/is not an activity/);
    const long = await run(single({ Type: 'Task', Resource: ACTIVITY }), {}, {
      defaultTaskHandler: (_i, req) => { req.recordWorkerName('x'.repeat(81)); return {}; },
    });
    expect(long.cause).toMatch(/a worker name is a string of 1 to 80 characters/);
  });
});
