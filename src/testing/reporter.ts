import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { isAbsolute, join, resolve } from 'path';
import { COVERAGE_DIR_ENV, PARITY_RUNS_ENV, RUNS_FOLDER } from './coverage';
import type { StateMachineDefinition } from '../asl';
import { formatCost, formatCoverage, mergeAdviceDir, mergeCostDir, mergeCoverageDir, workerFileLines } from './coverage/merge';
import { DATA_FILE_LIMIT } from '../workbench/common';
import { OutputFileError, writeOutputFiles, type OutputFile } from '../workbench/common/output-files';
import type { CoverageCategory, MachineCoverage } from '../workbench/coverage';
import { belowThreshold, checkCostBudget, checkThreshold, overBudget, type CostBudget } from '../workbench/coverage/gates';
import { checkCoverageReport, CoverageReportError, mergeCoverageReports, readCoverageReport, type CoverageReport, type ReportRun } from '../workbench/coverage/shards';
import type { MockValidation } from '../workbench/mocks';

/**
 * The reporter's `parity` option: every execution the tests run is kept, and at the end of the
 * run each state visit is sent to AWS's TestState with the input, variables, Context Object and
 * mock it had, and compared with what the run did there (docs/parity.md).
 */
export interface ParityReporterOptions {
  /**
   * Also write the runs to this file (JSON Lines of recordings, relative to jest's rootDir), for
   * `stepwright parity --runs <file>` later or elsewhere.
   * @default - not written
   */
  readonly runsFile?: string;
  /**
   * Send the visits to TestState at the end of the run; a visit that differs fails the run.
   * `false` only writes `runsFile`.
   * @default true
   */
  readonly check?: boolean;
  /** The Step Functions endpoint: `stepwright serve`'s to try it offline. @default - AWS's for the region */
  readonly endpoint?: string;
  /** @default - the SDK's (AWS_REGION, the profile) */
  readonly region?: string;
  /** The shared-config profile for credentials. @default - the SDK's */
  readonly profile?: string;
  /** TestState calls at once, 1 to 10. @default 2 */
  readonly concurrency?: number;
  /** TestState calls in all, retries included. @default 1000 */
  readonly maxCalls?: number;
  /** `DEBUG` compares each stage of the data flow too. @default 'DEBUG' */
  readonly inspectionLevel?: 'INFO' | 'DEBUG';
  /** Sent as each mocked result's `mock.fieldValidationMode`. @default - none: AWS's STRICT */
  readonly fieldValidationMode?: MockValidation;
  /** A folder (relative to rootDir) for a conformance case file per difference. @default - none written */
  readonly writeCases?: string;
}

/** Options of the stepwright jest reporter, given as `['stepwright/testing/reporter', { ... }]`. */
export interface CoverageReporterOptions {
  /**
   * Where the JSON report is written, relative to jest's rootDir: `{ machines: MachineCoverage[], cost }`,
   * one entry per state machine with covered, total, missed and hit counts per category, and
   * `cost.rows`, one per test file and state machine with its runs' state transitions and billed
   * Express duration (`stepwright cost --diff before.json after.json` compares two reports).
   * @default - no file: the table is printed only
   */
  readonly outputFile?: string;
  /**
   * Directory for the per-process files the test workers append to while the run lasts.
   * @default - $STEPWRIGHT_COVERAGE_DIR, else a folder in the temp dir, removed at the end of the run
   */
  readonly coverageDir?: string;
  /**
   * Minimum coverage, in percent, per category, over all state machines together: below it
   * the run fails (as jest's `coverageThreshold` does), naming the category and what was missed.
   * @default - none
   * @example threshold: { states: 100, transitions: 90, choices: 100 }
   */
  readonly threshold?: Partial<Record<CoverageCategory, number>>;
  /**
   * The most the runs of all test files together may use: beyond it the run fails, naming what
   * was used and the dearest test files. Under `jest --shard` it applies to the merged report
   * (`stepwright coverage merge`), as the threshold does.
   * @default - none
   * @example costBudget: { stateTransitions: 5000 }
   */
  readonly costBudget?: CostBudget;
  /**
   * Reports other shards of this run wrote (their outputFile): added to this run's figures before
   * the threshold and the budget apply, and written together to outputFile. A missing or failed
   * shard is named.
   * @default - none
   */
  readonly shardReports?: readonly string[];
  /**
   * Print the summary table at the end of the run.
   * @default true
   */
  readonly print?: boolean;
  /**
   * Under each state machine that two or more test files ran, print a row per
   * test file with what that file's tests exercised (a hand-written file beside
   * a scaffolded one, say). The JSON report has the per-file figures either way.
   * @default false
   */
  readonly byFile?: boolean;
  /**
   * Also write one HTML page per state machine next to the JSON report
   * (`<report>.<machine>.html`), showing what was never exercised.
   * @default true
   */
  readonly html?: boolean;
  /**
   * Check the runs of the tests against AWS's TestState at the end of the run, state visit by
   * state visit; a visit that differs fails the run. Needs `@aws-sdk/client-sfn`.
   * @default - not checked
   * @example parity: { region: 'eu-west-1', writeCases: 'parity-cases' }
   */
  readonly parity?: ParityReporterOptions;
}

/** The part of jest's global config the reporter reads; declared here so jest is not needed at run time. */
export interface ReporterGlobalConfigLike {
  readonly rootDir: string;
  /** `jest --shard=index/count`: this run is one shard of a suite. */
  readonly shard?: { readonly shardIndex: number; readonly shardCount: number };
}

/** The part of jest's aggregated results the reporter reads. */
export interface ReporterResultsLike {
  readonly numTotalTests?: number;
  readonly numFailedTests?: number;
  readonly numTotalTestSuites?: number;
  /** Test files with a failed test, or that could not run at all (a syntax error). */
  readonly numFailedTestSuites?: number;
}

/**
 * A jest reporter that adds up the state machine coverage of every test file
 * and worker, prints a summary table with what was never exercised, and
 * writes a JSON report.
 *
 * @example
 * // jest.config.js
 * module.exports = {
 *   setupFilesAfterEnv: ['stepwright/testing/setup'],
 *   reporters: ['default', ['stepwright/testing/reporter', { outputFile: 'reports/sfn-coverage.json' }]],
 * };
 */
export class StepwrightCoverageReporter {
  /** The directory the workers write to. */
  public readonly coverageDir: string;
  /** Where the JSON report goes, when one was asked for. */
  public readonly outputFile?: string;
  private readonly print: boolean;
  private readonly threshold: Partial<Record<CoverageCategory, number>>;
  private readonly costBudget: CostBudget;
  private readonly shardReports: readonly string[];
  private readonly shard?: { readonly index: number; readonly count: number };
  /** The folder is the reporter's own (in the temp dir), so it removes it at the end. */
  private readonly ownsDir: boolean;
  private lastError: Error | undefined;
  private readonly html: boolean;
  private readonly byFile: boolean;
  private readonly rootDir: string;
  private readonly write: (text: string) => void;
  private readonly parity?: ParityReporterOptions;

  constructor(globalConfig: ReporterGlobalConfigLike, options: CoverageReporterOptions = {}) {
    // vitest builds a reporter with its options alone: it is told which entry is vitest's.
    if (typeof globalConfig?.rootDir !== 'string') {
      throw new Error("stepwright/testing/reporter is jest's reporter: under vitest, list 'stepwright/testing/vitest-reporter' in 'test.reporters'");
    }
    const root = globalConfig.rootDir;
    const configured = options.coverageDir ?? process.env[COVERAGE_DIR_ENV];
    this.ownsDir = configured === undefined;
    const dir = configured ?? mkdtempSync(join(tmpdir(), 'stepwright-coverage-'));
    this.coverageDir = isAbsolute(dir) ? dir : resolve(root, dir);
    if (options.outputFile !== undefined) this.outputFile = isAbsolute(options.outputFile) ? options.outputFile : resolve(root, options.outputFile);
    this.print = options.print ?? true;
    this.threshold = checkThreshold(options.threshold ?? {}, 'stepwright reporter');
    this.costBudget = checkCostBudget(options.costBudget ?? {}, 'stepwright reporter');
    this.shardReports = (options.shardReports ?? []).map((f) => (isAbsolute(f) ? f : resolve(root, f)));
    const shard = globalConfig.shard;
    if (shard && shard.shardCount > 1) this.shard = { index: shard.shardIndex, count: shard.shardCount };
    this.html = options.html ?? true;
    this.byFile = options.byFile ?? false;
    this.rootDir = root;
    this.write = (text) => process.stdout.write(`${text}\n`);
    // Reporters are built before jest starts its workers, which inherit this environment.
    process.env[COVERAGE_DIR_ENV] = this.coverageDir;
    if (options.parity !== undefined) {
      this.parity = options.parity;
      process.env[PARITY_RUNS_ENV] = '1';
    }
  }

  /** Clears files left by an earlier run, so this run's coverage starts from zero. */
  onRunStart(): void {
    this.clean();
  }

  /**
   * Merges the workers' files (and other shards' reports, when given), prints the tables, writes the
   * JSON report, checks the threshold and the budget and removes the files. Under `jest --shard` the
   * threshold and the budget wait for the merge of every shard's report. With `parity`, then sends
   * the runs' state visits to TestState (jest waits for it).
   */
  async onRunComplete(_contexts?: unknown, results?: ReporterResultsLike): Promise<MachineCoverage[]> {
    // Runs are read before the coverage step removes the workers' files.
    const runs = this.parity !== undefined ? this.takeRuns() : undefined;
    const machines = this.completeCoverage(results);
    if (runs === undefined) return machines;
    if (typeof runs !== 'string') this.fail(runs.error);
    else await this.checkParity(runs);
    return machines;
  }

  private completeCoverage(results: ReporterResultsLike | undefined): MachineCoverage[] {
    const definitions = new Map<string, StateMachineDefinition>();
    const machines = mergeCoverageDir(this.coverageDir, definitions, { rootDir: this.rootDir });
    const cost = mergeCostDir(this.coverageDir, { rootDir: this.rootDir });
    this.printAdvice();
    const own: CoverageReport = { machines, cost, run: this.runOf(results) };
    let report: CoverageReport = own;
    let warnings: readonly string[] = [];
    if (this.shardReports.length > 0) {
      try {
        const merged = mergeCoverageReports([{ file: '(this run)', report: checkCoverageReport(own, '(this run)') }, ...this.shardReports.map(readCoverageReport)]);
        report = { machines: merged.machines, cost: merged.cost };
        warnings = merged.warnings;
      } catch (e) {
        if (!(e instanceof CoverageReportError)) throw e;
        // jest fails the run with it: a merge that cannot be made is no pass.
        this.lastError = new Error(`stepwright coverage: cannot merge the shard reports: ${e.message}`);
        this.write(this.lastError.message);
        this.clean();
        if (this.ownsDir) rmSync(this.coverageDir, { recursive: true, force: true });
        return machines;
      }
    }
    if (this.print) this.write(`\n${formatCoverage(report.machines, { byFile: this.byFile })}\n`);
    if (this.print && report.cost.rows.length > 0) this.write(`\n${formatCost(report.cost.rows)}\n`);
    for (const w of warnings) this.write(`stepwright coverage: ${w}`);
    const unwritten = this.outputFile !== undefined ? this.writeReport(this.outputFile, report, definitions) : undefined;
    this.clean();
    if (this.ownsDir) rmSync(this.coverageDir, { recursive: true, force: true });
    // jest fails the run with it: a report asked for and not written is no pass.
    const notWritten = unwritten !== undefined ? [`stepwright coverage: the report was not written: ${unwritten}`] : [];
    this.lastError = undefined;
    const gated = Object.keys(this.threshold).length > 0 || Object.keys(this.costBudget).length > 0;
    if (this.shard && this.shardReports.length === 0) {
      if (gated) {
        this.write(`stepwright coverage: shard ${this.shard.index}/${this.shard.count}: the threshold and the cost budget apply to all shards together; `
        + 'merge their reports with stepwright coverage merge');
      }
      this.lastError = notWritten.length ? new Error(notWritten[0]) : undefined;
      if (this.lastError) this.write(this.lastError.message);
      return report.machines;
    }
    const shortfalls = belowThreshold(report.machines, this.threshold);
    const over = overBudget(report.cost.rows, this.costBudget);
    const parts = [
      ...notWritten,
      ...(shortfalls.length ? [`stepwright coverage is below the threshold:\n${shortfalls.join('\n')}`] : []),
      ...(over.length ? [`stepwright cost is over the budget:\n${over.join('\n')}`] : []),
    ];
    this.lastError = parts.length ? new Error(parts.join('\n')) : undefined;
    if (this.lastError) this.write(this.lastError.message);
    return report.machines;
  }

  /**
   * The advice the runs were given (a mock's field the model does not define, an error the
   * integration never raises, a Distributed Map's error AWS may raise otherwise): no test failed
   * on them, and this is where a suite that never reads `run.advice` hears of them.
   */
  private printAdvice(): void {
    const { lines, more } = mergeAdviceDir(this.coverageDir, { rootDir: this.rootDir });
    if (lines.length === 0) return;
    this.write('\nstepwright: advice from the runs (no test failed on it; AWS accepts these mocks, and mockAdvice: \'fail\' fails a run on them; where AWS\'s answer is not recorded, the advice says so):');
    // The messages escape what they quote (workbench/mocks/validation.ts); their own lines are indented here.
    for (const line of lines) this.write(`  ${line.replace(/\n/g, '\n    ')}`);
    if (more > 0) this.write(`  … and ${more} more`);
  }

  /** How this run went, as the report keeps it for a merge: the shard, and the failed tests and files. */
  private runOf(results: ReporterResultsLike | undefined): ReportRun {
    const n = (v: number | undefined): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
    const totalTests = n(results?.numTotalTests);
    const totalFiles = n(results?.numTotalTestSuites);
    return {
      ...(this.shard ? { shard: this.shard } : {}),
      tests: { total: totalTests, failed: Math.min(totalTests, n(results?.numFailedTests)) },
      testFiles: { total: totalFiles, failed: Math.min(totalFiles, n(results?.numFailedTestSuites)) },
    };
  }

  /**
   * Writes the JSON report and, unless turned off, the HTML page of each machine beside it
   * (`<report>.<name or id>.html`), all or none, as the CLI writes its files: never through a
   * symbolic link, never into a FIFO or a device (which would hold jest forever). Returns why they
   * were not written, or undefined.
   */
  private writeReport(outputFile: string, report: CoverageReport, definitions: Map<string, StateMachineDefinition>): string | undefined {
    const files: OutputFile[] = [{ file: outputFile, option: 'outputFile', text: `${JSON.stringify(report, null, 2)}\n` }];
    if (this.html) files.push(...this.htmlPages(outputFile, report.machines, definitions));
    try {
      writeOutputFiles(files, { command: 'the stepwright reporter', force: true });
    } catch (e) {
      if (!(e instanceof OutputFileError)) throw e;
      return e.message;
    }
    if (this.print) for (const { file } of files.slice(1)) this.write(`stepwright coverage: ${file}`);
    return undefined;
  }

  /** The HTML page of each machine: `<report>.<name or id>.html`, beside the JSON. */
  private htmlPages(outputFile: string, machines: readonly MachineCoverage[], definitions: Map<string, StateMachineDefinition>): OutputFile[] {
    const base = outputFile.replace(/\.json$/i, '');
    const used = new Set<string>();
    const { renderHtml, RenderError } = htmlRenderer();
    return machines.flatMap((m) => {
      let slug = (m.name ?? m.id).replace(/[^A-Za-z0-9._-]+/g, '-');
      if (used.has(slug)) slug = `${slug}-${m.id}`;
      used.add(slug);
      const name = m.name ?? `machine ${m.id}`;
      try {
        const text = renderHtml(definitions.get(m.id)!, { coverage: m, title: `${name}: coverage of ${m.runs} run(s)` });
        return [{ file: `${base}.${slug}.html`, option: 'html', text }];
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        // A machine too large to draw still has its coverage in the JSON report and the table: no page, and why.
        this.write(`stepwright coverage: no HTML page for ${name}: ${e.message}`);
        return [];
      }
    });
  }

  /** jest fails the run when a reporter returns an error here: coverage below the threshold. */
  getLastError(): Error | undefined {
    return this.lastError;
  }

  private clean(): void {
    let files: string[];
    try {
      files = readdirSync(this.coverageDir);
    } catch {
      return;
    }
    for (const f of files) if (f.endsWith('.jsonl')) rmSync(join(this.coverageDir, f), { force: true });
    rmSync(join(this.coverageDir, RUNS_FOLDER), { recursive: true, force: true });
  }

  /** A path the options give, relative to jest's rootDir. */
  private fromRoot(file: string): string {
    return isAbsolute(file) ? file : resolve(this.rootDir, file);
  }

  /** The runs the workers appended, as JSON Lines of recordings, written to `parity.runsFile` when asked. */
  private takeRuns(): string | { error: string } {
    const dir = join(this.coverageDir, RUNS_FOLDER);
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
    } catch {
      files = [];
    }
    // The workers' own files, regular ones only (never through a link, never a FIFO), but as large as the suite's runs: bounded as any runs file is.
    files = files.filter((f) => lstatSync(join(dir, f), { throwIfNoEntry: false })?.isFile() === true);
    const bytes = files.reduce((n, f) => n + lstatSync(join(dir, f)).size, 0);
    if (bytes > DATA_FILE_LIMIT.bytes) {
      return { error: `the runs of this test run are ${bytes.toLocaleString('en-US')} bytes; ${DATA_FILE_LIMIT.why}: check the runs of fewer test files at a time (jest <pattern>, vitest run <pattern>)` };
    }
    const text = files.map((f) => [...workerFileLines(join(dir, f))].map((line) => `${line}\n`).join('')).join('');
    const runsFile = this.parity?.runsFile;
    if (runsFile !== undefined) {
      const target = this.fromRoot(runsFile);
      try {
        writeOutputFiles([{ file: target, option: 'parity.runsFile', text }], { command: 'the stepwright reporter', force: true });
      } catch (e) {
        if (!(e instanceof OutputFileError)) throw e;
        return { error: e.message };
      }
      if (this.print) this.write(`stepwright parity: the runs are in ${target}`);
    }
    return text;
  }

  /** Sends the runs' visits to TestState, prints the table, and fails the run on a difference. */
  private async checkParity(text: string): Promise<void> {
    const options = this.parity!;
    if (options.check === false) return;
    // Loaded here: the SDK and the check are for a run that asks for them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred to first use
    const parity = require('../workbench/parity') as typeof import('../workbench/parity');
    const { runsFile: _runsFile, check: _check, writeCases, ...how } = options;
    let report;
    try {
      const runs = parity.runsOfRecordings(parity.readRunsText(text, 'the runs of this test run'));
      report = await parity.checkParity({ runs }, { ...how, ...(writeCases !== undefined ? { writeCases: this.fromRoot(writeCases) } : {}) });
    } catch (e) {
      // No SDK, no region, an SDK too old: the run fails with the reason rather than passing unchecked.
      this.fail((e as Error).message);
      return;
    }
    if (this.print) this.write(`\n${parity.parityTable(report)}\n`);
    const problems = [
      ...(report.counts.differs > 0 ? [`${report.counts.differs} state visit${report.counts.differs === 1 ? '' : 's'} answered otherwise by ${report.against}`] : []),
      ...(report.stopped !== undefined ? [`stopped before the end: ${report.stopped}`] : []),
    ];
    if (problems.length > 0) this.fail(problems.join('; '));
  }

  /** Fails the run with what parity found, beside what coverage found. */
  private fail(problem: string): void {
    const message = `stepwright parity: ${problem}`;
    this.write(message);
    this.lastError = this.lastError ? new Error(`${this.lastError.message}\n${message}`) : new Error(message);
  }
}

export default StepwrightCoverageReporter;

/**
 * The HTML drawing of a machine, loaded when the reporter writes its first page: `stepwright/testing`
 * exports the reporter, so every test file would otherwise load the drawing and its layout library.
 */
function htmlRenderer(): { renderHtml: typeof import('../render/html').renderHtml; RenderError: typeof import('../render/render-error').RenderError } {
  /* eslint-disable @typescript-eslint/no-require-imports -- synchronous load, deferred to first use */
  return {
    renderHtml: (require('../render/html') as typeof import('../render/html')).renderHtml,
    RenderError: (require('../render/render-error') as typeof import('../render/render-error')).RenderError,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
