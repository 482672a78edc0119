/*
 * The resources the server holds: state machines (with their versions and
 * aliases), activities, executions and Map Run settings. The operations change
 * them only through these accessors, so that an execution is always listed
 * under its machine when it is kept, and dropped from both when it is not.
 */
import { ApiError } from './api-errors';
import { parseActivityArn, parseExecutionArn, parseMachineArn } from './arns';
import type { ActivityRecord, AliasRecord, ExecutionRecord, MachineRecord, VersionRecord } from './model';
import { ApiErrors } from '../asl/api-errors';

/** A StartExecution ARN resolved: the machine, and the version and alias it runs through. @internal */
export interface StartTarget {
  readonly machine: MachineRecord;
  readonly version?: VersionRecord;
  readonly alias?: AliasRecord;
  readonly testCase?: string;
}

/** Resources of one kind by ARN, listed in the order they were created. @internal */
export class ArnRegistry<T extends { readonly arn: string }> {
  private readonly byArn = new Map<string, T>();

  /** The resource of this ARN, if there is one. */
  find(arn: string): T | undefined {
    return this.byArn.get(arn);
  }

  /** Every resource, oldest first. */
  all(): IterableIterator<T> {
    return this.byArn.values();
  }

  /** How many there are. */
  get size(): number {
    return this.byArn.size;
  }

  add(resource: T): void {
    this.byArn.set(resource.arn, resource);
  }

  remove(arn: string): void {
    this.byArn.delete(arn);
  }
}

/** The server's resources, read and changed through typed accessors. @internal */
export class ResourceStore {
  /** The state machines, by their unqualified ARN. */
  readonly machines = new ArnRegistry<MachineRecord>();
  /** The activities, by ARN. */
  readonly activities = new ArnRegistry<ActivityRecord>();
  /**
   * The ARNs of activities deleted and not created again: a Task that reaches one fails at once
   * (recorded: test_activity_task_on_deleted). An activity serve never held is not judged: a
   * mock or handler may answer its Task.
   */
  readonly deletedActivities = new Set<string>();
  private readonly executions = new Map<string, ExecutionRecord>();
  /** Standard executions per state machine ARN, oldest first. */
  private readonly byMachine = new Map<string, ExecutionRecord[]>();
  /** Settings given by UpdateMapRun, by Map Run ARN. */
  private readonly mapRunSettings = new Map<string, Readonly<Record<string, number | string>>>();
  /** The child executions kept of each Map Run, by their ARN, oldest first; and how many it started. */
  private readonly byMapRun = new Map<string, { readonly children: Map<string, ExecutionRecord>; started: number }>();

  // ---- state machines

  /** The state machine of this ARN, or StateMachineDoesNotExist. */
  machine(arn: string): MachineRecord {
    const m = this.machines.find(arn);
    if (!m) throw new ApiError(ApiErrors.StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  /**
   * The state machine of this ARN, or StateMachineDoesNotExist; one being deleted is
   * StateMachineDeleting, for the operations that declare it (botocore's model: StartExecution,
   * StartSyncExecution, UpdateStateMachine, PublishStateMachineVersion, the alias operations).
   */
  liveMachine(arn: string): MachineRecord {
    return notDeleting(this.machine(arn));
  }

  /** Version `qualifier` of `machine`, or StateMachineDoesNotExist naming `arn`. */
  version(machine: MachineRecord, qualifier: string, arn: string): VersionRecord {
    const v = /^\d+$/.test(qualifier) ? machine.versions.get(Number(qualifier)) : undefined;
    if (!v) throw new ApiError(ApiErrors.StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
    return v;
  }

  /** The alias a client's `stateMachineAliasArn` names, or the error AWS answers. */
  alias(value: string): AliasRecord {
    const arn = parseMachineArn(value);
    if (arn.qualifier === undefined || /^\d+$/.test(arn.qualifier)) throw new ApiError(ApiErrors.InvalidArn, `Invalid Arn: '${value}' is not a state machine alias ARN`);
    const alias = this.machines.find(arn.base)?.aliases.get(arn.qualifier);
    if (!alias) throw new ApiError(ApiErrors.ResourceNotFound, 'Request references a resource that does not exist.');
    return alias;
  }

  /** The machine and revision a StartExecution ARN runs: the latest, a version, or an alias's version picked by weight. */
  target(value: string): StartTarget {
    const arn = parseMachineArn(value);
    const machine = this.liveMachine(arn.base);
    if (arn.qualifier === undefined) return { machine, testCase: arn.testCase };
    if (/^\d+$/.test(arn.qualifier)) return { machine, version: this.version(machine, arn.qualifier, value), testCase: arn.testCase };
    const alias = machine.aliases.get(arn.qualifier);
    if (!alias) throw new ApiError(ApiErrors.StateMachineDoesNotExist, `State Machine Does Not Exist: '${value}'`);
    let pick = Math.random() * 100;
    let route = alias.routing[alias.routing.length - 1];
    for (const r of alias.routing) {
      if (pick < r.weight) { route = r; break; }
      pick -= r.weight;
    }
    const version = this.version(machine, parseMachineArn(route.stateMachineVersionArn).qualifier!, route.stateMachineVersionArn);
    return { machine, version, alias, testCase: arn.testCase };
  }

  // ---- activities

  /** The activity a client's `activityArn` names, or ActivityDoesNotExist. */
  activity(value: string): ActivityRecord {
    const arn = parseActivityArn(value);
    const a = this.activities.find(arn);
    if (!a) throw new ApiError(ApiErrors.ActivityDoesNotExist, `Activity Does Not Exist: '${arn}'`);
    return a;
  }

  // ---- executions

  findExecution(arn: string): ExecutionRecord | undefined {
    return this.executions.get(arn);
  }

  /** Keeps an execution, and lists a STANDARD one under its state machine. */
  addExecution(record: ExecutionRecord): void {
    this.executions.set(record.arn, record);
    if (record.express) return;
    const list = this.byMachine.get(record.machine.arn) ?? [];
    list.push(record);
    this.byMachine.set(record.machine.arn, list);
  }

  /** Forgets an execution (one that could not start, or an EXPRESS one that ended). */
  removeExecution(record: ExecutionRecord): void {
    this.executions.delete(record.arn);
    const list = this.byMachine.get(record.machine.arn);
    const at = list ? list.indexOf(record) : -1;
    if (at >= 0) list!.splice(at, 1);
  }

  /** The STANDARD executions of a state machine, oldest first. */
  executionsOf(machineArn: string): readonly ExecutionRecord[] {
    return this.byMachine.get(machineArn) ?? [];
  }

  /**
   * The STANDARD executions of these state machines, newest first, read from the per-machine
   * lists as they stand (nothing is copied or sorted): one machine's list backwards, or several
   * merged by start date (of two that started at once, the one of the later machine first),
   * through a heap of the lists' heads, so that a walk of N executions of k machines costs
   * N log k, not N × k (10,000 machines: the console's list of all executions).
   */
  *executionsNewestFirst(machineArns: readonly string[]): Generator<ExecutionRecord> {
    const lists = machineArns.map((arn) => this.byMachine.get(arn) ?? []).filter((l) => l.length > 0);
    const next = lists.map((l) => l.length - 1);
    // Whether list a's head comes before list b's.
    const before = (a: number, b: number): boolean => {
      const da = lists[a][next[a]].startDate;
      const db = lists[b][next[b]].startDate;
      return da > db || (da === db && a > b);
    };
    const heap = lists.map((_, i) => i);
    const down = (from: number): void => {
      for (let at = from; ;) {
        const l = 2 * at + 1;
        const r = l + 1;
        let top = at;
        if (l < heap.length && before(heap[l], heap[top])) top = l;
        if (r < heap.length && before(heap[r], heap[top])) top = r;
        if (top === at) return;
        [heap[at], heap[top]] = [heap[top], heap[at]];
        at = top;
      }
    };
    for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i--) down(i);
    while (heap.length > 0) {
      const pick = heap[0];
      yield lists[pick][next[pick]--];
      if (next[pick] < 0) {
        heap[0] = heap[heap.length - 1];
        heap.pop();
      }
      down(0);
    }
  }

  /** The execution a client's `executionArn` names, or the error AWS answers. */
  execution(value: string): ExecutionRecord {
    const parsed = parseExecutionArn(value);
    // AWS keeps no EXPRESS execution to describe, stop or read the history of.
    if (parsed.express) throw new ApiError(ApiErrors.InvalidArn, "Invalid Arn: 'Resource type not valid in this context: express'");
    const e = this.executions.get(value);
    if (!e) throw new ApiError(ApiErrors.ExecutionDoesNotExist, `Execution Does Not Exist: '${value}'`);
    return e;
  }

  // ---- Map Runs

  /** The settings UpdateMapRun gave a Map Run, if it gave any. */
  mapRunSettingsOf(arn: string): Readonly<Record<string, number | string>> | undefined {
    return this.mapRunSettings.get(arn);
  }

  /** Adds UpdateMapRun's settings to those given before. */
  updateMapRunSettings(arn: string, settings: Readonly<Record<string, number | string>>): void {
    this.mapRunSettings.set(arn, { ...this.mapRunSettings.get(arn), ...settings });
  }

  /**
   * Keeps a child execution of a Map Run, listed under it (its first `kept` children are kept
   * once they end; a later one until it ends). A child run again by a redrive of its Map Run is
   * the record kept already. Returns whether it stays once it has ended.
   */
  addChild(record: ExecutionRecord, kept: number): boolean {
    const arn = record.mapRun!.mapRunArn;
    let run = this.byMapRun.get(arn);
    if (!run) this.byMapRun.set(arn, run = { children: new Map(), started: 0 });
    if (run.children.has(record.arn)) return true;
    this.executions.set(record.arn, record);
    run.children.set(record.arn, record);
    record.mapRun!.seq = run.started;
    return run.started++ < kept;
  }

  /**
   * Lists a child execution read back from the journal under its Map Run, after those listed
   * before it (give them in the order they started), and notes that its Map Run had started at
   * least `started` children.
   */
  restoreChild(record: ExecutionRecord, started: number): void {
    const arn = record.mapRun!.mapRunArn;
    let run = this.byMapRun.get(arn);
    if (!run) this.byMapRun.set(arn, run = { children: new Map(), started: 0 });
    this.executions.set(record.arn, record);
    run.children.set(record.arn, record);
    run.started = Math.max(run.started, started, record.mapRun!.seq + 1);
  }

  /** How many child executions a Map Run started (those kept and those forgotten). */
  startedOf(mapRunArn: string): number {
    return this.byMapRun.get(mapRunArn)?.started ?? 0;
  }

  /** Forgets a child execution of a Map Run. */
  removeChild(record: ExecutionRecord): void {
    this.executions.delete(record.arn);
    this.byMapRun.get(record.mapRun!.mapRunArn)?.children.delete(record.arn);
  }

  /** The child executions kept of a Map Run, oldest first. */
  childrenOf(mapRunArn: string): readonly ExecutionRecord[] {
    const run = this.byMapRun.get(mapRunArn);
    return run ? [...run.children.values()] : [];
  }

  // ---- what journaled records refer to

  /** The state machine a journaled record refers to, which an earlier record must have made. */
  journaledMachine(arn: unknown): MachineRecord {
    return journaled({ get: (key) => this.machines.find(key) }, arn, 'state machine');
  }

  /** The execution a journaled record refers to, which an earlier record must have started. */
  journaledExecution(arn: unknown): ExecutionRecord {
    return journaled(this.executions, arn, 'execution');
  }
}

/**
 * `machine`, unless DeleteStateMachine is deleting it: StateMachineDeleting, "The specified state
 * machine is being deleted" (API reference). AWS's words are not recorded; these follow its
 * StateMachineDoesNotExist's.
 * @internal
 */
export function notDeleting(machine: MachineRecord): MachineRecord {
  if (machine.deleting) throw new ApiError(ApiErrors.StateMachineDeleting, `State Machine Is Being Deleted: '${machine.arn}'`);
  return machine;
}

function journaled<T>(map: { get(key: string): T | undefined }, key: unknown, what: string): T {
  const found = map.get(key as string);
  if (found === undefined) throw new Error(`it refers to the ${what} '${String(key)}', which no earlier record creates (or one deleted it)`);
  return found;
}
