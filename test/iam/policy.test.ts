import { evaluate, type PolicyStatement, type RolePolicies } from '../../src/iam';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Charge';

function role(...statements: PolicyStatement[]): RolePolicies {
  return { statements: statements.map((statement, i) => ({ statement, source: `policy ${i}` })), opaquePolicies: [] };
}

describe('policy evaluation', () => {
  it('allows an action a statement lists on the exact resource', () => {
    expect(evaluate(role({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN }), { action: 'lambda:InvokeFunction', resource: FN }).decision).toBe('allowed');
  });

  it('denies implicitly when no statement allows the action', () => {
    expect(evaluate(role({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }), { action: 'lambda:InvokeFunction', resource: FN }).decision).toBe('implicitDeny');
  });

  it('lets an explicit Deny beat any Allow', () => {
    const r = role(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'lambda:InvokeFunction', Resource: FN },
    );
    const result = evaluate(r, { action: 'lambda:InvokeFunction', resource: FN });
    expect(result.decision).toBe('denied');
    expect(result.reason).toContain('policy 1');
  });

  it('matches actions case-insensitively, as IAM does', () => {
    expect(evaluate(role({ Effect: 'Allow', Action: 'athena:startQueryExecution', Resource: '*' }), { action: 'athena:StartQueryExecution', resource: 'x' }).decision).toBe('allowed');
  });

  it('matches resource ARNs case-sensitively', () => {
    expect(evaluate(role({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN.toLowerCase() }), { action: 'lambda:InvokeFunction', resource: FN }).decision).toBe('implicitDeny');
  });

  it('expands * and ? wildcards in actions', () => {
    expect(evaluate(role({ Effect: 'Allow', Action: 'dynamodb:*Item', Resource: '*' }), { action: 'dynamodb:PutItem', resource: 'x' }).decision).toBe('allowed');
    expect(evaluate(role({ Effect: 'Allow', Action: 'sqs:?endMessage', Resource: '*' }), { action: 'sqs:SendMessage', resource: 'x' }).decision).toBe('allowed');
    expect(evaluate(role({ Effect: 'Allow', Action: 'dynamodb:Get*', Resource: '*' }), { action: 'dynamodb:PutItem', resource: 'x' }).decision).toBe('implicitDeny');
  });

  it('expands wildcards in resource ARNs, so `fn:*` covers every qualifier but not the bare ARN', () => {
    const r = role({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `${FN}:*` });
    expect(evaluate(r, { action: 'lambda:InvokeFunction', resource: `${FN}:live` }).decision).toBe('allowed');
    expect(evaluate(r, { action: 'lambda:InvokeFunction', resource: FN }).decision).toBe('implicitDeny');
  });

  it('does not let a wildcard in an ARN cross into a regex: dots and brackets are literal', () => {
    const r = role({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a.b/*' });
    expect(evaluate(r, { action: 's3:GetObject', resource: 'arn:aws:s3:::aXb/k' }).decision).toBe('implicitDeny');
    expect(evaluate(r, { action: 's3:GetObject', resource: 'arn:aws:s3:::a.b/k' }).decision).toBe('allowed');
  });

  it('allows every action but those NotAction names', () => {
    const r = role({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    expect(evaluate(r, { action: 'sqs:SendMessage', resource: 'q' }).decision).toBe('allowed');
    expect(evaluate(r, { action: 'iam:PassRole', resource: 'r' }).decision).toBe('implicitDeny');
  });

  it('denies with NotResource every resource but those it names', () => {
    const r = role(
      { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
      { Effect: 'Deny', Action: 'sns:Publish', NotResource: 'arn:aws:sns:us-east-1:123456789012:Allowed' },
    );
    expect(evaluate(r, { action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:123456789012:Allowed' }).decision).toBe('allowed');
    expect(evaluate(r, { action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:123456789012:Other' }).decision).toBe('denied');
  });

  it('evaluates a condition on a key the request carries', () => {
    const r = role({ Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: '*', Condition: { StringEquals: { 'states:HTTPMethod': 'GET' }, StringLike: { 'states:HTTPEndpoint': 'https://api.example.com/*' } } });
    expect(evaluate(r, { action: 'states:InvokeHTTPEndpoint', resource: 'sm', context: { 'states:HTTPMethod': 'GET', 'states:HTTPEndpoint': 'https://api.example.com/items' } }).decision).toBe('allowed');
    expect(evaluate(r, { action: 'states:InvokeHTTPEndpoint', resource: 'sm', context: { 'states:HTTPMethod': 'POST', 'states:HTTPEndpoint': 'https://api.example.com/items' } }).decision).toBe('implicitDeny');
  });

  it('says which Allow of the action and resource a condition shut out, with the value it wanted and the one the request carries', () => {
    const r = role(
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' },
      { Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: 'arn:aws:states:us-east-1:123456789012:stateMachine:other', Condition: { StringEquals: { 'states:HTTPMethod': 'POST' } } },
      { Sid: 'Get', Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: '*', Condition: { StringEquals: { 'states:HTTPMethod': ['GET', 'HEAD'] } } },
    );
    const result = evaluate(r, { action: 'states:InvokeHTTPEndpoint', resource: 'sm', context: { 'states:HTTPMethod': 'POST' } });
    expect(result).toEqual({
      decision: 'implicitDeny',
      decidedBy: [],
      reason: "statement 'Get' of policy 2 allows it only if condition StringEquals on 'states:HTTPMethod' holds, and it does not: it names 'GET', 'HEAD', and here it is 'POST'",
    });
    const negated = role({ Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: '*', Condition: { StringNotEquals: { 'states:HTTPMethod': 'DELETE' } } });
    expect(evaluate(negated, { action: 'states:InvokeHTTPEndpoint', resource: 'sm', context: { 'states:HTTPMethod': 'DELETE' } }).reason)
      .toBe("a statement of policy 0 allows it only if condition StringNotEquals on 'states:HTTPMethod' holds, and it does not: here it is 'DELETE'");
    // No statement of the action and resource: nothing to name.
    expect(evaluate(r, { action: 'sns:Publish', resource: 't' })).toEqual({ decision: 'implicitDeny', decidedBy: [] });
  });

  it('cannot check an Allow whose condition is on a key without a value before run time', () => {
    const r = role({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': 'x' } } });
    const result = evaluate(r, { action: 'kms:Decrypt', resource: 'k' });
    expect(result.decision).toBe('unknown');
    expect(result.reason).toContain('kms:EncryptionContext');
  });

  it('ignores a condition ending in IfExists when the key is absent', () => {
    const r = role({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } } });
    expect(evaluate(r, { action: 'sqs:SendMessage', resource: 'q' }).decision).toBe('allowed');
  });

  it('cannot check an Allow when a conditional Deny may apply', () => {
    const r = role(
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' },
      { Effect: 'Deny', Action: 'sqs:SendMessage', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    );
    expect(evaluate(r, { action: 'sqs:SendMessage', resource: 'q' }).decision).toBe('unknown');
  });

  it('treats a condition operator it does not evaluate as "cannot check", not as a match', () => {
    const r = role({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
    expect(evaluate(r, { action: 'sqs:SendMessage', resource: 'q', context: { 'aws:SourceIp': '10.0.0.1' } }).decision).toBe('unknown');
  });

  it('allows a run-time resource only through Resource "*", and cannot check it against a named resource', () => {
    expect(evaluate(role({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }), { action: 'dynamodb:GetItem' }).decision).toBe('allowed');
    expect(evaluate(role({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/T' }), { action: 'dynamodb:GetItem' }).decision).toBe('unknown');
    expect(evaluate(role({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*' }), { action: 'dynamodb:GetItem' }).decision).toBe('implicitDeny');
  });

  it('cannot check an action no statement allows when a managed policy of unknown text is attached', () => {
    const r: RolePolicies = { statements: [], opaquePolicies: ['managed policy arn:aws:iam::aws:policy/AdministratorAccess'] };
    const result = evaluate(r, { action: 'sqs:SendMessage', resource: 'q' });
    expect(result.decision).toBe('unknown');
    expect(result.reason).toContain('AdministratorAccess');
  });

  it('answers "cannot check" for every request on a role it cannot read', () => {
    const r: RolePolicies = { statements: [], opaquePolicies: [], notCheckable: 'imported role' };
    expect(evaluate(r, { action: 'sqs:SendMessage', resource: 'q' })).toEqual({ decision: 'unknown', decidedBy: [], reason: 'imported role' });
  });

  it('names the statements that allowed a request', () => {
    const r = role({ Effect: 'Allow', Sid: 'Invoke', Action: ['lambda:InvokeFunction'], Resource: [FN, `${FN}:*`] });
    expect(evaluate(r, { action: 'lambda:InvokeFunction', resource: FN }).decidedBy.map((s) => s.statement.Sid)).toEqual(['Invoke']);
  });
});

describe('policy variables', () => {
  const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/';
  const put = (resource: string | string[], extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: resource, ...extra });
  const decide = (r: RolePolicies, resource: string, context?: Record<string, string>): string => evaluate(r, { action: 'dynamodb:PutItem', resource, context }).decision;

  it('cannot check a Resource whose variable could name the resource, and names the variable', () => {
    const result = evaluate(role(put(`${TABLE}\${aws:PrincipalTag/team}`)), { action: 'dynamodb:PutItem', resource: `${TABLE}Orders` });
    expect(result.decision).toBe('unknown');
    expect(result.reason).toContain('the policy variable ${aws:PrincipalTag/team} in Resource');
  });

  it('denies when no value of the variable could make the Resource match', () => {
    expect(decide(role(put(`${TABLE}audit-\${aws:username}`)), `${TABLE}Orders`)).toBe('implicitDeny');
  });

  it('evaluates a variable whose key the request carries, case-insensitively, as IAM does', () => {
    const r = role(put(`${TABLE}\${AWS:PrincipalTag/Team}`));
    expect(decide(r, `${TABLE}Orders`, { 'aws:PrincipalTag/Team': 'Orders' })).toBe('allowed');
    expect(decide(r, `${TABLE}Orders`, { 'aws:PrincipalTag/Team': 'Audit' })).toBe('implicitDeny');
  });

  it('reads ${*}, ${?} and ${$} as those characters, not as wildcards', () => {
    const r = role(put(`${TABLE}a\${*}b\${?}\${$}`));
    expect(decide(r, `${TABLE}a*b?$`)).toBe('allowed');
    expect(decide(r, `${TABLE}axxbz$`)).toBe('implicitDeny');
  });

  it('cannot check a variable with a default value either: whether the key is present is known only at run time', () => {
    expect(decide(role(put(`${TABLE}\${aws:PrincipalTag/team, 'Orders'}`)), `${TABLE}Orders`)).toBe('unknown');
  });

  it('reads ${...} as literal text in a policy of Version 2008-10-17', () => {
    const r: RolePolicies = { statements: [{ statement: put(`${TABLE}\${aws:PrincipalTag/team}`), source: 'p', policyVersion: '2008-10-17' }], opaquePolicies: [] };
    expect(decide(r, `${TABLE}Orders`)).toBe('implicitDeny');
    expect(decide(r, `${TABLE}\${aws:PrincipalTag/team}`)).toBe('allowed');
  });

  it('cannot check a NotResource with a variable that may exclude the resource', () => {
    const r = role({ Effect: 'Allow', Action: 'dynamodb:PutItem', NotResource: `${TABLE}\${aws:PrincipalTag/team}` });
    expect(decide(r, `${TABLE}Orders`)).toBe('unknown');
    expect(decide(r, 'arn:aws:s3:::bucket')).toBe('allowed');
  });

  it('cannot check a condition that compares with a variable, unless another value already decides it', () => {
    const condition = (values: string[]) => role(put('*', { Condition: { StringEquals: { 'states:HTTPMethod': values } } }));
    expect(decide(condition(['${aws:PrincipalTag/method}']), 'x', { 'states:HTTPMethod': 'GET' })).toBe('unknown');
    expect(decide(condition(['GET', '${aws:PrincipalTag/method}']), 'x', { 'states:HTTPMethod': 'GET' })).toBe('allowed');
    expect(decide(condition(['${aws:PrincipalTag/method}']), 'x', { 'states:HTTPMethod': 'GET', 'aws:PrincipalTag/method': 'POST' })).toBe('implicitDeny');
  });
});
