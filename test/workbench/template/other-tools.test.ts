import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, DescribeStateMachineCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { startMcp, type McpSession } from '../../mcp/client';
import { serve } from '../../server/helpers';

/*
 * What Terraform and Serverless Framework users have in hand. Terraform's `terraform show -json`
 * (of a saved plan, or of the state after apply) holds each `aws_sfn_state_machine` with the
 * `definition` it sends to CreateStateMachine, `jsonencode(...)` and `templatefile(...)` already
 * interpolated: every door loads it as a template whose state machines are those resources, named
 * by address or by name. A plan that knows a definition only after apply, and a `serverless.yml`
 * (the template `serverless package` compiles from it is what holds the machines), are refused
 * with what to give instead, where they used to be read as a definition with a dozen unknown fields.
 */

const ORDERS = {
  Comment: 'Orders',
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'arn:aws:lambda:eu-west-1:111122223333:function:charge', 'Payload.$': '$' },
      ResultSelector: { 'charged.$': '$.Payload.charged' },
      End: true,
    },
  },
};
const AUDIT = { QueryLanguage: 'JSONata', StartAt: 'Note', States: { Note: { Type: 'Pass', Output: '{% {"seen": $states.input.id} %}', End: true } } };

function machineResource(address: string, name: string, definition: object, extra: Record<string, unknown> = {}) {
  return {
    address,
    mode: 'managed',
    type: 'aws_sfn_state_machine',
    name: address.split('.').pop(),
    provider_name: 'registry.terraform.io/hashicorp/aws',
    schema_version: 0,
    values: {
      definition: JSON.stringify(definition),
      name,
      name_prefix: '',
      publish: false,
      type: 'STANDARD',
      role_arn: 'arn:aws:iam::111122223333:role/orders-sfn',
      arn: `arn:aws:states:eu-west-1:111122223333:stateMachine:${name}`,
      logging_configuration: [{ include_execution_data: false, level: 'OFF', log_destination: '' }],
      tracing_configuration: [{ enabled: false }],
      ...extra,
    },
    sensitive_values: {},
  };
}

/** `terraform show -json` after apply: a root module with a Lambda function, and a child module's machine. */
const STATE = {
  format_version: '1.0',
  terraform_version: '1.9.5',
  values: {
    outputs: {},
    root_module: {
      resources: [
        { address: 'aws_lambda_function.charge', mode: 'managed', type: 'aws_lambda_function', name: 'charge', values: { function_name: 'charge' } },
        machineResource('aws_sfn_state_machine.orders', 'orders', ORDERS, {
          logging_configuration: [{ include_execution_data: true, level: 'ALL', log_destination: 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vendedlogs/states/orders:*' }],
        }),
        { address: 'data.aws_sfn_state_machine.legacy', mode: 'data', type: 'aws_sfn_state_machine', name: 'legacy', values: { definition: '{}' } },
      ],
      child_modules: [{ address: 'module.audit', resources: [machineResource('module.audit.aws_sfn_state_machine.audit', 'audit', AUDIT)] }],
    },
  },
};

/** `terraform show -json plan.out` where the definition reads a function's ARN created in the same plan. */
const PLAN = {
  format_version: '1.2',
  terraform_version: '1.9.5',
  planned_values: {
    root_module: {
      resources: [{
        address: 'aws_sfn_state_machine.orders',
        mode: 'managed',
        type: 'aws_sfn_state_machine',
        name: 'orders',
        schema_version: 0,
        values: { name: 'orders', type: 'STANDARD', publish: false },
        sensitive_values: {},
      }],
    },
  },
  resource_changes: [{
    address: 'aws_sfn_state_machine.orders',
    mode: 'managed',
    type: 'aws_sfn_state_machine',
    name: 'orders',
    change: { actions: ['create'], before: null, after: { name: 'orders' }, after_unknown: { arn: true, definition: true, role_arn: true } },
  }],
};

const SERVERLESS_YML = [
  'service: orders',
  'provider:',
  '  name: aws',
  '  runtime: nodejs20.x',
  'functions:',
  '  charge:',
  '    handler: handler.charge',
  'stepFunctions:',
  '  stateMachines:',
  '    orders:',
  '      definition:',
  '        StartAt: Charge',
  '        States:',
  '          Charge:',
  '            Type: Task',
  '            Resource:',
  '              Fn::GetAtt: [charge, Arn]',
  '            End: true',
  'plugins:',
  '  - serverless-step-functions',
  '',
].join('\n');

/**
 * What `serverless package` compiles from such a file: the serverless-step-functions plugin
 * (lib/deploy/stepFunctions/compileStateMachines.js) puts each CloudFormation function of the
 * definition into a `Fn::Sub` under the MD5 of its JSON, and leaves a Wait's `Seconds` unquoted.
 */
const CHARGE = 'c0d8c2a1d6c54a1b8c1f5e1b5f0e6a11';
const PAUSE = '6b1c7f0d5a1e4f3a9e2d4c8b7a6f5e40';
const COMPILED = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'The AWS CloudFormation template for this Serverless application',
  Parameters: { PauseSeconds: { Type: 'Number', Default: 5 } },
  Resources: {
    ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket' },
    ChargeLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { S3Bucket: { Ref: 'ServerlessDeploymentBucket' }, S3Key: 'serverless/orders/dev/1700000000000/orders.zip' },
        Handler: 'handler.charge',
        Runtime: 'nodejs20.x',
        FunctionName: 'orders-dev-charge',
      },
    },
    OrdersStepFunctionsStateMachine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: {
          'Fn::Sub': [
            JSON.stringify({
              StartAt: 'Charge',
              States: {
                Charge: { Type: 'Task', Resource: `\${${CHARGE}}`, Next: 'Pause' },
                Pause: { Type: 'Wait', Seconds: `\${${PAUSE}}`, Next: 'Where' },
                Where: { Type: 'Pass', Parameters: { 'charged.$': '$.charged', 'region': '\${AWS::Region}' }, End: true },
              },
            }, undefined, 2).replace(`"\${${PAUSE}}"`, `\${${PAUSE}}`),
            { [CHARGE]: { 'Fn::GetAtt': ['ChargeLambdaFunction', 'Arn'] }, [PAUSE]: { Ref: 'PauseSeconds' } },
          ],
        },
        RoleArn: 'arn:aws:iam::111122223333:role/orders-sfn',
        StateMachineName: 'orders-dev',
      },
    },
  },
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-other-tools-'));
const stateFile = path.join(dir, 'tfstate.json');
const planFile = path.join(dir, 'tfplan.json');
const slsFile = path.join(dir, 'serverless.yml');
const compiledFile = path.join(dir, 'cloudformation-template-update-stack.json');
fs.writeFileSync(compiledFile, JSON.stringify(COMPILED, undefined, 2));
fs.writeFileSync(stateFile, JSON.stringify(STATE));
fs.writeFileSync(planFile, JSON.stringify(PLAN));
fs.writeFileSync(slsFile, SERVERLESS_YML);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const UNKNOWN_UNTIL_APPLY = /aws_sfn_state_machine\.orders: the plan does not know its definition before apply.*terraform show -json/;
const SERVERLESS_FILE = /Serverless Framework service file.*serverless package.*cloudformation-template-update-stack\.json/;

describe("Terraform's JSON and a Serverless Framework service file", () => {
  it('loads each aws_sfn_state_machine of terraform show -json in the jest harness, by address or by name', async () => {
    const orders = Workflow.fromTemplate(stateFile, { stateMachine: 'aws_sfn_state_machine.orders' });
    expect(orders.name).toBe('orders');
    const run = await orders.run({ amount: 3 }, { mocks: { Charge: { charged: 3 } } });
    expect([run.status, run.error, run.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(run.output).toEqual({ charged: 3 });

    const audit = await Workflow.fromTemplate(stateFile, { stateMachine: 'audit' }).run({ id: 'o-1' });
    expect(audit.output).toEqual({ seen: 'o-1' });
    // The data source is not a machine Terraform manages: two machines, not three.
    expect(() => Workflow.fromTemplate(stateFile)).toThrow(/2 state machines[\s\S]*aws_sfn_state_machine\.orders[\s\S]*module\.audit\.aws_sfn_state_machine\.audit/);
  });

  it('refuses, saying what to give instead, a plan that knows the definition only after apply and a serverless.yml', () => {
    expect(() => Workflow.fromTemplate(planFile)).toThrow(UNKNOWN_UNTIL_APPLY);
    expect(() => Workflow.fromTemplate(slsFile)).toThrow(SERVERLESS_FILE);
    expect(() => Workflow.fromTemplate(JSON.stringify(PLAN))).toThrow(UNKNOWN_UNTIL_APPLY);
  });

  it("runs the template serverless package compiles, the plugin's Fn::Sub filled in", async () => {
    const wf = Workflow.fromTemplate(compiledFile);
    // The unquoted Wait Seconds takes the number the parameter gives.
    expect(wf.definition.States.Pause).toEqual({ Type: 'Wait', Seconds: 5, Next: 'Where' });
    const run = await wf.run({}, { mocks: { Charge: { charged: 7 } } });
    expect([run.status, run.output, run.path]).toEqual(['SUCCEEDED', { charged: 7, region: 'us-east-1' }, ['Charge', 'Pause', 'Where']]);
  });

  it('is valid to stepwright validate and runs with stepwright run; the refusals exit 2', async () => {
    const validated = await cli('validate', stateFile, '--no-warnings');
    expect({ code: validated.code, out: validated.out }).toEqual({
      code: 0,
      out: `${stateFile} aws_sfn_state_machine.orders: valid\n${stateFile} module.audit.aws_sfn_state_machine.audit: valid\n`,
    });
    const ran = await cli('run', stateFile, '--state-machine', 'audit', '--input', '{"id":"o-2"}', '--json');
    expect(JSON.parse(ran.out)).toMatchObject({ status: 'SUCCEEDED', output: { seen: 'o-2' } });

    const plan = await cli('validate', planFile);
    expect(plan.code).toBe(2);
    expect(plan.err).toMatch(UNKNOWN_UNTIL_APPLY);
    const sls = await cli('run', slsFile);
    expect(sls.code).toBe(2);
    expect(sls.err).toMatch(SERVERLESS_FILE);
  });

  it('is created by serve --load, its role and logging as Terraform gives them; a serverless.yml is refused', async () => {
    const { sfn, stop } = await serve({ load: [stateFile], region: 'eu-west-1', account: '111122223333' });
    try {
      const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines?.map((m) => m.name).sort()).toEqual(['audit', 'orders']);
      const orders = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachines!.find((m) => m.name === 'orders')!.stateMachineArn }));
      expect({ roleArn: orders.roleArn, loggingConfiguration: orders.loggingConfiguration, definition: JSON.parse(orders.definition!) }).toEqual({
        roleArn: 'arn:aws:iam::111122223333:role/orders-sfn',
        loggingConfiguration: {
          level: 'ALL',
          includeExecutionData: true,
          destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vendedlogs/states/orders:*' } }],
        },
        definition: ORDERS,
      });
      const audit = stateMachines!.find((m) => m.name === 'audit')!;
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: audit.stateMachineArn, input: '{"id":"o-3"}' }));
      let described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      for (let i = 0; described.status === 'RUNNING' && i < 200; i++) {
        await new Promise((r) => setTimeout(r, 10));
        described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      }
      expect({ status: described.status, output: JSON.parse(described.output ?? 'null') }).toEqual({ status: 'SUCCEEDED', output: { seen: 'o-3' } });
    } finally {
      await stop();
    }
    await expect(serve({ load: [slsFile] })).rejects.toThrow(SERVERLESS_FILE);
  });

  describe('through MCP', () => {
    let mcp: McpSession;
    beforeAll(async () => { mcp = await startMcp(dir); }, 120_000);
    afterAll(async () => { await mcp.close(); });

    it('runs a machine of the state file with the run tool', async () => {
      const ran = await mcp.call('run', { file: 'tfstate.json', stateMachine: 'audit', input: { id: 'o-4' } });
      expect(ran.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { seen: 'o-4' } });
    });
  });
});
