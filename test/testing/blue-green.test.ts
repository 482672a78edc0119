import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Deployment, StateMachineAlias, StateMachineVersion, Task, type LambdaPin } from '../../src';
import { byLambdaVersion, PublishedVersions, succeed, Workflow } from '../../src/testing';

const CHARGE = 'arn:aws:lambda:us-east-1:123456789012:function:charge';

/**
 * One deploy of the Orders app: the Charge function's code and (from v2 on)
 * an extra state. Each call is a fresh synth, as each `cdk deploy` is.
 */
function deploy(release: 'v1' | 'v2', pin?: LambdaPin): Stack {
  const app = new App();
  const stack = new Stack(app, 'Orders');
  const charge = new lambda.Function(stack, 'Charge', {
    functionName: 'charge',
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(`exports.handler = async () => ({ chargedBy: '${release}' });`),
  });
  const notify = new lambda.Function(stack, 'Notify', {
    functionName: 'notify',
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
  const approve = Task.lambdaCallback(stack, 'Approve', {
    lambdaFunction: notify,
    payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
    taskTimeout: sfn.Timeout.duration(Duration.days(7)),
    resultPath: sfn.JsonPath.DISCARD,
  });
  const chargeTask = Task.lambdaInvoke(stack, 'Charge card', { lambdaFunction: charge, ...(pin !== undefined ? { pin } : {}) });
  const chain = release === 'v1' ? approve.next(chargeTask) : approve.next(chargeTask).next(new sfn.Pass(stack, 'Audit'));
  const machine = new sfn.StateMachine(stack, 'Machine', { stateMachineName: 'orders', definitionBody: sfn.DefinitionBody.fromChainable(chain) });
  const version = new StateMachineVersion(stack, 'Version', { stateMachine: machine, description: release });
  const failures = new cloudwatch.Alarm(stack, 'Failures', { metric: version.metricFailed(), threshold: 1, evaluationPeriods: 1 });
  new StateMachineAlias(stack, 'Live', {
    aliasName: 'live',
    version,
    deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(10), alarms: [failures] }),
  });
  return stack;
}

/** The Charge function as Lambda runs it: each published version keeps its code; $LATEST is the code deployed last. */
const chargeByVersion = byLambdaVersion({
  1: () => ({ chargedBy: 'v1' }),
  2: () => ({ chargedBy: 'v2' }),
  $LATEST: () => ({ chargedBy: 'v2' }),
});

describe('blue-green: an execution in flight across a deploy', () => {
  it('finishes on version 1 (and Lambda version 1) while a new execution through the alias runs version 2', async () => {
    const published = new PublishedVersions();
    const before = Workflow.fromStack(deploy('v1'), { alias: 'live', publishedVersions: published });
    const inFlight = before.start({ orderId: 'o-1' }, { mocks: { [CHARGE]: chargeByVersion } });
    const token = await inFlight.waitForTask('Approve');

    const after = Workflow.fromStack(deploy('v2'), { alias: 'live', publishedVersions: published });
    const fresh = await after.run({ orderId: 'o-2' }, { mocks: { Approve: succeed({}), [CHARGE]: chargeByVersion } });

    inFlight.sendTaskSuccess(token, { approved: true });
    const old = await inFlight.result;

    expect(before.arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:orders:live');
    expect(before.qualifier?.version.number).toBe(1);
    expect(after.qualifier?.version.number).toBe(2);
    expect(before.qualifier?.version.description).toBe('v1');
    expect(old.status).toBe('SUCCEEDED');
    expect(old.path).toEqual(['Approve', 'Charge card']);
    expect(old.output).toEqual({ chargedBy: 'v1' });
    expect(fresh.status).toBe('SUCCEEDED');
    expect(fresh.path).toEqual(['Approve', 'Charge card', 'Audit']);
    expect(fresh.output).toEqual({ chargedBy: 'v2' });
  });

  it('keeps an unchanged function on its version number across deploys (Notify stays :1 while Charge moves to :2)', () => {
    const published = new PublishedVersions();
    const before = Workflow.fromStack(deploy('v1'), { alias: 'live', publishedVersions: published });
    const after = Workflow.fromStack(deploy('v2'), { alias: 'live', publishedVersions: published });
    const lambdaArns = (wf: Workflow) => [...wf.resources.keys()].filter((arn) => arn.includes(':lambda:')).sort();
    expect(lambdaArns(before)).toEqual([`${CHARGE}:1`, 'arn:aws:lambda:us-east-1:123456789012:function:notify:1']);
    expect(lambdaArns(after)).toEqual([`${CHARGE}:2`, 'arn:aws:lambda:us-east-1:123456789012:function:notify:1']);
  });

  it('without pinning (pin: false), the execution in flight calls $LATEST, which after the deploy is the new code', async () => {
    const before = Workflow.fromStack(deploy('v1', false), { alias: 'live' });
    const inFlight = before.start({ orderId: 'o-1' }, { mocks: { [CHARGE]: chargeByVersion } });
    const token = await inFlight.waitForTask('Approve');
    inFlight.sendTaskSuccess(token, {});
    const old = await inFlight.result;
    expect(old.path).toEqual(['Approve', 'Charge card']);
    expect(old.output).toEqual({ chargedBy: 'v2' });
  });
});
