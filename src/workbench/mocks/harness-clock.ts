import type { Clock } from '../../interpreter';

const noop = (): void => undefined;

/**
 * The clock an execution runs on, wrapped so that the harness can tell the
 * engine not to hold time still for a handler promise that itself waits on the
 * clock (a simulated duration, a child execution); otherwise such a promise
 * would wait for time that never comes.
 * @internal
 */
export class HarnessClock implements Clock {
  private skips = 0;
  /** The inner clock's pauses (serve's, so that it answers requests while a long run goes on). */
  readonly pause: Clock['pause'];
  constructor(public readonly inner: Clock) {
    this.pause = inner.pause ? (concurrent, asks) => inner.pause!(concurrent, asks) : undefined;
  }
  get holdTimeoutMs(): number | undefined { return this.inner.holdTimeoutMs; }
  now(): number { return this.inner.now(); }
  sleepUntil(deadline: number, signal?: Parameters<Clock['sleepUntil']>[1]): Promise<void> { return this.inner.sleepUntil(deadline, signal); }
  // Without it the engine would enforce no maximum duration (an EXPRESS execution's 5 minutes) on harness runs.
  get sleepUntilPassed(): Clock['sleepUntilPassed'] {
    const inner = this.inner;
    return inner.sleepUntilPassed ? (deadline, signal) => inner.sleepUntilPassed!(deadline, signal) : undefined;
  }
  hold(): () => void {
    if (this.skips > 0) {
      this.skips--;
      return noop;
    }
    return this.inner.hold();
  }
  /** @internal */
  hasActiveTimer(): boolean { return this.inner.hasActiveTimer?.() === true; }
  /** The inner clock's {@link Clock.whenIdle}: undefined when it cannot tell. @internal */
  get whenIdle(): Clock['whenIdle'] {
    const inner = this.inner;
    return inner.whenIdle ? (listener) => inner.whenIdle!(listener) : undefined;
  }
  /** The next hold() (taken by the engine right after a handler returns a promise) is a no-op. */
  skipNextHold(): void { this.skips++; }
}
