import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { costDiffMarkdown, type CostReport } from '../../src/cost';
import { cost, CostError, fail, matchers, toCostAtMost, usageCountsFromReport, usagesFromReport, Workflow } from '../../src/testing';
import { COVERAGE_DIR_ENV, definitionId, resetCoverage } from '../../src/testing/coverage';
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

describe('the cost of runs that did not succeed', () => {
  const wf = Workflow.fromDefinition(definition);

  it('leaves a run that failed at a Task without a mock out of cost(), naming it and why', async () => {
    const runs = [await wf.run({}, { mocks: { Charge: { id: 'ch_1' } } }), await wf.run({})];
    expect(runs[1].status).toBe('FAILED');
    const e = cost(wf, runs, { perMonth: 1_000_000 });
    expect(e).toMatchObject({ runs: 1, failedRuns: 1, failedRunsPriced: false });
    expect(e.standard.stateTransitionsPerExecution).toBe(3);
    expect(e.warnings).toEqual([expect.objectContaining({ kind: 'failed-run', run: 1, priced: false, message: expect.stringMatching(/^run 2 FAILED with .*No mock for Task 'Charge'.*left out of the estimate/) })]);
    expect(e.assumptions[0]).toMatch(/the 1 run\(s\) that did not succeed are left out/);
  });

  it('prices it as it ran with includeFailed, and says so', async () => {
    const runs = [await wf.run({}, { mocks: { Charge: { id: 'ch_1' } } }), await wf.run({})];
    const e = cost(wf, runs, { perMonth: 1_000_000, includeFailed: true });
    expect(e).toMatchObject({ runs: 2, failedRuns: 1, failedRunsPriced: true });
    expect(e.standard.stateTransitionsPerExecution).toBe((3 + 1) / 2);
    expect(e.warnings).toEqual([expect.objectContaining({ kind: 'failed-run', priced: true, message: expect.stringContaining('priced as it ran') })]);
    expect(e.assumptions[0]).toMatch(/of which 1 did not succeed \(priced as they ran\)/);
  });

  it('refuses to estimate from runs that all failed, naming each and how to price them', async () => {
    const failed = await wf.run({});
    expect(() => cost(wf, [failed], { perMonth: 1 })).toThrow(CostError);
    expect(() => cost(wf, [failed], { perMonth: 1 })).toThrow(/^no run to price: run 1 FAILED with .*No mock for Task 'Charge'.*includeFailed/);
  });

  it('warns of a run that failed with States.DataLimitExceeded, and keeps Express eligible and cheaper', async () => {
    const big = 'x'.repeat(300_000);
    const runs = [await wf.run({}, { mocks: { Charge: { id: 'ch_1' } } }), await wf.run({}, { mocks: { Charge: { id: big } } })];
    expect(runs[1].error).toBe('States.DataLimitExceeded');
    const e = cost(wf, runs, { perMonth: 1_000_000, includeFailed: true });
    expect(e.express).toMatchObject({ eligible: true, reasons: [] });
    expect(e.cheaper).toBe('EXPRESS');
    expect(e.warnings).toEqual([expect.objectContaining({ kind: 'data-limit', run: 1, message: expect.stringContaining('fails an execution as Standard and Express alike') })]);
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
      await reporter.onRunComplete();
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

  it('says so in the table and the JSON report when a row counts runs that failed', async () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((t) => { lines.push(String(t)); return true; });
    try {
      const reporter = new StepwrightCoverageReporter({ rootDir: root }, { outputFile: 'report.json', html: false });
      reporter.onRunStart();
      const wf = Workflow.fromDefinition(definition, { name: 'Orders' });
      await wf.run({}, { mocks: { Charge: { id: 'ch_1' } } });
      await wf.run({});
      await reporter.onRunComplete();
    } finally {
      write.mockRestore();
    }
    const report = JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')) as CostReport;
    expect(report.cost!.rows).toEqual([expect.objectContaining({ machine: 'Orders', runs: 2, failedRuns: 1 })]);
    expect(lines.join('')).toMatch(/\| Orders\s+\| 2 \(1 failed\) \|/);
  });

  it('reads a report of a million runs of one path by count: usageCountsFromReport, and usagesFromReport up to a million', async () => {
    const wf = Workflow.fromDefinition(definition, { name: 'Orders' });
    const usage = (await wf.run({}, { mocks: { Charge: { id: 'ch_1' } } })).cost().usage;
    const report = (runs: number) => ({ cost: { rows: [], machines: [{ id: definitionId(definition), name: 'Orders', usages: [{ usage, runs }] }] } });
    expect(usageCountsFromReport(report(5_000_000), wf)).toEqual([{ usage, runs: 5_000_000 }]);
    expect(cost(wf, usageCountsFromReport(report(5_000_000), wf), { perMonth: 10 }).runs).toBe(5_000_000);
    expect(usagesFromReport(report(3), wf)).toEqual([usage, usage, usage]);
    expect(() => usagesFromReport(report(5_000_000), wf)).toThrow(/5,000,000 runs .* read them with usageCountsFromReport/);
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

  // CommonMark lets any ASCII punctuation be backslash-escaped (0.31 §2.4); GitHub's Markdown adds
  // strikethrough, autolinks of https:, www. and addresses, $math$ and :emoji: to what a name could spell.
  it.each([
    ['an entity', 'a&lt;b', 'a\\&lt;b'],
    ['strikethrough', '~~gone~~', '\\~\\~gone\\~\\~'],
    ['a link', 'https://evil.example/x', 'https\\://evil.example/x'],
    ['a www. link', 'WWW.evil.example', 'WWW\\.evil.example'],
    ['an address', 'user@evil.example', 'user\\@evil.example'],
    ['math', 'a$x$b', 'a\\$x\\$b'],
    ['an emoji', ':rocket:', '\\:rocket\\:'],
    ['a mark that reorders the line', 'x\u202ey', 'x\ufffdy'],
    ['a control character', 'a\u0007b\u2028c', 'a\ufffdb\ufffdc'],
  ])('writes a name that spells %s as the text it is', (_what, name, written) => {
    const md = costDiffMarkdown(report([['t.test.ts', name, 1, 1]]), report([['t.test.ts', name, 1, 1]]));
    expect(md).toContain(`| t.test.ts | ${written} | 1 | 1 | 0 |`);
  });
});
