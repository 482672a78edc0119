import { expandLanguageExtensions } from './language-extensions';
import type { CfnResource, CfnTemplate, ResolveOptions } from './resolver';
import { awsArn } from '../asl/aws-defaults';
import { MAX_JSON_DEPTH, setField } from '../asl/json-value';
// A name from the template (a policy template's, a resource's, a permission's) may be
// `constructor` or `hasOwnProperty`: a table answers only for the names it holds.
import { ownValue } from '../asl/own';

/**
 * AWS SAM templates (`Transform: AWS::Serverless-2016-10-31`, what `sam init` writes) read as
 * the CloudFormation the transform deploys, for the resources a state machine meets: an
 * `AWS::Serverless::StateMachine` becomes an `AWS::StepFunctions::StateMachine` with the role SAM
 * makes from its `Policies`, an `AWS::Serverless::Function` an `AWS::Lambda::Function` (its
 * `InlineCode` the function's `Code.ZipFile`), an
 * `AWS::Serverless::SimpleTable` an `AWS::DynamoDB::Table`. Sources: the SAM specification's
 * pages for each resource (docs.aws.amazon.com/serverless-application-model/latest/developerguide/
 * sam-resource-statemachine.html, sam-resource-function.html, sam-resource-simpletable.html) and
 * the policy templates SAM expands (sam-policy-template-list.html; their statements are SAM's
 * `policy_templates.json`). A state machine's `DefinitionUri` that names a local file is kept as
 * `DefinitionUri`, for the loader to read (this layer reads no file). A state machine's or a
 * function's `AutoPublishAlias` (a function's from the `Globals` section too) becomes the version and
 * the alias SAM publishes. What a state machine's
 * `Events` make (schedules, rules, APIs that start it) is left out: nothing here starts a run.
 * The `AWS::LanguageExtensions` transform's `Fn::ForEach` loops are expanded first, as a SAM template
 * names that transform before SAM's (`options` resolves their collections: a `Ref` to a parameter).
 * @internal
 */
export function expandServerless(given: CfnTemplate, options: ResolveOptions = {}): CfnTemplate {
  const template = expandLanguageExtensions(given, options);
  const resources = template.Resources;
  if (resources === undefined || resources === null || typeof resources !== 'object') return template;
  if (!Object.values(resources).some((r) => typeof r?.Type === 'string' && r.Type.startsWith(SERVERLESS))) return template;
  let expanded = expansions.get(template);
  if (expanded === undefined) {
    expanded = expand(template, resources);
    expansions.set(template, expanded);
  }
  return expanded;
}

/** A resource's `Properties`. */
type Properties = NonNullable<CfnResource['Properties']>;

/** The prefix of SAM's resource types. */
const SERVERLESS = 'AWS::Serverless::';

/** One expansion per template object, so that every reader of a template meets the same resources. */
const expansions = new WeakMap<object, CfnTemplate>();

function expand(template: CfnTemplate, resources: Record<string, CfnResource>): CfnTemplate {
  const out: Record<string, CfnResource> = {};
  const published = new Map<string, string>();
  const functionGlobals = globalsOf(template, 'Function');
  for (const [logicalId, resource] of Object.entries(resources)) {
    switch (resource?.Type) {
      case 'AWS::Serverless::StateMachine':
        Object.assign(out, stateMachine(logicalId, resource, resources));
        break;
      case 'AWS::Serverless::Function': {
        out[logicalId] = { ...resource, Type: 'AWS::Lambda::Function', Properties: lambdaFunction(resource.Properties, functionGlobals) };
        // A function's own value wins over the Globals section's (sam-specification-template-anatomy-globals.html).
        const alias = resource.Properties?.AutoPublishAlias ?? functionGlobals?.AutoPublishAlias;
        if (typeof alias === 'string') {
          Object.assign(out, publishedAlias(logicalId, alias));
          published.set(logicalId, alias);
        }
        break;
      }
      case 'AWS::Serverless::SimpleTable':
        out[logicalId] = { ...resource, Type: 'AWS::DynamoDB::Table', Properties: pick(resource.Properties, ['TableName']) };
        break;
      default:
        out[logicalId] = resource;
    }
  }
  const expanded = { ...template, Resources: out };
  return published.size ? withAliasReferences(expanded, published) as CfnTemplate : expanded;
}

/**
 * The properties the template's `Globals` section gives every SAM resource of one kind (`Function`,
 * `StateMachine`, …), or undefined without them.
 */
function globalsOf(template: CfnTemplate, kind: string): Properties | undefined {
  const globals = (template as { Globals?: unknown }).Globals;
  if (globals === null || typeof globals !== 'object' || Array.isArray(globals)) return undefined;
  const section = ownValue(globals as Record<string, unknown>, kind);
  return section !== null && typeof section === 'object' && !Array.isArray(section) ? section as Properties : undefined;
}

/**
 * A function's `AutoPublishAlias`: the version SAM publishes (`<LogicalId>Version`, named here
 * without the hash of the code SAM adds) and the alias on it (`<LogicalId>Alias<Name>`).
 */
function publishedAlias(logicalId: string, alias: string): Record<string, CfnResource> {
  const version = `${logicalId}Version`;
  return {
    [version]: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: logicalId } } },
    [`${logicalId}Alias${alias}`]: {
      Type: 'AWS::Lambda::Alias',
      Properties: { FunctionName: { Ref: logicalId }, FunctionVersion: { 'Fn::GetAtt': [version, 'Version'] }, Name: alias },
    },
  };
}

/** `!Ref Fn.Alias` and `!Ref Fn.Version` (and `${Fn.Alias}` in `Fn::Sub`), SAM's names of what it publishes, as the resources it makes. */
function withAliasReferences(value: unknown, published: ReadonlyMap<string, string>, depth = 0): unknown {
  const target = (name: string): string | undefined => {
    const m = /^(.+)\.(Alias|Version)$/.exec(name);
    const alias = m ? published.get(m[1]) : undefined;
    if (!m || alias === undefined) return undefined;
    return m[2] === 'Alias' ? `${m[1]}Alias${alias}` : `${m[1]}Version`;
  };
  if (value === null || typeof value !== 'object') return value;
  // Deeper than JSON Step Functions reads: left as it is, for the resolver to refuse by name rather than overflow the stack here.
  if (depth >= MAX_JSON_DEPTH) return value;
  const inner = (v: unknown): unknown => withAliasReferences(v, published, depth + 1);
  if (Array.isArray(value)) return value.map(inner);
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === 'Ref' && typeof entries[0][1] === 'string') {
    const to = target(entries[0][1]);
    if (to !== undefined) return { Ref: to };
  }
  const out: Properties = {};
  for (const [key, v] of entries) {
    if (key === 'Fn::Sub') {
      const rewrite = (text: unknown): unknown => (typeof text === 'string' ? text.replace(/\$\{([^}!]+\.(?:Alias|Version))\}/g, (whole, name: string) => {
        const to = target(name);
        return to === undefined ? whole : `\${${to}}`;
      }) : inner(text));
      out[key] = Array.isArray(v) ? [rewrite(v[0]), ...v.slice(1).map(inner)] : rewrite(v);
    } else {
      setField(out, key, inner(v));
    }
  }
  return out;
}

/**
 * The `AWS::Lambda::Function` properties a state machine's run reads of a SAM function: its name,
 * and the code written in the template. SAM passes `InlineCode` "directly to the ZipFile property
 * of the Code property of an AWS::Lambda::Function resource" (sam-resource-function.html#sam-function-inlinecode);
 * `Handler` and `Runtime` pass through, a function's own value winning over the `Globals` section's.
 */
function lambdaFunction(props: Properties | undefined, globals: Properties | undefined): Properties {
  const out = pick(props, ['FunctionName']);
  const code = props?.InlineCode;
  if (code === undefined) return out;
  out.Code = { ZipFile: code };
  for (const name of ['Handler', 'Runtime']) {
    const value = props?.[name] ?? globals?.[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function pick(props: Properties | undefined, names: readonly string[]): Properties {
  const out: Properties = {};
  for (const name of names) if (props?.[name] !== undefined) out[name] = props[name];
  return out;
}

/**
 * The state machine and, without `Role`, the role SAM makes for it: `<LogicalId>Role`, assumed
 * by states.amazonaws.com, with one inline policy per policy template or statement document of
 * `Policies` (`<LogicalId>RolePolicy<n>`) and the managed policies it names.
 */
function stateMachine(logicalId: string, resource: CfnResource, resources: Record<string, CfnResource>): Record<string, CfnResource> {
  const props = resource.Properties ?? {};
  const machine: Properties = {};
  const rename: Record<string, string> = {
    Definition: 'Definition',
    DefinitionUri: 'DefinitionUri',
    DefinitionSubstitutions: 'DefinitionSubstitutions',
    Name: 'StateMachineName',
    Type: 'StateMachineType',
    Role: 'RoleArn',
    Logging: 'LoggingConfiguration',
    Tracing: 'TracingConfiguration',
  };
  for (const [from, to] of Object.entries(rename)) if (props[from] !== undefined) machine[to] = props[from];
  const out: Record<string, CfnResource> = {};
  const roleId = `${logicalId}Role`;
  if (props.Role === undefined && resources[roleId] === undefined) {
    machine.RoleArn = { 'Fn::GetAtt': [roleId, 'Arn'] };
    const role = roleProperties(logicalId, props.Policies);
    const connected = connectorStatements(logicalId, props.Connectors, resources);
    if (connected.statements.length) {
      role.Policies = [...(role.Policies as unknown[] | undefined ?? []),
        { PolicyName: `${logicalId}ConnectorPolicy`, PolicyDocument: { Version: '2012-10-17', Statement: connected.statements } }];
    }
    if (connected.opaque.length) role.ManagedPolicyArns = [...(role.ManagedPolicyArns as unknown[] | undefined ?? []), ...connected.opaque];
    out[roleId] = { Type: 'AWS::IAM::Role', Properties: role };
  }
  out[logicalId] = { ...resource, Type: 'AWS::StepFunctions::StateMachine', Properties: machine };
  if (typeof props.AutoPublishAlias === 'string') Object.assign(out, publishedMachineAlias(logicalId, props.AutoPublishAlias, props.DeploymentPreference));
  return out;
}

/**
 * A state machine's `AutoPublishAlias`, as SAM's `StateMachineGenerator` deploys it: the version it
 * publishes of the revision deployed (`<LogicalId>Version`, no hash: a state machine has one
 * version resource at a time) and the alias on it (`<LogicalId>Alias<Name>`), whose
 * `DeploymentPreference` is the template's (its `Type`, `Percentage`, `Interval`, `Alarms`) or
 * `ALL_AT_ONCE`, with the new version as its target (sam-resource-statemachine.html,
 * AutoPublishAlias and DeploymentPreference).
 */
function publishedMachineAlias(logicalId: string, alias: string, preference: unknown): Record<string, CfnResource> {
  const version = `${logicalId}Version`;
  const given = preference !== null && typeof preference === 'object' && !Array.isArray(preference) ? preference as Properties : { Type: 'ALL_AT_ONCE' };
  return {
    [version]: {
      Type: 'AWS::StepFunctions::StateMachineVersion',
      Properties: { StateMachineArn: { Ref: logicalId }, StateMachineRevisionId: { 'Fn::GetAtt': [logicalId, 'StateMachineRevisionId'] } },
    },
    [`${logicalId}Alias${alias}`]: {
      Type: 'AWS::StepFunctions::StateMachineAlias',
      Properties: { Name: alias, DeploymentPreference: { ...given, StateMachineVersionArn: { Ref: version } } },
    },
  };
}

function roleProperties(logicalId: string, policies: unknown): Properties {
  const inline: unknown[] = [];
  const managed: unknown[] = [];
  const list = policies === undefined ? [] : Array.isArray(policies) ? policies : [policies];
  list.forEach((policy, i) => {
    const name = `${logicalId}RolePolicy${i}`;
    if (typeof policy === 'string') {
      // A managed policy, by ARN or by the name of one AWS manages.
      managed.push(policy.startsWith('arn:') ? policy : { 'Fn::Sub': awsArn('${AWS::Partition}', 'iam', '', 'aws', `policy/${policy}`) });
      return;
    }
    if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) return;
    const entries = Object.entries(policy);
    const known = entries.length === 1 ? ownValue(POLICY_TEMPLATES, entries[0][0]) : undefined;
    if ('Statement' in policy) {
      inline.push({ PolicyName: name, PolicyDocument: policy });
    } else if (known !== undefined) {
      inline.push({ PolicyName: name, PolicyDocument: { Statement: known(entries[0][1]) } });
    } else if (entries.length === 1 && (entries[0][0].startsWith('Fn::') || entries[0][0] === 'Ref')) {
      managed.push(policy); // `!Ref`/`!Sub` of a managed policy's ARN
    } else {
      // A policy template this reader does not know: listed as a policy whose text is not here, so a
      // permission it may grant is "cannot check", never a missing one.
      managed.push(`SAM policy template ${entries.map(([k]) => k).join(', ')}`);
    }
  });
  return {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { Service: ['states.amazonaws.com'] } }],
    },
    ...(inline.length ? { Policies: inline } : {}),
    ...(managed.length ? { ManagedPolicyArns: managed } : {}),
  };
}

/**
 * What SAM connectors from a state machine grant its role: those of its own `Connectors` and of
 * each `AWS::Serverless::Connector` whose `Source` is it, by the destination's type and the
 * `Permissions` asked (`Read`, `Write`), as SAM's connector profiles give them (profiles.json,
 * source AWS::StepFunctions::StateMachine; sam-resource-connector.html). A destination of
 * another type is listed as a policy whose text is not here: "cannot check".
 */
function connectorStatements(logicalId: string, embedded: unknown, resources: Record<string, CfnResource>):
{ statements: unknown[]; opaque: string[] } {
  const connectors: unknown[] = [];
  if (embedded !== null && typeof embedded === 'object' && !Array.isArray(embedded)) {
    for (const c of Object.values(embedded)) connectors.push((c as Properties | null)?.Properties);
  }
  for (const r of Object.values(resources)) {
    if (r?.Type === 'AWS::Serverless::Connector' && (r.Properties?.Source as Properties | undefined)?.Id === logicalId) connectors.push(r.Properties);
  }
  const statements: unknown[] = [];
  const opaque: string[] = [];
  for (const connector of connectors) {
    const c = connector as Properties | undefined;
    const permissions = Array.isArray(c?.Permissions) ? c.Permissions.filter((p): p is string => typeof p === 'string') : [];
    const destinations = Array.isArray(c?.Destination) ? c.Destination : [c?.Destination];
    for (const d of destinations) {
      const destination = destinationOf(d as Properties | undefined, resources);
      const profile = destination === undefined ? undefined : ownValue(CONNECTOR_PROFILES, destination.type);
      if (destination === undefined || profile === undefined) {
        opaque.push(`SAM connector to ${destination?.type ?? 'a destination it cannot resolve'}`);
        continue;
      }
      for (const permission of permissions) statements.push(...(ownValue(profile, permission)?.(destination) ?? []));
    }
  }
  return { statements, opaque };
}

/** A connector's destination: its type, and its ARN and name as template values. */
interface Destination {
  readonly type: string;
  readonly arn: unknown;
  readonly name: unknown;
}

/** What SAM deploys each of its resource types as, for a connector's destination. */
const DEPLOYED_AS: Record<string, string> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
};

function destinationOf(d: Properties | undefined, resources: Record<string, CfnResource>): Destination | undefined {
  if (d === undefined || d === null || typeof d !== 'object') return undefined;
  if (typeof d.Id === 'string') {
    const resource = ownValue(resources, d.Id);
    if (resource === undefined || typeof resource.Type !== 'string') return undefined;
    const type = ownValue(DEPLOYED_AS, resource.Type) ?? resource.Type;
    // A topic's and a state machine's Ref is its ARN; the others give it as the attribute Arn.
    const arn = type === 'AWS::SNS::Topic' || type === 'AWS::StepFunctions::StateMachine' ? { Ref: d.Id } : { 'Fn::GetAtt': [d.Id, 'Arn'] };
    return { type, arn, name: type === 'AWS::StepFunctions::StateMachine' ? { 'Fn::GetAtt': [d.Id, 'Name'] } : { Ref: d.Id } };
  }
  return typeof d.Type === 'string' && d.Arn !== undefined ? { type: d.Type, arn: d.Arn, name: d.Name } : undefined;
}

/** A statement allowing `actions` on resources made from the destination. */
function grant(actions: readonly string[], ...on: Array<(d: Destination) => unknown>): (d: Destination) => unknown[] {
  return (d) => [{ Effect: 'Allow', Action: [...actions], Resource: on.map((r) => r(d)) }];
}

const ARN = (d: Destination): unknown => d.arn;
const UNDER = (suffix: string) => (d: Destination): unknown => ({ 'Fn::Sub': [`\${arn}${suffix}`, { arn: d.arn }] });
const EXECUTIONS = (d: Destination): unknown => ({ 'Fn::Sub': [`${REGIONAL}states${HERE}execution:\${name}:*`, { name: d.name }] });
const EXECUTION_RULE = (): unknown => ({ 'Fn::Sub': `${REGIONAL}events${HERE}rule/StepFunctionsGetEventsForStepFunctionsExecutionRule` });

type ConnectorProfile = Record<string, ((d: Destination) => unknown[]) | undefined>;

/** SAM's connector profiles for a state machine as the source, by destination type and permission. */
const CONNECTOR_PROFILES: Record<string, ConnectorProfile | undefined> = {
  'AWS::Lambda::Function': { Write: grant(['lambda:InvokeAsync', 'lambda:InvokeFunction'], ARN) },
  'AWS::SNS::Topic': { Write: grant(['sns:Publish'], ARN) },
  'AWS::SQS::Queue': { Write: grant(['sqs:SendMessage'], ARN) },
  'AWS::Events::EventBus': { Write: grant(['events:PutEvents'], ARN) },
  'AWS::S3::Bucket': {
    Read: grant(['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectLegalHold', 's3:GetObjectRetention', 's3:GetObjectTorrent', 's3:GetObjectVersion',
      's3:GetObjectVersionAcl', 's3:GetObjectVersionForReplication', 's3:GetObjectVersionTorrent', 's3:ListBucket', 's3:ListBucketMultipartUploads',
      's3:ListBucketVersions', 's3:ListMultipartUploadParts'], ARN, UNDER('/*')),
    Write: grant(['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObject', 's3:PutObjectLegalHold',
      's3:PutObjectRetention', 's3:RestoreObject'], ARN, UNDER('/*')),
  },
  'AWS::DynamoDB::Table': {
    Read: grant(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PartiQLSelect'],
      ARN, UNDER('/index/*')),
    Write: grant(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLDelete',
      'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate'], ARN, UNDER('/index/*')),
  },
  'AWS::StepFunctions::StateMachine': {
    Read: (d) => [...grant(['states:DescribeExecution'], EXECUTIONS)(d), ...grant(['events:DescribeRule'], EXECUTION_RULE)(d)],
    Write: (d) => [...grant(['states:StartExecution'], ARN)(d), ...grant(['states:StopExecution'], EXECUTIONS)(d),
      ...grant(['events:PutTargets', 'events:PutRule'], EXECUTION_RULE)(d)],
  },
};

type PolicyTemplate = (parameters: unknown) => unknown[];

/** `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>`, the named parameter put in `${p}`. */
function arnOf(pattern: string, parameter: string): (parameters: unknown) => unknown {
  return (parameters) => ({
    'Fn::Sub': [pattern, { p: (parameters as Properties | null)?.[parameter] ?? { Ref: parameter } }],
  });
}

function allow(actions: readonly string[], ...resources: Array<(parameters: unknown) => unknown>): PolicyTemplate {
  return (parameters) => [{
    Effect: 'Allow',
    Action: [...actions],
    Resource: resources.length === 1 ? resources[0](parameters) : resources.map((r) => r(parameters)),
  }];
}

const REGIONAL = 'arn:${AWS::Partition}:';
const HERE = ':${AWS::Region}:${AWS::AccountId}:';
const table = arnOf(`${REGIONAL}dynamodb${HERE}table/\${p}`, 'TableName');
const tableIndexes = arnOf(`${REGIONAL}dynamodb${HERE}table/\${p}/index/*`, 'TableName');
const bucket = arnOf(`${REGIONAL}s3:::\${p}`, 'BucketName');
const bucketObjects = arnOf(`${REGIONAL}s3:::\${p}/*`, 'BucketName');
const S3_READ = ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion', 's3:GetLifecycleConfiguration'];

/**
 * The SAM policy templates a state machine's role is most often given, each the statements SAM
 * expands it to (SAM's policy_templates.json), by name.
 */
const POLICY_TEMPLATES: Record<string, PolicyTemplate | undefined> = {
  LambdaInvokePolicy: allow(['lambda:InvokeFunction'], arnOf(`${REGIONAL}lambda${HERE}function:\${p}*`, 'FunctionName')),
  DynamoDBCrudPolicy: allow(['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:Query',
    'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:ConditionCheckItem'], table, tableIndexes),
  DynamoDBReadPolicy: allow(['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'], table, tableIndexes),
  DynamoDBWritePolicy: allow(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'], table, tableIndexes),
  SQSSendMessagePolicy: allow(['sqs:SendMessage*'], arnOf(`${REGIONAL}sqs${HERE}\${p}`, 'QueueName')),
  SNSPublishMessagePolicy: allow(['sns:Publish'], arnOf(`${REGIONAL}sns${HERE}\${p}`, 'TopicName')),
  StepFunctionsExecutionPolicy: allow(['states:StartExecution'], arnOf(`${REGIONAL}states${HERE}stateMachine:\${p}`, 'StateMachineName')),
  EventBridgePutEventsPolicy: allow(['events:PutEvents'], arnOf(`${REGIONAL}events${HERE}event-bus/\${p}`, 'EventBusName')),
  S3ReadPolicy: allow(S3_READ, bucket, bucketObjects),
  S3WritePolicy: allow(['s3:PutObject', 's3:PutObjectAcl', 's3:PutLifecycleConfiguration'], bucket, bucketObjects),
  S3CrudPolicy: allow([...S3_READ.slice(0, 4), 's3:PutObject', 's3:PutObjectAcl', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration', 's3:DeleteObject'],
    bucket, bucketObjects),
};
