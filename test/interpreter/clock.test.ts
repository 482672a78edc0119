import fc from 'fast-check';
import { at, clock, outputOf, run, single, T0 } from './helpers';
import { compileStateMachine, RealClock, seededRandom, VirtualClock, type JsonValue, type StateMachineDefinition } from '../../src/interpreter';
import { CancelSource } from '../../src/interpreter/cancel';
import { countingSignal } from '../counting-signal';
// Fake Date and setTimeout with immediates left real: the real time a clock's hold guard measures
// passes only when the test says, so the guard is checked to the millisecond however slow the machine.
import { fakeRealTime, turns } from '../real-time';

/** A handler whose promise the test settles, and a promise that resolves once it has been called. */
function heldHandler(): { handler: () => Promise<JsonValue>; called: Promise<void>; settle: (value: JsonValue) => void } {
  let settle!: (value: JsonValue) => void;
  let wasCalled!: () => void;
  const called = new Promise<void>((resolve) => { wasCalled = resolve; });
  const handler = () => {
    wasCalled();
    return new Promise<JsonValue>((resolve) => { settle = resolve; });
  };
  return { handler, called, settle: (value) => settle(value) };
}

/** The Task S of the machines here: a call its handler answers. */
const CALL = { Type: 'Task', Resource: 'arn:aws:states:::x:y' } as const;

/**
 * Starts `definition` on `on` with its Task S's handler held (see {@link heldHandler}), and resolves
 * once the handler has been called and the execution has gone as far as it goes without the answer.
 */
async function startHeld(on: VirtualClock, definition: StateMachineDefinition = single(CALL)) {
  const held = heldHandler();
  const execution = compileStateMachine(definition, { clock: on, taskHandlers: { S: held.handler } }).start({});
  await held.called;
  await turns();
  return { held, execution };
}

/** Lets `ms` of (fake) real time pass, then lets what it set off run. */
async function realTimePasses(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  await turns();
}

describe('Clocks and determinism', () => {
  it('starts a VirtualClock at 2024-01-01T00:00:00Z by default', () => {
    expect(new VirtualClock().now()).toBe(T0);
  });

  it('uses a fresh VirtualClock per execution by default', async () => {
    const machine = compileStateMachine(single({ Type: 'Wait', Seconds: 10 }));
    const a = await machine.start({}).result;
    const b = await machine.start({}).result;
    expect(a.startDate.toISOString()).toBe(at(0));
    expect(b.startDate.toISOString()).toBe(at(0));
  });

  it('moves a VirtualClock by hand with advance()', async () => {
    const c = new VirtualClock({ start: 0 });
    let woke = false;
    void c.sleepUntil(5000).then(() => { woke = true; });
    void c.advance(4000);
    await Promise.resolve();
    expect(woke).toBe(false);
    void c.advance(1000);
    await Promise.resolve();
    expect(woke).toBe(true);
    expect(c.now()).toBe(5000);
  });

  it('stops listening for a cancellation once a sleep has fired, so a loop of Waits leaves no listener behind', async () => {
    const c = new VirtualClock({ start: 0 });
    const signal = countingSignal();
    for (let i = 1; i <= 50; i++) {
      const slept = c.sleepUntil(i * 1000, signal);
      void c.advance(1000);
      await slept;
    }
    expect(signal.added).toBe(50);
    expect(signal.listening()).toBe(0);
  });

  it('never wakes a cancelled sleep, and wakes the others sharing its signal', async () => {
    const c = new VirtualClock({ start: 0 });
    const source = new CancelSource();
    let cancelledWoke = false;
    void c.sleepUntil(5000, source).then(() => { cancelledWoke = true; });
    source.cancel();
    const other = c.sleepUntil(6000);
    void c.advance(6000);
    await other;
    expect(cancelledWoke).toBe(false);
    expect(c.now()).toBe(6000);
  });

  it('wakes the sleepers one advance makes due in (deadline, creation) order, and only those', async () => {
    const c = new VirtualClock({ start: 0 });
    const order: string[] = [];
    const sleep = (name: string, deadline: number) => c.sleepUntil(deadline).then(() => { order.push(name); });
    const late = sleep('late', 9000);
    const all = [sleep('3s-a', 3000), sleep('1s', 1000), sleep('3s-b', 3000), sleep('2s', 2000)];
    await c.advance(5000);
    await Promise.all(all);
    expect(order).toEqual(['1s', '2s', '3s-a', '3s-b']);
    expect(c.now()).toBe(5000);
    // The sleeper not yet due still moves the clock, once nothing else runs.
    await late;
    expect(order).toEqual(['1s', '2s', '3s-a', '3s-b', 'late']);
    expect(c.now()).toBe(9000);
  });

  it('wakes sleepers in deadline order', async () => {
    const c = clock();
    const order: number[] = [];
    await Promise.all([3, 1, 2].map((s) => c.sleepUntil(T0 + s * 1000).then(() => order.push(s))));
    expect(order).toEqual([1, 2, 3]);
  });

  it('does not let the virtual clock jump while a handler holds it with real asynchronous work', async () => {
    // The TimeoutSeconds timer is the clock's next deadline: free to move, it would jump there.
    const { held, execution } = await startHeld(clock(), single({ ...CALL, TimeoutSeconds: 1 }));
    expect(execution.status).toBe('RUNNING');
    held.settle('real');
    const r = await execution.result;
    expect([r.status, r.output]).toEqual(['SUCCEEDED', 'real']);
    expect(r.stopDate.toISOString()).toBe(at(0));
  });

  it('times a Task out on the virtual clock when its handler promise never settles and it has TimeoutSeconds', async () => {
    const c = new VirtualClock({ start: T0, holdTimeoutMs: 30 });
    const r = await run(single({ ...CALL, TimeoutSeconds: 45 }), {}, {
      clock: c, taskHandlers: { S: () => new Promise(() => undefined) },
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Timeout');
    expect(r.stopDate.toISOString()).toBe(at(45));
  });

  describe('with real time passing only when the test says', () => {
    beforeEach(fakeRealTime);
    afterEach(() => jest.useRealTimers());

    it('fails a Task whose handler promise never settles, naming the state, once holdTimeoutMs of real time has passed and not before', async () => {
      const { execution } = await startHeld(new VirtualClock({ start: T0, holdTimeoutMs: 30 }), single(CALL, {
        States: { S: { ...CALL, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true }, Caught: { Type: 'Succeed' } },
      }));
      await realTimePasses(29);
      expect(execution.status).toBe('RUNNING');
      await realTimePasses(1);
      expect(execution.status).toBe('FAILED');
      const r = await execution.result;
      expect(r.status).toBe('FAILED');
      expect(r.error).toBe('States.Runtime');
      expect(r.cause).toMatch(/handler of state 'S' returned a promise that did not settle within 30 ms of real time.*TimeoutSeconds/);
    });

    it('lets a handler that waits on its own deadline on the clock answer there, not fail at holdTimeoutMs, whichever real timer fires first', async () => {
      const c = new VirtualClock({ start: T0, holdTimeoutMs: 30 });
      let called!: () => void;
      const wasCalled = new Promise<void>((resolve) => { called = resolve; });
      // What a forwarded call does: its answer, or its own deadline 960 s later on the execution's clock.
      const handler = (): Promise<JsonValue> => {
        called();
        return c.sleepUntil(c.now() + 960_000).then(() => { throw Object.assign(new Error('no answer in 960 s'), { name: 'Lambda.ClientExecutionTimeoutException' }); });
      };
      const execution = compileStateMachine(single(CALL), { clock: c, taskHandlers: { S: handler } }).start({});
      await wasCalled;
      await turns();
      await realTimePasses(30);
      const r = await execution.result;
      expect([r.status, r.error]).toEqual(['FAILED', 'Lambda.ClientExecutionTimeoutException']);
      expect(r.stopDate.toISOString()).toBe(at(960));
    });

    it('fails a never-settling handler with States.Runtime only once the clock has no timer left to move to (a parallel branch\'s Wait)', async () => {
      const c = new VirtualClock({ start: T0, holdTimeoutMs: 30 });
      const { execution } = await startHeld(c, {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            End: true,
            Branches: [
              { StartAt: 'S', States: { S: { ...CALL, End: true } } },
              { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } },
            ],
          },
        },
      });
      await realTimePasses(30);
      // The hold let time go on to the Wait's end; the watch looks again one holdTimeoutMs later.
      expect(c.now()).toBe(T0 + 100_000);
      expect(execution.status).toBe('RUNNING');
      await realTimePasses(30);
      const r = await execution.result;
      expect([r.status, r.error]).toEqual(['FAILED', 'States.Runtime']);
      expect(r.cause).toMatch(/handler of state 'S' returned a promise that did not settle within 30 ms of real time/);
    });

    it('waits a holdTimeoutMs longer than Node\'s longest timer (2^31 - 1 ms) whole, not 1 ms', async () => {
      // 3,000,000,000 ms: a setTimeout of it fires after 1 ms, as Node (and jest's fake timers) clamp it.
      const c = new VirtualClock({ start: T0, holdTimeoutMs: 3_000_000_000 });
      const slow = await startHeld(c);
      await realTimePasses(2_147_483_647);
      expect(slow.execution.status).toBe('RUNNING');
      slow.held.settle('late');
      expect(await slow.execution.result).toMatchObject({ status: 'SUCCEEDED', output: 'late' });
      const stuck = await startHeld(c);
      await realTimePasses(2_999_999_999);
      expect(stuck.execution.status).toBe('RUNNING');
      await realTimePasses(1);
      const r = await stuck.execution.result;
      expect([r.status, r.error]).toEqual(['FAILED', 'States.Runtime']);
      expect(r.cause).toMatch(/did not settle within 3000000000 ms of real time/);
    });

    it('lets a slow handler finish just before holdTimeoutMs without moving the virtual clock', async () => {
      const { held, execution } = await startHeld(new VirtualClock({ start: T0, holdTimeoutMs: 1_000 }), single({ ...CALL, TimeoutSeconds: 5 }));
      await realTimePasses(999);
      held.settle('late');
      const r = await execution.result;
      expect([r.status, r.output]).toEqual(['SUCCEEDED', 'late']);
      expect(r.stopDate.toISOString()).toBe(at(0));
    });

    it('moves the virtual clock on to TimeoutSeconds once a hold is holdTimeoutMs of real time old, and not before', async () => {
      const { execution } = await startHeld(new VirtualClock({ start: T0, holdTimeoutMs: 1_000 }), single({ ...CALL, TimeoutSeconds: 5 }));
      await realTimePasses(999);
      expect(execution.status).toBe('RUNNING');
      await realTimePasses(1);
      expect(execution.status).toBe('FAILED');
      const r = await execution.result;
      expect([r.status, r.error]).toEqual(['FAILED', 'States.Timeout']);
      expect(r.stopDate.toISOString()).toBe(at(5));
    });
  });

  it('tells whenIdle once no hold, time jump or active timer is left, firing the timers first and never while held', async () => {
    const c = new VirtualClock({ start: T0, holdTimeoutMs: Infinity });
    const seen: string[] = [];
    void c.sleepUntil(T0 + 1000).then(() => seen.push(`woke at +${c.now() - T0}`));
    const release = c.hold();
    c.whenIdle(() => seen.push(`idle at +${c.now() - T0}`));
    await turns(20);
    expect(seen).toEqual([]);
    release();
    await turns(5);
    expect(seen).toEqual(['woke at +1000', 'idle at +1000']);
    const removed = c.whenIdle(() => seen.push('removed'));
    removed();
    await turns(5);
    expect(seen).toHaveLength(2);
  });

  it('refuses a holdTimeoutMs that is not a positive number', () => {
    expect(() => new VirtualClock({ holdTimeoutMs: NaN })).toThrow(/holdTimeoutMs must be a positive number/);
    expect(() => new VirtualClock({ holdTimeoutMs: 0 })).toThrow(/holdTimeoutMs/);
  });

  describe('on the RealClock, real time', () => {
    beforeEach(fakeRealTime);
    afterEach(() => jest.useRealTimers());

    it('sleeps until the deadline passes on the wall clock, not a millisecond before', async () => {
      let woke = false;
      void new RealClock().sleepUntil(Date.now() + 30).then(() => { woke = true; });
      await jest.advanceTimersByTimeAsync(29);
      expect(woke).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(woke).toBe(true);
    });

    it('stops listening for a cancellation once a real sleep has fired', async () => {
      const signal = countingSignal();
      const slept = new RealClock().sleepUntil(Date.now() + 30, signal);
      expect(signal.listening()).toBe(1);
      await jest.advanceTimersByTimeAsync(30);
      await slept;
      expect(signal.listening()).toBe(0);
    });

    it('runs a one-second Wait in one second of real time', async () => {
      let status: string | undefined;
      void run(single({ Type: 'Wait', Seconds: 1 }), {}, { clock: new RealClock() }).then((r) => { status = r.status; });
      await jest.advanceTimersByTimeAsync(999);
      expect(status).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      await turns();
      expect(status).toBe('SUCCEEDED');
    });
  });

  it('repeats UUIDs, MathRandom and generated names exactly for the same seed', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'u.$': 'States.UUID()', 'r.$': 'States.MathRandom(0, 1000000)', 'n.$': '$$.Execution.Name' } });
    const a = await outputOf(def, {}, { random: seededRandom(3) });
    const b = await outputOf(def, {}, { random: seededRandom(3) });
    const c = await outputOf(def, {}, { random: seededRandom(4) });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('gives the n-th execution of a machine the same random values on every run', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'u.$': 'States.UUID()' } });
    const first = compileStateMachine(def);
    const second = compileStateMachine(def);
    const a = [await first.start().result, await first.start().result].map((r) => r.output);
    const b = [await second.start().result, await second.start().result].map((r) => r.output);
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1]);
  });

  it('lets a per-execution clock and random source override the compiled ones', async () => {
    const def = single({ Type: 'Pass', Parameters: { 't.$': '$$.Execution.StartTime', 'u.$': 'States.UUID()' } });
    const r = await compileStateMachine(def, { random: seededRandom(1) })
      .start({}, { name: 'x', clock: new VirtualClock({ start: Date.UTC(2030, 0, 1) }), random: seededRandom(9) }).result;
    const ref = await compileStateMachine(def, { random: seededRandom(9) }).start({}, { name: 'x' }).result;
    expect((r.output as { t: string }).t).toBe('2030-01-01T00:00:00.000Z');
    expect((r.output as { u: string }).u).toBe((ref.output as { u: string }).u);
  });
});

describe('a long run of synchronous states and the event loop', () => {
  /** A virtual clock that asks for a pause whenever the engine offers one, and lets other work run in it. */
  class PausingClock extends VirtualClock {
    public pauses = 0;
    pause(): Promise<void> {
      this.pauses++;
      return new Promise((resolve) => setImmediate(resolve));
    }
  }

  const chain = (n: number) => {
    const States: Record<string, JsonValue> = {};
    for (let i = 0; i < n; i++) States[`S${i}`] = { Type: 'Pass', Result: i, ResultPath: '$.step', ...(i === n - 1 ? { End: true } : { Next: `S${i + 1}` }) };
    return { StartAt: 'S0', States } as never;
  };

  it('offers the clock a pause every 4 states, and other work runs in it before the run ends', async () => {
    const pausing = new PausingClock();
    const order: string[] = [];
    const execution = compileStateMachine(chain(40), { clock: pausing }).start({});
    setImmediate(() => order.push('other work'));
    const result = await execution.result;
    order.push('execution ended');
    expect(result.output).toEqual({ step: 39 });
    expect(pausing.pauses).toBe(10);
    expect(order).toEqual(['other work', 'execution ended']);
  });

  it('pauses inside a long JSONata evaluation too, when the clock asks', async () => {
    const pausing = new PausingClock();
    const order: string[] = [];
    const def = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $sum([1..2000].($ * 2)) %}', End: true } } } as never;
    const execution = compileStateMachine(def, { clock: pausing }).start({});
    setImmediate(() => order.push('other work'));
    const result = await execution.result;
    order.push('execution ended');
    expect(result.output).toBe(4_002_000);
    // One state: the engine offers no pause between states before it ends, the evaluation does.
    expect(pausing.pauses).toBeGreaterThan(0);
    expect(order).toEqual(['other work', 'execution ended']);
  });

  it('runs the same states without yielding when the clock never pauses', async () => {
    const order: string[] = [];
    const execution = compileStateMachine(chain(40), { clock: new VirtualClock() }).start({});
    setImmediate(() => order.push('other work'));
    const result = await execution.result;
    order.push('execution ended');
    expect(result.output).toEqual({ step: 39 });
    expect(order).toEqual(['execution ended']);
  });
});

describe('a time jump on the VirtualClock (advance)', () => {
  it('fires a timer due within the jump at its deadline, and what that work schedules at its own', async () => {
    const c = new VirtualClock({ start: 0 });
    const woke: Array<[string, number]> = [];
    void c.sleepUntil(60_000).then(() => {
      woke.push(['first', c.now()]);
      // Work the first timer causes: a timer of its own, due within the same jump.
      void c.sleepUntil(c.now() + 10_000).then(() => { woke.push(['caused', c.now()]); });
    });
    void c.sleepUntilPassed(3_000).then(() => { woke.push(['passive', c.now()]); });
    await c.advance(3_600_000);
    expect(woke).toEqual([['passive', 3_000], ['first', 60_000], ['caused', 70_000]]);
    expect(c.now()).toBe(3_600_000);
  });

  it('does not fire a timer the work before it cancelled', async () => {
    const c = new VirtualClock({ start: 0 });
    const later = new CancelSource();
    let fired = false;
    void c.sleepUntil(2_000).then(() => later.cancel());
    void c.sleepUntil(5_000, later).then(() => { fired = true; });
    await c.advance(10_000);
    expect(fired).toBe(false);
    expect(c.now()).toBe(10_000);
  });

  it('goes past a hold for the test, and waits between two timers for real work in flight', async () => {
    const c = new VirtualClock({ start: 0 });
    c.holdForTest();
    const woke: number[] = [];
    let finishWork!: () => void;
    void c.sleepUntil(1_000).then(() => {
      woke.push(c.now());
      const release = c.hold();
      // Real asynchronous work started at +1 s: the jump waits for it before the next timer.
      finishWork = () => { woke.push(c.now()); release(); };
    });
    void c.sleepUntil(2_000).then(() => { woke.push(c.now()); });
    const arrived = c.advance(5_000);
    await turns();
    expect(woke).toEqual([1_000]);
    finishWork();
    await arrived;
    expect(woke).toEqual([1_000, 1_000, 2_000]);
    expect(c.now()).toBe(5_000);
  });

  it('stamps every timer at its deadline, in deadline order, for random deadlines, follow-up work and jumps', async () => {
    const timer = fc.record({
      at: fc.integer({ min: 1, max: 10_000 }),
      passive: fc.boolean(),
      // Work the timer causes when it fires: another timer this far on, if any.
      then: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
    });
    await fc.assert(fc.asyncProperty(
      fc.array(timer, { minLength: 1, maxLength: 8 }),
      fc.array(fc.integer({ min: 0, max: 6_000 }), { minLength: 1, maxLength: 6 }),
      async (timers, jumps) => {
        const c = new VirtualClock({ start: 0 });
        // Held for the test: only the jumps move time.
        const release = c.holdForTest();
        const fired: Array<{ deadline: number; at: number }> = [];
        const sleep = (deadline: number, passive: boolean, then: number | undefined): void => {
          const slept = passive ? c.sleepUntilPassed(deadline) : c.sleepUntil(deadline);
          void slept.then(() => {
            fired.push({ deadline, at: c.now() });
            if (then !== undefined) sleep(c.now() + then, false, undefined);
          });
        };
        for (const t of timers) sleep(t.at, t.passive, t.then);
        let end = 0;
        for (const jump of jumps) {
          end += jump;
          await c.advance(jump);
          expect(c.now()).toBe(end);
        }
        await c.advance(20_000);
        release();
        for (const f of fired) expect(f.at).toBe(f.deadline);
        const stamps = fired.map((f) => f.at);
        expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
        expect(fired).toHaveLength(timers.length + timers.filter((t) => t.then !== undefined).length);
      },
    ), { numRuns: 200 });
  });
});
