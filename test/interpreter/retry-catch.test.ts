import { clock, failureOf, outputOf, run, secondsOf, single } from './helpers';
import { StatesError, seededRandom, type TaskHandler } from '../../src/interpreter';

const R = 'arn:aws:states:::x:y';

/** A handler that fails with `error` for the first `failures` calls, then answers 'ok'; records call times. */
function flaky(failures: number, error = 'Oops', times?: number[], c?: { now(): number }): TaskHandler {
  let n = 0;
  return () => {
    times?.push(c ? c.now() : 0);
    if (n++ < failures) throw new StatesError(error, `attempt ${n}`);
    return 'ok';
  };
}

describe('Retry', () => {
  it('retries after IntervalSeconds, growing by BackoffRate, on the virtual clock', async () => {
    const c = clock();
    const times: number[] = [];
    const r = await run(single({ Type: 'Task', Resource: R, Retry: [{ ErrorEquals: ['Oops'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }] }), {}, {
      clock: c, taskHandlers: { S: flaky(3, 'Oops', times, c) },
    });
    expect(r.output).toBe('ok');
    expect(times.map((t) => (t - times[0]) / 1000)).toEqual([0, 2, 8, 26]);
  });

  it('uses AWS defaults: 1 s interval, backoff 2, 3 attempts', async () => {
    const c = clock();
    const times: number[] = [];
    const r = await run(single({ Type: 'Task', Resource: R, Retry: [{ ErrorEquals: ['States.ALL'] }] }), {}, { clock: c, taskHandlers: { S: flaky(4, 'Oops', times, c) } });
    expect(r.status).toBe('FAILED');
    expect(times.map((t) => (t - times[0]) / 1000)).toEqual([0, 1, 3, 7]);
  });

  it('never retries when MaxAttempts is 0', async () => {
    const times: number[] = [];
    const f = await failureOf(single({ Type: 'Task', Resource: R, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }] }), {}, { taskHandlers: { S: flaky(1, 'Oops', times) } });
    expect(f.error).toBe('Oops');
    expect(times).toHaveLength(1);
  });

  it('caps each delay at MaxDelaySeconds', async () => {
    const c = clock();
    const times: number[] = [];
    await run(single({ Type: 'Task', Resource: R, Retry: [{ ErrorEquals: ['Oops'], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 3, MaxDelaySeconds: 50 }] }), {}, {
      clock: c, taskHandlers: { S: flaky(3, 'Oops', times, c) },
    });
    expect(times.map((t) => (t - times[0]) / 1000)).toEqual([0, 10, 60, 110]);
  });

  it('draws each delay uniformly below the backoff with JitterStrategy FULL, repeatably for a seed', async () => {
    const delays = async (seed: number) => {
      const c = clock();
      const times: number[] = [];
      await run(single({ Type: 'Task', Resource: R, Retry: [{ ErrorEquals: ['Oops'], IntervalSeconds: 100, MaxAttempts: 3, JitterStrategy: 'FULL' }] }), {}, {
        clock: c, random: seededRandom(seed), taskHandlers: { S: flaky(3, 'Oops', times, c) },
      });
      return times.slice(1).map((t, i) => (t - times[i]) / 1000);
    };
    const first = await delays(7);
    expect(await delays(7)).toEqual(first);
    expect(await delays(8)).not.toEqual(first);
    [100, 200, 400].forEach((max, i) => {
      expect(first[i]).toBeGreaterThanOrEqual(0);
      expect(first[i]).toBeLessThan(max);
    });
    expect(first).not.toEqual([100, 200, 400]);
  });

  it('counts attempts per retrier and uses the first retrier whose ErrorEquals matches', async () => {
    const c = clock();
    const times: number[] = [];
    const r = await run(single({
      Type: 'Task',
      Resource: R,
      Retry: [{ ErrorEquals: ['Other'], IntervalSeconds: 100 }, { ErrorEquals: ['Oops'], IntervalSeconds: 5, MaxAttempts: 1 }],
    }), {}, { clock: c, taskHandlers: { S: flaky(2, 'Oops', times, c) } });
    expect(r.status).toBe('FAILED');
    expect(times.map((t) => (t - times[0]) / 1000)).toEqual([0, 5]);
  });

  it('shows the retry number in $$.State.RetryCount', async () => {
    let n = 0;
    const out = await outputOf(single({
      Type: 'Task', Resource: R, Parameters: { 'rc.$': '$$.State.RetryCount' }, Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }],
    }), {}, { taskHandlers: { S: (input) => { if (n++ < 2) throw new Error('x'); return input; } } });
    expect(out).toEqual({ rc: 2 });
  });

  it('retries a failed Parallel state as a whole', async () => {
    let n = 0;
    const out = await outputOf(single({
      Type: 'Parallel',
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1 }],
      Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: R, End: true } } }],
    }), {}, { taskHandlers: { T: () => { if (n++ === 0) throw new StatesError('Boom'); return n; } } });
    expect(out).toEqual([2]);
  });
});

describe('Catch', () => {
  const catching = (catcher: Record<string, unknown>, state: Record<string, unknown> = {}) => ({
    StartAt: 'S',
    States: {
      S: { Type: 'Task', Resource: R, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H', ...catcher }], End: true, ...state },
      H: { Type: 'Pass', End: true },
    },
  });
  const boom: TaskHandler = () => { throw new StatesError('Boom', 'it broke'); };

  it('moves to the catcher with the error output {Error, Cause} by default', async () => {
    expect(await outputOf(catching({}), { a: 1 }, { taskHandlers: { S: boom } })).toEqual({ Error: 'Boom', Cause: 'it broke' });
  });

  it("places the error output at the catcher's ResultPath inside the state's raw input", async () => {
    const out = await outputOf(catching({ ResultPath: '$.err' }, { InputPath: '$.in', Parameters: { x: 1 } }), { in: { v: 1 }, keep: true }, { taskHandlers: { S: boom } });
    expect(out).toEqual({ in: { v: 1 }, keep: true, err: { Error: 'Boom', Cause: 'it broke' } });
  });

  it("does not apply the state's OutputPath on the catch path", async () => {
    const out = await outputOf(catching({ ResultPath: '$.err' }, { OutputPath: '$.onlyOnSuccess' }), { a: 1 }, { taskHandlers: { S: boom } });
    expect(out).toEqual({ a: 1, err: { Error: 'Boom', Cause: 'it broke' } });
  });

  it('keeps the raw input when the catcher ResultPath is null', async () => {
    expect(await outputOf(catching({ ResultPath: null }), { a: 1 }, { taskHandlers: { S: boom } })).toEqual({ a: 1 });
  });

  it('leaves Cause out of the error output when the error has none', async () => {
    expect(await outputOf(catching({}), {}, { taskHandlers: { S: () => { throw new StatesError('Bare'); } } })).toEqual({ Error: 'Bare' });
  });

  it('catches only after the retriers are exhausted', async () => {
    let calls = 0;
    const out = await outputOf(catching({}, { Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 2, IntervalSeconds: 1 }] }), {}, {
      taskHandlers: { S: () => { calls++; throw new StatesError('Boom', 'c'); } },
    });
    expect(calls).toBe(3);
    expect(out).toEqual({ Error: 'Boom', Cause: 'c' });
  });

  it('uses the first catcher whose ErrorEquals matches', async () => {
    const def = {
      StartAt: 'S',
      States: {
        S: { Type: 'Task', Resource: R, Catch: [{ ErrorEquals: ['Other'], Next: 'A' }, { ErrorEquals: ['Boom'], Next: 'B' }, { ErrorEquals: ['States.ALL'], Next: 'A' }], End: true },
        A: { Type: 'Pass', Result: 'A', End: true },
        B: { Type: 'Pass', Result: 'B', End: true },
      },
    };
    expect(await outputOf(def, {}, { taskHandlers: { S: boom } })).toBe('B');
  });

  it('does not let States.ALL catch States.Runtime', async () => {
    const f = await failureOf(catching({}, { InputPath: '$.missing' }), {}, { taskHandlers: { S: () => 1 } });
    expect(f.error).toBe('States.Runtime');
  });

  it('does not catch States.Runtime even where a catcher names it, as AWS recorded', async () => {
    const f = await failureOf(catching({ ErrorEquals: ['States.Runtime'] }, { OutputPath: '$.no.such.path' }), {}, { taskHandlers: { S: () => ({}) } });
    expect(f.error).toBe('States.Runtime');
  });

  it('does not retry States.Runtime even where a retrier names it', async () => {
    let calls = 0;
    // The task answers, then its OutputPath names nothing: a retry would call the task again.
    const def = catching({}, { OutputPath: '$.missing', Retry: [{ ErrorEquals: ['States.Runtime'], MaxAttempts: 3 }] });
    const f = await failureOf(def, {}, { clock: clock(), taskHandlers: { S: () => { calls++; return {}; } } });
    expect(f.error).toBe('States.Runtime');
    expect(calls).toBe(1);
  });

  it('matches every error but States.Timeout with States.TaskFailed', async () => {
    expect(await outputOf(catching({ ErrorEquals: ['States.TaskFailed'] }), {}, { taskHandlers: { S: boom } })).toMatchObject({ Error: 'Boom' });
    const f = await failureOf(catching({ ErrorEquals: ['States.TaskFailed'] }, {
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token' }, TimeoutSeconds: 1,
    }), {}, { clock: clock(), taskHandlers: { S: () => ({}) } });
    expect(f.error).toBe('States.Timeout');
  });

  it('records the catch path in the history: TaskFailed, then TaskStateExited, then the handler', async () => {
    const r = await run(catching({}), {}, { taskHandlers: { S: boom } });
    expect(r.history.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskFailed', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    expect(r.path).toEqual(['S', 'H']);
  });

  it('fails with States.ResultPathMatchFailure when the catcher ResultPath cannot be placed', async () => {
    const f = await failureOf(catching({ ResultPath: '$.a.b' }), { a: 'text' }, { taskHandlers: { S: boom } });
    expect(f.error).toBe('States.ResultPathMatchFailure');
  });

  it('retry delays show in the history timestamps', async () => {
    const r = await run(single({ Type: 'Task', Resource: R, Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 30, MaxAttempts: 1 }] }), {}, {
      clock: clock(), taskHandlers: { S: boom },
    });
    const scheduled = r.history.filter((e) => e.type === 'TaskScheduled').map(secondsOf);
    expect(scheduled).toEqual([0, 30]);
  });
});
