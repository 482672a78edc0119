import { execFile, execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { compileStateMachine } from '../../src/interpreter';
import { COVERAGE_DIR_ENV, recordExecution, resetCoverage } from '../../src/testing/coverage';
import { workerFileLines } from '../../src/testing/coverage/merge';
import DefaultReporter, { StepwrightCoverageReporter } from '../../src/testing/reporter';
import { sharedHandler } from '../render/fixtures';

const repoRoot = join(__dirname, '..', '..');
const definition = {
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Yes' }], Default: 'No' },
    Yes: { Type: 'Succeed' },
    No: { Type: 'Fail', Error: 'Nope' },
  },
} as unknown as StateMachineDefinition;

// Each of these runs jest itself on a fixture project: a second or two alone, 27 s measured with two
// busy loops on a shared 2-core machine (scripts/test-under-load.sh).
const NESTED_JEST_MS = 180_000;

describe('StepwrightCoverageReporter', () => {
  let root: string;
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[COVERAGE_DIR_ENV];
    delete process.env[COVERAGE_DIR_ENV];
    resetCoverage();
    root = mkdtempSync(join(tmpdir(), 'stepwright-reporter-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[COVERAGE_DIR_ENV];
    else process.env[COVERAGE_DIR_ENV] = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it('is the default export, as jest loads it', () => {
    expect(DefaultReporter).toBe(StepwrightCoverageReporter);
  });

  it('by default points the workers at a folder of its own in the temp dir, writes no JSON file, and leaves nothing in the project', async () => {
    const reporter = new StepwrightCoverageReporter({ rootDir: root }, { print: false });
    expect(reporter.coverageDir.startsWith(tmpdir())).toBe(true);
    expect(process.env[COVERAGE_DIR_ENV]).toBe(reporter.coverageDir);
    expect(reporter.outputFile).toBeUndefined();
    reporter.onRunStart();
    await reporter.onRunComplete();
    expect(existsSync(reporter.coverageDir)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it('fails the run through getLastError when a category is below its threshold, naming what was missed', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const reporter = new StepwrightCoverageReporter({ rootDir: root }, { print: false, threshold: { states: 100, transitions: 50 } });
      reporter.onRunStart();
      await recordExecution(definition, await compileStateMachine(definition).start({ ok: true }).result, { name: 'Checker' });
      await reporter.onRunComplete();
      expect(reporter.getLastError()?.message).toBe('stepwright coverage is below the threshold:\n  states: 66.7% (2/3) < 100%; never exercised: Checker: No');
    } finally {
      write.mockRestore();
    }
  });

  it('under jest --shard leaves the threshold and the budget to the merge, and keeps the shard in the report', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => { out.push(String(text)); return true; });
    try {
      const reporter = new StepwrightCoverageReporter({ rootDir: root, shard: { shardIndex: 2, shardCount: 3 } },
        { print: false, outputFile: 'shard.json', threshold: { states: 100 }, costBudget: { stateTransitions: 0 } });
      reporter.onRunStart();
      await recordExecution(definition, await compileStateMachine(definition).start({ ok: true }).result, { name: 'Checker' });
      await reporter.onRunComplete(undefined, { numTotalTests: 4, numFailedTests: 1, numTotalTestSuites: 2, numFailedTestSuites: 1 });
      expect(reporter.getLastError()).toBeUndefined();
      expect(out.join('')).toContain('shard 2/3: the threshold and the cost budget apply to all shards together');
      expect(JSON.parse(readFileSync(join(root, 'shard.json'), 'utf8')).run).toEqual({
        shard: { index: 2, count: 3 }, tests: { total: 4, failed: 1 }, testFiles: { total: 2, failed: 1 },
      });
    } finally {
      write.mockRestore();
    }
  });

  it('fails the run through getLastError when the runs together use more than the cost budget, naming the dearest', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const reporter = new StepwrightCoverageReporter({ rootDir: root }, { print: false, costBudget: { stateTransitions: 3 } });
      reporter.onRunStart();
      for (const ok of [true, false]) {
        await recordExecution(definition, await compileStateMachine(definition).start({ ok }).result, { name: 'Checker' });
      }
      await reporter.onRunComplete();
      expect(reporter.getLastError()?.message).toBe('stepwright cost is over the budget:\n  stateTransitions: 4 > 3; most: test/testing/reporter.test.ts Checker 4');
    } finally {
      write.mockRestore();
    }
  });

  it('adds the reports of other shards to its own before the threshold applies', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const first = new StepwrightCoverageReporter({ rootDir: root }, { print: false, outputFile: 'first.json' });
      first.onRunStart();
      await recordExecution(definition, await compileStateMachine(definition).start({ ok: false }).result, { name: 'Checker' });
      await first.onRunComplete(undefined, { numTotalTests: 1, numFailedTests: 0, numTotalTestSuites: 1, numFailedTestSuites: 0 });
      // This test file ran both: the first report's runs stand for another shard's test file.
      writeFileSync(join(root, 'first.json'), readFileSync(join(root, 'first.json'), 'utf8').replaceAll('test/testing/reporter.test.ts', 'other.test.ts'));
      resetCoverage();
      const second = new StepwrightCoverageReporter({ rootDir: root }, { print: false, outputFile: 'merged.json', shardReports: ['first.json'], threshold: { states: 100 } });
      second.onRunStart();
      await recordExecution(definition, await compileStateMachine(definition).start({ ok: true }).result, { name: 'Checker' });
      await second.onRunComplete(undefined, { numTotalTests: 1, numFailedTests: 0, numTotalTestSuites: 1, numFailedTestSuites: 0 });
      expect(second.getLastError()).toBeUndefined();
      expect(JSON.parse(readFileSync(join(root, 'merged.json'), 'utf8')).machines[0]).toMatchObject({ runs: 2, states: { covered: 3, total: 3, missed: [] } });
    } finally {
      write.mockRestore();
    }
  });

  it('refuses a threshold with an unknown category or a value that is not a percentage', () => {
    expect(() => new StepwrightCoverageReporter({ rootDir: root }, { threshold: { state: 100 } as never }))
      .toThrow("threshold has an unknown category 'state'; use states, transitions, choices, catches, retries");
    expect(() => new StepwrightCoverageReporter({ rootDir: root }, { threshold: { states: 120 } }))
      .toThrow('threshold.states must be a percentage from 0 to 100, got 120');
  });

  it('clears files left by an earlier run when the run starts', () => {
    const reporter = new StepwrightCoverageReporter({ rootDir: root }, { print: false, coverageDir: 'cov' });
    mkdirSync(reporter.coverageDir, { recursive: true });
    writeFileSync(join(reporter.coverageDir, 'stale.jsonl'), '{}\n');
    reporter.onRunStart();
    expect(readdirSync(reporter.coverageDir)).toEqual([]);
  });

  it('merges what the executions recorded, prints the table, writes the JSON report and removes the worker files', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => { out.push(String(text)); return true; });
    try {
      const reporter = new StepwrightCoverageReporter({ rootDir: root }, { outputFile: 'reports/coverage.json' });
      reporter.onRunStart();
      const machine = compileStateMachine(definition);
      await recordExecution(definition, await machine.start({ ok: true }).result, { name: 'Checker' });
      const machines = await reporter.onRunComplete();
      expect(machines).toHaveLength(1);
      expect(out.join('')).toContain('Checker       |    1 | 2/3 66% |     1/2 50% | 1/2 50% |       - |       -');
      const report = JSON.parse(readFileSync(join(root, 'reports', 'coverage.json'), 'utf8'));
      expect(report.machines[0]).toMatchObject({ name: 'Checker', runs: 1, states: { covered: 2, total: 3, missed: ['No'] } });
      expect(existsSync(reporter.coverageDir)).toBe(false);
      expect(reporter.getLastError()).toBeUndefined();
    } finally {
      write.mockRestore();
    }
  });

  /** A reporter on folder `cov` after one run of Checker, and the worker file that run wrote. */
  async function afterOneRun(): Promise<{ reporter: StepwrightCoverageReporter; own: string }> {
    const reporter = new StepwrightCoverageReporter({ rootDir: root }, { print: false, coverageDir: 'cov' });
    reporter.onRunStart();
    await recordExecution(definition, await compileStateMachine(definition).start({ ok: true }).result, { name: 'Checker' });
    const [own] = readdirSync(reporter.coverageDir);
    return { reporter, own: join(reporter.coverageDir, own) };
  }

  it('reads no coverage file through a link put in the coverage folder', async () => {
    const { reporter, own } = await afterOneRun();
    // Another run's records, outside the folder.
    writeFileSync(join(root, 'elsewhere.jsonl'), readFileSync(own, 'utf8'));
    symlinkSync(join(root, 'elsewhere.jsonl'), join(reporter.coverageDir, 'a-linked.jsonl'));
    const machines = await reporter.onRunComplete();
    expect(machines.map((m) => [m.name, m.runs])).toEqual([['Checker', 1]]);
  });

  it('reads no FIFO put in the coverage folder, which no one writes to and would hold the reporter for ever', async () => {
    const { reporter } = await afterOneRun();
    execFileSync('mkfifo', [join(reporter.coverageDir, 'z-fifo.jsonl')]);
    const machines = await reporter.onRunComplete();
    expect(machines.map((m) => [m.name, m.runs])).toEqual([['Checker', 1]]);
  });

  it('reads a worker\'s file a line at a time: records across chunk ends, a last line without its newline, blank and broken lines', () => {
    const dir = join(root, 'lines');
    mkdirSync(dir);
    const long = `{"pad":"${'x'.repeat(1_048_576)}"}`;
    writeFileSync(join(dir, 'w.jsonl'), `{"a":1}\n\n${long}\nnot json\n{"é":"ü"}`);
    expect([...workerFileLines(join(dir, 'w.jsonl'))]).toEqual(['{"a":1}', '', long, 'not json', '{"é":"ü"}']);
    // An é whose two bytes lie either side of the first chunk's end (byte 1,048,576).
    const split = `"${'x'.repeat(1_048_574)}é"`;
    writeFileSync(join(dir, 'split.jsonl'), `${split}\n1\n`);
    expect([...workerFileLines(join(dir, 'split.jsonl'))]).toEqual([split, '1']);
  });

  it('writes the report of a machine too large to draw, with no HTML page for it and a line saying why', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => { out.push(String(text)); return true; });
    try {
      const reporter = new StepwrightCoverageReporter({ rootDir: root }, { outputFile: 'report.json', print: false });
      reporter.onRunStart();
      await recordExecution(definition, await compileStateMachine(definition).start({ ok: true }).result, { name: 'Checker' });
      // 400 Tasks catching into one handler drawn below them all: render refuses the layout.
      const wide = sharedHandler(400);
      await recordExecution(wide, await compileStateMachine(wide).start({}).result, { name: 'Wide' });
      await reporter.onRunComplete();
      expect(reporter.getLastError()).toBeUndefined();
      expect(JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')).machines.map((m: { name: string }) => m.name).sort()).toEqual(['Checker', 'Wide']);
      expect(readdirSync(root).sort()).toEqual(['report.Checker.html', 'report.json']);
      expect(out.join('')).toMatch(/stepwright coverage: no HTML page for Wide: the diagram is too large to lay out: .*--format mermaid/);
    } finally {
      write.mockRestore();
    }
  });

  it('writes no report through a symbolic link, nor into a FIFO, and fails the run saying why', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => { out.push(String(text)); return true; });
    try {
      writeFileSync(join(root, 'precious.txt'), 'keep me\n');
      symlinkSync('precious.txt', join(root, 'linked.json'));
      execFileSync('mkfifo', [join(root, 'fifo.json')]);
      const page = join(root, 'page.json');
      symlinkSync('precious.txt', join(root, 'page.Checker.html'));
      for (const [file, kind] of [['linked.json', 'is a symbolic link'], ['fifo.json', 'exists and is not a regular file'], ['page.json', 'is a symbolic link']]) {
        const reporter = new StepwrightCoverageReporter({ rootDir: root }, { outputFile: file, print: false });
        reporter.onRunStart();
        await recordExecution(definition, await compileStateMachine(definition).start({ ok: true }).result, { name: 'Checker' });
        await reporter.onRunComplete();
        expect(reporter.getLastError()?.message).toContain('stepwright coverage: the report was not written: ');
        expect(reporter.getLastError()?.message).toContain(kind);
        resetCoverage();
      }
      // All or none: the JSON report is not written when a page beside it cannot be.
      expect(existsSync(page)).toBe(false);
      expect(readFileSync(join(root, 'precious.txt'), 'utf8')).toBe('keep me\n');
    } finally {
      write.mockRestore();
    }
  });

  /**
   * One jest run of the coverage project with two workers, a row per test file and a threshold its
   * tests miss (catches: 100), shared by the three tests that read what it printed, wrote and
   * exited with: a nested jest run costs seconds of the machine's two cores. The threshold changes
   * nothing the reporter prints or writes before it fails the run (that a run without one exits 0,
   * test/cli/coverage-merge.test.ts's jest runs check). Made on first use, in a folder of its own
   * that afterAll removes.
   */
  interface MachineRow {
    readonly states: { readonly hits: Record<string, number> };
    readonly choices: { readonly hits: Record<string, number>; readonly covered: number };
    readonly retries: { readonly hits: Record<string, number> };
    readonly files: Array<{ readonly file: string; readonly runs: number; readonly choices: { readonly covered: number } }>;
  }
  let twoWorkers: Promise<{ code: unknown; stdout: string; report: { machines: MachineRow[]; run: unknown }; coverageDir: string }> | undefined;
  let twoWorkersDir: string | undefined;
  const runTwoWorkers = () => {
    twoWorkers ??= (async () => {
      twoWorkersDir = mkdtempSync(join(tmpdir(), 'stepwright-reporter-two-workers-'));
      const fixture = join(__dirname, 'fixtures', 'coverage-project');
      const report = join(twoWorkersDir, 'report.json');
      const coverageDir = join(twoWorkersDir, 'coverage');
      const run = promisify(execFile)(process.execPath, [
        join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', join(fixture, 'jest.config.js'),
        '--coverage=false', '--maxWorkers=2', '--ci',
      ], {
        cwd: fixture,
        env: {
          ...process.env,
          [COVERAGE_DIR_ENV]: coverageDir,
          STEPWRIGHT_TEST_REPORT: report,
          STEPWRIGHT_TEST_BY_FILE: '1',
          STEPWRIGHT_TEST_THRESHOLD: JSON.stringify({ catches: 100 }),
        },
      });
      // jest exits non-zero when a reporter fails the run: what it printed and its code are the answer.
      const { code, stdout } = await run.then(
        ({ stdout: out }) => ({ code: 0 as unknown, stdout: out }),
        (e: { code?: unknown; stdout?: string }) => {
          if (typeof e.stdout !== 'string') throw e;
          return { code: e.code, stdout: e.stdout };
        },
      );
      return { code, stdout, report: JSON.parse(readFileSync(report, 'utf8')), coverageDir };
    })();
    return twoWorkers;
  };
  afterAll(() => { if (twoWorkersDir) rmSync(twoWorkersDir, { recursive: true, force: true }); });

  it('adds up coverage across two test files run by jest with two workers', async () => {
    const { stdout, report, coverageDir } = await runTwoWorkers();
    // Both test files ran and passed: the run fails only by the threshold (the third test below).
    expect(report.run).toEqual({ tests: { total: 2, failed: 0 }, testFiles: { total: 2, failed: 0 } });
    // The machine's row, its name padded to the width of the test files' rows under it.
    expect(stdout).toContain('OrderWorkflow        |    2 | 5/6 83% |     4/5 80% | 2/3 66% |  0/1 0% | 1/1 100%');
    const [machine] = report.machines;
    // express.fixture.ts took rule 0 and retried Charge; bulk.fixture.ts took rule 1 through the Map.
    expect(machine.choices.hits).toEqual({ 'Route#0': 1, 'Route#1': 1, 'Route#default': 0 });
    expect(machine.states.hits).toMatchObject({ Charge: 1, Items: 1, Pack: 2 });
    expect(machine.retries.hits).toEqual({ 'Charge#0': 1 });
    expect(existsSync(coverageDir) ? readdirSync(coverageDir) : []).toEqual([]);
  }, NESTED_JEST_MS);

  it('prints, with byFile, a row per test file under the machine: what each file\'s tests exercised', async () => {
    const { stdout, report } = await runTwoWorkers();
    // The coverage table's rows: the cost table that follows it has rows per test file too.
    const costTable = stdout.indexOf('Test file');
    const coverageTable = stdout.slice(stdout.indexOf('State machine'), costTable < 0 ? undefined : costTable);
    const rows = coverageTable.split('\n').filter((l) => / \| +\d+ \| /.test(l));
    expect(rows.map((r) => r.split(' | ')[0].trimEnd())).toEqual(['OrderWorkflow', '  bulk.fixture.ts', '  express.fixture.ts']);
    const [machine] = report.machines;
    expect(machine.files.map((f) => [f.file, f.runs])).toEqual([['bulk.fixture.ts', 1], ['express.fixture.ts', 1]]);
    // Each file reached part; the machine's row adds them up.
    expect(machine.files.map((f) => f.choices.covered)).toEqual([1, 1]);
    expect(machine.choices.covered).toBe(2);
  }, NESTED_JEST_MS);

  it('makes jest exit non-zero when the coverage of all test files together is below the threshold', async () => {
    const { code, stdout } = await runTwoWorkers();
    expect({ code, stdout }).toMatchObject({ code: 1, stdout: expect.stringContaining('catches: 0.0% (0/1) < 100%') });
  }, NESTED_JEST_MS);
});
