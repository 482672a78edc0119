import type { Outcome, ScenarioRunner } from './runner';
import { failable, readersOf, runChanged, searchCut, type AnsweredRun, type Observe } from './verify-failures';
import type { JsonValue, StateMachineDefinition, TaskState } from '../asl';
import { AwsLimits } from '../asl/limits';
import { allStates } from '../asl/state-tree';
import { taskResource } from '../asl/task-resource';

/*
 * Late answers. explore's search and verify's failures answer every Task call at once, so a run
 * where a Task answers late is never made: a branch's Task answering after a sibling branch's
 * Wait (its next state then entered after the sibling's), a Task timing out at its TimeoutSeconds
 * (States.Timeout, which AWS raises itself when the answer has not come by then), a run made long
 * by slow Tasks. Where a property is still open after the failures, verify runs again, from the
 * lightest run of the search that called each Task, with that Task's calls answered as there but
 * late (the mocks' `{"Delay": s, …}`, the harness's delay()):
 * - after every Wait of the machine (their fixed Seconds summed, plus one), but within the Task's
 *   TimeoutSeconds (one second before it) when it has one;
 * - as late as it may answer in time, one second before its TimeoutSeconds;
 * - at its TimeoutSeconds, on its first call and on every call (the Task times out, on AWS as
 *   here: "If the task runs longer than the specified seconds, this state fails with a
 *   States.Timeout error", docs/step-functions/latest/dg/state-task);
 * and, from each of the lightest runs of the search, every Task at once as late as it may answer
 * in time (one second before its TimeoutSeconds; after every Wait when it has none): the longest
 * such run. A Task with no TimeoutSeconds may answer at any time, up to a year: verify tries it
 * after the Waits only, and never says HOLDS of a seconds bound over it (secondsBound). No answer
 * comes later than its call can: a request-response call (a Lambda invoke, an AWS API call)
 * answers within the 900 s a Lambda function may run, so such a Task is never answered later, nor
 * timed out past that.
 */

/** The most runs of late answers verify makes on one machine. */
export const LATE_RUNS = 32;

/** Runs of the lightest runs of the search verify answers with every Task late. */
const ALL_LATE_SEEDS = 2;

/** How far the search of late answers went: runs made, Tasks answered late, and why it stopped short. */
export interface LateSearch {
  /** Runs made. */
  readonly runs: number;
  /** The runs it would make with no bound. */
  readonly planned: number;
  /** Tasks answered late. */
  readonly tasks: number;
  /** The seconds after which an answer comes after every Wait. */
  readonly pastWaits: number;
  /** What cut it short, when something did. */
  readonly stoppedBy?: 'bound' | 'budget';
}

/** How one Task's calls are answered late: `delay` seconds, from its call `first` up to (not including) `upTo`. */
interface LateWay {
  readonly delay: number;
  readonly first: number;
  readonly upTo: number;
}

/** The seconds after which an answer comes after every Wait of the machine: their fixed Seconds summed, plus one, at most a year. */
function pastTheWaits(def: StateMachineDefinition): number {
  let waits = 0;
  for (const [, s] of allStates(def)) {
    const seconds = s.Type === 'Wait' ? (s as { Seconds?: unknown }).Seconds : undefined;
    if (typeof seconds === 'number' && seconds > 0) waits += seconds;
  }
  return Math.min(waits + 1, AwsLimits.STANDARD_DURATION_SECONDS);
}

/** A Task's TimeoutSeconds, when the definition fixes it. */
function timeoutOf(def: TaskState): number | undefined {
  const t = (def as { TimeoutSeconds?: unknown }).TimeoutSeconds;
  return typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : undefined;
}

/**
 * The latest a Task may answer: a request-response call (a Lambda invoke, an AWS API call) within
 * the 900 s a Lambda function may run; a `.sync` job, a callback or an activity within a year.
 */
function latestAnswer(def: TaskState): number {
  if (typeof def.Resource !== 'string') return AwsLimits.STANDARD_DURATION_SECONDS;
  const r = taskResource(def.Resource);
  return r.pattern === 'request' && r.kind !== 'activity' ? AwsLimits.REQUEST_RESPONSE_SECONDS : AwsLimits.STANDARD_DURATION_SECONDS;
}

/** The Task calls a run made. */
const callCount = (calls: ReadonlyMap<string, readonly Outcome[]>): number => {
  let n = 0;
  for (const outcomes of calls.values()) for (const o of outcomes) if (o !== undefined) n++;
  return n;
};

/**
 * The runs of late answers, each told to `observe`, the cheapest first (the run answered late's
 * Task calls, then the kind: after the Waits, as late as in time, at the timeout on every call, on
 * the first, every Task together), at most LATE_RUNS, and within the time budget (`stopped`).
 * Returns how far it went, for the verdicts' reasons.
 */
export async function answerLate(
  runner: ScenarioRunner, callers: ReadonlyMap<string, AnsweredRun>, lightest: readonly AnsweredRun[],
  given: ReadonlyMap<string, JsonValue | undefined>, observe: Observe, maxTransitions: number, stopped: () => boolean = () => false,
): Promise<LateSearch> {
  const readers = readersOf(runner);
  const pastWaits = pastTheWaits(runner.definition);
  const tasks = failable(runner, callers, given);
  const plans: Array<{ from: AnsweredRun; late: Map<string, LateWay>; cost: number }> = [];
  /** As late as a Task may answer in time: one second before its TimeoutSeconds, or after the Waits; never past latestAnswer. */
  const inTime = (def: TaskState): number | undefined => {
    const timeout = timeoutOf(def);
    const d = Math.min(timeout === undefined ? pastWaits : timeout - 1, latestAnswer(def));
    return d > 0 ? d : undefined;
  };
  for (const [name, def] of tasks) {
    const from = callers.get(name)!;
    const base = callCount(from.calls) * 5;
    const timeout = timeoutOf(def);
    const afterWaits = Math.min(timeout === undefined ? pastWaits : Math.min(pastWaits, timeout - 1), latestAnswer(def));
    if (afterWaits > 0) plans.push({ from, late: new Map([[name, { delay: afterWaits, first: 0, upTo: Infinity }]]), cost: base });
    const latest = inTime(def);
    if (latest !== undefined && latest !== afterWaits) {
      plans.push({ from, late: new Map([[name, { delay: latest, first: 0, upTo: Infinity }]]), cost: base + 1 });
    }
    // A call that cannot last until the Task's TimeoutSeconds never times out.
    if (timeout !== undefined && timeout <= latestAnswer(def)) {
      plans.push({ from, late: new Map([[name, { delay: timeout, first: 0, upTo: Infinity }]]), cost: base + 2 });
      const first = (from.calls.get(name) ?? []).findIndex((o) => o !== undefined);
      plans.push({ from, late: new Map([[name, { delay: timeout, first: Math.max(first, 0), upTo: Math.max(first, 0) + 1 }]]), cost: base + 3 });
    }
  }
  const seeds = lightest.slice(0, ALL_LATE_SEEDS);
  for (const from of seeds) {
    const late = new Map<string, LateWay>();
    for (const [name, def] of tasks) {
      const d = inTime(def);
      if (d !== undefined) late.set(name, { delay: d, first: 0, upTo: Infinity });
    }
    if (late.size > 1) plans.push({ from, late, cost: callCount(from.calls) * 5 + 4 });
  }
  plans.sort((x, y) => x.cost - y.cost);
  let runs = 0;
  const done = (stoppedBy?: 'bound' | 'budget'): LateSearch => ({ runs, planned: plans.length, tasks: tasks.length, pastWaits, ...(stoppedBy ? { stoppedBy } : {}) });
  for (const { from, late } of plans) {
    if (runs >= LATE_RUNS) return done('bound');
    if (stopped()) return done('budget');
    runs++;
    const ran = await runChanged(runner, from, given, readers, (call, answer) => {
      const way = late.get(call.state);
      return way !== undefined && call.invocation >= way.first && call.invocation < way.upTo ? { ...answer, delay: way.delay } : answer;
    }, maxTransitions);
    if (ran) observe(from.input, ran.calls, ran.result, ran.result.path.length >= maxTransitions);
  }
  return done();
}

/** How far the late answers went, in words, for a reason. @internal */
export function describeLate(s: LateSearch): string {
  return `late answers: ${s.runs} run${s.runs === 1 ? '' : 's'} of at most ${LATE_RUNS} over ${s.tasks} Task${s.tasks === 1 ? '' : 's'}${searchCut(s.stoppedBy, s.planned)} `
    + `(each Task answering after every Wait, ${s.pastWaits} s; one second before its TimeoutSeconds; at it; and every Task together as late as it may answer in time); `
    + 'a Task answering at other times, or two Tasks late at different times, is not tried';
}
