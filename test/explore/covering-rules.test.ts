import jsonata from 'jsonata';
import { machine, reaching, replays } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { ANY, asJson, evaluateAbstract, type AbstractValue } from '../../src/explore/abstract-values';
import { proveByFlow } from '../../src/explore/flow-proofs';
import { machineStates } from '../../src/explore/goals';
import type { ExploreReport } from '../../src/explore/report-types';
import { parseJsonata } from '../../src/explore/solve/jsonata-ast';

/*
 * Issue 77, "unreachability proved, or not claimed": a Choice whose rules, read in order, cover
 * every value the states before it can give (`$total >= 1000`, then `$total < 1000`, of a total
 * that is a number or fails the state computing it), and a rule an earlier Choice on the same
 * unchanged value already refused (`$length($v.name) > 100` after `$length($v.name) > 80` sent
 * every longer name elsewhere). Beside each proof, the near misses a run reaches and explore must
 * never claim: a total that may be absent, a gap between the rules, the value assigned again
 * between the Choices, a second way in that skips the first Choice.
 */

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';

/** An order priced by a Pass (`total`: its Assign), then split at 1,000 by `rules`. */
function pricedMachine(total: string, rules: readonly string[] = ['{% $total >= 1000 %}', '{% $total < 1000 %}']) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Price',
    States: {
      'Price': { Type: 'Pass', Assign: { total: total }, Next: 'Size?' },
      'Size?': {
        Type: 'Choice',
        Choices: rules.map((Condition, i) => ({ Condition, Next: i === 0 ? 'Big' : 'Small' })),
        Default: 'Missing',
      },
      'Big': { Type: 'Succeed' },
      'Small': { Type: 'Succeed' },
      'Missing': { Type: 'Fail', Error: 'Price.Missing' },
    },
  };
}

function prove(def: object, key: string) {
  return proveByFlow(machineStates(def as StateMachineDefinition), key);
}

async function explore(def: object): Promise<{ report: ExploreReport; replay: () => Promise<void> }> {
  const wf = machine(def);
  const report = await wf.explore();
  return { report, replay: async () => { for (const s of report.scenarios) await replays(wf, s); } };
}

describe('a Choice whose rules cover every number its value can be', () => {
  const SUM = '{% $sum([$sum($states.input.seats.price), $states.input.fees.service, $states.input.fees.facility]) %}';

  it('proves the Default unreachable when the total is a $sum of a list, a number or a failed Pass', async () => {
    const proof = prove(pricedMachine(SUM), 'Size?#default');
    expect(proof?.proof).toMatchObject({ kind: 'value-flow', state: 'Size?', way: ['Price'], rule: 1, always: true });
    expect(proof?.reason).toMatch(/Choices\[1\] \(\{% \$total < 1000 %\}\) is always true on what is left \(true\), once Choices\[0\] \(\{% \$total >= 1000 %\}\) came out false, which leaves \$total: a number at most 999\.9+$/);
    // A total JSONata cannot compare with a number (null, or "Infinity" as AWS may write it) fails the first rule.
    expect(proof?.reason).toMatch(/a value compared with '>=' is neither a number nor a string \(JSONata throws T2010\): 'Size\?' fails with States\.QueryEvaluationError/);
    expect(proof?.reason).toMatch(/\$sum is given a value that is neither a number nor a list of numbers \(JSONata throws T0412\): 'Price' fails with States\.QueryEvaluationError/);
    const { report, replay } = await explore(pricedMachine(SUM));
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Missing']);
    expect(report.states.notReached).toEqual([]);
    expect(report.search.complete).toBe(true);
    await replay();
  });

  it('proves it through `or`: a total that is always a number ($sum of a list holding 0) below 1000 makes the second rule true', () => {
    const def = pricedMachine('{% $sum([$sum($states.input.seats.price), 0]) %}', ['{% $total >= 1000 or $states.input.rush %}', '{% $total < 1000 or $states.input.rush %}']);
    expect(prove(def, 'Size?#default')?.proof).toMatchObject({ kind: 'value-flow', rule: 1, always: true });
  });

  it('claims nothing, and reaches the Default, when the total may be absent: $sum of an absent list is nothing, which `or` takes as false', async () => {
    const def = pricedMachine("{% {'v': $sum($states.input.seats.price)} %}", ['{% $total.v >= 1000 or $states.input.rush %}', '{% $total.v < 1000 or $states.input.rush %}']);
    expect(prove(def, 'Size?#default')).toBeUndefined();
    const { report, replay } = await explore(def);
    expect(report.states.unreachable).toEqual([]);
    expect(reaching(report, 'states', 'Missing')).toBeDefined();
    await replay();
  });

  it('claims nothing, and reaches the Default, when the rules leave a gap (>= 1000, then < 999)', async () => {
    const def = pricedMachine(SUM, ['{% $total >= 1000 %}', '{% $total < 999 %}']);
    expect(prove(def, 'Size?#default')).toBeUndefined();
    const { report, replay } = await explore(def);
    expect(report.states.unreachable).toEqual([]);
    expect(reaching(report, 'states', 'Missing')).toBeDefined();
    await replay();
  });

  it('claims nothing when the rules compare a sum of two sums in the Condition itself, which is NaN when one is Infinity and the other -Infinity', async () => {
    const total = '$sum([$sum($states.input.a), $sum($states.input.b)])';
    const def = pricedMachine('{% 0 %}', [`{% ${total} >= 1000 %}`, `{% ${total} < 1000 %}`]);
    expect(prove(def, 'Size?#default')).toBeUndefined();
    // The run explore may not find, shown by hand: both rules false, the Default taken.
    const run = await machine(def).run({ a: [1e308, 1e308], b: [-1e308, -1e308] });
    expect(run.path).toContain('Missing');
  });
});

/**
 * A vendor whose name an early Choice refuses over 80 characters; two ways (a clear screening, a
 * procurement approval through a callback) lead to `Create`, then a check for names over 100
 * characters. `between` is an Assign on the approval's way, `caught` one of its Catch; `skip` sends a second way into
 * `Create` that never went through `Valid?`.
 */
function vendorMachine({ between, skip = false, caught }: { between?: object; skip?: boolean; caught?: object } = {}) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: skip ? 'Fast lane?' : 'Normalize',
    States: {
      ...(skip ? {
        'Fast lane?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.fast = true %}', Next: 'Fast' }],
          Default: 'Normalize',
        },
        'Fast': { Type: 'Pass', Assign: { vendor: '{% $states.input.vendor %}' }, Next: 'Create' },
      } : {}),
      'Normalize': {
        Type: 'Pass',
        Assign: { vendor: "{% $merge([$states.input.vendor, {'name': $trim($states.input.vendor.name)}]) %}" },
        Next: 'Valid?',
      },
      'Valid?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $length($vendor.name) > 80 %}', Next: 'Name too long' }],
        Default: 'Screen',
      },
      'Screen': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: FN, Payload: { name: '{% $vendor.name %}' } },
        Assign: { screening: '{% $states.result.Payload.status %}' },
        Next: 'Route',
      },
      'Route': {
        Type: 'Choice',
        Choices: [{ Condition: "{% $screening = 'CLEAR' %}", Next: 'Create' }],
        Default: 'Ask',
      },
      'Ask': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: FN, Payload: { vendor: '{% $vendor %}' } },
        Assign: { decision: '{% $states.result.Payload.decision %}', ...(between ?? {}) },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Create', ...(caught ? { Assign: caught } : {}) }],
        Next: 'Decision',
      },
      'Decision': {
        Type: 'Choice',
        Choices: [{ Condition: "{% $decision = 'APPROVED' %}", Next: 'Create' }],
        Default: 'Rejected',
      },
      'Create': { Type: 'Pass', Next: 'Long name?' },
      'Long name?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $length($vendor.name) > 100 %}', Next: 'Shorten' }],
        Default: 'Done',
      },
      'Shorten': { Type: 'Pass', Assign: { vendor: "{% $merge([$vendor, {'name': $substring($vendor.name, 0, 100)}]) %}" }, Next: 'Done' },
      'Name too long': { Type: 'Fail', Error: 'Vendor.NameTooLong' },
      'Rejected': { Type: 'Fail', Error: 'Vendor.Rejected' },
      'Done': { Type: 'Succeed' },
    },
  };
}

describe('a rule an earlier Choice on the same unchanged value already refused', () => {
  it('proves Long name?#0 unreachable: every way into Create went through Valid?#default, and $vendor is not assigned again', async () => {
    const proof = prove(vendorMachine(), 'Long name?#0');
    expect(proof?.proof).toMatchObject({ kind: 'value-flow', state: 'Long name?', way: ['Create'], rule: 0, always: false });
    expect(proof?.reason).toMatch(/Choices\[0\] \(\{% \$length\(\$vendor\.name\) > 100 %\}\) is always false on what is left \(nothing or false\)/);
    expect(proof?.reason).toMatch(/with what every way into 'Create' holds: \$length\(\$vendor\.name\): nothing or a number in \[0, 80\] \(since Valid\?#default\)/);
    expect(proof?.reason).toMatch(/^every run into it comes along 'Create', and /);
    const { report, replay } = await explore(vendorMachine());
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Shorten']);
    expect(report.states.notReached).toEqual([]);
    await replay();
  });

  it('claims nothing when a state on one way assigns $vendor again', async () => {
    const def = vendorMachine({ between: { vendor: "{% $merge([$vendor, {'name': $states.result.Payload.name}]) %}" } });
    expect(prove(def, 'Long name?#0')).toBeUndefined();
    const { report } = await explore(def);
    expect(report.choiceRules.unreachable).toEqual([]);
  });

  it("claims nothing when the approval's Catch assigns $vendor on its way into Create, or its state's own Assign does (which a Catch skips, but may have run)", () => {
    expect(prove(vendorMachine({ caught: { vendor: '{% $states.errorOutput %}' } }), 'Long name?#0')).toBeUndefined();
    expect(prove(vendorMachine({ between: { vendor: '{% $vendor %}' } }), 'Long name?#0')).toBeUndefined();
  });

  it('claims nothing when the length read is of a whole variable ($length($name)) that a state between assigns again', () => {
    const def = vendorMachine();
    const states = def.States as Record<string, Record<string, unknown>>;
    states.Normalize.Assign = { vendor: '{% $states.input.vendor %}', name: '{% $states.input.vendor.name %}' };
    states['Valid?'].Choices = [{ Condition: '{% $length($name) > 80 %}', Next: 'Name too long' }];
    states['Long name?'].Choices = [{ Condition: '{% $length($name) > 100 %}', Next: 'Shorten' }];
    expect(prove(def, 'Long name?#0')?.proof).toMatchObject({ kind: 'value-flow', rule: 0, always: false });
    states.Create.Assign = { name: "{% $states.input.name & '' %}" };
    expect(prove(def, 'Long name?#0')).toBeUndefined();
  });

  it('claims nothing when a second way into Create never went through Valid?', async () => {
    const def = vendorMachine({ skip: true });
    expect(prove(def, 'Long name?#0')).toBeUndefined();
    const { report, replay } = await explore(def);
    expect(report.choiceRules.unreachable).toEqual([]);
    expect(reaching(report, 'states', 'Shorten')).toBeDefined();
    await replay();
  });
});

/** True when the abstraction allows the concrete value JSONata gave. */
function allows(a: AbstractValue, v: unknown): boolean {
  if (v === undefined) return a.undef;
  if (v === null) return a.nul;
  if (typeof v === 'boolean') return v ? a.bool.t : a.bool.f;
  if (typeof v === 'number') {
    if (!a.num) return false;
    if (Number.isNaN(v)) return !!a.num.nan;
    if (!Number.isFinite(v) && !a.num.inf && !a.num.nan) return false;
    return a.num.lo <= v && v <= a.num.hi;
  }
  if (typeof v === 'string') return !!a.str && (a.str.only === undefined || a.str.only.includes(v));
  return Array.isArray(v) ? !!a.arr : !!a.obj;
}

describe('the abstraction of $sum and $length holds what JSONata gives', () => {
  const values: unknown[] = [undefined, null, true, 0, -3, 2.5, 1e308, -1e308, '', 'ab', '😀a', [], [1, 2], [1e308, 1e308], [-1e308, -1e308], [1, 'x'], [[1]], { a: 1 }];
  const expressions = ['$sum($x)', '$sum([$sum($x), $y])', '$sum([$sum($x), $sum($y)])', '$sum([$x, $y, 5])', '$length($x)', '$x + $y', '$sum($x) >= 1000', '$sum([$sum($x), $sum($y)]) < 1000'];
  it.each(expressions)('%s: every value it gives on any pair of inputs is one the abstraction allows', async (expression) => {
    const ast = parseJsonata(expression);
    if ('error' in ast) throw new Error(String(ast.error));
    const got = evaluateAbstract(ast.ast, { states: { input: ANY }, variables: new Map() }, () => undefined);
    let checked = 0;
    for (const x of values) {
      for (const y of values) {
        let v: unknown;
        try {
          v = await jsonata(expression).evaluate({}, { x, y });
        } catch {
          continue; // JSONata throws: the state fails, no run goes on with a value.
        }
        checked++;
        expect({ x, y, v, allowed: allows(got, v) }).toEqual({ x, y, v, allowed: true });
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('turns Infinity and NaN into what a state can hold, strings or null, at the end of an expression', () => {
    const ast = parseJsonata('$sum([$sum($x), $sum($y)])');
    if ('error' in ast) throw new Error(String(ast.error));
    const v = asJson(evaluateAbstract(ast.ast, { states: { input: ANY }, variables: new Map() }, () => undefined));
    expect(v.num).toEqual({ lo: -Infinity, hi: Infinity });
    expect(v.str?.only).toEqual(['Infinity', '-Infinity', 'NaN']);
    expect(v.nul).toBe(true);
  });
});

/**
 * Review of issue 77's proofs: machines that try to make explore claim a state a run enters. Each
 * claim is checked against a real run; a "not claimed" case is one a plausible slip (dropping
 * "nothing" from `!=`, taking `$length($s)`'s fact for another variable's, missing an Assign)
 * would turn into a false "unreachable".
 */
describe('refused values and covering rules: what a run enters is never claimed', () => {
  /** A Choice on `rules` (each to its own Succeed `R<i>`), Default `D`, after the `pre` states from StartAt `Pre`. */
  function split(rules: readonly string[], pre: Record<string, object>, extra: Record<string, object> = {}) {
    return {
      QueryLanguage: 'JSONata',
      StartAt: 'Pre',
      States: {
        ...pre,
        C: { Type: 'Choice', Choices: rules.map((Condition, i) => ({ Condition, Next: `R${i}` })), Default: 'D' },
        ...Object.fromEntries(rules.map((_, i) => [`R${i}`, { Type: 'Succeed' }])),
        D: { Type: 'Succeed' },
        ...extra,
      },
    };
  }
  const PASS = { Pre: { Type: 'Pass', Next: 'C' } };

  it('claims nothing of `x != 5` false then `x = 5` over a field that may be absent: JSONata gives false for both when x is nothing', async () => {
    // jsonata 2.x: `$x != 5` and `$x = 5` are both false when $x is undefined (comparisons with `<` give undefined instead).
    expect(await jsonata('[$x != 5, $x = 5]').evaluate({}, {})).toEqual([false, false]);
    const def = split(['{% $states.input.x != 5 %}', '{% $states.input.x = 5 %}'], PASS);
    expect(prove(def, 'C#default')).toBeUndefined();
    expect((await machine(def).run({})).path).toEqual(['Pre', 'C', 'D']);
  });

  it("claims nothing of it across two Choices either: an earlier `x != 5` false leaves 5 or nothing, and the later `x = 5`'s Default is entered", async () => {
    const def = split(['{% $states.input.x = 5 %}'], {
      Pre: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.x != 5 %}', Next: 'Other' }], Default: 'Mid' },
      Mid: { Type: 'Pass', Next: 'C' },
    }, { Other: { Type: 'Succeed' } });
    expect(prove(def, 'C#default')).toBeUndefined();
    expect((await machine(def).run({})).path).toEqual(['Pre', 'Mid', 'C', 'D']);
  });

  it('still proves `x != 5` false then `x = 5` covering a variable that is always a number', async () => {
    const def = split(['{% $x != 5 %}', '{% $x = 5 %}'], { Pre: { Type: 'Pass', Assign: { x: '{% $sum([$states.input.n, 0]) %}' }, Next: 'C' } });
    expect(prove(def, 'C#default')?.proof).toMatchObject({ kind: 'value-flow', rule: 1, always: true });
    const { report, replay } = await explore(def);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['D']);
    await replay();
  });

  it('claims nothing of `$length($s)` once a state assigns $s again: the fact of `$length($s)` reads $s', async () => {
    const def = split(['{% $length($s) > 5 %}'], {
      'Pre': { Type: 'Pass', Assign: { s: '{% $string($states.input.s) %}' }, Next: 'Short?' },
      'Short?': { Type: 'Choice', Choices: [{ Condition: '{% $length($s) > 3 %}', Next: 'Long' }], Default: 'Grow' },
      'Grow': { Type: 'Pass', Assign: { s: "{% $s & 'xxxxxxxx' %}" }, Next: 'C' },
    }, { Long: { Type: 'Succeed' } });
    expect(prove(def, 'C#0')).toBeUndefined();
    expect((await machine(def).run({ s: 'a' })).path).toEqual(['Pre', 'Short?', 'Grow', 'C', 'R0']);
    // Without the Assign, the earlier Choice's refusal holds and is claimed.
    const kept = split(['{% $length($s) > 5 %}'], {
      ...def.States, Grow: { Type: 'Pass', Next: 'C' },
    });
    expect(prove(kept, 'C#0')?.proof).toMatchObject({ kind: 'value-flow', rule: 0, always: false });
  });

  it("claims nothing when a Choice rule's Assign changes the value on a loop back into the later Choice", async () => {
    const def = split(['{% $n > 100 %}'], {
      'Pre': { Type: 'Pass', Assign: { n: '{% $sum([$states.input.n, 0]) %}' }, Next: 'Small?' },
      'Small?': { Type: 'Choice', Choices: [{ Condition: '{% $n > 80 %}', Next: 'Big' }], Default: 'Mid' },
      'Mid': { Type: 'Choice', Choices: [{ Condition: '{% $n >= 0 and $n <= 80 %}', Assign: { n: '{% $n + 50 %}' }, Next: 'Again' }], Default: 'C' },
      'Again': { Type: 'Pass', Next: 'C' },
    }, { Big: { Type: 'Succeed' }, R0: { Type: 'Pass', Next: 'D' } });
    expect(prove(def, 'C#0')).toBeUndefined();
    expect((await machine(def).run({ n: 60 })).path).toEqual(['Pre', 'Small?', 'Mid', 'Again', 'C', 'R0', 'D']);
  });

  it("claims nothing when the Choice's own state-level Assign changes the value its branch refused", async () => {
    const def = split(['{% $n > 100 %}'], {
      'Pre': { Type: 'Pass', Assign: { n: '{% $sum([$states.input.n, 0]) %}' }, Next: 'Small?' },
      'Small?': { Type: 'Choice', Assign: { n: '{% $n * 10 %}' }, Choices: [{ Condition: '{% $n > 80 %}', Next: 'Big' }], Default: 'C' },
    }, { Big: { Type: 'Succeed' } });
    expect(prove(def, 'C#0')).toBeUndefined();
    expect((await machine(def).run({ n: 60 })).path).toEqual(['Pre', 'Small?', 'C', 'R0']);
  });

  it('decides a rule on a known value as JSONata does: code points for $length, -0 equal to 0, 0.1 + 0.2 above 0.3', async () => {
    // A wrong model (UTF-16 length 4, Object.is for `=`, exact decimals) would claim the branch each run takes.
    const cases: Array<[string, string, string]> = [
      ['{% "😀😀" %}', '{% $length($x) = 2 %}', 'C#default'],
      ['{% -0 %}', '{% $x = 0 %}', 'C#default'],
      ['{% 0.1 + 0.2 %}', '{% $x > 0.3 %}', 'C#default'],
    ];
    for (const [x, rule, claimed] of cases) {
      const def = split([rule], { Pre: { Type: 'Pass', Assign: { x }, Next: 'C' } });
      expect({ rule, proof: prove(def, claimed)?.proof }).toMatchObject({ rule, proof: { kind: 'value-flow', rule: 0, always: true } });
      expect(prove(def, 'C#0')).toBeUndefined();
      expect((await machine(def).run({})).path).toEqual(['Pre', 'C', 'R0']);
    }
  });

  it('claims nothing when an Output swaps the refused field with another', async () => {
    for (const Output of [{ a: '{% $states.input.b %}', b: '{% $states.input.a %}' }, "{% {'a': $states.input.b, 'b': $states.input.a} %}"]) {
      const def = split(['{% $states.input.a > 100 %}'], {
        Pre: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.a > 80 %}', Next: 'Big' }], Default: 'Swap' },
        Swap: { Type: 'Pass', Output, Next: 'C' },
      }, { Big: { Type: 'Succeed' } });
      expect(prove(def, 'C#0')).toBeUndefined();
      expect((await machine(def).run({ a: 1, b: 500 })).path).toEqual(['Pre', 'Swap', 'C', 'R0']);
    }
  });
});
