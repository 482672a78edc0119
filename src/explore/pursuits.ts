import { applyWrites } from './apply-writes';
import { branchTaken } from './choice-taken';
import { choiceVisits, solveBranch, whatToGive } from './choices';
import { EXPLORE_MAX_STATES, PARENTS_PER_GOAL, splitGoal, stateOfGoal, type Attempt, type Exploration, type RunRecord } from './context';
import { caughtDataErrors, dataFailurePlan, innerDataErrors, raisedOnData } from './data-failures';
import { byRoom, failureError, failurePlan, firstReaching, inParallel } from './failures';
import { successorsOf, type StateInfo } from './goals';
import { perturb } from './perturb';
import { withFrom, type Plan } from './plan';
import { errorFor } from './proofs';
import { itemsSourceOf, oneItemAttempt, toleratedFailureAttempts } from './tolerated-failures';
import type { DataError } from './verify-data';
import { variablesAt, type Visit } from './visits';
import type { Catcher } from '../asl';
import { findCatcher } from '../asl/error-rules';
import { sameJson } from '../asl/json-value';
import { shorten } from '../asl/shorten';
import { declaresTolerance, isDistributedMap } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';

/**
 * The pursuit of one goal explore has not reached: writing what the goal needs into the plan of
 * a run that came near it (a Choice's branch, a Task's failure caught or retried, a callback's
 * failure or timeout, a Map's first item) and running it, or saying why no run reached it.
 * The engine (engine.ts) calls pursueGoal for each goal not reached nor proved.
 */

/** What pursuing a goal needs of the engine beyond an Exploration. */
export interface Pursuit extends Exploration {
  /** The latest runs that reached a goal no run before them had (see choiceParents). */
  readonly novel: readonly RunRecord[];
  /** The runs each goal was tried from, by their ids (see markTried). */
  readonly tried: Map<string, Set<number>>;
  /** Runs a search over what their values are computed from made, per goal. */
  readonly perturbed: Map<string, number>;
  /** The definition's loops, found once. */
  machineLoops(): string[][];
  /** True for a state in the set, or inside the branches or item processor of one in it. */
  within(info: StateInfo, states: ReadonlySet<string>): boolean;
}

/** How many times a branch is solved again from the run the try before made (see followUp). */
const FOLLOW_UPS = 2;

/** The DISTRIBUTED Map a state runs in: its iterations are child executions (the runner records them in the run's history). */
function distributedMap(x: Pursuit, state: string): string | undefined {
  for (let info = x.states.get(state); info?.container !== undefined; info = x.states.get(info.container)) {
    const c = x.states.get(info.container)?.def;
    if (c?.Type === 'Map' && isDistributedMap(c)) return info.container;
  }
  return undefined;
}

/** True when the history of a run that entered a state shows it. */
async function shownIn(x: Pursuit, state: string): Promise<boolean> {
  for (const r of x.parentsFor(state)) {
    await x.restore(r);
    if (x.visitsOf(r).byState.has(state)) return true;
  }
  return false;
}

function markTried(x: Pursuit, id: string, rec: RunRecord): boolean {
  let set = x.tried.get(id);
  if (!set) x.tried.set(id, set = new Set());
  if (set.has(rec.id) || set.size >= PARENTS_PER_GOAL) return false;
  set.add(rec.id);
  return true;
}

export async function pursueGoal(x: Pursuit, id: string): Promise<void> {
  const { category, key } = splitGoal(id);
  // The runner records what a DISTRIBUTED Map's child executions do in the run's history; one that did not leaves explore nothing to read.
  const goalState = stateOfGoal(category, key);
  const map = category === 'states' ? undefined : distributedMap(x, goalState);
  if (map !== undefined && x.entered.has(goalState) && !await shownIn(x, goalState)) {
    x.reasons.set(id, `'${goalState}' runs inside the DISTRIBUTED Map '${map}', and the runs' histories do not show its child executions`);
    return;
  }
  switch (category) {
    case 'states': {
      const info = x.states.get(key);
      const container = info?.container !== undefined ? x.states.get(info.container) : undefined;
      if (container?.def.Type === 'Map' && info!.scopeStart === key) await pursueItems(x, id, container);
      return;
    }
    case 'choiceRules': {
      const hash = key.lastIndexOf('#');
      const state = key.slice(0, hash);
      const b = key.slice(hash + 1);
      await pursueChoice(x, id, state, b === 'default' ? 'default' : Number(b));
      return;
    }
    case 'catches': case 'retries': {
      const hash = key.lastIndexOf('#');
      const state = key.slice(0, hash);
      const index = Number(key.slice(hash + 1));
      const def = x.states.get(state)?.def;
      if (!def) return;
      const rules = category === 'catches' ? def.Catch ?? [] : def.Retry ?? [];
      const error = rules[index] ? errorFor(rules, index, def) : undefined;
      if (error === undefined) return;
      const origin = category === 'catches'
        ? `'${state}' fails with ${error}, caught by Catch[${index}] (-> ${def.Catch![index].Next})`
        : `'${state}' fails once with ${error}, retried by Retry[${index}]`;
      // A Catch or Retry its state's own data error reaches (a ResultPath that does not fit) is tried that way too.
      const data = caughtDataErrors(x, state, index, category);
      // A Task's call never answers an error AWS raises on the state's own data: only its data can raise it.
      const onData = raisedOnData(error);
      if (onData && def.Type === 'Task' && !data.some((e) => e.error === error)) {
        x.reasons.set(id, `'${state}' raises ${error} only on its own data, never by its call's answer, and nothing of its own raises it`);
        return;
      }
      await pursueFailure(x, id, state, error, category === 'catches' ? 'exhaust' : 'once', origin, data, onData);
      return;
    }
    case 'callbacks': {
      const hash = key.lastIndexOf('#');
      const state = key.slice(0, hash);
      const kind = key.slice(hash + 1);
      const def = x.states.get(state)?.def;
      if (!def || kind === 'success') return;
      const error = kind === 'timeout' ? StatesErrors.TIMEOUT : failureError(def);
      await pursueFailure(x, id, state, error, 'exhaust', kind === 'timeout' ? `callback '${state}' times out` : `callback '${state}' fails with ${error}`);
      return;
    }
    default:
      return;
  }
}

/**
 * The runs a Choice's branch is solved from: the first that entered it, then the latest that
 * reached something new on the way there (what they wrote can be what the branch needs too: a
 * Map's iteration that gave a result the branch counts), then the others.
 */
function choiceParents(x: Pursuit, state: string): RunRecord[] {
  const all = x.parentsFor(state);
  const fresh = x.novel.filter((r) => !r.capped && r.result.path.includes(state) && !all.slice(0, 1).includes(r)).reverse();
  return [...new Set([...all.slice(0, 1), ...fresh, ...all.slice(1)])];
}

async function pursueChoice(x: Pursuit, id: string, state: string, branch: number | 'default'): Promise<void> {
  const def = x.states.get(state)?.def;
  if (def?.Type !== 'Choice') return;
  const target = branch === 'default' ? def.Default : def.Choices[branch]?.Next;
  const origin = `'${state}' takes ${branch === 'default' ? 'its Default' : `Choices[${branch}]`} (-> ${target})`;
  for (const parent of choiceParents(x, state)) {
    if (x.stopped() || x.coveredBy.has(id)) return;
    if (!markTried(x, id, parent)) continue;
    if (await solveFrom(x, id, state, branch, parent, origin)) return;
  }
  if (!x.coveredBy.has(id) && !x.stopped()) await keepLooping(x, id, state, branch, origin);
  if (!x.coveredBy.has(id) && !x.stopped()) await throughOtherCatches(x, id, state, origin);
  if (!x.coveredBy.has(id) && !x.stopped()) await throughCaughtCalls(x, id, state, branch, origin);
  if (!x.coveredBy.has(id) && !x.stopped()) await throughToleratedFailures(x, id, state, branch, origin);
  // Below 100%, the reason says what a user can give for it, and for which field.
  const parent = x.parentsFor(state)[0];
  if (parent && !x.coveredBy.has(id)) await x.restore(parent);
  const v = parent && x.visitsOf(parent).byState.get(state)?.[0];
  const give = !x.coveredBy.has(id) && parent && v ? await whatToGive(x, parent, v, branch) : '';
  const said = x.reasons.get(id);
  if (give !== '' && !said?.endsWith(`to reach it, give ${give}`)) {
    x.reasons.set(id, `${said ?? 'unknown: explore found no values that take it'}; to reach it, give ${give}`);
  } else if (give === '' && !x.coveredBy.has(id) && said !== undefined && !/--input|--mocks|give /.test(said)) {
    // What the rules read is fixed on the runs made, not on every run: another way into the Choice may give it other values.
    x.reasons.set(id, `${said}; on the runs explore made nothing it can write changes that: give --input or --mocks that lead to '${state}' another way`);
  }
}

/** Solves a branch at each visit of the Choice in one run and runs what it finds; true once the goal is reached. */
async function solveFrom(x: Pursuit, id: string, state: string, branch: number | 'default', parent: RunRecord, origin: string): Promise<boolean> {
  await x.restore(parent);
  for (const v of choiceVisits(x.visitsOf(parent).byState.get(state) ?? [])) {
    const solved = await solveBranch(x, parent, v, branch);
    if ('reason' in solved) {
      x.reasons.set(id, solved.reason);
      if (solved.levers) {
        const found = await perturb(x, x.perturbed, id, parent, solved.levers, solved.hints ?? [], origin);
        if (found === true) return true;
        if (found !== '') x.reasons.set(id, `${solved.reason}; nor did other values of what it is computed from (${found})`);
      }
      continue;
    }
    const rec = await x.execute(solved.plan, origin);
    if (x.coveredBy.has(id)) return true;
    x.reasons.set(id, `the values found (${solved.writes}) did not take it: ${account(rec)}`);
    if (solved.otherwise && !x.stopped()) {
      const other = await x.execute(solved.otherwise.plan, origin);
      if (x.coveredBy.has(id)) return true;
      x.reasons.set(id, `the values found (${solved.writes}, or ${solved.otherwise.writes}) did not take it: ${account(other)}`);
    }
    if (await followUp(x, id, state, branch, v, rec, origin, parent)) return true;
    await x.restore(parent);
  }
  return false;
}

/**
 * Solves a branch again from the run a first try made, when that run reached the Choice with
 * other values: a first write can change where the values come from (a Map given more items
 * has iterations whose answers give its results; a Task that answered now has the fields a
 * computation reads), so the second try writes where the first could not. True once the goal
 * is reached.
 */
async function followUp(
  x: Pursuit, id: string, state: string, branch: number | 'default', before: Visit, rec: RunRecord, origin: string, parent: RunRecord,
): Promise<boolean> {
  let from = rec;
  let seen = before;
  for (let step = 0, strays = 0; step < FOLLOW_UPS && !x.stopped(); step++) {
    if (!from.result.path.includes(state)) {
      // The run left the way to the Choice at one before it (what was written for the goal, or given it
      // in a repair, took another branch there): that Choice is brought back to the branch the way took.
      if (strays++ >= FOLLOW_UPS) return false;
      const back = await backOnTheWay(x, from, parent, state);
      if (back === undefined) return false;
      const again = await x.execute(back.plan, origin);
      if (x.coveredBy.has(id)) return true;
      x.reasons.set(id, `the values found (${back.writes}) did not take it: ${account(again)}`);
      from = again;
      step--;
      continue;
    }
    await x.restore(from);
    const next = x.visitsOf(from).byState.get(state)?.[0];
    if (!next || (sameJson(next.input, seen.input) && sameJson(variablesAt(next), variablesAt(seen)))) return false;
    const solved = await solveBranch(x, from, next, branch);
    if ('reason' in solved) return false;
    const again = await x.execute(solved.plan, origin);
    if (x.coveredBy.has(id)) return true;
    x.reasons.set(id, `the values found (${solved.writes}) did not take it: ${account(again)}`);
    from = again;
    seen = next;
  }
  return false;
}

/**
 * A plan that takes a run back onto the way another run (`guide`) took to a state: the first
 * Choice where the run went elsewhere is solved for the branch the guide took there. Undefined
 * when the run left the way elsewhere than at a Choice, or the branch cannot be taken.
 */
async function backOnTheWay(x: Pursuit, rec: RunRecord, guide: RunRecord, state: string): Promise<{ plan: Plan; writes: string } | undefined> {
  const choices = (r: RunRecord) => x.visitsOf(r).visits.filter((v) => x.states.get(v.name)?.def.Type === 'Choice');
  await x.restore(rec);
  const went = choices(rec).map((v) => ({ name: v.name, next: v.next?.name }));
  await x.restore(guide);
  const way = choices(guide);
  let k = 0;
  for (; k < way.length && k < went.length && way[k].name !== state; k++) {
    if (way[k].name !== went[k].name) return undefined;
    if (way[k].next?.name !== went[k].next) break;
  }
  if (k >= way.length || k >= went.length || way[k].name === state) return undefined;
  const info = x.states.get(way[k].name)!;
  if (info.def.Type !== 'Choice') return undefined;
  const def = info.def;
  const target = way[k].next?.name;
  const taken = await branchTaken(info, way[k], x.visitsOf(guide).input, guide.result.startDate, x.interrupt);
  const index = def.Choices.findIndex((c) => c.Next === target);
  const branch = taken ?? (index >= 0 ? index : def.Default === target ? 'default' as const : undefined);
  if (branch === undefined) return undefined;
  await x.restore(rec);
  const at = choices(rec)[k];
  const solved = await solveBranch(x, rec, at, branch);
  return 'reason' in solved ? undefined : { plan: solved.plan, writes: solved.writes };
}

/** The Catch rules of a state that has them: a Task, Parallel or Map. */
function catchersOf(info: StateInfo): readonly Catcher[] {
  return info.def.Type === 'Task' || info.def.Type === 'Parallel' || info.def.Type === 'Map' ? info.def.Catch ?? [] : [];
}

/**
 * True when a run had a call fail in a state: the Task's own, or one of a Task inside a Parallel
 * or Map. Such a failure's name and cause are the call's answer, which explore chooses; a state
 * that failed on entry (its Arguments read a field its input lacked) raised an error it cannot
 * rename.
 */
function callFailedIn(x: Pursuit, rec: RunRecord, state: string): boolean {
  const info = x.states.get(state);
  if (!info) return false;
  const scope = new Set([state]);
  const tasks = info.def.Type === 'Task' ? [state] : [...x.states.values()].filter((s) => s.def.Type === 'Task' && x.within(s, scope)).map((s) => s.name);
  return tasks.some((t) => (rec.calls.get(t) ?? []).some((c) => c?.kind === 'throw'));
}

/** How many runs {@link throughCaughtCalls} solves a branch from, or makes to solve it from, per goal. */
const CAUGHT_CALL_RUNS = 4;

/**
 * For a Choice a Catch leads to: the branch solved from a run that came through each catching
 * state by a failure of its own call. The parents tried first may all have come another way (an
 * earlier state's failure, or this one's failure on entry, as a Task whose Arguments read a field
 * its input lacked fails), with an error explore cannot rename, or one that state cannot raise (a
 * States.Timeout from a Task with no TimeoutSeconds); a run that came through a failed call of the
 * state, found among those that reached the Choice or made by failing the call of a run that
 * entered the state with an error its Catch takes, has the error's name and cause for explore to
 * choose.
 */
async function throughCaughtCalls(x: Pursuit, id: string, state: string, branch: number | 'default', origin: string): Promise<void> {
  let runs = 0;
  for (const [name, info] of x.states) {
    const catchers = catchersOf(info);
    for (let i = 0; i < catchers.length; i++) {
      if (!leadsTo(x, catchers[i].Next, state)) continue;
      if (x.stopped() || x.coveredBy.has(id) || runs >= CAUGHT_CALL_RUNS) return;
      const tried = x.tried.get(id) ?? new Set<number>();
      const came = x.parentsFor(state).filter((r) => callFailedIn(x, r, name));
      // A run that came this way was solved from already: another made the same way would give the solver the same values.
      if (came.some((r) => tried.has(r.id))) continue;
      let from = came[0];
      if (from === undefined) {
        const error = errorFor(catchers, i, info.def);
        if (error === undefined) continue;
        for (const parent of failureParents(x, name)) {
          await x.restore(parent);
          const v = x.visitsOf(parent).byState.get(name)?.[0];
          const attempt = v && failurePlan(x, parent, v, error, 'exhaust');
          if (!attempt || 'reason' in attempt) continue;
          runs++;
          const rec = await x.execute(attempt.plan, origin);
          if (x.coveredBy.has(id)) return;
          if (rec.result.path.includes(state)) from = rec;
          break;
        }
        if (from === undefined) continue;
      }
      runs++;
      x.tried.set(id, tried.add(from.id));
      if (await solveFrom(x, id, state, branch, from, origin)) return;
    }
  }
}

/** How many runs {@link throughToleratedFailures} makes per goal. */
const TOLERATED_FAILURE_RUNS = 4;

/**
 * For a Choice after a Distributed Map that tolerates failed items: runs in which items fail
 * within the threshold (tolerated-failures.ts), so that the Map's result holds their errors and
 * a rule on how many failed (or on the Error of one) can be taken; the branch is then solved
 * from such a run, whose results a Condition may need more or fewer of.
 */
async function throughToleratedFailures(x: Pursuit, id: string, state: string, branch: number | 'default', origin: string): Promise<void> {
  let runs = 0;
  for (const [name, info] of x.states) {
    if (info.def.Type !== 'Map' || !declaresTolerance(info.def) || name === state || x.within(x.states.get(state)!, new Set([name]))) continue;
    if (!successorsOf(info.def).some((next) => leadsTo(x, next, state))) continue;
    for (const parent of x.parentsFor(state).filter((r) => r.result.path.includes(name)).slice(0, 2)) {
      if (x.stopped() || x.coveredBy.has(id) || runs >= TOLERATED_FAILURE_RUNS) return;
      await x.restore(parent);
      const v = x.visitsOf(parent).byState.get(name)?.[0];
      if (!v) continue;
      for (const attempt of await toleratedFailureAttempts(x, parent, v)) {
        if ('reason' in attempt) continue;
        if (x.stopped() || runs >= TOLERATED_FAILURE_RUNS) return;
        runs++;
        const rec = await x.execute(attempt.plan, origin);
        if (x.coveredBy.has(id)) return;
        x.reasons.set(id, `the values found (${attempt.writes}) did not take it: ${account(rec)}`);
        if (rec.result.path.includes(state) && await solveFrom(x, id, state, branch, rec, origin)) return;
        await x.restore(parent);
      }
    }
  }
}

/** How many runs that failed out of one catching state {@link throughOtherCatches} tries again per goal. */
const REROUTED_RUNS = 4;

/** True when `to` can be reached from `from` by Next, Choice rules, Defaults and Catches. */
function leadsTo(x: Pursuit, from: string, to: string): boolean {
  const seen = new Set<string>([from]);
  for (const queue = [from]; queue.length > 0;) {
    const at = queue.shift()!;
    if (at === to) return true;
    for (const next of successorsOf(x.states.get(at)?.def ?? { Type: 'Succeed' })) if (!seen.has(next)) { seen.add(next); queue.push(next); }
  }
  return false;
}

/**
 * For a Choice a Catch leads to: the runs that failed out of the catching state and went elsewhere
 * (another Catch took them, or none) are run again with the error renamed to one this Catch takes.
 * The way such a run failed inside the state (a Fail state with no Cause, a step's own error) is
 * another way into the Choice, with other values in the error output it reads; the runs that
 * reached it through this Catch all failed the same way.
 */
async function throughOtherCatches(x: Pursuit, id: string, state: string, origin: string): Promise<void> {
  // The errors the machine names anywhere: the way a run failed inside may take only some of them.
  const named = new Set<string>();
  for (const info of x.states.values()) {
    for (const rule of [...catchersOf(info), ...(info.def.Type === 'Task' ? info.def.Retry ?? [] : [])]) {
      for (const e of rule.ErrorEquals ?? []) if (e !== StatesErrors.ALL) named.add(e);
    }
  }
  for (const [name, info] of x.states) {
    const catchers = catchersOf(info);
    for (let i = 0; i < catchers.length; i++) {
      if (!leadsTo(x, catchers[i].Next, state)) continue;
      const first = errorFor(catchers, i, info.def);
      const errors = [...new Set([...(first !== undefined ? [first] : []), ...[...named].filter((e) => findCatcher(catchers, e) === catchers[i])])];
      let tries = 0;
      for (const parent of x.parentsFor(name)) {
        await x.restore(parent);
        const v = x.visitsOf(parent).byState.get(name)?.find((w) => w.outcome !== undefined && !w.outcome.ok);
        if (!v || v.outcome === undefined || v.outcome.ok) continue;
        // A Parallel's or Map's failure names no error in its history: the state it went to says which Catch took it.
        const took = v.outcome.error !== '' ? findCatcher(catchers, v.outcome.error) : catchers.find((c) => c.Next === v.next?.name);
        if (took === catchers[i]) continue;
        const source = x.provenanceOf(parent).scope(v, 'errorOutput', ['Error']);
        for (const error of errors) {
          if (x.stopped() || x.coveredBy.has(id) || tries >= REROUTED_RUNS) return;
          const attempt = await applyWrites(x, parent, [{ source, value: error }]);
          if ('reason' in attempt) break;
          tries++;
          const rec = await x.execute(attempt.plan, origin);
          if (x.coveredBy.has(id)) return;
          x.reasons.set(id, `${x.reasons.get(id) ?? 'unknown'}; nor did failing '${name}' as another run did, with ${error} for Catch[${i}] (${attempt.writes}): ${account(rec)}`);
          await x.restore(parent);
        }
      }
    }
  }
}

/**
 * For a Choice in a loop whose rules read what explore cannot write (the
 * time, a count the machine keeps): runs the loop longer, every Task in it
 * (and in the branches of the states in it) answering each later call as it
 * answered its first, so that what changes with each pass can take the
 * branch, as a job that keeps failing or a status that stays the same would.
 */
/** The most rounds a loop is run longer in, each solving again for staying in it at the last pass of the run before. */
const LONGER_LOOPS = 16;

async function keepLooping(x: Pursuit, id: string, state: string, branch: number | 'default', origin: string): Promise<void> {
  const loop = x.machineLoops().find((l) => l.includes(state));
  if (!loop) return;
  const inLoop = new Set(loop);
  const tasks = [...x.states.values()].filter((s) => s.def.Type === 'Task' && x.within(s, inLoop)).map((s) => s.name).filter((t) => !x.fixed.has(t));
  // The first run that called a Task of the loop: one that left the loop at once has no answer to repeat.
  const parents = x.parentsFor(state);
  const parent = parents.find((r) => tasks.some((t) => (r.calls.get(t) ?? []).some((c) => c !== undefined))) ?? parents[0];
  if (!parent) return;
  // Every later call of each Task of the loop answered as its first was.
  let plan = parent.plan;
  const repeated: string[] = [];
  for (const task of tasks) {
    const calls = parent.calls.get(task) ?? [];
    const first = calls.findIndex((c) => c !== undefined);
    if (first < 0) continue;
    plan = withFrom(plan, task, first, calls[first]);
    repeated.push(`'${task}'`);
  }
  if (repeated.length === 0) return;
  const looped = await x.execute(plan, origin);
  if (x.coveredBy.has(id) || await atLastPass(x, id, state, branch, looped, origin)) return;
  // Or as the answers that keep the run in the loop at the Choice's last pass, found by solving a branch that stays in it.
  const def = x.states.get(state)?.def;
  await x.restore(parent);
  const last = x.visitsOf(parent).byState.get(state)?.at(-1);
  if (def?.Type === 'Choice' && last && !x.stopped()) {
    const stay = [...def.Choices.map((c, i) => [c.Next, i] as const), [def.Default, 'default' as const] as const].filter(([next]) => next !== undefined && inLoop.has(next));
    for (const [, b] of stay) {
      let from = parent;
      let at = last;
      let passes = x.visitsOf(parent).byState.get(state)?.length ?? 0;
      for (let round = 0; round < LONGER_LOOPS && !x.stopped(); round++) {
        const solved = await solveBranch(x, from, at, b);
        if ('reason' in solved) break;
        let staying = solved.plan;
        for (const task of tasks) {
          const answers = staying.calls.get(task);
          if (!answers || answers.size === 0) continue;
          const k = Math.max(...answers.keys());
          staying = withFrom(staying, task, k, answers.get(k)!);
        }
        const stayed = await x.execute(staying, origin);
        if (x.coveredBy.has(id) || await atLastPass(x, id, state, branch, stayed, origin)) return;
        // The values that kept it in the loop one pass more may let it out by another rule a pass later (`$polls >=
        // $maxPolls` before a deadline on the run's clock): solved again at that run's own last pass, the loop runs
        // longer each round, and the clock on, until the rule wanted holds or the loop turns no more.
        await x.restore(stayed);
        const visits = x.visitsOf(stayed).byState.get(state) ?? [];
        if (visits.length <= passes) break;
        [from, at, passes] = [stayed, visits[visits.length - 1], visits.length];
      }
    }
  }
  x.reasons.set(id, `${x.reasons.get(id) ?? 'explore found no values for it'}; nor did running the loop on with every call of ${repeated.join(', ')} answered as the first, or as the answers that keep it in the loop`);
}

/**
 * Solves the branch again at the last pass a longer run made through the Choice: what the loop
 * counts has come round there (`$turn >= 5`), and the answers of that pass alone may take the
 * branch (`$turn >= 5 and $progress >= 50`). True once the goal is reached.
 */
async function atLastPass(x: Pursuit, id: string, state: string, branch: number | 'default', rec: RunRecord, origin: string): Promise<boolean> {
  if (x.stopped() || !rec.result.path.includes(state)) return false;
  await x.restore(rec);
  const last = x.visitsOf(rec).byState.get(state)?.at(-1);
  if (!last) return false;
  const solved = await solveBranch(x, rec, last, branch);
  if ('reason' in solved) return false;
  await x.execute(solved.plan, origin);
  return x.coveredBy.has(id);
}

/**
 * How a run made for a goal ended, in words: when explore repaired it (gave a state what it
 * lacked, which may undo what was written for the goal), how the run with the values as
 * written ended first, so that the reason never says of a run what that run did not do.
 */
function account(rec: RunRecord): string {
  let first = rec;
  while (first.repairedFrom !== undefined) first = first.repairedFrom;
  if (first === rec) return `that run ${summary(rec)}`;
  return `with them the run ${summary(first)}; explore gave it what it lacked there, and that run ${summary(rec)}`;
}

function summary(rec: RunRecord): string {
  const r = rec.result;
  if (rec.capped) return `looped past ${EXPLORE_MAX_STATES} states`;
  const last = r.path[r.path.length - 1];
  // A States.Runtime says why (a mock the service model refuses, a path not there): without it the reason's advice may read as if it would work.
  const cause = r.error === StatesErrors.RUNTIME && r.cause ? ` (${shorten(r.cause, 240)})` : '';
  return r.status === 'SUCCEEDED' ? `succeeded after ${last}` : `ended ${r.status}${r.error ? ` with ${r.error}${cause}` : ''} at '${last}'`;
}

/**
 * The runs a state's failure is made from. A Parallel or Map fails by a Task inside it: the runs
 * that called one come first, then those that entered one (a Map's first runs may all have had
 * no item, or none that reached its Task), then the others.
 */
function failureParents(x: Pursuit, state: string): RunRecord[] {
  const info = x.states.get(state);
  const own = x.parentsFor(state);
  // In a Parallel, another branch that fails at once ends it before a retry or a Catch of this state comes: the runs
  // whose Parallels end longest after its call come first, those that first reached a goal among them.
  if (info !== undefined && info.def.Type === 'Task' && inParallel(x, info)) return byRoom(x, state, [...own, ...firstReaching(x, state, own)]);
  if (info?.def.Type !== 'Parallel' && info?.def.Type !== 'Map') return own;
  const scope = new Set([state]);
  const inner = [...x.states.values()].filter((s) => s.def.Type === 'Task' && s.name !== state && x.within(s, scope)).map((s) => s.name);
  const called = (r: RunRecord) => inner.some((t) => (r.calls.get(t)?.length ?? 0) > 0);
  const entered = inner.flatMap((t) => x.parentsFor(t)).filter((r) => r.result.path.includes(state));
  return [...new Set([...own.filter(called), ...entered, ...own])];
}

/** The end of a failure's origin that names the rule taking it (`, caught by Catch[0] (-> R)`, `, retried by Retry[0]`). */
function taker(origin: string): string {
  const at = origin.search(/, (caught|retried) by /);
  return at < 0 ? '' : origin.slice(at);
}

/** How many visits of a state in one run {@link pursueFailure} looks at for one it can make fail. */
const VISITS_FAILED = 8;

async function pursueFailure(
  x: Pursuit, id: string, state: string, error: string, how: 'exhaust' | 'once', origin: string, data: readonly DataError[] = [], onData = false,
): Promise<RunRecord | undefined> {
  for (const parent of failureParents(x, state)) {
    if (x.stopped() || x.coveredBy.has(id)) return undefined;
    if (!markTried(x, id, parent)) continue;
    await x.restore(parent);
    let from = origin;
    // The first visit that can be made to fail: an earlier one may have made no call (it failed on entry, a later pass of a loop did not).
    let attempt: Attempt | undefined;
    for (const v of onData ? [] : (x.visitsOf(parent).byState.get(state) ?? []).slice(0, VISITS_FAILED)) {
      const a = failurePlan(x, parent, v, error, how);
      if (attempt === undefined || !('reason' in a)) attempt = a;
      if (!('reason' in a)) break;
    }
    // The state's own data error (a ResultPath that does not fit): where the Catch names that error, AWS raises it, not a
    // service, so it comes first; else it is tried when no call the state makes can fail so (a Parallel with no Task inside).
    const first = x.visitsOf(parent).byState.get(state)?.[0];
    for (const e of first === undefined ? [] : data) {
      if (!(e.error === error || attempt === undefined || 'reason' in attempt)) continue;
      const d = await dataFailurePlan(x, parent, first!, e);
      if (!('reason' in d)) {
        from = `'${state}' fails with ${e.error} (${e.where})${taker(origin)}`;
        attempt = d;
        break;
      }
      if (attempt === undefined) attempt = d;
      else if ('reason' in attempt) attempt = { reason: `${attempt.reason}; ${d.reason}` };
    }
    // A Parallel or Map fails with it when a state inside raises it on its own data and lets it out.
    if (onData && first !== undefined && (attempt === undefined || 'reason' in attempt)) {
      for (const inner of innerDataErrors(x, first, error)) {
        const d = await dataFailurePlan(x, parent, inner.visit, inner.error);
        if (!('reason' in d)) {
          from = `'${inner.visit.name}' fails with ${error} (${inner.error.where}) inside '${state}'${taker(origin)}`;
          attempt = d;
          break;
        }
        attempt = attempt === undefined ? d : { reason: `${attempt.reason}; ${d.reason}` };
      }
      attempt ??= { reason: `'${state}' raises ${error} only on data, never by a call's answer, and in that run neither it nor a state inside it that lets the error out can raise it on its own` };
    }
    if (attempt === undefined) continue;
    if ('reason' in attempt) {
      x.reasons.set(id, attempt.reason);
      continue;
    }
    let rec = await x.execute(attempt.plan, from);
    if (x.coveredBy.has(id)) return rec;
    let writes = attempt.writes;
    if (attempt.otherwise && !x.stopped()) {
      rec = await x.execute(attempt.otherwise.plan, from);
      if (x.coveredBy.has(id)) return rec;
      writes = `${writes}, or ${attempt.otherwise.writes}`;
    }
    x.reasons.set(id, `${writes}, and yet it was not reached: ${account(rec)}`);
  }
  return undefined;
}

/**
 * Gives a Map one item, so that its item processor runs. A Map that reads
 * its items with an ItemReader gets one explore makes up (an answer of its
 * reader, as a Task's), unless the options give its items; the finding asks
 * for the real ones, and the scenarios say their items are made up.
 */
async function pursueItems(x: Pursuit, id: string, map: StateInfo): Promise<void> {
  const def = map.def;
  if (def.Type !== 'Map') return;
  const reader = def.ItemReader;
  // Read from the user's folder, the items are the user's: explore neither makes them up nor varies them.
  const fromFolder = reader !== undefined && (x.options.itemsFromS3Folder ?? []).includes(map.name) && !x.fixed.has(map.name);
  if (reader !== undefined && !x.fixed.has(map.name) && !x.needs.has(map.name)) {
    x.needs.add(map.name);
    x.findingRuns.push({
      finding: {
        kind: 'needs-data',
        state: map.name,
        message: fromFolder
          ? `Map '${map.name}' reads its items with an ItemReader (${reader.Resource}) from the local S3 folder given: the runs used the items they `
            + 'found there, which explore does not change, and those did not reach every state inside it; to reach the rest, put other items there, '
            + `or give them as mocks: { "${map.name}": { "Return": [ ...items ] } }`
          : `Map '${map.name}' reads its items with an ItemReader (${reader.Resource}): explore cannot know your S3 objects, so the scenarios that run its items use items it made up (their names say so); give yours as mocks: { "${map.name}": { "Return": [ ...items ] } }`,
      },
    });
  }
  if (fromFolder) {
    x.reasons.set(id, `it needs other items than those Map '${map.name}' read from the local S3 folder, which explore does not change`);
    return;
  }
  for (const parent of x.parentsFor(map.name)) {
    if (x.stopped() || x.coveredBy.has(id)) return;
    if (!markTried(x, id, parent)) continue;
    await x.restore(parent);
    const v = x.visitsOf(parent).byState.get(map.name)?.[0];
    if (!v) continue;
    const attempt = await oneItemAttempt(x, parent, itemsSourceOf(x, parent, map, v));
    if ('reason' in attempt) {
      x.reasons.set(id, `Map '${map.name}' ran no iteration, and ${attempt.reason}`);
      continue;
    }
    await x.execute(attempt.plan, `Map '${map.name}' gets one item`);
    if (x.coveredBy.has(id)) return;
    const first = splitGoal(id).key;
    x.reasons.set(id, x.entered.has(first)
      ? `Map '${map.name}' got one item (${attempt.writes}), and its first state '${first}' failed there on entry${x.stateTrouble.has(first) ? `: '${first}' ${x.stateTrouble.get(first)}` : ''}`
      : `Map '${map.name}' got one item (${attempt.writes}), and yet its first state was not reached`);
  }
}
