/*
 * A regular expression RE2 cannot run (a backreference, lookaround) runs on JavaScript's own
 * backtracking engine, where a pattern such as /^(a+)+\1b$/ takes minutes on 30 characters and
 * a match cannot be interrupted. So it runs in a worker thread of its own, while the calling
 * thread waits on a shared flag (Atomics.wait) at most NATIVE_REGEX_TIMEOUT_MS from the call
 * (the thread's start does not count): past that the worker is ended and the call throws,
 * which fails the expression with States.QueryEvaluationError instead of freezing the process.
 * JSONata's regex interface is synchronous (`exec`), hence the wait rather than a promise.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/**
 * How long one match may run on JavaScript's engine: 5 seconds. AWS states no bound on a
 * regular expression (its JSONata documentation names none); a match this long is a
 * catastrophic backtrack, not a slow input (a state's data is at most 256 KiB).
 */
export const NATIVE_REGEX_TIMEOUT_MS = 5_000;

/** How long the worker may take to start before the first match: a minute, not counted in a match's bound. */
const START_TIMEOUT_MS = 60_000;

/** What one match answers: the groups (undefined where a group took no part), where it begins, and the pattern's next lastIndex. */
export interface NativeMatch {
  readonly found: { readonly groups: ReadonlyArray<string | undefined>; readonly index: number } | null;
  readonly lastIndex: number;
}

/** The worker: plain JavaScript run from this text, so it needs no file beside the bundle. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, flag } = workerData;
const patterns = new Map();
let input = '';
port.on('message', (m) => {
  let answer;
  try {
    if (typeof m.input === 'string') input = m.input;
    const key = m.flags + '/' + m.source;
    let re = patterns.get(key);
    if (re === undefined) {
      if (patterns.size >= 64) patterns.clear();
      re = new RegExp(m.source, m.flags);
      patterns.set(key, re);
    }
    re.lastIndex = m.lastIndex;
    const found = re.exec(input);
    answer = { id: m.id, found: found === null ? null : { groups: Array.from(found), index: found.index }, lastIndex: re.lastIndex };
  } catch (e) {
    answer = { id: m.id, error: String(e && e.message) };
  }
  port.postMessage(answer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
Atomics.store(flag, 1, 1);
Atomics.notify(flag, 1);
`;

interface Running {
  readonly worker: Worker;
  readonly port: MessagePort;
  /** [0]: an answer is posted; [1]: the worker has started. */
  readonly flag: Int32Array;
  /** The input the worker holds, sent again only when it changes. */
  input: string | undefined;
}

type Answer = { readonly id: number; readonly error?: string } & Partial<NativeMatch>;

let running: Running | undefined;
let nextId = 0;
let timeoutMs = NATIVE_REGEX_TIMEOUT_MS;

/**
 * Sets the bound of one match, for tests of it; returns the bound it replaces.
 * @internal
 */
export function setNativeRegexTimeout(ms: number): number {
  const before = timeoutMs;
  timeoutMs = ms;
  return before;
}

/** The error of a match that ran past its bound. */
export class RegexTimeoutError extends Error {
  constructor(source: string, length: number) {
    super(`the regular expression /${source.length > 100 ? `${source.slice(0, 100)}…` : source}/ ran past ${timeoutMs / 1000} s on a text of ${length} characters`
      + ': a backreference or lookaround runs on a backtracking engine, where nested or overlapping repetitions take time exponential in the text;'
      + ' write the pattern without them, or without a repetition inside a repetition');
    this.name = 'RegexTimeoutError';
  }
}

/**
 * `new RegExp(source, flags)`'s `exec(input)` from `lastIndex`, run in the worker and bounded by
 * {@link NATIVE_REGEX_TIMEOUT_MS}. Throws {@link RegexTimeoutError} past the bound, naming the
 * pattern as `written` (the source when not given).
 * @internal
 */
export function nativeExec(source: string, flags: string, input: string, lastIndex: number, written = source): NativeMatch {
  const w = started();
  const id = ++nextId;
  Atomics.store(w.flag, 0, 0);
  w.port.postMessage({ id, source, flags, lastIndex, input: w.input === input ? undefined : input });
  w.input = input;
  const deadline = Date.now() + timeoutMs;
  for (let left = timeoutMs; left > 0; left = deadline - Date.now()) {
    Atomics.wait(w.flag, 0, 0, left);
    let got = receiveMessageOnPort(w.port);
    while (got && (got.message as Answer).id !== id) got = receiveMessageOnPort(w.port);
    if (got) {
      const answer = got.message as Answer;
      if (answer.error !== undefined) throw new SyntaxError(answer.error);
      return { found: answer.found ?? null, lastIndex: answer.lastIndex ?? 0 };
    }
  }
  stop(w);
  throw new RegexTimeoutError(written, input.length);
}

function started(): Running {
  if (running !== undefined) return running;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag }, transferList: [port2] });
  // The worker never keeps the process alive; it lives as long as the thread that asks it.
  worker.unref();
  port1.unref();
  const w: Running = { worker, port: port1, flag, input: undefined };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let left = START_TIMEOUT_MS; left > 0 && Atomics.load(flag, 1) === 0; left = deadline - Date.now()) {
    Atomics.wait(flag, 1, 0, left);
  }
  if (Atomics.load(flag, 1) === 0) {
    void worker.terminate();
    throw new Error(`the worker that runs regular expressions with a backreference or lookaround did not start in ${START_TIMEOUT_MS / 1000} s`);
  }
  running = w;
  return w;
}

/** Ends the worker of a match past its bound, so its late answer is never taken for the next one. */
function stop(w: Running): void {
  if (running === w) running = undefined;
  w.port.close();
  void w.worker.terminate();
}
