import type { CancelSignal } from '../interpreter/cancel';
import type { Clock } from '../interpreter/clock';

const noHold = (): void => undefined;

/**
 * The server's time: the wall clock, or the wall clock sped up `scale` times
 * from the moment the server started (`--time-scale 100` runs a 100 s Wait in
 * one real second). Executions never hold time still: it is real time.
 * @internal
 */
export class ScaledClock implements Clock {
  private readonly origin = Date.now();
  private readonly start: number;

  /**
   * @param scale how many times faster than the wall clock
   * @param notBefore the server's time never starts before this (after a restart: the last
   *   journaled time, which a sped-up clock may have left ahead of the wall clock)
   */
  constructor(public readonly scale = 1, notBefore = 0) {
    this.start = Math.max(this.origin, notBefore);
  }

  now(): number {
    const real = Date.now();
    return this.start === this.origin && this.scale === 1 ? real : this.start + Math.round((real - this.origin) * this.scale);
  }

  /** Real milliseconds for a span of server time. */
  realMs(serverMs: number): number {
    return serverMs / this.scale;
  }

  sleepUntil(deadline: number, signal?: CancelSignal): Promise<void> {
    if (deadline <= this.now()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let handle: NodeJS.Timeout | undefined;
      const step = (): void => {
        const left = this.realMs(deadline - this.now());
        if (left <= 0) { resolve(); return; }
        // The listening server keeps the process alive; a pending Wait must not keep it alive once closed.
        handle = setTimeout(step, Math.min(Math.ceil(left), 2_147_483_647)).unref();
      };
      step();
      signal?.onCancel(() => clearTimeout(handle));
    });
  }

  hold(): () => void {
    return noHold;
  }
}

/**
 * The clock of one execution. After a restart an execution is run again from
 * its journaled start: while it replays, its time is the time the history had
 * then (a Wait whose deadline has passed ends at once, stamped with its
 * deadline), and it goes live (the server's time) when it first waits for a
 * deadline still ahead or for an answer that was not journaled.
 * @internal
 */
export class ExecutionClock implements Clock {
  private replayNow: number | undefined;

  constructor(private readonly server: ScaledClock, replayFrom?: number) {
    this.replayNow = replayFrom;
  }

  now(): number {
    return this.replayNow ?? this.server.now();
  }

  sleepUntil(deadline: number, signal?: CancelSignal): Promise<void> {
    if (this.replayNow !== undefined) {
      if (deadline <= this.server.now()) {
        if (deadline > this.replayNow) this.replayNow = deadline;
        return Promise.resolve();
      }
      this.goLive();
    }
    return this.server.sleepUntil(deadline, signal);
  }

  /** While replaying, moves the execution's time forward to a journaled moment (a heartbeat's). */
  replayTo(time: number): void {
    if (this.replayNow !== undefined && time > this.replayNow) this.replayNow = time;
  }

  /** Ends the replay: from now on the execution runs on the server's time. */
  goLive(): void {
    this.replayNow = undefined;
  }

  hold(): () => void {
    return noHold;
  }
}
