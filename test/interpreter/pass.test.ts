import { outputOf, single } from './helpers';

describe('Pass state', () => {
  it('passes its input through unchanged by default', async () => {
    expect(await outputOf(single({ Type: 'Pass' }), { a: 1 })).toEqual({ a: 1 });
  });

  it('outputs its Result instead of its input', async () => {
    expect(await outputOf(single({ Type: 'Pass', Result: { fixed: true } }), { a: 1 })).toEqual({ fixed: true });
  });

  it('places its Result at ResultPath inside the input', async () => {
    expect(await outputOf(single({ Type: 'Pass', Result: 'x', ResultPath: '$.r' }), { a: 1 })).toEqual({ a: 1, r: 'x' });
  });

  it('builds its result from Parameters with paths, the Context Object and intrinsics', async () => {
    const out = await outputOf(single({
      Type: 'Pass',
      Parameters: { 'v.$': '$.a', 'name.$': '$$.State.Name', 'sum.$': 'States.MathAdd($.a, 2)', 'literal': 'lit' },
    }), { a: 1 });
    expect(out).toEqual({ v: 1, name: 'S', sum: 3, literal: 'lit' });
  });

  it('chains to the state named in Next', async () => {
    const out = await outputOf({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Result: 1, ResultPath: '$.a', Next: 'B' }, B: { Type: 'Pass', Result: 2, ResultPath: '$.b', End: true } },
    }, {});
    expect(out).toEqual({ a: 1, b: 2 });
  });
});

describe('Succeed state', () => {
  it('ends the execution with its input', async () => {
    expect(await outputOf(single({ Type: 'Succeed' }), { a: 1 })).toEqual({ a: 1 });
  });

  it('applies InputPath and OutputPath', async () => {
    expect(await outputOf(single({ Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' }), { a: { b: 2 } })).toBe(2);
  });
});
