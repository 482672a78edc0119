import { randomUUID } from 'node:crypto';
import { parseActivityArn, parseExecutionArn, parseMachineArn, type ArnScope } from './arns';
import type { ServerClock } from './clock';
import { ServerDelivery } from './delivery';
import { ApiError } from './errors';
import { ExecutionHistory } from './history';
import { defaultHistoryBudget, HistoryMeasure, overBudgetCause } from './history-budget';
import { historyRecords, readHistory, readRenderedHistory, type StoredHistoryRef } from './history-store';
import type { Journal, JournalRecord } from './journal';
import { cost, interpreter } from './lazy';
import type { MockConfigSource } from './mock-config-file';
import type { ActivityRecord, AliasRecord, ExecutionRecord, MachineRecord, VersionRecord } from './model';
import { operationNamed } from './operations';
import { applyCreateActivity, applyDeleteActivity } from './operations/activities';
import { applyRedrive, applyStart, applyStop, applyUpdateMapRun } from './operations/executions';
import { applyCreateMachine, applyDeleteMachine, applyUpdateMachine } from './operations/machines';
import { applyTag, applyUntag } from './operations/tags';
import { applyAlias, applyDeleteAlias, applyDeleteVersion, applyPublish } from './operations/versions';
import { recordProblem } from './records';
import { TaskRouter, type TaskResult } from './tasks';
import type { Params, Response } from './values';
import { seededRandom } from '../asl/random';
import type { JsonValue } from '../asl/types';
import type { ResourceRef } from '../cfn/resolver';
import type { HistoryRecorder } from '../interpreter/history';
import type { Execution, StateMachine } from '../interpreter/state-machine';
import type { ExecutionResult, TaskHandler } from '../interpreter/types';
import type { DeliveryPlan } from '../workbench/delivery';
import { MockConfigError, mockResponsesFor, testCaseConfig, type MockConfig } from '../workbench/mock-config';
import type { EndpointForwarder } from '../workbench/mocks/endpoints';

/** How long after a restart an unknown task token may still be re-issued by an execution replaying its journal. */
const REPLAY_WINDOW_MS = 5_000;

/** What the service is built from. @internal */
export interface ServiceOptions extends ArnScope {
  readonly clock: ServerClock;
  readonly mockConfig?: MockConfigSource;
  /** Task handlers by state name or resource ARN (and, for Lambda Tasks, by function). */
  readonly handlers: ReadonlyMap<string, TaskHandler>;
  /** Resources of the loaded templates, by placeholder ARN: Lambda functions with inline code run it. */
  readonly functions?: ReadonlyMap<string, ResourceRef>;
  /** Sends the Tasks of services given an endpoint there. */
  readonly forwarder?: EndpointForwarder;
  readonly journal?: Journal;
  readonly log: (line: string) => void;
  /** Log what each execution would cost on AWS when it ends. */
  readonly cost?: boolean;
  /** Deliver Task invocations at least once, and start asynchronous EXPRESS executions over (see ServerDelivery). */
  readonly delivery?: DeliveryPlan;
  /**
   * The bytes one running execution's history may hold (see history-budget.ts).
   * @default - an eighth of the heap
   */
  readonly historyBudget?: number;
}

/**
 * The Step Functions API over the interpreter: resources and executions in
 * memory, every change journaled (when there is a journal) before it is answered.
 * The operations live in one file per family (operations/); this object holds
 * what they share: the resources, the journal, and the runs of executions.
 * @internal
 */
export class StepFunctionsService {
  readonly machines = new Map<string, MachineRecord>();
  readonly activities = new Map<string, ActivityRecord>();
  readonly executions = new Map<string, ExecutionRecord>();
  /** Standard executions per state machine ARN, oldest first. */
  readonly byMachine = new Map<string, ExecutionRecord[]>();
  readonly records = new WeakMap<Execution, ExecutionRecord>();
  readonly router: TaskRouter;
  /** While replaying the journal: answers and deliveries of task tokens, by token. */
  private readonly replayedAnswers = new Map<string, { ok: boolean; output?: JsonValue; error?: string; cause?: string }>();
  private readonly replayedDeliveries = new Set<string>();
  private readonly replayedHeartbeats = new Map<string, number>();
  /** While replaying the journal: the answers of Tasks, by execution and by call (see TaskRouter). */
  private readonly replayedResults = new Map<string, Map<string, TaskResult>>();
  /** Per execution, the redrives replayed so far (see applyRedrive). */
  readonly replayedRedrives = new Map<string, number>();
  /** Settings given by UpdateMapRun, by Map Run ARN. */
  readonly mapRunSettings = new Map<string, Record<string, number>>();
  /** Executions that were running when the journal was read, re-run from their start. */
  readonly rerun = new Set<ExecutionRecord>();
  replaying = false;
  /** While restoring: reports a record that cannot be applied (throws, or with --repair notes it and goes on). */
  private refuseRecord: (index: number, problem: string) => void = refuseOutsideRestore;
  /** Until then (ms, real time), SendTask* waits briefly for a token not yet re-issued by a replaying execution. */
  private replayWindowEnd = 0;
  closing = false;
  /** What re-delivers Task invocations and starts executions over (with ServiceOptions.delivery). */
  private readonly delivery: ServerDelivery;

  constructor(readonly options: ServiceOptions) {
    options.journal?.compactWith((records) => this.compactJournal(records));
    this.router = new TaskRouter({
      handlers: options.handlers,
      ...(options.functions ? { functions: options.functions } : {}),
      ...(options.forwarder ? { forwarder: options.forwarder } : {}),
      recordOf: (e) => this.records.get(e),
      replayedAnswer: (token) => this.replayedAnswers.get(token),
      replayedDelivery: (token) => this.replayedDeliveries.has(token),
      replayedHeartbeat: (token) => this.replayedHeartbeats.get(token),
      delivered: (token, worker) => {
        void this.persist({ t: 'delivered', token, worker }).catch((e: unknown) => options.log(`could not journal the delivery of task ${token}: ${String(e)}`));
      },
      replayedResult: (arn, key) => {
        const kept = this.replayedResults.get(arn);
        const result = kept?.get(key);
        if (result !== undefined) kept!.delete(key);
        return result;
      },
      answered: (arn, key, result) => {
        // A server closing ends the calls in flight itself: their errors are not the Tasks' answers.
        if (this.closing || !options.journal) return;
        // Journaled while the journal replays too: an answer that came during the replay is new.
        void options.journal.append({ t: 'result', arn, key, ...result })
          .catch((e: unknown) => options.log(`execution ${arn}: could not journal the answer of a Task: ${String(e)}`));
      },
      log: options.log,
    });
    this.delivery = new ServerDelivery(options.delivery, this.router);
  }

  /**
   * Rebuilds the state from journaled records; executions that were running run
   * again from their start. Each record is checked first: one that lacks a field
   * of its kind, or refers to something no earlier record made, is a
   * {@link RecordError} naming its index, and nothing after it is applied. With
   * `repair`, such records are skipped instead (and those that depend on them),
   * and their indexes and problems returned.
   */
  restore(records: readonly JournalRecord[], repair = false): Array<{ index: number; problem: string }> {
    const skipped: Array<{ index: number; problem: string }> = [];
    const refuse = (index: number, problem: string): void => {
      if (!repair) throw new RecordError(index, problem);
      skipped.push({ index, problem });
    };
    this.refuseRecord = (index, problem) => {
      refuse(index, problem);
    };
    this.replaying = true;
    const closed = new Map<string, { record: JournalRecord; index: number }>();
    const histories = new Map<string, JournalRecord[]>();
    const bad = new Set<number>();
    records.forEach((r, index) => {
      const problem = recordProblem(r);
      if (problem !== undefined) {
        refuse(index, problem);
        bad.add(index);
        return;
      }
      if (r.t === 'callback') this.replayedAnswers.set(r.token as string, r as never);
      if (r.t === 'delivered') this.replayedDeliveries.add(r.token as string);
      if (r.t === 'heartbeat') this.replayedHeartbeats.set(r.token as string, r.at as number);
      if (r.t === 'result') {
        const kept = this.replayedResults.get(r.arn as string) ?? new Map<string, TaskResult>();
        kept.set(r.key as string, r as unknown as TaskResult);
        this.replayedResults.set(r.arn as string, kept);
      }
      if (r.t === 'closed') closed.set(r.arn as string, { record: r, index });
      if (r.t === 'history') {
        const parts = histories.get(r.id as string) ?? [];
        parts.push(r);
        histories.set(r.id as string, parts);
      }
    });
    const closedOf = (arn: string): ClosedRecord | undefined => {
      const found = closed.get(arn);
      if (!found) return undefined;
      const ref = found.record.history as StoredHistoryRef | unknown[];
      return { ...found, history: Array.isArray(ref) ? ref : histories.get(String((ref as StoredHistoryRef)?.id)) ?? [] };
    };
    records.forEach((r, index) => {
      if (bad.has(index) || NOT_APPLIED.has(r.t)) return;
      try {
        this.apply(r, closedOf);
      } catch (e) {
        if (e instanceof ConfigurationError) throw e;
        if (e instanceof RecordError) refuse(e.index, e.problem);
        else refuse(index, `the '${r.t}' record cannot be applied: ${(e as Error).message}`);
      }
    });
    this.replaying = false;
    this.refuseRecord = refuseOutsideRestore;
    this.replayWindowEnd = Date.now() + REPLAY_WINDOW_MS;
    return skipped;
  }

  /** Whether `operation` names one of the API's operations (AWS reads the target before the body). */
  knows(operation: string): boolean {
    return operationNamed(operation) !== undefined;
  }

  /** Answers one operation. */
  async call(operation: string, params: Params, signal: AbortSignal): Promise<Response> {
    const op = operationNamed(operation);
    if (!op) throw new ApiError('UnknownOperationException', `Unknown operation: '${operation}'`);
    const journal = this.options.journal;
    // After a failed write the state in memory holds changes the journal may not: answering from it (a
    // retried CreateStateMachine found "already there") would answer what a restart loses.
    if (journal?.failed) throw journalFailed(journal);
    const response = await op(this, params, signal);
    // Whatever the answer shows must survive a crash: wait for the journal to catch up.
    if (journal) await journal.settled().catch(() => { throw journalFailed(journal); });
    return response;
  }

  /** How long (real ms) SendTask* may wait for a token a replaying execution has not re-issued yet: none (0 or less) once the replay window has passed. */
  tokenReplayWaitMs(): number {
    return Math.min(this.replayWindowEnd - Date.now(), REPLAY_WINDOW_MS);
  }

  /** Stops accepting work: long polls end, running executions are left as they are (they resume from the journal). */
  close(): void {
    this.closing = true;
    this.router.releasePollers();
    this.options.forwarder?.destroy();
  }

  // ---- journal

  async persist(record: JournalRecord): Promise<void> {
    if (this.replaying || !this.options.journal) return;
    await this.options.journal.append(record);
  }

  /**
   * The records that rebuild the state the journal's `records` describe, for
   * compacting it, yielded as they are written. Resources keep their records,
   * in order (version numbers and deletions depend on it). A closed execution
   * keeps its start and its closing, written anew from memory (`history`
   * records, then the `closed` record); its redrives, stops and task-token
   * records are dropped, as a closed execution does not run again on restart.
   * A running execution, which restart runs again, keeps all of its records (a
   * closing from before a redrive with the `history` records it names), but
   * only the last heartbeat of each token.
   */
  private *compactJournal(records: () => Iterable<JournalRecord>): Generator<JournalRecord> {
    const running = (arn: unknown): boolean => this.executions.get(arn as string)?.status === 'RUNNING';
    // A token not re-issued yet may belong to an execution still replaying its run from before a restart.
    const replaying = [...this.rerun].some((e) => e.status === 'RUNNING');
    const tokenLive = (token: unknown): boolean => {
      const owner = this.router.tokens.get(token as string);
      return owner ? owner.record.status === 'RUNNING' : replaying;
    };
    const lastHeartbeat = new Map<unknown, number>();
    const lastClosed = new Map<unknown, number>();
    /** The history records of the closings kept: those of running executions redriven before. */
    const keptHistories = new Set<string>();
    let n = 0;
    for (const r of records()) {
      if (r.t === 'heartbeat') lastHeartbeat.set(r.token, n);
      if (r.t === 'closed') lastClosed.set(r.arn, n);
      n++;
    }
    n = 0;
    for (const r of records()) {
      if (r.t === 'closed' && running(r.arn) && lastClosed.get(r.arn) === n) {
        const ref = r.history as StoredHistoryRef | unknown[];
        if (!Array.isArray(ref)) keptHistories.add(ref.id);
      }
      n++;
    }
    const closedExecutions: ExecutionRecord[] = [];
    n = 0;
    for (const r of records()) {
      const index = n++;
      switch (r.t) {
        case 'start': {
          const e = this.executions.get(r.arn as string);
          if (!e) continue;
          yield r;
          if (e.status !== 'RUNNING') closedExecutions.push(e);
          continue;
        }
        case 'closed':
          if (running(r.arn) && lastClosed.get(r.arn) === index) yield r;
          continue;
        case 'history':
          if (keptHistories.has(r.id as string)) yield r;
          continue;
        case 'redrive':
        case 'stop':
        case 'result':
          if (running(r.arn)) yield r;
          continue;
        case 'heartbeat':
          if (tokenLive(r.token) && lastHeartbeat.get(r.token) === index) yield r;
          continue;
        case 'callback':
        case 'delivered':
          if (tokenLive(r.token)) yield r;
          continue;
        case 'compacted':
          continue;
        default:
          yield r;
      }
    }
    for (const e of closedExecutions) yield* this.closingRecords(e);
    // The latest server time, for a sped-up clock to go on from after a restart (see latestTime).
    yield { t: 'compacted', at: this.now() };
  }

  /** Applies a journaled change; the operations build the record, apply it, then persist it. */
  apply(r: JournalRecord, closed?: (arn: string) => ClosedRecord | undefined): unknown {
    switch (r.t) {
      case 'machine': return applyCreateMachine(this, r);
      case 'update': return applyUpdateMachine(this, r);
      case 'deleteMachine': return applyDeleteMachine(this, r);
      case 'version': return applyPublish(this, r);
      case 'deleteVersion': return applyDeleteVersion(this, r);
      case 'alias': return applyAlias(this, r);
      case 'deleteAlias': return applyDeleteAlias(this, r);
      case 'tag': return applyTag(this, r);
      case 'untag': return applyUntag(this, r);
      case 'activity': return applyCreateActivity(this, r);
      case 'deleteActivity': return applyDeleteActivity(this, r);
      case 'start': return applyStart(this, r, closed?.(r.arn as string));
      case 'stop': return applyStop(this, r);
      case 'redrive': return applyRedrive(this, r, closed);
      case 'mapRun': return applyUpdateMapRun(this, r);
      default: throw new Error(`unknown journal record '${r.t}'`);
    }
  }

  // ---- runs

  /**
   * Runs an execution on the interpreter, or runs it again from its redrive
   * point: a Map or Parallel there reruns only the iterations or branches that
   * did not succeed in the run before. With at-least-once delivery, an
   * asynchronous EXPRESS execution is started over first (see {@link startOver}).
   */
  run(record: ExecutionRecord, input: JsonValue, redrive?: { state: string; variables: Record<string, JsonValue> }): void {
    const restarts = this.delivery.restartsOf(record, redrive !== undefined);
    if (restarts === 0) {
      this.runOnce(record, input, redrive);
      return;
    }
    // Started here, so that an execution that cannot start is refused as StartExecution's answer.
    const first = this.startLost(record, input, 0);
    record.status = 'RUNNING';
    record.done = this.startOver(record, input, restarts, first);
  }

  /** The compiled revision the execution runs, compiled on first use. */
  private compiled(record: ExecutionRecord): StateMachine {
    const revision = record.revision;
    revision.compiled ??= interpreter().compileStateMachine(revision.parsed, {
      type: record.machine.type,
      stateMachineName: record.machine.name,
      region: this.options.region,
      accountId: this.options.account,
      roleArn: revision.roleArn,
      defaultTaskHandler: this.handleTask,
      validate: false,
    });
    return revision.compiled;
  }

  /** Runs the execution (or its redrive): the run whose end is the execution's. */
  private runOnce(record: ExecutionRecord, input: JsonValue, redrive?: { state: string; variables: Record<string, JsonValue> }): void {
    const runIndex = record.segments.length;
    const execution = this.compiled(record).start(input, {
      name: record.name,
      executionArn: record.arn,
      clock: record.clock,
      random: seededRandom(record.seed + runIndex * 7919),
      ...(redrive !== undefined ? { startAt: redrive.state, variables: redrive.variables, redriveCount: record.redriveCount } : {}),
      ...(redrive !== undefined && record.completedChildren?.state === redrive.state ? { resume: record.completedChildren } : {}),
    });
    this.records.set(execution, record);
    this.delivery.watch(execution, runIndex);
    const measure = new HistoryMeasure();
    const budget = this.options.historyBudget ?? defaultHistoryBudget();
    record.clock.onPause = () => {
      const bytes = measure.measure(execution.historyRecorder);
      if (bytes > budget) execution.failAtNextState('States.Runtime', overBudgetCause(bytes, measure.measured, budget));
    };
    record.segments.push(execution);
    record.status = 'RUNNING';
    record.done = execution.result.then((result) => this.closed(record, result), (e: unknown) => {
      this.options.log(`execution ${record.arn} crashed: ${(e as Error).stack ?? String(e)}`);
      this.closed(record, { status: 'FAILED', error: 'States.Runtime', cause: String(e), history: [], path: [], executionArn: record.arn, startDate: new Date(), stopDate: new Date() });
    });
  }

  /**
   * Lost run `restart` (0-based) of an asynchronous EXPRESS execution: the same execution (its
   * ARN, name and input) from its start, cut after a Task invocation the delivery seed chooses.
   * It is none of the execution's segments, never journaled (no EXPRESS execution is) and never
   * closes the execution: only its Task calls, and their side effects, remain.
   */
  private startLost(record: ExecutionRecord, input: JsonValue, restart: number): Execution {
    // Each run starts over: a MockConfigFile sequence answers it from its first response again.
    record.invocations.clear();
    const execution = this.compiled(record).start(input, {
      name: record.name,
      executionArn: record.arn,
      clock: record.clock,
      random: seededRandom(record.seed + (restart + 1) * 104729),
    });
    this.records.set(execution, record);
    this.delivery.watchLost(execution, restart);
    return execution;
  }

  /**
   * Runs the lost runs of an asynchronous EXPRESS execution one after the other, then the run
   * that counts, as AWS starts over an Express execution that lost its state ("Execution
   * guarantees" in the Developer Guide). The client sees only the last run; the log says where
   * each lost run was cut.
   */
  private async startOver(record: ExecutionRecord, input: JsonValue, restarts: number, first: Execution): Promise<void> {
    const runs = restarts + 1;
    let lost = first;
    try {
      for (let k = 0; k < restarts; k++) {
        if (k > 0) lost = this.startLost(record, input, k);
        const result = await lost.result;
        const after = this.delivery.lostAfter(lost);
        this.options.log(`execution ${record.arn}: at-least-once delivery lost run ${k + 1} of ${runs} `
          + `${after !== undefined ? `after Task '${after}'` : `when it ended ${result.status}`}; it starts over`);
        if (this.closing) return;
      }
      record.invocations.clear();
      this.runOnce(record, input);
    } catch (e) {
      // Only a bug gets here: the execution ends FAILED rather than running for ever.
      this.options.log(`execution ${record.arn} crashed: ${(e as Error).stack ?? String(e)}`);
      this.closed(record, { status: 'FAILED', error: 'States.Runtime', cause: String(e), history: [], path: [], executionArn: record.arn, startDate: new Date(), stopDate: new Date() });
      return;
    }
    await record.done;
    this.options.log(`execution ${record.arn}: at-least-once delivery ran it ${runs} times; the last run ended ${record.status}`);
  }

  /** The interpreter's defaultTaskHandler: the router, each invocation delivered again as `delivery` says. */
  private readonly handleTask: TaskHandler = (input, request) => {
    const record = this.records.get(request.execution as Execution);
    if (!record) return this.router.handle(input, request);
    return this.delivery.handle(input, request, record);
  };

  private closed(record: ExecutionRecord, result: ExecutionResult): void {
    // Its measure holds what it measured; nothing pauses a closed run.
    record.clock.onPause = undefined;
    if (this.options.cost) this.logCost(record, result);
    record.status = result.status;
    record.stopDate = result.stopDate.getTime();
    record.output = result.output === undefined ? undefined : JSON.stringify(result.output);
    record.error = result.error;
    record.cause = result.cause;
    record.completedChildren = result.completedChildren;
    if (record.express) {
      this.executions.delete(record.arn);
    } else if (this.options.journal) {
      try {
        for (const closing of this.closingRecords(record)) void this.persist(closing).catch(() => undefined);
      } catch (e) {
        // Only a bug gets here; the execution stays closed in memory, and runs again after a restart.
        this.options.log(`execution ${record.arn}: its closing could not be journaled: ${(e as Error).stack ?? String(e)}`);
      }
    }
  }

  /** One line: what the execution that ended would cost on AWS, as each type. */
  private logCost(record: ExecutionRecord, result: ExecutionResult): void {
    try {
      const { runCost, usd } = cost();
      const c = runCost(result, { definition: record.revision.parsed, region: this.options.region });
      const u = c.usage;
      const express = c.express
        ? `EXPRESS 1 request, ${c.express.billedDurationMs} ms billed at ${c.express.billedMemoryMb} MB ${usd(c.express.usd)}`
        : 'EXPRESS unpriced in this region';
      this.options.log(`cost ${record.arn} ${result.status}: STANDARD ${c.standard.stateTransitions} state transitions `
        + `(${u.statesEntered} entered, ${u.retries} retries${u.childExecutionsStarted ? `, ${u.childExecutionsStarted} child executions` : ''}) `
        + `${usd(c.standard.usd)} | ${express}`);
    } catch (e) {
      // A region the price table lacks: say so once per execution rather than fail the close.
      this.options.log(`cost ${record.arn}: ${(e as Error).message}`);
    }
  }

  /**
   * The journal records of a closed execution: its history, in `history`
   * records each of a bounded size, then the `closed` record: how it ended, which
   * history records hold its history, and what a redrive keeps of it.
   */
  *closingRecords(record: ExecutionRecord): Generator<JournalRecord> {
    const children = record.completedChildren;
    const history = historyRecords(randomUUID(), new ExecutionHistory(record));
    let next = history.next();
    while (!next.done) {
      yield next.value;
      next = history.next();
    }
    yield {
      t: 'closed',
      arn: record.arn,
      status: record.status,
      stopDate: record.stopDate,
      output: record.output,
      error: record.error,
      cause: record.cause,
      history: next.value,
      // The time the redrive was asked for; its ExecutionRedriven event is stamped when the run starts, a moment later.
      ...(record.redriveDate !== undefined ? { redriveDate: record.redriveDate } : {}),
      ...(children ? { completedChildren: { state: children.state, outputs: [...children.outputs] } } : {}),
    };
  }

  /**
   * The history a `closed` record names, read back; a closed record whose
   * history cannot be read is refused (with --repair: dropped, so that the
   * execution runs again from its start, as one the server was killed in).
   */
  readClosed(closed: ClosedRecord): HistoryRecorder | undefined {
    try {
      const ref = closed.record.history;
      if (Array.isArray(ref)) return readRenderedHistory(ref);
      const stored = ref as Partial<StoredHistoryRef> | null;
      if (stored === null || typeof stored !== 'object' || typeof stored.id !== 'string' || typeof stored.parts !== 'number' || typeof stored.events !== 'number') {
        throw new Error('its field \'history\' is neither a list of events nor {id, parts, events}');
      }
      return readHistory(stored as StoredHistoryRef, closed.history as readonly JournalRecord[]);
    } catch (e) {
      this.refuseRecord(closed.index, `the 'closed' record of '${String(closed.record.arn)}' cannot be read: ${(e as Error).message}`);
      return undefined;
    }
  }

  restoreClosed(record: ExecutionRecord, closed: JournalRecord, history: HistoryRecorder): void {
    record.status = closed.status as ExecutionRecord['status'];
    record.stopDate = closed.stopDate as number;
    record.output = (closed.output ?? undefined) as string | undefined;
    record.error = (closed.error ?? undefined) as string | undefined;
    record.cause = (closed.cause ?? undefined) as string | undefined;
    const children = closed.completedChildren as { state: string; outputs: Array<[number, JsonValue]> } | undefined;
    if (children) record.completedChildren = { state: children.state, outputs: new Map(children.outputs) };
    record.segments.push(history);
    // A redrive after the restart runs on from where this execution ended, which waits at --time-scale may have put ahead of the server's time.
    record.clock.replayTo(record.stopDate);
    let redrives = 0;
    let lastRedrive: number | undefined;
    for (let i = 0; i < history.length; i++) {
      if (history.typeAt(i) !== 'ExecutionRedriven') continue;
      redrives++;
      lastRedrive = history.recordedAt(i).timestamp;
    }
    record.redriveCount = redrives;
    if (lastRedrive !== undefined) record.redriveDate = (closed.redriveDate as number | undefined) ?? lastRedrive;
  }

  // ---- lookups  // ---- lookups

  /** What a journaled record refers to, which an earlier record must have made. */
  journaled<T>(map: Map<string, T>, key: unknown, what: string): T {
    const found = map.get(key as string);
    if (found === undefined) throw new Error(`it refers to the ${what} '${String(key)}', which no earlier record creates (or one deleted it)`);
    return found;
  }

  now(): number {
    return this.options.clock.now();
  }

  machine(arn: string): MachineRecord {
    const m = this.machines.get(arn);
    if (!m) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  version(machine: MachineRecord, qualifier: string, arn: string): VersionRecord {
    const v = /^\d+$/.test(qualifier) ? machine.versions.get(Number(qualifier)) : undefined;
    if (!v) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return v;
  }

  alias(value: unknown): AliasRecord {
    const arn = parseMachineArn(value, 'stateMachineAliasArn');
    if (arn.qualifier === undefined || /^\d+$/.test(arn.qualifier)) throw new ApiError('InvalidArn', `Invalid Arn: '${String(value)}' is not a state machine alias ARN`);
    const alias = this.machines.get(arn.base)?.aliases.get(arn.qualifier);
    if (!alias) throw new ApiError('ResourceNotFound', 'Request references a resource that does not exist.');
    return alias;
  }

  activity(value: unknown): ActivityRecord {
    const arn = parseActivityArn(value);
    const a = this.activities.get(arn);
    if (!a) throw new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);
    return a;
  }

  execution(value: unknown): ExecutionRecord {
    const parsed = parseExecutionArn(value);
    // AWS keeps no EXPRESS execution to describe, stop or read the history of.
    if (parsed.express) throw new ApiError('InvalidArn', "Invalid Arn: 'Resource type not valid in this context: express'");
    const e = this.executions.get(value as string);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(value)}'`);
    return e;
  }

  /** The machine and revision a StartExecution ARN runs: the latest, a version, or an alias's version picked by weight. */
  target(value: unknown): { machine: MachineRecord; version?: VersionRecord; alias?: AliasRecord; testCase?: string } {
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

  /**
   * What a new execution on test case `testCase` keeps of the MockConfigFile:
   * the test case and the responses it names, from the file's current version
   * (read again if it changed).
   */
  testCaseFor(machineName: string, testCase: string): { readonly version: string; readonly config: MockConfig } {
    const source = this.options.mockConfig;
    if (!source) throw new ApiError('ValidationException', `The state machine ARN names test case '${testCase}', but the server has no mock configuration: start it with --mock-config <MockConfigFile>`);
    const latest = source.latest();
    try {
      return { version: latest.version, config: testCaseConfig(latest.config, machineName, testCase) };
    } catch (e) {
      if (!(e instanceof MockConfigError)) throw e;
      const where = source.path === undefined ? '' : ` (${source.path} version ${latest.version})`;
      throw new ApiError('ValidationException', `--mock-config${where}: ${e.reason}${latest.problem ? `; ${latest.problem}` : ''}`);
    }
  }

  /** The mocks of test case `testCase` in the server's current mock configuration (for a journal written before executions kept their own). */
  mocksFor(machineName: string, testCase: string): ReturnType<typeof mockResponsesFor> {
    return mockResponsesFor(this.testCaseFor(machineName, testCase).config, machineName, testCase);
  }
}

/** Records read in a first pass of restore, not applied one by one. */
const NOT_APPLIED = new Set(['closed', 'history', 'callback', 'delivered', 'heartbeat', 'result', 'compacted']);

/** A `closed` record read back, its index among the records, and the `history` records it names. */
export interface ClosedRecord {
  readonly record: JournalRecord;
  readonly index: number;
  /** The history records with its history's id, in order; for a closing written before they existed, its inline events. */
  readonly history: readonly JournalRecord[] | readonly unknown[];
}

/**
 * A journaled record that cannot be applied where it is: its index among the
 * records read back, and what is wrong. The server turns it into a refusal that
 * names the journal's line and byte offset.
 * @internal
 */
export class RecordError extends Error {
  constructor(public readonly index: number, public readonly problem: string) {
    super(`record ${index + 1}: ${problem}`);
    this.name = 'RecordError';
  }
}

/** The journal is whole, but the server was started with options that cannot serve it (a mock configuration without a test case in use). */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** The answer to every request once the journal could not be written. */
function journalFailed(journal: Journal): ApiError {
  return new ApiError('InternalFailure', `The server's journal ${journal.file} could not be written (${journal.failed?.message ?? 'a write failed'}), `
    + 'so it answers nothing more: what it was asked since may not be on disk. Make room or fix the file system, then restart the server; '
    + 'everything answered before the failure is kept.', 500);
}

function refuseOutsideRestore(index: number, problem: string): never {
  throw new RecordError(index, problem);
}

/**
 * The latest server time journaled (a change, a start, a compaction), so that
 * the server's time never runs backwards over a restart. Execution times (a
 * stopDate, a heartbeat, a redrive) are left out: waits at `--time-scale` put
 * them ahead of the server's time, and counting them would make the server's
 * clock jump ahead at a restart.
 * @internal
 */
export function latestTime(records: readonly JournalRecord[]): number {
  let latest = 0;
  for (const r of records) {
    if (EXECUTION_TIMES.has(r.t)) continue;
    const at = typeof r.at === 'number' ? r.at : 0;
    if (at > latest) latest = at;
  }
  return latest;
}

/** Records whose `at` is an execution's time, not the server's. */
const EXECUTION_TIMES = new Set(['heartbeat', 'redrive', 'result']);
