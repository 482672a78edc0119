import { thrown } from './thrown';
import { TemplateResolver, type CfnTemplate } from '../../src/cfn/resolver';

/**
 * Conditions are the user's (or a peer's) template: one that leads back to itself, or a chain or
 * nesting thousands deep, is a TemplateError naming the condition, never a stack overflow.
 * CloudFormation evaluates a condition's {"Condition": ...} references first
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-condition.html),
 * so a circle of them has no value and the template is refused.
 */
const scope = { location: 'Resources.Machine.Properties.DefinitionString', record: (): void => {} };

function resolveIf(template: CfnTemplate, condition: string): unknown {
  return new TemplateResolver(template).resolve({ 'Fn::If': [condition, 'yes', 'no'] }, scope);
}

describe('conditions that refer to each other in a circle', () => {
  it('refuses two conditions that depend on each other, naming the circle', () => {
    const e = thrown(() => resolveIf({ Resources: {}, Conditions: { A: { Condition: 'B' }, B: { 'Fn::Not': [{ Condition: 'A' }] } } }, 'A'));
    expect(e.code).toBe('INVALID_INTRINSIC');
    expect(e.message).toContain("condition 'A' depends on itself ('A' -> 'B' -> 'A')");
  });

  it('refuses a condition that depends on itself inside Fn::And', () => {
    const e = thrown(() => resolveIf({ Resources: {}, Conditions: { Self: { 'Fn::And': [{ 'Fn::Equals': ['a', 'a'] }, { Condition: 'Self' }] } } }, 'Self'));
    expect(e.message).toContain("condition 'Self' depends on itself ('Self' -> 'Self')");
  });

  it('still evaluates a condition used twice on one side, which is no circle', () => {
    const template: CfnTemplate = { Resources: {}, Conditions: { Base: { 'Fn::Equals': ['a', 'a'] }, Both: { 'Fn::And': [{ Condition: 'Base' }, { Condition: 'Base' }] } } };
    expect(resolveIf(template, 'Both')).toBe('yes');
  });
});

describe('conditions chained or nested thousands deep', () => {
  it('refuses a chain of 20,000 conditions as a TemplateError, not a stack overflow', () => {
    const conditions: Record<string, unknown> = { C20000: { 'Fn::Equals': ['a', 'a'] } };
    for (let i = 0; i < 20_000; i++) conditions[`C${i}`] = { 'Fn::Not': [{ Condition: `C${i + 1}` }] };
    const e = thrown(() => resolveIf({ Resources: {}, Conditions: conditions }, 'C0'));
    expect(e.message).toMatch(/deeper than 1,000 levels/);
  });

  it('refuses Fn::Not nested 20,000 deep as a TemplateError, not a stack overflow', () => {
    let expr: unknown = { 'Fn::Equals': ['a', 'a'] };
    for (let i = 0; i < 20_000; i++) expr = { 'Fn::Not': [expr] };
    const e = thrown(() => resolveIf({ Resources: {}, Conditions: { Deep: expr } }, 'Deep'));
    expect(e.message).toMatch(/deeper than 1,000 levels/);
  });
});

describe('Fn::Sub nested thousands deep in its variables', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 'x';
    for (let i = 0; i < depth; i++) value = { 'Fn::Sub': ['<${A}>', { A: value }] };
    return value;
  };

  it('refuses Fn::Sub nested 3,000 deep as a TemplateError, not a stack overflow', () => {
    // It took the CLI down with an internal error and its stack. Whether the stack or the bound on depth
    // ends it first depends on the frames a level takes; either way it is the template's error.
    const e = thrown(() => new TemplateResolver({ Resources: {} }).resolve(nested(3000), scope));
    expect(e.code).toBe('NOT_A_TEMPLATE');
    expect(e.message).toMatch(/^Resources\.Machine\.Properties\.DefinitionString: the template nests .*(deeper than 1,000 levels|too deep here)/);
  });

  it('still resolves Fn::Sub nested 500 deep, each level around the one inside it', () => {
    expect(new TemplateResolver({ Resources: {} }).resolve(nested(500), scope)).toBe(`${'<'.repeat(500)}x${'>'.repeat(500)}`);
  });
});
