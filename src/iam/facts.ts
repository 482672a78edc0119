/**
 * What the template tells about the resources a state machine's Tasks reach,
 * beyond the definition itself: which KMS key encrypts a queue, topic, table,
 * bucket, activity or the state machine, what the key's policy allows, and
 * which roles an ECS task definition or an EC2 instance profile carries (the
 * roles a Task passes with `iam:PassRole`), and which secret holds an
 * EventBridge connection's credentials. Read by template-facts.ts; the
 * permission table consults it through the Task's context.
 */
import type { SourcedStatement } from './policy';

/** A customer managed KMS key that encrypts a resource. */
export interface EncryptionKey {
  /** The key's ARN; undefined when the template does not tell it (see {@link unknown}). */
  readonly keyArn?: string;
  /** Why the key's ARN is not known (an alias defined outside the template, a parameter without value). */
  readonly unknown?: string;
  /** The resource it encrypts, for messages: `AWS::SQS::Queue Jobs`. */
  readonly source: string;
  /** S3 only: with an S3 Bucket Key the encryption context is the bucket's ARN, not the object's. */
  readonly bucketKey?: boolean;
}

/**
 * The policy of a KMS key defined in the template, split as IAM evaluates a
 * key policy for a principal of the same account: statements that apply to
 * the role itself (it is named, or the principal is `*`), and the statements
 * that allow the account (`arn:aws:iam::<account>:root`), which let IAM
 * policies grant the use of the key.
 */
export interface KeyPolicy {
  readonly forRole: readonly SourcedStatement[];
  readonly forAccount: readonly SourcedStatement[];
  /** Set when part of the key policy cannot be read: a decision it could change is "cannot check". */
  readonly unreadable?: string;
}

/** The roles an ECS task definition or an EC2 instance profile carries. */
export interface CarriedRoles {
  /** Role ARNs. */
  readonly roles: readonly string[];
  /** Where they were read, for messages: `AWS::ECS::TaskDefinition TaskDef`. */
  readonly source: string;
}

/** Facts about the resources of the template a state machine lives in. */
export interface ResourceFacts {
  /** The key encrypting each resource that has a customer managed key, by the resource's ARN. */
  readonly keys: ReadonlyMap<string, EncryptionKey>;
  /** Policies of the KMS keys defined in the template, by key ARN. */
  readonly keyPolicies: ReadonlyMap<string, KeyPolicy>;
  /** The key of the state machine's own `EncryptionConfiguration`, when it is a customer managed key. */
  readonly stateMachineKey?: EncryptionKey;
  /** Task and execution roles of each ECS task definition, by ARN and by family (`family` and `family:*`). */
  readonly taskDefinitions: ReadonlyMap<string, CarriedRoles>;
  /** Roles of each EC2 instance profile, by name and by ARN. */
  readonly instanceProfiles: ReadonlyMap<string, CarriedRoles>;
  /**
   * The Secrets Manager secret EventBridge keeps each connection's credentials in, by the connection's ARN: what
   * an HTTP Task reads with `secretsmanager:GetSecretValue`.
   * @default - none known
   */
  readonly connectionSecrets?: ReadonlyMap<string, string>;
}

/** No facts: a definition checked without a template. */
export const NO_FACTS: ResourceFacts = {
  keys: new Map(),
  keyPolicies: new Map(),
  taskDefinitions: new Map(),
  instanceProfiles: new Map(),
};
