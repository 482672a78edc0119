import { resolve as resolvePath } from 'node:path';
import { assetFileByKey, type AssetFile } from './assets';
import type { JsonValue, StateMachineDefinition } from '../../asl';
import { AwsDefaults, type MachineType } from '../../asl/aws-defaults';
import { substituteText, substituteValue } from '../../asl/definition-substitutions';
import { describeNonJsonDocument } from '../../asl/json-value';
import { shorten } from '../../asl/shorten';
import { checkedDefinition } from '../../asl/validate';
import { CfnResource, CfnTemplate, checkParameterValues, expandServerless, ResolveOptions, ResolveScope, ResourceRef, TemplateResolver, TemplateError } from '../../cfn';
import { DEFINITION_FILE_LIMIT, JsonFileReadError, readTemplateText } from '../common';
import { JsonFileError } from '../common/command-errors';
import { parseDefinitionText } from '../common/text';

const STATE_MACHINE_TYPE = 'AWS::StepFunctions::StateMachine';

/** One `AWS::StepFunctions::StateMachine` of a template, with its definition resolved to plain ASL. */
export interface ExtractedStateMachine {
  /** Logical id of the state machine resource. */
  readonly logicalId: string;
  /** Construct path from `aws:cdk:path` metadata, e.g. `MyStack/Orders/Resource`, when the template came from the CDK. */
  readonly path?: string;
  /** `StateMachineName`, when the template sets one. */
  readonly name?: string;
  /** The placeholder ARN that `Ref` to this state machine resolves to elsewhere in the template. */
  readonly arn: string;
  /** `StateMachineType`. */
  readonly type: MachineType;
  /**
   * `RoleArn`, resolved (a role of the template is its placeholder ARN): the role its executions
   * run with, which `$$.Execution.RoleArn` and the ExecutionStarted event name.
   * @default - none when the template gives none, or one that cannot be resolved offline
   */
  readonly roleArn?: string;
  /**
   * The definition as plain ASL, typed: every token is replaced by a stable placeholder, so it can
   * be snapshot-tested and run. It is checked when first read, as a workflow checks it when it
   * loads it (for the machine's type, its DefinitionSubstitutions made), and the same value after.
   * A definition the validator refuses is read from `rawDefinition`.
   * @throws InvalidDefinitionError listing what is wrong with it, when the validator refuses it
   */
  readonly definition: StateMachineDefinition;
  /**
   * The definition as the template holds it, resolved to plain ASL as `definition` is, and not
   * checked: an object, valid or not. `validateDefinition(machine.rawDefinition)` lists what is
   * wrong with one the validator refuses.
   */
  readonly rawDefinition: object;
  /**
   * Each placeholder found in the definition, mapped to the resource behind it,
   * so that mocks can be keyed by construct. Ordered as first met.
   */
  readonly resources: ReadonlyMap<string, ResourceRef>;
}

/** Options of {@link extractStateMachines}. */
export interface ExtractOptions extends ResolveOptions {}

/**
 * Finds every `AWS::StepFunctions::StateMachine` in a synthesized CloudFormation
 * template and resolves its definition (`DefinitionString` or `Definition`,
 * with `DefinitionSubstitutions`) to plain ASL.
 *
 * `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`,
 * `Fn::If` and the pseudo parameters are evaluated; resources become
 * placeholders shaped like their real values (a Lambda function's ARN is
 * `arn:aws:lambda:us-east-1:123456789012:function:<LogicalId>`).
 *
 * @example
 * const [machine] = extractStateMachines(Template.fromStack(stack).toJSON());
 * expect(machine.definition).toMatchSnapshot();
 * @throws TemplateError when the template is not a template or a token cannot be resolved; UNDECLARED_PARAMETER
 *   or INVALID_PARAMETER_VALUE when `parameters` names a parameter the template lacks, or a parameter's value
 *   (given, else its Default) breaks its declaration, as CloudFormation refuses such a stack
 */
export function extractStateMachines(template: object, options: ExtractOptions = {}): ExtractedStateMachine[] {
  const given = asTemplate(template);
  // CloudFormation refuses the stack before it makes anything: so does loading.
  checkParameterValues(given, options.parameters);
  const cfn = expandServerless(given, options);
  const resolver = new TemplateResolver(cfn, options);
  return Object.entries(cfn.Resources ?? {})
    .filter(([, resource]) => resource?.Type === STATE_MACHINE_TYPE)
    .map(([logicalId, resource]) => extractOne(resolver, logicalId, resource, options.resourcePaths?.[logicalId], options.templateDir));
}

/**
 * Picks one state machine. The selector is tried, in order, as a logical id,
 * a `StateMachineName`, and a construct path or its tail (`Orders`,
 * `Nested/Orders`, `MyStack/Orders/Resource`). Without a selector there must
 * be exactly one state machine.
 *
 * @throws TemplateError listing the state machines when none or several match
 */
export function selectStateMachine(machines: readonly ExtractedStateMachine[], selector?: string): ExtractedStateMachine {
  if (machines.length === 0) {
    throw new TemplateError('NO_STATE_MACHINES', 'the template has no AWS::StepFunctions::StateMachine resource');
  }
  if (selector === undefined) {
    if (machines.length === 1) return machines[0];
    throw new TemplateError('AMBIGUOUS_STATE_MACHINE',
      `the template has ${machines.length} state machines; choose one by logical id, name or construct path:\n${describe(machines)}`);
  }
  const tiers: Array<(m: ExtractedStateMachine) => boolean> = [
    (m) => m.logicalId === selector,
    (m) => m.name === selector,
    (m) => m.path !== undefined && pathMatches(m.path, selector),
  ];
  for (const tier of tiers) {
    const found = machines.filter(tier);
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      throw new TemplateError('AMBIGUOUS_STATE_MACHINE',
        `'${selector}' matches ${found.length} state machines; use a longer construct path or the logical id:\n${describe(found)}`);
    }
  }
  throw new TemplateError('STATE_MACHINE_NOT_FOUND',
    `no state machine matches '${selector}'; the template has:\n${describe(machines)}`);
}

function pathMatches(path: string, selector: string): boolean {
  const trimmed = selector.replace(/^\/+|\/+$/g, '');
  const withoutResource = path.replace(/\/Resource$/, '');
  return [path, withoutResource].some((p) => p === trimmed || p.endsWith(`/${trimmed}`));
}

function describe(machines: readonly ExtractedStateMachine[]): string {
  return machines.map((m) => {
    const extras = [m.path && `path ${m.path}`, m.name && `name ${m.name}`].filter(Boolean);
    return `  - ${m.logicalId}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  }).join('\n');
}

function asTemplate(template: unknown): CfnTemplate {
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    throw new TemplateError('NOT_A_TEMPLATE', `expected a CloudFormation template object, got ${describeValue(template)}`);
  }
  const resources = (template as CfnTemplate).Resources;
  if (resources !== undefined && (resources === null || typeof resources !== 'object' || Array.isArray(resources))) {
    throw new TemplateError('NOT_A_TEMPLATE', `'Resources' must be an object, got ${describeValue(resources)}`);
  }
  return template as CfnTemplate;
}

function extractOne(resolver: TemplateResolver, logicalId: string, resource: CfnResource, knownPath: string | undefined,
  templateDir: string | undefined): ExtractedStateMachine {
  const props = resource.Properties ?? {};
  const resources = new Map<string, ResourceRef>();
  const scope = (location: string): ResolveScope => ({
    stateMachine: logicalId,
    location,
    record: (placeholder, ref) => {
      if (!resources.has(placeholder)) resources.set(placeholder, ref);
    },
  });
  const quiet = (location: string): ResolveScope => ({ stateMachine: logicalId, location, record: () => undefined });

  const substitutions = resolveSubstitutions(resolver, props.DefinitionSubstitutions, scope('DefinitionSubstitutions'), logicalId);
  let definition: unknown;
  if (props.DefinitionString !== undefined) {
    const text = substituteText(substitutable(resolver.resolveString(props.DefinitionString, scope('DefinitionString')), substitutions, logicalId), substitutions);
    definition = parseDefinition(text, logicalId);
  } else if (props.Definition !== undefined) {
    const resolved = shallowEnough(resolver.resolve(props.Definition, scope('Definition')), logicalId);
    // Each string of the object is substituted alone: their JSON text holds the same `${...}`s (a key with a quote or backslash aside).
    if (substitutions.size > 0) substitutable(JSON.stringify(resolved), substitutions, logicalId);
    definition = substituteValue(resolved, substitutions);
  } else if (typeof props.DefinitionUri === 'string') {
    // An AWS SAM state machine's local file (`DefinitionUri: statemachine/app.asl.json`), JSON or YAML.
    const file = readDefinitionUri(props.DefinitionUri, templateDir, logicalId);
    const text = substituteText(substitutable(file, substitutions, logicalId), substitutions);
    definition = parseDefinitionFile(text, props.DefinitionUri, logicalId, 'DefinitionUri');
  } else if (props.DefinitionS3Location !== undefined && props.DefinitionUri === undefined) {
    // The CDK's `DefinitionBody.fromFile`: a file asset, uploaded by `cdk deploy`, kept in the cloud assembly.
    const asset = cdkAssetFile(resolver, props.DefinitionS3Location, templateDir, quiet('DefinitionS3Location'));
    if (asset === undefined) {
      throw new TemplateError('UNSUPPORTED_DEFINITION_SOURCE',
        `state machine '${logicalId}' reads its definition from DefinitionS3Location, which is no file asset of a cloud assembly beside the template (the CDK's DefinitionBody.fromFile keeps one in cdk.out), so it cannot be read offline; load the ASL file and use the definition directly`,
        { stateMachine: logicalId, location: 'DefinitionS3Location' });
    }
    const text = substituteText(readAsset(asset, logicalId), substitutions);
    definition = parseDefinitionFile(text, asset.name, logicalId, 'DefinitionS3Location');
  } else if (props.DefinitionUri !== undefined) {
    throw new TemplateError('UNSUPPORTED_DEFINITION_SOURCE',
      `state machine '${logicalId}' reads its definition from an S3 DefinitionUri, which cannot be read offline; load the ASL file and use the definition directly`,
      { stateMachine: logicalId, location: 'DefinitionUri' });
  } else {
    throw new TemplateError('MISSING_DEFINITION',
      `state machine '${logicalId}' has neither DefinitionString nor Definition`, { stateMachine: logicalId });
  }
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new TemplateError('INVALID_DEFINITION_JSON',
      `state machine '${logicalId}': the definition must be a JSON object, got ${describeValue(definition)}`, { stateMachine: logicalId });
  }

  const type = props.StateMachineType === undefined ? AwsDefaults.MACHINE_TYPE : resolver.resolveString(props.StateMachineType, quiet('StateMachineType'));
  if (type !== 'STANDARD' && type !== 'EXPRESS') {
    throw new TemplateError('INVALID_INTRINSIC',
      `state machine '${logicalId}': StateMachineType must be STANDARD or EXPRESS, got ${JSON.stringify(type)}`,
      { stateMachine: logicalId, location: 'StateMachineType' });
  }
  const name = props.StateMachineName === undefined ? undefined : resolver.resolveString(props.StateMachineName, quiet('StateMachineName'));
  const arn = resolver.resolveString({ Ref: logicalId }, quiet('Ref'));
  const path = resource.Metadata?.['aws:cdk:path'] ?? knownPath;
  const roleArn = roleOf(resolver, props.RoleArn, quiet('RoleArn'));
  return extractedMachine({
    logicalId,
    ...(typeof path === 'string' ? { path } : {}),
    ...(name !== undefined ? { name } : {}),
    arn,
    type,
    ...(roleArn !== undefined ? { roleArn } : {}),
    rawDefinition: definition,
    resources,
  });
}

/**
 * An extracted machine whose `definition` is its `rawDefinition` typed by the validator when first
 * read (an engine, a door and `validate` read `rawDefinition` and check it themselves).
 * @internal
 */
export function extractedMachine(fields: Omit<ExtractedStateMachine, 'definition'>): ExtractedStateMachine {
  let checked: StateMachineDefinition | undefined;
  return {
    ...fields,
    get definition(): StateMachineDefinition {
      checked ??= checkedDefinition(fields.rawDefinition, { type: fields.type, warnings: false, substituted: true });
      return checked;
    },
  };
}

/** The role, resolved; none when the template gives none or it cannot be resolved here (an imported value): the role never stops a machine from loading. */
function roleOf(resolver: TemplateResolver, raw: unknown, scope: ResolveScope): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return resolver.resolveString(raw, scope);
  } catch (e) {
    if (e instanceof TemplateError) return undefined;
    throw e;
  }
}

function resolveSubstitutions(resolver: TemplateResolver, raw: unknown, scope: ResolveScope, logicalId: string): Map<string, string> {
  const out = new Map<string, string>();
  if (raw === undefined) return out;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new TemplateError('INVALID_INTRINSIC',
      `state machine '${logicalId}': DefinitionSubstitutions must be an object, got ${describeValue(raw)}`,
      { stateMachine: logicalId, location: 'DefinitionSubstitutions' });
  }
  for (const [key, value] of Object.entries(raw)) {
    out.set(key, resolver.resolveString(value, { ...scope, location: `${scope.location}.${key}` }));
  }
  return out;
}

/**
 * `text`, when DefinitionSubstitutions leave it no longer than the largest definition stepwright reads:
 * a value of a few MiB named 100,000 times would otherwise be built into more text than memory holds.
 */
function substitutable(text: string, substitutions: ReadonlyMap<string, string>, logicalId: string): string {
  if (substitutions.size === 0) return text;
  let length = text.length;
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    const value = substitutions.get(m[1]);
    if (value !== undefined) length += value.length - m[0].length;
    if (length > DEFINITION_FILE_LIMIT.bytes) {
      throw new TemplateError('INVALID_DEFINITION_JSON', `state machine '${logicalId}': its DefinitionSubstitutions would make the definition more than `
        + `${DEFINITION_FILE_LIMIT.bytes.toLocaleString('en-US')} characters long: ${DEFINITION_FILE_LIMIT.why}`, { stateMachine: logicalId, location: 'DefinitionSubstitutions' });
    }
  }
  return text;
}

/**
 * A resolved Definition, refused when it nests deeper than JSON Step Functions reads: a value from
 * `Mappings` (Fn::FindInMap) comes through the resolver unwalked, and the substitutions walk it.
 */
function shallowEnough(definition: unknown, logicalId: string): unknown {
  const problem = describeNonJsonDocument(definition);
  if (problem !== undefined) {
    throw new TemplateError('INVALID_DEFINITION_JSON', `state machine '${logicalId}': the resolved Definition is not JSON that Step Functions accepts: it holds ${problem}`,
      { stateMachine: logicalId, location: 'Definition' });
  }
  return definition;
}

/** The text of a SAM state machine's `DefinitionUri` file, read from the template's folder. */
function readDefinitionUri(uri: string, templateDir: string | undefined, logicalId: string): string {
  const file = resolvePath(templateDir ?? process.cwd(), uri);
  try {
    // Read past a byte order mark: the file is fetched from S3 and read as JSON or YAML, not sent as text (see readTemplateText).
    return readTemplateText(file, DEFINITION_FILE_LIMIT).text;
  } catch (e) {
    if (!(e instanceof JsonFileReadError)) throw e;
    // The DefinitionUri as written, never the path it resolved to: an answer (MCP's, say) names no folder of the machine.
    const where = templateDir === undefined ? 'the current folder' : "the template's folder";
    throw new TemplateError('MISSING_DEFINITION', `state machine '${logicalId}': cannot read its DefinitionUri ${shorten(uri, 200)} (relative to ${where}): ${e.reason}`,
      { stateMachine: logicalId, location: 'DefinitionUri' });
  }
}

/** A definition file's definition (`DefinitionUri`, a CDK file asset), JSON or YAML as SAM and CloudFormation read it. */
function parseDefinitionFile(text: string, uri: string, logicalId: string, location: 'DefinitionUri' | 'DefinitionS3Location'): JsonValue {
  try {
    return parseDefinitionText(text, uri) as JsonValue;
  } catch (e) {
    if (!(e instanceof JsonFileError)) throw e;
    throw new TemplateError('INVALID_DEFINITION_JSON', `state machine '${logicalId}': ${e.message}`, { stateMachine: logicalId, location });
  }
}

/**
 * The file of the cloud assembly beside the template that a `DefinitionS3Location` names: the
 * CDK's `DefinitionBody.fromFile` makes the definition a file asset, copied into `cdk.out` and
 * listed in the stack's asset manifest with the S3 key `cdk deploy` uploads it to
 * (CloudFormation's S3Location: "The state machine definition must be a JSON or YAML file").
 * Undefined when the template has no folder, the key is not a plain string, or no manifest lists it.
 */
function cdkAssetFile(resolver: TemplateResolver, location: unknown, templateDir: string | undefined, scope: ResolveScope): AssetFile | undefined {
  if (templateDir === undefined || location === null || typeof location !== 'object' || Array.isArray(location)) return undefined;
  let key: string;
  try {
    key = resolver.resolveString((location as { Key?: unknown }).Key, scope);
  } catch (e) {
    if (e instanceof TemplateError) return undefined;
    throw e;
  }
  return assetFileByKey(templateDir, key);
}

function readAsset(asset: AssetFile, logicalId: string): string {
  try {
    return readTemplateText(asset.file, DEFINITION_FILE_LIMIT).text;
  } catch (e) {
    if (!(e instanceof JsonFileReadError)) throw e;
    // The asset as the manifest names it, never the path it resolved to: an answer (MCP's, say) names no folder of the machine.
    throw new TemplateError('MISSING_DEFINITION',
      `state machine '${logicalId}': cannot read its DefinitionS3Location's file asset ${shorten(asset.name, 200)} (relative to the cloud assembly): ${e.reason}`,
      { stateMachine: logicalId, location: 'DefinitionS3Location' });
  }
}

function parseDefinition(text: string, logicalId: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    const position = /position (\d+)/.exec((e as Error).message);
    const at = position ? Number(position[1]) : undefined;
    const excerpt = at === undefined ? text.slice(0, 80) : text.slice(Math.max(0, at - 40), at + 40);
    throw new TemplateError('INVALID_DEFINITION_JSON',
      `state machine '${logicalId}': the resolved DefinitionString is not valid JSON (${(e as Error).message}) near: ${excerpt}`,
      { stateMachine: logicalId, location: 'DefinitionString' });
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  // A text is counted, never quoted: it can be a whole file a DefinitionUri named (`/etc/passwd` reads as one YAML scalar).
  if (typeof value === 'string') return `a text of ${value.length} characters`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
