// Node's own setImmediate, not the global one: a test that fakes its runner's timers
// (jest.useFakeTimers(), vitest's vi.useFakeTimers()) replaces the global, which then runs only
// when the test advances it, and the virtual clock would never move. The module's is left alone.
import { setImmediate } from 'node:timers';
import { CancelSource, type CancelListener, type CancelSignal } from './cancel';
import { LONGEST_TIMER_MS } from '../asl/timer';

/**
 * The only source of time for an execution. Wait states, retry back-off,
 * TimeoutSeconds and HeartbeatSeconds all go through it, so a virtual clock
 * runs them instantly and deterministically.
 */
export interface Clock {
  /**
   * How long, in real milliseconds, one hold may keep this clock still. After
   * that the clock moves on as if the hold were released, and a Task whose
   * handler promise is still pending fails (see {@link VirtualClockOptions.holdTimeoutMs}).
   * Undefined for a clock that holds nothing (real time moves by itself).
   */
  readonly holdTimeoutMs?: number;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves once the clock reaches `deadline` (ms since the epoch). A cancelled sleep never resolves. */
  sleepUntil(deadline: number, signal?: CancelSignal): Promise<void>;
  /**
   * Marks work in flight that the clock must wait for before it moves on its
   * own (a task handler running real asynchronous code). Returns the release.
   */
  hold(): () => void;
  /**
   * Resolves once the clock reaches `deadline`, like sleepUntil, but is no
   * reason for a virtual clock to move: it fires only when other timers (or
   * `advance`) carry the clock to or past it. For limits that must not make
   * time jump while a test is still about to act, such as AWS's maximum
   * execution duration while a callback waits for sendTaskSuccess.
   * @default - without it, such limits are not enforced on this clock
   * @example
   * // Fires at 300 s only if a Wait (or advance) carries the clock that far.
   * void clock.sleepUntilPassed?.(start + 300_000, timer).then(onTimeout);
   */
  sleepUntilPassed?(deadline: number, signal?: CancelSignal): Promise<void>;
  /**
   * Asked between states, every few states: a promise when the execution
   * should let other work run before it goes on (a server whose requests
   * would wait behind a long run of synchronous states), or undefined to go
   * on at once. The execution goes on when the promise resolves.
   *
   * `concurrent` is true while a Parallel or Map of the execution runs branches at once: a pause
   * then lets the branches not paused run ahead, so it changes the order of their states. A clock
   * that pauses then must choose its pauses by the execution's own work alone (never by real
   * time), or that order would depend on how fast the machine is.
   *
   * `asks` is how many asks this one counts as, for a clock that counts them: a step whose work
   * is many states' worth (a Distributed Map's child execution starting) asks once for all of it.
   * @default - never pauses
   */
  pause?(concurrent?: boolean, asks?: number): Promise<void> | undefined;
  /**
   * Whether a timer that moves the clock (a sleepUntil not cancelled) is still set: a hold
   * that outlives holdTimeoutMs then only lets time go on to it, and whatever waits on that
   * timer (a forwarded call's own deadline) ends the wait, not the hold's real-time limit.
   * @internal
   */
  hasActiveTimer?(): boolean;
  /**
   * Calls `listener` once, at the first turn of the event loop at which nothing this clock knows of
   * can move the run: no hold keeps it still, no time jump is under way and no active timer is set.
   * Returns the listener's removal. Undefined on a clock that cannot tell (real time moves by itself).
   * @internal
   */
  whenIdle?(listener: () => void): () => void;
}

/**
 * Where a {@link VirtualClock} starts when given no `start`, as an RFC 3339 date-time: what
 * `$$.Execution.StartTime` says, unless a run sets its own start (`stepwright run --start-time`,
 * MCP's `startTime`), and what their help texts state as the default.
 * @internal
 */
export const VIRTUAL_CLOCK_START = '2024-01-01T00:00:00Z';
const START_MS = Date.parse(VIRTUAL_CLOCK_START);

/** Options of a {@link VirtualClock}. */
export interface VirtualClockOptions {
  /**
   * Where the clock starts, in milliseconds since the epoch.
   * @default Date.UTC(2024, 0, 1)
   */
  readonly start?: number;
  /**
   * How long, in real milliseconds, a task handler's pending promise may keep
   * virtual time still. A promise that never settles would otherwise hang the
   * run: past this limit the clock moves on, so the Task's TimeoutSeconds
   * (or HeartbeatSeconds) fires on the virtual clock; a Task with neither fails
   * with `States.Runtime`, naming the state. `Infinity` waits for ever.
   * @default 5000
   * @example
   * new VirtualClock({ holdTimeoutMs: 100 }) // a test that expects a stuck handler
   */
  readonly holdTimeoutMs?: number;
}

/** A hold on the clock, released by its owner or by the clock once it is older than holdTimeoutMs. */
interface Hold {
  readonly since: number;
  released: boolean;
  /**
   * Held while a task waits for the test to answer it (a callback, an activity): it keeps the
   * clock from moving on its own, but a time jump the test asks for (advance) goes past it.
   */
  readonly forTest: boolean;
}

/**
 * A sleep on a virtual clock. A class that listens to its cancellation itself (CancelListener)
 * and takes its promise's resolve from `captureResolve`: a timer made no closure, where it made
 * four (the promise's executor, the listener, its wrapper and its removal).
 */
class Timer implements CancelListener {
  declare public readonly deadline: number;
  declare public readonly seq: number;
  declare public readonly resolve: () => void;
  declare public cancelled: boolean;
  /** Fires when the clock gets there, but does not move the clock by itself. */
  declare public readonly passive: boolean;
  /** The source it listens to, when the signal is one of the engine's CancelSources. */
  declare public source: CancelSource | undefined;
  /** Stops listening for the sleep's cancellation (any other CancelSignal), once it has fired. */
  declare public stopListening: (() => void) | undefined;
  /** Told instead of a promise, for a timer of VirtualClock.wakeAt. */
  declare public readonly target: TimerTarget | undefined;

  constructor(deadline: number, seq: number, resolve: () => void, passive: boolean, target: TimerTarget | undefined) {
    this.deadline = deadline;
    this.seq = seq;
    this.resolve = resolve;
    this.cancelled = false;
    this.passive = passive;
    this.source = undefined;
    this.stopListening = undefined;
    this.target = target;
  }

  onCancelled(): void {
    this.cancelled = true;
  }
}

/** What a timer of VirtualClock.wakeAt tells when it fires. @internal */
export interface TimerTarget {
  timerFired(): void;
}

/** The resolve of the promise `new Promise(captureResolve)` made last; read at once. */
let captured: () => void = () => undefined;
function captureResolve(resolve: () => void): void {
  captured = resolve;
}

/** Earlier deadline first; of two at the same time, the one made first. */
function byDeadline(a: Timer, b: Timer): number {
  return a.deadline - b.deadline || a.seq - b.seq;
}

/** The clock's setImmediate callback: a function of the module, so scheduling makes no closure. */
function moveOn(clock: VirtualClock): void {
  clock.immediate();
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
  // Declared fields set in the constructor (see Call in engine.ts): a clock is made per
  // execution, and a field initializer is a second pass over each field.
  declare private current: number;
  /** Made with the first timer: an execution that never waits has none. */
  declare private timers: Timer[] | undefined;
  declare private seq: number;
  /** The holds not yet released; made with the first, as most executions never hold the clock. */
  declare private holds: Set<Hold> | undefined;
  declare private scheduled: boolean;
  declare private stallTimer: NodeJS.Timeout | undefined;
  /** How many of the holds are for the test (see Hold.forTest). */
  declare private testHolds: number;
  /** How many executions have started and not yet run their first states (holdStart). */
  declare private starting: number;
  /** Where the time jump under way (advance) ends; undefined when none is. */
  declare private target: number | undefined;
  /** What waits for the time jump under way to end. */
  declare private arrivals: Array<() => void> | undefined;
  /** What waits for the clock to be idle (whenIdle); undefined when nothing does. */
  declare private idlers: Set<() => void> | undefined;
  declare public readonly holdTimeoutMs: number;

  constructor(options: VirtualClockOptions = {}) {
    const limit = options.holdTimeoutMs ?? 5_000;
    if (!(limit > 0)) throw new RangeError(`VirtualClock holdTimeoutMs must be a positive number of milliseconds (or Infinity), got ${limit}`);
    this.current = options.start ?? START_MS;
    this.timers = undefined;
    this.seq = 0;
    this.holds = undefined;
    this.scheduled = false;
    this.stallTimer = undefined;
    this.testHolds = 0;
    this.starting = 0;
    this.target = undefined;
    this.arrivals = undefined;
    this.idlers = undefined;
    this.holdTimeoutMs = limit;
  }

  now(): number {
    return this.current;
  }

  /**
   * Moves the clock `ms` forward by hand (for tests that drive time themselves). Time goes to
   * each timer due within the jump in turn, earliest first: the timer fires at its own deadline,
   * and what it causes (the states after a timeout, a retry, the next Wait, which may set or
   * cancel other timers) runs before time goes on to the next, as it would on AWS; only then does
   * the clock reach `now() + ms`. The first timer due fires at once (after the first states of an
   * execution just started, see holdStart), the rest once the work before them has run; the promise
   * resolves when the clock has arrived. A jump asked for while another is under way extends it.
   * @example
   * // A callback Task with HeartbeatSeconds: 60 times out at +60 s, not at +61 s.
   * await clock.advance(61_000);
   */
  advance(ms: number): Promise<void> {
    const extending = this.target !== undefined;
    const to = (extending ? this.target! : this.current) + Math.max(0, ms);
    this.target = to;
    const arrived = new Promise<void>((resolve) => { (this.arrivals ??= []).push(resolve); });
    // A jump under way goes on by itself, once the work it caused has run. A new one starts at once,
    // unless an execution has just started whose first states have not yet run and set their
    // timers (holdStart): then it starts once they have, as each later step does.
    if (!extending) {
      if (this.starting > 0) this.schedule();
      else this.jumpStep();
    }
    return arrived;
  }

  sleepUntil(deadline: number, signal?: CancelSignal): Promise<void> {
    return this.addTimer(deadline, signal, false);
  }

  sleepUntilPassed(deadline: number, signal?: CancelSignal): Promise<void> {
    return this.addTimer(deadline, signal, true);
  }

  private addTimer(deadline: number, signal: CancelSignal | undefined, passive: boolean): Promise<void> {
    if (deadline <= this.current) return Promise.resolve();
    const promise = new Promise<void>(captureResolve);
    const timer = new Timer(deadline, this.seq++, captured, passive, undefined);
    (this.timers ??= []).push(timer);
    // Removed when the timer fires: a Map's iterations or a branch's polling loop would
    // otherwise leave one listener per Wait on the group's signal until the group ends.
    if (signal instanceof CancelSource) {
      if (signal.listen(timer)) timer.source = signal;
    } else if (signal !== undefined) {
      timer.stopListening = signal.onCancel(() => { timer.cancelled = true; });
    }
    if (!passive) this.schedule();
    return promise;
  }

  /**
   * Tells `target` when the clock reaches `deadline`, at the moment a sleepUntil (or, passive,
   * sleepUntilPassed) of that deadline made now would resolve, with no promise: for an
   * execution's own time limit, which every execution that waits sets and few reach. The
   * deadline is after now. Returns the timer, which `onCancelled` cancels.
   * @internal
   */
  wakeAt(deadline: number, passive: boolean, target: TimerTarget): CancelListener {
    const timer = new Timer(deadline, this.seq++, noop, passive, target);
    (this.timers ??= []).push(timer);
    if (!passive) this.schedule();
    return timer;
  }

  hold(): () => void {
    return this.takeHold(false);
  }

  /**
   * Marks an execution as just started on this clock, until the release it returns is called once
   * its first states have run: a time jump asked for meanwhile (the harness's `start()`, then
   * `advanceTime(61)`) begins after them, with the timers they set, not before the execution does.
   * Unlike a hold, it never keeps time still on its own.
   * @internal
   */
  holdStart(): () => void {
    this.starting++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.starting--;
    };
  }

  /** @internal */
  hasActiveTimer(): boolean {
    return this.timers?.some((t) => !t.passive && !t.cancelled) === true;
  }

  /**
   * Calls `listener` once the clock is idle: at its next scheduled move that finds no hold, no
   * time jump and no active timer. No turn of the event loop is spent meanwhile: a hold's release
   * and each move of the clock schedule the next look, so real work in flight costs nothing.
   * @internal
   */
  whenIdle(listener: () => void): () => void {
    const idlers = (this.idlers ??= new Set());
    idlers.add(listener);
    this.schedule();
    return () => {
      idlers.delete(listener);
      if (this.idlers === idlers && idlers.size === 0) this.idlers = undefined;
    };
  }

  /**
   * A hold for a task that waits for the test to answer it (a callback Task, an activity under
   * the harness's `start()`): the clock does not move on its own while it lasts, but `advance`
   * goes past it, where it waits for every other hold (real work in flight) between two timers.
   * @internal
   */
  holdForTest(): () => void {
    return this.takeHold(true);
  }

  private takeHold(forTest: boolean): () => void {
    const hold: Hold = { since: Date.now(), released: false, forTest };
    const holds = (this.holds ??= new Set());
    holds.add(hold);
    if (forTest) this.testHolds++;
    return () => {
      if (hold.released) return;
      this.dropHold(hold, holds);
      if (holds.size === 0) {
        clearTimeout(this.stallTimer);
        this.stallTimer = undefined;
      }
      if (holds.size === 0 || this.target !== undefined) this.schedule();
    };
  }

  private dropHold(hold: Hold, holds: Set<Hold>): void {
    hold.released = true;
    holds.delete(hold);
    if (hold.forTest) this.testHolds--;
  }

  /** Whether holds keep the clock still now: any hold, or during a time jump, any not for the test. */
  private held(): boolean {
    const holds = this.holds;
    if (holds === undefined || holds.size === 0) return false;
    return this.target === undefined || holds.size > this.testHolds;
  }

  /** Runs after everything runnable has run (setImmediate follows the microtask queue). */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(moveOn, this);
  }

  /** The scheduled move, once everything runnable has run. @internal */
  immediate(): void {
    this.scheduled = false;
    if (this.holds !== undefined && this.held()) {
      this.watchHolds();
      return;
    }
    if (this.target === undefined && this.idlers !== undefined && !this.hasActiveTimer()) {
      this.idle();
      return;
    }
    if (this.target !== undefined) this.jumpStep();
    else this.fireNext();
    // The clock moved: look again once what it woke has run.
    if (this.idlers !== undefined) this.schedule();
  }

  /** Nothing can move the clock: tells what waits for that, each once. */
  private idle(): void {
    const idlers = this.idlers!;
    this.idlers = undefined;
    for (const listener of idlers) listener();
  }

  /**
   * Time is due to move but holds keep it still: one real timer, armed only
   * then, drops the holds older than holdTimeoutMs so a promise that never
   * settles cannot stop the clock for good.
   */
  private watchHolds(): void {
    const holds = this.holds;
    // Only an active timer would move the clock; passive ones (limits) are no reason to break a hold.
    if (holds === undefined || this.stallTimer !== undefined || this.holdTimeoutMs === Infinity) return;
    // A time jump under way is reason enough to move, past the holds that are not the test's.
    const jumping = this.target !== undefined;
    if (!jumping && this.timers?.some((t) => !t.passive && !t.cancelled) !== true) return;
    let oldest = Infinity;
    for (const h of holds) if (!jumping || !h.forTest) oldest = Math.min(oldest, h.since);
    // A timer past Node's longest fires at once: one that ends early drops no hold and is armed again.
    const wait = Math.min(Math.max(0, oldest + this.holdTimeoutMs - Date.now()), LONGEST_TIMER_MS);
    this.stallTimer = setTimeout(() => {
      this.stallTimer = undefined;
      const expired = Date.now() - this.holdTimeoutMs;
      for (const h of holds) {
        if (h.since <= expired) this.dropHold(h, holds);
      }
      this.schedule();
    }, wait);
  }

  /**
   * One step of the time jump under way: time goes to the earliest timer due by its end and
   * fires every timer due at that instant, and the next step comes once the work they caused
   * has run (the next turn of the event loop, and no hold but the test's left); with none due,
   * the jump ends at its target.
   */
  private jumpStep(): void {
    const target = this.target!;
    let next: Timer | undefined;
    const timers = this.timers;
    if (timers !== undefined) {
      for (const t of timers) {
        if (!t.cancelled && t.deadline <= target && (!next || t.deadline < next.deadline)) next = t;
      }
    }
    if (next !== undefined) {
      if (next.deadline > this.current) this.current = next.deadline;
      this.fireDue();
      this.schedule();
      return;
    }
    if (target > this.current) this.current = target;
    this.target = undefined;
    const arrivals = this.arrivals;
    this.arrivals = undefined;
    if (arrivals !== undefined) for (const arrived of arrivals) arrived();
    // Back to moving on its own: to the next active timer, once nothing else runs.
    if (timers !== undefined && timers.length > 0) this.schedule();
  }

  private fireNext(): void {
    const timers = this.timers;
    if (timers === undefined) return;
    let next: Timer | undefined;
    let active = false;
    for (let i = timers.length - 1; i >= 0; i--) {
      const t = timers[i];
      if (t.cancelled) { timers.splice(i, 1); continue; }
      if (!t.passive) active = true;
      if (!next || t.deadline < next.deadline || (t.deadline === next.deadline && t.seq < next.seq)) next = t;
    }
    // Only an active timer moves the clock; on its way, it stops at earlier passive ones.
    if (!next || !active) return;
    if (next.deadline > this.current) this.current = next.deadline;
    this.fireDue();
  }

  /**
   * Wakes every timer due now, in (deadline, seq) order, and schedules the next move while an
   * active timer is left. One pass that keeps the timers not due in place (in their order), and
   * an array for the due ones only when more than one is due (a Wait or a retry wakes alone).
   */
  private fireDue(): void {
    const timers = this.timers;
    if (timers === undefined) return;
    const now = this.current;
    let first: Timer | undefined;
    let due: Timer[] | undefined;
    let active = false;
    let kept = 0;
    for (let i = 0; i < timers.length; i++) {
      const t = timers[i];
      if (!t.cancelled && t.deadline <= now) {
        if (first === undefined) first = t;
        else (due ??= [first]).push(t);
        continue;
      }
      if (!t.passive && !t.cancelled) active = true;
      timers[kept++] = t;
    }
    if (first === undefined) return;
    timers.length = kept;
    if (due === undefined) {
      wake(first);
    } else {
      due.sort(byDeadline);
      for (const t of due) wake(t);
    }
    if (active) this.schedule();
  }
}

/** A due timer: it stops listening for its cancellation, and its sleep resolves. */
function wake(t: Timer): void {
  if (t.source !== undefined) t.source.unlisten(t);
  else t.stopListening?.();
  if (t.target !== undefined) t.target.timerFired();
  else t.resolve();
}

const noop = (): void => undefined;

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
      let handle: NodeJS.Timeout | undefined;
      let stopListening: (() => void) | undefined;
      const step = () => {
        const left = deadline - Date.now();
        if (left <= 0) {
          handle = undefined;
          // Fired: no longer listens for a cancellation (see VirtualClock.addTimer).
          stopListening?.();
          resolve();
          return;
        }
        handle = setTimeout(step, Math.min(left, LONGEST_TIMER_MS));
      };
      step();
      if (handle !== undefined) stopListening = signal?.onCancel(() => clearTimeout(handle));
    });
  }

  hold(): () => void {
    return () => undefined;
  }

  sleepUntilPassed(deadline: number, signal?: CancelSignal): Promise<void> {
    // Real time passes by itself.
    return this.sleepUntil(deadline, signal);
  }
}
