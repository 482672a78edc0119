import { Worker } from 'node:worker_threads';
import { LONGEST_TIMER_MS } from '../../asl/timer';

/*
 * Independent jobs spread over worker threads, with their answers kept in the jobs' order, so
 * that a command printing them says the same bytes as it would doing one job after another. A
 * worker that crashes, runs out of memory or passes the time bound is terminated: its job is
 * answered with why, and a fresh worker takes the jobs still waiting.
 */

/** Options of {@link runWorkerJobs}. @internal */
export interface WorkerJobsOptions {
  /** The worker's entry point; it answers each job message with one message. */
  readonly entry: string;
  /** Given to every worker as `workerData`. */
  readonly workerData?: unknown;
  /** Most workers running at once (at least 1; never more than there are jobs). */
  readonly workers: number;
  /** Real milliseconds one job may run; past it the worker is terminated and the job answered with a stop. */
  readonly timeoutMs: number;
  /** The heap (old generation) one worker may use, in MiB. @default - node's own limit */
  readonly memoryMb?: number;
  /**
   * The jobs are a server's background work: their threads and timers do not keep the process
   * alive (the server's sockets do while it serves), so a process whose server has closed exits
   * without waiting for an answer no one will read. A command that awaits the answers leaves
   * this unset: it must not exit before they come. @default false
   */
  readonly background?: boolean;
}

/** How one job ended: the worker's answer, or why the worker running it stopped. @internal */
export type WorkerJobAnswer<R> =
  | { readonly ok: true; readonly value: R }
  | { readonly ok: false; readonly message: string };

/**
 * Runs every job in a worker thread and resolves with their answers in the jobs' order, once
 * every worker it started has exited: no thread of its own outlives the call, so a process
 * that is done with the answers can exit at once. Never rejects and never waits longer than
 * the time bound per job: a worker that throws, exits or runs past `timeoutMs` answers its job
 * with a message saying so.
 * @internal
 */
export function runWorkerJobs<J, R>(jobs: readonly J[], options: WorkerJobsOptions): Promise<Array<WorkerJobAnswer<R>>> {
  const answers = new Array<WorkerJobAnswer<R>>(jobs.length);
  let next = 0;
  let done = 0;
  /** Workers started and not yet exited. */
  let live = 0;
  const seconds = options.timeoutMs / 1000;
  return new Promise((resolve) => {
    const settle = (): void => {
      if (done === jobs.length && live === 0) resolve(answers);
    };
    if (jobs.length === 0) {
      resolve(answers);
      return;
    }
    const answer = (index: number, a: WorkerJobAnswer<R>): void => {
      answers[index] = a;
      done++;
    };
    const spawn = (): void => {
      if (next >= jobs.length) return;
      const settings = {
        workerData: options.workerData,
        ...(options.memoryMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: options.memoryMb } } : {}),
      };
      const worker = options.entry.endsWith('.ts') ? new Worker(fromSources(options.entry), { ...settings, eval: true }) : new Worker(options.entry, settings);
      live++;
      let current: number | undefined;
      let timer: NodeJS.Timeout | undefined;
      let stopped: string | undefined;
      const take = (): void => {
        if (next >= jobs.length) {
          current = undefined;
          void worker.terminate();
          return;
        }
        current = next++;
        timer = setTimeout(() => {
          stopped = `it was still running after ${seconds} s and was stopped`;
          void worker.terminate();
        }, Math.min(options.timeoutMs, LONGEST_TIMER_MS));
        if (options.background) timer.unref();
        try {
          worker.postMessage(jobs[current]);
        } catch (e) {
          clearTimeout(timer);
          const index = current;
          answer(index, { ok: false, message: `its job cannot be passed to a worker thread (${(e as Error).message})` });
          take();
        }
      };
      worker.on('message', (value: R) => {
        // Once a worker is being stopped, its late answer is not taken: the job is answered with why.
        if (current === undefined || stopped !== undefined) return;
        clearTimeout(timer);
        const index = current;
        answer(index, { ok: true, value });
        take();
      });
      worker.on('error', (e: Error & { code?: string }) => {
        stopped ??= e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `its worker thread ran out of memory${options.memoryMb !== undefined ? ` (more than ${options.memoryMb} MiB)` : ''}`
          : `its worker thread crashed (${e.name}: ${e.message})`;
      });
      worker.on('exit', (code) => {
        clearTimeout(timer);
        live--;
        if (current !== undefined) {
          const index = current;
          current = undefined;
          answer(index, { ok: false, message: stopped ?? `its worker thread exited with code ${code}` });
          // The jobs still waiting get a fresh worker.
          spawn();
        }
        settle();
      });
      // After the listeners: adding a 'message' listener refs the worker's port again.
      if (options.background) worker.unref();
      take();
    };
    for (let i = 0; i < Math.max(1, Math.min(options.workers, jobs.length)); i++) spawn();
  });
}

/**
 * The code of a worker whose entry is a TypeScript file: stepwright run from its sources (its own
 * tests, in jest) has no compiled entry to start. It compiles each .ts module as it is required,
 * with @swc/core (a development dependency, as jest's transform is), unless the thread already
 * has a TypeScript loader (`node -r <loader>`, which worker threads inherit) or the environment
 * names one in `STEPWRIGHT_TS_REGISTER` (a module that registers `.ts` when required: the tests
 * name theirs, which keeps what it compiled for the next thread, where jest's own loader reaches no
 * thread).
 * @internal
 */
export function fromSources(entry: string): string {
  return `const Module = require('node:module');
if (!Module._extensions['.ts'] && process.env.STEPWRIGHT_TS_REGISTER) require(process.env.STEPWRIGHT_TS_REGISTER);
if (!Module._extensions['.ts']) {
  const { transformSync } = require('@swc/core');
  const fs = require('node:fs');
  Module._extensions['.ts'] = (module, filename) => {
    const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
      filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
}
require(${JSON.stringify(entry)});
`;
}
