import { LONGEST_TIMER_MS } from '../asl/timer';
import type { CancelSignal, Clock } from '../interpreter';

const noHold = (): void => undefined;


/** The pause of an execution of a closed server: it never ends, and holds nothing that keeps the process alive. */
const HALTED = new Promise<void>(() => undefined);

/**
 * Where the server's clocks read real time and set real timers: the wall clock
 * and `setTimeout`, or a fake in tests, so that no test depends on wall time.
 * @internal
 */
export interface TimeSource {
  /** Real milliseconds since the epoch. */
  now(): number;
  /** Calls `fire` after `ms` real milliseconds (at most {@link LONGEST_TIMER_MS}); returns what cancels it. */
  setTimer(fire: () => void, ms: number): () => void;
  /** Calls `done` when this turn of the event loop ends. */
  afterTurn(done: () => void): void;
}

/** The wall clock; its timers never keep a closed server's process alive. @internal */
export const systemTime: TimeSource = {
  now: () => Date.now(),
  setTimer: (fire, ms) => {
    const handle = setTimeout(fire, ms).unref();
    return () => clearTimeout(handle);
  },
  afterTurn: (done) => { setImmediate(done); },
};

/**
 * The server's time, which stamps what is not inside an execution: creation
 * and update dates, an execution's startDate, journal records. It is the wall
 * clock, never faster, whatever `--time-scale` says: idle time passes as it
 * does. After a restart it goes on from the last server time journaled if
 * that is ahead of the wall clock, and it never runs backwards.
 * @internal
 */
export class ServerClock {
  private readonly offset: number;
  private last = 0;
  /**
   * The real time the server's executions last let its other work run, or the event loop last
   * turned, or an execution first asked (see {@link pause}); undefined before that first ask, so
   * that loading and compiling a machine before its first state do not count.
   */
  private ranSince: number | undefined;
  /** Whether the event loop has turned since ranSince: set by an immediate armed then. */
  private turned = false;
  /** The pause the executions wait for, once one was asked for in this stretch: one for them all. */
  private pausing: Promise<void> | undefined;
  /** Whether the server has closed (see {@link close}). */
  private closedDown = false;

  /**
   * @param scale how many times faster than the wall clock executions wait, retry and time out
   * @param notBefore the server's time never starts before this (after a restart: the last journaled server time)
   * @param time the real clock and timers
   */
  constructor(public readonly scale = 1, notBefore = 0, public readonly time: TimeSource = systemTime) {
    this.offset = Math.max(0, notBefore - time.now());
  }

  now(): number {
    const t = this.time.now() + this.offset;
    if (t > this.last) this.last = t;
    return this.last;
  }

  /** Real milliseconds for a span of execution time spent waiting (GetActivityTask's long poll is scaled like a Wait). */
  realMs(spanMs: number): number {
    return spanMs / this.scale;
  }

  /**
   * The pause every execution of the server waits for once they have run, together,
   * {@link PAUSE_AFTER_MS} of real time without the event loop turning (see ExecutionClock.pause).
   * One budget and one pause for them all: with one each, every branch of a Map (and every
   * execution) that asked ended its pause in the same turn, each with a fresh budget, so a Map of
   * 40 busy iterations held the server 40 budgets in a row (2 s) before a request was answered.
   */
  pause(): Promise<void> | undefined {
    if (this.pausing !== undefined) return this.pausing;
    const now = this.time.now();
    if (this.turned || this.ranSince === undefined) {
      this.ranSince = now;
      this.watchTurn();
      return undefined;
    }
    if (now - this.ranSince < PAUSE_AFTER_MS) return undefined;
    return (this.pausing = new Promise<void>((resolve) => setImmediate(() => {
      this.pausing = undefined;
      this.ranSince = this.time.now();
      this.watchTurn();
      resolve();
    })));
  }

  /**
   * The server has closed: every execution stops at its next pause (ExecutionClock.pause: between
   * two states, or two steps of a JSONata evaluation) and never goes on. A run of states that never waits would
   * otherwise go on after close() for as long as it runs (a loop to the 25,000-event limit, an
   * endless expression to JSONata's bound), its pauses keeping the process alive: a jest worker
   * whose test closed an in-process server then failed to exit. Nothing is recorded or journaled:
   * with `--data-dir`, the next server runs the execution on from the journal.
   */
  close(): void {
    this.closedDown = true;
  }

  /** Whether the server has closed (see {@link close}). */
  get closed(): boolean {
    return this.closedDown;
  }

  /** Notes the event loop's next turn: the executions have let other work run by themselves (a Task, a Wait). */
  private watchTurn(): void {
    this.turned = false;
    setImmediate(() => { this.turned = true; });
  }
}

/**
 * How long, in real milliseconds, an execution runs states without the event loop turning before
 * it lets the server's other work run: long enough that an execution of ordinary work never
 * pauses, even on a loaded machine (a pause can change the order of a Map's or Parallel's
 * branches, see {@link ExecutionClock.pause}), short enough that a request waits no longer.
 */
const PAUSE_AFTER_MS = 100;

/**
 * How many times an execution whose branches run at once asks for a pause (at every fourth state
 * and at every step of a JSONata evaluation) without letting the event loop turn before it pauses.
 * A count, not a time, so that the branches' order never depends on the machine's speed (see
 * ExecutionClock.pause). A pause still changes that order from the virtual clock's, so the count is
 * high enough that runs of ordinary size never pause (a Map of 100 items, each selected by two
 * JSONata fields and run through two JSONata states, asks 2,050 times), and low enough that a Map
 * of endless busy iterations lets requests through (5,000 asks of 40 iterations each summing
 * 30,000 numbers take 0.6 s on a loaded machine; of Pass states, 30 ms).
 */
const CONCURRENT_PAUSE_ASKS = 5_000;

/** Earlier deadline first; of two at the same time, the one made first. */
function byDeadline(a: Timer, b: Timer): number {
  return a.deadline - b.deadline || a.seq - b.seq;
}

/** Where `timer` is, or goes, in `timers` (in {@link byDeadline} order): a binary search. */
function placeOf(timers: readonly Timer[], timer: Timer): number {
  let low = 0;
  let high = timers.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (byDeadline(timers[middle], timer) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

interface Timer {
  readonly deadline: number;
  readonly seq: number;
  readonly resolve: () => void;
  cancelled: boolean;
  /** Stops listening for the sleep's cancellation, once it has fired. */
  stopListening: (() => void) | undefined;
}

/**
 * The clock of one execution. It starts at the execution's startDate and runs
 * at the wall clock's pace, except that what the execution waits for on it
 * (a Wait, a retry's back-off, a TimeoutSeconds or HeartbeatSeconds) takes
 * `scale` times less real time, and when it is over the execution's time jumps
 * to its deadline. So a 60 s Wait at `--time-scale 60` lasts one real second and
 * its history shows 60 s, while the work between waits shows the time it took.
 *
 * Timers end in the order of their deadlines in execution time: one real timer
 * is armed for the earliest, and each jump re-arms it, so a branch's short Wait
 * never ends after a parallel branch's longer one. An execution's time is never
 * behind the server's (with a scale below 1, waits made longer, a Wait then
 * shows the time it really took).
 *
 * After a restart an execution is run again from its journaled start: while it
 * replays, its time is the time the history had then (a Wait whose deadline has
 * passed ends at once, stamped with its deadline), and it goes live when it
 * first waits for a deadline still ahead or for an answer that was not journaled.
 * @internal
 */
export class ExecutionClock implements Clock {
  /** Execution time at the real moment `realBase`. */
  private base: number;
  private realBase: number;
  private last: number;
  private replayNow: number | undefined;
  private readonly timers: Timer[] = [];
  /** The sleeps set while the execution replays, not yet ended (see replaySleep). */
  private replaying: Timer[] | undefined;
  /** Whether the replay is a catch-up: a real timer fired after the execution's time had passed its deadline (see fire). */
  private catchingUp = false;
  /** Whether a flushReplay is to come at the end of this turn: one at a time, so that one deadline ends per turn. */
  private flushing = false;
  private seq = 0;
  /** What waits for the execution to go live (see {@link whenLive}). */
  private live: Array<() => void> | undefined;
  private armed: { timer: Timer; realDue: number; cancel: () => void } | undefined;
  /** The time held by {@link holdNow} until this turn of the event loop ends. */
  private held: number | undefined;
  /** How many times the time was held: a release from an earlier turn leaves a later hold alone. */
  private turns = 0;
  /** Called at each pause, before the execution goes on: the server's look at what the run holds. */
  public onPause: (() => void) | undefined;
  /** The pauses asked for while branches ran at once, since the count began (see pauseCounted). */
  private asks = 0;
  /** Whether the count of asks has begun: it ends when the event loop turns by itself (see turned). */
  private watching = false;
  /** Whether a pause of this execution is under way. */
  private inPause = false;
  /** The counted pause under way, which every branch that asks meanwhile waits for (see pauseCounted). */
  private counted: Promise<void> | undefined;

  /**
   * @param server the server's clock (its scale and real time source)
   * @param start the execution's startDate
   * @param replay true when the execution is run again from the journal after a restart
   */
  constructor(private readonly server: ServerClock, start: number, replay = false) {
    this.base = start;
    this.last = start;
    this.realBase = server.time.now();
    this.replayNow = replay ? start : undefined;
  }

  /**
   * A pause, so that no execution that runs states without end (a heavy Pass or Choice loop), nor
   * many at once, can keep the server from answering: the rest of the turn goes to the requests
   * waiting. A pause lets the branches of a Parallel or Map that are not paused run ahead of the
   * paused one, so it changes the order their states run in (and the order their Tasks are
   * invoked, which a MockConfigFile's answers follow) from the order jest's, `stepwright run`'s
   * and MCP's virtual clock gives, which never pauses. So when it pauses depends on whether
   * branches run at once (`concurrent`, see Clock.pause):
   *
   * - Not concurrent: once the server's executions have run {@link PAUSE_AFTER_MS} of real time
   *   without one (ServerClock.pause: one budget for them all). Only busy time counts: once the
   *   event loop has turned by itself (the execution waited for a Task, a Wait or a timer), the
   *   count starts again. With one path running, no order can change.
   * - Concurrent: once the execution has asked {@link CONCURRENT_PAUSE_ASKS} times since it last
   *   let the event loop turn by itself, counted by its own steps, never by real time. Timed by
   *   the wall clock, a fuzz run of 150 machines under CPU load twice found serve's branches in
   *   another order than the other doors': a loaded machine ran out of the budget where an idle
   *   one did not. Counted, the order depends on the definition and the execution's clock alone,
   *   and a run of ordinary size never pauses.
   */
  pause(concurrent = false, asks = 1): Promise<void> | undefined {
    if (this.server.closed) return HALTED;
    if (concurrent) return this.pauseCounted(asks);
    const pause = this.server.pause();
    if (pause === undefined) return undefined;
    this.inPause = true;
    return pause.then(this.paused);
  }

  /**
   * The pause of a run whose branches run at once: after a count of its own asks (see {@link pause}).
   * Every branch that asks while it lasts waits for it too, and they go on in the order they asked:
   * one pause for them all stays closer to the virtual clock's order than a pause each, which let
   * each branch run ahead of the ones paused before it.
   */
  private pauseCounted(asks: number): Promise<void> | undefined {
    if (this.counted !== undefined) return this.counted;
    if (!this.watching) {
      this.watching = true;
      this.asks = 0;
      this.server.time.afterTurn(this.turned);
    }
    if ((this.asks += asks) < CONCURRENT_PAUSE_ASKS) return undefined;
    this.asks = 0;
    this.inPause = true;
    const counted = new Promise<void>((resolve) => this.server.time.afterTurn(() => {
      this.counted = undefined;
      resolve();
    })).then(this.paused);
    this.counted = counted;
    return counted;
  }

  /**
   * The event loop turned since the count of asks began: the execution waited for something
   * outside it, and the count starts again at its next ask. A turn its own pause made is none: the
   * pauses not counted (the server's budget of real time) come at moments real time chooses.
   */
  private readonly turned = (): void => {
    if (this.inPause) this.server.time.afterTurn(this.turned);
    else this.watching = false;
  };

  /** What follows a pause, before the execution goes on: the server's look at what it holds. */
  private readonly paused = (): void => {
    this.inPause = false;
    this.onPause?.();
  };

  /**
   * The execution's time, which stands still for the rest of this turn of the event loop once
   * read: the branches of a Parallel or Map that start a Wait in one turn get one deadline, and
   * end it together, as they do on the virtual clock of jest, `stepwright run` and MCP. Read
   * afresh each turn, the real time their work took (more on a loaded machine) gave each a
   * deadline a few milliseconds apart, so that each ended alone and the order of the branches'
   * events differed from the other doors'.
   */
  now(): number {
    if (this.replayNow !== undefined) return this.replayNow;
    if (this.held !== undefined) return this.held;
    const t = this.liveTime();
    if (t > this.last) this.last = t;
    this.holdUntilTurnEnds(this.last);
    return this.last;
  }

  /** The execution's time by the wall clock, never behind the server's: what it is when it neither replays nor holds its time. */
  private liveTime(): number {
    return Math.max(this.base + this.server.time.now() - this.realBase, this.server.now());
  }

  /** Holds the execution's time at `t` until this turn of the event loop ends. */
  private holdUntilTurnEnds(t: number): void {
    this.held = t;
    const turn = ++this.turns;
    this.server.time.afterTurn(() => {
      if (this.turns === turn) this.held = undefined;
    });
  }

  sleepUntil(deadline: number, signal?: CancelSignal): Promise<void> {
    if (this.replayNow !== undefined) {
      // Already passed in the replay's time: nothing to wait for.
      if (deadline <= this.replayNow) return Promise.resolve();
      return new Promise<void>((resolve) => {
        this.replaySleep({ deadline, seq: this.seq++, resolve, cancelled: false, stopListening: undefined }, signal);
      });
    }
    if (deadline <= this.now()) return Promise.resolve();
    return new Promise<void>((resolve) => this.liveSleep({ deadline, seq: this.seq++, resolve, cancelled: false, stopListening: undefined }, signal));
  }

  /**
   * AWS's maximum duration of an execution (an Express one's 5 minutes, a Standard one's year):
   * real time carries the execution there by itself, so it is a live sleep like any other. Without
   * it the interpreter enforces no such limit, and an Express execution ran past 5 minutes to
   * SUCCEEDED where AWS times it out. While the execution replays after a restart it waits to go
   * live: a deadline still ahead would otherwise end the replay before the journaled answers.
   */
  sleepUntilPassed(deadline: number, signal?: CancelSignal): Promise<void> {
    return new Promise<void>((resolve) => this.whenLive(() => {
      if (!signal?.cancelled) void this.sleepUntil(deadline, signal).then(resolve);
    }));
  }

  private liveSleep(timer: Timer, signal: CancelSignal | undefined): void {
    // Put in its place, not pushed and sorted: a Map Run of 10,000 Express children at once sets
    // 10,000 deadlines, and sorting the list again for each took seconds.
    this.timers.splice(placeOf(this.timers, timer), 0, timer);
    // Removed when the timer fires (see VirtualClock.addTimer).
    if (signal) timer.stopListening = signal.onCancel(() => this.cancel(timer));
    this.arm();
  }

  /** A sleep cancelled: it never ends, whether the replay or the real timer holds it. */
  private cancel(timer: Timer): void {
    timer.cancelled = true;
    const pending = this.replaying?.indexOf(timer) ?? -1;
    if (pending >= 0) this.replaying!.splice(pending, 1);
    const at = placeOf(this.timers, timer);
    if (this.timers[at] !== timer) return;
    this.timers.splice(at, 1);
    if (this.armed?.timer === timer) this.disarm();
    this.arm();
  }

  /**
   * A sleep while the execution replays: kept until the turn ends, so that the sleeps the replay
   * sets in one turn (the branches of a Parallel, a Map's iterations) end in the order of their
   * deadlines, each at its own, with what it causes run before the next, as they did before the
   * restart (see {@link flushReplay}). Set in the order the branches run, and ended at once, a
   * later deadline set first carried the replay's time past an earlier one, stamped late.
   */
  private replaySleep(timer: Timer, signal: CancelSignal | undefined): void {
    const pending = (this.replaying ??= []);
    pending.push(timer);
    if (signal) timer.stopListening = signal.onCancel(() => this.cancel(timer));
    this.flushAfterTurn();
  }

  /** Calls flushReplay once this turn ends, unless a call is already to come. */
  private flushAfterTurn(): void {
    if (this.flushing) return;
    this.flushing = true;
    this.server.time.afterTurn(() => {
      this.flushing = false;
      this.flushReplay();
    });
  }

  /**
   * Ends the replay's earliest sleeps, those of one deadline, at that deadline, then comes back once
   * what they caused has run (the next turn). A deadline still ahead of the wall clock's ends the
   * replay: the execution goes live, and the sleeps left wait as live ones.
   */
  private flushReplay(): void {
    const pending = this.replaying;
    if (pending === undefined || pending.length === 0) {
      // A catch-up is over once a turn has passed with no passed deadline left: what those deadlines caused has run.
      if (this.catchingUp) this.goLive();
      return;
    }
    pending.sort(byDeadline);
    const next = pending[0].deadline;
    if (this.replayNow === undefined || next > this.liveTime()) {
      this.replaying = undefined;
      this.goLive();
      // Each keeps listening for its cancellation, now as a live sleep.
      for (const timer of pending) {
        if (timer.deadline > this.now()) {
          this.liveSleep(timer, undefined);
          continue;
        }
        timer.stopListening?.();
        timer.resolve();
      }
      return;
    }
    if (next > this.replayNow) this.replayNow = next;
    while (pending.length > 0 && pending[0].deadline === next) {
      const timer = pending.shift()!;
      timer.stopListening?.();
      timer.resolve();
    }
    if (pending.length > 0 || this.catchingUp) this.flushAfterTurn();
  }

  /**
   * The execution's time now, held until this turn of the event loop ends: a
   * Task's answer is journaled at this time, and the events the execution
   * records for it in the same turn carry the same time, as they do when the
   * answer is given again from the journal after a restart.
   */
  holdNow(): number {
    return this.now();
  }

  /** While replaying, moves the execution's time forward to a journaled moment (a heartbeat's). */
  replayTo(time: number): void {
    if (this.replayNow !== undefined && time > this.replayNow) this.replayNow = time;
  }

  /** Ends the replay: from now on the execution's time runs on from where the replay left it, or the wall clock's if that is later. */
  goLive(): void {
    if (this.replayNow === undefined) return;
    this.jumpTo(Math.max(this.replayNow, this.liveTime()));
    this.replayNow = undefined;
    this.catchingUp = false;
    const waiting = this.live;
    this.live = undefined;
    for (const then of waiting ?? []) then();
  }

  /**
   * Calls `then` once the execution runs live: at once, or when its replay (a run again from the
   * journal after a restart, a catch-up) ends. What was journaled to happen at a moment of the
   * execution's run (DeleteStateMachine failing it at its next state) then happens after the
   * states the replay passes through, which it had entered before that moment.
   */
  whenLive(then: () => void): void {
    if (this.replayNow === undefined) then();
    else (this.live ??= []).push(then);
  }

  /**
   * A call the journal holds no answer for is made (a Task's integration, a handler): a replay after
   * a restart ends, as the call is made now; a catch-up goes on, as the call belongs to the passed
   * deadline that led to it, where AWS would have made it.
   */
  callMade(): void {
    if (!this.catchingUp) this.goLive();
  }

  hold(): () => void {
    return noHold;
  }

  private jumpTo(time: number): void {
    this.held = undefined;
    this.base = Math.max(time, this.last);
    this.last = this.base;
    this.realBase = this.server.time.now();
  }

  private disarm(): void {
    this.armed?.cancel();
    this.armed = undefined;
  }

  /** Arms one real timer for the earliest deadline, `scale` times sooner than its span in execution time. */
  private arm(): void {
    const next = this.timers[0];
    if (!next) {
      this.disarm();
      return;
    }
    if (this.armed?.timer === next) return;
    this.disarm();
    const realNow = this.server.time.now();
    const realDue = realNow + Math.max(0, next.deadline - this.now()) / this.server.scale;
    this.armArmed(next, realDue, realNow);
  }

  private armArmed(timer: Timer, realDue: number, realNow: number): void {
    const delay = Math.min(Math.max(0, Math.ceil(realDue - realNow)), LONGEST_TIMER_MS);
    this.armed = { timer, realDue, cancel: this.server.time.setTimer(() => this.fire(), delay) };
  }

  /**
   * The armed timer is due: the execution's time jumps to its deadline, and every timer due by then
   * ends, earliest first. A timer that fires after the execution's time has passed its deadline (the
   * event loop was held up, the machine slept while the wall clock ran on) starts a catch-up.
   */
  private fire(): void {
    const armed = this.armed;
    if (!armed) return;
    const realNow = this.server.time.now();
    if (realNow < armed.realDue) {
      // Past setTimeout's longest delay: arm the rest.
      this.armArmed(armed.timer, armed.realDue, realNow);
      return;
    }
    this.armed = undefined;
    if (armed.timer.deadline < this.liveTime()) {
      this.catchUp();
      return;
    }
    if (armed.timer.deadline > this.now()) this.jumpTo(armed.timer.deadline);
    const now = this.now();
    while (this.timers.length > 0 && this.timers[0].deadline <= now) {
      const timer = this.timers.shift()!;
      if (!timer.cancelled) {
        timer.stopListening?.();
        timer.resolve();
      }
    }
    this.arm();
  }

  /**
   * Ends the deadlines the wall clock has passed as a replay ends those passed while the server was
   * down (see {@link flushReplay}): each at its own instant, earliest first, one per turn so that
   * what it causes (a Catch's next state, a Wait it starts, the sleeps that sets) runs and is stamped
   * before the next, as AWS would have stamped them. Ended at the time the timer fired, a
   * HeartbeatSeconds of 60 s timed out at +3,660 s after an hour's sleep. The execution goes live
   * at the first deadline still ahead, at a call or answer from outside (see {@link goLive}), or
   * once a turn passes with none left.
   */
  private catchUp(): void {
    this.replayNow = this.last;
    this.catchingUp = true;
    const pending = (this.replaying ??= []);
    pending.push(...this.timers.splice(0));
    this.flushAfterTurn();
  }
}
