/**
 * The stepwright reporter for vitest: the jest reporter's coverage report, thresholds, cost
 * budgets, summary and shard reports, driven by vitest's reporter events. All of the work is the
 * jest reporter's ({@link StepwrightCoverageReporter}); this class only translates.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({
 *   test: {
 *     setupFiles: ['stepwright/testing/setup'],
 *     reporters: ['default', ['stepwright/testing/vitest-reporter', { outputFile: 'reports/sfn-coverage.json' }]],
 *   },
 * });
 * @packageDocumentation
 */
import { StepwrightCoverageReporter, type CoverageReporterOptions, type ReporterResultsLike } from './reporter';

/** The part of vitest's `Vitest` object the reporter reads (vitest 4 and 5). */
export interface VitestLike {
  readonly config: {
    /** The project's root: the reporter's paths are relative to it, as jest's are to rootDir. */
    readonly root: string;
    /** `vitest --shard=index/count`: this run is one shard of a suite. */
    readonly shard?: { readonly index: number; readonly count: number };
  };
}

/** The part of a test case vitest reports that the reporter reads. */
export interface VitestTestCaseLike {
  result(): { readonly state: string };
}

/** The part of a test module (a test file) vitest reports that the reporter reads. */
export interface VitestTestModuleLike {
  readonly children: { allTests(): Iterable<VitestTestCaseLike> };
  /** `failed` when a test failed or the file could not run (a syntax error). */
  state(): string;
}

/**
 * A vitest reporter that adds up the state machine coverage of every test file and worker,
 * prints the summary tables, writes the JSON (and HTML) report, and fails the run below the
 * threshold or over the cost budget: the options and the output of the jest reporter,
 * `stepwright coverage merge` of `vitest --shard` reports included.
 *
 * vitest has no reporter error that fails a run; as vitest's own coverage thresholds do, a
 * threshold or budget that is not met prints why and sets the process's exit code to 1.
 */
export class StepwrightVitestReporter {
  private core: StepwrightCoverageReporter | undefined;

  constructor(private readonly options: CoverageReporterOptions = {}) {}

  /** vitest is ready: the workers it starts next inherit the coverage folder from the environment. */
  onInit(vitest: VitestLike): void {
    const { root, shard } = vitest.config;
    this.core = new StepwrightCoverageReporter(
      { rootDir: root, ...(shard !== undefined ? { shard: { shardIndex: shard.index, shardCount: shard.count } } : {}) },
      this.options,
    );
  }

  /** A run starts (each run under `vitest --watch`): the coverage of an earlier run is cleared. */
  onTestRunStart(): void {
    this.started().onRunStart();
  }

  /** The run ended: the same work as the jest reporter's end of run. */
  async onTestRunEnd(testModules: readonly VitestTestModuleLike[]): Promise<void> {
    const core = this.started();
    await core.onRunComplete(undefined, resultsOf(testModules));
    if (core.getLastError() !== undefined) process.exitCode = 1;
  }

  /** The error that failed the last run, as the jest reporter's `getLastError`. */
  getLastError(): Error | undefined {
    return this.core?.getLastError();
  }

  private started(): StepwrightCoverageReporter {
    if (this.core === undefined) {
      throw new Error("stepwright/testing/vitest-reporter is a vitest reporter: list it in vitest's 'test.reporters' (jest's is stepwright/testing/reporter)");
    }
    return this.core;
  }
}

/** vitest's test modules counted as jest counts its results, for the report's `run`. */
function resultsOf(testModules: readonly VitestTestModuleLike[]): ReporterResultsLike {
  let numTotalTests = 0;
  let numFailedTests = 0;
  for (const m of testModules) {
    for (const test of m.children.allTests()) {
      numTotalTests++;
      if (test.result().state === 'failed') numFailedTests++;
    }
  }
  return {
    numTotalTests,
    numFailedTests,
    numTotalTestSuites: testModules.length,
    numFailedTestSuites: testModules.filter((m) => m.state() === 'failed').length,
  };
}

export default StepwrightVitestReporter;
