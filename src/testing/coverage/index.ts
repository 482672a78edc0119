import { appendFileSync, existsSync, mkdirSync } from 'fs';
import { basename, join } from 'path';
import { threadId } from 'worker_threads';
import type { StateMachineDefinition } from '../../asl';
import type { RunUsage } from '../../cost';
import type { ExecutionResult } from '../../interpreter';
import { definitionId } from '../../workbench/coverage/definition-id';
import { RunExercise } from '../../workbench/coverage/exercised';
import { addHits, emptyHits, summarize, type CoverageHits, type MachineCoverage } from '../../workbench/coverage/model';
import type { RunAdvice } from '../../workbench/mocks';
import { currentTestFile } from '../runner';

export { CATEGORIES } from '../../workbench/coverage/model';
export type { CoverageCategory, CoverageHits, CategorySummary, CategoryCount, FileCoverage, MachineCoverage } from '../../workbench/coverage/model';
export { definitionId } from '../../workbench/coverage/definition-id';

/**
 * The environment variable naming the directory where each test process
 * appends what its executions exercised. The stepwright reporter sets it;
 * when it is unset, coverage is kept in memory only.
 */
export const COVERAGE_DIR_ENV = 'STEPWRIGHT_COVERAGE_DIR';

/**
 * Set (to `1`) by the reporter's `parity` option: each test process then also appends every
 * execution, as a recording, to its file in the `runs` folder of the coverage directory.
 * @internal
 */
export const PARITY_RUNS_ENV = 'STEPWRIGHT_PARITY_RUNS';

/** The folder of the coverage directory the runs of a parity check are appended to. @internal */
export const RUNS_FOLDER = 'runs';

/** Options of {@link recordExecution}. */
export interface RecordOptions {
  /** Name of the state machine, shown in the report. @default - the definition's hash */
  readonly name?: string;
  /** Stack and construct path, shown when two machines share a name. @default - none */
  readonly path?: string;
  /**
   * What the run exercised, its DISTRIBUTED Map children included, as the workbench's engine
   * counted it while the run ran (see RunExercise).
   * @default - what the run's own history shows
   * @internal
   */
  readonly hits?: CoverageHits;
  /** What the run's checks noticed and let through, which the reporter prints. @default - none */
  readonly advice?: readonly RunAdvice[];
}

/** One line of a per-process coverage file. @internal */
export interface CoverageRecord {
  readonly id: string;
  readonly name?: string;
  readonly path?: string;
  /** The definition, on the first record of each machine in each file. */
  readonly definition?: StateMachineDefinition;
  readonly hits: Partial<CoverageHits>;
  /** The jest test file that ran the execution (an absolute path), when jest says. */
  readonly file?: string;
  /** What the execution used, in AWS's billing units (for the cost table). */
  readonly usage?: RunUsage;
  /** What the run's checks noticed and let through (the reporter prints it). */
  readonly advice?: readonly RunAdvice[];
}

interface Machine {
  name?: string;
  path?: string;
  readonly definition: StateMachineDefinition;
  runs: number;
  readonly hits: CoverageHits;
}

const machines = new Map<string, Machine>();
// Loaded by the first run a file records, not by importing stepwright/testing: jest runs every
// module body once per test file.
let costs: typeof import('../../cost') | undefined;
let runs: typeof import('../../workbench/parity/runs') | undefined;
/** Definitions already written to this process's file. */
const written = new Set<string>();

/**
 * This process's coverage file: one per jest worker, and one per vitest worker (vitest's `threads`
 * pool runs several in one process, so the thread is in the name too).
 * @internal
 */
export function coverageFile(dir: string): string {
  const thread = threadId === 0 ? '' : `-t${threadId}`;
  return join(dir, `${process.pid}${thread}-${process.env.JEST_WORKER_ID ?? '0'}.jsonl`);
}

/**
 * Records which states, transitions, Choice branches, Catch handlers and
 * retriers an execution exercised. The harness calls it after every run.
 * Under the stepwright reporter each record is also appended to this
 * process's file, so coverage adds up across test files and jest workers.
 * @internal
 */
export async function recordExecution(definition: StateMachineDefinition, result: ExecutionResult, options: RecordOptions = {}): Promise<void> {
  // Read before anything is counted, so a run is counted whole or not at all.
  const hits = options.hits ?? await new RunExercise(definition).total(result.history ?? []);
  const id = definitionId(definition);
  let machine = machines.get(id);
  if (!machine) {
    machine = { name: options.name, path: options.path, definition, runs: 0, hits: emptyHits() };
    machines.set(id, machine);
  }
  machine.name ??= options.name;
  machine.path ??= options.path;
  machine.runs++;
  addHits(machine.hits, hits);
  const dir = process.env[COVERAGE_DIR_ENV];
  if (!dir) return;
  const out = coverageFile(dir);
  // A reporter clears the directory at the start of each run (jest --watch reuses processes).
  if (!existsSync(out)) {
    written.clear();
    mkdirSync(dir, { recursive: true });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  costs ??= require('../../cost') as typeof import('../../cost');
  const file = currentTestFile();
  const named = {
    id,
    name: options.name,
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(file !== undefined ? { file } : {}),
    usage: costs.usageOf(result, definition),
    ...(options.advice !== undefined && options.advice.length > 0 ? { advice: options.advice } : {}),
  };
  const record: CoverageRecord = written.has(id) ? { ...named, hits } : { ...named, definition, hits };
  appendFileSync(out, `${JSON.stringify(record)}\n`);
  written.add(id);
  if (process.env[PARITY_RUNS_ENV] === '1') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, only when parity asks for the runs
    runs ??= require('../../workbench/parity/runs') as typeof import('../../workbench/parity/runs');
    const runsDir = join(dir, RUNS_FOLDER);
    mkdirSync(runsDir, { recursive: true });
    appendFileSync(join(runsDir, basename(out)), `${JSON.stringify(runs.recordingOfExecution(definition, result, options.name))}\n`);
  }
}

/**
 * Coverage of the executions recorded in this process so far, one entry per
 * state machine.
 */
export function coverageSummary(): MachineCoverage[] {
  return [...machines].map(([id, m]) => summarize(id, m.name, m.definition, m.runs, m.hits, m.path));
}

/** Forgets what this process recorded (in memory; files stay). */
export function resetCoverage(): void {
  machines.clear();
  written.clear();
}
