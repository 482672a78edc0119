import type { JsonObject, JsonValue, MapState } from '../../asl';
import { mapRunLabel } from '../../asl/map-run-label';
import { compilePayloadTemplate, type CompiledTemplate } from '../../asl/payload';
import { isDistributedMap, processorOf } from '../../asl/state-tree';
import { StatesErrors, InternalErrors, StatesError } from '../../asl/states-errors';
import { addEvent, addSideEvent, errorOfFailure, TestSetupFailure, type CompiledMachine, type CompiledState } from '../engine';
import type { MapRunCounts } from '../execution-types';
import { compileFilterPath, compileFinish, compileJsonPathIO, compileNumberField, scopeOf } from '../io';
import type { ObjectStore } from '../object-store';
import { isStopped, noteUnrecorded, stateError, type Failure, type Frame, type StateCall } from '../runtime';
import { abortFailedTask, runBranches, type BranchSet } from './branches';
import { ChildTimedOut } from './child-execution';
import { ChildRuns, itemsOf } from './child-runs';
import { checkedCollectedResult } from './collected-result';
import { baseState, nextOf, type CompileContext } from './common';
import { parseItems, type ReaderConfig } from './item-reader';
import { HELD_SELECTIONS_BYTES, ItemStream, selectedUpFront, type BatchLimits } from './item-stream';
import { childMachineArn, IndexMarks, itemSourceOf, newMapRunArn } from './map-run';
import type { Pause } from './reader-pause';
import { ResultFiles, resultFolderOf, transformedResults, writerConfigOf, type ChildOutcome, type MapRunRecord } from './result-writer';
import { storedItems } from './stored-items';
import { classifyResource, invokeTask } from './task';
import { AwsDefaults } from '../../asl/aws-defaults';
import type { HistoryEventDetailsKey } from '../../asl/history-events';
import { AwsLimits } from '../../asl/limits';
import { isS3ItemRead, isS3ResultWrite, taskResource, type TaskResource } from '../../asl/task-resource';

type NumberField = (input: JsonValue, call: StateCall) => number | undefined;

/**
 * Map: runs its item processor once per item (inline, or as child executions
 * in DISTRIBUTED mode), with MaxConcurrency, ItemSelector, ItemReader,
 * ItemBatcher, ResultWriter and tolerated failures.
 * @internal
 */
export function compileMap(name: string, def: MapState, ctx: CompileContext): CompiledState {
  const io = { ...compileJsonPathIO(def, 'ItemSelector'), parameters: undefined };
  const next = nextOf(def);
  const processorDef = processorOf(def)!;
  const processor = ctx.compileSubMachine(processorDef, `${ctx.location}/${def.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`);
  const selectorSource = def.ItemSelector ?? def.Parameters;
  const selector: CompiledTemplate | undefined = selectorSource !== undefined ? compilePayloadTemplate(selectorSource) : undefined;
  const itemsPath = def.ItemsPath !== undefined ? compileFilterPath(def.ItemsPath) : undefined;
  const maxConcurrency = numberField(def.MaxConcurrency, def.MaxConcurrencyPath, 'MaxConcurrency', 'integer');
  const toleratedCount = numberField(def.ToleratedFailureCount, def.ToleratedFailureCountPath, 'ToleratedFailureCount', 'integer');
  const toleratedPercentage = numberField(def.ToleratedFailurePercentage, def.ToleratedFailurePercentagePath, 'ToleratedFailurePercentage', 'float');
  const reader = def.ItemReader;
  const readerParams = reader?.Parameters !== undefined ? compilePayloadTemplate(reader.Parameters) : undefined;
  const maxItems = reader?.ReaderConfig ? numberField(reader.ReaderConfig.MaxItems, reader.ReaderConfig.MaxItemsPath, 'MaxItems', 'integer') : undefined;
  const batcher = def.ItemBatcher;
  const maxPerBatch = batcher ? numberField(batcher.MaxItemsPerBatch, batcher.MaxItemsPerBatchPath, 'MaxItemsPerBatch', 'integer') : undefined;
  const maxBytesPerBatch = batcher ? numberField(batcher.MaxInputBytesPerBatch, batcher.MaxInputBytesPerBatchPath, 'MaxInputBytesPerBatch', 'integer') : undefined;
  const batchInput = batcher?.BatchInput !== undefined ? compilePayloadTemplate(batcher.BatchInput) : undefined;
  const writerParams = def.ResultWriter?.Parameters !== undefined ? compilePayloadTemplate(def.ResultWriter.Parameters) : undefined;
  const finish = compileFinish(io, def, next);
  // AWS's words (recorded through TestState): the path as AWS reads it, so `$$.Execution.Input`
  // shows as `$.Execution.Input` and `$$` as `$`, and not the value it found.
  const itemsSource = def.ItemsPath ?? '$';
  const notAnArray = `Reference path "${itemsSource.startsWith('$$') ? itemsSource.slice(1) : itemsSource}" must point to array.`;

  return baseState(name, def, ctx, async (input, call) => {
    const effective = io.inputPath ? io.inputPath(input, call) : input;
    const scope = scopeOf(effective, call);
    const inputs: MapInputs = {
      maxConcurrency: maxConcurrency ? maxConcurrency(effective, call) ?? 0 : 0,
      tolerated: () => ({
        count: toleratedCount ? toleratedCount(effective, call) : undefined,
        percentage: toleratedPercentage ? toleratedPercentage(effective, call) : undefined,
      }),
      items: () => {
        const items = itemsPath ? itemsPath(effective, call) : effective;
        if (!Array.isArray(items)) throw stateError(StatesErrors.RUNTIME, notAnArray);
        return items;
      },
      readerParameters: () => (readerParams ? readerParams(scope) : {}),
      maxItems: () => (maxItems ? maxItems(effective, call) : undefined),
      select: selector ? (value, index, source) => selector(withContext(scope, call, { Index: index, Value: value, Source: source })) : undefined,
      batch: batcher
        ? () => ({
          perBatch: maxPerBatch ? maxPerBatch(effective, call) : undefined,
          perBytes: maxBytesPerBatch ? maxBytesPerBatch(effective, call) : undefined,
          extra: batchInput ? batchInput(scope) : undefined,
        })
        : undefined,
      writerParameters: () => (writerParams ? writerParams(scope) : {}),
    };
    const result = await runMap(name, def, processor, inputs, call);
    return checkedCollectedResult(call, 'Map', result, finish(input, result, call));
  });
}

type MaybePromise<T> = T | Promise<T>;

const withCommas = (value: number): string => value.toLocaleString('en-US');

/**
 * An ItemBatcher's limits as the Map read them, with what AWS's handling of is not recorded noted
 * (UnrecordedValue): a MaxItemsPerBatch or MaxInputBytesPerBatch of 0 or less (AWS's pages give no
 * least value, and the language service's schema takes 0 for a literal), a MaxInputBytesPerBatch
 * over the 256 KiB a child's input may be, and an item over MaxInputBytesPerBatch by itself. The
 * Map goes on: a bound of 0 or less batches each item alone, and so does an item over the bytes.
 */
function checkedBatcher(call: StateCall, limits: BatchLimits): BatchLimits {
  const rt = call.frame.rt;
  const name = call.stateName;
  const unrecorded = 'what AWS does with it is not recorded, so the Map goes on';
  if (limits.perBatch !== undefined && limits.perBatch <= 0) {
    noteUnrecorded(rt, name, `Map '${name}' batches items with MaxItemsPerBatch ${limits.perBatch}: ${unrecorded} and gives each item a batch of its own. `
      + 'Give MaxItemsPerBatch a positive number.');
  }
  const bytes = limits.perBytes;
  if (bytes !== undefined && (bytes <= 0 || bytes > AwsLimits.PAYLOAD_BYTES)) {
    noteUnrecorded(rt, name, `Map '${name}' batches items with MaxInputBytesPerBatch ${withCommas(bytes)}, `
      + `${bytes <= 0 ? 'not a positive number' : `over the ${withCommas(AwsLimits.PAYLOAD_BYTES)} bytes a child execution's input may be`}: ${unrecorded}`
      + `${bytes <= 0 ? ' and gives each item a batch of its own' : ''}. Keep MaxInputBytesPerBatch from 1 to ${withCommas(AwsLimits.PAYLOAD_BYTES)}.`);
  }
  if (bytes === undefined || bytes <= 0) return limits;
  let told = false;
  return {
    ...limits,
    // The first such item is told: the rest are alike.
    oversized: (size) => {
      if (told) return;
      told = true;
      noteUnrecorded(rt, name, `Map '${name}' read an item of ${withCommas(size)} bytes, over its MaxInputBytesPerBatch of ${withCommas(bytes)} by itself: `
        + `${unrecorded} and gives the item a batch of its own. Keep MaxInputBytesPerBatch above the largest item.`);
    },
  };
}

/** What a Map state's fields evaluated to, in either query language. @internal */
export interface MapInputs {
  readonly maxConcurrency: number;
  /** ToleratedFailureCount and ToleratedFailurePercentage, evaluated once the Map has started, as on AWS. */
  readonly tolerated: () => MaybePromise<{ count: number | undefined; percentage: number | undefined }>;
  /** ItemSelector for one item (`source`: `$$.Map.Item.Source`); `undefined` passes items through. */
  readonly select: ((value: JsonValue, index: number, source: string) => MaybePromise<JsonValue>) | undefined;
  readonly batch: (() => MaybePromise<{ perBatch?: number; perBytes?: number; extra?: JsonValue }>) | undefined;
  items(): MaybePromise<JsonValue[]>;
  readerParameters(): MaybePromise<JsonValue>;
  maxItems(): MaybePromise<number | undefined>;
  writerParameters(): MaybePromise<JsonValue>;
}

/**
 * Runs a Map state's iterations once its fields are evaluated: reads items,
 * selects and batches them, runs the processor with the concurrency and
 * tolerated failures asked for, and writes results. Returns the result array
 * (or the ResultWriter's answer).
 * @internal
 */
export async function runMap(name: string, def: MapState, processor: CompiledMachine, inputs: MapInputs, call: StateCall): Promise<JsonValue> {
  if (inputs.maxConcurrency < 0) {
    // Recorded (LocalStack's test_max_concurrency_path_negative, MaxConcurrencyPath -1): AWS runs
    // nothing, not even the Map's MapStateEntered, and the execution never ends; its history holds
    // ExecutionStarted alone. It is never green, so the run fails here with the one error no Retry
    // or Catch handles, as a stall has no handler either.
    throw stateError(StatesErrors.RUNTIME, `MaxConcurrency cannot be negative, got ${inputs.maxConcurrency}: on AWS the execution stalls and never ends.`);
  }
  const distributed = isDistributedMap(def);
  let tolCount: number | undefined;
  let tolPct: number | undefined;
  const reader = def.ItemReader;
  const writer = def.ResultWriter;
  const writerStore = writer?.Resource !== undefined ? localStore(call, name, writer.Resource, isS3ResultWrite) : undefined;
  const rt = call.frame.rt;
  // The ResultWriter's Parameters are read first, so that a new Map Run's id names a folder no
  // earlier run wrote to; what is wrong with them is reported once the children have run, as on AWS.
  let writerParameters: JsonValue | undefined;
  let writerProblem: unknown;
  if (writerStore !== undefined) {
    try {
      writerParameters = await inputs.writerParameters();
    } catch (e) {
      writerProblem = e;
    }
  }
  const label = distributed || writer ? mapRunLabel(def.Label, String(rt.contextStateMachine.Id), name) : '';
  // A redrive resumes the Map Run it failed in (its ARN, its result folder), as AWS redrives a Map Run.
  const resumed = call.frame.group === undefined && rt.resume?.state === call.stateName ? rt.resume.mapRunArn : undefined;
  const mapRunArn = distributed || writer
    ? resumed ?? newMapRunArn(rt, label, writerStore && writerParameters !== undefined ? resultFolderOf(writerStore, writerParameters) : undefined)
    : '';
  // `$$.Map.Item.Source`: where the items come from, known once the ItemReader's Parameters are.
  let source = 'STATE_DATA';
  const select = inputs.select ? (value: JsonValue, index: number) => inputs.select!(value, index, source) : undefined;
  // The iteration inputs, held (an array), or read as the iterations need them (a stream): a
  // ResultWriter that returns the results as the output describes every input, and a redrive
  // resuming this Map skips children by index, so both need them all.
  const holdAll = (writer !== undefined && writer.Resource === undefined)
    || (call.frame.group === undefined && rt.resume !== undefined && rt.resume.state === call.stateName);
  let iterationInputs: JsonValue[] | undefined;
  let stream: ItemStream | undefined;
  let counts: MapRunCounts | undefined;
  // The items' count when they are known before the iterations read them (an inline Map's, its
  // ItemSelector's values worked out as they start).
  let itemCount: number | undefined;
  // AWS records MapStateStarted before it checks the tolerated failures, and (with an
  // ItemReader) before it reads any item: its length is then 0. A distributed Map starts
  // its Map Run before reading, so a reader failure ends the run (MapRunFailed).
  if (reader) {
    call.event('MapStateStarted', 'mapStateStartedEventDetails', { length: 0 });
    ({ count: tolCount, percentage: tolPct } = checkTolerated(await inputs.tolerated()));
    const limit = await inputs.maxItems();
    if (distributed) call.event('MapRunStarted', 'mapRunStartedEventDetails', { mapRunArn });
    counts = distributed ? mapRunCounts(call, mapRunArn, name, inputs.maxConcurrency, tolCount, tolPct, inputs.batch !== undefined) : undefined;
    try {
      const readerParameters = await inputs.readerParameters();
      source = itemSourceOf(reader.Resource, readerParameters);
      const items = await readItems(call, name, reader.Resource, readerParameters, reader.ReaderConfig ?? {}, limit);
      const onRead = counts ? (n: number, itemsRead: number) => {
        counts!.total = n;
        if (counts!.items) counts!.items.total = itemsRead;
      } : undefined;
      const read = new ItemStream(items.values, select, inputs.batch ? checkedBatcher(call, await inputs.batch()) : undefined, items.limit, onRead);
      if (holdAll || !items.streamed) {
        iterationInputs = await read.all();
      } else {
        // The first items are read here, so that a missing or unreadable object fails before any child runs.
        await read.ready(0);
        stream = read;
      }
    } catch (e) {
      if (distributed && e instanceof StatesError && e.error !== StatesErrors.RUNTIME) {
        call.event('MapRunFailed', 'mapRunFailedEventDetails', { error: e.error, cause: e.cause });
      }
      throw e;
    }
  } else {
    const list = await inputs.items();
    if (select && !inputs.batch && !holdAll && !distributed) {
      // Every item's ItemSelector is worked out before the Map starts, so that one failing on a
      // later item fails the Map before any iteration runs, as it always has here: AWS's timing is
      // unknown (no recording in ../shared/conformance has an ItemSelector that fails), and its
      // TestState gives the values as one array (InspectionData.afterItemSelector: "An array
      // containing the inputs for each Map iteration"). Values too large to hold together are
      // dropped as they are measured and worked out again as each iteration is about to start.
      iterationInputs = await selectedUpFront(list, select, HELD_SELECTIONS_BYTES);
      if (iterationInputs === undefined) {
        // Read as the iterations need them, a window at a time: what the Map holds is the
        // iterations running and the window read ahead, not every item's value at once.
        const cap = AwsLimits.INLINE_MAP_CONCURRENCY;
        const window = inputs.maxConcurrency > 0 ? Math.min(inputs.maxConcurrency, cap) : cap;
        stream = new ItemStream(list.values(), select, undefined, undefined, undefined, window);
        itemCount = list.length;
      }
    } else {
      iterationInputs = select || inputs.batch
        ? await new ItemStream(list.values(), select, inputs.batch ? checkedBatcher(call, await inputs.batch()) : undefined, undefined).all()
        : list;
    }
    // Stopped while its items were worked out (a JSONata Items or ItemSelector, a sibling branch
    // failing meanwhile): the Map was recorded as aborted, and starts nothing.
    if (isStopped(call.frame)) throw new StatesError(InternalErrors.STOPPED, 'stopped while its items were read');
    call.event('MapStateStarted', 'mapStateStartedEventDetails', { length: iterationInputs ? iterationInputs.length : list.length });
    ({ count: tolCount, percentage: tolPct } = checkTolerated(await inputs.tolerated()));
    if (distributed) call.event('MapRunStarted', 'mapRunStartedEventDetails', { mapRunArn });
    counts = distributed ? mapRunCounts(call, mapRunArn, name, inputs.maxConcurrency, tolCount, tolPct, inputs.batch !== undefined) : undefined;
  }
  if (counts && iterationInputs) {
    counts.total = iterationInputs.length;
    if (counts.items) counts.items.total = iterationInputs.reduce<number>((n, batch) => n + itemsOf(batch), 0);
    // A redrive runs again only the children that did not succeed; those that did are still this
    // Map Run's, counted under succeeded as ListExecutions lists them (DescribeMapRun's itemCounts
    // count "all of the child workflow executions that were started by a Map Run").
    if (resumed !== undefined) succeededBefore(counts, rt.resume?.outputs, iterationInputs);
  }
  const held = iterationInputs;
  const inputOf = held ? (i: number) => held[i] : (i: number) => stream!.input(i);

  const childMachine = childMachineArn(rt, label);
  const childRuns = distributed
    ? new ChildRuns(rt, name, processorOf(def)?.ProcessorConfig?.ExecutionType ?? AwsDefaults.MACHINE_TYPE,
      { mapRunArn, stateMachineArn: childMachine, input: inputOf, counts })
    : undefined;
  const now = rt.clock.now.bind(rt.clock);
  // The result files are written as the children end.
  let files: ResultFiles | undefined;
  if (writerStore !== undefined && writerProblem === undefined) {
    try {
      files = new ResultFiles(writerStore, writerParameters!, mapRunArn, childMachine, writerConfigOf(writer!.WriterConfig, true));
    } catch (e) {
      writerProblem = e;
    }
  }
  // A ResultWriter that returns the results describes each child execution: when it ran, and how it ended.
  const log = writer !== undefined && writer.Resource === undefined ? new IterationLog(held!.length, now) : undefined;
  const starts = files ? new Map<number, number>() : undefined;
  // The children ever started, so that a Map Run that fails lists the others as PENDING.
  const begun = files ? new IndexMarks() : undefined;
  if (files && resumed !== undefined) {
    // The children that succeeded before a redrive are the Map Run's still: neither rerun nor pending.
    files.carryOver();
    for (const i of rt.resume?.outputs.keys() ?? []) begun!.mark(i);
  }
  // StartOptions.inlineChildEvents: the children record into this history, their iterations marked as an inline Map's.
  const inline = childRuns !== undefined && childRuns.inline;
  const started = log ? (i: number) => log.started(i) : starts ? (i: number) => { starts.set(i, now()); begun!.mark(i); } : undefined;
  const children: BranchSet = {
    get count() {
      return held ? held.length : stream!.count;
    },
    machine: () => processor,
    input: inputOf,
    // Over the payload limit, whatever the Map's ResultPath: a child execution's input as an
    // execution's is (docs/limits.md), an inline iteration's as its first state's.
    inputTooLarge: (i, max) => ({
      error: StatesErrors.DATA_LIMIT_EXCEEDED,
      cause: distributed ? `The execution input exceeds the maximum of ${max} bytes.` : `The input of iteration ${i} of Map state '${name}' exceeds the maximum of ${max} bytes.`,
    }),
    ready: stream ? (i) => stream!.ready(i) : undefined,
    before: !distributed ? (frame, i) => {
      started?.(i);
      addIterationEvent(frame, 'MapIterationStarted', name, i, true);
    } : inline ? (frame, i) => {
      started?.(i);
      recordChildIteration(frame, 'MapIterationStarted', name, i, true);
    } : started ? (_frame, i) => started(i) : undefined,
    after: childRuns ? (frame, outcome, i) => {
      log?.ended(i, outcome.ok ? undefined : outcome.failure);
      // StopExecution on this child, or on the execution that runs its Map: it ends ABORTED, written
      // as a child its Map Run's failure stopped (MapRunExecutionCounts.aborted: "stopped by the user").
      const alone = !outcome.ok && (childRuns.stoppedAlone(frame) || outcome.failure.error === InternalErrors.STOPPED);
      if (files) {
        const ended = outcome.ok ? { output: outcome.output } : alone ? ABORTED : { failure: outcome.failure };
        files.ended({ index: i, input: inputOf(i), startMs: starts!.get(i) ?? now(), stopMs: now(), outcome: ended });
        starts!.delete(i);
      }
      stream?.release(i);
      if (inline) {
        if (outcome.ok) recordChildIteration(frame, 'MapIterationSucceeded', name, i, true);
        else if (outcome.failure.error !== InternalErrors.STOPPED) recordChildIteration(frame, 'MapIterationFailed', name, i, false);
      }
      childRuns.ended(frame, outcome.ok ? { output: outcome.output } : alone ? undefined : { failure: outcome.failure });
    } : (frame, outcome, i) => {
      log?.ended(i, outcome.ok ? undefined : outcome.failure);
      stream?.release(i);
      if (outcome.ok) addIterationEvent(frame, 'MapIterationSucceeded', name, i, true);
      else if (outcome.failure.error !== InternalErrors.STOPPED) addIterationEvent(frame, 'MapIterationFailed', name, i, false);
    },
    aborted: childRuns ? (frame, i) => {
      if (files) files.ended({ index: i, input: inputOf(i), startMs: starts!.get(i) ?? now(), stopMs: now(), outcome: ABORTED });
      starts?.delete(i);
      stream?.release(i);
      if (inline) recordChildIteration(frame, 'MapIterationAborted', name, i, true);
      childRuns.ended(frame, undefined);
    } : (frame, i) => {
      stream?.release(i);
      addIterationEvent(frame, 'MapIterationAborted', name, i, true);
    },
    failed: distributed ? undefined : abortFailedTask,
    abortsFollowFailure: !distributed,
  };
  // Items read as they run have no total until the last is read: the percentage is judged
  // against the total once it is known (and again when the Map ends), the count at once. The
  // threshold is of failed items ("the maximum number of, or percentage of, failed items", Tolerated
  // failure threshold page): with an ItemBatcher, every item of a failed child's batch.
  const items = counts?.items;
  const tolerated = tolCount !== undefined || tolPct !== undefined
    ? (failedChildren: number, of: number) => {
      const failures = items ? items.failed + items.timedOut : failedChildren;
      return (tolCount === undefined || failures <= tolCount)
        && (tolPct === undefined || (stream !== undefined && !stream.done && itemCount === undefined)
          || (failures * 100) / (items ? items.total : itemCount ?? of) <= tolPct);
    }
    : undefined;
  const cap = distributed ? AwsLimits.DISTRIBUTED_MAP_CONCURRENCY : AwsLimits.INLINE_MAP_CONCURRENCY;
  let outcome: Awaited<ReturnType<typeof runBranches>>;
  try {
    outcome = await runBranches(call, children, {
      // MaxConcurrency 0 is "as many as AWS runs at once", not every item at once: memory stays
      // proportional to the iterations in flight, not to the items.
      maxConcurrency: inputs.maxConcurrency > 0 ? Math.min(inputs.maxConcurrency, cap) : cap,
      tolerated,
      frameFor: childRuns ? (parent, group, i) => childRuns.start(parent, group, i) : undefined,
      chainBranches: true,
      discardOutputs: files !== undefined,
      ...(distributed ? { mapRunArn } : {}),
    });
  } finally {
    // Children still running when the Map ends (stopped with the execution) ran until now.
    childRuns?.endAll();
  }
  if (outcome.ok && outcome.failures > 0 && tolerated && !tolerated(outcome.failures, children.count)) {
    outcome = { ok: false, failure: outcome.lastFailure! };
  }
  if (!outcome.ok) {
    // A child that timed out has no error of its own to give: the Map Run fails on the threshold,
    // zero by default ("the workflow fails if any one of its child workflow executions fails or
    // times out", Tolerated failure threshold page), declared or not.
    const overThreshold = outcome.failure instanceof ChildTimedOut
      || (tolerated && !outcome.source && !(outcome.failure instanceof TestSetupFailure));
    const failure = overThreshold
      ? new StatesError(StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD, 'The specified tolerated failure threshold was exceeded')
      : errorOfFailure(outcome.failure, !distributed);
    // An execution stopped (or timed out) has recorded its closing event already: nothing follows it.
    const closed = outcome.failure.error === InternalErrors.STOPPED && rt.ended !== undefined;
    if (distributed && !closed) call.event('MapRunFailed', 'mapRunFailedEventDetails', { error: failure.error, cause: failure.cause });
    const stopped = outcome.failure.error === InternalErrors.STOPPED;
    if (files) {
      // The execution was stopped: the Map Run is aborted, and what it wrote is taken back.
      if (stopped) files.abort();
      else await failedRunFiles(files, begun!, held, stream);
    }
    if (counts && !stopped) resultsWritten(counts);
    throw failure;
  }
  if (distributed) call.event('MapRunSucceeded');
  addSideEvent(call.frame, 'MapStateSucceeded');
  // AWS counts the results of the children that ended whether or not a ResultWriter writes them
  // (recorded: DescribeMapRun of two items, no ResultWriter, resultsWritten 2).
  if (counts) resultsWritten(counts);
  if (writer) {
    if (writerProblem !== undefined) throw writerProblem;
    if (writer.Resource === undefined) {
      const record = log!.record(mapRunArn, childMachine, inputOf, outcome.outputs);
      return transformedResults(record, writerConfigOf(writer.WriterConfig, false));
    }
    if (files) return files.finish();
    return writeResults(call, name, writer.Resource, await inputs.writerParameters(), outcome.outputs, mapRunArn);
  }
  return outcome.outputs;
}


/** How a child stopped by its Map Run's failure is written to the result files. */
const ABORTED: ChildOutcome = { aborted: true };

/**
 * A failed Map Run's result files, as AWS still writes them: the children that ended are in
 * their SUCCEEDED and FAILED files already; every item never started goes to PENDING_n.json
 * (`{ Input, InputDetails, Status: "PENDING" }`), those read and those the reader had not read
 * yet (read now, to the end or to the first one it cannot read); then manifest.json lists them.
 * A store that refuses a file leaves the Map's own failure to be reported.
 */
async function failedRunFiles(files: ResultFiles, begun: IndexMarks, held: JsonValue[] | undefined, stream: ItemStream | undefined): Promise<void> {
  try {
    if (held) {
      for (let i = 0; i < held.length; i++) if (!begun.has(i)) files.pending(held[i]);
    } else if (stream) {
      for (let i = 0; i < stream.count; i++) {
        const input = stream.input(i);
        if (!begun.has(i) && input !== undefined) files.pending(input);
      }
      for await (const input of stream.rest()) files.pending(input);
    }
  } catch (e) {
    if (!(e instanceof StatesError)) throw e;
    // The reader failed past what it had read: the items before are listed, the Map's failure stands.
  }
  try {
    files.finish();
  } catch (e) {
    if (!(e instanceof StatesError)) throw e;
  }
}

function checkTolerated<T extends { count: number | undefined; percentage: number | undefined }>(t: T): T {
  if (t.count !== undefined && t.count < 0) throw stateError(StatesErrors.RUNTIME, 'ToleratedFailureCount cannot be negative.');
  if (t.percentage !== undefined && (t.percentage < 0 || t.percentage > 100)) throw stateError(StatesErrors.RUNTIME, 'ToleratedFailurePercentage must be between 0 and 100.');
  return t;
}

type IterationEvent = 'MapIterationStarted' | 'MapIterationSucceeded' | 'MapIterationFailed' | 'MapIterationAborted';

/** The details member of each MapIteration* event. */
const ITERATION_DETAILS = {
  MapIterationStarted: 'mapIterationStartedEventDetails',
  MapIterationSucceeded: 'mapIterationSucceededEventDetails',
  MapIterationFailed: 'mapIterationFailedEventDetails',
  MapIterationAborted: 'mapIterationAbortedEventDetails',
} as const satisfies { readonly [T in IterationEvent]: HistoryEventDetailsKey };

/**
 * Records a MapIteration* event. Started and Succeeded extend the iteration's chain of
 * previousEventIds; Failed hangs off it (the Map's failure points past it), as AWS records them.
 */
function addIterationEvent(frame: Frame, type: IterationEvent, name: string, index: number, extendsChain: boolean): void {
  const key = ITERATION_DETAILS[type];
  if (extendsChain) addEvent(frame, type, key, { name, index });
  else addSideEvent(frame, type, key, { name, index });
}

/**
 * Records a MapIteration* event around a child execution whose events go into its parent's
 * history (StartOptions.inlineChildEvents), as addIterationEvent does for an inline Map's
 * iteration, but without counting it: AWS's child history has no such event, and the child's
 * own event count (its history limit) must come out as it does without this option.
 */
function recordChildIteration(frame: Frame, type: IterationEvent, name: string, index: number, extendsChain: boolean): void {
  const rt = frame.rt;
  if (!rt.recordHistory) return;
  const id = rt.history.add(type, frame.lastEventId, ITERATION_DETAILS[type], { name, index });
  if (extendsChain) frame.lastEventId = id;
}

function withContext(scope: ReturnType<typeof scopeOf>, call: StateCall, item: JsonObject) {
  let context: JsonObject | undefined;
  return {
    input: scope.input,
    get context() {
      context ??= { ...call.context(), Map: { Item: item } };
      return context;
    },
    variables: scope.variables,
    random: scope.random,
    unrecorded(message: string) { scope.unrecorded?.(message); },
  };
}

const MAP_INTEGER = { kind: 'integer', acceptsNumericString: true } as const;
const MAP_FLOAT = { kind: 'float', acceptsNumericString: true } as const;

function numberField(value: number | string | undefined, pathSource: string | undefined, field: string, kind: 'integer' | 'float'): NumberField | undefined {
  return compileNumberField(value, pathSource, field, kind === 'float' ? MAP_FLOAT : MAP_INTEGER);
}

/** Where a Map's items come from: the local S3, read as consumed, or a Task handler's answer, held. */
interface ReadItems {
  /** With a PAUSE where a reader of the local S3 worked a while without an item. */
  readonly values: Iterator<JsonValue | Pause> | AsyncIterator<JsonValue | Pause>;
  /** Read from the local S3 as they are consumed, not held. */
  readonly streamed: boolean;
  /** MaxItems still to apply (0 or undefined: none). */
  readonly limit: number | undefined;
}

async function readItems(
  call: StateCall, stateName: string, resource: string, parameters: JsonValue, config: ReaderConfig, maxItems: number | undefined,
): Promise<ReadItems> {
  // MaxItems 0 means no limit.
  if (maxItems !== undefined && maxItems < 0) throw new StatesError(StatesErrors.ITEM_READER_FAILED, 'field MaxItems must be positive');
  const store = localStore(call, stateName, resource, isS3ItemRead);
  if (store) {
    const items = storedItems(store, resource, parameters, config, maxItems || undefined);
    const values = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
    return { values, streamed: true, limit: maxItems };
  }
  let raw: JsonValue;
  try {
    raw = await invokeTask(call, {
      stateName,
      resourceArn: resource,
      kind: classifyResource(resource),
      payload: parameters,
      token: undefined,
      timeoutSeconds: undefined,
      heartbeatSeconds: undefined,
      events: false,
    });
  } catch (e) {
    if (e instanceof StatesError && e.error === StatesErrors.RUNTIME) throw e;
    const err = e as StatesError;
    throw new StatesError(StatesErrors.ITEM_READER_FAILED, err.cause ?? err.message);
  }
  const items = parseItems(raw, resource, config);
  return { values: (maxItems ? items.slice(0, maxItems) : items).values(), streamed: false, limit: undefined };
}

async function writeResults(
  call: StateCall, stateName: string, resource: string, parameters: JsonValue, results: JsonValue[], mapRunArn: string,
): Promise<JsonValue> {
  const payload: JsonObject = { ...(parameters as JsonObject), Results: results };
  try {
    const written = await invokeTask(call, {
      stateName,
      resourceArn: resource,
      kind: classifyResource(resource),
      payload,
      token: undefined,
      timeoutSeconds: undefined,
      heartbeatSeconds: undefined,
      events: false,
    });
    const p = parameters as JsonObject;
    // AWS writes the manifest under a folder named after the Map Run: the id that ends its ARN.
    const mapRunId = mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1);
    return written !== null && typeof written === 'object' && !Array.isArray(written) && Object.keys(written).length > 0
      ? written
      : { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: p.Bucket ?? null, Key: `${String(p.Prefix ?? '')}/${mapRunId}/manifest.json` } };
  } catch (e) {
    const err = e as StatesError;
    throw new StatesError(StatesErrors.RESULT_WRITER_FAILED, err.cause ?? err.message);
  }
}

/**
 * The local S3 that answers this Map's ItemReader or ResultWriter: only for an S3 resource
 * (`answers`), and only when no Task handler answers it (a mock wins over the store).
 */
function localStore(call: StateCall, stateName: string, resource: string, answers: (r: TaskResource) => boolean): ObjectStore | undefined {
  const local = call.frame.rt.localS3;
  if (!local || !answers(taskResource(resource))) return undefined;
  return local.handled?.(stateName, resource) ? undefined : local.store;
}

/** When each iteration of a Map started and ended, and how it failed: what its result files say. */
class IterationLog {
  private readonly starts: Float64Array;
  private readonly stops: Float64Array;
  private readonly ran: Uint8Array;
  private readonly failures = new Map<number, Failure>();

  constructor(count: number, private readonly now: () => number) {
    this.starts = new Float64Array(count);
    this.stops = new Float64Array(count);
    this.ran = new Uint8Array(count);
  }

  started(i: number): void {
    this.starts[i] = this.now();
  }

  ended(i: number, failure: Failure | undefined): void {
    this.stops[i] = this.now();
    this.ran[i] = 1;
    if (failure) this.failures.set(i, failure);
  }

  record(mapRunArn: string, stateMachineArn: string, input: (i: number) => JsonValue, outputs: readonly JsonValue[]): MapRunRecord {
    return {
      mapRunArn,
      stateMachineArn,
      count: this.starts.length,
      input,
      outcome: (i) => {
        if (this.ran[i] === 0) return undefined;
        const failure = this.failures.get(i);
        return failure ? { failure } : { output: outputs[i] };
      },
      startMs: (i) => this.starts[i],
      stopMs: (i) => this.stops[i],
    };
  }
}

/** The counts of a Map Run, in the execution that owns it (its children's Map Runs included), with the settings it ran with. */
/**
 * Counts as succeeded the children of a redriven Map Run that succeeded before it: those a redrive
 * skips (an index past the items is ignored, as resumeOrder ignores it).
 */
function succeededBefore(counts: MapRunCounts, outputs: ReadonlyMap<number, JsonValue> | undefined, inputs: readonly JsonValue[]): void {
  for (const i of outputs?.keys() ?? []) {
    if (i >= inputs.length) continue;
    counts.succeeded++;
    if (counts.items) counts.items.succeeded += itemsOf(inputs[i]);
  }
}

/** The children (and items) whose results a Map Run counts as written once it ends: all that ended, well or not. */
function resultsWritten(counts: MapRunCounts): void {
  counts.resultsWritten = counts.succeeded + counts.failed + counts.timedOut;
  if (counts.items) counts.items.resultsWritten = counts.items.succeeded + counts.items.failed + counts.items.timedOut;
}

function mapRunCounts(
  call: StateCall, mapRunArn: string, stateName: string, maxConcurrency: number,
  toleratedFailureCount: number | undefined, toleratedFailurePercentage: number | undefined, batched: boolean,
): MapRunCounts {
  const rt = call.frame.rt;
  const all = rt.mapRuns ?? (rt.mapRuns = new Map());
  const counts: MapRunCounts = {
    total: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    aborted: 0,
    resultsWritten: 0,
    stateName,
    executionArn: rt.executionArn,
    maxConcurrency,
    toleratedFailurePercentage: toleratedFailurePercentage ?? 0,
    toleratedFailureCount: toleratedFailureCount ?? 0,
    ...(batched ? { items: { total: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, resultsWritten: 0 } } : {}),
  };
  all.set(mapRunArn, counts);
  return counts;
}
