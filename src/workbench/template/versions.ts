import { extractStateMachines, selectStateMachine, type ExtractedStateMachine, type ExtractOptions } from './extract';
import { expandServerless, TemplateResolver, type CfnResource, type CfnTemplate, type ResolveScope } from '../../cfn';
import { TemplateError } from '../../cfn';

const VERSION_TYPE = 'AWS::StepFunctions::StateMachineVersion';
const ALIAS_TYPE = 'AWS::StepFunctions::StateMachineAlias';

/** One `AWS::StepFunctions::StateMachineVersion` of a template. */
export interface ExtractedStateMachineVersion {
  /** Logical id of the version resource. */
  readonly logicalId: string;
  /** Construct path, when known. */
  readonly path?: string;
  /** The placeholder version ARN (`…:stateMachine:<name>:<number>`) that `Ref` to the version resolves to. */
  readonly arn: string;
  /** The version number, from 1 per state machine (see `publishedVersions` to number across deploys). */
  readonly number: number;
  /** ARN of the state machine it is a version of. */
  readonly stateMachineArn: string;
  /** Logical id of that state machine when it is in the same template. */
  readonly stateMachineLogicalId?: string;
  /** `Description`, when set. */
  readonly description?: string;
}

/** One share of an alias' executions. */
export interface ExtractedAliasRoute {
  /** The version ARN. */
  readonly versionArn: string;
  /** Percentage of executions started through the alias that run it. */
  readonly weight: number;
  /** The version, when it is declared in the same template. */
  readonly version?: ExtractedStateMachineVersion;
}

/** The `DeploymentPreference` of an alias. */
export interface ExtractedDeploymentPreference {
  /** ALL_AT_ONCE, CANARY or LINEAR. */
  readonly type: string;
  /** The version the alias ends on. */
  readonly versionArn: string;
  /** Percentage per step (CANARY, LINEAR). */
  readonly percentage?: number;
  /** Minutes between steps (CANARY, LINEAR). */
  readonly intervalMinutes?: number;
  /** Names of the alarms that roll the deployment back. */
  readonly alarms: readonly string[];
}

/** One `AWS::StepFunctions::StateMachineAlias` of a template. */
export interface ExtractedStateMachineAlias {
  /** Logical id of the alias resource. */
  readonly logicalId: string;
  /** Construct path, when known. */
  readonly path?: string;
  /** The alias name. */
  readonly name: string;
  /** The placeholder alias ARN (`…:stateMachine:<name>:<alias>`). */
  readonly arn: string;
  /** ARN of the state machine. */
  readonly stateMachineArn: string;
  /** Logical id of that state machine when it is in the same template. */
  readonly stateMachineLogicalId?: string;
  /** `Description`, when set. */
  readonly description?: string;
  /**
   * Where executions started through the alias go once any deployment is
   * complete: the `RoutingConfiguration`, or the deployment's target with weight 100.
   */
  readonly routing: readonly ExtractedAliasRoute[];
  /** The gradual deployment, when the alias has one. */
  readonly deployment?: ExtractedDeploymentPreference;
}

/** A state machine of a template with its versions and aliases: what a local endpoint serves. */
export interface VersionedStateMachine {
  /** The state machine and its resolved definition. */
  readonly machine: ExtractedStateMachine;
  /** Its versions declared in the template. */
  readonly versions: readonly ExtractedStateMachineVersion[];
  /** Its aliases declared in the template. */
  readonly aliases: readonly ExtractedStateMachineAlias[];
}

/**
 * Every state machine of a synthesized template with the versions and aliases
 * that belong to it, with the same placeholder ARNs the definitions use. A
 * version publishes the machine's definition as it is in this template: to
 * run an older version, load the template of the deploy that published it
 * (with the same `publishedVersions`, so the numbers follow on).
 *
 * @example
 * const [orders] = extractVersionedStateMachines(Template.fromStack(stack).toJSON());
 * orders.aliases[0].routing; // [{ versionArn: 'arn:aws:states:…:stateMachine:Orders:1', weight: 100, version: {…} }]
 * @throws TemplateError when the template or a definition cannot be resolved
 */
export function extractVersionedStateMachines(template: object, options: ExtractOptions = {}): VersionedStateMachine[] {
  return withVersions(template, options, extractStateMachines(template, options));
}

/**
 * Attaches the versions and aliases of a template to machines already extracted from it.
 * @internal
 */
export function withVersions(template: object, options: ExtractOptions, machines: readonly ExtractedStateMachine[]): VersionedStateMachine[] {
  const cfn = expandServerless(template as CfnTemplate, options);
  const resolver = new TemplateResolver(cfn, options);
  const resources = Object.entries(cfn.Resources ?? {});
  const versions = resources.filter(([, r]) => r?.Type === VERSION_TYPE)
    .map(([id, r]) => readVersion(resolver, id, r, machines, options.resourcePaths?.[id]));
  const aliases = resources.filter(([, r]) => r?.Type === ALIAS_TYPE)
    .map(([id, r]) => readAlias(resolver, id, r, machines, versions, options.resourcePaths?.[id]));
  return machines.map((machine) => ({
    machine,
    versions: versions.filter((v) => v.stateMachineArn === machine.arn),
    aliases: aliases.filter((a) => a.stateMachineArn === machine.arn),
  }));
}

/** Which version or alias to run: selectors as for state machines (logical id, name, construct path or its tail). */
export interface QualifierSelection {
  /** The state machine, when the template has several. */
  readonly stateMachine?: string;
  /** A version: its logical id, construct path (or tail), or number. */
  readonly version?: string;
  /** An alias: its name, logical id or construct path (or tail). */
  readonly alias?: string;
}

/** A version or alias chosen to run, and the version whose definition runs. */
export interface SelectedQualifier {
  readonly machine: VersionedStateMachine;
  /** The version that runs: the one selected, or the one the alias sends executions to. */
  readonly version: ExtractedStateMachineVersion;
  /** The alias, when one was selected. */
  readonly alias?: ExtractedStateMachineAlias;
  /** The qualified ARN executions are started with. */
  readonly arn: string;
}

/**
 * Picks a version or an alias of a template's state machines. An alias runs
 * the version it points to once any deployment is complete (a routing's
 * heaviest route declared in the template).
 * @example
 * const { version, arn } = selectVersionOrAlias(extractVersionedStateMachines(template), { alias: 'live' });
 * @throws TemplateError listing the versions or aliases when none matches or several do
 */
export function selectVersionOrAlias(machines: readonly VersionedStateMachine[], selection: QualifierSelection): SelectedQualifier {
  if ((selection.version === undefined) === (selection.alias === undefined)) {
    throw new TypeError('give exactly one of version and alias');
  }
  const candidates = selection.stateMachine === undefined
    ? machines
    : [machines.find((m) => m.machine === selectStateMachine(machines.map((x) => x.machine), selection.stateMachine))!];
  if (selection.alias !== undefined) {
    const all = candidates.flatMap((m) => m.aliases.map((alias) => ({ m, alias })));
    const found = pick(all, selection.alias, (x) => [x.alias.name, x.alias.logicalId], (x) => x.alias.path, 'ALIAS_NOT_FOUND', 'alias',
      (x) => `${x.alias.name} (${x.alias.logicalId}${x.alias.path ? `, path ${x.alias.path}` : ''})`);
    const route = [...found.alias.routing].filter((r) => r.version !== undefined).sort((a, b) => b.weight - a.weight)[0];
    if (!route) {
      throw new TemplateError('VERSION_NOT_IN_TEMPLATE',
        `alias '${found.alias.name}' routes to ${found.alias.routing.map((r) => r.versionArn).join(', ')}, none of which is declared in this template, so its definition is unknown; `
        + 'load the template of the deploy that published it, or pick the version there');
    }
    return { machine: found.m, version: route.version!, alias: found.alias, arn: found.alias.arn };
  }
  const all = candidates.flatMap((m) => m.versions.map((version) => ({ m, version })));
  const found = pick(all, selection.version!, (x) => [x.version.logicalId, String(x.version.number)], (x) => x.version.path, 'VERSION_NOT_FOUND', 'version',
    (x) => `${x.version.logicalId} (number ${x.version.number}${x.version.path ? `, path ${x.version.path}` : ''})`);
  return { machine: found.m, version: found.version, arn: found.version.arn };
}

function pick<T>(
  items: readonly T[], selector: string, ids: (x: T) => string[], path: (x: T) => string | undefined,
  code: 'ALIAS_NOT_FOUND' | 'VERSION_NOT_FOUND', what: string, describe: (x: T) => string,
): T {
  const tiers: Array<(x: T) => boolean> = [
    (x) => ids(x).includes(selector),
    (x) => pathMatches(path(x), selector),
  ];
  for (const tier of tiers) {
    const found = items.filter(tier);
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      throw new TemplateError(code, `'${selector}' matches ${found.length} state machine ${what}es; choose the state machine too, or use a logical id:\n${found.map((x) => `  - ${describe(x)}`).join('\n')}`);
    }
  }
  const listing = items.length ? items.map((x) => `  - ${describe(x)}`).join('\n') : `  (no AWS::StepFunctions::StateMachine${what === 'alias' ? 'Alias' : 'Version'} resources)`;
  throw new TemplateError(code, `no state machine ${what} matches '${selector}'; the template has:\n${listing}`);
}

function pathMatches(path: string | undefined, selector: string): boolean {
  if (path === undefined) return false;
  const trimmed = selector.replace(/^\/+|\/+$/g, '');
  return [path, path.replace(/\/Resource$/, '')].some((p) => p === trimmed || p.endsWith(`/${trimmed}`));
}

function quiet(location: string): ResolveScope {
  return { location, record: () => undefined };
}

function machineLogicalId(machines: readonly ExtractedStateMachine[], arn: string): string | undefined {
  return machines.find((m) => m.arn === arn)?.logicalId;
}

function readVersion(
  resolver: TemplateResolver, logicalId: string, resource: CfnResource, machines: readonly ExtractedStateMachine[], knownPath: string | undefined,
): ExtractedStateMachineVersion {
  const props = resource.Properties ?? {};
  const arn = resolver.resolveString({ Ref: logicalId }, quiet(`Resources.${logicalId}.Ref`));
  const stateMachineArn = arn.split(':').slice(0, 7).join(':');
  const path = resource.Metadata?.['aws:cdk:path'] ?? knownPath;
  const id = machineLogicalId(machines, stateMachineArn);
  return {
    logicalId,
    ...(typeof path === 'string' ? { path } : {}),
    arn,
    number: Number(arn.split(':')[7]),
    stateMachineArn,
    ...(id !== undefined ? { stateMachineLogicalId: id } : {}),
    ...(props.Description !== undefined ? { description: resolver.resolveString(props.Description, quiet(`Resources.${logicalId}.Description`)) } : {}),
  };
}

/**
 * An alias's `DeploymentPreference` as CloudFormation's AWS::StepFunctions::StateMachineAlias
 * names its fields; a template's values are read as they come (each is converted where read).
 */
interface CfnDeploymentPreference {
  readonly Type?: unknown;
  readonly StateMachineVersionArn?: unknown;
  readonly Percentage?: unknown;
  readonly Interval?: unknown;
  readonly Alarms?: unknown;
}

/** One entry of an alias's `RoutingConfiguration` (CloudFormation's RoutingConfigurationVersion), its values as they come. */
interface CfnRoutingConfigurationVersion {
  readonly StateMachineVersionArn?: unknown;
  readonly Weight?: unknown;
}

function readAlias(
  resolver: TemplateResolver, logicalId: string, resource: CfnResource, machines: readonly ExtractedStateMachine[],
  versions: readonly ExtractedStateMachineVersion[], knownPath: string | undefined,
): ExtractedStateMachineAlias {
  const props = resource.Properties ?? {};
  const where = (field: string): ResolveScope => quiet(`Resources.${logicalId}.${field}`);
  const arn = resolver.resolveString({ Ref: logicalId }, where('Ref'));
  const stateMachineArn = arn.split(':').slice(0, 7).join(':');
  const route = (versionArn: string, weight: number): ExtractedAliasRoute => {
    const version = versions.find((v) => v.arn === versionArn);
    return { versionArn, weight, ...(version ? { version } : {}) };
  };
  let routing: ExtractedAliasRoute[];
  let deployment: ExtractedDeploymentPreference | undefined;
  if (props.DeploymentPreference !== undefined) {
    const d = resolver.resolve(props.DeploymentPreference, where('DeploymentPreference')) as CfnDeploymentPreference;
    deployment = {
      type: String(d.Type),
      versionArn: String(d.StateMachineVersionArn),
      ...(d.Percentage !== undefined ? { percentage: Number(d.Percentage) } : {}),
      ...(d.Interval !== undefined ? { intervalMinutes: Number(d.Interval) } : {}),
      alarms: Array.isArray(d.Alarms) ? d.Alarms.map(String) : [],
    };
    routing = [route(deployment.versionArn, 100)];
  } else {
    const r = resolver.resolve(props.RoutingConfiguration ?? [], where('RoutingConfiguration')) as CfnRoutingConfigurationVersion[];
    routing = r.map((x) => route(String(x.StateMachineVersionArn), Number(x.Weight)));
  }
  const path = resource.Metadata?.['aws:cdk:path'] ?? knownPath;
  const id = machineLogicalId(machines, stateMachineArn);
  return {
    logicalId,
    ...(typeof path === 'string' ? { path } : {}),
    name: arn.split(':')[7],
    arn,
    stateMachineArn,
    ...(id !== undefined ? { stateMachineLogicalId: id } : {}),
    ...(props.Description !== undefined ? { description: resolver.resolveString(props.Description, where('Description')) } : {}),
    routing,
    ...(deployment ? { deployment } : {}),
  };
}
