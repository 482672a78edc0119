import { failureOf, run, single } from './helpers';
import { compileStateMachine, type JsonValue, type StateMachineDefinition } from '../../src/interpreter';
import { compileMachine } from '../../src/interpreter/compile';

/** The compiled state `S` of a one-state machine. */
function compiledS(state: Record<string, unknown>, top: Record<string, unknown> = {}) {
  const def = single(state, top);
  return compileMachine(def, '', (def.QueryLanguage ?? 'JSONPath'))!.states.get('S')!;
}

/**
 * The same Pass with one more Parameters field that reads the Context Object:
 * it then runs the common way, with a call object. Fields are filled in order,
 * so a failure in an earlier field is the same failure.
 */
function commonTwin(state: Record<string, unknown>): Record<string, unknown> {
  return { ...state, Parameters: { ...(state.Parameters as Record<string, unknown>), 'viaContext.$': '$$.State.Name' } };
}

describe('plain states: a JSONPath Pass that reads only its input runs without a call object', () => {
  it.each([
    ['Parameters of $ paths, nested and in arrays', { Type: 'Pass', Parameters: { 'a.$': '$.x', 'b': 1, 'n': { 'c.$': '$.y[0]' }, 'l': [{ 'd.$': '$.x' }] } }],
    ['InputPath, ResultPath and OutputPath', { Type: 'Pass', InputPath: '$.in', ResultPath: '$.r', OutputPath: '$.r' }],
    ['a fixed Result', { Type: 'Pass', Result: { k: 1 }, ResultPath: '$.k' }],
    ['null InputPath and OutputPath', { Type: 'Pass', InputPath: null, OutputPath: null }],
    ['no fields at all', { Type: 'Pass' }],
  ])('compiles a Pass with %s as plain', (_what, state) => {
    expect(compiledS(state).plain).toBeDefined();
  });

  it.each([
    ['a Context Object path', { Type: 'Pass', Parameters: { 'id.$': '$$.Execution.Id' } }],
    ['a variable', { Type: 'Pass', Parameters: { 'v.$': '$v' } }],
    ['an intrinsic function', { Type: 'Pass', Parameters: { 'u.$': 'States.UUID()' } }],
    ['a nested Context Object path', { Type: 'Pass', Parameters: { n: [{ 'id.$': '$$.State.Name' }] } }],
    ['Assign', { Type: 'Pass', Assign: { v: 1 } }],
    ['a Context Object InputPath', { Type: 'Pass', InputPath: '$$.Execution' }],
    ['a filter OutputPath', { Type: 'Pass', OutputPath: '$.l[?(@.k == 1)]' }],
  ])('compiles a Pass that reads %s the common way', (_what, state) => {
    expect(compiledS(state).plain).toBeUndefined();
  });

  it('compiles a JSONata Pass the common way', () => {
    expect(compiledS({ Type: 'Pass', Output: '{% $states.input %}' }, { QueryLanguage: 'JSONata' }).plain).toBeUndefined();
  });

  it('links a plain state to its successor in the top level, a Parallel branch and a Map iteration', async () => {
    const chain = (p: string) => ({
      StartAt: `${p}A`,
      States: {
        [`${p}A`]: { Type: 'Pass', Parameters: { 'v.$': '$.v', 'step': 'A' }, Next: `${p}B` },
        [`${p}B`]: { Type: 'Pass', Parameters: { 'v.$': '$.v', 'prev.$': '$.step', 'step': 'B' }, End: true },
      },
    });
    const def = {
      StartAt: 'Top',
      States: {
        Top: { Type: 'Pass', Parameters: { 'v.$': '$.v', 'items.$': '$.items' }, Next: 'Par' },
        Par: { Type: 'Parallel', Branches: [chain('P0'), chain('P1')], ResultPath: '$.par', Next: 'Each' },
        Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: chain('M'), ResultPath: '$.each', End: true },
      },
    };
    const result = await run(def, { v: 7, items: [{ v: 1 }, { v: 2 }] });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({
      v: 7,
      items: [{ v: 1 }, { v: 2 }],
      par: [{ v: 7, prev: 'A', step: 'B' }, { v: 7, prev: 'A', step: 'B' }],
      each: [{ v: 1, prev: 'A', step: 'B' }, { v: 2, prev: 'A', step: 'B' }],
    });
  });
});

describe('plain states: the same outputs, events and failures as the common way', () => {
  const input: JsonValue = { x: 1, y: [2, 3], in: { deep: { k: 'v' } }, l: [{ k: 1 }, { k: 2 }] };
  const cases: Array<[string, Record<string, unknown>]> = [
    ['Parameters into ResultPath', { Type: 'Pass', Parameters: { 'a.$': '$.x', 'n': { 'c.$': '$.y[1]' } }, ResultPath: '$.r' }],
    ['InputPath and OutputPath', { Type: 'Pass', InputPath: '$.in', Parameters: { 'd.$': '$.deep' }, ResultPath: '$.out', OutputPath: '$.out' }],
    ['ResultPath null', { Type: 'Pass', Parameters: { 'a.$': '$.x' }, ResultPath: null }],
    ['a deep ResultPath', { Type: 'Pass', Parameters: { 'a.$': '$.x' }, ResultPath: '$.in.deep.added' }],
    ['Parameters with one fixed value beside paths', { Type: 'Pass', Parameters: { 'a.$': '$.x', 'step': 3 }, ResultPath: '$.r' }],
    ['Parameters with fixed values of every kind beside paths', { Type: 'Pass', Parameters: { 'k': 'v', 'a.$': '$.x', 'n': null, 'o': { p: [1] }, 'b.$': '$.y' } }],
  ];

  it.each(cases)('gives %s the output and history of the common way', async (_what, state) => {
    const plain = await run(single(state), input);
    const common = await run(single(commonTwin(state)), input);
    expect(compiledS(state).plain).toBeDefined();
    expect(compiledS(commonTwin(state)).plain).toBeUndefined();
    const strip = (v: JsonValue | undefined): JsonValue | undefined => JSON.parse(JSON.stringify(v ?? null).replace(/,?"viaContext":"S"/g, '').replace(/\{,/g, '{'));
    expect(plain.status).toBe('SUCCEEDED');
    expect(plain.output).toEqual(strip(common.output));
    expect(plain.history.map((e) => e.type)).toEqual(common.history.map((e) => e.type));
  });

  it('fails a path that names nothing with the common way\'s error, naming the path and the input', async () => {
    const state = { Type: 'Pass', Parameters: { 'a.$': '$.nope' } };
    const failure = await failureOf(single(state), input);
    expect(failure).toEqual(await failureOf(single(commonTwin(state)), input));
    expect(failure.error).toBe('States.Runtime');
    expect(failure.cause).toContain("The JSONPath '$.nope' specified for the field 'a.$' could not be found in the input");
  });

  it('fails a ResultPath that cannot be applied with States.ResultPathMatchFailure, as the common way does', async () => {
    const state = { Type: 'Pass', Parameters: { 'a.$': '$.x' }, ResultPath: '$.x.inside' };
    const failure = await failureOf(single(state), input);
    expect(failure.error).toBe('States.ResultPathMatchFailure');
    expect(failure).toEqual(await failureOf(single(commonTwin(state)), input));
  });

  it('fails an InputPath that names nothing as the common way does', async () => {
    const state = { Type: 'Pass', InputPath: '$.missing', Parameters: { 'a.$': '$.x' } };
    const failure = await failureOf(single(state), input);
    expect(failure.error).toBe('States.Runtime');
    expect(failure).toEqual(await failureOf(single(commonTwin(state)), input));
  });

  it('holds a plain state\'s output to the payload limit', async () => {
    const state = { Type: 'Pass', Parameters: { 'a.$': '$.big', 'b.$': '$.big' } };
    const big = { big: 'x'.repeat(600) };
    const failure = await failureOf(single(state), big, { limits: { maxPayloadBytes: 1000 } });
    expect(failure.error).toBe('States.DataLimitExceeded');
    expect(failure).toEqual(await failureOf(single(commonTwin(state)), big, { limits: { maxPayloadBytes: 1000 } }));
    // Under the limit, the same state succeeds.
    expect((await run(single(state), big, { limits: { maxPayloadBytes: 4000 } })).status).toBe('SUCCEEDED');
  });

  it('fails at a plain state\'s exit event when it is past the history limit, as the common way does', async () => {
    const state = { Type: 'Pass', Parameters: { 'a.$': '$.x' } };
    // ExecutionStarted, PassStateEntered: the exit event is the third.
    const plain = await run(single(state), input, { limits: { maxHistoryEvents: 2 } });
    const common = await run(single(commonTwin(state)), input, { limits: { maxHistoryEvents: 2 } });
    expect(plain.status).toBe('FAILED');
    expect([plain.error, plain.cause]).toEqual([common.error, common.cause]);
    expect(plain.history.map((e) => e.type)).toEqual(common.history.map((e) => e.type));
  });
});

describe('the engine loop hands every machine it ends its own output', () => {
  it('gives each branch and each of two executions run side by side its own output, whether a branch ends at once or later', async () => {
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Plain', States: { Plain: { Type: 'Pass', Parameters: { 'branch': 'plain', 'n.$': '$.n' }, End: true } } },
            { StartAt: 'Later', States: { Later: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'n.$': '$.n' }, End: true } } },
            { StartAt: 'Now', States: { Now: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'n.$': '$.n' }, ResultPath: '$.sent', End: true } } },
          ],
        },
      },
    };
    const machine = compileStateMachine(def as unknown as StateMachineDefinition, {
      taskHandlers: {
        Later: async (input) => { await Promise.resolve(); return { branch: 'later', n: (input as { n: number }).n }; },
        Now: (input) => ({ branch: 'now', n: (input as { n: number }).n }),
      },
    });
    const [one, two] = await Promise.all([machine.start({ n: 1 }).result, machine.start({ n: 2 }).result]);
    for (const [result, n] of [[one, 1], [two, 2]] as const) {
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toEqual([{ branch: 'plain', n }, { branch: 'later', n }, { n, sent: { branch: 'now', n } }]);
    }
  });
});

describe('a run of plain states hands the loop every state out of the ordinary', () => {
  /** n chained Passes; `state(i)` gives each its fields. */
  const chain = (n: number, state: (i: number) => Record<string, unknown>) => {
    const States: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) States[`S${i}`] = { ...state(i), ...(i === n - 1 ? { End: true } : { Next: `S${i + 1}` }) };
    return { StartAt: 'S0', States };
  };
  const plainStep = (i: number) => ({ Type: 'Pass', Parameters: { 'i': i, 'prev.$': '$.i' } });

  it('stops a chain of plain states at limits.maxTransitions where the common way stops it', async () => {
    const plainRun = await run(chain(10, plainStep), { i: -1 }, { limits: { maxTransitions: 6 } });
    const commonRun = await run(chain(10, (i) => commonTwin(plainStep(i))), { i: -1 }, { limits: { maxTransitions: 6 } });
    expect(plainRun.error).toBe('States.Runtime');
    expect(plainRun.path).toEqual(['S0', 'S1', 'S2', 'S3', 'S4', 'S5']);
    expect([plainRun.error, plainRun.cause, plainRun.path]).toEqual([commonRun.error, commonRun.cause, commonRun.path]);
  });

  it('fails a Parallel branch whose first state is plain, caught or not, with the history and output of the common way', async () => {
    // A branch that starts with plain states runs them before the engine's loop is entered, which then handles the failure.
    // A path that names nothing fails the execution (States.Runtime, which no Catch handles); a
    // ResultPath that cannot be applied fails the Parallel, whose Catch handles it.
    const failing = (caught: boolean) => (caught
      ? { Type: 'Pass', Parameters: { 'x.$': '$.i' }, ResultPath: '$.i.deep', End: true }
      : { Type: 'Pass', Parameters: { 'x.$': '$.missing' }, End: true });
    const parallel = (first: Record<string, unknown>, caught: boolean) => ({
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Ok', States: { Ok: { Type: 'Pass', End: true } } },
            { StartAt: 'First', States: { First: first } },
          ],
          ...(caught ? { Catch: [{ ErrorEquals: ['States.ResultPathMatchFailure'], ResultPath: '$.error', Next: 'Done' }] } : {}),
          ...(caught ? { Next: 'Done' } : { End: true }),
        },
        ...(caught ? { Done: { Type: 'Succeed' } } : {}),
      },
    });
    for (const caught of [false, true]) {
      const plainRun = await run(parallel(failing(caught), caught), { i: 1 });
      const commonRun = await run(parallel(commonTwin(failing(caught)), caught), { i: 1 });
      expect(plainRun.status).toBe(caught ? 'SUCCEEDED' : 'FAILED');
      const shape = (r: typeof plainRun) => r.history.map((e) => [e.id, e.previousEventId, e.type]);
      expect(shape(plainRun)).toEqual(shape(commonRun));
      expect(plainRun.path).toEqual(commonRun.path);
      expect(plainRun.error).toBe(commonRun.error);
      expect(plainRun.cause).toBe(commonRun.cause);
      expect(plainRun.output).toEqual(commonRun.output);
    }
  });

  it('fails a plain state in the middle of a chain with the history the common way records', async () => {
    const failing = (i: number) => (i === 3 ? { Type: 'Pass', Parameters: { 'x.$': '$.missing' } } : plainStep(i));
    const plainRun = await run(chain(6, failing), { i: -1 });
    const commonRun = await run(chain(6, (i) => commonTwin(failing(i))), { i: -1 });
    expect(plainRun.status).toBe('FAILED');
    expect(plainRun.path).toEqual(['S0', 'S1', 'S2', 'S3']);
    const shape = (r: typeof plainRun) => r.history.map((e) => [e.id, e.previousEventId, e.type]);
    expect(shape(plainRun)).toEqual(shape(commonRun));
    expect(plainRun.error).toBe(commonRun.error);
    expect(plainRun.cause).toBe("An error occurred while executing the state 'S3' (entered at the event id #8). "
      + 'The JSONPath \'$.missing\' specified for the field \'x.$\' could not be found in the input \'{"i":2,"prev":1}\'');
  });

  it('runs a chain of plain states after a Task the way it runs them alone', async () => {
    const def = chain(5, (i) => (i === 2 ? { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultPath: '$.task' } : plainStep(i)));
    const r = await run(def, { i: -1 }, { taskHandlers: { S2: () => 'done' } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ i: 4, prev: 3 });
    expect(r.path).toEqual(['S0', 'S1', 'S2', 'S3', 'S4']);
  });
});
