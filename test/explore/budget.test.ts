import { fibonacciChoice } from './fibonacci-choice';
import { pairsMachine } from '../../bench/explore-pairs.js';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { exploreMachine } from '../../src/explore/engine';
import type { ScenarioRunner } from '../../src/explore/runner';
import { searchJsonataCondition, type Binding } from '../../src/explore/solve';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';

describe('explore budget: a bound, not a wish', () => {
  it('reads the clock before each evaluation of a JSONata search and stops there, saying so', async () => {
    let evaluations = 0;
    let looks = 0;
    const result = await searchJsonataCondition('$states.input.n = 123456', true, {
      current: () => ({ found: false }),
      evaluate: async (_bindings: readonly Binding[]) => { evaluations++; return false; },
      stopped: () => ++looks > 3,
    });
    expect(evaluations).toBe(3);
    expect(result).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/^the time ran out after 3 tries/) });
  });

  const definition = {
    StartAt: 'A',
    States: {
      A: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', ResultPath: '$.a', Next: 'B' },
      B: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.a.n', IsPresent: true }, { Variable: '$.a.n', NumericGreaterThan: 3 }], Next: 'C' }], Default: 'D' },
      C: { Type: 'Succeed' },
      D: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;

  it('keeps a share of the budget for the report, and past the budget reports the runs it has without running them again', async () => {
    const inner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
    let t = 0;
    let replays = 0;
    // The first run takes the whole budget and more.
    const runner: ScenarioRunner = {
      definition: inner.definition,
      type: inner.type,
      run: async (input, answer, limits) => {
        const r = await inner.run(input, answer, limits);
        t = 20_000;
        return r;
      },
      replay: (input: JsonValue, mocks, childEvents) => {
        replays++;
        return inner.replay(input, mocks, childEvents);
      },
      resultPrefix: (r) => inner.resultPrefix(r),
    };
    const report = await exploreMachine(runner, { budgetSeconds: 10, now: () => t });
    expect(replays).toBe(0);
    expect(report.search).toMatchObject({ complete: false, stoppedBy: 'budget' });
    expect(report.scenarios).toHaveLength(1);
    expect(report.scenarios[0]).toMatchObject({ status: 'SUCCEEDED', path: ['A', 'B', 'D'] });
    expect(report.states).toMatchObject({ reached: 3, total: 4 });
    expect(report.states.notReached).toEqual([{ state: 'C', reason: expect.stringMatching(/budget/) }]);
    expect(report.search.reportCut).toBe('to end within the budget, the report left out: 1 of 1 scenarios shown as the search ran them, not run again; '
      + 'the reasons of 3 goals not reached (each says so)');
  });

  it('past its share of the budget, the report stops looking for why a goal was not reached, and says what it left out', async () => {
    const inner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
    let t = 0;
    // The first run ends the search's share (70% of 10 s); running it again in the report takes it past the share the reasons have (85%).
    const runner: ScenarioRunner = {
      definition: inner.definition,
      type: inner.type,
      run: async (input, answer, limits) => {
        const r = await inner.run(input, answer, limits);
        t = 7_100;
        return r;
      },
      replay: async (input: JsonValue, mocks, childEvents) => {
        const r = await inner.replay(input, mocks, childEvents);
        t = 8_600;
        return r;
      },
      resultPrefix: (r) => inner.resultPrefix(r),
    };
    const report = await exploreMachine(runner, { budgetSeconds: 10, now: () => t });
    expect(report.scenarios).toHaveLength(1);
    expect(report.states.notReached).toEqual([{ state: 'C', reason: 'unknown: the budget ran out before explore looked for why' }]);
    expect(report.transitions.notReached).toEqual([{ transition: 'B -> C', reason: 'unknown: the budget ran out before explore looked for why' }]);
    expect(report.search).toEqual({
      complete: false,
      stoppedBy: 'budget',
      runs: 1,
      reportCut: 'to end within the budget, the report left out: the reasons of 3 goals not reached (each says so)',
    });
  });

  it('counts the budget from the call: the time it takes to read the options and the machine is in it', async () => {
    // The caller started the budget 10 s ago: nothing is left, and the first run is cut as it starts.
    const runner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
    const report = await exploreMachine(runner, { budgetSeconds: 10, now: () => 0, started: -10_001 });
    expect(report.search).toMatchObject({ complete: false, stoppedBy: 'budget', runs: 0 });
    expect(report.scenarios).toEqual([]);
  });

  it('within the budget, runs every scenario again before reporting it', async () => {
    const inner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
    let replays = 0;
    const runner: ScenarioRunner = {
      definition: inner.definition,
      type: inner.type,
      run: (input, answer, limits) => inner.run(input, answer, limits),
      replay: (input: JsonValue, mocks, childEvents) => {
        replays++;
        return inner.replay(input, mocks, childEvents);
      },
      resultPrefix: (r) => inner.resultPrefix(r),
    };
    const report = await exploreMachine(runner, { now: () => 0 });
    expect(report.search.complete).toBe(true);
    expect(replays).toBe(report.scenarios.length);
  });
});

describe('explore budget: one JSONata evaluation is cut at the deadline', () => {
  // A Choice whose rule, once $states.input.n is a positive number, computes a Fibonacci number
  // by plain recursion: hundreds of thousands of evaluation steps, seconds in JSONata.
  const recursive = fibonacciChoice(15, '$states.input.n > 0 and ') as unknown as StateMachineDefinition;

  it('stops a recursive JSONata condition within a bounded number of evaluation steps past a 1 s budget, and reports what it found before', async () => {
    // A fake clock that moves 1 ms each time it is read: explore reads it at every evaluation step,
    // so the ticks count the steps taken, and the budget of 1 s is 1,000 of them.
    let ticks = 0;
    const report = await exploreMachine(new HarnessRunner(Workflow.fromDefinition(recursive), 0), { budgetSeconds: 1, now: () => ticks++ });
    expect(report.search).toMatchObject({ complete: false, stoppedBy: 'budget' });
    // The first run (n absent) takes the Default; the recursion the search starts is cut, not run out.
    expect(report.scenarios.map((s) => s.path)).toEqual([['Check', 'No']]);
    expect(report.states.notReached).toEqual([{ state: 'Yes', reason: expect.stringMatching(/budget/) }]);
    expect(ticks).toBeLessThan(1_100);
  });
});

describe('explore budget: a margin on a machine of 2,500 Task+Choice pairs', () => {
  it('stops the search at 70% of the budget and the report by 90%, with the first Task\'s unhandled failure found before anything else', async () => {
    // A fake clock that moves 1 ms each time it is read: explore reads it before each state a run
    // enters, each proof and each evaluation step, so the budget of 5 s is 5,000 reads.
    let ticks = 0;
    let searchEnded: number | undefined;
    const inner = new HarnessRunner(Workflow.fromDefinition(pairsMachine(2500, { retryAndCatchAt: 1 })), 0);
    const runner: ScenarioRunner = {
      definition: inner.definition,
      type: inner.type,
      run: (input, answer, limits, interrupt) => inner.run(input, answer, limits, interrupt),
      replay: (input: JsonValue, mocks, childEvents, interrupt) => {
        searchEnded ??= ticks;
        return inner.replay(input, mocks, childEvents, interrupt);
      },
      resultPrefix: (r) => inner.resultPrefix(r),
    };
    const report = await exploreMachine(runner, { budgetSeconds: 5, now: () => ticks++ });
    expect(report.search).toMatchObject({ complete: false, stoppedBy: 'budget' });
    expect(searchEnded).toBeGreaterThan(3_500);
    expect(searchEnded).toBeLessThan(3_600);
    expect(ticks).toBeLessThanOrEqual(4_500);
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'unhandled-error', state: 'Task 0' }));
  });
});

describe('explore memory: a bound on the histories it holds', () => {
  it('holds no run\'s history past its bound, runs a dropped one again when a goal starts from it, and reports as it would unbounded', async () => {
    const counted = (): { runner: ScenarioRunner; runs: () => number } => {
      const inner = new HarnessRunner(Workflow.fromDefinition(pairsMachine(6, { retryAndCatchAt: 1 })), 0);
      let runs = 0;
      return {
        runner: {
          definition: inner.definition,
          type: inner.type,
          run: (input, answer, limits, interrupt) => { runs++; return inner.run(input, answer, limits, interrupt); },
          replay: (input: JsonValue, mocks, childEvents, interrupt) => inner.replay(input, mocks, childEvents, interrupt),
          resultPrefix: (r) => inner.resultPrefix(r),
        },
        runs: () => runs,
      };
    };
    const free = counted();
    const unbounded = await exploreMachine(free.runner, { now: () => 0 });
    const tight = counted();
    // A bound of one character: only the run in hand, the first run and the one a goal starts from keep a history.
    const bounded = await exploreMachine(tight.runner, { now: () => 0, heldHistoryChars: 1 });
    expect(unbounded.states).toMatchObject({ reached: 14, total: 14 });
    expect(JSON.stringify(bounded)).toBe(JSON.stringify(unbounded));
    // The dropped histories were made again by running those runs again.
    expect(tight.runs()).toBeGreaterThan(free.runs());
  });
});
