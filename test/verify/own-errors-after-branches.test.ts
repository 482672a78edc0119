import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import type { GraphFacts } from '../../src/explore/verify-graph';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { distributed, NO_FACTS } from './verify-setup';

/*
 * A Parallel's or a Map's own ResultSelector, ResultPath and OutputPath apply to what its branches
 * or iterations returned, so an error they raise comes after the states inside have run: AWS's
 * history of such a run holds every branch's states, then the Parallel's failure and its Catch.
 * verify's graph once raised those errors from the Parallel itself, before its branches, so a
 * path through the Catch skipped the branches' states: it proved "every run that enters A reaches
 * Done" and a bound on a path's length that such a run breaks.
 */

stopExploreClock();

/** Two branches, then a ResultPath that fails when `$.x` is not an object; the Catch runs three states. */
const parallel = {
  StartAt: 'Par',
  States: {
    Par: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
      ],
      ResultPath: '$.x.y',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'R1' }],
      Next: 'Done',
    },
    R1: { Type: 'Pass', Next: 'R2' },
    R2: { Type: 'Pass', Next: 'R3' },
    R3: { Type: 'Pass', End: true },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** The same shape with a Map of one inline iteration state. */
const map = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
      ResultPath: '$.x.y',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'R1' }],
      Next: 'Done',
    },
    R1: { Type: 'Pass', End: true },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** The facts verify-data gives these machines: the owner's ResultPath can fail. */
function ownResultPath(state: string): GraphFacts {
  return { ...NO_FACTS, dataErrors: new Map([[state, [{ error: 'States.ResultPathMatchFailure', own: true, where: 'its ResultPath' }]]]) };
}

describe('a Parallel\'s or Map\'s own error after its branches, in the graph of a HOLDS', () => {
  it('a run whose Parallel fails at its ResultPath enters every branch state, then the Catch', async () => {
    const run = await Workflow.fromDefinition(parallel).run({ x: 'text' });
    expect(run.path).toEqual(['Par', 'A', 'B', 'R1', 'R2', 'R3']);
    expect(run.status).toBe('SUCCEEDED');
  });

  it('does not prove that every run entering a branch state reaches the Parallel\'s Next', () => {
    const graph = new MachineGraph(parallel, ownResultPath('Par'));
    expect(proveOnGraph(graph, Property.leadsTo('A', 'Done')).proved).toBe(false);
  });

  it('bounds a path by the branches and then the Catch, not by the Catch alone', () => {
    const graph = new MachineGraph(parallel, ownResultPath('Par'));
    expect(proveOnGraph(graph, Property.maxTransitions(5)).proved).toBe(false);
    expect(proveOnGraph(graph, Property.maxTransitions(6)).proved).toBe(true);
  });

  it('still proves both where the Parallel raises nothing of its own', () => {
    const graph = new MachineGraph(parallel, NO_FACTS);
    expect(proveOnGraph(graph, Property.leadsTo('A', 'Done')).proved).toBe(true);
    expect(proveOnGraph(graph, Property.maxTransitions(4)).proved).toBe(true);
  });

  it('a run whose Map fails at its ResultPath enters the iteration\'s states, then the Catch', async () => {
    const run = await Workflow.fromDefinition(map).run({ items: [1], x: 'text' });
    expect(run.path).toEqual(['Each', 'A', 'R1']);
  });

  it('does not prove that every run entering a Map\'s iteration state reaches the Map\'s Next', () => {
    const graph = new MachineGraph(map, ownResultPath('Each'));
    expect(proveOnGraph(graph, Property.leadsTo('A', 'Done')).proved).toBe(false);
    // Without the Map's own errors: proved where its items run as child executions (DISTRIBUTED);
    // INLINE, enough items take the run to the history limit inside the iteration.
    expect(proveOnGraph(new MachineGraph(distributed(map, 'Each'), NO_FACTS), Property.leadsTo('A', 'Done')).proved).toBe(true);
    expect(proveOnGraph(new MachineGraph(map, NO_FACTS), Property.leadsTo('A', 'Done'))).toMatchObject({ proved: false, reason: expect.stringContaining('reaches the history limit') });
  });

  it('finds VIOLATED, never HOLDS, for the Parallel through verify, and the run reproduces', async () => {
    const wf = Workflow.fromDefinition(parallel);
    const report = await wf.verify({ reachesDone: Property.leadsTo('A', 'Done'), short: Property.maxTransitions(5) });
    const violated = report.properties.reachesDone;
    expect(violated.verdict).toBe('VIOLATED');
    const again = await wf.run(violated.counterexample!.input);
    expect(again.path).toEqual(violated.counterexample!.path);
    expect(again.path).toContain('A');
    expect(again.path).not.toContain('Done');
    expect(report.properties.short.verdict).not.toBe('HOLDS');
  });
});
