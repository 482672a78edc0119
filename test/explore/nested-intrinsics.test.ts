import { machine, reaching, replays } from './helpers';
import { mergedWrites } from '../../src/explore/merge-writes';
import { fits, placeholder } from '../../src/explore/reads';
import { stopExploreClock } from '../explore-clock';

const LAMBDA = 'arn:aws:states:::lambda:invoke';

/*
 * JSONPath intrinsic functions nested in one another on the way into a Choice
 * (`States.ArrayLength(States.StringToJson($.list))`): explore gives the field read at the bottom
 * a value every function on the way takes (the JSON text of a list where a list is counted), and
 * takes a value the Choice wants back through each of them. Two values computed from one field
 * (its length and its first item) are written as one list that gives both.
 */

stopExploreClock();

/** A Pass that sets `fields` (in its Parameters, or as variables in its Assign), then the Choice `Check` with `rule` (to `Yes`) and a Default `No`. */
function setThenCheck(fields: Record<string, string>, rule: object, where: 'Parameters' | 'Assign') {
  return machine({
    StartAt: 'Set',
    States: {
      Set: { Type: 'Pass', [where]: fields, Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Succeed' },
      No: { Type: 'Succeed' },
    },
  });
}

/** Both branches of `Check` reached, no claim of unreachability, every scenario runs again as reported; the input that takes `Yes`. */
async function takesBoth(wf: ReturnType<typeof machine>): Promise<Record<string, unknown>> {
  const report = await wf.explore();
  expect(report.choiceRules.notReached).toEqual([]);
  expect(report.states.notReached).toEqual([]);
  for (const s of report.scenarios) await replays(wf, s);
  const yes = reaching(report, 'choiceRules', 'Check#0');
  return { ...(yes.input as Record<string, unknown>), mocks: yes.mocks };
}

describe('intrinsic functions nested in a JSONPath Parameters or Assign', () => {
  it.each(['Parameters', 'Assign'] as const)('counts a list States.StringToJson reads from a text by giving the text of a list that long (%s)', async (where) => {
    const variable = where === 'Assign' ? '$n' : '$.n';
    const wf = setThenCheck({ 'n.$': 'States.ArrayLength(States.StringToJson($.list))' }, { Variable: variable, NumericEquals: 3 }, where);
    const yes = await takesBoth(wf);
    expect(JSON.parse(yes.list as string)).toHaveLength(3);
  });

  it('takes one more than a count of a JSON text back through States.MathAdd, then States.ArrayLength, then States.StringToJson', async () => {
    const wf = setThenCheck({ 'pages.$': 'States.MathAdd(States.ArrayLength(States.StringToJson($.list)), 1)' }, { Variable: '$pages', NumericEquals: 4 }, 'Assign');
    const yes = await takesBoth(wf);
    expect(JSON.parse(yes.list as string)).toHaveLength(3);
  });

  it('gives a text States.StringSplit splits enough parts for the States.ArrayGetItem of a JSONPath Assign', async () => {
    const wf = setThenCheck({ 'region.$': "States.ArrayGetItem(States.StringSplit($.key, '.'), 2)" }, { Variable: '$region', StringEquals: 'eu' }, 'Assign');
    const yes = await takesBoth(wf);
    expect((yes.key as string).split('.')[2]).toBe('eu');
  });

  it('expects the JSON text of what the function around States.StringToJson takes, and makes one up of that kind', () => {
    expect(fits('{}', 'json-array')).toBe(false);
    expect(fits('[1]', 'json-array')).toBe(true);
    expect(fits('"a"', 'json-number')).toBe(false);
    expect(fits('not json', 'json-object')).toBe(false);
    expect(JSON.parse(placeholder('json-array', ['list']) as string)).toEqual([]);
    expect(JSON.parse(placeholder('json-number', ['n']) as string)).toBe(1);
  });
});

describe('a Choice rule that needs two intrinsic-derived values at once', () => {
  it('writes one list that has the length one value wants and the first item the other wants', async () => {
    const wf = setThenCheck(
      { 'count.$': 'States.ArrayLength($.tags)', 'first.$': 'States.ArrayGetItem($.tags, 0)' },
      { And: [{ Variable: '$.count', NumericEquals: 3 }, { Variable: '$.first', StringEquals: 'vip' }] },
      'Parameters',
    );
    const yes = await takesBoth(wf);
    expect(yes.tags).toHaveLength(3);
    expect((yes.tags as unknown[])[0]).toBe('vip');
  });

  it('writes one JSON text of a Task\'s answer that both a count and an item of it read', async () => {
    const wf = machine({
      StartAt: 'Get',
      States: {
        Get: {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { FunctionName: 'inbox' },
          ResultSelector: { 'body.$': '$.Payload.body' },
          Assign: { 'count.$': 'States.ArrayLength(States.StringToJson($.body))', 'first.$': 'States.ArrayGetItem(States.StringToJson($.body), 0)' },
          Next: 'Check',
        },
        Check: { Type: 'Choice', Choices: [{ And: [{ Variable: '$count', NumericGreaterThan: 2 }, { Variable: '$first', StringEquals: 'urgent' }], Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
      },
    });
    const yes = await takesBoth(wf);
    const body = JSON.parse((yes.mocks as { Get: { Return: { body: string } } }).Get.Return.body);
    expect(body.length).toBeGreaterThan(2);
    expect(body[0]).toBe('urgent');
  });

  it('merges lists written at one place item by item, and keeps values that cannot merge as they were', () => {
    const at = { kind: 'input' as const, steps: ['xs'] };
    expect(mergedWrites([{ source: at, value: [{}, {}, {}] }, { source: at, value: ['vip'] }])).toEqual([{ source: at, value: ['vip', {}, {}] }]);
    expect(mergedWrites([{ source: at, value: '[{},{}]' }, { source: at, value: '["a"]' }])).toEqual([{ source: at, value: '["a",{}]' }]);
    expect(mergedWrites([{ source: at, value: ['a'] }, { source: at, value: ['b'] }])).toHaveLength(2);
    const other = { kind: 'input' as const, steps: ['ys'] };
    expect(mergedWrites([{ source: at, value: [1] }, { source: other, value: [2] }])).toHaveLength(2);
  });
});
