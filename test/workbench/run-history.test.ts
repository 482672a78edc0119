import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { delay, fail, succeed } from '../../src/workbench/mocks/answers';

const lambda = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' } };

const parallelWithRetry = Workflow.fromDefinition({
  StartAt: 'Both',
  States: {
    Both: {
      Type: 'Parallel',
      End: true,
      Branches: [
        { StartAt: 'Charge', States: { Charge: { ...lambda, TimeoutSeconds: 10, Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }], End: true } } },
        { StartAt: 'Note', States: { Note: { Type: 'Pass', End: true } } },
      ],
    },
  },
} as StateMachineDefinition);

describe('run.attempts', () => {
  it('gives each attempt of a retried Task with its virtual back-off, status and error, without parsing the history', async () => {
    const run = await parallelWithRetry.run({ amount: 5 }, {
      mocks: { Charge: [fail('Throttled', 'slow down'), delay(20), succeed({ id: 'ch_1' })] },
    });
    const attempts = run.attempts('Charge');
    expect(attempts.map((a) => [a.retry, a.status, a.error ?? null])).toEqual([[0, 'FAILED', 'Throttled'], [1, 'TIMED_OUT', 'States.Timeout'], [2, 'SUCCEEDED', null]]);
    expect(attempts.map((a) => a.waitedSeconds)).toEqual([0, 2, 4]);
    expect(attempts.map((a) => a.secondsSinceStart)).toEqual([0, 2, 16]);
    expect(attempts[0].cause).toBe('slow down');
    expect(attempts[0].parameters).toEqual({ FunctionName: 'charge', Payload: { amount: 5 } });
    expect((attempts[2].output as { Payload: unknown }).Payload).toEqual({ id: 'ch_1' });
  });

  it('counts the attempts of a Map state run again by its own Retry, not those of the states inside it', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          End: true,
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
          ItemProcessor: { StartAt: 'Work', States: { Work: { ...lambda, End: true } } },
        },
      },
    } as StateMachineDefinition);
    const run = await wf.run({ items: [1] }, { mocks: { Work: [fail('Boom'), succeed(1)] } });
    expect(run.attempts('Each').map((a) => [a.retry, a.status])).toEqual([[0, 'FAILED'], [1, 'SUCCEEDED']]);
    expect(run.attempts('Work').map((a) => a.visit)).toEqual([0, 1]);
  });

  it('is empty for a state never entered', async () => {
    const run = await parallelWithRetry.run({}, { mocks: { Charge: 1 } });
    expect(run.attempts('Nowhere')).toEqual([]);
  });
});

describe('run.eventsOf', () => {
  it('gives a state\'s events from entered to exited, leaving out the concurrent branch\'s events', async () => {
    const run = await parallelWithRetry.run({}, { mocks: { Charge: [fail('Throttled'), succeed(1)] } });
    const types = run.eventsOf('Charge').map((e) => e.type);
    expect(types[0]).toBe('TaskStateEntered');
    expect(types[types.length - 1]).toBe('TaskStateExited');
    expect(types.filter((t) => t === 'TaskScheduled')).toHaveLength(2);
    expect(types.some((t) => t.startsWith('Pass'))).toBe(false);
  });

  it('types the events as the AWS SDK\'s HistoryEvent, so details read without casts', async () => {
    const run = await parallelWithRetry.run({}, { mocks: { Charge: 1 } });
    const scheduled = run.eventsOf('Charge').find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails?.resourceType).toBe('lambda');
    expect(run.history[0].executionStartedEventDetails?.input).toBe('{}');
  });
});
