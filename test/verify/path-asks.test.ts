import type { StateMachineDefinition } from '../../src/asl';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Property } from '../../src/testing';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { NO_FACTS } from './verify-setup';

/*
 * A path property's UNKNOWN, where the graph holds a path no run took, says what would take it:
 * the turns of that path a test decides (the Choice rule or Default, the failure), the places
 * each rule reads that a test writes, and the values the search already gave there (a bounded
 * list), not "give an input or mocks that take that path". Where a loop's turns or a Map's items
 * keep the proof, it asks for the bound that settles it.
 */

stopExploreClock();

/** A tier decided twice from the same field: the graph joins the first Default to the second rule, which no run can. */
const twice = {
  StartAt: 'Tier?',
  States: {
    'Tier?': { Type: 'Choice', Choices: [{ Variable: '$.tier', StringEquals: 'gold', Next: 'Gold desk' }], Default: 'Plain desk' },
    'Gold desk': { Type: 'Pass', Next: 'Join' },
    'Plain desk': { Type: 'Pass', Next: 'Join' },
    'Join': { Type: 'Pass', Next: 'Perk?' },
    'Perk?': { Type: 'Choice', Choices: [{ Variable: '$.tier', StringEquals: 'gold', Next: 'Perk' }], Default: 'Done' },
    'Perk': { Type: 'Succeed' },
    'Done': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/**
 * A rule that asks a code's length only once it knows the code is a text: no run fails it, but
 * verify's graph counts `$length` as failing on what may not be a text, so it has the Choice failing.
 */
const code = {
  QueryLanguage: 'JSONata',
  StartAt: 'Long code?',
  States: {
    'Long code?': {
      Type: 'Choice',
      Choices: [{ Condition: "{% $type($states.input.code) = 'string' and $length($states.input.code) > 3 %}", Next: 'Review' }],
      Default: 'Approve',
    },
    'Review': { Type: 'Succeed' },
    'Approve': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** Each line of an order's input, one Task each: nothing bounds the lines. */
const lines = {
  StartAt: 'Each line',
  States: {
    'Each line': {
      Type: 'Map',
      ItemsPath: '$.lines',
      ItemProcessor: { StartAt: 'Price', States: { Price: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

/** A job polled until it is done: nothing bounds the turns. */
const poll = {
  StartAt: 'Check',
  States: {
    'Check': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, ResultPath: '$.job', Next: 'Done?' },
    'Done?': { Type: 'Choice', Choices: [{ Variable: '$.job.Payload.status', StringEquals: 'DONE', Next: 'Finish' }], Default: 'Later' },
    'Later': { Type: 'Wait', Seconds: 10, Next: 'Check' },
    'Finish': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('what a path property\'s UNKNOWN asks for', () => {
  it('names the Choice turns of the path no run took, what each rule reads and the values the runs gave there', async () => {
    const report = await Workflow.fromDefinition(twice).verify({ goldFirst: Property.precedes('Gold desk', 'Perk') });
    const v = report.properties.goldFirst;
    expect(v.verdict).toBe('UNKNOWN');
    expect(v.reason).not.toContain('Give an input or mocks that take that path');
    expect(v.reason).toContain('No run took that path to \'Perk\': to check it, give an input or mocks under which one run takes its turns');
    expect(v.reason).toContain('\'Tier?\' going to \'Plain desk\' by its Default, no rule matching; it reads the input at $.tier, where the runs gave');
    expect(v.reason).toContain('\'Perk?\' going to \'Perk\' by rule 1 ({"Variable":"$.tier","StringEquals":"gold"}); it reads the input at $.tier, where the runs gave');
    // The values tried: the one the rules name, and another.
    expect(v.reason).toMatch(/where the runs gave [^;]*"gold"/);
  });

  it('names the state the path fails at and the values its rule read in the runs, where the graph has it failing', async () => {
    const report = await Workflow.fromDefinition(code).verify({ decided: Property.leadsTo('Long code?', ['Review', 'Approve']) });
    const v = report.properties.decided;
    expect(v.verdict).toBe('UNKNOWN');
    expect(v.reason).toContain('No run took that path to its end after \'Long code?\'');
    expect(v.reason).toMatch(/'Long code\?' failing with States\.QueryEvaluationError; it reads the input at \$\.code, where the runs gave [^;]*"/);
  });

  it('bounds the values it names: at most five per place, then how many more', async () => {
    const report = await Workflow.fromDefinition(code).verify({ decided: Property.leadsTo('Long code?', ['Review', 'Approve']) });
    const gave = /where the runs gave (.*?)(?: and (\d+) more)?(?:;|$)/.exec(report.properties.decided.reason);
    expect(gave).not.toBeNull();
    expect(gave![1].split(', ').length).toBeLessThanOrEqual(5);
    // The search tried more texts at $.code than five: the rest are counted.
    expect(Number(gave![2])).toBeGreaterThan(0);
  });

  it('asks for a bound on a Map\'s items, or more items, where its items keep the proof', () => {
    const proof = proveOnGraph(new MachineGraph(lines, NO_FACTS), { kind: 'atMost', state: 'Price', times: 1 });
    expect(proof).toEqual({
      proved: false,
      reason: expect.stringContaining('runs once per item of Map \'Each line\''),
      asks: expect.stringContaining('Give a bound on the Map\'s items (mapItems, --max-map-items), or an input or mocks with more items, to check it'),
      // verify then looks for the bound on the items that proves it (verify-bounds' itemsThatProve).
      items: true,
    });
  });

  it('asks for a bound on a loop\'s turns where a loop keeps the proof', () => {
    const proof = proveOnGraph(new MachineGraph(poll, NO_FACTS), { kind: 'atMost', state: 'Check', times: 3 });
    expect(proof).toEqual({
      proved: false, reason: expect.stringContaining('it sits on a loop'), asks: expect.stringContaining('Give a bound on the loop\'s turns (loopTurns, --max-loop-turns)'), turns: true,
    });
  });
});
