/*
 * The guide's Fn::ForEach template (docs/running-locally.md) through every door that loads a
 * template: the CLI (language-extensions-template.test.ts), the jest harness, MCP's run tool and
 * serve --load. Each finds the machine the loop's second item makes and runs it to the same output.
 * A number in a loop's Collection, which AWS documents as strings, is read as its text and told as a
 * note at each door, naming the item.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
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

describe('a number in a Fn::ForEach Collection, at every door', () => {
  const NUMBERED = `Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Resources:
  Fn::ForEach::Shards:
    - Shard
    - [1, 2]
    - Shard\${Shard}Machine:
        Type: AWS::Serverless::StateMachine
        Properties:
          Definition: { StartAt: Hello, States: { Hello: { Type: Pass, Result: { shard: "\${Shard}" }, End: true } } }
`;
  const NOTE = "Resources.Fn::ForEach::Shards[1][0]: the loop's Collection holds the number 1, which this run reads as the text '1'";
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-foreach-number-'));
    file = path.join(dir, 'shards.yaml');
    fs.writeFileSync(file, NUMBERED);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stepwright run runs Shard2Machine and notes on stderr the number it read as text, naming the file and item', async () => {
    const run = await cli('run', file, '--state-machine', 'Shard2Machine', '--json');
    expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED', output: { shard: '2' } });
    expect(run.err).toContain(`stepwright: note: ${file}: ${NOTE}`);
    expect(run.err.match(/Shards\[1\]\[0\]/g)).toHaveLength(1);
  });

  it('the harness runs Shard2Machine and notes it on stderr', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      const run = await Workflow.fromTemplate(file, { stateMachine: 'Shard2Machine' }).run({ input: {} });
      expect({ status: run.status, output: run.output }).toEqual({ status: 'SUCCEEDED', output: { shard: '2' } });
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toContain(`stepwright: note: ${NOTE}`);
  });

  it('serve --load deploys both machines and logs the note, naming the file', async () => {
    const env = await serve({ load: [file] });
    try {
      const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines!.map((m) => m.name).filter((n) => /Shard/.test(n!))).toHaveLength(2);
      expect(env.logs.filter((l) => l.includes(NOTE))).toEqual([`${file}: ${NOTE}; CloudFormation documents a Collection of strings `
        + "and what it makes of a non-string item is not known here: quote the item as the text you mean ('1' in YAML, \"1\" in JSON) "
        + 'so the keys and values it makes are certain']);
    } finally {
      await env.stop();
    }
  });
});
