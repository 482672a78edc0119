import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { compileStateMachine } from '../../src/interpreter';
import { COVERAGE_DIR_ENV, recordExecution, resetCoverage } from '../../src/testing/coverage';
import { StepwrightCoverageReporter } from '../../src/testing/reporter';
import DefaultReporter, { StepwrightVitestReporter, type VitestTestModuleLike } from '../../src/testing/vitest-reporter';

// vitest itself runs this reporter in scripts/consumer-check.sh (vitest 5, 4 and 3.2, its pools, --shard and the
// merge included); here its events are given by hand, as vitest 4 and 5 give them.
const definition = {
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Yes' }], Default: 'No' },
    Yes: { Type: 'Succeed' },
    No: { Type: 'Fail', Error: 'Nope' },
  },
} as unknown as StateMachineDefinition;

/** A test file as vitest reports it: its state and its tests' states. */
function testModule(state: string, tests: readonly string[]): VitestTestModuleLike {
  return { state: () => state, children: { allTests: () => tests.map((s) => ({ result: () => ({ state: s }) })) } };
}

/** Runs the machine as the test file `file` of vitest does: vitest's expect (on its worker's globals) names the file. */
async function runInVitestFile(file: string, input: { ok: boolean }): Promise<void> {
  const result = await compileStateMachine(definition).start(input).result;
  Object.defineProperty(globalThis, '__vitest_index__', { value: { expect: { getState: () => ({ testPath: file }) } }, configurable: true });
  try {
    await recordExecution(definition, result, { name: 'Checker' });
  } finally {
    Reflect.deleteProperty(globalThis, '__vitest_index__');
  }
}

describe('StepwrightVitestReporter', () => {
  let root: string;
  let saved: { dir?: string; exitCode?: typeof process.exitCode };
  let out: string[];
  let write: jest.SpyInstance;
  beforeEach(() => {
    saved = { dir: process.env[COVERAGE_DIR_ENV], exitCode: process.exitCode };
    delete process.env[COVERAGE_DIR_ENV];
    resetCoverage();
    root = mkdtempSync(join(tmpdir(), 'stepwright-vitest-reporter-'));
    out = [];
    write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => { out.push(String(text)); return true; });
  });
  afterEach(() => {
    write.mockRestore();
    process.exitCode = saved.exitCode;
    if (saved.dir === undefined) delete process.env[COVERAGE_DIR_ENV];
    else process.env[COVERAGE_DIR_ENV] = saved.dir;
    rmSync(root, { recursive: true, force: true });
  });

  it('is the default export, which vitest constructs with the options of its reporters entry', () => {
    expect(DefaultReporter).toBe(StepwrightVitestReporter);
  });

  it('writes the report the jest reporter writes for the same runs, the test files named relative to vitest\'s root', async () => {
    const vitest = new StepwrightVitestReporter({ outputFile: 'reports/vitest.json', html: false });
    vitest.onInit({ config: { root } });
    expect(process.env[COVERAGE_DIR_ENV]).toBeDefined();
    vitest.onTestRunStart();
    await runInVitestFile(join(root, 'test', 'a.test.ts'), { ok: true });
    await runInVitestFile(join(root, 'test', 'b.test.ts'), { ok: false });
    await vitest.onTestRunEnd([testModule('passed', ['passed', 'skipped']), testModule('failed', ['failed'])]);
    const written = JSON.parse(readFileSync(join(root, 'reports', 'vitest.json'), 'utf8'));

    resetCoverage();
    const jest = new StepwrightCoverageReporter({ rootDir: root }, { outputFile: 'reports/jest.json', html: false });
    jest.onRunStart();
    await runInVitestFile(join(root, 'test', 'a.test.ts'), { ok: true });
    await runInVitestFile(join(root, 'test', 'b.test.ts'), { ok: false });
    await jest.onRunComplete(undefined, { numTotalTests: 3, numFailedTests: 1, numTotalTestSuites: 2, numFailedTestSuites: 1 });

    expect(written).toEqual(JSON.parse(readFileSync(join(root, 'reports', 'jest.json'), 'utf8')));
    expect(written.run).toEqual({ tests: { total: 3, failed: 1 }, testFiles: { total: 2, failed: 1 } });
    expect(written.cost.rows.map((r: { file: string }) => r.file)).toEqual(['test/a.test.ts', 'test/b.test.ts']);
    expect(written.machines[0].states).toMatchObject({ covered: 3, total: 3 });
    // The summary tables are printed, as under jest.
    expect(out.join('')).toContain('stepwright coverage\nState machine | Runs |');
  });

  it('fails the run below the threshold or over the budget by the exit code, as vitest\'s own coverage thresholds do, naming what was missed', async () => {
    const vitest = new StepwrightVitestReporter({ print: false, threshold: { states: 100 }, costBudget: { stateTransitions: 1 } });
    vitest.onInit({ config: { root } });
    vitest.onTestRunStart();
    await runInVitestFile(join(root, 'a.test.ts'), { ok: true });
    process.exitCode = undefined;
    await vitest.onTestRunEnd([testModule('passed', ['passed'])]);
    expect(process.exitCode).toBe(1);
    expect(vitest.getLastError()?.message).toBe('stepwright coverage is below the threshold:\n  states: 66.7% (2/3) < 100%; never exercised: Checker: No\n'
      + 'stepwright cost is over the budget:\n  stateTransitions: 2 > 1; most: a.test.ts Checker 2');
    expect(out.join('')).toContain('stepwright coverage is below the threshold');
  });

  it('leaves the exit code alone when the threshold and the budget are met', async () => {
    const vitest = new StepwrightVitestReporter({ print: false, threshold: { states: 60 } });
    vitest.onInit({ config: { root } });
    vitest.onTestRunStart();
    await runInVitestFile(join(root, 'a.test.ts'), { ok: true });
    process.exitCode = undefined;
    await vitest.onTestRunEnd([testModule('passed', ['passed'])]);
    expect(process.exitCode).toBeUndefined();
    expect(vitest.getLastError()).toBeUndefined();
  });

  it('under vitest --shard keeps the shard in the report and leaves the threshold to stepwright coverage merge', async () => {
    const vitest = new StepwrightVitestReporter({ print: false, outputFile: 'shard-2.json', html: false, threshold: { states: 100 } });
    vitest.onInit({ config: { root, shard: { index: 2, count: 3 } } });
    vitest.onTestRunStart();
    await runInVitestFile(join(root, 'a.test.ts'), { ok: true });
    process.exitCode = undefined;
    await vitest.onTestRunEnd([testModule('passed', ['passed'])]);
    expect(process.exitCode).toBeUndefined();
    expect(JSON.parse(readFileSync(join(root, 'shard-2.json'), 'utf8')).run).toEqual({ shard: { index: 2, count: 3 }, tests: { total: 1, failed: 0 }, testFiles: { total: 1, failed: 0 } });
    expect(out.join('')).toContain('shard 2/3: the threshold and the cost budget apply to all shards together; merge their reports with stepwright coverage merge');
  });

  it('clears an earlier run\'s coverage when vitest --watch starts another run', async () => {
    const vitest = new StepwrightVitestReporter({ print: false, outputFile: 'r.json', html: false });
    vitest.onInit({ config: { root } });
    vitest.onTestRunStart();
    await runInVitestFile(join(root, 'a.test.ts'), { ok: true });
    await runInVitestFile(join(root, 'a.test.ts'), { ok: false });
    // The second run starts before the first one's end: its files are cleared.
    vitest.onTestRunStart();
    await runInVitestFile(join(root, 'a.test.ts'), { ok: true });
    await vitest.onTestRunEnd([testModule('passed', ['passed'])]);
    expect(JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')).machines[0].runs).toBe(1);
  });

  it('leaves no folder behind in the temp dir', async () => {
    const vitest = new StepwrightVitestReporter({ print: false });
    vitest.onInit({ config: { root } });
    const dir = process.env[COVERAGE_DIR_ENV]!;
    vitest.onTestRunStart();
    await runInVitestFile(join(root, 'a.test.ts'), { ok: true });
    await vitest.onTestRunEnd([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('says it is a vitest reporter when a run starts without vitest\'s onInit', () => {
    expect(() => new StepwrightVitestReporter().onTestRunStart()).toThrow(
      "stepwright/testing/vitest-reporter is a vitest reporter: list it in vitest's 'test.reporters' (jest's is stepwright/testing/reporter)");
  });

  it('the jest reporter, built as vitest builds a reporter (its options alone), names the vitest entry', () => {
    const asVitest = StepwrightCoverageReporter as unknown as new (options?: object) => unknown;
    expect(() => new asVitest({ outputFile: 'x.json' })).toThrow(
      "stepwright/testing/reporter is jest's reporter: under vitest, list 'stepwright/testing/vitest-reporter' in 'test.reporters'");
    expect(() => new asVitest()).toThrow('stepwright/testing/vitest-reporter');
  });
});
