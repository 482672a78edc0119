/*
 * A template parameter's value checked at every door as CloudFormation checks it when the stack is
 * created (parameters-section-structure.html): a value its declaration refuses, or a value for a
 * parameter the template does not declare, stops the load with CloudFormation's words, where before
 * the value was taken (or the name ignored) and the run went on with what AWS would never deploy.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { startMcp } from '../../mcp/client';
import { serve, until } from '../../server/helpers';

/** A stage parameter with AllowedValues and its ConstraintDescription, and a retry count with bounds, that the machine's output carries. */
const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]
    ConstraintDescription: Stage must be dev or prod.
  Retries:
    Type: Number
    MinValue: 0
    MaxValue: 5
    Default: 2
Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/machine
      Definition:
        StartAt: Configure
        States:
          Configure:
            Type: Pass
            Result:
              stage: !Ref Stage
              retries: !Ref Retries
            End: true
`;

let root: string;
let file: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-parameters-'));
  file = path.join(root, 'template.yaml');
  fs.writeFileSync(file, TEMPLATE);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const OUTSIDE = "Parameter Stage failed to satisfy constraint: Stage must be dev or prod.; got 'staging'";
const BELOW = "Parameter 'Retries' must be a number not less than 0; got '-1'";
const UNDECLARED = 'Parameters: [Stag] do not exist in the template; it declares Stage, Retries';

describe('template parameter values at every door, checked as CloudFormation checks them', () => {
  it('the CLI refuses a value the declaration refuses, and a name the template lacks, and runs with a good one', async () => {
    const outside = await cli('run', file, '--parameter', 'Stage=staging', '--json');
    expect(outside.code).toBe(2);
    expect(outside.err).toContain(`${file}: ${OUTSIDE}`);
    const below = await cli('validate', file, '--parameter', 'Stage=dev', '--parameter', 'Retries=-1');
    expect(below.code).toBe(2);
    expect(below.err).toContain(BELOW);
    const undeclared = await cli('validate', file, '--parameter', 'Stage=dev', '--parameter', 'Stag=prod');
    expect(undeclared.code).toBe(2);
    expect(undeclared.err).toContain(UNDECLARED);
    const run = await cli('run', file, '--parameter', 'Stage=prod', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED', output: { stage: 'prod', retries: '2' } });
  });

  it('the harness refuses them too', async () => {
    expect(() => Workflow.fromTemplate(file, { parameters: { Stage: 'staging' } })).toThrow(OUTSIDE);
    expect(() => Workflow.fromTemplate(file, { parameters: { Stage: 'dev', Stag: 'prod' } })).toThrow(UNDECLARED);
    const run = await Workflow.fromTemplate(file, { parameters: { Stage: 'dev', Retries: '5' } }).run({});
    expect(run.output).toEqual({ stage: 'dev', retries: '5' });
  });

  it('MCP refuses them too', async () => {
    const mcp = await startMcp(root);
    try {
      const outside = await mcp.call('validate', { file: 'template.yaml', parameters: { Stage: 'staging' } });
      expect(outside.isError).toBe(true);
      expect(JSON.stringify(outside.content)).toContain(OUTSIDE);
      const undeclared = await mcp.call('run', { file: 'template.yaml', parameters: { Stage: 'dev', Stag: 'prod' } });
      expect(undeclared.isError).toBe(true);
      expect(JSON.stringify(undeclared.content)).toContain(UNDECLARED);
      const run = await mcp.call('run', { file: 'template.yaml', parameters: { Stage: 'dev' } });
      expect(run.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      await mcp.close();
    }
  });

  it('serve --load refuses them too, and runs the machine with a good one', async () => {
    await expect(serve({ load: [file], loadParameters: { Stage: 'staging' } })).rejects.toThrow(OUTSIDE);
    await expect(serve({ load: [file], loadParameters: { Stage: 'dev', Stag: 'prod' } })).rejects.toThrow(UNDECLARED);
    const env = await serve({ load: [file], loadParameters: { Stage: 'prod', Retries: '0' } });
    try {
      const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachines![0].stateMachineArn, input: '{}' }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(JSON.parse(done.output!)).toEqual({ stage: 'prod', retries: '0' });
    } finally {
      await env.stop();
    }
  });
});
