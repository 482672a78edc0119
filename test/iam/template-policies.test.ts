import { App, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { renderStateMachine } from '../../src/constructs/rendered-machine';
import { checkRolePermissions, PermissionCodes, rolePoliciesFromTemplate, type PermissionReport } from '../../src/iam';
import { checkPermissions } from '../../src/testing';

/** A template: one state machine whose definition is `states`, and a role with `statements` (CloudFormation values). */
interface Extra { resources?: object; role?: object; conditions?: object; parameters?: object }

function template(states: object, statements: unknown[], extra: Extra = {}): object {
  return {
    ...(extra.conditions ? { Conditions: extra.conditions } : {}),
    ...(extra.parameters ? { Parameters: extra.parameters } : {}),
    Resources: {
      Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, ...extra.role } },
      Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Version: '2012-10-17', Statement: statements } } },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, DefinitionString: { 'Fn::ToJsonString': { StartAt: Object.keys(states)[0], States: states } } },
      },
      ...extra.resources,
    },
  };
}

const A = 'arn:aws:';
const R = 'us-east-1:123456789012';
const findings = (r: PermissionReport, code?: string): string[] => r.findings.filter((f) => code === undefined || f.code === code).map((f) => `${f.severity} ${f.code} ${f.action ?? ''}`.trim());

describe('narrowing advice for a grant on every resource', () => {
  const submit = (queue: object) => ({
    Submit: { Type: 'Task', Resource: 'arn:aws:states:::batch:submitJob.sync', Parameters: { JobName: 'j', JobDefinition: `${A}batch:${R}:job-definition/render:1`, ...queue }, End: true },
  });
  const anyResource = { Effect: 'Allow', Action: 'batch:SubmitJob', Resource: '*' };
  const rule = { Effect: 'Allow', Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], Resource: `${A}events:${R}:rule/StepFunctionsGetEventsForBatchJobsRule` };

  it('never suggests narrowing SubmitJob to the job definition when the job queue comes from the input: it says why it stays `*`', () => {
    const [report] = checkPermissions(template(submit({ 'JobQueue.$': '$.jobQueueArn' }), [anyResource, rule]));
    expect(report.ok).toBe(true);
    const broad = report.findings.filter((f) => f.code === PermissionCodes.OVER_BROAD_GRANT);
    expect(broad).toEqual([expect.objectContaining({ severity: 'info', state: 'Submit', action: 'batch:SubmitJob' })]);
    expect(broad[0].message).toContain('cannot be narrowed');
    expect(broad[0].message).toContain('JobQueue comes from $.jobQueueArn at run time');
    expect(broad[0].fix).toBeUndefined();
  });

  it('suggests every resource the Task reaches, the job definition and the job queue, when both are static', () => {
    const [report] = checkPermissions(template(submit({ JobQueue: `${A}batch:${R}:job-queue/q` }), [anyResource, rule]));
    const broad = report.findings.filter((f) => f.code === PermissionCodes.OVER_BROAD_GRANT);
    expect(broad).toEqual([expect.objectContaining({ severity: 'warning', state: 'Submit' })]);
    expect(broad[0].fix).toBe(`scope the statement's Resource to ${JSON.stringify([`${A}batch:${R}:job-definition/render:1`, `${A}batch:${R}:job-queue/q`])}`);
  });

  it('counts every state the statement serves: narrowing it to one function would deny the other', () => {
    const states = {
      One: { Type: 'Task', Resource: `${A}lambda:${R}:function:one`, Next: 'Two' },
      Two: { Type: 'Task', Resource: `${A}lambda:${R}:function:two`, End: true },
    };
    const [report] = checkPermissions(template(states, [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' }]));
    const [broad] = report.findings.filter((f) => f.code === PermissionCodes.OVER_BROAD_GRANT);
    expect(broad.message).toContain("states 'One', 'Two' need lambda:InvokeFunction only on");
    expect(broad.fix).toBe(`scope the statement's Resource to ${JSON.stringify([`${A}lambda:${R}:function:one`, `${A}lambda:${R}:function:two`])}`);
  });

  it('suggests a statement of its own when the `*` statement also grants actions no state needs', () => {
    const states = { One: { Type: 'Task', Resource: `${A}lambda:${R}:function:one`, End: true } };
    const [report] = checkPermissions(template(states, [{ Effect: 'Allow', Action: ['lambda:InvokeFunction', 'xray:PutTraceSegments'], Resource: '*' }]));
    const [broad] = report.findings.filter((f) => f.code === PermissionCodes.OVER_BROAD_GRANT);
    expect(broad.fix).toBe(`grant lambda:InvokeFunction on ${A}lambda:${R}:function:one in a statement of its own (the statement also grants xray:PutTraceSegments)`);
  });
});

describe('iam:PassRole resolved from the template', () => {
  const taskDefinition = {
    TaskRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    TaskDef: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'web', TaskRoleArn: { 'Fn::GetAtt': ['TaskRole', 'Arn'] } } },
  };
  const run = (params: object) => ({ Run: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask', Parameters: { Cluster: 'c', ...params }, End: true } });
  const runTask = { Effect: 'Allow', Action: 'ecs:RunTask', Resource: { Ref: 'TaskDef' } };

  it('needs PassRole on the task role of the task definition the template defines, and names it when missing', () => {
    const [report] = checkPermissions(template(run({ TaskDefinition: { Ref: 'TaskDef' } }), [runTask], { resources: taskDefinition }));
    const missing = report.findings.filter((f) => f.severity === 'error');
    expect(missing).toEqual([expect.objectContaining({ code: PermissionCodes.MISSING_PERMISSION, action: 'iam:PassRole', resource: `${A}iam::123456789012:role/TaskRole` })]);
    expect(missing[0].message).toContain('AWS::ECS::TaskDefinition TaskDef');
  });

  it('passes once the role may pass it to ECS tasks, and a condition for another service does not count', () => {
    const pass = (service: string) => ({ Effect: 'Allow', Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': ['TaskRole', 'Arn'] }, Condition: { StringEquals: { 'iam:PassedToService': service } } });
    expect(checkPermissions(template(run({ TaskDefinition: { Ref: 'TaskDef' } }), [runTask, pass('ecs-tasks.amazonaws.com')], { resources: taskDefinition }))[0].ok).toBe(true);
    expect(checkPermissions(template(run({ TaskDefinition: { Ref: 'TaskDef' } }), [runTask, pass('lambda.amazonaws.com')], { resources: taskDefinition }))[0].ok).toBe(false);
  });

  it('needs no PassRole for a task definition without roles', () => {
    const bare = { TaskDef: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'web' } } };
    const [report] = checkPermissions(template(run({ TaskDefinition: { Ref: 'TaskDef' } }), [runTask], { resources: bare }));
    expect(report.checks.map((c) => c.action)).toEqual(['ecs:RunTask']);
    expect(report.ok).toBe(true);
  });

  it('also needs PassRole on a role Overrides names', () => {
    const [report] = checkPermissions(template(run({ TaskDefinition: { Ref: 'TaskDef' }, Overrides: { TaskRoleArn: `${A}iam::123456789012:role/Other` } }), [runTask, { Effect: 'Allow', Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': ['TaskRole', 'Arn'] } }], { resources: taskDefinition }));
    expect(findings(report, PermissionCodes.MISSING_PERMISSION)).toEqual(['error MISSING_PERMISSION iam:PassRole']);
    expect(report.findings[0].resource).toBe(`${A}iam::123456789012:role/Other`);
  });

  it('cannot check the roles of a task definition defined outside the template, and says why', () => {
    const [report] = checkPermissions(template(run({ TaskDefinition: `${A}ecs:${R}:task-definition/elsewhere:3` }), [
      { Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' }, { Effect: 'Allow', Action: 'iam:PassRole', Resource: `${A}iam::123456789012:role/Known` },
    ]));
    const info = report.findings.filter((f) => f.code === PermissionCodes.CANNOT_CHECK);
    expect(info).toEqual([expect.objectContaining({ action: 'iam:PassRole' })]);
    expect(info[0].message).toContain('task-definition/elsewhere:3 is not defined in this template');
  });

  it('compares a SageMaker name without regard to case: policies write it as given (MyJob*) or as its ARN holds it (myjob*)', () => {
    const train = { Train: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createTrainingJob', Parameters: { TrainingJobName: 'MyJob' }, End: true } };
    const grant = (name: string) => [{ Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: `${A}sagemaker:${R}:training-job/${name}` }];
    expect(checkPermissions(template(train, grant('MyJob*')))[0].ok).toBe(true);
    expect(checkPermissions(template(train, grant('myjob*')))[0].ok).toBe(true);
    expect(checkPermissions(template(train, grant('other*')))[0].ok).toBe(false);
  });

  it('needs PassRole on the role a SageMaker training job runs with, passed to SageMaker', () => {
    const train = { Train: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createTrainingJob', Parameters: { TrainingJobName: 'Nightly', RoleArn: { 'Fn::GetAtt': ['SageMakerRole', 'Arn'] } }, End: true } };
    const role = { SageMakerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } } };
    const create = { Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: `${A}sagemaker:${R}:training-job/nightly*` };
    expect(findings(checkPermissions(template(train, [create], { resources: role }))[0], PermissionCodes.MISSING_PERMISSION)).toEqual(['error MISSING_PERMISSION iam:PassRole']);
    const pass = { Effect: 'Allow', Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': ['SageMakerRole', 'Arn'] }, Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } };
    expect(checkPermissions(template(train, [create, pass], { resources: role }))[0].ok).toBe(true);
  });
});

describe('what a template can hide: conditions, imports, NotAction/NotResource, permissions boundaries', () => {
  const invoke = { Call: { Type: 'Task', Resource: `${A}lambda:${R}:function:fn`, End: true } };
  const allowInvoke = { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `${A}lambda:${R}:function:fn` };

  it('evaluates an Fn::If inside a statement by the condition the template decides', () => {
    const statement = { ...allowInvoke, Resource: { 'Fn::If': ['Prod', `${A}lambda:${R}:function:fn`, `${A}lambda:${R}:function:other`] } };
    const conditions = (env: string) => ({ Prod: { 'Fn::Equals': [env, 'prod'] } });
    expect(checkPermissions(template(invoke, [statement], { conditions: conditions('prod') }))[0].ok).toBe(true);
    expect(findings(checkPermissions(template(invoke, [statement], { conditions: conditions('dev') }))[0])).toEqual(['error MISSING_PERMISSION lambda:InvokeFunction']);
  });

  it('cannot check, naming why, a policy whose Fn::If hangs on a parameter without value', () => {
    const statement = { ...allowInvoke, Resource: { 'Fn::If': ['Prod', `${A}lambda:${R}:function:fn`, `${A}lambda:${R}:function:other`] } };
    const [report] = checkPermissions(template(invoke, [statement], { conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } }, parameters: { Env: { Type: 'String' } } }), { parameters: {} });
    expect(report.ok).toBe(true);
    expect(findings(report)).toEqual(['info CANNOT_CHECK lambda:InvokeFunction']);
    expect(report.findings[0].message).toContain("parameter 'Env'");
  });

  it('cannot check a statement whose Resource is an export of another stack, instead of calling the permission missing', () => {
    const statement = { ...allowInvoke, Resource: { 'Fn::ImportValue': 'SharedFunctionArn' } };
    const [report] = checkPermissions(template(invoke, [statement]));
    expect(findings(report)).toEqual(['info CANNOT_CHECK lambda:InvokeFunction']);
    expect(report.findings[0].message).toContain('SharedFunctionArn');
  });

  it('at cdk synth too: an imported value in a policy is "cannot check", not a stand-in that matches the stand-in of the definition', () => {
    const stack = new Stack(new App(), 'Synth');
    const imported = Fn.importValue('SharedFunctionArn');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [imported] }));
    const call = new sfn.CustomState(stack, 'Call', { stateJson: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: imported } } });
    const machine = new sfn.StateMachine(stack, 'Machine', { role, definitionBody: sfn.DefinitionBody.fromChainable(call) });
    const rendered = renderStateMachine(machine.node.defaultChild as CfnResource)!;
    const policies = rolePoliciesFromTemplate(rendered.template, { stateMachine: rendered.logicalId, resolve: rendered.resolve });
    expect(JSON.stringify(policies.statements)).not.toContain('imported-SharedFunctionArn');
    const definition = JSON.parse(rendered.definition as string) as StateMachineDefinition;
    const report = checkRolePermissions(definition, policies, { stateMachineArn: rendered.arn });
    expect(report.checks.map((c) => c.decision)).toEqual(['unknown']);
    expect(report.checks[0].reason).toContain('SharedFunctionArn');
  });

  it('reads NotAction and NotResource as IAM does', () => {
    expect(checkPermissions(template(invoke, [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }]))[0].ok).toBe(true);
    expect(checkPermissions(template(invoke, [{ Effect: 'Allow', NotAction: 'lambda:*', Resource: '*' }]))[0].ok).toBe(false);
    expect(checkPermissions(template(invoke, [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', NotResource: `${A}lambda:${R}:function:other` }]))[0].ok).toBe(true);
    expect(checkPermissions(template(invoke, [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', NotResource: `${A}lambda:${R}:function:fn` }]))[0].ok).toBe(false);
    expect(findings(checkPermissions(template(invoke, [allowInvoke, { Effect: 'Deny', Action: 'lambda:*', NotResource: `${A}lambda:${R}:function:other` }]))[0]))
      .toEqual(['error DENIED_PERMISSION lambda:InvokeFunction']);
  });

  it('limits the role to its permissions boundary: an action the boundary does not allow is missing, naming the boundary', () => {
    const boundary = (actions: string[]) => ({ Boundary: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } } } });
    const role = { PermissionsBoundary: { Ref: 'Boundary' } };
    expect(checkPermissions(template(invoke, [allowInvoke], { role, resources: boundary(['lambda:*']) }))[0].ok).toBe(true);
    const [report] = checkPermissions(template(invoke, [allowInvoke], { role, resources: boundary(['s3:*']) }));
    expect(findings(report)).toEqual(['error MISSING_PERMISSION lambda:InvokeFunction']);
    expect(report.findings[0].message).toContain('permissions boundary AWS::IAM::ManagedPolicy Boundary does not allow it');
  });

  it('cannot check what a boundary outside the template allows (an AWS managed policy), and says so', () => {
    const [report] = checkPermissions(template(invoke, [allowInvoke], { role: { PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' } }));
    expect(findings(report)).toEqual(['info CANNOT_CHECK lambda:InvokeFunction']);
    expect(report.findings[0].message).toContain('arn:aws:iam::aws:policy/PowerUserAccess');
    expect(report.findings[0].message).toContain('AWS managed policy');
  });
});
