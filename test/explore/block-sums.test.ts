import { machine, replays } from './helpers';

/*
 * Issue 77, explore round 4 hunt: a threshold on the sum of what a block computes of each line
 * (`$sum($states.input.lines.(qty * price)) >= 1000`, the form JSONata's own documentation
 * gives). explore tried lists and numbers for `lines` but never a line whose block gives the
 * number wanted, so the rule was not reached in 300 tries.
 */

function threshold(condition: string) {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Size?',
    States: {
      'Size?': { Type: 'Choice', Choices: [{ Condition: `{% ${condition} %}`, Next: 'Bulk' }], Default: 'Standard' },
      'Bulk': { Type: 'Succeed' },
      'Standard': { Type: 'Succeed' },
    },
  });
}

describe('explore on a threshold over what a block computes of each item', () => {
  it.each([
    ['a product', '$sum($states.input.lines.(qty * price)) >= 1000'],
    ['a sum, the greatest', '$max($states.input.lines.(net + tax)) > 250'],
    ['a name in a block', '$sum($states.input.lines.(amount)) > 99.5'],
  ])('reaches both sides: %s', async (_title, condition) => {
    const wf = threshold(condition);
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.choiceRules.notReached).toEqual([]);
    expect(report.choiceRules.unreachable).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
  });
});
