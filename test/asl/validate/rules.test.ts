import { ValidationCodes, validateDefinition, type Finding } from '../../../src/asl/validate';

/** A one-state machine around `state` (named S), JSONPath unless told. */
const one = (state: Record<string, unknown>, top: Record<string, unknown> = {}) => ({ StartAt: 'S', States: { S: state }, ...top });
const pass = { Type: 'Pass', End: true };
const errors = (def: unknown, type?: 'STANDARD' | 'EXPRESS'): Finding[] => validateDefinition(def, { type }).filter((f) => f.severity === 'error');
/** `CODE location` of each error, for compact assertions. */
const at = (def: unknown, type?: 'STANDARD' | 'EXPRESS') => errors(def, type).map((f) => `${f.code} ${f.location}`);

describe('validateDefinition entry point', () => {
  it('accepts a minimal machine with no findings', () => {
    expect(validateDefinition(one(pass))).toEqual([]);
  });
  it('returns a list of its own, even when it finds nothing', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 30, End: true } } };
    const first = validateDefinition(definition);
    const second = validateDefinition(definition);
    expect(first).toEqual([]);
    expect(first).not.toBe(second);
    first.push({ code: 'SCHEMA_VALIDATION_FAILED', severity: 'error', location: '', message: 'added by the caller' });
    expect(validateDefinition(definition)).toEqual([]);
  });

  it('accepts the definition as JSON text', () => {
    expect(validateDefinition(JSON.stringify(one(pass)))).toEqual([]);
  });
  it('rejects broken JSON text with INVALID_JSON_DESCRIPTION and the parser message', () => {
    const [f] = validateDefinition('{"StartAt": "S" "States": {}}');
    expect(f).toMatchObject({ code: 'INVALID_JSON_DESCRIPTION', severity: 'error', location: '' });
    expect(f.message).toMatch(/not valid JSON/);
  });
  it('rejects null and empty text with MISSING_DESCRIPTION', () => {
    expect(at(null)).toEqual(['MISSING_DESCRIPTION ']);
    expect(at('  ')).toEqual(['MISSING_DESCRIPTION ']);
  });
  it('rejects an array with SCHEMA_VALIDATION_FAILED', () => {
    expect(at([])).toEqual(['SCHEMA_VALIDATION_FAILED ']);
  });
  it('exports every code in the ValidationCodes catalogue under its own name', () => {
    for (const [k, v] of Object.entries(ValidationCodes)) expect(k).toBe(v);
  });
  it('escapes ~ and / in JSON-pointer locations (RFC 6901)', () => {
    expect(at({ StartAt: 'a/b~c', States: { 'a/b~c': { Type: 'Pass', Next: 'x' } } })).toContain('MISSING_TRANSITION_TARGET /States/a~1b~0c/Next');
  });
  it('leaves warnings out when warnings is false', () => {
    const def = one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true });
    expect(validateDefinition(def, { warnings: false })).toEqual([]);
  });
});

describe('machine-shape rule', () => {
  it('requires StartAt and States at the top level', () => {
    expect(at({})).toEqual(['SCHEMA_VALIDATION_FAILED /', 'SCHEMA_VALIDATION_FAILED /']);
  });
  it('reports an unknown top-level field at its location', () => {
    expect(at(one(pass, { Bogus: 1 }))).toEqual(['SCHEMA_VALIDATION_FAILED /Bogus']);
  });
  it('says QueryLanguage belongs at the top level when it is put inside States', () => {
    const [f] = errors({ StartAt: 'S', States: { QueryLanguage: 'JSONata', S: pass } });
    expect(f).toMatchObject({ code: 'SCHEMA_VALIDATION_FAILED', location: '/States/QueryLanguage' });
    expect(f.message).toMatch(/move "QueryLanguage": "JSONata" out of States to the top level/);
  });
  it('reports a missing or unknown Type', () => {
    expect(at(one({ End: true }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S']);
    expect(at(one({ Type: 'Sleep', End: true }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Type']);
  });
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('reports a Type named like a property of every object (%s) as unknown, without throwing', (type) => {
    expect(at(one({ Type: type, End: true }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Type']);
  });
  it('bounds the machine TimeoutSeconds', () => {
    expect(at(one(pass, { TimeoutSeconds: 0 }))).toEqual(['VALUE_OUT_OF_RANGE /TimeoutSeconds']);
  });
});

describe('state-fields rule', () => {
  it('rejects a field the state type does not accept (ResultPath on Choice)', () => {
    const def = one({ Type: 'Choice', ResultPath: '$.x', Choices: [{ Variable: '$.a', IsPresent: true, Next: 'T' }], Default: 'T' });
    (def.States as Record<string, unknown>).T = pass;
    expect(at(def)).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/ResultPath']);
  });
  it('requires Resource on a Task', () => {
    expect(at(one({ Type: 'Task', End: true }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S']);
  });
  it('rejects Assign on Succeed and Fail with INVALID_ASSIGN', () => {
    expect(at(one({ Type: 'Succeed', Assign: { a: 1 } }))).toEqual(['INVALID_ASSIGN /States/S/Assign']);
  });
});

describe('state-names rule', () => {
  it('rejects a name used both at the top level and in a Parallel branch, at the branch copy', () => {
    const def = one({ Type: 'Parallel', Next: 'X', Branches: [{ StartAt: 'X', States: { X: pass } }] });
    (def.States as Record<string, unknown>).X = pass;
    expect(at(def)).toEqual(['DUPLICATE_STATE_NAME /States/S/Branches/0/States/X']);
  });
  it('rejects a name longer than 80 characters with INVALID_STATE_NAME', () => {
    const name = 'n'.repeat(81);
    expect(at({ StartAt: name, States: { [name]: pass } })).toEqual([`INVALID_STATE_NAME /States/${name}`]);
  });
});

describe('transitions rule', () => {
  it('rejects a StartAt that names no state', () => {
    expect(at({ StartAt: 'Nope', States: { S: pass } })).toContain('MISSING_TRANSITION_TARGET /StartAt');
  });
  it('rejects a Next that leaves its Map processor, naming where the target lives', () => {
    const def = one({ Type: 'Map', Next: 'T', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Next: 'T' } } } });
    (def.States as Record<string, unknown>).T = pass;
    const f = errors(def).find((e) => e.code === 'MISSING_TRANSITION_TARGET')!;
    expect(f.location).toBe('/States/S/ItemProcessor/States/I/Next');
    expect(f.message).toMatch(/'T' exists at the top level/);
  });
  it('rejects a Catch Next that names no state', () => {
    const def = one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Gone' }] });
    expect(at(def)).toEqual(['MISSING_TRANSITION_TARGET /States/S/Catch/0/Next']);
  });
  it("suggests the nearest state name for a mistyped Next: did you mean 'Route batch'?", () => {
    const f = errors({ StartAt: 'Parse', States: { 'Parse': { Type: 'Pass', Next: 'Route btach' }, 'Route batch': pass } })[0];
    expect(f).toMatchObject({ code: 'MISSING_TRANSITION_TARGET', location: '/States/Parse/Next' });
    expect(f.message).toBe("State 'Parse': Next 'Route btach' names no state at the top level; did you mean 'Route batch'?");
  });
  it('suggests no name when none is near, and says to check the spelling', () => {
    const f = errors({ StartAt: 'S', States: { S: { Type: 'Pass', Next: 'Archive everything' }, T: pass } })[0];
    expect(f.message).toBe("State 'S': Next 'Archive everything' names no state at the top level; check the spelling or add the state");
  });
  it('suggests names for at most ten mistyped names of a scope, each costing a comparison with every state name', () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i++) states[`Step ${i}`] = { Type: 'Pass', Next: `Stpe ${i + 1}` };
    states['Step 1000'] = { Type: 'Succeed' };
    const missing = errors({ StartAt: 'Step 0', States: states }).filter((f) => f.code === 'MISSING_TRANSITION_TARGET');
    expect(missing).toHaveLength(1000);
    expect(missing.filter((f) => /did you mean 'Step \d+'\?$/.test(f.message))).toHaveLength(10);
    expect(missing[10].message).toMatch(/check the spelling or add the state$/);
  });
  it('rejects both Next and End, and neither, with INVALID_TRANSITION', () => {
    expect(at({ StartAt: 'S', States: { S: { Type: 'Pass', Next: 'T', End: true }, T: pass } })).toEqual(['INVALID_TRANSITION /States/S/End']);
    expect(at({ StartAt: 'S', States: { S: { Type: 'Pass' }, T: pass } })).toContain('INVALID_TRANSITION /States/S');
  });
});

describe('reachability rule', () => {
  it('rejects an unreachable state with UNREACHABLE_STATE, as AWS does', () => {
    expect(at({ StartAt: 'S', States: { S: pass, Lost: pass } })).toEqual(['UNREACHABLE_STATE /States/Lost']);
  });
  it('marks the states unreachable behind a mistyped Next as following from it, and only those', () => {
    const def = {
      StartAt: 'Parse',
      States: {
        'Parse': { Type: 'Pass', Next: 'Route btach' },
        'Route batch': { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Store' }], Default: 'Reject' },
        'Store': { Type: 'Pass', End: true },
        'Reject': { Type: 'Fail', Error: 'Rejected' },
        'Orphan': { Type: 'Pass', Next: 'Orphan child' },
        'Orphan child': pass,
      },
    };
    expect(errors(def).map((f) => [f.location, f.followsFrom])).toEqual([
      ['/States/Parse/Next', undefined],
      ['/States/Route batch', '/States/Parse/Next'],
      ['/States/Store', '/States/Parse/Next'],
      ['/States/Reject', '/States/Parse/Next'],
      ['/States/Orphan', undefined],
      ['/States/Orphan child', '/States/Orphan'],
    ]);
    expect(errors(def)[1].message).toBe("State 'Route batch' is not reachable from StartAt 'Parse' because of the error at /States/Parse/Next; fix that one first");
  });
  it('marks every state behind a mistyped StartAt as following from it', () => {
    const def = { StartAt: 'Strat', States: { Start: { Type: 'Pass', Next: 'End' }, End: pass } };
    expect(errors(def).map((f) => [f.location, f.followsFrom])).toEqual([
      ['/StartAt', undefined], ['/States/Start', '/StartAt'], ['/States/End', '/StartAt'],
    ]);
  });
  it('makes one state of an unreachable loop its root, and the rest follow from it', () => {
    const def = { StartAt: 'S', States: { S: pass, A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } };
    expect(errors(def).map((f) => [f.location, f.followsFrom])).toEqual([['/States/A', undefined], ['/States/B', '/States/A']]);
  });
  it('rejects a machine where no reachable state ends with MISSING_END_STATE', () => {
    expect(at({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } })).toEqual(['MISSING_END_STATE /States']);
  });
  it('checks each Parallel branch as its own scope', () => {
    const def = one({ Type: 'Parallel', End: true, Branches: [{ StartAt: 'B', States: { B: pass, Lost: pass } }] });
    expect(at(def)).toEqual(['UNREACHABLE_STATE /States/S/Branches/0/States/Lost']);
  });
  it('only warns with MISSING_END_STATE when a Parallel branch or Map iteration cannot end: AWS checks the top level only', () => {
    const loop = { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 1, Next: 'B' } } };
    for (const [def, where] of [
      [one({ Type: 'Parallel', End: true, Branches: [loop] }), '/States/S/Branches/0/States'],
      [one({ Type: 'Map', End: true, ItemProcessor: loop }), '/States/S/ItemProcessor/States'],
    ] as const) {
      expect(at(def)).toEqual([]);
      const [f] = validateDefinition(def).filter((x) => x.code === 'MISSING_END_STATE');
      expect(f).toMatchObject({ severity: 'warning', location: where });
      expect(f.message).toMatch(/AWS accepts this definition/);
    }
  });
});

describe('query-language rule', () => {
  it('rejects Parameters on a JSONata state, suggesting Arguments', () => {
    const [f] = errors(one({ Type: 'Pass', Parameters: {}, End: true }, { QueryLanguage: 'JSONata' }));
    expect(f).toMatchObject({ code: 'INVALID_QUERY_LANGUAGE', location: '/States/S/Parameters' });
    expect(f.message).toMatch(/use Arguments/);
  });
  it('rejects Arguments on a JSONPath state', () => {
    expect(at(one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: {}, End: true }))).toEqual(['INVALID_QUERY_LANGUAGE /States/S/Arguments']);
  });
  it('rejects a JSONPath state in a JSONata machine', () => {
    expect(at(one({ Type: 'Pass', QueryLanguage: 'JSONPath', End: true }, { QueryLanguage: 'JSONata' }))).toEqual(['INVALID_QUERY_LANGUAGE /States/S/QueryLanguage']);
  });
  it('accepts a JSONPath state inside a DISTRIBUTED Map processor of a JSONata machine (a child machine of its own)', () => {
    const def = one({
      Type: 'Map',
      End: true,
      MaxConcurrency: 1,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'I', States: { I: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } } },
    }, { QueryLanguage: 'JSONata' });
    expect(at(def)).toEqual([]);
  });
  it('rejects an unknown QueryLanguage value', () => {
    expect(at(one(pass, { QueryLanguage: 'XPath' }))).toEqual(['INVALID_QUERY_LANGUAGE /QueryLanguage']);
  });
});

describe('io-fields rule (paths, payload templates, JSONata)', () => {
  it('rejects an InputPath that does not start with $ with INVALID_JSON_PATH', () => {
    expect(at(one({ Type: 'Pass', InputPath: 'bug$.a', End: true }))).toEqual(['INVALID_JSON_PATH /States/S/InputPath']);
  });
  it('rejects a ResultPath rooted at a variable', () => {
    expect(at(one({ Type: 'Pass', ResultPath: '$foo', End: true }))).toEqual(['INVALID_JSON_PATH /States/S/ResultPath']);
  });
  it('accepts $$ context paths, $var references, negative indexes and a dot before a bracket', () => {
    const def = one({ Type: 'Pass', End: true, Parameters: { 'a.$': '$$.Execution.Id', 'b.$': '$myVar.x', 'c.$': '$.books[-2]', 'd.$': '$.[0].x' } });
    expect(at(def)).toEqual([]);
  });
  // AWS locates a bad `.$` value at the template's field: "The value for the field 'outputPath.$' must be a valid
  // JSONPath or a valid intrinsic function call at /States/TestTask/Parameters" (serverless-step-functions#399).
  it('rejects a .$ field whose value is not a path, at the payload template (Parameters), as AWS locates it', () => {
    expect(at(one({ Type: 'Pass', End: true, Parameters: { 'x.$': 'ipsum' } }))).toEqual(['INVALID_PAYLOAD_TEMPLATE /States/S/Parameters']);
    expect(at(one({ Type: 'Pass', End: true, Parameters: { nested: { 'x.$': 'ipsum' } } }))).toEqual(['INVALID_PAYLOAD_TEMPLATE /States/S/Parameters']);
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, TimeoutSeconds: 5, End: true };
    expect(at(one({ ...task, ResultSelector: { list: [{ 'x.$': 'States.Nope()' }] } }))).toEqual(['INVALID_INTRINSIC_FUNCTION /States/S/ResultSelector']);
  });
  it('rejects a field given both plain and with .$', () => {
    expect(at(one({ Type: 'Pass', End: true, Parameters: { 'a': 1, 'a.$': '$.a' } }))).toEqual(['INVALID_PAYLOAD_TEMPLATE /States/S/Parameters/a.$']);
  });
  it('rejects an unknown intrinsic function with INVALID_INTRINSIC_FUNCTION at /States/S/Parameters, as AWS locates it', () => {
    expect(at(one({ Type: 'Pass', End: true, Parameters: { 'parsed.$': 'States.Xyz($.a)' } }))).toEqual(['INVALID_INTRINSIC_FUNCTION /States/S/Parameters']);
  });
  it('accepts a well-formed intrinsic call', () => {
    expect(at(one({ Type: 'Pass', End: true, Parameters: { 'a.$': "States.Format('{} x', $.a)" } }))).toEqual([]);
  });
  it('rejects a JSONata expression that does not parse with INVALID_JSONATA', () => {
    expect(at(one({ Type: 'Pass', Output: { a: ['{% 10 + * 2 %}'] }, End: true }, { QueryLanguage: 'JSONata' }))).toEqual(['INVALID_JSONATA /States/S/Output/a/0']);
  });
  it("rejects a string that opens '{%' without closing '%}'", () => {
    expect(at(one({ Type: 'Pass', Output: '{% 10 %', End: true }, { QueryLanguage: 'JSONata' }))).toEqual(['INVALID_JSONATA /States/S/Output']);
  });
  it('accepts literal strings that merely contain the delimiters, as AWS does', () => {
    expect(at(one({ Type: 'Pass', Output: ' {% states.input %} ', End: true }, { QueryLanguage: 'JSONata' }))).toEqual([]);
  });
  it('rejects Credentials that are not an object', () => {
    expect(at(one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Credentials: null, End: true }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Credentials']);
  });
});

describe('variables rule', () => {
  it('rejects an Assign that is not an object', () => {
    expect(at(one({ Type: 'Pass', Assign: [1], End: true }))).toEqual(['INVALID_ASSIGN /States/S/Assign']);
  });
  it('rejects a variable name with a dot', () => {
    expect(at(one({ Type: 'Pass', Assign: { 'a.b': 1 }, End: true }))).toEqual(['INVALID_ASSIGN /States/S/Assign/a.b']);
  });
  it("rejects the reserved JSONata variable name 'states'", () => {
    expect(at(one({ Type: 'Pass', Assign: { states: 1 }, End: true }, { QueryLanguage: 'JSONata' }))).toEqual(['INVALID_ASSIGN /States/S/Assign/states']);
  });
  // "The value for the field 'Variable.$' must be a valid JSONPath or a valid intrinsic function call at /States/Pass/Assign" (cfn-lint#4085, AWS's answer).
  it('checks .$ values of a JSONPath Assign, located at the Assign as AWS locates them', () => {
    expect(at(one({ Type: 'Pass', Assign: { 'x.$': 'nope' }, End: true }))).toEqual(['INVALID_PAYLOAD_TEMPLATE /States/S/Assign']);
    expect(at(one({ Type: 'Pass', Assign: { x: { 'y.$': 'nope' } }, End: true }))).toEqual(['INVALID_PAYLOAD_TEMPLATE /States/S/Assign']);
  });
});

describe('retry-catch rule', () => {
  const task = (extra: Record<string, unknown>) => one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...extra });
  it('rejects an empty ErrorEquals with INVALID_ERROR_EQUALS', () => {
    expect(at(task({ Retry: [{ ErrorEquals: [] }] }))).toEqual(['INVALID_ERROR_EQUALS /States/S/Retry/0/ErrorEquals']);
  });
  it('rejects States.ALL combined with other names or not last', () => {
    expect(at(task({ Retry: [{ ErrorEquals: ['States.ALL', 'X'] }] }))).toEqual(['INVALID_ERROR_EQUALS /States/S/Retry/0/ErrorEquals']);
    expect(at(task({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'] }] }))).toEqual(['INVALID_ERROR_EQUALS /States/S/Retry/0/ErrorEquals']);
  });
  it('rejects retry numbers out of range with VALUE_OUT_OF_RANGE at each field', () => {
    const def = task({ Retry: [{ ErrorEquals: ['X'], MaxAttempts: -1, IntervalSeconds: 0, BackoffRate: 0.5, MaxDelaySeconds: -1 }] });
    expect(at(def).sort()).toEqual(['BackoffRate', 'IntervalSeconds', 'MaxAttempts', 'MaxDelaySeconds'].map((f) => `VALUE_OUT_OF_RANGE /States/S/Retry/0/${f}`));
  });
  it('rejects a JitterStrategy other than FULL or NONE', () => {
    expect(at(task({ Retry: [{ ErrorEquals: ['X'], JitterStrategy: 'PARTIAL' }] }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Retry/0/JitterStrategy']);
  });
  it('rejects an unknown catcher field', () => {
    expect(at(task({ Catch: [{ 'Error Equals': ['X'], 'ErrorEquals': ['X'], 'Next': 'S' }] }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Catch/0/Error Equals']);
  });
});

describe('choice-rules rule', () => {
  const choice = (rule: unknown, lang?: 'JSONata') => ({
    StartAt: 'C',
    ...(lang ? { QueryLanguage: lang } : {}),
    States: { C: { Type: 'Choice', Choices: [rule], Default: 'D' }, D: pass },
  });
  it('rejects a rule with a Variable and no comparison with INVALID_CHOICE_RULE', () => {
    expect(at(choice({ Variable: '$.a', Next: 'D' }))).toEqual(['INVALID_CHOICE_RULE /States/C/Choices/0']);
  });
  it('rejects a comparison with the wrong operand type', () => {
    expect(at(choice({ Variable: '$.a', NumericEquals: '1', Next: 'D' }))).toEqual(['INVALID_CHOICE_RULE /States/C/Choices/0/NumericEquals']);
  });
  it('rejects a …Path operand that is not a reference path', () => {
    expect(at(choice({ Variable: '$.a', StringEqualsPath: '$.b[*]', Next: 'D' }))).toEqual(['INVALID_JSON_PATH /States/C/Choices/0/StringEqualsPath']);
  });
  it('rejects an intrinsic call as Variable', () => {
    expect(at(choice({ Variable: "States.ArrayContains($.a, 'x')", BooleanEquals: true, Next: 'D' }))).toEqual(['INVALID_JSON_PATH /States/C/Choices/0/Variable']);
  });
  it('rejects Next on a nested rule and End on any rule', () => {
    expect(at(choice({ Not: { Variable: '$.a', IsNull: true, Next: 'D' }, Next: 'D' }))).toEqual(['INVALID_CHOICE_RULE /States/C/Choices/0/Not/Next']);
    expect(at(choice({ Variable: '$.a', IsNull: true, End: true, Next: 'D' }))).toEqual(['INVALID_CHOICE_RULE /States/C/Choices/0/End']);
  });
  it('requires a Condition that parses under JSONata', () => {
    expect(at(choice({ Condition: '{% $states.input.a = %}', Next: 'D' }, 'JSONata'))).toEqual(['INVALID_JSONATA /States/C/Choices/0/Condition']);
  });
});

describe('wait-state rule', () => {
  it('requires exactly one of the four forms, with MUTUALLY_EXCLUSIVE_FIELDS', () => {
    expect(at(one({ Type: 'Wait', Seconds: 1, SecondsPath: '$.s', End: true }))).toEqual(['MUTUALLY_EXCLUSIVE_FIELDS /States/S']);
    expect(at(one({ Type: 'Wait', End: true }))).toEqual(['MUTUALLY_EXCLUSIVE_FIELDS /States/S']);
  });
  it('rejects negative Seconds', () => {
    expect(at(one({ Type: 'Wait', Seconds: -1, End: true }))).toEqual(['VALUE_OUT_OF_RANGE /States/S/Seconds']);
  });
  it('accepts a JSONata expression for Seconds', () => {
    expect(at(one({ Type: 'Wait', Seconds: '{% $states.input.s %}', End: true }, { QueryLanguage: 'JSONata' }))).toEqual([]);
  });
  // The five literals AWS refused at CreateStateMachine with "String does not match RFC3339
  // timestamp" (LocalStack's AWS-validated test_wait_timestamp_invalid, recorded 2024-12-27).
  it.each([
    ['no T', '2016-12-05 21:29:29Z'],
    ['no zone', '2016-12-05T21:29:29'],
    ['month 13', '2016-13-05T21:29:29Z'],
    ['hour 25', '2016-12-05T25:29:29Z'],
    ['day first', '05-12-2016T21:29:29Z'],
  ])('refuses a literal Timestamp with %s (%s) as AWS does, in JSONPath and JSONata', (_what, literal) => {
    expect(at(one({ Type: 'Wait', Timestamp: literal, End: true }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Timestamp']);
    expect(at(one({ Type: 'Wait', Timestamp: literal, End: true }, { QueryLanguage: 'JSONata' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Timestamp']);
  });
  it('names the state and the value, and shows a timestamp that works, when a literal Timestamp is refused', () => {
    const [finding] = errors(one({ Type: 'Wait', Timestamp: '2016-12-05T21:29:29', End: true }));
    expect(finding.message).toBe(
      'Wait state \'S\': Timestamp "2016-12-05T21:29:29" is not an RFC 3339 timestamp; write a date, an uppercase T, the time with seconds and Z or an offset, such as "2026-01-01T00:00:00Z" or "2026-01-01T09:30:00.5+01:00"',
    );
  });
  it.each(['2016-03-14T01:59:00Z', '2016-03-05T21:29:29.243167252Z', '2016-03-14T01:59:00+05:30'])('accepts the literal Timestamp %s', (literal) => {
    expect(at(one({ Type: 'Wait', Timestamp: literal, End: true }))).toEqual([]);
  });
  it('leaves a JSONata Timestamp expression to run time', () => {
    expect(at(one({ Type: 'Wait', Timestamp: '{% $states.input.t %}', End: true }, { QueryLanguage: 'JSONata' }))).toEqual([]);
  });
});

describe('fail-state rule', () => {
  it('rejects Error with ErrorPath', () => {
    expect(at(one({ Type: 'Fail', Error: 'E', ErrorPath: '$.e' }))).toEqual(['MUTUALLY_EXCLUSIVE_FIELDS /States/S/ErrorPath']);
  });
  it('accepts an intrinsic call as CausePath', () => {
    expect(at(one({ Type: 'Fail', CausePath: "States.Format('x {}', $.a)" }))).toEqual([]);
  });
  // Developer guide, "Fail workflow state": ErrorPath/CausePath may call the intrinsics that return
  // a string: States.Format, JsonToString, ArrayGetItem, Base64Encode, Base64Decode, Hash and UUID.
  it('accepts each intrinsic that returns a string in ErrorPath and CausePath', () => {
    for (const call of ["States.Format('{}', $.a)", 'States.JsonToString($.a)', 'States.ArrayGetItem($.a, 0)', 'States.Base64Encode($.a)', 'States.Base64Decode($.a)', "States.Hash($.a, 'SHA-256')", 'States.UUID()']) {
      expect({ call, found: at(one({ Type: 'Fail', ErrorPath: call, CausePath: call })) }).toEqual({ call, found: [] });
    }
  });
  it('rejects in ErrorPath and CausePath an intrinsic that does not return a string', () => {
    expect(at(one({ Type: 'Fail', ErrorPath: 'States.StringToJson($.a)', CausePath: 'States.MathAdd(1, 2)' })))
      .toEqual(['INVALID_INTRINSIC_FUNCTION /States/S/ErrorPath', 'INVALID_INTRINSIC_FUNCTION /States/S/CausePath']);
    expect(at(one({ Type: 'Fail', CausePath: 'States.Array($.a)' }))).toEqual(['INVALID_INTRINSIC_FUNCTION /States/S/CausePath']);
  });
});

describe('intrinsic calls in .$ fields', () => {
  const passing = (value: string) => one({ Type: 'Pass', Parameters: { 'x.$': value }, End: true });
  it('accepts whitespace after an intrinsic call, which the call grammar skips', () => {
    expect(at(passing("States.Format('a{}', $.a)   "))).toEqual([]);
    expect(at(one({ Type: 'Fail', CausePath: 'States.UUID()  ' }))).toEqual([]);
  });
  it('rejects whitespace before it: the value then is neither a path nor a call', () => {
    expect(at(passing("  States.Format('a{}', $.a)"))).toEqual(['INVALID_PAYLOAD_TEMPLATE /States/S/Parameters']);
  });
});

describe('task-state rule', () => {
  it('warns (and does not refuse) a HeartbeatSeconds not below the Task\'s TimeoutSeconds', () => {
    const Parameters = { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' };
    const def = (heartbeat: number) => one({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters, TimeoutSeconds: 60, HeartbeatSeconds: heartbeat, End: true });
    const warned = (heartbeat: number) => validateDefinition(def(heartbeat)).filter((f) => f.location === '/States/S/HeartbeatSeconds');
    for (const heartbeat of [60, 61]) {
      expect(at(def(heartbeat))).toEqual([]);
      expect(warned(heartbeat).map((f) => `${f.severity} ${f.code}`)).toEqual(['warning VALUE_OUT_OF_RANGE']);
      expect(warned(heartbeat)[0].message).toContain(`HeartbeatSeconds ${heartbeat}, not less than its TimeoutSeconds 60`);
    }
    expect(warned(59)).toEqual([]);
  });
  it('rejects TimeoutSeconds with TimeoutSecondsPath and a zero HeartbeatSeconds', () => {
    const def = one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 5, TimeoutSecondsPath: '$.t', HeartbeatSeconds: 0, End: true });
    expect(at(def)).toEqual(['MUTUALLY_EXCLUSIVE_FIELDS /States/S/TimeoutSecondsPath', 'VALUE_OUT_OF_RANGE /States/S/HeartbeatSeconds']);
  });
});

describe('task-resource rule', () => {
  const task = (Resource: unknown, extra: Record<string, unknown> = {}) => one({ Type: 'Task', Resource, End: true, ...extra });
  it('rejects a Resource that is not an ARN with INVALID_RESOURCE', () => {
    expect(at(task('lambda please'))).toEqual(['INVALID_RESOURCE /States/S/Resource']);
  });
  it('warns (RESOURCE_NOT_ARN) on a URI that is not an ARN, which the spec allows and AWS refuses', () => {
    expect(validateDefinition(task('foo:bar'), { warnings: false })).toEqual([expect.objectContaining({ code: 'RESOURCE_NOT_ARN', severity: 'warning' })]);
  });
  it('rejects an unclosed ${ substitution and accepts a closed one', () => {
    expect(at(task('${LambdaArn'))).toEqual(['INVALID_RESOURCE /States/S/Resource']);
    expect(at(task('${LambdaArn}'))).toEqual([]);
  });
  describe('in a definition whose substitutions are made (a template\'s, or one the API is given)', () => {
    const substituted = (Resource: unknown) => validateDefinition(task(Resource), { warnings: false, substituted: true });
    it('refuses a ${...} left in place of the ARN, naming the entry DefinitionSubstitutions lacks', () => {
      expect(substituted('${LambdaArn}')).toEqual([expect.objectContaining({
        code: 'INVALID_RESOURCE', severity: 'error', location: '/States/S/Resource', message: expect.stringContaining("give DefinitionSubstitutions an entry 'LambdaArn'"),
      })]);
      expect(substituted('prefix-${LambdaArn}')).toEqual([expect.objectContaining({ code: 'INVALID_RESOURCE', severity: 'error' })]);
    });
    it('warns of a ${...} left inside an ARN, whose name then names nothing', () => {
      expect(substituted('arn:aws:lambda:us-east-1:123456789012:function:${Name}')).toEqual([expect.objectContaining({ code: 'UNRESOLVED_SUBSTITUTION', severity: 'warning' })]);
    });
    it('refuses a URI that is not an ARN, and a CloudFormation function left unresolved', () => {
      expect(substituted('foo:bar')).toEqual([expect.objectContaining({ code: 'INVALID_RESOURCE', severity: 'error' })]);
      expect(substituted({ Ref: 'Fn' })).toEqual([expect.objectContaining({ code: 'SCHEMA_VALIDATION_FAILED', severity: 'error' })]);
    });
    it('accepts an ARN as before', () => {
      expect(substituted('arn:aws:states:::lambda:invoke')).toEqual([]);
    });
    it('warns of a ${...} left in a value or a field name, at its place, and of none in an ASL file', () => {
      const def = task('arn:aws:states:::lambda:invoke', { Parameters: { 'FunctionName': '${ChargeFnArn}', '${Key}': 1, 'Payload.$': '$' } });
      const found = validateDefinition(def, { substituted: true }).filter((f) => f.code === 'UNRESOLVED_SUBSTITUTION');
      expect(found).toEqual([
        expect.objectContaining({ code: 'UNRESOLVED_SUBSTITUTION', severity: 'warning', location: '/States/S/Parameters/FunctionName', message: expect.stringContaining("entry 'ChargeFnArn'") }),
        expect.objectContaining({ code: 'UNRESOLVED_SUBSTITUTION', severity: 'warning', location: '/States/S/Parameters/${Key}' }),
      ]);
      expect(validateDefinition(def).filter((f) => f.code === 'UNRESOLVED_SUBSTITUTION')).toEqual([]);
    });
    it('names the first 20 and counts the rest', () => {
      const Result = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, `\${V${i}}`]));
      const found = validateDefinition(one({ Type: 'Pass', Result, End: true }), { substituted: true }).filter((f) => f.code === 'UNRESOLVED_SUBSTITUTION');
      expect(found).toHaveLength(21);
      expect(found[20].message).toBe('5 more values still hold a ${...} that no substitution replaced');
    });
  });
  it('rejects an empty or malformed Lambda qualifier', () => {
    expect(at(task('arn:aws:lambda:us-east-1:123456789012:function:f:'))).toEqual(['INVALID_RESOURCE /States/S/Resource']);
    expect(at(task('arn:aws:lambda:us-east-1:123456789012:function:f:$*#'))).toEqual(['INVALID_RESOURCE /States/S/Resource']);
  });
  it('rejects .sync on a service without it, and .sync:2 outside states', () => {
    expect(at(task('arn:aws:states:::lambda:invoke.sync'))).toEqual(['UNSUPPORTED_INTEGRATION_PATTERN /States/S/Resource']);
    expect(at(task('arn:aws:states:::aws-sdk:s3:getObject.sync'))).toEqual(['UNSUPPORTED_INTEGRATION_PATTERN /States/S/Resource']);
    expect(at(task('arn:aws:states:::states:startExecution.sync:2'))).toEqual([]);
  });
  // The table of integrate-optimized.html marks Wait for Callback "Not supported" for Athena, Batch,
  // CodeBuild, DynamoDB and the other job services, as it marks .sync for the services without it.
  it('rejects .waitForTaskToken on a service without a callback pattern, and warns for EKS, whose pages disagree', () => {
    expect(at(task('arn:aws:states:::dynamodb:getItem.waitForTaskToken'))).toEqual(['UNSUPPORTED_INTEGRATION_PATTERN /States/S/Resource']);
    expect(at(task('arn:aws:states:::http:invoke.waitForTaskToken'))).toEqual(['UNSUPPORTED_INTEGRATION_PATTERN /States/S/Resource']);
    expect(at(task('arn:aws-us-gov:states:::glue:startJobRun.waitForTaskToken'))).toEqual(['UNSUPPORTED_INTEGRATION_PATTERN /States/S/Resource']);
    const [refused] = errors(task('arn:aws:states:::athena:startQueryExecution.waitForTaskToken'));
    expect(refused.message).toContain('integrate-optimized.html lists it as not supported');
    expect(refused.message).toContain('services with .waitForTaskToken: apigateway, bedrock, ecs, events, lambda, sns, sqs, states');
    const eks = task('arn:aws:states:::eks:call.waitForTaskToken', { Parameters: { 'token.$': '$$.Task.Token' } });
    expect(at(eks)).toEqual([]);
    expect(validateDefinition(eks).filter((f) => f.code === 'UNSUPPORTED_INTEGRATION_PATTERN').map((f) => f.severity)).toEqual(['warning']);
    for (const resource of ['sqs:sendMessage', 'ecs:runTask', 'bedrock:invokeModel', 'apigateway:invoke', 'states:startExecution', 'aws-sdk:s3:getObject']) {
      expect(at(task(`arn:aws:states:::${resource}.waitForTaskToken`, { Parameters: { 'token.$': '$$.Task.Token' } }))).toEqual([]);
    }
  });
  // Measured: "The 'Headers' field contains unsupported values: [authorization]" at /States/<state>/Parameters (UNSUPPORTED_HEADERS).
  it('rejects an API Gateway or HTTP Task whose Headers name a header the integration does not send', () => {
    const apigw = (Headers: unknown) => task('arn:aws:states:::apigateway:invoke', { Parameters: { ApiEndpoint: 'a.execute-api.us-east-1.amazonaws.com', Method: 'GET', Headers } });
    expect(at(apigw({ 'Authorization': ['Bearer x'], 'X-Custom': ['1'] }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Parameters']);
    const [refused] = errors(apigw({ 'X-Amz-Target': ['t'], 'www-authenticate.$': '$.w' }));
    expect(refused.message).toContain("The 'Headers' field contains unsupported values: [x-amz-target, www-authenticate]");
    expect(at(apigw({ 'X-Authorization': ['Bearer x'], 'Content-Type': ['application/json'] }))).toEqual([]);
    expect(at(apigw({ 'Cache-Control': ['no-cache'] }))).toEqual([]);
    const http = (Headers: unknown, extra: Record<string, unknown> = {}) => task('arn:aws:states:::http:invoke', { Parameters: { ApiEndpoint: 'https://x.example.com', Method: 'GET', Headers }, ...extra });
    expect(at(http({ 'Cache-Control': 'no-cache', 'Authorization': 'Bearer x', 'X-Amzn-Trace-Id': 't' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Parameters']);
    expect(errors(http({ 'Cache-Control': 'no-cache' }))[0].message).toContain('[cache-control]');
    expect(at(http({ Accept: 'application/json', Range: 'items=0-9' }))).toEqual([]);
    expect(at(http({}, { Parameters: { 'ApiEndpoint': 'https://x.example.com', 'Method': 'GET', 'Headers.$': '$.h' } }))).toEqual([]);
    const jsonata = one({ Type: 'Task', QueryLanguage: 'JSONata', Resource: 'arn:aws:states:::http:invoke', Arguments: { ApiEndpoint: 'https://x.example.com', Method: 'GET', Headers: { Host: '{% $h %}' } }, End: true });
    expect(at(jsonata)).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Arguments']);
  });
  it('warns (and does not refuse) an HTTP Task that names no EventBridge connection', () => {
    const http = (extra: Record<string, unknown>) => task('arn:aws:states:::http:invoke', { Parameters: { ApiEndpoint: 'https://x.example.com', Method: 'GET', ...extra } });
    const warned = (def: unknown) => validateDefinition(def).filter((f) => f.code === 'MISSING_REQUEST_FIELD' && f.location === '/States/S/Parameters');
    expect(at(http({}))).toEqual([]);
    expect(warned(http({})).map((f) => f.severity)).toEqual(['warning']);
    expect(warned(http({}))[0].message).toContain("HTTP Task 'S' names no EventBridge connection");
    expect(warned(http({ Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/c/1' } }))).toEqual([]);
    expect(warned(http({ InvocationConfig: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/c/1' } }))).toEqual([]);
    expect(warned(http({ 'Authentication.$': '$.auth' }))).toEqual([]);
  });
  // AWS creates and runs a .waitForTaskToken task whose Parameters carry no token (LocalStack's
  // recorded negative tests run one to its timeout): the check is advice, not an AWS rule.
  it('warns (MISSING_TASK_TOKEN), not refuses, when .waitForTaskToken passes no $$.Task.Token in Parameters', () => {
    const warned = (def: unknown) => validateDefinition(def).filter((f) => f.code === 'MISSING_TASK_TOKEN').map((f) => `${f.severity} ${f.location}`);
    expect(at(task('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { Parameters: { MessageBody: 'x' } }))).toEqual([]);
    expect(warned(task('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { Parameters: { MessageBody: 'x' } }))).toEqual(['warning /States/S/Resource']);
    expect(warned(task('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { Parameters: { 'MessageBody.$': '$$.Task.Token' } }))).toEqual([]);
  });
  it('accepts a .waitForTaskToken task whose token is passed only in ResultSelector (legal ASL), with a warning', () => {
    const def = task('arn:aws:states:::lambda:invoke.waitForTaskToken', { Parameters: { FunctionName: 'f' }, ResultSelector: { 'token.$': '$$.Task.Token' } });
    expect(at(def)).toEqual([]);
    expect(validateDefinition(def).map((f) => `${f.severity} ${f.code}`)).toContain('warning MISSING_TASK_TOKEN');
  });
});

describe('a Distributed Map\'s fields on an INLINE Map', () => {
  const warned = (def: unknown) => validateDefinition(def).filter((f) => f.code === ValidationCodes.DISTRIBUTED_FIELD_IN_INLINE_MAP);
  const map = (mode: string | undefined, fields: Record<string, unknown>) => one({
    Type: 'Map',
    ItemsPath: '$',
    ...fields,
    End: true,
    ItemProcessor: { ...(mode ? { ProcessorConfig: { Mode: mode, ...(mode === 'DISTRIBUTED' ? { ExecutionType: 'STANDARD' } : {}) } } : {}), StartAt: 'P', States: { P: pass } },
  });
  it.each([
    ['INLINE', { ToleratedFailureCount: 1 }, 'ToleratedFailureCount'],
    [undefined, { ItemBatcher: { MaxItemsPerBatch: 2 }, Label: 'L' }, 'ItemBatcher, Label'],
    ['INLINE', { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } } }, 'ResultWriter'],
  ])('warns (and does not refuse) a Map in mode %s with %j', (mode, fields, named) => {
    const found = warned(map(mode, fields));
    expect(found.map((f) => `${f.severity} ${f.location}`)).toEqual(['warning /States/S']);
    expect(found[0].message).toContain(`but has ${named}, which AWS documents for a Distributed Map only`);
    expect(at(map(mode, fields))).toEqual([]);
  });
  it('says nothing of a DISTRIBUTED Map with them, nor of an INLINE Map without them', () => {
    expect(warned(map('DISTRIBUTED', { ToleratedFailureCount: 1, ItemBatcher: { MaxItemsPerBatch: 2 } }))).toEqual([]);
    expect(warned(map('INLINE', { MaxConcurrency: 2 }))).toEqual([]);
  });
});

describe('express-restrictions rule', () => {
  const task = (Resource: string) => one({ Type: 'Task', Resource, End: true, Parameters: { 't.$': '$$.Task.Token' } });
  it('rejects activities, .sync and .waitForTaskToken in EXPRESS machines with EXPRESS_UNSUPPORTED_FEATURE', () => {
    expect(at(task('arn:aws:states:us-east-1:123456789012:activity:a'), 'EXPRESS')).toEqual(['EXPRESS_UNSUPPORTED_FEATURE /States/S/Resource']);
    expect(at(task('arn:aws:states:::states:startExecution.sync'), 'EXPRESS')).toEqual(['EXPRESS_UNSUPPORTED_FEATURE /States/S/Resource']);
    expect(at(task('arn:aws:states:::sqs:sendMessage.waitForTaskToken'), 'EXPRESS')).toEqual(['EXPRESS_UNSUPPORTED_FEATURE /States/S/Resource']);
  });
  it('allows them in STANDARD machines', () => {
    expect(at(task('arn:aws:states:us-east-1:123456789012:activity:a'))).toEqual([]);
  });
  // Each EXPRESS child of a Distributed Map is an Express workflow: "Express Workflows support Request
  // Response, but they do not support Run a Job (.sync) or Wait for Callback (.waitForTaskToken)".
  const inChildren = (ExecutionType: string, Resource: string, nested = false) => {
    const t = { Type: 'Task', Resource, End: true, Parameters: { 't.$': '$$.Task.Token' } };
    const states = nested ? { P: { Type: 'Parallel', Branches: [{ StartAt: 'T', States: { T: t } }], End: true } } : { T: t };
    return one({ Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType }, StartAt: nested ? 'P' : 'T', States: states }, End: true });
  };
  it.each([
    ['arn:aws:states:::glue:startJobRun.sync', false],
    ['arn:aws:states:::sqs:sendMessage.waitForTaskToken', true],
    ['arn:aws:states:us-east-1:123456789012:activity:a', false],
  ])('rejects %s in the EXPRESS child executions of a Distributed Map of a STANDARD machine (nested in a Parallel: %s)', (resource, nested) => {
    const found = errors(inChildren('EXPRESS', resource, nested));
    const where = nested ? '/States/S/ItemProcessor/States/P/Branches/0/States/T/Resource' : '/States/S/ItemProcessor/States/T/Resource';
    expect(found.map((f) => `${f.code} ${f.location}`)).toEqual([`EXPRESS_UNSUPPORTED_FEATURE ${where}`]);
    expect(found[0].message).toContain("the EXPRESS child executions of Distributed Map 'S' (ProcessorConfig.ExecutionType EXPRESS) do not support");
  });
  it('allows them in STANDARD child executions, and in an inline Map', () => {
    expect(at(inChildren('STANDARD', 'arn:aws:states:::glue:startJobRun.sync'))).toEqual([]);
    const inline = one({ Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', End: true } } }, End: true });
    expect(at(inline)).toEqual([]);
  });
  it.each([
    ['arn:aws-cn:states:::sqs:sendMessage.waitForTaskToken', '.waitForTaskToken'],
    ['arn:aws-us-gov:states:::ecs:runTask.sync', '.sync'],
    ['arn:${AWS::Partition}:states:::lambda:invoke.waitForTaskToken', '.waitForTaskToken'],
    ['arn:${AWS::Partition}:states:::states:startExecution.sync:2', '.sync'],
    ['arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:activity:approve', 'activity'],
    ['arn:aws:states:::${Service}:${Action}.waitForTaskToken', '.waitForTaskToken'],
  ])('judges %s in an EXPRESS machine by its integration, whatever the partition', (resource, feature) => {
    const found = errors(task(resource), 'EXPRESS');
    expect(found.map((f) => `${f.code} ${f.location}`)).toEqual(['EXPRESS_UNSUPPORTED_FEATURE /States/S/Resource']);
    expect(found[0].message).toContain(feature === 'activity' ? 'activity' : `'${feature}`);
  });
  it('judges a Resource left as a CloudFormation Fn::Join or Fn::Sub by the text it joins', () => {
    const join = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::sqs:sendMessage.waitForTaskToken']] };
    const sub = { 'Fn::Sub': ['arn:${AWS::Partition}:states:::glue:startJobRun.sync', {}] };
    expect(at(one({ Type: 'Task', Resource: join, End: true, Parameters: { 't.$': '$$.Task.Token' } }), 'EXPRESS')).toEqual(['EXPRESS_UNSUPPORTED_FEATURE /States/S/Resource']);
    expect(at(one({ Type: 'Task', Resource: sub, End: true }), 'EXPRESS')).toEqual(['EXPRESS_UNSUPPORTED_FEATURE /States/S/Resource']);
  });
  it('accepts a substituted Lambda or integration ARN without a suffix in an EXPRESS machine, saying nothing', () => {
    for (const resource of ['arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:charge', 'arn:${AWS::Partition}:states:::lambda:invoke']) {
      expect(validateDefinition(task(resource), { type: 'EXPRESS' }).filter((f) => f.code.startsWith('EXPRESS_'))).toEqual([]);
    }
  });
  it('warns that it cannot tell when an EXPRESS machine\'s Resource is a whole substitution or a Ref', () => {
    for (const resource of ['${ApproveArn}', { Ref: 'ApproveActivity' }, { 'Fn::GetAtt': ['Approve', 'Arn'] }]) {
      const found = validateDefinition(one({ Type: 'Task', Resource: resource, End: true }), { type: 'EXPRESS', warnings: false })
        .filter((f) => f.code.startsWith('EXPRESS_'));
      expect(found.map((f) => `${f.severity} ${f.code} ${f.location}`)).toEqual(['warning EXPRESS_RESOURCE_UNKNOWN /States/S/Resource']);
      expect(found[0].message).toMatch(/cannot tell whether .* is an activity, a '\.sync' job or a '\.waitForTaskToken' callback/);
    }
    expect(validateDefinition(one({ Type: 'Task', Resource: '${ApproveArn}', End: true })).filter((f) => f.code.startsWith('EXPRESS_'))).toEqual([]);
  });
});

describe('parallel-state rule', () => {
  it('rejects a branch that is not an object', () => {
    expect(at(one({ Type: 'Parallel', End: true, Branches: [[]] }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Branches/0']);
  });
  it('rejects empty Branches', () => {
    expect(at(one({ Type: 'Parallel', End: true, Branches: [] }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Branches']);
  });
});

describe('map-state rule', () => {
  const proc = { StartAt: 'I', States: { I: pass } };
  const map = (extra: Record<string, unknown>) => one({ Type: 'Map', End: true, ...extra });
  it('requires ItemProcessor or Iterator, not both', () => {
    expect(at(map({}))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S']);
    expect(at(map({ ItemProcessor: proc, Iterator: { StartAt: 'J', States: { J: pass } } }))).toEqual(['MUTUALLY_EXCLUSIVE_FIELDS /States/S/Iterator']);
  });
  it('bounds ToleratedFailurePercentage to 0..100 and MaxConcurrency to ≥ 0', () => {
    expect(at(map({ ItemProcessor: proc, ToleratedFailurePercentage: 105, MaxConcurrency: -1 }))).toEqual(['VALUE_OUT_OF_RANGE /States/S/MaxConcurrency', 'VALUE_OUT_OF_RANGE /States/S/ToleratedFailurePercentage']);
  });
  // The Distributed Map page of the developer guide: a Label goes into the Map Run ARN, has up to
  // 40 characters, none of the listed ones, and is unique within the definition.
  it.each(['', 'label_{invalid_char}', 'two words', 'a:b', 'tab\there', 'star*', 'quote"d'])('refuses the Label %j with INVALID_LABEL_NAME', (label) => {
    expect(at(map({ ItemProcessor: proc, Label: label }))).toEqual(['INVALID_LABEL_NAME /States/S/Label']);
  });
  it('accepts a Label of letters, digits, - and _ up to 40 characters', () => {
    expect(at(map({ ItemProcessor: proc, Label: 'process-orders_2026' }))).toEqual([]);
    expect(at(map({ ItemProcessor: proc, Label: 'x'.repeat(40) }))).toEqual([]);
  });
  it('refuses a Label used by two Map states, nested ones included, with DUPLICATE_LABEL_NAME at the second', () => {
    const inner = { StartAt: 'In', States: { In: { Type: 'Map', Label: 'L', ItemProcessor: { StartAt: 'P', States: { P: pass } }, End: true } } };
    expect(at(map({ ItemProcessor: inner, Label: 'L' }))).toEqual(['DUPLICATE_LABEL_NAME /States/S/ItemProcessor/States/In/Label']);
  });
  it('rejects MaxItems with MaxItemsPath in a ReaderConfig', () => {
    const def = map({ ItemProcessor: proc, MaxConcurrency: 1, ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { MaxItems: 1, MaxItemsPath: '$.n' } } });
    expect(at(def)).toEqual(['MUTUALLY_EXCLUSIVE_FIELDS /States/S/ItemReader/ReaderConfig/MaxItemsPath']);
  });
  // Developer guide, "ResultWriter (Map)": WriterConfig, or Resource and Parameters, or all three;
  // never empty. OutputType (JSON, JSONL) is required in WriterConfig by the schema of AWS's ASL
  // language service; Transformation (NONE, COMPACT, FLATTEN) has documented defaults.
  describe('ResultWriter', () => {
    const distributed = { ...proc, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };
    const writer = (ResultWriter: unknown) => at(map({ ItemProcessor: distributed, ResultWriter }));
    const s3 = { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } };
    it('accepts WriterConfig alone, Resource with Parameters, or all three', () => {
      expect(writer({ WriterConfig: { OutputType: 'JSON', Transformation: 'FLATTEN' } })).toEqual([]);
      expect(writer({ WriterConfig: { OutputType: 'JSONL' } })).toEqual([]);
      expect(writer(s3)).toEqual([]);
      expect(writer({ ...s3, WriterConfig: { OutputType: 'JSON', Transformation: 'NONE' } })).toEqual([]);
    });
    it('rejects an empty ResultWriter', () => {
      expect(writer({})).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/ResultWriter']);
    });
    it('rejects a WriterConfig without OutputType, empty or not', () => {
      expect(writer({ WriterConfig: {} })).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/ResultWriter/WriterConfig']);
      expect(writer({ ...s3, WriterConfig: { Transformation: 'COMPACT' } })).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/ResultWriter/WriterConfig']);
    });
    it('rejects an unknown OutputType or Transformation', () => {
      expect(writer({ WriterConfig: { OutputType: 'XML', Transformation: 'SQUASH' } }))
        .toEqual(['SCHEMA_VALIDATION_FAILED /States/S/ResultWriter/WriterConfig/OutputType', 'SCHEMA_VALIDATION_FAILED /States/S/ResultWriter/WriterConfig/Transformation']);
    });
  });
  it('rejects an unknown ProcessorConfig Mode', () => {
    expect(at(map({ ItemProcessor: { ...proc, ProcessorConfig: { Mode: 'FAST' } } }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/ItemProcessor/ProcessorConfig/Mode']);
  });
  it('rejects a null ItemsPath', () => {
    expect(at(map({ ItemProcessor: proc, ItemsPath: null }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/ItemsPath']);
  });
});

describe('best-practices rule (warnings)', () => {
  const warnings = (def: unknown) => validateDefinition(def).filter((f) => f.severity === 'warning').map((f) => `${f.code} ${f.location}`);
  it('warns TASK_WITHOUT_TIMEOUT on a Task without TimeoutSeconds', () => {
    expect(warnings(one({ Type: 'Task', Resource: 'arn:aws:states:::sns:publish', End: true }))).toEqual(['TASK_WITHOUT_TIMEOUT /States/S']);
  });
  it('warns UNQUALIFIED_LAMBDA_ARN on a Lambda ARN without version or alias, in Resource or FunctionName', () => {
    expect(warnings(one({ Type: 'Task', TimeoutSeconds: 5, Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true }))).toEqual(['UNQUALIFIED_LAMBDA_ARN /States/S/Resource']);
    expect(warnings(one({ Type: 'Task', TimeoutSeconds: 5, Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:f' }, End: true })))
      .toEqual(['UNQUALIFIED_LAMBDA_ARN /States/S/Parameters/FunctionName']);
    expect(warnings(one({ Type: 'Task', TimeoutSeconds: 5, Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f:live', End: true }))).toEqual([]);
  });
  it('warns UNQUALIFIED_LAMBDA_ARN on a template ARN whose name is written, not on one whose name is left to a substitution', () => {
    const task = (resource: string): unknown => one({ Type: 'Task', TimeoutSeconds: 5, Resource: resource, End: true });
    expect(warnings(task('arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:f'))).toEqual(['UNQUALIFIED_LAMBDA_ARN /States/S/Resource']);
    // The substitution may hold a qualifier: no guess.
    expect(warnings(task('arn:aws:lambda:us-east-1:123456789012:function:${Fn}'))).toEqual([]);
    expect(warnings(task('arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:f:${Alias}'))).toEqual([]);
  });
  it('warns MAP_WITHOUT_MAX_CONCURRENCY on a Map over an ItemReader without MaxConcurrency', () => {
    const def = one({ Type: 'Map', End: true, ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2' }, ItemProcessor: { StartAt: 'I', States: { I: pass } } });
    expect(warnings(def)).toEqual(['MAP_WITHOUT_MAX_CONCURRENCY /States/S', 'DISTRIBUTED_FIELD_IN_INLINE_MAP /States/S']);
  });
  it('warns CHOICE_WITHOUT_DEFAULT on a Choice without Default', () => {
    const def = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 'D' }] }, D: pass } };
    expect(warnings(def)).toEqual(['CHOICE_WITHOUT_DEFAULT /States/C']);
  });
});

describe('messages name the value and the allowed range', () => {
  const message = (def: unknown) => errors(def)[0].message;
  it('says "at least" for a bound with no maximum', () => {
    const def = one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['X'], BackoffRate: 0.3 }], End: true });
    expect(message(def)).toBe('BackoffRate is 0.3, but it must be at least 1; set it within that range');
  });
  it('says "between" for a closed range and "an integer" for integer fields', () => {
    const def = one({ Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: pass } }, ToleratedFailurePercentage: 105, End: true });
    expect(message(def)).toBe('ToleratedFailurePercentage is 105, but it must be between 0 and 100; set it within that range');
    expect(message(one({ Type: 'Wait', Seconds: -1, End: true }))).toBe('Seconds is -1, but it must be between 0 and 99999999 (an integer); set it within that range');
  });
  it('refuses a Retrier\'s IntervalSeconds: 0 as the States Language does (a positive integer), saying how to retry fast in tests', () => {
    const def = one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['X'], IntervalSeconds: 0 }], End: true });
    expect(message(def)).toBe('IntervalSeconds is 0, but it must be between 1 and 99999999 (an integer); the States Language requires a positive integer, '
      + 'so keep IntervalSeconds at 1 or more; for fast retries in tests keep 1: a harness run waits on its virtual clock, and serve --time-scale shortens the wait');
  });
  it('names both the current and the legacy processor field when a Map has neither', () => {
    expect(message(one({ Type: 'Map', End: true }))).toContain("Map state 'S' has neither ItemProcessor nor Iterator");
  });
});

describe('variable scopes (warnings)', () => {
  const scoped = (findings: readonly Finding[]) => findings.filter((f) => f.code === ValidationCodes.VARIABLE_NAME_IN_OUTER_SCOPE);
  /** `n` assigned at the top level, and inside a Parallel branch (`in: 'branch'`) or a Map iteration. */
  const shadowing = (inside: 'branch' | 'map', innerName = 'n') => {
    const inner = { StartAt: 'Count', States: { Count: { Type: 'Pass', Assign: { [innerName]: 1 }, End: true } } };
    return {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { n: 0 }, Next: 'Fan' },
        Fan: inside === 'branch'
          ? { Type: 'Parallel', Branches: [{ StartAt: 'Other', States: { Other: { Type: 'Pass', End: true } } }, inner], End: true }
          : { Type: 'Map', ItemProcessor: inner, End: true },
      },
    };
  };

  it('warns, never refuses, when a branch assigns a name the top level assigns, naming both states, the variable, AWS\'s page and the fix', () => {
    const findings = validateDefinition(shadowing('branch'));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const [w] = scoped(findings);
    expect(w).toEqual(expect.objectContaining({ severity: 'warning', location: '/States/Fan/Branches/1/States/Count/Assign/n' }));
    expect(w.message).toContain("Variable 'n' is assigned in state 'Count' (branch 2 of Parallel 'Fan') and in state 'Init' (the top level)");
    expect(w.message).toContain('a variable assigned in an inner scope cannot have the same name as one assigned in an outer scope');
    expect(w.message).toContain('workflow-variables.html#variable-scope');
    expect(w.message).toContain('is not documented');
    expect(w.message).toContain("Rename the one in 'Count'");
  });

  it('warns for a Map iteration, a Catch\'s or a Choice rule\'s Assign and a JSONPath `name.$` key, and not for names that differ or sibling scopes', () => {
    expect(scoped(validateDefinition(shadowing('map'))).map((f) => f.message)).toEqual([expect.stringContaining("(the iterations of Map 'Fan')")]);
    expect(scoped(validateDefinition(shadowing('map', 'm')))).toEqual([]);
    const def = shadowing('map') as { States: { Fan: { ItemProcessor: { States: Record<string, unknown> } } } };
    def.States.Fan.ItemProcessor.States.Count = {
      Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Assign: { 'n.$': '$.x' }, Next: 'Done' }], Default: 'Done',
    };
    def.States.Fan.ItemProcessor.States.Done = { Type: 'Succeed' };
    expect(scoped(validateDefinition(def)).map((f) => f.location)).toEqual(['/States/Fan/ItemProcessor/States/Count/Choices/0/Assign/n.$']);
    // Two branches assigning the same name are not around each other: each has its own.
    const siblings = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [0, 1].map((i) => ({ StartAt: `B${i}`, States: { [`B${i}`]: { Type: 'Pass', Assign: { n: i }, End: true } } })),
          End: true,
        },
      },
    };
    expect(scoped(validateDefinition(siblings))).toEqual([]);
  });

  it('runs such a machine all the same: the inner value hides the outer one inside, and the outer one is unchanged after', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { n: 0 }, Next: 'Fan' },
        Fan: {
          Type: 'Map',
          Items: [1],
          ItemProcessor: { StartAt: 'Count', States: { Count: { Type: 'Pass', Assign: { n: 5 }, Next: 'Read' }, Read: { Type: 'Pass', Output: '{% $n %}', End: true } } },
          Next: 'After',
        },
        After: { Type: 'Pass', Output: { inside: '{% $states.input %}', outside: '{% $n %}' }, End: true },
      },
    };
    expect(scoped(validateDefinition(def))).toHaveLength(1);
    const { Workflow } = await import('../../../src/testing/workflow');
    const run = await Workflow.fromDefinition(def as never).run({});
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ inside: [5], outside: 0 });
  });
});

describe('an intrinsic call whose literal argument every run refuses', () => {
  // AWS's answer at CreateStateMachine is recorded nowhere: warn, never refuse (docs/fidelity.md).
  const doubts = (def: unknown) => validateDefinition(def).filter((f) => f.code === ValidationCodes.INTRINSIC_ARGUMENT_FAILS_AT_RUN);
  it.each([
    ['States.ArrayRange(1, 5, 0)', 'the step must not be 0'],
    ['States.ArrayRange(1, 10, 0.49)', 'the step must not be 0'],
    ['States.ArrayPartition($.a, 0)', 'the chunk size must be greater than 0, got 0'],
    ['States.ArrayPartition($.a, -3)', 'the chunk size must be greater than 0, got -3'],
    ['States.ArrayGetItem($.a, -1)', 'the index -1 is out of bounds'],
    ['States.JsonMerge($.a, $.b, true)', 'only shallow merges are supported'],
    ["States.Hash($.a, 'sha-256')", "the algorithm 'sha-256' is not one of"],
    ["States.Format('{}', States.ArrayRange(1, 2, 0))", 'the step must not be 0'],
  ])('warns (and does not refuse) %s, naming the state, field and call', (call, reason) => {
    const def = { StartAt: 'In Branch', States: { 'In Branch': { Type: 'Pass', Parameters: { 'v.$': call }, End: true } } };
    expect(validateDefinition(def).filter((f) => f.severity === 'error')).toEqual([]);
    const found = doubts(def);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', location: '/States/In Branch/Parameters' });
    expect(found[0].message).toContain("State 'In Branch': the field 'v.$' calls 'States.");
    expect(found[0].message).toContain(reason);
    expect(found[0].message).toContain('whether AWS refuses the definition at CreateStateMachine is not recorded');
  });
  it("warns for a Fail state's CausePath", () => {
    const def = one({ Type: 'Fail', CausePath: "States.Hash($.a, 'SHA-3')" });
    expect(errors(def)).toEqual([]);
    expect(doubts(def).map((f) => f.location)).toEqual(['/States/S/CausePath']);
  });
  it('says nothing of arguments a run takes, or that come from a path', () => {
    const Parameters = {
      'r.$': 'States.ArrayRange(1, 5, 1)',
      'p.$': 'States.ArrayPartition($.a, $.n)',
      'g.$': 'States.ArrayGetItem($.a, 0)',
      'm.$': 'States.JsonMerge($.a, $.b, false)',
      'h.$': "States.Hash($.a, 'SHA-256')",
    };
    const def = one({ Type: 'Pass', Parameters, End: true });
    expect(doubts(def)).toEqual([]);
  });
});
