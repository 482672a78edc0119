import { parse } from 'yaml';
import { CAUGHT, caughtRun, mapRuns, ORDER, orderRuns, pricingMap, PROTO, PROTO_VISITED, protoRun, type MapRuns, type OrderRuns } from './fixtures';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { executionPath, exportForWorkflowStudio, RenderError } from '../../src/render';
import { fail, succeed, Workflow } from '../../src/testing';

let runs: OrderRuns;
let maps: MapRuns;
beforeAll(async () => { [runs, maps] = await Promise.all([orderRuns(), mapRuns()]); });

/** A history as GetExecutionHistory returns it over the wire: dates as strings, JSON round-tripped. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('executionPath', () => {
  it('reads entered states, taken transitions and retries from a harness run', () => {
    const p = executionPath(ORDER, runs.succeeded);
    expect(p.status).toBe('SUCCEEDED');
    expect(p.states).toEqual({ 'Check "total" [€]': 1, 'Charge card': 1, 'Pack items': 1, 'Pack & label': 2, 'Pack': 2, '印刷 label': 2, 'Done': 1 });
    expect(p.transitions).toEqual({ 'Check "total" [€] -> Charge card': 1, 'Charge card -> Pack items': 1, 'Pack items -> Done': 1 });
    expect(p.retries).toEqual({ 'Charge card': 2 });
    expect(p.iterations).toEqual({ 'Pack items': 2, 'Pack & label': 4 });
    expect(p.failedState).toBeUndefined();
  });

  it('finds the state an execution failed in, inside a Parallel inside a Map, with its error', () => {
    const p = executionPath(ORDER, runs.broken);
    expect(p).toMatchObject({ status: 'FAILED', error: 'Printer.Jammed', cause: 'paper jam', failedState: '印刷 label' });
  });

  it('counts the failed iterations of a Map from its MapIterationFailed events, and the failed branch runs of a Parallel', () => {
    expect(executionPath(ORDER, runs.succeeded).failedIterations).toEqual({});
    expect(executionPath(ORDER, runs.broken).failedIterations).toEqual({ 'Pack items': 1, 'Pack & label': 1 });
  });

  it('sums up a Map whose 2 of 5 iterations fail within ToleratedFailureCount: 5 iterations, 3 succeeded, 2 failed', () => {
    const p = executionPath(pricingMap(2), maps.tolerated);
    expect(p.status).toBe('SUCCEEDED');
    expect([p.iterations, p.succeededIterations, p.failedIterations, p.abortedIterations])
      .toEqual([{ 'Price items': 5 }, { 'Price items': 3 }, { 'Price items': 2 }, {}]);
  });

  it('sums up a Map that fails past its tolerated failures: its 5 items, 2 succeeded and 2 failed, the rest never ended', () => {
    const p = executionPath(pricingMap(1), maps.exceeded);
    expect(p).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect(p.iterations).toEqual({ 'Price items': 5 });
    expect(p.succeededIterations).toEqual({ 'Price items': 2 });
    expect(p.failedIterations).toEqual({ 'Price items': 2 });
  });

  it('puts the failure of a Map past its tolerated failures on the Map, not on the state an iteration failed in', () => {
    expect(executionPath(pricingMap(1), maps.exceeded).failedState).toBe('Price items');
    expect(executionPath(ORDER, runs.broken).failedState).toBe('印刷 label');
  });

  it('sums up Map iterations the same from `stepwright run --json --history` events, which name the Map in `state`', () => {
    const history = maps.tolerated.history.map((e) => {
      const d = Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1] as { name?: string } | undefined;
      return { id: e.id, type: e.type, ...(d?.name ? { state: d.name } : {}) };
    });
    const p = executionPath(pricingMap(2), { status: 'SUCCEEDED', history });
    expect([p.iterations, p.succeededIterations, p.failedIterations]).toEqual([{ 'Price items': 5 }, { 'Price items': 3 }, { 'Price items': 2 }]);
  });

  it('sums up a Parallel\'s branch runs: one reached its end, the one whose Task failed did not', () => {
    const p = executionPath(ORDER, runs.broken);
    expect(p.iterations['Pack & label']).toBe(2);
    expect(p.succeededIterations['Pack & label']).toBe(1);
    expect(p.failedIterations['Pack & label']).toBe(1);
    expect(executionPath(ORDER, runs.succeeded).succeededIterations).toEqual({ 'Pack items': 2, 'Pack & label': 4 });
  });

  /** A machine of one Parallel state, 'Both', running the given branches. */
  const both = (...branches: object[]) => ({ StartAt: 'Both', States: { Both: { Type: 'Parallel', End: true, Branches: branches } } }) as unknown as StateMachineDefinition;

  it('counts a Parallel branch stopped by its failing sibling as aborted, not failed', async () => {
    const racing = both(
      { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 60, End: true } } },
      { StartAt: 'Boom', States: { Boom: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
    );
    const run = await Workflow.fromDefinition(racing).run({}, { mocks: { Boom: fail('Boom.Failed') } });
    expect(run.history.map((e) => e.type)).toContain('WaitStateAborted');
    const p = executionPath(racing, run);
    expect([p.iterations.Both, p.succeededIterations.Both, p.failedIterations.Both, p.abortedIterations.Both]).toEqual([2, undefined, 1, 1]);
  });

  it('counts a branch whose Task failed an attempt and was stopped while waiting to retry as aborted, and the failing branch as failed', async () => {
    const racing = both(
      { StartAt: 'Flaky', States: { Flaky: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 60 }], End: true } } },
      { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 5, Next: 'Boom' }, Boom: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
    );
    const run = await Workflow.fromDefinition(racing).run({}, { mocks: { Flaky: fail('Flaky.Failed'), Boom: fail('Boom.Failed') } });
    const types = run.history.map((e) => e.type);
    expect(types.filter((t) => t === 'TaskStateAborted')).toHaveLength(2);
    for (const p of [executionPath(racing, run), executionPath(racing, wire({ status: run.status, events: run.history }))]) {
      expect([p.iterations.Both, p.succeededIterations.Both, p.failedIterations.Both, p.abortedIterations.Both]).toEqual([2, undefined, 1, 1]);
    }
  });

  it('summarises a DISTRIBUTED Map by the items its MapStateStarted announced and how its Map Run ended', async () => {
    const distributed = {
      StartAt: 'Fan out',
      States: {
        'Fan out': {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Work',
            States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
          },
        },
      },
    } as unknown as StateMachineDefinition;
    const wf = Workflow.fromDefinition(distributed);
    const ok = executionPath(distributed, await wf.run([1, 2, 3], { mocks: { Work: succeed({}) } }));
    expect([ok.iterations, ok.mapRuns]).toEqual([{ 'Fan out': 3 }, { 'Fan out': { started: 1, succeeded: 1, failed: 0, aborted: 0 } }]);
    const failed = executionPath(distributed, await wf.run([1, 2, 3], { mocks: { Work: fail('Work.Failed') } }));
    expect(failed.mapRuns).toEqual({ 'Fan out': { started: 1, succeeded: 0, failed: 1, aborted: 0 } });
  });

  it('counts a caught error as a taken Catch transition and ends in the Fail state', () => {
    const p = executionPath(ORDER, runs.declined);
    expect(p.transitions['Charge card -> Declined <b>#1</b>']).toBe(1);
    expect(p.failedState).toBe('Declined <b>#1</b>');
    expect(p.error).toBe('Order.Declined');
  });

  it('reads GetExecutionHistory output ({ events }) the same as the harness history', () => {
    const fromEvents = executionPath(ORDER, wire({ events: runs.succeeded.history }));
    const fromRun = executionPath(ORDER, runs.succeeded);
    expect(fromEvents).toEqual(fromRun);
  });

  it('reads `stepwright run --json --history` output, whose events carry only id, type and state', () => {
    const history = runs.succeeded.history.map((e) => {
      const d = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string } | undefined;
      return { id: e.id, type: e.type, ...(d?.name ? { state: d.name } : {}) };
    });
    const p = executionPath(ORDER, { status: 'SUCCEEDED', path: runs.succeeded.path, history });
    expect(p.states).toEqual(executionPath(ORDER, runs.succeeded).states);
    expect(p.retries).toEqual({ 'Charge card': 2 });
    expect(p.transitions).toEqual({ 'Check "total" [€] -> Charge card': 1, 'Charge card -> Pack items': 1, 'Pack items -> Done': 1 });
  });

  it('without a history, takes transitions from the path only where the definition has them', () => {
    const p = executionPath(ORDER, { status: 'FAILED', error: 'Printer.Jammed', path: runs.broken.path });
    expect(p.transitions).toEqual({ 'Check "total" [€] -> Charge card': 1, 'Charge card -> Pack items': 1 });
    expect(p.failedState).toBe('印刷 label');
  });

  it('puts each error on the Task that raised it in a Parallel branch, on the Parallel that failed with it and caught it, and on a Task that caught its own', async () => {
    const p = executionPath(CAUGHT, await caughtRun());
    expect(p).toMatchObject({ status: 'FAILED', error: 'Order.Failed', failedState: 'Give up' });
    expect({ ...p.failures }).toEqual({
      'Charge': { count: 1, caught: 0, error: 'Card.Declined' },
      'Fan out': { count: 1, caught: 1, error: 'Card.Declined' },
      'Notify': { count: 1, caught: 1, error: 'Mail.Down' },
      'Give up': { count: 1, caught: 0, error: 'Order.Failed' },
    });
  });

  it('finds the same failures in GetExecutionHistory output, and without error names in `stepwright run --json --history` output', async () => {
    const run = await caughtRun();
    expect(executionPath(CAUGHT, wire({ events: run.history })).failures).toEqual(executionPath(CAUGHT, run).failures);
    const history = run.history.map((e) => {
      const d = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string } | undefined;
      return { id: e.id, type: e.type, ...(d?.name ? { state: d.name } : {}) };
    });
    expect({ ...executionPath(CAUGHT, { status: 'FAILED', error: 'Order.Failed', path: run.path, history }).failures }).toEqual({
      'Charge': { count: 1, caught: 0 },
      'Fan out': { count: 1, caught: 1 },
      'Notify': { count: 1, caught: 1 },
      'Give up': { count: 1, caught: 0, error: 'Order.Failed' },
    });
  });

  it('without a history, knows only the Fail states entered and the state the execution failed in to have failed', async () => {
    const run = await caughtRun();
    expect({ ...executionPath(CAUGHT, { status: 'FAILED', error: 'Order.Failed', path: run.path }).failures }).toEqual({ 'Give up': { count: 1, caught: 0, error: 'Order.Failed' } });
  });

  it('puts no failure on a Task whose Retry recovered its failed attempts, and every failure on a Task and a Map that failed for good', () => {
    expect({ ...executionPath(ORDER, runs.succeeded).failures }).toEqual({});
    expect({ ...executionPath(ORDER, runs.broken).failures }).toEqual({
      '印刷 label': { count: 1, caught: 0, error: 'Printer.Jammed' },
      'Pack & label': { count: 1, caught: 0, error: 'Printer.Jammed' },
      'Pack items': { count: 1, caught: 0, error: 'Printer.Jammed' },
    });
    expect({ ...executionPath(pricingMap(2), maps.tolerated).failures }).toEqual({ Price: { count: 2, caught: 0, error: 'Price.Missing' } });
    expect({ ...executionPath(pricingMap(1), maps.exceeded).failures }).toEqual({
      'Price': { count: 2, caught: 0, error: 'Price.Missing' },
      'Price items': { count: 1, caught: 0, error: 'States.ExceedToleratedFailureThreshold' },
    });
  });

  it('counts states named __proto__, constructor, toString, valueOf and hasOwnProperty like any other, with no value inherited from Object.prototype', async () => {
    const p = executionPath(PROTO, await protoRun());
    expect(p.status).toBe('SUCCEEDED');
    const counts = (r: Record<string, unknown>): Array<[string, unknown]> => Object.keys(r).sort().map((k) => [k, r[k]]);
    expect(counts(p.states)).toEqual([...PROTO_VISITED].sort().map((name) => [name, name === 'valueOf' ? 2 : 1]));
    expect(counts(p.retries)).toEqual([['constructor', 1]]);
    expect(counts(p.iterations)).toEqual([['hasOwnProperty', 1], ['toString', 2]]);
    expect(counts(p.succeededIterations)).toEqual([['hasOwnProperty', 1], ['toString', 2]]);
    expect(counts(p.failedIterations)).toEqual([]);
    expect(counts(p.abortedIterations)).toEqual([]);
    expect(counts(p.mapRuns)).toEqual([]);
    expect(counts(p.transitions)).toEqual([
      ['__proto__ -> constructor', 1], ['constructor -> toString', 1], ['hasOwnProperty -> toLocaleString', 1], ['toString -> hasOwnProperty', 1],
    ]);
    // Nothing is read through a prototype: these names are no one's counts.
    expect(p.states.hasOwnProperty).toBe(1);
    expect(p.mapRuns.toString).toBeUndefined();
    expect(JSON.parse(JSON.stringify(p.states)).__proto__).toBe(1);
  });

  it('reads a history whose event types are named as Object.prototype members as events it does not know', () => {
    const events = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'].map((type, i) => ({ id: i + 2, previousEventId: i + 1, type, state: 'toString' }));
    const p = executionPath(PROTO, { events: [{ id: 1, type: 'ExecutionStarted' }, ...events] });
    expect(Object.keys(p.iterations)).toEqual([]);
    expect(Object.keys(p.mapRuns)).toEqual([]);
  });

  it.each([
    [null, /not an object/],
    [{ status: 'FAILED' }, /neither 'history', 'events' nor 'path'/],
    [{ history: 'x' }, /'history' is not an array/],
    [{ path: [], status: 404 }, /the run's 'status' is not a string \(got 404\)/],
    [{ path: [], error: { name: 'x' } }, /the run's 'error' is not a string/],
    [{ events: [null] }, /events\[0\] is not a history event/],
    [{ history: [{ id: 1 }] }, /history\[0\] is not a history event: expected an object with a numeric 'id' and a string 'type'/],
    [{ history: [{ id: '1', type: 'ExecutionStarted' }] }, /history\[0\] is not a history event/],
  ])('refuses run data it cannot read with a RenderError: %j', (bad, message) => {
    expect(() => executionPath(ORDER, bad as never)).toThrow(RenderError);
    expect(() => executionPath(ORDER, bad as never)).toThrow(message);
  });

  it.each([['events', 25_001], ['history', 1_000_000]])("refuses a run whose '%s' holds %i events, more than AWS's 25,000, with a RenderError", (key, length) => {
    // It drew them: a million events took 3 s and 690 MB through `stepwright render --run`.
    const events = Array.from({ length }, (_, i) => ({ id: i + 1, type: 'PassStateEntered', state: 'P' }));
    expect(() => executionPath(ORDER, { [key]: events } as never)).toThrow(RenderError);
    expect(() => executionPath(ORDER, { [key]: events } as never))
      .toThrow(`the run's '${key}' holds ${length} events, more than the 25000 an execution's history holds on AWS`);
  });

  it('draws a run of exactly 25,000 events', () => {
    const events = Array.from({ length: 25_000 }, (_, i) => ({ id: i + 1, type: i === 0 ? 'ExecutionStarted' : 'PassStateEntered', state: 'P' }));
    expect(() => executionPath(ORDER, { events } as never)).not.toThrow();
  });
});

describe('executionPath: the error a Catch handled before a Fail state', () => {
  const LAMBDA = 'arn:aws:states:::lambda:invoke';
  it('is not one caught inside a Map iteration: that scope is not the Fail state\'s', async () => {
    const def: StateMachineDefinition = {
      StartAt: 'Price items',
      States: {
        'Price items': {
          Type: 'Map',
          ItemsPath: '$.items',
          ResultPath: '$.priced',
          Next: 'Any left?',
          ItemProcessor: {
            StartAt: 'Price',
            States: {
              Price: { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'price' }, End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Drop' }] },
              Drop: { Type: 'Pass', Result: null, End: true },
            },
          },
        },
        'Any left?': { Type: 'Choice', Choices: [{ Variable: '$.priced[0]', IsNull: false, Next: 'Done' }], Default: 'Nothing left' },
        'Done': { Type: 'Succeed' },
        'Nothing left': { Type: 'Fail', Error: 'Order.Empty' },
      },
    };
    const run = await Workflow.fromDefinition(def).run({ items: [1] }, { mocks: { Price: fail('Item.Discontinued') } });
    const path = executionPath(def, run);
    expect(path.failedState).toBe('Nothing left');
    expect(path.failures.Price).toMatchObject({ caught: 1 });
    expect(path.caughtBeforeFailure).toBeUndefined();
  });
});

describe('exportForWorkflowStudio', () => {
  it('writes the definition as indented JSON that parses back to the same definition', () => {
    const text = exportForWorkflowStudio(ORDER);
    expect(text).toContain('\n  "StartAt": ');
    expect(JSON.parse(text)).toEqual(ORDER);
  });

  it('writes the definition as YAML that parses back to the same definition, JSONata kept intact', () => {
    const jsonata = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $states.input.a & "#" %}', End: true } } } as unknown as StateMachineDefinition;
    expect(parse(exportForWorkflowStudio(ORDER, 'yaml'))).toEqual(ORDER);
    expect(parse(exportForWorkflowStudio(jsonata, 'yaml'))).toEqual(jsonata);
  });

  it('refuses a definition Workflow Studio could not open, naming the dangling Next', () => {
    const bad = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Gone' } } } as unknown as StateMachineDefinition;
    expect(() => exportForWorkflowStudio(bad, 'yaml')).toThrow("state 'A' Next names 'Gone'");
  });
});
