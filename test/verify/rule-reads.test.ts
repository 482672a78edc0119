import type { StateMachineDefinition } from '../../src/asl';
import { machineStates } from '../../src/explore/goals';
import { choiceReads } from '../../src/explore/reads';
import { boundaryInputs } from '../../src/explore/verify-boundaries';
import { asksKinds, kindInputs } from '../../src/explore/verify-kinds';
import { textInputs } from '../../src/explore/verify-texts';

/*
 * verify's extra inputs go to the fields the machine reads. Which fields those are is read once,
 * by explore's readers of what a state reads (reads.ts: readsOf, choiceReads) over the parsed
 * JSONata and JSONPath, never by a pattern over the definition's text: a field named in quotes
 * or brackets is a field like any other, and a text that only looks like a call is no call.
 */

const jsonata = (condition: string): StateMachineDefinition => ({
  QueryLanguage: 'JSONata',
  StartAt: 'Route',
  States: {
    Route: { Type: 'Choice', Choices: [{ Condition: `{% ${condition} %}`, Next: 'Hit' }], Default: 'Miss' },
    Hit: { Type: 'Succeed' },
    Miss: { Type: 'Succeed' },
  },
} as StateMachineDefinition);

const jsonPath = (rule: Record<string, unknown>): StateMachineDefinition => ({
  StartAt: 'Route',
  States: {
    Route: { Type: 'Choice', Choices: [{ ...rule, Next: 'Hit' }], Default: 'Miss' },
    Hit: { Type: 'Succeed' },
    Miss: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition);

describe('the fields a Choice rule reads, for verify\'s extra inputs', () => {
  it('reads a JSONata field whose name needs quotes, with what the rule does with it', () => {
    const reads = choiceReads(machineStates(jsonata('$states.input.`unit-price` > 10')).get('Route')!);
    expect(reads).toEqual([expect.objectContaining({ scope: 'raw', steps: ['unit-price'], expect: 'number', field: 'Choices[0].Condition' })]);
  });

  it('reads a JSONPath Variable and its …Path operand under And, a number where a Numeric… operator compares them', () => {
    const def = jsonPath({ And: [{ Variable: '$.entry.amount', NumericGreaterThanPath: '$.limit' }, { Variable: "$['ship-to']", IsPresent: true }] });
    const reads = choiceReads(machineStates(def).get('Route')!);
    expect(reads.map((r) => [r.steps, r.expect, r.field])).toEqual([
      [['entry', 'amount'], 'number', 'Choices[0].And[0].Variable'],
      [['limit'], 'number', 'Choices[0].And[0].NumericGreaterThanPath'],
      [['ship-to'], 'any', 'Choices[0].And[1].Variable'],
    ]);
  });

  it('stops at a rule nested deeper than it reads, without a stack overflow', () => {
    let rule: Record<string, unknown> = { Variable: '$.deep', IsPresent: true };
    for (let i = 0; i < 5000; i++) rule = { Not: rule };
    expect(choiceReads(machineStates(jsonPath(rule)).get('Route')!)).toEqual([]);
  });

  it('tries a number at a JSONata field the Condition reads as a text, whose $length then fails', () => {
    const tried = boundaryInputs(jsonata('$exists($states.input.coupon) and $length($states.input.coupon) > 0'), [], [{}]).map((t) => t.input);
    expect(tried).toContainEqual({ coupon: 0 });
  });

  it('tries the boundary numbers at a JSONata field whose name needs quotes', () => {
    const tried = boundaryInputs(jsonata('$states.input.`unit-price` > 10'), [], [{}]).map((t) => t.input);
    for (const price of [9, 10, 11]) expect(tried).toContainEqual({ 'unit-price': price });
  });

  it('tries the machine\'s texts at a JSONPath field read through brackets', () => {
    const tried = textInputs(jsonPath({ Variable: "$['ship-to'].country", StringEquals: 'DE' }), [{}]).map((t) => t.input);
    expect(tried).toContainEqual({ 'ship-to': { country: 'DE' } });
  });

  it('tries a value of each other kind at a JSONata field whose name needs quotes', () => {
    const tried = kindInputs(jsonata("$type($states.input.`is-vip`) = 'boolean'"), [{}]).map((t) => t.input);
    expect(tried).toEqual(expect.arrayContaining([{ 'is-vip': 'text' }, { 'is-vip': 0 }, { 'is-vip': null }]));
  });

  it('asks kinds where an expression calls $type, not where a plain text only spells it', () => {
    expect(asksKinds(jsonata("$type ($states.input.v) = 'string'"))).toBe(true);
    const spelled = {
      StartAt: 'Note',
      States: { Note: { Type: 'Pass', Result: { hint: 'call $type(x) to see a kind' }, End: true } },
    } as unknown as StateMachineDefinition;
    expect(asksKinds(spelled)).toBe(false);
  });

  it('takes a text a rule asks to be in a list from the expression, not from a text that only spells one', () => {
    const tried = kindInputs(jsonata("$states.input.note = \"'beta' in tags\" or 'gamma' in $states.input.tags"), [{}]).map((t) => t.input);
    expect(tried).toContainEqual({ tags: ['gamma'] });
    expect(tried).not.toContainEqual({ tags: ['beta'] });
  });
});
