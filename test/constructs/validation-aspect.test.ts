import { App, Aspects, Aws, CfnCondition, CfnParameter, CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Task } from '../../src/constructs/task';
import { StateMachineValidator, type StateMachineValidatorProps } from '../../src/constructs/validation-aspect';

function appWithValidator(props?: StateMachineValidatorProps): { app: App; stack: Stack } {
  const app = new App();
  Aspects.of(app).add(new StateMachineValidator(props));
  return { app, stack: new Stack(app, 'Orders') };
}

function fn(stack: Stack, id = 'Charge'): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
}

const BROKEN = JSON.stringify({ StartAt: 'Charge', States: { Charge: { Type: 'Pass', Next: 'Ship' } } });

describe('StateMachineValidator', () => {
  it('fails synth on a broken sfn.StateMachine, naming the machine, code, location and fix', () => {
    const { app, stack } = appWithValidator();
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromString(BROKEN) });
    expect(() => app.synth()).toThrow(/\[Orders\/Flow\/Resource\] Step Functions definition: MISSING_TRANSITION_TARGET at \/States\/Charge\/Next: State 'Charge': Next 'Ship' names no state/);
  });

  it('lets a valid machine synthesize, with its Lambda ARN token resolved to a function ARN', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    const charge = new tasks.LambdaInvoke(stack, 'ChargeCard', { lambdaFunction: fn(stack), payloadResponseOnly: true });
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(charge.next(new sfn.Succeed(stack, 'Done'))) });
    expect(() => app.synth()).not.toThrow();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Step Functions definition'))).toEqual([]);
  });

  it('turns best-practice findings into CDK warnings on the state machine resource', () => {
    const { app, stack } = appWithValidator();
    const charge = new tasks.LambdaInvoke(stack, 'ChargeCard', { lambdaFunction: fn(stack), payloadResponseOnly: true });
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(charge) });
    app.synth();
    const warnings = Annotations.fromStack(stack).findWarning('/Orders/Flow/Resource', Match.stringLikeRegexp('TASK_WITHOUT_TIMEOUT at /States/ChargeCard'));
    expect(warnings).toHaveLength(1);
    // The placeholder is a function ARN without a qualifier, so the unqualified-ARN advice applies too.
    expect(Annotations.fromStack(stack).findWarning('/Orders/Flow/Resource', Match.stringLikeRegexp('UNQUALIFIED_LAMBDA_ARN'))).toHaveLength(1);
  });

  it('does not warn TASK_WITHOUT_TIMEOUT about tasks the stepwright builders made with their defaults', () => {
    const { app, stack } = appWithValidator();
    const charge = Task.lambdaInvoke(stack, 'ChargeCard', { lambdaFunction: fn(stack).currentVersion });
    const record = Task.dynamoPutItem(stack, 'Record', {
      table: dynamodb.Table.fromTableName(stack, 'Orders', 'orders'),
      item: { id: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.id')) },
    });
    const notify = Task.snsPublish(stack, 'Notify', { topic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:123456789012:t'), message: sfn.TaskInput.fromText('done') });
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(charge.next(record).next(notify)) });
    app.synth();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('TASK_WITHOUT_TIMEOUT'))).toEqual([]);
  });

  it('reports no warnings with warnings: false', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'T', { lambdaFunction: fn(stack) })) });
    app.synth();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Step Functions definition'))).toEqual([]);
  });

  it('checks EXPRESS machines against the EXPRESS rules', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    const activity = new sfn.Activity(stack, 'Work');
    new sfn.StateMachine(stack, 'Flow', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.StepFunctionsInvokeActivity(stack, 'DoWork', { activity })),
    });
    expect(() => app.synth()).toThrow(/EXPRESS_UNSUPPORTED_FEATURE at \/States\/DoWork\/Resource/);
  });

  it('accepts the same activity in a STANDARD machine, its Ref rendered as an activity ARN', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    const activity = new sfn.Activity(stack, 'Work');
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.StepFunctionsInvokeActivity(stack, 'DoWork', { activity })) });
    expect(() => app.synth()).not.toThrow();
  });

  it('checks a plain CfnStateMachine with a Definition object and DefinitionSubstitutions', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    const target = fn(stack);
    new sfn.CfnStateMachine(stack, 'L1', {
      roleArn: 'arn:aws:iam::123456789012:role/r',
      definition: { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: '${FunctionArn}', Next: '${NextState}' } } },
      definitionSubstitutions: { FunctionArn: target.functionArn, NextState: 'Missing' },
    });
    expect(() => app.synth()).toThrow(/\[Orders\/L1\] Step Functions definition: MISSING_TRANSITION_TARGET at \/States\/Call\/Next: State 'Call': Next 'Missing'/);
  });

  it('resolves Fn::Sub, pseudo parameters and attributes in a DefinitionString', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    const target = fn(stack);
    new sfn.CfnStateMachine(stack, 'L1', {
      roleArn: 'arn:aws:iam::123456789012:role/r',
      definitionString: Fn.sub(JSON.stringify({
        StartAt: 'Call',
        States: { Call: { Type: 'Task', Resource: '${Fn}', Parameters: { Region: '${AWS::Region}', Literal: '${!NotSubstituted}' }, End: true } },
      }), { Fn: target.functionArn }),
    });
    expect(() => app.synth()).not.toThrow();
  });

  it('fails on a definition string that is not JSON', () => {
    const { app, stack } = appWithValidator();
    new sfn.CfnStateMachine(stack, 'L1', { roleArn: 'arn:aws:iam::123456789012:role/r', definitionString: '{"StartAt": ' });
    expect(() => app.synth()).toThrow(/INVALID_JSON_DESCRIPTION at \/: The definition is not valid JSON/);
  });

  it('checks a raw CfnResource of type AWS::StepFunctions::StateMachine', () => {
    const { app, stack } = appWithValidator();
    new CfnResource(stack, 'Raw', { type: 'AWS::StepFunctions::StateMachine', properties: { DefinitionString: BROKEN, RoleArn: 'r' } });
    expect(() => app.synth()).toThrow(/\[Orders\/Raw\] Step Functions definition: MISSING_TRANSITION_TARGET/);
  });

  it('skips a machine whose definition lives in S3', () => {
    const { app, stack } = appWithValidator();
    new sfn.CfnStateMachine(stack, 'S3', { roleArn: 'r', definitionS3Location: { bucket: 'b', key: 'k' } });
    expect(() => app.synth()).not.toThrow();
  });

  it('reports each error once when the aspect is added twice', () => {
    const { app, stack } = appWithValidator();
    Aspects.of(app).add(new StateMachineValidator());
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromString(BROKEN) });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/MISSING_TRANSITION_TARGET/g)).toHaveLength(1);
  });

  it('checks only the state machines under the scope it is added to', () => {
    const app = new App();
    const checked = new Stack(app, 'Checked');
    const unchecked = new Stack(app, 'Unchecked');
    Aspects.of(checked).add(new StateMachineValidator());
    new sfn.StateMachine(unchecked, 'Flow', { definitionBody: sfn.DefinitionBody.fromString(BROKEN) });
    expect(() => app.synth()).not.toThrow();
  });

  it('uses the stack account and region in placeholders when they are concrete', () => {
    const app = new App();
    Aspects.of(app).add(new StateMachineValidator({ warnings: false }));
    const stack = new Stack(app, 'Pinned', { env: { account: '111122223333', region: 'eu-west-1' } });
    const target = fn(stack);
    // A Lambda ARN from another region would still be an ARN; what matters is that the token became one.
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'T', { lambdaFunction: target, payloadResponseOnly: true })) });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('StateMachineValidator permission check', () => {
  /** A machine with a CustomState writing to a table: the CDK grants nothing for a CustomState. */
  function tableWriter(stack: Stack, grant: boolean): void {
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const save = new sfn.CustomState(stack, 'Save', { stateJson: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', TimeoutSeconds: 5, Parameters: { TableName: table.tableName, Item: {} } } });
    const machine = new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(save) });
    if (grant) table.grantWriteData(machine);
  }

  it('fails synth on a Task whose permission the role lacks, naming the state, the action and the fix', () => {
    const { app, stack } = appWithValidator();
    tableWriter(stack, false);
    expect(() => app.synth()).toThrow(/IAM permissions: MISSING_PERMISSION at \/States\/Save: state 'Save' needs dynamodb:PutItem on arn:aws:dynamodb:us-east-1:123456789012:table\/Orders.*Fix: add \{"Effect":"Allow","Action":"dynamodb:PutItem"/);
  });

  it('lets the machine synthesize once the table is granted, reading the role default policy the grant made', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    tableWriter(stack, true);
    expect(() => app.synth()).not.toThrow();
  });

  it("reports a missing permission as a warning with permissions: 'warning'", () => {
    const { app, stack } = appWithValidator({ permissions: 'warning' });
    tableWriter(stack, false);
    app.synth();
    expect(Annotations.fromStack(stack).findWarning('/Orders/Flow/Resource', Match.stringLikeRegexp('MISSING_PERMISSION at /States/Save'))).toHaveLength(1);
  });

  it("does not check permissions with permissions: 'off'", () => {
    const { app, stack } = appWithValidator({ permissions: 'off', warnings: false });
    tableWriter(stack, false);
    expect(() => app.synth()).not.toThrow();
  });

  it('cannot check, and does not fail, a machine whose role is imported', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const save = new sfn.CustomState(stack, 'Save', { stateJson: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', TimeoutSeconds: 5, Parameters: { TableName: table.tableName, Item: {} } } });
    const role = iam.Role.fromRoleArn(stack, 'Shared', 'arn:aws:iam::123456789012:role/Shared', { mutable: false });
    new sfn.StateMachine(stack, 'Flow', { role, definitionBody: sfn.DefinitionBody.fromChainable(save) });
    expect(() => app.synth()).not.toThrow();
  });

  it('cannot check, and does not fail, a grant attached under a condition on a parameter only a deploy knows', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const save = new sfn.CustomState(stack, 'Save', { stateJson: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', TimeoutSeconds: 5, Parameters: { TableName: table.tableName, Item: {} } } });
    const machine = new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(save) });
    const stage = new CfnParameter(stack, 'Stage', { type: 'String' });
    const inProd = new CfnCondition(stack, 'InProd', { expression: Fn.conditionEquals(stage.valueAsString, 'prod') });
    new iam.CfnPolicy(stack, 'ProdGrant', {
      policyName: 'prod-grant',
      roles: Fn.conditionIf(inProd.logicalId, [machine.role.roleName], Aws.NO_VALUE) as unknown as string[],
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: table.tableArn }] },
    });
    expect(() => app.synth()).not.toThrow();
  });

  it('reads a grant attached under a condition the template decides', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const save = new sfn.CustomState(stack, 'Save', { stateJson: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', TimeoutSeconds: 5, Parameters: { TableName: table.tableName, Item: {} } } });
    const machine = new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(save) });
    const stage = new CfnParameter(stack, 'Stage', { type: 'String', default: 'dev' });
    const inDev = new CfnCondition(stack, 'InDev', { expression: Fn.conditionEquals(stage.valueAsString, 'dev') });
    new iam.CfnPolicy(stack, 'DevGrant', {
      policyName: 'dev-grant',
      roles: Fn.conditionIf(inDev.logicalId, [machine.role.roleName], Aws.NO_VALUE) as unknown as string[],
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: table.tableArn }] },
    });
    expect(() => app.synth()).not.toThrow();
    const notDev = appWithValidator({ warnings: false });
    const t2 = new dynamodb.Table(notDev.stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const m2 = new sfn.StateMachine(notDev.stack, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.CustomState(notDev.stack, 'Save', { stateJson: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', TimeoutSeconds: 5, Parameters: { TableName: t2.tableName, Item: {} } } })),
    });
    const prod = new CfnCondition(notDev.stack, 'InProd', { expression: Fn.conditionEquals(new CfnParameter(notDev.stack, 'Stage', { type: 'String', default: 'dev' }).valueAsString, 'prod') });
    new iam.CfnPolicy(notDev.stack, 'ProdGrant', {
      policyName: 'prod-grant',
      roles: Fn.conditionIf(prod.logicalId, [m2.role.roleName], Aws.NO_VALUE) as unknown as string[],
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: t2.tableArn }] },
    });
    expect(() => notDev.app.synth()).toThrow(/MISSING_PERMISSION at \/States\/Save/);
  });

  it('reads a dynamodb.TableV2 (AWS::DynamoDB::GlobalTable) by its table name, and accepts the grant DynamoPutItem makes on it', () => {
    // aws-cdk-lib's TableV2 passes a deprecated prop to its own grants, which JSII_DEPRECATED=fail (set for the run) refuses.
    const saved = process.env.JSII_DEPRECATED;
    process.env.JSII_DEPRECATED = 'quiet';
    try {
      const { app, stack } = appWithValidator({ warnings: false });
      const table = new dynamodb.TableV2(stack, 'Reviews', { tableName: 'reviews', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      const save = new tasks.DynamoPutItem(stack, 'Save', { table, item: { id: tasks.DynamoAttributeValue.fromString('r-1') }, taskTimeout: sfn.Timeout.duration(Duration.seconds(5)) });
      new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(save) });
      expect(() => app.synth()).not.toThrow();
      const unnamed = appWithValidator({ warnings: false });
      const t2 = new dynamodb.TableV2(unnamed.stack, 'Reviews', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      const write = new sfn.CustomState(unnamed.stack, 'Save', { stateJson: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', TimeoutSeconds: 5, Parameters: { TableName: t2.tableName, Item: {} } } });
      new sfn.StateMachine(unnamed.stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(write) });
      expect(() => unnamed.app.synth()).toThrow(/MISSING_PERMISSION at \/States\/Save: state 'Save' needs dynamodb:PutItem on arn:aws:dynamodb:us-east-1:123456789012:table\/Reviews[A-F0-9]{8}\b/);
    } finally {
      process.env.JSII_DEPRECATED = saved;
    }
  });

  it('accepts the Lambda grants LambdaInvoke makes', () => {
    const { app, stack } = appWithValidator({ warnings: false });
    const charge = new tasks.LambdaInvoke(stack, 'ChargeCard', { lambdaFunction: fn(stack), payloadResponseOnly: true, taskTimeout: sfn.Timeout.duration(Duration.seconds(5)) });
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(charge) });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('StateMachineValidator and the service contracts', () => {
  it('fails synth on a field lambda:invoke does not support, and warns on a misspelt aws-sdk member', () => {
    const { app, stack } = appWithValidator();
    const bad = JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', Bogus: 1 }, End: true } } });
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromString(bad) });
    expect(() => app.synth()).toThrow(/SCHEMA_VALIDATION_FAILED at \/States\/T\/Parameters\/Bogus: The field "Bogus" is not supported by Step Functions/);
  });

  it('warns on Tablename in an aws-sdk:dynamodb:getItem, with the closest member', () => {
    const { app, stack } = appWithValidator({ permissions: 'off' });
    const misspelt = JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { Tablename: 't', Key: {} }, TimeoutSeconds: 5, End: true } } });
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromString(misspelt) });
    app.synth();
    Annotations.fromStack(stack).hasWarning('/Orders/Flow/Resource', Match.stringLikeRegexp("UNKNOWN_REQUEST_FIELD.*did you mean 'TableName'"));
  });
});
