import { machine } from './helpers';

/*
 * Issue 77's reread of explore's reasons: a reason names what to give in words a user can act on.
 * A JSONata Items expression explore could not steer said "none of the 12 values tried for
 * $states.input.xs gave 0 = a value" (the place under the value printed as `0 =`); it names the
 * place as a path: "a value at [0]", a list with a first item.
 */

describe('the reasons explore gives name what is wanted in a user\'s words', () => {
  it('a Map whose JSONata Items explore cannot steer to one item says it wants a value at [0], not "0 = a value"', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          // No text is both 'zq91' and 7 characters long: the list is never made, whatever explore tries.
          Items: "{% $filter($states.input.codes, function($c){ $c = 'zq91' and $length($c) = 7 }) %}",
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Use', States: { Use: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    const use = report.states.notReached.find((n) => n.state === 'Use');
    expect(use?.reason).toContain("Map 'Each' ran no iteration");
    expect(use?.reason).toMatch(/values tried for \$states\.input\.codes gave [^;]*a value at \[0\]/);
    expect(use?.reason).not.toContain('0 = a value');
  });
});
