/*
 * Executions: start them (asynchronously, or synchronously for EXPRESS), describe,
 * list, stop and redrive them, read their history, and the Map Runs they made.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { JsonValue } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { payloadChars } from '../../asl/history-events';
import { describeNonJsonText } from '../../asl/json-value';
import { allStates } from '../../asl/state-tree';
import { adviceLine } from '../advice';
import { ApiError, checkName } from '../api-errors';
import { arnOf, parseMapRunArn, parseMachineArn, refuseMapLabelArn } from '../arns';
import { ExecutionClock } from '../clock';
import { ExecutionHistory, redrivePoint, renderEvent, type WireEvent } from '../execution-history';
import { readAsJackson } from '../jackson';
import type { AnswerOf, RequestOf } from './operation-table';
import { AwsLimits } from '../../asl/limits';
import { SEED_BOUND } from '../../asl/random';
import { restoreChildren } from '../journal/child-closing';
import { restoreClosed, type ClosedRecord } from '../journal/closing';
import { ConfigurationError } from '../journal/restore';
import { mockConfigReader } from '../lazy';
import { liveMapRun, mapRuns, rootOf, type MapRunView } from '../map-runs';
import type { ExecutionRecord } from '../model';
import type { RecordOf } from '../records';
import type { StepFunctionsService } from '../service';
import type { StartTarget } from '../store';
import { exactDigits } from '../validation/body';
import { constraintError } from '../validation/request';
import { date, describe, notRedrivable, page, pageToken, pageWindow } from '../values';

/** AWS's answer to StartSyncExecution on a STANDARD machine and ListExecutions on an EXPRESS one. */
const TYPE_NOT_SUPPORTED = 'This operation is not supported by this type of state machine';

/**
 * Refuses execution input that is not JSON as AWS does (recorded): "Invalid State Machine
 * Execution Input: '…'" quoting its JSON parser's message without the location, and
 * 'Invalid execution input.' for input with no value at all. Input the interpreter cannot carry
 * (nested past 1,000 levels, Jackson's bound on AWS) is refused the same way.
 */
function checkExecutionInput(input: string): void {
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch (e) {
    const reading = readAsJackson(input);
    const reason = reading.kind === 'refused' ? reading.message : reading.kind === 'empty' ? 'Invalid execution input.' : (e as Error).message;
    throw new ApiError(ApiErrors.InvalidExecutionInput, `Invalid State Machine Execution Input: '${reason}'`);
  }
  // Said in the terms of the text: 1e999 is a number out of range, not an Infinity the input never held.
  const problem = describeNonJsonText(value);
  if (problem !== undefined) throw new ApiError(ApiErrors.InvalidExecutionInput, `Invalid State Machine Execution Input: '${problem}'`);
}

/**
 * Refuses execution input over the size AWS takes: what a `states:startExecution` Task gives the
 * execution it starts (a request's input, the request's model has sized already: validation/request.ts).
 */
function checkInputSize(input: string): void {
  if (Buffer.byteLength(input) > AwsLimits.PAYLOAD_BYTES) throw new ApiError(ApiErrors.InvalidExecutionInput, `The input exceeds the maximum of ${AwsLimits.PAYLOAD_BYTES} bytes`);
}

/**
 * What StartExecution and StartSyncExecution check of their own before they look the state machine
 * up: the ARN's shape, and the characters of a name the model's bounds let through.
 */
function startChecks(p: RequestOf<'StartExecution' | 'StartSyncExecution'>): void {
  parseMachineArn(p.stateMachineArn!);
  if (p.name !== undefined) checkName(p.name);
}

export function startExecution(s: StepFunctionsService, p: RequestOf<'StartExecution'>): Promise<AnswerOf<'StartExecution'>> {
  startChecks(p);
  refuseMapLabelArn(parseMachineArn(p.stateMachineArn!), p.stateMachineArn!, 'StartExecution', 'start');
  return startOf(s, p, false).then((e) => ({ executionArn: e.arn, startDate: date(e.startDate) }));
}

/**
 * StartExecution, or (`sync`) the start of StartSyncExecution, whose execution AWS runs at most
 * once: the execution started, or the one this same request started before.
 */
function startOf(s: StepFunctionsService, p: RequestOf<'StartExecution' | 'StartSyncExecution'>, sync: boolean): Promise<ExecutionRecord> {
  const target = s.store.target(p.stateMachineArn!);
  const input = p.input ?? '{}';
  checkExecutionInput(input);
  const name = p.name ?? randomUUID();
  const { arn, existing } = executionNamed(s, target, name, randomUUID());
  if (existing) {
    // The same name and input while it runs is the same request again (AWS's idempotent StartExecution).
    if (existing.status === 'RUNNING' && existing.input === input) return Promise.resolve(existing);
    throw new ApiError(ApiErrors.ExecutionAlreadyExists, `Execution Already Exists: '${arn}'`);
  }
  // Compiled before the startDate is taken: neither the execution's time nor an EXPRESS one's billed duration counts it.
  s.prepare(target);
  const { record, persisted } = startNew(s, target, { arn, name, input, at: s.now(), sync });
  return persisted.then(() => record);
}

/**
 * The ARN an execution named `name` of `target` gets (an EXPRESS one's with `expressId`, which
 * makes each of its executions unique), checking the name, and the execution that has it already.
 * @internal
 */
export function executionNamed(
  s: StepFunctionsService, target: StartTarget, name: string, expressId: string,
): { arn: string; existing?: ExecutionRecord } {
  checkName(name);
  const machine = target.machine;
  const arn = machine.type === 'EXPRESS' ? arnOf(s.options, 'express', machine.name, name, expressId) : arnOf(s.options, 'execution', machine.name, name);
  const existing = s.store.findExecution(arn);
  return existing ? { arn, existing } : { arn };
}

/** What starts a new execution beyond its target: its ARN and name, its input (checked already), when, and who started it. @internal */
export interface NewExecution {
  readonly arn: string;
  readonly name: string;
  readonly input: string;
  /** Its startDate: the server's time, or the time of the execution whose Task starts it. */
  readonly at: number;
  readonly sync?: boolean;
  /** The execution whose `states:startExecution` Task starts it, and the call (see TaskRouter.callKey). */
  readonly startedBy?: { readonly parent: string; readonly call: string };
}

/**
 * Starts a new execution of `target`, journaled (a STANDARD one) before `persisted` resolves: the
 * start of StartExecution and of a `states:startExecution` Task of another execution.
 * @throws ApiError for input over the size AWS takes, or a test case the mock configuration lacks
 * @internal
 */
export function startNew(s: StepFunctionsService, target: StartTarget, e: NewExecution): { record: ExecutionRecord; persisted: Promise<void> } {
  const { machine, version, alias, testCase } = target;
  checkInputSize(e.input);
  if (machine.type === 'STANDARD') s.checkOpenExecutions();
  const parent = e.startedBy ? s.store.findExecution(e.startedBy.parent) : undefined;
  if (parent) s.checkChain(parent);
  if (e.startedBy && machine.type !== 'STANDARD') s.checkRunningExpress();
  // The execution keeps the test case as the file is now, across later changes and restarts: the journal holds it.
  const mockConfig = testCase !== undefined ? s.testCaseFor(machine.name, testCase) : undefined;
  const record: RecordOf<'start'> = {
    t: 'start',
    arn: e.arn,
    machine: machine.arn,
    version: version?.number,
    alias: alias?.name,
    name: e.name,
    input: e.input,
    seed: randomInt(0, SEED_BOUND),
    at: e.at,
    testCase,
    ...(mockConfig ? { mockConfig } : {}),
    // Only an EXPRESS execution is started synchronously, and none is journaled.
    ...(e.sync === true ? { sync: true } : {}),
    ...(e.startedBy ? { parent: e.startedBy.parent, call: e.startedBy.call } : {}),
  };
  const execution = applyStart(s, record, undefined);
  if (mockConfig) s.options.log(`execution ${e.arn}: test case '${testCase}' of MockConfigFile version ${mockConfig.version}`);
  if (mockConfig && execution.mocks) adviseAbsentStates(s, execution, testCase!);
  if (machine.type === 'EXPRESS') return { record: execution, persisted: Promise.resolve() };
  return { record: execution, persisted: s.persist(record) };
}

/** Tells, as the other doors do, each state the execution's test case mocks that its machine lacks: it answers nothing, and the execution runs. */
function adviseAbsentStates(s: StepFunctionsService, execution: ExecutionRecord, testCase: string): void {
  const states = allStates(execution.revision.parsed);
  for (const state of execution.mocks!.keys()) {
    if (states.has(state)) continue;
    const message = mockConfigReader().absentStateAdvice(testCase, state, execution.machine.name, [...states.keys()]);
    s.options.log(adviceLine(`execution ${execution.arn}`, { state, message }));
  }
}

export async function startSyncExecution(s: StepFunctionsService, p: RequestOf<'StartSyncExecution'>): Promise<AnswerOf<'StartSyncExecution'>> {
  startChecks(p);
  const { machine } = s.store.target(p.stateMachineArn!);
  if (machine.type !== 'EXPRESS') throw new ApiError(ApiErrors.StateMachineTypeNotSupported, TYPE_NOT_SUPPORTED);
  const e = await startOf(s, p, true);
  await e.done;
  const { executionArn, stateMachineArn, name, startDate, stopDate, input, inputDetails, output, outputDetails, error, cause } = describe(e, s.now());
  return {
    executionArn,
    stateMachineArn,
    name,
    status: syncStatus(e),
    startDate,
    stopDate,
    input,
    inputDetails,
    ...(output !== undefined ? { output, outputDetails } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(cause !== undefined ? { cause } : {}),
    billingDetails: {
      billedMemoryUsedInMB: 64,
      billedDurationInMilliseconds: Math.max(100, Math.ceil(((e.stopDate ?? e.startDate) - e.startDate) / 100) * 100),
    },
  };
}

/**
 * How a synchronous execution ended, in StartSyncExecution's terms (SyncExecutionStatus): AWS
 * has no ABORTED there, as nothing stops one; an execution the server stopped anyway (a bug)
 * failed.
 */
function syncStatus(e: ExecutionRecord): 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' {
  return e.status === 'SUCCEEDED' || e.status === 'TIMED_OUT' ? e.status : 'FAILED';
}

/** The place in its chain of an execution a Task of `parent` starts (see ExecutionRecord.chain). */
function chainAfter(s: StepFunctionsService, parent: string): number {
  // A parent the journal no longer holds (compacted away once it closed) still came before it.
  return (s.store.findExecution(parent)?.chain ?? 0) + 1;
}

export function applyStart(s: StepFunctionsService, r: RecordOf<'start'>, closed: ClosedRecord | undefined): ExecutionRecord {
  // A start is journaled once (StartExecution again with the same name answers the first): a second is a line written twice.
  if (s.store.findExecution(r.arn)) throw new Error(`it starts the execution '${r.arn}', which an earlier record started`);
  const machine = s.store.journaledMachine(r.machine);
  const version = r.version === undefined || r.version === null ? undefined : machine.versions.get(r.version);
  if (r.version !== undefined && r.version !== null && !version) throw new Error(`it starts version ${r.version} of '${machine.arn}', which no earlier record publishes`);
  const alias = r.alias === undefined || r.alias === null ? undefined : machine.aliases.get(r.alias);
  if (r.alias !== undefined && r.alias !== null && !alias) throw new Error(`it starts through alias '${r.alias}' of '${machine.arn}', which no earlier record creates`);
  const testCase = r.testCase ?? undefined;
  const startDate = r.at;
  const kept = r.mockConfig;
  let mocks: ExecutionRecord['mocks'];
  if (testCase !== undefined && kept) {
    if (typeof kept.version !== 'string') throw new Error("its field 'mockConfig' has no version");
    try {
      const reader = mockConfigReader();
      mocks = reader.mockResponsesFor(reader.parseMockConfig(kept.config), machine.name, testCase);
    } catch (e) {
      throw new Error(`its field 'mockConfig' (version ${kept.version}) cannot give test case '${testCase}': ${(e as Error).message}`);
    }
  } else {
    try {
      // A journal written before executions kept their test case: the configuration given now must have it.
      mocks = testCase === undefined ? undefined : s.mocksFor(machine.name, testCase);
    } catch (e) {
      throw new ConfigurationError(`execution '${r.arn}' was started on test case '${testCase}', which the mock configuration given now cannot give: ${(e as Error).message}`);
    }
  }
  // Read before anything changes, so that a history that cannot be read leaves no half-restored execution.
  const restored = closed ? s.replay.readClosed(closed) : undefined;
  const record: ExecutionRecord = {
    arn: r.arn,
    name: r.name,
    machine,
    versionArn: version?.arn,
    aliasArn: alias?.arn,
    revision: version?.revision ?? machine.current,
    input: r.input,
    seed: r.seed,
    startDate,
    express: machine.type === 'EXPRESS',
    ...(r.sync === true ? { sync: true } : {}),
    testCase,
    mocks,
    ...(testCase !== undefined && kept && typeof kept.version === 'string' ? { mockConfigVersion: kept.version } : {}),
    ...(typeof r.parent === 'string' && typeof r.call === 'string' ? { startedBy: { parent: r.parent, call: r.call }, chain: chainAfter(s, r.parent) } : {}),
    invocations: new Map(),
    calls: new Map(),
    clock: new ExecutionClock(s.options.clock, startDate, s.replay.replaying),
    status: 'RUNNING',
    redriveCount: 0,
    segments: [],
    done: Promise.resolve(),
  };
  s.store.addExecution(record);
  if (restored) {
    restoreClosed(record, closed!.record, restored);
    restoreChildren(s.store, s.replay, record, closed!);
  } else {
    try {
      s.run(record, JSON.parse(record.input) as JsonValue);
    } catch (e) {
      // An execution that could not start is not kept: describing it must not find a run that never was.
      s.store.removeExecution(record);
      throw e;
    }
  }
  return record;
}

export function describeExecution(s: StepFunctionsService, p: RequestOf<'DescribeExecution'>): AnswerOf<'DescribeExecution'> {
  return describe(s.store.execution(p.executionArn!), s.now());
}

export function listExecutions(s: StepFunctionsService, p: RequestOf<'ListExecutions'>): AnswerOf<'ListExecutions'> {
  const status = p.statusFilter;
  const redrive = p.redriveFilter;
  if (p.mapRunArn !== undefined) return listChildren(s, p, p.mapRunArn, status, redrive);
  // Neither ARN: not recorded; answered as a missing state machine ARN, the one a listing of executions most often names.
  if (p.stateMachineArn === undefined) throw constraintError(undefined, 'Arn', 'stateMachineArn', 'not be null');
  const arn = parseMachineArn(p.stateMachineArn);
  // "If you provide a stateMachineArn and a PENDING_REDRIVE statusFilter, the API returns a validation exception" (ListExecutions, API reference).
  if (status === 'PENDING_REDRIVE') {
    throw new ApiError(ApiErrors.ValidationException, 'statusFilter PENDING_REDRIVE lists the child executions of a Map Run waiting for its redrive: give mapRunArn, not stateMachineArn');
  }
  const machine = s.store.machine(arn.base);
  if (machine.type === 'EXPRESS') throw new ApiError(ApiErrors.StateMachineTypeNotSupported, TYPE_NOT_SUPPORTED);
  let list = [...s.store.executionsOf(machine.arn)].reverse();
  if (arn.qualifier !== undefined) {
    const qualified = `${arn.base}:${arn.qualifier}`;
    list = list.filter((e) => e.versionArn === qualified || e.aliasArn === qualified);
  }
  if (status !== undefined) list = list.filter((e) => e.status === status);
  if (redrive === 'REDRIVEN') list = list.filter((e) => e.redriveCount > 0);
  if (redrive === 'NOT_REDRIVEN') list = list.filter((e) => e.redriveCount === 0);
  const { items, nextToken } = page(list, p, `executions:${p.stateMachineArn}:${status}:${redrive}`);
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

/**
 * ListExecutions by `mapRunArn`: the child executions of a Map Run, newest first, each with the
 * Map Run's ARN and the items it processed, as AWS lists them (ListExecutions, "mapRunArn" and
 * ExecutionListItem's `itemCount`, returned only when `mapRunArn` is given).
 */
function listChildren(
  s: StepFunctionsService, p: RequestOf<'ListExecutions'>, mapRunArn: string, status: string | undefined, redrive: string | undefined,
): AnswerOf<'ListExecutions'> {
  if (p.stateMachineArn !== undefined) {
    throw new ApiError(ApiErrors.ValidationException, 'Give either a mapRunArn or a stateMachineArn to ListExecutions, not both');
  }
  const arn = describeMapRun(s, { mapRunArn }).mapRunArn!;
  let list = [...s.store.childrenOf(arn)].reverse();
  if (status !== undefined) list = list.filter((e) => e.status === status);
  if (redrive === 'REDRIVEN') list = list.filter((e) => e.redriveCount > 0);
  if (redrive === 'NOT_REDRIVEN') list = list.filter((e) => e.redriveCount === 0);
  const { items, nextToken } = page(list, p, `children:${arn}:${status}:${redrive}`);
  return {
    executions: items.map((e) => ({
      executionArn: e.arn,
      stateMachineArn: e.mapRun!.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: date(e.startDate),
      ...(e.stopDate !== undefined ? { stopDate: date(e.stopDate) } : {}),
      mapRunArn: arn,
      itemCount: e.mapRun!.itemCount,
      redriveCount: e.redriveCount,
      ...(e.redriveCount > 0 ? { redriveDate: date(e.redriveDate!) } : {}),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
}

/** What each of RedriveExecution's conditions asks, said after the reason it refuses for (API reference, RedriveExecution). */
const REDRIVE_RULES: Readonly<Record<string, string>> = {
  'Execution redrivable period exceeded': ` (an execution may be redriven for ${AwsLimits.REDRIVE_PERIOD_SECONDS / 86_400} days after it closes)`,
  'Execution history event limit exceeded': ` (a redrive needs a history of fewer than ${AwsLimits.HISTORY_EVENTS - 1} events, to add ExecutionRedriven and one more)`,
  'Execution has exceeded the max execution time': ' (an execution may be redriven within a year of its start)',
  'State machine is in DELETING status': ' (DeleteStateMachine was called)',
};

/**
 * Refuses to redrive a child execution of a Map Run by itself: AWS redrives one only through its
 * Map Run (redriveStatusReason REDRIVABLE_BY_MAP_RUN), which a redrive of its parent redrives.
 */
function notAChild(e: ExecutionRecord): void {
  const run = e.mapRun;
  if (!run) return;
  throw new ApiError(ApiErrors.ExecutionNotRedrivable, `Execution '${e.arn}' is a child execution of Map Run '${run.mapRunArn}' (REDRIVABLE_BY_MAP_RUN): `
    + `redrive its parent execution '${run.parent.arn}', which redrives the Map Run and the children that did not succeed`);
}

/**
 * StopExecution. A child execution of a Map Run is stopped alone, as AWS lets a user stop one
 * (MapRunExecutionCounts.aborted counts children "stopped by the user"): it ends ABORTED and its
 * parent's Map goes on with the others. Its closing is journaled as it ends (see
 * child-closing.ts), before this answers.
 */
export async function stopExecution(s: StepFunctionsService, p: RequestOf<'StopExecution'>): Promise<AnswerOf<'StopExecution'>> {
  const { error, cause } = p;
  const e = s.store.execution(p.executionArn!);
  if (e.status === 'RUNNING' && e.mapRun) {
    e.stopChild?.(error, cause);
    // Its closing is journaled as it ends; the stop too, for a run of its root that runs again after a restart.
    const record: RecordOf<'stop'> = { t: 'stop', arn: e.arn, error, cause, root: rootOf(e).arn };
    await s.persist(record);
    await e.done;
  } else if (e.status === 'RUNNING') {
    const record: RecordOf<'stop'> = { t: 'stop', arn: e.arn, error, cause };
    applyStop(s, record);
    await s.persist(record);
    await e.done;
  }
  return { stopDate: date(e.stopDate ?? s.now()) };
}

export function applyStop(s: StepFunctionsService, r: RecordOf<'stop'>): void {
  const e = s.store.findExecution(r.arn);
  if (typeof r.root === 'string') {
    // A child stopped by itself: read back while its root runs again (a closed root's closing holds the stop already).
    if (s.store.findExecution(r.root)?.status !== 'RUNNING') return;
    if (e?.status === 'RUNNING' && e.stopChild) e.stopChild(r.error ?? undefined, r.cause ?? undefined);
    else s.replay.noteChildStop(r.arn, r.error ?? undefined, r.cause ?? undefined);
    return;
  }
  const current = e?.segments[e.segments.length - 1];
  // A run read back from the journal has ended; only a live one can be stopped.
  if (!e || !current || !('historyRecorder' in current)) return;
  e.clock.goLive();
  current.stop(r.error ?? undefined, r.cause ?? undefined);
}

export async function redriveExecution(s: StepFunctionsService, p: RequestOf<'RedriveExecution'>): Promise<AnswerOf<'RedriveExecution'>> {
  // Every redrive here is asked for once: the idempotency token (checked by the model) changes nothing.
  const e = s.store.execution(p.executionArn!);
  notAChild(e);
  if (!e.machine.deleting && (e.status === 'RUNNING' || e.status === 'SUCCEEDED')) {
    throw new ApiError(ApiErrors.ExecutionNotRedrivable, `Execution '${e.arn}' is ${e.status} and cannot be redriven; only FAILED, TIMED_OUT and ABORTED executions can`);
  }
  const reason = notRedrivable(e, s.now());
  if (reason !== undefined) throw new ApiError(ApiErrors.ExecutionNotRedrivable, `Execution '${e.arn}' cannot be redriven: ${reason}${REDRIVE_RULES[reason] ?? ''}`);
  const from = redrivePoint(e, new ExecutionHistory(e));
  if (!from) throw new ApiError(ApiErrors.ExecutionNotRedrivable, `Execution '${e.arn}' failed before entering a state; there is nothing to redrive`);
  s.checkOpenExecutions();
  // The execution's time, not the server's: a run that waited at --time-scale ended ahead of the server's clock, and a redrive comes after it.
  const record: RecordOf<'redrive'> = { t: 'redrive', arn: e.arn, at: Math.max(s.now(), e.clock.now()) };
  applyRedrive(s, record);
  await s.persist(record);
  return { redriveDate: date(e.redriveDate!) };
}

export function applyRedrive(s: StepFunctionsService, r: RecordOf<'redrive'>, closed?: (arn: string) => ClosedRecord | undefined): void {
  const e = s.store.journaledExecution(r.arn);
  const go = (): void => {
    const from = redrivePoint(e, new ExecutionHistory(e));
    if (!from) return;
    e.redriveCount++;
    e.redriveDate = r.at;
    e.stopDate = undefined;
    e.output = undefined;
    e.error = undefined;
    e.cause = undefined;
    // Asked for now (not read back from the journal): the run goes on from the redrive's time.
    if (!s.replay.replaying) e.clock.goLive();
    s.run(e, from.input, from);
  };
  if (s.replay.replaying && closed?.(e.arn)) {
    // The journaled closing of this execution may already hold this redrive's run.
    if (s.replay.countRedrive(e.arn) <= e.redriveCount) return;
  }
  if (e.status !== 'RUNNING') go();
  else void e.done.then(go).catch((err: unknown) => s.options.log(`redrive of ${e.arn} failed to start: ${(err as Error).stack ?? String(err)}`));
}

/**
 * A page of the history, rendering only the events on it. A page holds up to
 * maxResults events, and fewer when their payloads pass PAGE_BYTES, as AWS
 * allows ("the actual number of results returned per call might be fewer"),
 * so that a page of events with 256 KiB payloads stays a few MiB.
 */
export function getExecutionHistory(s: StepFunctionsService, p: RequestOf<'GetExecutionHistory'>): AnswerOf<'GetExecutionHistory'> {
  const reverse = p.reverseOrder === true;
  const includeData = p.includeExecutionData !== false;
  const e = s.store.execution(p.executionArn!);
  const history = new ExecutionHistory(e);
  const listing = `history:${e.arn}:${String(reverse)}`;
  const { start, max } = pageWindow(p, listing);
  const events: WireEvent[] = [];
  let bytes = 0;
  let next = start;
  while (next < history.length && events.length < max && (events.length === 0 || bytes < PAGE_BYTES)) {
    const own = history.eventAt(reverse ? history.length - 1 - next : next);
    const event = renderEvent(own, e, includeData);
    // Only the payloads the page holds count: none when the request leaves the data out.
    bytes += includeData ? payloadChars(own) : 0;
    events.push(event);
    next++;
  }
  const nextToken = next < history.length ? pageToken(listing, next) : undefined;
  return { events, ...(nextToken ? { nextToken } : {}) };
}

export function describeMapRun(s: StepFunctionsService, p: RequestOf<'DescribeMapRun'>): AnswerOf<'DescribeMapRun'> {
  const arn = parseMapRunArn(p.mapRunArn!);
  const run = findMapRun(s, arn);
  if (!run) throw new ApiError(ApiErrors.ResourceNotFound, `Resource not found: '${arn}'`);
  return { ...run.describe(), ...s.store.mapRunSettingsOf(arn) };
}

/**
 * Map Run `arn`, found through the execution that started it: the parent of a child kept of it,
 * else an execution of the state machine the ARN names (`…:mapRun:<machine>[/<label>…]/<label>:<id>`)
 * that ran it (what its run counted, or, for one read back from the journal, its history).
 */
function findMapRun(s: StepFunctionsService, arn: string): MapRunView | undefined {
  const inHistory = (e: ExecutionRecord | undefined): MapRunView | undefined => (
    e ? mapRuns(e, new ExecutionHistory(e)).find((r) => r.mapRunArn === arn) : undefined);
  const child = s.store.childrenOf(arn)[0];
  if (child) return inHistory(child.mapRun!.parent);
  const m = /^(arn:[^:]+:states:[^:]*:[^:]*):mapRun:([^/:]+)\/.*:[^:]+$/.exec(arn);
  if (!m) return undefined;
  const machine = s.store.machines.find(`${m[1]}:stateMachine:${m[2]}`);
  if (!machine) return undefined;
  for (const e of s.store.executionsNewestFirst([machine.arn])) {
    const live = liveMapRun(e, arn);
    if (live) return inHistory(live.executionArn === e.arn ? e : s.store.findExecution(live.executionArn));
    if (!e.segments.some((segment) => 'mapRuns' in segment)) {
      const found = inHistory(e);
      if (found) return found;
    }
  }
  return undefined;
}

export function listMapRuns(s: StepFunctionsService, p: RequestOf<'ListMapRuns'>): AnswerOf<'ListMapRuns'> {
  const e = s.store.execution(p.executionArn!);
  const all = mapRuns(e, new ExecutionHistory(e)).map((m) => m.summary);
  const { items, nextToken } = page(all, p, `mapRuns:${e.arn}`);
  return { mapRuns: items, ...(nextToken ? { nextToken } : {}) };
}

/**
 * Records new settings for a Map Run; DescribeMapRun shows them. The local
 * Map has usually finished by then, and a running one keeps the settings it started with.
 */
export function updateMapRun(s: StepFunctionsService, p: RequestOf<'UpdateMapRun'>): Promise<AnswerOf<'UpdateMapRun'>> {
  const { maxConcurrency, toleratedFailurePercentage, toleratedFailureCount } = p;
  const given = { maxConcurrency, toleratedFailurePercentage, toleratedFailureCount };
  const arn = parseMapRunArn(p.mapRunArn!);
  // Refuses a Map Run no execution made, as DescribeMapRun does.
  describeMapRun(s, { mapRunArn: arn });
  // A long past 2^53 is kept as the digits sent (a Java long holds it exactly), written back as them.
  const settings: Record<string, number | string> = {};
  for (const [field, value] of Object.entries(given)) if (value !== undefined) settings[field] = exactDigits(p, field) ?? value;
  const record: RecordOf<'mapRun'> = { t: 'mapRun', arn, settings };
  applyUpdateMapRun(s, record);
  return s.persist(record).then(() => ({}));
}

export function applyUpdateMapRun(s: StepFunctionsService, r: RecordOf<'mapRun'>): undefined {
  s.store.updateMapRunSettings(r.arn, r.settings);
  return undefined;
}

/** The payload bytes after which a page of history ends early. */
const PAGE_BYTES = 8 * 1024 * 1024;

