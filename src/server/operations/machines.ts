/*
 * The state machine operations: create, describe, list, update and delete a
 * state machine, describe the one an execution ran, and check a definition
 * without creating anything (ValidateStateMachineDefinition, TestState).
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../../asl';
import { ApiErrors, isApiErrorName } from '../../asl/api-errors';
import { DEFAULT_INSPECTION_LEVEL, type MachineType } from '../../asl/aws-defaults';
import { sameJson } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { DefinitionError, StatesErrors } from '../../asl/states-errors';
import type { RunAdvice } from '../../workbench/mocks';
import type { InspectionData, InspectionErrorDetails } from '../../workbench/test-state';
import { ApiError, checkName, checkVersionDescription } from '../api-errors';
import { arnOf, checkRoleArn, parseMachineArn, refuseMapLabelArn } from '../arns';
import { ExecutionClock } from '../clock';
import { encryptionMatch, readEncryption, readLogging, readTracing, unrecordedEncryptionAdvice } from '../configurations';
import { awsCode, definitionDiagnostics, diagnoseDefinition, invalidDefinitionMessage } from '../diagnostics';
import { readAsJackson } from '../jackson';
import { interpreter, validator } from '../lazy';
import type { ExecutionRecord, MachineRecord, VersionRecord } from '../model';
import { checkQuota } from '../quotas';
import type { RecordOf } from '../records';
import type { StepFunctionsService } from '../service';
import { notDeleting } from '../store';
import { date, describeRevision, machineType, newRevision, normalLogging, page, parseJson, shownEncryption, shownRevisionId, tagList } from '../values';
import type { AnswerOf, RequestOf } from './operation-table';
import { adviseOnTags } from './tags';
import { publish, refuseVersionPastQuota } from './versions';
import { adviceLine, adviser } from '../advice';
import { checkRequest } from '../validation/request';

export function createStateMachine(s: StepFunctionsService, p: RequestOf<'CreateStateMachine'>): Promise<AnswerOf<'CreateStateMachine'>> {
  const name = p.name!;
  checkName(name);
  const definition = p.definition!;
  const roleArn = checkRoleArn(p.roleArn!);
  const type = machineType(p);
  const advise = adviser(s, 'CreateStateMachine');
  const logging = readLogging(p, advise) ?? {};
  const tracing = readTracing(p) ?? {};
  const publishes = p.publish === true;
  const description = p.versionDescription;
  const arn = arnOf(s.options, 'stateMachine', name);
  const tags = tagList(p.tags, arn);
  const encryption = readEncryption(p, advise);
  checkVersionDescription(description, publishes);
  const parsed = checkDefinition(definition, type);
  const existing = s.store.machines.find(arn);
  if (existing) {
    // Its name is taken until the deletion ends (CreateStateMachine declares StateMachineDeleting).
    notDeleting(existing);
    // The idempotency check (CreateStateMachine, API Reference): name, definition, type, logging,
    // tracing, encryption, publish and versionDescription; roleArn and tags are ignored.
    const kept = existing.current.encryption;
    const keys = kept === undefined || encryption === undefined ? (kept === encryption ? 'same' : 'other') : encryptionMatch(kept, encryption);
    const same = existing.current.definition === definition && existing.type === type
      && sameJson(existing.current.logging, normalLogging(logging)) && !!existing.current.tracing.enabled === !!tracing.enabled
      && keys !== 'other'
      && (existing.created?.publish ?? false) === publishes && existing.created?.versionDescription === description;
    if (!same) throw new ApiError(ApiErrors.StateMachineAlreadyExists, `State Machine Already Exists: '${arn}'`);
    if (keys === 'unrecorded') {
      advise(unrecordedEncryptionAdvice('CreateStateMachine', arn, kept!, ApiErrors.StateMachineAlreadyExists));
    }
    const latest = [...existing.versions.values()].pop();
    return Promise.resolve({
      stateMachineArn: arn,
      creationDate: date(existing.creationDate),
      ...(publishes && latest ? { stateMachineVersionArn: latest.arn } : {}),
    });
  }
  checkQuota('stateMachines', s.store.machines.size, s.options.quotas, `Region ${s.options.region}`);
  adviseOnTags(s, 'CreateStateMachine', arn, tags);
  const record: RecordOf<'machine'> = {
    t: 'machine',
    arn,
    name,
    definition,
    roleArn,
    type,
    logging,
    tracing,
    encryption,
    at: s.now(),
    revisionId: randomUUID(),
    description,
    publish: publishes,
    tags,
  };
  const machine = applyCreateMachine(s, record, parsed);
  return s.persist(record).then(() => ({
    stateMachineArn: arn,
    creationDate: date(machine.creationDate),
    ...(publishes ? { stateMachineVersionArn: [...machine.versions.values()][0].arn } : {}),
  }));
}

/** Applies a create record; `parsed` is its definition already parsed (by the request's check), else the record's text is checked. */
export function applyCreateMachine(s: StepFunctionsService, r: RecordOf<'machine'>, parsed?: StateMachineDefinition): MachineRecord {
  const at = r.at;
  const machine: MachineRecord = {
    arn: r.arn,
    name: r.name,
    type: r.type,
    creationDate: at,
    current: {
      // Optional in a record (null reads as absent), as the kinds in records.ts say.
      ...newRevision(
        r.definition, r.roleArn, r.logging ?? {}, r.tracing ?? {}, r.revisionId, at,
        parsed ?? journaled(r.definition, r.type), r.encryption ?? undefined,
      ),
      initial: true,
    },
    versions: new Map(),
    nextVersion: 1,
    aliases: new Map(),
    tags: new Map(r.tags ?? []),
    created: { publish: r.publish === true, ...(r.description == null ? {} : { versionDescription: r.description }) },
  };
  s.store.machines.add(machine);
  if (r.publish) publish(machine, r.description ?? undefined, at);
  return machine;
}

export function describeStateMachine(s: StepFunctionsService, p: RequestOf<'DescribeStateMachine'>): AnswerOf<'DescribeStateMachine'> {
  const arn = parseMachineArn(p.stateMachineArn!);
  refuseMapLabelArn(arn, p.stateMachineArn!, 'DescribeStateMachine', 'describe');
  const machine = s.store.machine(arn.base);
  let described: AnswerOf<'DescribeStateMachine'>;
  if (arn.qualifier === undefined) {
    described = describeRevision(machine, machine.arn, machine.current, machine.creationDate, machine.description);
  } else {
    const version = s.store.version(machine, arn.qualifier, `${arn.base}:${arn.qualifier}`);
    described = describeRevision(machine, version.arn, version.revision, version.creationDate, version.description);
  }
  // "If called with includedData = METADATA_ONLY, the returned definition will be {}" (DescribeStateMachine, API reference).
  return p.includedData === 'METADATA_ONLY' ? { ...described, definition: '{}' } : described;
}

export function listStateMachines(s: StepFunctionsService, p: RequestOf<'ListStateMachines'>): AnswerOf<'ListStateMachines'> {
  const all = [...s.store.machines.all()].map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: date(m.creationDate) }));
  const { items, nextToken } = page(all, p, 'machines');
  return { stateMachines: items, ...(nextToken ? { nextToken } : {}) };
}

export function updateStateMachine(s: StepFunctionsService, p: RequestOf<'UpdateStateMachine'>): Promise<AnswerOf<'UpdateStateMachine'>> {
  const arn = parseMachineArn(p.stateMachineArn!);
  const definition = p.definition;
  const roleArn = p.roleArn === undefined ? undefined : checkRoleArn(p.roleArn);
  const advise = adviser(s, 'UpdateStateMachine');
  const logging = readLogging(p, advise);
  const tracing = readTracing(p);
  const publishes = p.publish === true;
  const description = p.versionDescription;
  const encryption = readEncryption(p, advise);
  refuseMapLabelArn(arn, p.stateMachineArn!, 'UpdateStateMachine', 'update');
  // AWS answers a version's or an alias's ARN as a state machine that does not exist (recorded).
  if (arn.qualifier !== undefined) throw new ApiError(ApiErrors.StateMachineDoesNotExist, `State Machine Does Not Exist: '${p.stateMachineArn!}'`);
  const machine = s.store.liveMachine(arn.base);
  checkVersionDescription(description, publishes);
  const nothing = definition === undefined && roleArn === undefined && logging === undefined && tracing === undefined && encryption === undefined;
  if (nothing && !publishes) {
    throw new ApiError(ApiErrors.MissingRequiredParameter, 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
  }
  const parsed = definition !== undefined ? checkDefinition(definition, machine.type) : undefined;
  const changed = (definition !== undefined && definition !== machine.current.definition)
    || (roleArn !== undefined && roleArn !== machine.current.roleArn)
    || logging !== undefined || tracing !== undefined || encryption !== undefined;
  refuseVersionPastQuota(machine, publishes && (changed || ![...machine.versions.values()].some((v) => v.revision === machine.current)));
  const record: RecordOf<'update'> = {
    t: 'update',
    arn: machine.arn,
    definition,
    roleArn,
    logging,
    tracing,
    encryption,
    at: s.now(),
    revisionId: changed ? randomUUID() : machine.current.revisionId,
    publish: publishes,
    description,
  };
  const version = applyUpdateMachine(s, record, parsed);
  return s.persist(record).then(() => ({
    updateDate: date(machine.current.updateDate),
    ...shownRevisionId(machine.current),
    ...(version ? { stateMachineVersionArn: version.arn } : {}),
  }));
}

/** Applies an update record; `parsed` is its definition already parsed (by the request's check), else the record's text is checked. */
export function applyUpdateMachine(s: StepFunctionsService, r: RecordOf<'update'>, parsed?: StateMachineDefinition): VersionRecord | undefined {
  const machine = s.store.journaledMachine(r.arn);
  const c = machine.current;
  if (r.revisionId !== c.revisionId) {
    const logging = r.logging ?? c.logging;
    const text = r.definition ?? c.definition;
    const definition = parsed ?? (text === c.definition ? c.parsed : journaled(text, machine.type));
    const encryption = r.encryption ?? c.encryption;
    machine.current = newRevision(text, r.roleArn ?? c.roleArn, logging, r.tracing ?? c.tracing, r.revisionId, r.at, definition, encryption);
  }
  return r.publish ? publish(machine, r.description ?? undefined, r.at) : undefined;
}

/**
 * DeleteStateMachine. "An asynchronous operation. It sets the state machine's status to DELETING
 * and begins the deletion process. A state machine is deleted only when all its executions are
 * completed. On the next state transition, the state machine's executions are terminated" (API
 * reference): each running STANDARD execution fails as it enters its next state, with
 * `States.Runtime` and "State machine <name> has been deleted." (AWS's knowledge center, "Step
 * Functions state machine stuck in DELETING"); one waiting (a Wait, a callback) keeps the state
 * machine DELETING until it moves on or is stopped. An EXPRESS state machine goes at once ("the
 * deletion happens eventually (usually in less than a minute)"), its executions running on. The
 * state machine of a Distributed Map's children (`<machine>/<label>`) is refused: "If you provide a
 * qualified state machine ARN that refers to a Distributed Map state, the request fails with
 * ValidationException" (the same page).
 */
export function deleteStateMachine(s: StepFunctionsService, p: RequestOf<'DeleteStateMachine'>): Promise<AnswerOf<'DeleteStateMachine'>> {
  const arn = parseMachineArn(p.stateMachineArn!);
  refuseMapLabelArn(arn, p.stateMachineArn!, 'DeleteStateMachine', 'delete');
  if (arn.qualifier !== undefined) throw new ApiError(ApiErrors.ValidationException, `Delete a version with DeleteStateMachineVersion and an alias with DeleteStateMachineAlias: '${p.stateMachineArn!}'`);
  // Deleting what does not exist succeeds, as on AWS; deleting what is being deleted changes nothing.
  const machine = s.store.machines.find(arn.base);
  if (!machine || machine.deleting) return Promise.resolve({});
  const record: RecordOf<'deleteMachine'> = { t: 'deleteMachine', arn: arn.base };
  applyDeleteMachine(s, record);
  return s.persist(record).then(() => ({}));
}

/** The cause an execution of a deleted state machine fails with (AWS's knowledge center, recorded by a user). */
export function deletedCause(machine: MachineRecord): string {
  return `State machine ${machine.name} has been deleted.`;
}

export function applyDeleteMachine(s: StepFunctionsService, r: RecordOf<'deleteMachine'>): undefined {
  const machine = s.store.machines.find(r.arn);
  if (!machine) return undefined;
  const running = s.store.executionsOf(machine.arn).filter((e) => e.status === 'RUNNING');
  if (machine.type === 'EXPRESS' || running.length === 0) {
    s.store.machines.remove(machine.arn);
    return undefined;
  }
  machine.deleting = true;
  for (const e of running) {
    const current = e.segments[e.segments.length - 1];
    // Run again from the journal, it passes the states it had entered before the delete first.
    if (current && 'historyRecorder' in current) e.clock.whenLive(() => current.failAtNextState(StatesErrors.RUNTIME, deletedCause(machine), true));
  }
  return undefined;
}

/** A state machine being deleted is gone once none of its executions runs. */
export function deletionEnds(s: StepFunctionsService, machine: MachineRecord): void {
  if (!machine.deleting || s.store.machines.find(machine.arn) !== machine) return;
  if (s.store.executionsOf(machine.arn).some((e) => e.status === 'RUNNING')) return;
  s.store.machines.remove(machine.arn);
}

export function describeStateMachineForExecution(s: StepFunctionsService, p: RequestOf<'DescribeStateMachineForExecution'>): AnswerOf<'DescribeStateMachineForExecution'> {
  const e = s.store.execution(p.executionArn!);
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
    ...shownEncryption(r),
    ...shownRevisionId(r),
    // A child of a Map Run: "If a Map Run dispatched the execution, this action returns the Map Run
    // ARN" (DescribeStateMachineForExecution), with the label its children's machine is named by.
    ...(e.mapRun ? { mapRunArn: e.mapRun.mapRunArn, label: labelOf(e.mapRun) } : {}),
  };
}

/** The label a child's machine is named by: `<its parent's machine>/<label>` (a label may hold a '/'). */
function labelOf(run: NonNullable<ExecutionRecord['mapRun']>): string {
  const parentMachine = run.parent.mapRun?.stateMachineArn ?? run.parent.machine.arn;
  const own = run.stateMachineArn;
  return own.startsWith(`${parentMachine}/`) ? own.slice(parentMachine.length + 1) : own.slice(own.lastIndexOf('/') + 1);
}

export function validateStateMachineDefinition(_service: StepFunctionsService, p: RequestOf<'ValidateStateMachineDefinition'>): AnswerOf<'ValidateStateMachineDefinition'> {
  const definition = p.definition!;
  const type = machineType(p);
  // AWS's warnings are of kinds serve does not report, so severity WARNING adds none.
  // 0 and no value both mean the default, 100, which is also the most.
  const max = p.maxResults || AwsLimits.VALIDATION_DIAGNOSTICS;
  const diagnostics = definitionDiagnostics(definition, type);
  return {
    result: diagnostics.length > 0 ? 'FAIL' : 'OK',
    diagnostics: diagnostics.slice(0, max),
    truncated: diagnostics.length > max,
  };
}

export function testState(service: StepFunctionsService, p: RequestOf<'TestState'>): Promise<AnswerOf<'TestState'>> {
  // What the check of the mock noticed and AWS lets through goes to serve's output, not into AWS's answer.
  // It pauses as an execution does (see ExecutionClock.pause), so a long one keeps no request waiting.
  const pausing = new ExecutionClock(service.options.clock, service.options.clock.now());
  return runTestState(p, (advice) => service.options.log(adviceLine('TestState', advice)), pausing);
}

/**
 * AWS's TestState, request to response: the request read and validated as the model says and
 * refused as AWS refuses it (an ApiError of AWS's type, in its words), the state run by the
 * harness's testState, the response shaped as AWS shapes it (`output` and the inspection data as
 * JSON text). It needs no server: `stepwright mcp`'s test_state tool calls it too.
 * @throws ApiError
 * @internal
 */
export function testStateRequest(request: Readonly<JsonObject>, advise?: (advice: RunAdvice) => void): Promise<AnswerOf<'TestState'>> {
  return runTestState(checkRequest('TestState', request), advise);
}

async function runTestState(p: RequestOf<'TestState'>, advise?: (advice: RunAdvice) => void, pausing?: Pick<ExecutionClock, 'pause'>): Promise<AnswerOf<'TestState'>> {
  const definition = p.definition!;
  if (p.roleArn !== undefined) checkRoleArn(p.roleArn);
  const level = p.inspectionLevel ?? DEFAULT_INSPECTION_LEVEL;
  const revealSecrets = p.revealSecrets;
  const stateName = p.stateName ?? '';
  const mock = p.mock;
  const configuration = p.stateConfiguration;
  // A state or a machine, unchecked: the harness checks the state it runs before anything reads it.
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (e) {
    const reading = readAsJackson(definition);
    if (reading.kind !== 'refused') throw new ApiError(ApiErrors.InvalidDefinition, `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(e as Error).message}'`);
    throw new ApiError(ApiErrors.InvalidDefinition, invalidDefinitionMessage([{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: reading.message, location: reading.location }]));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError(ApiErrors.InvalidDefinition, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object'");
  }
  // "If this field is specified, the definition must contain a fully-formed state machine definition"
  // (TestState, API reference): what AWS answers a single state with one is not recorded, so it runs, and is told.
  if (p.stateName !== undefined && typeof (parsed as { Type?: unknown }).Type === 'string') {
    advise?.({
      state: p.stateName,
      message: `stateName '${p.stateName}' names a state of a whole state machine's definition ("If this field is specified, the definition must `
        + 'contain a fully-formed state machine definition", TestState, API reference); this definition is a single state, run whatever the name. '
        + 'AWS\'s answer to such a request is not recorded and may be a refusal: leave stateName out, or give the whole state machine.',
    });
  }
  const input = parseJson(p.input ?? '{}', 'input', ApiErrors.InvalidExecutionInput);
  const variables = p.variables === undefined ? undefined : parseJson(p.variables, 'variables', ApiErrors.ValidationException);
  if (variables !== undefined && (variables === null || typeof variables !== 'object' || Array.isArray(variables))) {
    throw new ApiError(ApiErrors.ValidationException, 'Invalid variables: the variables must be a JSON object, each of its members a variable');
  }
  // What AWS refuses before it runs anything, in its words (recorded).
  if (mock?.result !== undefined && mock.errorOutput !== undefined) {
    throw new ApiError(ApiErrors.ValidationException, 'A test mock should have only one of the following fields: [result, errorOutput].');
  }
  if (mock !== undefined && revealSecrets === true) throw new ApiError(ApiErrors.ValidationException, 'TestState does not support RevealSecrets when a mock is specified.');
  const mockValue = mock?.result !== undefined ? parseJson(mock.result, 'mock.result', ApiErrors.ValidationException)
    : mock?.errorOutput ? { error: mock.errorOutput.error ?? 'Error', ...(mock.errorOutput.cause !== undefined ? { cause: mock.errorOutput.cause } : {}) } : undefined;
  const context = p.context === undefined ? undefined : parseJson(p.context, 'context', ApiErrors.ValidationException);
  // Loaded on first use: TestState is rare, and the harness it lives in is large to load.
  const { stateUnderTest, testStateWith: runHarness, TestStateError } = await import('../../workbench/test-state');
  let result;
  try {
    const tested = stateUnderTest(parsed, stateName);
    // A Task's mock with neither result nor errorOutput: AWS's words for one with both (recorded), as
    // it takes exactly one (inferred); not the role's words, as a mock makes the role optional.
    if (tested.Type === 'Task' && mock !== undefined && mockValue === undefined) {
      throw new ApiError(ApiErrors.ValidationException, 'A test mock should have only one of the following fields: [result, errorOutput].');
    }
    // "When you specify a mock, specifying the role becomes optional" (Testing state machines with TestState API, AWS Step Functions Developer Guide).
    if (p.roleArn === undefined && tested.Type === 'Task' && mockValue === undefined) {
      throw new ApiError(ApiErrors.ValidationException, 'RoleArn must be specified when testing a Task state');
    }
    // AWS would call the resource; here nothing is called. Named as the request's member, not the harness's options.mock.
    if (tested.Type === 'Task' && mockValue === undefined) {
      throw new ApiError(ApiErrors.ValidationException, `mock: a Task state is tested with a mock here, as nothing is called: give mock.result, what ${String(tested.Resource)} returns `
        + 'as JSON text, or mock.errorOutput ({"error", "cause"}) to make it fail');
    }
    result = await runHarness(parsed, stateName, input, {
      mock: mockValue as JsonValue,
      ...(mock?.fieldValidationMode !== undefined ? { fieldValidationMode: mock.fieldValidationMode } : {}),
      inspectionLevel: level,
      variables: variables as Record<string, JsonValue> | undefined,
      ...(context !== undefined ? { context: context as never } : {}),
      ...(configuration?.retrierRetryCount !== undefined ? { retrierRetryCount: configuration.retrierRetryCount } : {}),
      ...(configuration?.mapIterationFailureCount !== undefined ? { mapIterationFailureCount: configuration.mapIterationFailureCount } : {}),
      ...(configuration?.errorCausedByState !== undefined ? { errorCausedByState: configuration.errorCausedByState } : {}),
      ...(configuration?.mapItemReaderData !== undefined ? { mapItemReaderData: configuration.mapItemReaderData } : {}),
    }, pausing);
  } catch (e) {
    if (e instanceof TestStateError) {
      const type = e.aws !== undefined && isApiErrorName(e.aws.type) ? e.aws.type : ApiErrors.ValidationException;
      throw new ApiError(type, e.aws?.message ?? e.message);
    }
    if (e instanceof DefinitionError) throw new ApiError(ApiErrors.InvalidDefinition, `Invalid State Machine Definition: '${e.message}'`);
    throw e;
  }
  for (const advice of result.advice ?? []) advise?.(advice);
  return {
    status: result.status,
    ...(result.output !== undefined ? { output: JSON.stringify(result.output) } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    ...(result.nextState !== undefined ? { nextState: result.nextState } : {}),
    ...(result.inspectionData ? { inspectionData: inspectionOf(result.inspectionData) } : {}),
  };
}

type WireInspectionData = NonNullable<AnswerOf<'TestState'>['inspectionData']>;

/**
 * The members of InspectionData the model types as numbers (InspectionMaxConcurrency,
 * InspectionToleratedFailureCount, InspectionToleratedFailurePercentage): AWS sends them as JSON
 * numbers (recorded: `"maxConcurrency": 1`, test_state_map_context_object), not as JSON text.
 */
const NUMBER_MEMBERS: ReadonlySet<keyof WireInspectionData> = new Set(['maxConcurrency', 'toleratedFailureCount', 'toleratedFailurePercentage']);

/** The inspection data as AWS sends it: each stage as JSON text, the Map's settings as numbers, errorDetails as a structure. */
function inspectionOf(data: InspectionData): WireInspectionData {
  const out: Record<string, string | number | InspectionErrorDetails> = {};
  for (const [k, v] of Object.entries(data)) {
    out[k] = k === 'errorDetails' ? v : NUMBER_MEMBERS.has(k as keyof WireInspectionData) && typeof v === 'number' ? v : JSON.stringify(v);
  }
  return out as WireInspectionData;
}

/**
 * A definition a journal record holds, typed by the validator as it was when the request was taken.
 * The record was written only once the request's check passed it.
 */
function journaled(definition: string, type: MachineType): StateMachineDefinition {
  return validator().checkedDefinition(definition, { type, warnings: false, substituted: true });
}

/** Checks a definition as CreateStateMachine and UpdateStateMachine do; the definition, parsed once for the check and for the revision that keeps it. */
function checkDefinition(definition: string, type: MachineType): StateMachineDefinition {
  const { diagnostics, parsed } = diagnoseDefinition(definition, type);
  if (diagnostics.length > 0 || parsed === undefined) throw new ApiError(ApiErrors.InvalidDefinition, invalidDefinitionMessage(diagnostics));
  try {
    interpreter().compileStateMachine(parsed, { type, validate: false });
  } catch (e) {
    if (e instanceof DefinitionError) throw new ApiError(ApiErrors.InvalidDefinition, `Invalid State Machine Definition: '${awsCode(e.code)}: ${e.message} at ${e.location || '/'}'`);
    throw e;
  }
  return parsed;
}
