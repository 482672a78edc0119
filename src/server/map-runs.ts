/*
 * The Map Runs of served executions, as ListMapRuns and DescribeMapRun answer them, and the child
 * executions serve keeps of each (ListExecutions --map-run-arn, DescribeExecution,
 * GetExecutionHistory and the console read them as any execution). A Map Run is known by the ARN
 * the interpreter gave it: the one in the history, the Map's output and the result files.
 */
import type * as sdk from '@aws-sdk/client-sfn';
import type { ExecutionHistory } from './execution-history';
import type { ExecutionRecord, MapRunChild, Revision } from './model';
import type { AnswerOf, OnTheWire } from './operations/operation-table';
import { date } from './values';
import type { JsonValue, MapState, StateMachineDefinition } from '../asl';
import type { HistoryEvent } from '../asl/history-events';
import { stateNameOf } from '../asl/history-events';
import { childMachineOfMapRun } from '../asl/map-run-label';
import { forEachState, processorOf } from '../asl/state-tree';
import type { ChildExecutionInfo, MapRunCounts, MapRunItemTally } from '../interpreter/execution-types';

/** One Map Run as ListMapRuns lists it and DescribeMapRun describes it. @internal */
export interface MapRunView {
  readonly mapRunArn: string;
  readonly summary: OnTheWire<sdk.MapRunListItem>;
  describe(): AnswerOf<'DescribeMapRun'>;
}

/** The execution the user started, for a child execution (a child's child's too). @internal */
export function rootOf(e: ExecutionRecord): ExecutionRecord {
  let r = e;
  while (r.mapRun) r = r.mapRun.parent;
  return r;
}

/**
 * What the interpreter counted of Map Run `arn` while it ran (its items, the settings it ran
 * with), from the run of the execution the user started that ran it; a restored execution has
 * only its history.
 * @internal
 */
export function liveMapRun(e: ExecutionRecord, arn: string): Readonly<MapRunCounts> | undefined {
  const root = rootOf(e);
  let live: Readonly<MapRunCounts> | undefined;
  for (const segment of root.segments) if ('mapRuns' in segment) live = segment.mapRuns.get(arn) ?? live;
  return live ?? root.restoredMapRuns?.get(arn);
}

/**
 * Every Map Run an execution the user started ran (its children's too), with what each counted:
 * its latest run's, else what the journal kept of a run before a restart.
 * @internal
 */
export function mapRunsOf(root: ExecutionRecord): Map<string, Readonly<MapRunCounts>> {
  const all = new Map<string, Readonly<MapRunCounts>>(root.restoredMapRuns ?? []);
  for (const segment of root.segments) if ('mapRuns' in segment) for (const [arn, counts] of segment.mapRuns) all.set(arn, counts);
  return all;
}

/** The Map state a MapRunStarted at event `at` belongs to: the one entered last before it. */
function stateBefore(history: ExecutionHistory, at: number): string | undefined {
  for (let j = at - 1; j >= 0; j--) {
    if (history.typeAt(j) === 'MapStateEntered') return stateNameOf(history.eventAt(j));
  }
  return undefined;
}

/** The Map state of this name anywhere in a definition (ASL names are unique machine-wide). */
function mapStateNamed(def: StateMachineDefinition, name: string): MapState | undefined {
  let found: MapState | undefined;
  forEachState(def, (n, state) => {
    if (n === name && state.Type === 'Map') found ??= state;
  });
  return found;
}

const numberOr0 = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** DescribeMapRun's counts of children or of their items, from what the interpreter counted. */
function countsOf(c: Readonly<MapRunItemTally>): OnTheWire<sdk.MapRunExecutionCounts> {
  return {
    pending: Math.max(0, c.total - c.running - c.succeeded - c.failed - c.timedOut - c.aborted),
    running: c.running,
    succeeded: c.succeeded,
    failed: c.failed,
    timedOut: c.timedOut,
    aborted: c.aborted,
    total: c.total,
    resultsWritten: c.resultsWritten,
    failuresNotRedrivable: 0,
    pendingRedrive: 0,
  };
}

/** The Map Runs an execution's Map states started, read from its history (one per DISTRIBUTED Map state run). @internal */
export function mapRuns(e: ExecutionRecord, history: ExecutionHistory): MapRunView[] {
  const out: Array<MapRunView & { readonly redriveCount: number }> = [];
  for (let i = 0; i < history.length; i++) {
    const kind = history.typeAt(i);
    if (kind !== 'MapRunStarted' && kind !== 'MapRunRedriven') continue;
    const ev = history.eventAt(i);
    const arn = ev.mapRunStartedEventDetails?.mapRunArn ?? ev.mapRunRedrivenEventDetails?.mapRunArn ?? '';
    const live = liveMapRun(e, arn);
    let started: HistoryEvent | undefined;
    for (let j = i - 1; j >= 0 && !started; j--) if (history.typeAt(j) === 'MapStateStarted') started = history.eventAt(j);
    const total = started?.mapStateStartedEventDetails?.length ?? 0;
    let end: HistoryEvent | undefined;
    for (let j = i + 1; j < history.length && !end; j++) {
      const type = history.typeAt(j);
      if (type === 'MapRunSucceeded' || type === 'MapRunFailed' || type === 'MapRunAborted') end = history.eventAt(j);
    }
    const ended = end ? end.type === 'MapRunSucceeded' ? 'SUCCEEDED' : end.type === 'MapRunFailed' ? 'FAILED' : 'ABORTED' : undefined;
    const status = ended ?? (e.status === 'RUNNING' ? 'RUNNING' : 'ABORTED');
    // The settings it ran with, as the interpreter evaluated them; a restored execution's from its definition.
    const def = live ? undefined : mapStateNamed(e.revision.parsed, stateBefore(history, i) ?? '');
    const settings = live
      ? {
        maxConcurrency: live.maxConcurrency,
        toleratedFailurePercentage: live.toleratedFailurePercentage,
        toleratedFailureCount: live.toleratedFailureCount,
      }
      : {
        maxConcurrency: numberOr0(def?.MaxConcurrency),
        toleratedFailurePercentage: numberOr0(def?.ToleratedFailurePercentage),
        toleratedFailureCount: numberOr0(def?.ToleratedFailureCount),
      };
    const counts = live ? countsOf(live) : {
      pending: 0,
      running: status === 'RUNNING' ? total : 0,
      succeeded: status === 'SUCCEEDED' ? total : 0,
      failed: status === 'FAILED' ? total : 0,
      timedOut: 0,
      aborted: status === 'ABORTED' ? total : 0,
      total,
      resultsWritten: status === 'SUCCEEDED' ? total : 0,
      failuresNotRedrivable: 0,
      pendingRedrive: 0,
    };
    // A redriven execution runs its Map again under the same Map Run ARN: on AWS that is one Map Run,
    // redriven (DescribeMapRun's redriveCount and redriveDate), whose status and counts are the latest attempt's.
    const first = out.findIndex((m) => m.mapRunArn === arn);
    const firstStart = first >= 0 ? out[first].summary.startDate : date(ev.timestamp.getTime());
    const redriveCount = first >= 0 ? (out[first].redriveCount + 1) : 0;
    const redriveDate = redriveCount > 0 ? date(ev.timestamp.getTime()) : undefined;
    // The state machine the Map Run's children run, `…:stateMachine:<machine>/<label>`, as AWS lists it (recorded).
    const stateMachineArn = childMachineOfMapRun(arn) ?? e.mapRun?.stateMachineArn ?? e.machine.arn;
    const view: MapRunView & { readonly redriveCount: number } = {
      mapRunArn: arn,
      redriveCount,
      summary: {
        executionArn: e.arn,
        mapRunArn: arn,
        stateMachineArn,
        startDate: firstStart,
        ...(end ? { stopDate: date(end.timestamp.getTime()) } : {}),
      },
      describe: () => ({
        mapRunArn: arn,
        executionArn: e.arn,
        status,
        startDate: firstStart,
        ...(end ? { stopDate: date(end.timestamp.getTime()) } : {}),
        ...settings,
        // With an ItemBatcher each child processes a batch: items and child executions differ.
        itemCounts: live?.items ? countsOf(live.items) : counts,
        executionCounts: counts,
        redriveCount,
        ...(redriveDate !== undefined ? { redriveDate } : {}),
      }),
    };
    if (first >= 0) out[first] = view;
    else out.push(view);
  }
  return out;
}

/**
 * Child executions a Map Run keeps after they end: its first ones. Those still running are kept
 * too (a callback inside one is found through it); past these, one that ends is forgotten, so that
 * a Map Run over a million items holds no million histories. DescribeMapRun counts every one.
 * @internal
 */
export const CHILDREN_KEPT = 1000;

/** The ItemProcessor of each Map state of a revision, as a revision of its own: the children's state machine. */
const processors = new WeakMap<Revision, Map<string, Revision>>();

/** The revision a Map state's children run: its ItemProcessor, with the machine's query language. @internal */
export function childRevision(parent: Revision, stateName: string | undefined): Revision {
  let byState = processors.get(parent);
  if (!byState) processors.set(parent, byState = new Map());
  const known = stateName === undefined ? undefined : byState.get(stateName);
  if (known) return known;
  const map = stateName === undefined ? undefined : mapStateNamed(parent.parsed, stateName);
  const processor = map ? processorOf(map) : undefined;
  if (!processor || stateName === undefined) return parent;
  const language = parent.parsed.QueryLanguage;
  // An item processor is a machine of its own (its ProcessorConfig, a field no top-level machine has, rides along).
  const parsed: StateMachineDefinition = processor.QueryLanguage === undefined && language !== undefined
    ? { ...processor, QueryLanguage: language }
    : processor;
  const { engine: _compiled, ...rest } = parent;
  const revision: Revision = { ...rest, definition: JSON.stringify(parsed), parsed };
  byState.set(stateName, revision);
  return revision;
}

/** The items a child processed: its batch's (`{ Items: [...] }` with an ItemBatcher), or 1. */
function itemCountOf(input: JsonValue, batched: boolean): number {
  if (!batched || input === null || typeof input !== 'object' || Array.isArray(input)) return 1;
  const items = (input as { Items?: unknown }).Items;
  return Array.isArray(items) ? items.length : 1;
}

/**
 * The record of child execution `child` of a Map Run of `parent`, kept up to date as it runs
 * and ends; a child a Map Run's redrive runs again (the same ARN) is its record's next run.
 * @internal
 */
export function childRecord(parent: ExecutionRecord, child: ChildExecutionInfo, known: ExecutionRecord | undefined): ExecutionRecord {
  const live = liveMapRun(parent, child.mapRunArn);
  const map = live ? mapStateNamed(parent.revision.parsed, live.stateName) : undefined;
  const startDate = child.startDate.getTime();
  let record: ExecutionRecord;
  if (known?.mapRun?.mapRunArn === child.mapRunArn) {
    record = known;
    record.segments.push(child.historyRecorder);
    record.redriveCount++;
    record.redriveDate = startDate;
    record.status = 'RUNNING';
    record.stopDate = undefined;
    record.output = undefined;
    record.error = undefined;
    record.cause = undefined;
  } else {
    const link: MapRunChild = {
      mapRunArn: child.mapRunArn,
      stateMachineArn: child.stateMachineArn,
      parent,
      itemCount: itemCountOf(child.input, map?.ItemBatcher !== undefined),
      type: map?.ItemProcessor?.ProcessorConfig?.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      state: live?.stateName ?? '',
      seq: 0,
    };
    record = {
      arn: child.executionArn,
      name: child.name,
      machine: parent.machine,
      revision: childRevision(parent.revision, live?.stateName),
      input: JSON.stringify(child.input),
      seed: parent.seed,
      startDate,
      express: false,
      invocations: new Map(),
      calls: new Map(),
      clock: parent.clock,
      status: 'RUNNING',
      redriveCount: 0,
      segments: [child.historyRecorder],
      done: Promise.resolve(),
      mapRun: link,
    };
  }
  record.stopChild = (error, cause) => child.stop(error, cause);
  record.done = new Promise<void>((resolve) => child.onEnd(() => {
    record.status = child.status;
    record.stopDate = child.stopDate?.getTime();
    record.output = child.output === undefined ? undefined : JSON.stringify(child.output);
    record.error = child.error;
    record.cause = child.cause;
    resolve();
  }));
  return record;
}
