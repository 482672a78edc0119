import type { StateMachineDefinition } from '../../src/asl';
import { boundaryInputs } from '../../src/explore/verify-boundaries';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA, reproduced } from './verify-setup';

/*
 * A rule may count what the input holds: `States.ArrayLength` of the parcels, the pages a Map
 * read, a `$count` of the lines. The seeds bench (--choice-rules) moved such a rule's constant
 * (20 to 21 parcels) and verify missed it: the search brings the rule to true and to false with
 * 22 items and with none, and the property breaks only at 21. verify therefore also tries each
 * array of the input made as long as the machine's numbers (and one either side), an item more
 * than the run had answered as its last.
 */

stopExploreClock();

/**
 * Each parcel is labelled by a Lambda (an INLINE Map), then the labels are counted: over 21 ends
 * the run (by freight, done elsewhere), so the search's runs that succeed hold 22 parcels or none.
 */
const shipment = {
  StartAt: 'Label parcels',
  States: {
    'Label parcels': {
      Type: 'Map',
      ItemsPath: '$.parcels',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Label',
        States: { Label: { Type: 'Task', Resource: LAMBDA, Parameters: { 'FunctionName': 'label', 'Payload.$': '$' }, End: true } },
      },
      ResultPath: '$.labels',
      Next: 'Count',
    },
    'Count': { Type: 'Pass', Parameters: { 'count.$': 'States.ArrayLength($.labels)' }, Next: 'Freight?' },
    'Freight?': { Type: 'Choice', Choices: [{ Variable: '$.count', NumericGreaterThan: 21, Next: 'Freight' }], Default: 'Parcel post' },
    'Freight': { Type: 'Fail', Error: 'Shipment.Freight' },
    'Parcel post': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** The parcels the run was given. */
const parcelsOf = (run: WorkflowRun): number => {
  const parcels = (run.inputOf('Label parcels') as { parcels?: unknown } | null)?.parcels;
  return Array.isArray(parcels) ? parcels.length : 0;
};

describe('the number of items an input holds, at a rule\'s edge', () => {
  it('tries each array of the input at the machine\'s numbers of items, an empty one too, taken in turn across the bases', () => {
    const tried = boundaryInputs(shipment, [], [{ parcels: [{ w: 1 }], note: 'x' }, { parcels: [] }]);
    const lengths = (base: number): number[] => tried.filter((t) => t.base === base)
      .map((t) => ((t.input as { parcels: unknown[] }).parcels ?? []).length);
    for (const n of [20, 21, 22]) {
      expect(tried).toContainEqual({ base: 0, input: { parcels: Array.from({ length: n }, () => ({ w: 1 })), note: 'x' } });
      expect(tried).toContainEqual({ base: 1, input: { parcels: Array.from({ length: n }, () => ({})) } });
    }
    // The second base is reached before the first's values run out.
    expect(tried.findIndex((t) => t.base === 1)).toBeLessThan(5);
    expect(lengths(1)).toContain(21);
  });

  it('finds the 21 parcels that go by parcel post, where the property asks for more than 20 by freight, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(shipment);
    const report = await wf.verify({ overTwentyByFreight: (run: WorkflowRun) => parcelsOf(run) <= 20 || !run.visited('Freight?') || run.visited('Freight') });
    const v = report.properties.overTwentyByFreight;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, shipment, v, 'overTwentyByFreight');
    expect({ parcels: parcelsOf(run), freight: run.visited('Freight') }).toEqual({ parcels: 21, freight: false });
  });
});
