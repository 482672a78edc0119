/**
 * Sending the requests of a parity check: a few at a time, never more calls than allowed, and
 * a back-off after each ThrottlingException (TestState has a request rate quota), timed by a
 * clock the caller gives, so tests wait on a virtual one.
 */
import { EndpointFault, type TestStateEndpoint } from './remote';
import type { TestStateWireInput } from './request';
import type { ParityAnswer } from './types';

/** The time a back-off waits on. */
export interface ParityClock {
  sleep(ms: number): Promise<void>;
}

/** Real time, for the command line: the timer does not keep the process alive on its own. */
export const REAL_CLOCK: ParityClock = {
  sleep: (ms) => new Promise((resolve) => { setTimeout(resolve, ms).unref(); }),
};

/** How the requests are sent. */
export interface ScheduleOptions {
  /** Calls in flight at once. */
  readonly concurrency: number;
  /** Calls in all, a throttled call's retries included. */
  readonly maxCalls: number;
  /** Retries of one request after ThrottlingException before its visit is left unchecked. */
  readonly maxThrottleRetries: number;
  readonly clock: ParityClock;
  /** In [0, 1), for the back-off's jitter. */
  readonly random: () => number;
}

/** The first back-off, and the longest. */
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 30_000;

/**
 * The wait before retry `n` (0 for the first) of a throttled call: exponential from 1 s, at most
 * 30 s, half of it jittered so that calls throttled together do not come back together.
 */
export function backoffMs(n: number, random: () => number): number {
  const full = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** n);
  return Math.round(full / 2 + (full / 2) * random());
}

/** What became of one request. */
export type Sent = { readonly answer: ParityAnswer } | { readonly unchecked: string };

/** The tally of a schedule's run. */
export interface ScheduleTally {
  calls: number;
  throttled: number;
  /** Why the remaining requests were not sent, when a fatal fault stopped them. */
  stopped?: string;
}

/**
 * Sends each request at most `maxCalls` calls in all, `concurrency` at a time, and hands each
 * outcome to `done` in the requests' order of completion.
 */
export async function sendAll(
  wires: readonly TestStateWireInput[], endpoint: TestStateEndpoint, options: ScheduleOptions, done: (index: number, sent: Sent) => void,
): Promise<ScheduleTally> {
  const tally: ScheduleTally = { calls: 0, throttled: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= wires.length) return;
      done(index, await sendOne(wires[index], endpoint, options, tally));
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, wires.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return tally;
}

async function sendOne(wire: TestStateWireInput, endpoint: TestStateEndpoint, options: ScheduleOptions, tally: ScheduleTally): Promise<Sent> {
  for (let retry = 0; ; retry++) {
    if (tally.stopped !== undefined) return { unchecked: `not sent: ${tally.stopped}` };
    if (tally.calls >= options.maxCalls) return { unchecked: `not sent: the check made the ${options.maxCalls} calls it may (--max-calls)` };
    tally.calls++;
    try {
      return { answer: await endpoint.call(wire) };
    } catch (e) {
      if (!(e instanceof EndpointFault)) throw e;
      if (e.kind === 'fatal') {
        tally.stopped ??= e.message;
        return { unchecked: e.message };
      }
      if (e.kind === 'failed') return { unchecked: `TestState did not answer: ${e.message}` };
      tally.throttled++;
      if (retry >= options.maxThrottleRetries) return { unchecked: `throttled ${retry + 1} times (ThrottlingException); run again with a lower --concurrency` };
      await options.clock.sleep(backoffMs(retry, options.random));
    }
  }
}
