import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import { DefinitionError } from '../../../src/asl/states-errors';
import { InvalidDefinitionError, validateDefinition, type Finding } from '../../../src/asl/validate';
import { compileStateMachine } from '../../../src/interpreter';

const broken = {
  StartAt: 'Charge',
  States: {
    Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge', Next: 'Ship' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

function refusal(definition: unknown, options: Parameters<typeof compileStateMachine>[1] = {}): InvalidDefinitionError {
  try {
    compileStateMachine(definition as StateMachineDefinition, options);
  } catch (e) {
    if (e instanceof InvalidDefinitionError) return e;
    throw e;
  }
  throw new Error('expected compileStateMachine to refuse the definition');
}

describe('InvalidDefinitionError', () => {
  it('is a DefinitionError carrying the first finding as code and location', () => {
    const e = refusal(broken);
    expect(e).toBeInstanceOf(DefinitionError);
    expect(e.name).toBe('InvalidDefinitionError');
    expect(e.code).toBe('MISSING_TRANSITION_TARGET');
    expect(e.location).toBe('/States/Charge/Next');
    expect(e.message).toContain("Next 'Ship' names no state");
  });

  it('lists every error finding with location, code and message', () => {
    const e = refusal({ StartAt: 'Nope', States: { A: { Type: 'Pass' } } });
    expect(e.findings.map((f) => f.location)).toEqual(expect.arrayContaining(['/StartAt', '/States/A']));
    expect(e.message).toMatch(/^The state machine definition is invalid \(\d+ errors\):/);
    for (const f of e.findings) expect(e.message).toContain(`  - ${f.location || '/'} [${f.code}]: ${f.message}`);
  });

  it('reports the same findings validateDefinition reports', () => {
    const expected = validateDefinition(broken, { warnings: false });
    expect(refusal(broken).findings).toEqual(expected);
  });

  it('says "1 error" for a single finding and names the value at fault', () => {
    const e = refusal({ StartAt: 'A', States: { A: { Type: 'Wait', Seconds: -5, End: true } } });
    expect(e.findings).toHaveLength(1);
    expect(e.message).toContain('(1 error)');
    expect(e.message).toContain('/States/A/Seconds');
    expect(e.message).toContain('-5');
  });

  it('lists at most 20 findings in its message and counts the rest', () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 25; i++) states[`S${i}`] = { Type: 'Pass', Next: `Missing${i}` };
    const e = refusal({ StartAt: 'S0', States: states });
    expect(e.findings.length).toBeGreaterThan(20);
    expect(e.message).toContain(`... and ${e.findings.length - 20} more`);
  });

  it('falls back to a generic code when built with no findings', () => {
    const e = new InvalidDefinitionError([] as Finding[]);
    expect(e.code).toBe('SCHEMA_VALIDATION_FAILED');
    expect(e.message).toContain('(0 errors)');
  });
});

describe('compileStateMachine validation', () => {
  it('refuses a JSONPath state inside a JSONata machine through the validator', () => {
    const e = refusal({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } } });
    expect(e.findings[0]).toMatchObject({ code: 'INVALID_QUERY_LANGUAGE', location: '/States/A/QueryLanguage' });
  });

  it('refuses activities in an EXPRESS machine, honouring the type option', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:work', End: true } } };
    expect(() => compileStateMachine(def as StateMachineDefinition)).not.toThrow();
    expect(refusal(def, { type: 'EXPRESS' }).findings[0].code).toBe('EXPRESS_UNSUPPORTED_FEATURE');
  });

  it('does not refuse a definition for best-practice warnings alone', () => {
    const def = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'D' }] }, D: { Type: 'Succeed' } } };
    expect(validateDefinition(def).some((f) => f.code === 'CHOICE_WITHOUT_DEFAULT')).toBe(true);
    expect(() => compileStateMachine(def as StateMachineDefinition)).not.toThrow();
  });

  it('skips the validator with validate: false, so an unreachable dangling target is tolerated', async () => {
    const def = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', End: true }, Orphan: { Type: 'Pass', Next: 'Nowhere' } },
    };
    expect(() => compileStateMachine(def as StateMachineDefinition)).toThrow(InvalidDefinitionError);
    const result = await compileStateMachine(def as StateMachineDefinition, { validate: false }).start({ a: 1 }).result;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { a: 1 } });
  });

  it('still names an unknown state type when validation is skipped', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Teleport', End: true } } };
    expect(() => compileStateMachine(def as unknown as StateMachineDefinition, { validate: false }))
      .toThrow(/\/States\/A\/Type: Unknown state type 'Teleport'/);
  });
});
