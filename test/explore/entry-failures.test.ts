import type { StateMachineDefinition } from '../../src/asl/definition-types';
import type { HistoryEvent } from '../../src/asl/history-events';
import { failedOnEntry } from '../../src/explore/entry-failures';
import { machineStates } from '../../src/explore/goals';
import { eventOwners, mapStorage, readOwners, tableStorage, traceExecution } from '../../src/explore/trace';
import { visitsRead } from '../../src/explore/visits';
import type { ExecutionResult } from '../../src/interpreter';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { loadCases } from '../conformance/recorded-run';
import { describeWithShared, sharedPath } from '../shared-data';

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

  it('reads the same states, still without visits, when two events share an id (the ids then kept in maps)', async () => {
    const run = await failedRun();
    const history: HistoryEvent[] = [...run.history];
    // A hand-made history: the last event repeated under the id of the first.
    history.push({ ...history[history.length - 1], id: 1 } as HistoryEvent);
    const result = resultOf(run, history);
    expect(eventOwners(history).owner).toBeInstanceOf(Map);
    expect(failedOnEntry(machineStates(definition), result)).toEqual(['Read']);
    expect(visitsRead(history)).toBe(false);
  });
});

/** A trace with its maps as entry lists, and an undecided Choice visit's entered id divided by `scale`. */
function traceOf(def: StateMachineDefinition, history: readonly HistoryEvent[], scale: number): Record<string, unknown> {
  const trace = traceExecution(def, history);
  return {
    ...Object.fromEntries(Object.entries(trace).filter(([, v]) => v instanceof Map).map(([k, v]) => [k, [...(v as Map<string, number>)]])),
    undecided: trace.undecided.map((u) => ({ ...u, entered: u.entered / scale })),
  };
}

/** The same events with every id multiplied by `scale`, past the tables' bound: eventOwners keeps them in maps. */
function scaled(history: readonly HistoryEvent[], scale: number): HistoryEvent[] {
  return history.map((e) => ({ ...e, id: e.id * scale, previousEventId: e.previousEventId * scale }) as HistoryEvent);
}

/**
 * The one owners' walk, kept in tables and in maps, gives the same owner and parent for every
 * event; and what is read from them (the trace, the states failed on entry) is the same whether
 * eventOwners keeps a history's ids in tables (dense, as recorded) or in maps (sparse). Gives the
 * states failed on entry.
 */
function expectSameWithEitherStorage(def: StateMachineDefinition, history: readonly HistoryEvent[], result: Omit<ExecutionResult, 'history'>): string[] {
  const size = Math.max(0, ...history.map((e) => e.id)) + 1;
  const tables = readOwners(history, tableStorage(size));
  const maps = readOwners(history, mapStorage());
  for (const e of history) {
    expect([e.id, maps.owner.get(e.id) ?? 0, maps.parent.get(e.id) ?? 0]).toEqual([e.id, tables.owner.get(e.id) ?? 0, tables.parent.get(e.id) ?? 0]);
  }
  const scale = 100_003;
  const sparse = scaled(history, scale);
  expect(eventOwners(history).owner).not.toBeInstanceOf(Map);
  expect(eventOwners(sparse).owner).toBeInstanceOf(Map);
  expect(traceOf(def, sparse, scale)).toEqual(traceOf(def, history, 1));
  const states = machineStates(def);
  const onEntry = failedOnEntry(states, { ...result, history: [...history] });
  expect(failedOnEntry(states, { ...result, history: sparse })).toEqual(onEntry);
  return onEntry;
}

describe('eventOwners', () => {
  it('assigns the same owners, traces and entry failures with its ids in tables or in maps', async () => {
    const run = await failedRun();
    const history = [...run.history];
    expect(expectSameWithEitherStorage(definition, history, resultOf(run, history))).toEqual(['Read']);
    const a = eventOwners(history);
    // The owners are not all none: Read runs inside the Map, inside the Parallel.
    const read = history.find((e) => e.type === 'PassStateEntered' && e.stateEnteredEventDetails?.name === 'Read')!;
    const each = a.parent.get(read.id)!;
    expect(a.byId.get(each)?.type).toBe('MapStateEntered');
    expect(a.byId.get(a.parent.get(each)!)?.type).toBe('ParallelStateEntered');
    expect((traceOf(definition, history, 1).states as Array<[string, number]>).map(([name]) => name)).toContain('Read');
  });
});

const OUTCOME: Record<string, ExecutionResult['status']> = {
  ExecutionSucceeded: 'SUCCEEDED', ExecutionFailed: 'FAILED', ExecutionTimedOut: 'TIMED_OUT', ExecutionAborted: 'ABORTED',
};

describeWithShared('conformance/cases', 'eventOwners on the histories AWS recorded', () => {
  it('assigns the same owners, traces and entry failures with the ids in tables or in maps', () => {
    // Tables hold whole-number ids, each its own: the few recordings that mask the ids of a Parallel's branches (`[0]`) are left out.
    const ownIds = (h: ReadonlyArray<Record<string, unknown>>): boolean =>
      h.every((e) => Number.isInteger(e.id)) && new Set(h.map((e) => e.id)).size === h.length;
    const cases = loadCases(sharedPath('conformance', 'cases'), (c) => Array.isArray(c.history) && c.history.length > 0 && ownIds(c.history));
    let failed = 0;
    let onEntry = 0;
    for (const c of cases) {
      const history = c.history as unknown as HistoryEvent[];
      const last = history.find((e) => e.type in OUTCOME);
      const status = last ? OUTCOME[last.type] : 'RUNNING';
      const error = last?.executionFailedEventDetails?.error;
      if (status === 'FAILED') failed++;
      const result = { status, ...(error !== undefined ? { error } : {}), path: [], executionArn: 'arn', startDate: new Date(0), stopDate: new Date(0) };
      try {
        if (expectSameWithEitherStorage(c.definition, history, result).length > 0) onEntry++;
      } catch (e) {
        throw new Error(`${c.file}: ${(e as Error).message}`);
      }
    }
    expect(cases.length).toBeGreaterThan(400);
    expect(failed).toBeGreaterThan(50);
    // Some runs failed on entry (a path on a missing value), so the entry failures compared are not all none.
    expect(onEntry).toBeGreaterThanOrEqual(5);
  });
});
