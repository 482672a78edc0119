import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { rawResult, succeed } from '../../src/workbench/mocks/answers';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * Never green where AWS fails (issue 72): an answer AWS turns into the Task's failure fails it
 * in the jest harness whatever form the mock takes (a value, succeed(), rawResult(), a function,
 * a sequence, a MockConfigFile response, a child workflow), and a Catch on the error AWS names
 * takes it. The rules and their sources: src/asl/integrations.ts; test/asl/answer-outcomes.test.ts
 * holds one test per rule.
 */

const PUT_EVENTS = 'arn:aws:states:::events:putEvents';
const FAILED_ENTRY = { Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' }], FailedEntryCount: 1 };
const SENT = { Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 };

/** One Task with a Catch on `errors` to a Pass state that keeps the error output. */
function caught(resource: string, errors: string[], extra: Record<string, unknown> = {}): Workflow {
  return Workflow.fromDefinition({
    StartAt: 'Call',
    States: {
      Call: { Type: 'Task', Resource: resource, Catch: [{ ErrorEquals: errors, Next: 'Compensate' }], End: true, ...extra },
      Compensate: { Type: 'Pass', End: true },
    },
  } as StateMachineDefinition);
}

describe('answers AWS turns into a failure, in the jest harness', () => {
  const publish = () => caught(PUT_EVENTS, ['EventBridge.FailedEntry'], { Parameters: { Entries: [{ Source: 's', DetailType: 'd', Detail: {} }] } });

  it.each([
    ['a plain value', FAILED_ENTRY],
    ['succeed()', succeed(FAILED_ENTRY)],
    ['rawResult()', rawResult(FAILED_ENTRY)],
    ['a function', () => FAILED_ENTRY],
    ['an async function', async () => FAILED_ENTRY],
  ])('fails putEvents with EventBridge.FailedEntry for failed entries given as %s, and the Catch takes it with the answer as cause', async (_form, mock) => {
    const run = await publish().run({}, { mocks: { Call: mock as never } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toEqual(['Call', 'Compensate']);
    expect(run.output).toEqual({ Error: 'EventBridge.FailedEntry', Cause: JSON.stringify(FAILED_ENTRY) });
  });

  it('lets putEvents with no failed entry through, its answer the Task\'s result', async () => {
    const run = await publish().run({}, { mocks: { Call: SENT } });
    expect(run.path).toEqual(['Call']);
    expect(run.output).toEqual(SENT);
  });

  it('retries EventBridge.FailedEntry as a Retry says, then takes the answer that has none (one answer per call)', async () => {
    const wf = caught(PUT_EVENTS, ['States.ALL'], { Retry: [{ ErrorEquals: ['EventBridge.FailedEntry'], MaxAttempts: 1, IntervalSeconds: 1 }] });
    const run = await wf.run({}, { mocks: { Call: [succeed(FAILED_ENTRY), succeed(SENT)] } });
    expect(run.path).toEqual(['Call']);
    expect(run.output).toEqual(SENT);
    expect(run.history.map((e) => e.type)).toEqual(expect.arrayContaining(['TaskFailed', 'TaskSucceeded']));
  });

  it('fails lambda:invoke answered with FunctionError (rawResult) with its errorType and the payload as cause, or Lambda.Unknown with none', async () => {
    const wf = caught('arn:aws:states:::lambda:invoke', ['States.ALL'], { Parameters: { FunctionName: 'f', Payload: {} } });
    const named = await wf.run({}, { mocks: { Call: rawResult({ StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'Boom', errorMessage: 'bad' } }) } });
    expect(named.output).toEqual({ Error: 'Boom', Cause: '{"errorType":"Boom","errorMessage":"bad"}' });
    const unknown = await wf.run({}, { mocks: { Call: rawResult({ StatusCode: 200, FunctionError: 'Unhandled', Payload: 'Task timed out after 3.00 seconds' }) } });
    expect(unknown.output).toEqual({ Error: 'Lambda.Unknown', Cause: 'Task timed out after 3.00 seconds' });
  });

  it('keeps a Lambda payload that merely holds a FunctionError field the function\'s result (succeed() wraps it in the envelope)', async () => {
    const wf = caught('arn:aws:states:::lambda:invoke', ['States.ALL'], { Parameters: { FunctionName: 'f', Payload: {} }, OutputPath: '$.Payload' });
    const run = await wf.run({}, { mocks: { Call: { FunctionError: 'mine' } } });
    expect(run.path).toEqual(['Call']);
    expect(run.output).toEqual({ FunctionError: 'mine' });
  });

  it('tells, without failing on a guess, of a Lambda payload shaped as the invoke response with a FunctionError', async () => {
    // The harness takes a plain value (and a --mocks Return) as the function's payload: an invoke response with
    // FunctionError given there succeeds as Payload, where AWS fails the Task; the run says so and how to give it.
    const wf = caught('arn:aws:states:::lambda:invoke', ['States.ALL'], { Parameters: { FunctionName: 'f', Payload: {} }, OutputPath: '$.Payload' });
    const envelope = { StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'Boom', errorMessage: 'bad' } };
    for (const mocks of [{ Call: envelope }, mocksFromJson({ Call: { Return: envelope } }, 'mocks.json')]) {
      const run = await wf.run({}, { mocks });
      expect(run.path).toEqual(['Call']);
      expect(run.output).toEqual(envelope);
      expect(run.advice.map((a) => a.message)).toEqual([expect.stringContaining('looks like Lambda\'s invoke response with FunctionError "Unhandled"')]);
    }
    const plain = await wf.run({}, { mocks: { Call: { FunctionError: 'mine' } } });
    expect(plain.advice).toEqual([]);
  });

  it("tells of a Lambda payload shaped as the whole invoke response, as a Step Functions Local Return gives it: it becomes the Payload's Payload", async () => {
    const wf = caught('arn:aws:states:::lambda:invoke', ['States.ALL'], { Parameters: { FunctionName: 'f', Payload: {} }, OutputPath: '$.Payload' });
    const response = { StatusCode: 200, Payload: { stock_price: 42 } };
    for (const mocks of [{ Call: response }, mocksFromJson({ Call: { Return: response } }, 'mocks.json')]) {
      const run = await wf.run({}, { mocks });
      expect(run.output).toEqual(response);
      expect(run.advice.map((a) => a.message)).toEqual([expect.stringContaining("looks like Lambda's whole invoke response (StatusCode, Payload)")]);
    }
    // A payload that merely has such fields among others, and the response given as it is, are the author's.
    expect((await wf.run({}, { mocks: { Call: { StatusCode: 200, Payload: {}, body: 'x' } } })).advice).toEqual([]);
    expect((await wf.run({}, { mocks: { Call: rawResult(response) } })).advice).toEqual([]);
    expect((await wf.run({}, { mocks: { Call: { statusCode: 200, body: 'ok' } } })).advice).toEqual([]);
  });

  it('fails lambda:invoke answered by a MockConfigFile with FunctionError, as AWS does', async () => {
    const wf = caught('arn:aws:states:::lambda:invoke', ['Boom'], { Parameters: { FunctionName: 'f', Payload: {} } });
    const config = {
      StateMachines: { M: { TestCases: { Failing: { Call: 'Error' } } } },
      MockedResponses: { Error: { 0: { Return: { StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'Boom', errorMessage: 'bad' } } } } },
    };
    const run = await wf.run({}, { mockConfig: { config, stateMachine: 'M', testCase: 'Failing' } });
    expect(run.path).toEqual(['Call', 'Compensate']);
    expect(run.output).toMatchObject({ Error: 'Boom' });
  });

  it('fails a .sync job that ended FAILED with States.TaskFailed and the job as cause, after the job was submitted', async () => {
    const wf = caught('arn:aws:states:::glue:startJobRun.sync', ['States.TaskFailed'], { Parameters: { JobName: 'etl' } });
    const job = { Id: 'jr_1', JobName: 'etl', JobRunState: 'FAILED', ErrorMessage: 'out of memory' };
    const run = await wf.run({}, { mocks: { Call: job } });
    expect(run.path).toEqual(['Call', 'Compensate']);
    expect(run.output).toEqual({ Error: 'States.TaskFailed', Cause: JSON.stringify(job) });
    const types = run.history.map((e) => e.type);
    expect(types.indexOf('TaskSubmitted')).toBeGreaterThan(-1);
    expect(types.indexOf('TaskSubmitted')).toBeLessThan(types.indexOf('TaskFailed'));
  });

  it('fails startExecution.sync:2 answered with a FAILED child, and takes SUCCEEDED through', async () => {
    const wf = caught('arn:aws:states:::states:startExecution.sync:2', ['States.TaskFailed'], {
      Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child', Input: {} },
    });
    const failed = await wf.run({}, { mocks: { Call: { Status: 'FAILED', Error: 'Child.Broke', Cause: 'no' } } });
    expect(failed.path).toEqual(['Call', 'Compensate']);
    expect(failed.output).toMatchObject({ Error: 'States.TaskFailed' });
    const ok = await wf.run({}, { mocks: { Call: { Status: 'SUCCEEDED', Output: { n: 1 } } } });
    expect(ok.path).toEqual(['Call']);
  });

  it('fails ecs:runTask.sync with Failures as AmazonECS.Unknown, and leaves a request-response runTask\'s Failures its result', async () => {
    const failures = { Failures: [{ Reason: 'RESOURCE:MEMORY' }], Tasks: [] };
    const sync = await caught('arn:aws:states:::ecs:runTask.sync', ['AmazonECS.Unknown']).run({}, { mocks: { Call: failures } });
    expect(sync.path).toEqual(['Call', 'Compensate']);
    const request = await caught('arn:aws:states:::ecs:runTask', ['States.ALL']).run({}, { mocks: { Call: failures } });
    expect(request.path).toEqual(['Call']);
  });

  it('fails the parent of a registered child workflow that fails, the child\'s description as the cause, as AWS recorded', async () => {
    const child = Workflow.fromDefinition({ StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Child.Broke', Cause: 'no' } } } as StateMachineDefinition, { name: 'Child' });
    const wf = caught('arn:aws:states:::states:startExecution.sync', ['States.TaskFailed'], {
      Parameters: { StateMachineArn: child.arn, Input: {} },
    });
    const run = await wf.run({}, { workflows: [child] });
    expect(run.path).toEqual(['Call', 'Compensate']);
    const cause = JSON.parse((run.output as { Cause: string }).Cause);
    expect(cause).toMatchObject({ Error: 'Child.Broke', Cause: 'no', Status: 'FAILED' });
    expect(Object.keys(cause)).toEqual([...Object.keys(cause)].sort());
  });
});

describe('a .sync answer with no job state, in the jest harness', () => {
  const glue = () => Workflow.fromDefinition({
    StartAt: 'Transform',
    States: { Transform: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: 'etl' }, End: true } },
  } as StateMachineDefinition);
  const stateless = /gives no job state at JobRunState: a arn:aws:states:::glue:startJobRun\.sync Task answers once its job has ended/;

  it('succeeds with it as the Task\'s result and tells it, whether a value, succeed() or a function gave it', async () => {
    for (const mock of [{ JobRunId: 'jr_1' }, succeed({ JobRunId: 'jr_1' }), () => ({ JobRunId: 'jr_1' })]) {
      const run = await glue().run({}, { mocks: { Transform: mock } });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toEqual({ JobRunId: 'jr_1' });
      expect(run.advice?.map((a) => a.message)).toEqual([expect.stringMatching(stateless)]);
    }
  });

  it('does not tell it of the Task\'s input given back (unmocked: input), which stands for no service\'s answer', async () => {
    const run = await glue().run({ day: 1 }, { unmocked: 'input' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice ?? []).toEqual([]);
  });
});

describe('a callback\'s call answer, in the jest harness', () => {
  it('fails ecs:runTask.waitForTaskToken whose submitted answer has Failures with AmazonECS.Unknown, before any TaskSubmitted', async () => {
    const wf = caught('arn:aws:states:::ecs:runTask.waitForTaskToken', ['AmazonECS.Unknown'], {
      Parameters: { Cluster: 'c', TaskDefinition: 't', Overrides: { ContainerOverrides: [{ Name: 'app', Environment: [{ 'Name': 'TOKEN', 'Value.$': '$$.Task.Token' }] }] } },
    });
    const run = await wf.run({}, { mocks: { Call: succeed({ done: true }, { submitted: { Failures: [{ Reason: 'RESOURCE:CPU' }], Tasks: [] } }) } });
    expect(run.path).toEqual(['Call', 'Compensate']);
    expect(run.history.map((e) => e.type)).not.toContain('TaskSubmitted');
    const ok = await wf.run({}, { mocks: { Call: succeed({ done: true }, { submitted: { Failures: [], Tasks: [{ LastStatus: 'PROVISIONING' }] } }) } });
    expect(ok.path).toEqual(['Call']);
    expect(ok.output).toEqual({ done: true });
  });
});
