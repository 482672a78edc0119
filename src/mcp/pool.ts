import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Tool calls run in worker threads, never on the thread that speaks MCP. An
 * execution is a chain of promises that does not yield to the event loop
 * (JSONata evaluations neither), so a runaway definition run on the main
 * thread would starve every other request, cancellation included, until it
 * ended. In a worker it is bounded for real: past the time bound or the
 * memory bound the worker is terminated, the call answered with an error,
 * and a fresh worker takes its place. Workers are kept warm between calls.
 */

/** Options of {@link WorkerPool}. @internal */
export interface PoolOptions {
  /** The folder the workers may read (their reads are confined to it). */
  readonly root: string;
  /** Most calls running at once; more wait their turn. */
  readonly workers: number;
  /** Real milliseconds one call may run, from the moment a worker starts it. */
  readonly timeoutMs: number;
  /** The heap (old generation) one worker may use, in MiB. */
  readonly memoryMb: number;
  /** Where the workers' console output goes: never the MCP channel. */
  readonly log: (text: string) => void;
  /** The parity tool may call AWS's TestState with the server's credentials. @default false */
  readonly allowAws?: boolean;
  /** The worker's script: the one beside this file unless a test gives another. */
  readonly entry?: string;
}

/** How a call ended. @internal */
export type PoolAnswer =
  | { readonly ok: true; readonly structured: Record<string, unknown>; readonly text?: string }
  | { readonly ok: false; readonly message: string };

interface Job {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly signal?: AbortSignal;
  /** Told when a worker starts the call (it may wait its turn first). */
  readonly onStart?: () => void;
  readonly resolve: (answer: PoolAnswer) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  /** Why the worker was stopped, once it was. */
  stopped?: string;
  /** The error the worker raised, if it raised one. */
  failure?: string;
}

/**
 * Workers in a row that may exit while loading before the calls waiting are answered with why. A
 * worker that cannot load (a broken install, a flag of node's its thread refuses) would otherwise
 * be replaced for ever, each call waiting and a core busy.
 * @internal
 */
export const MAX_FAILED_STARTS = 3;

/**
 * Calls that may wait for a worker at once. A waiting call holds its arguments (up to 10 MiB, a
 * message's bound): a client that sends calls faster than the workers answer them would
 * otherwise fill the server's memory (1,500 calls of 1 MB definitions stopped a 1 GiB heap).
 * @internal
 */
export const MAX_WAITING = 32;

/** The worker's entry point beside this file (worker.js when compiled, worker.ts under a TypeScript loader). */
const ENTRY = path.join(__dirname, `worker${path.extname(__filename)}`);

/** @internal */
export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  /** Told each time a call is answered. */
  private readonly onSettled = new Set<() => void>();
  private closed = false;
  /** Workers in a row that exited before they were ready. */
  private failedStarts = 0;

  constructor(private readonly options: PoolOptions) {}

  /** Starts a worker ahead of the first call, so that it finds one loaded. */
  warm(): void {
    if (this.slots.size === 0 && !this.closed) this.spawn();
  }

  /**
   * Runs one tool call in a worker; resolves with its answer or why it was
   * stopped (never rejects). `signal` cancels it, waiting or running;
   * `onStart` is told when a worker starts it.
   */
  call(tool: string, args: Record<string, unknown>, signal?: AbortSignal, onStart?: () => void): Promise<PoolAnswer> {
    return new Promise((resolve) => {
      if (this.closed) { resolve({ ok: false, message: 'the server is shutting down' }); return; }
      if (signal?.aborted) { resolve({ ok: false, message: 'the call was cancelled' }); return; }
      if (this.queue.length >= MAX_WAITING) {
        resolve({
          ok: false,
          message: `the server is busy: ${MAX_WAITING} calls already wait for a worker (${this.options.workers} run at once, the server's --workers); `
            + 'send this call again once an earlier one has been answered',
        });
        return;
      }
      const answer = (a: PoolAnswer): void => {
        resolve(a);
        // After the caller's own continuation: what waits for idleness sees this call answered.
        setImmediate(() => this.settled());
      };
      const job: Job = { tool, args, ...(signal ? { signal } : {}), ...(onStart ? { onStart } : {}), resolve: answer };
      signal?.addEventListener('abort', () => this.cancel(job), { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Resolves once no call is waiting or running (each is bounded by the time bound). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.queue.length === 0 && ![...this.slots].some((s) => s.job !== undefined)) resolve();
        else this.onSettled.add(check);
      };
      check();
    });
  }

  private settled(): void {
    const waiting = [...this.onSettled];
    this.onSettled.clear();
    for (const f of waiting) f();
  }

  /** Stops every worker; calls still waiting or running are answered as cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, message: 'the server is shutting down' });
    await Promise.all([...this.slots].map((slot) => this.stop(slot, 'the server is shutting down')));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const idle = [...this.slots].find((s) => s.ready && s.job === undefined && s.stopped === undefined);
      if (idle) {
        this.start(idle, this.queue.shift()!);
        continue;
      }
      // A worker still loading will take the next job; start more only for jobs beyond those.
      const loading = [...this.slots].filter((s) => !s.ready && s.stopped === undefined).length;
      if (this.queue.length > loading && this.live() < this.options.workers) {
        this.spawn();
        continue;
      }
      return;
    }
  }

  private live(): number {
    return [...this.slots].filter((s) => s.stopped === undefined).length;
  }

  private spawn(): void {
    const allowAws = this.options.allowAws === true;
    const worker = new Worker(this.options.entry ?? ENTRY, {
      workerData: { root: this.options.root, allowAws, timeoutMs: this.options.timeoutMs },
      // A worker's environment is its own copy: without --allow-aws it holds no credentials to load.
      env: allowAws ? process.env : withoutAwsCredentials(process.env),
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
      stdout: true,
      stderr: true,
    });
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    worker.stdout.on('data', (d: Buffer) => this.options.log(String(d)));
    worker.stderr.on('data', (d: Buffer) => this.options.log(String(d)));
    worker.on('message', (m: { ready?: true; ok?: boolean; structured?: Record<string, unknown>; text?: string; message?: string }) => {
      if (m.ready) {
        slot.ready = true;
        this.failedStarts = 0;
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (!job) return;
      this.finish(slot);
      job.resolve(m.ok ? { ok: true, structured: m.structured!, ...(m.text !== undefined ? { text: m.text } : {}) } : { ok: false, message: m.message ?? 'the call failed' });
      this.dispatch();
    });
    worker.on('error', (e: Error & { code?: string }) => {
      slot.failure ??= e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `it ran out of memory: more than ${this.options.memoryMb} MiB, the server's --max-memory; a larger --max-memory lets it load`
        : `${e.name}: ${e.message}; please report it`;
      slot.stopped ??= e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `the call ran out of memory (more than ${this.options.memoryMb} MiB, the server's --max-memory) and was stopped; `
          + 'a smaller input or fewer Map items, or a larger --max-memory, lets it finish'
        : `the call stopped the worker running it (${e.name}: ${e.message}); please report it`;
    });
    worker.on('exit', () => {
      this.slots.delete(slot);
      const job = slot.job;
      this.finish(slot);
      job?.resolve({ ok: false, message: slot.stopped ?? 'the worker running the call exited' });
      if (this.closed) return;
      if (!slot.ready && ++this.failedStarts >= MAX_FAILED_STARTS) {
        // The next call tries again: what stopped these workers may have passed.
        this.failedStarts = 0;
        const why = `the server could not start a worker to run the call: ${MAX_FAILED_STARTS} in a row stopped while loading (${slot.failure ?? 'the last one exited'})`;
        for (const waiting of this.queue.splice(0)) waiting.resolve({ ok: false, message: why });
        return;
      }
      this.dispatch();
    });
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    const seconds = this.options.timeoutMs / 1000;
    slot.timer = setTimeout(() => {
      void this.stop(slot, `the call did not finish within ${seconds} s (the server's --timeout) and was stopped: an endless loop, `
        + 'or a run too large to finish in time. limits.maxTransitions stops a loop with the path it took; a larger --timeout lets a long run finish');
    }, this.options.timeoutMs);
    try {
      slot.worker.postMessage({ tool: job.tool, args: job.args });
    } catch (e) {
      // The server checks arguments first; should any still not cross to the worker, the call fails, not the server.
      this.finish(slot);
      job.resolve({ ok: false, message: `the call's arguments cannot be passed to a worker (${(e as Error).message})` });
      return;
    }
    job.onStart?.();
  }

  private finish(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.resolve({ ok: false, message: 'the call was cancelled' });
      return;
    }
    const slot = [...this.slots].find((s) => s.job === job);
    if (slot) void this.stop(slot, 'the call was cancelled');
  }

  /** Terminates a worker; its call (if any) is answered with `why` once it has exited. */
  private async stop(slot: Slot, why: string): Promise<void> {
    slot.stopped ??= why;
    await slot.worker.terminate();
  }
}

/**
 * The environment a worker gets without `--allow-aws`: the process's, without a variable the AWS
 * SDK could find credentials through (keys, a profile, a role's web identity, a container's
 * credentials endpoint: every `AWS_` variable but the region), with the shared config and
 * credentials files pointed at nothing and the instance metadata service off. A tool then cannot
 * sign with the server's credentials whatever it is given, a forwarded call of `run` or an
 * endpoint of `parity`'s included: a loopback endpoint gets placeholder credentials.
 * @internal
 */
export function withoutAwsCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^AWS_/i.test(name) && !/^AWS_(DEFAULT_)?REGION$/i.test(name)) continue;
    out[name] = value;
  }
  out.AWS_CONFIG_FILE = os.devNull;
  out.AWS_SHARED_CREDENTIALS_FILE = os.devNull;
  out.AWS_EC2_METADATA_DISABLED = 'true';
  return out;
}
