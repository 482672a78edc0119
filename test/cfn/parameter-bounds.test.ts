/*
 * A template's Parameters from a hostile hand: an AllowedPattern that backtracks catastrophically
 * on JavaScript's engine (and Java's), one of a megabyte, a million AllowedValues, a hundred
 * thousand values given to parameters the template lacks, a NoEcho written as text, and Java's
 * own pattern syntax (parameters-section-structure.html: AllowedPattern is a Java regular
 * expression matched against the whole value). Each is checked with bounded work, refused with a
 * message that names the parameter, or let through where Java's answer is unknown here.
 */
import { thrown } from './thrown';
import { ALLOWED_PATTERN_MAX_LENGTH, ALLOWED_PATTERN_MAX_WORK } from '../../src/cfn/allowed-pattern';
import { extractStateMachines, type ExtractOptions } from '../../src/workbench/template';

function templateWith(declarations: Record<string, object>): object {
  return {
    Parameters: declarations,
    Resources: {
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { Definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }, RoleArn: 'arn:aws:iam::123456789012:role/r' },
      },
    },
  };
}

const load = (declarations: Record<string, object>, parameters?: ExtractOptions['parameters']): unknown =>
  extractStateMachines(templateWith(declarations), parameters ? { parameters } : {});

function refusal(declarations: Record<string, object>, parameters?: ExtractOptions['parameters']): { code: string; message: string; location?: string } {
  const e = thrown(() => load(declarations, parameters));
  return { code: e.code, message: e.message, location: e.location };
}

const pattern = (allowed: string): Record<string, object> => ({ Name: { Type: 'String', AllowedPattern: allowed } });

describe('AllowedPattern run with bounded work', () => {
  it('refuses a value that (a+)+$ does not match, without backtracking catastrophically', () => {
    // 50 `a`s and a `!` take JavaScript's engine some 2^50 steps; RE2's work is the pattern's size times the value's.
    expect(refusal(pattern('(a+)+$'), { Name: `${'a'.repeat(50)}!` })).toEqual({
      code: 'INVALID_PARAMETER_VALUE', location: 'Parameters.Name', message: `Parameter 'Name' must match pattern (a+)+$; got '${'a'.repeat(50)}!'`,
    });
    expect(load(pattern('(a+)+$'), { Name: 'a'.repeat(50) })).toHaveLength(1);
  });

  it('checks each member of a CommaDelimitedList with the one pattern', () => {
    const list = { Names: { Type: 'CommaDelimitedList', AllowedPattern: '(x+x+)+y' } };
    expect(load(list, { Names: 'xxy,xxxy' })).toHaveLength(1);
    expect(refusal(list, { Names: `xxy,${'x'.repeat(40)}` }).message).toBe(`Parameter 'Names' must match pattern (x+x+)+y; got 'xxy,${'x'.repeat(40)}'`);
  });

  // Both bounds are stepwright's, not CloudFormation's: past them the value goes through unchecked
  // rather than a template CloudFormation would deploy being refused (review of 3f81df54).
  it('lets a value through unchecked when the pattern is longer than it compiles', () => {
    const long = 'b'.repeat(ALLOWED_PATTERN_MAX_LENGTH + 1);
    expect(load(pattern(long), { Name: 'a' })).toHaveLength(1);
    // At the bound the pattern is still checked: 'a' does not match it.
    expect(refusal(pattern('b'.repeat(ALLOWED_PATTERN_MAX_LENGTH)), { Name: 'a' }).code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('lets a value through unchecked when its work against the pattern passes the bound, the Default too', () => {
    const wide = (given: string) => ({ Name: { Type: 'String', AllowedPattern: '[a-z]?'.repeat(2000), Default: given } });
    expect(ALLOWED_PATTERN_MAX_WORK).toBe(8_388_608);
    // 4,000 characters is too much work to check, so even a value the pattern refuses goes through.
    expect(load(wide(`${'a'.repeat(3999)}!`))).toHaveLength(1);
    // A short value is within the bound and checked: '!' is refused, 'abc' is taken.
    expect(refusal(wide('ab!')).code).toBe('INVALID_PARAMETER_VALUE');
    expect(load(wide('abc'))).toHaveLength(1);
  });
});

describe('AllowedPattern read as Java reads it', () => {
  it("lets through a value where Java's class intersection and union decide, which RE2 would read as characters", () => {
    expect(load(pattern('[a-z&&[^aeiou]]+'), { Name: 'bcd' })).toHaveLength(1);
    expect(load(pattern('[a-c[x-z]]+'), { Name: 'ax' })).toHaveLength(1);
  });

  it('reads \\s as Java does, vertical tab included, and \\uXXXX as a character', () => {
    expect(load(pattern('a\\sb'), { Name: 'a\u000bb' })).toHaveLength(1);
    expect(load(pattern('[\\s]'), { Name: '\u000b' })).toHaveLength(1);
    expect(refusal(pattern('a\\Sb'), { Name: 'a\u000bb' }).code).toBe('INVALID_PARAMETER_VALUE');
    expect(load(pattern('\\u0041+'), { Name: 'AA' })).toHaveLength(1);
    expect(refusal(pattern('\\u0041+'), { Name: 'u0041' }).code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('quotes \\Q…\\E literally, as Java does', () => {
    expect(load(pattern('\\Q.*[\\E[0-9]'), { Name: '.*[7' })).toHaveLength(1);
    expect(refusal(pattern('\\Q.*\\E'), { Name: 'abc' }).code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('lets through what only Java can answer: a backreference, lookaround, a possessive quantifier, Java classes', () => {
    for (const javaOnly of ['(a)\\1', '(?=a)a', '(?<!b)a', 'a*+', 'a++b', '\\p{Alpha}+', '\\p{javaLowerCase}', '\\h', '\\R', 'a\\Z', '(?x) a', '(?>a)', '[]a]', '\\0141', 'a{2000}']) {
      expect(load(pattern(javaOnly), { Name: 'zzz' })).toHaveLength(1);
    }
  });

  it('lets through a value where Java reads `.`, \\b or (?i) otherwise than RE2', () => {
    // Java's `.` matches no carriage return; RE2's does.
    expect(load(pattern('a.b'), { Name: 'a\rb' })).toHaveLength(1);
    expect(load(pattern('(?i)é'), { Name: 'É' })).toHaveLength(1);
    expect(refusal(pattern('(?i)abc'), { Name: 'abd' }).code).toBe('INVALID_PARAMETER_VALUE');
    expect(load(pattern('(?i)abc'), { Name: 'ABC' })).toHaveLength(1);
  });
});

describe('long lists in refusals', () => {
  it('names the first twenty of a million AllowedValues and counts the rest', () => {
    const allowed = Array.from({ length: 1_000_000 }, (_, i) => `v${i}`);
    const { message } = refusal({ Name: { Type: 'String', AllowedValues: allowed } }, { Name: 'x' });
    const first = allowed.slice(0, 20).join(', ');
    expect(message).toBe(`Parameter 'Name' must be one of AllowedValues (${first}, … 999980 more); got 'x'`);
  });

  it('names the first twenty of a hundred thousand undeclared parameters, and of as many declared', () => {
    const given = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`U${i}`, 'x']));
    const declared = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`D${i}`, { Type: 'String', Default: 'd' }]));
    const { code, message } = refusal(declared, given);
    expect(code).toBe('UNDECLARED_PARAMETER');
    const names = (prefix: string): string => Array.from({ length: 20 }, (_, i) => `${prefix}${i}`).join(', ');
    expect(message).toBe(`Parameters: [${names('U')}, … 99980 more] do not exist in the template; it declares ${names('D')}, … 99980 more`);
  });
});

describe('NoEcho', () => {
  it.each([true, 'true', 'TRUE', 'True'])('masks the value when NoEcho is %p, in every kind of refusal', (noEcho) => {
    const secret = 'hunter2-secret';
    const refusals = [
      refusal({ Token: { Type: 'String', NoEcho: noEcho, AllowedPattern: '[0-9]+' } }, { Token: secret }),
      refusal({ Token: { Type: 'String', NoEcho: noEcho, AllowedValues: ['a'] } }, { Token: secret }),
      refusal({ Token: { Type: 'CommaDelimitedList', NoEcho: noEcho, AllowedPattern: '[0-9]+' } }, { Token: `1,${secret}` }),
      refusal({ Token: { Type: 'Number', NoEcho: noEcho } }, { Token: secret }),
      refusal({ Token: { Type: 'String', NoEcho: noEcho, MaxLength: 3, ConstraintDescription: 'short' } }, { Token: secret }),
      refusal({ Token: { Type: 'String', NoEcho: noEcho, MaxLength: 3, Default: secret } }),
    ];
    for (const r of refusals) {
      expect(r.message).not.toContain('hunter2');
      expect(r.message).toContain("'****'");
    }
  });
});
