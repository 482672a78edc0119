import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type * as sdk from '@aws-sdk/client-sfn';
import { ApiError } from './api-errors';
import { arnOf, checkRoleArn, parseMachineArn, type ArnScope } from './arns';
import { TemplateLoadError, type LoadedRoute, type LoadedStateMachine } from './loaded';
import type { OperationName } from './operations';
import type { AnswerOf, RequestOf } from './operations/operation-table';
import type { StepFunctionsService } from './service';
import { ApiErrors } from '../asl/api-errors';
import { AwsDefaults, awsArn } from '../asl/aws-defaults';
import { AwsLimits } from '../asl/limits';
import { declaredParameters, expandServerless, stacksTakingParameters, TemplateResolver, undeclaredParametersRefusal, type CfnTemplate, type ResolveOptions, type ResourceRef } from '../cfn';
import { TemplateError } from '../cfn';
import { PublishedVersions } from '../cfn/published-versions';
import { templateMachineConfiguration } from '../workbench/template/configuration';
import { selectStateMachine, type ExtractedStateMachine } from '../workbench/template/extract';
import { samConfigValues, SamConfigError, type SamConfigOptions } from '../workbench/template/samconfig';
import { assemblyStacksGiven, templateFromFile, type TemplateSource } from '../workbench/template/sources';
import { extractVersionedStateMachines, type ExtractedStateMachineAlias, type VersionedStateMachine } from '../workbench/template/versions';

/** One stack template read from a `load` path. */
interface LoadedStack extends TemplateSource {
  /** The `load` path it came from. */
  readonly path: string;
  /** The path, plus the stack for a cdk.out. */
  readonly label: string;
  /** In messages about the `load` path: nothing for a template file, the stack for a cdk.out. */
  readonly within: string;
}

interface Group {
  readonly stack: LoadedStack;
  readonly machines: readonly VersionedStateMachine[];
}

/** A server version of a machine and the definition it froze. */
interface ServerVersion {
  readonly arn: string;
  readonly number: number;
  readonly definition: string;
}

const NO_SIGNAL = new AbortController().signal;

/** Templates read and resolved for a server, before anything is deployed. @internal */
export interface PreparedTemplates {
  /** The state machines to deploy, by stack. */
  readonly groups: readonly Group[];
  /** The resources their definitions name, by placeholder ARN: the Lambda functions with inline code among them run it. */
  readonly functions: ReadonlyMap<string, ResourceRef>;
}

/**
 * Reads and resolves the `load` templates for the server's region and
 * account, and picks the state machines the selectors name; nothing is
 * deployed yet, so a bad path fails before the server opens its data directory.
 * @internal
 */
export function prepareTemplates(
  scope: ArnScope, paths: readonly string[], selectors: readonly string[] = [], parameters?: Readonly<Record<string, string>>,
  samConfig?: { readonly options: SamConfigOptions; readonly note: (message: string) => void },
): PreparedTemplates {
  // Successive deploys' templates number their versions on from each other, as an account does.
  const publishedVersions = new PublishedVersions();
  const stacks = paths.map((p) => ({ path: p, stacks: readStacks(p, parameters) }));
  if (parameters) {
    // CloudFormation refuses a value for a parameter the template does not declare; of the templates loaded, one must.
    const declared = new Set(stacks.flatMap((s) => stacksTakingParameters(s.stacks).flatMap((t) => declaredParameters(t.template))));
    const refusal = undeclaredParametersRefusal(Object.keys(parameters), [...declared]);
    if (refusal !== undefined) throw new TemplateLoadError('load', paths.join(', '), refusal);
  }
  const groups = stacks.flatMap((s) => {
    // What a template asks that AWS may read otherwise (a number in a loop's Collection) is logged, named by its file.
    const note = samConfig && ((message: string): void => samConfig.note(`${s.path}: ${message}`));
    const options = { region: scope.region, account: scope.account, publishedVersions, ...(note ? { onNote: note } : {}) };
    return extractGroups(s.path, s.stacks, options, withSamConfig(s.path, s.stacks, parameters, samConfig));
  });
  const chosen = select(groups, selectors);
  const functions = new Map<string, ResourceRef>();
  for (const g of chosen) {
    for (const { machine } of g.machines) for (const [placeholder, ref] of machine.resources) functions.set(placeholder, ref);
  }
  return { groups: chosen, functions };
}

/**
 * Deploys synthesized templates into the service as CloudFormation would, in
 * order: each state machine is created (or updated to the template's
 * definition), each `AWS::StepFunctions::StateMachineVersion` published, each
 * `AWS::StepFunctions::StateMachineAlias` created or updated. Every change goes
 * through the API's operations, so it is journaled like any other; loading the
 * same templates again changes nothing.
 * @internal
 */
export async function deployTemplates(service: StepFunctionsService, scope: ArnScope, prepared: PreparedTemplates): Promise<LoadedStateMachine[]> {
  return new Deployer(service, scope).deploy(prepared.groups);
}

/**
 * The values given over those of a SAM template file's configuration (samconfig.toml beside it,
 * or the one named), as sam deploy takes them; a cdk.out's stacks have none.
 */
function withSamConfig(
  path: string, stacks: readonly LoadedStack[], given: Readonly<Record<string, string>> | undefined,
  samConfig: { readonly options: SamConfigOptions; readonly note: (message: string) => void } | undefined,
): Readonly<Record<string, string>> | undefined {
  const options = samConfig?.options ?? {};
  if (stacks.length !== 1 || stacks[0].within !== '' || stacks[0].label !== path) {
    if (options.configFile !== undefined || options.configEnv !== undefined) {
      throw new TemplateLoadError('load', path, 'a SAM configuration file gives the parameters of a template file; this is a cdk.out directory');
    }
    return given;
  }
  try {
    const fromConfig = samConfigValues(path, declaredParameters(stacks[0].template), options, samConfig?.note ?? (() => undefined));
    return fromConfig === undefined ? given : { ...fromConfig, ...given };
  } catch (e) {
    if (e instanceof SamConfigError) throw new TemplateLoadError('load', path, e.message);
    throw e;
  }
}

function extractGroups(
  path: string, stacks: readonly LoadedStack[], options: ResolveOptions, parameters: Readonly<Record<string, string>> | undefined,
): Group[] {
  // The values given are the deployed stacks'; a nested stack takes what its parent passes.
  const takers = stacksTakingParameters(stacks);
  const groups = stacks.map((stack) => {
    // Each stack taking the values given takes those of the parameters it declares.
    const declared = declaredParameters(stack.template);
    const own = parameters && takers.includes(stack)
      ? Object.fromEntries(Object.entries(parameters).filter(([name]) => declared.includes(name))) : undefined;
    try {
      return {
        stack,
        machines: extractVersionedStateMachines(stack.template, {
          ...options,
          stackName: stack.stackName,
          ...(stack.resourcePaths ? { resourcePaths: stack.resourcePaths } : {}),
          ...(stack.templateDir ? { templateDir: stack.templateDir } : {}),
          // The values given win over a nested stack's, as they win over a Default.
          ...(stack.parameters || own ? { parameters: { ...stack.parameters, ...own } } : {}),
        }),
      };
    } catch (e) {
      if (e instanceof TemplateError) throw new TemplateLoadError('load', path, `${stack.within}${e.message}`);
      throw e;
    }
  });
  if (groups.every((g) => g.machines.length === 0)) {
    const where = groups.length === 1 ? 'the template has' : `none of its ${groups.length} stacks has`;
    throw new TemplateLoadError('load', path, `${where} no AWS::StepFunctions::StateMachine resource; give the template or cdk.out of the app that defines the state machines`);
  }
  return groups;
}

function readStacks(path: string, given: Readonly<Record<string, string>> | undefined): LoadedStack[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch {
    throw new TemplateLoadError('load', path, "no such file or directory; give a template (a synthesized *.template.json, or a CloudFormation or SAM template.yaml) or a cdk.out directory ('cdk synth' writes one)");
  }
  try {
    if (stat.isDirectory()) {
      // What a stack passes its nested stacks is resolved with the values given it.
      return assemblyStacksGiven(path, given).map((s) => ({ ...s, path, label: `${path} ${s.displayName ?? s.artifactId}`, within: `stack ${s.displayName ?? s.artifactId}: ` }));
    }
    const source = templateFromFile(path);
    if ('States' in source.template && !('Resources' in source.template)) {
      throw new TemplateLoadError('load', path, 'this is an ASL definition, not a CloudFormation template; create it with CreateStateMachine, or load the template that holds it');
    }
    return [{ ...source, path, label: path, within: '' }];
  } catch (e) {
    if (e instanceof TemplateError) throw new TemplateLoadError('load', path, e.message);
    throw e;
  }
}

/** The groups' machines that the selectors pick (all of them without selectors). */
function select(groups: readonly Group[], selectors: readonly string[]): Group[] {
  if (selectors.length === 0) return [...groups];
  const picked = new Set<ExtractedStateMachine>();
  for (const selector of selectors) {
    let found = false;
    for (const g of groups) {
      if (g.machines.length === 0) continue;
      try {
        picked.add(selectStateMachine(g.machines.map((m) => m.machine), selector));
        found = true;
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        if (e.code !== 'STATE_MACHINE_NOT_FOUND') throw new TemplateLoadError('loadStateMachines', selector, `${g.stack.label}: ${e.message}`);
      }
    }
    if (!found) {
      const candidates = groups.flatMap((g) => g.machines.map(({ machine: m }) => {
        const extras = [m.name && `name ${m.name}`, m.path && `path ${m.path}`].filter(Boolean);
        return `  - ${g.stack.label}: ${m.logicalId}${extras.length ? ` (${extras.join(', ')})` : ''}`;
      }));
      throw new TemplateLoadError('loadStateMachines', selector,
        `no state machine of the loaded templates matches; choose one by logical id, StateMachineName or construct path:\n${candidates.join('\n')}`);
    }
  }
  return groups.map((g) => ({ stack: g.stack, machines: g.machines.filter((m) => picked.has(m.machine)) }));
}

/** Applies the templates' resources through the service's operations, reading what is there first. */
class Deployer {
  /** Placeholder version ARN (from the templates) to the server's version ARN. */
  private readonly versionArns = new Map<string, string>();
  /** Server versions of each machine, by machine ARN. */
  private readonly versions = new Map<string, ServerVersion[]>();
  /** Server version ARNs given to a template's version in this load: another template's version cannot take them. */
  private readonly claimed = new Set<string>();

  constructor(private readonly service: StepFunctionsService, private readonly scope: ArnScope) {}

  async deploy(groups: readonly Group[]): Promise<LoadedStateMachine[]> {
    const machines = new Map<string, { m: ExtractedStateMachine; stack: LoadedStack; definition: string; roleArn: string; versionArns: string[] }>();
    const aliases = new Map<string, { alias: ExtractedStateMachineAlias; stack: LoadedStack; routing: LoadedRoute[] }>();
    for (const { stack, machines: versioned } of groups) {
      for (const { machine: m, versions, aliases: declared } of versioned) {
        const definition = JSON.stringify(m.rawDefinition);
        const roleArn = this.roleOf(stack, m, machineName(m));
        const arn = await this.checkType(stack, m);
        // A later template's declaration (the next deploy) replaces the earlier one; the versions add up.
        const entry = { m, stack, definition, roleArn, versionArns: machines.get(arn)?.versionArns ?? [] };
        machines.set(arn, entry);
        for (const v of versions) {
          let server = this.versionArns.get(v.arn);
          if (server === undefined) {
            server = await this.version(stack, m, arn, definition, roleArn, v.number, v.description);
            this.versionArns.set(v.arn, server);
          }
          if (!entry.versionArns.includes(server)) entry.versionArns.push(server);
        }
        for (const a of declared) {
          // Numbered from 1, a later deploy's new version takes the number of the earlier deploy's version it routes to.
          if (a.routing.length === 2 && a.routing[0].versionArn === a.routing[1].versionArn) {
            throw new TemplateLoadError('load', stack.path, `${stack.within}alias '${a.name}' (${a.logicalId}) routes twice to ${a.routing[0].versionArn}: `
              + 'the template numbers its own version as the first, and routes to a version of an earlier deploy with the same number; '
              + '--load the templates of the earlier deploys first, oldest first, so that versions number on as they did on AWS');
          }
          const before = aliases.get(a.arn)?.routing ?? await this.currentRouting(a.arn);
          aliases.set(a.arn, { alias: a, stack, routing: this.routing(a, before) });
        }
      }
    }
    // The machine ends with the definition of the last template that declares it, as after the last deploy.
    for (const [arn, { m, stack, definition, roleArn }] of machines) await this.ensureCurrent(stack, m, arn, definition, roleArn);
    for (const { alias, stack, routing } of aliases.values()) await this.ensureAlias(stack, alias, routing);
    return [...machines].map(([arn, { m, stack, versionArns }]) => ({
      name: parseMachineArn(arn).name,
      stateMachineArn: arn,
      type: m.type,
      source: stack.label,
      versionArns,
      aliases: [...aliases.values()].filter((a) => parseMachineArn(a.alias.arn).base === arn)
        .map(({ alias, routing }) => ({ name: alias.name, stateMachineAliasArn: alias.arn, routingConfiguration: routing })),
    }));
  }

  /** The machine's ARN on the server; refuses one the data directory holds with another type. */
  private async checkType(stack: LoadedStack, m: ExtractedStateMachine): Promise<string> {
    const arn = arnOf(this.scope, 'stateMachine', machineName(m));
    const existing = await this.describe(arn);
    if (existing && existing.type !== m.type) {
      throw this.fault(stack, m, `the server already has ${arn} as ${String(existing.type)}, and the template declares it ${m.type}; `
        + 'a state machine cannot change type: delete it (DeleteStateMachine) or start with another data directory');
    }
    return arn;
  }

  /**
   * The server version a template's version resource stands for. A version
   * already there with the template's number and definition is it (loaded
   * before); else one with the same definition that no other version of these
   * templates took (numbered otherwise, as when the server had versions of its
   * own); else a new one, published from the template's definition.
   */
  private async version(
    stack: LoadedStack, m: ExtractedStateMachine, arn: string, definition: string, roleArn: string, number: number, description: string | undefined,
  ): Promise<string> {
    const versions = await this.serverVersions(arn);
    const found = versions.find((v) => v.number === number && v.definition === definition)
      ?? versions.find((v) => v.definition === definition && !this.claimed.has(v.arn));
    if (found) {
      this.claimed.add(found.arn);
      return found.arn;
    }
    await this.ensureCurrent(stack, m, arn, definition, roleArn);
    const published = await this.call(stack, m, 'PublishStateMachineVersion', { stateMachineArn: arn, ...(description !== undefined ? { description } : {}) });
    const versionArn = published.stateMachineVersionArn!;
    if (!versions.some((v) => v.arn === versionArn)) versions.push({ arn: versionArn, number: versionNumber(versionArn), definition });
    this.claimed.add(versionArn);
    return versionArn;
  }

  /**
   * Where the alias sends executions once this template is deployed. With a
   * `DeploymentPreference`, the routing the deployment starts from: the AWS
   * CloudFormation reference (AWS::StepFunctions::StateMachineAlias,
   * DeploymentPreference) says CloudFormation "shifts traffic from the version
   * an alias currently points to" to the new one. A new alias points at no
   * version, so there is nothing to shift from and it starts, and stays, at the
   * new version with weight 100 (as does ALL_AT_ONCE). An alias that points at
   * another version (loaded from an earlier template, or already on the
   * server) starts a CANARY or LINEAR deployment at its first step: the new
   * version takes `Percentage`, the version it pointed at (its heaviest route)
   * the rest. The server does not shift traffic on over time: move the alias
   * with UpdateStateMachineAlias.
   */
  private routing(a: ExtractedStateMachineAlias, before: readonly LoadedRoute[] | undefined): LoadedRoute[] {
    const server = (versionArn: string): string => this.versionArns.get(versionArn) ?? versionArn;
    const d = a.deployment;
    if (!d) return a.routing.map((r) => ({ stateMachineVersionArn: server(r.versionArn), weight: r.weight }));
    const target = server(d.versionArn);
    const from = before && before.length > 0 ? [...before].sort((x, y) => y.weight - x.weight)[0].stateMachineVersionArn : undefined;
    if (from === undefined || from === target || d.type === 'ALL_AT_ONCE' || d.percentage === undefined) {
      return [{ stateMachineVersionArn: target, weight: 100 }];
    }
    return [{ stateMachineVersionArn: from, weight: 100 - d.percentage }, { stateMachineVersionArn: target, weight: d.percentage }];
  }

  /** Creates the machine, or updates it when its definition, role, logging or tracing differ from the template's. */
  private async ensureCurrent(stack: LoadedStack, m: ExtractedStateMachine, arn: string, definition: string, roleArn: string): Promise<void> {
    const current = await this.describe(arn);
    const config = this.configurationOf(stack, m);
    if (!current) {
      await this.call(stack, m, 'CreateStateMachine', { name: parseMachineArn(arn).name, definition, roleArn, type: m.type, ...config });
    } else if (current.definition !== definition || current.roleArn !== roleArn || !sameConfiguration(current, config)) {
      await this.call(stack, m, 'UpdateStateMachine', { stateMachineArn: arn, definition, roleArn, ...config });
    }
  }

  /** What the machine's template configures besides its definition and role, as CloudFormation passes it to CreateStateMachine. */
  private configurationOf(stack: LoadedStack, m: ExtractedStateMachine): MachineConfiguration {
    const { region, account } = this.scope;
    const { loggingConfiguration: logging, tracingConfiguration, encryptionConfiguration: encryption } = templateMachineConfiguration(
      stack.template, m.logicalId, { region, account, stackName: stack.stackName });
    // The template's words go to the service as given; the operations read them as the SDK's would.
    return {
      ...(logging ? {
        loggingConfiguration: {
          ...(logging.level !== undefined ? { level: logging.level as sdk.LogLevel } : {}),
          ...(logging.includeExecutionData !== undefined ? { includeExecutionData: logging.includeExecutionData } : {}),
          ...(logging.destinations ? { destinations: [...logging.destinations] } : {}),
        },
      } : {}),
      ...(tracingConfiguration ? { tracingConfiguration } : {}),
      ...(encryption ? { encryptionConfiguration: { ...encryption, type: encryption.type as sdk.EncryptionType } } : {}),
    };
  }

  private async ensureAlias(stack: LoadedStack, alias: ExtractedStateMachineAlias, routing: LoadedRoute[]): Promise<void> {
    const existing = await this.alias(alias.arn);
    const where = (e: ApiError): TemplateLoadError => {
      const hint = e.type === ApiErrors.ResourceNotFound
        ? `; a version it routes to is neither declared in the loaded templates nor on the server: --load the template of the deploy that published it first (${routing.map((r) => r.stateMachineVersionArn).join(', ')})`
        : '';
      return new TemplateLoadError('load', stack.path, `${stack.within}alias '${alias.name}' (${alias.logicalId}): ${e.message}${hint}`);
    };
    const description = alias.description !== undefined ? { description: alias.description } : {};
    try {
      if (!existing) {
        await this.service.call('CreateStateMachineAlias', { name: alias.name, routingConfiguration: routing, ...description }, NO_SIGNAL);
      } else if (JSON.stringify(existing.routingConfiguration) !== JSON.stringify(routing)
        || (alias.description !== undefined && existing.description !== alias.description)) {
        await this.service.call('UpdateStateMachineAlias', { stateMachineAliasArn: alias.arn, routingConfiguration: routing, ...description }, NO_SIGNAL);
      }
    } catch (e) {
      if (e instanceof ApiError) throw where(e);
      throw e;
    }
  }

  private async currentRouting(aliasArn: string): Promise<LoadedRoute[] | undefined> {
    return (await this.alias(aliasArn))?.routingConfiguration?.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn!, weight: r.weight! }));
  }

  private async serverVersions(arn: string): Promise<ServerVersion[]> {
    let versions = this.versions.get(arn);
    if (versions) return versions;
    versions = [];
    if (await this.describe(arn)) {
      let nextToken: string | undefined;
      do {
        const page = await this.service.call('ListStateMachineVersions', { stateMachineArn: arn, maxResults: AwsLimits.PAGE_SIZE, ...(nextToken ? { nextToken } : {}) }, NO_SIGNAL);
        for (const { stateMachineVersionArn: versionArn } of page.stateMachineVersions ?? []) {
          const described = await this.service.call('DescribeStateMachine', { stateMachineArn: versionArn }, NO_SIGNAL);
          versions.push({ arn: versionArn!, number: versionNumber(versionArn!), definition: described.definition! });
        }
        nextToken = page.nextToken;
      } while (nextToken);
      versions.sort((a, b) => a.number - b.number);
    }
    this.versions.set(arn, versions);
    return versions;
  }

  private describe(arn: string): Promise<AnswerOf<'DescribeStateMachine'> | undefined> {
    return this.orMissing(this.service.call('DescribeStateMachine', { stateMachineArn: arn }, NO_SIGNAL), ApiErrors.StateMachineDoesNotExist);
  }

  private alias(arn: string): Promise<AnswerOf<'DescribeStateMachineAlias'> | undefined> {
    return this.orMissing(this.service.call('DescribeStateMachineAlias', { stateMachineAliasArn: arn }, NO_SIGNAL), ApiErrors.ResourceNotFound);
  }

  private async orMissing<T>(answer: Promise<T>, missing: string): Promise<T | undefined> {
    try {
      return await answer;
    } catch (e) {
      if (e instanceof ApiError && e.type === missing) return undefined;
      throw e;
    }
  }

  /** An operation on the machine's behalf; the service's refusal (an invalid definition, say) names the template and the machine. */
  private async call<N extends OperationName>(
    stack: LoadedStack, m: ExtractedStateMachine, operation: N, params: RequestOf<N>,
  ): Promise<AnswerOf<N>> {
    try {
      return await this.service.call(operation, params, NO_SIGNAL);
    } catch (e) {
      if (e instanceof ApiError) throw this.fault(stack, m, `${operation}: ${e.message}`);
      throw e;
    }
  }

  private fault(stack: LoadedStack, m: ExtractedStateMachine, reason: string): TemplateLoadError {
    const where = m.path ? `${m.logicalId}, path ${m.path}` : m.logicalId;
    return new TemplateLoadError('load', stack.path, `${stack.within}state machine '${parseMachineArn(m.arn).name}' (${where}): ${reason}`);
  }

  /**
   * The role in the template's `RoleArn`, with the placeholder ARN the
   * harness gives a role of the template; a role the template cannot resolve
   * (imported, say) is named after the machine, as nothing checks it locally.
   */
  private roleOf(stack: LoadedStack, m: ExtractedStateMachine, name: string): string {
    const { region, account } = this.scope;
    const options = { region, account, stackName: stack.stackName, ...(stack.parameters ? { parameters: stack.parameters } : {}) };
    try {
      // The template's Fn::ForEach loops may make the machine, and their collections may need a parameter.
      const template = expandServerless(stack.template as CfnTemplate, options);
      const raw = template.Resources?.[m.logicalId]?.Properties?.RoleArn;
      if (raw !== undefined) {
        const resolver = new TemplateResolver(template, options);
        return checkRoleArn(resolver.resolveString(raw, { stateMachine: m.logicalId, location: 'RoleArn', record: () => undefined }));
      }
    } catch (e) {
      if (!(e instanceof TemplateError) && !(e instanceof ApiError)) throw e;
    }
    return awsArn(AwsDefaults.PARTITION, 'iam', '', this.scope.account, `role/${name}-role`);
  }
}

/**
 * The name a machine gets here: its `StateMachineName`, else its logical id, as the template's
 * placeholder ARN names it. CloudFormation names a machine without `StateMachineName` after its
 * logical id and a random suffix (`Orders4F2A11B7-AbCdEf123456`), cutting the logical id so the
 * whole fits the 80 characters a name may have (issues quoting such names: a 46-character logical
 * id kept whole, a longer one cut). A logical id longer than 80 characters (the CDK's integ
 * assertion machines have them) would be refused by CreateStateMachine, so it is cut the same way
 * here, a suffix from the logical id's hash in place of the random one, so two long ids sharing
 * their first characters stay apart. Where exactly CloudFormation cuts is not recorded.
 */
function machineName(m: ExtractedStateMachine): string {
  const name = parseMachineArn(m.arn).name;
  if (m.name !== undefined || name.length <= AwsLimits.NAME_CHARS) return name;
  const suffix = createHash('sha256').update(m.logicalId).digest('hex').slice(0, 12).toUpperCase();
  return `${name.slice(0, AwsLimits.NAME_CHARS - suffix.length - 1)}-${suffix}`;
}

/** What a template configures of a machine besides its definition and role. */
type MachineConfiguration = Pick<RequestOf<'CreateStateMachine'>, 'loggingConfiguration' | 'tracingConfiguration' | 'encryptionConfiguration'>;

/** Whether the machine already has the logging, tracing and encryption the template gives (what it leaves out is not compared). */
function sameConfiguration(current: AnswerOf<'DescribeStateMachine'>, config: MachineConfiguration): boolean {
  const logging = config.loggingConfiguration;
  const tracing = config.tracingConfiguration;
  const encryption = config.encryptionConfiguration;
  const has = current.loggingConfiguration;
  return (logging === undefined || ((logging.level ?? 'OFF') === (has?.level ?? 'OFF')
      && !!logging.includeExecutionData === !!has?.includeExecutionData
      && JSON.stringify(logging.destinations ?? []) === JSON.stringify(has?.destinations ?? [])))
    && (tracing === undefined || !!tracing.enabled === !!current.tracingConfiguration?.enabled)
    && (encryption === undefined || JSON.stringify(encryption) === JSON.stringify(current.encryptionConfiguration ?? null));
}

function versionNumber(versionArn: string): number {
  return Number(parseMachineArn(versionArn).qualifier);
}
