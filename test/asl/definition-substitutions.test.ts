import { substituteText, substituteValue } from '../../src/asl/definition-substitutions';

const subs = new Map([['fn', 'arn:aws:lambda:us-east-1:1:function:f'], ['key', 'Renamed']]);

describe('DefinitionSubstitutions', () => {
  it('replaces each listed ${key} in a definition string and leaves other ${...} text as CloudFormation does', () => {
    expect(substituteText('{"Resource":"${fn}","Text":"${other}"}', subs))
      .toBe('{"Resource":"arn:aws:lambda:us-east-1:1:function:f","Text":"${other}"}');
  });

  it('replaces in every string and key of a definition object, arrays included, without changing the input', () => {
    const input = { '${key}': ['${fn}', 1, null], 'nested': { r: '${fn}' } };
    expect(substituteValue(input, subs)).toEqual({ Renamed: ['arn:aws:lambda:us-east-1:1:function:f', 1, null], nested: { r: 'arn:aws:lambda:us-east-1:1:function:f' } });
    expect(input).toEqual({ '${key}': ['${fn}', 1, null], 'nested': { r: '${fn}' } });
  });

  it('returns text and values unchanged when there are no substitutions', () => {
    const value = { a: '${fn}' };
    expect(substituteText('${fn}', new Map())).toBe('${fn}');
    expect(substituteValue(value, new Map())).toBe(value);
  });
});
