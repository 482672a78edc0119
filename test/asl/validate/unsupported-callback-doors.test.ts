import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import { InvalidDefinitionError } from '../../../src/asl/validate';
import { StateMachineValidator } from '../../../src/constructs/validation-aspect';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { startMcp, type McpSession } from '../../mcp/client';
import { refusal, ROLE, serve } from '../../server/helpers';

/*
 * A Task that asks an optimized integration without a callback pattern to wait for a task token
 * (`dynamodb:getItem.waitForTaskToken`): the table of integrate-optimized.html ("Optimized
 * integrations in Step Functions") marks Wait for Callback "Not supported" for DynamoDB, as it
 * marks `.sync` for the services stepwright already refuses it on. A mock used to answer the
 * callback and the run went green, where AWS does not run such a Task. Every door now refuses the
 * definition, as they refuse a `.sync` on a service without it.
 */

const ASL: StateMachineDefinition = {
  StartAt: 'Lookup',
  States: {
    Lookup: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem.waitForTaskToken',
      Parameters: { TableName: 'orders', Key: { id: { 'S.$': '$$.Task.Token' } } },
      End: true,
    },
  },
};
const WHY = "the dynamodb integration has no '.waitForTaskToken' (wait for a callback) pattern";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-callback-pattern-'));
const aslFile = path.join(dir, 'lookup.asl.json');
const mocksFile = path.join(dir, 'mocks.json');
fs.writeFileSync(aslFile, JSON.stringify(ASL));
fs.writeFileSync(mocksFile, JSON.stringify({ Lookup: { Item: { id: { S: 'o-1' } } } }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a .waitForTaskToken on an integration without the callback pattern', () => {
  it('is refused by the jest harness, naming the state and the fix', () => {
    expect(() => Workflow.fromDefinition(ASL)).toThrow(InvalidDefinitionError);
    expect(() => Workflow.fromDefinition(ASL)).toThrow(/\/States\/Lookup\/Resource \[UNSUPPORTED_INTEGRATION_PATTERN\]: .*no '\.waitForTaskToken'.*remove the suffix/);
  });

  it('is invalid to stepwright validate, and stepwright run refuses to run it even with a mock', async () => {
    const validated = await cli('validate', aslFile);
    expect(validated.code).toBe(1);
    expect(validated.out).toContain('error   UNSUPPORTED_INTEGRATION_PATTERN at /States/Lookup/Resource');
    const ran = await cli('run', aslFile, '--mocks', mocksFile);
    expect(ran.code).not.toBe(0);
    expect(ran.err).toContain(WHY);
  });

  it('is refused by serve: CreateStateMachine and ValidateStateMachineDefinition', async () => {
    const { sfn: client, stop } = await serve();
    try {
      const created = await refusal(client.send(new CreateStateMachineCommand({ name: 'lookup', definition: JSON.stringify(ASL), roleArn: ROLE })));
      expect(created.name).toBe('InvalidDefinition');
      expect(created.message).toContain(WHY);
      const validated = await client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(ASL) }));
      expect(validated.result).toBe('FAIL');
      expect(validated.diagnostics).toEqual([expect.objectContaining({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: '/States/Lookup/Resource' })]);
    } finally {
      await stop();
    }
  });

  describe('through MCP', () => {
    let mcp: McpSession;
    beforeAll(async () => { mcp = await startMcp(dir); }, 120_000);
    afterAll(async () => { await mcp.close(); });

    it('answers validate with the error, and refuses to run it', async () => {
      const validated = await mcp.call('validate', { file: 'lookup.asl.json', warnings: false });
      const report = validated.structuredContent as { valid: boolean; reports: Array<{ findings: Array<Record<string, string>> }> };
      expect(report.valid).toBe(false);
      expect(report.reports[0].findings).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_INTEGRATION_PATTERN', severity: 'error', location: '/States/Lookup/Resource' })]);
      const ran = await mcp.call('run', { file: 'lookup.asl.json', mocks: { Lookup: { Item: {} } } });
      expect(ran.isError).toBe(true);
      expect(JSON.stringify(ran.content)).toContain(WHY);
    });
  });

  it('fails the synth of a CDK stack that defines it', () => {
    const app = new App();
    Aspects.of(app).add(new StateMachineValidator({ warnings: false }));
    const stack = new Stack(app, 'Lookup');
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(ASL)) });
    expect(() => app.synth()).toThrow(/UNSUPPORTED_INTEGRATION_PATTERN at \/States\/Lookup\/Resource/);
  });
});
