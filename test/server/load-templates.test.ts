import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineAliasCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand,
  ListStateMachineAliasesCommand, ListStateMachinesCommand, ListStateMachineVersionsCommand, StartExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { PASS, ROLE, serve, streams, until } from './helpers';
import { main } from '../../src/cli/cli';
import { serveCommand } from '../../src/cli/serve-command';
import { Deployment, StateMachineAlias, StateMachineVersion } from '../../src/constructs';
import { TemplateLoadError } from '../../src/server';
import { templateFromStack } from '../../src/workbench/template';
import { cleanupSynthOutput } from '../../src/workbench/template/synth-output';

const ORDERS = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
const BLUE_GREEN = path.join(__dirname, '..', '..', 'integ', 'integ.blue-green.ts.snapshot');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-serve-templates-'));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  cleanupSynthOutput();
});

type LiveAlias = (stack: Stack, version: StateMachineVersion) => void;

/** The `orders` machine as one deploy leaves it: a Pass returning `result`, a version, and what `alias` adds. */
function ordersStack(result: string, versionId: string, description: string, alias: LiveAlias): Stack {
  const stack = new Stack(new App(), 'Shop');
  const machine = new sfn.StateMachine(stack, 'Orders', {
    stateMachineName: 'orders',
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Take order', { result: sfn.Result.fromString(result) })),
  });
  alias(stack, new StateMachineVersion(stack, versionId, { stateMachine: machine, description }));
  return stack;
}

/** Writes a stack's synthesized template into the test's folder and returns its path. */
function write(stack: Stack, file: string): string {
  const out = path.join(dir, file);
  fs.writeFileSync(out, JSON.stringify(templateFromStack(stack).template));
  return out;
}

/** Deploy 1 publishes version 1 (`v1`) behind `live`; deploy 2 publishes version 2 (`v2`) and sends `live` 80/20 between them. */
const deploy1 = write(ordersStack('v1', 'First', 'first release', (s, version) => {
  new StateMachineAlias(s, 'Live', { aliasName: 'live', description: 'what callers start', version });
}), 'deploy1.template.json');
const deploy2 = write(ordersStack('v2', 'Second', 'second release', (s, version) => {
  new StateMachineAlias(s, 'Live', {
    aliasName: 'live',
    description: 'what callers start',
    routing: [{ version: StateMachineVersion.fromVersionArn(s, 'First', `${ORDERS}:1`), weight: 80 }, { version, weight: 20 }],
  });
}), 'deploy2.template.json');
/** Deploy 2 as a CANARY: `live` moves from version 1 to version 2, 10% first. */
const canary2 = write(ordersStack('v2', 'Second', 'second release', (s, version) => {
  const failures = new cloudwatch.Alarm(s, 'Failures', { alarmName: 'orders-failures', metric: version.metricFailed(), threshold: 1, evaluationPeriods: 1 });
  new StateMachineAlias(s, 'Live', {
    aliasName: 'live',
    description: 'what callers start',
    version,
    deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(10), alarms: [failures] }),
  });
}), 'canary2.template.json');

function writeJson(file: string, value: object): string {
  const out = path.join(dir, file);
  fs.writeFileSync(out, JSON.stringify(value));
  return out;
}

const done = (client: SFNClient, executionArn: string) =>
  until(() => client.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');

describe('serve: load templates', () => {
  it('creates the machine, publishes the version of each deploy in order and creates the alias with its 80/20 routing', async () => {
    const env = await serve({ load: [deploy1, deploy2] });
    try {
      const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines!.map((m) => [m.name, m.stateMachineArn, m.type])).toEqual([['orders', ORDERS, 'STANDARD']]);
      const { stateMachineVersions } = await env.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: ORDERS }));
      expect(stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${ORDERS}:2`, `${ORDERS}:1`]);
      expect(await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${ORDERS}:1` })))
        .toMatchObject({ description: 'first release', definition: expect.stringContaining('"Result":"v1"') });
      expect(await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${ORDERS}:2` })))
        .toMatchObject({ description: 'second release', definition: expect.stringContaining('"Result":"v2"') });
      const { stateMachineAliases } = await env.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: ORDERS }));
      expect(stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([`${ORDERS}:live`]);
      expect(await env.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${ORDERS}:live` }))).toMatchObject({
        description: 'what callers start',
        routingConfiguration: [{ stateMachineVersionArn: `${ORDERS}:1`, weight: 80 }, { stateMachineVersionArn: `${ORDERS}:2`, weight: 20 }],
      });
      expect(env.server.loaded).toEqual([{
        name: 'orders',
        stateMachineArn: ORDERS,
        type: 'STANDARD',
        source: deploy2,
        versionArns: [`${ORDERS}:1`, `${ORDERS}:2`],
        aliases: [{
          name: 'live',
          stateMachineAliasArn: `${ORDERS}:live`,
          routingConfiguration: [{ stateMachineVersionArn: `${ORDERS}:1`, weight: 80 }, { stateMachineVersionArn: `${ORDERS}:2`, weight: 20 }],
        }],
      }]);
    } finally {
      await env.stop();
    }
  });

  it('leaves the machine itself with the definition of the last deploy', async () => {
    const env = await serve({ load: [deploy1, deploy2] });
    try {
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: ORDERS }));
      expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"v2"' });
    } finally {
      await env.stop();
    }
  });

  it('routes executions started on the loaded alias ARN between its two versions by weight', async () => {
    const env = await serve({ load: [deploy1, deploy2] });
    try {
      const started = await Promise.all(Array.from({ length: 100 }, () => env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${ORDERS}:live` }))));
      const described = await Promise.all(started.map((s) => done(env.sfn, s.executionArn!)));
      for (const d of described) expect(d.output).toBe(d.stateMachineVersionArn === `${ORDERS}:2` ? '"v2"' : '"v1"');
      const onV2 = described.filter((d) => d.stateMachineVersionArn === `${ORDERS}:2`).length;
      // 20% of 100 is 20 (standard deviation 4): 4.5 deviations either side keeps the test from flaking.
      expect(onV2).toBeGreaterThan(2);
      expect(onV2).toBeLessThan(38);
    } finally {
      await env.stop();
    }
  });

  it('starts a CANARY deployment of a later deploy at its first step: the new version takes Percentage, the old one the rest', async () => {
    const env = await serve({ load: [deploy1, canary2] });
    try {
      expect(await env.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${ORDERS}:live` }))).toMatchObject({
        routingConfiguration: [{ stateMachineVersionArn: `${ORDERS}:1`, weight: 90 }, { stateMachineVersionArn: `${ORDERS}:2`, weight: 10 }],
      });
    } finally {
      await env.stop();
    }
  });

  it('loads every stack of a cdk.out directory, and points a new alias with a CANARY deployment at its version with weight 100', async () => {
    const env = await serve({ load: [BLUE_GREEN] });
    try {
      const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines!.map((m) => m.name).sort()).toEqual(['CheckoutB7CD3E82', 'Fulfil41551CE2']);
      const fulfil = 'arn:aws:states:us-east-1:123456789012:stateMachine:Fulfil41551CE2';
      expect(await env.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${fulfil}:live` }))).toMatchObject({
        description: 'what callers start',
        routingConfiguration: [{ stateMachineVersionArn: `${fulfil}:1`, weight: 100 }],
      });
      expect(env.server.loaded.map((m) => m.source)).toEqual([`${BLUE_GREEN} stepwright-blue-green`, `${BLUE_GREEN} stepwright-blue-green`]);
    } finally {
      await env.stop();
    }
  });

  it('loads a cdk.out directory that an app synthesized', async () => {
    const outdir = path.join(dir, 'cdk.out');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Refunds');
    new sfn.StateMachine(stack, 'Refund', { stateMachineName: 'refund', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Refund it')) });
    app.synth();
    const env = await serve({ load: [outdir] });
    try {
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:refund', input: '{"id":1}' }));
      expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"id":1}' });
    } finally {
      await env.stop();
    }
  });

  it('names a machine without StateMachineName by its logical id, types it from the template, and uses the server region and account in its ARN', async () => {
    const template = writeJson('express.template.json', {
      Resources: {
        Quick: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { StateMachineType: 'EXPRESS', DefinitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', RoleArn: 'arn:aws:iam::999988887777:role/quick' },
        },
      },
    });
    const env = await serve({ load: [template], region: 'eu-west-1', account: '999988887777' });
    try {
      expect(await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:999988887777:stateMachine:Quick' })))
        .toMatchObject({ name: 'Quick', type: 'EXPRESS', roleArn: 'arn:aws:iam::999988887777:role/quick' });
    } finally {
      await env.stop();
    }
  });

  it('gives a machine the logging and tracing its template deploys (the CDK\'s logs and tracingEnabled), and journals nothing new loading it again', async () => {
    const stack = new Stack(new App(), 'Logged');
    const group = new logs.LogGroup(stack, 'Group');
    new sfn.StateMachine(stack, 'Traced', {
      stateMachineName: 'traced',
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')),
      logs: { destination: group, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    const template = write(stack, 'logged.template.json');
    const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
    const first = await serve({ dataDir, load: [template] });
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:traced';
    let revision: string | undefined;
    try {
      const described = await first.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      expect(described).toMatchObject({
        loggingConfiguration: {
          level: 'ALL',
          includeExecutionData: true,
          destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: expect.stringMatching(/^arn:aws:logs:us-east-1:123456789012:log-group:Group/) } }],
        },
        tracingConfiguration: { enabled: true },
      });
      revision = described.revisionId;
    } finally {
      await first.stop();
    }
    const before = fs.readFileSync(path.join(dataDir, 'journal.jsonl'), 'utf8');
    const again = await serve({ dataDir, load: [template] });
    try {
      expect(fs.readFileSync(path.join(dataDir, 'journal.jsonl'), 'utf8')).toBe(before);
      expect((await again.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).revisionId).toBe(revision);
    } finally {
      await again.stop();
    }
  });

  it('gives a machine the encryptionConfiguration its template deploys (the CDK\'s customer managed key), and journals nothing new loading it again', async () => {
    const stack = new Stack(new App(), 'Keyed');
    const key = new kms.Key(stack, 'Key');
    new sfn.StateMachine(stack, 'Keyed', {
      stateMachineName: 'keyed',
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')),
      encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(key, Duration.seconds(120)),
    });
    new sfn.StateMachine(stack, 'Owned', {
      stateMachineName: 'owned',
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Q')),
      encryptionConfiguration: new sfn.AwsOwnedEncryptionConfiguration(),
    });
    const template = write(stack, 'keyed.template.json');
    const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
    const first = await serve({ dataDir, load: [template] });
    try {
      const keyed = await first.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:keyed' }));
      expect(keyed.encryptionConfiguration).toEqual({
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: expect.stringMatching(/^arn:aws:kms:us-east-1:123456789012:key\//),
        kmsDataKeyReusePeriodSeconds: 120,
      });
      const owned = await first.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:owned' }));
      expect(owned.encryptionConfiguration).toEqual({ type: 'AWS_OWNED_KEY' });
    } finally {
      await first.stop();
    }
    const before = fs.readFileSync(path.join(dataDir, 'journal.jsonl'), 'utf8');
    const again = await serve({ dataDir, load: [template] });
    try {
      expect(fs.readFileSync(path.join(dataDir, 'journal.jsonl'), 'utf8')).toBe(before);
    } finally {
      await again.stop();
    }
  });

  it('cuts a logical id longer than a name may be, as CloudFormation names such a machine, keeping two that share a beginning apart', async () => {
    // The CDK's integ assertions make such machines (../shared/cdk-templates, integ.state-machine-variables' DeployAssert stack).
    const long = (tail: string) => `AwsApiCallawssdkclientsfnDescribeExecutionac88b279f453a1dced8aef702c638a0fWaitFor${tail}`;
    const machine = (result: string) => ({
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { DefinitionString: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } }), RoleArn: ROLE },
    });
    const template = writeJson('long-ids.template.json', { Resources: { [long('61F2417A')]: machine('a'), [long('0B9C33D1')]: machine('b') } });
    const env = await serve({ load: [template] });
    try {
      const names = env.server.loaded.map((m) => m.name);
      expect(names).toHaveLength(2);
      expect(new Set(names).size).toBe(2);
      // The first 67 characters of the logical id, a hyphen and 12 characters: 80 in all.
      for (const name of names) expect(name).toMatch(new RegExp(`^${long('').slice(0, 67)}-[0-9A-F]{12}$`));
      expect(names.every((n) => n.length === 80)).toBe(true);
      const outputs = await Promise.all(env.server.loaded.map(async (m) => {
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: m.stateMachineArn }));
        return (await done(env.sfn, executionArn!)).output;
      }));
      expect(outputs.sort()).toEqual(['"a"', '"b"']);
    } finally {
      await env.stop();
    }
  });

  it('puts the table name of a dynamodb.TableV2 (AWS::DynamoDB::GlobalTable) into the definition and the TaskScheduled event, not its logical id', async () => {
    const template = writeJson('table-v2.template.json', {
      Resources: {
        ReviewsAA74421E: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { TableName: 'reviews', Replicas: [{ Region: 'us-east-1' }] } },
        Save: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            StateMachineName: 'save',
            RoleArn: ROLE,
            DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"Put","States":{"Put":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","Parameters":{"TableName":"', { Ref: 'ReviewsAA74421E' }, '","Item":{}},"End":true}}}']] },
          },
        },
      },
    });
    const env = await serve({ load: [template] });
    try {
      const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:save';
      const { definition } = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
      expect(JSON.parse(definition!).States.Put.Parameters.TableName).toBe('reviews');
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      const { events } = await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
      const scheduled = events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!;
      expect(JSON.parse(scheduled.parameters!)).toEqual({ TableName: 'reviews', Item: {} });
    } finally {
      await env.stop();
    }
  });

  it('loads only the state machines loadStateMachines selects', async () => {
    const env = await serve({ load: [BLUE_GREEN], loadStateMachines: ['CheckoutB7CD3E82'] });
    try {
      const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines!.map((m) => m.name)).toEqual(['CheckoutB7CD3E82']);
    } finally {
      await env.stop();
    }
  });

  describe('with a data directory', () => {
    const journal = (dataDir: string) => fs.readFileSync(path.join(dataDir, 'journal.jsonl'), 'utf8');

    it('keeps what it loaded over a restart without --load', async () => {
      const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
      const first = await serve({ dataDir, load: [deploy1, deploy2] });
      await first.stop();
      const again = await serve({ dataDir });
      try {
        const { stateMachineVersions } = await again.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: ORDERS }));
        expect(stateMachineVersions).toHaveLength(2);
        expect((await again.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${ORDERS}:live` }))).routingConfiguration).toHaveLength(2);
      } finally {
        await again.stop();
      }
    });

    it('loads the same templates again after a restart without duplicating anything or journaling anything new', async () => {
      const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
      const first = await serve({ dataDir, load: [deploy1, deploy2] });
      await first.stop();
      const before = journal(dataDir);
      const again = await serve({ dataDir, load: [deploy1, deploy2] });
      try {
        expect(journal(dataDir)).toBe(before);
        expect((await again.sfn.send(new ListStateMachinesCommand({}))).stateMachines).toHaveLength(1);
        const { stateMachineVersions } = await again.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: ORDERS }));
        expect(stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${ORDERS}:2`, `${ORDERS}:1`]);
        expect(again.server.loaded).toEqual(first.server.loaded);
      } finally {
        await again.stop();
      }
    });

    it('deploys a later template loaded after a restart on top of what an earlier start loaded', async () => {
      const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
      const first = await serve({ dataDir, load: [deploy1] });
      await first.stop();
      const again = await serve({ dataDir, load: [deploy1, deploy2] });
      try {
        const { stateMachineVersions } = await again.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: ORDERS }));
        expect(stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${ORDERS}:2`, `${ORDERS}:1`]);
        expect((await again.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${ORDERS}:live` }))).routingConfiguration)
          .toEqual([{ stateMachineVersionArn: `${ORDERS}:1`, weight: 80 }, { stateMachineVersionArn: `${ORDERS}:2`, weight: 20 }]);
      } finally {
        await again.stop();
      }
    });

    it('publishes after the versions the server already had, and loads as idempotently after a restart', async () => {
      const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
      const own = await serve({ dataDir });
      await own.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: PASS, roleArn: ROLE, publish: true }));
      await own.stop();
      const first = await serve({ dataDir, load: [deploy1, deploy2] });
      await first.stop();
      const before = journal(dataDir);
      const again = await serve({ dataDir, load: [deploy1, deploy2] });
      try {
        expect(journal(dataDir)).toBe(before);
        const { stateMachineVersions } = await again.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: ORDERS }));
        expect(stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${ORDERS}:3`, `${ORDERS}:2`, `${ORDERS}:1`]);
        expect((await again.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${ORDERS}:live` }))).routingConfiguration)
          .toEqual([{ stateMachineVersionArn: `${ORDERS}:2`, weight: 80 }, { stateMachineVersionArn: `${ORDERS}:3`, weight: 20 }]);
      } finally {
        await again.stop();
      }
    });
  });

  describe('refuses to start', () => {
    it('with a load path that does not exist, naming it', async () => {
      const missing = path.join(dir, 'nope.template.json');
      const e = await serve({ load: [missing] }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TemplateLoadError);
      expect((e as TemplateLoadError).message).toBe(`load '${missing}': no such file or directory; give a template (a synthesized *.template.json, or a CloudFormation or SAM template.yaml) or a cdk.out directory ('cdk synth' writes one)`);
    });

    it('with a template that has no state machine', async () => {
      const empty = writeJson('empty.template.json', { Resources: { Q: { Type: 'AWS::SQS::Queue' } } });
      await expect(serve({ load: [empty] })).rejects.toThrow(`load '${empty}': the template has no AWS::StepFunctions::StateMachine resource`);
    });

    it('with a definition that cannot be resolved, naming the state machine and the token', async () => {
      const broken = writeJson('broken.template.json', {
        Resources: {
          Orders: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: { DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"P","States":{"P":{"Type":"Task","Resource":"', { 'Fn::GetAtt': ['Missing', 'Arn'] }, '","End":true}}}']] } },
          },
        },
      });
      await expect(serve({ load: [broken] })).rejects.toThrow(/^load '.*broken\.template\.json': state machine 'Orders', DefinitionString.*Missing/);
    });

    it('with a definition the service refuses, naming the state machine', async () => {
      const invalid = writeJson('invalid.template.json', {
        Resources: { Orders: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: '{"StartAt":"Nowhere","States":{"P":{"Type":"Pass","End":true}}}' } } },
      });
      await expect(serve({ load: [invalid] })).rejects.toThrow(/^load '.*invalid\.template\.json': state machine 'Orders' \(Orders\): CreateStateMachine: Invalid State Machine Definition/);
    });

    it("with a log group ARN without its ':*' qualifier, as CloudFormation's deploy fails and as stepwright validate reports it", async () => {
      const group = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/orders';
      const machine = (logGroupArn: string, Level: string) => ({
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
          LoggingConfiguration: { Level, IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: logGroupArn } }] },
        },
      });
      const unqualified = writeJson('unqualified-log.template.json', { Resources: { Orders: machine(group, 'ALL') } });
      const refusal = "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.";
      await expect(serve({ load: [unqualified] })).rejects.toThrow(`load '${unqualified}': state machine 'Orders' (Orders): CreateStateMachine: ${refusal}`);
      const { io, text } = streams();
      expect(await main(['validate', '--json', unqualified], io.out, io.err)).toBe(1);
      expect(JSON.parse(text.out)).toEqual([{
        source: `${unqualified} Orders`,
        valid: false,
        findings: [{
          code: 'INVALID_LOGGING_CONFIGURATION',
          severity: 'error',
          location: '/Resources/Orders/Properties/LoggingConfiguration/Destinations/0/CloudWatchLogsLogGroup/LogGroupArn',
          message: `CreateStateMachine refuses the LoggingConfiguration with InvalidLoggingConfiguration: "${refusal}" The log group ARN "${group}" must end with ':*', as the Arn of an AWS::Logs::LogGroup (Fn::GetAtt) does.`,
        }],
      }]);
      // stepwright run refuses to load it, in validate's words.
      const run = streams();
      expect(await main(['run', unqualified], run.io.out, run.io.err)).toBe(1);
      expect(run.text.err).toContain(`state machine 'Orders': CreateStateMachine refuses the LoggingConfiguration with InvalidLoggingConfiguration: "${refusal}"`);
      // What both take: the qualified ARN, and (what AWS does there not being known) a level of OFF.
      const taken = writeJson('qualified-log.template.json', { Resources: { Orders: machine(`${group}:*`, 'ERROR'), Quiet: machine(group, 'OFF') } });
      const env = await serve({ load: [taken] });
      await env.stop();
      const valid = streams();
      expect(await main(['validate', taken], valid.io.out, valid.io.err)).toBe(0);
      expect(valid.text.out).toBe(`${taken} Orders: valid\n${taken} Quiet: valid\n`);
    });

    it('with more than one log destination, as stepwright validate reports it', async () => {
      const arn = 'arn:aws:logs:us-east-1:123456789012:log-group:orders:*';
      const two = writeJson('two-logs.template.json', {
        Resources: {
          Orders: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              DefinitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
              LoggingConfiguration: { Level: 'ALL', Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: arn } }, { CloudWatchLogsLogGroup: { LogGroupArn: arn } }] },
            },
          },
        },
      });
      const refusal = 'Invalid Logging Configuration: Must specify exactly one Log Destination.';
      await expect(serve({ load: [two] })).rejects.toThrow(`CreateStateMachine: ${refusal}`);
      const { io, text } = streams();
      expect(await main(['validate', two], io.out, io.err)).toBe(1);
      expect(text.out).toContain(`  error   INVALID_LOGGING_CONFIGURATION at /Resources/Orders/Properties/LoggingConfiguration/Destinations\n          CreateStateMachine refuses the LoggingConfiguration with InvalidLoggingConfiguration: "${refusal}" It gives 2 destinations at level ALL: give exactly one CloudWatchLogsLogGroup.`);
    });

    it('with a loadStateMachines selector that matches nothing, listing the state machines', async () => {
      const e = await serve({ load: [deploy1], loadStateMachines: ['Refunds'] }).catch((x: unknown) => x) as TemplateLoadError;
      expect(e.option).toBe('loadStateMachines');
      expect(e.message).toContain("loadStateMachines 'Refunds': no state machine of the loaded templates matches");
      expect(e.message).toMatch(new RegExp(`- ${deploy1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Orders[0-9A-F]{8} \\(name orders\\)`));
    });

    it('with loadStateMachines but nothing to load', async () => {
      await expect(serve({ loadStateMachines: ['Orders'] })).rejects.toThrow("loadStateMachines 'Orders': selects among the state machines of load");
    });

    it('with a later deploy loaded without the earlier one its alias routes to, saying to load the earlier one first', async () => {
      const e = await serve({ load: [deploy2] }).catch((x: unknown) => x) as TemplateLoadError;
      expect(e.message).toMatch(new RegExp(`^load '.*deploy2\\.template\\.json': alias 'live' \\(Live[0-9A-F]{8}\\) routes twice to ${ORDERS}:1: `));
      expect(e.message).toContain('--load the templates of the earlier deploys first, oldest first');
    });

    it('with an alias routing to a version neither the templates nor the server have, naming it', async () => {
      const stale = write(ordersStack('v3', 'Third', 'third release', (s, version) => {
        new StateMachineAlias(s, 'Live', { aliasName: 'live', routing: [{ version: StateMachineVersion.fromVersionArn(s, 'Gone', `${ORDERS}:7`), weight: 50 }, { version, weight: 50 }] });
      }), 'stale.template.json');
      const e = await serve({ load: [stale] }).catch((x: unknown) => x) as TemplateLoadError;
      expect(e).toBeInstanceOf(TemplateLoadError);
      expect(e.message).toMatch(new RegExp(`^load '.*stale\\.template\\.json': alias 'live' \\(Live[0-9A-F]{8}\\): Resource not found: '${ORDERS}:7'`));
      expect(e.message).toContain('--load the template of the deploy that published it first');
    });

    it('with a template that declares a state machine the data directory holds with another type', async () => {
      const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
      const own = await serve({ dataDir });
      await own.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: PASS, roleArn: ROLE, type: 'EXPRESS' }));
      await own.stop();
      await expect(serve({ dataDir, load: [deploy1] })).rejects.toThrow(
        `the server already has ${ORDERS} as EXPRESS, and the template declares it STANDARD; a state machine cannot change type`);
    });

    it('with an ASL definition instead of a template', async () => {
      const definition = writeJson('orders.asl.json', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
      await expect(serve({ load: [definition] })).rejects.toThrow(`load '${definition}': this is an ASL definition, not a CloudFormation template`);
    });

    it('leaves the data directory usable after a failed load', async () => {
      const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
      await expect(serve({ dataDir, load: [path.join(dir, 'nope.json')] })).rejects.toBeInstanceOf(TemplateLoadError);
      const env = await serve({ dataDir, load: [deploy1] });
      await env.stop();
    });
  });
});

describe('stepwright serve --load', () => {
  it('lists --load and --state-machine in --help', async () => {
    const { io, text } = streams();
    expect(await main(['serve', '--help'], io.out, io.err)).toBe(0);
    expect(text.out).toContain('--load <template | cdk.out>');
    expect(text.out).toContain('--state-machine <selector>');
  });

  it('prints the endpoint, then one line per loaded state machine with its ARN, versions and aliases', async () => {
    const { io, text } = streams();
    let stop!: () => void;
    const running = serveCommand(['--port', '0', '--load', deploy1, '--load', deploy2], io, new Promise<void>((r) => { stop = r; }));
    const lines = await until(async () => text.out.split('\n').filter(Boolean), (l) => l.length >= 2);
    stop();
    expect(await running).toBe(0);
    expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.slice(1)).toEqual([`loaded orders ${ORDERS} STANDARD; versions: :1 :2; aliases: ${ORDERS}:live (:1 80%, :2 20%)`]);
  });

  it('serves only the state machine --state-machine selects', async () => {
    const { io, text } = streams();
    let stop!: () => void;
    const running = serveCommand(['--port', '0', '--load', BLUE_GREEN, '--state-machine', 'Fulfil41551CE2'], io, new Promise<void>((r) => { stop = r; }));
    const lines = await until(async () => text.out.split('\n').filter(Boolean), (l) => l.length >= 2);
    stop();
    expect(await running).toBe(0);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^loaded Fulfil41551CE2 .*:stateMachine:Fulfil41551CE2 STANDARD; versions: :1; aliases: .*:Fulfil41551CE2:live \(:1 100%\)$/)]);
  });

  it.each([
    ['a path that does not exist', () => ['--load', path.join(dir, 'missing')], (p: string[]) => `--load ${p[1]}: no such file or directory`],
    ['a template without state machines', () => ['--load', writeJson('queue.template.json', { Resources: { Q: { Type: 'AWS::SQS::Queue' } } })],
      (p: string[]) => `--load ${p[1]}: the template has no AWS::StepFunctions::StateMachine resource`],
    ['a --state-machine that matches nothing', () => ['--load', deploy1, '--state-machine', 'Refunds'],
      () => `--state-machine Refunds: no state machine of the loaded templates matches; choose one by logical id, StateMachineName or construct path:\n  - ${deploy1}: Orders`],
    ['a definition that cannot be resolved', () => ['--load', writeJson('unresolved.template.json', {
      Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: { 'Fn::GetAtt': ['Gone', 'Arn'] } } } },
    })], (p: string[]) => `--load ${p[1]}: state machine 'M', DefinitionString`],
    ['--state-machine without --load', () => ['--state-machine', 'Orders'], () => '--state-machine selects among the state machines of --load'],
  ])('exits 2 for %s, naming the flag and the value', async (_name, args, expected) => {
    const { io, text } = streams();
    const given = args();
    expect(await main(['serve', '--port', '0', ...given], io.out, io.err)).toBe(2);
    expect(text.err).toContain(expected(given));
    expect(text.out).toBe('');
  });
});
