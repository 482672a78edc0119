import fc from 'fast-check';
import { CancelSource } from '../../src/interpreter/cancel';
import { ExecutionClock, ServerClock, type TimeSource } from '../../src/server/clock';
import { latestTime } from '../../src/server/journal/restore';
import { countingSignal } from '../counting-signal';

/** Real time that moves only when the test says: `advance(ms)` fires the timers due, earliest first. */
class FakeTime implements TimeSource {
  private timers: Array<{ due: number; fire: () => void; seq: number }> = [];
  private seq = 0;
  private turnEnds: Array<() => void> = [];
  constructor(public current: number) {}
  now(): number { return this.current; }
  afterTurn(done: () => void): void { this.turnEnds.push(done); }
  /** Ends this turn of the event loop: what waited for it runs. */
  endTurn(): void {
    const ends = this.turnEnds;
    this.turnEnds = [];
    for (const done of ends) done();
  }
  /** Ends turns until nothing waits for the end of one: the event loop runs its immediates out. */
  async quiet(): Promise<void> {
    for (let i = 0; i < 1_000 && this.turnEnds.length > 0; i++) {
      this.endTurn();
      await settle();
    }
  }
  setTimer(fire: () => void, ms: number): () => void {
    const t = { due: this.current + ms, fire, seq: this.seq++ };
    this.timers.push(t);
    return () => { this.timers = this.timers.filter((x) => x !== t); };
  }
  /** Moves real time forward by `ms`, firing each timer due on the way and letting its continuations run. */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    // Real time passes between turns of the event loop: each step of it begins a turn.
    this.endTurn();
    for (;;) {
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.due > end) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.due);
      next.fire();
      await settle();
      this.endTurn();
    }
    this.current = end;
    await settle();
    this.endTurn();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

const T0 = Date.UTC(2026, 0, 1);

describe('serve clock: --time-scale scales waits, not idle time', () => {
  it('shows a 60 s Wait as 60 s in the execution while one real second passed, at scale 60', async () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(60, 0, time);
    const exec = new ExecutionClock(server, server.now());
    const entered = exec.now();
    let exited: number | undefined;
    void exec.sleepUntil(entered + 60_000).then(() => { exited = exec.now(); });
    await time.advance(999);
    expect(exited).toBeUndefined();
    await time.advance(1);
    expect(exited).toBe(entered + 60_000);
    expect(time.now() - T0).toBe(1_000);
  });

  it('stops listening for a cancellation once a Wait has ended, so a loop of Waits leaves no listener behind', async () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(1, 0, time);
    const exec = new ExecutionClock(server, server.now());
    const signal = countingSignal();
    for (let i = 0; i < 20; i++) {
      const slept = exec.sleepUntil(exec.now() + 1_000, signal);
      await time.advance(1_000);
      await slept;
    }
    expect(signal.added).toBe(20);
    expect(signal.listening()).toBe(0);
  });

  it('lets idle time pass at the wall clock pace: the server clock is never sped up', async () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(60, 0, time);
    const created = server.now();
    await time.advance(700);
    // Before the fix the server's time ran 60 times faster: 42 s after creation for 0.7 s of real time.
    expect(server.now() - created).toBe(700);
  });

  it('starts an execution after one that waited at the real now, not before the earlier startDates', async () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(100, 0, time);
    const firstStart = server.now();
    const first = new ExecutionClock(server, firstStart);
    let firstStop = 0;
    void first.sleepUntil(firstStart + 3_600_000).then(() => { firstStop = first.now(); });
    await time.advance(36_000);
    expect(firstStop).toBe(firstStart + 3_600_000);
    await time.advance(5_000);
    const secondStart = server.now();
    expect(secondStart).toBeGreaterThanOrEqual(firstStart);
    expect(secondStart).toBe(T0 + 41_000);
  });

  it('runs the work between waits at real pace, and each wait scaled', async () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(10, 0, time);
    const exec = new ExecutionClock(server, server.now());
    await time.advance(300); // a task that took 0.3 s
    expect(exec.now()).toBe(T0 + 300);
    let done = false;
    void exec.sleepUntil(exec.now() + 5_000).then(() => { done = true; });
    await time.advance(500);
    expect(done).toBe(true);
    expect(exec.now()).toBe(T0 + 5_300);
  });

  it('ends timers in the order of their execution-time deadlines, a parallel branch\'s later Wait after an earlier one', async () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(60, 0, time);
    const exec = new ExecutionClock(server, server.now());
    const ended: Array<[string, number]> = [];
    void exec.sleepUntil(T0 + 90_000).then(() => ended.push(['B', exec.now()]));
    await time.advance(1_000); // branch A's task took 1 s, then it waits 60 s
    void exec.sleepUntil(exec.now() + 60_000).then(() => ended.push(['A', exec.now()]));
    await time.advance(10_000);
    expect(ended).toEqual([['A', T0 + 61_000], ['B', T0 + 90_000]]);
  });

  it('holds an execution\'s time for the rest of a turn: branches that start a Wait in one turn end it together, as on the virtual clock', async () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(1, 0, time);
    const exec = new ExecutionClock(server, server.now());
    const a = exec.now();
    time.current += 3; // the first branch's work took 3 ms of real time, in the same turn
    const b = exec.now();
    expect(b).toBe(a);
    const ended: string[] = [];
    void exec.sleepUntil(a + 89_000).then(() => {
      ended.push('A');
      return Promise.resolve().then(() => ended.push('A goes on'));
    });
    void exec.sleepUntil(b + 89_000).then(() => { ended.push('B'); });
    await time.advance(89_003);
    // One deadline, so both end before either goes on; 3 ms apart, A went on before B ended.
    expect(ended).toEqual(['A', 'B', 'A goes on']);
  });

  it('fires a timeout at its deadline in execution time, and a cancelled timer never', async () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(100, 0, time);
    const exec = new ExecutionClock(server, server.now());
    const cancel = new CancelSource();
    let cancelledFired = false;
    let timeoutAt: number | undefined;
    void exec.sleepUntil(T0 + 10_000, cancel).then(() => { cancelledFired = true; });
    void exec.sleepUntil(T0 + 300_000).then(() => { timeoutAt = exec.now(); });
    cancel.cancel();
    await time.advance(3_000);
    expect(cancelledFired).toBe(false);
    expect(timeoutAt).toBe(T0 + 300_000);
  });

  it('arms a timer longer than setTimeout allows again when it fires early', async () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(1, 0, time);
    const exec = new ExecutionClock(server, server.now());
    let done = false;
    const days30 = 30 * 86_400_000;
    void exec.sleepUntil(T0 + days30).then(() => { done = true; });
    await time.advance(2_147_483_647);
    expect(done).toBe(false);
    await time.advance(days30 - 2_147_483_647);
    expect(done).toBe(true);
  });

  it('asks for a pause only after 100 ms of busy running: loading before the first state and idle time between turns do not count', async () => {
    // A pause lets a Map's or Parallel's other branches run ahead, so serve pauses only a run that
    // keeps the event loop: idle time counted too paused most runs, in another order than jest's.
    const time = new FakeTime(T0);
    const clock = new ExecutionClock(new ServerClock(1, 0, time), T0);
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    await turn();
    time.current += 1_000;
    expect(clock.pause()).toBeUndefined();
    time.current += 90;
    expect(clock.pause()).toBeUndefined();
    await turn();
    time.current += 1_000;
    expect(clock.pause()).toBeUndefined();
    time.current += 99;
    expect(clock.pause()).toBeUndefined();
    time.current += 1;
    const pause = clock.pause();
    expect(pause).toBeInstanceOf(Promise);
    await pause;
    time.current += 99;
    expect(clock.pause()).toBeUndefined();
  });

  it('gives all executions one budget: a pause asked by two in one stretch ends once, with no fresh budget for the second', async () => {
    // With a budget and a pause each, every branch of a Map (and every execution) that had paused
    // went on in the same turn with 100 ms of its own: a Map of 40 busy iterations held the server
    // 40 budgets in a row before a request was answered.
    const time = new FakeTime(T0);
    const server = new ServerClock(1, 0, time);
    const a = new ExecutionClock(server, T0);
    const b = new ExecutionClock(server, T0);
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    await turn();
    expect(a.pause()).toBeUndefined();
    time.current += 100;
    const pa = a.pause();
    const pb = b.pause();
    expect(pa).toBeInstanceOf(Promise);
    expect(pb).toBeInstanceOf(Promise);
    await pa;
    // a goes on and works 100 ms, the event loop not turning: b, going on in the same turn, has no budget left.
    time.current += 100;
    await pb;
    expect(b.pause()).toBeInstanceOf(Promise);
    expect(a.pause()).toBeInstanceOf(Promise);
  });

  it('pauses a run whose branches run at once after 5,000 asks without a turn, however much real time passes', async () => {
    // Timed by the wall clock, a loaded machine paused where an idle one did not, and the branch not
    // paused ran ahead: serve's order of a Parallel's states differed from the other doors' under load.
    const time = new FakeTime(T0);
    const clock = new ExecutionClock(new ServerClock(1, 0, time), T0);
    const asked = Array.from({ length: 4_999 }, () => {
      time.current += 1_000;
      return clock.pause(true);
    });
    expect(asked.filter((p) => p !== undefined)).toEqual([]);
    const pause = clock.pause(true);
    expect(pause).toBeInstanceOf(Promise);
    // Every branch that asks while it lasts waits for the same pause.
    expect(clock.pause(true)).toBe(pause);
    let ended = false;
    void pause!.then(() => { ended = true; });
    await settle();
    expect(ended).toBe(false);
    time.endTurn();
    await settle();
    expect(ended).toBe(true);
    // The count starts again after the pause.
    expect(Array.from({ length: 4_999 }, () => clock.pause(true)).filter((p) => p !== undefined)).toEqual([]);
    expect(clock.pause(true)).toBeInstanceOf(Promise);
  });

  it('counts an ask made for many states\' work (a child execution\'s start) as that many asks', () => {
    const time = new FakeTime(T0);
    const clock = new ExecutionClock(new ServerClock(1, 0, time), T0);
    // 249 asks of 20 are 4,980: no pause yet; the next one passes 5,000.
    expect(Array.from({ length: 249 }, () => clock.pause(true, 20)).filter((p) => p !== undefined)).toEqual([]);
    expect(clock.pause(true, 20)).toBeInstanceOf(Promise);
  });

  it('keeps its deadlines in order however many are set, and a cancelled one among many never ends', async () => {
    const time = new FakeTime(T0);
    const clock = new ExecutionClock(new ServerClock(1, 0, time), T0);
    const ended: number[] = [];
    // Set out of order, each at its own deadline; every third one cancelled.
    for (let k = 0; k < 300; k++) {
      const at = ((k * 7) % 300) + 1;
      const source = new CancelSource();
      void clock.sleepUntil(T0 + at, source).then(() => ended.push(at));
      if (k % 3 === 0) source.cancel();
    }
    await time.advance(1_000);
    const expected = Array.from({ length: 300 }, (_, k) => ({ k, at: ((k * 7) % 300) + 1 }))
      .filter(({ k }) => k % 3 !== 0).map(({ at }) => at).sort((a, b) => a - b);
    expect(ended).toEqual(expected);
  });

  it('counts again once the event loop turned by itself, and not for a turn its own pause made', async () => {
    const time = new FakeTime(T0);
    const clock = new ExecutionClock(new ServerClock(1, 0, time), T0);
    /** The pauses `times` asks were answered with. */
    const ask = (times: number): Array<Promise<void> | undefined> =>
      Array.from({ length: times }, () => clock.pause(true)).filter((p) => p !== undefined);
    expect(ask(3_000)).toEqual([]);
    // The run waited for something outside it (a Task's answer, a Wait): a turn.
    time.endTurn();
    expect(ask(3_000)).toEqual([]);
    // Its branches ended, and its one path ran 100 ms without a turn: a pause of real time, during
    // which the event loop turns. That turn is the pause's, which real time chose: no new count.
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pause(false)).toBeUndefined();
    time.current += 100;
    const timed = clock.pause(false);
    expect(timed).toBeInstanceOf(Promise);
    time.endTurn();
    await timed;
    expect(ask(1_999)).toEqual([]);
    expect(clock.pause(true)).toBeInstanceOf(Promise);
  });

  it('goes on after a restart from the last journaled server time, never from execution times ahead of it', () => {
    const records = [
      { t: 'machine', at: T0 },
      { t: 'start', at: T0 + 1_000 },
      { t: 'heartbeat', at: T0 + 3_600_000 },
      { t: 'closed', stopDate: T0 + 7_200_000 },
      { t: 'redrive', at: T0 + 7_300_000 },
    ];
    expect(latestTime(records)).toBe(T0 + 1_000);
    const time = new FakeTime(T0 - 5_000); // the wall clock is behind the journal
    const server = new ServerClock(100, latestTime(records), time);
    expect(server.now()).toBe(T0 + 1_000);
    time.current += 250;
    expect(server.now()).toBe(T0 + 1_250);
  });

  it('never runs the server clock backwards when the wall clock steps back', () => {
    const time = new FakeTime(T0);
    const server = new ServerClock(1, 0, time);
    expect(server.now()).toBe(T0);
    time.current -= 10_000;
    expect(server.now()).toBe(T0);
  });

  it('replays a journaled execution at its history\'s times, then goes live no earlier than the server\'s time', async () => {
    const time = new FakeTime(T0 + 100_000);
    const server = new ServerClock(10, 0, time);
    const exec = new ExecutionClock(server, T0, true);
    expect(exec.now()).toBe(T0);
    // Already passed: ends once the turn does, stamped with its deadline.
    const passed = exec.sleepUntil(T0 + 20_000);
    time.endTurn();
    await passed;
    expect(exec.now()).toBe(T0 + 20_000);
    let done = false;
    void exec.sleepUntil(T0 + 200_000).then(() => { done = true; });
    // A deadline still ahead ends the replay at the turn's end: the execution goes live at the server's time.
    time.endTurn();
    expect(exec.now()).toBe(T0 + 100_000);
    await time.advance(10_000);
    expect(done).toBe(true);
    expect(exec.now()).toBe(T0 + 200_000);
  });

  it('ends the sleeps a replay sets in one turn earliest first, each at its own deadline, whatever order they were set in', async () => {
    const time = new FakeTime(T0 + 100_000);
    const exec = new ExecutionClock(new ServerClock(1, 0, time), T0, true);
    const ended: Array<[string, number]> = [];
    const sleep = (name: string, deadline: number) => exec.sleepUntil(deadline).then(() => { ended.push([name, exec.now()]); });
    const all = [sleep('late', T0 + 90_000), sleep('early', T0 + 30_000), sleep('ahead', T0 + 150_000), sleep('middle', T0 + 60_000)];
    // One turn per deadline: what each causes runs before the next ends.
    for (let i = 0; i < 4; i++) {
      time.endTurn();
      await settle();
    }
    expect(ended).toEqual([['early', T0 + 30_000], ['middle', T0 + 60_000], ['late', T0 + 90_000]]);
    // The one still ahead took the execution live, and ends on time.
    await time.advance(50_000);
    await Promise.all(all);
    expect(ended[3]).toEqual(['ahead', T0 + 150_000]);
  });

  it('never ends a replayed sleep that was cancelled, before or after the execution goes live', async () => {
    const time = new FakeTime(T0 + 100_000);
    const exec = new ExecutionClock(new ServerClock(1, 0, time), T0, true);
    const before = new CancelSource();
    const after = new CancelSource();
    let woke = 0;
    void exec.sleepUntil(T0 + 30_000, before).then(() => { woke++; });
    void exec.sleepUntil(T0 + 150_000, after).then(() => { woke++; });
    before.cancel();
    time.endTurn();
    await settle();
    after.cancel();
    await time.advance(100_000);
    expect(woke).toBe(0);
  });
});

describe('serve clock: AWS\'s maximum duration of an execution (sleepUntilPassed)', () => {
  it('ends at its deadline on the execution\'s scaled time, as an Express execution\'s 5 minutes do', async () => {
    const time = new FakeTime(T0);
    const exec = new ExecutionClock(new ServerClock(60, 0, time), T0);
    let at: number | undefined;
    void exec.sleepUntilPassed(T0 + 300_000).then(() => { at = exec.now(); });
    await time.advance(4_999);
    expect(at).toBeUndefined();
    await time.advance(1);
    expect(at).toBe(T0 + 300_000);
  });

  it('leaves a replay going: the deadline ahead waits for the execution to go live, and a cancelled one never ends', async () => {
    const time = new FakeTime(T0 + 100_000);
    const exec = new ExecutionClock(new ServerClock(1, 0, time), T0, true);
    let limit: number | undefined;
    void exec.sleepUntilPassed(T0 + 300_000).then(() => { limit = exec.now(); });
    const stopped = new CancelSource();
    let cancelledWoke = false;
    void exec.sleepUntilPassed(T0 + 150_000, stopped).then(() => { cancelledWoke = true; });
    stopped.cancel();
    // A journaled Wait that had passed still replays at its own time: the limit did not end the replay.
    const passed = exec.sleepUntil(T0 + 20_000);
    time.endTurn();
    await passed;
    expect(exec.now()).toBe(T0 + 20_000);
    // And so does the next, a turn later.
    time.endTurn();
    await settle();
    const next = exec.sleepUntil(T0 + 40_000);
    time.endTurn();
    await next;
    expect(exec.now()).toBe(T0 + 40_000);
    exec.goLive();
    await time.advance(199_999);
    expect(limit).toBeUndefined();
    await time.advance(1);
    expect([limit, cancelledWoke]).toEqual([T0 + 300_000, false]);
  });
});

describe('serve clock: deadlines a late timer finds passed (property)', () => {
  it('stamps every sleep at its deadline, earliest first, follow-ups too, for any scale, deadlines and stretch of real time the timers miss', async () => {
    const span = fc.integer({ min: 1, max: 120_000 });
    const sleepArb = fc.record({ at: span, then: fc.option(span, { nil: undefined }) });
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(1, 10, 60), fc.array(sleepArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 600_000 }),
      async (scale, sleeps, missed) => {
        const time = new FakeTime(T0);
        const server = new ServerClock(scale, 0, time);
        const exec = new ExecutionClock(server, server.now());
        const start = exec.now();
        const ended: Array<{ deadline: number; at: number }> = [];
        const sleep = (deadline: number, then?: number): void => {
          void exec.sleepUntil(deadline).then(() => {
            const at = exec.now();
            ended.push({ deadline, at });
            if (then !== undefined) sleep(at + then, undefined);
          });
        };
        for (const s of sleeps) sleep(start + s.at, s.then);
        // The machine sleeps: the wall clock runs on while no timer fires; then time passes until every sleep has ended.
        time.current += missed;
        for (let i = 0; i < 10; i++) {
          await time.advance(30_000);
          await time.quiet();
        }
        expect(ended).toHaveLength(sleeps.length + sleeps.filter((s) => s.then !== undefined).length);
        expect(ended.filter((e) => e.at !== e.deadline)).toEqual([]);
        const order = ended.map((e) => e.deadline);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      },
    ), { numRuns: 200 });
  });
});
