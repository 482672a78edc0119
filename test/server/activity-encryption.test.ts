import { ActivityAlreadyExists, CreateActivityCommand, DescribeActivityCommand } from '@aws-sdk/client-sfn';
import { serve } from './helpers';

// EncryptionConfiguration (Step Functions API Reference): kmsDataKeyReusePeriodSeconds is optional
// and no default is stated; ActivityAlreadyExists (the model): "Activity already exists.
// EncryptionConfiguration may not be updated". AWS's answer to a second CreateActivity that differs
// only in giving or leaving out the period is not recorded: serve answers as the first did, and advises.
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/k1';
const WITH_PERIOD = { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY, kmsDataKeyReusePeriodSeconds: 120 } as const;
const WITHOUT_PERIOD = { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: KEY } as const;

describe('serve: CreateActivity of a name there is, with the KMS data key reuse period given once', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it.each([
    ['given first, left out second', 'period-first', WITH_PERIOD, WITHOUT_PERIOD],
    ['left out first, given second', 'period-second', WITHOUT_PERIOD, WITH_PERIOD],
  ])('answers as the first create did, keeps its encryptionConfiguration and advises (%s)', async (_, name, first, second) => {
    const a = await env.sfn.send(new CreateActivityCommand({ name, encryptionConfiguration: first }));
    const before = env.logs.length;
    const b = await env.sfn.send(new CreateActivityCommand({ name, encryptionConfiguration: second }));
    expect(b.activityArn).toBe(a.activityArn);
    expect(b.creationDate).toEqual(a.creationDate);
    expect((await env.sfn.send(new DescribeActivityCommand({ activityArn: a.activityArn }))).encryptionConfiguration).toEqual(first);
    const advice = env.logs.slice(before).filter((line) => line.startsWith('advice: CreateActivity'));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toContain(`'${a.activityArn}'`);
    expect(advice[0]).toMatch(/kmsDataKeyReusePeriodSeconds.*AWS's answer is not recorded and may be ActivityAlreadyExists/);
  });

  it('answers ActivityAlreadyExists when both give a period and the periods differ, or the keys differ', async () => {
    await env.sfn.send(new CreateActivityCommand({ name: 'periods', encryptionConfiguration: WITH_PERIOD }));
    await expect(env.sfn.send(new CreateActivityCommand({ name: 'periods', encryptionConfiguration: { ...WITH_PERIOD, kmsDataKeyReusePeriodSeconds: 900 } })))
      .rejects.toBeInstanceOf(ActivityAlreadyExists);
    await expect(env.sfn.send(new CreateActivityCommand({ name: 'periods', encryptionConfiguration: { ...WITHOUT_PERIOD, kmsKeyId: `${KEY}2` } })))
      .rejects.toBeInstanceOf(ActivityAlreadyExists);
    await expect(env.sfn.send(new CreateActivityCommand({ name: 'periods' }))).rejects.toBeInstanceOf(ActivityAlreadyExists);
  });

  it('answers the same encryptionConfiguration again idempotently, without advice', async () => {
    const a = await env.sfn.send(new CreateActivityCommand({ name: 'same', encryptionConfiguration: WITH_PERIOD }));
    const before = env.logs.length;
    const b = await env.sfn.send(new CreateActivityCommand({ name: 'same', encryptionConfiguration: WITH_PERIOD }));
    expect(b.creationDate).toEqual(a.creationDate);
    expect(env.logs.slice(before).filter((line) => line.startsWith('advice:'))).toEqual([]);
  });
});
