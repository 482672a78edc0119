import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, isAbsolute, join, resolve } from 'path';
import { COVERAGE_DIR_ENV } from './coverage';
import { formatCost, formatCoverage, mergeCostDir, mergeCoverageDir } from './coverage/merge';
import type { StateMachineDefinition } from '../asl/definition-types';
import { renderHtml } from '../render/html';
import { CATEGORIES, type CoverageCategory, type MachineCoverage } from '../workbench/coverage/model';

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
  /** Where the JSON report goes, when one was asked for. */
  public readonly outputFile?: string;
  private readonly print: boolean;
  private readonly threshold: Partial<Record<CoverageCategory, number>>;
  /** The folder is the reporter's own (in the temp dir), so it removes it at the end. */
  private readonly ownsDir: boolean;
  private lastError: Error | undefined;
  private readonly html: boolean;
  private readonly byFile: boolean;
  private readonly rootDir: string;
  private readonly write: (text: string) => void;

  constructor(globalConfig: ReporterGlobalConfigLike, options: CoverageReporterOptions = {}) {
    const root = globalConfig.rootDir;
    const configured = options.coverageDir ?? process.env[COVERAGE_DIR_ENV];
    this.ownsDir = configured === undefined;
    const dir = configured ?? mkdtempSync(join(tmpdir(), 'stepwright-coverage-'));
    this.coverageDir = isAbsolute(dir) ? dir : resolve(root, dir);
    if (options.outputFile !== undefined) this.outputFile = isAbsolute(options.outputFile) ? options.outputFile : resolve(root, options.outputFile);
    this.print = options.print ?? true;
    this.threshold = checkThreshold(options.threshold ?? {});
    this.html = options.html ?? true;
    this.byFile = options.byFile ?? false;
    this.rootDir = root;
    this.write = (text) => process.stdout.write(`${text}\n`);
    // Reporters are built before jest starts its workers, which inherit this environment.
    process.env[COVERAGE_DIR_ENV] = this.coverageDir;
  }

  /** Clears files left by an earlier run, so this run's coverage starts from zero. */
  onRunStart(): void {
    this.clean();
  }

  /** Merges the workers' files, prints the table, writes the JSON report, checks the threshold and removes the files. */
  onRunComplete(): MachineCoverage[] {
    const definitions = new Map<string, StateMachineDefinition>();
    const machines = mergeCoverageDir(this.coverageDir, definitions, { rootDir: this.rootDir });
    const cost = mergeCostDir(this.coverageDir, { rootDir: this.rootDir });
    if (this.print) this.write(`\n${formatCoverage(machines, { byFile: this.byFile })}\n`);
    if (this.print && cost.rows.length > 0) this.write(`\n${formatCost(cost.rows)}\n`);
    if (this.outputFile !== undefined) {
      mkdirSync(dirname(this.outputFile), { recursive: true });
      writeFileSync(this.outputFile, `${JSON.stringify({ machines, cost }, null, 2)}\n`);
      if (this.html) this.writeHtml(this.outputFile, machines, definitions);
    }
    this.clean();
    if (this.ownsDir) rmSync(this.coverageDir, { recursive: true, force: true });
    const shortfalls = belowThreshold(machines, this.threshold);
    this.lastError = shortfalls.length ? new Error(`stepwright coverage is below the threshold:\n${shortfalls.join('\n')}`) : undefined;
    if (this.lastError) this.write(this.lastError.message);
    return machines;
  }

  /** The HTML page of each machine: `<report>.<name or id>.html`, beside the JSON. */
  private writeHtml(outputFile: string, machines: readonly MachineCoverage[], definitions: Map<string, StateMachineDefinition>): void {
    const base = outputFile.replace(/\.json$/i, '');
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
  }
}

function checkThreshold(threshold: Partial<Record<string, number>>): Partial<Record<CoverageCategory, number>> {
  for (const [category, value] of Object.entries(threshold)) {
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      throw new TypeError(`stepwright reporter: threshold has an unknown category '${category}'; use ${CATEGORIES.join(', ')}`);
    }
    if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
      throw new TypeError(`stepwright reporter: threshold.${category} must be a percentage from 0 to 100, got ${JSON.stringify(value)}`);
    }
  }
  return threshold as Partial<Record<CoverageCategory, number>>;
}

/** One line per category under its threshold: the percentage reached and what was missed, by state machine. */
function belowThreshold(machines: readonly MachineCoverage[], threshold: Partial<Record<CoverageCategory, number>>): string[] {
  const out: string[] = [];
  for (const category of CATEGORIES) {
    const wanted = threshold[category];
    if (wanted === undefined) continue;
    const covered = machines.reduce((n, m) => n + m[category].covered, 0);
    const total = machines.reduce((n, m) => n + m[category].total, 0);
    const percent = total === 0 ? 100 : (100 * covered) / total;
    if (percent >= wanted) continue;
    const missed = machines.filter((m) => m[category].missed.length).map((m) => `${m.name ?? m.id}: ${m[category].missed.join(', ')}`);
    out.push(`  ${category}: ${percent.toFixed(1)}% (${covered}/${total}) < ${wanted}%; never exercised: ${missed.join('; ')}`);
  }
  return out;
}

export default StepwrightCoverageReporter;
