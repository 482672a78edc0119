import { failureOf, outputOf, run, single } from './helpers';
import type { JsonValue } from '../../src/asl/definition-types';
import { compileStateMachine } from '../../src/interpreter';

const R = 'arn:aws:states:::x:y';
const JSONATA = { QueryLanguage: 'JSONata' };

describe('Variables: Assign', () => {
  it('assigns in a JSONPath state and reads $name in later paths, Parameters and intrinsics', async () => {
    const out = await outputOf({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { 'x': 2, 'who.$': '$.name' }, Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'x.$': '$x', 'greet.$': "States.Format('hi {}', $who)", 'sum.$': 'States.MathAdd($x, 1)' }, End: true },
      },
    }, { name: 'ann' });
    expect(out).toEqual({ x: 2, greet: 'hi ann', sum: 3 });
  });

  it('reads variables in JSONPath InputPath, OutputPath, ItemsPath and Choice Variable', async () => {
    const out = await outputOf({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { obj: { list: [1, 2], flag: true } }, Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$obj.flag', BooleanEquals: true, Next: 'M' }], Default: 'X' },
        M: { Type: 'Map', ItemsPath: '$obj.list', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, Next: 'I' },
        I: { Type: 'Pass', InputPath: '$obj', OutputPath: '$.list', End: true },
        X: { Type: 'Fail' },
      },
    });
    expect(out).toEqual([1, 2]);
  });

  it('assigns in a JSONata state and reads the variable in later expressions', async () => {
    const out = await outputOf({
      ...JSONATA,
      StartAt: 'A',
      States: { A: { Type: 'Pass', Assign: { total: '{% $sum($states.input.xs) %}' }, Next: 'B' }, B: { Type: 'Pass', Output: '{% $total * 2 %}', End: true } },
    }, { xs: [1, 2] });
    expect(out).toBe(6);
  });

  it.each([
    ['Pass', { Type: 'Pass' }],
    ['Task', { Type: 'Task', Resource: R }],
    ['Wait', { Type: 'Wait', Seconds: 1 }],
    ['Parallel', { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }] }],
    ['Map', { Type: 'Map', ItemProcessor: { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } } }],
  ])('assigns in a %s state in both query languages', async (_type, state) => {
    for (const language of ['JSONPath', 'JSONata']) {
      const out = await outputOf({
        QueryLanguage: language,
        StartAt: 'S',
        States: { S: { ...state, Assign: { v: 'set' }, Next: 'N' }, N: language === 'JSONata' ? { Type: 'Pass', Output: '{% $v %}', End: true } : { Type: 'Pass', Parameters: { 'v.$': '$v' }, OutputPath: '$.v', End: true } },
      }, [], { taskHandlers: { S: () => 1 } });
      expect(out).toBe('set');
    }
  });

  it('lets JSONPath Assign read the state result as $ and JSONata Assign read $states.result', async () => {
    const jp = await outputOf({
      StartAt: 'S', States: { S: { Type: 'Task', Resource: R, Assign: { 'r.$': '$.v' }, ResultPath: null, Next: 'N' }, N: { Type: 'Pass', Parameters: { 'r.$': '$r' }, End: true } },
    }, { v: 'input' }, { taskHandlers: { S: () => ({ v: 'result' }) } });
    expect(jp).toEqual({ r: 'result' });
  });

  it('evaluates every Assign against the values from before the state', async () => {
    const out = await outputOf({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { a: 1, b: 10 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { 'a.$': '$b', 'b.$': '$a' }, Next: 'C' },
        C: { Type: 'Pass', Parameters: { 'a.$': '$a', 'b.$': '$b' }, End: true },
      },
    });
    expect(out).toEqual({ a: 10, b: 1 });
  });

  it("does not let a JSONata Output see the same state's assignments", async () => {
    const out = await outputOf({
      ...JSONATA,
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 'old' }, Next: 'B' },
        B: { Type: 'Pass', Assign: { x: 'new' }, Output: '{% $x %}', Next: 'C' },
        C: { Type: 'Pass', Output: { before: '{% $states.input %}', now: '{% $x %}' }, End: true },
      },
    });
    expect(out).toEqual({ before: 'old', now: 'new' });
  });

  it('applies a Catch Assign on the error path, not the state Assign', async () => {
    const out = await outputOf({
      StartAt: 'S',
      States: {
        S: { Type: 'Task', Resource: R, Assign: { where: 'success' }, Catch: [{ ErrorEquals: ['States.ALL'], Assign: { 'where.$': '$.Error' }, Next: 'H' }], End: true },
        H: { Type: 'Pass', Parameters: { 'w.$': '$where' }, End: true },
      },
    }, {}, { taskHandlers: { S: () => { throw Object.assign(new Error('x'), { name: 'Boom' }); } } });
    expect(out).toEqual({ w: 'Boom' });
  });

  it("applies only the taken Choice rule's Assign, and the state Assign only with Default", async () => {
    const def = {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Assign: { picked: 'default' },
          Choices: [{ Variable: '$.n', NumericEquals: 1, Assign: { picked: 'one' }, Next: 'E' }, { Variable: '$.n', NumericEquals: 2, Assign: { picked: 'two' }, Next: 'E' }],
          Default: 'E',
        },
        E: { Type: 'Pass', Parameters: { 'p.$': '$picked' }, End: true },
      },
    };
    expect(await outputOf(def, { n: 2 })).toEqual({ p: 'two' });
    expect(await outputOf(def, { n: 9 })).toEqual({ p: 'default' });
  });
});

describe('Variables: scoping', () => {
  it('lets Parallel branches read outer variables but keeps their assignments inside', async () => {
    const out = await outputOf({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { outer: 'o', x: 'before' }, Next: 'P' },
        P: {
          Type: 'Parallel',
          Next: 'After',
          Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Assign: { x: 'inner' }, Next: 'B2' }, B2: { Type: 'Pass', Parameters: { 'outer.$': '$outer', 'x.$': '$x' }, End: true } } }],
        },
        After: { Type: 'Pass', Parameters: { 'branch.$': '$[0]', 'x.$': '$x' }, End: true },
      },
    });
    expect(out).toEqual({ branch: { outer: 'o', x: 'inner' }, x: 'before' });
  });

  it('gives a branch a scope of its own at its first assignment: siblings that assign nothing read the outer value, later assignments keep the first', async () => {
    const out = await outputOf({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 'outer', y: 'outer-y' }, Next: 'P' },
        P: {
          Type: 'Parallel',
          Next: 'After',
          Branches: [
            {
              StartAt: 'Read1',
              States: {
                Read1: { Type: 'Pass', Parameters: { 'before.$': '$x' }, Next: 'Set1' },
                Set1: { Type: 'Pass', Assign: { x: 'one' }, ResultPath: null, Next: 'Set2' },
                Set2: { Type: 'Pass', Assign: { z: 'zed' }, ResultPath: null, Next: 'Read2' },
                Read2: { Type: 'Pass', Parameters: { 'before.$': '$.before', 'x.$': '$x', 'y.$': '$y', 'z.$': '$z' }, End: true },
              },
            },
            { StartAt: 'Other', States: { Other: { Type: 'Pass', Parameters: { 'x.$': '$x' }, End: true } } },
          ],
        },
        After: { Type: 'Pass', Parameters: { 'branches.$': '$', 'x.$': '$x' }, End: true },
      },
    });
    expect(out).toEqual({
      branches: [{ before: 'outer', x: 'one', y: 'outer-y', z: 'zed' }, { x: 'outer' }],
      x: 'outer',
    });
  });

  it('lets Map iterations read outer variables and keeps each iteration\'s assignments to itself', async () => {
    const out = await outputOf({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { base: 10 }, Next: 'M' },
        M: {
          Type: 'Map',
          ItemsPath: '$.xs',
          Next: 'After',
          ItemProcessor: {
            StartAt: 'I',
            States: {
              I: { Type: 'Pass', Assign: { 'mine.$': '$' }, Next: 'J' },
              J: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($base, $mine)' }, End: true },
            },
          },
        },
        After: { Type: 'Pass', Parameters: { 'r.$': '$', 'leaked.$': 'States.ArrayLength(States.Array($base))' }, End: true },
      },
    }, { xs: [1, 2] });
    expect(out).toEqual({ r: [{ v: 11 }, { v: 12 }], leaked: 1 });
  });

  it('fails with States.Runtime when a path reads a variable that is not set', async () => {
    const f = await failureOf(single({ Type: 'Pass', Parameters: { 'v.$': '$nope' } }));
    expect(f.error).toBe('States.Runtime');
  });

  it('does not let an outer variable assigned inside a Map leak out of it', async () => {
    const r = await run({
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Assign: { leaked: true }, End: true } } }, Next: 'After' },
        After: { Type: 'Pass', Parameters: { 'v.$': '$leaked' }, End: true },
      },
    }, [1]);
    expect(r.error).toBe('States.Runtime');
  });
});

describe('Variables: injected and limited', () => {
  it('starts with the variables given to machine.start', async () => {
    const r = await compileStateMachine(single({ Type: 'Pass', Parameters: { 'v.$': '$given' } })).start({}, { variables: { given: [1] } }).result;
    expect(r.output).toEqual({ v: [1] });
  });

  it('refuses an invalid variable name when compiling, naming the field', () => {
    expect(() => compileStateMachine(single({ Type: 'Pass', Assign: { 'bad name': 1 } }))).toThrow(/\/States\/S\/Assign\/bad name.*Variable name 'bad name' is invalid/);
  });

  it('refuses a variable name longer than 80 characters', () => {
    expect(() => compileStateMachine(single({ Type: 'Pass', Assign: { ['v'.repeat(81)]: 1 } }))).toThrow(/is invalid/);
  });

  it('refuses $states as a variable name in JSONata', () => {
    expect(() => compileStateMachine(single({ Type: 'Pass', Assign: { states: 1 } }, JSONATA))).toThrow(/reserved/);
  });

  it('fails with States.DataLimitExceeded when one variable is over 256 KiB', async () => {
    const f = await failureOf(single({ Type: 'Pass', Assign: { 'big.$': 'States.Array($.s, $.s)' } }), { s: 'x'.repeat(140_000) });
    expect(f).toEqual({
      error: 'States.DataLimitExceeded',
      cause: "The variable 'big' assigned by the state 'S' is 280007 bytes, over the maximum of 262144 bytes for one variable.",
    });
  });

  it('fails with States.DataLimitExceeded when one Assign is over 256 KiB in total', async () => {
    const f = await failureOf(single({ Type: 'Pass', Assign: { 'a.$': '$.s', 'b.$': '$.s' } }), { s: 'x'.repeat(140_000) });
    expect(f).toEqual({
      error: 'States.DataLimitExceeded',
      cause: "The variables assigned by the state 'S' are 280004 bytes together, over the maximum of 262144 bytes for one Assign.",
    });
  });

  it('fails with States.DataLimitExceeded when the variables stored are over 10 MiB in total', async () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 45; i++) states[`S${i}`] = { Type: 'Pass', Assign: { [`v${i}.$`]: '$.s' }, ...(i < 44 ? { Next: `S${i + 1}` } : { End: true }) };
    const f = await failureOf({ StartAt: 'S0', States: states }, { s: 'x'.repeat(250_000) });
    // 41 variables of 250,002 bytes fit in 10,485,760; the 42nd does not.
    expect(f).toEqual({
      error: 'States.DataLimitExceeded',
      cause: "The variables stored after the state 'S41' assigns would be 10500084 bytes, over the maximum of 10485760 bytes for one execution.",
    });
  });

  it('counts the variables given to machine.start (a redrive\'s restored variables) toward the 10 MiB total', async () => {
    const given: Record<string, JsonValue> = {};
    for (let i = 0; i < 41; i++) given[`v${i}`] = 'x'.repeat(250_000);
    const r = await compileStateMachine(single({ Type: 'Pass', Assign: { 'one.$': '$.s' } })).start({ s: 'x'.repeat(250_000) }, { variables: given }).result;
    expect(r).toMatchObject({
      error: 'States.DataLimitExceeded',
      cause: "The variables stored after the state 'S' assigns would be 10500084 bytes, over the maximum of 10485760 bytes for one execution.",
    });
  });

  it('counts a reassigned variable once toward the 10 MiB total', async () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 60; i++) states[`S${i}`] = { Type: 'Pass', Assign: { 'same.$': '$.s' }, ...(i < 59 ? { Next: `S${i + 1}` } : { End: true }) };
    expect(await outputOf({ StartAt: 'S0', States: states }, { s: 'x'.repeat(250_000) })).toEqual({ s: 'x'.repeat(250_000) });
  });

  it('accepts a variable just under 256 KiB', async () => {
    expect(await outputOf(single({ Type: 'Pass', Assign: { 'v.$': '$.s' }, OutputPath: null }), { s: 'x'.repeat(262_000) })).toEqual({});
  });

  it('does not let States.ALL catch an over-size Assign', async () => {
    const f = await failureOf({
      StartAt: 'S',
      States: { S: { Type: 'Task', Resource: R, Assign: { 'big.$': 'States.Array($, $)' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true }, H: { Type: 'Succeed' } },
    }, {}, { taskHandlers: { S: () => 'x'.repeat(200_000) } });
    expect(f.error).toBe('States.DataLimitExceeded');
  });
});
