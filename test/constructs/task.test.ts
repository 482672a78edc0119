import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { render, synth } from './render';
import { Task } from '../../src/constructs/builders';

const J = sfn.QueryLanguage.JSONATA;
const fn = (s: Stack) => new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.h', code: lambda.Code.fromInline('x') });
const VERSION = expect.stringMatching(/^\$\{FnCurrentVersion\w+\}$/);
const TRANSIENT = {
  ErrorEquals: ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};

describe('Task.lambdaInvoke', () => {
  it('returns the payload (direct function ARN) and retries transient Lambda errors (JSONPath)', () => {
    const asl = render((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s).currentVersion, resultPath: '$.charge' }));
    expect(asl.States.Charge).toEqual({
      Type: 'Task', Resource: VERSION, ResultPath: '$.charge', End: true, Retry: [TRANSIENT], TimeoutSeconds: 1200,
    });
  });

  it('returns the payload and takes Arguments as the event (JSONata)', () => {
    const asl = render((s) => Task.lambdaInvoke(s, 'Charge', {
      queryLanguage: J, lambdaFunction: fn(s).currentVersion, payload: sfn.TaskInput.fromObject({ id: '{% $states.input.id %}' }),
    }), { queryLanguage: J });
    expect(asl.States.Charge).toEqual({
      Type: 'Task',
      Resource: VERSION,
      Arguments: { id: '{% $states.input.id %}' },
      End: true,
      Retry: [TRANSIENT],
      TimeoutSeconds: 1200,
    });
  });

  it('gives the invoke envelope with payloadOnly: false and no retry with transientErrorRetry: false', () => {
    const asl = render((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s).currentVersion, payloadOnly: false, transientErrorRetry: false }));
    expect(asl.States.Charge).toEqual({
      Type: 'Task',
      Resource: 'arn:${AWS::Partition}:states:::lambda:invoke',
      End: true,
      TimeoutSeconds: 1200,
      Parameters: { 'FunctionName': VERSION, 'Payload.$': '$' },
    });
  });

  it('refuses qualifier with payloadOnly, pointing at versions and aliases', () => {
    expect(() => render((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s), qualifier: 'live' })))
      .toThrow(/qualifier: Task 'Charge': 'qualifier' need\(s\) the full invoke response; set payloadOnly: false/);
  });

  it('warns when the function has no version or alias (pin: false)', () => {
    const { stack } = synth((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s), pin: false }));
    Annotations.fromStack(stack).hasWarning('/Test/Charge', Match.stringLikeRegexp("invokes Lambda 'Test/Fn' without a version or alias"));
  });

  it.each([
    ['a version', (s: Stack) => fn(s).currentVersion],
    ['an alias', (s: Stack) => new lambda.Alias(s, 'Live', { aliasName: 'live', version: fn(s).currentVersion })],
    ['a qualified imported ARN', (s: Stack) => lambda.Function.fromFunctionArn(s, 'Imp', 'arn:aws:lambda:us-east-1:123456789012:function:f:live')],
  ])('does not warn for %s', (_n, make) => {
    const { stack } = synth((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: make(s) }));
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('without a version or alias'));
  });
});

describe('Task.lambdaCallback', () => {
  it('renders lambda:invoke.waitForTaskToken with timeout and heartbeat', () => {
    const asl = render((s) => Task.lambdaCallback(s, 'Approve', {
      lambdaFunction: fn(s).currentVersion,
      payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
      taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
      heartbeatTimeout: sfn.Timeout.duration(Duration.minutes(5)),
    }));
    expect(asl.States.Approve).toEqual({
      Type: 'Task',
      Resource: 'arn:${AWS::Partition}:states:::lambda:invoke.waitForTaskToken',
      End: true,
      TimeoutSeconds: 3600,
      HeartbeatSeconds: 300,
      Retry: [TRANSIENT],
      Parameters: { FunctionName: VERSION, Payload: { 'token.$': '$$.Task.Token' } },
    });
  });

  it('accepts the JSONata task token', () => {
    const asl = render((s) => Task.lambdaCallback(s, 'Approve', {
      queryLanguage: J,
      lambdaFunction: fn(s).currentVersion,
      payload: sfn.TaskInput.fromObject({ token: '{% $states.context.Task.Token %}' }),
      taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    }), { queryLanguage: J });
    expect(asl.States.Approve.Arguments.Payload).toEqual({ token: '{% $states.context.Task.Token %}' });
  });

  it('fails when the payload lacks the task token', () => {
    expect(() => render((s) => Task.lambdaCallback(s, 'Approve', {
      lambdaFunction: fn(s).currentVersion, payload: sfn.TaskInput.fromObject({ id: 1 }), taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    }))).toThrow(/payload: Task 'Approve' waits for a task token but its payload does not contain it/);
  });

  it('fails without a task timeout', () => {
    expect(() => render((s) => Task.lambdaCallback(s, 'Approve', {
      lambdaFunction: fn(s).currentVersion, payload: sfn.TaskInput.fromObject({ t: sfn.JsonPath.taskToken }),
    } as any))).toThrow(/taskTimeout: Task 'Approve' waits for a task token but has no taskTimeout/);
  });
});

describe('Task in EXPRESS state machines', () => {
  it('fails synth for a callback, naming state and fix', () => {
    expect(() => render((s) => Task.snsPublish(s, 'Ask', {
      topic: new sns.Topic(s, 'T'),
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      message: sfn.TaskInput.fromObject({ t: sfn.JsonPath.taskToken }),
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }), { stateMachineType: sfn.StateMachineType.EXPRESS }))
      .toThrow(/State 'Ask' in EXPRESS state machine 'Test\/Machine' uses the callback pattern \(.waitForTaskToken\), which Express workflows do not support. Use stateMachineType: StateMachineType.STANDARD/);
  });

  it('fails synth for startExecution.sync:2', () => {
    expect(() => render((s) => Task.startExecution(s, 'Child', {
      stateMachine: sfn.StateMachine.fromStateMachineName(s, 'C', 'child'), taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    }), { stateMachineType: sfn.StateMachineType.EXPRESS })).toThrow(/State 'Child' .* uses the run-a-job pattern \(.sync\)/);
  });

  it('fails synth for an activity, even one built with plain aws-cdk-lib next to a stepwright task', () => {
    expect(() => render((s) => Task.dynamoGetItem(s, 'Get', {
      table: dynamodb.Table.fromTableName(s, 'Tbl', 't'), key: { id: tasks.DynamoAttributeValue.fromString('1') },
    }).next(new tasks.StepFunctionsInvokeActivity(s, 'Act', { activity: new sfn.Activity(s, 'A') })),
    { stateMachineType: sfn.StateMachineType.EXPRESS })).toThrow(/State 'Act' .* uses an activity/);
  });

  it('allows the same callback in a STANDARD machine', () => {
    const asl = render((s) => Task.startExecution(s, 'Child', {
      stateMachine: sfn.StateMachine.fromStateMachineName(s, 'C', 'child'), taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    }));
    expect(asl.States.Child.Resource).toBe('arn:${AWS::Partition}:states:::states:startExecution.sync:2');
  });
});

describe('Task timeouts', () => {
  const table = (s: Stack) => dynamodb.Table.fromTableName(s, 'Tbl', 't');
  const key = { id: tasks.DynamoAttributeValue.fromString('1') };
  const child = (s: Stack) => sfn.StateMachine.fromStateMachineName(s, 'C', 'child');

  it.each([
    ['lambdaInvoke', (s: Stack) => Task.lambdaInvoke(s, 'T', { lambdaFunction: fn(s).currentVersion })],
    ['snsPublish', (s: Stack) => Task.snsPublish(s, 'T', { topic: sns.Topic.fromTopicArn(s, 'Tp', 'arn:aws:sns:us-east-1:123456789012:t'), message: sfn.TaskInput.fromText('hi') })],
    ['dynamoPutItem', (s: Stack) => Task.dynamoPutItem(s, 'T', { table: table(s), item: key })],
    ['dynamoGetItem', (s: Stack) => Task.dynamoGetItem(s, 'T', { table: table(s), key })],
    ['dynamoUpdateItem', (s: Stack) => Task.dynamoUpdateItem(s, 'T', { table: table(s), key, updateExpression: 'SET a = :a' })],
    ['eventBridgePutEvents', (s: Stack) => Task.eventBridgePutEvents(s, 'T', { entries: [{ detail: sfn.TaskInput.fromObject({ a: 1 }), detailType: 'x', source: 'y' }] })],
    ['awsSdkCall', (s: Stack) => Task.awsSdkCall(s, 'T', { service: 's3', action: 'listBuckets', iamResources: ['*'] })],
    ['startExecution without waiting', (s: Stack) => Task.startExecution(s, 'T', { stateMachine: child(s), waitForCompletion: false })],
  ])('%s times out after DEFAULT_TASK_TIMEOUT (20 minutes) when it sets no timeout', (_name, build) => {
    expect(render(build).States.T.TimeoutSeconds).toBe(1200);
  });

  it('keeps the taskTimeout it is given', () => {
    const asl = render((s) => Task.dynamoGetItem(s, 'T', { table: table(s), key, taskTimeout: sfn.Timeout.duration(Duration.seconds(30)) }));
    expect(asl.States.T.TimeoutSeconds).toBe(30);
  });

  it('requires a taskTimeout when waiting for a child execution', () => {
    expect(() => render((s) => Task.startExecution(s, 'T', { stateMachine: child(s) })))
      .toThrow(/taskTimeout: Task 'T' waits for a child execution but has no taskTimeout.*Set taskTimeout/);
  });
});
