import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { StateMachineDefinition } from '../../asl';
import { detailsOf } from '../../asl/history-events';
import { PredicateStoppedError, standInFor, type VerifyProperty } from '../../explore';
import { CommandInputError } from '../common/command-errors';
import { packageRoot } from '../common/package-root';
import { WorkflowRun } from '../workflow';
import { thrownText } from './property-module';
import { SIGNAL, type LoadAnswer, type PropertyAnswer, type PropertyCall, type PropertyExport, type PropertyReply, type ThreadData } from './property-protocol';
import { fromSources } from './worker-jobs';

/*
 * A property module given to `stepwright verify` is the user's code: its top level may loop, its
 * functions of the run may never return or allocate without end. It is loaded, and its functions
 * called, in a worker thread of its own, bounded in time and memory. verify's search calls a
 * predicate synchronously, and so does this: the run goes to the thread over a port, verify waits
 * on a shared counter (Atomics.wait) no longer than the limit and reads the answer from the port
 * (receiveMessageOnPort). A call past the limit stops the thread; the property is refused, and a
 * fresh thread, the module loaded again, answers the other properties.
 */

/** The limits a property module's thread runs under. @internal */
export interface PropertyLimits {
  /** Real milliseconds one call of a function of the run may take. */
  readonly callMs: number;
  /** Real milliseconds the module's top-level code may take to load. */
  readonly loadMs: number;
  /** The heap (old generation) the thread may use, in MiB. */
  readonly memoryMb: number;
}

/**
 * The limits verify's doors give a property module, unless told otherwise. A function of the run
 * reads a finished run and answers in microseconds; the limit is real time, not the thread's CPU
 * time, so it is set far past that: a machine loaded twenty times over its cores left a thread
 * unscheduled for more than a second. A stopped function costs verify its limit once. Loading
 * gets six times as long, for a module that requires libraries of its own (`stepwright/testing`).
 * @internal
 */
export const PROPERTY_LIMITS: PropertyLimits = { callMs: 10_000, loadMs: 60_000, memoryMb: 256 };

/** How long the thread's own code (not the user's) may take to start: only a machine stalled past use takes longer. */
const THREAD_START_MS = 60_000;
/** How often a wait looks whether the thread has answered or ended (out of memory, it answers no more). */
const LOOK_EVERY_MS = 25;
/** Characters of a run's input a message quotes. */
const INPUT_QUOTED = 120;

/**
 * The thread's module: beside this one when it runs from src/ (jest) or from tsc's lib/ (the CLI);
 * from the package's lib/ when it runs from the bundle of the entry points (lib/entry, which
 * `stepwright/testing` loads), which holds no module a thread can start from.
 */
const ENTRY = path.extname(__filename) === '.ts'
  ? path.join(__dirname, 'property-thread.ts')
  : path.join(packageRoot(), 'lib', 'workbench', 'commands', 'property-thread.js');

/** Options of {@link PropertyThread.load}. @internal */
export interface PropertyThreadOptions {
  /** The limits, each defaulting to {@link PROPERTY_LIMITS}'s. */
  readonly limits?: Partial<PropertyLimits>;
  /** Where what the module prints to standard output goes: never into a report on standard output. @default process.stderr */
  readonly output?: NodeJS.WritableStream;
  /** What a message tells a user to give for more time per call (the door's option). */
  readonly callLimitOption?: string;
  /** What a message tells a user to give for more time to load (the door's option). */
  readonly loadLimitOption?: string;
}

/** One thread, while it lives. */
interface Thread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
  /** How it ended, once it has: out of memory, crashed (with the error), or stopped. */
  readonly ended: Promise<{ readonly oom: boolean; readonly error?: string }>;
  run?: object;
  runId: number;
  /** The calls made on this thread: each answer names its call, and one that does not is refused. */
  calls: number;
  definitionSent: boolean;
}

/**
 * A property module loaded in a worker thread: its exports by name as verify takes them, each
 * function of the run a stand-in that calls it there within the limits.
 * @internal
 */
export class PropertyThread {
  /**
   * Loads `file` in a thread of its own, within the load limit.
   * @throws CommandInputError when the module cannot be loaded, does not load in time or runs out of memory loading
   */
  static async load(file: string, options: PropertyThreadOptions = {}): Promise<PropertyThread> {
    const host = new PropertyThread(file, options);
    const thread = host.spawn();
    let answer: LoadAnswer | undefined;
    try {
      answer = await host.loaded(thread);
    } catch (e) {
      await host.close();
      throw e;
    }
    if ('failed' in answer) {
      await host.close();
      throw new CommandInputError(answer.failed);
    }
    host.thread = thread;
    host.properties = host.standIns(answer.loaded);
    return host;
  }

  /** The module's exports by name: path properties as data, functions of the run as stand-ins. */
  public properties: Record<string, VerifyProperty<WorkflowRun>> = {};
  /** The machine the runs are of: what `run.toMermaid()` and `run.cost()` read in the thread. */
  public definition?: StateMachineDefinition;

  private readonly limits: PropertyLimits;
  private thread?: Thread;
  private readonly threads = new Set<Thread>();
  /** Set once the module no longer loads in a fresh thread: every call is refused with it. */
  private broken?: string;

  private constructor(private readonly file: string, private readonly options: PropertyThreadOptions) {
    this.limits = { ...PROPERTY_LIMITS, ...options.limits };
  }

  /** Stops the thread; resolves once every thread it started has ended. */
  async close(): Promise<void> {
    this.thread = undefined;
    await Promise.all([...this.threads].map(async (t) => {
      await t.worker.terminate();
      await t.ended;
    }));
  }

  private spawn(): Thread {
    const { port1, port2 } = new MessageChannel();
    const buffer = new SharedArrayBuffer(8);
    const workerData: ThreadData = { file: this.file, port: port2, signal: buffer };
    const settings = {
      workerData,
      transferList: [port2],
      stdout: true,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb },
    };
    const worker = ENTRY.endsWith('.ts') ? new Worker(fromSources(ENTRY), { ...settings, eval: true }) : new Worker(ENTRY, settings);
    // What the module prints goes to standard error, never into the report; the thread never holds the process.
    worker.stdout.pipe(this.options.output ?? process.stderr, { end: false });
    worker.unref();
    port1.unref();
    let oom = false;
    let error: string | undefined;
    worker.on('error', (e: unknown) => {
      // What ended the thread may be any value its code threw, as node copies it over (plain data, from another realm).
      const err = typeof e === 'object' && e !== null ? e as { code?: unknown; name?: unknown; message?: unknown } : undefined;
      if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') oom = true;
      else error ??= typeof err?.name === 'string' && typeof err.message === 'string' ? `${err.name}: ${err.message}` : thrownText(e);
    });
    const thread: Thread = {
      worker,
      port: port1,
      signal: new Int32Array(buffer),
      ended: new Promise((resolve) => worker.once('exit', () => {
        this.threads.delete(thread);
        resolve({ oom, ...(error !== undefined ? { error } : {}) });
      })),
      runId: 0,
      calls: 0,
      definitionSent: false,
    };
    this.threads.add(thread);
    return thread;
  }

  /** Waits, without blocking, for the thread's load to answer; stops the thread past the load limit. */
  private async loaded(thread: Thread): Promise<LoadAnswer> {
    let ended = false;
    void thread.ended.then(() => { ended = true; });
    // Looks every few milliseconds, on a timer that keeps the process alive while it waits.
    const wait = async (slot: number, ms: number): Promise<boolean> => {
      const deadline = performance.now() + ms;
      while (Atomics.load(thread.signal, slot) === 0 && !ended && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, LOOK_EVERY_MS));
      }
      return Atomics.load(thread.signal, slot) !== 0;
    };
    const started = await wait(SIGNAL.ready, THREAD_START_MS);
    const loaded = started && await wait(SIGNAL.answers, this.limits.loadMs);
    if (loaded) return receiveMessageOnPort(thread.port)!.message as LoadAnswer;
    return { failed: await this.whyNotLoaded(thread, started) };
  }

  /** Loads the module again in a fresh thread, waiting for it (a call is synchronous); undefined, and broken, when it does not load. */
  private restart(): Thread | undefined {
    const thread = this.spawn();
    const started = Atomics.wait(thread.signal, SIGNAL.ready, 0, THREAD_START_MS) !== 'timed-out';
    const loaded = started && Atomics.wait(thread.signal, SIGNAL.answers, 0, this.limits.loadMs) !== 'timed-out';
    const answer = loaded ? receiveMessageOnPort(thread.port)?.message as LoadAnswer | undefined : undefined;
    if (answer !== undefined && 'loaded' in answer) return this.thread = thread;
    void thread.worker.terminate();
    this.broken = answer !== undefined && 'failed' in answer ? answer.failed : `the property module ${this.file} did not load again within ${this.limits.loadMs} ms`;
    return undefined;
  }

  private async whyNotLoaded(thread: Thread, started: boolean): Promise<string> {
    void thread.worker.terminate();
    const how = await thread.ended;
    if (how.oom) return `the property module ${this.file} ran out of memory while it loaded (its thread may use ${this.limits.memoryMb} MiB): its top-level code must only define the properties`;
    if (how.error !== undefined) return `cannot load the property module ${this.file}: ${how.error}`;
    if (!started) return `verify's thread for the property module ${this.file} did not start within ${THREAD_START_MS / 1000} s`;
    return `the property module ${this.file} did not finish loading within ${this.limits.loadMs} ms and was stopped: its top-level code must only define the properties (a loop or a wait there never ends)${this.options.loadLimitOption ? `; if it needs longer, give more ${this.options.loadLimitOption}` : ''}`;
  }

  /** The properties verify takes: data as it was exported, each function of the run a stand-in calling it in the thread. */
  private standIns(exports: readonly PropertyExport[]): Record<string, VerifyProperty<WorkflowRun>> {
    // A Map first, so that no export's name reaches an object's prototype.
    const out = new Map<string, unknown>();
    for (const e of exports) {
      if (e.kind === 'unreadable') throw new CommandInputError(`cannot read the export '${e.name}' of the property module ${this.file}: ${e.message}`);
      if (e.kind === 'value') {
        out.set(e.name, e.value);
        continue;
      }
      const test = standInFor((run: WorkflowRun): boolean => this.call(e.name, run) as boolean, e.source);
      out.set(e.name, e.kind === 'function' ? test : { ...e.rest, test });
    }
    return Object.fromEntries(out) as Record<string, VerifyProperty<WorkflowRun>>;
  }

  /**
   * Calls the function `name` of the module on `run` in the thread, waiting no longer than the
   * call limit: what it returned (a stand-in for what cannot cross: a Promise, a function), or
   * what it threw, thrown again.
   * @throws PredicateStoppedError when it did not return in time (the thread is stopped) or the module no longer loads
   */
  private call(name: string, run: WorkflowRun): unknown {
    const thread = this.thread ?? (this.broken === undefined ? this.restart() : undefined);
    if (thread === undefined) throw new PredicateStoppedError(`property '${name}' cannot be called: ${this.broken!}`);
    const callId = ++thread.calls;
    const message: { -readonly [K in keyof PropertyCall]: PropertyCall[K] } = { callId, name, runId: thread.runId };
    if (thread.run !== run) {
      thread.run = run;
      message.runId = ++thread.runId;
      message.run = run instanceof WorkflowRun ? run.toData() : new WorkflowRun(run, [], []).toData();
      if (!thread.definitionSent && this.definition !== undefined) {
        message.definition = this.definition;
        thread.definitionSent = true;
      }
    }
    const seen = Atomics.load(thread.signal, SIGNAL.answers);
    try {
      thread.port.postMessage(message);
    } catch (e) {
      thread.run = undefined;
      throw new PredicateStoppedError(`property '${name}' cannot be given the run in its thread: ${(e as Error).message}`);
    }
    const wait = answered(thread, seen, this.limits.callMs);
    if (wait !== 'answered') {
      this.thread = undefined;
      void thread.worker.terminate();
      const input = inputOf(run);
      const stopped = wait === 'ended' ? `property '${name}' ended its thread on a run (input ${input})` : `property '${name}' did not return within ${this.limits.callMs} ms on a run (input ${input}) and was stopped: a function of the run must be a quick, pure function of the finished run${this.options.callLimitOption ? `; if it needs longer, give more ${this.options.callLimitOption}` : ''}`;
      throw new PredicateStoppedError(stopped, thread.ended.then((how) => {
        if (how.oom) return `property '${name}' ran out of memory on a run (input ${input}) and was stopped: its thread may use ${this.limits.memoryMb} MiB, and a function of the run must be a quick, pure function of the finished run`;
        if (how.error !== undefined) return `property '${name}' crashed its thread on a run (input ${input}): ${how.error}`;
        return stopped;
      }));
    }
    let answer: PropertyAnswer;
    try {
      answer = answerTo(callId, receiveMessageOnPort(thread.port)?.message as PropertyReply | undefined, name);
    } catch (e) {
      this.thread = undefined;
      void thread.worker.terminate();
      throw e;
    }
    if ('value' in answer && !('returned' in answer)) return answer.value;
    if ('threw' in answer) throw new Error(answer.threw);
    switch (answer.returned) {
      case 'promise': return Promise.resolve(undefined);
      case 'function': return () => undefined;
      case 'symbol': return Symbol('returned');
      case 'value': return answer.value;
    }
  }
}

/**
 * Waits for the thread to answer past `seen`, no longer than `ms`. A thread that
 * ran out of memory ends without answering: the wait looks every few milliseconds whether it has
 * ended, so as not to wait out the whole limit for nothing. Its event loop's utilization is what
 * says so synchronously (its idle time reads -1 once the thread has stopped); where it does not,
 * the wait ends at the limit all the same.
 * @internal
 */
export function answered(thread: Pick<Thread, 'worker' | 'signal'>, seen: number, ms: number): 'answered' | 'timed-out' | 'ended' {
  const deadline = performance.now() + ms;
  for (;;) {
    // Only the count says an answer is there, never a wake: the thread counts, then notifies, so
    // the host can see the count move, read that answer and be waiting on the next call when the
    // first answer's notify lands. Taken as an answer, that wake read nothing, and every later
    // call read the answer of the call before it (a predicate answering for another property).
    if (Atomics.load(thread.signal, SIGNAL.answers) !== seen) return 'answered';
    const left = deadline - performance.now();
    if (left <= 0) return 'timed-out';
    Atomics.wait(thread.signal, SIGNAL.answers, seen, Math.min(left, LOOK_EVERY_MS));
    if (Atomics.load(thread.signal, SIGNAL.answers) !== seen) return 'answered';
    if (thread.worker.performance.eventLoopUtilization().idle < 0) return 'ended';
  }
}

/**
 * The answer to call `callId` out of the reply read for it. A reply to another call, or none, is
 * never taken for the predicate's own answer or throw, as a verdict read from another call's answer
 * would be silently wrong: the property is refused (its thread is then stopped).
 * @throws PredicateStoppedError when the reply is not the answer to `callId`
 * @internal
 */
export function answerTo(callId: number, reply: PropertyReply | undefined, name: string): PropertyAnswer {
  if (reply !== undefined && reply.callId === callId) return reply.answer;
  throw new PredicateStoppedError(`property '${name}': verify lost track of its thread's answers (call ${callId} read ${reply === undefined ? 'no answer' : `the answer to call ${reply.callId}`}); this is a stepwright bug, please report it`);
}

/** A run's execution input as a message quotes it: from its ExecutionStarted event. */
function inputOf(run: WorkflowRun): string {
  const first = run.history[0];
  const input = first !== undefined ? detailsOf(first)?.input : undefined;
  if (typeof input !== 'string') return 'unknown';
  return input.length > INPUT_QUOTED ? `${input.slice(0, INPUT_QUOTED - 1)}…` : input;
}
