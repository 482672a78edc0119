import { at, clock, eventOf, failureOf, outputOf, run, secondsOf, single, types } from './helpers';
import { InvalidDefinitionError, seededRandom } from '../../src/index';

const JSONATA = { QueryLanguage: 'JSONata' };
const R = 'arn:aws:states:::x:y';
const jsonata = (state: Record<string, unknown>) => single(state, JSONATA);

describe('JSONata: query language', () => {
  it('runs a machine whose top-level QueryLanguage is JSONata', async () => {
    expect(await outputOf(jsonata({ Type: 'Pass', Output: '{% $states.input.a + 1 %}' }), { a: 1 })).toBe(2);
  });

  it('runs a JSONata state inside a JSONPath machine', async () => {
    const out = await outputOf({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Parameters: { 'v.$': '$.a' }, Next: 'B' },
        B: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.v * 10 %}', End: true },
      },
    }, { a: 2 });
    expect(out).toBe(20);
  });

  it('refuses a JSONPath state inside a JSONata machine, naming the state', () => {
    expect(() => compile({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } } }))
      .toThrow(/State 'S'.*JSONPath/);
  });

  it.each(['InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath'])('refuses the JSONPath-only field %s in a JSONata state, naming the state and field', (field) => {
    const value = field === 'Parameters' || field === 'ResultSelector' ? { a: 1 } : '$.a';
    const def = jsonata({ Type: 'Task', Resource: R, [field]: value });
    let error: unknown;
    try { compile(def); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(InvalidDefinitionError);
    expect((error as Error).message).toContain(`/States/S/${field}`);
    expect((error as Error).message).toContain(`State 'S' uses JSONata, which has no field ${field}`);
  });

  it.each([
    ['Wait', 'SecondsPath'], ['Wait', 'TimestampPath'], ['Task', 'TimeoutSecondsPath'], ['Task', 'HeartbeatSecondsPath'], ['Map', 'ItemsPath'], ['Map', 'MaxConcurrencyPath'], ['Fail', 'ErrorPath'], ['Fail', 'CausePath'],
  ])('refuses %s.%s in a JSONata state', (type, field) => {
    const base: Record<string, Record<string, unknown>> = {
      Wait: { Type: 'Wait' }, Task: { Type: 'Task', Resource: R }, Map: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }, Fail: { Type: 'Fail' },
    };
    expect(() => compile(jsonata({ ...base[type], [field]: '$.x' }))).toThrow(new RegExp(`no field ${field}`));
  });
});

function compile(def: unknown) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileStateMachine } = require('../../src/interpreter') as typeof import('../../src/interpreter');
  return compileStateMachine(def as never);
}

describe('JSONata: expressions in fields', () => {
  it('evaluates expressions nested in objects and arrays of Arguments and Output', async () => {
    const seen: unknown[] = [];
    const out = await outputOf(jsonata({
      Type: 'Task',
      Resource: R,
      Arguments: { id: '{% $states.input.id %}', list: ['{% 1 + 1 %}', { deep: '{% $uppercase("x") %}' }], lit: 'plain' },
      Output: { got: '{% $states.result.r %}', pair: ['{% $states.input.id %}', 3] },
    }), { id: 'o-1' }, { taskHandlers: { S: (input) => { seen.push(input); return { r: 'R' }; } } });
    expect(seen).toEqual([{ id: 'o-1', list: [2, { deep: 'X' }], lit: 'plain' }]);
    expect(out).toEqual({ got: 'R', pair: ['o-1', 3] });
  });

  it('outputs the task result when there is no Output', async () => {
    expect(await outputOf(jsonata({ Type: 'Task', Resource: R }), { a: 1 }, { taskHandlers: { S: () => 'res' } })).toBe('res');
  });

  it('evaluates Choice Conditions and takes the first that holds', async () => {
    const def = {
      ...JSONATA,
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n > 5 %}', Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Pass', Output: 'big', End: true },
        Small: { Type: 'Pass', Output: 'small', End: true },
      },
    };
    expect(await outputOf(def, { n: 6 })).toBe('big');
    expect(await outputOf(def, { n: 1 })).toBe('small');
  });

  it('fails with States.QueryEvaluationError when a Condition is not a boolean', async () => {
    const f = await failureOf({
      ...JSONATA, StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n %}', Next: 'E' }], Default: 'E' }, E: { Type: 'Succeed' } },
    }, { n: 1 });
    expect(f.error).toBe('States.QueryEvaluationError');
    expect(f.cause).toMatch(/^An error occurred while executing the state 'C' \(entered at the event id #2\)\. /);
  });

  it('names a Choice rule by its place in Choices when its Condition returns nothing, as AWS does', async () => {
    const f = await failureOf({
      ...JSONATA,
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Condition: '{% false %}', Next: 'E' }, { Condition: '{% $states.input.missing %}', Next: 'E' }], Default: 'E' }, E: { Type: 'Succeed' } },
    }, {});
    expect(f.cause).toBe(
      "An error occurred while executing the state 'C' (entered at the event id #2). The JSONata expression '$states.input.missing' specified for the field 'Choices[1]/Condition' returned nothing (undefined).",
    );
  });

  it("names a matched rule's Output and Assign under the rule, as AWS does", async () => {
    const choice = (rule: Record<string, unknown>) => ({
      ...JSONATA, StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Condition: '{% true %}', Next: 'E', ...rule }] }, E: { Type: 'Succeed' } },
    });
    expect((await failureOf(choice({ Output: { v: '{% $states.input.missing %}' } }), {})).cause).toContain("for the field 'Choices[0]/Output/v' returned nothing");
    expect((await failureOf(choice({ Assign: { x: '{% $states.input.missing %}' } }), {})).cause).toContain("for the field 'Choices[0]/Assign/x' returned nothing");
  });

  it('fails with States.NoChoiceMatched when no Condition holds and there is no Default', async () => {
    const f = await failureOf({ ...JSONATA, StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Condition: '{% false %}', Next: 'E' }] }, E: { Type: 'Succeed' } } });
    expect(f).toEqual({ error: 'States.NoChoiceMatched', cause: 'No Matches!' });
  });

  it('evaluates Map Items and ItemSelector', async () => {
    const out = await outputOf(jsonata({
      Type: 'Map',
      Items: '{% $states.input.xs %}',
      ItemSelector: { v: '{% $states.context.Map.Item.Value %}', i: '{% $states.context.Map.Item.Index %}' },
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    }), { xs: ['a', 'b'] });
    expect(out).toEqual([{ v: 'a', i: 0 }, { v: 'b', i: 1 }]);
  });

  it('evaluates Wait Seconds and Timestamp', async () => {
    const secs = await run(jsonata({ Type: 'Wait', Seconds: '{% $states.input.s %}' }), { s: 9 }, { clock: clock() });
    expect(secondsOf(eventOf(secs.history, 'WaitStateExited'))).toBe(9);
    const ts = await run(jsonata({ Type: 'Wait', Timestamp: '{% $states.input.t %}' }), { t: at(11) }, { clock: clock() });
    expect(secondsOf(eventOf(ts.history, 'WaitStateExited'))).toBe(11);
  });

  it('fails with States.QueryEvaluationError when Wait Seconds is not an integer', async () => {
    expect((await failureOf(jsonata({ Type: 'Wait', Seconds: '{% "soon" %}' }))).error).toBe('States.QueryEvaluationError');
  });

  it('evaluates TimeoutSeconds and HeartbeatSeconds', async () => {
    const cb = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Arguments: { t: '{% $states.context.Task.Token %}' } };
    const t = await run(jsonata({ ...cb, TimeoutSeconds: '{% $states.input.t %}' }), { t: 7 }, { clock: clock(), taskHandlers: { S: () => ({}) } });
    expect(t.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(t.history, 'TaskTimedOut'))).toBe(7);
    const h = await run(jsonata({ ...cb, HeartbeatSeconds: '{% 3 %}' }), {}, { clock: clock(), taskHandlers: { S: () => ({}) } });
    expect(h.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(h.history, 'TaskTimedOut'))).toBe(3);
  });

  // The Task state page: TimeoutSeconds and HeartbeatSeconds are "a positive, non-zero integer",
  // as TimeoutSecondsPath and HeartbeatSecondsPath must find one (States.Runtime there).
  it.each([
    ['TimeoutSeconds', 0], ['TimeoutSeconds', -5], ['HeartbeatSeconds', 0], ['HeartbeatSeconds', -1],
  ])('fails with States.QueryEvaluationError when %s evaluates to %d, rather than running the Task', async (field, value) => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f' }, [field]: '{% $states.input.v %}' };
    const r = await run(jsonata(task), { v: value }, { taskHandlers: { S: () => ({ Payload: 1 }) } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(r.cause).toContain(`The ${field} field must be a positive integer, got ${value}`);
    expect(types(r.history)).not.toContain('TaskScheduled');
    // A positive value runs it.
    expect((await run(jsonata(task), { v: 1 }, { taskHandlers: { S: () => ({ Payload: 1 }) } })).status).toBe('SUCCEEDED');
  });

  it('evaluates MaxConcurrency and ToleratedFailureCount / Percentage', async () => {
    const map = (extra: Record<string, unknown>) => jsonata({ Type: 'Map', ...extra, ItemProcessor: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } } });
    expect((await run(map({ MaxConcurrency: '{% 1 %}', ToleratedFailureCount: '{% 1 %}' }), [1, 2])).error).toBe('States.ExceedToleratedFailureThreshold');
    expect((await run(map({ ToleratedFailureCount: '{% $states.input.n %}', Items: '{% $states.input.xs %}' }), { xs: [1, 2], n: 2 })).status).toBe('SUCCEEDED');
    expect((await run(map({ ToleratedFailurePercentage: '{% 100 %}' }), [1])).status).toBe('SUCCEEDED');
  });

  it('evaluates Fail Error and Cause', async () => {
    expect(await failureOf(jsonata({ Type: 'Fail', Error: '{% "E." & $states.input.k %}', Cause: '{% $string($states.input) %}' }), { k: 'x' }))
      .toEqual({ error: 'E.x', cause: '{"k":"x"}' });
  });

  it('fails with States.QueryEvaluationError when an expression throws', async () => {
    const f = await failureOf(jsonata({ Type: 'Pass', Output: '{% $number("abc") + $undefinedFn() %}' }));
    expect(f.error).toBe('States.QueryEvaluationError');
  });

  it('fails with States.QueryEvaluationError when Output evaluates to nothing, naming the expression', async () => {
    const f = await failureOf(jsonata({ Type: 'Pass', Output: '{% $states.input.missing %}' }), {});
    expect(f.error).toBe('States.QueryEvaluationError');
    expect(f.cause).toContain('$states.input.missing');
  });

  it('records an EvaluationFailed event for a failed expression', async () => {
    const r = await run(jsonata({ Type: 'Pass', Output: '{% $states.input.missing %}' }), {});
    expect(eventOf(r.history, 'EvaluationFailed').evaluationFailedEventDetails).toMatchObject({ error: 'States.QueryEvaluationError', state: 'S' });
  });

  it('fails with States.QueryEvaluationError when Map Items is not an array', async () => {
    const f = await failureOf(jsonata({ Type: 'Map', Items: '{% $states.input.x %}', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), { x: 'no' });
    expect(f.error).toBe('States.QueryEvaluationError');
  });

  it('fails a Map without Items whose input is not an array with the cause AWS recorded, and an EvaluationFailed naming no field', async () => {
    const def = jsonata({ Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } });
    const r = await run(def, { foo: 'bar' });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toBe('An error occurred while executing the state \'S\' (entered at the event id #2). Map state input must be an array but was: {"foo":"bar"}');
    const details = eventOf(r.history, 'EvaluationFailed').evaluationFailedEventDetails;
    expect(details?.location).toBeUndefined();
    expect(await outputOf(def, [1, 2])).toEqual([1, 2]);
  });
});

describe('JSONata: $states', () => {
  it('shows $states.input as the raw state input and $states.context as the Context Object', async () => {
    const out = await outputOf(jsonata({ Type: 'Pass', Output: { input: '{% $states.input %}', name: '{% $states.context.State.Name %}' } }), { a: 1 });
    expect(out).toEqual({ input: { a: 1 }, name: 'S' });
  });

  it('shows $states.result in a Task Output and Assign', async () => {
    const out = await outputOf({
      ...JSONATA,
      StartAt: 'S',
      States: { S: { Type: 'Task', Resource: R, Assign: { kept: '{% $states.result.v %}' }, Output: '{% $states.result.v %}', Next: 'N' }, N: { Type: 'Pass', Output: '{% $kept %}', End: true } },
    }, {}, { taskHandlers: { S: () => ({ v: 5 }) } });
    expect(out).toBe(5);
  });

  it('does not show $states.result in Arguments', async () => {
    const f = await failureOf(jsonata({ Type: 'Task', Resource: R, Arguments: '{% $states.result %}' }), {}, { taskHandlers: { S: () => 1 } });
    expect(f.error).toBe('States.QueryEvaluationError');
  });

  it('shows $states.errorOutput in a Catch Output and Assign, with $states.input still the raw input', async () => {
    const out = await outputOf({
      ...JSONATA,
      StartAt: 'S',
      States: {
        S: { Type: 'Task', Resource: R, Catch: [{ ErrorEquals: ['States.ALL'], Assign: { err: '{% $states.errorOutput.Error %}' }, Output: { e: '{% $states.errorOutput %}', in: '{% $states.input %}' }, Next: 'H' }], End: true },
        H: { Type: 'Pass', Output: { out: '{% $states.input %}', err: '{% $err %}' }, End: true },
      },
    }, { a: 1 }, { taskHandlers: { S: () => { throw Object.assign(new Error('bad'), { name: 'Boom' }); } } });
    expect(out).toEqual({ out: { e: { Error: 'Boom', Cause: 'bad' }, in: { a: 1 } }, err: 'Boom' });
  });

  it("names a catcher's Output by its place in Catch when it returns nothing, as AWS does", async () => {
    const f = await failureOf({
      ...JSONATA,
      StartAt: 'S',
      States: {
        S: {
          Type: 'Task',
          Resource: R,
          Catch: [{ ErrorEquals: ['Other'], Next: 'H' }, { ErrorEquals: ['States.ALL'], Output: { v: '{% $states.input.missing %}' }, Next: 'H' }],
          End: true,
        },
        H: { Type: 'Pass', End: true },
      },
    }, {}, { taskHandlers: { S: () => { throw Object.assign(new Error('bad'), { name: 'Boom' }); } } });
    expect(f.cause).toContain("specified for the field 'Catch[1]/Output/v' returned nothing (undefined).");
  });

  it('outputs the error output from a Catch without Output', async () => {
    const out = await outputOf({
      ...JSONATA,
      StartAt: 'S',
      States: { S: { Type: 'Task', Resource: R, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } },
    }, { a: 1 }, { taskHandlers: { S: () => { throw Object.assign(new Error('bad'), { name: 'Boom' }); } } });
    expect(out).toEqual({ Error: 'Boom', Cause: 'bad' });
  });
});

describe('JSONata: functions AWS adds', () => {
  const evalOut = (expr: string, input: unknown = {}, options = {}) => outputOf(jsonata({ Type: 'Pass', Output: `{% ${expr} %}` }), input as never, options);

  it('$partition splits an array into chunks', async () => {
    expect(await evalOut('$partition([1,2,3,4,5], 2)')).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('$range counts from start to end by step', async () => {
    expect(await evalOut('$range(0, 10, 3)')).toEqual([0, 3, 6, 9]);
  });

  it('$hash hashes with the named algorithm', async () => {
    expect(await evalOut('$hash("abc", "SHA-256")')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('$parse parses a JSON string', async () => {
    expect(await evalOut('$parse(\'{"a":[1,2]}\')')).toEqual({ a: [1, 2] });
  });

  it('$random and $uuid repeat for the same seed and differ for another', async () => {
    const expr = '[$random(), $uuid()]';
    const a = await evalOut(expr, {}, { random: seededRandom(5) }) as [number, string];
    expect(await evalOut(expr, {}, { random: seededRandom(5) })).toEqual(a);
    expect(await evalOut(expr, {}, { random: seededRandom(6) })).not.toEqual(a);
    expect(a[0]).toBeGreaterThanOrEqual(0);
    expect(a[0]).toBeLessThan(1);
    expect(a[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('$now reports the virtual clock', async () => {
    expect(await evalOut('$now()', {}, { clock: clock() })).toBe(at(0));
  });

  it('$eval is not available, as on AWS', async () => {
    let error: unknown;
    try { compile(jsonata({ Type: 'Pass', Output: '{% $eval("1") %}' })); } catch (e) { error = e; }
    if (error === undefined) expect((await failureOf(jsonata({ Type: 'Pass', Output: '{% $eval("1") %}' }))).error).toBe('States.QueryEvaluationError');
    else expect(String(error)).toMatch(/eval/);
  });
});
