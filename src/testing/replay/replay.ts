import { answersFromHistory, answerTask, isActivity, RecordedAnswers, stableJson, type RecordedAnswer } from './answers';
import {
  comparable, compareSteps, describeStep, firstDifference, placeholderMatch, stateSteps, type NormalizeOptions, type StateStep, type StepDivergence,
} from './compare';
import { parseRecording, recordedDefinition, RecordingError, type Recording } from './format';
import { resumePointOf, type ResumePoint } from './resume-point';
import { StatesError } from '../../asl/errors';
import type { JsonValue, StateMachineDefinition } from '../../asl/types';
import { VirtualClock } from '../../interpreter/clock';
import { compileStateMachine, InvalidExecutionInputError } from '../../interpreter/state-machine';
import type { ExecutionResult, TaskHandler, TaskRequest } from '../../interpreter/types';
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
}

/** A Task the replayed definition called that the recording has no answer for. */
export interface UnansweredTask {
  readonly state: string;
  readonly resource: string;
  readonly input: JsonValue;
}

/** Where a replay first differs from its recording. */
export interface ReplayDivergence {
  /** What differs first: the sequence of states, the status, the error, the cause or the output. */
  readonly kind: 'states' | 'status' | 'error' | 'cause' | 'output';
  /** The difference in words, AWS and local side by side. */
  readonly message: string;
  /** For `states`: where the sequences part. */
  readonly step?: StepDivergence;
  /** For `output`: the JSONPath of the first differing value. */
  readonly path?: string;
}

/** The outcome of a replay. */
export interface ReplayResult {
  /** True when the local run's outcome, output and sequence of states equal the recording's. */
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
  /** A report in words: equal, or the first divergence and unanswered Tasks. */
  describe(): string;
}

/**
 * Runs a recorded execution locally: the recorded definition (or
 * `options.definition`) with the recorded input, each Task answered with the
 * result, error or timeout it had in the recording (matched by state and
 * attempt), and compares the outcome, the output and the sequence of states
 * with the recording.
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
  const definition = options.definition === undefined ? recordedDefinition(rec)
    : typeof options.definition === 'string' ? parseDefinitionOption(options.definition) : options.definition;
  const sameString = options.placeholders ? placeholderMatch : (a: string, b: string) => a === b;
  const canonical = (v: JsonValue): string => stableJson(comparable(v, options));
  const answers = new RecordedAnswers(answersFromHistory(rec.events), { canonical, reuseLast: options.reuseLastAnswer });
  const unanswered: UnansweredTask[] = [];
  const handler = (clock: HarnessClock): TaskHandler => (input, request) => {
    const answer = answers.next(request.stateName, input);
    if (answer?.outcome === 'pending') return pendingCall(rec, request, clock);
    if (answer) return answerTask(answer, request);
    const fallback = options.fallback?.(input, request);
    if (fallback !== undefined) return fallback;
    unanswered.push({ state: request.stateName, resource: request.resource, input });
    throw new StatesError('States.Runtime', `the recording has no answer for Task state '${request.stateName}' (call ${unanswered.length} without one, resource ${request.resource}); record an execution that reaches it, or pass a fallback`);
  };
  // A redriven execution's history holds each run after an ExecutionRedriven event: each is
  // replayed in turn from where the one before stopped, as RedriveExecution resumes it.
  const redrives = rec.events.filter((e) => e.type === 'ExecutionRedriven').length;
  let run = await runRecorded(rec, definition, handler);
  const local = stateSteps(run.history as unknown as Recording['events'], definition);
  for (let k = 0; k < redrives && run.status !== 'SUCCEEDED'; k++) {
    const from = resumePointOf(definition.States, run.history);
    if (!from) break;
    run = await runRecorded(rec, definition, handler, from);
    local.push(...stateSteps(run.history as unknown as Recording['events'], definition));
  }
  const divergence = diverge(run, local, rec, options, sameString);
  const unusedAnswers = answers.unused();
  return {
    equal: divergence === undefined,
    divergence,
    unanswered,
    unusedAnswers,
    run,
    recording: rec,
    describe: () => report(divergence, unanswered, rec),
  };
}

function parseDefinitionOption(text: string): StateMachineDefinition {
  try {
    return JSON.parse(text) as StateMachineDefinition;
  } catch (e) {
    throw new RecordingError('INVALID_DEFINITION', `the definition option is not JSON (${(e as Error).message}); pass ASL as JSON text or an object`);
  }
}

/**
 * Runs a definition as the recorded execution ran: the recorded names,
 * region, account and role in the Context Object and ARNs, on a virtual clock
 * starting at the recorded start, every Task answered by `handler`.
 * @internal
 */
export async function runRecorded(
  rec: Recording, definition: StateMachineDefinition, handler: (clock: HarnessClock) => TaskHandler,
  startAt?: ResumePoint,
): Promise<ExecutionResult> {
  if (rec.execution.status === 'RUNNING' || rec.execution.status === 'PENDING_REDRIVE') {
    throw new RecordingError('INVALID_FIELD', `execution ${rec.execution.arn} was ${rec.execution.status} when recorded, so there is no outcome to replay; record it again once it has ended`);
  }
  const start = Date.parse(rec.execution.startDate ?? '');
  const clock = new HarnessClock(new VirtualClock(Number.isFinite(start) ? { start } : {}));
  const where = arnParts(rec.stateMachine.arn, rec.execution.arn);
  // An activity AWS could not schedule had been deleted: its Task failed at once.
  const activityGone = rec.events.some((e) => e.type === 'ActivityScheduleFailed');
  const machine = compileStateMachine(definition, {
    stateMachineName: where.stateMachineName,
    region: where.region,
    accountId: where.account,
    ...(rec.stateMachine.roleArn ? { roleArn: rec.stateMachine.roleArn } : {}),
    ...(rec.stateMachine.type ? { type: rec.stateMachine.type } : {}),
    activityExists: () => !activityGone,
    defaultTaskHandler: handler(clock),
  });
  let execution;
  try {
    execution = machine.start(startAt ? startAt.input : rec.execution.input, {
      name: where.executionName,
      clock,
      ...(startAt ? { startAt: startAt.state, variables: startAt.variables } : {}),
    });
  } catch (e) {
    // parseRecording refuses such input when it reads the recording; a Recording built in code may still hold it.
    if (e instanceof InvalidExecutionInputError) throw new RecordingError('INVALID_FIELD', `recording field 'execution.input' cannot start an execution: ${e.message}`);
    throw e;
  }
  return execution.result;
}

/**
 * A Task still running when the recorded execution ended: it never answers.
 * In an ABORTED recording the local execution is stopped as it was; in a
 * TIMED_OUT one the clock runs on to the execution's timeout (the call does
 * not hold it still).
 */
function pendingCall(rec: Recording, request: TaskRequest, clock: HarnessClock): JsonValue | Promise<JsonValue> {
  if (rec.execution.status === 'ABORTED') queueMicrotask(() => request.execution.stop(rec.execution.error, rec.execution.cause));
  // A callback or an activity waits for its token without holding the clock.
  if (request.resource.endsWith('.waitForTaskToken') || isActivity(request.resource)) return answerTask({ state: request.stateName, outcome: 'pending' }, request);
  clock.skipNextHold();
  return new Promise((_resolve, reject) => {
    request.signal.addEventListener('abort', () => reject(new StatesError('States.Runtime', 'the call was cancelled')), { once: true });
  });
}

type SameString = (got: string, expected: string) => boolean;

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

/** Region, account and names from a state machine ARN and an execution ARN. */
function arnParts(machineArn: string, executionArn: string): {
  region?: string; account?: string; stateMachineName?: string; executionName?: string;
} {
  const m = machineArn.split(':');
  const e = executionArn.split(':');
  return {
    region: m[3] || undefined,
    account: m[4] || undefined,
    stateMachineName: m[6] || undefined,
    executionName: e[0] === 'arn' && e[5] === 'execution' ? e[7] || undefined : undefined,
  };
}
