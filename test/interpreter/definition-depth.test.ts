import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { validateDefinition } from '../../src/asl/validate';
import { compileStateMachine, DefinitionError, InvalidDefinitionError } from '../../src/interpreter';

/** Parallel states nested `levels` deep, each with its own name. */
function nestedParallels(levels: number): StateMachineDefinition {
  let def: StateMachineDefinition = { StartAt: 'Leaf', States: { Leaf: { Type: 'Pass', Result: 'leaf', End: true } } };
  for (let i = 0; i < levels; i++) {
    def = { StartAt: `P${i}`, States: { [`P${i}`]: { Type: 'Parallel', Branches: [def], End: true } } } as StateMachineDefinition;
  }
  return def;
}

describe('Definitions nested deeper than AWS parses', () => {
  it.each([1500, 2000])('reports Parallel states nested %i deep as DEFINITION_TOO_DEEP, without a RangeError', (levels) => {
    const findings = validateDefinition(nestedParallels(levels));
    expect(findings).toEqual([expect.objectContaining({ code: 'DEFINITION_TOO_DEEP', severity: 'error', location: '' })]);
    expect(findings[0].message).toContain('nesting deeper than 1000 levels');
    expect(() => compileStateMachine(nestedParallels(levels))).toThrow(InvalidDefinitionError);
  });

  it('refuses them with a DefinitionError when validation is turned off', () => {
    expect(() => compileStateMachine(nestedParallels(2000), { validate: false })).toThrow(DefinitionError);
    expect(() => compileStateMachine(nestedParallels(2000), { validate: false })).toThrow('nesting deeper than 1000 levels');
  });

  it('reports a definition object that refers to itself instead of recursing forever', () => {
    const def: Record<string, unknown> = { StartAt: 'P', States: {} };
    (def.States as Record<string, unknown>).P = { Type: 'Parallel', Branches: [def], End: true };
    expect(validateDefinition(def)[0]).toMatchObject({ code: 'DEFINITION_TOO_DEEP', message: expect.stringContaining('a circular reference') });
  });

  it('runs Parallel states nested 200 deep', async () => {
    const r = await compileStateMachine(nestedParallels(200)).start({}).result;
    expect(r.status).toBe('SUCCEEDED');
    let out: unknown = r.output;
    for (let i = 0; i < 200; i++) out = (out as unknown[])[0];
    expect(out).toBe('leaf');
  });
});
