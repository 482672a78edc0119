/*
 * The other ways a state machine starts itself, besides `states:startExecution.sync:2` (self-start.test.ts):
 * a request-response `states:startExecution` (the parent ends, its child runs on), a `.waitForTaskToken` one (each
 * parent waits for a token nobody sends), an EXPRESS machine started by
 * StartSyncExecution (EXPRESS executions are not open executions: "Express executions not counted",
 * Step Functions service quotas) and a Distributed Map whose children start the parent. AWS runs each
 * chain as long as its quotas let it; serve holds every execution in one process, so it ends each chain
 * at its own bound (OPEN_EXECUTIONS_BOUND, or `openExecutionLimit`): past it, the Task that would start
 * one more fails with StepFunctions.ExecutionLimitExceededException, as past the open-executions quota.
 * Counts are read through serve's own API (ListExecutions, its cost log), never timed.
 */
import * as sdk from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';

const LIMIT = 40;
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:chain';
const LIMIT_ERROR = 'StepFunctions.ExecutionLimitExceededException';

function starting(resource: string, extra: object = {}): string {
  return asl({
    StartAt: 'Again',
    States: { Again: { Type: 'Task', Resource: resource, Parameters: { StateMachineArn: ARN, ...extra }, End: true } },
  });
}

/** Every execution of `chain` (every status), once `ok` holds of them. */
async function executions(sfn: sdk.SFNClient, ok: (all: sdk.ExecutionListItem[]) => boolean): Promise<sdk.ExecutionListItem[]> {
  const list = async (): Promise<sdk.ExecutionListItem[]> => {
    const all: sdk.ExecutionListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new sdk.ListExecutionsCommand({ stateMachineArn: ARN, maxResults: 1000, nextToken }));
      all.push(...page.executions!);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return all;
  };
  return until(list, ok);
}

const byStatus = (all: sdk.ExecutionListItem[], status: string): number => all.filter((e) => e.status === status).length;

describe('serve: chains of executions that start themselves, other than .sync', () => {
  it('ends a request-response startExecution chain at the bound: no more executions than it, the last FAILED', async () => {
    const env = await serve({ openExecutionLimit: LIMIT });
    try {
      const { sfn } = env;
      await sfn.send(new sdk.CreateStateMachineCommand({ name: 'chain', definition: starting('arn:aws:states:::states:startExecution'), roleArn: ROLE }));
      const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: ARN, name: 'root' }));
      // Each parent ends as soon as its child has started: never more than two are open at once, so only a
      // bound on the chain itself stops it. Read until it failed or grew past the bound.
      const seen = await executions(sfn, (all) => all.length > LIMIT || byStatus(all, 'FAILED') > 0);
      expect(seen.length).toBeLessThanOrEqual(LIMIT);
      const all = await executions(sfn, (l) => byStatus(l, 'RUNNING') === 0);
      expect(all).toHaveLength(LIMIT);
      expect(byStatus(all, 'SUCCEEDED')).toBe(LIMIT - 1);
      const failed = all.find((e) => e.status === 'FAILED')!;
      const last = await sfn.send(new sdk.DescribeExecutionCommand({ executionArn: failed.executionArn }));
      expect(last.error).toBe(LIMIT_ERROR);
      expect(last.cause).toMatch(new RegExp(`^Execution Limit Exceeded: a chain of ${LIMIT} executions, each started by a Task of the one before`));
      expect(await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      await env.stop();
    }
  });

  it('ends a startExecution.waitForTaskToken chain at the same bound: each parent waits for its token, the last start FAILED', async () => {
    const env = await serve({ openExecutionLimit: LIMIT });
    try {
      const { sfn } = env;
      const definition = starting('arn:aws:states:::states:startExecution.waitForTaskToken', { Input: { 'token.$': '$$.Task.Token' } });
      await sfn.send(new sdk.CreateStateMachineCommand({ name: 'chain', definition, roleArn: ROLE }));
      await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: ARN, name: 'root' }));
      // No token is ever sent: every parent stays open, waiting, and the start past the bound fails its Task.
      const all = await executions(sfn, (l) => l.length > LIMIT || byStatus(l, 'FAILED') > 0);
      expect(all).toHaveLength(LIMIT);
      expect(byStatus(all, 'RUNNING')).toBe(LIMIT - 1);
      const last = await sfn.send(new sdk.DescribeExecutionCommand({ executionArn: all.find((e) => e.status === 'FAILED')!.executionArn }));
      expect(last.error).toBe(LIMIT_ERROR);
    } finally {
      await env.stop();
    }
  });

  it('ends a chain of EXPRESS executions, which are not open executions, at the bound', async () => {
    const env = await serve({ openExecutionLimit: LIMIT, cost: true });
    try {
      const { sfn } = env;
      await sfn.send(new sdk.CreateStateMachineCommand({ name: 'chain', type: 'EXPRESS', definition: starting('arn:aws:states:::states:startExecution'), roleArn: ROLE }));
      const first = await sfn.send(new sdk.StartSyncExecutionCommand({ stateMachineArn: ARN, name: 'root' }));
      expect(first.status).toBe('SUCCEEDED');
      // EXPRESS executions are not listed (ListExecutions refuses them): serve's cost log counts them as they end.
      const ended = (status: string): number => env.logs.filter((l) => l.startsWith('cost arn:aws:states:us-east-1:123456789012:express:chain:') && l.includes(` ${status}:`)).length;
      const logs = await until(async () => env.logs.length, () => ended('FAILED') > 0 || ended('SUCCEEDED') > LIMIT);
      expect(logs).toBeGreaterThan(0);
      expect(ended('SUCCEEDED')).toBe(LIMIT - 1);
      expect(ended('FAILED')).toBe(1);
    } finally {
      await env.stop();
    }
  });

  it.each([
    ['Parallel', { Type: 'Parallel', Branches: [1, 2].map((n) => ({ StartAt: `S${n}`, States: { [`S${n}`]: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: ARN }, End: true } } })), End: true }],
    ['Map', { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'S', States: { S: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: ARN, Input: { items: [1, 2] } }, End: true } } }, End: true }],
  ])('ends an EXPRESS machine whose %s starts it twice at the bound of running EXPRESS executions, long before 2^bound', async (_kind, state) => {
    const env = await serve({ openExecutionLimit: LIMIT, cost: true });
    try {
      const { sfn } = env;
      await sfn.send(new sdk.CreateStateMachineCommand({ name: 'chain', type: 'EXPRESS', definition: asl({ StartAt: 'Both', States: { Both: state } }), roleArn: ROLE }));
      await sfn.send(new sdk.StartSyncExecutionCommand({ stateMachineArn: ARN, name: 'root', input: JSON.stringify({ items: [1, 2] }) }));
      const ended = (status: string): number => env.logs.filter((l) => l.startsWith('cost arn:aws:states:us-east-1:123456789012:express:chain:') && l.includes(` ${status}:`)).length;
      // Unbounded, the chain doubles at each step: read until a start was refused or the tree grew past the bound squared.
      await until(async () => env.logs.length, () => ended('FAILED') > 0 || ended('SUCCEEDED') > LIMIT * LIMIT);
      expect(ended('FAILED')).toBeGreaterThan(0);
      expect(ended('SUCCEEDED')).toBeLessThan(LIMIT * LIMIT);
    } finally {
      await env.stop();
    }
  });

  it('ends a Distributed Map whose children start its own state machine at the bound', async () => {
    const env = await serve({ openExecutionLimit: LIMIT });
    try {
      const { sfn } = env;
      const definition = asl({
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'Again',
              States: { Again: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: ARN, Input: { items: [1] } }, End: true } },
            },
            End: true,
          },
        },
      });
      await sfn.send(new sdk.CreateStateMachineCommand({ name: 'chain', definition, roleArn: ROLE }));
      await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: ARN, name: 'root', input: JSON.stringify({ items: [1] }) }));
      const seen = await executions(sfn, (all) => all.length > LIMIT || byStatus(all, 'FAILED') > 0);
      expect(seen.length).toBeLessThanOrEqual(LIMIT);
      const all = await executions(sfn, (l) => byStatus(l, 'RUNNING') === 0);
      expect(all).toHaveLength(LIMIT);
      // The last one's Map child is refused its start: the Map, then the execution, fails.
      expect(byStatus(all, 'FAILED')).toBe(1);
    } finally {
      await env.stop();
    }
  });
});
