import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand, StartExecutionCommand,
  StateMachineAlreadyExists, UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { PASS, ROLE, serve } from './helpers';

// EncryptionConfiguration (Step Functions API reference): given when a state machine is created or
// updated, and shown by DescribeStateMachine and DescribeStateMachineForExecution.
const KEYED = { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1', kmsDataKeyReusePeriodSeconds: 120 } as const;

describe('serve: a state machine\'s encryptionConfiguration', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it('shows the encryptionConfiguration a machine was created with in DescribeStateMachine and DescribeStateMachineForExecution', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'keyed', definition: PASS, roleArn: ROLE, encryptionConfiguration: KEYED }));
    expect((await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual(KEYED);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    expect((await env.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).encryptionConfiguration).toEqual(KEYED);
  });

  it('shows no encryptionConfiguration for a machine created without one', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'plain', definition: PASS, roleArn: ROLE }));
    expect(await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).not.toHaveProperty('encryptionConfiguration');
  });

  it('takes an UpdateStateMachine that gives only an encryptionConfiguration, as a change with a revisionId', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'rekeyed', definition: PASS, roleArn: ROLE }));
    const updated = await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, encryptionConfiguration: KEYED }));
    expect(updated.revisionId).toEqual(expect.any(String));
    const described = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.encryptionConfiguration).toEqual(KEYED);
    await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: PASS.replace('true', 'false') }));
    expect((await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual(KEYED);
    await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } }));
    expect((await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual({ type: 'AWS_OWNED_KEY' });
  });

  it('answers a second CreateStateMachine with another encryptionConfiguration with StateMachineAlreadyExists, and the same one idempotently', async () => {
    const a = await env.sfn.send(new CreateStateMachineCommand({ name: 'twice', definition: PASS, roleArn: ROLE, encryptionConfiguration: KEYED }));
    const b = await env.sfn.send(new CreateStateMachineCommand({ name: 'twice', definition: PASS, roleArn: ROLE, encryptionConfiguration: KEYED }));
    expect(b.creationDate).toEqual(a.creationDate);
    await expect(env.sfn.send(new CreateStateMachineCommand({ name: 'twice', definition: PASS, roleArn: ROLE, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } })))
      .rejects.toBeInstanceOf(StateMachineAlreadyExists);
  });

  it('keeps a machine\'s encryptionConfiguration, created and updated, across a restart on the same data folder', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-encryption-'));
    try {
      const first = await serve({ dataDir });
      let arns: string[];
      try {
        const created = await first.sfn.send(new CreateStateMachineCommand({ name: 'kept', definition: PASS, roleArn: ROLE, encryptionConfiguration: KEYED }));
        const other = await first.sfn.send(new CreateStateMachineCommand({ name: 'kept-updated', definition: PASS, roleArn: ROLE }));
        await first.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: other.stateMachineArn, encryptionConfiguration: KEYED }));
        arns = [created.stateMachineArn!, other.stateMachineArn!];
      } finally {
        await first.stop();
      }
      const again = await serve({ dataDir });
      try {
        for (const stateMachineArn of arns) {
          expect((await again.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual(KEYED);
        }
      } finally {
        await again.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
