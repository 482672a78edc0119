import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { validateDefinition } from '../../src/asl/validate';
import { compileStateMachine, DefinitionError, InvalidDefinitionError } from '../../src/interpreter';
import { renderSvg, RenderError } from '../../src/render';

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

/** A Pass state whose Result is `levels` objects deep, each holding the next twice: 2^levels leaves as JSON text. */
function sharedResult(levels: number): StateMachineDefinition {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value, b: value };
  return { StartAt: 'P', States: { P: { Type: 'Pass', Result: value, End: true } } } as unknown as StateMachineDefinition;
}

describe('Definitions in memory that share one object from many places', () => {
  const tooMany = /more than 1048576 values, an object reached from two places counted twice .* more than the 1048576 bytes AWS accepts in a definition/;

  it('refuses a Result 21 levels deep, each holding the next twice, once it has counted 1 MiB of values', () => {
    // 2^22 values as JSON text: walked in full before, and found valid.
    const findings = validateDefinition(sharedResult(21));
    expect(findings).toEqual([expect.objectContaining({ code: 'INVALID_JSON_DESCRIPTION', severity: 'error', message: expect.stringMatching(tooMany) })]);
    expect(findings[0].message).toContain('at $.States.P.Result.');
  });

  it('refuses one 60 levels deep at every door, where the walk would have gone on for 2^60 values', () => {
    expect(validateDefinition(sharedResult(60))[0].message).toMatch(tooMany);
    expect(() => compileStateMachine(sharedResult(60), { validate: false })).toThrow(tooMany);
    let refusal: unknown;
    try {
      renderSvg(sharedResult(60));
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(RenderError);
    expect((refusal as Error).message).toMatch(tooMany);
  });

  it('runs one 13 levels deep, whose JSON text is under the payload limit', async () => {
    const r = await compileStateMachine(sharedResult(13)).start({}).result;
    expect(r.status).toBe('SUCCEEDED');
  });
});
