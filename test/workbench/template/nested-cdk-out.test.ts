import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { cloudAssemblyStacks, extractStateMachines, templateFromCdkOut } from '../../../src/workbench/template';
import { withSourceOptions } from '../../../src/workbench/template/sources';
import { cli } from '../../cli/run-cli';
import { startMcp, textOf } from '../../mcp/client';
import { serve } from '../../server/helpers';

// A state machine in a CDK NestedStack is synthesized into its own `<id>.nested.template.json`, which
// the cloud assembly's manifest does not list: the parent's template holds an AWS::CloudFormation::Stack
// whose TemplateURL is the file's S3 key (and, under the CDK CLI, `aws:asset:path` metadata naming it).
// Every loader of a cdk.out reads those templates too, with the parameters the parent passes: the
// parent's Lambda function reaches the nested machine as a parameter, as deployed.

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-nested-out-'));
const outdir = path.join(root, 'cdk.out');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const file = path.join(root, 'machine.asl.json');
fs.writeFileSync(file, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: '${Word}', End: true } } }));

/** The parent's function as the resolver names it: a placeholder ARN with the function's logical id. */
const FN_ARN = /^arn:aws:lambda:us-east-1:123456789012:function:Fn[0-9A-F]{8}$/;

function synth(metadata: boolean): string {
  const dir = path.join(root, metadata ? 'with-metadata.out' : 'cdk.out');
  // The CDK CLI turns asset metadata on; an app synthesized by `node app.js` (or a test) has none.
  const app = new App({ outdir: dir, context: { 'aws:cdk:enable-asset-metadata': metadata } });
  const stack = new Stack(app, 'Parent');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (e) => e;'),
  });
  const nested = new NestedStack(stack, 'Inner');
  new sfn.StateMachine(nested, 'Flow', {
    stateMachineName: 'nested-flow',
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(nested, 'Call', { lambdaFunction: fn, payloadResponseOnly: true })),
  });
  new sfn.StateMachine(nested, 'FromFile', {
    stateMachineName: 'nested-file',
    definitionBody: sfn.DefinitionBody.fromFile(file),
    definitionSubstitutions: { Word: 'from the file' },
  });
  app.synth();
  return dir;
}

synth(false);
const withMetadata = synth(true);

describe('a cdk.out with a nested stack', () => {
  it.each([['without', outdir], ['with', withMetadata]])('lists the nested stack %s asset metadata, with what its parent passes', (_how, dir) => {
    const stacks = cloudAssemblyStacks(dir);
    expect(stacks.map((s) => s.displayName)).toEqual(['Parent', 'Parent/Inner']);
    const inner = stacks[1];
    expect(inner.templateFile).toMatch(/\.nested\.template\.json$/);
    expect(Object.values(inner.parameters!)).toEqual([expect.stringMatching(FN_ARN)]);
  });

  it('resolves the nested machine with the parent\'s function, from templateFromCdkOut', () => {
    const source = templateFromCdkOut(outdir, 'Parent/Inner');
    const machines = extractStateMachines(source.template, withSourceOptions(source, {}));
    const flow = machines.find((m) => m.name === 'nested-flow')!;
    expect(flow.definition.States.Call).toMatchObject({ Resource: expect.stringMatching(FN_ARN) });
    expect(machines.find((m) => m.name === 'nested-file')!.definition.States.P).toMatchObject({ Result: 'from the file' });
  });

  it('validates and runs from the command line', async () => {
    const v = await cli('validate', outdir, '--json');
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
    expect(v.out).toContain('Parent/Inner');
    const r = await cli('run', outdir, '--state-machine', 'nested-file', '--json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: 'from the file' });
  });

  it('is loaded by serve', async () => {
    const env = await serve({ load: [outdir] });
    try {
      expect(env.server.loaded.map((m) => m.name).sort()).toEqual(['nested-file', 'nested-flow']);
      const described = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nested-flow' }));
      expect(JSON.parse(described.definition!).States.Call.Resource).toMatch(FN_ARN);
    } finally {
      await env.stop();
    }
  });

  it('is listed through MCP', async () => {
    const mcp = await startMcp(root);
    try {
      const r = await mcp.call('list_state_machines', { file: 'cdk.out' });
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toContain('nested-flow');
      expect(textOf(r)).toContain('nested-file');
    } finally {
      await mcp.close();
    }
  });
});
