import { machine, reaching, replays } from './helpers';
import { IntrinsicNames } from '../../src/asl/intrinsics/names';
import { invert } from '../../src/explore/inverse';
import type { Computed, ComputedArg, Source } from '../../src/explore/sources';
import { stopExploreClock } from '../explore-clock';

/*
 * Issue 77, explore round 4, the gaps the machines of bench/modern-corpus/round16.ts showed: a
 * code States.Format builds of two values (a band a Task answers and a country of the input), a
 * Choice wants whole.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';

describe('a text States.Format makes of several values, steered back', () => {
  const input = (field: string): Source => ({ kind: 'input', steps: [field] });
  const format = (template: string, ...fields: Array<string | number>): Computed => ({
    fn: IntrinsicNames.FORMAT,
    steps: [],
    args: [
      { kind: 'literal', value: template },
      ...fields.map((f): ComputedArg => (typeof f === 'number' ? { kind: 'literal', value: f } : { kind: 'source', source: input(f) })),
    ],
  });
  const written = (c: Computed, want: string) => {
    const w = invert(c, want);
    return 'reason' in w ? w : w.map((x) => x.value);
  };

  it('splits the text wanted at the literal parts between the placeholders', () => {
    expect(written(format('{}-{}', 'band', 'country'), 'B-DE')).toEqual(['B', 'DE']);
    expect(written(format('run/{}/{}.json', 'day', 'id'), 'run/2024-01-02/7.json')).toEqual(['2024-01-02', '7']);
  });

  it('skips a split that a literal value does not match', () => {
    // The '-' inside "x-1" is not where the literal 7 goes: the second '-' is.
    expect(written(format('{}-{}', 'code', 7), 'x-1-7')).toEqual(['x-1']);
  });

  it('gives a reason when the text wanted does not fit the template', () => {
    expect(written(format('{}-{}', 'band', 'country'), 'BDE')).toEqual({ reason: expect.stringContaining('cannot give "BDE"') });
  });
});

describe('explore on a code a Pass formats of a Task answer and the input, then a Choice', () => {
  stopExploreClock();

  const wf = machine({
    StartAt: 'Grade',
    States: {
      'Grade': {
        Type: 'Task',
        Resource: LAMBDA,
        Parameters: { 'FunctionName': 'grade', 'Payload.$': '$' },
        ResultSelector: { 'grade.$': '$.Payload.grade' },
        ResultPath: '$.graded',
        Next: 'Code',
      },
      'Code': {
        Type: 'Pass',
        Parameters: { 'code.$': "States.Format('{}/{}', $.graded.grade, $.region)" },
        Next: 'Which code?',
      },
      'Which code?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.code', StringEquals: 'gold/eu-west', Next: 'Gold in the EU' }],
        Default: 'Other',
      },
      'Gold in the EU': { Type: 'Succeed' },
      'Other': { Type: 'Succeed' },
    },
  });

  it('reaches the rule with the grade answered and the region given', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Gold in the EU'));
  });
});
