/*
 * Real time in tests, without a stopwatch: jest's fake Date, setTimeout and setInterval, with
 * immediates, process.nextTick and promise callbacks left real. Real time then passes only when
 * the test says (`jest.advanceTimersByTimeAsync`), so a test checks what waits on real time to the
 * millisecond and what must not wait on it at all, however slow or loaded the machine.
 */

/** Fakes Date and the timers; `jest.useRealTimers()` (or {@link withoutRealTime}) puts them back. */
export function fakeRealTime(): void {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
}

/** Lets every pending immediate, and the promise callbacks they queue, run `n` times over. */
export async function turns(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * What `work` resolves to, given no real time at all: with Date and the timers faked and never
 * advanced, it must settle within `maxTurns` turns of the event loop. Work that waits on a real
 * timer (a sleep, a hold guard firing) never settles there, and this fails saying so: evidence that
 * a wait is virtual, where comparing `Date.now()` before and after measured the machine.
 */
export async function withoutRealTime<T>(work: () => Promise<T>, maxTurns = 10_000): Promise<T> {
  fakeRealTime();
  try {
    let outcome: { value: T } | { error: unknown } | undefined;
    work().then((value) => { outcome = { value }; }, (error: unknown) => { outcome = { error }; });
    for (let i = 0; i < maxTurns && outcome === undefined; i++) await turns(1);
    if (outcome === undefined) {
      throw new Error(`did not settle in ${maxTurns} turns of the event loop with no real time passing: it waits on ${jest.getTimerCount()} real timer(s)`);
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  } finally {
    jest.useRealTimers();
  }
}
