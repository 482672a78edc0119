import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { delay, fail, succeed } from '../../src/testing';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { INNER_CAUGHT, NO_FACTS } from './verify-setup';

/*
 * How a Parallel (or a Map) runs, in the graph behind a HOLDS. A Parallel or Map with a Retry runs
 * its branches or iterations again from their start when it retries: the states inside are
 * entered again, the Parallel or Map itself is not. And the branches of a Parallel run side by
 * side: when one fails, the others' states are still entered before the Catch takes the error.
 * verify's graph once had neither, so it proved bounds on entries and on a path's length that
 * runs broke.
 */

stopExploreClock();


function parallel(retry: unknown[] | undefined, inner: Record<string, unknown> = {}): StateMachineDefinition {
  return {
    StartAt: 'Par',
    States: {
      Par: {
        Type: 'Parallel',
        Branches: [{
          StartAt: 'Prep',
          States: {
            Prep: { Type: 'Pass', Next: 'T' },
            T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', Payload: {} }, End: true },
            ...inner,
          },
        }],
        ...(retry ? { Retry: retry } : {}),
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        Next: 'Done',
      },
      Handled: { Type: 'Pass', End: true },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

describe('a Parallel or Map retried as a whole in the graph of a HOLDS', () => {
  it('does not prove a branch state entered once, or a path bound, when the Parallel retries the error a branch raises', () => {
    const graph = new MachineGraph(parallel([{ ErrorEquals: ['Par.Retryable'], MaxAttempts: 2 }]), NO_FACTS);
    const once = proveOnGraph(graph, Property.atMost('Prep', 1));
    expect(once).toMatchObject({ proved: false, reason: expect.stringContaining('it sits on a loop (Prep -> T -> Prep)') });
    expect(proveOnGraph(graph, Property.maxTransitions(100)).proved).toBe(false);
  });

  it('still proves them when the Parallel has no Retry, or none that a branch error matches', () => {
    expect(proveOnGraph(new MachineGraph(parallel(undefined), NO_FACTS), Property.atMost('Prep', 1)).proved).toBe(true);
    // Only States.Runtime, which no Retry takes: nothing runs the branch again.
    const runtimeOnly = new MachineGraph(parallel([{ ErrorEquals: ['States.Runtime'], MaxAttempts: 2 }]), NO_FACTS);
    expect(proveOnGraph(runtimeOnly, Property.atMost('Prep', 1)).proved).toBe(true);
    // A retrier with MaxAttempts 0 never retries.
    const never = new MachineGraph(parallel([{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }]), NO_FACTS);
    expect(proveOnGraph(never, Property.maxTransitions(4)).proved).toBe(true);
  });

  it('runs the Map\'s iterations again when the Map retries, from the state that raised the error', () => {
    const def = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Check', States: { Check: { Type: 'Fail', Error: 'Item.Bad' } } },
          Retry: [{ ErrorEquals: ['Item.Bad'], MaxAttempts: 1 }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const graph = new MachineGraph(def, NO_FACTS);
    expect(graph.successors('Check')).toContain('Check');
  });

  it('finds VIOLATED, never HOLDS, where a run retries the Parallel twice, and the run reproduces', async () => {
    const wf = Workflow.fromDefinition(parallel([{ ErrorEquals: ['Par.Retryable'], MaxAttempts: 2, IntervalSeconds: 1 }]));
    const report = await wf.verify({ prepTwice: Property.atMost('Prep', 2), short: Property.maxTransitions(6) });
    for (const name of ['prepTwice', 'short'] as const) expect(report.properties[name].verdict).not.toBe('HOLDS');
    // The run verify did not prove away: two retried errors, then an answer.
    const run = await wf.run({}, { mocks: mocksFromJson({ T: [{ Throw: { Error: 'Par.Retryable' } }, { Throw: { Error: 'Par.Retryable' } }, { Return: {} }] }, 'retried') });
    expect(run.path).toEqual(['Par', 'Prep', 'T', 'Prep', 'T', 'Prep', 'T', 'Done']);
  });
});

describe('the branches of a Parallel side by side in the graph of a HOLDS', () => {
  // One branch calls a Task; the other, on a big order, enters four states. A failed Task is caught
  // by a handler of four states; a run whose Task fails on a big order enters both.
  const def = {
    StartAt: 'Par',
    States: {
      Par: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', Payload: {} }, End: true } } },
          {
            StartAt: 'Big?',
            States: {
              'Big?': { Type: 'Choice', Choices: [{ Variable: '$.size', NumericGreaterThan: 100, Next: 'P1' }], Default: 'Small' },
              'Small': { Type: 'Pass', End: true },
              'P1': { Type: 'Pass', Next: 'P2' },
              'P2': { Type: 'Pass', Next: 'P3' },
              'P3': { Type: 'Pass', Next: 'P4' },
              'P4': { Type: 'Pass', End: true },
            },
          },
        ],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'H1' }],
        Next: 'Done',
      },
      H1: { Type: 'Pass', Next: 'H2' },
      H2: { Type: 'Pass', Next: 'H3' },
      H3: { Type: 'Pass', Next: 'H4' },
      H4: { Type: 'Fail', Error: 'Failed' },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;

  it('bounds a path by every branch and then the way out of a failure, not by the branch that failed alone', async () => {
    const graph = new MachineGraph(def, NO_FACTS);
    // Par, T, Big?, P1-P4, then H1-H4: eleven states, where one branch alone gives eight.
    expect(proveOnGraph(graph, Property.maxTransitions(10))).toMatchObject({ proved: false, reason: expect.stringContaining('longest path enters 11 states') });
    expect(proveOnGraph(graph, Property.maxTransitions(11)).proved).toBe(true);
    const run = await Workflow.fromDefinition(def).run({ size: 200 }, { mocks: mocksFromJson({ T: { Throw: { Error: 'Boom' } } }, 'failed') });
    expect(run.path).toEqual(['Par', 'T', 'Big?', 'P1', 'P2', 'P3', 'P4', 'H1', 'H2', 'H3', 'H4']);
  });

  describe('where one branch always fails', () => {
    // One branch calls a Task and then always fails; the other, on a big order, enters five states.
    // AWS starts both at once, and stops the long one only when the first fails: a run may enter
    // every state of both, then the handler. The Parallel's Next is never taken.
    const failing = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', Payload: {} }, Next: 'Boom' },
        Boom: { Type: 'Fail', Error: 'Boom' },
      },
    };
    const long = (def.States.Par as unknown as { Branches: unknown[] }).Branches[1];
    /** The machine with the always failing branch `order`, and `next` the states the Parallel's Next leads to (none: it ends the run). */
    const alwaysFails = (order: 'failing first' | 'failing last', next?: Record<string, unknown>) => {
      const { Next: _next, ...par } = def.States.Par as unknown as Record<string, unknown>;
      const { Done: _done, ...states } = def.States;
      return {
        ...def,
        States: {
          ...states,
          Par: { ...par, Branches: order === 'failing first' ? [failing, long] : [long, failing], ...(next ? { Next: 'Done' } : { End: true }) },
          ...next,
        },
      } as unknown as StateMachineDefinition;
    };
    // Ten states the Parallel's Next leads to, which no run enters: the Parallel always fails.
    const never = Object.fromEntries([
      ['Done', { Type: 'Pass', Next: 'D1' }],
      ...Array.from({ length: 9 }, (_, i) => [`D${i + 1}`, i < 8 ? { Type: 'Pass', Next: `D${i + 2}` } : { Type: 'Succeed' }]),
    ]) as Record<string, unknown>;

    it.each(['failing first', 'failing last'] as const)('counts every state of the other branch beside it (%s), and not the Parallel\'s Next', async (order) => {
      const graph = new MachineGraph(alwaysFails(order, never), NO_FACTS);
      // Par, T, Boom, Big?, P1-P4, then H1-H4: twelve states.
      expect(proveOnGraph(graph, Property.maxTransitions(11))).toMatchObject({ proved: false, reason: expect.stringContaining('longest path enters 12 states') });
      expect(proveOnGraph(graph, Property.maxTransitions(12)).proved).toBe(true);
      const run = await Workflow.fromDefinition(alwaysFails(order)).run({ size: 200 }, { mocks: mocksFromJson({ T: { Return: {} } }, 'failed') });
      expect({ status: run.status, error: run.error, length: run.path.length }).toEqual({ status: 'FAILED', error: 'Failed', length: 12 });
    });

    it.each(['failing first', 'failing last'] as const)('never HOLDS for a bound a run exceeds (%s), VIOLATES it with a run that reproduces, and proves the bound runs keep', async (order) => {
      const wf = Workflow.fromDefinition(alwaysFails(order));
      const report = await wf.verify({ short: Property.maxTransitions(11), bounded: Property.maxTransitions(12) });
      const verdict = report.properties.short;
      expect(verdict.verdict).toBe('VIOLATED');
      const { input, mocks } = verdict.counterexample!;
      const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'short') });
      expect(run.path.length).toBe(12);
      // The proof names the length the runs reach, not the failing branch's alone.
      expect(report.properties.bounded).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('longest path enters 12 states') });
    });
  });

  it('counts, where a nested Parallel\'s branch fails, its other branches and the outer Parallel\'s too', () => {
    const pass = (next?: string) => (next ? { Type: 'Pass', Next: next } : { Type: 'Pass', End: true });
    const nested = {
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Inner',
              States: {
                Inner: {
                  Type: 'Parallel',
                  Branches: [
                    { StartAt: 'X', States: { X: { Type: 'Fail', Error: 'Boom' } } },
                    { StartAt: 'Q1', States: { Q1: pass('Q2'), Q2: pass('Q3'), Q3: pass() } },
                  ],
                  End: true,
                },
              },
            },
            { StartAt: 'R1', States: { R1: pass('R2'), R2: pass() } },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }],
          Next: 'Done',
        },
        H: pass(),
        Done: pass('Done2'),
        Done2: pass('Done3'),
        Done3: pass('Done4'),
        Done4: pass('Done5'),
        Done5: pass(),
      },
    } as unknown as StateMachineDefinition;
    // Outer, Inner, X, Q1-Q3, R1-R2, H: nine states; Done and after are never entered.
    const graph = new MachineGraph(nested, NO_FACTS);
    expect(proveOnGraph(graph, Property.maxTransitions(8))).toMatchObject({ proved: false, reason: expect.stringContaining('longest path enters 9 states') });
    expect(proveOnGraph(graph, Property.maxTransitions(9)).proved).toBe(true);
  });

  it('counts a nested Parallel\'s branches that ended and its Catch apart, never both: no branch failed, no failure to leave by', async () => {
    // The inner Parallel catches its own failure; the outer one's Catch takes the other branch's.
    // A run where A answers and then D fails enters A2 but not Recover; one where A fails enters
    // Recover but not A2. The graph once went through A2 and B2 and then out by Recover, a path no
    // run takes, and bounded the runs by twelve states where they enter eleven (a run's count is
    // the StateEntered events of its history: the Parallel once, each state of a branch once, as
    // AWS recorded in conformance/cases/scenarios, test_parallel_state_catch).
    const innerCaught = INNER_CAUGHT;
    const graph = new MachineGraph(innerCaught, NO_FACTS);
    expect(proveOnGraph(graph, Property.maxTransitions(10))).toMatchObject({ proved: false, reason: expect.stringContaining('longest path enters 11 states') });
    expect(proveOnGraph(graph, Property.maxTransitions(11))).toEqual({ proved: true, reason: expect.stringContaining('longest path enters 11 states') });
    // The runs reach it: A answers, D fails after B2's Wait; A fails after B2's Wait, D after that.
    const wf = Workflow.fromDefinition(innerCaught);
    const answered = await wf.run({}, { mocks: { A: succeed({}), D: delay(10, fail('Boom')) } });
    expect([...answered.path].sort()).toEqual(['A', 'A2', 'After', 'B', 'B2', 'C', 'D', 'Done', 'Handler', 'Inner', 'Outer']);
    const caught = await wf.run({}, { mocks: { A: delay(10, fail('Boom')), D: delay(20, fail('Boom')) } });
    expect([...caught.path].sort()).toEqual(['A', 'After', 'B', 'B2', 'C', 'D', 'Done', 'Handler', 'Inner', 'Outer', 'Recover']);
  });

  it('keeps the bound of a Parallel with one branch, which runs nothing beside it', () => {
    const one = parallel(undefined);
    expect(proveOnGraph(new MachineGraph(one, NO_FACTS), Property.maxTransitions(4))).toEqual({ proved: true, reason: expect.stringContaining('longest path enters 4 states') });
  });
});
