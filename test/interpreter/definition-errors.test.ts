import { compileStateMachine, DefinitionError, InvalidDefinitionError } from '../../src/interpreter';

/** The DefinitionError a definition is refused with. */
function refusal(definition: unknown, validate = true): DefinitionError {
  try {
    compileStateMachine(definition as never, { validate });
  } catch (e) {
    if (e instanceof DefinitionError) return e;
    throw e;
  }
  throw new Error('the definition was accepted');
}

const pass = (extra: Record<string, unknown>) => ({ StartAt: 'S', States: { S: { Type: 'Pass', End: true, ...extra } } });

describe('Definition errors', () => {
  it('refuses a state with neither Next nor End, naming the state', () => {
    const e = refusal({ StartAt: 'S', States: { S: { Type: 'Pass' } } });
    expect(e).toBeInstanceOf(InvalidDefinitionError);
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.location).toBe('/States/S');
    expect(e.message).toContain("State 'S' has neither Next nor \"End\": true");
  });

  it('refuses a Next that names no state, pointing at the field', () => {
    const e = refusal({ StartAt: 'S', States: { S: { Type: 'Pass', Next: 'Nowhere' } } });
    expect(e.code).toBe('MISSING_TRANSITION_TARGET');
    expect(e.location).toBe('/States/S/Next');
    expect(e.message).toContain("Next 'Nowhere' names no state");
  });

  it('refuses a state Type named like a property of every object as an unknown type, with the typed error', () => {
    const e = refusal({ StartAt: 'S', States: { S: { Type: 'toString', End: true } } });
    expect(e).toBeInstanceOf(InvalidDefinitionError);
    expect(e.location).toBe('/States/S/Type');
    expect(e.message).toContain('unknown Type "toString"');
  });

  describe('with validate: false, a transition to no state fails the execution when it gets there, never crashes', () => {
    const expectNoSuchState = async (definition: object, from: string, to: string) => {
      const result = await compileStateMachine(definition as never, { validate: false }).start({}).result;
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('States.Runtime');
      expect(result.cause).toContain(`State '${from}' goes to '${to}', which is not a state of its machine`);
      expect(result.cause).toContain('MISSING_TRANSITION_TARGET');
    };

    it('from a Pass of input-only data work', async () => {
      await expectNoSuchState({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nope' } } }, 'A', 'Nope');
    });

    it('from a Choice rule', async () => {
      await expectNoSuchState({
        StartAt: 'A', States: { A: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: false, Next: 'Gone' }], Default: 'Gone' } },
      }, 'A', 'Gone');
    });

    it('from a Wait, which goes on after the clock', async () => {
      await expectNoSuchState({ StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 5, Next: 'Later' } } }, 'A', 'Later');
    });

    it('from a state of a Parallel branch', async () => {
      await expectNoSuchState({
        StartAt: 'P',
        States: { P: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Next: 'Elsewhere' } } }] } },
      }, 'B', 'Elsewhere');
    });
  });

  it('refuses a StartAt that names no state', () => {
    const e = refusal({ StartAt: 'X', States: { S: { Type: 'Pass', End: true } } });
    expect(e.location).toBe('/StartAt');
  });

  it('refuses an unknown state type, listing the valid ones', () => {
    const e = refusal({ StartAt: 'S', States: { S: { Type: 'Nope', End: true } } });
    expect(e.location).toBe('/States/S/Type');
    expect(e.message).toContain('unknown Type "Nope"; use one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map');
  });

  it('refuses a path that does not parse, naming the field', () => {
    const e = refusal(pass({ InputPath: '$..[' }));
    expect(e.code).toBe('INVALID_JSON_PATH');
    expect(e.location).toBe('/States/S/InputPath');
  });

  // AWS locates a bad `.$` value at its template's field (/States/X/Parameters) and names the key in its message.
  it('refuses a Parameters value ending in .$ that is not a path, naming the key, at the Parameters', () => {
    const e = refusal(pass({ Parameters: { 'a.$': 'nope' } }));
    expect(e.location).toBe('/States/S/Parameters');
    expect(e.message).toContain("'a.$'");
  });

  it('refuses an intrinsic function call that does not parse, naming the state and field', () => {
    const e = refusal(pass({ Parameters: { 'a.$': 'States.Format(' } }));
    expect(e.code).toBe('INVALID_INTRINSIC_FUNCTION');
    expect(e.location).toBe('/States/S/Parameters');
    expect(e.message).toContain("'a.$'");
  });

  it('refuses an unknown intrinsic function', () => {
    expect(refusal(pass({ Parameters: { 'a.$': 'States.Nope(1)' } })).message).toContain("'States.Nope' is not an intrinsic function");
  });

  it('refuses a JSONata expression that does not parse, naming the field', () => {
    const e = refusal({ QueryLanguage: 'JSONata', ...pass({ Output: '{% 1 + %}' }) });
    expect(e.code).toBe('INVALID_JSONATA');
    expect(e.location).toBe('/States/S/Output');
  });

  it('lists every finding in InvalidDefinitionError.findings', () => {
    const e = refusal({ StartAt: 'S', States: { S: { Type: 'Pass', Next: 'Z' }, T: { Type: 'Nope' } } }) as InvalidDefinitionError;
    expect(e.findings.length).toBeGreaterThan(1);
  });

  it('refuses a definition string that is not JSON', () => {
    const e = refusal('{ not json');
    expect(e.code).toBe('INVALID_JSON_DESCRIPTION');
  });

  describe('without the validator (validate: false)', () => {
    it('still refuses an unknown state type, naming the state', () => {
      const e = refusal({ StartAt: 'S', States: { S: { Type: 'Nope', End: true } } }, false);
      expect(e.location).toBe('/States/S/Type');
    });

    it('still refuses a path that does not parse, naming the state', () => {
      const e = refusal(pass({ InputPath: '$..[' }), false);
      expect(e.message).toContain("State 'S' cannot run: Invalid JSONPath");
    });

    it('still refuses an intrinsic that does not parse, naming the state', () => {
      expect(refusal(pass({ Parameters: { 'a.$': 'States.Format(' } }), false).message).toContain("State 'S' cannot run: Invalid intrinsic function call 'States.Format('");
    });

    it('names the state that cannot run by its own location, after other states and inside a Parallel branch', () => {
      const branch = { StartAt: 'B1', States: { 'B1': { Type: 'Pass', Next: 'B2' }, 'B/2': { Type: 'Pass', InputPath: '$..[', End: true } } };
      const e = refusal({
        StartAt: 'A',
        States: { A: { Type: 'Pass', Next: 'P' }, P: { Type: 'Parallel', Branches: [{ StartAt: 'C', States: { C: { Type: 'Pass', End: true } } }, branch], End: true } },
      }, false);
      expect(e.location).toBe('/States/P/Branches/1/States/B~12');
      expect(e.message).toContain("State 'B/2' cannot run: Invalid JSONPath");
    });

    it('still refuses a JSONata expression that does not parse, naming the field', () => {
      expect(refusal({ QueryLanguage: 'JSONata', ...pass({ Output: '{% 1 + %}' }) }, false).message).toContain("specified for the field 'Output' is invalid");
    });
  });
});
