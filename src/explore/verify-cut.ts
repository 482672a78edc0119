import { reachedHistoryLimit } from './context';
import { loopingStates } from './verify-counters';
import { isEnd, type MachineGraph } from './verify-graph';
import { unboundedItemsWords } from './verify-items';
import type { MapState, StateMachineDefinition } from '../asl';
import { AwsLimits } from '../asl/limits';
import { allStates, isDistributedMap } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';
import type { ExecutionResult } from '../interpreter';

/*
 * Runs the history limit cuts. AWS fails an execution whose history passes 25,000 events with
 * States.Runtime, in whatever state it is (Step Functions quotas, "Maximum execution history
 * size"). A proof over the ends of the graph's paths holds only for runs that reach one of them,
 * so a leadsTo, or an endsWith that refuses that failure, is proved only where no loop a run can
 * go round without bound can bring the limit to the part of the run the property reads. explore's
 * history-limit finding does not settle it: it may not find the answers that keep a loop going.
 *
 * A loop is bounded when a counter bounds it (verify-counters, which count a Map's items where
 * the definition bounds them); a Parallel's or Map's Retry (its MaxAttempts) and a DISTRIBUTED
 * Map's next item only start a turn something else bounds, and are set apart.
 */

/** The states on loops no bound limits, and why none does; cached per graph. */
const cache = new WeakMap<MachineGraph, { readonly states: ReadonlySet<string>; readonly why: string }>();

function loops(graph: MachineGraph): { readonly states: ReadonlySet<string>; readonly why: string } {
  let got = cache.get(graph);
  if (!got) cache.set(graph, got = runLoops(graph, (from, to) => boundedTurn(graph, from, to)));
  return got;
}

/**
 * The states on loops that can bring the run itself to the history limit: those of `loopingStates`
 * less the loops that run inside a DISTRIBUTED Map's iteration and whose states the graph cuts
 * there (GraphFacts.childCuts). Such a loop's turns go into the child execution's history, not the
 * run's; the limit ends the child, a failure the graph holds from every state it can fall in.
 */
function runLoops(
  graph: MachineGraph, setApart: (from: string, to: string) => boolean,
): { readonly states: ReadonlySet<string>; readonly why: string } {
  const found = loopingStates(graph, graph.language, setApart);
  const kept = found.loops.filter((loop) => {
    const map = distributedAround(graph, loop);
    return map === undefined || ![...loop].every((n) => graph.childCutsIn(n).includes(map));
  });
  if (kept.length === found.loops.length) return found;
  return { states: new Set(kept.flatMap((loop) => [...loop])), why: found.why };
}

/** The innermost DISTRIBUTED Map whose iteration holds every state of `loop`; undefined when none does. */
function distributedAround(graph: MachineGraph, loop: ReadonlySet<string>): string | undefined {
  let around: readonly string[] | undefined;
  for (const n of loop) {
    const enclosing = graph.enclosingOf(n);
    around = around === undefined ? enclosing : around.filter((m) => enclosing.includes(m));
  }
  return [...(around ?? [])].reverse().find((m) => graph.definitionOf(m)?.Type === 'Map' && isDistributedMap(graph.definitionOf(m) as MapState));
}

/**
 * Where the history limit can end a DISTRIBUTED Map's child execution (GraphFacts.childCuts): for
 * each loop no bound limits that runs inside one such Map's iteration, every state of the
 * same child execution a run can be in once it has gone round it (the loop's own and those after
 * it, not another item's, whose child starts with a history of its own; nested
 * Maps' and Parallels' too), with the innermost such Map (a state may have several, one per
 * nested DISTRIBUTED Map with such a loop). Empty when no such loop is there.
 * @internal
 */
export function childCutsOf(graph: MachineGraph): Map<string, string[]> {
  const cuts = new Map<string, string[]>();
  for (const loop of loopingStates(graph, graph.language, (from, to) => boundedTurn(graph, from, to)).loops) {
    const map = distributedAround(graph, loop);
    if (map === undefined) continue;
    const queue = [...loop];
    const seen = new Set(queue);
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i];
      const maps = cuts.get(n) ?? [];
      if (!maps.includes(map)) cuts.set(n, [...maps, map]);
      for (const m of [...graph.successors(n), ...graph.laterBranches(n)]) {
        if (seen.has(m) || isEnd(m) || !graph.enclosingOf(m).includes(map) || anotherChild(graph, map, n, m)) continue;
        seen.add(m);
        queue.push(m);
      }
    }
  }
  return cuts;
}

/** Whether the edge from `n` to `m` only starts another child execution of DISTRIBUTED Map `map`: its next item, or its Retry. */
function anotherChild(graph: MachineGraph, map: string, n: string, m: string): boolean {
  if (graph.restartOf(n, m) === map) return true;
  const ways = graph.waysOf(n, m);
  return ways.length > 0 && ways.every((way) => way.some((step) => step.kind === 'enter' && step.item?.map === map));
}

/**
 * A machine's graph with the history limit's cuts of DISTRIBUTED Maps' child executions in it:
 * `build` draws it without them, and again with those {@link childCutsOf} finds there. The cuts'
 * edges leave the iteration (to the Map's Catches, its next item, its exit or the run's failure),
 * so they add no loop inside one: the second drawing cuts the loops the first found.
 * @internal
 */
export function withChildCuts(build: (childCuts?: ReadonlyMap<string, readonly string[]>) => MachineGraph): MachineGraph {
  const plain = build();
  const cuts = childCutsOf(plain);
  return cuts.size === 0 ? plain : build(cuts);
}

/**
 * Whether the edge from `from` to `to` only starts another turn something else bounds: a
 * Parallel's or Map's Retry (its MaxAttempts), or a DISTRIBUTED Map's next item (each item is a
 * child execution with a history of its own; the Map Run adds a bounded number of events to the
 * run's). An INLINE Map's next item is no such turn: its iterations write to the run's history,
 * and an input of some thousands of items takes it past the limit (AWS: "use Distributed mode"
 * past 25,000 events), so unless the definition bounds its items (the counters then do), it is a
 * loop like any other.
 */
function boundedTurn(graph: MachineGraph, from: string, to: string): boolean {
  if (graph.restartOf(from, to) !== undefined) return true;
  const ways = graph.waysOf(from, to);
  return ways.length > 0 && ways.every((way) => way.some((step) => step.kind === 'enter' && step.item !== undefined && !step.item.first
    && isDistributedMap(graph.definitionOf(step.item.map) as MapState)));
}

/** The first state of `looping` a walk of the graph from `from` meets, never passing through `avoid`; undefined when it meets none. */
function firstMet(graph: MachineGraph, from: readonly string[], looping: ReadonlySet<string>, avoid: ReadonlySet<string>): string | undefined {
  const seen = new Set<string>(from.filter((n) => !avoid.has(n)));
  const queue = [...seen];
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i];
    if (looping.has(n)) return n;
    if (isEnd(n)) continue;
    for (const m of [...graph.successors(n), ...graph.laterBranches(n)]) {
      if (!seen.has(m) && !avoid.has(m)) {
        seen.add(m);
        queue.push(m);
      }
    }
  }
  return undefined;
}

/**
 * Why a run cut at the history limit may stop short: what the loop is, and the bound that would
 * cut it. `items`: it is an INLINE Map whose items nothing bounds, which a bound on the Map's items
 * (mapItems) cuts, not one on a loop's turns.
 * @internal
 */
export interface Cut {
  readonly reason: string;
  readonly items?: true;
}

function loopWords(graph: MachineGraph, state: string, why: string): { readonly words: string; readonly items?: true } {
  const limit = `the history limit (${AwsLimits.HISTORY_EVENTS.toLocaleString('en-US')} events), where AWS fails the run with ${StatesErrors.RUNTIME} wherever it is`;
  const map = graph.unboundedMapsAround(state).reverse().find((m) => !isDistributedMap(graph.definitionOf(m) as MapState));
  if (map !== undefined) {
    return {
      words: `${unboundedItemsWords(map, graph.definitionOf(map), graph.folderOf(map))}, or a DISTRIBUTED Map, whose items run as child executions with histories of their own: an INLINE Map's iterations write to the run's history, and a run given enough items reaches ${limit}`,
      items: true,
    };
  }
  return { words: `'${state}' sits on a loop no bound limits (${why}): a run can go round it until ${limit}` };
}

/**
 * Why a run cut at the history limit may enter `from` and then stop before any of `to`, or
 * undefined when none can: a loop that avoids `to` is reachable from `from` (the run goes round
 * it), or `from` is reachable from a loop (the run went round it first, and the limit falls just
 * after `from`). A loop met only through one of `to` cuts the run after it, which keeps the
 * property.
 * @internal
 */
export function leadsToCut(graph: MachineGraph, from: string, to: readonly string[]): Cut | undefined {
  const all = loops(graph);
  if (all.states.size === 0) return undefined;
  const targets = new Set(to);
  // A loop after `from` that a run can go round without entering `to`: the loops left once `to` is taken out.
  const without = runLoops(graph, (a, b) => boundedTurn(graph, a, b) || targets.has(a) || targets.has(b));
  const after = firstMet(graph, [from], without.states, targets);
  const targetsWords = to.map((t) => `'${t}'`).join(' or ');
  if (after !== undefined) {
    const loop = loopWords(graph, after, without.why);
    return { reason: `${loop.words}, so a run can stop after '${from}' before ${targetsWords}`, ...(loop.items ? { items: true } : {}) };
  }
  const before = [...all.states].find((n) => firstMet(graph, graph.successors(n), new Set([from]), new Set()) !== undefined);
  if (before !== undefined) {
    const loop = loopWords(graph, before, all.why);
    return { reason: `${loop.words}; '${from}' comes after it, so the limit can fall just after '${from}', before ${targetsWords}`, ...(loop.items ? { items: true } : {}) };
  }
  return undefined;
}

/** Whether a run can go round a loop no bound limits (a counter, the clock, a Map's items, the user's on a loop's turns) until the history limit. @internal */
export function cutByLoops(graph: MachineGraph): boolean {
  return loops(graph).states.size > 0;
}

/** Why a run cut at the history limit may end FAILED with States.Runtime: a loop no bound limits that a run can reach; undefined when there is none. @internal */
export function endsCut(graph: MachineGraph): Cut | undefined {
  const all = loops(graph);
  if (all.states.size === 0) return undefined;
  const met = firstMet(graph, [graph.start], all.states, new Set());
  if (met === undefined) return undefined;
  const loop = loopWords(graph, met, all.why);
  return { reason: loop.words, ...(loop.items ? { items: true } : {}) };
}

/**
 * What a counterexample's reason says of a run the history limit ended, or '' for any other run:
 * AWS fails the execution there with States.Runtime, wherever it is (Step Functions quotas,
 * "Maximum execution history size"), before any Retry or Catch; the state called most on the way
 * is named, with the Retry that kept calling it (a MaxAttempts large enough to reach the limit).
 * @internal
 */
export function historyLimitWords(run: Pick<ExecutionResult, 'status' | 'error' | 'cause'>, def: StateMachineDefinition, calls: ReadonlyMap<string, readonly unknown[]>): string {
  if (!reachedHistoryLimit(run)) return '';
  const limit = `the history limit: AWS fails an execution whose history reaches ${AwsLimits.HISTORY_EVENTS.toLocaleString('en-US')} events with ${StatesErrors.RUNTIME}, wherever it is, before any Retry or Catch (Step Functions quotas, "Maximum execution history size")`;
  let most: [string, number] | undefined;
  for (const [state, list] of calls) {
    const n = list.filter((o) => o !== undefined).length;
    if (most === undefined || n > most[1]) most = [state, n];
  }
  if (most === undefined || most[1] < 2) return `, ended at ${limit}`;
  // Only a MaxAttempts written out can reach the limit (the default is a few attempts).
  const retried = Math.max(0, ...(allStates(def).get(most[0])?.Retry ?? []).map((r) => r.MaxAttempts ?? 0));
  const retry = retried + 1 >= most[1] ? `, as its Retry (MaxAttempts ${retried.toLocaleString('en-US')}) lets it` : '';
  return `, ended at ${limit}: '${most[0]}' was called ${most[1].toLocaleString('en-US')} times${retry}`;
}
