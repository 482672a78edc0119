import * as path from 'node:path';
import { adviceLine } from './advice';
import { ApiError, unknownOperation } from './api-errors';
import { otherScopeOf, type ArnScope } from './arns';
import type { ServerClock } from './clock';
import type { Journal, RawRecord } from './journal';
import type { JsonObject, JsonValue } from '../asl';
import type { ObjectStore } from '../interpreter';
import { childClosingRecords } from './journal/child-closing';
import { closingRecords, type ClosedRecord } from './journal/closing';
import { liveRecords } from './journal/compactor';
import { JournalReplay, type AppliedRecord, type SkippedRecord } from './journal/restore';
import { mockConfigReader } from './lazy';
import { CHILDREN_KEPT, childRecord, liveMapRun } from './map-runs';
import type { MockConfigSource } from './mock-config-file';
import type { ExecutionRecord } from './model';
import { startChild } from './nested-executions';
import { operationNamed, type OperationName } from './operations';
import { applyCreateActivity, applyDeleteActivity } from './operations/activities';
import { applyRedrive, applyStart, applyStop, applyUpdateMapRun } from './operations/executions';
import { applyCreateMachine, applyDeleteMachine, applyUpdateMachine, deletionEnds } from './operations/machines';
import type { AnswerOf, AnyAnswer, RequestOf } from './operations/operation-table';
import { applyTag, applyUntag } from './operations/tags';
import { sendTask } from './operations/tasks';
import { applyAlias, applyDeleteAlias, applyDeleteVersion, applyPublish } from './operations/versions';
import type { ServeQuotas } from './quotas';
import { unknownKind, type JournalRecord, type RecordOf } from './records';
import { ExecutionRunner, type RedriveStart } from './runner';
import { ResourceStore, type StartTarget } from './store';
import { TaskRouter } from './tasks';
import { ApiErrors } from '../asl/api-errors';
import type { ResourceRef } from '../cfn';
import type { ChildExecutionInfo, TaskHandler } from '../interpreter/execution-types';
import type { EndpointForwarder, RunChecks } from '../workbench/mocks';
import type { mockResponsesFor, MockConfig } from '../workbench/mocks/mock-config';
import { MockConfigError } from '../workbench/mocks/mock-config-error';
import type { DeliveryPlan } from '../workbench/workflow';
import { chainRefusal, OPEN_EXECUTIONS_BOUND, openExecutionsRefusal, runningExpressRefusal } from '../workbench/workflow/chains';

/** The most other regions and accounts serve's log advises on: a client naming more is not heard of each. */
const MAX_OTHER_SCOPES = 20;

/** What the service is built from. @internal */
export interface ServiceOptions extends ArnScope {
  readonly clock: ServerClock;
  readonly mockConfig?: MockConfigSource;
  /** How the MockConfigFile's answers and the Tasks' requests are checked, as serve's options say. */
  readonly checks: RunChecks;
  /** Task handlers by state name or resource ARN (and, for Lambda Tasks, by function). */
  readonly handlers: ReadonlyMap<string, TaskHandler>;
  /** Resources of the loaded templates, by placeholder ARN: Lambda functions with inline code run it. */
  readonly functions?: ReadonlyMap<string, ResourceRef>;
  /** Sends the Tasks of services given an endpoint there. */
  readonly forwarder?: EndpointForwarder;
  /** The local S3 (`--s3-dir`): Map ItemReaders and ResultWriters, and `aws-sdk:s3` Tasks nothing else answers. */
  readonly s3?: ObjectStore;
  readonly journal?: Journal;
  readonly log: (line: string) => void;
  /** Log what each execution would cost on AWS when it ends. */
  readonly cost?: boolean;
  /** Deliver Task invocations at least once, and start asynchronous EXPRESS executions over (see RunnerOptions.delivery). */
  readonly delivery?: DeliveryPlan;
  /**
   * The bytes one running execution's history may hold (see history-budget.ts).
   * @default - an eighth of the heap
   */
  readonly historyBudget?: number;
  /** How many STANDARD executions may be open at once (see ServerOptions.openExecutionLimit). @default OPEN_EXECUTIONS_BOUND */
  readonly openExecutionLimit?: number;
  /** The account's quotas of state machines, activities and pollers (see ServerOptions.quotas). @default AWS's defaults */
  readonly quotas?: ServeQuotas;
}

/**
 * The Step Functions API over the interpreter: resources and executions in
 * memory, every change journaled (when there is a journal) before it is answered.
 * The operations live in one file per family (operations/); this object holds
 * what they share: the resources (store.ts), the journal and its replay
 * (journal/), the task router (tasks.ts) and the runner of executions (runner.ts).
 * @internal
 */
export class StepFunctionsService {
  readonly store = new ResourceStore();
  readonly router: TaskRouter;
  /** What the journal said, read back while it is restored and as executions replay it. */
  readonly replay = new JournalReplay();
  private readonly runner: ExecutionRunner;
  private stopping = false;
  /** The STANDARD executions open (running), for the quota of open executions. */
  private open = 0;
  /** EXPRESS executions running, which a Task may start no more of past the bound (checkRunningExpress). */
  private runningExpress = 0;
  /** The other regions and accounts requests have named, each advised on once. */
  private readonly otherScopes = new Set<string>();

  constructor(readonly options: ServiceOptions) {
    options.journal?.compactWith((records) => liveRecords({
      execution: (arn) => this.store.findExecution(arn),
      children: (mapRunArn) => this.store.childrenOf(mapRunArn),
      started: (mapRunArn) => this.store.startedOf(mapRunArn),
      tokenOwner: (token) => this.router.tokens.get(token)?.record,
      rerunning: () => this.replay.rerunning(),
      now: () => this.now(),
    }, records));
    this.router = new TaskRouter({
      handlers: options.handlers,
      journaling: options.journal !== undefined,
      recordOf: (e) => this.runner.recordOf(e),
      replayedAnswer: (token) => this.replay.answerOf(token),
      replayedDelivery: (token) => this.replay.deliveryOf(token),
      replayedHeartbeat: (token) => this.replay.heartbeatOf(token),
      delivered: (token, worker, at, arn) => {
        void this.persist({ t: 'delivered', token, worker, at, arn }).catch((e: unknown) => options.log(`could not journal the delivery of task ${token}: ${String(e)}`));
      },
      replayedResult: (arn, key) => this.replay.takeResult(arn, key),
      answered: (arn, key, result) => {
        // A server closing ends the calls in flight itself: their errors are not the Tasks' answers.
        if (this.stopping || !options.journal) return;
        // Journaled while the journal replays too: an answer that came during the replay is new.
        const record: RecordOf<'result'> = { t: 'result', arn, key, ...result };
        void options.journal.append(record)
          .catch((e: unknown) => options.log(`execution ${arn}: could not journal the answer of a Task: ${String(e)}`));
      },
      log: options.log,
    });
    this.runner = new ExecutionRunner({
      region: options.region,
      account: options.account,
      router: this.router,
      checks: options.checks,
      ...(options.functions ? { functions: options.functions } : {}),
      ...(options.forwarder ? { forwarder: options.forwarder } : {}),
      ...(options.delivery ? { delivery: options.delivery } : {}),
      ...(options.historyBudget !== undefined ? { historyBudget: options.historyBudget } : {}),
      ...(options.cost ? { cost: true } : {}),
      ...(options.s3 ? { s3: options.s3 } : {}),
      log: options.log,
      closing: () => this.stopping,
      closed: (record) => this.closed(record),
      childStarted: (parent, child) => this.childStarted(parent, child),
      startChild: (parent, payload, request) => startChild(this, parent, payload, request),
      sendTask: (call) => sendTask(this, call),
      // A Task on an activity deleted since fails at once, as on AWS; not while an execution runs
      // again from the journal, whose Task may have reached the activity before it was deleted.
      activityExists: (arn) => this.replay.rerunning() || !this.store.deletedActivities.has(arn),
    });
  }

  /**
   * Refuses to open one more STANDARD execution (a start or a redrive) when as many as the quota
   * allows are open: ExecutionLimitExceeded, "The maximum number of running executions has been
   * reached" (API reference), past "Maximum open executions per account", 1,000,000 by default
   * (Step Functions service quotas), which serve keeps at its own smaller bound unless given one
   * (OPEN_EXECUTIONS_BOUND, workbench/workflow/chains.ts, every door's). AWS's words are not recorded.
   */
  checkOpenExecutions(): void {
    if (this.open < this.executionBound) return;
    const given = this.options.openExecutionLimit !== undefined;
    throw new ApiError(ApiErrors.ExecutionLimitExceeded, openExecutionsRefusal(this.open, `this account may have in ${this.options.region}`, 'serve', given));
  }

  /**
   * Refuses the start of an EXPRESS execution by a Task of another execution when as many EXPRESS
   * executions as the bound of open ones are running. AWS counts no Express execution among the
   * open ones and bounds their starts only by StartExecution's rate; an EXPRESS machine whose Tasks
   * start it twice would double its executions at each step of its chain, in memory and for ever:
   * serve ends it here, stricter than AWS, with the error of the quota (chains.ts). A client's own
   * StartExecution or StartSyncExecution of an EXPRESS machine is never refused for it.
   */
  checkRunningExpress(): void {
    if (this.runningExpress < this.executionBound) return;
    const given = this.options.openExecutionLimit !== undefined;
    throw new ApiError(ApiErrors.ExecutionLimitExceeded, runningExpressRefusal(this.runningExpress, `this account may have in ${this.options.region}`, 'serve', given));
  }

  /**
   * Refuses the start of an execution by a Task of `parent` when `parent` ends a chain as long as
   * the bound of open executions: each one started by a Task of the one before, whether it waits for
   * its child (`.sync`, where the chain is all open and checkOpenExecutions stops it first) or not (a
   * request-response start, an EXPRESS machine, a Distributed Map's children). AWS bounds no such
   * chain, which runs on as its quotas let it; serve holds every execution of it in memory (or, for
   * EXPRESS ones, runs them on for ever), so it ends the chain here with the same error as the quota.
   */
  checkChain(parent: ExecutionRecord): void {
    const bound = this.executionBound;
    if ((parent.chain ?? 0) + 1 < bound) return;
    throw new ApiError(ApiErrors.ExecutionLimitExceeded, chainRefusal(bound, parent.arn, 'serve', this.options.openExecutionLimit !== undefined));
  }

  /** How many STANDARD executions may be open at once, and how long a chain of executions may be. */
  private get executionBound(): number {
    return this.options.openExecutionLimit ?? OPEN_EXECUTIONS_BOUND;
  }

  /** True once the server stops accepting work. */
  get closing(): boolean {
    return this.stopping;
  }

  /**
   * Rebuilds the state from journaled records (see {@link JournalReplay.restore}); with
   * `repair`, the records that cannot be applied are skipped and returned.
   */
  restore(records: readonly RawRecord[], repair = false): SkippedRecord[] {
    return this.replay.restore(records, repair, (r, closed) => this.apply(r, closed));
  }

  /** Whether `operation` names one of the API's operations (AWS reads the target before the body). */
  knows(operation: string): boolean {
    return operationNamed(operation) !== undefined;
  }

  /**
   * Answers one operation: by its name, typed by the SDK's input and output of that operation
   * (the server's own callers, as the deploy of loaded templates), or by a name a client sent.
   */
  call<N extends OperationName>(operation: N, params: RequestOf<N>, signal: AbortSignal): Promise<AnswerOf<N>>;
  call(operation: string, params: JsonObject, signal: AbortSignal): Promise<AnyAnswer>;
  async call(operation: string, params: JsonObject, signal: AbortSignal): Promise<AnyAnswer> {
    const op = operationNamed(operation);
    if (!op) throw unknownOperation(operation);
    const journal = this.options.journal;
    // After a failed write the state in memory holds changes the journal may not: answering from it (a
    // retried CreateStateMachine found "already there") would answer what a restart loses.
    if (journal?.failed) throw journalFailed(journal);
    this.adviseOnOtherScope(operation, params);
    // The table's entry reads and validates the request as AWS does, before the operation's own checks and lookups.
    const response = await op(this, params, signal);
    // Whatever the answer shows must survive a crash: wait for the journal to catch up.
    if (journal) await journal.settled().catch(() => { throw journalFailed(journal); });
    return response;
  }

  /**
   * Tells the log, once for each region and account, of a request naming a Step Functions resource
   * of another region or account than serve's: it is answered as a resource serve does not have,
   * and AWS's answer to such an ARN is not recorded (docs/serve.md). A role's ARN is IAM's, never
   * Step Functions'.
   */
  private adviseOnOtherScope(operation: string, params: JsonObject): void {
    for (const [member, value] of Object.entries(params)) {
      if (typeof value !== 'string' || !member.endsWith('Arn')) continue;
      const other = otherScopeOf(value, this.options);
      if (other === undefined || this.otherScopes.size >= MAX_OTHER_SCOPES || this.otherScopes.has(`${other.part} ${other.value}`)) continue;
      this.otherScopes.add(`${other.part} ${other.value}`);
      const { region, account } = this.options;
      this.options.log(adviceLine(operation, {
        state: '',
        message: `${member} '${value}' names ${other.part} ${other.value}, but serve holds the resources of region ${region} and account ${account} `
          + '(--region, --account): it answers as for a resource it does not have, and AWS\'s answer to an ARN of another region or account is not '
          + `recorded; build the ARN in region ${region} and account ${account}, or start serve with --${other.part} ${other.value}`,
      }));
    }
  }

  /** Stops accepting work: long polls end, running executions are left as they are (they resume from the journal). */
  close(): void {
    this.stopping = true;
    this.options.clock.close();
    this.router.releasePollers();
    this.options.forwarder?.destroy();
  }

  /** Journals a change (not while the journal is being replayed: it is there already). */
  async persist(record: JournalRecord): Promise<void> {
    if (this.replay.replaying || !this.options.journal) return;
    await this.options.journal.append(record);
  }

  /** Applies a journaled change; the operations build the record, apply it, then persist it. */
  apply(r: AppliedRecord, closed?: (arn: string) => ClosedRecord | undefined): unknown {
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
      case 'start': return applyStart(this, r, closed?.(r.arn));
      case 'stop': return applyStop(this, r);
      case 'redrive': return applyRedrive(this, r, closed);
      case 'mapRun': return applyUpdateMapRun(this, r);
      default: return unknownKind(r);
    }
  }

  /** Compiles the engine `target` runs, if not done yet (see {@link ExecutionRunner.prepare}): before an execution's startDate is taken. */
  prepare(target: StartTarget): void {
    this.runner.prepare(target.machine, target.version?.revision ?? target.machine.current);
  }

  /**
   * Runs an execution, or its redrive (see {@link ExecutionRunner.run}); one run
   * while the journal is replayed is noted as run again.
   */
  run(record: ExecutionRecord, input: JsonValue, redrive?: RedriveStart): void {
    // Each run closes once (closed(), below), the run of a crash included.
    if (record.express) this.runningExpress++;
    else this.open++;
    this.runner.run(record, input, redrive);
    this.replay.noteRerun(record);
  }

  /** An execution ended: an EXPRESS one is forgotten, a STANDARD one's closing journaled. */
  private closed(record: ExecutionRecord): void {
    if (record.express) this.runningExpress--;
    else this.open--;
    deletionEnds(this, record.machine);
    if (record.express) {
      this.store.removeExecution(record);
    } else if (this.options.journal) {
      try {
        for (const closing of closingRecords(record, this.store)) void this.persist(closing).catch(() => undefined);
      } catch (e) {
        // Only a bug gets here; the execution stays closed in memory, and runs again after a restart.
        this.options.log(`execution ${record.arn}: its closing could not be journaled: ${(e as Error).stack ?? String(e)}`);
      }
    }
  }

  /**
   * A Map Run of execution `record` (of one of its children, for a Map Run inside a child) started
   * child execution `child`: it is kept as an execution of its own, listed under its Map Run (a
   * STANDARD execution's only: AWS keeps no EXPRESS execution).
   */
  private childStarted(record: ExecutionRecord, child: ChildExecutionInfo): void {
    if (record.express) return;
    const startedBy = liveMapRun(record, child.mapRunArn)?.executionArn;
    const parent = startedBy !== undefined && startedBy !== record.arn ? this.store.findExecution(startedBy) ?? record : record;
    const kept = childRecord(parent, child, this.store.findExecution(child.executionArn));
    // Stopped by itself before a restart, in the run of its root that runs again: stopped again, once it can be (its run set up).
    const stop = this.replay.takeChildStop(child.executionArn);
    if (stop) queueMicrotask(() => child.stop(stop.error, stop.cause));
    if (!this.store.addChild(kept, CHILDREN_KEPT)) void kept.done.then(() => this.store.removeChild(kept));
    // Journaled as it ends (childRecord's listener has put its ending on its record), as its Map Run keeps it: only the kept ones.
    else if (this.options.journal) child.onEnd(() => this.journalChild(kept));
  }

  /** A kept child execution ended: its closing is journaled, for its root's closing to cover (see child-closing.ts). */
  private journalChild(child: ExecutionRecord): void {
    try {
      for (const closing of childClosingRecords(child)) {
        void this.persist(closing).catch((e: unknown) => this.options.log(`child execution ${child.arn}: its closing could not be journaled: ${String(e)}`));
      }
    } catch (e) {
      // Only a bug gets here; the child stays in memory, and its root's next run after a restart runs it again.
      this.options.log(`child execution ${child.arn}: its closing could not be journaled: ${(e as Error).stack ?? String(e)}`);
    }
  }

  now(): number {
    return this.options.clock.now();
  }

  /**
   * What a new execution on test case `testCase` keeps of the MockConfigFile:
   * the test case and the responses it names, from the file's current version
   * (read again if it changed).
   */
  testCaseFor(machineName: string, testCase: string): { readonly version: string; readonly config: MockConfig } {
    const source = this.options.mockConfig;
    if (!source) throw new ApiError(ApiErrors.ValidationException, `The state machine ARN names test case '${testCase}', but the server has no mock configuration: start it with --mock-config <MockConfigFile> or SFN_MOCK_CONFIG=<MockConfigFile>, or in a folder holding MockConfigFile.json (startServer's mockConfig in code)`);
    const latest = source.latest();
    try {
      return { version: latest.version, config: mockConfigReader().testCaseConfig(latest.config, machineName, testCase) };
    } catch (e) {
      if (!(e instanceof MockConfigError)) throw e;
      // The file by its name only: its folder is the machine's, for the server's log (which names it), not a client's answer.
      const where = source.path === undefined ? '' : ` (${path.basename(source.path)} version ${latest.version})`;
      throw new ApiError(ApiErrors.ValidationException, `--mock-config${where}: ${e.reason}${latest.problem ? `; ${latest.problem}` : ''}`);
    }
  }

  /** The mocks of test case `testCase` in the server's current mock configuration (for a journal written before executions kept their own). */
  mocksFor(machineName: string, testCase: string): ReturnType<typeof mockResponsesFor> {
    return mockConfigReader().mockResponsesFor(this.testCaseFor(machineName, testCase).config, machineName, testCase);
  }
}

/**
 * The answer to every request once the journal could not be written. It names the error's code
 * (ENOSPC, EFBIG, EIO) but never the file: node's message may hold a path of the machine
 * ("… open '/srv/data/journal.tmp'"), which is the operator's to read in the server's log,
 * where the journal wrote it with the file, not a client's.
 */
function journalFailed(journal: Journal): ApiError {
  const code = (journal.failed as NodeJS.ErrnoException | undefined)?.code;
  const why = typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : 'a write failed';
  return new ApiError(ApiErrors.InternalFailure, `The server's journal could not be written (${why}), `
    + 'so it answers nothing more: what it was asked since may not be on disk. Its log names the file and the error. '
    + 'Make room or fix the file system, then restart the server; everything answered before the failure is kept.');
}
