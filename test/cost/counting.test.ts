import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { usageOf } from '../../src/cost';
import { traceExecution } from '../../src/explore/trace';
import type { HistoryEvent } from '../../src/interpreter/history-recorder';
import { delay, fail, Workflow } from '../../src/testing';
import { describeWithShared, sharedPath } from '../shared-data';

/*
 * The counting rules, from AWS Step Functions Pricing ("Step Functions counts a state transition
 * each time a step of your workflow is executed ... including retries"; "each retry will be
 * charged as an additional state transition") and the Developer Guide's "Transitions" page
 * ("you'll be charged one state transition for each child workflow execution that the Distributed
 * Map state starts"; an Inline Map is not charged a transition per iteration).
 */
const LAMBDA = 'arn:aws:states:::lambda:invoke';
const task = (next?: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task', Resource: LAMBDA, Parameters: { 'FunctionName': 'f', 'Payload.$': '$' }, ...(next ? { Next: next } : { End: true }), ...extra,
});

function machine(states: Record<string, unknown>, startAt = Object.keys(states)[0]): StateMachineDefinition {
  return { StartAt: startAt, States: states } as unknown as StateMachineDefinition;
}

describe('state transitions, as AWS counts them', () => {
  it('counts one transition per state entered, and none for starting or ending the execution', async () => {
    const def = machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Wait', Seconds: 1, Next: 'C' }, C: { Type: 'Succeed' } });
    const usage = usageOf(await Workflow.fromDefinition(def).run({}), def);
    expect(usage).toMatchObject({ stateTransitions: 3, statesEntered: 3, retries: 0, childExecutionsStarted: 0 });
  });

  it('counts each retry of a Task as one more transition', async () => {
    const def = machine({ Charge: task(undefined, { Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3, IntervalSeconds: 1 }] }) });
    const run = await Workflow.fromDefinition(def).run({}, { mocks: { Charge: [fail('Boom'), fail('Boom'), { ok: true }] } });
    expect(run.status).toBe('SUCCEEDED');
    expect(usageOf(run, def)).toMatchObject({ statesEntered: 1, retries: 2, stateTransitions: 3 });
  });

  it('counts a Catch as the handler state entered, and the failed attempts that led to it', async () => {
    const def = machine({
      Charge: task('Done', { Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Refund' }] }),
      Refund: { Type: 'Pass', Next: 'Failed' },
      Failed: { Type: 'Fail', Error: 'Declined' },
      Done: { Type: 'Succeed' },
    });
    const run = await Workflow.fromDefinition(def).run({}, { mocks: { Charge: [fail('Boom'), fail('Boom')] } });
    expect(run.path).toEqual(['Charge', 'Refund', 'Failed']);
    // Charge, its retry, Refund, Failed.
    expect(usageOf(run, def)).toMatchObject({ statesEntered: 3, retries: 1, stateTransitions: 4 });
  });

  it('counts the states of every Parallel branch, and the Parallel state once', async () => {
    const def = machine({
      Both: {
        Type: 'Parallel',
        End: true,
        Branches: [
          { StartAt: 'L1', States: { L1: { Type: 'Pass', Next: 'L2' }, L2: { Type: 'Pass', End: true } } },
          { StartAt: 'R1', States: { R1: { Type: 'Pass', End: true } } },
        ],
      },
    });
    const usage = usageOf(await Workflow.fromDefinition(def).run({}), def);
    expect(usage).toMatchObject({ stateTransitions: 4, parallelOrMapSteps: 2 });
  });

  it('counts the states of every inline Map iteration, and no transition for starting an iteration', async () => {
    const def = machine({
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        End: true,
        ItemProcessor: { StartAt: 'Work', States: { Work: task('Log'), Log: { Type: 'Pass', End: true } } },
      },
    });
    const run = await Workflow.fromDefinition(def).run({ items: [1, 2, 3] }, { mocks: { Work: 'ok' } });
    // The Map state, then 2 states in each of 3 iterations.
    expect(usageOf(run, def)).toMatchObject({ stateTransitions: 1 + 3 * 2, parallelOrMapSteps: 3 });
  });

  it('counts a retried Parallel state again with every state its branches enter the second time', async () => {
    const def = machine({
      Both: {
        Type: 'Parallel',
        End: true,
        Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 1 }],
        Branches: [{ StartAt: 'Work', States: { Work: task() } }],
      },
    });
    const run = await Workflow.fromDefinition(def).run({}, { mocks: { Work: [fail('Boom'), 'ok'] } });
    expect(run.status).toBe('SUCCEEDED');
    // Both, Work; the retry of Both, Work again.
    expect(usageOf(run, def)).toMatchObject({ statesEntered: 3, retries: 1, stateTransitions: 4 });
  });

  it('charges a DISTRIBUTED Map one transition per child execution, and bills STANDARD children by their own transitions', async () => {
    const def = machine({
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        End: true,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: { Work: task(undefined, { Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1 }] }) },
        },
      },
    });
    const run = await Workflow.fromDefinition(def).run({ items: [1, 2] }, { mocks: { Work: [fail('Boom'), 'ok', 'ok'] } });
    expect(run.status).toBe('SUCCEEDED');
    const usage = usageOf(run, def);
    // The parent: the Map state, and one transition for each of the 2 children it started.
    expect(usage).toMatchObject({ statesEntered: 1, childExecutionsStarted: 2, stateTransitions: 3 });
    // The children: Work in each, and one retry in the first, after the default 1 s back-off.
    expect(usage.childExecutions).toEqual([{ mapState: 'Fan', type: 'STANDARD', executions: 2, stateTransitions: 3, billedDurationMs: 1000 + 100 }]);
  });

  it('bills EXPRESS children of a DISTRIBUTED Map by their duration, each rounded up to 100 ms', async () => {
    const def = machine({
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        End: true,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'Work', States: { Work: task() } },
      },
    });
    const run = await Workflow.fromDefinition(def).run({ items: [1, 2, 3] }, { mocks: { Work: [delay(0.25, 'a'), delay(1, 'b'), delay(0.05, 'c')] } });
    const usage = usageOf(run, def);
    expect(usage.childExecutions).toEqual([{ mapState: 'Fan', type: 'EXPRESS', executions: 3, stateTransitions: 3, billedDurationMs: 300 + 1000 + 100 }]);
  });

  it('counts a redrive as one transition of its own, besides the states it runs again, in a history AWS-shaped with ExecutionRedriven', () => {
    const def = machine({ Charge: task('Done'), Done: { Type: 'Succeed' } });
    const at = (id: number, type: string, previousEventId: number, details: Record<string, unknown> = {}): HistoryEvent =>
      ({ id, previousEventId, type, timestamp: new Date(id * 1000), ...details }) as unknown as HistoryEvent;
    const entered = { stateEnteredEventDetails: { name: 'Charge', input: '{}' } };
    const history = [
      at(1, 'ExecutionStarted', 0), at(2, 'TaskStateEntered', 0, entered), at(3, 'TaskScheduled', 2), at(4, 'TaskFailed', 3), at(5, 'ExecutionFailed', 4),
      at(6, 'ExecutionRedriven', 5, { executionRedrivenEventDetails: { redriveCount: 1 } }),
      at(7, 'TaskStateEntered', 6, entered), at(8, 'TaskScheduled', 7), at(9, 'TaskSucceeded', 8), at(10, 'TaskStateExited', 9),
      at(11, 'SucceedStateEntered', 10, { stateEnteredEventDetails: { name: 'Done', input: '{}' } }), at(12, 'ExecutionSucceeded', 11),
    ];
    const usage = usageOf({ history, startDate: new Date(0), stopDate: new Date(12_000) }, def);
    // Charge; the redrive; Charge again and Done.
    expect(usage).toMatchObject({ statesEntered: 3, retries: 0, redrives: 1, stateTransitions: 4 });
  });

  it('counts the redrive of a run whose history starts at the redrive once, and never twice', async () => {
    const def = machine({ Charge: task('Done'), Done: { Type: 'Succeed' } });
    const run = await Workflow.fromDefinition(def).run({}, { mocks: { Charge: 'ok' } });
    const history = run.history as unknown as HistoryEvent[];
    const { startDate, stopDate } = run;
    expect(usageOf({ history, startDate, stopDate, redrive: true }, def)).toMatchObject({ statesEntered: 2, redrives: 1, stateTransitions: 3 });
    expect(usageOf(run, def)).not.toHaveProperty('redrives');
    const redriven = { id: 99, previousEventId: 0, type: 'ExecutionRedriven', timestamp: new Date(0) } as unknown as HistoryEvent;
    expect(usageOf({ history: [...history, redriven], startDate, stopDate, redrive: true }, def)).toMatchObject({ redrives: 1, stateTransitions: 3 });
  });

  it('reads the virtual duration of the run, and bills Express at least 100 ms, rounded up in steps of 100 ms', async () => {
    const def = machine({ Wait: { Type: 'Wait', Seconds: 2, Next: 'Work' }, Work: task() });
    const run = await Workflow.fromDefinition(def).run({}, { mocks: { Work: delay(0.301, 'ok') } });
    expect(usageOf(run, def)).toMatchObject({ durationMs: 2301, billedDurationMs: 2400 });
    const instant = await Workflow.fromDefinition(machine({ P: { Type: 'Pass', End: true } })).run({});
    expect(usageOf(instant)).toMatchObject({ durationMs: 0, billedDurationMs: 100 });
  });
});

/** Every AWS-recorded history in the conformance cases. */
function recordedHistories(): Array<{ id: string; definition: StateMachineDefinition; history: HistoryEvent[] }> {
  const out: Array<{ id: string; definition: StateMachineDefinition; history: HistoryEvent[] }> = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith('.json') && entry.name !== 'INDEX.json') {
        const c = JSON.parse(fs.readFileSync(full, 'utf8')) as { id: string; definition?: StateMachineDefinition; history?: HistoryEvent[] };
        // Some recordings number concurrent events with placeholders ('[0]'): no chain of ids to read.
        const numbered = Array.isArray(c.history) && c.history.every((e) => typeof e.id === 'number' && typeof e.previousEventId === 'number');
        if (numbered && c.history!.length > 0 && c.definition) out.push({ id: c.id, definition: c.definition, history: c.history! });
      }
    }
  };
  walk(sharedPath('conformance', 'cases'));
  return out;
}

describeWithShared('conformance/cases', 'retries read from histories AWS recorded', () => {
  const cases = recordedHistories();

  it('finds recorded histories with retries to compare', () => {
    const withRetries = cases.filter((c) => [...traceExecution(c.definition, c.history).retries.values()].some((n) => n > 0));
    expect(withRetries.length).toBeGreaterThan(5);
  });

  it('counts as many retries in each history as the coverage trace attributes to states', () => {
    const wrong = cases.filter((c) => {
      const traced = [...traceExecution(c.definition, c.history).retries.values()].reduce((a, b) => a + b, 0);
      return usageOf({ history: c.history, startDate: new Date(0), stopDate: new Date(0) }, c.definition).retries !== traced;
    }).map((c) => c.id);
    expect(wrong).toEqual([]);
  });
});
