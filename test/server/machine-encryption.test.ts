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
const UNPERIODED: { type: 'CUSTOMER_MANAGED_KMS_KEY'; kmsKeyId: string; kmsDataKeyReusePeriodSeconds?: number } = { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEYED.kmsKeyId };

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

  // CreateStateMachine's idempotency check includes the EncryptionConfiguration (API Reference);
  // the reuse period has no stated default (EncryptionConfiguration: "Required: No") and AWS's
  // answer to a pair that gives it once is not recorded: serve answers as the first did, and advises.
  it.each([
    ['given first, left out second', 'period-first', KEYED, UNPERIODED],
    ['left out first, given second', 'period-second', UNPERIODED, KEYED],
  ])('answers a second CreateStateMachine that gives the KMS reuse period once as the first did, and advises (%s)', async (_, name, first, second) => {
    const a = await env.sfn.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE, encryptionConfiguration: first }));
    const before = env.logs.length;
    const b = await env.sfn.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE, encryptionConfiguration: second }));
    expect(b.stateMachineArn).toBe(a.stateMachineArn);
    expect(b.creationDate).toEqual(a.creationDate);
    expect((await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: a.stateMachineArn }))).encryptionConfiguration).toEqual(first);
    const advice = env.logs.slice(before).filter((line) => line.startsWith('advice: CreateStateMachine'));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toContain(`'${a.stateMachineArn}'`);
    expect(advice[0]).toMatch(/kmsDataKeyReusePeriodSeconds.*AWS's answer is not recorded and may be StateMachineAlreadyExists/);
  });

  it('answers StateMachineAlreadyExists when both give a KMS reuse period and they differ, or one leaves out the configuration', async () => {
    await env.sfn.send(new CreateStateMachineCommand({ name: 'periods', definition: PASS, roleArn: ROLE, encryptionConfiguration: KEYED }));
    const again = (encryptionConfiguration?: typeof UNPERIODED): Promise<unknown> =>
      env.sfn.send(new CreateStateMachineCommand({ name: 'periods', definition: PASS, roleArn: ROLE, encryptionConfiguration }));
    await expect(again({ ...KEYED, kmsDataKeyReusePeriodSeconds: 900 })).rejects.toBeInstanceOf(StateMachineAlreadyExists);
    await expect(again({ ...UNPERIODED, kmsKeyId: `${UNPERIODED.kmsKeyId}2` })).rejects.toBeInstanceOf(StateMachineAlreadyExists);
    await expect(again()).rejects.toBeInstanceOf(StateMachineAlreadyExists);
  });

  it('answers the same encryptionConfiguration with another roleArn idempotently, without advice', async () => {
    const a = await env.sfn.send(new CreateStateMachineCommand({ name: 'same-keys', definition: PASS, roleArn: ROLE, encryptionConfiguration: KEYED }));
    const before = env.logs.length;
    const b = await env.sfn.send(new CreateStateMachineCommand({ name: 'same-keys', definition: PASS, roleArn: `${ROLE}-other`, encryptionConfiguration: KEYED }));
    expect(b.creationDate).toEqual(a.creationDate);
    expect(env.logs.slice(before).filter((line) => line.startsWith('advice:'))).toEqual([]);
  });

  // EncryptionConfiguration (API Reference): kmsDataKeyReusePeriodSeconds "only applies to customer
  // managed keys"; AWS's answer to an AWS_OWNED_KEY that gives a key or a period is not recorded.
  it.each([
    ['CreateStateMachine', 'a kmsKeyId, which applies', { type: 'AWS_OWNED_KEY', kmsKeyId: KEYED.kmsKeyId }],
    ['UpdateStateMachine', 'kmsDataKeyReusePeriodSeconds, which applies', { type: 'AWS_OWNED_KEY', kmsDataKeyReusePeriodSeconds: 120 }],
    ['CreateStateMachine', 'a kmsKeyId and kmsDataKeyReusePeriodSeconds, which apply', { type: 'AWS_OWNED_KEY', kmsKeyId: KEYED.kmsKeyId, kmsDataKeyReusePeriodSeconds: 120 }],
  ] as const)('%s keeps an AWS_OWNED_KEY configuration that gives %s, as given, and advises naming each', async (operation, what, encryptionConfiguration) => {
    const name = `owned-${operation}-${Object.keys(encryptionConfiguration).length}`;
    const before = env.logs.length;
    const { stateMachineArn } = operation === 'CreateStateMachine'
      ? await env.sfn.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE, encryptionConfiguration }))
      : await env.sfn.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE }));
    if (operation === 'UpdateStateMachine') await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, encryptionConfiguration }));
    expect((await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).encryptionConfiguration).toEqual(encryptionConfiguration);
    const advice = env.logs.slice(before).filter((line) => line.startsWith(`advice: ${operation}: encryptionConfiguration`));
    expect(advice).toEqual([expect.stringContaining(`AWS_OWNED_KEY gives ${what} to customer managed keys only`)]);
    expect(advice[0]).toMatch(/AWS's answer is not recorded and may be InvalidEncryptionConfiguration/);
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

// LoggingConfiguration (API Reference): a level other than OFF logs to one CloudWatch Logs group;
// AWS's answer to a destination that names none is not recorded.
describe('serve: a state machine\'s loggingConfiguration with no log group', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it('advises on a loggingConfiguration at level ALL whose destination names no log group, and takes it', async () => {
    const before = env.logs.length;
    await env.sfn.send(new CreateStateMachineCommand({ name: 'unlogged', definition: PASS, roleArn: ROLE, loggingConfiguration: { level: 'ALL', destinations: [{}] } }));
    const advice = env.logs.slice(before).filter((line) => line.startsWith('advice: CreateStateMachine: loggingConfiguration'));
    expect(advice).toEqual([expect.stringMatching(/level ALL to a destination with no cloudWatchLogsLogGroup\.logGroupArn; .*may be InvalidLoggingConfiguration/)]);
  });
});
