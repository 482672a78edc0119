/*
 * A parameter given to a cdk.out sets the deployed stack's parameter, not a nested stack's of the
 * same name: CloudFormation passes values to a nested stack only through its
 * AWS::CloudFormation::Stack resource's Parameters
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stack.html),
 * and what the parent passes (a Ref to its own parameter) is resolved with the value given it.
 * Before, the value given won over what the parent passed, and a Ref the parent passed was
 * resolved with its Default; a value for a parameter only a nested stack declares was taken, where
 * CloudFormation refuses it as not in the template.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { App, CfnParameter, NestedStack, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { cli } from '../../cli/run-cli';
import { startMcp } from '../../mcp/client';
import { serve, until } from '../../server/helpers';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-nested-parameters-'));
const outdir = path.join(root, 'cdk.out');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A parent with a Stage parameter; its nested stack declares its own Stage (passed 'fixed'), a Mirror (passed the parent's Stage) and an Extra. */
function synth(): void {
  const app = new App({ outdir });
  const parent = new Stack(app, 'Parent');
  const stage = new CfnParameter(parent, 'Stage', { type: 'String', default: 'dev' });
  new sfn.StateMachine(parent, 'Top', {
    stateMachineName: 'top',
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(parent, 'Answer', { result: sfn.Result.fromObject({ stage: stage.valueAsString }) })),
  });
  const nested = new NestedStack(parent, 'Inner', { parameters: { Stage: 'fixed', Mirror: stage.valueAsString } });
  const own = new CfnParameter(nested, 'Stage', { type: 'String', default: 'nested-default' });
  const mirror = new CfnParameter(nested, 'Mirror', { type: 'String', default: 'mirror-default' });
  new CfnParameter(nested, 'Extra', { type: 'String', default: 'extra' });
  new sfn.StateMachine(nested, 'Flow', {
    stateMachineName: 'inner',
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(nested, 'Answer', {
      result: sfn.Result.fromObject({ stage: own.valueAsString, mirror: mirror.valueAsString }),
    })),
  });
  app.synth();
}
synth();

describe('a parameter given to a cdk.out with a nested stack of the same parameter', () => {
  it('the CLI sets the parent\'s; the nested stack takes what the parent passes, resolved with it', async () => {
    const top = await cli('run', outdir, '--state-machine', 'top', '--parameter', 'Stage=prod', '--json');
    expect(top.err).toBe('');
    expect(JSON.parse(top.out)).toMatchObject({ status: 'SUCCEEDED', output: { stage: 'prod' } });
    const inner = await cli('run', outdir, '--state-machine', 'inner', '--parameter', 'Stage=prod', '--json');
    expect(inner.err).toBe('');
    expect(JSON.parse(inner.out)).toMatchObject({ status: 'SUCCEEDED', output: { stage: 'fixed', mirror: 'prod' } });
    const defaults = await cli('run', outdir, '--state-machine', 'inner', '--json');
    expect(JSON.parse(defaults.out)).toMatchObject({ output: { stage: 'fixed', mirror: 'dev' } });
  });

  it('the CLI refuses a value for a parameter only the nested stack declares, as CloudFormation does', async () => {
    const extra = await cli('validate', outdir, '--parameter', 'Extra=x');
    expect(extra.code).toBe(2);
    expect(extra.err).toContain('Parameters: [Extra] do not exist in the template; it declares Stage');
  });

  it('a nested stack picked alone with --stack takes the values given, as that stack deployed alone would', async () => {
    const picked = await cli('run', outdir, '--stack', 'Parent/Inner', '--state-machine', 'inner', '--parameter', 'Stage=mine', '--json');
    expect(picked.err).toBe('');
    expect(JSON.parse(picked.out)).toMatchObject({ output: { stage: 'mine', mirror: 'dev' } });
  });

  it('serve --load sets the parent\'s', async () => {
    const env = await serve({ load: [outdir], loadParameters: { Stage: 'prod' } });
    try {
      const output = async (name: string): Promise<unknown> => {
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`, input: '{}' }));
        const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
        return JSON.parse(done.output!);
      };
      expect(await output('top')).toEqual({ stage: 'prod' });
      expect(await output('inner')).toEqual({ stage: 'fixed', mirror: 'prod' });
    } finally {
      await env.stop();
    }
    await expect(serve({ load: [outdir], loadParameters: { Extra: 'x' } })).rejects.toThrow('Parameters: [Extra] do not exist in the template');
  });

  it('MCP sets the parent\'s', async () => {
    const mcp = await startMcp(root);
    try {
      const inner = await mcp.call('run', { file: 'cdk.out', stateMachine: 'inner', parameters: { Stage: 'prod' } });
      expect(inner.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { stage: 'fixed', mirror: 'prod' } });
    } finally {
      await mcp.close();
    }
  });
});
