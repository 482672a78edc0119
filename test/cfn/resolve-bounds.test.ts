import { thrown } from './thrown';
import { MAX_RESOLVED_VALUES, ResolveBudget } from '../../src/cfn/resolve-budget';
import { TemplateResolver, type CfnTemplate } from '../../src/cfn/resolver';

// One resolver's values, all intrinsics together, are bounded (MAX_RESOLVED_VALUES): a short text split into
// characters, a large mapping or a list parameter named again and again made values without end. The bound is
// 64 Mi values; it is proved here at 64 Ki through the same home (ResolveBudget.maxValues), so that the tests
// build kilobytes, not strings of 64 MiB (12 s of CPU).
const BOUND = 64 * 1024;
const KIB = 1024;
/** How often a value of 1 KiB items must be named to pass the bound. */
const TIMES = BOUND / KIB + 1;
const MORE_THAN = `more than ${BOUND.toLocaleString('en-US')} values from this template`;
const SCOPE = { stateMachine: 'Machine', location: 'Resources.Machine.Properties.Definition', record: () => undefined };

function named(times: number, value: unknown): unknown[] {
  return Array.from({ length: times }, () => value);
}

function resolve(template: CfnTemplate, value: unknown): unknown {
  return new TemplateResolver(template).resolve(value, SCOPE);
}

describe('TemplateResolver: the values intrinsics make, together', () => {
  const big: CfnTemplate = { Parameters: { Big: { Type: 'String', Default: 'y'.repeat(KIB) } } };
  beforeEach(() => {
    jest.replaceProperty(ResolveBudget, 'maxValues', BOUND);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('counts against MAX_RESOLVED_VALUES, 64 Mi values, unless a test makes it smaller', () => {
    jest.restoreAllMocks();
    expect(ResolveBudget.maxValues).toBe(MAX_RESOLVED_VALUES);
    expect(new ResolveBudget().visit(MAX_RESOLVED_VALUES, 'Fn::Split')).toBeUndefined();
    expect(new ResolveBudget().visit(MAX_RESOLVED_VALUES + 1, 'Fn::Split')).toContain('Fn::Split would make more than 67,108,864 values from this template');
  });

  it('refuses Fn::Split named again and again past the bound over the template, naming the state machine and where', () => {
    const e = thrown(() => resolve(big, named(TIMES, { 'Fn::Length': { 'Fn::Split': ['', { Ref: 'Big' }] } })));
    expect(e.code).toBe('INVALID_INTRINSIC');
    expect(e.message).toContain(`Fn::Split would make ${MORE_THAN}`);
    expect(e.message).toMatch(/^state machine 'Machine', Resources\.Machine\.Properties\.Definition\[6\d\]\.Fn::Length\.Fn::Split: /);
    expect(e.location).toMatch(/^Resources\.Machine\.Properties\.Definition\[6\d\]\.Fn::Length\.Fn::Split$/);
  });

  it.each([
    ['Fn::Split', { Parameters: { Big: { Type: 'String', Default: 'y'.repeat(BOUND + 1) } } }, { 'Fn::Split': ['', { Ref: 'Big' }] }],
    ['{"Ref": "Names"}', { Parameters: { Names: { Type: 'CommaDelimitedList', Default: ','.repeat(BOUND) } } }, { Ref: 'Names' }],
    // A sparse list stands for a mapping that large without the memory of one.
    ['Fn::FindInMap', { Mappings: { Sizes: { prod: { List: new Array(BOUND + 1) } } } }, { 'Fn::FindInMap': ['Sizes', 'prod', 'List'] }],
  ])('refuses %s making more values than the bound in one go, before it makes them', (fn, template, value) => {
    const e = thrown(() => resolve(template as CfnTemplate, { 'Fn::Length': value }));
    expect(e.code).toBe('INVALID_INTRINSIC');
    expect(e.message).toContain(`${fn} would make ${MORE_THAN}`);
  });

  it('resolves the same values named fewer times than the bound allows', () => {
    expect(resolve(big, named(2, { 'Fn::Length': { 'Fn::Split': ['', { Ref: 'Big' }] } }))).toEqual([KIB, KIB]);
  });

  it('gives Fn::FindInMap a copy of the mapping, so changing what one place resolved to changes neither the template nor another place', () => {
    const template: CfnTemplate = { Mappings: { Sizes: { prod: { List: ['a', 'b'] } } } };
    const [first, second] = resolve(template, named(2, { 'Fn::FindInMap': ['Sizes', 'prod', 'List'] })) as string[][];
    first.push('c');
    expect(second).toEqual(['a', 'b']);
    expect(template.Mappings!.Sizes.prod.List).toEqual(['a', 'b']);
  });

  it('stops at the bound when it is spent working out a resource name, rather than falling back to the logical id', () => {
    // Each function's name splits 1 KiB; a name that cannot be worked out falls back to the logical id, but a spent
    // bound must not: that fallback went on doing the same work for every function.
    const resources = Object.fromEntries(Array.from({ length: TIMES }, (_, i) => [`Fn${i}`, {
      Type: 'AWS::Lambda::Function',
      Properties: { FunctionName: { 'Fn::Select': [0, { 'Fn::Split': ['', { Ref: 'Big' }] }] } },
    }]));
    const template: CfnTemplate = { Parameters: big.Parameters, Resources: resources };
    const e = thrown(() => resolve(template, Object.keys(resources).map((id) => ({ Ref: id }))));
    expect(e.message).toContain(`Fn::Split would make ${MORE_THAN}`);
  });
});
