import type { JsonValue } from '../../asl';
import { ATTEMPT_STARTS, detailsOf, isEntered, isExited, stateNameOf, type HistoryEvent } from '../../asl/history-events';
import { jsonOrText } from '../../asl/json-value';

/**
 * One history event of a run: the interpreter's {@link HistoryEvent}, typed from AWS's
 * stepfunctions model as GetExecutionHistory returns it, so that
 * `event.taskScheduledEventDetails?.parameters` and the other details type-check.
 */
export type RunHistoryEvent = HistoryEvent;

/** How one attempt at a Task (or a Map or Parallel state) ended. */
export type AttemptStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'RUNNING';

/**
 * One attempt at a state's work, read from the history: the first try of a
 * visit and each retry after it, with the virtual times they ran at, so a
 * test can check a back-off without parsing the history.
 */
export interface StateAttempt {
  /** 0-based visit of the state this attempt belongs to (loops and Map iterations make several). */
  readonly visit: number;
  /** 0 for the first attempt of a visit, then 1, 2, … for its retries. */
  readonly retry: number;
  /** When the attempt was scheduled (virtual time). */
  readonly startedAt: Date;
  /** When it ended, unless the run ended first. */
  readonly endedAt?: Date;
  /** Seconds from the execution's start to `startedAt`. */
  readonly secondsSinceStart: number;
  /** Seconds between the end of the visit's previous attempt and this one: the retry back-off (0 for the first). */
  readonly waitedSeconds: number;
  readonly status: AttemptStatus;
  /** The error of a failed attempt. */
  readonly error?: string;
  /** The cause of a failed attempt. */
  readonly cause?: string;
  /** What the attempt was sent (a Task's resolved Parameters or Arguments), when the history records it. */
  readonly parameters?: JsonValue;
  /** A Task's result, when it succeeded. */
  readonly output?: JsonValue;
}

/** The family prefix an attempt's end event shares with its start. */
const FAMILY: Record<string, string> = {
  TaskScheduled: 'Task', LambdaFunctionScheduled: 'LambdaFunction', ActivityScheduled: 'Activity', MapStateStarted: 'MapState', ParallelStateStarted: 'ParallelState',
};
const ENDINGS: ReadonlyArray<[string, AttemptStatus]> = [
  ['Succeeded', 'SUCCEEDED'], ['Failed', 'FAILED'], ['StartFailed', 'FAILED'], ['ScheduleFailed', 'FAILED'], ['SubmitFailed', 'FAILED'],
  ['TimedOut', 'TIMED_OUT'], ['Aborted', 'ABORTED'],
];

/** Event types of a Task's own work (never another state's). */
const TASK_WORK = /^(Task|LambdaFunction|Activity)(?!StateEntered)/;

interface OpenVisit {
  readonly events: RunHistoryEvent[];
  readonly ids: Set<number>;
  /** 'MapState' or 'ParallelState' for a state that holds others; undefined for one that does not. */
  readonly container?: string;
  /** Container attempts started and not yet ended (a nested Map or Parallel counts too). */
  open: number;
  /** The last attempt failed: the visit ends unless a retry starts next. */
  failed: boolean;
}

/**
 * The events of each visit of a state, in order: from its `…StateEntered` to
 * its `…StateExited` (or the failure that ended it), with everything that
 * happened inside it (Task, retry, Map and Parallel events, nested states),
 * followed along `previousEventId` so that concurrent branches do not mix in.
 */
export function visitsOf(history: readonly RunHistoryEvent[], state: string): RunHistoryEvent[][] {
  const visits: RunHistoryEvent[][] = [];
  const open: OpenVisit[] = [];
  for (const event of history) {
    if (isEntered(event) && stateNameOf(event) === state) {
      const family = /^(Map|Parallel)StateEntered$/.exec(event.type)?.[1];
      const visit: OpenVisit = { events: [event], ids: new Set([event.id]), open: 0, failed: false, ...(family ? { container: `${family}State` } : {}) };
      open.push(visit);
      visits.push(visit.events);
      continue;
    }
    const owner = open.find((v) => v.ids.has(event.previousEventId));
    if (!owner) continue;
    const exited = isExited(event) && stateNameOf(event) === state;
    if (!exited && !belongs(owner, event)) {
      open.splice(open.indexOf(owner), 1);
      continue;
    }
    owner.events.push(event);
    owner.ids.add(event.id);
    if (exited) open.splice(open.indexOf(owner), 1);
  }
  return visits;
}

/** Whether an event chained to a visit is still part of it, updating the visit's container bookkeeping. */
function belongs(visit: OpenVisit, event: RunHistoryEvent): boolean {
  if (!visit.container) return TASK_WORK.test(event.type);
  const family = visit.container;
  if (event.type === `${family}Started`) {
    visit.open++;
    visit.failed = false;
    return true;
  }
  if (visit.failed) return false;
  if (event.type === `${family}Succeeded` || event.type === `${family}Failed` || event.type === `${family}Aborted`) {
    visit.open = Math.max(0, visit.open - 1);
    visit.failed = visit.open === 0 && !event.type.endsWith('Succeeded');
  }
  return true;
}

function parsed(text: unknown): JsonValue | undefined {
  return typeof text === 'string' ? jsonOrText(text) : undefined;
}

/** The attempts of a state, read from the events of its visits (see {@link visitsOf}). */
export function attemptsOf(history: readonly RunHistoryEvent[], state: string): StateAttempt[] {
  const start = history.length ? history[0].timestamp.getTime() : 0;
  const out: StateAttempt[] = [];
  visitsOf(history, state).forEach((events, visit) => {
    // Only this state's own attempts: a Map or Parallel nested inside this one starts and ends
    // attempts of the same family, which `nested` counts so they are not taken for ours.
    let nested = 0;
    let retry = 0;
    let previousEnd: number | undefined;
    let current: { startedAt: Date; family: string; parameters?: JsonValue } | undefined;
    const finish = (status: AttemptStatus, end?: RunHistoryEvent): void => {
      const d = end ? detailsOf(end) : undefined;
      const startedMs = current!.startedAt.getTime();
      out.push({
        visit,
        retry,
        startedAt: current!.startedAt,
        ...(end ? { endedAt: end.timestamp } : {}),
        secondsSinceStart: (startedMs - start) / 1000,
        waitedSeconds: previousEnd === undefined ? 0 : (startedMs - previousEnd) / 1000,
        status,
        ...(typeof d?.error === 'string' ? { error: d.error } : {}),
        ...(typeof d?.cause === 'string' ? { cause: d.cause } : {}),
        ...(current!.parameters !== undefined ? { parameters: current!.parameters } : {}),
        ...(status === 'SUCCEEDED' && parsed(d?.output) !== undefined ? { output: parsed(d?.output) } : {}),
      });
      previousEnd = end?.timestamp.getTime();
      retry++;
      current = undefined;
    };
    const byId = new Map<number, RunHistoryEvent>();
    for (const event of events) byId.set(event.id, event);
    for (const event of events.slice(1)) {
      if (ATTEMPT_STARTS.has(event.type)) {
        if (current && FAMILY[event.type] === current.family) {
          // A nested state's first attempt follows its own …StateEntered. Otherwise a Map or
          // Parallel is starting again: AWS records no …Failed for an attempt its Retry catches,
          // so the new start is what ends the failed one.
          const before = byId.get(event.previousEventId ?? 0);
          if (before?.type === `${current.family}Entered`) nested++;
          else if (nested === 0) finish('FAILED', before);
          if (current) continue;
        }
        if (!current) current = { startedAt: event.timestamp, family: FAMILY[event.type], parameters: parsed(detailsOf(event)?.parameters) };
        continue;
      }
      if (!current || !event.type.startsWith(current.family)) continue;
      const ending = ENDINGS.find(([suffix]) => event.type === `${current!.family}${suffix}`);
      if (!ending) continue;
      if (nested > 0) nested--;
      else finish(ending[1], event);
    }
    if (current) finish('RUNNING');
  });
  return out;
}
