import type { StateMachineDefinition } from '../../src/asl';
import { StatesErrors } from '../../src/asl/states-errors';
import { Property, violationOf } from '../../src/explore/properties';
import { childCutsOf, withChildCuts } from '../../src/explore/verify-cut';
import { failEnd } from '../../src/explore/verify-edges';
import { MachineGraph, type GraphFacts } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * A loop no bound limits inside a DISTRIBUTED Map's iteration runs in a child execution with "its
 * own, separate execution history" (state-map-distributed): AWS's history limit (25,000 events,
 * Step Functions quotas) ends that child with States.Runtime wherever it is, and the Map sees a
 * failed item; the run's own history holds the Map Run's few events, not the child's turns. So
 * such a loop cuts no state of the run outside the Map (bench:verify's DocumentPipeline: 12
 * leadsTo UNKNOWN on its states after the Map), and the graph holds the child's failure from
 * every state of the iteration on or after the loop.
 */

stopExploreClock();

/** Polls each document until it is done, then records it; after the Map, 'Summarise' and 'Done'. */
const polling = (mode: 'INLINE' | 'DISTRIBUTED', mapFields: Record<string, unknown> = {}): StateMachineDefinition => ({
  QueryLanguage: 'JSONata',
  StartAt: 'Each document',
  States: {
    'Each document': {
      Type: 'Map',
      Items: '{% $states.input.docs %}',
      ItemProcessor: {
        ProcessorConfig: mode === 'DISTRIBUTED' ? { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } : { Mode: 'INLINE' },
        StartAt: 'Prepare',
        States: {
          'Prepare': { Type: 'Pass', Next: 'Poll' },
          'Poll': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'poll', Payload: '{% $states.input %}' }, Next: 'Ready?' },
          'Ready?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.Payload.done = true %}', Next: 'Record' }], Default: 'Pause' },
          'Pause': { Type: 'Wait', Seconds: 1, Next: 'Poll' },
          'Record': { Type: 'Pass', End: true },
        },
      },
      ...mapFields,
      Next: 'Summarise',
    },
    'Summarise': { Type: 'Pass', Next: 'Done' },
    'Done': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition);

const facts: GraphFacts = { unreachableStates: new Set(), unreachableTransitions: new Set(), failedAt: new Map(), express: false };
const graphOf = (def: StateMachineDefinition): MachineGraph =>
  withChildCuts((childCuts) => new MachineGraph(def, childCuts ? { ...facts, childCuts } : facts));

const SUMMARISE_LEADS_ON = Property.leadsTo('Summarise', 'Done');
const SUCCEEDS = Property.endsWith({ statuses: ['SUCCEEDED'] });

describe('a loop no bound limits inside a DISTRIBUTED Map\'s iteration', () => {
  it('can end its child execution at the history limit, and the run fails with States.Runtime', async () => {
    const run = await Workflow.fromDefinition(polling('DISTRIBUTED')).run(
      { docs: [{ key: 'a' }] },
      { mocks: mocksFromJson({ Poll: { Return: { Payload: { done: false } } } }, 'polling') },
    );
    // The run's own path ends at the Map: the child's turns are in the child's history.
    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: StatesErrors.RUNTIME });
    expect(violationOf(SUCCEEDS, run)).toBeDefined();
  });

  it('is cut in the child on and after the loop, not before it, and only in that child', () => {
    const cuts = childCutsOf(new MachineGraph(polling('DISTRIBUTED'), facts));
    expect([...cuts.keys()].sort()).toEqual(['Pause', 'Poll', 'Ready?', 'Record']);
    expect(new Set([...cuts.values()].flat())).toEqual(new Set(['Each document']));
    // An INLINE Map's iterations write to the run's history: no child of its own to cut.
    expect(childCutsOf(new MachineGraph(polling('INLINE'), facts)).size).toBe(0);
  });

  it('no longer keeps a leadsTo on the states after the Map from a proof', () => {
    const plain = new MachineGraph(polling('DISTRIBUTED'), facts);
    expect(proveOnGraph(plain, SUMMARISE_LEADS_ON)).toMatchObject({ proved: false, reason: expect.stringMatching(/sits on a loop no bound limits/) });
    expect(proveOnGraph(graphOf(polling('DISTRIBUTED')), SUMMARISE_LEADS_ON)).toMatchObject({ proved: true });
  });

  it('still keeps that leadsTo from a proof over an INLINE Map, whose turns go into the run\'s history', () => {
    expect(proveOnGraph(graphOf(polling('INLINE')), SUMMARISE_LEADS_ON)).toMatchObject({
      proved: false,
      reason: expect.stringMatching(/; 'Summarise' comes after it, so the limit can fall just after 'Summarise', before 'Done'$/),
    });
  });

  it('holds the child\'s failure in the graph, which no Catch takes: an endsWith SUCCEEDED is not proved', () => {
    const caught = polling('DISTRIBUTED', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }] });
    const toRuntime = (g: MachineGraph) => g.pathTo([g.start], (n) => n === failEnd(StatesErrors.RUNTIME));
    expect(toRuntime(graphOf(polling('DISTRIBUTED')))).toBeDefined();
    expect(toRuntime(graphOf(caught))).toBeDefined();
    // Without the cut, the Catch took every failure inside the Map: the proof rested on the loop's turns alone.
    expect(toRuntime(new MachineGraph(caught, facts))).toBeUndefined();
    expect(proveOnGraph(graphOf(caught), SUCCEEDS)).toMatchObject({
      proved: false,
      reason: expect.stringMatching(/^a path of the graph ends \(fails with States.Runtime\): .*'(Poll|Ready\?|Pause|Record)' can fail with States.Runtime: the history limit \(25,000 events\) can end the child execution of DISTRIBUTED Map 'Each document' there/),
    });
  });

  it('leads, where the Map tolerates failed items, past the Map, and past its threshold to its Catch', () => {
    const tolerant = polling('DISTRIBUTED', { ToleratedFailureCount: 1, Catch: [{ ErrorEquals: [StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD], Next: 'Too many failed' }] });
    (tolerant.States as Record<string, unknown>)['Too many failed'] = { Type: 'Fail', Error: 'Documents.Failed' };
    const graph = graphOf(tolerant);
    // The run goes on past an item the limit ended (another item's child runs from its own start).
    expect(graph.successors('Pause')).toEqual(expect.arrayContaining(['Summarise', 'Too many failed']));
    // Without the cut, only 'Poll' (a Task) raised into the Catch: 'Pause' never led there.
    expect(new MachineGraph(tolerant, facts).successors('Pause')).not.toContain('Too many failed');
    expect(proveOnGraph(graph, Property.precedes('Record', 'Summarise'))).toMatchObject({ proved: false });
  });

  it('verifies the leadsTo after a DISTRIBUTED Map, and never proves an endsWith a run breaks', async () => {
    const report = await Workflow.fromDefinition(polling('DISTRIBUTED')).verify({ after: SUMMARISE_LEADS_ON, succeeds: SUCCEEDS });
    expect(report.properties.after).toMatchObject({ verdict: 'HOLDS' });
    expect(report.properties.succeeds.verdict).not.toBe('HOLDS');
    const inline = await Workflow.fromDefinition(polling('INLINE')).verify({ after: SUMMARISE_LEADS_ON });
    expect(inline.properties.after.verdict).not.toBe('HOLDS');
  }, 120_000);
});
