import { failureOf, outputOf, single } from './helpers';

const selecting = (path: string) => single({ Type: 'Pass', Parameters: { 'v.$': path } });
/** A Pass whose errors States.ALL would catch, if they were catchable. */
const caught = (state: Record<string, unknown>) => ({
  StartAt: 'S',
  States: { S: { ...state, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true }, Caught: { Type: 'Succeed' } },
});

describe('JSONPath: a path that cannot be evaluated fails with States.Runtime', () => {
  it.each([
    ['$.a[?(@.x ==)]', { a: [{ x: 1 }] }],
    ['$.a[?(@.x = 1)]', { a: [{ x: 1 }] }],
  ])('fails Parameters %s with States.Runtime naming the path', async (path, input) => {
    const f = await failureOf(selecting(path), input);
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain(`The JSONPath '${path}' could not be evaluated`);
  });

  it('fails InputPath $.a[(@.length-1)] on a string with States.Runtime, not a TypeError, and States.ALL does not catch it', async () => {
    const def = caught({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', InputPath: '$.a[(@.length-1)]' });
    const f = await failureOf(def, { a: '' }, { taskHandlers: { S: () => ({}) } });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain("The JSONPath '$.a[(@.length-1)]' could not be evaluated");
  });

  it('names the filter and what in it does not parse, without the placeholder jsonpath-plus sees', async () => {
    const f = await failureOf(selecting('$.a[?(@.x = 1)]'), { a: [{ x: 1 }] });
    expect(f.cause).toBe("The JSONPath '$.a[?(@.x = 1)]' could not be evaluated: the filter '@.x = 1' does not parse: unexpected '= 1'");
  });

  it.each([
    ['an empty list', { a: [] }],
    ['no list at all', {}],
  ])('fails a path whose filter does not parse ($.a[?(@.lang = es)]) on %s too, as Jayway compiles a filter with its path', async (_what, input) => {
    const f = await failureOf(selecting('$.a[?(@.lang = es)]'), input);
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toBe("The JSONPath '$.a[?(@.lang = es)]' could not be evaluated: the filter '@.lang = es' does not parse: unexpected '= es'");
  });

  it('selects with a bare word in a filter ($.a[?(@.lang == es)]), as AWS does, and selects nothing from an empty list', async () => {
    expect(await outputOf(selecting('$.a[?(@.lang == es)]'), { a: [{ lang: 'es' }, { lang: 'fr' }] })).toEqual({ v: [{ lang: 'es' }] });
    expect(await outputOf(selecting('$.a[?(@.lang == es)]'), { a: [] })).toEqual({ v: [] });
  });

  it('skips items a filter cannot read ($.a[?(@.x > 1)] over [null, {x: 2}]) as Jayway JSONPath does', async () => {
    expect(await outputOf(selecting('$.a[?(@.x > 1)]'), { a: [null, { x: 2 }, { x: 0 }] })).toEqual({ v: [{ x: 2 }] });
  });
});
