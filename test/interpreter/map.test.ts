import { clock, failureOf, outputOf, run, single, types } from './helpers';
import { factsOf } from '../../src/asl/history-events';
import { compileStateMachine, StatesError, VirtualClock, type HistoryEvent, type TaskHandler } from '../../src/interpreter';

const R = 'arn:aws:states:::x:y';
const processor = (state: Record<string, unknown> = { Type: 'Pass' }) => ({ StartAt: 'P', States: { P: state.Type === 'Fail' ? state : { End: true, ...state } } });

/** A task handler that records the most calls in flight at once; each call takes 1 s of virtual time. */
function inFlightCounter(c: ReturnType<typeof clock>) {
  const stats = { now: 0, max: 0 };
  const handler: TaskHandler = (input, req) => {
    stats.now++;
    stats.max = Math.max(stats.max, stats.now);
    void c.sleepUntil(c.now() + 1000).then(() => { stats.now--; req.execution.sendTaskSuccess(req.taskToken!, input); });
    return {};
  };
  return { stats, handler };
}
const slowTask = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token', 'v.$': '$' }, OutputPath: '$.v' };

describe('Map state (inline)', () => {
  it('runs the ItemProcessor once per item and outputs the results in item order', async () => {
    expect(await outputOf(single({ Type: 'Map', ItemProcessor: processor({ Type: 'Pass', Parameters: { 'x.$': 'States.MathAdd($, 1)' } }) }), [1, 2, 3]))
      .toEqual([{ x: 2 }, { x: 3 }, { x: 4 }]);
  });

  it('reads the items from ItemsPath', async () => {
    expect(await outputOf(single({ Type: 'Map', ItemsPath: '$.list', ItemProcessor: processor() }), { list: ['a'] })).toEqual(['a']);
  });

  it('fails with States.Runtime when ItemsPath is not an array, in the words AWS uses', async () => {
    const f = await failureOf(single({ Type: 'Map', ItemsPath: '$.list', ItemProcessor: processor() }), { list: 'no' });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toBe('An error occurred while executing the state \'S\' (entered at the event id #2). Reference path "$.list" must point to array.');
  });

  // Recorded on AWS through TestState (LocalStack's test_state_map_context_object, 2025-12-03).
  it.each([
    ['$$', '$'],
    ['$$.Execution.Input', '$.Execution.Input'],
  ])('names a Context Object ItemsPath %s that is not an array as AWS does, as %s', async (itemsPath, shown) => {
    const f = await failureOf(single({ Type: 'Map', ItemsPath: itemsPath, ItemProcessor: processor() }), { input: 'an object' });
    expect(f.cause).toMatch(new RegExp(`\\. Reference path "${shown.replace(/\$/g, '\\$')}" must point to array\\.$`));
  });

  it('fails when the input itself is not an array and there is no ItemsPath', async () => {
    const f = await failureOf(single({ Type: 'Map', ItemProcessor: processor() }), { not: 'a list' });
    expect(f.cause).toMatch(/Reference path "\$" must point to array\.$/);
  });

  it('builds each iteration input with ItemSelector, seeing $$.Map.Item.Index and Value', async () => {
    const out = await outputOf(single({
      Type: 'Map', ItemsPath: '$.xs', ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'k.$': '$.k' }, ItemProcessor: processor(),
    }), { xs: ['a', 'b'], k: 1 });
    expect(out).toEqual([{ i: 0, v: 'a', k: 1 }, { i: 1, v: 'b', k: 1 }]);
  });

  it('accepts the legacy Parameters and Iterator fields', async () => {
    const out = await outputOf(single({ Type: 'Map', Parameters: { 'v.$': '$$.Map.Item.Value' }, Iterator: processor() }), [7]);
    expect(out).toEqual([{ v: 7 }]);
  });

  it('runs every item at once when MaxConcurrency is 0', async () => {
    const c = clock();
    const { stats, handler } = inFlightCounter(c);
    await outputOf(single({ Type: 'Map', MaxConcurrency: 0, ItemProcessor: processor(slowTask) }), [1, 2, 3, 4, 5, 6], { clock: c, taskHandlers: { P: handler } });
    expect(stats.max).toBe(6);
  });

  it('runs at most 40 iterations at once when MaxConcurrency is 0, as AWS runs an inline Map', async () => {
    const c = clock();
    const { stats, handler } = inFlightCounter(c);
    const items = Array.from({ length: 100 }, (_, i) => i);
    const r = await run(single({ Type: 'Map', ItemProcessor: processor(slowTask) }), items, { clock: c, taskHandlers: { P: handler } });
    expect(r.output).toEqual(items);
    expect(stats.max).toBe(40);
  });

  it('caps a MaxConcurrency above 40 at 40 for an inline Map', async () => {
    const c = clock();
    const { stats, handler } = inFlightCounter(c);
    await run(single({ Type: 'Map', MaxConcurrency: 500, ItemProcessor: processor(slowTask) }), Array.from({ length: 60 }, (_, i) => i), { clock: c, taskHandlers: { P: handler } });
    expect(stats.max).toBe(40);
  });

  it('runs at most MaxConcurrency iterations at once', async () => {
    const c = clock();
    const { stats, handler } = inFlightCounter(c);
    const r = await run(single({ Type: 'Map', MaxConcurrency: 2, ItemProcessor: processor(slowTask) }), [1, 2, 3, 4, 5], { clock: c, taskHandlers: { P: handler } });
    expect(r.output).toEqual([1, 2, 3, 4, 5]);
    expect(stats.max).toBe(2);
    expect((r.stopDate.getTime() - r.startDate.getTime()) / 1000).toBe(3);
  });

  it('reads MaxConcurrency from MaxConcurrencyPath', async () => {
    const c = clock();
    const { stats, handler } = inFlightCounter(c);
    await run(single({ Type: 'Map', ItemsPath: '$.xs', MaxConcurrencyPath: '$.mc', ItemProcessor: processor(slowTask) }), { xs: [1, 2, 3, 4], mc: 3 }, { clock: c, taskHandlers: { P: handler } });
    expect(stats.max).toBe(3);
  });

  it('fails with States.Runtime when MaxConcurrencyPath is not an integer', async () => {
    const f = await failureOf(single({ Type: 'Map', ItemsPath: '$.xs', MaxConcurrencyPath: '$.mc', ItemProcessor: processor() }), { xs: [1], mc: 'x' });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain('The MaxConcurrencyPath field refers to value "x" which is not a valid integer: $.mc');
  });

  // Recorded on AWS (LocalStack's test_max_concurrency_path_negative, MaxConcurrencyPath -1): the
  // execution stalls after ExecutionStarted and never ends. Never green: it fails with States.Runtime.
  it.each([
    ['MaxConcurrencyPath', { QueryLanguage: 'JSONPath' }, { ItemsPath: '$.xs', MaxConcurrencyPath: '$.mc' }],
    ['JSONata MaxConcurrency', { QueryLanguage: 'JSONata' }, { Items: '{% $states.input.xs %}', MaxConcurrency: '{% $states.input.mc %}' }],
  ])('fails with States.Runtime when %s gives a negative number, where AWS stalls', async (_, extra, fields) => {
    const def = single({ Type: 'Map', ...fields, ItemProcessor: processor() }, extra);
    const f = await failureOf(def, { xs: [1], mc: -1 });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain('MaxConcurrency cannot be negative, got -1');
    // 0 (no limit) runs, as AWS records.
    expect((await run(def, { xs: [1], mc: 0 })).status).toBe('SUCCEEDED');
  });

  it("fails with the failing iteration's error when no failure is tolerated", async () => {
    expect(await failureOf(single({ Type: 'Map', ItemProcessor: processor({ Type: 'Fail', Error: 'It.Failed', Cause: 'c' }) }), [1]))
      .toEqual({ error: 'It.Failed', cause: 'c' });
  });

  it('stops waiting iterations when one fails', async () => {
    const r = await run(single({
      Type: 'Map', ItemProcessor: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 1, Next: 'F' }], Default: 'W' }, F: { Type: 'Fail', Error: 'E' }, W: { Type: 'Wait', Seconds: 100, Next: 'After' }, After: { Type: 'Pass', End: true } } },
    }), [0, 1], { clock: clock() });
    expect(r.error).toBe('E');
    expect(r.path).not.toContain('After');
  });

  const failOdd = processor({ Type: 'Task', Resource: R });
  const oddFails: TaskHandler = (n) => { if ((n as number) % 2) throw new StatesError('Odd', `item ${String(n)}`); return n; };

  it('tolerates up to ToleratedFailureCount failures and puts their error output in the results', async () => {
    const out = await outputOf(single({ Type: 'Map', ToleratedFailureCount: 2, ItemProcessor: failOdd }), [0, 1, 2, 3], { taskHandlers: { P: oddFails } });
    expect(out).toEqual([0, { Error: 'Odd', Cause: 'item 1' }, 2, { Error: 'Odd', Cause: 'item 3' }]);
  });

  it('fails with States.ExceedToleratedFailureThreshold past ToleratedFailureCount', async () => {
    expect(await failureOf(single({ Type: 'Map', ToleratedFailureCount: 1, ItemProcessor: failOdd }), [1, 3], { taskHandlers: { P: oddFails } }))
      .toEqual({ error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' });
  });

  it('tolerates failures up to ToleratedFailurePercentage of the items', async () => {
    const def = (pct: number) => single({ Type: 'Map', ToleratedFailurePercentage: pct, ItemProcessor: failOdd });
    expect((await run(def(50), [0, 1, 2, 3], { taskHandlers: { P: oddFails } })).status).toBe('SUCCEEDED');
    expect((await run(def(49), [0, 1, 2, 3], { taskHandlers: { P: oddFails } })).error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('reads the tolerated count and percentage from their Path fields', async () => {
    const countDef = single({ Type: 'Map', ItemsPath: '$.xs', ToleratedFailureCountPath: '$.n', ItemProcessor: failOdd });
    expect((await run(countDef, { xs: [1, 3], n: 2 }, { taskHandlers: { P: oddFails } })).status).toBe('SUCCEEDED');
    expect((await run(countDef, { xs: [1, 3], n: 1 }, { taskHandlers: { P: oddFails } })).error).toBe('States.ExceedToleratedFailureThreshold');
    const pctDef = single({ Type: 'Map', ItemsPath: '$.xs', ToleratedFailurePercentagePath: '$.p', ItemProcessor: failOdd });
    expect((await run(pctDef, { xs: [0, 1], p: 50 }, { taskHandlers: { P: oddFails } })).status).toBe('SUCCEEDED');
  });

  it('fails with States.Runtime when ToleratedFailurePercentage is over 100', async () => {
    const f = await failureOf(single({ Type: 'Map', ItemsPath: '$.xs', ToleratedFailurePercentagePath: '$.p', ItemProcessor: processor() }), { xs: [1], p: 101 });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain('ToleratedFailurePercentage must be between 0 and 100.');
  });

  it('groups items into batches with ItemBatcher, adding BatchInput', async () => {
    const out = await outputOf(single({
      Type: 'Map',
      ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'k.$': '$.k' } },
      ItemsPath: '$.xs',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    }), { xs: [1, 2, 3], k: 'v' });
    expect(out).toEqual([{ BatchInput: { k: 'v' }, Items: [1, 2] }, { BatchInput: { k: 'v' }, Items: [3] }]);
  });

  // Recorded (../shared/conformance scenarios/*map_state*, MaxConcurrency 1): one iteration after
  // the other, each MapIterationStarted following the last event of the iteration before.
  it('records MapStateStarted with the item count and, one at a time (MaxConcurrency 1), one MapIteration event pair per item', async () => {
    const r = await run(single({ Type: 'Map', MaxConcurrency: 1, ItemProcessor: processor() }), ['a', 'b']);
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted',
      'MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded',
      'MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded',
      'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
    expect(r.history[2].mapStateStartedEventDetails).toEqual({ length: 2 });
    expect(r.history[3].mapIterationStartedEventDetails).toEqual({ name: 'S', index: 0 });
    expect(r.history[7].previousEventId).toBe(r.history[5].id);
  });

  // Recorded (LocalStack's timeouts/test_service_lambda_map_timeout, four items at MaxConcurrency 0):
  // the MapIterationStarted of every iteration the Map may run at once come first, each following
  // MapStateStarted; then each iteration runs, in index order.
  it('starts the iterations it may run at once together: their MapIterationStarted first, each following MapStateStarted', async () => {
    const r = await run(single({ Type: 'Map', ItemProcessor: processor() }), ['a', 'b']);
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted',
      'MapIterationStarted', 'MapIterationStarted',
      'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded',
      'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded',
      'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
    expect([r.history[3].previousEventId, r.history[4].previousEventId]).toEqual([3, 3]);
    // Each iteration's first state follows its own MapIterationStarted.
    expect([r.history[5].previousEventId, r.history[8].previousEventId]).toEqual([4, 5]);
  });

  it('starts no iteration after one has failed the Map; those it had started are aborted (recorded: test_map_state_break_condition_legacy, test_service_lambda_map_timeout)', async () => {
    const machine = {
      StartAt: 'P',
      States: {
        P: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 3, Next: 'Break' }], Default: 'Done' },
        Break: { Type: 'Fail', Error: 'SomeFailure' },
        Done: { Type: 'Pass', End: true },
      },
    };
    const indices = (r: Awaited<ReturnType<typeof run>>, type: string) =>
      r.history.filter((e) => e.type === type).map((e) => factsOf(e).index);
    const one = await run(single({ Type: 'Map', MaxConcurrency: 1, ItemProcessor: machine }), [1, 2, 3, 4, 5]);
    expect({ started: indices(one, 'MapIterationStarted'), aborted: indices(one, 'MapIterationAborted'), error: one.error })
      .toEqual({ started: [0, 1, 2], aborted: [], error: 'SomeFailure' });
    const all = await run(single({ Type: 'Map', MaxConcurrency: 3, ItemProcessor: machine }), [1, 2, 3, 4, 5]);
    expect({ started: indices(all, 'MapIterationStarted'), aborted: indices(all, 'MapIterationAborted'), error: all.error })
      .toEqual({ started: [0, 1, 2], aborted: [], error: 'SomeFailure' });
    const five = await run(single({ Type: 'Map', ItemProcessor: machine }), [1, 2, 3, 4, 5]);
    expect({ started: indices(five, 'MapIterationStarted'), aborted: indices(five, 'MapIterationAborted'), error: five.error })
      .toEqual({ started: [0, 1, 2, 3, 4], aborted: [3, 4], error: 'SomeFailure' });
  });

  // No recording shows a Map running iterations at once whose iteration fails before another waits
  // (docs/fidelity.md, "Parallel branches and Map iterations"): this pins what the interpreter does there.
  it('aborts the iterations started together with one that fails at once before they enter a state or call a Task (not recorded on AWS: docs/fidelity.md)', async () => {
    const calls: unknown[] = [];
    const machine = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 0, Next: 'X' }], Default: 'T' },
        X: { Type: 'Fail', Error: 'Boom' },
        T: { Type: 'Task', Resource: R, End: true },
      },
    };
    const r = await run(single({ Type: 'Map', ItemProcessor: machine }), [0, 1, 2], { taskHandlers: { T: (input) => { calls.push(input); return 1; } } });
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'MapIterationStarted', 'MapIterationStarted',
      'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'MapIterationFailed', 'MapIterationAborted', 'MapIterationAborted',
      'MapStateFailed', 'ExecutionFailed',
    ]);
    expect({ calls, error: r.error }).toEqual({ calls: [], error: 'Boom' });
  });

  it('records nothing more of an iteration aborted while its Task was answered: no TaskStateExited after the abort or the ExecutionFailed', async () => {
    // An execution's history ends with its closing event (https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html),
    // and an aborted state is not exited. Iteration 1's answer comes in the same turn as iteration 0's
    // failure, and its JSONata Output is evaluated after the Map has failed.
    const task = { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Arguments: { TableName: 't', Item: {} }, Output: "{% $merge([$states.input, {'r': $states.result}]) %}", End: true };
    let calls = 0;
    const handler: TaskHandler = () => (calls++ === 0 ? Promise.reject(new StatesError('DynamoDB.ConditionalCheckFailedException', 'taken')) : Promise.resolve({}));
    const r = await run({ QueryLanguage: 'JSONata', StartAt: 'M', States: { M: { Type: 'Map', Items: '{% $states.input.items %}', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Put', States: { Put: task } }, End: true } } } as never,
      { items: [{ a: 1 }, { a: 2 }] }, { defaultTaskHandler: handler });
    await new Promise((resolve) => setImmediate(resolve));
    const events = types(r.history);
    expect(events.slice(-6)).toEqual(['MapIterationFailed', 'TaskStateAborted', 'MapIterationAborted', 'TaskStateAborted', 'MapStateFailed', 'ExecutionFailed']);
    expect(events).not.toContain('TaskStateExited');
  });

  it('starts nothing of a Map stopped while its JSONata Items are evaluated: no MapStateStarted or MapIterationStarted after its abort', async () => {
    // A failing branch stops the Parallel's others (https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html);
    // a stopped Map was recorded as aborted, and a history ends with its closing event.
    const each = { Type: 'Map', Items: '{% $states.input.items %}', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true };
    const r = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Both',
      States: { Both: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'No', States: { No: { Type: 'Fail', Error: 'Rejected' } } }, { StartAt: 'Each', States: { Each: each } }] } },
    } as never, { items: [1, 2] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(types(r.history)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'FailStateEntered', 'MapStateEntered', 'MapStateAborted', 'ParallelStateFailed', 'ExecutionFailed']);
  });

  it('records a concurrent Map whose Tasks time out as AWS did: each iteration\'s entry and scheduling, then the starts, the timeouts, and the first failure aborting the rest', async () => {
    // Recorded (LocalStack's timeouts/test_service_lambda_map_timeout, four lambda:invoke with
    // TimeoutSeconds 5 that take 60 s, MaxConcurrency 0). The order of the four TaskTimedOut
    // (and so the previousEventId of each) was a race on AWS; everything else is as recorded.
    // The calls never answer, as a 60 s function does not within 5 s: the clock lets go of them.
    const c = new VirtualClock({ holdTimeoutMs: 50 });
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 5, Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, End: true };
    const item = { FunctionName: 'f', Payload: null };
    const r = await run({ StartAt: 'MapWait', States: { MapWait: { Type: 'Map', ItemsPath: '$.Inputs', Iterator: { StartAt: 'LambdaInvoke', States: { LambdaInvoke: task } }, End: true } } },
      { Inputs: [item, item, item, item] }, { clock: c, defaultTaskHandler: () => new Promise(() => undefined) });
    const events = r.history.map((e) => [e.id, e.previousEventId, e.type]);
    expect(events).toEqual([
      [1, 0, 'ExecutionStarted'], [2, 0, 'MapStateEntered'], [3, 2, 'MapStateStarted'],
      [4, 3, 'MapIterationStarted'], [5, 3, 'MapIterationStarted'], [6, 3, 'MapIterationStarted'], [7, 3, 'MapIterationStarted'],
      [8, 4, 'TaskStateEntered'], [9, 8, 'TaskScheduled'], [10, 5, 'TaskStateEntered'], [11, 10, 'TaskScheduled'],
      [12, 6, 'TaskStateEntered'], [13, 12, 'TaskScheduled'], [14, 7, 'TaskStateEntered'], [15, 14, 'TaskScheduled'],
      [16, 9, 'TaskStarted'], [17, 11, 'TaskStarted'], [18, 13, 'TaskStarted'], [19, 15, 'TaskStarted'],
      [20, 16, 'TaskTimedOut'], [21, 17, 'TaskTimedOut'], [22, 18, 'TaskTimedOut'], [23, 19, 'TaskTimedOut'],
      [24, 20, 'MapIterationFailed'], [25, 20, 'TaskStateAborted'],
      [26, 20, 'MapIterationAborted'], [27, 20, 'TaskStateAborted'],
      [28, 20, 'MapIterationAborted'], [29, 20, 'TaskStateAborted'],
      [30, 20, 'MapIterationAborted'], [31, 20, 'TaskStateAborted'],
      [32, 20, 'MapStateFailed'], [33, 32, 'ExecutionFailed'],
    ]);
    expect(r.history.filter((e) => e.type === 'MapIterationAborted').map((e) => (e.mapIterationAbortedEventDetails as { index: number }).index)).toEqual([1, 2, 3]);
    expect(r.history[32].executionFailedEventDetails).toEqual({ error: 'States.Timeout' });
  });
});

describe('Map state (distributed)', () => {
  const distributed = (extra: Record<string, unknown>, state: Record<string, unknown> = { Type: 'Pass' }) => single({
    Type: 'Map',
    ...extra,
    ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...processor(state) },
  });

  it('runs child executions whose events stay out of the parent history', async () => {
    const r = await run(distributed({}), [1, 2]);
    expect(r.output).toEqual([1, 2]);
    expect(types(r.history)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
  });

  it('records its child executions in the parent history as iterations with StartOptions.inlineChildEvents, and runs the same', async () => {
    const def = distributed({}, { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:F' });
    const handler: TaskHandler = (input) => ({ got: input });
    const plain = await run(def, [1, 2], { defaultTaskHandler: handler });
    const inline = await run(def, [1, 2], { defaultTaskHandler: handler }, { inlineChildEvents: true });
    const ending = (r: typeof plain) => ({ status: r.status, output: r.output, path: r.path });
    expect(ending(inline)).toEqual(ending(plain));
    const shown = inline.history.map((e) => `${e.id}<${e.previousEventId} ${e.type}`);
    expect(shown).toEqual([
      '1<0 ExecutionStarted', '2<0 MapStateEntered', '3<2 MapStateStarted', '4<3 MapRunStarted',
      '5<4 MapIterationStarted', '6<4 MapIterationStarted', '7<5 TaskStateEntered', '8<7 LambdaFunctionScheduled',
      '9<6 TaskStateEntered', '10<9 LambdaFunctionScheduled', '11<8 LambdaFunctionStarted', '12<11 LambdaFunctionSucceeded',
      '13<10 LambdaFunctionStarted', '14<13 LambdaFunctionSucceeded', '15<12 TaskStateExited', '16<14 TaskStateExited',
      '17<15 MapIterationSucceeded', '18<16 MapIterationSucceeded', '19<4 MapRunSucceeded', '20<19 MapStateSucceeded',
      '21<19 MapStateExited', '22<21 ExecutionSucceeded',
    ]);
    const indexOf = (e: HistoryEvent): number | undefined => factsOf(e).index;
    expect(inline.history.filter((e) => e.type.startsWith('MapIteration')).map(indexOf)).toEqual([0, 1, 0, 1]);
    // Each child's first state follows its MapIterationStarted, as an inline Map's iteration does.
    const byId = new Map(inline.history.map((e) => [e.id, e]));
    for (const e of inline.history.filter((x) => x.type === 'TaskStateEntered')) expect(byId.get(e.previousEventId)?.type).toBe('MapIterationStarted');
  });

  it('keeps each child execution\'s own history limit with StartOptions.inlineChildEvents: the run ends as it does without', async () => {
    // Each child runs a loop of 40 Pass states (about 80 events): under a limit of 100 per history each child passes,
    // though the parent's history, holding both, grows past 100.
    const loop = {
      Type: 'Map',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Count',
        States: {
          'Count': { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Again?' },
          'Again?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 20, Next: 'Count' }], Default: 'Done' },
          'Done': { Type: 'Succeed' },
        },
      },
    };
    const options = { limits: { maxHistoryEvents: 100 } };
    const plain = await run(single(loop), [{ n: 0 }, { n: 0 }], options);
    const inline = await run(single(loop), [{ n: 0 }, { n: 0 }], options, { inlineChildEvents: true });
    expect(plain.status).toBe('SUCCEEDED');
    const ending = (r: typeof plain) => ({ status: r.status, output: r.output, path: r.path });
    expect(ending(inline)).toEqual(ending(plain));
    expect(inline.history.length).toBeGreaterThan(100);
  });

  // A regression the fuzzer found: the callback map made on first use was the child's own, so the
  // execution handle did not know tokens issued inside a DISTRIBUTED Map.
  it('completes a callback task inside a child execution through the execution the user started', async () => {
    const answer: TaskHandler = (input, req) => {
      req.execution.sendTaskSuccess(req.taskToken!, input);
      return {};
    };
    const r = await run(distributed({}, slowTask), [1, 2], { defaultTaskHandler: answer });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual([1, 2]);
  });

  it('hands out a token issued inside a child execution to waitForTaskToken, and takes its answer', async () => {
    const machine = compileStateMachine(distributed({}, slowTask), { defaultTaskHandler: () => ({}) });
    const execution = machine.start([7]);
    const token = await execution.waitForTaskToken('P');
    execution.sendTaskSuccess(token, { v: 7 });
    expect((await execution.result).output).toEqual([7]);
  });

  it('counts the states its child executions enter towards limits.maxTransitions, so child loops inside a looping Map end', async () => {
    let calls = 0;
    const looping = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Work',
            States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:F', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Work' }], End: true } },
          },
          // A failed child execution then fails the Map with ExceedToleratedFailureThreshold, which its Catch catches.
          ToleratedFailureCount: 0,
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'M' }],
          End: true,
        },
      },
    };
    const r = await run(looping, [1, 2, 3], { limits: { maxTransitions: 100 }, defaultTaskHandler: () => { calls++; throw new StatesError('Boom', 'always'); } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain('limits.maxTransitions');
    expect(calls).toBeLessThanOrEqual(100);
  });

  it('chains MapRunFailed to MapRunStarted, however many events the child executions recorded', async () => {
    const failing: TaskHandler = (input) => {
      if ((input as number) % 2 === 0) throw new StatesError('Boom', 'even');
      return input;
    };
    const r = await run(distributed({ ToleratedFailureCount: 1 }, { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:F' }), [1, 2, 3, 4, 5], { defaultTaskHandler: failing });
    expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
    // As recorded on AWS (conformance scenarios/test_map_item_reader_*: MapRunFailed 5 <- 4, MapStateFailed 6 <- 5).
    expect(r.history.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'], [2, 0, 'MapStateEntered'], [3, 2, 'MapStateStarted'], [4, 3, 'MapRunStarted'],
      [5, 4, 'MapRunFailed'], [6, 5, 'MapStateFailed'], [7, 6, 'ExecutionFailed'],
    ]);
  });

  it('reads JSON items through the ItemReader resource handler', async () => {
    const seen: unknown[] = [];
    const out = await outputOf(distributed({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Bucket': 'b', 'Key.$': '$.key' } },
    }), { key: 'k.json' }, { taskHandlers: { 'arn:aws:states:::s3:getObject': (input) => { seen.push(input); return { Body: '[{"a":1},{"a":2}]' }; } } });
    expect(seen).toEqual([{ Bucket: 'b', Key: 'k.json' }]);
    expect(out).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reads JSON Lines items', async () => {
    const out = await outputOf(distributed({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'b', Key: 'k' } } }), {}, {
      taskHandlers: { S: () => '{"a":1}\n{"a":2}\n' },
    });
    expect(out).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reads CSV items keyed by the header row, honouring MaxItems', async () => {
    const out = await outputOf(distributed({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', MaxItems: 2 }, Parameters: { Bucket: 'b', Key: 'k' } },
    }), {}, { taskHandlers: { S: () => 'id,name\n1,"a, b"\n2,c\n3,d\n' } });
    expect(out).toEqual([{ id: '1', name: 'a, b' }, { id: '2', name: 'c' }]);
  });

  it('reads CSV items with given headers', async () => {
    const out = await outputOf(distributed({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['x', 'y'] }, Parameters: { Bucket: 'b', Key: 'k' } },
    }), {}, { taskHandlers: { S: () => '1,2\n' } });
    expect(out).toEqual([{ x: '1', y: '2' }]);
  });

  it('lists objects as items with an S3 listObjectsV2 reader', async () => {
    const out = await outputOf(distributed({ ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b' } } }), {}, {
      taskHandlers: { S: () => ({ Contents: [{ Key: 'a' }, { Key: 'b' }] }) },
    });
    expect(out).toEqual([{ Key: 'a' }, { Key: 'b' }]);
  });

  it('fails with States.ItemReaderFailed when the object is not a JSON array', async () => {
    const f = await failureOf(distributed({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', Key: 'k' } } }), {}, {
      taskHandlers: { S: () => '{"not":"array"}' },
    });
    expect(f).toEqual({ error: 'States.ItemReaderFailed', cause: 'Attempting to map over non-iterable node.' });
  });

  it('fails with States.ItemReaderFailed when the reader handler fails', async () => {
    const f = await failureOf(distributed({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } } }), {}, {
      taskHandlers: { S: () => { throw new StatesError('S3.NoSuchKey', 'missing'); } },
    });
    expect(f).toEqual({ error: 'States.ItemReaderFailed', cause: 'missing' });
  });

  it('hands the results to the ResultWriter handler and outputs its answer', async () => {
    const written: unknown[] = [];
    const out = await outputOf(distributed({
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'p' } },
    }), [1, 2], { taskHandlers: { 'arn:aws:states:::s3:putObject': (input) => { written.push(input); return { done: true }; } } });
    expect(written).toEqual([{ Bucket: 'out', Prefix: 'p', Results: [1, 2] }]);
    expect(out).toEqual({ done: true });
  });

  it('outputs the Map Run ARN and a manifest key under a folder named after the Map Run, as AWS does, when the ResultWriter answers nothing', async () => {
    const out = await outputOf(distributed({
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'jobs' } },
    }), [1, 2], { taskHandlers: { 'arn:aws:states:::s3:putObject': () => ({}) } }) as { MapRunArn: string; ResultWriterDetails: unknown };
    const mapRunId = /^arn:aws:states:[^:]+:\d+:mapRun:[^/]+\/[^:]+:([0-9a-f-]{36})$/.exec(out.MapRunArn)?.[1];
    expect(mapRunId).toBeDefined();
    expect(out.ResultWriterDetails).toEqual({ Bucket: 'out', Key: `jobs/${mapRunId}/manifest.json` });
  });
});
