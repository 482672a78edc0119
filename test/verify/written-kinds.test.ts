import type { JsonValue, StateMachineDefinition } from '../../src/asl';
import { FAILS, givenKinds, jsonataCannotFail, succeededKinds, type JsonataSite, type Kind } from '../../src/explore/jsonata-total';
import { parseJsonata } from '../../src/explore/solve/jsonata-ast';
import { dataErrorsOf } from '../../src/explore/verify-data';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';

/*
 * Where a state did not fail, what it wrote is known: an Assign that succeeded set each variable
 * to JSON (AWS fails the state on a value that is nothing or a function), an Output's object
 * constructor wrote each field its value gives (a `$count` a number, an `=` a boolean, a
 * condition one of its branches), and a `$merge` keeps its last item's fields as they are. verify
 * reads these, so a later expression that reads them no longer counts as failing; what a run can
 * still fail on keeps counting. Each machine said never to fail here is run on inputs of every
 * kind of JSON and must not fail with States.QueryEvaluationError.
 */

stopExploreClock();

const KINDS = (...k: Kind[]): ReadonlySet<Kind> => new Set(k);
const given = (expression: string, site: JsonataSite = { variables: new Set() }): ReadonlySet<Kind> | undefined => {
  const parsed = parseJsonata(expression);
  if ('error' in parsed) throw new Error(parsed.error);
  return givenKinds(parsed.ast, site)(parsed.ast);
};

/** Inputs of every kind of JSON, and objects whose fields hold each kind. */
const VALUES: readonly JsonValue[] = [null, true, 0, -2.5, '', 'text', '12', [], [1, 'a'], {}, { a: 1 }];
const FIELDS = ['delivery', 'express', 'id', 'sub', 'items', 'orderId', 'failed'];
const INPUTS: readonly JsonValue[] = [...VALUES, ...VALUES.map((v) => Object.fromEntries(FIELDS.map((f) => [f, v])))];

/** The errors of a state, as verify's graph counts them. */
const errorsAt = (def: StateMachineDefinition, state: string): string[] => (dataErrorsOf(def).get(state) ?? []).map((e) => `${e.error} ${e.where}`);

/** Every input on which a run fails with States.QueryEvaluationError at `state`. */
async function failuresAt(def: StateMachineDefinition, state: string): Promise<string[]> {
  const wf = Workflow.fromDefinition(def);
  const out: string[] = [];
  for (const input of INPUTS) {
    const run = await wf.run(input);
    if (run.error === 'States.QueryEvaluationError' && run.path[run.path.length - 1] === state) out.push(JSON.stringify(input));
  }
  return out;
}

describe('what a value holds where its expression did not throw', () => {
  it('reads a condition as one of its branches, whatever its condition was', () => {
    // `$sub >= 50` throws on a string: where it did not, the value is 0 or 4.99.
    expect(given('$sub >= 50 ? 0 : 4.99', { variables: new Set(['sub']) })).toEqual(KINDS('bounded'));
    expect(given('$states.input.a > 1 ? "yes"')).toEqual(KINDS('string', 'undefined'));
  });

  it('reads a block or a binding as its last value', () => {
    expect(given('($n := $number($states.input.a); $n > 0 ? "pos" : "neg")')).toEqual(KINDS('string'));
    expect(given('$x := 3')).toEqual(KINDS('bounded'));
  });

  it('reads $count as a number and $exists as a boolean whatever their argument', () => {
    expect(given('$count($states.input.items[price > 10])')).toEqual(KINDS('bounded'));
    expect(given('$exists($number($states.input.a))')).toEqual(KINDS('boolean'));
  });

  it('knows nothing of a $count a workflow variable or the expression itself hides', () => {
    expect(given('$count($states.input.items[price > 10])', { variables: new Set(['count']) })).toBeUndefined();
    expect(given('($count := function($x) { $x }; $count($states.input.items[price > 10]))')).toBeUndefined();
  });

  it('knows nothing of arithmetic or a function it does not know, where either may throw', () => {
    expect(given('$states.input.a + 1')).toBeUndefined();
    expect(given('$number($states.input.a)')).toBeUndefined();
    expect(given('$single($states.input.items)')).toBeUndefined();
  });

  it('says an Assign that succeeded holds JSON, never nothing nor a function', () => {
    expect(succeededKinds(FAILS)).toEqual(KINDS('null', 'boolean', 'number', 'string', 'array', 'object'));
    expect(succeededKinds(KINDS('string', 'undefined', 'function'))).toEqual(KINDS('string'));
    // A function inside an object or an array may be kept.
    expect(succeededKinds(KINDS('object', 'function'))).toEqual(KINDS('object', 'function'));
  });
});

describe('the kinds of the input\'s fields at a JSONata site', () => {
  const site = (kinds?: ReadonlyMap<string, ReadonlySet<Kind>>): JsonataSite =>
    ({ variables: new Set(), inputObject: true, inputFields: { paths: new Set(['express', 'failed']), objects: new Set(), ...(kinds ? { kinds } : {}) } });

  it('counts a read of a field surely a boolean as a Condition that cannot fail, and one of any JSON as failing', () => {
    expect(jsonataCannotFail('{% $states.input.express %}', site(new Map([['express', KINDS('boolean')]])), 'boolean')).toBe(true);
    expect(jsonataCannotFail('{% $states.input.express %}', site(), 'boolean')).toBe(false);
  });

  it('counts a comparison of a field surely a number as unable to fail, and one that may be a string as failing', () => {
    expect(jsonataCannotFail('{% $states.input.failed > 0 %}', site(new Map([['failed', KINDS('bounded')]])), 'boolean')).toBe(true);
    expect(jsonataCannotFail('{% $states.input.failed > 0 %}', site(new Map([['failed', KINDS('bounded', 'string')]])), 'boolean')).toBe(false);
  });

  it('counts the error a Catch passes on as naming its error, a string, and its Cause as maybe absent', () => {
    expect(jsonataCannotFail('{% $uppercase($states.errorOutput.Error) %}', { variables: new Set(), errorOutput: true })).toBe(true);
    expect(jsonataCannotFail('{% $states.errorOutput.Cause %}', { variables: new Set(), errorOutput: true })).toBe(false);
    expect(jsonataCannotFail('{% $states.errorOutput.Error %}', { variables: new Set() })).toBe(false);
  });
});

describe('$filter with a predicate written in place', () => {
  it('counts it as throwing only what its predicate throws', () => {
    const site = { variables: new Set<string>() };
    expect(jsonataCannotFail('{% $count($filter($states.input.items, function($r) { $r.status = "FAILED" })) > 0 %}', site, 'boolean')).toBe(true);
    // A comparison of an item's field may throw (T2009/T2010).
    expect(jsonataCannotFail('{% $count($filter($states.input.items, function($r) { $r.price > 10 })) > 0 %}', site, 'boolean')).toBe(false);
    // A predicate given by name may be any function.
    expect(jsonataCannotFail('{% $count($filter($states.input.items, $string)) > 0 %}', site, 'boolean')).toBe(false);
    // What it keeps may be nothing.
    expect(jsonataCannotFail('{% $filter($states.input.items, function($r) { true }) %}', site)).toBe(false);
  });

  it('never fails where it is counted unable to, on inputs of every kind', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Count',
      States: { Count: { Type: 'Pass', Output: '{% {"n": $count($filter($states.input.items, function($r, $i) { $r.status = "FAILED" or $i = 2 }))} %}', End: true } },
    } as unknown as StateMachineDefinition;
    expect(errorsAt(def, 'Count')).toEqual([]);
    expect(await failuresAt(def, 'Count')).toEqual([]);
  });
});

describe('what a state wrote, read by the states after it', () => {
  // Checkout's pricing (bench/modern-corpus): the flag is built with `=`, the fee with a condition whose comparison may throw.
  const checkout = (express: string): StateMachineDefinition => ({
    QueryLanguage: 'JSONata',
    StartAt: 'Price',
    States: {
      'Price': {
        Type: 'Pass',
        Output: `{% ($sub := $sum($states.input.items); $merge([$states.input, {"shipping": $sub >= 50 ? 0 : 4.99, "express": ${express}}])) %}`,
        Next: 'Express?',
      },
      'Express?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.express %}', Next: 'Add fee' }], Default: 'Done' },
      'Add fee': { Type: 'Pass', Output: '{% $merge([$states.input, {"shipping": $states.input.shipping + 15}]) %}', Next: 'Done' },
      'Done': { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition);

  it('proves a Choice on a flag a $merge built with `=` cannot fail, nor a sum with a fee a condition of numbers set, and runs agree', async () => {
    const def = checkout('$states.input.delivery = "express"');
    expect(errorsAt(def, 'Express?')).toEqual([]);
    expect(errorsAt(def, 'Add fee')).toEqual([]);
    expect(await failuresAt(def, 'Express?')).toEqual([]);
    expect(await failuresAt(def, 'Add fee')).toEqual([]);
    // What may fail still does: the sum of items that are not numbers.
    expect(errorsAt(def, 'Price')).toEqual([expect.stringContaining('States.QueryEvaluationError Output')]);
  });

  it('still counts a Choice on a flag copied from the input as failing, and a run fails it', async () => {
    const def = checkout('$states.input.delivery');
    expect(errorsAt(def, 'Express?')).toEqual(['States.QueryEvaluationError Condition {% $states.input.express %}']);
    expect((await failuresAt(def, 'Express?')).length).toBeGreaterThan(0);
  });

  it('proves a comparison of a count a Map\'s Output wrote cannot fail', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Lines',
      States: {
        'Lines': {
          Type: 'Map',
          Items: '{% $type($states.input.items) = "array" ? $states.input.items : [] %}',
          ItemProcessor: { StartAt: 'Keep', States: { Keep: { Type: 'Pass', End: true } } },
          Output: '{% {"failed": $count($states.result[status = "FAILED"]), "first": $states.result[0]} %}',
          Next: 'Outcome?',
        },
        'Outcome?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.failed > 0 %}', Next: 'Report' }], Default: 'Done' },
        'Report': { Type: 'Succeed' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(errorsAt(def, 'Outcome?')).toEqual([]);
    expect(await failuresAt(def, 'Outcome?')).toEqual([]);
    // The first result may be absent, or anything: a comparison of it may fail.
    const first = JSON.parse(JSON.stringify(def).replace('$states.input.failed > 0', '$states.input.first > 0')) as StateMachineDefinition;
    expect(errorsAt(first, 'Outcome?')).toEqual([expect.stringContaining('Condition')]);
  });

  it('reads a variable every path assigned from the input as JSON, and one a path leaves unassigned as failing', async () => {
    const def = (skip: boolean): StateMachineDefinition => ({
      QueryLanguage: 'JSONata',
      StartAt: 'Route',
      States: {
        Route: { Type: 'Choice', Choices: [{ Condition: '{% $exists($states.input.id) %}', Next: skip ? 'Use' : 'Remember' }], Default: 'Remember' },
        Remember: { Type: 'Pass', Assign: { orderId: '{% $states.input.orderId %}' }, Next: 'Use' },
        Use: { Type: 'Pass', Output: '{% $orderId %}', End: true },
      },
    } as unknown as StateMachineDefinition);
    expect(errorsAt(def(false), 'Use')).toEqual([]);
    expect(await failuresAt(def(false), 'Use')).toEqual([]);
    expect(errorsAt(def(true), 'Use')).toEqual(['States.QueryEvaluationError Output {% $orderId %}']);
    expect((await failuresAt(def(true), 'Use')).length).toBeGreaterThan(0);
  });

  it('takes a JSONata Choice rule\'s own Output as its Next\'s input, not the Choice\'s', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Flag',
      States: {
        'Flag': { Type: 'Pass', Output: '{% {"flag": $exists($states.input.a)} %}', Next: 'Pick' },
        'Pick': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.flag %}', Output: '{% {"other": 1} %}', Next: 'Again?' }], Default: 'Again?' },
        'Again?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.flag %}', Next: 'Done' }], Default: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(errorsAt(def, 'Pick')).toEqual([]);
    expect(errorsAt(def, 'Again?')).toEqual(['States.QueryEvaluationError Condition {% $states.input.flag %}']);
    const run = await Workflow.fromDefinition(def).run({ a: 1 });
    expect({ status: run.status, error: run.error, path: run.path }).toEqual({ status: 'FAILED', error: 'States.QueryEvaluationError', path: ['Flag', 'Pick', 'Again?'] });
  });

  it('does not take a key with a dot for a path: a Pass state\'s Result key "x.$" is no field x', async () => {
    const def = {
      StartAt: 'Fixed',
      States: {
        Fixed: { Type: 'Pass', Result: { 'x.$': 'written' }, Next: 'Read' },
        Read: { Type: 'Pass', Parameters: { 'y.$': '$.x' }, End: true },
      },
    } as unknown as StateMachineDefinition;
    expect(errorsAt(def, 'Read')).toEqual(['States.Runtime Parameters $.x']);
    const run = await Workflow.fromDefinition(def).run({});
    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: 'States.Runtime' });
  });
});
