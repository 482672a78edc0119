import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { InvalidDefinitionError } from '../../../src/asl/validate';
import { StateMachineValidator } from '../../../src/constructs/validation-aspect';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { startMcp, type McpSession } from '../../mcp/client';
import { refusal, ROLE, serve } from '../../server/helpers';

/*
 * A template whose DefinitionSubstitutions miss a `${...}` of a Task's Resource: CloudFormation
 * leaves the text as it is, and Step Functions refuses the definition ("SCHEMA_VALIDATION_FAILED:
 * Value is not a valid resource ARN at /States/<state>/Resource", quoted from CDK deployments;
 * Step Functions Local answers a SAM app's unsubstituted ASL file alike,
 * aws/aws-sam-cli-app-templates#185). Every door that takes the template refuses it as the deploy
 * would; an ASL file, which a deploy still substitutes into, keeps its `${...}` as a placeholder.
 */

const AWS_WORDS = 'SCHEMA_VALIDATION_FAILED: Value is not a valid resource ARN at /States/Charge/Resource';
const ASL = { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: '${ChargeArn}', End: true } } };

/** The machine's DefinitionSubstitutions name `ChargeFn`, where its Resource asks for `ChargeArn`. */
const TEMPLATE = {
  Resources: {
    ChargeFn: {
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/charge', Code: { ZipFile: 'exports.handler = async () => ({})' } },
    },
    Orders: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'Orders',
        RoleArn: 'arn:aws:iam::123456789012:role/orders',
        DefinitionString: JSON.stringify(ASL),
        DefinitionSubstitutions: { ChargeFn: { 'Fn::GetAtt': ['ChargeFn', 'Arn'] } },
      },
    },
  },
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-unsubstituted-'));
const templateFile = path.join(dir, 'orders.template.json');
const aslFile = path.join(dir, 'orders.asl.json');
const mocksFile = path.join(dir, 'mocks.json');
fs.writeFileSync(templateFile, JSON.stringify(TEMPLATE));
fs.writeFileSync(aslFile, JSON.stringify(ASL));
fs.writeFileSync(mocksFile, JSON.stringify({ Charge: { charged: true } }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a Resource whose ${...} no DefinitionSubstitutions entry replaced', () => {
  it('is refused by the jest harness, naming the state, the substitution and the fix', () => {
    expect(() => Workflow.fromTemplate(TEMPLATE)).toThrow(InvalidDefinitionError);
    expect(() => Workflow.fromTemplate(TEMPLATE)).toThrow(/\/States\/Charge\/Resource \[INVALID_RESOURCE\]: .*no substitution replaced its \$\{ChargeArn\}.*entry 'ChargeArn'/);
  });

  it('is invalid to stepwright validate, and stepwright run refuses to run it even with a mock', async () => {
    const validated = await cli('validate', templateFile);
    expect(validated.code).toBe(1);
    expect(validated.out).toContain('error   INVALID_RESOURCE at /States/Charge/Resource');
    const ran = await cli('run', templateFile, '--mocks', mocksFile);
    expect(ran.code).not.toBe(0);
    expect(ran.err).toContain('Value is not a valid resource ARN');
  });

  it('is a warning of stepwright validate where it is left in a value, such as a Lambda FunctionName', async () => {
    const invoke = { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${ChargeArn}' }, End: true } } };
    const props = { ...TEMPLATE.Resources.Orders.Properties, DefinitionString: JSON.stringify(invoke) };
    const file = path.join(dir, 'invoke.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: { ...TEMPLATE.Resources, Orders: { ...TEMPLATE.Resources.Orders, Properties: props } } }));
    const validated = await cli('validate', file);
    expect(validated.code).toBe(0);
    expect(validated.out).toContain('warning UNRESOLVED_SUBSTITUTION at /States/Charge/Parameters/FunctionName');
  });

  it('stays a placeholder in an ASL file, which a deploy still substitutes into', async () => {
    const validated = await cli('validate', aslFile);
    expect(validated.code).toBe(0);
    const ran = await cli('run', aslFile, '--mocks', mocksFile, '--json');
    expect(JSON.parse(ran.out)).toMatchObject({ status: 'SUCCEEDED', output: { charged: true } });
  });

  it('is refused by serve in AWS\'s words: --load, CreateStateMachine and ValidateStateMachineDefinition', async () => {
    await expect(serve({ load: [templateFile] })).rejects.toThrow(`CreateStateMachine: Invalid State Machine Definition: '${AWS_WORDS}'`);
    const { sfn: client, stop } = await serve();
    try {
      const created = await refusal(client.send(new CreateStateMachineCommand({ name: 'orders', definition: JSON.stringify(ASL), roleArn: ROLE })));
      expect(created.name).toBe('InvalidDefinition');
      expect(created.message).toBe(`Invalid State Machine Definition: '${AWS_WORDS}'`);
      const uri = { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'lambda:charge', End: true } } };
      const validated = await client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(uri) }));
      expect(validated.result).toBe('FAIL');
      expect(validated.diagnostics).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Value is not a valid resource ARN', location: '/States/Charge/Resource' }]);
    } finally {
      await stop();
    }
  });

  describe('through MCP', () => {
    let mcp: McpSession;
    beforeAll(async () => { mcp = await startMcp(dir); }, 120_000);
    afterAll(async () => { await mcp.close(); });

    it('answers validate with the error, and refuses to run it', async () => {
      const validated = await mcp.call('validate', { file: 'orders.template.json', warnings: false });
      const report = validated.structuredContent as { valid: boolean; reports: Array<{ findings: Array<Record<string, string>> }> };
      expect(report.valid).toBe(false);
      expect(report.reports[0].findings).toEqual([expect.objectContaining({ code: 'INVALID_RESOURCE', severity: 'error', location: '/States/Charge/Resource' })]);
      const ran = await mcp.call('run', { file: 'orders.template.json', mocks: { Charge: { charged: true } } });
      expect(ran.isError).toBe(true);
      expect(JSON.stringify(ran.content)).toContain('no substitution replaced its ${ChargeArn}');
    });
  });

  it('fails the synth of a CDK stack whose definitionSubstitutions miss it', () => {
    const app = new App();
    Aspects.of(app).add(new StateMachineValidator({ warnings: false }));
    const stack = new Stack(app, 'Orders');
    new sfn.StateMachine(stack, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(ASL)),
      definitionSubstitutions: { ChargeFn: 'arn:aws:lambda:us-east-1:123456789012:function:charge' },
    });
    expect(() => app.synth()).toThrow(/INVALID_RESOURCE at \/States\/Charge\/Resource/);
  });
});
