import type { CancelSignal } from './cancel';

/**
 * The only source of time for an execution. Wait states, retry back-off,
 * TimeoutSeconds and HeartbeatSeconds all go through it, so a virtual clock
 * runs them instantly and deterministically.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves once the clock reaches `deadline` (ms since the epoch). A cancelled sleep never resolves. */
  sleepUntil(deadline: number, signal?: CancelSignal): Promise<void>;
  /**
   * Marks work in flight that the clock must wait for before it moves on its
   * own (a task handler running real asynchronous code). Returns the release.
   */
  hold(): () => void;
}

interface Timer {
  readonly deadline: number;
  readonly seq: number;
  readonly resolve: () => void;
  cancelled: boolean;
}

/**
 * Simulated time: when nothing else can run, the clock jumps to the earliest
 * pending deadline and wakes what waits for it. A 1-hour Wait takes no real time,
 * and the history shows the simulated timestamps.
 *
 * @example
 * const clock = new VirtualClock({ start: Date.parse('2024-01-01T00:00:00Z') });
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private holds = 0;
  private scheduled = false;

  constructor(options: { readonly start?: number } = {}) {
    this.current = options.start ?? Date.UTC(2024, 0, 1);
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock forward by hand (for tests that drive time themselves). */
  advance(ms: number): void {
    this.current += Math.max(0, ms);
    this.fireDue();
  }

  sleepUntil(deadline: number, signal?: CancelSignal): Promise<void> {
    if (deadline <= this.current) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer: Timer = { deadline, seq: this.seq++, resolve, cancelled: false };
      this.timers.push(timer);
      signal?.onCancel(() => { timer.cancelled = true; });
      this.schedule();
    });
  }

  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) this.schedule();
    };
  }

  /** Runs after everything runnable has run (setImmediate follows the microtask queue). */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.holds > 0) return;
      this.fireNext();
    });
  }

  private fireNext(): void {
    let next: Timer | undefined;
    for (let i = this.timers.length - 1; i >= 0; i--) {
      const t = this.timers[i];
      if (t.cancelled) { this.timers.splice(i, 1); continue; }
      if (!next || t.deadline < next.deadline || (t.deadline === next.deadline && t.seq < next.seq)) next = t;
    }
    if (!next) return;
    if (next.deadline > this.current) this.current = next.deadline;
    this.fireDue();
  }

  private fireDue(): void {
    const due = this.timers.filter((t) => !t.cancelled && t.deadline <= this.current).sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
    if (due.length === 0) return;
    for (const t of due) this.timers.splice(this.timers.indexOf(t), 1);
    for (const t of due) t.resolve();
    if (this.timers.length > 0) this.schedule();
  }
}

/** Wall-clock time, for serving real traffic. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleepUntil(deadline: number, signal?: CancelSignal): Promise<void> {
    const ms = deadline - Date.now();
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // setTimeout cannot wait longer than 2^31-1 ms; chain the waits.
      let handle: NodeJS.Timeout;
      const step = () => {
        const left = deadline - Date.now();
        if (left <= 0) { resolve(); return; }
        handle = setTimeout(step, Math.min(left, 2_147_483_647));
      };
      step();
      signal?.onCancel(() => clearTimeout(handle));
    });
  }

  hold(): () => void {
    return () => undefined;
  }
}
