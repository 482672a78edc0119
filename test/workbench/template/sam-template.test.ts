/*
 * An AWS SAM application laid out as `sam init`'s Step Functions templates lay it out (the
 * stock-trader app of aws-sam-cli-app-templates, in each runtime it ships): `template.yaml` with
 * `Transform: AWS::Serverless-2016-10-31`, an `AWS::Serverless::StateMachine` whose definition is
 * the file `statemachine/stock_trader.asl.json` (`DefinitionUri`) with `${...}` filled from
 * `DefinitionSubstitutions`, an hourly `Schedule` event and a role made from SAM policy
 * templates (`Policies`), and the functions and table it calls as `AWS::Serverless::Function` and
 * `AWS::Serverless::SimpleTable`. The template below is this test's own, written to read like
 * the generated one. Every door loads it as SAM deploys it: the harness, the CLI, MCP and serve.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListStateMachineAliasesCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ExploreReport } from '../../../src/explore/report-types';
import { checkPermissions, extractStateMachines, extractVersionedStateMachines, Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { stopExploreClock } from '../../explore-clock';
import { startMcp, type McpSession } from '../../mcp/client';
import { serve, until } from '../../server/helpers';

/** Each runtime `sam init` offers the app in: only the functions' code differs. */
const RUNTIMES = [
  { runtime: 'python3.13', handler: 'app.lambda_handler', codeUri: 'functions/stock_checker/' },
  { runtime: 'nodejs22.x', handler: 'app.lambdaHandler', codeUri: 'functions/stock-checker/' },
  { runtime: 'java21', handler: 'stockchecker.App::handleRequest', codeUri: 'functions/StockChecker' },
] as const;

/**
 * The template, in YAML with CloudFormation's short forms; `access` is what the state machine's
 * role is made from (`Policies:` or `Connectors:`), `more` other resources.
 */
function templateYaml(runtime: (typeof RUNTIMES)[number], access: string, more = ''): string {
  const fn = (id: string): string => `  ${id}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${runtime.codeUri}
      Handler: ${runtime.handler}
      Runtime: ${runtime.runtime}
      Architectures:
        - x86_64
`;
  return `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: >
  stock-trader

  Sample SAM Template for a Step Functions stock trader

Resources:
  StockTradingStateMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/stock_trader.asl.json
      DefinitionSubstitutions:
        StockCheckerFunctionArn: !GetAtt StockCheckerFunction.Arn
        StockSellerFunctionArn: !GetAtt StockSellerFunction.Arn
        StockBuyerFunctionArn: !GetAtt StockBuyerFunction.Arn
        DDBPutItem: !Sub arn:\${AWS::Partition}:states:::dynamodb:putItem
        DDBTable: !Ref TransactionTable
      Events:
        HourlyTradingSchedule:
          Type: Schedule
          Properties:
            Description: Schedule to run the stock trading state machine every hour
            Enabled: False
            Schedule: "rate(1 hour)"
${access}
${fn('StockCheckerFunction')}${fn('StockSellerFunction')}${fn('StockBuyerFunction')}
${more}  TransactionTable:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey:
        Name: Id
        Type: String
      ProvisionedThroughput:
        ReadCapacityUnits: 1
        WriteCapacityUnits: 1

Outputs:
  StockTradingStateMachineArn:
    Description: "Stock Trading state machine ARN"
    Value: !Ref StockTradingStateMachine
`;
}

/** The role `sam init`'s template gives: one policy template per function and the table. */
const ALL_POLICIES = `      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref StockCheckerFunction
        - LambdaInvokePolicy:
            FunctionName: !Ref StockSellerFunction
        - LambdaInvokePolicy:
            FunctionName: !Ref StockBuyerFunction
        - DynamoDBWritePolicy:
            TableName: !Ref TransactionTable`;

/** The same role without the seller's invoke permission. */
const NO_SELLER = ALL_POLICIES.replace(/ {8}- LambdaInvokePolicy:\n {12}FunctionName: !Ref StockSellerFunction\n/, '');

/** The role of `sam init`'s template with connectors: one per function and the table, each asking for Write. */
const connector = (id: string): string => `        ${id}Connector:
          Properties:
            Destination:
              Id: ${id}
            Permissions:
              - Write
`;
const CONNECTORS = `      Connectors:
${connector('StockCheckerFunction')}${connector('StockBuyerFunction')}${connector('TransactionTable')}`;
/** The seller's connector as a resource of its own, to the seller or (`to`) another function. */
const sellerConnector = (to: string): string => `  SellerConnector:
    Type: AWS::Serverless::Connector
    Properties:
      Source:
        Id: StockTradingStateMachine
      Destination:
        - Id: ${to}
      Permissions:
        - Write
`;

const DEFINITION = {
  Comment: 'A state machine that does mock stock trading.',
  StartAt: 'Check Stock Value',
  States: {
    'Check Stock Value': {
      Type: 'Task',
      Resource: '${StockCheckerFunctionArn}',
      Next: 'Buy or Sell?',
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 15, MaxAttempts: 5, BackoffRate: 1.5 }],
    },
    'Buy or Sell?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.stock_price', NumericLessThanEquals: 50, Next: 'Buy Stock' }],
      Default: 'Sell Stock',
    },
    'Sell Stock': { Type: 'Task', Resource: '${StockSellerFunctionArn}', Next: 'Record Transaction' },
    'Buy Stock': { Type: 'Task', Resource: '${StockBuyerFunctionArn}', Next: 'Record Transaction' },
    'Record Transaction': {
      Type: 'Task',
      Resource: '${DDBPutItem}',
      Parameters: {
        TableName: '${DDBTable}',
        Item: { Id: { 'S.$': '$.id' }, Type: { 'S.$': '$.type' }, Price: { 'N.$': '$.price' }, Quantity: { 'N.$': '$.qty' } },
      },
      End: true,
    },
  },
};

/** A MockConfigFile for the app, as a SAM project's statemachine/test/MockConfigFile.json holds one. */
const MOCK_CONFIG = {
  StateMachines: {
    StockTradingStateMachine: {
      TestCases: {
        HappyPathSellStockTest: { 'Check Stock Value': 'Above50', 'Sell Stock': 'Sold', 'Record Transaction': 'Recorded' },
        CheckStockRetryTest: { 'Check Stock Value': 'CheckFailsTwice', 'Sell Stock': 'Sold', 'Record Transaction': 'Recorded' },
      },
    },
  },
  MockedResponses: {
    Above50: { 0: { Return: { stock_price: 98 } } },
    Sold: { 0: { Return: { id: 't-1', type: 'sell', price: '98', qty: '7' } } },
    Recorded: { 0: { Return: {} } },
    CheckFailsTwice: { '0-1': { Throw: { Error: 'States.TaskFailed' } }, '2': { Return: { stock_price: 89 } } },
  },
};

let root: string;
/** The app's folder for each runtime, and one whose role lacks the seller's permission. */
const apps = new Map<string, string>();

function writeApp(name: string, yaml: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'statemachine', 'test'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'template.yaml'), yaml);
  fs.writeFileSync(path.join(dir, 'statemachine', 'stock_trader.asl.json'), JSON.stringify(DEFINITION, null, 2));
  fs.writeFileSync(path.join(dir, 'statemachine', 'test', 'MockConfigFile.json'), JSON.stringify(MOCK_CONFIG, null, 2));
  return dir;
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-sam-app-'));
  for (const r of RUNTIMES) apps.set(r.runtime, writeApp(r.runtime, templateYaml(r, ALL_POLICIES)));
  apps.set('no-seller', writeApp('no-seller', templateYaml(RUNTIMES[0], NO_SELLER)));
  // SAM publishes a version of the machine and points the alias at it (sam-resource-statemachine.html, AutoPublishAlias).
  apps.set('published', writeApp('published', templateYaml(RUNTIMES[0], `${ALL_POLICIES}\n      AutoPublishAlias: live\n      DeploymentPreference:\n        Type: ALL_AT_ONCE`)));
  apps.set('connectors', writeApp('connectors', templateYaml(RUNTIMES[1], CONNECTORS, sellerConnector('StockSellerFunction'))));
  apps.set('connectors-no-seller', writeApp('connectors-no-seller', templateYaml(RUNTIMES[1], CONNECTORS, sellerConnector('StockCheckerFunction'))));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const template = (app: string): string => path.join(apps.get(app)!, 'template.yaml');
const mockConfig = (app: string): string => path.join(apps.get(app)!, 'statemachine', 'test', 'MockConfigFile.json');

/** What a history event's details say a Task called: the Lambda function, or the integration and its table. */
function called(event: object): string {
  const e = JSON.parse(JSON.stringify(event)) as Record<string, { resource?: string; parameters?: string } | undefined>;
  if (e.lambdaFunctionScheduledEventDetails) return e.lambdaFunctionScheduledEventDetails.resource!;
  const task = e.taskScheduledEventDetails!;
  return `${task.resource} ${(JSON.parse(task.parameters!) as { TableName: string }).TableName}`;
}

describe('a SAM app as sam init lays it out, through the jest harness', () => {
  it.each(RUNTIMES.map((r) => r.runtime))('runs the %s app from its template.yaml, the definition read from DefinitionUri', async (runtime) => {
    const wf = Workflow.fromTemplate(template(runtime));
    const run = await wf.run({}, { mockConfig: { file: mockConfig(runtime), testCase: 'HappyPathSellStockTest' } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toEqual(['Check Stock Value', 'Buy or Sell?', 'Sell Stock', 'Record Transaction']);
    // What SAM substitutes: each function's ARN, the optimized integration, the table's name.
    expect(run.history.filter((e) => e.type === 'LambdaFunctionScheduled' || e.type === 'TaskScheduled').map(called)).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:function:StockCheckerFunction',
      'arn:aws:lambda:us-east-1:123456789012:function:StockSellerFunction',
      'putItem TransactionTable',
    ]);
  });

  it('runs the retry test case: the Task fails twice with States.TaskFailed, the Retry runs it again', async () => {
    const run = await Workflow.fromTemplate(template('python3.13')).run({}, { mockConfig: { file: mockConfig('python3.13'), testCase: 'CheckStockRetryTest' } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.history.filter((e) => e.type === 'LambdaFunctionFailed')).toHaveLength(2);
  });

  it('checks the state machine against the role SAM makes from its Policies', () => {
    const missing = (app: string): Array<Array<string | undefined>> => checkPermissions(Workflow.fromTemplate(template(app))).findings
      .filter((f) => f.code === 'MISSING_PERMISSION').map((f) => [f.state, f.action, f.resource]);
    expect(missing('python3.13')).toEqual([]);
    expect(missing('no-seller')).toEqual([
      ['Sell Stock', 'lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:123456789012:function:StockSellerFunction'],
    ]);
  });

  it('checks it against the role SAM makes from its connectors, embedded and AWS::Serverless::Connector', () => {
    const findings = (app: string): Array<Array<string | undefined>> => checkPermissions(Workflow.fromTemplate(template(app))).findings
      .filter((f) => f.severity === 'error').map((f) => [f.code, f.state, f.action]);
    expect(findings('connectors')).toEqual([]);
    expect(findings('connectors-no-seller')).toEqual([['MISSING_PERMISSION', 'Sell Stock', 'lambda:InvokeFunction']]);
  });
});

describe('an AWS::Serverless::StateMachine read as the SAM transform deploys it', () => {
  it('takes an inline Definition, Name, Type and Role as the state machine\'s own', () => {
    const [machine] = extractStateMachines({
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Orders: {
          Type: 'AWS::Serverless::StateMachine',
          Properties: {
            Name: 'orders',
            Type: 'EXPRESS',
            Role: 'arn:aws:iam::123456789012:role/orders-role',
            Definition: { StartAt: 'Notify', States: { Notify: { Type: 'Task', Resource: '${Fn}', End: true } } },
            DefinitionSubstitutions: { Fn: { 'Fn::GetAtt': ['Notifier', 'Arn'] } },
          },
        },
        Notifier: { Type: 'AWS::Serverless::Function', Properties: { FunctionName: 'notifier', Runtime: 'python3.13', Handler: 'app.handler' } },
      },
    });
    expect(machine).toMatchObject({ logicalId: 'Orders', name: 'orders', type: 'EXPRESS', roleArn: 'arn:aws:iam::123456789012:role/orders-role' });
    expect(machine.definition.States.Notify).toMatchObject({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:notifier' });
  });

  it("reads a function's AutoPublishAlias: !Ref Fn.Alias and ${Fn.Alias} name the alias SAM publishes", () => {
    const [machine] = extractStateMachines({
      Resources: {
        Orders: {
          Type: 'AWS::Serverless::StateMachine',
          Properties: {
            Definition: {
              StartAt: 'Notify',
              States: {
                Notify: { Type: 'Task', Resource: '${Fn}', Next: 'Again' },
                Again: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${Sub}' }, End: true },
              },
            },
            DefinitionSubstitutions: { Fn: { Ref: 'Notifier.Alias' }, Sub: { 'Fn::Sub': '${Notifier.Alias}' } },
          },
        },
        Notifier: { Type: 'AWS::Serverless::Function', Properties: { FunctionName: 'notifier', AutoPublishAlias: 'live', Runtime: 'python3.13', Handler: 'app.handler' } },
      },
    });
    expect(machine.definition.States.Notify).toMatchObject({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:notifier:live' });
    expect(machine.definition.States.Again).toMatchObject({ Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:notifier:live' } });
  });

  it("reads a function's AutoPublishAlias from the Globals section, its own winning", () => {
    // sam-specification-template-anatomy-globals.html: Globals.Function.AutoPublishAlias applies to every
    // AWS::Serverless::Function, and a function's own value overrides it.
    const [machine] = extractStateMachines({
      Transform: 'AWS::Serverless-2016-10-31',
      Globals: { Function: { Runtime: 'python3.13', Handler: 'app.handler', AutoPublishAlias: 'live' } },
      Resources: {
        Orders: {
          Type: 'AWS::Serverless::StateMachine',
          Properties: {
            Definition: { StartAt: 'A', States: { A: { Type: 'Task', Resource: '${A}', Next: 'B' }, B: { Type: 'Task', Resource: '${B}', End: true } } },
            DefinitionSubstitutions: { A: { Ref: 'Checker.Alias' }, B: { 'Fn::Sub': '${Seller.Alias}' } },
          },
        },
        Checker: { Type: 'AWS::Serverless::Function', Properties: { FunctionName: 'checker' } },
        Seller: { Type: 'AWS::Serverless::Function', Properties: { FunctionName: 'seller', AutoPublishAlias: 'prod' } },
      },
    });
    expect(machine.definition.States.A).toMatchObject({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:checker:live' });
    expect(machine.definition.States.B).toMatchObject({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:seller:prod' });
  });

  it("publishes a state machine's AutoPublishAlias as SAM does: a version and the alias on it, with its DeploymentPreference", () => {
    // sam-resource-statemachine.html: AutoPublishAlias makes <Id>Version and <Id>Alias<Name>; the alias deploys the
    // new version by the template's DeploymentPreference, ALL_AT_ONCE when it gives none.
    const machineWith = (extra: object) => extractVersionedStateMachines({
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Orders: {
          Type: 'AWS::Serverless::StateMachine',
          Properties: { Name: 'orders', AutoPublishAlias: 'live', Definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ...extra },
        },
      },
    })[0];
    const ORDERS = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
    const plain = machineWith({});
    expect(plain.versions).toEqual([expect.objectContaining({ logicalId: 'OrdersVersion', arn: `${ORDERS}:1`, stateMachineArn: ORDERS })]);
    expect(plain.aliases).toEqual([expect.objectContaining({
      logicalId: 'OrdersAliaslive',
      name: 'live',
      arn: `${ORDERS}:live`,
      stateMachineLogicalId: 'Orders',
      routing: [expect.objectContaining({ versionArn: `${ORDERS}:1`, weight: 100 })],
      deployment: expect.objectContaining({ type: 'ALL_AT_ONCE', versionArn: `${ORDERS}:1` }),
    })]);
    const canary = machineWith({ DeploymentPreference: { Type: 'CANARY', Percentage: 10, Interval: 5 } });
    expect(canary.aliases[0].deployment).toEqual(expect.objectContaining({ type: 'CANARY', versionArn: `${ORDERS}:1`, percentage: 10, intervalMinutes: 5 }));
  });

  it('keeps a field named __proto__ in the Definition of a template whose function publishes an alias', () => {
    // Written as text: in an object literal, __proto__ would set the prototype.
    const [machine] = extractStateMachines(JSON.parse(`{"Resources": {
      "Orders": {"Type": "AWS::Serverless::StateMachine", "Properties": {"Definition": {"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Result": {"__proto__": {"x": 1}, "fn": {"Ref": "Notifier.Alias"}}, "End": true}}}}},
      "Notifier": {"Type": "AWS::Serverless::Function", "Properties": {"FunctionName": "notifier", "AutoPublishAlias": "live", "Runtime": "python3.13", "Handler": "app.handler"}}}}`));
    expect(JSON.stringify((machine.definition.States.P as unknown as { Result: object }).Result))
      .toBe('{"__proto__":{"x":1},"fn":"arn:aws:lambda:us-east-1:123456789012:function:notifier:live"}');
  });

  it('reads policy templates, connector destinations and permissions named like Object.prototype\'s members as ones it does not know', () => {
    const fromTemplate = () => Workflow.fromTemplate({
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Orders: {
          Type: 'AWS::Serverless::StateMachine',
          Properties: {
            Definition: { StartAt: 'Notify', States: { Notify: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'notifier' }, End: true } } },
            Policies: [{ hasOwnProperty: {} }, { constructor: { FunctionName: 'notifier' } }, { toString: {} }],
            Connectors: {
              ToProto: { Properties: { Destination: { Id: 'constructor' }, Permissions: ['Write'] } },
              ToQueue: { Properties: { Destination: { Type: 'AWS::SQS::Queue', Arn: 'arn:aws:sqs:us-east-1:123456789012:q' }, Permissions: ['hasOwnProperty', 'constructor'] } },
            },
          },
        },
      },
    });
    const findings = checkPermissions(fromTemplate()).findings.map((f) => [f.code, f.state, f.action]);
    expect(findings).toEqual([['CANNOT_CHECK', 'Notify', 'lambda:InvokeFunction']]);
  });

  it('says an S3 DefinitionUri cannot be read offline', () => {
    expect(() => extractStateMachines({
      Resources: { M: { Type: 'AWS::Serverless::StateMachine', Properties: { DefinitionUri: { Bucket: 'b', Key: 'm.asl.json' } } } },
    })).toThrow("state machine 'M' reads its definition from an S3 DefinitionUri, which cannot be read offline");
  });
});

describe('a SAM app through the CLI', () => {
  it('validates template.yaml and checks its role: every permission granted', async () => {
    const r = await cli('validate', '--iam', template('nodejs22.x'));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${template('nodejs22.x')} StockTradingStateMachine: valid`);
    expect(r.out).toContain('iam: 4 permissions checked, 0 missing');
  });

  it('names the permission the role lacks and exits 1', async () => {
    const r = await cli('validate', '--iam', template('no-seller'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/MISSING_PERMISSION at \/States\/Sell Stock/);
    expect(r.out).toContain('lambda:InvokeFunction on arn:aws:lambda:us-east-1:123456789012:function:StockSellerFunction');
  });

  it('names a DefinitionUri it cannot read as written, relative to the template\'s folder', async () => {
    const file = path.join(root, 'cli-uri', 'template.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: ../../nope/m.asl.json\n');
    const r = await cli('run', file);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("cannot read its DefinitionUri ../../nope/m.asl.json (relative to the template's folder): no such file");
    expect(r.err).not.toContain(path.resolve(path.dirname(file), '../../nope'));
  });

  it('counts a DefinitionUri file that reads as one text, never quotes it', async () => {
    const dir = path.join(root, 'cli-text');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'root:x:0:0:root:/root:/bin/bash\ntoken-8f3a:hidden\n');
    const file = path.join(dir, 'template.yaml');
    fs.writeFileSync(file, 'Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: secret.txt\n');
    const r = await cli('validate', file);
    expect(r.code).not.toBe(0);
    expect(r.err + r.out).toMatch(/state machine 'M': the definition must be a JSON object, got a text of \d+ characters/);
    expect(r.err + r.out).not.toMatch(/root:x|token-8f3a/);
  });

  it('runs a test case of the MockConfigFile', async () => {
    const r = await cli('run', template('java21'), '--input', '{}', '--mocks', mockConfig('java21'), '--test-case', 'HappyPathSellStockTest', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', path: ['Check Stock Value', 'Buy or Sell?', 'Sell Stock', 'Record Transaction'] });
  });
});

describe('a SAM app through explore', () => {
  // The search ends by its own bounds, not by a wall-clock budget a busy machine would cut short.
  stopExploreClock();

  it('the CLI explores template.yaml: every state, transition, Choice rule and the Retry reached, each unhandled Task failure a scenario', async () => {
    const r = await cli('explore', template('python3.13'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as ExploreReport;
    expect(report.machine).toBe('StockTradingStateMachine');
    for (const category of [report.states, report.transitions, report.choiceRules, report.retries]) expect(category.reached).toBe(category.total);
    expect([report.states.total, report.transitions.total, report.choiceRules.total, report.retries.total]).toEqual([5, 5, 2, 1]);
    // Its Lambda Tasks are function ARNs (GetAtt filled in), its last an optimized DynamoDB putItem on the table's name.
    expect(report.findings.filter((f) => f.kind === 'unhandled-error').map((f) => f.state).sort()).toEqual(['Buy Stock', 'Check Stock Value', 'Record Transaction', 'Sell Stock']);
  });

  it('the harness explores Workflow.fromTemplate of the Connectors variant as the CLI explores the Policies one', async () => {
    const report = await Workflow.fromTemplate(template('connectors')).explore();
    expect([report.states.reached, report.transitions.reached, report.choiceRules.reached, report.retries.reached]).toEqual([5, 5, 2, 1]);
    expect(report.scenarios.filter((s) => s.status === 'SUCCEEDED').map((s) => s.path.join(' -> '))).toEqual(expect.arrayContaining([
      'Check Stock Value -> Buy or Sell? -> Sell Stock -> Record Transaction',
      'Check Stock Value -> Buy or Sell? -> Buy Stock -> Record Transaction',
    ]));
  });
});

describe('a SAM app through MCP', () => {
  let mcp: McpSession;
  beforeAll(async () => { mcp = await startMcp(root); });
  afterAll(() => mcp.close());

  it('validates the template and checks its role', async () => {
    const valid = await mcp.call('validate', { file: 'python3.13/template.yaml' });
    expect(valid.structuredContent).toMatchObject({ valid: true, reports: [{ source: 'python3.13/template.yaml StockTradingStateMachine', valid: true }] });
    const iam = await mcp.call('check_iam', { file: 'no-seller/template.yaml' });
    type Finding = { code: string; location: string };
    const { ok, machines } = iam.structuredContent as { ok: boolean; machines: Array<{ permissions: { findings: Finding[] } }> };
    expect(ok).toBe(false);
    expect(machines[0].permissions.findings).toEqual([expect.objectContaining({ code: 'MISSING_PERMISSION', location: '/States/Sell Stock' })]);
  });

  it.each(['missing.asl.json', '../../etc/passwd', '/etc/passwd'])('names DefinitionUri %s as written, never the folder it resolved to', async (uri) => {
    const sam = `Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: ${uri}\n`;
    fs.mkdirSync(path.join(root, 'uri'), { recursive: true });
    fs.writeFileSync(path.join(root, 'uri', 'template.yaml'), sam);
    for (const args of [{ file: 'uri/template.yaml' }, { definition: sam }]) {
      for (const tool of ['run', 'validate', 'render', 'list_state_machines']) {
        const r = await mcp.call(tool, args);
        const text = JSON.stringify(r.content);
        expect(r.isError).toBe(true);
        expect(text).toContain(`cannot read its DefinitionUri ${uri} (relative to the ${'file' in args ? "template's" : 'current'} folder)`);
        // The root, which the outside reason names, is what the user started the server with; nothing above or below it.
        expect(text.replaceAll(fs.realpathSync(root), '<root>')).not.toMatch(/\/tmp|stepwright-sam-app/);
      }
    }
  });
});

describe('a SAM app through serve --load template.yaml', () => {
  it('creates the state machine, the version and alias SAM publishes, and runs a test case of the MockConfigFile through the alias', async () => {
    // The template's retry waits 15 s: 1000 times faster, the history keeps its length.
    const env = await serve({ load: [template('published')], mockConfig: mockConfig('published'), timeScale: 1000 });
    try {
      const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines!.map((m) => m.name)).toEqual(['StockTradingStateMachine']);
      const arn = stateMachines![0].stateMachineArn!;
      const { stateMachineAliases } = await env.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }));
      expect(stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([`${arn}:live`]);
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}:live#CheckStockRetryTest`, input: '{}' }));
      const described = await env.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect([described.stateMachineAliasArn, described.stateMachineVersionArn]).toEqual([`${arn}:live`, `${arn}:1`]);
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(done.status).toBe('SUCCEEDED');
      const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
      expect(events!.filter((e) => e.type === 'LambdaFunctionFailed').map((e) => e.lambdaFunctionFailedEventDetails)).toEqual([
        { error: 'States.TaskFailed' }, { error: 'States.TaskFailed' },
      ]);
      expect(events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters).toContain('"TableName":"TransactionTable"');
    } finally {
      await env.stop();
    }
  });
});

/*
 * sam init's "Multi-step workflow with ETL" template (step-func-etl in aws-sam-cli-app-templates):
 * its Glue job's name is a template parameter with no Default, which `sam deploy` asks for
 * (`--parameter-overrides pGlueJobName=...`), and its role, with Path /service-role/, allows
 * glue:* on that job. Every door takes the parameter's value as sam deploy does; without one,
 * each says how to give it.
 */
describe("sam init's ETL template, whose parameter has no Default, at every door", () => {
  const ETL_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  pGlueJobName:
    Type: String
Resources:
  StateMachineRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service:
                - states.amazonaws.com
            Action:
              - sts:AssumeRole
      Path: "/service-role/"
      Policies:
        - PolicyName: glue
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - glue:*
                Resource:
                  - !Sub "arn:aws:glue:\${AWS::Region}:\${AWS::AccountId}:job/\${pGlueJobName}"
        - PolicyName: lambda
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - lambda:InvokeFunction
                Resource:
                  - !GetAtt FnCheck.Arn
                  - !GetAtt FnSuccess.Arn
  StateMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/asl.json
      DefinitionSubstitutions:
        GlueJobName: !Ref pGlueJobName
        FnCheck: !GetAtt FnCheck.Arn
        FnSuccess: !GetAtt FnSuccess.Arn
      Role: !GetAtt StateMachineRole.Arn
  FnCheck:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/etl_check/
      Handler: app.lambda_handler
      Runtime: python3.12
  FnSuccess:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/etl_success/
      Handler: app.lambda_handler
      Runtime: python3.12
`;
  const ETL_DEFINITION = {
    StartAt: 'Glue StartJobRun',
    States: {
      'Glue StartJobRun': { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: '${GlueJobName}' }, Next: 'Check' },
      'Check': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': '${FnCheck}', 'Payload.$': '$' }, Next: 'Success' },
      'Success': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': '${FnSuccess}', 'Payload.$': '$' }, End: true },
    },
  };
  const ETL_MOCKS = {
    StateMachines: { StateMachine: { TestCases: { HappyPath: { 'Glue StartJobRun': 'JobDone', 'Check': 'Invoked', 'Success': 'Invoked' } } } },
    MockedResponses: { JobDone: { 0: { Return: { JobRunState: 'SUCCEEDED' } } }, Invoked: { 0: { Return: { StatusCode: 200, Payload: {} } } } },
  };
  let etl: string;
  let etlMocks: string;
  /** The JobName the Glue Task sent, read from its TaskScheduled event. */
  const jobName = (events: ReadonlyArray<{ taskScheduledEventDetails?: { parameters?: string } }>): unknown =>
    JSON.parse(events.find((e) => e.taskScheduledEventDetails)!.taskScheduledEventDetails!.parameters!).JobName;

  beforeAll(() => {
    const dir = path.join(root, 'etl');
    fs.mkdirSync(path.join(dir, 'statemachine'), { recursive: true });
    etl = path.join(dir, 'template.yaml');
    etlMocks = path.join(dir, 'MockConfigFile.json');
    fs.writeFileSync(etl, ETL_TEMPLATE);
    fs.writeFileSync(path.join(dir, 'statemachine', 'asl.json'), JSON.stringify(ETL_DEFINITION));
    fs.writeFileSync(etlMocks, JSON.stringify(ETL_MOCKS));
  });

  it('the CLI takes --parameter Name=Value, as sam deploy --parameter-overrides, and says how to give a parameter it lacks', async () => {
    const missing = await cli('validate', '--iam', etl);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("parameter 'pGlueJobName' has no Default; give its value with --parameter pGlueJobName=<value>");
    const valid = await cli('validate', '--iam', '--parameter', 'pGlueJobName=nightly-etl', etl);
    expect(valid.code).toBe(0);
    expect(valid.out).toContain(`${etl} StateMachine: valid`);
    expect(valid.out).toContain('iam: 6 permissions checked, 0 missing');
    const run = await cli('run', etl, '--parameter=pGlueJobName=nightly-etl', '--mocks', etlMocks, '--test-case', 'HappyPath', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED', path: ['Glue StartJobRun', 'Check', 'Success'] });
    expect((await cli('validate', '--parameter', 'nightly-etl', etl)).err).toContain("--parameter takes Name=Value, the name of one of the template's Parameters and its value; got 'nightly-etl'");
  });

  it('the harness takes parameters, and the Task sends the job the parameter names', async () => {
    const wf = Workflow.fromTemplate(etl, { parameters: { pGlueJobName: 'nightly-etl' } });
    const run = await wf.run({}, { mockConfig: { file: etlMocks, testCase: 'HappyPath' } });
    expect(run.status).toBe('SUCCEEDED');
    expect(jobName(run.history)).toBe('nightly-etl');
  });

  it('MCP takes parameters, and says how to give a parameter it lacks', async () => {
    const mcp = await startMcp(root);
    try {
      const missing = await mcp.call('check_iam', { file: 'etl/template.yaml' });
      expect(missing.isError).toBe(true);
      expect(JSON.stringify(missing.content)).toContain("give its value with parameters: { 'pGlueJobName': <value> }");
      const iam = await mcp.call('check_iam', { file: 'etl/template.yaml', parameters: { pGlueJobName: 'nightly-etl' } });
      expect(iam.structuredContent).toMatchObject({ ok: true });
      const valid = await mcp.call('validate', { file: 'etl/template.yaml', parameters: { pGlueJobName: 'nightly-etl' } });
      expect(valid.structuredContent).toMatchObject({ valid: true });
      const run = await mcp.call('run', { file: 'etl/template.yaml', parameters: { pGlueJobName: 'nightly-etl' }, mocksFile: 'etl/MockConfigFile.json', testCase: 'HappyPath' });
      expect(run.structuredContent).toMatchObject({ status: 'SUCCEEDED', path: ['Glue StartJobRun', 'Check', 'Success'] });
    } finally {
      await mcp.close();
    }
  });

  it('serve --load takes loadParameters (--parameter), and the Task sends the job it names', async () => {
    const env = await serve({ load: [etl], loadParameters: { pGlueJobName: 'nightly-etl' }, mockConfig: etlMocks });
    try {
      const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachines![0].stateMachineArn}#HappyPath`, input: '{}' }));
      expect((await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING')).status).toBe('SUCCEEDED');
      const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(jobName(events!)).toBe('nightly-etl');
    } finally {
      await env.stop();
    }
    await expect(serve({ load: [etl] })).rejects.toThrow("parameter 'pGlueJobName' has no Default");
    const usage = await cli('serve', '--parameter', 'pGlueJobName=nightly-etl');
    expect(usage).toMatchObject({ code: 2 });
    expect(usage.err).toContain('--parameter gives a value to a parameter of the templates of --load');
  });
});
