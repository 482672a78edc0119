import type { OrderedEvent, RecordedEvent } from './format';
import { payload } from './payload';
import type { JsonValue } from '../../asl';
import { stateNameOf, detailsOf } from '../../asl/history-events';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { isSyncJob, taskResource } from '../../asl/task-resource';
import type { TaskAnswer, TaskRequest } from '../../interpreter/execution-types';
import { classifyResource } from '../../interpreter/states/task';

/** How a recorded Task call ended. */
export type RecordedOutcome = 'succeeded' | 'failed' | 'timedOut' | 'pending';

/** One Task call as the recording saw it: the state, what it was sent, and how it ended. */
export interface RecordedAnswer {
  /** The Task state that made the call; null when the recording does not say. */
  readonly state: string | null;
  /** The Task's resource ARN. */
  readonly resource?: string;
  /** What the Task sent (TaskScheduled `parameters`, Lambda or activity `input`). */
  readonly input?: JsonValue;
  readonly outcome: RecordedOutcome;
  /** The result, when it succeeded. */
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  /** What the service answered on submission (a `.sync` or callback task's TaskSubmitted output). */
  readonly submitted?: JsonValue;
  /** The worker that took an activity task (ActivityStarted's workerName). */
  readonly workerName?: string;
  /** True when a worker took the activity task (an ActivityStarted was recorded). */
  readonly taken?: boolean;
  /** Id of the event that scheduled it, to name it in reports. */
  readonly eventId?: number;
}

/** The three families of Task events in a history: `Task*` (service integrations), `LambdaFunction*` (Lambda ARNs), `Activity*`. */
const FAMILIES = [
  { prefix: 'Task', scheduled: 'TaskScheduled', input: 'parameters' },
  { prefix: 'LambdaFunction', scheduled: 'LambdaFunctionScheduled', input: 'input' },
  { prefix: 'Activity', scheduled: 'ActivityScheduled', input: 'input' },
] as const;

const ENDINGS: Record<string, RecordedOutcome> = {
  Succeeded: 'succeeded', Failed: 'failed', TimedOut: 'timedOut', StartFailed: 'failed', SubmitFailed: 'failed', ScheduleFailed: 'failed',
};

/**
 * Every Task call of a history, in the order they were scheduled, with its
 * outcome. An event is tied to its state and to its scheduling by following
 * `previousEventId`; where a recording lost the ids (concurrent events
 * numbered by placeholder) the nearest event before it in the list stands in.
 */
export function answersFromHistory(history: readonly RecordedEvent[]): RecordedAnswer[] {
  const events = chronological(history);
  const byId = new Map<number, RecordedEvent>();
  for (const e of events) if (typeof e.id === 'number') byId.set(e.id, e);
  const answers: Array<{ -readonly [K in keyof RecordedAnswer]: RecordedAnswer[K] }> = [];
  const open = new Map<RecordedEvent, (typeof answers)[number]>();
  // Each family's open calls in the order they were scheduled: the first is the one an ending with no link closes.
  const openOf = new Map<string, Set<RecordedEvent>>(FAMILIES.map((f) => [f.scheduled, new Set()]));
  const firstOpen = (scheduled: string): RecordedEvent | undefined => openOf.get(scheduled)!.values().next().value;
  const toEntered = new Walker(byId, (x) => x.type.endsWith('StateEntered'));
  const toScheduled = new Map(FAMILIES.map((f) => [f.scheduled, new Walker(byId, (x) => x.type === f.scheduled)]));
  let lastEntered: string | null = null;
  for (const e of events) {
    if (e.type.endsWith('StateEntered')) {
      lastEntered = stateNameOf(e) ?? null;
      continue;
    }
    const family = FAMILIES.find((f) => e.type.startsWith(f.prefix));
    if (!family) continue;
    const details = detailsOf(e) ?? {};
    if (e.type === family.scheduled) {
      const entered = toEntered.back(e);
      const answer = {
        state: (entered && stateNameOf(entered)) ?? lastEntered,
        resource: typeof details.resource === 'string' ? details.resource : undefined,
        input: payload(details[family.input]),
        outcome: 'pending' as RecordedOutcome,
        eventId: typeof e.id === 'number' ? e.id : undefined,
      };
      answers.push(answer);
      open.set(e, answer);
      openOf.get(family.scheduled)!.add(e);
      continue;
    }
    const phase = e.type.slice(family.prefix.length);
    if (phase === 'Submitted' || phase === 'Started') {
      // What the service answered on submission, and the worker that took an activity: the mock's to say.
      const scheduled = toScheduled.get(family.scheduled)!.back(e) ?? firstOpen(family.scheduled);
      const answer = scheduled ? open.get(scheduled) : undefined;
      if (answer && phase === 'Submitted' && 'output' in details) answer.submitted = payload(details.output) ?? null;
      if (answer && phase === 'Started') answer.taken = true;
      if (answer && phase === 'Started' && typeof details.workerName === 'string') answer.workerName = details.workerName;
      continue;
    }
    const outcome = ENDINGS[phase];
    if (!outcome) continue;
    // A ScheduleFailed has no scheduling event: it is its own call.
    const scheduled = e.type.endsWith('ScheduleFailed') ? undefined
      : toScheduled.get(family.scheduled)!.back(e) ?? firstOpen(family.scheduled);
    let answer = scheduled ? open.get(scheduled) : undefined;
    if (!answer) {
      answer = { state: lastEntered, outcome, eventId: typeof e.id === 'number' ? e.id : undefined, resource: typeof details.resource === 'string' ? details.resource : undefined };
      answers.push(answer);
    }
    if (scheduled) {
      open.delete(scheduled);
      openOf.get(family.scheduled)!.delete(scheduled);
    }
    answer.outcome = outcome;
    if (outcome === 'succeeded') answer.output = payload(details.output) ?? null;
    if (typeof details.error === 'string') answer.error = details.error;
    // A recording that parsed JSON payloads parsed a Lambda error's JSON cause too; the Task saw text.
    if (details.cause !== undefined && details.cause !== null) answer.cause = typeof details.cause === 'string' ? details.cause : JSON.stringify(details.cause);
    if (outcome === 'timedOut' && answer.error === undefined) answer.error = StatesErrors.TIMEOUT;
  }
  return answers;
}

/**
 * The events oldest first: GetExecutionHistory with `reverseOrder` lists
 * them newest first, which a recording made that way keeps.
 */
export function chronological<E extends OrderedEvent>(events: readonly E[]): readonly E[] {
  const first = events[0];
  const last = events[events.length - 1];
  const reversed = events.length > 1 && (last.type === 'ExecutionStarted' || (typeof first.id === 'number' && typeof last.id === 'number' && first.id > last.id));
  return reversed ? [...events].reverse() : events;
}

/**
 * Follows previousEventId from an event back to the first event one test accepts, remembering
 * the answer for every event it passes, so that a history's walks take time in proportion to its
 * events, not to their square (12,500 TaskScheduled chained one to the next, then their 12,500
 * endings, each walking back past all the others). A chain that breaks or loops finds nothing.
 */
class Walker {
  private readonly found = new Map<RecordedEvent, RecordedEvent | null>();

  constructor(private readonly byId: ReadonlyMap<number, RecordedEvent>, private readonly want: (x: RecordedEvent) => boolean) {}

  /** The first event `want` accepts before `e`, following previousEventId; undefined when the chain breaks. */
  back(e: RecordedEvent): RecordedEvent | undefined {
    const start = this.previous(e);
    if (start === undefined) return undefined;
    const path: RecordedEvent[] = [];
    const seen = new Set<RecordedEvent>();
    let cursor: RecordedEvent | undefined = start;
    let result: RecordedEvent | null = null;
    while (cursor !== undefined && !seen.has(cursor)) {
      const known = this.found.get(cursor);
      if (known !== undefined) {
        result = known;
        break;
      }
      if (this.want(cursor)) {
        result = cursor;
        break;
      }
      seen.add(cursor);
      path.push(cursor);
      cursor = this.previous(cursor);
    }
    for (const x of path) this.found.set(x, result);
    return result ?? undefined;
  }

  private previous(e: RecordedEvent): RecordedEvent | undefined {
    return typeof e.previousEventId === 'number' ? this.byId.get(e.previousEventId) : undefined;
  }
}

/** Options of {@link RecordedAnswers}. */
export interface RecordedAnswersOptions {
  /**
   * The form two inputs are compared in, to pick the answer recorded for the same input.
   * @default - JSON text with sorted keys
   */
  readonly canonical?: (value: JsonValue) => string;
  /**
   * Once a state's answers are used up, answer again with its last one
   * (instead of reporting the call as unanswered).
   * @default false
   */
  readonly reuseLast?: boolean;
}

/**
 * Hands out recorded answers by state and attempt: for a call, the first
 * unused answer of its state recorded with the same input, else the state's
 * next unused answer in recorded order (retries, loops and Map iterations
 * come in order), else none.
 */
export class RecordedAnswers {
  private readonly byState = new Map<string | null, Array<{ answer: RecordedAnswer; used: boolean; key: string | undefined }>>();
  private readonly canonical: (value: JsonValue) => string;

  constructor(answers: readonly RecordedAnswer[], private readonly options: RecordedAnswersOptions = {}) {
    this.canonical = options.canonical ?? stableJson;
    for (const answer of answers) {
      const list = this.byState.get(answer.state) ?? [];
      list.push({ answer, used: false, key: undefined });
      this.byState.set(answer.state, list);
    }
  }

  /** True when the recording has any answer for the state. */
  has(state: string): boolean {
    return (this.byState.get(state)?.length ?? 0) > 0;
  }

  /** The answer for this call, marked used; undefined when the recording has none left for it. */
  next(state: string, input: JsonValue): RecordedAnswer | undefined {
    let list = this.byState.get(state);
    if (!list?.length) list = this.byState.get(null);
    if (!list?.length) return undefined;
    const key = this.canonical(input);
    const entry = list.find((x) => !x.used && x.answer.input !== undefined && (x.key ??= this.canonical(x.answer.input)) === key)
      ?? list.find((x) => !x.used)
      ?? (this.options.reuseLast ? list[list.length - 1] : undefined);
    if (!entry) return undefined;
    entry.used = true;
    return entry.answer;
  }

  /** Answers never handed out: calls the recording has that the replay did not make. */
  unused(): RecordedAnswer[] {
    return [...this.byState.values()].flat().filter((x) => !x.used).map((x) => x.answer);
  }
}

/** True for an activity ARN (its Task is worked by GetActivityTask pollers). */
export function isActivity(resource: string): boolean {
  return classifyResource(resource).kind === 'activity';
}

/** JSON text with object keys sorted, so key order does not count. */
export function stableJson(value: JsonValue | undefined): string {
  return JSON.stringify(value, (_k, x: JsonValue) => (x !== null && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]]))
    : x)) ?? 'undefined';
}

/**
 * Completes a Task call as it was recorded: returns the result or throws the
 * error, saying what the service answered on submission and which worker took
 * an activity when the recording says; a callback (`.waitForTaskToken`) gets
 * its token answered after the call returns, as a worker would; a timeout recorded for a callback is left
 * to the Task's own TimeoutSeconds or HeartbeatSeconds, which the clock runs.
 * Results are handed over uncopied: the interpreter never mutates a value.
 */
export function answerTask(answer: RecordedAnswer, request: TaskRequest): TaskAnswer {
  const timedOut = answer.outcome === 'timedOut';
  if (answer.workerName !== undefined && isActivity(request.resource)) request.recordWorkerName(answer.workerName);
  if (request.taskToken !== undefined && taskResource(request.resource).pattern === 'waitForTaskToken') {
    if (!timedOut && answer.outcome !== 'pending') {
      const token = request.taskToken;
      queueMicrotask(() => {
        if (answer.outcome === 'succeeded') request.execution.sendTaskSuccess(token, answer.output ?? null);
        else request.execution.sendTaskFailure(token, answer.error, answer.cause);
      });
    }
    // What the service answered when it took the message is the call's own result.
    return answer.submitted !== undefined ? answer.submitted : {};
  }
  if (answer.submitted !== undefined && isSyncJob(taskResource(request.resource))) request.recordSubmission(answer.submitted);
  if (answer.outcome === 'succeeded') return answer.output ?? null;
  // An activity still waiting when the recording ended goes on waiting: its handler returns nothing. One no worker had
  // taken (no ActivityStarted recorded) waits for a worker that never comes, so that no ActivityStarted is written either.
  if (answer.outcome === 'pending' && isActivity(request.resource)) {
    if (answer.taken !== true) request.awaitActivityWorker?.();
    return undefined;
  }
  if (answer.outcome === 'pending') throw new StatesError(StatesErrors.RUNTIME, `the recording ends while Task state '${request.stateName}' was still running (event ${answer.eventId ?? '?'}); there is no result to replay`);
  // A failure recorded with no error name (a worker's SendTaskFailure that gave none) fails with none.
  throw new StatesError(answer.error ?? (timedOut ? StatesErrors.TIMEOUT : ''), answer.cause);
}
