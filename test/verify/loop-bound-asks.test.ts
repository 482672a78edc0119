import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';

/*
 * What an UNKNOWN asks for where a loop the definition does not bound keeps a property from a
 * proof (issue 78: "UNKNOWN with what was not covered and what to give (input, mocks, a bound)"):
 * the bound that proves it, by name and value, so that giving it earns the
 * HOLDS "under the bound N". A Map whose items the run gives asks for a bound on its items
 * (--max-map-items), not on a loop's turns, which do not bound it.
 */

stopExploreClock();

/** An INLINE Map over the input's items, then a Choice: the history limit can fall just after the Choice. */
const EACH_THEN_CHOOSE = {
  QueryLanguage: 'JSONata',
  StartAt: 'Each',
  States: {
    'Each': { Type: 'Map', Items: '{% $states.input.items %}', ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Pass', End: true } } }, Output: '{% $states.input %}', Next: 'Big?' },
    'Big?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.big = true %}', Next: 'Big' }], Default: 'Small' },
    'Big': { Type: 'Succeed' },
    'Small': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** A poll whose turns nothing in the definition bounds: it ends only when the answer says DONE. */
const POLL_THEN_CHOOSE = {
  QueryLanguage: 'JSONata',
  StartAt: 'Poll',
  States: {
    'Poll': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'poll' }, Output: '{% $states.result.Payload %}', Next: 'Done?' },
    'Done?': { Type: 'Choice', Choices: [{ Condition: "{% $states.input.status = 'DONE' %}", Next: 'Report?' }], Default: 'Wait' },
    'Wait': { Type: 'Wait', Seconds: 5, Next: 'Poll' },
    'Report?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.report = true %}', Next: 'Report' }], Default: 'Quiet' },
    'Report': { Type: 'Succeed' },
    'Quiet': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** The number a reason asks for with `option` (`--max-loop-turns 12` gives 12), or undefined. */
const askedFor = (reason: string, option: string): number | undefined => {
  const m = new RegExp(`${option} (\\d+)`).exec(reason);
  return m ? Number(m[1]) : undefined;
};

describe('an UNKNOWN a loop keeps from a proof asks for the bound that proves it', () => {
  const decides = { decides: Property.leadsTo('Report?', ['Report', 'Quiet']) };

  it('names --max-loop-turns with a number of turns that proves it, within half of the largest', async () => {
    const wf = Workflow.fromDefinition(POLL_THEN_CHOOSE);
    const free = (await wf.verify(decides, { budgetSeconds: 20 })).properties.decides;
    expect(free.verdict).toBe('UNKNOWN');
    const turns = askedFor(free.reason, '--max-loop-turns');

    expect(turns).toBeGreaterThan(1);
    expect(free.reason).toContain(`loopTurns: ${turns}`);
    const within = await wf.verify(decides, { budgetSeconds: 20, loopTurns: turns });
    expect(within.properties.decides.verdict).toBe('HOLDS');
    expect(within.properties.decides.reason).toContain(`--max-loop-turns: ${turns} per run of its branch or iteration`);
    expect(within.boundsHit).toEqual(['loopTurns']);
    // Within half of the largest: twice as many turns let a run reach the history limit, which cuts the run anywhere.
    const past = await wf.verify(decides, { budgetSeconds: 20, loopTurns: turns! * 2 });
    expect(past.properties.decides.verdict).toBe('UNKNOWN');
  });

  it('names --max-map-items, not --max-loop-turns, where an INLINE Map\'s items keep it from a proof', async () => {
    const wf = Workflow.fromDefinition(EACH_THEN_CHOOSE);
    const props = { decides: Property.leadsTo('Big?', ['Big', 'Small']) };
    const free = (await wf.verify(props, { budgetSeconds: 20 })).properties.decides;

    expect(free.verdict).toBe('UNKNOWN');
    expect(free.reason).not.toContain('--max-loop-turns');
    const items = askedFor(free.reason, '--max-map-items');
    expect(items).toBeGreaterThan(1);
    const within = await wf.verify(props, { budgetSeconds: 20, mapItems: items });
    expect(within.properties.decides.verdict).toBe('HOLDS');
    expect(within.boundsHit).toEqual(['mapItems']);
  });
});
