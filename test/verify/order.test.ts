import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { distributed, LAMBDA, NO_FACTS } from './verify-setup';

/*
 * The order of states through a Parallel or a Map. AWS runs a Parallel's branches "as
 * concurrently as possible" and leaves it only once every branch has ended; a failed branch stops
 * the others (docs: state-parallel). A Map's iterations run side by side unless MaxConcurrency is
 * 1 (state-map-inline). What that order fixes is proved; what it leaves open is never HOLDS: a run
 * of the interpreter that breaks it is VIOLATED, and otherwise the verdict is UNKNOWN, naming the
 * Parallel or Map whose order AWS does not fix.
 */

stopExploreClock();

const task = (name: string, next?: string): Record<string, unknown> => ({
  Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: name, Payload: {} }, ...(next ? { Next: next } : { End: true }),
});

/** A, then a Parallel: branch 1 enters B1 then B, branch 2 enters C; then Z. `failing` makes C a Task the Parallel catches. */
function parallel(failing = false): StateMachineDefinition {
  return {
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Next: 'P' },
      P: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'B1', States: { B1: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } },
          { StartAt: 'C', States: { C: failing ? task('c') : { Type: 'Pass', End: true } } },
        ],
        ...(failing ? { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }] } : {}),
        Next: 'Z',
      },
      ...(failing ? { H: { Type: 'Pass', End: true } } : {}),
      Z: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

/** A, then a Map whose iteration enters I1, I3 and calls T; then Z. */
function map(extra: Record<string, unknown> = {}): StateMachineDefinition {
  return {
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Next: 'M' },
      M: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'I1', States: { I1: { Type: 'Pass', Next: 'I3' }, I3: { Type: 'Pass', Next: 'T' }, T: task('t') } },
        Next: 'Z',
        ...extra,
      },
      Z: { Type: 'Succeed' },
      H: { Type: 'Pass', End: true },
    },
  } as unknown as StateMachineDefinition;
}

describe('precedes through a Parallel', () => {
  const graph = new MachineGraph(parallel(), NO_FACTS);

  it('holds for a state before the Parallel and a state inside a branch: every branch starts after the Parallel', () => {
    expect(proveOnGraph(graph, Property.precedes('A', 'B'))).toEqual({ proved: true, anyTurns: true, reason: expect.stringContaining("passes through 'A' before it") });
    expect(proveOnGraph(graph, Property.precedes('A', 'C')).proved).toBe(true);
  });

  it('holds for two states in sequence in one branch', () => {
    expect(proveOnGraph(graph, Property.precedes('B1', 'B')).proved).toBe(true);
  });

  it('holds for a state every path of a branch enters and the state after the Parallel: it leaves once every branch has ended', () => {
    expect(proveOnGraph(graph, Property.precedes('B', 'Z')).proved).toBe(true);
    expect(proveOnGraph(graph, Property.precedes('C', 'Z')).proved).toBe(true);
  });

  it('does not hold for states in two branches, either way round: AWS fixes no order between branches', () => {
    for (const [first, then] of [['B', 'C'], ['C', 'B'], ['B1', 'C']]) {
      const got = proveOnGraph(graph, Property.precedes(first, then));
      expect(got).toMatchObject({ proved: false, reason: expect.stringContaining("run in different branches of Parallel 'P', which AWS runs side by side in no fixed order") });
    }
    // Branch 2 ahead of branch 1: the path says how it got there.
    expect(proveOnGraph(graph, Property.precedes('B', 'C')).reason).toContain("branch 2 of Parallel 'P' may run before the branches ahead of it");
  });

  it('does not take a later branch as run after a failed earlier one: its states may come first, and be entered at all', () => {
    const def = parallel() as unknown as { States: { P: { Branches: Array<{ States: Record<string, unknown> }> } } };
    def.States.P.Branches[0].States.B = { Type: 'Fail', Error: 'Boom' };
    const failing = new MachineGraph(def as unknown as StateMachineDefinition, NO_FACTS);
    // Branch 1 always fails, yet branch 2's C runs beside it: C is entered, and may come before B1.
    expect(proveOnGraph(failing, Property.never('C')).proved).toBe(false);
    expect(proveOnGraph(failing, Property.precedes('B1', 'C')).proved).toBe(false);
  });

  it('verify says HOLDS for the orders AWS fixes, VIOLATED where the interpreter\'s run breaks one, UNKNOWN otherwise', async () => {
    const wf = Workflow.fromDefinition(parallel());
    const report = await wf.verify({
      aFirst: Property.precedes('A', 'C'),
      inBranch: Property.precedes('B1', 'B'),
      beforeZ: Property.precedes('C', 'Z'),
      bBeforeC: Property.precedes('B', 'C'),
      cBeforeB: Property.precedes('C', 'B'),
    });
    for (const held of ['aFirst', 'inBranch', 'beforeZ'] as const) expect(report.properties[held].verdict).toBe('HOLDS');
    // The interpreter enters branch 1's states first; AWS may too: C after B breaks cBeforeB, and the run reproduces.
    const run = await wf.run({});
    expect(run.path).toEqual(['A', 'P', 'B1', 'B', 'C', 'Z']);
    expect(report.properties.cBeforeB.verdict).toBe('VIOLATED');
    expect(report.properties.cBeforeB.counterexample!.path).toEqual(run.path);
    // No run of the interpreter breaks bBeforeC, but AWS may run branch 2 first.
    expect(report.properties.bBeforeC).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('AWS runs a Parallel\'s branches side by side') });
  });
});

describe('leadsTo through a Parallel', () => {
  it('holds from a state before the Parallel to one every path of a branch enters, when no branch can fail', () => {
    expect(proveOnGraph(new MachineGraph(parallel(), NO_FACTS), Property.leadsTo('A', ['C'])).proved).toBe(true);
    expect(proveOnGraph(new MachineGraph(parallel(), NO_FACTS), Property.leadsTo('A', ['B'])).proved).toBe(true);
  });

  it('holds from a state in a branch to the state after the Parallel, and along one branch', () => {
    const graph = new MachineGraph(parallel(), NO_FACTS);
    expect(proveOnGraph(graph, Property.leadsTo('B1', ['Z'])).proved).toBe(true);
    expect(proveOnGraph(graph, Property.leadsTo('B1', ['B'])).proved).toBe(true);
  });

  it('does not hold from a state in one branch to a state in another: the other branch may have ended before', () => {
    const got = proveOnGraph(new MachineGraph(parallel(), NO_FACTS), Property.leadsTo('B', ['C']));
    expect(got).toMatchObject({ proved: false, reason: expect.stringContaining("the other branches of Parallel 'P' may have ended before 'B' was entered") });
  });

  it('does not hold along a branch when another branch can fail first, which stops it', () => {
    const graph = new MachineGraph(parallel(true), NO_FACTS);
    const got = proveOnGraph(graph, Property.leadsTo('B1', ['B']));
    expect(got).toMatchObject({ proved: false, reason: expect.stringContaining("another branch of Parallel 'P' may fail first") });
    // Before the Parallel, to a state of branch 1: branch 2's failure may come before it, too.
    expect(proveOnGraph(graph, Property.leadsTo('A', ['B'])).proved).toBe(false);
    // The failure or the branches' end, whichever comes, does lead on.
    expect(proveOnGraph(graph, Property.leadsTo('B1', ['Z', 'H'])).proved).toBe(true);
  });

  it('verify never says HOLDS where the other branch can stop this one, and the reason names the Parallel', async () => {
    const wf = Workflow.fromDefinition(parallel(true));
    const report = await wf.verify({ b1ThenB: Property.leadsTo('B1', ['B']), bThenC: Property.leadsTo('B', ['C']), onward: Property.leadsTo('B1', ['Z', 'H']) });
    expect(report.properties.b1ThenB.verdict).not.toBe('HOLDS');
    expect(report.properties.bThenC.verdict).not.toBe('HOLDS');
    expect(report.properties.onward.verdict).toBe('HOLDS');
    expect(report.properties.b1ThenB.reason).toContain("Parallel 'P'");
  });
});

describe('orders through a Map', () => {
  it('holds for a state before the Map and one inside, and for states in sequence in one iteration', () => {
    const graph = new MachineGraph(map(), NO_FACTS);
    expect(proveOnGraph(graph, Property.precedes('A', 'I3')).proved).toBe(true);
    expect(proveOnGraph(graph, Property.precedes('I1', 'I3')).proved).toBe(true);
  });

  it('does not take a state inside as entered before the state after: the Map may have no items', () => {
    expect(proveOnGraph(new MachineGraph(map(), NO_FACTS), Property.precedes('I3', 'Z')).proved).toBe(false);
  });

  it('does not hold along an iteration when another iteration can fail first, but does one at a time (MaxConcurrency 1)', () => {
    const caught = { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }] };
    const side = proveOnGraph(new MachineGraph(map(caught), NO_FACTS), Property.leadsTo('I1', ['I3']));
    expect(side).toMatchObject({ proved: false, reason: expect.stringContaining("another iteration of Map 'M' may fail first") });
    // One at a time, in the order of the items: the next iteration starts once this one has ended
    // (DISTRIBUTED: INLINE, enough items take the run to the history limit between I1 and I3).
    expect(proveOnGraph(new MachineGraph(distributed(map({ ...caught, MaxConcurrency: 1 }), 'M'), NO_FACTS), Property.leadsTo('I1', ['I3'])).proved).toBe(true);
    expect(proveOnGraph(new MachineGraph(map({ ...caught, MaxConcurrency: 1 }), NO_FACTS), Property.leadsTo('I1', ['I3']))).toMatchObject({ proved: false, reason: expect.stringContaining('reaches the history limit') });
  });

  it('goes on past a failed iteration when the Map tolerates failed items', async () => {
    // The iteration calls T, then enters After; T's failure, tolerated, skips After and goes on.
    const tolerant = (extra: Record<string, unknown>): StateMachineDefinition => {
      const def = map({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], ...extra }) as unknown as { States: { M: { ItemProcessor: { States: Record<string, unknown> } } } };
      def.States.M.ItemProcessor.States.T = task('t', 'After');
      def.States.M.ItemProcessor.States.After = { Type: 'Pass', End: true };
      return def as unknown as StateMachineDefinition;
    };
    expect(new MachineGraph(tolerant({ ToleratedFailureCount: 1 }), NO_FACTS).successors('T')).toEqual(expect.arrayContaining(['After', 'Z', 'I1', 'H']));
    expect(new MachineGraph(tolerant({}), NO_FACTS).successors('T')).not.toContain('Z');
    expect(proveOnGraph(new MachineGraph(tolerant({ ToleratedFailureCount: 1 }), NO_FACTS), Property.leadsTo('T', ['After', 'H'])).proved).toBe(false);
    expect(proveOnGraph(new MachineGraph(distributed(tolerant({ MaxConcurrency: 1 }), 'M'), NO_FACTS), Property.leadsTo('T', ['After', 'H'])).proved).toBe(true);
    // A run: the first item's T fails, the Map tolerates it and goes on to Z, After entered once.
    const run = await Workflow.fromDefinition(tolerant({ ToleratedFailureCount: 1 })).run({ items: [1, 2] }, { mocks: mocksFromJson({ T: [{ Throw: { Error: 'Boom' } }, { Return: {} }] }, 'tolerated') });
    expect(run.path[run.path.length - 1]).toBe('Z');
    expect(run.path.filter((s) => s === 'After')).toHaveLength(1);
  });
});
