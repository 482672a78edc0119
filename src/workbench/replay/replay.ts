import { answersFromHistory, answerTask, isActivity, RecordedAnswers, stableJson, type RecordedAnswer } from './answers';
import {
  comparable, compareSteps, describeStep, firstDifference, placeholderMatch, stateSteps, type NormalizeOptions, type StateStep, type StepDivergence,
} from './compare';
import { DrawTape, learnDraws, type LearnedDraws } from './draws';
import { compareEvents, documentsParsed, pairEvents, type EventDivergence, type SameString } from './events';
import { definitionJson, parseRecording, recordedDefinition, RecordingError, type Recording, type RecordedEvent } from './format';
import { redriveEra } from './redrive-era';
import { resumePointOf, type ResumePoint } from './resume-point';
import { TruncationWatch } from './truncated';
import type { JsonValue, StateMachineDefinition } from '../../asl';
import { detailsOf } from '../../asl/history-events';
import { forEachState } from '../../asl/state-tree';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { answeredByWorker, taskResource } from '../../asl/task-resource';
import { checkedDefinition } from '../../asl/validate';
import { VirtualClock } from '../../interpreter/clock';
import { asTaskHandler, type DeferringTaskHandler, type ExecutionResult, type TaskAnswer, type TaskRequest } from '../../interpreter/execution-types';
import { compileStateMachine, InvalidExecutionInputError } from '../../interpreter/state-machine';
import { HarnessClock } from '../mocks/dispatch';

/** Options of {@link replay}. */
export interface ReplayOptions extends NormalizeOptions {
  /**
   * Run this definition instead of the recorded one, answering its Tasks
   * with the recorded answers: "would this traffic still succeed?".
   * @default - the definition the recorded execution ran
   */
  readonly definition?: StateMachineDefinition | string;
  /**
   * Answer a Task the recording has no answer for; return undefined to
   * leave it unanswered (reported, and the run fails with States.Runtime).
   * @default - none: every such Task is unanswered
   */
  readonly fallback?: (input: JsonValue, request: TaskRequest) => JsonValue | undefined;
  /**
   * Once a state's recorded answers are used up, answer again with its last.
   * @default false
   */
  readonly reuseLastAnswer?: boolean;
  /**
   * Compare every event of the history too (type, details, the event it follows), not only the
   * outcome, the output and the sequence of states. Events of branches and iterations that ran
   * at once are compared lane by lane, since AWS does not fix their order.
   * @default - true for a recording whose `ExecutionStarted` event has its details, as every
   *   history AWS returns has; false for one written without them (by hand, as earlier releases
   *   compared only states), which has no details to compare
   */
  readonly compareEvents?: boolean;
}

/** A Task the replayed definition called that the recording has no answer for. */
export interface UnansweredTask {
  readonly state: string;
  readonly resource: string;
  readonly input: JsonValue;
}

/** Where a replay first differs from its recording. */
export interface ReplayDivergence {
  /**
   * What differs first: the sequence of states, the status, the error, the cause, the output,
   * or (all of those equal) an event of the history: its type, a details field, or the event it follows.
   */
  readonly kind: 'states' | 'status' | 'error' | 'cause' | 'output' | 'event';
  /** The difference in words, AWS and local side by side. */
  readonly message: string;
  /** For `states`: where the sequences part. */
  readonly step?: StepDivergence;
  /** For `output` and `event`: the JSONPath of the first differing value (in the event, for `event`). */
  readonly path?: string;
  /** For `event`: the events that differ, AWS's and the local run's. */
  readonly event?: EventDivergence;
}

/** The outcome of a replay. */
export interface ReplayResult {
  /** True when the local run's outcome, output, sequence of states and (with compareEvents) every event equal the recording's. */
  readonly equal: boolean;
  /** The first difference; undefined when equal. */
  readonly divergence?: ReplayDivergence;
  /** Tasks called that the recording has no answer for (with a changed definition, the calls to add). */
  readonly unanswered: readonly UnansweredTask[];
  /** Recorded Task calls the local run never made. */
  readonly unusedAnswers: readonly RecordedAnswer[];
  /** The local run. */
  readonly run: ExecutionResult;
  /** The recording replayed. */
  readonly recording: Recording;
  /**
   * What the replay had to assume without evidence in the recording, e.g. a Context Object read
   * whole by a recording that shows neither its start date nor a `$$.Execution` (so whether it
   * had `RedriveCount`, added with redrive on 15 November 2023, is unknown: today's is given).
   */
  readonly warnings: readonly string[];
  /** A report in words: equal, or the first divergence and unanswered Tasks, and any warning. */
  describe(): string;
}

/**
 * Runs a recorded execution locally: the recorded definition (or
 * `options.definition`) with the recorded input, each Task answered with the
 * result, error or timeout it had in the recording (matched by state and
 * attempt), and compares the outcome, the output, the sequence of states and
 * every event of the history with the recording. Values that differ on every
 * run (`States.UUID`, `States.MathRandom`, `$uuid()`, `$random()`, `$now()`,
 * `$millis()`, the Context Object's times, task tokens) are taken from the
 * recording wherever it shows them, so only the definition's own logic can differ.
 *
 * @example
 * const result = await replay(JSON.parse(fs.readFileSync('recordings/order-42.json', 'utf8')));
 * expect(result).toMatchRecording();
 * @example
 * // would yesterday's traffic still succeed with the new definition?
 * const result = await replay(recording, { definition: newDefinition });
 * expect(result.unanswered).toEqual([]);
 */
export async function replay(recording: Recording | string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const rec = parseRecording(recording);
  // Checked once here: each run below compiles it without checking it again.
  const definition = options.definition === undefined ? recordedDefinition(rec)
    : checkedDefinition(typeof options.definition === 'string' ? definitionJson(options.definition, 'the definition option', 'pass ASL as JSON text or an object') : options.definition,
      { type: rec.stateMachine.type, warnings: false });
  const sameString = options.placeholders ? placeholderMatch : (a: string, b: string) => a === b;
  // A redriven execution's history holds each run after an ExecutionRedriven event: each is
  // replayed in turn from where the one before stopped, as RedriveExecution resumes it.
  const redrives = rec.events.filter((e) => e.type === 'ExecutionRedriven').length;
  const key = (e: RecordedEvent): string => JSON.stringify(comparable(documentsParsed(detailsOf(e)), options)) ?? '';
  // Values that differ on every run are taken from the recording: a run shows where each went,
  // the recording what AWS drew there, and the next run draws that (draws.ts). A run that
  // learns nothing new is the last.
  let learned: LearnedDraws = new Map();
  let attempt = await replayOnce(rec, definition, options, redrives, learned);
  for (let phase = 1; phase < MAX_RUNS && redrives === 0; phase++) {
    const pairing = pairEvents(localEvents(attempt.run), rec.events, definition, key);
    const next = learnDraws(attempt.tape.log, pairing, learned);
    if (next.size === learned.size) break;
    learned = next;
    attempt = await replayOnce(rec, definition, options, redrives, learned);
  }
  const { run, local, unanswered, answers } = attempt;
  const divergence = diverge(run, local, rec, options, sameString)
    // A redriven execution's local runs are separate executions: their events are not one history to compare.
    ?? (!(options.compareEvents ?? hasEventDetails(rec)) || redrives > 0 ? undefined : eventDivergence(run, rec, definition, options, sameString));
  const unusedAnswers = answers.unused();
  const warnings = replayWarnings(rec, definition);
  return {
    equal: divergence === undefined,
    divergence,
    unanswered,
    unusedAnswers,
    run,
    recording: rec,
    warnings,
    describe: () => [report(divergence, unanswered, rec), ...warnings.map((w) => `warning: ${w}`)].join('\n'),
  };
}

/** Runs a replay takes at most: the first, and one more for each round of values learned from the recording. */
const MAX_RUNS = 4;

/** One local run of a recording, with what it needed of it. */
interface ReplayAttempt {
  readonly run: ExecutionResult;
  readonly local: StateStep[];
  readonly unanswered: UnansweredTask[];
  readonly answers: RecordedAnswers;
  readonly tape: DrawTape;
}

/** Runs the recording once (and its redrives), each Task answered from it and each learned value drawn again. */
async function replayOnce(
  rec: Recording, definition: StateMachineDefinition, options: ReplayOptions, redrives: number, learned: LearnedDraws,
): Promise<ReplayAttempt> {
  const canonical = (v: JsonValue): string => stableJson(comparable(v, options));
  const answers = new RecordedAnswers(answersFromHistory(rec.events), { canonical, reuseLast: options.reuseLastAnswer });
  const unanswered: UnansweredTask[] = [];
  const timeouts = statesWithTimeouts(definition);
  const tape = new DrawTape(learned);
  let watch: TruncationWatch | undefined;
  // Read through a call: the handler sets it while the run awaits, which narrowing cannot see.
  const cutShort = (): RecordingError | undefined => watch?.end();
  const handler = (clock: HarnessClock): DeferringTaskHandler => (input, request) => {
    const answer = answers.next(request.stateName, input);
    if (answer?.outcome === 'pending') {
      watch ??= new TruncationWatch(clock, () => tape.eventCount());
      return pendingCall(rec, request, clock, answer, watch);
    }
    // A call that timed out on AWS runs until the Task's own TimeoutSeconds on the clock, as it
    // did there, so that what else happened meanwhile (sibling iterations) comes in its order.
    if (answer?.outcome === 'timedOut' && timeouts.has(request.stateName) && taskResource(request.resource).pattern !== 'waitForTaskToken') {
      if (answer.workerName !== undefined && isActivity(request.resource)) request.recordWorkerName(answer.workerName);
      // An activity no worker took timed out waiting for one (recorded: ActivityScheduled, then ActivityTimedOut): no ActivityStarted.
      if (isActivity(request.resource) && answer.taken !== true) request.awaitActivityWorker?.();
      return untilCancelled(request, clock);
    }
    if (answer) return answerTask(answer, request);
    const fallback = options.fallback?.(input, request);
    if (fallback !== undefined) return fallback;
    unanswered.push({ state: request.stateName, resource: request.resource, input });
    throw new StatesError(StatesErrors.RUNTIME, `the recording has no answer for Task state '${request.stateName}' (call ${unanswered.length} without one, resource ${request.resource}); record an execution that reaches it, or pass a fallback`);
  };
  let run = await runRecorded(rec, definition, handler, undefined, tape);
  throwIfCutShort(cutShort());
  const local = stateSteps(run.history, definition);
  for (let k = 0; k < redrives && run.status !== 'SUCCEEDED'; k++) {
    const from = resumePointOf(definition.States, run.history);
    if (!from) break;
    watch = undefined;
    run = await runRecorded(rec, definition, handler, from, tape);
    throwIfCutShort(cutShort());
    local.push(...stateSteps(run.history, definition));
  }
  return { run, local, unanswered, answers, tape };
}

/**
 * Every history GetExecutionHistory returns gives `ExecutionStarted` its details (the role ARN at
 * least, with or without the input): a recording without them was written by hand, and only its
 * states, outcome and output mean anything.
 */
function hasEventDetails(rec: Recording): boolean {
  const started = rec.events.find((e) => e.type === 'ExecutionStarted');
  return started !== undefined && started.executionStartedEventDetails !== undefined;
}

/** A local history in the recording's form: plain JSON, timestamps as ISO text. */
function localEvents(run: ExecutionResult): RecordedEvent[] {
  return JSON.parse(JSON.stringify(run.history)) as RecordedEvent[];
}

function eventDivergence(
  run: ExecutionResult, rec: Recording, definition: StateMachineDefinition, options: NormalizeOptions, sameString: SameString,
): ReplayDivergence | undefined {
  const d = compareEvents(localEvents(run), rec.events, definition, options, sameString);
  if (!d) return undefined;
  return { kind: 'event', message: d.message, ...(d.path !== undefined ? { path: d.path } : {}), event: d };
}

/**
 * Runs a definition as the recorded execution ran: the recorded names,
 * region, account and role in the Context Object and ARNs, on a virtual clock
 * starting at the recorded start, every Task answered by `handler`.
 * @internal
 */
export async function runRecorded(
  rec: Recording, definition: StateMachineDefinition, handler: (clock: HarnessClock) => DeferringTaskHandler,
  startAt?: ResumePoint, tape?: DrawTape,
): Promise<ExecutionResult> {
  if (rec.execution.status === 'RUNNING' || rec.execution.status === 'PENDING_REDRIVE') {
    throw new RecordingError('INVALID_FIELD', `execution ${rec.execution.arn} was ${rec.execution.status} when recorded, so there is no outcome to replay; record it again once it has ended`);
  }
  const start = Date.parse(rec.execution.startDate ?? '');
  const clock = new HarnessClock(new VirtualClock(Number.isFinite(start) ? { start } : {}));
  const where = arnParts(rec.stateMachine.arn, rec.execution.arn);
  // An activity AWS could not schedule had been deleted: its Task failed at once, recorded as
  // ActivityScheduleFailed, or (recorded: test_activity_task_on_deleted) as the execution failing
  // with "The activity <arn> does not exist." and no Activity event.
  const activityGone = rec.events.some((e) => e.type === 'ActivityScheduleFailed')
    || (!rec.events.some((e) => e.type === 'ActivityScheduled') && rec.events.some(activityMissing));
  const machine = compileStateMachine(definition, {
    stateMachineName: where.stateMachineName,
    region: where.region,
    accountId: where.account,
    ...(rec.stateMachine.roleArn ? { roleArn: rec.stateMachine.roleArn } : {}),
    ...(rec.stateMachine.type ? { type: rec.stateMachine.type } : {}),
    activityExists: () => !activityGone,
    defaultTaskHandler: asTaskHandler(handler(clock)),
    // Checked when it was read (recordedDefinition, or replay's definition option).
    validate: false,
  });
  // An execution started before AWS launched redrive had no $$.Execution.RedriveCount; a redrive's run always has one.
  const withoutRedriveCount = !startAt && redriveEra(rec).hasRedriveCount === false;
  let execution;
  try {
    execution = machine.start(startAt ? startAt.input : rec.execution.input, {
      name: where.executionName,
      ...(withoutRedriveCount ? { redriveCount: null } : {}),
      clock,
      ...(tape ? { random: tape } : {}),
      // An Express execution's ARN ends in an id of AWS's: it is $$.Execution.Id.
      ...(where.express && where.executionName !== undefined ? { executionArn: rec.execution.arn } : {}),
      ...(startAt ? { startAt: startAt.state, variables: startAt.variables } : {}),
    });
  } catch (e) {
    // parseRecording refuses such input when it reads the recording; a Recording built in code may still hold it.
    if (e instanceof InvalidExecutionInputError) throw new RecordingError('INVALID_FIELD', `recording field 'execution.input' cannot start an execution: ${e.message}`);
    throw e;
  }
  if (tape) {
    const running = execution;
    tape.eventCount = () => running.history.length;
  }
  return execution.result;
}

function throwIfCutShort(error: RecordingError | undefined): void {
  if (error !== undefined) throw error;
}

/**
 * A Task still running when the recorded execution ended: it never answers.
 * In an ABORTED recording the local execution is stopped as it was; in a
 * TIMED_OUT one the clock runs on to the execution's timeout (the call does
 * not hold it still).
 */
function pendingCall(
  rec: Recording, request: TaskRequest, clock: HarnessClock, answer: RecordedAnswer, watch: TruncationWatch,
): TaskAnswer | Promise<TaskAnswer> {
  if (rec.execution.status === 'ABORTED') queueMicrotask(() => request.execution.stop(rec.execution.error, rec.execution.cause));
  // Ended otherwise, the recorded call ended too: a run that waits on it alone is a recording cut short.
  else watch.watch(request, answer);
  // A callback or an activity waits for its token without holding the clock.
  if (answeredByWorker(taskResource(request.resource))) return answerTask(answer, request);
  return untilCancelled(request, clock);
}

/** Reads `$$.Execution` whole or its RedriveCount (JSONPath `$$`, `$$.Execution`; JSONata `$states.context`). */
const READS_REDRIVE_COUNT = /\$\$(?![.\w])|\$\$\.Execution(?![.\w])|\$\$\.Execution\.RedriveCount|\$states\.context(?!\.(?:State|StateMachine|Task|Map)\b)/;

function replayWarnings(rec: Recording, definition: StateMachineDefinition): string[] {
  if (rec.stateMachine.type === 'EXPRESS' || !READS_REDRIVE_COUNT.test(JSON.stringify(definition))) return [];
  const era = redriveEra(rec);
  if (era.hasRedriveCount !== undefined) return [];
  return [`the definition reads $$.Execution, and ${era.evidence}: whether its Context Object had RedriveCount `
    + '(added with redrive on 15 November 2023) is unknown, so the replay gives it, as executions started since; '
    + 'record the execution with its startDate to decide'];
}

/** A call that never answers and does not hold the clock: it ends when the Task's timeout (or a stop) cancels it. */
function untilCancelled(request: TaskRequest, clock: HarnessClock): Promise<JsonValue> {
  clock.skipNextHold();
  return new Promise((_resolve, reject) => {
    request.signal.addEventListener('abort', () => reject(new StatesError(StatesErrors.RUNTIME, 'the call was cancelled')), { once: true });
  });
}

/** The Task states of a definition (nested ones too) that have a TimeoutSeconds or TimeoutSecondsPath. */
function statesWithTimeouts(definition: StateMachineDefinition): Set<string> {
  const out = new Set<string>();
  forEachState(definition, (name, state) => {
    if (state.Type === 'Task' && (state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined)) out.add(name);
  });
  return out;
}

function diverge(
  run: ExecutionResult, local: readonly StateStep[], rec: Recording, options: NormalizeOptions, sameString: SameString,
): ReplayDivergence | undefined {
  const step = compareSteps(local, stateSteps(rec.events, recordedDefinition(rec)));
  if (step) {
    return {
      kind: 'states',
      step,
      message: [
        `the sequence of states differs at step ${step.index + 1}:`,
        `  AWS:   ${describeStep(step.recorded, step.local)}`,
        `  local: ${describeStep(step.local, step.recorded)}`,
      ].join('\n'),
    };
  }
  return outcomeDivergence(run, rec, options, sameString);
}

function outcomeDivergence(run: ExecutionResult, rec: Recording, options: NormalizeOptions, sameString: SameString): ReplayDivergence | undefined {
  const exec = rec.execution;
  const side = (status: string, error?: string, cause?: string): string => (status === 'SUCCEEDED' || error === undefined ? status : `${status} with ${error}${cause ? `: ${cause}` : ''}`);
  const outcomes = `  AWS:   ${side(exec.status, exec.error, exec.cause)}\n  local: ${side(run.status, run.error, run.cause)}`;
  if (run.status !== exec.status) return { kind: 'status', message: `the outcome differs:\n${outcomes}` };
  const text = (s: string | undefined): JsonValue | undefined => (s === undefined ? undefined : comparable(s, options));
  if (exec.status !== 'SUCCEEDED') {
    if (firstDifference(text(run.error), text(exec.error), sameString)) return { kind: 'error', message: `both ${exec.status}, with different errors:\n${outcomes}` };
    if (exec.cause !== undefined && firstDifference(text(run.cause), text(exec.cause), sameString)) {
      return { kind: 'cause', message: `both ${exec.status} with ${exec.error}, with different causes:\n${outcomes}` };
    }
    return undefined;
  }
  const d = firstDifference(comparable(run.output, options), comparable(exec.output, options), sameString);
  if (!d) return undefined;
  const show = (v: JsonValue | undefined): string => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 200));
  return {
    kind: 'output',
    path: d.path,
    message: `both SUCCEEDED, but the output differs at ${d.path}:\n  AWS:   ${show(d.expected)}\n  local: ${show(d.got)}`,
  };
}

function report(divergence: ReplayDivergence | undefined, unanswered: readonly UnansweredTask[], rec: Recording): string {
  const lines = [divergence
    ? `replay of ${rec.execution.arn} differs from the recording: ${divergence.message}`
    : `replay of ${rec.execution.arn} equals the recording (${rec.execution.status})`];
  if (unanswered.length) {
    lines.push(`${unanswered.length} Task call${unanswered.length === 1 ? '' : 's'} had no recorded answer:`);
    for (const u of unanswered) lines.push(`  ${u.state} (${u.resource}) with input ${JSON.stringify(u.input).slice(0, 120)}`);
  }
  return lines.join('\n');
}

/** Region, account and names from a state machine ARN and an execution ARN (Standard `execution:`, Express `express:`). */
function arnParts(machineArn: string, executionArn: string): {
  region?: string; account?: string; stateMachineName?: string; executionName?: string; express: boolean;
} {
  const m = machineArn.split(':');
  const e = executionArn.split(':');
  const express = e[0] === 'arn' && e[5] === 'express' && e.length === 9;
  return {
    region: m[3] || undefined,
    account: m[4] || undefined,
    stateMachineName: m[6] || undefined,
    executionName: e[0] === 'arn' && (e[5] === 'execution' || express) ? e[7] || undefined : undefined,
    express,
  };
}

/** An ExecutionFailed event AWS records for a Task on an activity that does not exist. */
function activityMissing(e: RecordedEvent): boolean {
  if (e.type !== 'ExecutionFailed') return false;
  const details = detailsOf(e);
  return details?.error === StatesErrors.RUNTIME && typeof details.cause === 'string' && / The activity \S+ does not exist\.$/.test(details.cause);
}
