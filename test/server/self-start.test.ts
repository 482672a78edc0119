/*
 * A state machine whose Task starts an execution of itself (`states:startExecution.sync:2` on its
 * own ARN) starts executions until the account's quota of open executions refuses one: "Maximum
 * open executions per account: 1,000,000 ... Exceeding this will cause an ExecutionLimitExceeded
 * error" (Step Functions service quotas). serve keeps its own, smaller bound (OPEN_EXECUTIONS_BOUND, every door's),
 * so that the chain ends FAILED within memory, and starts each child on a turn of the event loop
 * of its own, so that it answers requests and signals while the chain grows.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as sdk from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import { AwsLimits } from '../../src/asl/limits';
import { client } from '../../src/server';
import { OPEN_EXECUTIONS_BOUND } from '../../src/workbench/workflow/chains';

const SERVE_CHILD = path.join(__dirname, 'fixtures', 'serve-child.js');
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:rec';
const SELF_STARTING = asl({
  StartAt: 'Again',
  States: { Again: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: ARN }, End: true } },
});

/** Every execution of `rec` that ended FAILED, once `count` have. */
async function failedExecutions(sfn: sdk.SFNClient, count: number): Promise<sdk.ExecutionListItem[]> {
  const list = async (): Promise<sdk.ExecutionListItem[]> => {
    const all: sdk.ExecutionListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new sdk.ListExecutionsCommand({ stateMachineArn: ARN, statusFilter: 'FAILED', maxResults: 1000, nextToken }));
      all.push(...page.executions!);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return all;
  };
  return until(list, (all) => all.length >= count);
}

describe('serve: a state machine that starts itself', () => {
  it('keeps its own bound of open executions, far below AWS\'s quota', () => {
    expect(OPEN_EXECUTIONS_BOUND).toBe(5_000);
    expect(OPEN_EXECUTIONS_BOUND).toBeLessThan(AwsLimits.OPEN_EXECUTIONS);
  });

  it('answers DescribeExecution while the chain grows, and ends FAILED with ExecutionLimitExceeded at the bound', async () => {
    const env = await serve({ openExecutionLimit: 300 });
    try {
      const { sfn } = env;
      await sfn.send(new sdk.CreateStateMachineCommand({ name: 'rec', definition: SELF_STARTING, roleArn: ROLE }));
      const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: ARN, name: 'root' }));
      // Asked at once: the chain is 300 executions long, and serve answers between two of its starts.
      expect(await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'RUNNING' });

      const failed = await failedExecutions(sfn, 300);
      expect(failed).toHaveLength(300);
      const refused = await Promise.all(failed.map((e) => sfn.send(new sdk.DescribeExecutionCommand({ executionArn: e.executionArn }))));
      // The last of the chain is refused its child by the quota; each one above fails as its child did.
      const last = refused.filter((d) => d.error === 'StepFunctions.ExecutionLimitExceededException');
      expect(last).toHaveLength(1);
      expect(last[0].cause).toMatch(/^Execution Limit Exceeded: 300 executions are open/);
      expect(refused.filter((d) => d.error === 'States.TaskFailed')).toHaveLength(299);
      const root = await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }));
      expect(root).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
      // Each cause holds its child's, the whole cut at what DescribeExecution gives: 300 levels of escaped text stay bounded.
      expect(root.cause!.length).toBeLessThanOrEqual(AwsLimits.CAUSE_CHARS);
    } finally {
      await env.stop();
    }
  });

  it('cuts a parent\'s whole cause at 32,768 characters when its failed .sync:2 child\'s description is longer', async () => {
    const env = await serve();
    try {
      const { sfn } = env;
      const leaf = await sfn.send(new sdk.CreateStateMachineCommand({
        name: 'leaf',
        roleArn: ROLE,
        definition: asl({ StartAt: 'No', States: { No: { Type: 'Fail', Error: 'Leaf.Failed', Cause: 'the leaf fails' } } }),
      }));
      const parent = await sfn.send(new sdk.CreateStateMachineCommand({
        name: 'parent',
        roleArn: ROLE,
        definition: asl({
          StartAt: 'Call',
          States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { 'StateMachineArn': leaf.stateMachineArn, 'Input.$': '$' }, End: true } },
        }),
      }));
      // The child's input is in its description, the parent's cause: 40,000 characters of it.
      const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: parent.stateMachineArn, input: JSON.stringify({ pad: '😀'.repeat(20_000) }) }));
      const done = await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(done).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
      expect(done.cause!.length).toBeLessThanOrEqual(AwsLimits.CAUSE_CHARS);
      expect(done.cause!.length).toBeGreaterThan(AwsLimits.CAUSE_CHARS - 2);
      expect(done.cause).not.toMatch(/[\uD800-\uDBFF]$/);
      expect(done.cause).toMatch(/^\{"Cause":"the leaf fails","Error":"Leaf.Failed"/);
    } finally {
      await env.stop();
    }
  });

  it('stops at serve\'s own bound when given none, and says how to raise it', async () => {
    const env = await serve();
    try {
      const { sfn } = env;
      await sfn.send(new sdk.CreateStateMachineCommand({ name: 'rec', definition: SELF_STARTING, roleArn: ROLE }));
      const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: ARN }));
      await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 50_000);
      const failed = await failedExecutions(sfn, OPEN_EXECUTIONS_BOUND);
      expect(failed).toHaveLength(OPEN_EXECUTIONS_BOUND);
      let refused: sdk.DescribeExecutionCommandOutput | undefined;
      for (let i = 0; refused === undefined && i < failed.length; i += 100) {
        const page = failed.slice(i, i + 100);
        const described = await Promise.all(page.map((e) => sfn.send(new sdk.DescribeExecutionCommand({ executionArn: e.executionArn }))));
        refused = described.find((d) => d.error === 'StepFunctions.ExecutionLimitExceededException');
      }
      expect(refused?.cause).toContain(`${OPEN_EXECUTIONS_BOUND} executions are open`);
      expect(refused?.cause).toContain('serve\'s own bound, below AWS\'s quota of 1000000: raise it with --open-executions <n>');
    } finally {
      await env.stop();
    }
  }, 60_000);

  it('stops on SIGTERM while the chain grows', async () => {
    // A bound the chain does not reach before the signal: the process must end while it still runs.
    const child = spawn(process.execPath, [SERVE_CHILD, 'serve', '--port', '0', '--no-console', '--open-executions', '50000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += String(d); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(String(d).split('\n')[0].trim()));
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const sfn = client(endpoint);
      try {
        await sfn.send(new sdk.CreateStateMachineCommand({ name: 'rec', definition: SELF_STARTING, roleArn: ROLE }));
        const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: ARN }));
        expect(await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'RUNNING' });
      } finally {
        sfn.destroy();
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
