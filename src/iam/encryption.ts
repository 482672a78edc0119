/**
 * The KMS permissions a call needs when what it reaches is encrypted with a
 * customer managed key: a producer of an SQS queue or SNS topic needs
 * `kms:GenerateDataKey` and `kms:Decrypt`, a reader or writer of a DynamoDB
 * table `kms:Decrypt`, an S3 reader `kms:Decrypt` and a writer
 * `kms:GenerateDataKey` (and `kms:Decrypt` for a multipart upload), and a
 * state machine or activity with its own `EncryptionConfiguration` both, for
 * its execution data. A key AWS manages (`alias/aws/sqs`) needs no grant in
 * the role. The request carries the encryption context AWS sends, so a
 * statement conditioned on it (as the CDK writes them) is evaluated.
 */
import { bucketOfArn } from './arns';
import type { Requirement, TaskScope } from './integrations';
import { awsArn } from '../asl/aws-defaults';

/** What the key encrypts; decides the encryption context and `kms:ViaService`. */
export type EncryptedKind = 'sqs' | 'sns' | 'dynamodb' | 's3' | 'activity' | 'stateMachine';

/** `encrypt`: kms:GenerateDataKey and kms:Decrypt (a producer, an S3 writer using multipart upload); `decrypt`: kms:Decrypt. */
export type KeyUse = 'encrypt' | 'decrypt';

const VIA: Record<EncryptedKind, string> = { sqs: 'sqs', sns: 'sns', dynamodb: 'dynamodb', s3: 's3', activity: 'states', stateMachine: 'states' };

/**
 * The KMS requirements for reaching `target` (a queue, topic, table, S3 object
 * or bucket, activity or state machine ARN), from what the template tells
 * about its key; none when it has no customer managed key or is only known at
 * run time.
 */
export function kmsFor(ctx: TaskScope, kind: EncryptedKind, target: string | undefined, use: KeyUse): Requirement[] {
  if (target === undefined) return [];
  const lookup = kind === 's3' ? awsArn(ctx.partition, 's3', '', '', bucketOfArn(target) ?? '') : target;
  const key = kind === 'stateMachine' ? ctx.facts.stateMachineKey : ctx.facts.keys.get(lookup);
  if (key === undefined) return [];
  const actions = use === 'encrypt' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'];
  const why = `to ${use === 'encrypt' ? 'encrypt and decrypt' : 'decrypt'} with the customer managed KMS key of ${key.source}`;
  if (key.keyArn === undefined) {
    return actions.map((action) => ({ action, why, unresolved: key.unknown ?? 'the key is not known before deploy' }));
  }
  const policy = ctx.facts.keyPolicies.get(key.keyArn);
  const context: Record<string, string> = {
    'kms:ViaService': `${VIA[kind]}.${ctx.region}.amazonaws.com`,
    'kms:CallerAccount': ctx.account,
    ...encryptionContext(ctx, kind, target, lookup, key.bucketKey === true),
  };
  return actions.map((action) => ({ action, resource: key.keyArn, why, context, kmsKey: { keyArn: key.keyArn!, ...(policy ? { policy } : {}) } }));
}

/** The encryption context each service sends to KMS, as `kms:EncryptionContext:<key>` condition keys. */
function encryptionContext(ctx: TaskScope, kind: EncryptedKind, target: string, bucket: string, bucketKey: boolean): Record<string, string> {
  const k = (name: string, value: string): Record<string, string> => ({ [`kms:EncryptionContext:${name}`]: value });
  switch (kind) {
    case 'sqs': return k('aws:sqs:arn', target);
    case 'sns': return k('aws:sns:topicArn', target);
    case 'dynamodb': {
      const table = /:table\/([^/]+)/.exec(target)?.[1];
      return { ...(table ? k('aws:dynamodb:tableName', table) : {}), ...k('aws:dynamodb:subscriberId', ctx.account) };
    }
    // With an S3 Bucket Key the context is the bucket; otherwise the object, when its key is known.
    case 's3': return bucketKey ? k('aws:s3:arn', bucket) : target.includes('*') ? {} : k('aws:s3:arn', target);
    case 'activity': return k('aws:states:activityArn', target);
    case 'stateMachine': return k('aws:states:stateMachineArn', target);
  }
}
