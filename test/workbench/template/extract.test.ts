import { InvalidDefinitionError } from '../../../src/asl/validate';
import { extractStateMachines, selectStateMachine } from '../../../src/workbench/template';
import type { ExtractedStateMachine, ExtractOptions } from '../../../src/workbench/template';
import { thrown } from '../../cfn/thrown';

const FN = { Type: 'AWS::Lambda::Function', Properties: {}, Metadata: { 'aws:cdk:path': 'Stack/Charge/Resource' } };

/** A template with one state machine whose Pass state's Result.value is the given string expression. */
function templateWith(value: unknown, resources: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): object {
  return {
    ...extra,
    Resources: {
      ...resources,
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"Result":{"value":"', value, '"}}}}']] },
        },
      },
    },
  };
}

function resultOf(value: unknown, resources: Record<string, unknown> = {}, options: ExtractOptions = {},
  extra: Record<string, unknown> = {}): string {
  const machine = selectStateMachine(extractStateMachines(templateWith(value, resources, extra), options), 'Machine');
  return (machine.definition.States.P as unknown as { Result: { value: string } }).Result.value;
}

function only(template: object, options?: ExtractOptions): ExtractedStateMachine {
  return selectStateMachine(extractStateMachines(template, options));
}

describe('pseudo parameters', () => {
  it.each([
    ['AWS::Region', 'us-east-1'],
    ['AWS::AccountId', '123456789012'],
    ['AWS::Partition', 'aws'],
    ['AWS::URLSuffix', 'amazonaws.com'],
    ['AWS::StackName', 'Stack'],
  ])('resolves %s to the default %s', (name, expected) => {
    expect(resultOf({ Ref: name })).toBe(expected);
  });

  it('takes region, account, partition and stack name from the options', () => {
    const options = { region: 'eu-west-1', account: '111122223333', partition: 'aws-cn', stackName: 'Orders' };
    const value = { 'Fn::Join': [',', [{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Partition' }, { Ref: 'AWS::StackName' }, { Ref: 'AWS::URLSuffix' }]] };
    expect(resultOf(value, {}, options)).toBe('eu-west-1,111122223333,aws-cn,Orders,amazonaws.com.cn');
  });

  it('resolves AWS::StackId to a stable stack ARN', () => {
    const id = resultOf({ Ref: 'AWS::StackId' }, {}, { stackName: 'Orders' });
    expect(id).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/Orders\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(resultOf({ Ref: 'AWS::StackId' }, {}, { stackName: 'Orders' })).toBe(id);
  });
});

describe('Ref and Fn::GetAtt placeholders', () => {
  it.each([
    ['AWS::Lambda::Function', 'Ref', 'Fn'],
    ['AWS::Lambda::Function', 'Arn', 'arn:aws:lambda:us-east-1:123456789012:function:Fn'],
    ['AWS::StepFunctions::StateMachine', 'Ref', 'arn:aws:states:us-east-1:123456789012:stateMachine:Fn'],
    ['AWS::StepFunctions::Activity', 'Ref', 'arn:aws:states:us-east-1:123456789012:activity:Fn'],
    ['AWS::DynamoDB::Table', 'Ref', 'Fn'],
    ['AWS::DynamoDB::Table', 'Arn', 'arn:aws:dynamodb:us-east-1:123456789012:table/Fn'],
    ['AWS::SNS::Topic', 'Ref', 'arn:aws:sns:us-east-1:123456789012:Fn'],
    ['AWS::SNS::Topic', 'TopicName', 'Fn'],
    ['AWS::SQS::Queue', 'Ref', 'https://sqs.us-east-1.amazonaws.com/123456789012/Fn'],
    ['AWS::SQS::Queue', 'Arn', 'arn:aws:sqs:us-east-1:123456789012:Fn'],
    ['AWS::S3::Bucket', 'Ref', 'fn'],
    ['AWS::S3::Bucket', 'Arn', 'arn:aws:s3:::fn'],
    ['AWS::IAM::Role', 'Ref', 'Fn'],
    ['AWS::IAM::Role', 'Arn', 'arn:aws:iam::123456789012:role/Fn'],
    ['AWS::Events::EventBus', 'Arn', 'arn:aws:events:us-east-1:123456789012:event-bus/Fn'],
    ['AWS::ECS::Cluster', 'Arn', 'arn:aws:ecs:us-east-1:123456789012:cluster/Fn'],
    ['AWS::Glue::Database', 'Ref', 'Fn'],
    ['AWS::Glue::Database', 'Arn', 'arn:aws:glue:us-east-1:123456789012:database/Fn'],
    ['Custom::Thing', 'Endpoint', 'Fn.Endpoint'],
  ])('gives a %s resource a %s placeholder shaped like the real value', (type, attribute, expected) => {
    const value = attribute === 'Ref' ? { Ref: 'Fn' } : { 'Fn::GetAtt': ['Fn', attribute] };
    const properties = type === 'AWS::StepFunctions::StateMachine' ? { DefinitionString: '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}' } : {};
    expect(resultOf(value, { Fn: { Type: type, Properties: properties } })).toBe(expected);
  });

  it('names a resource by its name property when the template sets one', () => {
    const resources = { Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: { 'Fn::Sub': '${AWS::StackName}-charge' } } } };
    expect(resultOf({ 'Fn::GetAtt': ['Fn', 'Arn'] }, resources, { stackName: 'Orders' }))
      .toBe('arn:aws:lambda:us-east-1:123456789012:function:Orders-charge');
  });

  it('gives a Lambda version a version-qualified ARN, numbered per function in template order', () => {
    const resources = {
      Fn: FN,
      V1: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
      V2: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
    };
    expect(resultOf({ Ref: 'V2' }, resources)).toBe('arn:aws:lambda:us-east-1:123456789012:function:Fn:2');
    expect(resultOf({ 'Fn::GetAtt': ['V1', 'Version'] }, resources)).toBe('1');
  });

  it('gives a Lambda alias an alias-qualified ARN', () => {
    const resources = { Fn: FN, Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, Name: 'live' } } };
    expect(resultOf({ Ref: 'Live' }, resources)).toBe('arn:aws:lambda:us-east-1:123456789012:function:Fn:live');
  });

  it('gives EC2 ids that look like real ids and stay the same across runs', () => {
    const resources = { Sub: { Type: 'AWS::EC2::Subnet', Properties: {} } };
    const id = resultOf({ Ref: 'Sub' }, resources);
    expect(id).toMatch(/^subnet-[0-9a-f]{17}$/);
    expect(resultOf({ Ref: 'Sub' }, resources)).toBe(id);
  });

  it('accepts the "Logical.Attribute" string form of Fn::GetAtt', () => {
    expect(resultOf({ 'Fn::GetAtt': 'Fn.Arn' }, { Fn: FN })).toBe('arn:aws:lambda:us-east-1:123456789012:function:Fn');
  });

  it('maps each placeholder to the logical id, type, attribute and construct path behind it', () => {
    const machine = only(templateWith({ 'Fn::GetAtt': ['Fn', 'Arn'] }, { Fn: FN }));
    expect([...machine.resources]).toEqual([[
      'arn:aws:lambda:us-east-1:123456789012:function:Fn',
      { logicalId: 'Fn', resourceType: 'AWS::Lambda::Function', cdkPath: 'Stack/Charge/Resource', attribute: 'Arn' },
    ]]);
  });

  it('uses a template parameter\'s Default, or the value given in the options', () => {
    const extra = { Parameters: { Env: { Type: 'String', Default: 'dev' } } };
    expect(resultOf({ Ref: 'Env' }, {}, {}, extra)).toBe('dev');
    expect(resultOf({ Ref: 'Env' }, {}, { parameters: { Env: 'prod' } }, extra)).toBe('prod');
  });
});

describe('intrinsic functions', () => {
  it('joins Fn::Join parts with the delimiter', () => {
    expect(resultOf({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }, 'b']] })).toBe('a-us-east-1-b');
  });

  it('substitutes pseudo parameters, Refs and attributes in the one-argument Fn::Sub', () => {
    expect(resultOf({ 'Fn::Sub': '${AWS::Region}/${Fn}/${Fn.Arn}' }, { Fn: FN }))
      .toBe('us-east-1/Fn/arn:aws:lambda:us-east-1:123456789012:function:Fn');
  });

  it('substitutes a variable map in the two-argument Fn::Sub, resolving its values', () => {
    expect(resultOf({ 'Fn::Sub': ['${Name}@${AWS::AccountId}', { Name: { Ref: 'Fn' } }] }, { Fn: FN })).toBe('Fn@123456789012');
  });

  it('leaves "${!Literal}" as a literal "${Literal}" in Fn::Sub', () => {
    const [machine] = extractStateMachines({
      Resources: {
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: { 'Fn::Sub': '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"Result":"${!Literal}"}}}' },
          },
        },
      },
    });
    expect(machine.definition.States.P).toMatchObject({ Result: '${Literal}' });
  });

  it('picks a list element with Fn::Select over Fn::Split', () => {
    expect(resultOf({ 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] })).toBe('b');
  });

  it('chooses the Fn::If branch by evaluating the named condition', () => {
    const extra = {
      Parameters: { Env: { Type: 'String', Default: 'prod' } },
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
        NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
        Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Or': [{ Condition: 'NotProd' }, { 'Fn::Equals': ['a', 'a'] }] }] },
      },
    };
    expect(resultOf({ 'Fn::If': ['IsProd', 'yes', 'no'] }, {}, {}, extra)).toBe('yes');
    expect(resultOf({ 'Fn::If': ['NotProd', 'yes', 'no'] }, {}, {}, extra)).toBe('no');
    expect(resultOf({ 'Fn::If': ['Both', 'yes', 'no'] }, {}, {}, extra)).toBe('yes');
  });

  it('looks up Fn::FindInMap in the template Mappings', () => {
    const extra = { Mappings: { Sizes: { prod: { Memory: '1024' } } } };
    expect(resultOf({ 'Fn::FindInMap': ['Sizes', 'prod', 'Memory'] }, {}, {}, extra)).toBe('1024');
  });

  it('lists three zones of the region for Fn::GetAZs', () => {
    expect(resultOf({ 'Fn::Join': [',', { 'Fn::GetAZs': '' }] }, {}, { region: 'eu-west-1' })).toBe('eu-west-1a,eu-west-1b,eu-west-1c');
  });

  it('serializes Fn::ToJsonString and counts Fn::Length', () => {
    expect(resultOf({ 'Fn::Length': [1, 2, 3] })).toBe('3');
    const [machine] = extractStateMachines({
      Resources: {
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: { 'Fn::ToJsonString': { StartAt: 'P', States: { P: { Type: 'Pass', End: true, Comment: { Ref: 'AWS::Region' } } } } },
          },
        },
      },
    });
    expect(machine.definition.States.P).toEqual({ Type: 'Pass', End: true, Comment: 'us-east-1' });
  });

  it('drops a property whose value is AWS::NoValue in a Definition object', () => {
    const extra = { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } };
    const [machine] = extractStateMachines({
      ...extra,
      Resources: {
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            Definition: { StartAt: 'P', Comment: { 'Fn::If': ['Never', 'x', { Ref: 'AWS::NoValue' }] }, States: { P: { Type: 'Pass', End: true } } },
          },
        },
      },
    });
    expect(machine.definition).toEqual({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  });

  it('adds the .fifo suffix AWS requires to a FIFO queue name', () => {
    expect(resultOf({ 'Fn::GetAtt': ['Q', 'QueueName'] }, { Q: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } } })).toBe('Q.fifo');
  });

  it('encodes Fn::Base64 and takes Fn::ImportValue from the options', () => {
    expect(resultOf({ 'Fn::Base64': 'hi' })).toBe('aGk=');
    expect(resultOf({ 'Fn::ImportValue': 'SharedArn' }, {}, { imports: { SharedArn: 'arn:x' } })).toBe('arn:x');
  });
});

describe('definition forms', () => {
  const definition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true, Result: { fn: '${FnArn}', other: '${NotASubstitution}' } } } };

  it('parses a plain-string DefinitionString', () => {
    const machine = only({ Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify(definition) } } } });
    expect(machine.definition).toEqual(definition);
  });

  it('applies DefinitionSubstitutions to a DefinitionString and leaves other ${...} text alone', () => {
    const machine = only({
      Resources: {
        Fn: FN,
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: JSON.stringify(definition),
            DefinitionSubstitutions: { FnArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
          },
        },
      },
    });
    expect(machine.definition.States.P).toMatchObject({ Result: { fn: 'arn:aws:lambda:us-east-1:123456789012:function:Fn', other: '${NotASubstitution}' } });
    expect(machine.resources.get('arn:aws:lambda:us-east-1:123456789012:function:Fn')?.logicalId).toBe('Fn');
  });

  it('resolves intrinsics and DefinitionSubstitutions inside a Definition object', () => {
    const machine = only({
      Resources: {
        Fn: FN,
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            Definition: { ...definition, Comment: { 'Fn::Sub': 'in ${AWS::Region}' } },
            DefinitionSubstitutions: { FnArn: { Ref: 'Fn' } },
          },
        },
      },
    });
    expect(machine.definition.Comment).toBe('in us-east-1');
    expect(machine.definition.States.P).toMatchObject({ Result: { fn: 'Fn' } });
  });

  it.each([
    ['without DefinitionSubstitutions', {}],
    ['with DefinitionSubstitutions', { DefinitionSubstitutions: { Y: 'b' } }],
  ])('keeps a field named __proto__ in a Definition object as data, %s', (_how, more) => {
    // JSON.parse makes __proto__ an own field; an assignment would have set the copy's prototype instead.
    const definitionWithProto = JSON.parse('{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"__proto__":{"x":1},"y":"${Y}"},"End":true}}}');
    const machine = only(JSON.parse(JSON.stringify({ Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { ...more } } } })
      .replace('"Properties":{', `"Properties":{"Definition":${JSON.stringify(definitionWithProto)}${Object.keys(more).length ? ',' : ''}`)));
    const result = (machine.definition.States.P as unknown as { Result: object }).Result;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe(`{"__proto__":{"x":1},"y":"${Object.keys(more).length ? 'b' : '${Y}'}"}`);
  });

  it.each(['DefinitionString', 'Definition'])('refuses DefinitionSubstitutions that would make a %s longer than any definition read', (form) => {
    const result = form === 'Definition' ? JSON.stringify(Array.from({ length: 100 }, () => '${x}')) : JSON.stringify('${x}'.repeat(100));
    const text = `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ${result}, "End": true}}}`;
    const properties = {
      [form]: form === 'Definition' ? JSON.parse(text) : text,
      DefinitionSubstitutions: { x: { 'Fn::Join': ['', Array.from({ length: 1024 }, () => 'y'.repeat(1024))] } },
    };
    const e = thrown(() => extractStateMachines({ Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: properties } } }));
    expect(e.message).toContain("state machine 'M': its DefinitionSubstitutions would make the definition more than 67,108,864 characters long");
  });

  describe('a template nested deeper than JSON Step Functions reads', () => {
    /** `{"a": {"a": ... 1}}`, `levels` objects deep, parsed from text as a file would be. */
    const deep = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const machine = (properties: string, more = ''): object => JSON.parse(
      `{"Resources": {${more}"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {${properties}}}}}`);
    const pass = (result: string): string => `"Definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ${result}, "End": true}}}`;
    const passHolding = (result: unknown): object => ({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });

    it.each([
      ['a Definition object', machine(pass(deep(20_000))), /Definition\.States\.P\.Result\.a\.a.*deeper than 1,000 levels/],
      ['DefinitionString built of nested Fn::Join', machine(`"DefinitionString": ${'{"Fn::Join": ["", ['.repeat(5_000)}"x"${']]}'.repeat(5_000)}`),
        /DefinitionString\.Fn::Join\[1\]\[0\].*deeper than 1,000 levels/],
      ['an AWS SAM Definition beside a function that publishes an alias', {
        ...machine(pass(deep(20_000)),
          '"F": {"Type": "AWS::Serverless::Function", "Properties": {"AutoPublishAlias": "live", "Runtime": "nodejs22.x", "Handler": "i.h"}}, '),
        Transform: 'AWS::Serverless-2016-10-31',
      }, /deeper than 1,000 levels/],
      ['a value of Mappings (Fn::FindInMap) with DefinitionSubstitutions', {
        ...machine(`${pass('{"Fn::FindInMap": ["m", "a", "b"]}')}, "DefinitionSubstitutions": {"x": "y"}`),
        Mappings: JSON.parse(`{"m": {"a": {"b": ${deep(20_000)}}}}`),
      }, /Definition\.States\.P\.Result\.Fn::FindInMap: the template nests arrays and objects deeper than 1,000 levels/],
    ])('refuses %s by name instead of overflowing the stack', (_what, template, message) => {
      const e = thrown(() => extractStateMachines(template));
      expect(e.message).toMatch(message);
      expect(e.message.length).toBeLessThan(600);
    });

    it('refuses a template object that holds itself', () => {
      const result: Record<string, unknown> = {};
      result.self = result;
      const e = thrown(() => extractStateMachines({ Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { Definition: passHolding(result) } } } }));
      expect(e.message).toMatch(/Result\.self\.self.*deeper than 1,000 levels/);
    });
  });

  it('reports type, name, construct path and its own placeholder ARN', () => {
    const machine = only({
      Resources: {
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Metadata: { 'aws:cdk:path': 'Stack/Orders/Resource' },
          Properties: { DefinitionString: JSON.stringify(definition), StateMachineType: 'EXPRESS', StateMachineName: 'orders' },
        },
      },
    });
    expect(machine).toMatchObject({
      logicalId: 'M',
      type: 'EXPRESS',
      name: 'orders',
      path: 'Stack/Orders/Resource',
      arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
    });
  });

  it('defaults the type to STANDARD', () => {
    expect(only(templateWith('x')).type).toBe('STANDARD');
  });

  // The role executions run with: AWS::StepFunctions::StateMachine's RoleArn
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html).
  it("resolves RoleArn to the role's placeholder ARN, the role executions run with", () => {
    const machine = only({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: {} },
        M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify(definition), RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
      },
    });
    expect(machine.roleArn).toBe('arn:aws:iam::123456789012:role/Role');
  });

  it('leaves roleArn out when RoleArn cannot be resolved offline, rather than refusing the machine', () => {
    const machine = only({
      Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify(definition), RoleArn: { 'Fn::ImportValue': 'SharedRole' } } } },
    });
    expect(machine.roleArn).toBeUndefined();
    expect(machine.definition).toEqual(definition);
  });
});

describe('errors', () => {
  it('names the state machine, the token and the missing resource for a Ref to nothing', () => {
    const e = thrown(() => extractStateMachines(templateWith({ Ref: 'Ghost' })));
    expect(e.code).toBe('UNKNOWN_RESOURCE');
    expect(e.message).toContain("state machine 'Machine'");
    expect(e.message).toContain('{"Ref": "Ghost"}');
    expect(e.message).toContain("no resource or parameter 'Ghost'");
    expect(e.location).toBe('DefinitionString.Fn::Join[1][1].Ref');
  });

  it('names the attribute and resource of a Fn::GetAtt to nothing', () => {
    const e = thrown(() => extractStateMachines(templateWith({ 'Fn::GetAtt': ['Ghost', 'Arn'] })));
    expect(e.message).toContain('{"Fn::GetAtt": ["Ghost", "Arn"]}');
  });

  it('rejects an intrinsic it cannot evaluate offline, naming it', () => {
    const e = thrown(() => extractStateMachines(templateWith({ 'Fn::Cidr': ['10.0.0.0/16', 6, 5] })));
    expect(e.code).toBe('UNSUPPORTED_INTRINSIC');
    expect(e.message).toContain('Fn::Cidr is not supported');
  });

  it('asks for an Fn::ImportValue value it was not given', () => {
    const e = thrown(() => extractStateMachines(templateWith({ 'Fn::ImportValue': 'SharedArn' })));
    expect(e.code).toBe('UNRESOLVABLE_PARAMETER');
    expect(e.message).toContain("options.imports['SharedArn']");
  });

  it('asks for a parameter with no Default, and for an SSM-typed one', () => {
    const extra = { Parameters: { Plain: { Type: 'String' }, FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/x' } } };
    expect(thrown(() => resultOf({ Ref: 'Plain' }, {}, {}, extra)).message).toContain("parameter 'Plain' has no Default");
    expect(thrown(() => resultOf({ Ref: 'FromSsm' }, {}, {}, extra)).message).toContain("parameter 'FromSsm' is read from SSM Parameter Store ('/x'), which a local run cannot read; pass it in options.parameters['FromSsm']");
  });

  it('rejects a Fn::If on an unknown condition', () => {
    expect(thrown(() => resultOf({ 'Fn::If': ['Nope', 'a', 'b'] })).code).toBe('UNKNOWN_CONDITION');
  });

  it('rejects a token that resolves to a list where a string is needed', () => {
    const e = thrown(() => resultOf({ 'Fn::Split': [',', 'a,b'] }));
    expect(e.code).toBe('INVALID_INTRINSIC');
    expect(e.message).toContain('must resolve to a string');
  });

  it('shows where the resolved definition stops being JSON', () => {
    const e = thrown(() => extractStateMachines(templateWith('"broken')));
    expect(e.code).toBe('INVALID_DEFINITION_JSON');
    expect(e.message).toContain("state machine 'Machine'");
  });

  it('rejects a DefinitionS3Location, which cannot be read offline', () => {
    const e = thrown(() => extractStateMachines({ Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionS3Location: { Bucket: 'b', Key: 'k' } } } } }));
    expect(e.code).toBe('UNSUPPORTED_DEFINITION_SOURCE');
  });

  it('rejects a state machine with no definition, and a value that is not a template', () => {
    expect(thrown(() => extractStateMachines({ Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} } } })).code).toBe('MISSING_DEFINITION');
    expect(thrown(() => extractStateMachines([] as unknown as object)).code).toBe('NOT_A_TEMPLATE');
    expect(thrown(() => extractStateMachines({ Resources: 3 })).code).toBe('NOT_A_TEMPLATE');
  });
});

describe('the definition of an extracted state machine', () => {
  const machineWith = (definition: object, type?: string): object => ({
    Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { Definition: definition, ...(type ? { StateMachineType: type } : {}) } } },
  });

  it('is typed through the validator when first read, the same value every read, and kept raw beside it', () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const machine = only(machineWith(definition));
    expect(machine.rawDefinition).toEqual(definition);
    expect(machine.definition).toBe(machine.rawDefinition);
    expect(machine.definition).toBe(machine.definition);
  });

  it('keeps a definition the validator refuses as rawDefinition, and refuses to type it', () => {
    const invalid = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 5, End: true } } };
    const machine = only(machineWith(invalid));
    expect(machine.rawDefinition).toEqual(invalid);
    expect(() => machine.definition).toThrow(InvalidDefinitionError);
    expect(() => machine.definition).toThrow(/\/States\/T\/Resource \[SCHEMA_VALIDATION_FAILED\]/);
  });

  it('is checked for the machine\'s type, as a workflow loading it checks it', () => {
    const waiting = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } } };
    expect(only(machineWith(waiting)).definition).toEqual(waiting);
    expect(() => only(machineWith(waiting, 'EXPRESS')).definition).toThrow(InvalidDefinitionError);
  });
});

describe('selectStateMachine', () => {
  const machine = (logicalId: string, path?: string, name?: string): ExtractedStateMachine => ({
    logicalId, path, name, arn: `arn:${logicalId}`, type: 'STANDARD', definition: { StartAt: 'A', States: {} }, rawDefinition: { StartAt: 'A', States: {} }, resources: new Map(),
  });
  const machines = [machine('OrdersA1', 'Stack/Orders/Resource', 'orders'), machine('RefundsB2', 'Stack/Nested/Refunds/Resource')];

  it('returns the only state machine when there is no selector', () => {
    expect(selectStateMachine([machines[0]])).toBe(machines[0]);
  });

  it('selects by logical id, by StateMachineName and by construct id or path tail', () => {
    expect(selectStateMachine(machines, 'RefundsB2')).toBe(machines[1]);
    expect(selectStateMachine(machines, 'orders')).toBe(machines[0]);
    expect(selectStateMachine(machines, 'Refunds')).toBe(machines[1]);
    expect(selectStateMachine(machines, 'Nested/Refunds')).toBe(machines[1]);
    expect(selectStateMachine(machines, 'Stack/Orders/Resource')).toBe(machines[0]);
  });

  it('lists the state machines when there are several and no selector', () => {
    const e = thrown(() => selectStateMachine(machines));
    expect(e.code).toBe('AMBIGUOUS_STATE_MACHINE');
    expect(e.message).toContain('OrdersA1 (path Stack/Orders/Resource, name orders)');
    expect(e.message).toContain('RefundsB2 (path Stack/Nested/Refunds/Resource)');
  });

  it('lists the state machines when the selector matches none', () => {
    const e = thrown(() => selectStateMachine(machines, 'Shipping'));
    expect(e.code).toBe('STATE_MACHINE_NOT_FOUND');
    expect(e.message).toContain("no state machine matches 'Shipping'");
    expect(e.message).toContain('OrdersA1');
  });

  it('says the template has none when there are no state machines', () => {
    expect(thrown(() => selectStateMachine(extractStateMachines({ Resources: { Fn: FN } }))).code).toBe('NO_STATE_MACHINES');
  });

  it('refuses a selector that matches several construct paths', () => {
    const twins = [machine('A', 'Stack/One/Flow/Resource'), machine('B', 'Stack/Two/Flow/Resource')];
    expect(thrown(() => selectStateMachine(twins, 'Flow')).code).toBe('AMBIGUOUS_STATE_MACHINE');
  });
});
