import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { InvalidDefinitionError } from '../../../src/asl/validate';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { startMcp, type McpSession } from '../../mcp/client';
import { refusal, ROLE, serve } from '../../server/helpers';

/*
 * A definition holding a number no double holds (`1e999`, which JSON.parse reads as Infinity) is
 * refused as INVALID_JSON_DESCRIPTION (27933cbd; no recording shows AWS's answer, and a run would
 * hand the number on as null). Every door that takes a definition refuses it in the same words,
 * and none crashes or calls it nesting to flatten.
 */

const TEXT = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1e999},"End":true}}}';
const SAYS = 'holds a number out of range at $.States.P.Result.a: JSON numbers are read as doubles, at most ±1.7976931348623157e+308 (it reads as Infinity)';
const CODE = 'INVALID_JSON_DESCRIPTION';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-number-out-of-range-'));
const FILE = 'machine.asl.json';
fs.writeFileSync(path.join(dir, FILE), TEXT);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('the jest harness refuses it', () => {
  const load = (): unknown => Workflow.fromDefinition(JSON.parse(TEXT));
  expect(load).toThrow(InvalidDefinitionError);
  expect(load).toThrow(`[${CODE}]: `);
  expect(load).toThrow(SAYS);
});

it('stepwright validate calls it invalid, and stepwright run refuses to run it', async () => {
  const validated = await cli('validate', path.join(dir, FILE));
  expect(validated.code).toBe(1);
  expect(validated.out).toContain(`error   ${CODE} at /`);
  expect(validated.out).toContain(SAYS);
  expect(validated.out).not.toContain('flatten');
  const ran = await cli('run', path.join(dir, FILE));
  expect(ran.code).toBe(1);
  expect(ran.err).toContain(`[${CODE}]: `);
  expect(ran.err).toContain(SAYS);
});

it('serve refuses CreateStateMachine as InvalidDefinition, and ValidateStateMachineDefinition answers FAIL', async () => {
  const { sfn: client, stop } = await serve();
  try {
    const created = await refusal(client.send(new CreateStateMachineCommand({ name: 'out-of-range', definition: TEXT, roleArn: ROLE })));
    expect(created.name).toBe('InvalidDefinition');
    expect(created.$metadata.httpStatusCode).toBe(400);
    expect(created.message).toContain(`${CODE}: `);
    expect(created.message).toContain(SAYS);
    expect(created.message).toMatch(/ at \/'$/);
    const validated = await client.send(new ValidateStateMachineDefinitionCommand({ definition: TEXT }));
    expect(validated.result).toBe('FAIL');
    expect(validated.diagnostics).toEqual([expect.objectContaining({ severity: 'ERROR', code: CODE, message: expect.stringContaining(SAYS) as unknown as string, location: '/' })]);
  } finally {
    await stop();
  }
});

describe('through MCP', () => {
  let mcp: McpSession;
  beforeAll(async () => { mcp = await startMcp(dir); }, 120_000);
  afterAll(async () => { await mcp.close(); });

  it('validate answers invalid with the error, and run refuses it', async () => {
    const validated = await mcp.call('validate', { file: FILE });
    const report = validated.structuredContent as { valid: boolean; reports: Array<{ findings: Array<Record<string, string>> }> };
    expect(report.valid).toBe(false);
    expect(report.reports[0].findings).toEqual([expect.objectContaining({ code: CODE, severity: 'error', message: expect.stringContaining(SAYS) as unknown as string })]);
    const ran = await mcp.call('run', { file: FILE });
    expect(ran.isError).toBe(true);
    expect(JSON.stringify(ran.content)).toContain(JSON.stringify(SAYS).slice(1, -1));
  });
});
