/*
 * A ValidationException's words for a member that breaks Step Functions' model, worded once
 * (src/asl/validation-messages.ts) and quoted by every door that refuses what StartExecution
 * refuses. AWS's words, recorded: StartExecution of an input past 262,144 bytes answers "1
 * validation error detected: Value at 'input' failed to satisfy constraint: Member must have size
 * less than or equal to 262144 bytes in UTF-8 encoding" (test/server/request-order.test.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  boundConstraint, constraintFailure, payloadTooLargeMessage, validationErrorsDetected,
} from '../../src/asl/validation-messages';
import { Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';
import { startMcp, textOf } from '../mcp/client';
import { PASS, ROLE, serve } from '../server/helpers';

const RECORDED = "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding";

describe("a ValidationException's words", () => {
  it("word an input past the payload limit as StartExecution's recorded answer", () => {
    expect(payloadTooLargeMessage('input')).toBe(RECORDED);
  });

  it('name the bound in effect and the member refused', () => {
    expect(payloadTooLargeMessage('mock.result', 300_000))
      .toBe("1 validation error detected: Value at 'mock.result' failed to satisfy constraint: Member must have size less than or equal to 300000 bytes in UTF-8 encoding");
  });

  it("list several errors after their count, joined by '; ', as AWS's JSON services do", () => {
    const errors = [constraintFailure('Value null', 'name', 'not be null'), constraintFailure("Value ''", 'tags.1.member.key', boundConstraint('length', 'min', 1))];
    expect(validationErrorsDetected(errors)).toBe("2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; "
      + "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  it('word a bound of a length or a value without a unit, and a size in bytes of UTF-8', () => {
    expect(boundConstraint('length', 'max', 80)).toBe('have length less than or equal to 80');
    expect(boundConstraint('value', 'max', 1000)).toBe('have value less than or equal to 1000');
    expect(boundConstraint('size', 'max', 262_144)).toBe('have size less than or equal to 262144 bytes in UTF-8 encoding');
  });
});

describe('an input StartExecution refuses for its size', () => {
  const input = { text: 'é'.repeat(131_100) };
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-oversized-input-'));
    fs.writeFileSync(path.join(root, 'pass.asl.json'), PASS);
    fs.writeFileSync(path.join(root, 'input.json'), JSON.stringify(input));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("is refused in AWS's words at every door: the harness, serve, stepwright run and MCP's run", async () => {
    const workflow = Workflow.fromDefinition(JSON.parse(PASS));
    await expect(workflow.run(input)).rejects.toThrow(RECORDED);

    const env = await serve();
    try {
      const arn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: PASS, roleArn: ROLE }))).stateMachineArn!;
      await expect(env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }))).rejects.toThrow(RECORDED);
    } finally {
      await env.stop();
    }

    const run = await cli('run', path.join(root, 'pass.asl.json'), '--input', `@${path.join(root, 'input.json')}`);
    expect(run.code).toBe(2);
    expect(run.err).toContain(RECORDED);

    const mcp = await startMcp(root);
    try {
      const answer = await mcp.call('run', { file: 'pass.asl.json', input });
      expect(answer.isError).toBe(true);
      expect(textOf(answer)).toContain(RECORDED);
    } finally {
      await mcp.close();
    }
  });
});
