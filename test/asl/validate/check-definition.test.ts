import { checkDefinition, checkedDefinition, InvalidDefinitionError } from '../../../src/asl/validate';
import { checkWithContracts } from '../../../src/contracts/validate';
import { compileStateMachine } from '../../../src/interpreter';

// A definition is typed by passing the validator, never by a cast: checkDefinition is where an unknown
// value becomes a StateMachineDefinition (the lint rule of test/fact-homes.test.ts keeps casts out).

/** Definitions whose shape is wrong, each with the finding's location and words. */
const MALFORMED: ReadonlyArray<readonly [string, unknown, string, string]> = [
  ['States an array', { StartAt: 'A', States: [] }, '/States', 'States must be an object of states by name, got []'],
  ['a state that is a string', { StartAt: 'A', States: { A: 'Pass' } }, '/States/A', "State 'A' must be an object, got \"Pass\""],
  ['StartAt a number', { StartAt: 1, States: { A: { Type: 'Pass', End: true } } }, '/StartAt', 'StartAt must be a state name (a string), got 1'],
];

describe('checkDefinition', () => {
  it('types the very value it checked when no finding is an error, warnings kept', () => {
    const value: unknown = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } };
    const check = checkDefinition(value);
    expect(check.errors).toBeUndefined();
    // No copy: the definition is the object given.
    expect(check.definition).toBe(value);
    expect(check.definition?.States.T.Type).toBe('Task');
    expect(check.findings.length).toBeGreaterThan(0);
    expect(check.findings.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('parses JSON text once and types what it parsed', () => {
    const check = checkDefinition('{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', { warnings: false });
    expect(check.definition).toEqual({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    expect(check.findings).toEqual([]);
  });

  it.each(MALFORMED)('refuses a definition with %s, naming the field and the value, and never types it', (_what, value, location, words) => {
    const check = checkDefinition(value, { warnings: false });
    expect(check.definition).toBeUndefined();
    // The first error is the shape's; what follows from it (no state ends the machine) may come after.
    expect(check.errors?.[0]).toEqual(expect.objectContaining({ severity: 'error', location, message: expect.stringContaining(words) }));
    if (check.definition === undefined) expect(check.value).toBe(value);
  });

  it('refuses text that is not JSON, and a value that is not an object, with the value it checked', () => {
    const text = checkDefinition('{nope');
    expect(text.errors).toEqual([expect.objectContaining({ code: 'INVALID_JSON_DESCRIPTION' })]);
    expect(text.definition === undefined && text.value).toBe('{nope');
    expect(checkDefinition([]).errors).toEqual([expect.objectContaining({ message: expect.stringContaining('got an array') })]);
  });

  it.each(MALFORMED)('checkedDefinition throws an InvalidDefinitionError for %s, naming its location', (_what, value, location, words) => {
    expect(() => checkedDefinition(value)).toThrow(InvalidDefinitionError);
    expect(() => checkedDefinition(value)).toThrow(`${location} [SCHEMA_VALIDATION_FAILED]: ${words}`);
  });

  it('checkWithContracts refuses what the contracts refuse, and types what they accept', () => {
    const task = (parameters: object) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: parameters, End: true } } });
    const refused = checkWithContracts(task({ QueueUrl: 'q', MessageBody: 'm', Bogus: 1 }), { warnings: false });
    expect(refused.definition).toBeUndefined();
    expect(refused.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('"Bogus" is not supported') })]);
    const accepted = task({ QueueUrl: 'q', MessageBody: 'm' });
    expect(checkWithContracts(accepted, { warnings: false }).definition).toBe(accepted);
  });
});

describe('compileStateMachine given JSON text', () => {
  // Before, `validate: false` took the text's shape on trust: States as an array compiled, and its
  // execution crashed the process with a TypeError ("Cannot read properties of undefined (reading 'plain')").
  it.each(MALFORMED)('checks it even with validate: false: %s is an InvalidDefinitionError, not a crash', (_what, value, location) => {
    const text = JSON.stringify(value);
    expect(() => compileStateMachine(text, { validate: false })).toThrow(InvalidDefinitionError);
    expect(() => compileStateMachine(text, { validate: false })).toThrow(location);
  });

  it('still skips the check with validate: false for a definition object the caller typed', async () => {
    const machine = compileStateMachine({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Gone' }, B: { Type: 'Pass', End: true } } }, { validate: false });
    expect((await machine.start({}).result).status).toBe('FAILED');
  });
});
