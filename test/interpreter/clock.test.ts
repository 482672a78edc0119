import { at, clock, outputOf, run, single, T0 } from './helpers';
import { compileStateMachine, RealClock, seededRandom, VirtualClock, type JsonValue } from '../../src/interpreter';
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
    c.advance(4000);
    await Promise.resolve();
    expect(woke).toBe(false);
    c.advance(1000);
    await Promise.resolve();
    expect(woke).toBe(true);
    expect(c.now()).toBe(5000);
  });

  it('stops listening for a cancellation once a sleep has fired, so a loop of Waits leaves no listener behind', async () => {
    const c = new VirtualClock({ start: 0 });
    const signal = countingSignal();
    for (let i = 1; i <= 50; i++) {
      const slept = c.sleepUntil(i * 1000, signal);
      c.advance(1000);
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
    c.advance(6000);
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
    c.advance(5000);
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
    const held = heldHandler();
    const execution = compileStateMachine(single({ Type: 'Task', Resource: 'arn:aws:states:::x:y', TimeoutSeconds: 1 }), {
      clock: clock(), taskHandlers: { S: held.handler },
    }).start({});
    await held.called;
    // The TimeoutSeconds timer is the clock's next deadline: free to move, it would jump there.
    await turns();
    expect(execution.status).toBe('RUNNING');
    held.settle('real');
    const r = await execution.result;
    expect([r.status, r.output]).toEqual(['SUCCEEDED', 'real']);
    expect(r.stopDate.toISOString()).toBe(at(0));
  });

  it('times a Task out on the virtual clock when its handler promise never settles and it has TimeoutSeconds', async () => {
    const c = new VirtualClock({ start: T0, holdTimeoutMs: 30 });
    const r = await run(single({ Type: 'Task', Resource: 'arn:aws:states:::x:y', TimeoutSeconds: 45 }), {}, {
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
      const c = new VirtualClock({ start: T0, holdTimeoutMs: 30 });
      const held = heldHandler();
      const execution = compileStateMachine(single({ Type: 'Task', Resource: 'arn:aws:states:::x:y', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] }, {
        States: { S: { Type: 'Task', Resource: 'arn:aws:states:::x:y', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true }, Caught: { Type: 'Succeed' } },
      }), { clock: c, taskHandlers: { S: held.handler } }).start({});
      await held.called;
      await turns();
      jest.advanceTimersByTime(29);
      await turns();
      expect(execution.status).toBe('RUNNING');
      jest.advanceTimersByTime(1);
      await turns();
      expect(execution.status).toBe('FAILED');
      const r = await execution.result;
      expect(r.status).toBe('FAILED');
      expect(r.error).toBe('States.Runtime');
      expect(r.cause).toMatch(/handler of state 'S' returned a promise that did not settle within 30 ms of real time.*TimeoutSeconds/);
    });

    it('lets a slow handler finish just before holdTimeoutMs without moving the virtual clock', async () => {
      const c = new VirtualClock({ start: T0, holdTimeoutMs: 1_000 });
      const held = heldHandler();
      const execution = compileStateMachine(single({ Type: 'Task', Resource: 'arn:aws:states:::x:y', TimeoutSeconds: 5 }), {
        clock: c, taskHandlers: { S: held.handler },
      }).start({});
      await held.called;
      await turns();
      jest.advanceTimersByTime(999);
      await turns();
      held.settle('late');
      const r = await execution.result;
      expect([r.status, r.output]).toEqual(['SUCCEEDED', 'late']);
      expect(r.stopDate.toISOString()).toBe(at(0));
    });

    it('moves the virtual clock on to TimeoutSeconds once a hold is holdTimeoutMs of real time old, and not before', async () => {
      const c = new VirtualClock({ start: T0, holdTimeoutMs: 1_000 });
      const held = heldHandler();
      const execution = compileStateMachine(single({ Type: 'Task', Resource: 'arn:aws:states:::x:y', TimeoutSeconds: 5 }), {
        clock: c, taskHandlers: { S: held.handler },
      }).start({});
      await held.called;
      await turns();
      jest.advanceTimersByTime(999);
      await turns();
      expect(execution.status).toBe('RUNNING');
      jest.advanceTimersByTime(1);
      await turns();
      expect(execution.status).toBe('FAILED');
      const r = await execution.result;
      expect([r.status, r.error]).toEqual(['FAILED', 'States.Timeout']);
      expect(r.stopDate.toISOString()).toBe(at(5));
    });
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
