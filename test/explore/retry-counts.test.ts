import '../../src/testing/setup';
import { machine, reaching, runScenario } from './helpers';
import { allStates } from '../../src/asl/state-tree';
import { fail, mocksFromJson, succeed } from '../../src/testing';
import { scaffoldTests } from '../../src/workbench/scaffold';
import { countedStates, failedCheck, scenarioChecks, topStates, writtenTests, type WrittenTest } from '../../src/workbench/scaffold/checks';

/*
 * Issue 77, explore round 4: the tests explore writes assert how often each state was retried
 * (the report's `retries` per scenario, as `toHaveRetried` counts them), so that a retrier dropped
 * while another one takes the error fails them though the path stays the same; and they assert
 * the Tasks a long run calls, so that a Task skipped fails them though no decisive state moves.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:charge';

/** A charge retried 3 times when throttled, once for anything else, caught after. */
function charge(retriers: object[] = [
  { ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 3, IntervalSeconds: 1 },
  { ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 1 },
]) {
  return {
    StartAt: 'Charge',
    States: {
      'Charge': {
        Type: 'Task',
        Resource: LAMBDA,
        Parameters: { 'FunctionName': FN, 'Payload.$': '$' },
        Retry: retriers,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Charge failed' }],
        Next: 'Charged',
      },
      'Charge failed': { Type: 'Fail', Error: 'Checkout.ChargeFailed' },
      'Charged': { Type: 'Succeed' },
    },
  };
}

/** Whether one written test fails on a machine: its run is refused, or a check does not pass. */
async function killed(tests: readonly WrittenTest[], def: object): Promise<boolean> {
  const wf = machine(def);
  for (const t of tests) {
    const run = await wf.run(t.scenario.input, { mocks: t.mocks }).catch(() => undefined);
    if (run === undefined || failedCheck(t.checks, run) !== undefined) return true;
  }
  return false;
}

describe('the tests explore writes for a retried Task', () => {
  it('read how often each scenario retried a state from the report, as toHaveRetried counts it', async () => {
    const wf = machine(charge());
    const report = await wf.explore();
    const tests = writtenTests(report, wf.definition);
    const retried = tests.filter((t) => t.scenario.retries !== undefined);
    expect(retried.length).toBeGreaterThan(0);
    for (const t of retried) {
      const run = await wf.run(t.scenario.input, { mocks: t.mocks });
      expect(run).toHaveRetried('Charge', t.scenario.retries!.Charge);
      expect(t.checks).toContainEqual({ kind: 'retried', state: 'Charge', times: t.scenario.retries!.Charge });
    }
    // A scenario that retried nothing says so by leaving the field out.
    expect(report.scenarios.find((s) => s.path.includes('Charged') && Object.keys(s.mocks).length === 1 && !Array.isArray(s.mocks.Charge))?.retries).toBeUndefined();
    const file = scaffoldTests(report, { source: { definition: 'charge.asl.json' }, definition: wf.definition });
    expect(file).toContain("expect(run).toHaveRetried('Charge', 1);");
  });

  it('fail on a retrier dropped while another takes the error and the run ends as before', async () => {
    const wf = machine(charge());
    const definition = wf.definition;
    // Throttled on every attempt: 3 retries, then the Catch.
    const mocks = { Charge: Array.from({ length: 4 }, () => ({ Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'slow down' } })) };
    const run = await wf.run({}, { mocks: mocksFromJson(mocks, 'mocks') });
    expect(run).toHaveRetried('Charge', 3);
    const scenario = { name: 'throttled', input: {}, mocks, path: run.path, status: run.status, error: run.error, retries: { Charge: 3 }, covers: {} };
    const checks = scenarioChecks(scenario, allStates(definition), countedStates(definition), topStates(definition));
    expect(checks).toContainEqual({ kind: 'retried', state: 'Charge', times: 3 });
    expect(failedCheck(checks, run)).toBeUndefined();
    // The catch-all retrier alone retries the throttled call once, and the run ends in the Catch as before.
    const mutant = await machine(charge([{ ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 1 }])).run({}, { mocks: mocksFromJson(mocks, 'mocks') });
    expect(mutant.path).toEqual(run.path);
    expect(failedCheck(checks, mutant)).toEqual({ kind: 'retried', state: 'Charge', times: 3 });
  });

  it('assert the retries of a top-level state entered once, though the machine reads the time', () => {
    const def = { ...charge(), Comment: 'reads $$.Execution.StartTime' };
    (def.States.Charge.Parameters as Record<string, unknown>)['started.$'] = '$$.Execution.StartTime';
    const definition = machine(def).definition;
    expect(countedStates(definition).size).toBe(0);
    const base = { name: 's', input: {}, mocks: {}, status: 'SUCCEEDED' as const, output: {}, covers: {} };
    const states = allStates(definition);
    const [counted, top] = [countedStates(definition), topStates(definition)];
    const retries = (path: string[]) => scenarioChecks({ ...base, path, retries: { Charge: 2 } }, states, counted, top)
      .filter((c) => c.kind === 'retried');
    expect(retries(['Charge', 'Charged'])).toEqual([{ kind: 'retried', state: 'Charge', times: 2 }]);
    // Entered twice (a loop the clock may turn), it is left out.
    expect(retries(['Charge', 'Charge', 'Charged'])).toEqual([]);
  });

  it('leave the retries unasserted where a failure may stop a Map before its iterations end', () => {
    const def = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Call',
            States: { Call: { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: FN }, Retry: [{ ErrorEquals: ['States.ALL'] }], End: true } },
          },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };
    const definition = machine(def).definition;
    const states = allStates(definition);
    const base = { name: 's', input: {}, mocks: {}, path: ['Each', 'Call', 'Call', 'Done'], status: 'SUCCEEDED' as const, output: {}, retries: { Call: 2 } };
    const retries = (covers: object) => scenarioChecks({ ...base, covers }, states, countedStates(definition)).filter((c) => c.kind === 'retried');
    expect(retries({})).toEqual([{ kind: 'retried', state: 'Call', times: 2 }]);
    expect(retries({ catches: ['Each#0'] })).toEqual([]);
  });
});

describe('the tests explore writes for a Task retried in a DISTRIBUTED Map child', () => {
  /** A Distributed Map over the input's orders whose child charges each, retried when throttled. */
  const distributed = (retriers: object[]) => ({
    QueryLanguage: 'JSONata',
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        Items: '{% $states.input.orders %}',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Charge',
          States: {
            Charge: {
              Type: 'Task',
              Resource: LAMBDA,
              Arguments: { FunctionName: FN, Payload: '{% $states.input %}' },
              Output: '{% $states.result.Payload %}',
              Retry: retriers,
              End: true,
            },
          },
        },
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  });
  const throttled = [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2, IntervalSeconds: 1 }];

  it("count the child's retries, which the parent's history does not hold, and assert them", async () => {
    const wf = machine(distributed(throttled));
    const report = await wf.explore();
    const scenario = reaching(report, 'retries', 'Charge#0');
    expect(scenario.retries).toEqual({ Charge: 1 });
    const run = await runScenario(wf, scenario);
    expect(run.history.some((e) => e.type === 'TaskFailed')).toBe(false);
    expect(run.childExecutions?.[0].retriesByState).toEqual({ Charge: 1 });
    expect(run).toHaveRetried('Charge', 1);
    expect(run.retries('Charge')).toBe(1);
    const tests = writtenTests(report, wf.definition);
    expect(tests.find((t) => t.scenario === scenario)?.checks).toContainEqual({ kind: 'retried', state: 'Charge', times: 1 });
    const file = scaffoldTests(report, { source: { definition: 'charge.asl.json' }, definition: wf.definition });
    expect(file).toContain("expect(run).toHaveRetried('Charge', 1);");
    expect(await killed(tests, distributed(throttled))).toBe(false);
    // A run on the same path with the same output whose child made one call: only the retry count tells them apart.
    const once = await wf.run(scenario.input, { mocks: { Charge: succeed({}) } });
    expect(once.path).toEqual(run.path);
    expect(failedCheck(tests.find((t) => t.scenario === scenario)!.checks, once)).toEqual({ kind: 'retried', state: 'Charge', times: 1 });
  });

  it('count the retries of every child together, and none for the Map', async () => {
    const wf = machine(distributed(throttled));
    // Two orders and two throttled calls: whichever child each call is, it is retried once.
    const run = await wf.run({ orders: [{ id: 1 }, { id: 2 }] }, {
      mocks: { Charge: [fail('Lambda.TooManyRequestsException', 'slow down'), fail('Lambda.TooManyRequestsException', 'slow down'), succeed({ ok: true }), succeed({ ok: true })] },
    });
    expect(run).toSucceed();
    expect(run).toHaveRetried('Charge', 2);
    expect(run.retries('Each')).toBe(0);
  });
});

describe('the tests explore writes for a long run', () => {
  it.each([
    ['', false],
    [', though the machine reads the time', true],
  ])('assert the Tasks it calls, so that a Task skipped fails them%s', async (_title, clock) => {
    const step = (name: string, next: string) => ({
      Type: 'Task', Resource: LAMBDA, Parameters: { 'FunctionName': FN, 'Payload.$': '$' }, ResultPath: `$.${name}`, Next: next,
    });
    // 'Audit' is entered after 'Notify', and by the Catch of 'Reserve': a mutant that skips it still loads.
    const def = (skip: boolean) => ({
      StartAt: 'Reserve',
      States: {
        'Reserve': {
          ...step('reserve', 'Charge'),
          ...(clock ? { Parameters: { FunctionName: FN, Payload: { 'started.$': '$$.Execution.StartTime' } } } : {}),
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Audit' }],
        },
        'Charge': step('charge', 'Notify'),
        'Notify': step('notify', skip ? 'Ship' : 'Audit'),
        'Audit': { ...step('audit', 'Ship'), ResultPath: null },
        'Ship': step('ship', 'Shipped?'),
        'Shipped?': { Type: 'Choice', Choices: [{ Variable: '$.ship.Payload.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Done' },
        'Done': { Type: 'Pass', Result: 'done', ResultPath: '$.done', Next: 'End' },
        'End': { Type: 'Succeed' },
      },
    });
    const wf = machine(def(false));
    const report = await wf.explore();
    const tests = writtenTests(report, wf.definition);
    const long = tests.find((t) => t.scenario.status === 'SUCCEEDED' && t.scenario.path.length > 6)!;
    expect(long.checks).toContainEqual(expect.objectContaining({ kind: 'visited', states: expect.arrayContaining(['Audit']) }));
    expect(await killed(tests, def(false))).toBe(false);
    // 'Audit' writes nothing the output keeps: only its call tells that it ran.
    expect(await killed(tests, def(true))).toBe(true);
  });
});
