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
 * Definitions AWS does not run that a mock used to run green, refused at every door as the
 * validator refuses them:
 *
 * - A Task that asks an optimized integration without a callback pattern to wait for a task
 *   token (`dynamodb:getItem.waitForTaskToken`): the table of integrate-optimized.html marks Wait
 *   for Callback "Not supported" for DynamoDB, as it marks `.sync` for the services stepwright
 *   already refuses it on.
 * - An API Gateway Task whose Headers name Authorization: AWS refuses the definition, "The
 *   'Headers' field contains unsupported values: [authorization]" at the Task's Parameters
 *   (measured; the catalogue's UNSUPPORTED_HEADERS cites where).
 */

interface Refused {
  readonly name: string;
  readonly definition: StateMachineDefinition;
  readonly mocks: Record<string, unknown>;
  readonly code: string;
  /** Where the validator puts it, and AWS's code and location for it. */
  readonly location: string;
  readonly aws: { readonly code: string; readonly message?: string };
  /** What every door's refusal says. */
  readonly says: string;
}

const CASES: readonly Refused[] = [
  {
    name: 'a .waitForTaskToken on an integration without the callback pattern',
    definition: {
      StartAt: 'Lookup',
      States: {
        Lookup: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem.waitForTaskToken',
          Parameters: { TableName: 'orders', Key: { id: { 'S.$': '$$.Task.Token' } } },
          End: true,
        },
      },
    },
    mocks: { Lookup: { Item: { id: { S: 'o-1' } } } },
    code: 'UNSUPPORTED_INTEGRATION_PATTERN',
    location: '/States/Lookup/Resource',
    aws: { code: 'SCHEMA_VALIDATION_FAILED' },
    says: "the dynamodb integration has no '.waitForTaskToken' (wait for a callback) pattern",
  },
  {
    name: 'an API Gateway Task whose Headers name Authorization',
    definition: {
      StartAt: 'Orders',
      States: {
        Orders: {
          Type: 'Task',
          Resource: 'arn:aws:states:::apigateway:invoke',
          Parameters: { ApiEndpoint: 'abc123.execute-api.us-east-1.amazonaws.com', Method: 'GET', Stage: 'prod', Headers: { 'Authorization.$': 'States.Array($.token)' } },
          End: true,
        },
      },
    },
    mocks: { Orders: { StatusCode: 200, StatusText: 'OK', Headers: {}, ResponseBody: { orders: [] } } },
    code: 'SCHEMA_VALIDATION_FAILED',
    location: '/States/Orders/Parameters',
    aws: { code: 'SCHEMA_VALIDATION_FAILED', message: "The 'Headers' field contains unsupported values: [authorization]" },
    says: "The 'Headers' field contains unsupported values: [authorization]",
  },
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-integration-refusal-'));
const fileOf = (i: number): string => `machine-${i}.asl.json`;
const mocksOf = (i: number): string => path.join(dir, `mocks-${i}.json`);
CASES.forEach((c, i) => {
  fs.writeFileSync(path.join(dir, fileOf(i)), JSON.stringify(c.definition));
  fs.writeFileSync(mocksOf(i), JSON.stringify(c.mocks));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
  const escaped = c.location.replace(/\//g, '\\/');

  it('is refused by the jest harness, naming the state', () => {
    expect(() => Workflow.fromDefinition(c.definition)).toThrow(InvalidDefinitionError);
    expect(() => Workflow.fromDefinition(c.definition)).toThrow(new RegExp(`${escaped} \\[${c.code}\\]: `));
  });

  it('is invalid to stepwright validate, and stepwright run refuses to run it even with a mock', async () => {
    const validated = await cli('validate', path.join(dir, fileOf(i)));
    expect(validated.code).toBe(1);
    expect(validated.out).toContain(`error   ${c.code} at ${c.location}`);
    const ran = await cli('run', path.join(dir, fileOf(i)), '--mocks', mocksOf(i));
    expect(ran.code).not.toBe(0);
    expect(ran.err).toContain(c.says);
  });

  it('fails the synth of a CDK stack that defines it', () => {
    const app = new App();
    Aspects.of(app).add(new StateMachineValidator({ warnings: false }));
    const stack = new Stack(app, 'Refused');
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(c.definition)) });
    expect(() => app.synth()).toThrow(new RegExp(`${c.code} at ${escaped}`));
  });
});

it('serve refuses each: CreateStateMachine and ValidateStateMachineDefinition', async () => {
  const { sfn: client, stop } = await serve();
  try {
    for (const [i, c] of CASES.entries()) {
      const created = await refusal(client.send(new CreateStateMachineCommand({ name: `refused-${i}`, definition: JSON.stringify(c.definition), roleArn: ROLE })));
      expect(created.name).toBe('InvalidDefinition');
      expect(created.message).toContain(c.says);
      const validated = await client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(c.definition) }));
      expect(validated.result).toBe('FAIL');
      expect(validated.diagnostics).toEqual([expect.objectContaining({ severity: 'ERROR', ...c.aws, location: c.location })]);
    }
  } finally {
    await stop();
  }
});

describe('through MCP', () => {
  let mcp: McpSession;
  beforeAll(async () => { mcp = await startMcp(dir); }, 120_000);
  afterAll(async () => { await mcp.close(); });

  it('answers validate with the error, and refuses to run each', async () => {
    for (const [i, c] of CASES.entries()) {
      const validated = await mcp.call('validate', { file: fileOf(i), warnings: false });
      const report = validated.structuredContent as { valid: boolean; reports: Array<{ findings: Array<Record<string, string>> }> };
      expect(report.valid).toBe(false);
      expect(report.reports[0].findings).toEqual([expect.objectContaining({ code: c.code, severity: 'error', location: c.location })]);
      const ran = await mcp.call('run', { file: fileOf(i), mocks: c.mocks });
      expect(ran.isError).toBe(true);
      expect(JSON.stringify(ran.content)).toContain(JSON.stringify(c.says).slice(1, -1));
    }
  });
});
