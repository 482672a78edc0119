import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA, NO_FACTS } from './verify-setup';

/*
 * A loop that counts its turns in a workflow variable: Assign a number before it, add a number in
 * it, and go round again only while a Choice finds the count below a number. verify's graph alone
 * sees a loop and proves no bound; unrolled over the counter's values it proves one, and only
 * where every Assign of the counter is such a constant step and the Choice compares it with a
 * constant. Any other way the counter could change, or a way round the loop the Choice does not
 * guard, keeps the property unproved.
 */

stopExploreClock();


/** What a test changes of the counted loop: the counter's first value and step, the Choice's rule, Send's Catch. */
interface Parts { init?: unknown; step?: unknown; condition?: string; catchNext?: string; catchAssign?: unknown }

/** Send while the sender says there is more, three times at most, counting in `$n`. */
function counted(opts: Parts = {}): StateMachineDefinition {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Start',
    States: {
      'Start': { Type: 'Pass', Assign: { n: opts.init ?? 0 }, Next: 'Send' },
      'Send': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'send', Payload: { n: '{% $n %}' } },
        Assign: { n: opts.step ?? '{% $n + 1 %}', more: '{% $states.result.Payload.more = true %}' },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: opts.catchNext ?? 'Partial', ...(opts.catchAssign !== undefined ? { Assign: opts.catchAssign } : {}) }],
        Next: 'More?',
      },
      'More?': {
        Type: 'Choice',
        Choices: [
          { Condition: opts.condition ?? '{% $more and $n < 3 %}', Next: 'Pause' },
          { Condition: '{% $more %}', Next: 'Too many' },
        ],
        Default: 'Done',
      },
      'Pause': { Type: 'Wait', Seconds: 5, Next: 'Send' },
      'Partial': { Type: 'Pass', End: true },
      'Too many': { Type: 'Fail', Error: 'TooMany' },
      'Done': { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

describe('a loop bounded by a counter in a variable', () => {
  it('proves the entries of a state on the loop from the counter, and says the bound and the counter', () => {
    const graph = new MachineGraph(counted(), NO_FACTS);
    const three = proveOnGraph(graph, Property.atMost('Send', 3));
    expect(three).toEqual({ proved: true, reason: expect.stringContaining('bounded by the counter $n') });
    expect(three.reason).toContain('more than 3 times');
    expect(three.reason).toContain("at 'Send': $n 0, 1, 2");
    expect(proveOnGraph(graph, Property.atMost('Send', 2))).toMatchObject({ proved: false, reason: expect.stringContaining('more than 3 times') });
  });

  it('proves a path length from the counter: Start, three turns of Send, More? and Pause but the last, and an end', () => {
    const graph = new MachineGraph(counted(), NO_FACTS);
    expect(proveOnGraph(graph, Property.maxTransitions(10))).toEqual({ proved: true, reason: expect.stringContaining('longest path enters 10 states') });
    expect(proveOnGraph(graph, Property.maxTransitions(9)).proved).toBe(false);
  });

  it('counts down as well as up, and reads JSONPath counters (States.MathAdd, NumericLessThan)', () => {
    const down = counted({ init: 3, step: '{% $n - 1 %}', condition: '{% $more and $n > 0 %}' });
    expect(proveOnGraph(new MachineGraph(down, NO_FACTS), Property.atMost('Send', 3)).proved).toBe(true);
    const jsonPath = {
      StartAt: 'Start',
      States: {
        'Start': { Type: 'Pass', Assign: { n: 0 }, Next: 'Send' },
        'Send': { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'send' }, Assign: { 'n.$': 'States.MathAdd($n, 1)' }, Next: 'More?' },
        'More?': { Type: 'Choice', Choices: [{ And: [{ Variable: '$.Payload.more', BooleanEquals: true }, { Variable: '$n', NumericLessThan: 3 }], Next: 'Send' }], Default: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(proveOnGraph(new MachineGraph(jsonPath, NO_FACTS), Property.atMost('Send', 3))).toEqual({ proved: true, reason: expect.stringContaining('more than 3 times') });
  });

  it('proves nothing when the counter changes by a value read at run time', () => {
    const graph = new MachineGraph(counted({ step: '{% $n + $states.result.Payload.step %}' }), NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Send', 3))).toMatchObject({ proved: false, reason: expect.stringContaining('no bound on its entries was proved') });
    expect(proveOnGraph(graph, Property.maxTransitions(1000)).proved).toBe(false);
  });

  it('proves nothing when the counter does not move, or the Choice does not compare it on the way round', () => {
    expect(proveOnGraph(new MachineGraph(counted({ step: '{% $n + 0 %}' }), NO_FACTS), Property.atMost('Send', 1000)).proved).toBe(false);
    expect(proveOnGraph(new MachineGraph(counted({ condition: '{% $more or $n < 3 %}' }), NO_FACTS), Property.atMost('Send', 1000)).proved).toBe(false);
  });

  it('proves nothing when a Catch goes round the loop again without counting, and bounds it when the Catch counts too', () => {
    expect(proveOnGraph(new MachineGraph(counted({ catchNext: 'More?' }), NO_FACTS), Property.atMost('Send', 1000)).proved).toBe(false);
    const counting = counted({ catchNext: 'More?', catchAssign: { n: '{% $n + 1 %}', more: true } });
    expect(proveOnGraph(new MachineGraph(counting, NO_FACTS), Property.atMost('Send', 3)).proved).toBe(true);
  });

  /** The counted machine whose counter `n` is assigned by a Map and again inside its iteration. */
  const shadowedInMap = (): StateMachineDefinition => {
    const def = counted() as unknown as { States: Record<string, unknown> };
    def.States.Start = {
      Type: 'Map',
      Items: [1],
      ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Pass', Assign: { n: 100 }, End: true } } },
      Assign: { n: 0 },
      Next: 'Send',
    };
    return def as unknown as StateMachineDefinition;
  };

  it('takes no name assigned both outside and inside a Map iteration (the inner scope hides it), or by any other form, as a counter', () => {
    const def = shadowedInMap();
    expect(proveOnGraph(new MachineGraph(def, NO_FACTS), Property.atMost('Send', 1000)).proved).toBe(false);
    expect(proveOnGraph(new MachineGraph(counted({ init: '{% 0 %}' }), NO_FACTS), Property.atMost('Send', 3)).proved).toBe(true);
    expect(proveOnGraph(new MachineGraph(counted({ init: '0' }), NO_FACTS), Property.atMost('Send', 1000)).proved).toBe(false);
  });

  it('says why a name assigned both outside and inside a Map iteration is no counter: AWS\'s rule against it, and to rename the inner one', () => {
    const def = shadowedInMap();
    const got = proveOnGraph(new MachineGraph(def, NO_FACTS), Property.atMost('Send', 1000));
    expect(got.proved).toBe(false);
    expect(got.reason).toContain("$n is assigned both in the top level of the machine and in each iteration of 'Start'");
    expect(got.reason).toContain('a variable assigned in an inner scope cannot have the same name as one assigned in an outer scope');
    expect(got.reason).toContain('rename the inner one');
  });

  it('verify says HOLDS for the bounds, VIOLATED for one too low, and no run breaks a HOLDS', async () => {
    const wf = Workflow.fromDefinition(counted());
    const report = await wf.verify({ sendThrice: Property.atMost('Send', 3), short: Property.maxTransitions(10), sendTwice: Property.atMost('Send', 2) });
    expect(report.properties.sendThrice.verdict).toBe('HOLDS');
    expect(report.properties.short.verdict).toBe('HOLDS');
    expect(report.properties.sendTwice.verdict).toBe('VIOLATED');
    // The longest run the machine has: more, more, more, then too many.
    const more = { Return: { more: true } };
    const run = await wf.run({}, { mocks: mocksFromJson({ Send: [more, more, more] }, 'longest') });
    expect(run.path).toEqual(['Start', 'Send', 'More?', 'Pause', 'Send', 'More?', 'Pause', 'Send', 'More?', 'Too many']);
    // Answers drawn at random (more, done, an error) never take a run past either bound.
    let seed = 7;
    const draw = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 3;
    const answers = [more, { Return: { more: false } }, { Throw: { Error: 'Send.Failed' } }];
    for (let i = 0; i < 40; i++) {
      const random = await wf.run({}, { mocks: mocksFromJson({ Send: [answers[draw()], answers[draw()], answers[draw()]] }, `random ${i}`) });
      expect(random.path.filter((s) => s === 'Send').length).toBeLessThanOrEqual(3);
      expect(random.path.length).toBeLessThanOrEqual(10);
    }
  });
});

/** The counted loop inside branch 1 of a Parallel (branch 2 enters one state), counting in `$n`, which the branch assigns. */
function inBranch(extra: Record<string, unknown> = {}, branches = 2): StateMachineDefinition {
  const loop = counted() as unknown as { States: Record<string, unknown> };
  const states: Record<string, unknown> = { ...loop.States };
  delete states.Partial;
  delete (states.Send as Record<string, unknown>).Catch;
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'Start', States: states }, { StartAt: 'Side', States: { Side: { Type: 'Pass', End: true } } }].slice(0, branches),
        Next: 'Z',
        ...extra,
      },
      Z: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

describe('a counter in a branch or an iteration, which AWS scopes to it', () => {
  it('bounds a loop inside a Parallel branch by a counter the branch assigns', () => {
    // P, then Start, three turns of Send and More? with a Pause between, and Done in branch 1, Side in branch 2, then Z.
    const graph = new MachineGraph(inBranch(), NO_FACTS);
    const got = proveOnGraph(graph, Property.maxTransitions(13));
    expect(got).toEqual({ proved: true, reason: expect.stringContaining('longest path enters 13 states') });
    expect(proveOnGraph(graph, Property.maxTransitions(12)).proved).toBe(false);
    // One branch: nothing beside it, so the entries of Send are bounded too; the reason names the branch's scope.
    const alone = proveOnGraph(new MachineGraph(inBranch({}, 1), NO_FACTS), Property.atMost('Send', 3));
    expect(alone).toEqual({ proved: true, reason: expect.stringContaining("$n (in branch 1 of 'P') 0, 1, 2") });
  });

  it('starts the count afresh each time the branch runs again: a Parallel that retries keeps its loop unbounded', () => {
    const retried = inBranch({ Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }] });
    expect(proveOnGraph(new MachineGraph(retried, NO_FACTS), Property.maxTransitions(1000)).proved).toBe(false);
  });

  it('bounds a loop around a Map whose iterations assign other variables, counted by the Map\'s own Assign', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        'Start': { Type: 'Pass', Assign: { n: 0 }, Next: 'Each' },
        'Each': {
          Type: 'Map',
          Items: [1, 2],
          ItemProcessor: { StartAt: 'Mark', States: { Mark: { Type: 'Pass', Assign: { seen: '{% $states.input %}', m: 5 }, End: true } } },
          Assign: { n: '{% $n + 1 %}' },
          Next: 'Again?',
        },
        'Again?': { Type: 'Choice', Choices: [{ Condition: '{% $n < 3 %}', Next: 'Each' }], Default: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(proveOnGraph(new MachineGraph(def, NO_FACTS), Property.atMost('Each', 3))).toEqual({ proved: true, reason: expect.stringContaining('more than 3 times') });
    expect(proveOnGraph(new MachineGraph(def, NO_FACTS), Property.atMost('Each', 2)).proved).toBe(false);
  });

  it('verify says HOLDS for the bound of a loop in a branch, and runs stay within it', async () => {
    const def = inBranch({}, 1);
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({ sendThrice: Property.atMost('Send', 3), short: Property.maxTransitions(12), sendTwice: Property.atMost('Send', 2) });
    expect(report.properties.sendThrice.verdict).toBe('HOLDS');
    expect(report.properties.short.verdict).toBe('HOLDS');
    expect(report.properties.sendTwice.verdict).toBe('VIOLATED');
    const more = { Return: { more: true } };
    const run = await wf.run({}, { mocks: mocksFromJson({ Send: [more, more, more, more] }, 'longest') });
    expect(run.path.filter((s) => s === 'Send')).toHaveLength(3);
    expect(run.path.length).toBeLessThanOrEqual(12);
  });
});

/**
 * A loop counted in `$n` around a Parallel one of whose branches always fails (`Boom`); the other
 * (`A1`, `A2`) runs beside it, and the Parallel's Catch counts the turn and asks `Again?`.
 * `failingFirst` puts the failing branch first; `nextAgain` sends the Parallel's normal exit to
 * `Again?` too, without counting.
 */
function besideFailing(failingFirst: boolean, nextAgain = false): StateMachineDefinition {
  const failing = { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom' } } };
  const other = { StartAt: 'A1', States: { A1: { Type: 'Pass', Next: 'A2' }, A2: { Type: 'Pass', End: true } } };
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Init',
    States: {
      'Init': { Type: 'Pass', Assign: { n: 0 }, Next: 'Par' },
      'Par': {
        Type: 'Parallel',
        Branches: failingFirst ? [failing, other] : [other, failing],
        Catch: [{ ErrorEquals: ['States.ALL'], Assign: { n: '{% $n + 1 %}' }, Next: 'Again?' }],
        ...(nextAgain ? { Next: 'Again?' } : { End: true }),
      },
      'Again?': { Type: 'Choice', Choices: [{ Condition: '{% $n < 2 %}', Next: 'Par' }], Default: 'Done' },
      'Done': { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

describe('a counter beside a Parallel branch that always fails', () => {
  it.each([true, false])('bounds the path by every branch\'s states on each turn, never fewer than a run enters (failing branch first: %s)', async (failingFirst) => {
    const def = besideFailing(failingFirst);
    const run = await Workflow.fromDefinition(def).run({});
    // Two turns, each entering Par, Boom, A1, A2 and Again? (the other branch runs beside the failure), then Done.
    expect(run.path).toHaveLength(12);
    const graph = new MachineGraph(def, NO_FACTS);
    // With the failing branch first the graph once left from Boom, skipping A1 and A2: it proved 10 states.
    expect(proveOnGraph(graph, Property.maxTransitions(11)).proved).toBe(false);
    expect(proveOnGraph(graph, Property.maxTransitions(12))).toEqual({ proved: true, reason: expect.stringContaining('longest path enters 12 states') });
    expect(proveOnGraph(graph, Property.atMost('A2', 2)).proved).toBe(true);
    expect(proveOnGraph(graph, Property.atMost('A2', 1)).proved).toBe(false);
  });

  it('takes the Parallel\'s normal exit only when no branch failed: a Next back to the loop that does not count keeps the bound', () => {
    const graph = new MachineGraph(besideFailing(true, true), NO_FACTS);
    // Boom always fails, so Par never leaves by its Next; a path that failed and then took the Next would go round uncounted.
    expect(proveOnGraph(graph, Property.maxTransitions(12))).toEqual({ proved: true, reason: expect.stringContaining('longest path enters 12 states') });
  });

  it('verify says HOLDS only for a bound every run keeps, and VIOLATED, reproduced, for one a run breaks', async () => {
    const wf = Workflow.fromDefinition(besideFailing(true));
    const report = await wf.verify({ twelve: Property.maxTransitions(12), eleven: Property.maxTransitions(11), a2Twice: Property.atMost('A2', 2) });
    expect(report.properties.twelve.verdict).toBe('HOLDS');
    expect(report.properties.a2Twice.verdict).toBe('HOLDS');
    expect(report.properties.eleven.verdict).toBe('VIOLATED');
    const { input, mocks } = report.properties.eleven.counterexample!;
    const again = await wf.run(input, { mocks: mocksFromJson(mocks, 'eleven') });
    expect(again.path.length).toBeGreaterThan(11);
  });
});
