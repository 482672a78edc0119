import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { dirname, isAbsolute, join, resolve } from 'path';
import { COVERAGE_DIR_ENV } from './coverage';
import { formatCoverage, mergeCoverageDir } from './coverage/merge';
import type { MachineCoverage } from './coverage/model';
import type { StateMachineDefinition } from '../asl/types';
import { renderHtml } from '../render/html';

/** Options of the stepwright jest reporter, given as `['stepwright/testing/reporter', { ... }]`. */
export interface CoverageReporterOptions {
  /**
   * Where the JSON report is written, relative to jest's rootDir.
   * @default 'stepwright-coverage.json'
   */
  readonly outputFile?: string;
  /**
   * Directory for the per-process files the test workers append to.
   * @default - $STEPWRIGHT_COVERAGE_DIR, else '<rootDir>/.stepwright/coverage'
   */
  readonly coverageDir?: string;
  /**
   * Print the summary table at the end of the run.
   * @default true
   */
  readonly print?: boolean;
  /**
   * Also write one HTML page per state machine next to the JSON report
   * (`<report>.<machine>.html`), showing what was never exercised.
   * @default true
   */
  readonly html?: boolean;
}

/** The part of jest's global config the reporter reads; declared here so jest is not needed at run time. */
export interface ReporterGlobalConfigLike {
  readonly rootDir: string;
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
  /** Where the JSON report goes. */
  public readonly outputFile: string;
  private readonly print: boolean;
  private readonly html: boolean;
  private readonly write: (text: string) => void;

  constructor(globalConfig: ReporterGlobalConfigLike, options: CoverageReporterOptions = {}) {
    const root = globalConfig.rootDir;
    const dir = options.coverageDir ?? process.env[COVERAGE_DIR_ENV] ?? join(root, '.stepwright', 'coverage');
    this.coverageDir = isAbsolute(dir) ? dir : resolve(root, dir);
    const file = options.outputFile ?? 'stepwright-coverage.json';
    this.outputFile = isAbsolute(file) ? file : resolve(root, file);
    this.print = options.print ?? true;
    this.html = options.html ?? true;
    this.write = (text) => process.stdout.write(`${text}\n`);
    // Reporters are built before jest starts its workers, which inherit this environment.
    process.env[COVERAGE_DIR_ENV] = this.coverageDir;
  }

  /** Clears files left by an earlier run, so this run's coverage starts from zero. */
  onRunStart(): void {
    this.clean();
  }

  /** Merges the workers' files, prints the table, writes the JSON report and removes the files. */
  onRunComplete(): MachineCoverage[] {
    const definitions = new Map<string, StateMachineDefinition>();
    const machines = mergeCoverageDir(this.coverageDir, definitions);
    if (this.print) this.write(`\n${formatCoverage(machines)}\n`);
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, `${JSON.stringify({ machines }, null, 2)}\n`);
    if (this.html) this.writeHtml(machines, definitions);
    this.clean();
    return machines;
  }

  /** The HTML page of each machine: `<report>.<name or id>.html`, beside the JSON. */
  private writeHtml(machines: readonly MachineCoverage[], definitions: Map<string, StateMachineDefinition>): void {
    const base = this.outputFile.replace(/\.json$/i, '');
    const used = new Set<string>();
    for (const m of machines) {
      let slug = (m.name ?? m.id).replace(/[^A-Za-z0-9._-]+/g, '-');
      if (used.has(slug)) slug = `${slug}-${m.id}`;
      used.add(slug);
      const file = `${base}.${slug}.html`;
      writeFileSync(file, renderHtml(definitions.get(m.id)!, { coverage: m, title: `${m.name ?? `machine ${m.id}`}: coverage of ${m.runs} run(s)` }));
      if (this.print) this.write(`stepwright coverage: ${file}`);
    }
  }

  /** jest asks reporters for an error that should fail the run; coverage never does. */
  getLastError(): Error | undefined {
    return undefined;
  }

  private clean(): void {
    let files: string[];
    try {
      files = readdirSync(this.coverageDir);
    } catch {
      return;
    }
    for (const f of files) if (f.endsWith('.jsonl')) rmSync(join(this.coverageDir, f), { force: true });
  }
}

export default StepwrightCoverageReporter;
