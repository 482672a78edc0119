import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { exploreMachine } from '../../src/explore/engine';
import { coverageSummary, resetCoverage } from '../../src/testing/coverage';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';

const definition = {
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.kind', StringEquals: 'a', Next: 'A' },
        { Variable: '$.kind', StringEquals: 'b', Next: 'B' },
        { Variable: '$.kind', StringEquals: 'c', Next: 'C' },
      ],
      Default: 'D',
    },
    A: { Type: 'Succeed' },
    B: { Type: 'Succeed' },
    C: { Type: 'Succeed' },
    D: { Type: 'Succeed' },
  },
} as StateMachineDefinition;

describe('Workflow.explore', () => {
  beforeEach(() => resetCoverage());

  it('does not count its runs in test coverage', async () => {
    const wf = Workflow.fromDefinition(definition, { name: 'Routes' });
    const report = await wf.explore();
    expect(report.states.reached).toBe(5);
    expect(coverageSummary().filter((m) => m.name === 'Routes')).toEqual([]);
    await wf.run({ kind: 'a' });
    expect(coverageSummary().find((m) => m.name === 'Routes')?.runs).toBe(1);
  });

  it('refuses given answers for a state that is no Task, naming the Task states', async () => {
    const wf = Workflow.fromDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true } } } as StateMachineDefinition);
    await expect(wf.explore({ mocks: { Missing: 1 } })).rejects.toThrow(/mock key 'Missing' matches no Task state and no resource of workflow 'StateMachine'/);
    await expect(wf.explore({ mocks: { 'arn:aws:lambda:us-east-1:123456789012:function:f': 1 } })).rejects.toThrow(
      "explore's mocks are keyed by state name, and 'arn:aws:lambda:us-east-1:123456789012:function:f' names no Task state of workflow 'StateMachine'; its Task states: T");
  });

  it('names the state machine it explored', async () => {
    expect((await Workflow.fromDefinition(definition, { name: 'Routes' }).explore()).machine).toBe('Routes');
  });

  it('stops when the budget runs out, reports what it reached, and never calls a goal unreachable for lack of time', async () => {
    const wf = Workflow.fromDefinition(definition);
    let t = 0;
    // Each look at the clock (before each state and each JSONata step) takes 100 ms: the 3-second budget ends the search after a few runs.
    const report = await exploreMachine(new HarnessRunner(wf, 0), { budgetSeconds: 3, now: () => (t += 100) });
    expect(report.search).toMatchObject({ complete: false, stoppedBy: 'budget' });
    expect(report.choiceRules.reached).toBeLessThan(4);
    expect(report.choiceRules.unreachable).toEqual([]);
    expect(report.choiceRules.notReached.length).toBe(4 - report.choiceRules.reached);
    for (const n of report.states.notReached) expect(n.reason).toMatch(/budget/);
    // What it did reach comes with scenarios, each run again with its mocks before it is reported.
    expect(report.scenarios.length).toBeGreaterThan(0);
  });

  it('with a budget that does not run out, gives the same report as the default clock', async () => {
    const wf = Workflow.fromDefinition(definition);
    const byClock = await exploreMachine(new HarnessRunner(wf, 0), { machine: wf.name, now: () => 0 });
    expect(JSON.stringify(byClock)).toBe(JSON.stringify(await wf.explore()));
  });
});

describe('HarnessRunner.run without history', () => {
  it('makes the same run, its event ids and the cause that names the limit included, with no events recorded', async () => {
    const loop = {
      StartAt: 'Poll',
      States: {
        'Poll': { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:poll', ResultPath: '$.job', Next: 'Done?' },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.job.Status', StringEquals: 'DONE', Next: 'Done' }], Default: 'Poll' },
        'Done': { Type: 'Succeed' },
      },
    } as StateMachineDefinition;
    const runner = new HarnessRunner(Workflow.fromDefinition(loop), 0);
    const answer = () => ({ kind: 'return' as const, value: { Status: 'RUNNING' } });
    const [recorded, unrecorded] = [await runner.run({}, answer), await runner.run({}, answer, undefined, undefined, false)];
    expect(recorded.history.length).toBe(25000);
    expect(unrecorded.history).toEqual([]);
    expect({ ...unrecorded, history: undefined }).toEqual({ ...recorded, history: undefined });
    expect([unrecorded.status, unrecorded.error, unrecorded.cause]).toEqual(['FAILED', 'States.Runtime', 'The execution reached the maximum number of history events (25000).']);
    expect(unrecorded.path).toEqual(recorded.path);
  });
});
