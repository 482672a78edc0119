import { failureOf, outputOf, run, single } from './helpers';
import type { StateMachineDefinition } from '../../src/interpreter';

describe('JSONPath input and output processing', () => {
  it('selects the effective input with InputPath', async () => {
    expect(await outputOf(single({ Type: 'Pass', InputPath: '$.a' }), { a: { b: 1 }, c: 2 })).toEqual({ b: 1 });
  });

  it('gives {} as effective input when InputPath is null', async () => {
    expect(await outputOf(single({ Type: 'Pass', InputPath: null }), { a: 1 })).toEqual({});
  });

  it('fails with States.Runtime naming the path when InputPath matches nothing', async () => {
    const f = await failureOf(single({ Type: 'Pass', InputPath: '$.missing' }), { a: 1 });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toBe("An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.missing' : No results for path: $['missing']");
  });

  it('reshapes the task result with ResultSelector before ResultPath', async () => {
    const out = await outputOf(single({
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultSelector: { 'p.$': '$.Payload' }, ResultPath: '$.r',
    }), { keep: 1 }, { taskHandlers: { S: () => ({ Payload: 42, StatusCode: 200 }) } });
    expect(out).toEqual({ keep: 1, r: { p: 42 } });
  });

  it('replaces the input with the result when ResultPath is $ (the default)', async () => {
    expect(await outputOf(single({ Type: 'Pass', Result: { r: 1 } }), { a: 1 })).toEqual({ r: 1 });
  });

  it('discards the result and keeps the raw input when ResultPath is null', async () => {
    expect(await outputOf(single({ Type: 'Pass', InputPath: '$.a', Result: 'x', ResultPath: null }), { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
  });

  it('merges the result into the raw input (not the InputPath selection) at ResultPath', async () => {
    expect(await outputOf(single({ Type: 'Pass', InputPath: '$.a', Result: 'x', ResultPath: '$.a.r' }), { a: { n: 1 }, b: 2 }))
      .toEqual({ a: { n: 1, r: 'x' }, b: 2 });
  });

  it('creates missing objects along ResultPath', async () => {
    expect(await outputOf(single({ Type: 'Pass', Result: 1, ResultPath: '$.x.y.z' }), {})).toEqual({ x: { y: { z: 1 } } });
  });

  it('does not mutate the execution input when merging at ResultPath', async () => {
    const input = { a: { n: 1 } };
    await outputOf(single({ Type: 'Pass', Result: 2, ResultPath: '$.a.m' }), input);
    expect(input).toEqual({ a: { n: 1 } });
  });

  it('fails with States.ResultPathMatchFailure when ResultPath cannot be placed in the input', async () => {
    const f = await failureOf(single({ Type: 'Pass', Result: 1, ResultPath: '$.a.b' }), { a: 'text' });
    expect(f.error).toBe('States.ResultPathMatchFailure');
    expect(f.cause).toBe('Unable to apply step "$.a.b" to input {"a":"text"}');
  });

  it('filters the output with OutputPath', async () => {
    expect(await outputOf(single({ Type: 'Pass', OutputPath: '$.a' }), { a: [1], b: 2 })).toEqual([1]);
  });

  it('gives {} as output when OutputPath is null', async () => {
    expect(await outputOf(single({ Type: 'Pass', OutputPath: null }), { a: 1 })).toEqual({});
  });

  it('fails with States.Runtime when OutputPath matches nothing', async () => {
    const f = await failureOf(single({ Type: 'Pass', OutputPath: '$.nope' }), { a: 1 });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain("Invalid path '$.nope' : No results for path: $['nope']");
  });

  it('names the first missing field, as AWS does, when a field before the last step is missing', async () => {
    const f = await failureOf(single({ Type: 'Pass', OutputPath: '$.no.such.result.path' }), {});
    expect(f.cause).toBe("An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.no.such.result.path' : Missing property in path $['no']");
    const g = await failureOf(single({ Type: 'Pass', InputPath: '$.a.items[0].b.c' }), { a: { items: [{ x: 1 }] } });
    expect(g.cause).toContain("Invalid path '$.a.items[0].b.c' : Missing property in path $['a']['items'][0]['b']");
  });

  it('names the whole path when only the last field is missing', async () => {
    const f = await failureOf(single({ Type: 'Pass', InputPath: '$.a.b' }), { a: {} });
    expect(f.cause).toContain("Invalid path '$.a.b' : No results for path: $['a']['b']");
  });

  it('fails with States.Runtime when a Parameters path matches nothing, the cause naming the state as AWS does', async () => {
    const f = await failureOf(single({ Type: 'Pass', Parameters: { 'v.$': '$.missing' } }), { a: 1 });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toBe(
      "An error occurred while executing the state 'S' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'v.$' could not be found in the input '{\"a\":1}'",
    );
  });

  it('shows the Context Object a $$ path was looked up in, calling it the input as AWS does', async () => {
    const f = await failureOf(single({ Type: 'Pass', Parameters: { 'v.$': '$$.Map.Item.Value' } }), {});
    expect(f.cause).toMatch(/^An error occurred while executing the state 'S' \(entered at the event id #2\)\. The JSONPath '\$\$\.Map\.Item\.Value' specified for the field 'v\.\$' could not be found in the input '\{"Execution":/);
  });

  it('names the state and the whole intrinsic expression when an intrinsic path argument matches nothing', async () => {
    const f = await failureOf(single({ Type: 'Pass', Parameters: { 'v.$': 'States.Array($.missing)' } }), { a: 1 });
    expect([f.error, f.cause]).toEqual([
      'States.Runtime',
      "An error occurred while executing the state 'S' (entered at the event id #2). The function 'States.Array($.missing)' had the following error: The JsonPath argument for the field '$.missing' could not be found in the input '{\"a\":1}'",
    ]);
  });

  it('names the Fail state in the cause when its ErrorPath matches nothing', async () => {
    const f = await failureOf({ StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.ErrorX' } } } as StateMachineDefinition, { Error: 'e' });
    expect([f.error, f.cause]).toEqual([
      'States.Runtime',
      "An error occurred while executing the state 'F' (entered at the event id #2). The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{\"Error\":\"e\"}'",
    ]);
  });

  it('fails with States.Runtime when an intrinsic function gets bad arguments', async () => {
    const f = await failureOf(single({ Type: 'Pass', Parameters: { 'v.$': 'States.ArrayGetItem($.a, 5)' } }), { a: [1] });
    expect(f.error).toBe('States.Runtime');
  });

  it('evaluates JSONPath filters without script evaluation', async () => {
    const out = await outputOf(single({ Type: 'Pass', Parameters: { 'cheap.$': '$.items[?(@.price < 10)].name' } }),
      { items: [{ name: 'a', price: 5 }, { name: 'b', price: 50 }, { name: 'c', price: 1 }] });
    expect(out).toEqual({ cheap: ['a', 'c'] });
  });

  it('does not run JavaScript written inside a filter', async () => {
    const g = globalThis as { swPwned?: number };
    delete g.swPwned;
    await run(single({ Type: 'Pass', Parameters: { 'x.$': '$.items[?(globalThis.swPwned = 1)]' } }), { items: [{ a: 1 }] });
    expect(g.swPwned).toBeUndefined();
  });

  it('gives [] for a wildcard that matches nothing', async () => {
    expect(await outputOf(single({ Type: 'Pass', Parameters: { 'v.$': '$.items[*].id' } }), { items: [] })).toEqual({ v: [] });
  });

  it('gives [] for a slice that matches nothing', async () => {
    expect(await outputOf(single({ Type: 'Pass', Parameters: { 'v.$': '$.items[5:7]' } }), { items: [1, 2] })).toEqual({ v: [] });
  });

  it('gives [] for a filter that matches nothing', async () => {
    expect(await outputOf(single({ Type: 'Pass', Parameters: { 'v.$': '$.items[?(@.n > 100)]' } }), { items: [{ n: 1 }] })).toEqual({ v: [] });
  });

  it('applies InputPath, Parameters, ResultSelector, ResultPath and OutputPath in that order', async () => {
    const seen: unknown[] = [];
    const out = await outputOf(single({
      Type: 'Task',
      Resource: 'arn:aws:states:::x:y',
      InputPath: '$.in',
      Parameters: { 'p.$': '$.v' },
      ResultSelector: { 'sel.$': '$.r' },
      ResultPath: '$.in.res',
      OutputPath: '$.in',
    }), { in: { v: 3 }, other: 1 }, { taskHandlers: { S: (input) => { seen.push(input); return { r: 9 }; } } });
    expect(seen).toEqual([{ p: 3 }]);
    expect(out).toEqual({ v: 3, res: { sel: 9 } });
  });
});
