import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { delay, succeed } from '../../src/workbench/mocks/answers';

/*
 * A DISTRIBUTED Map's EXPRESS child executions run at most 5 minutes, as every Express workflow
 * does ("Choosing workflow type": maximum duration 5 minutes): one that runs longer times out, and
 * the Map Run, which by default tolerates no child that "fails or times out" (Tolerated failure
 * threshold page), fails with States.ExceedToleratedFailureThreshold. They ran on for ever, and a
 * Map whose child AWS times out succeeded. Through every door: the corpus case
 * distributed-map-express-child-past-five-minutes-fails.
 */

function mapOf(type: 'EXPRESS' | 'STANDARD', extra: object = {}): StateMachineDefinition {
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.seconds',
        ...extra,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: type },
          StartAt: 'Work',
          States: { Work: { Type: 'Wait', SecondsPath: '$', End: true } },
        },
        End: true,
      },
    },
  } as unknown as StateMachineDefinition;
}

const THRESHOLD = { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' };

describe('an EXPRESS child execution of a Distributed Map', () => {
  it('that runs past 300 seconds times out, and the Map Run fails on its threshold, declared or not', async () => {
    for (const extra of [{}, { ToleratedFailureCount: 0 }, { ToleratedFailurePercentage: 0 }]) {
      const run = await Workflow.fromDefinition(mapOf('EXPRESS', extra)).run({ seconds: [301] });
      expect([extra, run.status, run.error, run.cause]).toEqual([extra, 'FAILED', THRESHOLD.error, THRESHOLD.cause]);
      expect(run.history.map((e) => e.type)).toContain('MapRunFailed');
    }
  });

  it('that ends before 300 seconds succeeds (at 300 it times out, as a top-level one does), and a STANDARD child is not held to it', async () => {
    const express = await Workflow.fromDefinition(mapOf('EXPRESS')).run({ seconds: [299, 10] });
    expect([express.status, express.output]).toEqual(['SUCCEEDED', [299, 10]]);
    const at = await Workflow.fromDefinition(mapOf('EXPRESS')).run({ seconds: [300] });
    expect([at.status, at.error]).toEqual(['FAILED', THRESHOLD.error]);
    const standard = await Workflow.fromDefinition(mapOf('STANDARD')).run({ seconds: [400, 10] });
    expect([standard.status, standard.output]).toEqual(['SUCCEEDED', [400, 10]]);
  });

  it('counts against ToleratedFailureCount: within it the Map succeeds, the child\'s slot says States.Timeout', async () => {
    const run = await Workflow.fromDefinition(mapOf('EXPRESS', { ToleratedFailureCount: 1 })).run({ seconds: [400, 10, 200] });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual([{ Error: 'States.Timeout', Cause: expect.stringContaining('300 seconds') }, 10, 200]);
    const over = await Workflow.fromDefinition(mapOf('EXPRESS', { ToleratedFailureCount: 1 })).run({ seconds: [400, 10, 500] });
    expect([over.status, over.error]).toEqual(['FAILED', THRESHOLD.error]);
  });

  it('times out on a mocked Task that answers late, and a Catch on the threshold error takes it', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        'Each': {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Convert',
            States: { Convert: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'convert' }, End: true } },
          },
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Too slow' }],
          End: true,
        },
        'Too slow': { Type: 'Pass', End: true },
      },
    } as unknown as StateMachineDefinition;
    const run = await Workflow.fromDefinition(definition).run(['a'], { mocks: { Convert: delay(400, succeed({ done: true })) } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ Error: THRESHOLD.error, Cause: THRESHOLD.cause });
  });

  it('is counted as timedOut, not failed, in DescribeMapRun\'s counts, and with an ItemBatcher its batch\'s items count against the threshold', async () => {
    // MapRunExecutionCounts: `failed` counts children that "have failed", `timedOut` those that
    // "have timed out"; the threshold counts both ("fails or times out").
    const run = await Workflow.fromDefinition(mapOf('EXPRESS', { ToleratedFailureCount: 1 })).run({ seconds: [400, 10, 200] });
    expect(run.mapRuns.map((m) => m.itemCounts)).toEqual([{
      pending: 0, running: 0, succeeded: 2, failed: 0, timedOut: 1, aborted: 0, total: 3, resultsWritten: 3,
    }]);
    // Each child a batch of two items: the batch that timed out holds two, over a tolerance of one item.
    const batched = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.seconds',
          ItemBatcher: { MaxItemsPerBatch: 2 },
          ToleratedFailureCount: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Work',
            States: { Work: { Type: 'Wait', SecondsPath: '$.Items[0]', End: true } },
          },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const over = await Workflow.fromDefinition(batched).run({ seconds: [400, 1, 10, 20] });
    expect([over.status, over.error]).toEqual(['FAILED', THRESHOLD.error]);
    expect(over.mapRuns.map((m) => m.itemCounts)).toEqual([{
      pending: 0, running: 0, succeeded: 2, failed: 0, timedOut: 2, aborted: 0, total: 4, resultsWritten: 4,
    }]);
  });
});
