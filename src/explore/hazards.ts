import { solveBranch } from './choices';
import { reachedHistoryLimit, slim, type Exploration, type RunRecord } from './context';
import { thrownOutcome } from './contract-answers';
import { raisedOnData } from './data-failures';
import { loopsOf } from './goals';
import { withCalls, withFrom } from './plan';
import { attemptsFor, errorFor } from './proofs';
import type { Visit } from './visits';
import { detailsOf } from '../asl/history-events';
import { AwsLimits, EXPRESS_DURATION_WORDS, PAYLOAD_WORDS } from '../asl/limits';
import { withThousands } from '../asl/shorten';
import { isDistributedMap } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';

/*
 * Hazards: loops nothing ends (run to AWS's history limit), payloads that
 * grow with each pass, EXPRESS runs past 5 minutes.
 */

/**
 * For each loop with a Choice that a run took back into the loop: the same
 * run with the answers that led back repeated for every later call of the
 * loop's Tasks. A run that then loops until the exploring limit is a loop
 * nothing ends (its hazards are checked next). When no run went back after a
 * call of the loop's own Tasks (a first page outside the loop gave the
 * NextToken, the page inside did not), explore first asks the solver for a
 * call inside the loop that sends it round again.
 */
export async function repeatLoops(x: Exploration): Promise<void> {
  for (const loop of loopsOf(x.states)) {
    if (x.stopped()) return;
    const inLoop = new Set(loop);
    if (x.loops.some((r) => r.result.path.some((n) => inLoop.has(n)))) continue;
    const tasks = loop.filter((n) => x.states.get(n)?.def.Type === 'Task' && !x.fixed.has(n));
    if (tasks.length === 0) continue;
    const back = backEdge(x, x.runs, loop, inLoop, tasks) ?? await sendRound(x, loop, inLoop, tasks);
    if (!back || x.stopped()) continue;
    const { rec, visit } = back;
    let plan = rec.plan;
    for (const task of tasks) {
      const before = (x.visitsOf(rec).byState.get(task) ?? []).filter((t) => t.index < visit.index && t.calls.length > 0);
      const last = before[before.length - 1];
      if (!last) continue;
      const invocation = last.calls[last.calls.length - 1];
      const outcome = rec.calls.get(task)?.[invocation];
      if (outcome) plan = withFrom(plan, task, invocation, outcome);
    }
    const run = await x.runPlan(plan, `the loop through ${loop.slice(0, 6).join(' → ')}${loop.length > 6 ? ' → …' : ''} never ends`, undefined, false);
    x.runs.push(run);
    if (run.capped) {
      x.loops.push(run);
      continue;
    }
    // Not a loop: its history is not read again.
    slim(run);
    if (run.result.status === 'FAILED' && run.result.error === StatesErrors.DATA_LIMIT_EXCEEDED) {
      // The payload outgrew AWS's limit well before the exploring limit: a test's limits change nothing (the report runs it again).
      const through = loop.slice(0, 6).join(' → ') + (loop.length > 6 ? ' → …' : '');
      x.findingRuns.push({
        finding: {
          kind: 'payload-limit',
          state: run.result.path[run.result.path.length - 1],
          error: StatesErrors.DATA_LIMIT_EXCEEDED,
          message: `the payload grows with each pass through ${through} until it exceeds ${PAYLOAD_WORDS}: the execution fails with States.DataLimitExceeded`,
        },
        run,
      });
    }
  }
}

/** True when a Task of the loop that the run called was called before the visit: its answer is one that led back. */
function taskBefore(x: Exploration, rec: RunRecord, visit: Visit, tasks: readonly string[]): boolean {
  const byState = x.visitsOf(rec).byState;
  const called = tasks.filter((t) => (byState.get(t) ?? []).some((v) => v.calls.length > 0));
  return called.length > 0 && called.every((t) => byState.get(t)!.some((v) => v.index < visit.index && v.calls.length > 0));
}

/** A run and a visit of a Choice in the loop that went on to a state of the loop after the loop's Tasks answered. */
export function backEdge(
  x: Exploration, runs: readonly RunRecord[], loop: readonly string[], inLoop: ReadonlySet<string>, tasks: readonly string[],
): { rec: RunRecord; visit: Visit } | undefined {
  const choices = loop.filter((n) => x.states.get(n)?.def.Type === 'Choice');
  for (const rec of runs) {
    if (rec.capped || !rec.goals.size) continue;
    for (const c of choices) {
      for (const v of x.visitsOf(rec).byState.get(c) ?? []) {
        if (v.next && inLoop.has(v.next.name) && taskBefore(x, rec, v, tasks)) return { rec, visit: v };
      }
    }
  }
  return undefined;
}

/** A run in which a Choice of the loop, reached after the loop's Tasks answered, leaves it: solved to go round again instead. */
async function sendRound(
  x: Exploration, loop: readonly string[], inLoop: ReadonlySet<string>, tasks: readonly string[],
): Promise<{ rec: RunRecord; visit: Visit } | undefined> {
  for (const c of loop) {
    const def = x.states.get(c)?.def;
    if (def?.Type !== 'Choice') continue;
    const branches: Array<number | 'default'> = def.Choices.flatMap((r, i) => (r.Next !== undefined && inLoop.has(r.Next) ? [i] : []));
    if (def.Default !== undefined && inLoop.has(def.Default)) branches.push('default');
    for (const rec of x.parentsFor(c)) {
      if (rec.capped || x.stopped()) continue;
      await x.restore(rec);
      const exit = (x.visitsOf(rec).byState.get(c) ?? []).find((v) => v.next && !inLoop.has(v.next.name) && taskBefore(x, rec, v, tasks));
      if (!exit) continue;
      for (const branch of branches) {
        const solved = await solveBranch(x, rec, exit, branch);
        if ('reason' in solved) continue;
        const again = await x.runPlan(solved.plan, `'${c}' sends the loop round again`);
        x.runs.push(again);
        const back = backEdge(x, [again], loop, inLoop, tasks);
        if (back) return back;
      }
      return undefined;
    }
  }
  return undefined;
}

/** The loops' runs kept as their scenarios' runs again: each holds its 25,000 events without documents (about 2.5 MB). */
const KEPT_OUTLINES = 8;

/**
 * True when a run explore makes with AWS's limits is the run the report's run again of its scenario makes
 * (ScenarioRunner.replay with the scenario's input and mocks): the runner runs both alike (the same seed,
 * settings and virtual clock), each Task call answered as the mocks written from the run's answers answer
 * it, but for a DISTRIBUTED Map, whose child executions' events explore's runs record and a test's
 * do not (their event ids then differ). test/explore/loop-replay.test.ts holds them to it.
 */
function runsAsTested(x: Exploration): boolean {
  return ![...x.states.values()].some((s) => s.def.Type === 'Map' && isDistributedMap(s.def));
}

/**
 * True when the run called a Task whose answer the user gave: the scenario's mocks then hold the given
 * answer as it was written, which a test's mocks may read otherwise than explore did (past the end of a list).
 */
function givenCalled(x: Exploration, rec: RunRecord): boolean {
  for (const state of rec.calls.keys()) if (x.fixed.get(state) !== undefined) return true;
  return false;
}

export async function hazards(x: Exploration): Promise<void> {
  await repeatLoops(x);
  const seen = new Set<string>();
  let kept = 0;
  for (const loop of x.loops) {
    if (x.stopped()) return;
    const counts = new Map<string, number>();
    for (const name of loop.result.path) counts.set(name, (counts.get(name) ?? 0) + 1);
    const cycle = [...counts.entries()].filter(([, n]) => n >= 3).map(([name]) => name);
    const key = [...cycle].sort().join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    const head = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const through = cycle.slice(0, 6).join(' → ') + (cycle.length > 6 ? ' → …' : '');
    if (x.runner.type === 'EXPRESS') {
      x.findingRuns.push({ finding: { kind: 'express-duration', state: head, message: `the loop through ${through} does not end with the answers of '${loop.origin}': AWS stops an EXPRESS execution after ${EXPRESS_DURATION_WORDS} (TIMED_OUT)` } });
      const grew = growth(x, loop, head);
      if (grew) x.findingRuns.push({ finding: { kind: 'payload-limit', state: head, message: grew } });
      continue;
    }
    // Up to AWS's 25,000 events: the report needs its outcome and where it went, not with what. Where the run is the one the
    // report's run again of its scenario makes, its outline stands for that run again; else none is recorded (the report runs it again).
    const outline = runsAsTested(x) && kept < KEPT_OUTLINES;
    const confirm = await x.runPlan(loop.plan, `the loop through ${through} never ends`, null, false, outline ? 'outline' : false);
    const run = confirm.result;
    slim(confirm);
    if (outline && !givenCalled(x, confirm)) {
      confirm.asTested = run;
      kept++;
    }
    x.runs.push(confirm);
    if (confirm.result.status === 'FAILED' && confirm.result.error === StatesErrors.DATA_LIMIT_EXCEEDED) {
      x.findingRuns.push({ finding: { kind: 'payload-limit', state: head, error: StatesErrors.DATA_LIMIT_EXCEEDED, message: `the payload grows with each pass through ${through} until it exceeds ${PAYLOAD_WORDS}: the execution fails with States.DataLimitExceeded` }, run: confirm });
    } else if (reachedHistoryLimit(confirm.result)) {
      x.findingRuns.push({ finding: { kind: 'history-limit', state: head, error: StatesErrors.RUNTIME, message: `the loop through ${through} can run until the execution fails at AWS's limit of ${withThousands(AwsLimits.HISTORY_EVENTS)} history events` }, run: confirm });
    }
  }
  if (x.runner.type === 'EXPRESS') await expressDuration(x);
}

/** How a loop's payload grows per pass, when it grows, in words. */
export function growth(x: Exploration, loop: RunRecord, head: string | undefined): string | undefined {
  if (head === undefined) return undefined;
  const visits = x.visitsOf(loop).byState.get(head) ?? [];
  if (visits.length < 3) return undefined;
  const size = (v: Visit): number => Buffer.byteLength((detailsOf(v.entered)?.input as string | undefined) ?? '');
  const first = size(visits[1]);
  const last = size(visits[visits.length - 1]);
  const perPass = (last - first) / (visits.length - 2);
  if (!(perPass >= 1)) return undefined;
  const passes = Math.ceil((AwsLimits.PAYLOAD_BYTES - last) / perPass) + visits.length - 1;
  return `the input of '${head}' grows by about ${Math.round(perPass)} bytes with each pass: it exceeds ${PAYLOAD_WORDS} after about ${passes} passes, and the execution fails with States.DataLimitExceeded`;
}

/** An EXPRESS machine: a scenario whose retries (and the waits on its way) run past 5 minutes. */
export async function expressDuration(x: Exploration): Promise<void> {
  const base = x.runs.find((r) => !r.capped);
  if (!base || x.stopped()) return;
  let plan = base.plan;
  const visits = x.visitsOf(base);
  let changed = false;
  for (const [name, info] of x.states) {
    if (info.def.Type !== 'Task' || !(info.def.Retry ?? []).length || x.fixed.has(name)) continue;
    const v = visits.byState.get(name)?.[0];
    const first = v?.calls[0];
    if (first === undefined) continue;
    // An error AWS raises on the state's own data is no call's answer: only a Retry a call's error takes is used up so.
    const error = errorFor(info.def.Retry!, 0);
    if (error === undefined || raisedOnData(error)) continue;
    const count = attemptsFor(info.def, error) - 1;
    const failing = thrownOutcome(info.def.Resource, error);
    plan = withCalls(plan, name, first, count, failing);
    changed ||= count > 0;
  }
  if (!changed) return;
  const rec = await x.execute(plan, 'every retry is used up before the last attempt succeeds');
  const ms = rec.result.stopDate.getTime() - rec.result.startDate.getTime();
  if (rec.result.status === 'TIMED_OUT' || ms > (AwsLimits.EXPRESS_DURATION_SECONDS * 1000)) {
    x.findingRuns.push({ finding: { kind: 'express-duration', message: `with every retry used, the execution runs ${Math.round(ms / 1000)} s: AWS stops an EXPRESS execution after ${EXPRESS_DURATION_WORDS} (TIMED_OUT)` }, run: rec });
  }
}

// ---- the report ----
