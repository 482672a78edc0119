import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, ListMapRunsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { compileStateMachine } from '../../../src/interpreter';
import { startServer } from '../../../src/server';
import { Workflow } from '../../../src/testing';

/** A DISTRIBUTED Map over the items of `reader` (or `$.items`) whose children fail for `{ "bad": true }`. */
const definition = (extra: Record<string, unknown>, reader?: Record<string, unknown>): StateMachineDefinition => ({
  StartAt: 'Run',
  States: {
    Run: {
      Type: 'Map',
      ...(reader ? { ItemReader: reader } : { ItemsPath: '$.items' }),
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Check',
        States: {
          Check: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.bad', IsPresent: true }, { Variable: '$.bad', BooleanEquals: true }], Next: 'Bad' }], Default: 'Good' },
          Bad: { Type: 'Fail', Error: 'Item.Bad' },
          Good: { Type: 'Pass', End: true },
        },
      },
      ...extra,
      End: true,
    },
  },
} as unknown as StateMachineDefinition);

const items: JsonValue[] = [{ n: 1 }, { bad: true }, { n: 3 }, { n: 4 }];

describe('Map Runs', () => {
  it('counts a Map Run\'s items as its children end (succeeded, failed, total), with the settings it ran with', async () => {
    const execution = compileStateMachine(definition({ ToleratedFailureCount: 1 })).start({ items });
    const result = await execution.result;
    expect(result.status).toBe('SUCCEEDED');
    expect([...execution.mapRuns.values()]).toEqual([{
      total: 4,
      running: 0,
      succeeded: 3,
      failed: 1,
      timedOut: 0,
      aborted: 0,
      // Counted without a ResultWriter too (recorded: DescribeMapRun of 2 items, none written, resultsWritten 2).
      resultsWritten: 4,
      stateName: 'Run',
      executionArn: execution.executionArn,
      maxConcurrency: 0,
      toleratedFailureCount: 1,
      toleratedFailurePercentage: 0,
    }]);
  });

  it('with an ItemBatcher, counts the children\'s batches and, apart, the items in them, and a harness run reports the items', async () => {
    // MapRunItemCounts: "items processed in child workflow executions"; MapRunExecutionCounts: the children.
    const batched = definition({ ItemBatcher: { MaxItemsPerBatch: 3 }, ToleratedFailureCount: 1 }, undefined);
    const run = await Workflow.fromDefinition(batched).run({ items: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }] });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.mapRuns[0].itemCounts).toMatchObject({ total: 4, succeeded: 4, pending: 0, running: 0 });
    const execution = compileStateMachine(batched).start({ items: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }] });
    await execution.result;
    expect([...execution.mapRuns.values()][0]).toMatchObject({ total: 2, succeeded: 2, items: { total: 4, succeeded: 4, running: 0 } });
  });

  it('with an ItemBatcher, judges the tolerated failures by items: a failed batch of 2 exceeds a ToleratedFailureCount of 1', async () => {
    // "the maximum number of, or percentage of, failed items" (Tolerated failure threshold for
    // Distributed Map state); a failed child's items all failed (MapRunItemCounts.failed).
    const input: JsonValue = { items: [{ n: 1 }, { n: 2 }, { bad: true }, { n: 4 }] };
    const batched = (extra: Record<string, unknown>): StateMachineDefinition => {
      type Shape = { States: { Run: { ItemProcessor: { States: Record<string, unknown> } } } };
      const d = definition({ ItemBatcher: { MaxItemsPerBatch: 2 }, MaxConcurrency: 1, ...extra }) as unknown as Shape;
      // A batch fails when its first item is bad.
      d.States.Run.ItemProcessor.States.Check = { Type: 'Choice', Choices: [{ Variable: '$.Items[0].bad', IsPresent: true, Next: 'Bad' }], Default: 'Good' };
      return d as unknown as StateMachineDefinition;
    };
    const one = await compileStateMachine(batched({ ToleratedFailureCount: 1 })).start(input).result;
    expect([one.status, one.error]).toEqual(['FAILED', 'States.ExceedToleratedFailureThreshold']);
    const two = compileStateMachine(batched({ ToleratedFailureCount: 2 })).start(input);
    expect((await two.result).status).toBe('SUCCEEDED');
    expect([...two.mapRuns.values()][0]).toMatchObject({ failed: 1, succeeded: 1, items: { failed: 2, succeeded: 2, total: 4 } });
    const half = await compileStateMachine(batched({ ToleratedFailurePercentage: 49 })).start(input).result;
    expect(half.error).toBe('States.ExceedToleratedFailureThreshold');
    expect((await compileStateMachine(batched({ ToleratedFailurePercentage: 50 })).start(input).result).status).toBe('SUCCEEDED');
  });

  it('keeps the MaxConcurrency and tolerated failures a Map Run ran with, read from their paths', async () => {
    const execution = compileStateMachine(definition({ MaxConcurrencyPath: '$.c', ToleratedFailurePercentagePath: '$.p', Label: 'Batch' })).start({ items, c: 2, p: 25 });
    await execution.result;
    expect([...execution.mapRuns.values()]).toEqual([expect.objectContaining({ stateName: 'Run', maxConcurrency: 2, toleratedFailurePercentage: 25, toleratedFailureCount: 0 })]);
  });

  it('tolerates failures up to ToleratedFailurePercentage and records MapRunSucceeded', async () => {
    const result = await compileStateMachine(definition({ ToleratedFailurePercentage: 25 })).start({ items }).result;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.history.map((e) => e.type)).toContain('MapRunSucceeded');
  });

  it('fails past the tolerated count with States.ExceedToleratedFailureThreshold and records MapRunFailed', async () => {
    const result = await compileStateMachine(definition({ ToleratedFailureCount: 0, MaxConcurrency: 1 })).start({ items }).result;
    expect(result.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(result.history.map((e) => e.type).filter((t) => t.startsWith('MapRun'))).toEqual(['MapRunStarted', 'MapRunFailed']);
  });

  it('serve\'s DescribeMapRun and ListMapRuns report the items a Map Run read from the local S3 and how they ended', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-maprun-'));
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'items.jsonl'), items.map((i) => JSON.stringify(i)).join('\n'));
    const server = await startServer({ port: 0, host: '127.0.0.1', s3Dir: dir, log: () => undefined });
    try {
      const client = server.client();
      const reader = { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: 'items.jsonl' }, ReaderConfig: { InputType: 'JSONL' } };
      const machine = await client.send(new CreateStateMachineCommand({
        name: 'runs', definition: JSON.stringify(definition({ ToleratedFailureCount: 1 }, reader)), roleArn: 'arn:aws:iam::123456789012:role/r',
      }));
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn! }));
      let status = 'RUNNING';
      for (let i = 0; i < 200 && status === 'RUNNING'; i++) {
        await new Promise((r) => setImmediate(r));
        status = (await client.send(new DescribeExecutionCommand({ executionArn }))).status!;
      }
      expect(status).toBe('SUCCEEDED');
      const { mapRuns } = await client.send(new ListMapRunsCommand({ executionArn }));
      expect(mapRuns).toHaveLength(1);
      const described = await client.send(new DescribeMapRunCommand({ mapRunArn: mapRuns![0].mapRunArn }));
      expect(described).toMatchObject({ status: 'SUCCEEDED', toleratedFailureCount: 1, itemCounts: { total: 4, succeeded: 3, failed: 1, pending: 0, running: 0 } });
      expect(described.executionCounts).toMatchObject({ total: 4, succeeded: 3, failed: 1 });
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
