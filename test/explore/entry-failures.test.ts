import type { StateMachineDefinition } from '../../src/asl/definition-types';
import type { HistoryEvent } from '../../src/asl/history-events';
import { failedOnEntry } from '../../src/explore/entry-failures';
import { machineStates } from '../../src/explore/goals';
import { eventOwners, traceExecution } from '../../src/explore/trace';
import { readVisits, visitsRead } from '../../src/explore/visits';
import type { ExecutionResult } from '../../src/interpreter';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/** A Parallel whose second branch loops through a Map, one state of which fails on entry inside the Map; the first branch fails. */
const definition = {
  StartAt: 'Both',
  States: {
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } },
        {
          StartAt: 'Count',
          States: {
            Count: { Type: 'Pass', Result: [1, 2], ResultPath: '$.items', Next: 'Each' },
            Each: {
              Type: 'Map',
              ItemsPath: '$.items',
              ItemProcessor: { StartAt: 'Read', States: { Read: { Type: 'Pass', InputPath: '$.missing', End: true } } },
              End: true,
            },
          },
        },
      ],
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

async function failedRun() {
  const wf = Workflow.fromDefinition(definition);
  return wf.run({}, { mocks: mocksFromJson({ Call: { Return: { Payload: {} } } }, 'test') });
}

/** The run's result with `history` as its history: a new array, so nothing read from the run's own is held for it. */
function resultOf(run: Awaited<ReturnType<typeof failedRun>>, history: HistoryEvent[]): ExecutionResult {
  const { status, error, path, executionArn } = run;
  return { status, error, path, executionArn, startDate: new Date(0), stopDate: new Date(0), history };
}

describe('failedOnEntry', () => {
  it('reads the states a run failed on entry from the events\' owners, without reading the run\'s visits', async () => {
    const run = await failedRun();
    expect(run.status).toBe('FAILED');
    const result = resultOf(run, [...run.history]);
    const states = machineStates(definition);
    const failed = failedOnEntry(states, result);
    expect(visitsRead(result.history)).toBe(false);
    expect(failed).toEqual(['Read']);
  });

  it('gives what the visits give when two events share an id, which it then reads as visits', async () => {
    const run = await failedRun();
    const history: HistoryEvent[] = [...run.history];
    // A hand-made history: the last event repeated under the id of the first.
    history.push({ ...history[history.length - 1], id: 1 } as HistoryEvent);
    const result = resultOf(run, history);
    expect(eventOwners(history).uniqueIds).toBe(false);
    expect(failedOnEntry(machineStates(definition), result)).toEqual(['Read']);
    expect(visitsRead(history)).toBe(true);
    expect(readVisits(history).byState.has('Read')).toBe(true);
  });
});

describe('eventOwners', () => {
  it('assigns the same owners whether the ids are a recorded history\'s (1 to N, read into tables) or sparse (read into maps)', async () => {
    const run = await failedRun();
    const dense = [...run.history];
    // The same events with every id multiplied past the table's bound: the maps' walk.
    const sparse = dense.map((e) => ({ ...e, id: e.id * 100_003, previousEventId: e.previousEventId * 100_003 }) as HistoryEvent);
    const a = eventOwners(dense);
    const b = eventOwners(sparse);
    expect(a.uniqueIds).toBe(true);
    for (const e of dense) {
      expect((b.owner.get(e.id * 100_003) ?? 0) / 100_003).toBe(a.owner.get(e.id) ?? 0);
      expect((b.parent.get(e.id * 100_003) ?? 0) / 100_003).toBe(a.parent.get(e.id) ?? 0);
    }
    const trace = (h: readonly HistoryEvent[]) => Object.fromEntries(Object.entries(traceExecution(definition, h))
      .map(([k, v]) => [k, v instanceof Map ? [...v] : v.map((u: { state: string }) => u.state)]));
    expect(trace(sparse)).toEqual(trace(dense));
    expect((trace(dense).states as Array<[string, number]>).map(([name]) => name)).toContain('Read');
  });
});
