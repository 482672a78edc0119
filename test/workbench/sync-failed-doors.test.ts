import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { StatesErrors } from '../../src/asl/states-errors';
import { Property } from '../../src/explore';
import { Workflow } from '../../src/testing/workflow';
import type { MockConfig } from '../../src/workbench/mocks/mock-config';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';
import { asl, ROLE, serve, until } from '../server/helpers';

/*
 * One answer, every door, each with its defaults: a `states:startExecution.sync:2` Task whose child
 * answers {"Status":"FAILED"} fails with States.TaskFailed, the answer its cause, as AWS fails a
 * .sync Task whose job ended FAILED (src/asl/integrations.ts, states:startExecution's rule). The
 * answer leaves out fields DescribeExecution always returns (ExecutionArn, StateMachineArn,
 * StartDate): that is the run's advice, at every door, never a States.Runtime of explore's own.
 */

const NAME = 'Parent';
const definition = {
  StartAt: 'Child',
  States: {
    Child: {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child' },
      End: true,
    },
  },
} as StateMachineDefinition;
const ANSWER = { Status: 'FAILED' };
const ENDED = { status: 'FAILED', error: StatesErrors.TASK_FAILED, cause: JSON.stringify(ANSWER) };
const config = {
  StateMachines: { [NAME]: { TestCases: { Failed: { Child: 'failed' } } } },
  MockedResponses: { failed: { 0: { Return: ANSWER } } },
} as MockConfig;
const mocks = { Child: { Return: ANSWER } };
const byConfig = { mockConfig: { config, stateMachine: NAME, testCase: 'Failed' } };

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-sync-failed-'));
  fs.writeFileSync(path.join(root, 'parent.asl.json'), JSON.stringify(definition));
  fs.writeFileSync(path.join(root, 'mocks.json'), JSON.stringify(mocks));
  fs.writeFileSync(path.join(root, 'config.json'), JSON.stringify(config));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const file = (name: string): string => path.join(root, name);

describe('a .sync:2 child that answers {"Status":"FAILED"} fails the Task with States.TaskFailed at every door', () => {
  const wf = Workflow.fromDefinition(definition, { name: NAME });

  it('in the jest harness, given as a mock or a MockConfigFile Return', async () => {
    for (const options of [{ mocks: { Child: ANSWER } }, byConfig]) {
      const run = await wf.run({}, options);
      expect({ status: run.status, error: run.error, cause: run.cause }).toEqual(ENDED);
      expect(run.advice).toEqual([expect.objectContaining({ state: 'Child', message: expect.stringContaining("the required field 'ExecutionArn' is missing") })]);
    }
  });

  it('in explore and verify, given as explore\'s mocks or a MockConfigFile Return', async () => {
    for (const options of [{ mocks }, byConfig]) {
      const explored = await wf.explore(options);
      expect(explored.scenarios.map((s) => ({ status: s.status, error: s.error, cause: s.cause }))).toEqual([ENDED]);
      const verified = await wf.verify({ succeeds: Property.endsWith({ statuses: ['SUCCEEDED'] }) }, options);
      expect(verified.properties.succeeds.verdict).toBe('VIOLATED');
      expect(verified.properties.succeeds.counterexample).toMatchObject({ status: ENDED.status, error: ENDED.error });
    }
  });

  it('in `stepwright run` and `stepwright explore` with --mocks, a table or a MockConfigFile', async () => {
    for (const given of [['--mocks', file('mocks.json')], ['--mocks', file('config.json'), '--test-case', 'Failed']]) {
      const ran = await cli('run', file('parent.asl.json'), ...given, '--json');
      expect(JSON.parse(ran.out)).toMatchObject(ENDED);
      const explored = await cli('explore', file('parent.asl.json'), ...given, '--json');
      expect(explored.code).toBe(0);
      expect(JSON.parse(explored.out).scenarios.map((s: { status: string; error: string }) => [s.status, s.error])).toEqual([['FAILED', StatesErrors.TASK_FAILED]]);
    }
  });

  it('in serve, answered by a MockConfigFile Return', async () => {
    const env = await serve({ mockConfig: config });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: NAME, definition: asl(definition), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn!}#Failed`, input: '{}' }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect({ status: done.status, error: done.error, cause: done.cause }).toEqual(ENDED);
    } finally {
      await env.stop();
    }
  });

  it('in MCP\'s run and explore tools, given as mocks', async () => {
    const mcp = await startMcp(root);
    try {
      const ran = await mcp.call('run', { file: 'parent.asl.json', mocks });
      expect(ran.structuredContent).toMatchObject(ENDED);
      const explored = await mcp.call('explore', { file: 'parent.asl.json', mocks, details: true });
      const reports = (explored.structuredContent as { reports: Array<{ scenarios: Array<{ status: string; error: string }> }> }).reports;
      expect(reports[0].scenarios.map((s) => [s.status, s.error])).toEqual([['FAILED', StatesErrors.TASK_FAILED]]);
    } finally {
      await mcp.close();
    }
  });
});
