import * as fs from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { mutants, type MutableTemplate } from './mutants';
import { PermissionCodes, type PermissionReport } from '../../src/iam';
import { checkPermissions } from '../../src/testing';
import { itWithShared, sharedPath } from '../shared-data';

type Build = (stack: Stack) => { task: sfn.IChainable; grant?: (machine: sfn.StateMachine) => void };

function stackWith(build: Build, props: Partial<sfn.StateMachineProps> = {}): MutableTemplate {
  const stack = new Stack(new App(), 'Encrypted', { env: { account: '123456789012', region: 'us-east-1' } });
  const { task, grant } = build(stack);
  const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(task), ...props });
  grant?.(machine);
  return Template.fromStack(stack).toJSON() as MutableTemplate;
}

const errors = (r: PermissionReport): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => `${f.state || '(machine)'} ${f.action}`);
const kmsChecks = (r: PermissionReport): string[] => r.checks.filter((c) => c.action.startsWith('kms:')).map((c) => `${c.action} ${c.decision}`);
const caughtKms = (t: MutableTemplate): string[] => mutants(t).filter((m) => m.where.startsWith('kms:') && m.needed && m.caughtNamingAction).map((m) => m.where);

describe('targets encrypted with a customer managed KMS key', () => {
  it('needs kms:GenerateDataKey and kms:Decrypt to send to an SQS queue with a KMS key: the CDK task grants them, and removing them is caught naming each', () => {
    const t = stackWith((stack) => {
      const queue = new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: new kms.Key(stack, 'Key') });
      return { task: new tasks.SqsSendMessage(stack, 'Send', { queue, messageBody: sfn.TaskInput.fromText('hi') }) };
    });
    const [report] = checkPermissions(t);
    expect(errors(report)).toEqual([]);
    expect(kmsChecks(report)).toEqual(['kms:GenerateDataKey allowed', 'kms:Decrypt allowed']);
    expect(caughtKms(t)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('carries the encryption context SQS sends, so a grant conditioned on another queue does not count', () => {
    const t = stackWith((stack) => {
      const queue = new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: new kms.Key(stack, 'Key') });
      return { task: new tasks.SqsSendMessage(stack, 'Send', { queue, messageBody: sfn.TaskInput.fromText('hi') }) };
    });
    const policy = Object.values(t.Resources).find((r) => r.Type === 'AWS::IAM::Policy')!;
    for (const s of policy.Properties!.PolicyDocument.Statement) {
      if ([].concat(s.Action).some((a: string) => a.startsWith('kms:'))) s.Condition = { StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': 'arn:aws:sqs:us-east-1:123456789012:another' } };
    }
    expect(errors(checkPermissions(t)[0])).toEqual(['Send kms:GenerateDataKey', 'Send kms:Decrypt']);
  });

  it('finds that SnsPublish to a topic with a KMS key grants no use of the key (aws-cdk#32303), and passes once topic.grantPublish adds it', () => {
    const build = (grant: boolean) => stackWith((stack) => {
      const topic = new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'Key') });
      return {
        task: new tasks.SnsPublish(stack, 'Notify', { topic, message: sfn.TaskInput.fromText('hi') }),
        grant: grant ? (machine) => { topic.grantPublish(machine); } : undefined,
      };
    });
    expect(errors(checkPermissions(build(false))[0])).toEqual(['Notify kms:GenerateDataKey', 'Notify kms:Decrypt']);
    const granted = build(true);
    expect(errors(checkPermissions(granted)[0])).toEqual([]);
    expect(caughtKms(granted)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('needs kms:Decrypt for an item call on a DynamoDB table with a customer managed key, which DynamoPutItem does not grant', () => {
    const build = (grant: boolean) => stackWith((stack) => {
      const table = new dynamodb.Table(stack, 'Table', {
        partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: new kms.Key(stack, 'Key'),
      });
      return {
        task: new tasks.DynamoPutItem(stack, 'Save', { table, item: { id: tasks.DynamoAttributeValue.fromString('1') } }),
        grant: grant ? (machine) => { table.grantWriteData(machine); } : undefined,
      };
    });
    expect(errors(checkPermissions(build(false))[0])).toEqual(['Save kms:Decrypt']);
    const granted = build(true);
    expect(errors(checkPermissions(granted)[0])).toEqual([]);
    expect(caughtKms(granted)).toEqual(['kms:Decrypt']);
  });

  it("needs kms:Decrypt and kms:GenerateDataKey for the state machine's own customer managed key, with its ARN as encryption context", () => {
    const stack = new Stack(new App(), 'Encrypted', { env: { account: '123456789012', region: 'us-east-1' } });
    new sfn.StateMachine(stack, 'Machine', {
      stateMachineName: 'Orders',
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Noop')),
      encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(new kms.Key(stack, 'Key')),
    });
    const withKey = Template.fromStack(stack).toJSON() as MutableTemplate;
    const [report] = checkPermissions(withKey);
    expect(report.checks.map((c) => `${c.state || '(machine)'} ${c.action} ${c.decision}`)).toEqual(['(machine) kms:GenerateDataKey allowed', '(machine) kms:Decrypt allowed']);
    expect(caughtKms(withKey)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    const removed = mutants(withKey).find((m) => m.where === 'kms:Decrypt')!;
    expect(removed.named).toEqual(['kms:Decrypt']);
    // The CDK's grant names the machine in its encryption-context condition; for another machine it does not count.
    const other = JSON.parse(JSON.stringify(withKey).replace(/:stateMachine:Orders/g, ':stateMachine:Other')) as MutableTemplate;
    expect(JSON.stringify(other)).toContain('"StateMachineName":"Orders"');
    expect(errors(checkPermissions(other)[0])).toEqual(['(machine) kms:GenerateDataKey', '(machine) kms:Decrypt']);
  });

  it("names the CDK's grant a machine without stateMachineName misses: its encryption context is the ARN with no name", () => {
    // aws-cdk-lib conditions its grant on formatArn(resourceName: physicalName), empty for a machine CloudFormation names.
    const stack = new Stack(new App(), 'Encrypted', { env: { account: '123456789012', region: 'us-east-1' } });
    new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Noop')),
      encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(new kms.Key(stack, 'Key')),
    });
    const [report] = checkPermissions(Template.fromStack(stack).toJSON() as MutableTemplate);
    const missing = report.findings.filter((f) => f.severity === 'error');
    expect(missing.map((f) => f.action)).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    for (const f of missing) {
      expect(f.message).toMatch(/but a statement of AWS::IAM::Policy MachineRoleDefaultPolicy\w+ allows it only if condition StringEquals on 'kms:EncryptionContext:aws:states:stateMachineArn' holds, and it does not: /);
      expect(f.message).toContain("it names 'arn:aws:states:us-east-1:123456789012:stateMachine:', and here it is 'arn:aws:states:us-east-1:123456789012:stateMachine:Machine");
    }
  });

  it('does not ask for a grant of a key AWS manages (alias/aws/sqs)', () => {
    const t = stackWith((stack) => {
      const queue = new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS_MANAGED });
      return { task: new tasks.SqsSendMessage(stack, 'Send', { queue, messageBody: sfn.TaskInput.fromText('hi') }) };
    });
    const [report] = checkPermissions(t);
    expect(kmsChecks(report)).toEqual([]);
    expect(errors(report)).toEqual([]);
  });
});

describe('the policy of a KMS key of the template', () => {
  /** A queue encrypted with a key whose policy is given, and a role with the given extra statements. */
  function queueTemplate(keyPolicy: object | undefined, roleStatements: object[]): MutableTemplate {
    return {
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: keyPolicy === undefined ? {} : { KeyPolicy: keyPolicy } },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
        Policy: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyName: 'p',
            Roles: [{ Ref: 'Role' }],
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } }, ...roleStatements] },
          },
        },
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
            DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"', { Ref: 'Queue' }, '","MessageBody":"x"},"End":true}}}']] },
          },
        },
      },
    };
  }
  const root = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } };
  const useKey = { Effect: 'Allow', Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': ['Key', 'Arn'] } };

  it('lets a grant in the role count when the key policy allows the account (the default key policy does)', () => {
    expect(errors(checkPermissions(queueTemplate(undefined, [useKey]))[0])).toEqual([]);
    expect(errors(checkPermissions(queueTemplate({ Statement: [{ Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' }] }, [useKey]))[0])).toEqual([]);
  });

  it('allows the role a key policy names, without a grant in the role', () => {
    const policy = { Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['Role', 'Arn'] } }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' }] };
    const [report] = checkPermissions(queueTemplate(policy, []));
    expect(errors(report)).toEqual([]);
    // A key policy's `*` is the key itself: not an over-broad grant.
    expect(report.findings.filter((f) => f.code === PermissionCodes.OVER_BROAD_GRANT)).toEqual([]);
  });

  it('denies the use of a key whose policy neither names the role nor allows the account, whatever the role says', () => {
    const policy = { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/Someone' }, Action: 'kms:*', Resource: '*' }] };
    const [report] = checkPermissions(queueTemplate(policy, [useKey]));
    expect(errors(report)).toEqual(['Send kms:GenerateDataKey', 'Send kms:Decrypt']);
    expect(report.findings[0].message).toContain('neither allows the role nor lets IAM policies allow it');
  });

  it('applies an explicit Deny of the key policy', () => {
    const policy = { Statement: [{ Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] };
    const [report] = checkPermissions(queueTemplate(policy, [useKey]));
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.action}`)).toEqual(['DENIED_PERMISSION kms:Decrypt']);
  });

  it('cannot check a key whose policy holds a statement with actions that are not text, naming the statement', () => {
    const policy = { Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['Role', 'Arn'] } }, Action: { Decrypt: true }, Resource: '*' }] };
    const [report] = checkPermissions(queueTemplate(policy, []));
    expect(report.findings.map((f) => `${f.code} ${f.action}`)).toEqual(['CANNOT_CHECK kms:GenerateDataKey', 'CANNOT_CHECK kms:Decrypt']);
    expect(report.findings[0].message).toContain('statement 0 (its actions or resources are not text) of the key policy of');
  });

  it('cannot check, saying why, a key defined outside the template that the role is not granted', () => {
    const t = queueTemplate(undefined, []);
    t.Resources.Queue.Properties!.KmsMasterKeyId = 'arn:aws:kms:us-east-1:123456789012:key/0000-outside';
    const [report] = checkPermissions(t);
    expect(errors(report)).toEqual([]);
    expect(report.findings.map((f) => `${f.code} ${f.action}`)).toEqual(['CANNOT_CHECK kms:GenerateDataKey', 'CANNOT_CHECK kms:Decrypt']);
    expect(report.findings[0].message).toContain('is not defined in the template');
  });

  it('follows an alias of the template to its key, and cannot check an alias defined elsewhere', () => {
    const t = queueTemplate(undefined, [useKey]);
    t.Resources.Alias = { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/orders', TargetKeyId: { Ref: 'Key' } } };
    t.Resources.Queue.Properties!.KmsMasterKeyId = 'alias/orders';
    expect(kmsChecks(checkPermissions(t)[0])).toEqual(['kms:GenerateDataKey allowed', 'kms:Decrypt allowed']);
    t.Resources.Queue.Properties!.KmsMasterKeyId = 'alias/elsewhere';
    const [report] = checkPermissions(t);
    expect(report.findings.map((f) => f.code)).toEqual([PermissionCodes.CANNOT_CHECK, PermissionCodes.CANNOT_CHECK]);
    expect(report.findings[0].message).toContain('alias/elsewhere, which is not defined in this template');
  });
});

describe('encrypted targets of the real CDK templates (../shared/cdk-templates)', () => {
  const load = (file: string): MutableTemplate => JSON.parse(fs.readFileSync(sharedPath('cdk-templates', file), 'utf-8')) as MutableTemplate;

  itWithShared('cdk-templates', 'checks the KMS keys of the buckets a Distributed Map reads and writes, and catches each removed grant', () => {
    const t = load('integ.distributed-map-kms__aws-stepfunctions-distributed-map-kms.template.json');
    const [report] = checkPermissions(t);
    expect(kmsChecks(report)).toEqual(['kms:Decrypt allowed', 'kms:GenerateDataKey allowed', 'kms:Decrypt allowed']);
    expect(caughtKms(t)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  itWithShared('cdk-templates', 'checks the keys of the state machine and of the activity it calls, with their encryption contexts', () => {
    const t = load('integ.state-machine-and-activity-cmk__aws-stepfunctions-statemachine-and-activity-with-cmk-encryptionconfig.template.json');
    const [report] = checkPermissions(t);
    expect(report.checks.filter((c) => c.action.startsWith('kms:')).map((c) => `${c.state || '(machine)'} ${c.action} ${c.decision}`)).toEqual([
      '(machine) kms:GenerateDataKey allowed', '(machine) kms:Decrypt allowed', expect.stringMatching(/ kms:GenerateDataKey allowed$/), expect.stringMatching(/ kms:Decrypt allowed$/),
    ]);
    expect(caughtKms(t)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});
