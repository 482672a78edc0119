import { failureOf, outputOf, run, single } from './helpers';
import { StatesError } from '../../src/interpreter';

const big = (bytes: number) => 'x'.repeat(bytes);
/** Loops until the input has `stop`, which it never gets. */
const endless = {
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Next: 'B' },
    B: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'A' },
    Done: { Type: 'Succeed' },
  },
};

describe('Limits', () => {
  it('fails with States.DataLimitExceeded when the execution input is over 262,144 bytes', async () => {
    const f = await failureOf(single({ Type: 'Pass' }), big(262_144));
    expect(f).toEqual({ error: 'States.DataLimitExceeded', cause: 'The execution input exceeds the maximum of 262144 bytes.' });
  });

  it('accepts an input of exactly 262,144 bytes', async () => {
    expect(await outputOf(single({ Type: 'Pass', Result: 1 }), big(262_142))).toBe(1);
  });

  it('counts UTF-8 bytes, not characters', async () => {
    const f = await failureOf(single({ Type: 'Pass' }), 'é'.repeat(131_072));
    expect(f.error).toBe('States.DataLimitExceeded');
  });

  it('fails with States.DataLimitExceeded when a state output is over the limit, and States.ALL does not catch it', async () => {
    const def = {
      StartAt: 'S',
      States: {
        S: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, End: true },
      },
    };
    const f = await failureOf(def, { s: big(140_000) });
    expect(f).toEqual({ error: 'States.DataLimitExceeded', cause: "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit." });
  });

  // The same failure inside a Parallel's branch or an inline Map's iteration ends the execution too:
  // the Retry and Catch of the state around it do not take it, which would make a green run where
  // AWS fails. A Distributed Map's child is an execution of its own (its failure is the Map's as any child's).
  it.each([
    ['a Parallel branch', (inner: object) => ({ Type: 'Parallel', Branches: [inner] }), { s: big(140_000) }],
    ['an inline Map iteration', (inner: object) => ({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: inner }), { items: [{ s: big(140_000) }] }],
  ])('fails the execution when a state of %s has an output or variables over the limit, past the Retry and Catch around it', async (_where, around, input) => {
    const inners = {
      output: { StartAt: 'In', States: { In: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, End: true } } },
      variables: { StartAt: 'In', States: { In: { Type: 'Pass', Assign: { 'a.$': '$.s', 'b.$': '$.s' }, End: true } } },
    };
    const causes = {
      output: "The state/task 'In' returned a result with a size exceeding the maximum number of bytes service limit.",
      variables: "The variables assigned by the state 'In' are 280004 bytes together, over the maximum of 262144 bytes for one Assign.",
    };
    for (const what of ['output', 'variables'] as const) {
      const def = {
        StartAt: 'Outer',
        States: {
          Outer: {
            ...around(inners[what]),
            Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }],
            Catch: [{ ErrorEquals: ['States.DataLimitExceeded'], Next: 'Handled' }, { ErrorEquals: ['States.ALL'], Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      };
      const r = await run(def, input);
      expect([what, r.status, r.error, r.cause]).toEqual([what, 'FAILED', 'States.DataLimitExceeded', causes[what]]);
      // Entered once: not retried, not caught.
      expect(r.history.filter((e) => e.type === 'PassStateEntered').map((e) => e.stateEnteredEventDetails?.name)).toEqual(['In']);
    }
  });

  it('lets States.ALL catch a task result over the limit, as AWS does', async () => {
    const def = {
      StartAt: 'S',
      States: { S: { Type: 'Task', Resource: 'arn:aws:states:::x:y', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } },
    };
    const out = await outputOf(def, {}, { taskHandlers: { S: () => big(300_000) } }) as { Error: string };
    expect(out.Error).toBe('States.DataLimitExceeded');
  });

  // Recorded (LocalStack's test_task_lambda_data_limit_exceeded_on_large_utf8_response and its lambda:invoke twin).
  it.each([
    ['arn:aws:lambda:us-east-1:123456789012:function:big', 'arn:aws:lambda:us-east-1:123456789012:function:big'],
    ['arn:aws:states:::lambda:invoke', 'lambda'],
  ])('names a too-large Lambda result by the function ARN for a Lambda ARN resource, by the service for an integration (%s)', async (resource, named) => {
    const def = {
      StartAt: 'S',
      States: { S: { Type: 'Task', Resource: resource, Catch: [{ ErrorEquals: ['States.DataLimitExceeded'], Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } },
    };
    const out = await outputOf(def, {}, { taskHandlers: { S: () => big(300_000) } });
    expect(out).toEqual({ Error: 'States.DataLimitExceeded', Cause: `The state/task '${named}' returned a result with a size exceeding the maximum number of bytes service limit.` });
  });

  it('fails with States.DataLimitExceeded when a caught error makes the Catch output over the limit (a 300 KiB cause)', async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'P' }], End: true },
        P: { Type: 'Pass', End: true },
      },
    };
    const boom = () => { throw new StatesError('Boom', big(300 * 1024)); };
    const f = await failureOf(def, {}, { taskHandlers: { T: boom } });
    expect(f).toEqual({ error: 'States.DataLimitExceeded', cause: "The state/task 'T' returned a result with a size exceeding the maximum number of bytes service limit." });
  });

  it.each([
    ['Parameters', { Parameters: { 'a.$': '$.s', 'b.$': '$.s' } }, 'JSONPath'],
    ['Arguments', { Arguments: '{% [$states.input.s, $states.input.s] %}' }, 'JSONata'],
  ])('fails the Task with States.DataLimitExceeded, before calling it, when its %s make its input over the limit', async (_field, fields, language) => {
    let called = false;
    const def = { QueryLanguage: language, StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', ...fields, End: true } } };
    const f = await failureOf(def, { s: big(140_000) }, { taskHandlers: { T: () => { called = true; return {}; } } });
    expect(f.error).toBe('States.DataLimitExceeded');
    expect(f.cause).toMatch(/^The input of the task of state 'T' is 2800\d\d bytes, over the maximum of 262144 bytes\.$/);
    expect(called).toBe(false);
  });

  it('lets States.ALL catch a Task input over the limit, as it catches a Task result over the limit (recorded)', async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, ResultPath: null, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'P', ResultPath: '$.error' }], End: true },
        P: { Type: 'Pass', OutputPath: '$.error.Error', End: true },
      },
    };
    expect(await outputOf(def, { s: big(100_000) }, { taskHandlers: { T: () => ({}) }, limits: { maxPayloadBytes: 150_000 } })).toBe('States.DataLimitExceeded');
  });

  it.each(['JSONata', 'JSONPath'])('ends a Catch that loops back to a failing Map (%s) with a bounded error, not out of memory', async (language) => {
    const def = {
      QueryLanguage: language,
      StartAt: 'S0',
      States: {
        S0: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'S0' }],
          End: true,
        },
      },
    };
    const f = await failureOf(def, { a: 1 });
    // JSONata: each failure's cause quotes the growing input until the Catch output is over the limit.
    // JSONPath: a Map over a non-array is States.Runtime, which States.ALL does not catch.
    expect(f.error).toBe(language === 'JSONata' ? 'States.DataLimitExceeded' : 'States.Runtime');
  });

  it.each(['INLINE', 'DISTRIBUTED'])(
    'fails a %s Map whose child input (made by ItemSelector) passes the limit, with ResultPath null too',
    async (mode) => {
      // docs/limits.md: a child execution's input is held to the payload limit as every state input
      // is; a Map whose ResultPath drops the results must not let the child run with it.
      const def = single({
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'a.$': '$.s', 'b.$': '$.s', 'n.$': '$$.Map.Item.Value' },
        ItemProcessor: { ProcessorConfig: { Mode: mode, ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', Result: 1, End: true } } },
        ResultPath: null,
      });
      const input = { items: [1], s: big(100_000) };
      const limits = { maxPayloadBytes: 150_000 };
      expect(await failureOf(def, input, { limits })).toMatchObject({ error: 'States.DataLimitExceeded' });
      // Under the limit, the same Map runs.
      expect(await outputOf(def, { items: [1], s: big(10) }, { limits })).toEqual({ items: [1], s: big(10) });
    },
  );

  // "Error names" (concepts-error-handling): States.DataLimitExceeded is thrown "when, after
  // Parameters processing, the input of a state is larger than the payload size quota", whatever
  // the state then keeps of it.
  it.each([
    ['a Pass whose ResultPath is null', { Type: 'Pass', ResultPath: null }],
    ['a Pass whose OutputPath keeps a part', { Type: 'Pass', OutputPath: '$.n' }],
  ])('fails %s with States.DataLimitExceeded when its Parameters build more than the limit', async (_, state) => {
    const def = single({ ...state, Parameters: { 'a.$': '$.s', 'b.$': '$.s', 'n': 1 } });
    const limits = { maxPayloadBytes: 150_000 };
    expect(await failureOf(def, { s: big(100_000) }, { limits })).toMatchObject({
      error: 'States.DataLimitExceeded',
      cause: expect.stringContaining("The input of state 'S' after Parameters is 200021 bytes, over the maximum of 150000 bytes."),
    });
    // Under the limit, the same Pass runs.
    expect(await outputOf(def, { s: big(10) }, { limits })).toEqual((state as { ResultPath?: null }).ResultPath === null ? { s: big(10) } : 1);
  });

  it.each(['JSONPath', 'JSONata'])('fails a Parallel (%s) whose Parameters or Arguments build its branches an input over the limit, before any branch starts', async (language) => {
    const jsonata = language === 'JSONata';
    const def = single({
      Type: 'Parallel',
      ...(jsonata
        ? { Arguments: { a: '{% $states.input.s %}', b: '{% $states.input.s %}' }, Output: '{% $states.input %}' }
        : { Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, ResultPath: null }),
      Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', ...(jsonata ? { Output: 1 } : { Result: 1 }), End: true } } }],
    }, jsonata ? { QueryLanguage: 'JSONata' } : {});
    const limits = { maxPayloadBytes: 150_000 };
    // No branch starts: the path holds the Parallel alone.
    expect(await run(def, { s: big(100_000) }, { limits })).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      path: ['S'],
      cause: "The input of the branches of Parallel state 'S' is 200015 bytes, over the maximum of 150000 bytes.",
    });
    expect(await outputOf(def, { s: big(10) }, { limits })).toEqual({ s: big(10) });
  });

  it('honours a lower limits.maxPayloadBytes', async () => {
    expect((await failureOf(single({ Type: 'Pass' }), big(20), { limits: { maxPayloadBytes: 10 } })).error).toBe('States.DataLimitExceeded');
  });

  it('switches the payload limit off with limits.maxPayloadBytes: Infinity, for input, state output and task result', async () => {
    const def = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, Next: 'T' },
        T: { Type: 'Task', Resource: 'arn:aws:states:::x:y', End: true },
      },
    };
    const out = await outputOf(def, { s: big(300_000) }, { limits: { maxPayloadBytes: Infinity }, taskHandlers: { T: () => big(400_000) } });
    expect(out).toHaveLength(400_000);
  });

  it('runs a Map iteration that can never end (AWS accepts the definition) until the history limit fails it, instead of hanging', async () => {
    const def = {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } }, End: true },
      },
    };
    const r = await run(def, [1]);
    expect(r.status).toBe('FAILED');
    expect(r.cause).toBe('The execution reached the maximum number of history events (25000).');
  });

  it('fails a Standard execution past 25,000 history events', async () => {
    const r = await run(endless);
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toBe('The execution reached the maximum number of history events (25000).');
    expect(r.history).toHaveLength(25_000);
    expect(r.history[r.history.length - 1].type).toBe('ExecutionFailed');
  });

  it('ends a Task retried past the history limit there: no attempt left calls the service again, however large MaxAttempts is', async () => {
    const def = {
      StartAt: 'S',
      States: {
        S: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'f' },
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1_000_000, IntervalSeconds: 1, BackoffRate: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Succeed' },
      },
    };
    let calls = 0;
    const r = await run(def, {}, { taskHandlers: { S: () => { calls++; throw new StatesError('Lambda.ServiceException', 'down'); } } });
    expect(r.status).toBe('FAILED');
    expect(r.cause).toBe('The execution reached the maximum number of history events (25000).');
    // Each attempt records at least two events: past 12,500 calls the execution had already ended.
    expect(calls).toBeGreaterThan(1_000);
    expect(calls).toBeLessThan(12_500);
    // The Catch never took it: the execution ended at the limit.
    expect(r.history.map((e) => e.type)).not.toContain('SucceedStateEntered');
  });

  it('makes the ExecutionFailed itself event 25,000, after the last state event, as AWS records a Choice looping on itself', async () => {
    const loop = {
      StartAt: 'Loop',
      States: {
        Loop: { Type: 'Choice', Choices: [{ Variable: '$.spin', BooleanEquals: true, Next: 'Loop' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const r = await run(loop, { spin: true });
    const [beforeLast, last] = r.history.slice(-2);
    expect([last.id, last.previousEventId, last.type]).toEqual([25_000, 24_999, 'ExecutionFailed']);
    expect(last.executionFailedEventDetails).toEqual({ error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (25000).' });
    expect([beforeLast.id, beforeLast.type]).toEqual([24_999, 'ChoiceStateExited']);
    expect(beforeLast.stateExitedEventDetails).toMatchObject({ name: 'Loop' });
  });

  it('stops after limits.maxTransitions states with States.Runtime', async () => {
    const r = await run(endless, {}, { limits: { maxTransitions: 5 } });
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toBe('The execution entered more than 5 states (limits.maxTransitions); is there an endless loop?');
    expect(r.path).toEqual(['A', 'B', 'A', 'B', 'A']);
  });

  it('does not limit history events in an EXPRESS machine', async () => {
    let n = 0;
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::x:y', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$', NumericLessThan: 6000, Next: 'T' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const r = await run(def, 0, { type: 'EXPRESS', taskHandlers: { T: () => ++n } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.history.length).toBeGreaterThan(25_000);
  });

  it('keeps a thrown StatesError DataLimitExceeded name from a handler', async () => {
    const f = await failureOf(single({ Type: 'Task', Resource: 'arn:aws:states:::x:y' }), {}, { taskHandlers: { S: () => { throw new StatesError('States.DataLimitExceeded', 'big'); } } });
    expect(f.error).toBe('States.DataLimitExceeded');
  });
});
