/*
 * Versions and aliases: publish, list and delete versions of a state machine;
 * create, describe, update, list and delete the aliases that route executions
 * between them.
 */
import type * as sdk from '@aws-sdk/client-sfn';
import { sameJson } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { ApiError } from '../api-errors';
import { parseMachineArn, type MachineArn } from '../arns';
import type { AliasRecord, MachineRecord, Route, VersionRecord } from '../model';
import type { RecordOf } from '../records';
import type { StepFunctionsService } from '../service';
import { date, page } from '../values';
import type { AnswerOf, RequestOf } from './operation-table';
import { ApiErrors } from '../../asl/api-errors';

export function publishStateMachineVersion(s: StepFunctionsService, p: RequestOf<'PublishStateMachineVersion'>): Promise<AnswerOf<'PublishStateMachineVersion'>> {
  const arn = parseMachineArn(p.stateMachineArn!);
  const { revisionId, description } = p;
  if (arn.qualifier !== undefined) throw new ApiError(ApiErrors.ValidationException, `Publish a version of the state machine itself, not of '${p.stateMachineArn!}'`);
  const machine = s.store.liveMachine(arn.base);
  if (revisionId !== undefined && revisionId !== machine.current.revisionId) {
    throw new ApiError(ApiErrors.ConflictException, `Failed to publish the State Machine version for revision ${revisionId}. The current State Machine revision is ${machine.current.revisionId}.`);
  }
  const existing = [...machine.versions.values()].find((v) => v.revision === machine.current);
  if (existing) return Promise.resolve({ stateMachineVersionArn: existing.arn, creationDate: date(existing.creationDate) });
  refuseVersionPastQuota(machine, true);
  const record: RecordOf<'version'> = { t: 'version', arn: machine.arn, description, at: s.now() };
  const version = applyPublish(s, record);
  return s.persist(record).then(() => ({ stateMachineVersionArn: version.arn, creationDate: date(version.creationDate) }));
}

/**
 * Refuses a publish that would give `machine` a version more than it may have (AwsLimits.VERSIONS_PER_MACHINE):
 * ServiceQuotaExceededException, "The request would cause a service quota to be exceeded" (the model),
 * which PublishStateMachineVersion and UpdateStateMachine declare. `publishesNew`: whether the
 * request makes a version (a publish of a revision a version has already is answered that version).
 * The words are serve's: AWS's are not recorded.
 * @internal
 */
export function refuseVersionPastQuota(machine: MachineRecord, publishesNew: boolean): void {
  if (!publishesNew || machine.versions.size < AwsLimits.VERSIONS_PER_MACHINE) return;
  throw new ApiError(ApiErrors.ServiceQuotaExceededException, `Service quota exceeded: '${machine.arn}' has ${machine.versions.size} versions, `
    + `the most a state machine may have (${AwsLimits.VERSIONS_PER_MACHINE}); delete one with DeleteStateMachineVersion`);
}

export function applyPublish(s: StepFunctionsService, r: RecordOf<'version'>): VersionRecord {
  return publish(s.store.journaledMachine(r.arn), r.description ?? undefined, r.at);
}

export function publish(machine: MachineRecord, description: string | undefined, at: number): VersionRecord {
  const existing = [...machine.versions.values()].find((v) => v.revision === machine.current);
  if (existing) return existing;
  const number = machine.nextVersion++;
  const version: VersionRecord = { arn: `${machine.arn}:${number}`, number, revision: machine.current, description, creationDate: at };
  machine.versions.set(number, version);
  return version;
}

/**
 * The versions of a state machine, newest first. Of a state machine there is not, InvalidArn: the
 * model declares no StateMachineDoesNotExist for ListStateMachineVersions (botocore's
 * stepfunctions-2016-11-23: InvalidArn, InvalidToken, ValidationException), and AWS answers
 * InvalidArn there (LocalStack's provider, checked against AWS, refuses it so, "see InvalidArn
 * behaviour difference", localstack/localstack pull request 10421; Floci: "AWS returns InvalidArn for
 * a non-existent state machine here"). The words are inferred, as serve's other InvalidArn's.
 */
export function listStateMachineVersions(s: StepFunctionsService, p: RequestOf<'ListStateMachineVersions'>): AnswerOf<'ListStateMachineVersions'> {
  const base = parseMachineArn(p.stateMachineArn!).base;
  const machine = s.store.machines.find(base);
  if (!machine) throw new ApiError(ApiErrors.InvalidArn, `Invalid Arn: '${p.stateMachineArn!}'`);
  const all = [...machine.versions.values()].reverse().map((v) => ({ stateMachineVersionArn: v.arn, creationDate: date(v.creationDate) }));
  const { items, nextToken } = page(all, p, `versions:${base}`);
  return { stateMachineVersions: items, ...(nextToken ? { nextToken } : {}) };
}

export function deleteStateMachineVersion(s: StepFunctionsService, p: RequestOf<'DeleteStateMachineVersion'>): Promise<AnswerOf<'DeleteStateMachineVersion'>> {
  const arn = parseMachineArn(p.stateMachineVersionArn!);
  if (arn.qualifier === undefined || !/^\d+$/.test(arn.qualifier)) throw new ApiError(ApiErrors.ValidationException, `Not a state machine version ARN: '${p.stateMachineVersionArn!}'`);
  const machine = s.store.machines.find(arn.base);
  const version = machine?.versions.get(Number(arn.qualifier));
  if (!machine || !version) return Promise.resolve({});
  const users = [...machine.aliases.values()].filter((a) => a.routing.some((r) => r.stateMachineVersionArn === version.arn));
  if (users.length > 0) {
    throw new ApiError(ApiErrors.ConflictException, `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${users.map((a) => a.name).join(', ')}]`);
  }
  const record: RecordOf<'deleteVersion'> = { t: 'deleteVersion', arn: version.arn };
  applyDeleteVersion(s, record);
  return s.persist(record).then(() => ({}));
}

export function applyDeleteVersion(s: StepFunctionsService, r: RecordOf<'deleteVersion'>): void {
  const arn = parseMachineArn(r.arn);
  s.store.machines.find(arn.base)?.versions.delete(Number(arn.qualifier));
}

export function createStateMachineAlias(s: StepFunctionsService, p: RequestOf<'CreateStateMachineAlias'>): Promise<AnswerOf<'CreateStateMachineAlias'>> {
  const name = p.name!;
  const description = p.description;
  const routing = routingLookup(s, routingChecks(p.routingConfiguration!));
  const machine = s.store.liveMachine(parseMachineArn(routing[0].stateMachineVersionArn).base);
  const arn = `${machine.arn}:${name}`;
  const existing = machine.aliases.get(name);
  if (existing) {
    if (sameJson(existing.routing, routing) && existing.description === description) {
      return Promise.resolve({ stateMachineAliasArn: arn, creationDate: date(existing.creationDate) });
    }
    throw new ApiError(ApiErrors.ConflictException, 'Failed to create alias because an alias with the same name and a different routing configuration already exists.');
  }
  if (machine.aliases.size >= AwsLimits.ALIASES_PER_MACHINE) {
    // The quota of CreateStateMachineAlias (API reference), after its idempotency: a repeat is answered.
    throw new ApiError(ApiErrors.ServiceQuotaExceededException, `Service quota exceeded: '${machine.arn}' has ${machine.aliases.size} aliases, `
      + `the most a state machine may have (${AwsLimits.ALIASES_PER_MACHINE}); delete one with DeleteStateMachineAlias`);
  }
  const record: RecordOf<'alias'> = { t: 'alias', arn, name, description, routing, at: s.now(), create: true };
  const alias = applyAlias(s, record);
  return s.persist(record).then(() => ({ stateMachineAliasArn: arn, creationDate: date(alias.creationDate) }));
}

export function applyAlias(s: StepFunctionsService, r: RecordOf<'alias'>): AliasRecord {
  const arn = parseMachineArn(r.arn);
  const machine = s.store.journaledMachine(arn.base);
  if (arn.qualifier === undefined) throw new Error(`'${r.arn}' is not an alias ARN`);
  const existing = machine.aliases.get(arn.qualifier);
  if (existing && !r.create) {
    if (typeof r.description === 'string') existing.description = r.description;
    if (r.routing) existing.routing = r.routing;
    existing.updateDate = r.at;
    return existing;
  }
  if (typeof r.name !== 'string' || !r.routing) throw new Error('an alias created needs a name and a routing');
  const alias: AliasRecord = {
    arn: r.arn,
    name: r.name,
    description: r.description ?? undefined,
    routing: r.routing,
    creationDate: r.at,
  };
  machine.aliases.set(alias.name, alias);
  return alias;
}

export function describeStateMachineAlias(s: StepFunctionsService, p: RequestOf<'DescribeStateMachineAlias'>): AnswerOf<'DescribeStateMachineAlias'> {
  const alias = s.store.alias(p.stateMachineAliasArn!);
  return {
    stateMachineAliasArn: alias.arn,
    name: alias.name,
    routingConfiguration: alias.routing,
    creationDate: date(alias.creationDate),
    ...(alias.description !== undefined ? { description: alias.description } : {}),
    ...(alias.updateDate !== undefined ? { updateDate: date(alias.updateDate) } : {}),
  };
}

export function updateStateMachineAlias(s: StepFunctionsService, p: RequestOf<'UpdateStateMachineAlias'>): Promise<AnswerOf<'UpdateStateMachineAlias'>> {
  const description = p.description;
  parseMachineArn(p.stateMachineAliasArn!);
  const routes = p.routingConfiguration === undefined ? undefined : routingChecks(p.routingConfiguration);
  const alias = s.store.alias(p.stateMachineAliasArn!);
  s.store.liveMachine(parseMachineArn(alias.arn).base);
  if (description === undefined && routes === undefined) {
    throw new ApiError(ApiErrors.ValidationException, 'Give a description or a routingConfiguration to update the alias');
  }
  const routing = routes === undefined ? undefined : routingLookup(s, routes, parseMachineArn(alias.arn).base);
  const record: RecordOf<'alias'> = { t: 'alias', arn: alias.arn, description, routing, at: s.now() };
  applyAlias(s, record);
  return s.persist(record).then(() => ({ updateDate: date(alias.updateDate!) }));
}

/**
 * The aliases of a state machine; of a version's ARN, those that route to that version ("To list
 * aliases that reference a state machine version, you can specify the version ARN in the
 * stateMachineArn parameter", ListStateMachineAliases, API reference), of a version there is not,
 * ResourceNotFound.
 */
export function listStateMachineAliases(s: StepFunctionsService, p: RequestOf<'ListStateMachineAliases'>): AnswerOf<'ListStateMachineAliases'> {
  const arn = parseMachineArn(p.stateMachineArn!);
  const machine = s.store.liveMachine(arn.base);
  const version = arn.qualifier !== undefined && /^\d+$/.test(arn.qualifier) ? `${machine.arn}:${arn.qualifier}` : undefined;
  // A version the state machine does not have is ResourceNotFound, "Could not find the referenced
  // resource" (the model declares it for ListStateMachineAliases), in the words of AWS's TagResource (recorded).
  if (version !== undefined && !machine.versions.has(Number(arn.qualifier))) throw new ApiError(ApiErrors.ResourceNotFound, `Resource not found: '${p.stateMachineArn!}'`);
  const all = [...machine.aliases.values()]
    .filter((a) => version === undefined || a.routing.some((r) => r.stateMachineVersionArn === version))
    .map((a) => ({ stateMachineAliasArn: a.arn, creationDate: date(a.creationDate) }));
  const { items, nextToken } = page(all, p, `aliases:${version ?? machine.arn}`);
  return { stateMachineAliases: items, ...(nextToken ? { nextToken } : {}) };
}

export function deleteStateMachineAlias(s: StepFunctionsService, p: RequestOf<'DeleteStateMachineAlias'>): Promise<AnswerOf<'DeleteStateMachineAlias'>> {
  const arn = parseMachineArn(p.stateMachineAliasArn!);
  // An ARN of no alias (a state machine's, a version's) is InvalidArn, as DescribeStateMachineAlias and
  // UpdateStateMachineAlias answer it; an alias that is not there is deleted already (recorded: test_delete_no_such_alias_arn).
  if (arn.qualifier === undefined || /^\d+$/.test(arn.qualifier)) s.store.alias(p.stateMachineAliasArn!);
  if (!s.store.machines.find(arn.base)?.aliases.has(arn.qualifier ?? '')) return Promise.resolve({});
  const record: RecordOf<'deleteAlias'> = { t: 'deleteAlias', arn: `${arn.base}:${arn.qualifier!}` };
  applyDeleteAlias(s, record);
  return s.persist(record).then(() => ({}));
}

export function applyDeleteAlias(s: StepFunctionsService, r: RecordOf<'deleteAlias'>): void {
  const arn = parseMachineArn(r.arn);
  s.store.machines.find(arn.base)?.aliases.delete(arn.qualifier!);
}

/** A route as the request gives it, its ARN read. */
interface GivenRoute { readonly arn: MachineArn; readonly text: string; readonly weight: number }

/**
 * What AWS checks of a routing configuration once the model's checks (one or two routes, each with
 * an ARN and a weight of 0-100) pass, in its order and words (recorded 2025), before it looks
 * anything up: ARNs of state machine versions, distinct, weights summing to 100.
 */
function routingChecks(value: readonly sdk.RoutingConfigurationListItem[]): GivenRoute[] {
  const given = value.map((v) => v.stateMachineVersionArn!);
  const routes = value.map((v, i) => ({ arn: parseMachineArn(given[i]), text: given[i], weight: v.weight! }));
  if (routes.some((r) => r.arn.qualifier === undefined || !/^\d+$/.test(r.arn.qualifier))) {
    throw new ApiError(ApiErrors.ValidationException, `Routing configuration must contain state machine version ARNs. Received: [${given.join(', ')}]`);
  }
  if (given.length === 2 && given[0] === given[1]) {
    throw new ApiError(ApiErrors.ValidationException, `Routing configuration must contain distinct state machine version ARNs. Received: [${given.join(', ')}]`);
  }
  if (routes.reduce((sum, r) => sum + r.weight, 0) !== 100) {
    throw new ApiError(ApiErrors.ValidationException, `Sum of routing configuration weights must equal 100. Received: [${routes.map((r) => r.weight).join(', ')}]`);
  }
  return routes;
}

/**
 * The versions the routes name, looked up: all of one state machine (`machineArn`'s, for an alias
 * that has one). A version that is not there, of a state machine that is or is not, is
 * ResourceNotFound, the error CreateStateMachineAlias and UpdateStateMachineAlias declare for a
 * resource they cannot find (API reference: "Could not find the referenced resource"); neither
 * declares StateMachineDoesNotExist. Its words follow AWS's recorded ResourceNotFound of TagResource.
 */
function routingLookup(s: StepFunctionsService, given: readonly GivenRoute[], machineArn?: string): Route[] {
  const routes = given.map(({ arn, text, weight }) => {
    if (!s.store.machines.find(arn.base)?.versions.has(Number(arn.qualifier))) throw new ApiError(ApiErrors.ResourceNotFound, `Resource not found: '${text}'`);
    return { stateMachineVersionArn: `${arn.base}:${arn.qualifier}`, weight };
  });
  const bases = new Set(routes.map((r) => parseMachineArn(r.stateMachineVersionArn).base));
  if (bases.size > 1 || (machineArn !== undefined && !bases.has(machineArn))) throw new ApiError(ApiErrors.ValidationException, 'All routes of an alias must name versions of the same state machine');
  return routes;
}
