/**
 * Which IAM actions, on which resources, the state machine's role needs for
 * each Task: the optimized integrations (optimized.ts), the AWS SDK
 * integrations (sdk.ts), Lambda functions and activities given by ARN, and
 * the Distributed Map with its reader and writer ("IAM policies for using
 * Distributed Map states"). With the facts a template tells (facts.ts), it
 * adds the KMS permissions of encrypted targets and resolves the roles a Task
 * passes.
 */
import { argsOf, arn, s3Bucket, s3Object, s3ObjectPrefix, text, runTimeSource } from './arns';
import { kmsFor } from './encryption';
import { NO_FACTS, type KeyPolicy, type ResourceFacts } from './facts';
import { OPTIMIZED, type OptimizedIntegration } from './optimized';
import { sdkPermissions } from './sdk';
import type { MapState, TaskState } from '../asl';
import { awsArn, defaultArn, AwsDefaults } from '../asl/aws-defaults';
import { taskResource } from '../asl/task-resource';

export { lambdaFunctionArn, queueArn } from './arns';

const DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg/';

/** One permission a Task (or a Map's reader/writer, or the state machine itself) needs. */
export interface Requirement {
  /** `service:Action`. */
  readonly action: string;
  /**
   * The resource ARN; `*` for an action that has no resource-level permission;
   * undefined when it is not known before run time (see {@link unresolved}).
   */
  readonly resource?: string;
  /**
   * When `resource` is not known before run time, what it starts with where
   * that is known: `arn:aws:s3:::input/` for an object of a fixed bucket whose
   * key is an expression (see {@link AccessRequest.resourcePrefix}).
   */
  readonly resourcePrefix?: string;
  /** Why it is needed, for messages. */
  readonly why: string;
  /**
   * Why `resource` is undefined: the argument that names it is only known at
   * run time (`JobQueue comes from $.jobQueueArn at run time`), or what it
   * names is not defined in the template.
   */
  readonly unresolved?: string;
  /**
   * Needed only for part of the integration's life (redriving a Map Run),
   * or listed by the docs where deployed stacks show it is not enforced:
   * reported as a warning when missing, not an error.
   * @default false
   */
  readonly optional?: boolean;
  /** Values of condition keys the request carries, when known (`states:HTTPMethod`, `iam:PassedToService`). */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * Compare the resource without regard to case (SageMaker: its ARNs hold
   * names in lower case, while Step Functions' own policy templates and the
   * CDK write them as the request gives them).
   * @default false
   */
  readonly resourceIgnoreCase?: boolean;
  /**
   * Set for the use of a KMS key: whether the key's own policy allows it (the
   * key policy is a resource-based policy IAM evaluates with the role's).
   * `policy` is undefined when the key is not defined in the template.
   */
  readonly kmsKey?: { readonly keyArn: string; readonly policy?: KeyPolicy };
}

/** What the table answers for one Task resource. */
export interface IntegrationPermissions {
  /** The row that matched, e.g. `lambda:invoke` or `aws-sdk:s3:getObject`. */
  readonly integration: string;
  /** Page of the Step Functions Developer Guide the row comes from. */
  readonly doc: string;
  readonly requirements: readonly Requirement[];
  /** Set when the integration is not in the table: nothing is checked, and this says why. */
  readonly unknown?: string;
  /** Set when something other than IAM authorizes the call (the Kubernetes API of `eks:call`): said as "cannot check". */
  readonly authorizedElsewhere?: string;
  /** The CDK call that grants these permissions, when there is one. */
  readonly grant?: string;
  /** Prefix of the AccessDenied error name AWS reports for this integration (`Lambda`, `DynamoDB`). */
  readonly errorService: string;
}

/** Where a Task runs: the values an ARN needs, and what the template tells about the resources it reaches. */
export interface TaskContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** ARN of the state machine the Task belongs to. */
  readonly stateMachineArn: string;
  /**
   * What the template tells: keys of encrypted targets, roles of task definitions.
   * @default - none: a definition checked without its template
   */
  readonly facts?: ResourceFacts;
}

/** A {@link TaskContext} with its facts, as the rows of the tables read it (not exported from the package: the declarations of its internal tables name it). */
export interface TaskScope extends TaskContext {
  readonly facts: ResourceFacts;
}

/** The three integration patterns a Resource may end with. */
export type IntegrationPattern = 'request' | 'sync' | 'waitForTaskToken';

/** A context for a definition checked with no template: no facts. */
export function taskContext(stateMachineArn: string, facts: ResourceFacts = NO_FACTS): TaskScope {
  const [, partition = AwsDefaults.PARTITION, , region = AwsDefaults.REGION, account = AwsDefaults.ACCOUNT] = stateMachineArn.split(':');
  return { partition, region, account, stateMachineArn, facts };
}

/**
 * The permissions a Task state needs, from its `Resource` and its static
 * `Parameters`/`Arguments`.
 *
 * @example
 * permissionsForTask({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: url } }, ctx)
 * // → { integration: 'sqs:sendMessage', requirements: [{ action: 'sqs:SendMessage', resource: 'arn:aws:sqs:...' }] }
 */
export function permissionsForTask(state: TaskState, context: TaskContext): IntegrationPermissions {
  const ctx: TaskScope = { ...context, facts: context.facts ?? NO_FACTS };
  const resource = state.Resource;
  const args = argsOf(state);
  if (typeof resource !== 'string' || resource.startsWith('{%')) {
    return { integration: 'dynamic', doc: DOCS, errorService: 'States', requirements: [], unknown: 'the Resource is only known at run time, so the integration it calls is not known' };
  }
  const parsed = taskResource(resource);
  if (parsed.kind === 'lambda-arn') {
    const lambda = OPTIMIZED.get('lambda:invoke')!;
    return { integration: 'lambda (function ARN)', doc: lambda.doc, errorService: 'Lambda', grant: lambda.grant, requirements: [{ action: 'lambda:InvokeFunction', resource, why: 'to invoke the function' }] };
  }
  if (parsed.kind === 'activity') {
    // The worker, not the state machine's role, calls GetActivityTask and SendTask*; the role only encrypts the input it hands over.
    return { integration: 'activity', doc: `${DOCS}concepts-activities.html`, errorService: 'States', requirements: kmsFor(ctx, 'activity', resource, 'encrypt') };
  }
  if (parsed.kind !== 'optimized' && parsed.kind !== 'aws-sdk') {
    return { integration: resource, doc: DOCS, errorService: 'States', requirements: [], unknown: `'${resource}' is not an integration Step Functions offers` };
  }
  if (parsed.kind === 'aws-sdk') return sdkPermissions(parsed.service!, parsed.action!, args, ctx);
  const key = `${parsed.service!}:${parsed.action!}`;
  const row = OPTIMIZED.get(key);
  if (!row) {
    return { integration: key, doc: DOCS, errorService: 'States', requirements: [], unknown: `the optimized integration '${key}' is not in stepwright's permission table, so its permissions are not checked` };
  }
  return {
    integration: key,
    doc: row.doc,
    errorService: row.errorService,
    ...(row.grant ? { grant: row.grant } : {}),
    ...(row.authorizedElsewhere ? { authorizedElsewhere: row.authorizedElsewhere } : {}),
    // `.sync:2` follows the job as `.sync` does, with the same permissions.
    requirements: row.needs(args, ctx, parsed.pattern === 'sync:2' ? 'sync' : parsed.pattern),
  };
}

/** The permissions a Distributed Map needs: starting child executions of its own machine, its reader and writer. */
export function permissionsForDistributedMap(state: MapState, context: TaskContext): IntegrationPermissions {
  const ctx: TaskScope = { ...context, facts: context.facts ?? NO_FACTS };
  const name = /:stateMachine:([^:]+)/.exec(ctx.stateMachineArn)?.[1] ?? '*';
  const requirements: Requirement[] = [
    { action: 'states:StartExecution', resource: ctx.stateMachineArn, why: 'to start the child workflow executions of the Distributed Map' },
    // The guide's example policy also lists states:DescribeExecution and
    // states:StopExecution on the child executions. Deployed CDK stacks that
    // run Distributed Maps grant them on ARNs no child execution has
    // (`stateMachine:Name:*`), so AWS does not enforce them; they are not checked.
    { action: 'states:RedriveExecution', resource: arn(ctx, 'states', `execution:${name}/*:*`), why: 'to redrive the Map Run', optional: true },
  ];
  const reader = state.ItemReader;
  if (reader && typeof reader.Resource === 'string') {
    const args = argsOf(reader);
    const bucket = text(args, 'Bucket');
    const unresolved = runTimeSource(args, 'Bucket');
    if (/:s3:listObjectsV2$/.test(reader.Resource)) {
      requirements.push({ action: 's3:ListBucket', ...(bucket !== undefined ? { resource: s3Bucket(ctx, bucket) } : { unresolved }), why: 'for the ItemReader to list the objects' });
    } else if (/:s3:getObject$/.test(reader.Resource)) {
      const key = text(args, 'Key');
      const object = key === undefined ? undefined : s3Object(ctx, bucket, key);
      requirements.push({
        action: 's3:GetObject',
        ...(object !== undefined ? { resource: object } : { unresolved: unresolved ?? runTimeSource(args, 'Key'), ...s3ObjectPrefix(ctx, bucket) }),
        why: 'for the ItemReader to read the items',
      });
      requirements.push(...kmsFor(ctx, 's3', object, 'decrypt'));
    }
  }
  const writer = state.ResultWriter;
  if (writer && typeof writer.Resource === 'string' && /:s3:putObject$/.test(writer.Resource)) {
    const args = argsOf(writer);
    const bucket = text(args, 'Bucket');
    const prefix = text(args, 'Prefix') ?? '';
    const resource = bucket === undefined ? undefined : awsArn(ctx.partition, 's3', '', '', `${bucket}/${prefix ? `${prefix.replace(/\/$/, '')}/` : ''}*`);
    for (const action of ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload']) {
      requirements.push({ action, ...(resource !== undefined ? { resource } : { unresolved: runTimeSource(args, 'Bucket') }), why: 'for the ResultWriter to write the results' });
    }
    // The results are written in multipart uploads: GenerateDataKey, and Decrypt to add the parts.
    requirements.push(...kmsFor(ctx, 's3', resource, 'encrypt'));
  }
  return { integration: 'distributed map', doc: `${DOCS}iam-policies-eg-dist-map.html`, errorService: 'States', requirements };
}

/**
 * What the state machine itself needs of its role, whatever its states: with
 * a customer managed key in its `EncryptionConfiguration`, `kms:Decrypt` and
 * `kms:GenerateDataKey` on the key, to encrypt and read its execution data.
 */
export function permissionsForStateMachine(context: TaskContext): Requirement[] {
  const ctx: TaskScope = { ...context, facts: context.facts ?? NO_FACTS };
  return kmsFor(ctx, 'stateMachine', ctx.stateMachineArn, 'encrypt')
    .map((r) => ({ ...r, why: r.why.replace(/^to encrypt and decrypt with/, 'to encrypt and decrypt its execution data with') }));
}

/** One covered integration, for the generated list in docs/iam.md. */
export interface CoveredIntegration {
  readonly integration: string;
  readonly doc: string;
  /** Actions per pattern, with resources as stepwright names them for sample arguments. */
  readonly actions: Readonly<Record<IntegrationPattern, readonly string[]>>;
  readonly authorizedElsewhere?: string;
}

/**
 * Arguments in which every field is a JSONPath taken at run time
 * (`"RoleArn.$": "$.x"`): what the rows make of them lists every action an
 * integration may need, a role it may pass included.
 */
const RUN_TIME_ARGS = new Proxy({}, {
  getOwnPropertyDescriptor: (_t, key) => (typeof key === 'string' && key.endsWith('.$') ? { value: '$.x', configurable: true, enumerable: true, writable: false } : undefined),
  get: (_t, key) => (typeof key === 'string' && key.endsWith('.$') ? '$.x' : undefined),
}) as Readonly<Record<string, string>>;

/** Every optimized integration in the table, with its actions per pattern (from the same rows the check uses). */
export function coveredIntegrations(): CoveredIntegration[] {
  const ctx = taskContext(defaultArn('states', 'stateMachine:Machine'));
  return [...OPTIMIZED.values()].map((row: OptimizedIntegration) => {
    const of = (pattern: IntegrationPattern): string[] => [...new Set(row.needs(RUN_TIME_ARGS, ctx, pattern).map((r) => `${r.action}${r.optional ? ' (optional)' : ''}`))];
    return {
      integration: `${row.service}:${row.api}`,
      doc: row.doc,
      actions: { request: of('request'), sync: of('sync'), waitForTaskToken: of('waitForTaskToken') },
      ...(row.authorizedElsewhere ? { authorizedElsewhere: row.authorizedElsewhere } : {}),
    };
  });
}
