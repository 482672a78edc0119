import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import { StateMachineValidator } from '../../../src/constructs/validation-aspect';
import { cli } from '../../cli/run-cli';
import { startMcp, type McpSession } from '../../mcp/client';
import { ROLE, serve } from '../../server/helpers';

/*
 * An intrinsic call whose literal argument every run refuses (a14871ee): what AWS answers at
 * CreateStateMachine is recorded nowhere, so the definition loads and the validator warns
 * INTRINSIC_ARGUMENT_FAILS_AT_RUN (docs/fidelity.md). The warning reaches every door that reports
 * the validator's warnings, and no door refuses the definition.
 */

const CALLS: ReadonlyArray<readonly [state: string, call: string, reason: string]> = [
  ['Range', 'States.ArrayRange(1, 5, 0)', 'the step must not be 0'],
  ['Partition', 'States.ArrayPartition($.a, 0)', 'the chunk size must be greater than 0, got 0'],
  ['Item', 'States.ArrayGetItem($.a, -1)', 'the index -1 is out of bounds'],
  ['Merge', 'States.JsonMerge($.a, $.b, true)', 'only shallow merges are supported'],
  ['Hash', "States.Hash($.a, 'sha-256')", "the algorithm 'sha-256' is not one of"],
];

// One state per call, in a chain, so each door is asked once and answers all five.
const definition: StateMachineDefinition = {
  StartAt: CALLS[0][0],
  States: Object.fromEntries(CALLS.map(([state, call], i) => [state, {
    Type: 'Pass', Parameters: { 'v.$': call }, ...(i + 1 < CALLS.length ? { Next: CALLS[i + 1][0] } : { End: true }),
  }])),
} as StateMachineDefinition;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-intrinsic-literal-'));
const FILE = 'machine.asl.json';
fs.writeFileSync(path.join(dir, FILE), JSON.stringify(definition));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CODE = 'INTRINSIC_ARGUMENT_FAILS_AT_RUN';
const UNRECORDED = 'whether AWS refuses the definition at CreateStateMachine is not recorded';

it('stepwright validate exits 0 and prints the warning for each call', async () => {
  const r = await cli('validate', path.join(dir, FILE));
  expect(r.code).toBe(0);
  expect(r.out).toContain(`valid, ${CALLS.length} warnings`);
  for (const [state, call, reason] of CALLS) {
    expect(r.out).toContain(`warning ${CODE} at /States/${state}/Parameters`);
    expect(r.out).toContain(`State '${state}': the field 'v.$' calls '${call.slice(0, call.indexOf('('))}`);
    expect(r.out).toContain(reason);
  }
  expect(r.out).toContain(UNRECORDED);
});

it('a CDK synth goes on, with a warning on the state machine for each call', () => {
  const app = new App();
  Aspects.of(app).add(new StateMachineValidator());
  const stack = new Stack(app, 'Doubts');
  new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(definition)) });
  expect(() => app.synth()).not.toThrow();
  for (const [state, , reason] of CALLS) {
    const found = Annotations.fromStack(stack).findWarning('/Doubts/Flow/Resource', Match.stringLikeRegexp(`${CODE} at /States/${state}/Parameters: `));
    expect(found).toHaveLength(1);
    expect(JSON.stringify(found[0].entry.data)).toContain(reason);
  }
});

it('MCP validate answers valid, with the warning for each call', async () => {
  const mcp: McpSession = await startMcp(dir);
  try {
    const validated = await mcp.call('validate', { file: FILE });
    const report = validated.structuredContent as { valid: boolean; reports: Array<{ findings: Array<Record<string, string>> }> };
    expect(report.valid).toBe(true);
    const findings = report.reports[0].findings;
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.filter((f) => f.code === CODE)).toEqual(CALLS.map(([state, , reason]) => expect.objectContaining({
      severity: 'warning', location: `/States/${state}/Parameters`, message: expect.stringContaining(reason) as unknown as string,
    })));
  } finally {
    await mcp.close();
  }
}, 120_000);

it('serve creates it, and ValidateStateMachineDefinition answers OK with no error', async () => {
  // Serve answers in AWS's kinds of diagnostic only: the validator's warnings are not AWS's and are
  // left out (src/server/diagnostics.ts, awsDiagnostics), so this warning is not among them either.
  const { sfn: client, stop } = await serve();
  try {
    const validated = await client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(definition), severity: 'WARNING' }));
    expect(validated.result).toBe('OK');
    expect(validated.diagnostics).toEqual([]);
    const created = await client.send(new CreateStateMachineCommand({ name: 'doubts', definition: JSON.stringify(definition), roleArn: ROLE }));
    expect(created.stateMachineArn).toMatch(/:stateMachine:doubts$/);
  } finally {
    await stop();
  }
});
