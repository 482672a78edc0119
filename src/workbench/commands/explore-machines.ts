import * as os from 'node:os';
import * as path from 'node:path';
import { loadMachines, type LoadedMachine } from './sources';
import { runWorkerJobs } from './worker-jobs';
import type { JsonValue } from '../../asl';
import type { MachineType } from '../../asl/aws-defaults';
import { DefinitionError } from '../../asl/states-errors';
import { InvalidDefinitionError } from '../../asl/validate';
import type { ExploreReport } from '../../explore';
import { DEFAULT_BUDGET_SECONDS } from '../../explore/context';
import { InvalidExecutionInputError } from '../../interpreter/state-machine';
import { checkOptionsOf, MockConfigError, MockKeyError, type RunCheckOptions } from '../mocks';
import { S3FolderError } from '../s3';
import type { SamConfigOptions } from '../template';
import type { WorkflowEngine, MockConfigOptions } from '../workflow';

/*
 * `stepwright explore` over the machines of one source: each explored where it is (one at a
 * time), or each in a worker thread (`--jobs`), with the same answers in the same order.
 */

/** What `explore` searches each machine with (the command's options, its check flags among them). @internal */
export interface ExploreSettings extends RunCheckOptions {
  readonly input: JsonValue;
  readonly mocks?: Record<string, JsonValue>;
  /** A MockConfigFile test case (`--mocks <MockConfigFile> --test-case`), its file already read. */
  readonly mockConfig?: MockConfigOptions;
  readonly maxScenarios?: number;
  readonly budgetSeconds?: number;
  readonly seed?: number;
  readonly s3Dir?: string;
  readonly type?: MachineType;
}

/**
 * Why a machine has no report: its definition is invalid (`invalid-definition`) or cannot run
 * (`cannot-run`); the command's `--s3-dir`, `--mocks` or `--input` does not fit it; or the worker
 * thread exploring it stopped (`stopped`: a crash, out of memory, past the time bound).
 * @internal
 */
export type ExploreFailure = 'invalid-definition' | 'cannot-run' | 's3-dir' | 'mock-key' | 'input' | 'stopped';

/** What exploring one machine came to. @internal */
export type ExploreOutcome =
  | { readonly ok: true; readonly report: ExploreReport }
  | { readonly ok: false; readonly failure: ExploreFailure; readonly message: string };

/**
 * Explores one machine. The failures a command reports by name come back as outcomes; anything
 * else (a defect) is thrown, as before.
 * @internal
 */
export async function exploreMachine(m: LoadedMachine, settings: ExploreSettings): Promise<ExploreOutcome & { readonly workflow?: WorkflowEngine }> {
  let workflow: WorkflowEngine;
  try {
    workflow = m.workflow(settings.type);
  } catch (e) {
    if (e instanceof InvalidDefinitionError) return { ok: false, failure: 'invalid-definition', message: e.message };
    if (e instanceof DefinitionError) return { ok: false, failure: 'cannot-run', message: e.message };
    throw e;
  }
  try {
    const report = await workflow.explore({
      input: settings.input,
      ...checkOptionsOf(settings),
      ...(settings.mocks ? { mocks: settings.mocks } : {}),
      ...(settings.mockConfig ? { mockConfig: settings.mockConfig } : {}),
      ...(settings.maxScenarios !== undefined ? { maxScenarios: settings.maxScenarios } : {}),
      ...(settings.budgetSeconds !== undefined ? { budgetSeconds: settings.budgetSeconds } : {}),
      ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
      ...(settings.s3Dir !== undefined ? { s3Dir: settings.s3Dir } : {}),
      // `stepwright explore`'s: its messages name the check flags (--mock-advice fail), not jest's options.
    }, 'cli');
    return { ok: true, report, workflow };
  } catch (e) {
    if (e instanceof S3FolderError) return { ok: false, failure: 's3-dir', message: e.message };
    if (e instanceof MockKeyError || e instanceof MockConfigError) return { ok: false, failure: 'mock-key', message: e.message };
    if (e instanceof InvalidExecutionInputError) return { ok: false, failure: 'input', message: e.message };
    throw e;
  }
}

/**
 * How long a worker may take over one machine before it is stopped: the search ends at its
 * budget, and then confirms and trims its scenarios; a worker still busy at twice the budget
 * plus a minute is stuck (an execution that never yields), not slow.
 * @internal
 */
export function machineTimeLimitMs(budgetSeconds: number | undefined): number {
  return (2 * (budgetSeconds ?? DEFAULT_BUDGET_SECONDS) + 60) * 1000;
}

/** The default of `--jobs`: the machine's CPU count. @internal */
export function defaultJobs(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/** One machine for a worker: the source it reloads, which machine of it, and how to search. @internal */
export interface ExploreJob {
  readonly source: string;
  readonly index: number;
  readonly label: string;
  readonly settings: ExploreSettings;
  /** The templates' parameter values the source was read with. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The SAM configuration file and environment the source was read with. */
  readonly samConfig?: SamConfigOptions;
}

/** The worker's entry point beside this file (explore-worker.js compiled, explore-worker.ts under a TypeScript loader). */
const ENTRY = path.join(__dirname, `explore-worker${path.extname(__filename)}`);

/**
 * Explores every machine of `source` (read by the caller as `machines`) in up to `jobs` worker
 * threads; the outcomes come back in the machines' order. Each worker reads the source itself
 * (a state machine does not cross threads) and checks it finds the same machine at the same
 * place. A worker that crashes or runs past the time bound becomes a `stopped` outcome for its
 * machine; the others are explored all the same.
 * @internal
 */
export async function exploreInWorkers(
  source: string, machines: readonly LoadedMachine[], settings: ExploreSettings, jobs: number,
  load: { readonly parameters?: Readonly<Record<string, string>>; readonly samConfig?: SamConfigOptions } = {},
): Promise<ExploreOutcome[]> {
  const work: ExploreJob[] = machines.map((m, index) => ({ source, index, label: m.label, settings, ...load }));
  const answers = await runWorkerJobs<ExploreJob, ExploreOutcome>(work, {
    entry: ENTRY,
    workers: jobs,
    timeoutMs: machineTimeLimitMs(settings.budgetSeconds),
  });
  return answers.map((a) => (a.ok ? a.value : { ok: false, failure: 'stopped', message: `exploring it stopped: ${a.message}` }));
}

/**
 * What a worker does with one job: reads the source (once per worker), explores the machine at
 * the job's place, and answers with its outcome; a defect becomes a `stopped` outcome naming it.
 * @internal
 */
export async function exploreJob(job: ExploreJob, loaded: Map<string, LoadedMachine[]>): Promise<ExploreOutcome> {
  try {
    let machines = loaded.get(job.source);
    if (!machines) {
      const { parameters, samConfig } = job;
      machines = loadMachines(job.source, { ...(parameters ? { parameters } : {}), ...(samConfig ? { samConfig } : {}) });
      loaded.set(job.source, machines);
    }
    const m = machines[job.index];
    if (m === undefined || m.label !== job.label) {
      return { ok: false, failure: 'stopped', message: `exploring it stopped: the source changed while it was read (machine ${job.index + 1} is no longer '${job.label}')` };
    }
    const { workflow: _, ...outcome } = await exploreMachine(m, job.settings);
    return outcome;
  } catch (e) {
    const err = e as Error;
    return { ok: false, failure: 'stopped', message: `exploring it failed (${err?.name ?? typeof e}: ${err?.message ?? String(e)})` };
  }
}
