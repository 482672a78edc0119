import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { InvalidDefinitionError } from '../../src/asl/validate';
import { PermissionCodes } from '../../src/iam';
import { checkPermissions, testState, toHaveTaskPermissions, Workflow } from '../../src/testing';

expect.extend({ toHaveTaskPermissions });

const matcherContext = { equals: (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b) };

/** A template with one Lambda-invoking machine whose role has the given policy statements (CloudFormation values). */
function template(statements: unknown[], roleExtra: object = {}, extraResources: object = {}): object {
  return {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'charge' } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, ...roleExtra } },
      Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Version: '2012-10-17', Statement: statements } } },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
          DefinitionString: {
            'Fn::Join': ['', [
              '{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:',
              { Ref: 'AWS::Partition' },
              ':states:::lambda:invoke","Parameters":{"FunctionName":"',
              { 'Fn::GetAtt': ['Fn', 'Arn'] },
              '"},"Next":"Save"},"Save":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","Parameters":{"TableName":"',
              { Ref: 'Table' },
              '","Item":{}},"End":true}}}',
            ]],
          },
        },
      },
      ...extraResources,
    },
  };
}

const invokeFn = { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, ':*']] }] };
const putItem = {
  Effect: 'Allow',
  Action: 'dynamodb:PutItem',
  Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}' },
};

function errors(t: object): string[] {
  return checkPermissions(t).flatMap((r) => r.findings.filter((f) => f.severity === 'error').map((f) => `${f.state} ${f.action}`));
}

describe('checkPermissions over a template', () => {
  it('resolves Ref, Fn::GetAtt, Fn::Join and Fn::Sub in policies to the same ARNs as the definition', () => {
    const [report] = checkPermissions(template([invokeFn, putItem]));
    expect(report.logicalId).toBe('Machine');
    expect(report.checks.map((c) => `${c.action} ${c.decision}`)).toEqual(['lambda:InvokeFunction allowed', 'dynamodb:PutItem allowed']);
    expect(report.ok).toBe(true);
  });

  it('finds the permission a removed statement granted', () => {
    expect(errors(template([invokeFn]))).toEqual(['Save dynamodb:PutItem']);
  });

  it("reads the role's inline policies", () => {
    expect(errors(template([invokeFn], { Policies: [{ PolicyName: 'inline', PolicyDocument: { Statement: [putItem] } }] }))).toEqual([]);
  });

  it('reads a customer managed policy of the template attached through ManagedPolicyArns', () => {
    const t = template([invokeFn], { ManagedPolicyArns: [{ Ref: 'Managed' }] }, {
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [putItem] } } },
    });
    expect(errors(t)).toEqual([]);
  });

  it('reads a customer managed policy of the template that names the role in Roles', () => {
    const t = template([invokeFn], {}, {
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [putItem] } } },
    });
    expect(errors(t)).toEqual([]);
  });

  it('reports "cannot check" instead of missing when an AWS managed policy is attached', () => {
    const [report] = checkPermissions(template([invokeFn], { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'] }));
    expect(report.ok).toBe(true);
    const save = report.findings.find((f) => f.state === 'Save')!;
    expect(save.code).toBe(PermissionCodes.CANNOT_CHECK);
    expect(save.message).toContain('AmazonDynamoDBFullAccess');
  });

  it('applies a Deny statement of another policy attached to the role', () => {
    const t = template([invokeFn, putItem], {}, {
      Guard: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'g', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' }] } } },
    });
    const [report] = checkPermissions(t);
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([PermissionCodes.DENIED_PERMISSION]);
  });

  it('ignores a policy attached to another role', () => {
    const t = template([invokeFn], {}, {
      Other: { Type: 'AWS::IAM::Role', Properties: {} },
      OtherPolicy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'o', Roles: [{ Ref: 'Other' }], PolicyDocument: { Statement: [putItem] } } },
    });
    expect(errors(t)).toEqual(['Save dynamodb:PutItem']);
  });

  it('cannot check a role imported from outside the template, and says so once', () => {
    const t = template([]) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    t.Resources.Machine.Properties.RoleArn = 'arn:aws:iam::123456789012:role/SharedRole';
    const [report] = checkPermissions(t);
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => f.code)).toEqual([PermissionCodes.ROLE_NOT_CHECKABLE]);
    expect(report.findings[0].message).toContain('arn:aws:iam::123456789012:role/SharedRole');
  });

  it('reports a statement that does not resolve as a policy it cannot read, not as a crash', () => {
    const t = template([invokeFn, { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::ImportValue': 'TableArn' } }]);
    const [report] = checkPermissions(t);
    expect(report.findings.find((f) => f.state === 'Save')?.code).toBe(PermissionCodes.CANNOT_CHECK);
  });

  it('reads an AWS::IAM::RolePolicy naming the role', () => {
    const t = template([invokeFn], {}, {
      Inline: { Type: 'AWS::IAM::RolePolicy', Properties: { PolicyName: 'i', RoleName: { Ref: 'Role' }, PolicyDocument: { Statement: [putItem] } } },
    });
    expect(errors(t)).toEqual([]);
  });

  it('finds the role when RoleArn is an ARN built by hand that equals the role resource', () => {
    const t = template([invokeFn, putItem]) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    t.Resources.Machine.Properties.RoleArn = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role}' };
    const [report] = checkPermissions(t);
    expect(report.findings).toEqual([]);
    expect(report.checks.every((c) => c.decision === 'allowed')).toBe(true);
  });

  it('picks one state machine with the stateMachine option', () => {
    expect(checkPermissions(template([invokeFn, putItem]), { stateMachine: 'Machine' })).toHaveLength(1);
  });
});

describe('checkPermissions over a template whose definition is not valid ASL', () => {
  it('refuses it with InvalidDefinitionError listing what is wrong, rather than checking a definition it never read', () => {
    const invalid = { Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { Definition: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 5, End: true } } } } } } };
    expect(() => checkPermissions(invalid)).toThrow(InvalidDefinitionError);
    expect(() => checkPermissions(invalid)).toThrow(/\/States\/T\/Resource \[SCHEMA_VALIDATION_FAILED\]/);
  });
});

describe('checkPermissions over a CDK stack', () => {
  /** A machine invoking one function directly (LambdaInvoke grants it) and another through its alias (a CustomState, granted by hand). */
  function stack(grantAlias: boolean): Stack {
    const s = new Stack(new App(), 'Orders');
    const code = lambda.Code.fromInline('exports.handler=async()=>({})');
    const fn = new lambda.Function(s, 'Charge', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code });
    const refund = new lambda.Function(s, 'Refund', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code });
    const alias = new lambda.Alias(s, 'Live', { aliasName: 'live', version: refund.currentVersion });
    const role = new iam.Role(s, 'MachineRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    // The function's ARN does not cover its alias: the mistake of aws-cdk#30265.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [refund.functionArn] }));
    if (grantAlias) alias.grantInvoke(role);
    const state = new sfn.CustomState(s, 'RefundAlias', { stateJson: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: alias.functionArn } } });
    const invoke = new tasks.LambdaInvoke(s, 'ChargeFn', { lambdaFunction: fn });
    new sfn.StateMachine(s, 'Machine', { role, definitionBody: sfn.DefinitionBody.fromChainable(invoke.next(state)) });
    return s;
  }

  it('finds the alias invocation that a grant on the function does not cover (aws-cdk#30265)', () => {
    const [report] = checkPermissions(stack(false));
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => `${f.state} ${f.resource}`)).toEqual([
      expect.stringMatching(/^RefundAlias arn:aws:lambda:.*:live$/),
    ]);
  });

  it('passes once the alias itself is granted', () => {
    expect(checkPermissions(stack(true))).toHaveTaskPermissions();
  });

  it('checks a workflow taken from a stack, as the matcher does', () => {
    const wf = Workflow.fromStack(stack(false));
    const report = checkPermissions(wf);
    expect(report.checks.map((c) => `${c.state} ${c.decision}`)).toEqual(['ChargeFn allowed', 'RefundAlias implicitDeny']);
  });
});

describe('toHaveTaskPermissions', () => {
  it('passes for a workflow whose role allows every Task', () => {
    expect(Workflow.fromTemplate(template([invokeFn, putItem]))).toHaveTaskPermissions();
  });

  it('fails naming the state, the permission and the fix when one is missing', () => {
    const result = toHaveTaskPermissions.call(matcherContext, Workflow.fromTemplate(template([invokeFn])));
    expect(result.pass).toBe(false);
    const message = result.message();
    expect(message).toContain("state 'Save' needs dynamodb:PutItem on arn:aws:dynamodb:us-east-1:123456789012:table/Table");
    expect(message).toContain('fix: add {"Effect":"Allow","Action":"dynamodb:PutItem"');
  });

  it('checks a workflow from a plain definition against the statements given', () => {
    const wf = Workflow.fromDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q' }, End: true } } });
    expect(wf).toHaveTaskPermissions({ statements: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:123456789012:q' }] });
    expect(wf).not.toHaveTaskPermissions({ statements: [] });
  });

  it('accepts the reports of checkPermissions', () => {
    expect(checkPermissions(template([invokeFn, putItem]))).toHaveTaskPermissions();
  });

  it('says what it expected when given something else', () => {
    expect(() => toHaveTaskPermissions.call(matcherContext, 42)).toThrow(/expected a workflow .* got 42/);
  });
});

describe('runs that fail a Task its role may not call', () => {
  it('fails the Task with the AccessDenied error AWS reports, before its mock runs, with permissions: true', async () => {
    const wf = Workflow.fromTemplate(template([invokeFn]));
    const mock = jest.fn(() => ({ saved: true }));
    const run = await wf.run({}, { mocks: { Charge: { ok: true }, Save: mock }, permissions: true });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('DynamoDB.AccessDeniedException');
    expect(run.cause).toBe('User: arn:aws:sts::123456789012:assumed-role/Role/StepFunctions-session is not authorized to perform: dynamodb:PutItem '
      + 'on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Table because no identity-based policy allows the dynamodb:PutItem action');
    expect(mock).not.toHaveBeenCalled();
  });

  it('runs every Task as mocked without the option', async () => {
    const run = await Workflow.fromTemplate(template([invokeFn])).run({}, { mocks: { Charge: { ok: true }, Save: {} } });
    expect(run.status).toBe('SUCCEEDED');
  });

  it('lets a Catch handle the AccessDenied error, as on AWS', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Save',
      States: {
        Save: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: 'x' }, Catch: [{ ErrorEquals: ['SQS.AccessDeniedException'], Next: 'Denied' }], End: true },
        Denied: { Type: 'Pass', End: true },
      },
    });
    const run = await wf.run({}, { mocks: { Save: {} }, permissions: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: '*' }] });
    expect(run.path).toEqual(['Save', 'Denied']);
  });
});

describe('testState with permissions', () => {
  const save = { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Orders', Item: {} }, End: true } as const;
  const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders';

  it('fails a Task the statements do not allow with the AccessDenied error', async () => {
    const result = await testState(save, '', {}, { mock: {}, permissions: [] });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('DynamoDB.AccessDeniedException');
    expect(result.cause).toContain(`not authorized to perform: dynamodb:PutItem on resource: ${table}`);
  });

  it('returns the mock when the statements allow the Task', async () => {
    const result = await testState(save, '', {}, { mock: { Attributes: { ok: { BOOL: true } } }, permissions: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: table }] });
    expect(result).toEqual(expect.objectContaining({ status: 'SUCCEEDED', output: { Attributes: { ok: { BOOL: true } } } }));
  });

  it('names an explicit deny in the cause', async () => {
    const result = await testState(save, '', {}, { mock: {}, permissions: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' }] });
    expect(result.cause).toContain('with an explicit deny in an identity-based policy');
  });
});

describe('reading statements from a template', () => {
  it('treats a statement whose values are not text as a policy it cannot read, not as a grant', () => {
    const t = template([invokeFn, { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { Unknown: 'thing' } }]);
    const [report] = checkPermissions(t);
    const save = report.findings.find((f) => f.state === 'Save')!;
    expect(save.code).toBe(PermissionCodes.CANNOT_CHECK);
    expect(save.message).toContain('statement 1 of AWS::IAM::Policy Policy');
  });
});

describe('roles and policies behind Fn::If, and policy variables', () => {
  const holds = { Conditions: { InProd: { 'Fn::Equals': ['prod', 'prod'] }, InDev: { 'Fn::Equals': ['prod', 'dev'] } } };
  const withConditions = (t: object, extra: object = holds): object => ({ ...t, ...extra });
  const noValue = { Ref: 'AWS::NoValue' };

  it("reads a role's ManagedPolicyArns wrapped in Fn::If whose condition holds", () => {
    const t = template([invokeFn], { ManagedPolicyArns: { 'Fn::If': ['InProd', [{ Ref: 'Managed' }], noValue] } }, {
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [putItem] } } },
    });
    expect(errors(withConditions(t))).toEqual([]);
  });

  it("reads a role's Policies wrapped in Fn::If whose condition holds, and an inline policy that is one", () => {
    const inline = { PolicyName: 'inline', PolicyDocument: { Statement: [putItem] } };
    expect(errors(withConditions(template([invokeFn], { Policies: { 'Fn::If': ['InProd', [inline], noValue] } })))).toEqual([]);
    expect(errors(withConditions(template([invokeFn], { Policies: [{ 'Fn::If': ['InProd', inline, noValue] }] })))).toEqual([]);
  });

  it('reads an AWS::IAM::Policy whose Roles is wrapped in Fn::If whose condition holds', () => {
    const t = template([invokeFn], {}, {
      Extra: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'x', Roles: { 'Fn::If': ['InProd', [{ Ref: 'Role' }], noValue] }, PolicyDocument: { Statement: [putItem] } } },
    });
    expect(errors(withConditions(t))).toEqual([]);
  });

  it('still finds the missing permission when the condition does not hold: the policy is not attached', () => {
    const t = template([invokeFn], { Policies: { 'Fn::If': ['InDev', [{ PolicyName: 'inline', PolicyDocument: { Statement: [putItem] } }], noValue] } }, {
      Extra: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'x', Roles: { 'Fn::If': ['InDev', [{ Ref: 'Role' }], noValue] }, PolicyDocument: { Statement: [putItem] } } },
    });
    expect(errors(withConditions(t))).toEqual(['Save dynamodb:PutItem']);
  });

  it('cannot check, naming why, a permission that hangs on a condition that cannot be evaluated (a parameter without a value)', () => {
    const t = withConditions(template([invokeFn], {}, {
      Extra: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'x', Roles: { 'Fn::If': ['IsProd', [{ Ref: 'Role' }], noValue] }, PolicyDocument: { Statement: [putItem] } } },
    }), { Parameters: { Stage: { Type: 'String' } }, Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } } });
    const [report] = checkPermissions(t);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const save = report.findings.find((f) => f.state === 'Save')!;
    expect(save.code).toBe(PermissionCodes.CANNOT_CHECK);
    expect(save.message).toContain('AWS::IAM::Policy Extra (its Roles do not resolve');
    expect(save.message).toContain("parameter 'Stage' has no Default");
  });

  it('cannot check a Resource with a policy variable (${aws:PrincipalTag/team}) instead of calling it missing', () => {
    const tagged = { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/${aws:PrincipalTag/team}' };
    const [report] = checkPermissions(template([invokeFn, tagged]));
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const save = report.findings.find((f) => f.state === 'Save')!;
    expect(save.code).toBe(PermissionCodes.CANNOT_CHECK);
    expect(save.message).toContain('${aws:PrincipalTag/team}');
  });

  it('reads ${!Literal} of Fn::Sub as the policy variable ${Literal}, and cannot check it either', () => {
    const tagged = { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${!aws:PrincipalTag/team}' } };
    const [report] = checkPermissions(template([invokeFn, tagged]));
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.findings.find((f) => f.state === 'Save')!.message).toContain('${aws:PrincipalTag/team}');
  });

  it('still finds a missing permission when no value of the variable could make the Resource match', () => {
    const other = { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/audit-${aws:PrincipalTag/team}' };
    expect(errors(template([invokeFn, other]))).toEqual(['Save dynamodb:PutItem']);
  });

  it('reads ${...} as literal text in a policy of Version 2008-10-17 (or none), as IAM does', () => {
    const t = template([invokeFn]) as { Resources: Record<string, { Properties: Record<string, any> }> };
    t.Resources.Policy.Properties.PolicyDocument = {
      Version: '2008-10-17',
      Statement: [invokeFn, { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/${aws:PrincipalTag/team}' }],
    };
    expect(errors(t)).toEqual(['Save dynamodb:PutItem']);
  });
});
