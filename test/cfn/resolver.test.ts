import { thrown } from './thrown';
import { TemplateResolver, type CfnTemplate, type ResolveScope, type ResourceRef, type TemplateResolverOptions } from '../../src/cfn/resolver';

const TEMPLATE: CfnTemplate = {
  Resources: {
    Charge: { Type: 'AWS::Lambda::Function', Properties: {} },
    Orders: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Jobs: { Type: 'AWS::SQS::Queue', Properties: {} },
  },
  Parameters: {
    Stage: { Type: 'String', Default: 'prod' },
    Secret: { Type: 'String' },
  },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
  },
  Mappings: { Sizes: { prod: { Memory: '1024' } } },
};

function scope(recorded?: Map<string, ResourceRef>): ResolveScope {
  return { stateMachine: 'Machine', location: 'Definition', record: (p, ref) => recorded?.set(p, ref) };
}

function resolve(value: unknown, options: TemplateResolverOptions = {}, template: CfnTemplate = TEMPLATE): unknown {
  return new TemplateResolver(template, options).resolve(value, scope());
}

describe('TemplateResolver: each intrinsic function', () => {
  it('resolves Ref to a resource as the value CloudFormation documents for its type, and records the resource behind it', () => {
    const recorded = new Map<string, ResourceRef>();
    const value = new TemplateResolver(TEMPLATE).resolve({ Ref: 'Jobs' }, scope(recorded));
    expect(value).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/Jobs');
    expect(recorded.get(value as string)).toEqual({ logicalId: 'Jobs', resourceType: 'AWS::SQS::Queue', attribute: 'Ref' });
  });

  it('resolves Ref to a pseudo parameter and to a template parameter', () => {
    expect(resolve([{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { Ref: 'Stage' }])).toEqual(['us-east-1', '123456789012', 'prod']);
  });

  it('resolves Fn::GetAtt Arn to an ARN shaped like the real one, in both the list and the dotted form', () => {
    expect(resolve({ 'Fn::GetAtt': ['Charge', 'Arn'] })).toBe('arn:aws:lambda:us-east-1:123456789012:function:Charge');
    expect(resolve({ 'Fn::GetAtt': 'Orders.Arn' })).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/Orders');
  });

  it('resolves Fn::Join, Fn::Sub (with and without a variable map), Fn::Select and Fn::Split', () => {
    expect(resolve({ 'Fn::Join': ['/', ['a', { Ref: 'Stage' }]] })).toBe('a/prod');
    expect(resolve({ 'Fn::Sub': '${AWS::Region}:${Charge.Arn}:${!Literal}' })).toBe('us-east-1:arn:aws:lambda:us-east-1:123456789012:function:Charge:${Literal}');
    expect(resolve({ 'Fn::Sub': ['${Name}-x', { Name: { Ref: 'Stage' } }] })).toBe('prod-x');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
  });

  it('resolves Fn::If by evaluating the condition, with Fn::Equals, Fn::Not and Condition inside it', () => {
    expect(resolve({ 'Fn::If': ['IsProd', 'big', 'small'] })).toBe('big');
    expect(resolve({ 'Fn::If': ['IsDev', 'big', 'small'] })).toBe('small');
    expect(resolve({ 'Fn::If': ['IsProd', 'big', 'small'] }, { parameters: { Stage: 'dev' } })).toBe('small');
  });

  it('resolves Fn::And and Fn::Or', () => {
    expect(resolve({ 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] })).toBe(false);
    expect(resolve({ 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] })).toBe(true);
  });

  it('resolves Fn::FindInMap, Fn::Base64, Fn::GetAZs, Fn::ToJsonString and Fn::Length', () => {
    expect(resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] })).toBe('1024');
    expect(resolve({ 'Fn::Base64': 'hi' })).toBe('aGk=');
    expect(resolve({ 'Fn::GetAZs': '' }, { region: 'eu-west-1' })).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(resolve({ 'Fn::ToJsonString': { a: { Ref: 'Stage' } } })).toBe('{"a":"prod"}');
    expect(resolve({ 'Fn::Length': [1, 2, 3] })).toBe(3);
  });

  it('resolves Fn::ImportValue from the imports option', () => {
    expect(resolve({ 'Fn::ImportValue': 'SharedArn' }, { imports: { SharedArn: 'arn:aws:sns:us-east-1:123456789012:shared' } }))
      .toBe('arn:aws:sns:us-east-1:123456789012:shared');
  });

  it('drops a property or list element whose value is AWS::NoValue', () => {
    expect(resolve({ keep: 1, drop: { Ref: 'AWS::NoValue' }, list: [1, { Ref: 'AWS::NoValue' }] })).toEqual({ keep: 1, list: [1] });
  });

  it('leaves a plain object with a Condition field alone outside a condition', () => {
    expect(resolve({ Condition: 'IsProd', Other: 1 })).toEqual({ Condition: 'IsProd', Other: 1 });
  });
});

describe('TemplateResolver: errors', () => {
  it('rejects an intrinsic function it does not evaluate with UNSUPPORTED_INTRINSIC, naming the function, the state machine and the location', () => {
    const e = thrown(() => resolve({ x: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] } }));
    expect(e.code).toBe('UNSUPPORTED_INTRINSIC');
    expect(e.message).toBe(
      "state machine 'Machine', Definition.x.Fn::Cidr: cannot resolve {\"Fn::Cidr\":[\"10.0.0.0/16\",2,8]}: Fn::Cidr is not supported when extracting state machine definitions",
    );
    expect(e.location).toBe('Definition.x.Fn::Cidr');
  });

  it.each([
    ['a Ref to no resource', { Ref: 'Missing' }, 'UNKNOWN_RESOURCE', /the template has no resource or parameter 'Missing'/],
    ['a Fn::GetAtt to no resource', { 'Fn::GetAtt': ['Missing', 'Arn'] }, 'UNKNOWN_RESOURCE', /the template has no resource 'Missing'/],
    ['a parameter with no Default', { Ref: 'Secret' }, 'UNRESOLVABLE_PARAMETER', /pass it in options\.parameters\['Secret'\]/],
    ['an export it was not given', { 'Fn::ImportValue': 'SharedArn' }, 'UNRESOLVABLE_PARAMETER', /pass its value in options\.imports\['SharedArn'\]/],
    ['an undefined condition', { 'Fn::If': ['Nope', 'a', 'b'] }, 'UNKNOWN_CONDITION', /the template has no condition 'Nope'/],
  ])('rejects %s, saying how to supply it', (_what, value, code, message) => {
    const e = thrown(() => resolve(value));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  // A name the template does not hold is missing, whatever Object.prototype has under it: CloudFormation
  // refuses a Fn::FindInMap key, a Ref, a condition or a resource type the template lacks.
  it.each([
    ['a Fn::FindInMap through inherited names', { 'Fn::FindInMap': ['constructor', 'name', 'length'] }, 'INVALID_INTRINSIC', /found nothing at Mappings\.constructor\.name\.length/],
    ['a Fn::FindInMap to an inherited second key', { 'Fn::FindInMap': ['Sizes', 'prod', 'toString'] }, 'INVALID_INTRINSIC', /found nothing at Mappings\.Sizes\.prod\.toString/],
    ['a Ref to constructor', { Ref: 'constructor' }, 'UNKNOWN_RESOURCE', /the template has no resource or parameter 'constructor'/],
    ['a Fn::GetAtt to toString', { 'Fn::GetAtt': ['toString', 'Arn'] }, 'UNKNOWN_RESOURCE', /the template has no resource 'toString'/],
    ['a Fn::Sub of ${hasOwnProperty.Arn}', { 'Fn::Sub': '${hasOwnProperty.Arn}' }, 'UNKNOWN_RESOURCE', /the template has no resource 'hasOwnProperty'/],
    ['a condition named toString', { 'Fn::If': ['toString', 'a', 'b'] }, 'UNKNOWN_CONDITION', /the template has no condition 'toString'/],
    ['an export named constructor', { 'Fn::ImportValue': 'constructor' }, 'UNRESOLVABLE_PARAMETER', /pass its value in options\.imports\['constructor'\]/],
  ])('rejects %s as a name the template lacks', (_what, value, code, message) => {
    const e = thrown(() => resolve(value));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it.each(['constructor', 'toString', '__proto__'])('reads a resource of Type %s as a type it does not know, and an attribute named toString as generic', (type) => {
    const template: CfnTemplate = JSON.parse(`{"Resources": {"X": {"Type": "${type}"}, "V": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": "f"}}}}`);
    expect(resolve([{ Ref: 'X' }, { 'Fn::GetAtt': ['X', 'Arn'] }, { 'Fn::GetAtt': ['V', 'toString'] }], {}, template)).toEqual(['X', 'X.Arn', 'V.toString']);
  });

  it('resolves each Fn::Sub variable once, however often its text names it', () => {
    // Five levels of a variable named ten times: 10^5 resolutions of the Ref inside, one per level now.
    let value: unknown = { Ref: 'Charge' };
    for (let i = 0; i < 5; i++) value = { 'Fn::Sub': ['${v}'.repeat(10), { v: value }] };
    let recorded = 0;
    const resolved = new TemplateResolver(TEMPLATE).resolve(value, { stateMachine: 'Machine', location: 'Definition', record: () => { recorded++; } });
    expect(resolved).toBe('Charge'.repeat(100_000));
    expect(recorded).toBe(1);
  });

  it.each([
    ['Fn::Sub', { 'Fn::Sub': ['${a}'.repeat(1000), { a: { 'Fn::Sub': ['${b}'.repeat(1000), { b: 'y'.repeat(1000) }] } }] }],
    ['Fn::Join', { 'Fn::Join': ['', Array.from({ length: 300 }).fill('y'.repeat(1_048_576))] }],
    ['Fn::Base64', Array.from({ length: 80 }).reduce<unknown>((inner) => ({ 'Fn::Base64': inner }), 'y'.repeat(1000))],
  ])('refuses %s building more text than any definition holds, naming the bound', (fn, value) => {
    const e = thrown(() => resolve(value));
    expect(e.code).toBe('INVALID_INTRINSIC');
    expect(e.message).toContain(`${fn} would build more than 268,435,456 characters of text from this template`);
  });

  it('rejects a malformed intrinsic with INVALID_INTRINSIC even when placeholders are asked for', () => {
    const e = thrown(() => resolve({ 'Fn::Select': [5, ['a']] }, { unresolvable: 'placeholder' }));
    expect(e.code).toBe('INVALID_INTRINSIC');
    expect(e.message).toMatch(/Fn::Select index 5 is out of range for \["a"\]/);
  });
});

describe("TemplateResolver with unresolvable: 'placeholder'", () => {
  const lenient: TemplateResolverOptions = { unresolvable: 'placeholder' };

  it('gives an intrinsic function it does not evaluate the placeholder unresolved-<Function>', () => {
    expect(resolve({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, lenient)).toBe('unresolved-Cidr');
  });

  it('gives an export it was not given the placeholder imported-<ExportName>, and still prefers a given one', () => {
    expect(resolve({ 'Fn::ImportValue': 'SharedArn' }, lenient)).toBe('imported-SharedArn');
    expect(resolve({ 'Fn::ImportValue': 'SharedArn' }, { ...lenient, imports: { SharedArn: 'arn:x' } })).toBe('arn:x');
  });

  it('gives a parameter without a value its name, a list parameter a one-name list, and an SSM parameter its name rather than the SSM key', () => {
    const template: CfnTemplate = {
      Parameters: {
        Secret: { Type: 'String' },
        Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' },
        FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/arn' },
      },
    };
    expect(resolve([{ Ref: 'Secret' }, { Ref: 'Subnets' }, { Ref: 'FromSsm' }], lenient, template)).toEqual(['Secret', ['Subnets'], 'FromSsm']);
  });

  it('gives a Ref or Fn::GetAtt to no resource the logical id or <LogicalId>.<Attribute>', () => {
    expect(resolve([{ Ref: 'Missing' }, { 'Fn::GetAtt': ['Missing', 'Arn'] }, { 'Fn::GetAtt': ['Missing', 'TableName'] }], lenient))
      .toEqual(['Missing', 'Missing.Arn', 'Missing']);
  });

  it('takes the true branch of a Fn::If on an undefined condition', () => {
    expect(resolve({ 'Fn::If': ['Nope', 'a', 'b'] }, lenient)).toBe('a');
  });

  it('resolves what the template does tell exactly as the strict resolver does', () => {
    const value = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Charge', 'Arn'] }, { Ref: 'Jobs' }, { 'Fn::If': ['IsProd', 'p', 'd'] }]] };
    expect(resolve(value, lenient)).toBe(resolve(value));
  });
});

describe('TemplateResolver.nestedStackParameters', () => {
  const parent: CfnTemplate = {
    Parameters: TEMPLATE.Parameters,
    Resources: {
      ...TEMPLATE.Resources,
      Nested: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: {
          TemplateURL: 'https://example.com/nested.json',
          Parameters: {
            referencetoChargeArn: { 'Fn::GetAtt': ['Charge', 'Arn'] },
            referencetoZones: { 'Fn::GetAZs': '' },
            Left: { Ref: 'AWS::NoValue' },
          },
        },
      },
    },
  };

  it('resolves the values a nested stack resource passes to its parameters, lists as lists, and leaves out AWS::NoValue', () => {
    expect(new TemplateResolver(parent).nestedStackParameters('Nested')).toEqual({
      referencetoChargeArn: 'arn:aws:lambda:us-east-1:123456789012:function:Charge',
      referencetoZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    });
  });

  it('gives a child resolver the parent resource\'s placeholder for a parameter the parent passes', () => {
    const child: CfnTemplate = { Parameters: { referencetoChargeArn: { Type: 'String' } } };
    const parameters = new TemplateResolver(parent).nestedStackParameters('Nested');
    expect(resolve({ Ref: 'referencetoChargeArn' }, { parameters }, child)).toBe(resolve({ 'Fn::GetAtt': ['Charge', 'Arn'] }, {}, parent));
  });

  it('leaves out a value it cannot resolve, so the child asks for it only where it is used', () => {
    const withSecret: CfnTemplate = {
      ...parent,
      Resources: { Nested: { Type: 'AWS::CloudFormation::Stack', Properties: { Parameters: { Passed: { Ref: 'Secret' }, Region: { Ref: 'AWS::Region' } } } } },
    };
    expect(new TemplateResolver(withSecret).nestedStackParameters('Nested')).toEqual({ Region: 'us-east-1' });
  });

  it('gives a resource that is not a nested stack no parameters', () => {
    expect(new TemplateResolver(parent).nestedStackParameters('Charge')).toEqual({});
  });
});
