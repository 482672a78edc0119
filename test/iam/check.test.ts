import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { accessDeniedError, checkRolePermissions, PermissionCodes, type PolicyStatement, type RolePolicies } from '../../src/iam';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Charge';
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders';

function role(...statements: PolicyStatement[]): RolePolicies {
  return { roleArn: 'arn:aws:iam::123456789012:role/OrdersRole', statements: statements.map((statement, i) => ({ statement, source: `AWS::IAM::Policy P${i}` })), opaquePolicies: [] };
}

const definition: StateMachineDefinition = {
  StartAt: 'Charge',
  States: {
    Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FN, 'Payload.$': '$' }, Next: 'Fan' },
    Fan: {
      Type: 'Parallel',
      End: true,
      Branches: [
        { StartAt: 'Save', States: { Save: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Orders', Item: {} }, End: true } } },
      ],
    },
  },
};

describe('checkRolePermissions', () => {
  it('finds nothing to report when the role allows every Task', () => {
    const report = checkRolePermissions(definition, role(
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [FN, `${FN}:*`] },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE },
    ), { stateMachineArn: SM });
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.checks.map((c) => `${c.state} ${c.action} ${c.decision}`)).toEqual(['Charge lambda:InvokeFunction allowed', 'Save dynamodb:PutItem allowed']);
  });

  it('reports a missing permission of a Task inside a Parallel branch as an error, with its location and the statement to add', () => {
    const report = checkRolePermissions(definition, role({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN }), { stateMachineArn: SM });
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({
      code: PermissionCodes.MISSING_PERMISSION,
      severity: 'error',
      state: 'Save',
      location: '/States/Fan/Branches/0/States/Save',
      action: 'dynamodb:PutItem',
      resource: TABLE,
    })]);
    const fix = report.findings[0].fix!;
    expect(fix).toContain(JSON.stringify({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE }));
    expect(fix).toContain('table.grantReadWriteData(stateMachine)');
  });

  it('reports an explicitly denied permission as DENIED_PERMISSION, naming the Deny', () => {
    const report = checkRolePermissions(definition, role(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' },
    ), { stateMachineArn: SM });
    const denied = report.findings.filter((f) => f.code === PermissionCodes.DENIED_PERMISSION);
    expect(denied).toHaveLength(1);
    expect(denied[0].message).toContain('AWS::IAM::Policy P1');
  });

  it('warns about a statement that allows every action', () => {
    const report = checkRolePermissions(definition, role({ Effect: 'Allow', Action: '*', Resource: '*' }), { stateMachineArn: SM });
    expect(report.ok).toBe(true);
    expect(report.findings.filter((f) => f.code === PermissionCodes.OVER_BROAD_GRANT).map((f) => f.message))
      .toEqual(expect.arrayContaining([expect.stringContaining('allows *')]));
  });

  it('warns when a permission a Task needs on one resource is granted on every resource (`Resource: "*"`)', () => {
    const report = checkRolePermissions(definition, role(
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE },
    ), { stateMachineArn: SM });
    expect(report.findings).toEqual([expect.objectContaining({ code: PermissionCodes.OVER_BROAD_GRANT, severity: 'warning', state: 'Charge', fix: `scope the statement's Resource to ${FN}` })]);
  });

  it('does not call a `Resource: "*"` grant over-broad when a condition narrows it', () => {
    const http: StateMachineDefinition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: { ApiEndpoint: 'https://api.example.com/v1/items', Method: 'GET', Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/api/1' } }, End: true } } };
    const report = checkRolePermissions(http, role(
      { Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: '*', Condition: { StringLike: { 'states:HTTPEndpoint': 'https://api.example.com/v1/*' } } },
      { Effect: 'Allow', Action: 'events:RetrieveConnectionCredentials', Resource: 'arn:aws:events:us-east-1:123456789012:connection/api/1' },
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: 'arn:aws:secretsmanager:*:*:secret:events!connection/*' },
    ), { stateMachineArn: SM });
    expect(report.checks[0]).toEqual(expect.objectContaining({ action: 'states:InvokeHTTPEndpoint', decision: 'allowed' }));
    expect(report.findings.filter((f) => f.code === PermissionCodes.OVER_BROAD_GRANT)).toEqual([]);
  });

  it('names the AccessDenied of an HTTP Task with the prefix of its other errors, States.Http, as the catalogue row says', () => {
    // The page and prefix are the catalogue's (asl/integrations.ts): call-https-apis.html, whose "HTTP Task errors" are
    // States.Http.Socket and States.Http.StatusCode.<status>. The IAM table once said States, the contracts States.Http.
    const http: StateMachineDefinition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: { ApiEndpoint: 'https://api.example.com/v1/items', Method: 'GET' }, End: true } } };
    const report = checkRolePermissions(http, role({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN }), { stateMachineArn: SM });
    const denied = report.checks.find((c) => c.action === 'states:InvokeHTTPEndpoint')!;
    expect(denied.decision).not.toBe('allowed');
    expect(accessDeniedError(denied).error).toBe('States.Http.AccessDeniedException');
  });

  it('reports an unqualified grant as missing when the Task invokes a Lambda alias', () => {
    const aliased: StateMachineDefinition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: `${FN}:live` }, End: true } } };
    const report = checkRolePermissions(aliased, role({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN }), { stateMachineArn: SM });
    expect(report.findings.map((f) => f.code)).toEqual([PermissionCodes.MISSING_PERMISSION]);
  });

  it('reports a missing optional permission (Map Run redrive) as a warning, not an error', () => {
    const dmap: StateMachineDefinition = { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } } };
    const report = checkRolePermissions(dmap, role({ Effect: 'Allow', Action: 'states:StartExecution', Resource: SM }), { stateMachineArn: SM });
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([expect.objectContaining({ code: PermissionCodes.MISSING_OPTIONAL_PERMISSION, severity: 'warning', action: 'states:RedriveExecution' })]);
  });

  it('warns about an integration it does not know, naming it, instead of guessing its permissions', () => {
    const unknown: StateMachineDefinition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::glue:startCrawler', End: true } } };
    const report = checkRolePermissions(unknown, role(), { stateMachineArn: SM });
    expect(report.checks).toEqual([]);
    expect(report.findings).toEqual([expect.objectContaining({ code: PermissionCodes.UNKNOWN_INTEGRATION, severity: 'warning', state: 'T', message: expect.stringContaining("'glue:startCrawler'") })]);
  });

  it('says an eks:call is authorized by the Kubernetes API of the cluster, not IAM, instead of passing it silently', () => {
    const call: StateMachineDefinition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::eks:call', Parameters: { ClusterName: 'c', Method: 'GET', Path: '/api' }, End: true } } };
    const report = checkRolePermissions(call, role(), { stateMachineArn: SM });
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([expect.objectContaining({ code: PermissionCodes.CANNOT_CHECK, severity: 'info', state: 'T', message: expect.stringContaining('Kubernetes') })]);
  });

  it('reports one ROLE_NOT_CHECKABLE warning, and no errors, for a role it cannot read', () => {
    const report = checkRolePermissions(definition, { statements: [], opaquePolicies: [], notCheckable: 'the role is imported' }, { stateMachineArn: SM });
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([expect.objectContaining({ code: PermissionCodes.ROLE_NOT_CHECKABLE, severity: 'warning' })]);
    expect(report.checks.every((c) => c.decision === 'unknown')).toBe(true);
  });

  it('reports "cannot check" (info) when the answer hangs on a managed policy outside the template', () => {
    const r: RolePolicies = { statements: [], opaquePolicies: ['managed policy arn:aws:iam::aws:policy/PowerUserAccess'] };
    const report = checkRolePermissions(definition, r, { stateMachineArn: SM });
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => `${f.code} ${f.severity}`)).toEqual(['CANNOT_CHECK info', 'CANNOT_CHECK info']);
  });

  it('needs sts:AssumeRole for a Task with Credentials, and leaves its own call to the assumed role', () => {
    const other = 'arn:aws:iam::210987654321:role/Writer';
    const withCredentials: StateMachineDefinition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Credentials: { RoleArn: other }, Parameters: { TableName: 'Orders', Item: {} }, End: true } } };
    const report = checkRolePermissions(withCredentials, role(), { stateMachineArn: SM });
    expect(report.checks.map((c) => `${c.action} ${c.resource} ${c.decision}`)).toEqual([`sts:AssumeRole ${other} implicitDeny`, `dynamodb:PutItem ${TABLE} unknown`]);
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.action)).toEqual(['sts:AssumeRole']);
  });

  it('checks the Tasks inside a Map item processor', () => {
    const inMap: StateMachineDefinition = { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, End: true } } } } } };
    const report = checkRolePermissions(inMap, role(), { stateMachineArn: SM });
    expect(report.findings).toEqual([expect.objectContaining({ state: 'T', location: '/States/M/ItemProcessor/States/T', action: 'lambda:InvokeFunction' })]);
  });
});

// IAM matches `*` against any run of characters (IAM User Guide, "IAM JSON policy elements: Resource"):
// `arn:aws:s3:::input/*` holds every object of the bucket, whatever key an expression gives at run time.
describe('checkRolePermissions: an object of a fixed bucket whose key is an expression', () => {
  const reads = (resource: string, parameters: Record<string, unknown>): StateMachineDefinition => ({
    QueryLanguage: 'JSONata',
    StartAt: 'Read',
    States: { Read: { Type: 'Task', Resource: resource, Arguments: parameters, End: true } },
  } as StateMachineDefinition);
  const getObject = reads('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'input', Key: '{% $states.input.key %}' });
  const resultsGrant: PolicyStatement = { Sid: 'Results', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::results/*' };

  it('is allowed by a bucket/* grant, not CANNOT_CHECK', () => {
    const report = checkRolePermissions(getObject, role(resultsGrant, { Sid: 'Input', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::input/*' }), { stateMachineArn: SM });
    expect(report.findings).toEqual([]);
    expect(report.checks).toEqual([expect.objectContaining({ action: 's3:GetObject', resourcePrefix: 'arn:aws:s3:::input/', decision: 'allowed', decidedBy: ['AWS::IAM::Policy P1'] })]);
  });

  it.each([['arn:aws:s3:::*'], ['arn:aws:s3:::inp*'], ['*']])('is allowed by %s, which holds every object of the bucket', (grant) => {
    const report = checkRolePermissions(getObject, role({ Effect: 'Allow', Action: 's3:GetObject', Resource: grant }), { stateMachineArn: SM });
    expect(report.checks.map((c) => c.decision)).toEqual(['allowed']);
  });

  it('is missing, naming the bucket\'s objects and not the grant on another bucket, when only another bucket is granted', () => {
    const report = checkRolePermissions(getObject, role(resultsGrant), { stateMachineArn: SM });
    expect(report.findings).toEqual([expect.objectContaining({ code: 'MISSING_PERMISSION', action: 's3:GetObject', resource: 'arn:aws:s3:::input/*' })]);
    expect(report.findings[0].message).not.toContain('Results');
    expect(report.findings[0].fix).toContain(JSON.stringify({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::input/*' }));
  });

  it('cannot be checked against a grant on part of the bucket, and names that statement, not the one on another bucket', () => {
    const report = checkRolePermissions(getObject, role(resultsGrant, { Sid: 'Daily', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::input/daily/*' }), { stateMachineArn: SM });
    expect(report.findings).toEqual([expect.objectContaining({ code: 'CANNOT_CHECK', resource: 'arn:aws:s3:::input/*' })]);
    expect(report.findings[0].message).toContain("statement 'Daily' of AWS::IAM::Policy P1");
    expect(report.findings[0].message).not.toContain("'Results'");
  });

  it('is denied by a Deny on the whole bucket, and not by one on part of it alone', () => {
    const allow: PolicyStatement = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::input/*' };
    const whole = checkRolePermissions(getObject, role(allow, { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::input/*' }), { stateMachineArn: SM });
    expect(whole.checks.map((c) => c.decision)).toEqual(['denied']);
    const part = checkRolePermissions(getObject, role(allow, { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::input/secret/*' }), { stateMachineArn: SM });
    expect(part.checks.map((c) => c.decision)).toEqual(['unknown']);
    const other = checkRolePermissions(getObject, role(allow, { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::results/*' }), { stateMachineArn: SM });
    expect(other.checks.map((c) => c.decision)).toEqual(['allowed']);
  });

  it('does the same for a Distributed Map\'s ItemReader, and suggests narrowing a Resource "*" grant to the bucket\'s objects', () => {
    const map = {
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Arguments: { Bucket: 'input', Key: '{% $states.input.key %}' }, ReaderConfig: { InputType: 'JSON' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    } as StateMachineDefinition;
    const granted = checkRolePermissions(map, role(
      resultsGrant, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::input/*' }, { Effect: 'Allow', Action: 'states:StartExecution', Resource: SM },
    ), { stateMachineArn: SM });
    expect(granted.checks.find((c) => c.action === 's3:GetObject')).toMatchObject({ decision: 'allowed', resourcePrefix: 'arn:aws:s3:::input/' });
    const broad = checkRolePermissions(map, role({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), { stateMachineArn: SM });
    expect(broad.findings).toContainEqual(expect.objectContaining({ code: 'OVER_BROAD_GRANT', action: 's3:GetObject', fix: "scope the statement's Resource to arn:aws:s3:::input/*" }));
  });
});
