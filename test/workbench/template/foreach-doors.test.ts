/*
 * The guide's Fn::ForEach template (docs/running-locally.md) through every door that loads a
 * template: the CLI (language-extensions-template.test.ts), the jest harness, MCP's run tool and
 * serve --load. Each finds the machine the loop's second item makes and runs it to the same output.
 */
import * as path from 'node:path';
import { DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Workflow } from '../../../src/testing';
import { startMcp } from '../../mcp/client';
import { serve } from '../../server/helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const GUIDE = path.join(FIXTURES, 'foreach-traders.yaml');

describe('the Fn::ForEach template at every door', () => {
  it('the harness runs BetaMachine, which the loop makes', async () => {
    const run = await Workflow.fromTemplate(GUIDE, { stateMachine: 'BetaMachine' }).run({ input: {} });
    expect({ status: run.status, output: run.output }).toEqual({ status: 'SUCCEEDED', output: { trader: 'Beta' } });
  });

  it('MCP\'s run tool runs BetaMachine', async () => {
    const mcp = await startMcp(FIXTURES);
    try {
      const run = await mcp.call('run', { file: 'foreach-traders.yaml', stateMachine: 'BetaMachine' });
      expect(run.isError).toBeFalsy();
      expect(run.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { trader: 'Beta' } });
    } finally {
      await mcp.close();
    }
  });

  it('serve --load deploys both machines the loop makes and runs the second', async () => {
    const env = await serve({ load: [GUIDE] });
    try {
      const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
      const beta = stateMachines!.find((m) => m.name!.includes('Beta'));
      expect(stateMachines!.map((m) => m.name).filter((n) => /Alpha|Beta/.test(n!))).toHaveLength(2);
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: beta!.stateMachineArn }));
      let described = await env.sfn.send(new DescribeExecutionCommand({ executionArn }));
      while (described.status === 'RUNNING') {
        await new Promise((resolve) => setImmediate(resolve));
        described = await env.sfn.send(new DescribeExecutionCommand({ executionArn }));
      }
      expect({ status: described.status, output: JSON.parse(described.output!) }).toEqual({ status: 'SUCCEEDED', output: { trader: 'Beta' } });
    } finally {
      await env.stop();
    }
  });
});
