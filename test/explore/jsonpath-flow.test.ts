import { machine, orderLinesMachine, reaching, replays } from './helpers';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { proveByFlow } from '../../src/explore/flow-proofs';
import { machineStates } from '../../src/explore/goals';

/*
 * Issue 77: a JSONPath Choice proved by the flow of values into it, as a JSONata one is: a Pass's
 * Result or Parameters (intrinsic functions included), InputPath, ResultSelector, ResultPath,
 * OutputPath and a JSONPath Assign, evaluated over every value they can be given, then the
 * Choice's rules over what is left. Beside each proof, the machine where a value does lead to the
 * branch: explore claims nothing there, and a run shows the branch taken.
 */

function flowProof(def: object, key: string) {
  return proveByFlow(machineStates(def as unknown as StateMachineDefinition), key);
}

/** Pass states in a line (each a JSONPath Pass unless it says otherwise), then a Choice with one rule, Yes or No. */
function line(passes: Record<string, object>, rule: object): object {
  const names = Object.keys(passes);
  const states: Record<string, object> = {};
  names.forEach((n, i) => { states[n] = { Type: 'Pass', ...passes[n], Next: names[i + 1] ?? 'Check' }; });
  return {
    StartAt: names[0],
    States: { ...states, Check: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' }, Yes: { Type: 'Succeed' }, No: { Type: 'Succeed' } },
  };
}

/** The branch a run with `input` takes at Check. */
async function takes(def: object, input: JsonValue): Promise<string> {
  const run = await machine(def).run(input);
  expect(run.status).toBe('SUCCEEDED');
  return run.path.includes('Yes') ? 'Check#0' : 'Check#default';
}

describe('intrinsic functions on the way into a JSONPath Choice', () => {
  it('proves a count from States.ArrayLength never below 0, and one more than it from States.MathAdd never 0', async () => {
    const count = { Parameters: { 'n.$': 'States.ArrayLength($.items)' }, ResultPath: '$.count' };
    const proof = flowProof(line({ Count: count }, { Variable: '$.count.n', NumericLessThan: 0 }), 'Check#0');
    expect(proof?.proof).toMatchObject({ kind: 'value-flow', way: ['Count'], rule: 0, always: false });
    expect(proof?.reason).toMatch(/Parameters\.n\.\$ \(States\.ArrayLength\(\$\.items\)\): States\.ArrayLength is given a value other than an array as argument 1: 'Count' fails with States\.Runtime/);
    const next = { Parameters: { 'n.$': 'States.MathAdd($.count.n, 1)' } };
    const def = line({ Count: count, Next1: next }, { Variable: '$.n', NumericEquals: 0 });
    expect(flowProof(def, 'Check#0')?.proof).toMatchObject({ way: ['Count', 'Next1'], rule: 0, always: false });
    // Minus one instead: an empty list gives 0, which takes the rule.
    const less = line({ Count: count, Next1: { Parameters: { 'n.$': 'States.MathAdd($.count.n, -1)' } } }, { Variable: '$.n', NumericEquals: 0 });
    expect(flowProof(less, 'Check#0')).toBeUndefined();
    expect(await takes(less, { items: ['a'] })).toBe('Check#0');
  });

  it('runs a call whose arguments are each one value as AWS does: MathAdd rounds half up, Format fills its template', async () => {
    const add = line({ Add: { Parameters: { 'n.$': 'States.MathAdd(1.5, -0.5)' } } }, { Variable: '$.n', NumericEquals: 2 });
    expect(flowProof(add, 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
    expect(await takes(add, {})).toBe('Check#0');
    const format = line({ Key: { Parameters: { 'key.$': "States.Format('orders/{}.json', 'a-1')" } } }, { Variable: '$.key', StringEquals: 'orders/a-1.json' });
    expect(flowProof(format, 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
    expect(await takes(format, {})).toBe('Check#0');
  });

  it('keeps a string made by States.JsonToString out of a numeric rule ("5" is no number), and a string from States.Format undecided', async () => {
    const text = line({ Text: { Parameters: { 'n.$': 'States.JsonToString($.x)' } } }, { Variable: '$.n', NumericEquals: 5 });
    expect(flowProof(text, 'Check#0')?.proof).toMatchObject({ rule: 0, always: false });
    expect(await takes(text, { x: 5 })).toBe('Check#default');
    const format = line({ Key: { Parameters: { 'key.$': "States.Format('{}', $.x)" } } }, { Variable: '$.key', StringEquals: '5' });
    expect(flowProof(format, 'Check#0')).toBeUndefined();
    expect(flowProof(format, 'Check#default')).toBeUndefined();
    expect(await takes(format, { x: 5 })).toBe('Check#0');
  });

  it('takes States.Array as the list of its arguments and States.ArrayLength of it as that many', () => {
    const def = line({ Pair: { Parameters: { 'n.$': 'States.ArrayLength(States.Array($.a, $.b))' } } }, { Variable: '$.n', NumericEquals: 2 });
    expect(flowProof(def, 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
  });

  it('claims nothing of what a context path gives: $$.Execution.Input may be anything, $$.Map.Item.Index any number', async () => {
    const context = line({ Ctx: { Parameters: { 'x.$': '$$.Execution.Input.x' } } }, { Variable: '$.x', IsPresent: true });
    expect(flowProof(context, 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
    const ctx2 = line({ Ctx: { Parameters: { 'x.$': '$$.Execution.Input.x' } } }, { Variable: '$.x', NumericGreaterThan: 1 });
    expect(flowProof(ctx2, 'Check#0')).toBeUndefined();
    expect(flowProof(ctx2, 'Check#default')).toBeUndefined();
    expect(await takes(ctx2, { x: 2 })).toBe('Check#0');
    expect(await takes(ctx2, { x: 1 })).toBe('Check#default');
  });
});

describe('a JSONPath Assign on the way into a JSONPath Choice', () => {
  it('holds what the Assign gives: a variable copied from a ResultSelector path is always there', () => {
    const def = {
      StartAt: 'Load',
      States: {
        'Load': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'batches', Key: { batchId: { 'S.$': '$.batchId' } } },
          ResultSelector: { 'item.$': '$.Item' },
          Assign: { 'batch.$': '$.item' },
          ResultPath: null,
          Next: 'Exists?',
        },
        'Exists?': { Type: 'Choice', Choices: [{ Variable: '$batch', IsPresent: true, Next: 'Found' }], Default: 'Missing' },
        'Found': { Type: 'Succeed' },
        'Missing': { Type: 'Fail', Error: 'NotFound' },
      },
    };
    const proof = flowProof(def, 'Exists?#default');
    expect(proof?.proof).toMatchObject({ kind: 'value-flow', way: ['Load'], rule: 0, always: true });
    expect(proof?.reason).toMatch(/ResultSelector\.item\.\$ \(\$\.Item\) finds nothing: 'Load' fails with States\.Runtime/);
  });

  it('holds a constant the Assign sets, and a count it computes, and forgets them when a later Assign sets them again', async () => {
    const set = { Assign: { 'limit': 3, 'n.$': 'States.ArrayLength($.items)' } };
    expect(flowProof(line({ Set: set }, { Variable: '$limit', NumericGreaterThan: 5 }), 'Check#0')?.proof).toMatchObject({ rule: 0, always: false });
    expect(flowProof(line({ Set: set }, { Variable: '$n', NumericGreaterThanEquals: 0 }), 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
    const again = line({ Set: set, Again: { Assign: { 'limit.$': '$.limit' } } }, { Variable: '$limit', NumericGreaterThan: 5 });
    expect(flowProof(again, 'Check#0')).toBeUndefined();
    expect(await takes(again, { items: [], limit: 6 })).toBe('Check#0');
  });

  it('evaluates an Assign over the result, not the input: a Pass Result in `$`, the input field not', async () => {
    const def = line({ Set: { Result: { v: 1 }, ResultPath: null, Assign: { 'v.$': '$.v' } } }, { Variable: '$v', NumericEquals: 1 });
    expect(flowProof(def, 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
    expect(await takes(def, { v: 2 })).toBe('Check#0');
  });

  it('evaluates an Assign with the variables from before the state, not those it sets', async () => {
    const def = line({ A: { Assign: { x: 1 } }, B: { Assign: { 'x': 2, 'y.$': '$x' } } }, { Variable: '$y', NumericEquals: 1 });
    expect(flowProof(def, 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
    expect(await takes(def, {})).toBe('Check#0');
  });

  it('forgets a variable a JSONPath Assign sets again under its "name.$" key: no proof from what a JSONata state set before', async () => {
    const def = line({ Set: { QueryLanguage: 'JSONata', Assign: { n: 5 } }, Reset: { Assign: { 'n.$': '$.x' } } }, { Variable: '$n', NumericEquals: 5 });
    expect(flowProof(def, 'Check#default')).toBeUndefined();
    expect(await takes(def, { x: 6 })).toBe('Check#default');
  });

  const tierLookup = (selector: object) => ({
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
        Parameters: { TableName: 'members', Key: { id: { 'S.$': '$.id' } } },
        ResultSelector: selector,
        Assign: { 'tier.$': '$.profile.tier.S' },
        Next: 'Gold?',
      },
      'Gold?': { Type: 'Choice', Choices: [{ Variable: '$tier', StringEquals: 'GOLD', Next: 'Priority' }], Default: 'Standard' },
      'Priority': { Type: 'Succeed' },
      'Standard': { Type: 'Succeed' },
    },
  });

  it('reaches both branches of a Choice on a variable an Assign reads under what the ResultSelector selected', async () => {
    // The Assign reads `$.profile.tier.S` of the selected result: explore must write `Item.tier.S` of GetItem's answer.
    const wf = machine(tierLookup({ 'profile.$': '$.Item' }));
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    for (const state of ['Priority', 'Standard']) await replays(wf, reaching(report, 'states', state));
  });

  it('reads what the ResultSelector selected beside a field it takes of the Context Object, and does not blame that field', async () => {
    const wf = machine(tierLookup({ 'profile.$': '$.Item', 'at.$': '$$.State.EnteredTime', 'state.$': '$$.State.Name' }));
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Priority'));
  });
});

describe('no false "unreachable" where a naive flow proof would be wrong', () => {
  it('ends the way at a Catch leading into it: what the Catch target gets is the error output, not the Task result', async () => {
    const def = {
      StartAt: 'Load',
      States: {
        Load: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'f' },
          ResultSelector: { 'n.$': 'States.ArrayLength($.Payload)' },
          ResultPath: '$.r',
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.r', Next: 'Check' }],
          Next: 'Check',
        },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.r.n', IsPresent: true, Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
      },
    };
    expect(flowProof(def, 'Check#default')).toBeUndefined();
    const report = await machine(def).explore();
    expect(report.choiceRules.unreachable).toEqual([]);
    expect(report.states.notReached).toEqual([]);
  });

  it('follows nothing out of a Map or Parallel: their output may be anything', () => {
    const map = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ResultPath: '$.out',
          ItemProcessor: { StartAt: 'One', States: { One: { Type: 'Pass', Result: 1, End: true } } },
          Next: 'Count',
        },
        Count: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.out)' }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 0, Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
      },
    };
    expect(flowProof(map, 'Check#0')).toBeUndefined();
    expect(flowProof(map, 'Check#default')).toBeUndefined();
  });

  it('tells null from absent: a path to a null field gives null (IsNull undecided), to an absent one fails the state', async () => {
    const def = line({ Copy: { Parameters: { 'v.$': '$.x' } } }, { Variable: '$.v', IsNull: true });
    expect(flowProof(def, 'Check#0')).toBeUndefined();
    expect(flowProof(def, 'Check#default')).toBeUndefined();
    expect(await takes(def, { x: null })).toBe('Check#0');
    const present = line({ Copy: { Parameters: { 'v.$': '$.x' } } }, { Variable: '$.v', IsPresent: true });
    expect(flowProof(present, 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
    const nul = line({ Set: { Result: { v: null } } }, { Variable: '$.v', IsPresent: false });
    expect(flowProof(nul, 'Check#0')?.proof).toMatchObject({ rule: 0, always: false });
  });

  it('keeps a number written as a string a string: "5" never equals 5, and StringEquals "5" always holds', async () => {
    const def = line({ Set: { Result: { n: '5' } } }, { Variable: '$.n', NumericEquals: 5 });
    expect(flowProof(def, 'Check#0')?.proof).toMatchObject({ rule: 0, always: false });
    expect(await takes(def, {})).toBe('Check#default');
    const str = line({ Set: { Result: { n: '5' } } }, { Variable: '$.n', StringEquals: '5' });
    expect(flowProof(str, 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
  });

  it('rounds halves as AWS does at the edges: MathAdd(-0.5, 0) is 0, never below it; MathAdd of a count and -0.6 may be -1', async () => {
    const count = { Parameters: { 'n.$': 'States.ArrayLength($.items)' } };
    const half = line({ Count: count, Add: { Parameters: { 'n.$': 'States.MathAdd($.n, -0.5)' } } }, { Variable: '$.n', NumericLessThan: 0 });
    expect(flowProof(half, 'Check#0')?.proof).toMatchObject({ rule: 0, always: false });
    expect(await takes(half, { items: [] })).toBe('Check#default');
    const more = line({ Count: count, Add: { Parameters: { 'n.$': 'States.MathAdd($.n, -0.6)' } } }, { Variable: '$.n', NumericLessThan: 0 });
    expect(flowProof(more, 'Check#0')).toBeUndefined();
    expect(await takes(more, { items: [] })).toBe('Check#0');
  });
});

describe('explore on a JSONPath machine proved by the flow of values', () => {
  it('is complete: Broken proved unreachable with runs behind the proof, Ship reached', async () => {
    const wf = machine(orderLinesMachine());
    const report = await wf.explore();
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Broken']);
    expect(report.states.notReached).toEqual([]);
    const proof = report.choiceRules.proofs?.['Route#default'];
    expect(proof).toMatchObject({ kind: 'value-flow', way: ['Load', 'Count', 'Attempt'], rule: 0, always: true });
    expect(proof?.kind === 'value-flow' ? proof.shapes?.length : 0).toBeGreaterThan(0);
    for (const s of report.scenarios) await replays(wf, s);
  });
});

/** A definition of the states given, from `start`, each state they go to that is not among them a Succeed. */
function routed(states: Record<string, object>, start = 'Route'): object {
  const targets = [...JSON.stringify(states).matchAll(/"(?:Next|Default)":"([^"]+)"/g)].map((m) => m[1]).filter((t) => !(t in states));
  return { StartAt: start, States: { ...states, ...Object.fromEntries(targets.map((e) => [e, { Type: 'Succeed' }])) } };
}

describe('the rules of a JSONPath Choice, and the Choices on the way', () => {
  it('closes the Default of rules that together take every number a count can be', async () => {
    const count = { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.items)' }, Next: 'Size?' };
    const rules = [{ Variable: '$.n', NumericGreaterThanEquals: 10, Next: 'Big' }, { Variable: '$.n', NumericLessThan: 10, Next: 'Small' }];
    const def = routed({ 'Count': count, 'Size?': { Type: 'Choice', Choices: rules, Default: 'Missing' } }, 'Count');
    const proof = flowProof(def, 'Size?#default');
    expect(proof?.proof).toMatchObject({ way: ['Count'], rule: 1, always: true });
    expect(proof?.reason).toMatch(/Choices\[1\] .* is always true on what is left, once Choices\[0\] .* came out false$/);
    // Read from the input, the value may be no number, which both rules leave to the Default.
    const input = routed({ 'Size?': { Type: 'Choice', Choices: rules, Default: 'Missing' } }, 'Size?');
    expect(flowProof(input, 'Size?#default')).toBeUndefined();
    expect((await machine(input).run({ n: '5' })).path).toContain('Missing');
  });

  it('keeps what a JSONPath Choice on the way tells of a field its branch read, through a Pass that keeps it', async () => {
    const def = routed({
      'Intent?': { Type: 'Choice', Choices: [{ Variable: '$.score', NumericGreaterThanEquals: 0.8, Next: 'Offer' }], Default: 'Confirm' },
      'Confirm': { Type: 'Pass', Result: 'confirmed', ResultPath: '$.note', Next: 'Sure?' },
      'Sure?': { Type: 'Choice', Choices: [{ Variable: '$.score', NumericGreaterThanEquals: 0.8, Next: 'Never' }], Default: 'Done' },
    }, 'Intent?');
    const proof = flowProof(def, 'Sure?#0');
    expect(proof?.proof).toMatchObject({ way: ['Intent?', 'Confirm'], rule: 0, always: false });
    expect(proof?.reason).toMatch(/once Intent\?#default is taken/);
    // A Pass that sets the score again ends what was known of it.
    const reset = routed({
      'Intent?': { Type: 'Choice', Choices: [{ Variable: '$.score', NumericGreaterThanEquals: 0.8, Next: 'Offer' }], Default: 'Confirm' },
      'Confirm': { Type: 'Pass', Parameters: { 'score.$': '$.again' }, Next: 'Sure?' },
      'Sure?': { Type: 'Choice', Choices: [{ Variable: '$.score', NumericGreaterThanEquals: 0.8, Next: 'Never' }], Default: 'Done' },
    }, 'Intent?');
    expect(flowProof(reset, 'Sure?#0')).toBeUndefined();
    expect((await machine(reset).run({ score: 0.1, again: 0.9 })).path).toContain('Never');
  });

  it('holds what the Assign of the rule taken sets', async () => {
    const def = routed({
      Route: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericGreaterThan: 5, Assign: { big: true }, Next: 'Check' }], Default: 'Other' },
      Check: { Type: 'Choice', Choices: [{ Variable: '$big', BooleanEquals: false, Next: 'Never' }], Default: 'Done' },
    });
    expect(flowProof(def, 'Check#0')?.proof).toMatchObject({ way: ['Route'], rule: 0, always: false });
    // The Default's Assign sets it the other way.
    const other = routed({
      Route: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericGreaterThan: 5, Assign: { big: true }, Next: 'Other' }], Default: 'Check', Assign: { big: false } },
      Check: { Type: 'Choice', Choices: [{ Variable: '$big', BooleanEquals: false, Next: 'Never' }], Default: 'Done' },
    });
    expect(flowProof(other, 'Check#0')).toBeUndefined();
    expect((await machine(other).run({ x: 1 })).path).toContain('Never');
  });

  it('learns nothing from an And that came out false or an Or that came out true: either part may have decided', async () => {
    const def = routed({
      Route: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.a', NumericGreaterThan: 1 }, { Variable: '$.b', NumericGreaterThan: 1 }], Next: 'Other' }], Default: 'Again' },
      Again: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericGreaterThan: 1, Next: 'Yes' }], Default: 'No' },
    });
    expect(flowProof(def, 'Again#0')).toBeUndefined();
    expect(flowProof(def, 'Again#default')).toBeUndefined();
    expect((await machine(def).run({ a: 2, b: 0 })).path).toContain('Yes');
    expect((await machine(def).run({ a: 0, b: 0 })).path).toContain('No');
  });

  it('leaves a number written as a string to a rule after IsNumeric false: "5" is still a string that may equal "5"', async () => {
    const def = routed({
      Route: { Type: 'Choice', Choices: [{ Variable: '$.n', IsNumeric: true, Next: 'Other' }], Default: 'Again' },
      Again: { Type: 'Choice', Choices: [{ Variable: '$.n', StringEquals: '5', Next: 'Yes' }, { Variable: '$.n', NumericEquals: 5, Next: 'Never' }], Default: 'No' },
    });
    expect(flowProof(def, 'Again#0')).toBeUndefined();
    expect(flowProof(def, 'Again#1')?.proof).toMatchObject({ rule: 1, always: false });
    expect((await machine(def).run({ n: '5' })).path).toContain('Yes');
  });

  it('knows a field a rule read is there on every branch but an IsPresent false: a missing Variable fails the Choice', async () => {
    const def = routed({
      Route: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 5, Next: 'Other' }], Default: 'Again' },
      Again: { Type: 'Choice', Choices: [{ Variable: '$.n', IsPresent: false, Next: 'Never' }], Default: 'Done' },
    });
    expect(flowProof(def, 'Again#0')?.proof).toMatchObject({ rule: 0, always: false });
    const run = await machine(def).run({});
    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: 'States.Runtime' });
  });
});

describe('JSONPath rules comparing with another path', () => {
  it('decides NumericGreaterThanPath between two numbers the way fixed, and claims nothing when one side comes from the input', async () => {
    const init = { Result: { attempt: 1, max: 3 }, ResultPath: '$.retry' };
    const rule = { Variable: '$.retry.attempt', NumericGreaterThanPath: '$.retry.max' };
    expect(flowProof(line({ Init: init }, rule), 'Check#0')?.proof).toMatchObject({ rule: 0, always: false });
    const fromInput = line({ Init: { Parameters: { 'attempt': 1, 'max.$': '$.max' }, ResultPath: '$.retry' } }, rule);
    expect(flowProof(fromInput, 'Check#0')).toBeUndefined();
    expect(flowProof(fromInput, 'Check#default')).toBeUndefined();
    expect(await takes(fromInput, { max: 0 })).toBe('Check#0');
    expect(await takes(fromInput, { max: '0' })).toBe('Check#default');
  });

  it('decides StringEqualsPath and BooleanEqualsPath on one value each, and a count against a bound by its range', async () => {
    const same = line({ Keys: { Parameters: { 'a': 'x-1', 'b.$': "States.Format('x-{}', 1)" } } }, { Variable: '$.a', StringEqualsPath: '$.b' });
    expect(flowProof(same, 'Check#default')?.proof).toMatchObject({ rule: 0, always: true });
    expect(await takes(same, {})).toBe('Check#0');
    const flags = line({ Flags: { Result: { a: true, b: false } } }, { Variable: '$.a', BooleanEqualsPath: '$.b' });
    expect(flowProof(flags, 'Check#0')?.proof).toMatchObject({ rule: 0, always: false });
    const count = line({ Count: { Parameters: { 'n.$': 'States.ArrayLength($.items)', 'floor': -1 } } }, { Variable: '$.n', NumericLessThanEqualsPath: '$.floor' });
    expect(flowProof(count, 'Check#0')?.proof).toMatchObject({ rule: 0, always: false });
    const bound = line({ Count: { Parameters: { 'n.$': 'States.ArrayLength($.items)', 'floor': 0 } } }, { Variable: '$.n', NumericLessThanEqualsPath: '$.floor' });
    expect(flowProof(bound, 'Check#0')).toBeUndefined();
    expect(await takes(bound, { items: [] })).toBe('Check#0');
  });
});

describe('the JSONPath example of docs/explore.md', () => {
  it('proves the manifest rule by the count and the sheets, with the cases that fail Count', () => {
    const def = {
      StartAt: 'Count',
      States: {
        'Count': {
          Type: 'Pass',
          Parameters: { 'parcels.$': 'States.ArrayLength($.parcels)', 'sheets.$': 'States.MathAdd(States.ArrayLength($.parcels), 1)' },
          ResultPath: '$.summary',
          Next: 'Route',
        },
        'Route': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.summary.parcels', NumericEquals: 0, Next: 'Nothing to ship' },
            { Variable: '$.summary.sheets', NumericLessThan: 1, Next: 'Broken manifest' },
          ],
          Default: 'Print labels',
        },
        'Nothing to ship': { Type: 'Succeed' },
        'Broken manifest': { Type: 'Fail', Error: 'Manifest.Broken' },
        'Print labels': { Type: 'Succeed' },
      },
    };
    const proof = flowProof(def, 'Route#1');
    expect(proof?.proof).toMatchObject({ kind: 'value-flow', way: ['Count'], rule: 1, always: false });
    // The reason as docs/explore.md quotes it, its elisions aside.
    expect(proof?.reason).toMatch(new RegExp([
      "^every run into it comes along 'Count', and Parameters\\.parcels\\.\\$ \\(States\\.ArrayLength\\(\\$\\.parcels\\)\\): argument 1 of States\\.ArrayLength \\(\\$\\.parcels\\) finds nothing: 'Count' fails with States\\.Runtime; ",
      "Parameters\\.parcels\\.\\$ \\(States\\.ArrayLength\\(\\$\\.parcels\\)\\): States\\.ArrayLength is given a value other than an array as argument 1: 'Count' fails with States\\.Runtime; ",
      '.*',
      'Choices\\[1\\] \\(\\{"Variable":"\\$\\.summary\\.sheets","NumericLessThan":1\\}\\) is always false on what is left$',
    ].join('')));
  });
});

/*
 * What every way into the first state of the way brings (issue 77): a JSONPath way started from
 * anything, so a state two ways lead into (a join after a Choice) knew nothing of what the Choices
 * before it had told. Now the input and the variables are joined over every way in from the
 * scope's start, each state on a way evaluated as the way into a Choice is; a Catch brings
 * anything, and ways round a loop that does not settle know nothing.
 */
describe('what every way into a JSONPath way brings', () => {
  /** Gate lets only n > 10 on; Kind splits into A and B, which join again before Final tests n. */
  function joined(a: object, b: object, final: object, extra: Record<string, object> = {}): object {
    return routed({
      Gate: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 10, Next: 'Kind' }], Default: 'Stop' },
      Stop: { Type: 'Fail', Error: 'Small' },
      Kind: { Type: 'Choice', Choices: [{ Variable: '$.kind', StringEquals: 'a', Next: 'A' }], Default: 'B' },
      A: { Type: 'Pass', Next: 'Join', ...a },
      B: { Type: 'Pass', Next: 'Join', ...b },
      Join: { Type: 'Pass', Next: 'Final' },
      Final: { Type: 'Choice', Choices: [{ ...final, Next: 'Yes' }], Default: 'No' },
      ...extra,
    }, 'Gate');
  }

  it('proves a rule on a field every way in keeps from the Choice that let it on', async () => {
    const def = joined({ Result: 'a', ResultPath: '$.tag' }, { Result: 'b', ResultPath: '$.tag' }, { Variable: '$.n', NumericLessThanEquals: 5 });
    const proof = flowProof(def, 'Final#0');
    expect(proof?.proof).toMatchObject({ kind: 'value-flow', way: ['Join'], rule: 0, always: false });
    expect(proof?.reason).toMatch(/with what every way into 'Join' brings \(\$\.n: a number at least 10/);
    const wf = machine(def);
    const report = await wf.explore();
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Yes']);
    expect(report.states.notReached).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
  });

  it('joins the variables each way assigns: two constants decide, a value from the input does not', async () => {
    const limit = { Variable: '$limit', NumericGreaterThan: 5 };
    const constants = joined({ Assign: { limit: 1 } }, { Assign: { limit: 2 } }, limit);
    expect(flowProof(constants, 'Final#0')?.proof).toMatchObject({ kind: 'value-flow', rule: 0, always: false });
    const read = joined({ Assign: { limit: 1 } }, { Assign: { 'limit.$': '$.n' } }, limit);
    expect(flowProof(read, 'Final#0')).toBeUndefined();
    const run = await machine(read).run({ n: 11, kind: 'b' });
    expect(run.path).toContain('Yes');
  });

  it("claims nothing where one way in takes the field from a Task's answer", async () => {
    const def = joined(
      { Result: 'a', ResultPath: '$.tag' },
      { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, ResultSelector: { 'n.$': '$.Payload.n' }, ResultPath: '$' },
      { Variable: '$.n', NumericLessThanEquals: 5 },
    );
    expect(flowProof(def, 'Final#0')).toBeUndefined();
    const report = await machine(def).explore();
    expect(report.choiceRules.unreachable).toEqual([]);
    expect(report.states.notReached).toEqual([]);
  });

  it('claims nothing where a Catch leads in: the error output holds no field the Choice let on', async () => {
    const def = joined(
      { Result: 'a', ResultPath: '$.tag' },
      {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'f' },
        ResultPath: '$.r',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.n', Next: 'Join' }],
      },
      { Variable: '$.n.Error', IsPresent: true },
    );
    expect(flowProof(def, 'Final#0')).toBeUndefined();
    const report = await machine(def).explore();
    expect(report.choiceRules.unreachable).toEqual([]);
    expect(report.states.notReached).toEqual([]);
  });

  it('knows nothing round a loop that counts down: the value each pass brings is not one the first did', async () => {
    const def = joined(
      { Result: 'a', ResultPath: '$.tag' },
      { Result: 'b', ResultPath: '$.tag' },
      { Variable: '$.n', NumericLessThanEquals: 5 },
      { No: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, -1)' }, Next: 'Join' } },
    );
    expect(flowProof(def, 'Final#0')).toBeUndefined();
    const run = await machine(def).run({ n: 11, kind: 'a' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toContain('Yes');
  });
});
