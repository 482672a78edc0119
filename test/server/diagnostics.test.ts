import { awsLocation, definitionDiagnostics, invalidDefinitionMessage } from '../../src/server/diagnostics';

/*
 * A definition's problems in AWS's words, codes and locations. Each case cites its source:
 * "recorded" is an AWS answer in ../shared/serve-api (LocalStack's AWS-validated snapshots of
 * test_sfn_api, test_sfn_api_validation and test_sfn_api_express); the others are answers of
 * validate-state-machine-definition or create-state-machine quoted in public issues.
 */

const json = (v: unknown) => JSON.stringify(v);
const diagnose = (definition: unknown, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') =>
  definitionDiagnostics(typeof definition === 'string' ? definition : json(definition), type);
const pass = { Type: 'Pass', End: true };
const error = (code: string, message: string, location?: string) => ({ severity: 'ERROR', code, message, ...(location !== undefined ? { location } : {}) });

describe('definitions that are not a JSON object', () => {
  it('answers text that is not JSON with INVALID_JSON_DESCRIPTION in the words of AWS\'s parser, located in the source (recorded)', () => {
    const location = '[Source: (String)"not a definition"; line: 1, column: 4]';
    expect(diagnose('not a definition')).toEqual([error('INVALID_JSON_DESCRIPTION',
      `Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at ${location}`, location)]);
  });

  it.each([' ', '[]', '"text"', '3', 'null'])('answers %j as not a JSON object, with no location (recorded for a blank definition)', (text) => {
    expect(diagnose(text)).toEqual([error('SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object')]);
  });
});

describe('required fields', () => {
  it('lists every missing field of the machine in one diagnostic at / (recorded)', () => {
    expect(diagnose({})).toEqual([error('SCHEMA_VALIDATION_FAILED', 'These fields are required: [States, StartAt]', '/')]);
    expect(diagnose({ States: { S: pass } })).toEqual([error('SCHEMA_VALIDATION_FAILED', 'These fields are required: [StartAt]', '/')]);
    expect(diagnose({ Comment: 'c', StartAt: 'State_1' })).toEqual([error('SCHEMA_VALIDATION_FAILED', 'These fields are required: [States]', '/')]);
  });

  it('words the missing fields of a state, a branch and a catcher alike, at the object that lacks them', () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Catch: [{ ErrorEquals: ['States.ALL'] }], Next: 'P' },
        P: { Type: 'Parallel', Branches: [{ States: { B: pass } }], End: true },
      },
    };
    expect(diagnose(def)).toEqual(expect.arrayContaining([
      error('SCHEMA_VALIDATION_FAILED', 'These fields are required: [Resource]', '/States/T'),
      error('SCHEMA_VALIDATION_FAILED', 'These fields are required: [Next]', '/States/T/Catch[0]'),
      error('SCHEMA_VALIDATION_FAILED', 'These fields are required: [StartAt]', '/States/P/Branches[0]'),
    ]));
  });
});

describe('transitions and terminal states (localstack/localstack#11978; floci-io/floci#2735)', () => {
  it('names a missing target and an unreachable state, and joins them in the InvalidDefinition message', () => {
    const def = { StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } };
    const found = diagnose(def);
    expect(found).toEqual([
      error('MISSING_TRANSITION_TARGET', "Missing 'Next' target: pass3", '/States/pass1/Next'),
      error('MISSING_TRANSITION_TARGET', 'State "pass2" is not reachable.', '/States/pass2'),
    ]);
    expect(invalidDefinitionMessage(found)).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'");
  });

  it("writes array indices in brackets and a Default or StartAt target as a 'Next' target", () => {
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Ghost' }], Default: 'Gone' },
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Nowhere' }], End: true },
      },
    };
    expect(diagnose(def).filter((d) => d.message.startsWith('Missing'))).toEqual([
      error('MISSING_TRANSITION_TARGET', "Missing 'Next' target: Gone", '/States/C/Default'),
      error('MISSING_TRANSITION_TARGET', "Missing 'Next' target: Ghost", '/States/C/Choices[0]/Next'),
      error('MISSING_TRANSITION_TARGET', "Missing 'Next' target: Nowhere", '/States/T/Catch[0]/Next'),
    ]);
    expect(diagnose({ StartAt: 'Nope', States: { A: pass } })).toEqual([
      error('MISSING_TRANSITION_TARGET', "Missing 'Next' target: Nope", '/StartAt'),
      error('MISSING_TRANSITION_TARGET', 'State "A" is not reachable.', '/States/A'),
    ]);
  });

  it('locates a state in a branch or item processor by its path, its name unescaped', () => {
    const branch = { StartAt: 'W', States: { 'W': pass, 'a/b': pass } };
    expect(diagnose({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [branch], End: true } } }))
      .toEqual([error('MISSING_TRANSITION_TARGET', 'State "a/b" is not reachable.', '/States/P/Branches[0]/States/a/b')]);
    expect(diagnose({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: branch, End: true } } }))
      .toEqual([error('MISSING_TRANSITION_TARGET', 'State "a/b" is not reachable.', '/States/M/ItemProcessor/States/a/b')]);
  });

  it('reports a machine with no terminal state with no location, "at null" in the message, and nothing about unreachable states', () => {
    const found = diagnose({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' }, U: { Type: 'Pass', Next: 'A' } } });
    expect(found).toEqual([error('MISSING_END_STATE', 'Workflow has no terminal state')]);
    expect(invalidDefinitionMessage(found)).toBe("Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'");
  });
});

describe('fields (floci-io/floci#2735 and #2968, measured)', () => {
  it.each([
    ['Map', { Type: 'Map', TimeoutSeconds: 5, ItemProcessor: { StartAt: 'W', States: { W: pass } }, End: true }, 'TimeoutSeconds'],
    ['Parallel', { Type: 'Parallel', TimeoutSeconds: 5, Branches: [{ StartAt: 'W', States: { W: pass } }], End: true }, 'TimeoutSeconds'],
    ['Pass', { Type: 'Pass', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'X' }] }, 'Catch'],
    ['Wait', { Type: 'Wait', Seconds: 1, End: true, Retry: [{ ErrorEquals: ['States.ALL'] }] }, 'Retry'],
  ])('refuses a field a %s state does not take, located at the state', (_type, state, field) => {
    expect(diagnose({ StartAt: 'X', States: { X: state } })).toEqual([error('SCHEMA_VALIDATION_FAILED', `Field '${field}' is not supported`, '/States/X')]);
  });

  it('refuses QueryLanguage on an item processor or a branch, located at that object', () => {
    const inner = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: pass } };
    expect(diagnose({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: inner, End: true } } }))
      .toEqual([error('SCHEMA_VALIDATION_FAILED', "Field 'QueryLanguage' is not supported", '/States/M/ItemProcessor')]);
    expect(diagnose({ StartAt: 'R', States: { R: { Type: 'Parallel', Branches: [inner], End: true } } }))
      .toEqual([error('SCHEMA_VALIDATION_FAILED', "Field 'QueryLanguage' is not supported", '/States/R/Branches[0]')]);
  });

  it('refuses a field of the other query language, located at the state', () => {
    expect(diagnose({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { a: 1 }, End: true } } })).toEqual([
      error('SCHEMA_VALIDATION_FAILED', "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage", '/States/T'),
    ]);
    expect(diagnose({ QueryLanguage: 'JSONata', StartAt: 'X', States: { X: { Type: 'Pass', InputPath: '$.a', End: true } } })).toEqual([
      error('SCHEMA_VALIDATION_FAILED', "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage", '/States/X'),
    ]);
  });

  it('refuses a JSONPath state in a JSONata machine at the state, and nothing else about it (recorded)', () => {
    const def = { StartAt: 'Pass', States: { Pass: { Type: 'Pass', End: true, QueryLanguage: 'JSONPath', Output: { v: 1 } } }, QueryLanguage: 'JSONata' };
    expect(diagnose(def)).toEqual([error('SCHEMA_VALIDATION_FAILED', "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", '/States/Pass')]);
  });

  it('refuses a QueryLanguage outside its enumeration, or not a string, at the field', () => {
    expect(diagnose({ QueryLanguage: 'jsonata', StartAt: 'X', States: { X: pass } }))
      .toEqual([error('SCHEMA_VALIDATION_FAILED', 'Value should be one of the following: [JSONPath, JSONata]', '/QueryLanguage')]);
    expect(diagnose({ QueryLanguage: 5, StartAt: 'X', States: { X: pass } }))
      .toEqual([error('SCHEMA_VALIDATION_FAILED', 'Expected value of type [STRING]', '/QueryLanguage')]);
  });

  it('refuses an unknown state Type listing the types (localstack test_state_name_invalid_state_definition, AWS-validated)', () => {
    expect(diagnose({ StartAt: 'S', States: { S: { Type: 'TypeThatDoesNotExist', End: true } } })).toEqual([
      error('SCHEMA_VALIDATION_FAILED', "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]", '/States/S/Type'),
    ]);
  });

  it("refuses a '.$' field whose value is neither a path nor an intrinsic call at its template, in AWS's words (quoted in deployment errors)", () => {
    const def = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'taskToken.$': 'token', 'n.$': 'States.Nope(1)' }, End: true } } };
    expect(diagnose(def)).toEqual([
      error('SCHEMA_VALIDATION_FAILED', "The value for the field 'taskToken.$' must be a valid JSONPath or a valid intrinsic function call", '/States/P/Parameters'),
      error('SCHEMA_VALIDATION_FAILED', "The value for the field 'n.$' must be a valid JSONPath or a valid intrinsic function call", '/States/P/Parameters'),
    ]);
  });
});

describe('EXPRESS machines (recorded)', () => {
  const task = (resource: string) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, End: true } } });

  it(".waitForTaskToken: AWS's sentence ends in a space, so the message reads 'integration  at'", () => {
    const found = diagnose(task('arn:aws:states:::sqs:sendMessage.waitForTaskToken'), 'EXPRESS');
    expect(found).toEqual([error('SCHEMA_VALIDATION_FAILED', "Express state machine does not support '.waitForTaskToken' service integration ", '/States/T/Resource')]);
    expect(invalidDefinitionMessage(found)).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration  at /States/T/Resource'");
  });

  it('.sync and .sync:2 alike', () => {
    for (const resource of ['arn:aws:states:::states:startExecution.sync', 'arn:aws:states:::states:startExecution.sync:2']) {
      expect(diagnose(task(resource), 'EXPRESS')).toEqual([error('SCHEMA_VALIDATION_FAILED', "Express state machine does not support '.sync' service integration", '/States/T/Resource')]);
    }
  });

  it('accepts the same tasks in a STANDARD machine', () => {
    expect(diagnose(task('arn:aws:states:::states:startExecution.sync'))).toEqual([]);
  });
});

describe('JSONata (floci-io/floci#2745 and #2670, measured)', () => {
  const output = (expr: string) => ({ QueryLanguage: 'JSONata', StartAt: 'Main', States: { Main: { Type: 'Pass', Output: `{% ${expr} %}`, End: true } } });

  it.each([
    ['a[1,2)', 'Expected "]", got ","'],
    ['"unterminated', 'String literal must be terminated by a matching quote'],
    ['1 +', 'Unexpected end of expression'],
    ['{"a":}', 'The symbol "}" cannot be used as a unary operator'],
    ['$match("a", /abc', 'No terminating / in regular expression'],
    ['', 'Unexpected end of expression'],
  ])('refuses %j with INVALID_JSONATA_EXPRESSION and the parser\'s message: %s', (expr, message) => {
    expect(diagnose(output(expr))).toEqual([error('INVALID_JSONATA_EXPRESSION', message, '/States/Main/Output')]);
  });

  // Step Functions implements JSONata 2.0.6 (Developer Guide, "Transforming data with JSONata"); `??` and `?:` came in 2.1.0,
  // and 2.0.6's parser refuses them with S0211, these words.
  it.each([
    ['$states.input.a ?? 1', 'The symbol "?" cannot be used as a unary operator'],
    ['$states.input.a ?: 1', 'The symbol ":" cannot be used as a unary operator'],
  ])('refuses the JSONata 2.1 operator in %j at create, in JSONata 2.0.6\'s words: %s', (expr, message) => {
    expect(diagnose(output(expr))).toEqual([error('INVALID_JSONATA_EXPRESSION', message, '/States/Main/Output')]);
  });

  it('refuses what an expression may not read, each in its own words', () => {
    expect(diagnose(output('$$'))).toEqual([error('UNSUPPORTED_JSONATA_EXPRESSION', "Reference to '$$' is not supported.", '/States/Main/Output')]);
    expect(diagnose(output('$states.errorOutput'))).toEqual([error('UNSUPPORTED_JSONATA_EXPRESSION', "Field '$states.errorOutput' does not exist.", '/States/Main/Output')]);
    const nested = { QueryLanguage: 'JSONata', StartAt: 'E', States: { E: { Type: 'Pass', Output: { v: '{% phone %}' }, End: true } } };
    expect(diagnose(nested)).toEqual([error('UNSUPPORTED_JSONATA_EXPRESSION', "Reference to 'phone' at the top level is not supported.", '/States/E/Output/v')]);
  });
});

describe('what the validator reports beyond AWS', () => {
  it("answers with AWS's codes only, and leaves out the validator's best-practice warnings", () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true } } };
    expect(diagnose(def)).toEqual([]);
    const dup = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'P', States: { P: pass } }], End: true } } };
    expect(diagnose(dup).map((d) => d.code)).toEqual(['DUPLICATE_STATE_NAME']);
    const both = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, SecondsPath: '$.s', End: true } } };
    expect(diagnose(both).map((d) => d.code)).toEqual(['SCHEMA_VALIDATION_FAILED']);
  });
});

describe('awsLocation', () => {
  it('writes the whole definition as /, array indices in brackets and names unescaped', () => {
    const root = { States: { 'a/b~c': { Branches: [{ States: { X: {} } }] } } };
    expect(awsLocation(root, '')).toBe('/');
    expect(awsLocation(root, '/')).toBe('/');
    expect(awsLocation(root, '/States/a~1b~0c/Branches/0/States/X')).toBe('/States/a/b~c/Branches[0]/States/X');
    expect(awsLocation({ 0: { A: [[1]] } }, '/0/A/0/0')).toBe('/0/A[0][0]');
  });
});

describe('a state Type named like a property of every object', () => {
  // The validator read its table of fields per type through Object's prototype, and threw for these names.
  it.each(['toString', 'constructor', '__proto__'])('answers Type %j with the diagnostic any unknown Type gets', (type) => {
    const unknown = diagnose({ StartAt: 'S', States: { S: { Type: 'Sleep', End: true } } });
    expect(unknown).toEqual([error('SCHEMA_VALIDATION_FAILED', "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]", '/States/S/Type')]);
    expect(diagnose({ StartAt: 'S', States: { S: { Type: type, End: true } } })).toEqual(unknown);
  });
});

describe('numbers out of range', () => {
  it('words a number above its greatest value as AWS does (CloudFormation quoting CreateStateMachine, aws-cloudformation/cfn-lint#4075)', () => {
    const def = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 100000000, Next: 'Done' }, Done: { Type: 'Succeed' } } };
    expect(diagnose(def)).toEqual([error('SCHEMA_VALIDATION_FAILED', 'Maximum value is 99999999', '/States/Wait/Seconds')]);
    expect(invalidDefinitionMessage(diagnose(def))).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Maximum value is 99999999 at /States/Wait/Seconds'");
  });

  it("words a decimal field's bounds as Java prints a double, and an integer field's without a fraction (floci-io/floci#3733, measured on Map)", () => {
    const map = (extra: object) => ({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: pass } }, End: true, ...extra } } });
    expect(diagnose(map({ ToleratedFailurePercentage: 101 }))).toEqual([error('SCHEMA_VALIDATION_FAILED', 'Maximum value is 100.0', '/States/M/ToleratedFailurePercentage')]);
    expect(diagnose(map({ ToleratedFailurePercentage: -1 }))).toEqual([error('SCHEMA_VALIDATION_FAILED', 'Minimum value is 0.0', '/States/M/ToleratedFailurePercentage')]);
    expect(diagnose(map({ MaxConcurrency: -1 }))).toEqual([error('SCHEMA_VALIDATION_FAILED', 'Minimum value is 0', '/States/M/MaxConcurrency')]);
  });

  it("refuses a Retrier's IntervalSeconds: 0 with AWS's sentence for a number below its least value: the States Language says a positive integer, and no recording says AWS takes 0", () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 0 }], End: true } } };
    expect(diagnose(def)).toEqual([error('SCHEMA_VALIDATION_FAILED', 'Minimum value is 1', '/States/T/Retry[0]/IntervalSeconds')]);
  });
});
