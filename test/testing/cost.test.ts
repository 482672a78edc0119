import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { StateMachineDefinition } from '../../src/asl/types';
import { costDiffMarkdown, type CostReport } from '../../src/cost';
import { cost, fail, matchers, toCostAtMost, Workflow } from '../../src/testing';
import { COVERAGE_DIR_ENV, resetCoverage } from '../../src/testing/coverage';
import { StepwrightCoverageReporter } from '../../src/testing/reporter';

expect.extend(matchers);

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const definition = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: LAMBDA,
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 3, IntervalSeconds: 2 }],
      Next: 'Ship',
    },
    Ship: { Type: 'Pass', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

const ctx = { equals: (a: unknown, b: unknown) => a === b };

describe('the cost of a run', () => {
  it('reports a run as Standard transitions and as an Express request with its billed duration and memory', async () => {
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: { Charge: [fail('Busy'), { id: 'ch_1' }] } });
    const c = run.cost();
    expect(c.standard.stateTransitions).toBe(4); // Charge, its retry, Ship, Done
    expect(c.standard.usd).toBeCloseTo(4 * 0.000025, 12);
    // The retry waited 2 s of virtual time.
    expect(c.express).toMatchObject({ requests: 1, billedDurationMs: 2000, billedMemoryMb: 64 });
  });

  it('passes toCostAtMost within the limits and fails past them, naming the limit and the breakdown', async () => {
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: { Charge: [fail('Busy'), fail('Busy'), { id: 'ch_1' }] } });
    expect(run).toCostAtMost({ stateTransitions: 5 });
    expect(run).not.toCostAtMost({ stateTransitions: 4 });
    const failed = toCostAtMost.call(ctx, run, { stateTransitions: 4, billedDurationMs: 60_000 });
    expect(failed.pass).toBe(false);
    expect(failed.message()).toBe('expected the run to cost at most stateTransitions 4, but it cost stateTransitions 5 (3 states entered, 2 retries)');
  });

  it('refuses toCostAtMost without a limit, with an unknown one, or on something that is not a run', async () => {
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: { Charge: { id: 'ch_1' } } });
    expect(() => toCostAtMost.call(ctx, run, {})).toThrow(/expected limits such as/);
    expect(() => toCostAtMost.call(ctx, run, { transitions: 3 } as never)).toThrow(/unknown limit 'transitions'/);
    expect(() => toCostAtMost.call(ctx, run, { stateTransitions: -1 })).toThrow(/stateTransitions must be a number of 0 or more/);
    expect(() => toCostAtMost.call(ctx, { status: 'SUCCEEDED' }, { stateTransitions: 3 })).toThrow(/expected a run/);
  });

  it('estimates a workflow from its runs with cost(), side by side', async () => {
    const wf = Workflow.fromDefinition(definition);
    const runs = [
      await wf.run({}, { mocks: { Charge: { id: 'ch_1' } } }),
      await wf.run({}, { mocks: { Charge: [fail('Busy'), { id: 'ch_2' }] } }),
    ];
    const e = cost(wf, runs, { perMonth: 1_000_000 });
    expect(e.standard.stateTransitionsPerExecution).toBe(3.5);
    expect(e.express.eligible).toBe(true);
    expect(e.express.billedDurationMsPerExecution).toBe((100 + 2000) / 2);
  });
});

describe('the cost table of the coverage reporter', () => {
  let saved: string | undefined;
  let root: string;
  beforeEach(() => {
    saved = process.env[COVERAGE_DIR_ENV];
    delete process.env[COVERAGE_DIR_ENV];
    resetCoverage();
    root = mkdtempSync(join(tmpdir(), 'stepwright-cost-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[COVERAGE_DIR_ENV];
    else process.env[COVERAGE_DIR_ENV] = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it('adds a cost row per test file and state machine to the table and the JSON report', async () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((t) => { lines.push(String(t)); return true; });
    try {
      const reporter = new StepwrightCoverageReporter({ rootDir: root }, { outputFile: 'report.json', html: false });
      reporter.onRunStart();
      const wf = Workflow.fromDefinition(definition, { name: 'Orders' });
      await wf.run({}, { mocks: { Charge: { id: 'ch_1' } } });
      await wf.run({}, { mocks: { Charge: [fail('Busy'), { id: 'ch_2' }] } });
      reporter.onRunComplete();
    } finally {
      write.mockRestore();
    }
    const report = JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')) as CostReport & { cost: { machines: Array<{ usages: unknown[] }> } };
    expect(report.cost!.rows).toEqual([{ file: 'test/testing/cost.test.ts', machine: 'Orders', runs: 2, stateTransitions: 7, billedDurationMs: 2100 }]);
    expect(report.cost.machines[0].usages).toHaveLength(2);
    const table = lines.join('');
    expect(table).toMatch(/Test file\s+\| State machine \| Runs \| Transitions \| Per run \| Express ms per run/);
    expect(table).toMatch(/test\/testing\/cost\.test\.ts \| Orders\s+\|\s+2 \|\s+7 \|\s+3\.5 \|\s+1,050/);
  });
});

describe('the difference of two reports, as Markdown', () => {
  const report = (rows: Array<[string, string, number, number]>): CostReport => ({
    cost: { rows: rows.map(([file, machine, runs, stateTransitions]) => ({ file, machine, runs, stateTransitions, billedDurationMs: 100 * runs })) },
  });

  it('shows a path whose transitions doubled, first, with the change and its percentage', () => {
    const before = report([['test/a.test.ts', 'Orders', 2, 10], ['test/b.test.ts', 'Refunds', 1, 4]]);
    const after = report([['test/a.test.ts', 'Orders', 2, 20], ['test/b.test.ts', 'Refunds', 1, 4], ['test/c.test.ts', 'New', 1, 3]]);
    expect(costDiffMarkdown(before, after)).toBe([
      '| Test file | State machine | Transitions per run, before | after | Change |',
      '| --- | --- | ---: | ---: | ---: |',
      '| test/a.test.ts | Orders | 5 | 10 | +5 (+100%) |',
      '| test/c.test.ts | New | – | 3 | new |',
      '| test/b.test.ts | Refunds | 4 | 4 | 0 |',
      '',
    ].join('\n'));
  });

  it('escapes Markdown in names, and refuses a report without cost rows', () => {
    const md = costDiffMarkdown(report([['t|x.ts', '*Bold*', 1, 1]]), report([['t|x.ts', '*Bold*', 1, 1]]));
    expect(md).toContain('| t\\|x.ts | \\*Bold\\* |');
    expect(() => costDiffMarkdown({}, report([]))).toThrow(/first report has no cost rows/);
  });
});
