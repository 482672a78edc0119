import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidDefinitionError } from '../../src/asl/validate';
import { callTool } from '../../src/mcp/calls';
import { diagnoseDefinition, invalidDefinitionMessage } from '../../src/server/diagnostics';
import { Workflow } from '../../src/testing/workflow';
import { replay } from '../../src/workbench/replay';
import type { Recording } from '../../src/workbench/replay/format';
import { cli } from '../cli/run-cli';

// Every door that takes a definition from outside (jest, a template, `stepwright run` and
// `validate`, MCP, serve's CreateStateMachine, replay) answers a malformed one with the
// validator's typed error, naming the field and the value, never a crash: a definition is typed
// only by passing the validator (asl/validate's checkDefinition).

/** Definitions whose shape is wrong, each with the finding's location and words. */
const MALFORMED: ReadonlyArray<readonly [string, object, string, string]> = [
  ['States an array', { StartAt: 'A', States: [] }, '/States', 'States must be an object of states by name, got []'],
  ['a state that is a string', { StartAt: 'A', States: { A: 'Pass' } }, '/States/A', "State 'A' must be an object, got \"Pass\""],
  ['StartAt a number', { StartAt: 1, States: { A: { Type: 'Pass', End: true } } }, '/StartAt', 'StartAt must be a state name (a string), got 1'],
];

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-malformed-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, JSON.stringify(content));
  return p;
}

const template = (definition: object) => ({
  Resources: { Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify(definition), RoleArn: 'arn:aws:iam::123456789012:role/R' } } },
});

describe.each(MALFORMED)('a definition with %s', (what, definition, location, words) => {
  const finding = `${location} [SCHEMA_VALIDATION_FAILED]: ${words}`;

  it('is refused by Workflow.fromDefinition, given as an object or as JSON text, with an InvalidDefinitionError naming it', () => {
    expect(() => Workflow.fromDefinition(definition as never)).toThrow(InvalidDefinitionError);
    expect(() => Workflow.fromDefinition(definition as never)).toThrow(finding);
    expect(() => Workflow.fromDefinition(JSON.stringify(definition))).toThrow(finding);
  });

  it('is refused by Workflow.fromTemplate when the template holds it', () => {
    expect(() => Workflow.fromTemplate(template(definition))).toThrow(InvalidDefinitionError);
    expect(() => Workflow.fromTemplate(template(definition))).toThrow(finding);
  });

  it('makes `stepwright run` exit 1 naming it, and `stepwright validate` report it', async () => {
    const def = file(`run-${what.replace(/\W+/g, '-')}.asl.json`, definition);
    const run = await cli('run', def);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`${def}: The state machine definition is invalid`);
    expect(run.err).toContain(finding);
    const validate = await cli('validate', def);
    expect(validate.code).toBe(1);
    expect(validate.out).toContain(`${def}: invalid`);
    expect(validate.out).toContain(words);
  });

  it("is answered by MCP's validate tool with the finding, and refused by its run tool as the agent's input", async () => {
    const answer = await callTool('validate', { definition });
    expect(JSON.stringify(answer.structured)).toContain(JSON.stringify(words).slice(1, -1));
    await expect(Promise.resolve().then(() => callTool('run', { definition }))).rejects.toThrow(finding);
  });

  it("is refused by serve's CreateStateMachine check with AWS's diagnostic, and no definition is kept", () => {
    const { diagnostics, parsed } = diagnoseDefinition(JSON.stringify(definition), 'STANDARD');
    expect(parsed).toBeUndefined();
    expect(diagnostics[0]).toEqual(expect.objectContaining({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED' }));
    expect(invalidDefinitionMessage(diagnostics)).toMatch(/^Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: /);
  });

  it('is refused by replay, as the recording\'s definition or as the definition option', async () => {
    const recording: Recording = {
      format: 'stepwright-recording',
      version: 1,
      stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: JSON.stringify(definition) },
      execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'SUCCEEDED', input: {}, output: {} },
      events: [],
    };
    await expect(replay(recording)).rejects.toThrow(InvalidDefinitionError);
    await expect(replay(recording)).rejects.toThrow(finding);
    const good = { ...recording, stateMachine: { ...recording.stateMachine, definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' } };
    await expect(replay(good, { definition: JSON.stringify(definition) })).rejects.toThrow(finding);
  });
});
