import type { CarriedRoles, EncryptionKey, KeyPolicy, ResourceFacts } from './facts';
import { isPolicyStatement, type SourcedStatement } from './policy';
import type { ValueResolver } from './template-role';
import type { JsonObject, JsonValue } from '../asl';
import { AwsDefaults, awsArn } from '../asl/aws-defaults';

/** Options of {@link resourceFactsFromTemplate}. */
export interface TemplateFactsOptions {
  /** Logical id of the `AWS::StepFunctions::StateMachine` checked. */
  readonly stateMachine: string;
  readonly resolve: ValueResolver;
  /** ARN of the state machine's role, to find the key policy statements that name it. */
  readonly roleArn?: string;
}

/** A resource of the template, as its JSON holds it. */
interface Resource {
  readonly Type?: string;
  readonly Properties?: JsonObject;
}

/** What a value resolves to with no placeholder, or the reason it does not. */
type Resolved = { value: unknown } | { problem: string };

/**
 * Reads what a template tells about the resources a state machine's Tasks
 * reach: the customer managed KMS key of each SQS queue, SNS topic, DynamoDB
 * table, S3 bucket and activity, and of the state machine itself; the policy
 * of each key defined in the template; the roles of ECS task definitions and
 * EC2 instance profiles; the secret of each EventBridge connection. Values
 * are resolved strictly (no placeholder): one that does not resolve leaves the
 * key unknown, with why.
 *
 * @example
 * const facts = resourceFactsFromTemplate(template, { stateMachine: 'StateMachine2E01A3A5', resolve, roleArn });
 */
export function resourceFactsFromTemplate(template: { Resources?: Record<string, unknown> }, options: TemplateFactsOptions): ResourceFacts {
  const resources = (template.Resources ?? {}) as Record<string, Resource>;
  const strict = (value: unknown, location: string): Resolved => {
    try {
      return { value: options.resolve(value, location, { strictConditions: true, strict: true }) };
    } catch (e) {
      return { problem: (e as Error).message };
    }
  };
  const text = (value: unknown, location: string): string | undefined => {
    const r = strict(value, location);
    return 'value' in r && typeof r.value === 'string' ? r.value : undefined;
  };
  const pseudo = (name: string, fallback: string): string => text({ Ref: name }, name) ?? fallback;
  const partition = pseudo('AWS::Partition', AwsDefaults.PARTITION);
  const region = pseudo('AWS::Region', AwsDefaults.REGION);
  const account = pseudo('AWS::AccountId', AwsDefaults.ACCOUNT);
  const ids = Object.keys(resources).filter((id) => resources[id] !== null && typeof resources[id] === 'object');
  const ofType = (type: string): string[] => ids.filter((id) => resources[id].Type === type);
  const prop = (id: string, ...path: string[]): JsonValue | undefined => {
    let v: JsonValue | undefined = resources[id].Properties;
    for (const p of path) v = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, p) ? v[p] : undefined;
    return v;
  };

  const aliases = new Map<string, string>();
  for (const id of ofType('AWS::KMS::Alias')) {
    const name = text(prop(id, 'AliasName'), `Resources.${id}.Properties.AliasName`);
    const target = prop(id, 'TargetKeyId');
    if (name !== undefined && target !== undefined) aliases.set(name, id);
  }

  /** The key a `KmsMasterKeyId`-like property names; undefined for none or a key AWS manages. */
  const keyOf = (raw: unknown, location: string, source: string, seen = new Set<string>()): EncryptionKey | undefined => {
    if (raw === undefined) return undefined;
    const r = strict(raw, location);
    if ('problem' in r) return { source, unknown: `its key ${JSON.stringify(raw).slice(0, 120)} does not resolve (${r.problem})` };
    if (typeof r.value !== 'string' || r.value === '') return undefined;
    const v = r.value;
    const alias = /^(?:arn:[^:]+:kms:[^:]*:[^:]*:)?(alias\/.+)$/.exec(v)?.[1];
    if (alias !== undefined) {
      // A key AWS manages for the service needs no grant in the role: its key policy allows the account through the service.
      if (alias.startsWith('alias/aws/')) return undefined;
      const aliasId = aliases.get(alias);
      if (aliasId === undefined || seen.has(aliasId)) return { source, unknown: `its key is the alias ${alias}, which is not defined in this template` };
      seen.add(aliasId);
      return keyOf(prop(aliasId, 'TargetKeyId'), `Resources.${aliasId}.Properties.TargetKeyId`, source, seen);
    }
    if (v.startsWith('arn:')) return { source, keyArn: v };
    return { source, keyArn: awsArn(partition, 'kms', region, account, `key/${v}`) };
  };

  const keys = new Map<string, EncryptionKey>();
  const arnOf = (id: string): string | undefined => text({ 'Fn::GetAtt': [id, 'Arn'] }, `Resources.${id}`);
  const add = (resourceArn: string | undefined, key: EncryptionKey | undefined): void => {
    if (resourceArn !== undefined && key !== undefined) keys.set(resourceArn, key);
  };
  for (const id of ofType('AWS::SQS::Queue')) {
    add(arnOf(id), keyOf(prop(id, 'KmsMasterKeyId'), `Resources.${id}.Properties.KmsMasterKeyId`, `AWS::SQS::Queue ${id}`));
  }
  for (const id of ofType('AWS::SNS::Topic')) {
    add(arnOf(id), keyOf(prop(id, 'KmsMasterKeyId'), `Resources.${id}.Properties.KmsMasterKeyId`, `AWS::SNS::Topic ${id}`));
  }
  for (const id of ofType('AWS::DynamoDB::Table')) {
    if (prop(id, 'SSESpecification', 'SSEEnabled') === undefined) continue;
    const enabled = strict(prop(id, 'SSESpecification', 'SSEEnabled'), `Resources.${id}.Properties.SSESpecification.SSEEnabled`);
    if ('value' in enabled && (enabled.value === false || enabled.value === 'false')) continue;
    add(arnOf(id), keyOf(prop(id, 'SSESpecification', 'KMSMasterKeyId'), `Resources.${id}.Properties.SSESpecification.KMSMasterKeyId`, `AWS::DynamoDB::Table ${id}`));
  }
  for (const id of ofType('AWS::S3::Bucket')) {
    const rules = strict(prop(id, 'BucketEncryption', 'ServerSideEncryptionConfiguration'), `Resources.${id}.Properties.BucketEncryption`);
    const rule = 'value' in rules && Array.isArray(rules.value) ? rules.value[0] as Record<string, any> | undefined : undefined;
    const byDefault = rule?.ServerSideEncryptionByDefault as JsonObject | undefined;
    if (byDefault === undefined || typeof byDefault.SSEAlgorithm !== 'string' || !byDefault.SSEAlgorithm.startsWith('aws:kms')) continue;
    const name = text({ Ref: id }, `Resources.${id}`);
    const key = keyOf(byDefault.KMSMasterKeyID, `Resources.${id}.Properties.BucketEncryption`, `AWS::S3::Bucket ${id}`);
    if (name !== undefined && key !== undefined) keys.set(awsArn(partition, 's3', '', '', name), { ...key, bucketKey: rule?.BucketKeyEnabled === true || rule?.BucketKeyEnabled === 'true' });
  }
  for (const id of ofType('AWS::StepFunctions::Activity')) {
    add(text({ Ref: id }, `Resources.${id}`), customerKey(prop(id, 'EncryptionConfiguration'), `Resources.${id}.Properties.EncryptionConfiguration`, `AWS::StepFunctions::Activity ${id}`));
  }
  function customerKey(config: JsonValue | undefined, location: string, source: string): EncryptionKey | undefined {
    const c = strict(config, location);
    if ('problem' in c) return config === undefined ? undefined : { source, unknown: `its EncryptionConfiguration does not resolve (${c.problem})` };
    // The template resolved is JSON still.
    const value = c.value as JsonObject | undefined;
    if (value?.Type !== 'CUSTOMER_MANAGED_KMS_KEY') return undefined;
    // The key as the template writes it: a Ref or GetAtt names the key's resource.
    const written = config !== null && typeof config === 'object' && !Array.isArray(config) ? config.KmsKeyId : undefined;
    return keyOf(written, `${location}.KmsKeyId`, source);
  }
  const machine = resources[options.stateMachine];
  const stateMachineKey = machine === undefined ? undefined
    : customerKey(prop(options.stateMachine, 'EncryptionConfiguration'), `Resources.${options.stateMachine}.Properties.EncryptionConfiguration`, `AWS::StepFunctions::StateMachine ${options.stateMachine}`);

  const keyPolicies = new Map<string, KeyPolicy>();
  for (const id of ofType('AWS::KMS::Key')) {
    const keyArn = arnOf(id);
    if (keyArn === undefined) continue;
    keyPolicies.set(keyArn, keyPolicyOf(prop(id, 'KeyPolicy'), `AWS::KMS::Key ${id}`, `Resources.${id}.Properties.KeyPolicy`, strict, options.roleArn, partition, account));
  }

  const roleArnOf = (raw: unknown, location: string): string | undefined => {
    const v = text(raw, location);
    if (v === undefined) return undefined;
    return v.startsWith('arn:') ? v : awsArn(partition, 'iam', '', account, `role/${v}`);
  };
  const taskDefinitions = new Map<string, CarriedRoles>();
  for (const id of ofType('AWS::ECS::TaskDefinition')) {
    const roles = ['TaskRoleArn', 'ExecutionRoleArn']
      .map((p) => roleArnOf(prop(id, p), `Resources.${id}.Properties.${p}`))
      .filter((r): r is string => r !== undefined);
    const carried = { roles: [...new Set(roles)], source: `AWS::ECS::TaskDefinition ${id}` };
    const defArn = text({ Ref: id }, `Resources.${id}`);
    if (defArn === undefined) continue;
    taskDefinitions.set(defArn, carried);
    const family = /task-definition\/([^:]+)/.exec(defArn)?.[1];
    if (family !== undefined) taskDefinitions.set(family, carried);
  }
  const instanceProfiles = new Map<string, CarriedRoles>();
  for (const id of ofType('AWS::IAM::InstanceProfile')) {
    const raw = prop(id, 'Roles');
    const list = Array.isArray(raw) ? raw : [];
    const roles = list.map((r, i) => {
      // A Ref to a role of the template stands for its name; the role's ARN is what PassRole is checked on.
      const ref = (r as { Ref?: unknown } | null)?.Ref;
      if (typeof ref === 'string' && resources[ref]?.Type === 'AWS::IAM::Role') return arnOf(ref);
      return roleArnOf(r, `Resources.${id}.Properties.Roles[${i}]`);
    }).filter((r): r is string => r !== undefined);
    const carried = { roles, source: `AWS::IAM::InstanceProfile ${id}` };
    for (const name of [text({ Ref: id }, `Resources.${id}`), text(prop(id, 'InstanceProfileName'), `Resources.${id}.Properties.InstanceProfileName`), arnOf(id)]) {
      if (name !== undefined) instanceProfiles.set(name, carried);
    }
  }

  const connectionSecrets = new Map<string, string>();
  for (const id of ofType('AWS::Events::Connection')) {
    const connectionArn = arnOf(id);
    const secretArn = text({ 'Fn::GetAtt': [id, 'SecretArn'] }, `Resources.${id}`);
    if (connectionArn !== undefined && secretArn !== undefined) connectionSecrets.set(connectionArn, secretArn);
  }

  return { keys, keyPolicies, ...(stateMachineKey ? { stateMachineKey } : {}), taskDefinitions, instanceProfiles, connectionSecrets };
}

/**
 * A key policy split for a principal of the key's account: the statements
 * that apply to the role (it is named, or any principal is), and those that
 * allow the account itself, which is what lets IAM policies grant the key.
 * A key without KeyPolicy gets the default policy, which allows the account.
 */
function keyPolicyOf(raw: unknown, source: string, location: string, strict: (v: unknown, at: string) => Resolved,
  roleArn: string | undefined, partition: string, account: string): KeyPolicy {
  if (raw === undefined) {
    return { forRole: [], forAccount: [{ statement: { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, source: `the default key policy of ${source}`, resourceBased: true }] };
  }
  const r = strict(raw, location);
  if ('problem' in r) return { forRole: [], forAccount: [], unreadable: `the key policy of ${source} does not resolve (${r.problem})` };
  const doc = r.value as { Statement?: unknown; Version?: unknown } | undefined;
  const list = Array.isArray(doc?.Statement) ? doc!.Statement : doc?.Statement !== undefined ? [doc.Statement] : [];
  const policyVersion = typeof doc?.Version === 'string' ? doc.Version : '2008-10-17';
  const forRole: SourcedStatement[] = [];
  const forAccount: SourcedStatement[] = [];
  const unreadable: string[] = [];
  const root = new Set([account, awsArn(partition, 'iam', '', account, 'root')]);
  list.forEach((s: unknown, i: number) => {
    // A key policy resolved is JSON still.
    const st = s as JsonObject | null;
    if (st === null || typeof st !== 'object' || (st.Effect !== 'Allow' && st.Effect !== 'Deny')) {
      unreadable.push(`statement ${i}`);
      return;
    }
    if (st.NotPrincipal !== undefined) {
      unreadable.push(`statement ${i} (NotPrincipal)`);
      return;
    }
    const { Principal: principal, ...statement } = st;
    if (!isPolicyStatement(statement)) {
      unreadable.push(`statement ${i} (its actions or resources are not text)`);
      return;
    }
    const sourced = { statement, source: `key policy of ${source}`, policyVersion, resourceBased: true };
    const aws = principal === '*' ? ['*'] : principalList((principal as { AWS?: unknown } | undefined)?.AWS);
    if (aws.includes('*') || (roleArn !== undefined && aws.includes(roleArn))) forRole.push(sourced);
    // A Deny on the account applies to every principal of it; an Allow lets IAM policies grant it.
    if (aws.some((p) => root.has(p))) (st.Effect === 'Deny' ? forRole : forAccount).push(sourced);
  });
  return { forRole, forAccount, ...(unreadable.length ? { unreadable: `${unreadable.join(', ')} of the key policy of ${source} cannot be read` } : {}) };
}

function principalList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
