import type { JsonObject } from '../../src/asl';
import type { TaskState } from '../../src/asl/definition-types';
import { failureOutcomes, thrownOutcome } from '../../src/explore/contract-answers';
import { errorsNamedBy, Property, type RunProperty } from '../../src/explore/properties';
import { FAILURE_RUNS, failTasks, failureErrors, type AnsweredRun, type Observe } from '../../src/explore/verify-failures';
import type { WorkflowRun } from '../../src/testing/workflow';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';
import { stopExploreClock } from '../explore-clock';

/*
 * Task failures explore's search does not make, which verify makes to check a function of the
 * run: a Retry worn out by an error it names (the run fails with that error after every
 * attempt), and a Task failing with an error its service raises that a narrowed Catch lets out.
 * Each machine is the smallest that needs one; each counterexample is run again as a test would.
 */

stopExploreClock();

const INVOKE = 'arn:aws:states:::lambda:invoke';

/** The Cause of a Lambda function's failure verify makes: the error payload the Node.js runtime writes. */
const madeUpLambdaCause = (errorType: string): string =>
  JSON.stringify({ errorType, errorMessage: 'a failure stepwright made up for this call', trace: [] });

/** A charge retried on Payment.Throttled `maxAttempts` times, a declined card caught. */
function charge(maxAttempts: number): Workflow {
  return Workflow.fromDefinition({
    StartAt: 'Charge',
    States: {
      Charge: {
        Type: 'Task',
        Resource: INVOKE,
        Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
        Retry: [{ ErrorEquals: ['Payment.Throttled'], IntervalSeconds: 1, MaxAttempts: maxAttempts }],
        Catch: [{ ErrorEquals: ['Payment.Declined'], Next: 'Declined' }],
        Next: 'Done',
      },
      Declined: { Type: 'Fail', Error: 'Payment.Declined' },
      Done: { Type: 'Succeed' },
    },
  });
}

/** A run that fails throttled tried four times. */
const throttledTriedFour = (run: WorkflowRun) => run.error !== 'Payment.Throttled' || run.retries('Charge') === 3;

describe('verify fails Tasks in ways explore does not', () => {
  it('breaks a function of the run on a Retry worn out by the error it names, with a counterexample that reproduces', async () => {
    const wf = charge(1);
    const report = await wf.verify({ throttledTriedFour });
    const verdict = report.properties.throttledTriedFour;
    expect(verdict.verdict).toBe('VIOLATED');
    const { input, mocks } = verdict.counterexample!;
    expect(mocks).toEqual({ Charge: { Throw: { Error: 'Payment.Throttled', Cause: madeUpLambdaCause('Payment.Throttled') } } });
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'throttled') });
    expect({ error: run.error, retries: run.retries('Charge') }).toEqual({ error: 'Payment.Throttled', retries: 1 });
    expect(throttledTriedFour(run)).toBe(false);
  });

  it('does not break it where the Retry makes every attempt the property asks for', async () => {
    const report = await charge(3).verify({ throttledTriedFour });
    expect(report.properties.throttledTriedFour.verdict).toBe('UNKNOWN');
  });

  it('fails a Task with an error its service raises, which a Catch narrowed to States.Timeout lets out of a Parallel', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Checks',
      States: {
        Checks: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Identity', States: { Identity: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'identity' }, End: true } } }],
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Review' }],
          Next: 'Done',
        },
        Review: { Type: 'Succeed' },
        Done: { Type: 'Succeed' },
      },
    });
    const onlyStatesErrorsEscape = (run: WorkflowRun) => run.status !== 'FAILED' || run.error!.startsWith('States.');
    const verdict = (await wf.verify({ onlyStatesErrorsEscape })).properties.onlyStatesErrorsEscape;
    expect(verdict.verdict).toBe('VIOLATED');
    expect(verdict.counterexample!.error).toMatch(/^Lambda\./);
    const run = await wf.run(verdict.counterexample!.input, { mocks: mocksFromJson(verdict.counterexample!.mocks, 'escapes') });
    expect(run.error).toBe(verdict.counterexample!.error);
  });

  it('answers a Task the user\'s mocks give as they give it, in a run that fails another Task', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Quote',
      States: {
        Quote: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'quote' }, Next: 'Charge' },
        Charge: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'charge' },
          Retry: [{ ErrorEquals: ['Payment.Throttled'], MaxAttempts: 1 }],
          End: true,
        },
      },
    });
    const given = { Quote: { Return: { price: 7 } } };
    const verdict = (await wf.verify({ throttledTriedFour }, { mocks: given })).properties.throttledTriedFour;
    expect(verdict.verdict).toBe('VIOLATED');
    expect(verdict.counterexample!.mocks).toEqual({ ...given, Charge: { Throw: { Error: 'Payment.Throttled', Cause: madeUpLambdaCause('Payment.Throttled') } } });
  });
});

/** A charge whose Catch takes every error, logs it and fails the run with the error it caught. */
const RETHROW = Workflow.fromDefinition({
  StartAt: 'Charge',
  States: {
    'Charge': {
      Type: 'Task',
      Resource: INVOKE,
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Log failure' }],
      Next: 'Done',
    },
    'Log failure': { Type: 'Pass', Next: 'Rethrow' },
    'Rethrow': { Type: 'Fail', ErrorPath: '$.failure.Error' },
    'Done': { Type: 'Succeed' },
  },
});

describe('verify fails a Task with the errors the properties name', () => {
  it('breaks "never ends with PaymentDeclined" behind a States.ALL Catch, with no mocks naming the error, and the counterexample reproduces', async () => {
    const report = await RETHROW.verify({ neverDeclined: (run: WorkflowRun) => run.error !== 'PaymentDeclined' });
    const verdict = report.properties.neverDeclined;
    expect(verdict).toMatchObject({ verdict: 'VIOLATED', counterexample: { status: 'FAILED', error: 'PaymentDeclined', path: ['Charge', 'Log failure', 'Rethrow'] } });
    const { input, mocks } = verdict.counterexample!;
    expect(mocks).toEqual({ Charge: { Throw: { Error: 'PaymentDeclined', Cause: madeUpLambdaCause('PaymentDeclined') } } });
    const run = await RETHROW.run(input, { mocks: mocksFromJson(mocks, 'neverDeclined') });
    expect({ status: run.status, error: run.error, path: run.path }).toEqual({ status: 'FAILED', error: 'PaymentDeclined', path: ['Charge', 'Log failure', 'Rethrow'] });
  });

  it('takes the errors an endsWith names, and the string literals of a predicate that reads the error, but not state names nor statuses', () => {
    const states = new Set(['Charge', 'Done']);
    expect(errorsNamedBy(Property.endsWith({ errors: ['Payment.Declined'] }), states)).toEqual(['Payment.Declined']);
    const reads = Property.run((run) => run.status !== 'FAILED' || (run.error !== 'CardExpired' && !run.path.includes('Done')));
    expect(errorsNamedBy(reads as RunProperty<never>, states)).toEqual(['CardExpired']);
    const ignores = Property.run((run) => run.path.includes('Charge') || run.status === 'SUCCEEDED' || run.output === 'PaymentDeclined');
    expect(errorsNamedBy(ignores as RunProperty<never>, states)).toEqual([]);
  });

  it('fails only a Task whose errors are its own code\'s (a Lambda function, a worker) with a name the properties give', () => {
    const caught = { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }] };
    const lambda: TaskState = { Type: 'Task', Resource: INVOKE, End: true, ...caught };
    const table: TaskState = { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', End: true, ...caught };
    const worker: TaskState = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', End: true, ...caught };
    expect(failureErrors(lambda, ['PaymentDeclined', 'States.Runtime']).named).toEqual(['PaymentDeclined']);
    expect(failureErrors(worker, ['PaymentDeclined']).named).toEqual(['PaymentDeclined']);
    expect(failureErrors(table, ['PaymentDeclined']).named).toEqual([]);
  });

  it('fails with a name the properties give only a Task with a Retry or a Catch of its own', () => {
    const bare: TaskState = { Type: 'Task', Resource: INVOKE, End: true };
    const retried: TaskState = { Type: 'Task', Resource: INVOKE, End: true, Retry: [{ ErrorEquals: ['States.TaskFailed'] }] };
    expect(failureErrors(bare, ['PaymentDeclined']).named).toEqual([]);
    expect(failureErrors(retried, ['PaymentDeclined']).named).toEqual(['PaymentDeclined']);
  });

  it('leaves "never ends with PaymentDeclined" UNKNOWN when only a later function with no Retry or Catch could raise it', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Charge',
      States: {
        'Charge': {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'charge' },
          Catch: [{ ErrorEquals: ['PaymentDeclined'], Next: 'Declined' }],
          Next: 'Ask again',
        },
        'Ask again': { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'ask' }, End: true },
        'Declined': { Type: 'Succeed' },
      },
    });
    const verdict = (await wf.verify({ neverDeclined: (run: WorkflowRun) => run.error !== 'PaymentDeclined' })).properties.neverDeclined;
    expect(verdict.verdict).toBe('UNKNOWN');
  });
});

describe('the failures verify makes carry the Cause AWS gives with them', () => {
  /** A Task that catches `caught` into $.failure, then fails the run with the error and the Cause it caught. */
  const causeOut = (resource: string, parameters: JsonObject, caught: string) => Workflow.fromDefinition({
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: resource,
        Parameters: parameters,
        Catch: [{ ErrorEquals: [caught], ResultPath: '$.failure', Next: 'Report' }],
        Next: 'Done',
      },
      Report: { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
      Done: { Type: 'Succeed' },
    },
  });
  /** A run that fails does so with a Cause: true of every run AWS makes of these machines. */
  const failsWithACause = (run: WorkflowRun) => run.status !== 'FAILED' || typeof run.cause === 'string';

  it.each([
    ['a Lambda function: its runtime\'s error payload', INVOKE, { FunctionName: 'charge' }, 'Payment.Declined',
      (cause: string) => expect(JSON.parse(cause)).toEqual({ errorType: 'Payment.Declined', errorMessage: expect.any(String), trace: [] })],
    ['an AWS SDK integration: the SDK for Java 2.x\'s message', 'arn:aws:states:::aws-sdk:sfn:describeExecution',
      { ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e' }, 'Sfn.ExecutionDoesNotExistException',
      (cause: string) => expect(cause).toMatch(/ \(Service: Sfn, Status Code: 400, Request ID: [0-9a-f-]+\) \(SDK Attempt Count: 1\)$/)],
    ['an optimized integration: the SDK for Java 1.x\'s message', 'arn:aws:states:::dynamodb:getItem',
      { TableName: 't', Key: { id: { S: '1' } } }, 'DynamoDB.ResourceNotFoundException',
      (cause: string) => expect(cause).toMatch(/ \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]+; Proxy: null\)$/)],
  ])('%s, which a Catch\'s ResultPath and a Fail\'s CausePath read, and the counterexample reproduces', async (_kind, resource, parameters, caught, shaped) => {
    const wf = causeOut(resource, parameters, caught);
    const report = await wf.verify({ neverReported: Property.never('Report'), failsWithACause });
    // Without a Cause, the Fail's CausePath finds nothing and the run ends with States.Runtime, which AWS never gives here.
    expect(report.properties.failsWithACause.verdict).not.toBe('VIOLATED');
    const verdict = report.properties.neverReported;
    expect(verdict.verdict).toBe('VIOLATED');
    const { input, mocks } = verdict.counterexample!;
    expect(mocks).toEqual({ Call: { Throw: { Error: caught, Cause: expect.any(String) } } });
    const cause = (mocks.Call as { Throw: { Cause: string } }).Throw.Cause;
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'neverReported') });
    expect({ status: run.status, error: run.error, cause: run.cause, path: run.path }).toEqual({ status: 'FAILED', error: caught, cause, path: ['Call', 'Report'] });
    shaped(cause);
  });

  it('gives a timeout none, as AWS raises States.Timeout without one', () => {
    expect(thrownOutcome(INVOKE, 'States.Timeout')).toEqual({ kind: 'throw', error: 'States.Timeout' });
    expect(thrownOutcome('arn:aws:states:::sqs:sendMessage.waitForTaskToken', 'Worker.Failed')).toEqual({ kind: 'throw', error: 'Worker.Failed', cause: expect.any(String) });
  });

  it('makes a worker\'s failure with its Cause and without one, a function\'s or a timeout\'s one way only', () => {
    const callback = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
    expect(failureOutcomes(callback, 'Worker.Failed')).toEqual([{ kind: 'throw', error: 'Worker.Failed', cause: expect.any(String) }, { kind: 'throw', error: 'Worker.Failed' }]);
    expect(failureOutcomes('arn:aws:states:us-east-1:123456789012:activity:sign', 'States.TaskFailed')).toHaveLength(2);
    expect(failureOutcomes(callback, 'States.HeartbeatTimeout')).toEqual([{ kind: 'throw', error: 'States.HeartbeatTimeout' }]);
    expect(failureOutcomes(INVOKE, 'Worker.Failed')).toEqual([{ kind: 'throw', error: 'Worker.Failed', cause: expect.any(String) }]);
  });
});

describe('a worker\'s failure is tried without a Cause too', () => {
  /*
   * A callback's or an activity's worker reports its failure with SendTaskFailure, whose `error`
   * and `cause` are optional (AWS Step Functions API reference, SendTaskFailure: Request
   * Parameters): a run where the refusal comes with no Cause is one AWS makes, and there a Fail's
   * CausePath finds nothing and the run ends with States.Runtime.
   */
  const signoff = (resource: string, parameters?: JsonObject) => Workflow.fromDefinition({
    StartAt: 'Init',
    States: {
      // An object whatever the input, so the Catch's ResultPath cannot fail.
      'Init': { Type: 'Pass', Parameters: { 'contract.$': '$' }, Next: 'Request signature' },
      'Request signature': {
        Type: 'Task',
        Resource: resource,
        ...(parameters ? { Parameters: parameters } : {}),
        Catch: [
          { ErrorEquals: ['Signature.Refused'], ResultPath: '$.refusal', Next: 'Refused' },
          { ErrorEquals: ['States.ALL'], Next: 'Not signed' },
        ],
        Next: 'Signed',
      },
      'Refused': { Type: 'Fail', Error: 'Contract.Refused', CausePath: '$.refusal.Cause' },
      'Not signed': { Type: 'Fail', Error: 'Contract.NotSigned' },
      'Signed': { Type: 'Succeed' },
    },
  });
  const knownEnds = Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'], errors: ['Contract.Refused', 'Contract.NotSigned'] });

  it.each([
    ['a callback (.waitForTaskToken)', 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/signatures', MessageBody: { 'token.$': '$$.Task.Token' } }],
    ['an activity', 'arn:aws:states:us-east-1:123456789012:activity:sign', undefined],
  ])('VIOLATES a property over the ends of %s whose Fail reads the caught Cause, with a counterexample that reproduces', async (_kind, resource, parameters) => {
    const wf = signoff(resource, parameters);
    const verdict = (await wf.verify({ knownEnds })).properties.knownEnds;
    expect(verdict).toMatchObject({ verdict: 'VIOLATED', counterexample: { status: 'FAILED', error: 'States.Runtime', path: ['Init', 'Request signature', 'Refused'] } });
    const { input, mocks } = verdict.counterexample!;
    expect(mocks).toEqual({ 'Request signature': { Throw: { Error: 'Signature.Refused' } } });
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'knownEnds') });
    expect({ status: run.status, error: run.error, path: run.path }).toEqual({ status: 'FAILED', error: 'States.Runtime', path: ['Init', 'Request signature', 'Refused'] });
  });

  it('never makes a Lambda function\'s or a service\'s failure without one: the service always gives it', async () => {
    const wf = signoff(INVOKE, { FunctionName: 'sign' });
    const report = await wf.verify({ knownEnds, reachesRefused: Property.never('Refused') });
    expect(report.properties.reachesRefused.verdict).toBe('VIOLATED');
    expect(report.properties.knownEnds.verdict).not.toBe('VIOLATED');
  });
});

describe('the errors verify fails a Task with', () => {
  it('names first those its Retry names, then States.TaskFailed and a few its Catch and its service name', () => {
    const task: TaskState = {
      Type: 'Task',
      Resource: INVOKE,
      Retry: [{ ErrorEquals: ['Bank.Throttled', 'States.ALL'], MaxAttempts: 2 }, { ErrorEquals: ['Never'], MaxAttempts: 0 }],
      Catch: [{ ErrorEquals: ['Bank.Rejected', 'States.ALL'], Next: 'X' }],
      End: true,
    };
    const { retried, others } = failureErrors(task);
    expect(retried).toEqual(['Bank.Throttled']);
    expect(others.slice(0, 2)).toEqual(['States.TaskFailed', 'Bank.Rejected']);
    expect(others.length).toBe(4);
    expect(others.slice(2).every((e) => e.startsWith('Lambda.'))).toBe(true);
  });

  it('never fails a Task with States.Timeout it has no TimeoutSeconds for, nor with States.Runtime', () => {
    const task: TaskState = { Type: 'Task', Resource: INVOKE, Retry: [{ ErrorEquals: ['States.Timeout', 'States.Runtime', 'States.TaskFailed'] }], End: true };
    expect(failureErrors(task).retried).toEqual(['States.TaskFailed']);
    expect(failureErrors({ ...task, TimeoutSeconds: 5 }).retried).toEqual(['States.Timeout', 'States.TaskFailed']);
  });
});

describe('the failures verify makes are bounded', () => {
  it('makes none once the time budget is spent, and at most FAILURE_RUNS otherwise', async () => {
    const wf = charge(1);
    const runner = new HarnessRunner(wf, 0);
    const caller: AnsweredRun = { input: {}, calls: new Map([['Charge', [{ kind: 'return', value: {} }]]]) };
    const seen: string[] = [];
    const observe: Observe = (_input, _calls, result) => { seen.push(result.error ?? result.status); };
    await failTasks(runner, new Map([['Charge', caller]]), new Map(), observe, 100, () => true);
    expect(seen).toEqual([]);
    await failTasks(runner, new Map([['Charge', caller]]), new Map(), observe, 100);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThanOrEqual(FAILURE_RUNS);
    expect(seen).toContain('Payment.Throttled');
  });
});
