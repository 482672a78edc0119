/*
 * What a redrive needs from the interpreter: a failed execution reports the
 * iterations (Map) or branches (Parallel) of the top-level state it failed in
 * that succeeded (ExecutionResult.completedChildren), and StartOptions.resume
 * runs that state again with those outputs in place, running only the others.
 */
import { clock, run, tick } from './helpers';
import {
  compileStateMachine, InvalidOptionError, StatesError,
  type JsonValue, type StateMachineDefinition, type TaskHandler,
} from '../../src/interpreter';

const R = 'arn:aws:states:::lambda:invoke';

/** Resolves after the promise callbacks already queued have run. */
const later = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A task handler that records its calls and fails for the inputs in `broken`. A failure comes
 * late, as from a service that times out, so the other iterations have succeeded by then
 * rather than being aborted by it.
 */
function flaky(broken: Set<JsonValue>) {
  const calls: JsonValue[] = [];
  const handler: TaskHandler = async (input) => {
    calls.push(input);
    if (!broken.has(input)) return { done: input };
    await later();
    throw new StatesError('Service.Down', `item ${JSON.stringify(input)} failed`);
  };
  return { calls, handler };
}

const mapOf = (extra: Record<string, unknown> = {}, work: Record<string, unknown> = { Type: 'Task', Resource: R, End: true }): StateMachineDefinition => ({
  StartAt: 'Fan',
  States: {
    Fan: { Type: 'Map', ItemProcessor: { StartAt: 'Work', States: { Work: work } }, Next: 'After', ...extra },
    After: { Type: 'Pass', End: true },
  },
} as unknown as StateMachineDefinition);

const parallelOf = (n: number): StateMachineDefinition => ({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel',
      Branches: Array.from({ length: n }, (_, i) => ({ StartAt: `B${i}`, States: { [`B${i}`]: { Type: 'Task', Resource: R, Parameters: { branch: i }, OutputPath: '$.done.branch', End: true } } })),
      End: true,
    },
  },
} as unknown as StateMachineDefinition);

/** A task that waits for its callback; its output is the `v` it was sent back. */
const CALLBACK = {
  Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token', 'v.$': '$' }, OutputPath: '$.v', End: true,
};

const branchOf = (input: JsonValue) => (input as { branch: number }).branch;

describe('ExecutionResult.completedChildren', () => {
  it('lists the outputs of the Map iterations that succeeded when a top-level Map fails', async () => {
    const { handler } = flaky(new Set([2]));
    const r = await run(mapOf(), [1, 2, 3, 4], { taskHandlers: { Work: handler } });
    expect(r.status).toBe('FAILED');
    expect(r.completedChildren?.state).toBe('Fan');
    expect([...r.completedChildren!.outputs]).toEqual([[0, { done: 1 }], [2, { done: 3 }], [3, { done: 4 }]]);
  });

  it('lists the outputs of the Parallel branches that succeeded when a top-level Parallel fails', async () => {
    const handler: TaskHandler = async (input) => {
      if (branchOf(input) !== 1) return { done: input };
      await later();
      throw new StatesError('Service.Down', 'branch 1');
    };
    const r = await run(parallelOf(3), {}, { taskHandlers: { B0: handler, B1: handler, B2: handler } });
    expect(r.status).toBe('FAILED');
    expect([...r.completedChildren!.outputs]).toEqual([[0, 0], [2, 2]]);
  });

  it('leaves out the iterations aborted, or never started, when another failed', async () => {
    // Item 1 fails: items 0 and 2, started with it (as AWS starts a Map's iterations together), are
    // aborted; at MaxConcurrency 1, item 0 has succeeded and item 2 never starts.
    const handler: TaskHandler = (input) => {
      if ((input as { v: number }).v === 1) throw new StatesError('Service.Down', 'item 1');
      return {};
    };
    const r = await run(mapOf({}, CALLBACK), [0, 1, 2], { taskHandlers: { Work: handler } });
    expect(r.status).toBe('FAILED');
    expect(r.history.filter((e) => e.type === 'MapIterationAborted').map((e) => e.mapIterationAbortedEventDetails)).toEqual([{ name: 'Fan', index: 0 }, { name: 'Fan', index: 2 }]);
    expect([...r.completedChildren!.outputs]).toEqual([]);
    const direct: TaskHandler = (input) => {
      if (input === 1) throw new StatesError('Service.Down', 'item 1');
      return { done: input };
    };
    const one = await run(mapOf({ MaxConcurrency: 1 }), [0, 1, 2], { taskHandlers: { Work: direct } });
    expect(one.history.filter((e) => e.type === 'MapIterationStarted')).toHaveLength(2);
    expect([...one.completedChildren!.outputs]).toEqual([[0, { done: 0 }]]);
  });

  it('leaves out the iterations whose failures were tolerated before the threshold was exceeded', async () => {
    const { handler } = flaky(new Set([1, 3]));
    const r = await run(mapOf({ ToleratedFailureCount: 1 }), [0, 1, 2, 3], { taskHandlers: { Work: handler } });
    expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
    expect([...r.completedChildren!.outputs.keys()]).toEqual([0, 2]);
  });

  it('is absent when the execution succeeds', async () => {
    const r = await run(mapOf(), [1], { taskHandlers: { Work: (x) => x } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.completedChildren).toBeUndefined();
  });

  it('is absent when the execution fails in a later state after the Map succeeded', async () => {
    const def = mapOf();
    const r = await run({ ...def, States: { ...def.States, After: { Type: 'Fail', Error: 'Later' } } } as StateMachineDefinition, [1], { taskHandlers: { Work: (x) => x } });
    expect(r.error).toBe('Later');
    expect(r.completedChildren).toBeUndefined();
  });

  it('is absent when a caught Map led to a state that failed', async () => {
    const def = {
      StartAt: 'Fan',
      States: {
        Fan: { Type: 'Map', ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: R, End: true } } }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Oops' }], End: true },
        Oops: { Type: 'Fail', Error: 'Handled' },
      },
    } as unknown as StateMachineDefinition;
    const { handler } = flaky(new Set([1]));
    const r = await run(def, [0, 1], { taskHandlers: { Work: handler } });
    expect(r.error).toBe('Handled');
    expect(r.completedChildren).toBeUndefined();
  });

  it('holds only the last attempt of a retried Map', async () => {
    let attempt = 0;
    // First attempt: item 0 succeeds, item 1 fails. Second attempt: item 0 fails, item 1 succeeds.
    const handler: TaskHandler = async (input) => {
      if (input === 0) attempt++;
      if ((attempt === 1 && input === 1) || (attempt === 2 && input === 0)) {
        await later();
        throw new StatesError('Service.Down', 'down');
      }
      return input;
    };
    const r = await run(mapOf({ Retry: [{ ErrorEquals: ['Service.Down'], MaxAttempts: 1, IntervalSeconds: 1 }] }), [0, 1], { taskHandlers: { Work: handler } });
    expect(r.status).toBe('FAILED');
    expect([...r.completedChildren!.outputs]).toEqual([[1, 1]]);
  });

  it('is present for an execution stopped while the Map runs, with the iterations done by then', async () => {
    const handler: TaskHandler = (input, req) => {
      if ((input as { v: number }).v === 0) req.execution.sendTaskSuccess(req.taskToken!, { v: 'quick' });
      return {};
    };
    const execution = compileStateMachine(mapOf({}, CALLBACK), { taskHandlers: { Work: handler } }).start([0, 1]);
    await execution.waitForTaskToken('Work');
    await tick();
    execution.stop('Operator.Stop');
    const r = await execution.result;
    expect(r.status).toBe('ABORTED');
    expect([...r.completedChildren!.outputs]).toEqual([[0, 'quick']]);
  });

  it('does not enter the equality of results: a test comparing results with toEqual is unaffected', async () => {
    const { handler } = flaky(new Set([1]));
    const r = await run(mapOf(), [0, 1], { taskHandlers: { Work: handler } });
    expect(Object.keys(r)).not.toContain('completedChildren');
  });
});

describe('StartOptions.resume', () => {
  it('runs only the Map iterations it has no output for, and assembles the result in item order', async () => {
    const broken = new Set<JsonValue>([2]);
    const { calls, handler } = flaky(broken);
    const machine = compileStateMachine(mapOf(), { taskHandlers: { Work: handler } });
    const failed = await machine.start([1, 2, 3, 4]).result;
    broken.clear();
    calls.length = 0;
    const redriven = await machine.start([1, 2, 3, 4], { startAt: 'Fan', resume: failed.completedChildren }).result;
    expect(calls).toEqual([2]);
    expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: [{ done: 1 }, { done: 2 }, { done: 3 }, { done: 4 }] });
  });

  it('runs only the Parallel branches it has no output for', async () => {
    const calls: number[] = [];
    let down = true;
    const handler: TaskHandler = async (input) => {
      calls.push(branchOf(input));
      if (!down || branchOf(input) !== 1) return { done: input };
      await later();
      throw new StatesError('Service.Down', 'branch 1');
    };
    const machine = compileStateMachine(parallelOf(3), { taskHandlers: { B0: handler, B1: handler, B2: handler } });
    const failed = await machine.start({}).result;
    down = false;
    calls.length = 0;
    const redriven = await machine.start({}, { startAt: 'Fan', resume: failed.completedChildren }).result;
    expect(calls).toEqual([1]);
    expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: [0, 1, 2] });
  });

  it('applies ResultSelector and ResultPath to the whole assembled array', async () => {
    const { handler } = flaky(new Set());
    const def = mapOf({ ItemsPath: '$.xs', ResultSelector: { 'n.$': 'States.ArrayLength($)', 'all.$': '$' }, ResultPath: '$.result' });
    const r = await run(def, { xs: [1, 2, 3] }, { taskHandlers: { Work: handler } },
      { startAt: 'Fan', resume: { state: 'Fan', outputs: new Map([[0, 'kept-0'], [2, 'kept-2']]) } });
    expect(r.output).toEqual({ xs: [1, 2, 3], result: { n: 3, all: ['kept-0', { done: 2 }, 'kept-2'] } });
  });

  it('reruns every iteration that failed, tolerated or not, when the Map exceeded its tolerated failures', async () => {
    const broken = new Set<JsonValue>([1, 3]);
    const { calls, handler } = flaky(broken);
    const machine = compileStateMachine(mapOf({ ToleratedFailureCount: 1 }), { taskHandlers: { Work: handler } });
    const failed = await machine.start([0, 1, 2, 3]).result;
    broken.clear();
    calls.length = 0;
    const redriven = await machine.start([0, 1, 2, 3], { startAt: 'Fan', resume: failed.completedChildren }).result;
    expect(calls.sort()).toEqual([1, 3]);
    expect(redriven.output).toEqual([0, 1, 2, 3].map((done) => ({ done })));
  });

  it('records MapIterationStarted only for the iterations that run again, and MapStateStarted with every item', async () => {
    const r = await run(mapOf(), ['a', 'b', 'c'], { taskHandlers: { Work: (x) => x } }, { startAt: 'Fan', resume: { state: 'Fan', outputs: new Map([[0, 'a'], [2, 'c']]) } });
    const started = r.history.filter((e) => e.type === 'MapIterationStarted').map((e) => (e.mapIterationStartedEventDetails as { index: number }).index);
    expect(started).toEqual([1]);
    expect(r.history.find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails).toEqual({ length: 3 });
  });

  it('runs the rerun iterations with MaxConcurrency, not counting the resumed ones', async () => {
    const c = clock();
    const log: string[] = [];
    const handler: TaskHandler = (input, req) => {
      const v = (input as { v: number }).v;
      log.push(`start ${v}`);
      void c.sleepUntil(c.now() + 1000).then(() => {
        log.push(`end ${v}`);
        req.execution.sendTaskSuccess(req.taskToken!, input);
      });
      return {};
    };
    const r = await run(mapOf({ MaxConcurrency: 1 }, CALLBACK), [0, 1, 2, 3], { clock: c, taskHandlers: { Work: handler } },
      { startAt: 'Fan', resume: { state: 'Fan', outputs: new Map([[0, 0], [2, 2]]) } });
    expect(log).toEqual(['start 1', 'end 1', 'start 3', 'end 3']);
    expect(r.output).toEqual([0, 1, 2, 3]);
  });

  it('keeps the resumed outputs in completedChildren when the resumed Map fails again', async () => {
    const { handler } = flaky(new Set([1, 3]));
    const r = await run(mapOf(), [0, 1, 2, 3], { taskHandlers: { Work: handler } },
      { startAt: 'Fan', resume: { state: 'Fan', outputs: new Map([[0, 'kept'], [2, 'kept']]) } });
    expect(r.status).toBe('FAILED');
    expect([...r.completedChildren!.outputs]).toEqual([[0, 'kept'], [2, 'kept']]);
  });

  it('resumes only the first attempt: a Retry after the resumed attempt runs every iteration', async () => {
    const calls: JsonValue[] = [];
    let failOnce = true;
    const handler: TaskHandler = (input) => {
      calls.push(input);
      if (failOnce && input === 1) {
        failOnce = false;
        throw new StatesError('Service.Down', 'once');
      }
      return input;
    };
    const r = await run(mapOf({ Retry: [{ ErrorEquals: ['Service.Down'], MaxAttempts: 1 }] }), [0, 1], { taskHandlers: { Work: handler } },
      { startAt: 'Fan', resume: { state: 'Fan', outputs: new Map([[0, 'kept']]) } });
    expect(calls).toEqual([1, 0, 1]);
    expect(r.output).toEqual([0, 1]);
  });

  it('runs a Map nested in a rerun iteration whole: only the top level is resumed', async () => {
    const calls: JsonValue[] = [];
    const inner = { Type: 'Map', ItemProcessor: { StartAt: 'Leaf', States: { Leaf: { Type: 'Task', Resource: R, End: true } } }, End: true };
    const r = await run(mapOf({}, inner), [[1, 2], [3, 4]], { taskHandlers: { Leaf: (x) => { calls.push(x); return x; } } },
      { startAt: 'Fan', resume: { state: 'Fan', outputs: new Map([[0, [1, 2]]]) } });
    expect(calls).toEqual([3, 4]);
    expect(r.output).toEqual([[1, 2], [3, 4]]);
  });

  it('resumes a JSONata Map as a JSONPath one', async () => {
    const calls: JsonValue[] = [];
    const def = { ...mapOf({ Items: '{% $states.input.xs %}' }), QueryLanguage: 'JSONata' } as StateMachineDefinition;
    const r = await run(def, { xs: [5, 6] }, { taskHandlers: { Work: (x) => { calls.push(x); return x; } } },
      { startAt: 'Fan', resume: { state: 'Fan', outputs: new Map([[1, 'kept']]) } });
    expect(calls).toEqual([5]);
    expect(r.output).toEqual([5, 'kept']);
  });

  it('ignores an output for an index past the items', async () => {
    const r = await run(mapOf(), [0], { taskHandlers: { Work: (x) => x } }, { startAt: 'Fan', resume: { state: 'Fan', outputs: new Map([[5, 'gone']]) } });
    expect(r.output).toEqual([0]);
  });

  it('throws InvalidOptionError naming resume.state when it is not the state the execution starts at', () => {
    const machine = compileStateMachine(mapOf());
    expect(() => machine.start([], { resume: { state: 'Fan', outputs: new Map() }, startAt: 'After' }))
      .toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'resume.state', message: expect.stringContaining("starts at 'After' (a Pass state)") }));
  });

  it('throws InvalidOptionError when resume names a state that is not a Map or Parallel', () => {
    const machine = compileStateMachine(mapOf());
    expect(() => machine.start([], { startAt: 'After', resume: { state: 'After', outputs: new Map() } })).toThrow(InvalidOptionError);
  });

  it('throws InvalidOptionError naming resume for an EXPRESS machine, which cannot be redriven', () => {
    const machine = compileStateMachine(mapOf(), { type: 'EXPRESS' });
    expect(() => machine.start([], { resume: { state: 'Fan', outputs: new Map() } }))
      .toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'resume', message: expect.stringContaining('EXPRESS execution cannot be redriven') }));
  });

  it('throws InvalidOptionError naming resume.outputs for a key that is not a child index', () => {
    const machine = compileStateMachine(mapOf());
    expect(() => machine.start([], { resume: { state: 'Fan', outputs: new Map([[-1, 'x']]) } }))
      .toThrow(expect.objectContaining({ option: 'resume.outputs', message: expect.stringContaining('the key -1') }));
    expect(() => machine.start([], { resume: { state: 'Fan', outputs: { 0: 'x' } as never } }))
      .toThrow(expect.objectContaining({ option: 'resume.outputs', message: expect.stringContaining('must be a Map') }));
  });
});
