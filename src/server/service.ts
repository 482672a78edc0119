import { randomInt, randomUUID } from 'node:crypto';
import {
  arnOf, checkRoleArn, parseActivityArn, parseExecutionArn, parseMachineArn, parseMapRunArn, type ArnScope,
} from './arns';
import { ExecutionClock, type ScaledClock } from './clock';
import { ApiError, checkAliasName, checkName, checkVersionDescription, optionalString, requireString, validationError } from './errors';
import { mapRuns, redrivePoint, renderEvent } from './history';
import type { Journal, JournalRecord } from './journal';
import { interpreter, validator } from './lazy';
import type {
  ActivityRecord, AliasRecord, ExecutionRecord, LoggingConfiguration, MachineRecord, Route, TokenRecord, VersionRecord,
} from './model';
import { TaskRouter } from './tasks';
import {
  awsCode, date, describe, describeRevision, invalidDefinitionMessage, machineType, newRevision, normalLogging, page, parseJson, sameJson,
  shownRevisionId, tagList, type Params, type Response,
} from './values';
import { DefinitionError } from '../asl/errors';
import { seededRandom } from '../asl/random';
import type { JsonValue, StateMachineDefinition } from '../asl/types';
import type { ResourceRef } from '../cfn/resolver';
import type { HistoryEvent } from '../interpreter/history';
import type { Execution } from '../interpreter/state-machine';
import type { ExecutionResult, TaskHandler } from '../interpreter/types';
import { MockConfigError, mockResponsesFor, type MockConfig } from '../testing/mock-config';


/** Largest execution input or task output AWS accepts, in UTF-8 bytes. */
const MAX_PAYLOAD = 262_144;
/** How long GetActivityTask waits for a task, as on AWS (in server time). */
const ACTIVITY_POLL_MS = 60_000;
/** How long after a restart an unknown task token may still be re-issued by an execution replaying its journal. */
const REPLAY_WINDOW_MS = 5_000;
/** ListExecutions takes a longer nextToken than the other listings (3,096 characters, not 1,024). */
const LIST_EXECUTIONS_TOKEN_LENGTH = 3096;
/** ListExecutions' statusFilter values, in the order AWS lists them when it refuses another. */
const EXECUTION_STATUSES = ['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING'];
/** AWS's answer to StartSyncExecution on a STANDARD machine and ListExecutions on an EXPRESS one. */
const TYPE_NOT_SUPPORTED = 'This operation is not supported by this type of state machine';

/**
 * Refuses execution input that is not JSON in AWS's frame, "Invalid State Machine Execution
 * Input: '…'" (recorded); inside it AWS quotes its JSON parser, here JavaScript's.
 */
function checkExecutionInput(input: string): void {
  if (input.trim() === '') throw new ApiError('InvalidExecutionInput', "Invalid State Machine Execution Input: 'Invalid execution input.'");
  try {
    JSON.parse(input);
  } catch (e) {
    throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(e as Error).message}'`);
  }
}

/** An alias's routes as AWS shows them in a refusal (Java's toString of its request items). */
function routingText(routes: readonly unknown[]): string {
  const items = routes.map((r) => {
    const route = (r ?? {}) as { stateMachineVersionArn?: unknown; weight?: unknown };
    return `RoutingConfigurationListItem(stateMachineVersionArn=${String(route.stateMachineVersionArn)}, weight=${String(route.weight)})`;
  });
  return `[${items.join(', ')}]`;
}

/** What the service is built from. @internal */
export interface ServiceOptions extends ArnScope {
  readonly clock: ScaledClock;
  readonly mockConfig?: MockConfig;
  readonly handlers: Readonly<Record<string, TaskHandler>>;
  /** Resources of the loaded templates, by placeholder ARN: Lambda functions with inline code run it. */
  readonly functions?: ReadonlyMap<string, ResourceRef>;
  readonly journal?: Journal;
  readonly log: (line: string) => void;
}

/**
 * The Step Functions API over the interpreter: resources and executions in
 * memory, every change journaled (when there is a journal) before it is answered.
 * @internal
 */
export class StepFunctionsService {
  private readonly machines = new Map<string, MachineRecord>();
  private readonly activities = new Map<string, ActivityRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  /** Standard executions per state machine ARN, oldest first. */
  private readonly byMachine = new Map<string, ExecutionRecord[]>();
  private readonly records = new WeakMap<Execution, ExecutionRecord>();
  private readonly router: TaskRouter;
  /** While replaying the journal: answers and deliveries of task tokens, by token. */
  private readonly replayedAnswers = new Map<string, { ok: boolean; output?: JsonValue; error?: string; cause?: string }>();
  private readonly replayedDeliveries = new Set<string>();
  private readonly replayedHeartbeats = new Map<string, number>();
  private readonly replayedRedrives = new Map<string, number>();
  /** Settings given by UpdateMapRun, by Map Run ARN. */
  private readonly mapRunSettings = new Map<string, Record<string, number>>();
  /** Executions that were running when the journal was read, re-run from their start. */
  private readonly rerun = new Set<ExecutionRecord>();
  private replaying = false;
  /** Until then (ms, real time), SendTask* waits briefly for a token not yet re-issued by a replaying execution. */
  private replayWindowEnd = 0;
  private closing = false;

  constructor(private readonly options: ServiceOptions) {
    options.journal?.compactWith((records) => this.compactJournal(records));
    this.router = new TaskRouter({
      handlers: options.handlers,
      ...(options.functions ? { functions: options.functions } : {}),
      recordOf: (e) => this.records.get(e),
      replayedAnswer: (token) => this.replayedAnswers.get(token),
      replayedDelivery: (token) => this.replayedDeliveries.has(token),
      replayedHeartbeat: (token) => this.replayedHeartbeats.get(token),
      delivered: (token, worker) => { void this.persist({ t: 'delivered', token, worker }); },
      log: options.log,
    });
  }

  /** Rebuilds the state from journaled records; executions that were running run again from their start. */
  restore(records: readonly JournalRecord[]): void {
    this.replaying = true;
    const closed = new Map<string, JournalRecord>();
    for (const r of records) {
      if (r.t === 'callback') this.replayedAnswers.set(r.token as string, r as never);
      if (r.t === 'delivered') this.replayedDeliveries.add(r.token as string);
      if (r.t === 'heartbeat') this.replayedHeartbeats.set(r.token as string, r.at as number);
      if (r.t === 'closed') closed.set(r.arn as string, r);
    }
    for (const r of records) {
      if (r.t === 'closed' || r.t === 'callback' || r.t === 'delivered' || r.t === 'heartbeat' || r.t === 'compacted') continue;
      this.apply(r, closed);
    }
    this.replaying = false;
    this.replayWindowEnd = Date.now() + REPLAY_WINDOW_MS;
  }

  /** Answers one operation. */
  async call(operation: string, params: Params, signal: AbortSignal): Promise<Response> {
    const op = OPERATIONS[operation];
    if (!op) throw new ApiError('UnknownOperationException', `Unknown operation: '${operation}'`);
    const response = await op.call(this, params, signal);
    // Whatever the answer shows must survive a crash: wait for the journal to catch up.
    if (this.options.journal) await this.options.journal.settled();
    return response;
  }

  /** Stops accepting work: long polls end, running executions are left as they are (they resume from the journal). */
  close(): void {
    this.closing = true;
    this.router.releasePollers();
  }

  // ---- journal

  private async persist(record: JournalRecord): Promise<void> {
    if (this.replaying || !this.options.journal) return;
    await this.options.journal.append(record);
  }

  /**
   * The records that rebuild the state the journal's `records` describe, for
   * compacting it. Resources keep their records, in order (version numbers and
   * deletions depend on it). A closed execution keeps its start and one closing
   * record holding its whole history; its redrives, stops and task-token
   * records are dropped, as a closed execution does not run again on restart.
   * A running execution, which restart runs again, keeps all of its records,
   * but only the last heartbeat of each token.
   */
  private compactJournal(records: readonly JournalRecord[]): JournalRecord[] {
    const running = (arn: unknown): boolean => this.executions.get(arn as string)?.status === 'RUNNING';
    // A token not re-issued yet may belong to an execution still replaying its run from before a restart.
    const replaying = [...this.rerun].some((e) => e.status === 'RUNNING');
    const tokenLive = (token: unknown): boolean => {
      const owner = this.router.tokens.get(token as string);
      return owner ? owner.record.status === 'RUNNING' : replaying;
    };
    const lastHeartbeat = new Map<unknown, JournalRecord>();
    const lastClosed = new Map<unknown, JournalRecord>();
    for (const r of records) {
      if (r.t === 'heartbeat') lastHeartbeat.set(r.token, r);
      if (r.t === 'closed') lastClosed.set(r.arn, r);
    }
    const out: JournalRecord[] = [];
    const closedExecutions: ExecutionRecord[] = [];
    for (const r of records) {
      switch (r.t) {
        case 'start': {
          const e = this.executions.get(r.arn as string);
          if (!e) continue;
          out.push(r);
          if (e.status !== 'RUNNING') closedExecutions.push(e);
          continue;
        }
        case 'closed':
          if (running(r.arn) && lastClosed.get(r.arn) === r) out.push(r);
          continue;
        case 'redrive':
        case 'stop':
          if (running(r.arn)) out.push(r);
          continue;
        case 'heartbeat':
          if (tokenLive(r.token) && lastHeartbeat.get(r.token) === r) out.push(r);
          continue;
        case 'callback':
        case 'delivered':
          if (tokenLive(r.token)) out.push(r);
          continue;
        case 'compacted':
          continue;
        default:
          out.push(r);
      }
    }
    for (const e of closedExecutions) out.push(this.closingRecord(e));
    // The latest server time, for a sped-up clock to go on from after a restart (see latestTime).
    out.push({ t: 'compacted', at: this.now() });
    return out;
  }

  /** Applies a journaled change; the operations build the record, apply it, then persist it. */
  private apply(r: JournalRecord, closed?: Map<string, JournalRecord>): unknown {
    switch (r.t) {
      case 'machine': return this.applyCreateMachine(r);
      case 'update': return this.applyUpdateMachine(r);
      case 'deleteMachine': this.machines.delete(r.arn as string); return undefined;
      case 'version': return this.applyPublish(r);
      case 'deleteVersion': return this.applyDeleteVersion(r);
      case 'alias': return this.applyAlias(r);
      case 'deleteAlias': return this.applyDeleteAlias(r);
      case 'tag': return this.applyTag(r);
      case 'untag': return this.applyUntag(r);
      case 'activity': return this.applyCreateActivity(r);
      case 'deleteActivity': this.activities.delete(r.arn as string); this.router.releasePollers(r.arn as string); return undefined;
      case 'start': return this.applyStart(r, closed?.get(r.arn as string));
      case 'stop': return this.applyStop(r);
      case 'redrive': return this.applyRedrive(r, closed);
      case 'mapRun': this.mapRunSettings.set(r.arn as string, { ...this.mapRunSettings.get(r.arn as string), ...(r.settings as Record<string, number>) }); return undefined;
      default: throw new Error(`unknown journal record '${r.t}'`);
    }
  }

  // ---- state machines

  createStateMachine(p: Params): Promise<Response> {
    const name = requireString(p, 'name');
    checkName(name);
    const definition = requireString(p, 'definition');
    const roleArn = checkRoleArn(p.roleArn);
    const type = machineType(p.type);
    const logging = (p.loggingConfiguration ?? {}) as LoggingConfiguration;
    const tracing = (p.tracingConfiguration ?? {}) as { enabled?: boolean };
    checkVersionDescription(p);
    this.checkDefinition(definition, type);
    const arn = arnOf(this.options, 'stateMachine', name);
    const existing = this.machines.get(arn);
    if (existing) {
      const same = existing.current.definition === definition && existing.type === type
        && sameJson(existing.current.logging, normalLogging(logging)) && !!existing.current.tracing.enabled === !!tracing.enabled;
      if (!same) throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      const latest = [...existing.versions.values()].pop();
      return Promise.resolve({
        stateMachineArn: arn,
        creationDate: date(existing.creationDate),
        ...(p.publish === true && latest ? { stateMachineVersionArn: latest.arn } : {}),
      });
    }
    const record: JournalRecord = {
      t: 'machine',
      arn,
      name,
      definition,
      roleArn,
      type,
      logging,
      tracing,
      at: this.now(),
      revisionId: randomUUID(),
      description: optionalString(p, 'versionDescription'),
      publish: p.publish === true,
      tags: tagList(p.tags),
    };
    const machine = this.apply(record) as MachineRecord;
    return this.persist(record).then(() => ({
      stateMachineArn: arn,
      creationDate: date(machine.creationDate),
      ...(p.publish === true ? { stateMachineVersionArn: [...machine.versions.values()][0].arn } : {}),
    }));
  }

  private applyCreateMachine(r: JournalRecord): MachineRecord {
    const at = r.at as number;
    const machine: MachineRecord = {
      arn: r.arn as string,
      name: r.name as string,
      type: r.type as 'STANDARD' | 'EXPRESS',
      creationDate: at,
      current: {
        ...newRevision(
          r.definition as string, r.roleArn as string, r.logging as LoggingConfiguration, r.tracing as { enabled?: boolean },
          r.revisionId as string, at,
        ),
        initial: true,
      },
      versions: new Map(),
      nextVersion: 1,
      aliases: new Map(),
      tags: new Map((r.tags as Array<[string, string]>) ?? []),
    };
    this.machines.set(machine.arn, machine);
    if (r.publish) this.publish(machine, r.description as string | undefined, at);
    return machine;
  }

  describeStateMachine(p: Params): Response {
    const arn = parseMachineArn(p.stateMachineArn);
    const machine = this.machine(arn.base);
    if (arn.qualifier === undefined) return describeRevision(machine, machine.arn, machine.current, machine.creationDate, machine.description);
    const version = this.version(machine, arn.qualifier, p.stateMachineArn as string);
    return describeRevision(machine, version.arn, version.revision, version.creationDate, version.description);
  }

  listStateMachines(p: Params): Response {
    const all = [...this.machines.values()].map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: date(m.creationDate) }));
    const { items, nextToken } = page(all, p, 'machines');
    return { stateMachines: items, ...(nextToken ? { nextToken } : {}) };
  }

  updateStateMachine(p: Params): Promise<Response> {
    const arn = parseMachineArn(p.stateMachineArn);
    // AWS answers a version's or an alias's ARN as a state machine that does not exist (recorded).
    if (arn.qualifier !== undefined) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(p.stateMachineArn)}'`);
    const machine = this.machine(arn.base);
    const definition = optionalString(p, 'definition');
    checkVersionDescription(p);
    const roleArn = p.roleArn === undefined ? undefined : checkRoleArn(p.roleArn);
    const nothing = definition === undefined && roleArn === undefined && p.loggingConfiguration === undefined && p.tracingConfiguration === undefined;
    if (nothing && p.publish !== true) {
      throw new ApiError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
    }
    if (definition !== undefined) this.checkDefinition(definition, machine.type);
    const changed = (definition !== undefined && definition !== machine.current.definition)
      || (roleArn !== undefined && roleArn !== machine.current.roleArn)
      || p.loggingConfiguration !== undefined || p.tracingConfiguration !== undefined;
    const record: JournalRecord = {
      t: 'update',
      arn: machine.arn,
      definition,
      roleArn,
      logging: p.loggingConfiguration,
      tracing: p.tracingConfiguration,
      at: this.now(),
      revisionId: changed ? randomUUID() : machine.current.revisionId,
      publish: p.publish === true,
      description: optionalString(p, 'versionDescription'),
    };
    const version = this.apply(record) as VersionRecord | undefined;
    return this.persist(record).then(() => ({
      updateDate: date(machine.current.updateDate),
      ...shownRevisionId(machine.current),
      ...(version ? { stateMachineVersionArn: version.arn } : {}),
    }));
  }

  private applyUpdateMachine(r: JournalRecord): VersionRecord | undefined {
    const machine = this.machines.get(r.arn as string)!;
    const c = machine.current;
    if (r.revisionId !== c.revisionId) {
      machine.current = newRevision(
        (r.definition as string | undefined) ?? c.definition, (r.roleArn as string | undefined) ?? c.roleArn,
        (r.logging as LoggingConfiguration | undefined) ?? c.logging, (r.tracing as { enabled?: boolean } | undefined) ?? c.tracing,
        r.revisionId as string, r.at as number,
      );
    }
    return r.publish ? this.publish(machine, r.description as string | undefined, r.at as number) : undefined;
  }

  deleteStateMachine(p: Params): Promise<Response> {
    const arn = parseMachineArn(p.stateMachineArn);
    if (arn.qualifier !== undefined) throw new ApiError('ValidationException', `Delete a version with DeleteStateMachineVersion and an alias with DeleteStateMachineAlias: '${String(p.stateMachineArn)}'`);
    // Deleting what does not exist succeeds, as on AWS.
    if (!this.machines.has(arn.base)) return Promise.resolve({});
    const record = { t: 'deleteMachine', arn: arn.base };
    this.apply(record);
    return this.persist(record).then(() => ({}));
  }

  describeStateMachineForExecution(p: Params): Response {
    const e = this.execution(p.executionArn);
    const r = e.revision;
    return {
      // The state machine's own ARN, for an execution started on a version or alias too (recorded).
      stateMachineArn: e.machine.arn,
      name: e.machine.name,
      definition: r.definition,
      roleArn: r.roleArn,
      updateDate: date(r.updateDate),
      loggingConfiguration: normalLogging(r.logging),
      tracingConfiguration: { enabled: !!r.tracing.enabled },
      ...shownRevisionId(r),
    };
  }

  validateStateMachineDefinition(p: Params): Response {
    const definition = requireString(p, 'definition');
    const type = machineType(p.type);
    const severity = p.severity === 'WARNING' ? 'WARNING' : 'ERROR';
    const max = typeof p.maxResults === 'number' && p.maxResults > 0 ? p.maxResults : 100;
    const findings = validator().validateDefinition(definition, { type, warnings: severity === 'WARNING' });
    const diagnostics = findings.map((f) => ({ severity: f.severity === 'error' ? 'ERROR' : 'WARNING', code: awsCode(f.code), message: f.message, location: f.location || '/' }));
    return {
      result: findings.some((f) => f.severity === 'error') ? 'FAIL' : 'OK',
      diagnostics: diagnostics.slice(0, max),
      truncated: diagnostics.length > max,
    };
  }

  async testState(p: Params): Promise<Response> {
    const definition = requireString(p, 'definition');
    let parsed: StateMachineDefinition;
    try {
      parsed = JSON.parse(definition) as StateMachineDefinition;
    } catch (e) {
      throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(e as Error).message}'`);
    }
    const input = parseJson(optionalString(p, 'input') ?? '{}', 'input', 'InvalidExecutionInput');
    const variables = p.variables === undefined ? undefined : parseJson(p.variables as string, 'variables', 'ValidationException') as Record<string, JsonValue>;
    const mock = p.mock as { result?: string; errorOutput?: { error?: string; cause?: string } } | undefined;
    // What AWS refuses before it runs anything, in its words (recorded).
    if (mock?.result !== undefined && mock.errorOutput !== undefined) {
      throw new ApiError('ValidationException', 'A test mock should have only one of the following fields: [result, errorOutput].');
    }
    if (mock !== undefined && p.revealSecrets === true) throw new ApiError('ValidationException', 'TestState does not support RevealSecrets when a mock is specified.');
    const mockValue = mock?.result !== undefined ? parseJson(mock.result, 'mock.result', 'ValidationException')
      : mock?.errorOutput ? { error: mock.errorOutput.error ?? 'Error', ...(mock.errorOutput.cause !== undefined ? { cause: mock.errorOutput.cause } : {}) } : undefined;
    const level = (p.inspectionLevel as 'INFO' | 'DEBUG' | 'TRACE' | undefined) ?? 'INFO';
    const stateName = optionalString(p, 'stateName') ?? '';
    const context = p.context === undefined ? undefined : parseJson(p.context as string, 'context', 'ValidationException');
    const configuration = p.stateConfiguration as { retrierRetryCount?: number; mapIterationFailureCount?: number } | undefined;
    // Loaded on first use: TestState is rare, and the harness it lives in is large to load.
    const { stateUnderTest, testState, TestStateError } = await import('../testing/test-state');
    let result;
    try {
      if ((p.roleArn === undefined || p.roleArn === null || p.roleArn === '') && stateUnderTest(parsed, stateName).Type === 'Task') {
        throw new ApiError('ValidationException', 'RoleArn must be specified when testing a Task state');
      }
      result = await testState(parsed, stateName, input, {
        mock: mockValue as JsonValue,
        inspectionLevel: level,
        variables,
        ...(context !== undefined ? { context: context as never } : {}),
        ...(configuration?.retrierRetryCount !== undefined ? { retrierRetryCount: configuration.retrierRetryCount } : {}),
        ...(configuration?.mapIterationFailureCount !== undefined ? { mapIterationFailureCount: configuration.mapIterationFailureCount } : {}),
      });
    } catch (e) {
      if (e instanceof TestStateError) throw new ApiError(e.aws?.type ?? 'ValidationException', e.aws?.message ?? e.message);
      if (e instanceof DefinitionError) throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${e.message}'`);
      throw e;
    }
    const out: Response = { status: result.status };
    if (result.output !== undefined) out.output = JSON.stringify(result.output);
    if (result.error !== undefined) out.error = result.error;
    if (result.cause !== undefined) out.cause = result.cause;
    if (result.nextState !== undefined) out.nextState = result.nextState;
    if (result.inspectionData) {
      const data: Response = {};
      for (const [k, v] of Object.entries(result.inspectionData)) {
        data[k] = k === 'errorDetails' ? v : JSON.stringify(v);
      }
      out.inspectionData = data;
    }
    return out;
  }

  private checkDefinition(definition: string, type: 'STANDARD' | 'EXPRESS'): void {
    const errors = validator().validateDefinition(definition, { type, warnings: false }).filter((f) => f.severity === 'error');
    if (errors.length > 0) throw new ApiError('InvalidDefinition', invalidDefinitionMessage(errors));
    try {
      interpreter().compileStateMachine(definition, { type, validate: false });
    } catch (e) {
      if (e instanceof DefinitionError) throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${e.code}: ${e.message} at ${e.location || '/'}'`);
      throw e;
    }
  }

  // ---- versions and aliases

  publishStateMachineVersion(p: Params): Promise<Response> {
    const arn = parseMachineArn(p.stateMachineArn);
    if (arn.qualifier !== undefined) throw new ApiError('ValidationException', `Publish a version of the state machine itself, not of '${String(p.stateMachineArn)}'`);
    const machine = this.machine(arn.base);
    const revisionId = optionalString(p, 'revisionId');
    if (revisionId !== undefined && revisionId !== machine.current.revisionId) {
      throw new ApiError('ConflictException', `Failed to publish the State Machine version for revision ${revisionId}. The current State Machine revision is ${machine.current.revisionId}.`);
    }
    const existing = [...machine.versions.values()].find((v) => v.revision === machine.current);
    if (existing) return Promise.resolve({ stateMachineVersionArn: existing.arn, creationDate: date(existing.creationDate) });
    const record = { t: 'version', arn: machine.arn, description: optionalString(p, 'description'), at: this.now() };
    const version = this.apply(record) as VersionRecord;
    return this.persist(record).then(() => ({ stateMachineVersionArn: version.arn, creationDate: date(version.creationDate) }));
  }

  private applyPublish(r: JournalRecord): VersionRecord {
    return this.publish(this.machines.get(r.arn as string)!, r.description as string | undefined, r.at as number);
  }

  private publish(machine: MachineRecord, description: string | undefined, at: number): VersionRecord {
    const existing = [...machine.versions.values()].find((v) => v.revision === machine.current);
    if (existing) return existing;
    const number = machine.nextVersion++;
    const version: VersionRecord = { arn: `${machine.arn}:${number}`, number, revision: machine.current, description, creationDate: at };
    machine.versions.set(number, version);
    return version;
  }

  listStateMachineVersions(p: Params): Response {
    const machine = this.machine(parseMachineArn(p.stateMachineArn).base);
    const all = [...machine.versions.values()].reverse().map((v) => ({ stateMachineVersionArn: v.arn, creationDate: date(v.creationDate) }));
    const { items, nextToken } = page(all, p, `versions:${machine.arn}`);
    return { stateMachineVersions: items, ...(nextToken ? { nextToken } : {}) };
  }

  deleteStateMachineVersion(p: Params): Promise<Response> {
    const arn = parseMachineArn(p.stateMachineVersionArn, 'stateMachineVersionArn');
    if (arn.qualifier === undefined || !/^\d+$/.test(arn.qualifier)) throw new ApiError('ValidationException', `Not a state machine version ARN: '${String(p.stateMachineVersionArn)}'`);
    const machine = this.machines.get(arn.base);
    const version = machine?.versions.get(Number(arn.qualifier));
    if (!machine || !version) return Promise.resolve({});
    const users = [...machine.aliases.values()].filter((a) => a.routing.some((r) => r.stateMachineVersionArn === version.arn));
    if (users.length > 0) {
      throw new ApiError('ConflictException', `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${users.map((a) => a.name).join(', ')}]`);
    }
    const record = { t: 'deleteVersion', arn: version.arn };
    this.apply(record);
    return this.persist(record).then(() => ({}));
  }

  private applyDeleteVersion(r: JournalRecord): void {
    const arn = parseMachineArn(r.arn);
    this.machines.get(arn.base)?.versions.delete(Number(arn.qualifier));
  }

  createStateMachineAlias(p: Params): Promise<Response> {
    const name = requireString(p, 'name');
    checkAliasName(name);
    const routing = this.checkRouting(p.routingConfiguration);
    const machine = this.machine(parseMachineArn(routing[0].stateMachineVersionArn, 'routingConfiguration.member.stateMachineVersionArn').base);
    const arn = `${machine.arn}:${name}`;
    const existing = machine.aliases.get(name);
    const description = optionalString(p, 'description');
    if (existing) {
      if (sameJson(existing.routing, routing) && existing.description === description) {
        return Promise.resolve({ stateMachineAliasArn: arn, creationDate: date(existing.creationDate) });
      }
      throw new ApiError('ConflictException', 'Failed to create alias because an alias with the same name and a different routing configuration already exists.');
    }
    const record = { t: 'alias', arn, name, description, routing, at: this.now(), create: true };
    const alias = this.apply(record) as AliasRecord;
    return this.persist(record).then(() => ({ stateMachineAliasArn: arn, creationDate: date(alias.creationDate) }));
  }

  private applyAlias(r: JournalRecord): AliasRecord {
    const arn = parseMachineArn(r.arn, 'stateMachineAliasArn');
    const machine = this.machines.get(arn.base)!;
    const existing = machine.aliases.get(arn.qualifier!);
    if (existing && !r.create) {
      if (r.description !== undefined) existing.description = r.description as string;
      if (r.routing !== undefined) existing.routing = r.routing as Route[];
      existing.updateDate = r.at as number;
      return existing;
    }
    const alias: AliasRecord = {
      arn: r.arn as string,
      name: r.name as string,
      description: r.description as string | undefined,
      routing: r.routing as Route[],
      creationDate: r.at as number,
    };
    machine.aliases.set(alias.name, alias);
    return alias;
  }

  describeStateMachineAlias(p: Params): Response {
    const alias = this.alias(p.stateMachineAliasArn);
    return {
      stateMachineAliasArn: alias.arn,
      name: alias.name,
      routingConfiguration: alias.routing,
      creationDate: date(alias.creationDate),
      ...(alias.description !== undefined ? { description: alias.description } : {}),
      ...(alias.updateDate !== undefined ? { updateDate: date(alias.updateDate) } : {}),
    };
  }

  updateStateMachineAlias(p: Params): Promise<Response> {
    const alias = this.alias(p.stateMachineAliasArn);
    if (p.description === undefined && p.routingConfiguration === undefined) {
      throw new ApiError('ValidationException', 'Give a description or a routingConfiguration to update the alias');
    }
    const routing = p.routingConfiguration === undefined ? undefined : this.checkRouting(p.routingConfiguration, parseMachineArn(alias.arn).base);
    const record = { t: 'alias', arn: alias.arn, description: optionalString(p, 'description'), routing, at: this.now() };
    this.apply(record);
    return this.persist(record).then(() => ({ updateDate: date(alias.updateDate!) }));
  }

  listStateMachineAliases(p: Params): Response {
    const machine = this.machine(parseMachineArn(p.stateMachineArn).base);
    const all = [...machine.aliases.values()].map((a) => ({ stateMachineAliasArn: a.arn, creationDate: date(a.creationDate) }));
    const { items, nextToken } = page(all, p, `aliases:${machine.arn}`);
    return { stateMachineAliases: items, ...(nextToken ? { nextToken } : {}) };
  }

  deleteStateMachineAlias(p: Params): Promise<Response> {
    const arn = parseMachineArn(p.stateMachineAliasArn, 'stateMachineAliasArn');
    if (!this.machines.get(arn.base)?.aliases.has(arn.qualifier ?? '')) return Promise.resolve({});
    const record = { t: 'deleteAlias', arn: p.stateMachineAliasArn };
    this.apply(record);
    return this.persist(record).then(() => ({}));
  }

  private applyDeleteAlias(r: JournalRecord): void {
    const arn = parseMachineArn(r.arn);
    this.machines.get(arn.base)?.aliases.delete(arn.qualifier!);
  }

  private checkRouting(value: unknown, machineArn?: string): Route[] {
    if (!Array.isArray(value) || value.length < 1 || value.length > 2) {
      const constraint = Array.isArray(value) && value.length > 2 ? 'Member must have length less than or equal to 2' : 'Member must have length greater than or equal to 1';
      throw validationError('routingConfiguration', constraint, Array.isArray(value) ? routingText(value) : value);
    }
    // The checks AWS makes before it looks anything up, in its order and words (recorded 2025).
    value.forEach((v: { weight?: unknown }, i) => {
      const weight = v?.weight;
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0) throw validationError(`routingConfiguration.${i + 1}.member.weight`, 'Member must have value greater than or equal to 0', weight);
      if (weight > 100) throw validationError(`routingConfiguration.${i + 1}.member.weight`, 'Member must have value less than or equal to 100', weight);
    });
    const given = value.map((v: { stateMachineVersionArn?: unknown }) => String(v?.stateMachineVersionArn));
    const parsed = value.map((v: { stateMachineVersionArn?: unknown }) => parseMachineArn(v?.stateMachineVersionArn, 'routingConfiguration.member.stateMachineVersionArn'));
    if (parsed.some((arn) => arn.qualifier === undefined || !/^\d+$/.test(arn.qualifier))) {
      throw new ApiError('ValidationException', `Routing configuration must contain state machine version ARNs. Received: [${given.join(', ')}]`);
    }
    if (given.length === 2 && given[0] === given[1]) {
      throw new ApiError('ValidationException', `Routing configuration must contain distinct state machine version ARNs. Received: [${given.join(', ')}]`);
    }
    const weights = value.map((v: { weight: number }) => v.weight);
    if (weights.reduce((s: number, w: number) => s + w, 0) !== 100) {
      throw new ApiError('ValidationException', `Sum of routing configuration weights must equal 100. Received: [${weights.join(', ')}]`);
    }
    const routes = value.map((v: { stateMachineVersionArn?: unknown; weight: number }, i) => {
      const arn = parsed[i];
      const weight = v.weight;
      const machine = this.machine(arn.base);
      if (!machine.versions.has(Number(arn.qualifier))) throw new ApiError('ResourceNotFound', `Resource not found: '${String(v.stateMachineVersionArn)}'`);
      return { stateMachineVersionArn: `${arn.base}:${arn.qualifier}`, weight };
    });
    const bases = new Set(routes.map((r) => parseMachineArn(r.stateMachineVersionArn).base));
    if (bases.size > 1 || (machineArn !== undefined && !bases.has(machineArn))) throw new ApiError('ValidationException', 'All routes of an alias must name versions of the same state machine');
    return routes;
  }

  // ---- tags

  tagResource(p: Params): Promise<Response> {
    const arn = requireString(p, 'resourceArn');
    this.tags(arn);
    const record = { t: 'tag', arn, tags: tagList(p.tags) };
    this.apply(record);
    return this.persist(record).then(() => ({}));
  }

  untagResource(p: Params): Promise<Response> {
    const arn = requireString(p, 'resourceArn');
    this.tags(arn);
    const record = { t: 'untag', arn, keys: (p.tagKeys as string[] | undefined) ?? [] };
    this.apply(record);
    return this.persist(record).then(() => ({}));
  }

  listTagsForResource(p: Params): Response {
    const tags = this.tags(requireString(p, 'resourceArn'));
    return { tags: [...tags].map(([key, value]) => ({ key, value })) };
  }

  private applyTag(r: JournalRecord): void {
    const tags = this.tags(r.arn as string);
    for (const [k, v] of r.tags as Array<[string, string]>) tags.set(k, v);
  }

  private applyUntag(r: JournalRecord): void {
    const tags = this.tags(r.arn as string);
    for (const k of r.keys as string[]) tags.delete(k);
  }

  private tags(arn: string): Map<string, string> {
    const found = this.machines.get(arn)?.tags ?? this.activities.get(arn)?.tags;
    if (!found) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
    return found;
  }

  // ---- activities

  createActivity(p: Params): Promise<Response> {
    const name = requireString(p, 'name');
    checkName(name);
    const arn = arnOf(this.options, 'activity', name);
    const existing = this.activities.get(arn);
    if (existing) return Promise.resolve({ activityArn: arn, creationDate: date(existing.creationDate) });
    const record = { t: 'activity', arn, name, at: this.now(), tags: tagList(p.tags) };
    const activity = this.apply(record) as ActivityRecord;
    return this.persist(record).then(() => ({ activityArn: arn, creationDate: date(activity.creationDate) }));
  }

  private applyCreateActivity(r: JournalRecord): ActivityRecord {
    const activity: ActivityRecord = {
      arn: r.arn as string, name: r.name as string, creationDate: r.at as number, tags: new Map(r.tags as Array<[string, string]>),
    };
    this.activities.set(activity.arn, activity);
    return activity;
  }

  describeActivity(p: Params): Response {
    const a = this.activity(p.activityArn);
    return { activityArn: a.arn, name: a.name, creationDate: date(a.creationDate) };
  }

  listActivities(p: Params): Response {
    const all = [...this.activities.values()].map((a) => ({ activityArn: a.arn, name: a.name, creationDate: date(a.creationDate) }));
    const { items, nextToken } = page(all, p, 'activities');
    return { activities: items, ...(nextToken ? { nextToken } : {}) };
  }

  deleteActivity(p: Params): Promise<Response> {
    const arn = parseActivityArn(p.activityArn);
    if (!this.activities.has(arn)) return Promise.resolve({});
    const record = { t: 'deleteActivity', arn };
    this.apply(record);
    return this.persist(record).then(() => ({}));
  }

  async getActivityTask(p: Params, signal: AbortSignal): Promise<Response> {
    const activity = this.activity(p.activityArn);
    if (this.closing) return {};
    const task = await this.router.poll(activity.arn, optionalString(p, 'workerName'), this.options.clock.realMs(ACTIVITY_POLL_MS), signal);
    // After the wait, AWS answers with no token: the worker polls again.
    return task ? { taskToken: task.token, input: task.input } : {};
  }

  // ---- callbacks

  async sendTaskSuccess(p: Params): Promise<Response> {
    const token = requireString(p, 'taskToken');
    const outputText = requireString(p, 'output');
    const output = parseJson(outputText, 'output', 'InvalidOutput');
    if (Buffer.byteLength(outputText) > MAX_PAYLOAD) throw new ApiError('InvalidOutput', `The output exceeds the maximum of ${MAX_PAYLOAD} bytes`);
    const entry = await this.token(token);
    this.deliver(entry, token, (e) => e.sendTaskSuccess(token, output));
    await this.persist({ t: 'callback', token, ok: true, output });
    return {};
  }

  async sendTaskFailure(p: Params): Promise<Response> {
    const token = requireString(p, 'taskToken');
    const error = optionalString(p, 'error');
    const cause = optionalString(p, 'cause');
    const entry = await this.token(token);
    this.deliver(entry, token, (e) => e.sendTaskFailure(token, error, cause));
    await this.persist({ t: 'callback', token, ok: false, error, cause });
    return {};
  }

  async sendTaskHeartbeat(p: Params): Promise<Response> {
    const token = requireString(p, 'taskToken');
    const entry = await this.token(token);
    this.deliver(entry, token, (e) => e.sendTaskHeartbeat(token));
    await this.persist({ t: 'heartbeat', token, at: this.now() });
    return {};
  }

  private async token(token: string): Promise<TokenRecord> {
    if (!/^[0-9a-f-]{36}-[0-9a-z]+$/.test(token)) throw new ApiError('InvalidToken', `Invalid Token: '${token}'`);
    // After a restart, a waiting execution re-issues its token as it replays: give it a moment.
    const entry = await this.router.find(token, Math.min(this.replayWindowEnd - Date.now(), REPLAY_WINDOW_MS));
    if (!entry) throw new ApiError('TaskDoesNotExist', `Task Does Not Exist: no task holds the token '${token}'`);
    return entry;
  }

  private deliver(entry: TokenRecord, token: string, send: (e: Execution) => void): void {
    entry.record.clock.goLive();
    try {
      send(entry.execution);
    } catch (e) {
      // The execution issued this token (the router found it), so either name means its task is over.
      const name = (e as Error).name;
      if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist') throw new ApiError('TaskTimedOut', `Task Timed Out: 'Provided task does not exist anymore' (token '${token}')`);
      throw e;
    }
  }

  // ---- executions

  startExecution(p: Params): Promise<Response> {
    const { machine, version, alias, testCase } = this.target(p.stateMachineArn);
    const input = optionalString(p, 'input') ?? '{}';
    checkExecutionInput(input);
    if (Buffer.byteLength(input) > MAX_PAYLOAD) throw new ApiError('InvalidExecutionInput', `The input exceeds the maximum of ${MAX_PAYLOAD} bytes`);
    const name = optionalString(p, 'name') ?? randomUUID();
    checkName(name);
    const express = machine.type === 'EXPRESS';
    const arn = express ? arnOf(this.options, 'express', machine.name, name, randomUUID()) : arnOf(this.options, 'execution', machine.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      // The same name and input while it runs is the same request again (AWS's idempotent StartExecution).
      if (existing.status === 'RUNNING' && existing.input === input) return Promise.resolve({ executionArn: arn, startDate: date(existing.startDate) });
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    if (testCase !== undefined) this.mocksFor(machine.name, testCase);
    const record: JournalRecord = {
      t: 'start',
      arn,
      machine: machine.arn,
      version: version?.number,
      alias: alias?.name,
      name,
      input,
      seed: randomInt(0, 2 ** 31),
      at: this.now(),
      testCase,
    };
    const execution = this.apply(record) as ExecutionRecord;
    if (express) return Promise.resolve({ executionArn: arn, startDate: date(execution.startDate) });
    return this.persist(record).then(() => ({ executionArn: arn, startDate: date(execution.startDate) }));
  }

  async startSyncExecution(p: Params): Promise<Response> {
    const { machine } = this.target(p.stateMachineArn);
    if (machine.type !== 'EXPRESS') throw new ApiError('StateMachineTypeNotSupported', TYPE_NOT_SUPPORTED);
    const response = await this.startExecution(p);
    const e = this.executions.get(response.executionArn as string)!;
    await e.done;
    return {
      ...describe(e),
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(100, Math.ceil(((e.stopDate ?? e.startDate) - e.startDate) / 100) * 100),
      },
    };
  }

  private applyStart(r: JournalRecord, closed: JournalRecord | undefined): ExecutionRecord {
    const machine = this.machines.get(r.machine as string)!;
    const version = r.version === undefined ? undefined : machine.versions.get(r.version as number);
    const alias = r.alias === undefined ? undefined : machine.aliases.get(r.alias as string);
    const testCase = r.testCase as string | undefined;
    const startDate = r.at as number;
    const record: ExecutionRecord = {
      arn: r.arn as string,
      name: r.name as string,
      machine,
      versionArn: version?.arn,
      aliasArn: alias?.arn,
      revision: version?.revision ?? machine.current,
      input: r.input as string,
      seed: r.seed as number,
      startDate,
      express: machine.type === 'EXPRESS',
      testCase,
      mocks: testCase === undefined ? undefined : this.mocksFor(machine.name, testCase),
      invocations: new Map(),
      clock: new ExecutionClock(this.options.clock, this.replaying ? startDate : undefined),
      status: 'RUNNING',
      redriveCount: 0,
      segments: [],
      done: Promise.resolve(),
    };
    this.executions.set(record.arn, record);
    if (!record.express) {
      const list = this.byMachine.get(machine.arn) ?? [];
      list.push(record);
      this.byMachine.set(machine.arn, list);
    }
    if (closed) {
      this.restoreClosed(record, closed);
    } else {
      if (this.replaying) this.rerun.add(record);
      this.run(record, JSON.parse(record.input) as JsonValue);
    }
    return record;
  }

  /**
   * Runs an execution on the interpreter, or runs it again from its redrive
   * point: a Map or Parallel there reruns only the iterations or branches that
   * did not succeed in the run before.
   */
  private run(record: ExecutionRecord, input: JsonValue, redrive?: { state: string; variables: Record<string, JsonValue> }): void {
    const revision = record.revision;
    revision.compiled ??= interpreter().compileStateMachine(revision.parsed, {
      type: record.machine.type,
      stateMachineName: record.machine.name,
      region: this.options.region,
      accountId: this.options.account,
      roleArn: revision.roleArn,
      defaultTaskHandler: this.router.handle,
      validate: false,
    });
    const runIndex = record.segments.length;
    const execution = revision.compiled.start(input, {
      name: record.name,
      executionArn: record.arn,
      clock: record.clock,
      random: seededRandom(record.seed + runIndex * 7919),
      ...(redrive !== undefined ? { startAt: redrive.state, variables: redrive.variables, redriveCount: record.redriveCount } : {}),
      ...(redrive !== undefined && record.completedChildren?.state === redrive.state ? { resume: record.completedChildren } : {}),
    });
    this.records.set(execution, record);
    record.segments.push(execution);
    record.status = 'RUNNING';
    record.done = execution.result.then((result) => this.closed(record, result), (e: unknown) => {
      this.options.log(`execution ${record.arn} crashed: ${(e as Error).stack ?? String(e)}`);
      this.closed(record, { status: 'FAILED', error: 'States.Runtime', cause: String(e), history: [], path: [], executionArn: record.arn, startDate: new Date(), stopDate: new Date() });
    });
  }

  private closed(record: ExecutionRecord, result: ExecutionResult): void {
    record.status = result.status;
    record.stopDate = result.stopDate.getTime();
    record.output = result.output === undefined ? undefined : JSON.stringify(result.output);
    record.error = result.error;
    record.cause = result.cause;
    record.completedChildren = result.completedChildren;
    if (record.express) {
      this.executions.delete(record.arn);
    } else if (this.options.journal) {
      void this.persist(this.closingRecord(record)).catch(() => undefined);
    }
  }

  /** The journal record of a closed execution: how it ended, its whole history, and what a redrive keeps of it. */
  private closingRecord(record: ExecutionRecord): JournalRecord {
    const children = record.completedChildren;
    return {
      t: 'closed',
      arn: record.arn,
      status: record.status,
      stopDate: record.stopDate,
      output: record.output,
      error: record.error,
      cause: record.cause,
      history: this.history(record).map((e) => ({ ...e, timestamp: e.timestamp.getTime() })),
      // The time the redrive was asked for; its ExecutionRedriven event is stamped when the run starts, a moment later.
      ...(record.redriveDate !== undefined ? { redriveDate: record.redriveDate } : {}),
      ...(children ? { completedChildren: { state: children.state, outputs: [...children.outputs] } } : {}),
    };
  }

  private restoreClosed(record: ExecutionRecord, closed: JournalRecord): void {
    record.status = closed.status as ExecutionRecord['status'];
    record.stopDate = closed.stopDate as number;
    record.output = closed.output as string | undefined;
    record.error = closed.error as string | undefined;
    record.cause = closed.cause as string | undefined;
    const children = closed.completedChildren as { state: string; outputs: Array<[number, JsonValue]> } | undefined;
    if (children) record.completedChildren = { state: children.state, outputs: new Map(children.outputs) };
    const events = (closed.history as Array<Record<string, unknown>>)
      .map((e) => ({ ...e, timestamp: new Date(e.timestamp as number) }) as unknown as HistoryEvent);
    record.segments.push(events);
    record.redriveCount = events.filter((e) => e.type === 'ExecutionRedriven').length;
    const lastRedrive = [...events].reverse().find((e) => e.type === 'ExecutionRedriven');
    if (lastRedrive) record.redriveDate = (closed.redriveDate as number | undefined) ?? lastRedrive.timestamp.getTime();
  }

  describeExecution(p: Params): Response {
    return describe(this.execution(p.executionArn));
  }

  listExecutions(p: Params): Response {
    if (p.mapRunArn !== undefined) {
      this.describeMapRun(p);
      // The interpreter runs a DISTRIBUTED Map's iterations inside the parent execution; there are no child executions to list.
      throw new ApiError('ValidationException',
        `ListExecutions by mapRunArn is not available in stepwright serve: the iterations of '${String(p.mapRunArn)}' ran inside the parent execution, ` +
        'not as child executions; read them in the parent\'s history (GetExecutionHistory) or DescribeMapRun');
    }
    const arn = parseMachineArn(p.stateMachineArn);
    const machine = this.machine(arn.base);
    if (machine.type === 'EXPRESS') throw new ApiError('StateMachineTypeNotSupported', TYPE_NOT_SUPPORTED);
    const status = optionalString(p, 'statusFilter');
    if (status !== undefined && !EXECUTION_STATUSES.includes(status)) {
      throw validationError('statusFilter', `Member must satisfy enum value set: [${EXECUTION_STATUSES.join(', ')}]`, status);
    }
    const redrive = optionalString(p, 'redriveFilter');
    let list = [...(this.byMachine.get(machine.arn) ?? [])].reverse();
    if (arn.qualifier !== undefined) {
      const qualified = p.stateMachineArn as string;
      list = list.filter((e) => e.versionArn === qualified || e.aliasArn === qualified);
    }
    if (status !== undefined) list = list.filter((e) => e.status === status);
    if (redrive === 'REDRIVEN') list = list.filter((e) => e.redriveCount > 0);
    if (redrive === 'NOT_REDRIVEN') list = list.filter((e) => e.redriveCount === 0);
    const { items, nextToken } = page(list, p, `executions:${String(p.stateMachineArn)}:${status}:${redrive}`, LIST_EXECUTIONS_TOKEN_LENGTH);
    return {
      executions: items.map((e) => ({
        executionArn: e.arn,
        stateMachineArn: e.machine.arn,
        name: e.name,
        status: e.status,
        startDate: date(e.startDate),
        ...(e.stopDate !== undefined ? { stopDate: date(e.stopDate) } : {}),
        ...(e.versionArn ? { stateMachineVersionArn: e.versionArn } : {}),
        ...(e.aliasArn ? { stateMachineAliasArn: e.aliasArn } : {}),
        // AWS lists redriveCount for every execution, 0 for one never redriven (recorded 2024-25).
        redriveCount: e.redriveCount,
        ...(e.redriveCount > 0 ? { redriveDate: date(e.redriveDate!) } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  async stopExecution(p: Params): Promise<Response> {
    const e = this.execution(p.executionArn);
    if (e.status === 'RUNNING') {
      const record = { t: 'stop', arn: e.arn, error: optionalString(p, 'error'), cause: optionalString(p, 'cause') };
      this.apply(record);
      await this.persist(record);
      await e.done;
    }
    return { stopDate: date(e.stopDate ?? this.now()) };
  }

  private applyStop(r: JournalRecord): void {
    const e = this.executions.get(r.arn as string);
    const current = e?.segments[e.segments.length - 1];
    if (!e || !current || Array.isArray(current)) return;
    e.clock.goLive();
    current.stop(r.error as string | undefined, r.cause as string | undefined);
  }

  async redriveExecution(p: Params): Promise<Response> {
    const e = this.execution(p.executionArn);
    if (e.status === 'RUNNING' || e.status === 'SUCCEEDED') {
      throw new ApiError('ExecutionNotRedrivable', `Execution '${e.arn}' is ${e.status} and cannot be redriven; only FAILED, TIMED_OUT and ABORTED executions can`);
    }
    const from = redrivePoint(e, this.history(e));
    if (!from) throw new ApiError('ExecutionNotRedrivable', `Execution '${e.arn}' failed before entering a state; there is nothing to redrive`);
    const record = { t: 'redrive', arn: e.arn, at: this.now() };
    this.apply(record);
    await this.persist(record);
    return { redriveDate: date(e.redriveDate!) };
  }

  private applyRedrive(r: JournalRecord, closed?: Map<string, JournalRecord>): void {
    const e = this.executions.get(r.arn as string)!;
    const go = (): void => {
      const from = redrivePoint(e, this.history(e));
      if (!from) return;
      e.redriveCount++;
      e.redriveDate = r.at as number;
      e.stopDate = undefined;
      e.output = undefined;
      e.error = undefined;
      e.cause = undefined;
      if (this.replaying) this.rerun.add(e);
      this.run(e, from.input, from);
    };
    if (this.replaying && closed?.has(e.arn)) {
      // The journaled closing of this execution may already hold this redrive's run.
      const k = (this.replayedRedrives.get(e.arn) ?? 0) + 1;
      this.replayedRedrives.set(e.arn, k);
      if (k <= e.redriveCount) return;
    }
    if (e.status !== 'RUNNING') go();
    else void e.done.then(go);
  }

  getExecutionHistory(p: Params): Response {
    const e = this.execution(p.executionArn);
    let events = this.history(e);
    if (p.reverseOrder === true) events = [...events].reverse();
    const includeData = p.includeExecutionData !== false;
    const { items, nextToken } = page(events, p, `history:${e.arn}:${String(p.reverseOrder)}`);
    return { events: items.map((ev) => renderEvent(ev, e, includeData)), ...(nextToken ? { nextToken } : {}) };
  }

  /** The whole history: each redrive's run follows an `ExecutionRedriven` event, numbered on from the run before. */
  private history(e: ExecutionRecord): HistoryEvent[] {
    const out: HistoryEvent[] = [];
    e.segments.forEach((segment, index) => {
      const events = Array.isArray(segment) ? segment : segment.history;
      if (index === 0) {
        out.push(...events);
        return;
      }
      const offset = out.length;
      for (const ev of events) {
        if (ev.type === 'ExecutionStarted') {
          out.push({
            timestamp: ev.timestamp,
            type: 'ExecutionRedriven',
            id: offset + 1,
            previousEventId: offset,
            executionRedrivenEventDetails: { redriveCount: index },
          } as unknown as HistoryEvent);
          continue;
        }
        out.push({ ...ev, id: ev.id + offset, previousEventId: ev.previousEventId === 0 ? offset + 1 : ev.previousEventId + offset });
      }
    });
    return out;
  }

  describeMapRun(p: Params): Response {
    const arn = parseMapRunArn(p.mapRunArn);
    // …:mapRun:<machine>/<state>:<execution name> belongs to …:execution:<machine>:<execution name>.
    const m = /^(arn:[^:]+:states:[^:]*:[^:]*):mapRun:([^/]+)\/.*:([^:]+)$/.exec(arn);
    const e = m ? this.executions.get(`${m[1]}:execution:${m[2]}:${m[3]}`) : undefined;
    const run = e ? mapRuns(e, this.history(e)).find((r) => r.mapRunArn === arn) : undefined;
    if (!run) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
    return { ...run.describe(), ...this.mapRunSettings.get(arn) };
  }

  listMapRuns(p: Params): Response {
    const e = this.execution(p.executionArn);
    const all = mapRuns(e, this.history(e)).map((m) => m.summary);
    const { items, nextToken } = page(all, p, `mapRuns:${e.arn}`);
    return { mapRuns: items, ...(nextToken ? { nextToken } : {}) };
  }

  /**
   * Records new settings for a Map Run; DescribeMapRun shows them. The local
   * Map has usually finished by then, and a running one keeps the settings it started with.
   */
  updateMapRun(p: Params): Promise<Response> {
    const arn = this.describeMapRun(p).mapRunArn as string;
    const settings: Record<string, number> = {};
    for (const field of ['maxConcurrency', 'toleratedFailurePercentage', 'toleratedFailureCount']) {
      const v = p[field];
      if (v === undefined) continue;
      if (typeof v !== 'number' || v < 0) throw validationError(field, 'Member must be a non-negative number', v);
      settings[field] = v;
    }
    const record = { t: 'mapRun', arn, settings };
    this.apply(record);
    return this.persist(record).then(() => ({}));
  }

  // ---- lookups

  private now(): number {
    return this.options.clock.now();
  }

  private machine(arn: string): MachineRecord {
    const m = this.machines.get(arn);
    if (!m) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  private version(machine: MachineRecord, qualifier: string, arn: string): VersionRecord {
    const v = /^\d+$/.test(qualifier) ? machine.versions.get(Number(qualifier)) : undefined;
    if (!v) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return v;
  }

  private alias(value: unknown): AliasRecord {
    const arn = parseMachineArn(value, 'stateMachineAliasArn');
    if (arn.qualifier === undefined || /^\d+$/.test(arn.qualifier)) throw new ApiError('InvalidArn', `Invalid Arn: '${String(value)}' is not a state machine alias ARN`);
    const alias = this.machines.get(arn.base)?.aliases.get(arn.qualifier);
    if (!alias) throw new ApiError('ResourceNotFound', 'Request references a resource that does not exist.');
    return alias;
  }

  private activity(value: unknown): ActivityRecord {
    const arn = parseActivityArn(value);
    const a = this.activities.get(arn);
    if (!a) throw new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);
    return a;
  }

  private execution(value: unknown): ExecutionRecord {
    const parsed = parseExecutionArn(value);
    // AWS keeps no EXPRESS execution to describe, stop or read the history of.
    if (parsed.express) throw new ApiError('InvalidArn', "Invalid Arn: 'Resource type not valid in this context: express'");
    const e = this.executions.get(value as string);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(value)}'`);
    return e;
  }

  /** The machine and revision a StartExecution ARN runs: the latest, a version, or an alias's version picked by weight. */
  private target(value: unknown): { machine: MachineRecord; version?: VersionRecord; alias?: AliasRecord; testCase?: string } {
    const arn = parseMachineArn(value);
    const machine = this.machine(arn.base);
    if (arn.qualifier === undefined) return { machine, testCase: arn.testCase };
    if (/^\d+$/.test(arn.qualifier)) return { machine, version: this.version(machine, arn.qualifier, String(value)), testCase: arn.testCase };
    const alias = machine.aliases.get(arn.qualifier);
    if (!alias) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(value)}'`);
    let pick = Math.random() * 100;
    let route = alias.routing[alias.routing.length - 1];
    for (const r of alias.routing) {
      if (pick < r.weight) { route = r; break; }
      pick -= r.weight;
    }
    const version = this.version(machine, parseMachineArn(route.stateMachineVersionArn).qualifier!, route.stateMachineVersionArn);
    return { machine, version, alias, testCase: arn.testCase };
  }

  private mocksFor(machineName: string, testCase: string): ReturnType<typeof mockResponsesFor> {
    const config = this.options.mockConfig;
    if (!config) throw new ApiError('ValidationException', `The state machine ARN names test case '${testCase}', but the server has no mock configuration: start it with --mock-config <MockConfigFile>`);
    try {
      return mockResponsesFor(config, machineName, testCase);
    } catch (e) {
      if (e instanceof MockConfigError) throw new ApiError('ValidationException', `--mock-config: ${e.reason}`);
      throw e;
    }
  }
}

/**
 * The latest server time journaled (a change, a heartbeat, a closing), so that
 * time never runs backwards over a restart.
 * @internal
 */
export function latestTime(records: readonly JournalRecord[]): number {
  let latest = 0;
  for (const r of records) {
    const at = typeof r.at === 'number' ? r.at : typeof r.stopDate === 'number' ? r.stopDate : 0;
    if (at > latest) latest = at;
  }
  return latest;
}

/** Each operation: its handler on the service. */
const OPERATIONS: Record<string, { call: (s: StepFunctionsService, p: Params, signal: AbortSignal) => Response | Promise<Response> }> = {};
const names: Array<keyof StepFunctionsService> = [
  'createStateMachine', 'describeStateMachine', 'listStateMachines', 'updateStateMachine', 'deleteStateMachine', 'describeStateMachineForExecution',
  'validateStateMachineDefinition', 'testState', 'publishStateMachineVersion', 'listStateMachineVersions', 'deleteStateMachineVersion',
  'createStateMachineAlias', 'describeStateMachineAlias', 'updateStateMachineAlias', 'listStateMachineAliases', 'deleteStateMachineAlias',
  'tagResource', 'untagResource', 'listTagsForResource', 'createActivity', 'describeActivity', 'listActivities', 'deleteActivity',
  'getActivityTask', 'sendTaskSuccess', 'sendTaskFailure', 'sendTaskHeartbeat', 'startExecution', 'startSyncExecution',
  'describeExecution', 'listExecutions', 'stopExecution', 'redriveExecution', 'getExecutionHistory', 'describeMapRun', 'listMapRuns', 'updateMapRun',
];
for (const name of names) {
  const op = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  OPERATIONS[op] = { call: (s, p, signal) => (s[name] as (p: Params, signal: AbortSignal) => Response | Promise<Response>).call(s, p, signal) };
}

/** The operation names the server answers. @internal */
export const OPERATION_NAMES: readonly string[] = Object.keys(OPERATIONS);
