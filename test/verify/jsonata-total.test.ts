import type { JsonValue } from '../../src/asl';
import { compileJsonataValue, expectType, type JsonataBindings } from '../../src/asl/jsonata/compile';
import { seededRandom } from '../../src/asl/random';
import { jsonataCannotFail, type JsonataNeed, type JsonataSite } from '../../src/explore/jsonata-total';

/*
 * verify counts a JSONata expression as a way a state can fail unless it surely cannot: an
 * expression JSONata defines as never failing (`=`, `!=`, `and`, `or`, `in`, `&`, `$exists`,
 * `$string`, …) keeps the proof; one that may (`<` on mixed kinds, arithmetic, `$number`, a
 * function on the wrong kind) loses it. Each expression the analysis calls safe is evaluated
 * here, through the evaluator every run uses, on every kind of JSON value and on nothing, and
 * must never fail.
 */

const SITE: JsonataSite = { variables: new Set(['order']) };

/** Values of every JSON kind, nested and empty, and undefined (a field that is not there). */
const VALUES: ReadonlyArray<JsonValue | undefined> = [
  undefined, null, true, false, 0, -1.5, 1e300, '', 'abc', '10', [], [1, 'a'], [[1]], [{ a: 1 }, { a: 'x' }], {}, { a: 1 }, { a: { b: [1, 2] } }, { a: 'x', b: null },
];
/** The fields the expressions below read. */
const FIELDS = ['a', 'b', 'status', 'kind', 'coupon', 'score', 'name', 'email', 'items', 'tags', 'x', 'error', 'id', 'lines', 'code', 'total', 'ok', 'retry', 'type', 'price'];
/** A state's input: any JSON value, or an object whose every field read holds one kind of value. */
const INPUTS: readonly JsonValue[] = [
  ...VALUES.filter((v): v is JsonValue => v !== undefined),
  ...VALUES.map((v) => Object.fromEntries(FIELDS.filter(() => v !== undefined).map((f) => [f, v as JsonValue]))),
  ...VALUES.map((v) => ({ items: [{ type: v, price: v }], coupon: { valid: v } }) as JsonValue),
];

/** Evaluates as a state's field does: a throw, nothing, a function or (for a Condition) a non-boolean fails. */
async function fails(expression: string, need: JsonataNeed, input: JsonValue, variable: JsonValue | undefined): Promise<string | undefined> {
  const compiled = compileJsonataValue(expression, need === 'boolean' ? 'Condition' : 'Output');
  const variables: Record<string, JsonValue> = variable === undefined ? {} : { order: variable };
  const context = { Execution: { Id: 'arn', Input: input, Name: 'run', RoleArn: 'arn', StartTime: '2026-01-01T00:00:00Z' } };
  const bindings: JsonataBindings = { states: { input, context }, variables, random: seededRandom(1), now: 0 };
  try {
    const v = await compiled.evaluate(bindings);
    if (need === 'boolean') expectType(v, 'boolean', expression, 'Condition');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The first input and variable on which an expression fails, if any. */
async function failureOf(expression: string, need: JsonataNeed): Promise<string | undefined> {
  for (const input of INPUTS) {
    for (const variable of VALUES) {
      const why = await fails(expression, need, input, variable);
      if (why !== undefined) return `${JSON.stringify(input)} / ${JSON.stringify(variable)}: ${why}`;
    }
  }
  return undefined;
}

const SAFE_CONDITIONS = [
  '{% $states.input.status = "PAID" %}',
  '{% $states.input.a.b != 3 %}',
  '{% $order.total = $states.input.total %}',
  '{% $states.input.kind in ["a", "b"] %}',
  '{% $exists($states.input.coupon) and $states.input.coupon.valid = true %}',
  '{% $states.input.a = 1 or $states.input.b = 2 %}',
  '{% $count($states.input.items) > 0 %}',
  '{% $length($string($states.input)) >= 3 %}',
  '{% $exists($states.input.x) ? $states.input.x = 1 : false %}',
  '{% $not($exists($states.input.error)) %}',
  '{% $boolean($states.input) %}',
  '{% $contains($string($states.input.email), "@") = true %}',
  '{% $states.input.items[type = "gift"].price = 0 %}',
  '{% $states.context.Execution.Input.retry = true %}',
  '{% ($k := "a"; $states.input.kind = $k) %}',
  '{% $states.input.tags[0] = "x" %}',
];

const SAFE_VALUES = [
  '{% $states.input %}',
  '{% "order " & $states.input.id %}',
  '{% $string($states.input) %}',
  '{% {"ok": $states.input.a = 1, "id": $states.input.id} %}',
  '{% [$states.input.a, $states.input] %}',
  '{% $states.input.a = 1 ? "yes" : "no" %}',
  '{% $count($states.input.lines) %}',
  '{% $uppercase($string($states.input)) %}',
  '{% $states.input ~> $string() %}',
  '{% $states.context.Execution.StartTime %}',
];

/** Each may fail on some input, and names the rule that makes it fail. */
const RISKY: ReadonlyArray<readonly [string, JsonataNeed]> = [
  ['{% $states.input.score > 80 %}', 'boolean'], // T2009/T2010 on a string or an object
  ['{% $states.input.a + 1 = 2 %}', 'boolean'], // T2001 on a string
  ['{% $number($states.input.a) = 2 %}', 'boolean'], // D3030 on text that is no number
  ['{% $uppercase($states.input.name) = "A" %}', 'boolean'], // T0410 on a number
  ['{% $length($states.input.name) > 0 %}', 'boolean'], // T0410 on a number
  ['{% $length($string($states.input.name)) > 0 %}', 'boolean'], // undefined when name is absent
  ['{% [$states.input.a, $order] %}', 'value'], // conservative: an unassigned variable may name a function
  ['{% $states.input.ok %}', 'boolean'], // not a boolean
  ['{% $boolean($states.input.a) %}', 'boolean'], // undefined when a is absent
  ['{% $states.input.a = 1 ? true %}', 'boolean'], // undefined without an else
  ['{% $merge([$states.input, {"a": 1}]) %}', 'value'], // T0412 on an input that is not an object
  ['{% $states.input.id %}', 'value'], // undefined when absent
  ['{% $order %}', 'value'], // undefined when unassigned
  ['{% {"a": 1, "a": 2} %}', 'value'], // D1009
  ['{% -$states.input.a %}', 'value'], // D1002 on a string
  ['{% $states.input.items^(price) %}', 'value'], // T2007 on mixed kinds
  ['{% $string %}', 'value'], // a function
  ['{% [$string] %}', 'value'], // an array holding a function
  ['{% $count($states.input) %}', 'value'], // $count may be a workflow variable's name: see below
  ['{% $states.result %}', 'value'], // no result outside a Task's Output and Assign
];

describe('which JSONata expressions verify counts as unable to fail', () => {
  it.each(SAFE_CONDITIONS)('counts the Condition %s as never failing, and it never fails on any kind of input', async (expression) => {
    expect(jsonataCannotFail(expression, SITE, 'boolean')).toBe(true);
    expect(await failureOf(expression, 'boolean')).toBeUndefined();
  });

  it.each(SAFE_VALUES)('counts the value %s as never failing, and it never fails on any kind of input', async (expression) => {
    expect(jsonataCannotFail(expression, SITE, 'value')).toBe(true);
    expect(await failureOf(expression, 'value')).toBeUndefined();
  });

  it.each(RISKY)('counts %s as an expression that may fail', async (expression, need) => {
    const site = expression.includes('$count(') ? { variables: new Set(['count']) } : { variables: new Set<string>() };
    expect(jsonataCannotFail(expression, site, need)).toBe(false);
  });

  it('finds each risky expression failing on some input, so none is called risky by mistake', async () => {
    // The conservative one aside, and the one whose failure needs a variable's name.
    const failing = RISKY.filter(([e]) => !e.includes('$count(') && !e.includes('$order'));
    for (const [expression, need] of failing) {
      expect({ expression, failure: await failureOf(expression, need) }).toEqual({ expression, failure: expect.any(String) });
    }
  });

  it('counts a call of a function whose name the workflow assigns as a variable as failing: the variable hides the function', async () => {
    expect(jsonataCannotFail('{% $count($states.input) %}', { variables: new Set() })).toBe(true);
    expect(jsonataCannotFail('{% $count($states.input) %}', { variables: new Set(['count']) })).toBe(false);
    const compiled = compileJsonataValue('{% $count($states.input) %}', 'Output');
    await expect(compiled.evaluate({ states: { input: [1], context: {} }, variables: { count: 3 }, random: seededRandom(1) })).rejects.toThrow(/T1006/);
  });

  it('counts a $merge of objects as never failing where the state\'s input is surely an object, and fed from anything else as failing', async () => {
    const objectInput: JsonataSite = { variables: new Set(), inputObject: true, errorOutput: true };
    const anyInput: JsonataSite = { variables: new Set(), errorOutput: true };
    // The Saga builder's Catch Output: the state's input with the error beside it.
    const caught = '{% $merge([$states.input, {"error": $states.errorOutput}]) %}';
    expect(jsonataCannotFail(caught, objectInput)).toBe(true);
    expect(jsonataCannotFail(caught, anyInput)).toBe(false);
    for (const input of INPUTS.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      const failure = await fails(caught.replace('$states.errorOutput', '$states.input.a'), 'value', input, undefined);
      expect({ input, failure }).toEqual({ input, failure: undefined });
    }
    // Any item that may be something else than an object keeps the expression failing, as it fails.
    const fedFromInput = ['{% $merge([$states.input, $states.input.a]) %}', '{% $merge([{"a": 1}, $order]) %}', '{% $merge($states.input) %}',
      '{% $merge([$states.input, [{"a": 1}]]) %}', '{% $merge([{"a": $string}]) %}'];
    for (const expression of fedFromInput) {
      expect({ expression, safe: jsonataCannotFail(expression, objectInput) }).toEqual({ expression, safe: false });
    }
    expect(await fails(fedFromInput[0], 'value', { a: 1 }, undefined)).toMatch(/T0412/);
    expect(await fails(caught.replace('$states.errorOutput', '1'), 'value', 'text', undefined)).toMatch(/T0412/);
    // A workflow variable named merge hides the function.
    expect(jsonataCannotFail(caught, { ...objectInput, variables: new Set(['merge']) })).toBe(false);
  });

  it('counts `$states.result` as there only where AWS gives it (a Task\'s Output and Assign)', () => {
    expect(jsonataCannotFail('{% $states.result %}', { variables: new Set(), result: true })).toBe(true);
    expect(jsonataCannotFail('{% $states.result %}', { variables: new Set() })).toBe(false);
    expect(jsonataCannotFail('{% $states.errorOutput %}', { variables: new Set(), errorOutput: true })).toBe(true);
  });
});

describe('the kinds of workflow variables and of the clock\'s times', () => {
  /** Values of each kind a variable may be said to hold, the narrow ones at their edges. */
  const OF_KIND: Readonly<Record<string, ReadonlyArray<JsonValue | undefined>>> = {
    timestamp: ['2026-01-01T00:00:00Z', '2026-11-30T09:33:00.123Z', '1970-01-01T00:00:00.000Z'],
    bounded: [0, -1.5, 2 ** 53, -(2 ** 53)],
    summed: [0, 3, 25_000 * 2 ** 53, -(25_000 * 2 ** 53)],
    array: [[], [1, 'a'], [{ step: 'x' }]],
    boolean: [true, false],
    undefined: [undefined],
  };
  const site = (since: readonly string[]): JsonataSite =>
    ({ variables: new Set(['since', 'errors']), variableKinds: new Map([['since', new Set(since)], ['errors', new Set(['array'])]]) as JsonataSite['variableKinds'] });

  /** Evaluates with `since` and `errors` bound, the state entered at a time of the clock. */
  async function failsWith(expression: string, need: JsonataNeed, since: JsonValue | undefined, errors: JsonValue): Promise<string | undefined> {
    const compiled = compileJsonataValue(expression, need === 'boolean' ? 'Condition' : 'Output');
    const variables: Record<string, JsonValue> = { errors, ...(since === undefined ? {} : { since }) };
    const context = { Execution: { StartTime: '2026-01-01T00:00:00Z' }, State: { EnteredTime: '2026-01-01T00:01:00.000Z', Name: 'Again?' } };
    try {
      const v = await compiled.evaluate({ states: { input: { compensationError: { Error: 'E' } }, context }, variables, random: seededRandom(1), now: 0 });
      if (need === 'boolean') expectType(v, 'boolean', expression, 'Condition');
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  const SAFE: ReadonlyArray<readonly [string, JsonataNeed, readonly string[]]> = [
    ['{% $toMillis($states.context.State.EnteredTime) + 60000 <= $toMillis($since) + 3600000 %}', 'boolean', ['timestamp']],
    ['{% $type($since) = "string" ? $since : $states.context.State.EnteredTime %}', 'value', ['timestamp', 'boolean', 'undefined']],
    ['{% $append($errors, [{"step": "Charge"}]) %}', 'value', ['timestamp']],
    ['{% $toMillis($states.context.Execution.StartTime) - $since %}', 'value', ['bounded']],
    ['{% $since * -2 %}', 'value', ['bounded']],
    // A counter (bench HuntPollDeadline's `$polls + 1`) and a deadline against the run's clock.
    ['{% $since + 1 >= 5 %}', 'boolean', ['bounded', 'summed']],
    ['{% $toMillis($now()) > $since %}', 'boolean', ['summed']],
    ['{% $count($errors) + 1 > 0 %}', 'boolean', ['timestamp']],
    // Numeric functions of numbers (bench ClaimDeadlineSweep's days between two of the clock's times).
    ['{% $round(($toMillis($states.context.State.EnteredTime) - $since) / 86400000) %}', 'value', ['bounded']],
    ['{% $round($since / 7) > 1 %}', 'boolean', ['bounded', 'summed']],
    ['{% $sum([$since, $count($errors), 1]) %}', 'value', ['bounded', 'summed']],
    ['{% $sum([$since]) >= 0 %}', 'boolean', ['bounded', 'undefined']],
    ['{% $min([$since, 120]) %}', 'value', ['bounded', 'undefined']],
    ['{% $max([$since * 60, 3600]) %}', 'value', ['bounded']],
  ];

  it.each(SAFE)('counts %s as never failing, and it never fails on values of those kinds', async (expression, need, since) => {
    expect(jsonataCannotFail(expression, site(since), need)).toBe(true);
    for (const value of since.flatMap((k) => OF_KIND[k])) {
      for (const errors of OF_KIND.array) {
        expect({ value, failure: await failsWith(expression, need, value, errors as JsonValue) }).toEqual({ value, failure: undefined });
      }
    }
  });

  const RISKY_KINDS: ReadonlyArray<readonly [string, JsonataNeed, readonly string[], JsonValue | undefined]> = [
    // A string that is no time: D3110.
    ['{% $toMillis($since) > 0 %}', 'boolean', ['string'], 'soon'],
    // A value that may be a boolean (the Saga's `false` before its first round): T0410.
    ['{% $toMillis($since) > 0 %}', 'boolean', ['timestamp', 'boolean'], false],
    // Two sums added together may double on every turn of a loop: counted as failing (not run: no JSON number overflows once).
    ['{% $since + $since >= 0 %}', 'boolean', ['summed'], 'soon'],
    // A string is no number: T2001.
    ['{% $since + 1 %}', 'value', ['number', 'string'], 'soon'],
    // Narrowed to strings, a string that is no time is still one.
    ['{% $type($since) = "string" ? $toMillis($since) : 0 %}', 'value', ['string', 'boolean'], 'soon'],
    // A string is no number: T0410 for $round, T0412 for $sum, $min and $max.
    ['{% $round($since) %}', 'value', ['bounded', 'string'], 'soon'],
    ['{% $sum([$since, 1]) %}', 'value', ['bounded', 'string'], 'soon'],
    ['{% $max([$since, 1]) %}', 'value', ['bounded', 'string'], 'soon'],
    // Nothing for nothing: $min of no item, $round and $sum of nothing.
    ['{% $min([$since]) %}', 'value', ['bounded', 'undefined'], undefined],
    ['{% $round($since) %}', 'value', ['bounded', 'undefined'], undefined],
    ['{% $sum($since) %}', 'value', ['bounded', 'undefined'], undefined],
    // Division by what may be zero, or by a fraction that may take it past JSON's numbers; numbers
    // past 2^53 summed: each may give a number JSON cannot hold (not run: the evaluator gives
    // Infinity there, which no JSON value is).
    ['{% $since / $count($errors) %}', 'value', ['bounded'], 1],
    ['{% $since / 0.5 %}', 'value', ['number'], 1e308],
    ['{% $sum([$since, $since]) %}', 'value', ['number'], 1e308],
  ];
  /** Counted as failing where a value may leave JSON's numbers: not run, as above. */
  const overflows = (expression: string): boolean => ['$since + $since', ' / ', '$sum([$since, $since])'].some((e) => expression.includes(e));

  it.each(RISKY_KINDS)('counts %s as failing where the variable may be of kinds %j, and it fails on %j', async (expression, need, since, value) => {
    expect(jsonataCannotFail(expression, site(since), need)).toBe(false);
    if (!overflows(expression)) expect(await failsWith(expression, need, value, [])).toEqual(expect.any(String));
  });

  it('counts a variable it knows nothing of, or one hiding $toMillis, as anything', () => {
    const e = '{% $toMillis($since) > 0 %}';
    expect(jsonataCannotFail(e, { variables: new Set(['since']) }, 'boolean')).toBe(false);
    expect(jsonataCannotFail(e, { ...site(['timestamp']), variables: new Set(['since', 'toMillis']) }, 'boolean')).toBe(false);
  });
});

/** Expressions built at random from the operators and functions the analysis knows and some it does not. */
function* generated(count: number, seed: number): Generator<string> {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random.next() * xs.length)];
  const leaves = ['$states.input', '$states.input.a', '$states.input.a.b', '$states.input.items[0]', '$states.input.items[type = "x"]',
    '$order', '$order.total', '"x"', '""', '1', '0', 'true', 'null', '[]', '{}', '$states.context.Execution.Input.a', '$states.input.*', '$'];
  const expr = (depth: number): string => {
    if (depth <= 0 || random.next() < 0.25) return pick(leaves);
    const a = (): string => expr(depth - 1);
    switch (Math.floor(random.next() * 13)) {
      case 0: return `(${a()} ${pick(['=', '!=', 'in', 'and', 'or', '&'])} ${a()})`;
      case 1: return `(${a()} ${pick(['<', '<=', '>', '>='])} ${a()})`;
      case 2: return `(${a()} ${pick(['+', '-', '*', '/', '%'])} ${pick([a(), '86400000', '0.5'])})`;
      case 3: return `$${pick(['exists', 'count', 'boolean', 'not', 'string', 'uppercase', 'lowercase', 'trim', 'length', 'number', 'sum', 'keys', 'round', 'min', 'max'])}(${pick([a(), `[${a()}, ${a()}]`])})`;
      case 4: return `$contains(${a()}, ${pick(['"x"', a()])})`;
      case 5: return `(${a()} ? ${a()} : ${a()})`;
      case 6: return `(${a()} ? ${a()})`;
      case 7: return `[${a()}, ${a()}]`;
      case 8: return `{"k": ${a()}, "${pick(['k', 'l'])}": ${a()}}`;
      case 9: return `-${a()}`;
      case 10: return `(${a()} ~> $${pick(['string', 'count', 'exists', 'uppercase'])}())`;
      case 11: return `$filter(${a()}, function($v, $i) { ${pick([a(), '$v.type = "x"', '$v > 1', '$i = 0'])} })`;
      default: return `$states.input.items[${a()}]`;
    }
  };
  for (let i = 0; i < count; i++) yield `{% ${expr(3)} %}`;
}

describe('the analysis on expressions built at random', () => {
  const SAMPLE_INPUTS = INPUTS.filter((_v, i) => i % 2 === 0);
  it('never calls safe an expression that fails on some input: 600 expressions, each safe one evaluated on every kind of input', async () => {
    let safe = 0;
    const wrong: string[] = [];
    for (const expression of generated(600, 78)) {
      for (const need of ['value', 'boolean'] as const) {
        if (!jsonataCannotFail(expression, SITE, need)) continue;
        safe++;
        for (const input of SAMPLE_INPUTS) {
          for (const variable of [undefined, null, 'x', 2, { total: 'x' }]) {
            const why = await fails(expression, need, input, variable);
            if (why !== undefined) wrong.push(`${need} ${expression} on ${JSON.stringify(input)} / ${JSON.stringify(variable)}: ${why}`);
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // The sample holds safe expressions, so the check above checks something.
    expect(safe).toBeGreaterThan(40);
  });
});
