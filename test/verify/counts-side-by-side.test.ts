import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA, lambdaTask, NO_FACTS, reproduced, secondsOf } from './verify-setup';

/*
 * `atMost(state, n)` of a state inside a Parallel of two branches or more, or inside a Map: the
 * count is the run's path's, which holds every branch and every iteration (the same `run.path` a
 * test reads: `run.path.filter((s) => s === state).length`). verify once refused to prove any such
 * count. Now a Parallel's branch state counts once per run of the Parallel (plus what loops around
 * it add, a branch beside it that fails into a Catch going round included), and a Map's state once
 * per item: HOLDS only where the definition bounds the items (an `Items` array written in it, an
 * ItemReader's `ReaderConfig.MaxItems`); otherwise a run given more items than the bound is a
 * counterexample, or the verdict is UNKNOWN naming the Map and where its items come from.
 */

stopExploreClock();

const task = (next?: string): Record<string, unknown> => lambdaTask(next);

/** A Parallel of two branches: `Mark` (a Pass) in one, a Task in the other; `catchBack` sends a failure round to the Parallel again. */
function parallel(catchBack: boolean): StateMachineDefinition {
  return {
    StartAt: 'Par',
    States: {
      Par: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Call', States: { Call: task() } },
          { StartAt: 'Mark', States: { Mark: { Type: 'Pass', End: true } } },
        ],
        ResultPath: null,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: catchBack ? 'Par' : 'Failed' }],
        Next: 'Done',
      },
      ...(catchBack ? {} : { Failed: { Type: 'Fail', Error: 'Failed' } }),
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

/** A Map over `items` (a fixed array written in the definition, or the input's `$.items`) whose iteration calls `Ship`. */
function map(items: 'input' | unknown[], iteration: Record<string, unknown> = { StartAt: 'Ship', States: { Ship: task() } }): StateMachineDefinition {
  return {
    ...(Array.isArray(items) ? { QueryLanguage: 'JSONata' } : {}),
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ...(Array.isArray(items) ? { Items: items } : { ItemsPath: '$.items' }),
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...iteration },
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

/** The JSONata form of a Task, for the Map whose Items is written in the definition. */
const jsonataTask = (end = true): Record<string, unknown> => ({ Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'f', Payload: '{% $states.input %}' }, ...(end ? { End: true } : {}) });

describe('atMost of a state in a branch of a Parallel of two branches', () => {
  it('proves a branch state entered once per run of the Parallel, where verify refused to count it before', () => {
    const got = proveOnGraph(new MachineGraph(parallel(false), NO_FACTS), Property.atMost('Mark', 1));
    expect(got).toEqual({ proved: true, anyTurns: true, reason: expect.stringContaining("no path of the graph enters 'Mark' twice") });
  });

  it('does not prove it when the other branch fails into a Catch that runs the Parallel again: the branch state is entered each time', async () => {
    const def = parallel(true);
    const got = proveOnGraph(new MachineGraph(def, NO_FACTS), Property.atMost('Mark', 1));
    expect(got.proved).toBe(false);
    // The run the graph keeps: Call fails, Mark was entered beside it, and the Catch runs both again.
    const run = await Workflow.fromDefinition(def).run({}, { mocks: mocksFromJson({ Call: [{ Throw: { Error: 'Boom' } }, { Return: {} }] }, 'again') });
    expect(run.path.filter((s) => s === 'Mark')).toHaveLength(2);
  });

  it('verify says HOLDS for a branch state entered once, and VIOLATED, with a counterexample that reproduces, where the Catch goes round', async () => {
    const once = await Workflow.fromDefinition(parallel(false)).verify({ markOnce: Property.atMost('Mark', 1) });
    expect(once.properties.markOnce.verdict).toBe('HOLDS');
    const wf = Workflow.fromDefinition(parallel(true));
    const report = await wf.verify({ markOnce: Property.atMost('Mark', 1) });
    expect(report.properties.markOnce.verdict).toBe('VIOLATED');
    const { input, mocks } = report.properties.markOnce.counterexample!;
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'markOnce') });
    expect(run.path.filter((s) => s === 'Mark').length).toBeGreaterThan(1);
  });
});

describe('atMost of a state in a Map iteration, counted over every iteration', () => {
  it('proves the count from an Items array written in the definition, and says the bound', () => {
    const graph = new MachineGraph(map([1, 2, 3], { StartAt: 'Ship', States: { Ship: jsonataTask() } }), NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Ship', 3))).toEqual({ proved: true, reason: expect.stringContaining("Map 'Each' runs at most 3 iterations a run of it (its Items is an array of 3 written in the definition)") });
    expect(proveOnGraph(graph, Property.atMost('Ship', 2))).toMatchObject({ proved: false, reason: expect.stringContaining("no path of the graph enters 'Ship' more than 3 times") });
  });

  it('proves the count from an ItemReader\'s ReaderConfig.MaxItems', () => {
    const def = map('input') as unknown as { States: { Each: Record<string, unknown> } };
    delete def.States.Each.ItemsPath;
    def.States.Each.ItemReader = { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', MaxItems: 5 }, Parameters: { Bucket: 'b', Key: 'k' } };
    def.States.Each.ItemProcessor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Ship', States: { Ship: task() } };
    const graph = new MachineGraph(def as unknown as StateMachineDefinition, NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Ship', 5))).toEqual({ proved: true, reason: expect.stringContaining('ReaderConfig.MaxItems is 5') });
    expect(proveOnGraph(graph, Property.atMost('Ship', 4)).proved).toBe(false);
  });

  it('counts every iteration that fails beside the one that stops the Map: a state before a Fail is entered once per item', async () => {
    const def = map([1, 2, 3], { StartAt: 'Mark', States: { Mark: { Type: 'Pass', Next: 'Stop' }, Stop: { Type: 'Fail', Error: 'Stop' } } });
    const graph = new MachineGraph(def, NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Mark', 1)).proved).toBe(false);
    expect(proveOnGraph(graph, Property.atMost('Mark', 3)).proved).toBe(true);
    // The interpreter's path holds every iteration's Mark before the Map fails: the graph once proved it entered once.
    const run = await Workflow.fromDefinition(def).run({});
    expect(run.status).toBe('FAILED');
    expect(run.path.filter((s) => s === 'Mark')).toHaveLength(3);
  });

  it('does not prove a count when the Map reads its items from the input, and names the Map and its ItemsPath', () => {
    const got = proveOnGraph(new MachineGraph(map('input'), NO_FACTS), Property.atMost('Ship', 100));
    expect(got).toMatchObject({ proved: false, reason: expect.stringContaining("'Ship' runs once per item of Map 'Each'") });
    expect(got.reason).toContain('its ItemsPath "$.items"');
    expect(got.reason).toContain('ReaderConfig.MaxItems');
  });

  it('verify says HOLDS for a Map of fixed items within the bound, VIOLATED past it, and every run stays within the bound', async () => {
    const wf = Workflow.fromDefinition(map([1, 2, 3], { StartAt: 'Ship', States: { Ship: jsonataTask() } }));
    const report = await wf.verify({ shipThrice: Property.atMost('Ship', 3), shipTwice: Property.atMost('Ship', 2) });
    expect(report.properties.shipThrice.verdict).toBe('HOLDS');
    expect(report.properties.shipTwice.verdict).toBe('VIOLATED');
    const run = await wf.run({ anything: [1, 2, 3, 4, 5] }, { mocks: mocksFromJson({ Ship: { Return: {} } }, 'fixed') });
    expect(run.path.filter((s) => s === 'Ship')).toHaveLength(3);
  });

  it('verify gives a Map that reads its items from the input more items than the bound: VIOLATED, reproduced by the harness and by stepwright run', async () => {
    const def = map('input');
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({ shipFive: Property.atMost('Ship', 5), byRun: (run) => run.path.filter((s) => s === 'Ship').length <= 5 });
    const verdict = report.properties.shipFive;
    expect(verdict.verdict).toBe('VIOLATED');
    // The same run object the function of the run reads: both forms agree.
    expect(report.properties.byRun.verdict).toBe('VIOLATED');
    const { input, path: seen } = verdict.counterexample!;
    expect(((input as { items: unknown[] }).items).length).toBeGreaterThan(5);
    const { run: again } = await reproduced(wf, def, verdict, 'shipFive');
    expect(again.path).toEqual(seen);
    expect(again.path.filter((s) => s === 'Ship').length).toBeGreaterThan(5);
  });

  it('gives a Map that reads its items from a Task\'s answer more items than the bound: VIOLATED, and the mocks reproduce it', async () => {
    const def = {
      StartAt: 'List',
      States: {
        List: { ...task('Each'), ResultSelector: { 'items.$': '$.Payload.items' } },
        Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Ship', States: { Ship: task() } }, End: true },
      },
    } as unknown as StateMachineDefinition;
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({ shipTwice: Property.atMost('Ship', 2) });
    expect(report.properties.shipTwice.verdict).toBe('VIOLATED');
    const { input, mocks, path: seen } = report.properties.shipTwice.counterexample!;
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'listed') });
    expect(run.path).toEqual(seen);
    expect(run.path.filter((s) => s === 'Ship').length).toBeGreaterThan(2);
  });

  it('never says HOLDS for a state of a Map whose Retry runs its iterations again', async () => {
    const def = map([1], {
      StartAt: 'Ship',
      States: { Ship: jsonataTask() },
    }) as unknown as { States: { Each: Record<string, unknown> } };
    def.States.Each.Retry = [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 1 }];
    const wf = Workflow.fromDefinition(def as unknown as StateMachineDefinition);
    const report = await wf.verify({ shipOnce: Property.atMost('Ship', 1) });
    expect(report.properties.shipOnce.verdict).toBe('VIOLATED');
    const { input, mocks } = report.properties.shipOnce.counterexample!;
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'retried') });
    expect(run.path.filter((s) => s === 'Ship').length).toBeGreaterThan(1);
  });
});

/** A Map over the input's `$.items`, one at a time, each item waiting `seconds` and calling `Ship`. */
function waitingMap(seconds: number, maxConcurrency = 1): StateMachineDefinition {
  const def = map('input', { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: seconds, Next: 'Ship' }, Ship: task() } }) as unknown as { States: { Each: Record<string, unknown> } };
  def.States.Each.MaxConcurrency = maxConcurrency;
  return def as unknown as StateMachineDefinition;
}

describe('maxTransitions and maxSeconds of a machine with a Map, counted over every item', () => {
  it('never proves a path length or a duration where the Map reads its items from the run, and says which Map, where its items come from and what bounds them', () => {
    const graph = new MachineGraph(waitingMap(10), NO_FACTS);
    const steps = proveOnGraph(graph, Property.maxTransitions(1000));
    expect(steps.proved).toBe(false);
    expect(steps.reason).toContain("Map 'Each' runs its iteration once per item");
    expect(steps.reason).toContain('its ItemsPath "$.items"');
    expect(steps.reason).toContain('ReaderConfig.MaxItems');
    // MaxConcurrency bounds how many run at once, not how many items there are.
    expect(steps.reason).toContain('its MaxConcurrency of 1 bounds how many iterations run at once, not how many there are');
  });

  it('gives the Map more items until a run enters more states than maxTransitions allows: VIOLATED, reproduced by the harness and by stepwright run', async () => {
    const def = map('input');
    const wf = Workflow.fromDefinition(def);
    // Each item enters one state (Ship): the search's small lists stay within 40, more items do not.
    const report = await wf.verify({ short: Property.maxTransitions(40) });
    const { run: again } = await reproduced(wf, def, report.properties.short, 'short');
    expect(again.path.length).toBeGreaterThan(40);
  });

  it('gives the Map more items until a run lasts longer than maxSeconds allows, however many items that takes: VIOLATED, reproduced', async () => {
    const def = waitingMap(10);
    const wf = Workflow.fromDefinition(def);
    // 10 s an item, one at a time: 120 items are past 1,000 s, which the first guess (1,001 items) overshoots, past the probe's most.
    const report = await wf.verify({ quick: Property.maxSeconds(1000) });
    const { run: again } = await reproduced(wf, def, report.properties.quick, 'quick');
    expect(secondsOf(again)).toBeGreaterThan(1000);
  });

  it('is UNKNOWN, naming the Map and the fields that would bound it, where more items do not break the bound', async () => {
    // Side by side with no limit, more items do not make a run of Waits last longer.
    const report = await Workflow.fromDefinition(waitingMap(10, 0)).verify({ quick: Property.maxSeconds(1000) });
    expect(report.properties.quick.verdict).toBe('UNKNOWN');
    expect(report.properties.quick.reason).toContain("Map 'Each' runs its iteration once per item");
    expect(report.properties.quick.reason).toContain('ReaderConfig.MaxItems');
  });

  it('proves both where the definition bounds the items: an Items array, its iteration times its items', async () => {
    const def = map([1, 2, 3], { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 10, End: true } } }) as unknown as { States: { Each: Record<string, unknown> } };
    def.States.Each.MaxConcurrency = 1;
    const wf = Workflow.fromDefinition(def as unknown as StateMachineDefinition);
    const report = await wf.verify({
      thirty: Property.maxSeconds(30), under: Property.maxSeconds(29), steps: Property.maxTransitions(5), fewer: Property.maxTransitions(4),
    });
    expect(report.properties.thirty).toEqual(expect.objectContaining({ verdict: 'HOLDS', reason: expect.stringContaining('no run lasts more than 30 s') }));
    expect(report.properties.steps.verdict).toBe('HOLDS');
    expect(report.properties.under.verdict).toBe('VIOLATED');
    expect(report.properties.fewer.verdict).toBe('VIOLATED');
    const run = await wf.run({});
    expect(run.path).toHaveLength(5);
    expect((run.stopDate.getTime() - run.startDate.getTime()) / 1000).toBe(30);
  });

  it('never proves them for a Map inside a counted loop whose items the run gives', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        'Init': { Type: 'Pass', Assign: { n: 0 }, Next: 'Each' },
        'Each': {
          Type: 'Map',
          Items: '{% $states.input.items %}',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Ship', States: { Ship: jsonataTask() } },
          Assign: { n: '{% $n + 1 %}' },
          Next: 'Again?',
        },
        'Again?': { Type: 'Choice', Choices: [{ Condition: '{% $n < 2 %}', Next: 'Each' }], Default: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const got = proveOnGraph(new MachineGraph(def, NO_FACTS), Property.maxTransitions(1000));
    expect(got.proved).toBe(false);
    expect(got.reason).toContain("Map 'Each' runs its iteration once per item");
    expect(got.reason).toContain('its Items is "{% $states.input.items %}"');
  });
});
