import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { runWorkerJobs } from '../../../src/workbench/commands/worker-jobs';

/** The worker threads runWorkerJobs started that have not exited yet. */
const mockRunning = new Set<Worker>();
jest.mock('node:worker_threads', () => {
  const actual = jest.requireActual<typeof import('node:worker_threads')>('node:worker_threads');
  class TrackedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      mockRunning.add(this);
      this.once('exit', () => mockRunning.delete(this));
    }
  }
  return { ...actual, Worker: TrackedWorker };
});

const ENTRY = path.join(__dirname, 'fixtures', 'jobs-worker.js');

interface Job {
  readonly id: number;
  readonly delay?: number;
  readonly crash?: boolean;
  readonly exit?: number;
  readonly hang?: boolean;
  readonly grow?: boolean;
}

const run = (jobs: Job[], workers: number, timeoutMs = 60_000, memoryMb?: number) =>
  runWorkerJobs<Job, { id: number; tag?: string }>(jobs, { entry: ENTRY, workers, timeoutMs, workerData: { tag: 'w' }, ...(memoryMb ? { memoryMb } : {}) });

describe('runWorkerJobs', () => {
  it('answers every job in the order of the jobs, whichever worker finishes first', async () => {
    // The first jobs take longer, so the later ones finish first on the other workers.
    const jobs = [0, 1, 2, 3, 4, 5].map((id) => ({ id, delay: id < 2 ? 50 : 0 }));
    const answers = await run(jobs, 3);
    expect(answers).toEqual(jobs.map((j) => ({ ok: true, value: { id: j.id, tag: 'w' } })));
  });

  it.each([
    ['answered', [{ id: 0 }, { id: 1 }, { id: 2 }], 60_000],
    ['crashed', [{ id: 0, crash: true }, { id: 1 }], 60_000],
    ['stopped at the time bound', [{ id: 0, hang: true }, { id: 1 }], 1_000],
  ])('resolves only once every worker it started has exited (jobs %s): no thread outlives it to hold the process open', async (_what, jobs, timeoutMs) => {
    const answers = await run(jobs, 2, timeoutMs);
    expect(answers).toHaveLength(jobs.length);
    expect(mockRunning.size).toBe(0);
  });

  it('answers nothing for no jobs', async () => {
    expect(await run([], 2)).toEqual([]);
  });

  it('answers a crashed job with the crash, and the jobs after it on a fresh worker', async () => {
    const answers = await run([{ id: 0 }, { id: 1, crash: true }, { id: 2 }, { id: 3 }], 1);
    expect(answers[0]).toEqual({ ok: true, value: { id: 0, tag: 'w' } });
    expect(answers[1]).toEqual({ ok: false, message: 'its worker thread crashed (Error: job 1 crashed)' });
    expect(answers.slice(2)).toEqual([{ ok: true, value: { id: 2, tag: 'w' } }, { ok: true, value: { id: 3, tag: 'w' } }]);
  });

  it('answers a job whose worker exits with the exit code', async () => {
    const answers = await run([{ id: 0, exit: 3 }, { id: 1 }], 2);
    expect(answers).toEqual([{ ok: false, message: 'its worker thread exited with code 3' }, { ok: true, value: { id: 1, tag: 'w' } }]);
  });

  it('stops a job that never ends at the time bound, and the other jobs still finish', async () => {
    const answers = await run([{ id: 0, hang: true }, { id: 1 }, { id: 2 }], 2, 1_000);
    expect(answers).toEqual([
      { ok: false, message: 'it was still running after 1 s and was stopped' },
      { ok: true, value: { id: 1, tag: 'w' } },
      { ok: true, value: { id: 2, tag: 'w' } },
    ]);
  });

  it('takes a time bound past the longest timer (a budget of millions of seconds) as no bound soon, not as one that ends at once', async () => {
    const answers = await run([{ id: 0, delay: 50 }, { id: 1 }], 2, 4_000_060_000);
    expect(answers).toEqual([{ ok: true, value: { id: 0, tag: 'w' } }, { ok: true, value: { id: 1, tag: 'w' } }]);
  });

  it('stops a job that outgrows the memory bound and says so', async () => {
    const answers = await run([{ id: 0, grow: true }, { id: 1 }], 1, 60_000, 32);
    expect(answers).toEqual([
      { ok: false, message: 'its worker thread ran out of memory (more than 32 MiB)' },
      { ok: true, value: { id: 1, tag: 'w' } },
    ]);
  });

  it('answers every job when its entry cannot start', async () => {
    const answers = await runWorkerJobs([1, 2], { entry: path.join(__dirname, 'fixtures', 'no-such-worker.js'), workers: 2, timeoutMs: 60_000 });
    expect(answers).toHaveLength(2);
    for (const a of answers) expect(a).toEqual({ ok: false, message: expect.stringMatching(/^its worker thread crashed \(Error: Cannot find module/) });
  });
});
