import { failureOf, outputOf, run } from './helpers';

function choice(extra: Record<string, unknown> = {}) {
  const states: Record<string, unknown> = {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' },
          { And: [{ Variable: '$.s', IsPresent: true }, { Variable: '$.s', StringMatches: 'a*' }], Next: 'StartsWithA' },
          { Not: { Variable: '$.flag', BooleanEquals: true }, Next: 'NotFlag' },
        ],
        ...extra,
      },
      Big: { Type: 'Pass', Result: 'big', End: true },
      StartsWithA: { Type: 'Pass', Result: 'a', End: true },
      NotFlag: { Type: 'Pass', Result: 'notflag', End: true },
    },
  };
  // A state nothing links to is refused, so Other exists only when Default names it.
  if (extra.Default) (states.States as Record<string, unknown>).Other = { Type: 'Pass', Result: 'default', End: true };
  return states;
}

describe('Choice state (JSONPath)', () => {
  it('takes the first rule that holds', async () => {
    expect(await outputOf(choice(), { n: 11, s: 'abc' })).toBe('big');
  });

  it('evaluates And rules', async () => {
    expect(await outputOf(choice(), { n: 1, s: 'abc', flag: true })).toBe('a');
  });

  it('evaluates Not rules', async () => {
    expect(await outputOf(choice(), { n: 1, flag: false })).toBe('notflag');
  });

  it('goes to Default when no rule holds', async () => {
    expect(await outputOf(choice({ Default: 'Other' }), { n: 1, flag: true })).toBe('default');
  });

  it('fails with States.NoChoiceMatched when no rule holds and there is no Default', async () => {
    expect(await failureOf(choice(), { n: 1, flag: true })).toEqual({ error: 'States.NoChoiceMatched', cause: 'No Matches!' });
  });

  it('compares against a second path with the …Path operators', async () => {
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericLessThanPath: '$.b', Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Fail', Error: 'No' },
      },
    };
    expect((await run(def, { a: 1, b: 2 })).status).toBe('SUCCEEDED');
    expect((await run(def, { a: 3, b: 2 })).status).toBe('FAILED');
  });

  it('treats IsBoolean true for the value false', async () => {
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.v', IsBoolean: true, Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Fail', Error: 'No' },
      },
    };
    expect((await run(def, { v: false })).status).toBe('SUCCEEDED');
  });

  it('compares timestamps as instants', async () => {
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.t', TimestampLessThan: '2024-01-01T00:00:00Z', Next: 'Before' }], Default: 'After' },
        Before: { Type: 'Pass', Result: 'before', End: true },
        After: { Type: 'Pass', Result: 'after', End: true },
      },
    };
    expect(await outputOf(def, { t: '2023-12-31T23:00:00-00:30' })).toBe('before');
    expect(await outputOf(def, { t: '2024-01-01T00:30:00+01:00' })).toBe('before');
    expect(await outputOf(def, { t: '2024-01-01T00:00:01Z' })).toBe('after');
  });

  it('passes its input on, through InputPath and OutputPath', async () => {
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', InputPath: '$.in', OutputPath: '$.x', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'E' }] },
        E: { Type: 'Succeed' },
      },
    };
    expect(await outputOf(def, { in: { x: 5 } })).toBe(5);
  });

  it('records ChoiceStateEntered and ChoiceStateExited', async () => {
    const r = await run(choice({ Default: 'Other' }), { n: 11 });
    expect(r.history.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
  });
});
