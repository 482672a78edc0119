import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Workflow } from '../../../src/testing';
import { extractStateMachines, templateFromStack, TemplateError } from '../../../src/workbench/template';
import { cleanupSynthOutput } from '../../../src/workbench/template/synth-output';
import { cli } from '../../cli/run-cli';
import { startMcp, textOf } from '../../mcp/client';
import { serve, until } from '../../server/helpers';

// The CDK's `DefinitionBody.fromFile` makes the definition a file asset: the template holds only
// a DefinitionS3Location (the assets bucket and `<hash>.json`), and `cdk synth` copies the file
// into cdk.out as `asset.<hash>.json`, named in `<stack>.assets.json` with that key. Every door
// that loads a cloud assembly or a synthesized stack reads the definition from there, with the
// DefinitionSubstitutions applied as CloudFormation applies them (AWS::StepFunctions::StateMachine
// S3Location: "The state machine definition must be a JSON or YAML file").

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-file-asset-'));
const outdir = path.join(root, 'cdk.out');
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  cleanupSynthOutput();
});

const ASL = {
  Comment: 'read from the file asset',
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': '${FnArn}', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Next: 'Done',
    },
    Done: { Type: 'Pass', Parameters: { 'from': '${Source}', 'got.$': '$' }, End: true },
  },
};

function fileStack(app: App): Stack {
  const file = path.join(root, 'machine.asl.json');
  fs.writeFileSync(file, JSON.stringify(ASL));
  const stack = new Stack(app, 'FileStack');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (event) => ({ inline: true, event });'),
  });
  new sfn.StateMachine(stack, 'FromFile', {
    stateMachineName: 'from-file',
    definitionBody: sfn.DefinitionBody.fromFile(file),
    definitionSubstitutions: { FnArn: fn.functionArn, Source: 'the asset' },
  });
  return stack;
}

const stack = fileStack(new App({ outdir }));
const template = templateFromStack(stack).template; // synthesizes the app into outdir
const mocksFile = path.join(root, 'mocks.json');
fs.writeFileSync(mocksFile, JSON.stringify({ Call: { mocked: true } }));

describe('a definition from DefinitionBody.fromFile', () => {
  it('is a DefinitionS3Location in the template, its file in the assembly', () => {
    const props = Object.values((template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }).Resources)
      .find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!.Properties;
    expect(props.DefinitionS3Location).toMatchObject({ Key: expect.stringMatching(/^[0-9a-f]{64}\.json$/) });
    expect(props.DefinitionString).toBeUndefined();
    expect(fs.readdirSync(outdir).filter((f) => /^asset\..*\.json$/.test(f))).toHaveLength(1);
  });

  it('is read from the cloud assembly, its substitutions applied', () => {
    const [m] = extractStateMachines(template, { templateDir: outdir });
    expect(m.definition.Comment).toBe('read from the file asset');
    expect(m.definition.States.Call).toMatchObject({ Parameters: { FunctionName: expect.stringMatching(/^arn:aws:lambda:us-east-1:123456789012:function:Fn/) } });
    expect(m.definition.States.Done).toMatchObject({ Parameters: { from: 'the asset' } });
  });

  it('still cannot be read without the assembly, and says where it would be', () => {
    let e: unknown;
    try {
      extractStateMachines(template, { templateDir: root });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(TemplateError);
    expect((e as TemplateError).code).toBe('UNSUPPORTED_DEFINITION_SOURCE');
    expect((e as TemplateError).message).toContain('DefinitionBody.fromFile keeps one in cdk.out');
  });

  it('names a file asset it cannot read as the manifest names it, not by the folder it lies in', () => {
    const copy = path.join(root, 'copy.out');
    fs.cpSync(outdir, copy, { recursive: true });
    const asset = fs.readdirSync(copy).find((f) => /^asset\..*\.json$/.test(f))!;
    fs.rmSync(path.join(copy, asset));
    let e: unknown;
    try {
      extractStateMachines(template, { templateDir: copy });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(TemplateError);
    expect((e as TemplateError).code).toBe('MISSING_DEFINITION');
    expect((e as TemplateError).message).toContain(`cannot read its DefinitionS3Location's file asset ${asset} (relative to the cloud assembly)`);
    expect((e as TemplateError).message).not.toContain(root);
  });

  it('runs in the harness from the stack and from cdk.out', async () => {
    for (const wf of [Workflow.fromStack(stack), Workflow.fromCdkOut(outdir)]) {
      const run = await wf.run({ n: 1 }, { mocks: { Call: { mocked: true } } });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toEqual({ from: 'the asset', got: { mocked: true } });
    }
  });

  it('runs and validates from the command line', async () => {
    const v = await cli('validate', outdir);
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
    const r = await cli('run', outdir, '--mocks', mocksFile, '--json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: { from: 'the asset', got: { mocked: true } } });
  });

  it('is loaded by serve, its inline Lambda answering', async () => {
    const env = await serve({ load: [outdir] });
    try {
      const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:from-file';
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"n":2}' }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toEqual({ from: 'the asset', got: { inline: true, event: { n: 2 } } });
    } finally {
      await env.stop();
    }
  });

  it('runs through MCP, reads confined to the root', async () => {
    const mcp = await startMcp(root);
    try {
      const r = await mcp.call('run', { file: 'cdk.out', mocksFile: 'mocks.json' });
      expect(textOf(r)).not.toContain('DefinitionS3Location');
      expect(r.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { from: 'the asset', got: { mocked: true } } });
    } finally {
      await mcp.close();
    }
  });
});
