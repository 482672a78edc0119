import type { PathProperty } from './properties';
import { entriesBound, lengthBound } from './verify-counters';
import { endsCut, leadsToCut, type Cut } from './verify-cut';
import { endStatus, isEnd, type MachineGraph } from './verify-graph';
import { folderWords, itemsSource, unboundedItemsWords } from './verify-items';
import { LOOP_UNBOUNDED, longestPath } from './verify-longest';
import { concurrency, concurrentAround, leadsToBreak, precedesBreak, sideBySide } from './verify-order';
import { StatesErrors } from '../asl/states-errors';

/*
 * Proving a path property over every path of a machine's graph (verify-graph builds the graph):
 * a state never entered, one entered at most n times, one that leads to or precedes another, the
 * ends a run may reach and the states a run may enter. The graph's side: every way a run moves;
 * this side: what each property asks of those ways, and in words the path that stands in the way.
 */

const show = (path: readonly string[]): string => {
  const names = path.map((n) => (isEnd(n) ? describeEnd(n) : n));
  return names.length > 12 ? [...names.slice(0, 5), '…', ...names.slice(-6)].join(' -> ') : names.join(' -> ');
};

function describeEnd(n: string): string {
  const e = endStatus(n);
  return e.status === 'FAILED' ? `(fails with ${e.error ?? 'an error nothing catches'})` : `(${e.status})`;
}

/**
 * The graph's verdict on a path property: proved over every path, or the path that stands in the
 * way. `anyTurns`: the proof needs no bound on a loop's turns (a state no path enters, one on no
 * loop, a state every path to another passes through first), so it holds on a path however long
 * its loops run, one cut anywhere (at the history limit) too. @internal
 */
export type GraphVerdict =
  | { readonly proved: true; readonly reason: string; readonly anyTurns?: true }
  /**
   * `path`: the path of the graph that breaks it, no run having taken it; `asks`: what to give,
   * where no one path stands in the way (a loop's turns, a Map's items, the history limit).
   */
  | {
    readonly proved: false;
    readonly reason: string;
    readonly path?: readonly string[];
    readonly asks?: string;
    /** A Map whose items nothing bounds keeps it from a proof: a bound on them (mapItems) may earn one. */
    readonly items?: true;
    /** A loop no bound of the definition limits keeps it from a proof: a bound on its turns (loopTurns) may earn one. */
    readonly turns?: true;
  };

/** What an UNKNOWN asks for where a loop's turns keep it from a proof. */
const LOOP_ASKS = 'Give a bound on the loop\'s turns (loopTurns, --max-loop-turns), or an input or mocks that take it round more often, to check it';
/** What an UNKNOWN asks for where a Map's items keep it from a proof. */
const ITEMS_ASKS = 'Give a bound on the Map\'s items (mapItems, --max-map-items), or an input or mocks with more items, to check it';

/** The verdict where the history limit may cut a run short: the bound that would prevent it is asked for, a Map's items or a loop's turns. */
function cutVerdict(cut: Cut): GraphVerdict {
  return cut.items
    ? { proved: false, reason: cut.reason, asks: ITEMS_ASKS, items: true }
    : { proved: false, reason: cut.reason, asks: LOOP_ASKS, turns: true };
}

/** Proves a path property on every path of the graph, or says which path keeps it from being proved. @internal */
export function proveOnGraph(graph: MachineGraph, p: PathProperty): GraphVerdict {
  const names = p.kind === 'never' || p.kind === 'atMost' ? [p.state]
    : p.kind === 'leadsTo' ? [p.from, ...p.to]
      : p.kind === 'precedes' ? [p.first, p.then] : [];
  const reach = graph.reachable();
  switch (p.kind) {
    case 'never': {
      if (!reach.has(p.state)) return { proved: true, anyTurns: true, reason: `no path of the machine's graph enters '${p.state}' once explore's proofs close what no input reaches` };
      const path = graph.pathTo([graph.start], (n) => n === p.state)!;
      return { proved: false, reason: `a path of the graph enters it (${show(path)}), and no run explore made took it`, path };
    }
    case 'atMost': {
      if (!reach.has(p.state) || p.times === 0) return proveOnGraph(graph, { kind: 'never', state: p.state });
      // Counted over the whole run, as the run's path counts it: every branch of a Parallel and
      // every iteration of a Map, with the ways the branches and iterations running side by side add.
      const extra = graph.countingWays();
      const loop = graph.pathTo([...graph.successors(p.state), ...(extra.get(p.state)?.keys() ?? [])], (n) => n === p.state, new Set(), extra);
      if (loop) {
        // A loop that counts its turns in a variable, or a Map's bounded items, may still bound the entries.
        const counted = entriesBound(graph, graph.language, p.state);
        if (counted.bounded && counted.count <= p.times) return { proved: true, reason: `'${p.state}' sits on a loop (${show([p.state, ...loop])}), and ${counted.how}` };
        if (counted.bounded) return { proved: false, reason: `it sits on a loop (${show([p.state, ...loop])}) and ${counted.how}; no run explore made did`, asks: LOOP_ASKS };
        const maps = graph.unboundedMapsAround(p.state);
        if (maps.length > 0) {
          const m = maps[maps.length - 1];
          return {
            proved: false,
            reason: `'${p.state}' runs once per item of Map '${m}' (the run's path counts every iteration), and nothing in the definition bounds its items: it reads them from the run's data (${itemsSource(graph.definitionOf(m))}), so a run given more items enters '${p.state}' more often. An Items array written in the definition, or an ItemReader's ReaderConfig.MaxItems, bounds them${folderWords(graph.folderOf(m))}; no run explore made entered it more than ${p.times} time${p.times === 1 ? '' : 's'}`,
            asks: ITEMS_ASKS,
            items: true,
          };
        }
        return { proved: false, reason: `it sits on a loop (${show([p.state, ...loop])}): no bound on its entries was proved (${counted.why})`, asks: LOOP_ASKS, turns: true };
      }
      return { proved: true, anyTurns: true, reason: `no path of the graph enters '${p.state}' twice: it is on no loop${concurrentAround(graph, names)}` };
    }
    case 'leadsTo': {
      if (!reach.has(p.from)) return { proved: true, reason: `no path enters '${p.from}'` };
      const escape = leadsToBreak(graph, p.from, p.to);
      if (escape === 'too large') return { proved: false, reason: TOO_LARGE };
      if (escape) {
        const sides = p.to.map((t) => sideBySide(graph, p.from, t)).find((x) => x !== '') ?? '';
        return { proved: false, reason: `a path of the graph ends without them: ${show(escape.path)}${graph.dataErrorNote(escape.path)}${concurrency(escape.notes)}${sides}; no run explore made took it`, path: escape.path };
      }
      const cut = leadsToCut(graph, p.from, p.to);
      if (cut !== undefined) return cutVerdict(cut);
      return { proved: true, reason: `every path of the graph from '${p.from}' to an end of the run (every Catch, every error nothing catches${concurrentAround(graph, names)}) passes through ${p.to.map((t) => `'${t}'`).join(' or ')}` };
    }
    case 'precedes': {
      if (!reach.has(p.then)) return { proved: true, anyTurns: true, reason: `no path enters '${p.then}'` };
      const around = precedesBreak(graph, p.first, p.then);
      if (around === 'too large') return { proved: false, reason: TOO_LARGE };
      if (around) {
        return { proved: false, reason: `a path of the graph reaches '${p.then}' without '${p.first}': ${show(around.path)}${concurrency(around.notes)}${sideBySide(graph, p.first, p.then)}; no run explore made took it`, path: around.path };
      }
      return { proved: true, anyTurns: true, reason: `every path of the graph to '${p.then}' passes through '${p.first}' before it${concurrentAround(graph, names)}` };
    }
    case 'endsWith': {
      const ends = [...reach].filter(isEnd);
      const bad = ends.find((n) => {
        const e = endStatus(n);
        if (p.statuses && !p.statuses.includes(e.status)) return true;
        if (p.errors && e.status === 'FAILED') return e.error === undefined || !p.errors.includes(e.error);
        return false;
      });
      if (bad) {
        const path = graph.pathTo([graph.start], (n) => n === bad)!;
        return { proved: false, reason: `a path of the graph ends ${describeEnd(bad)}: ${show(path)}${graph.dataErrorNote(path)}; no run explore made took it`, path };
      }
      // A run the history limit cuts ends FAILED with States.Runtime.
      const cutAllowed = (!p.statuses || p.statuses.includes('FAILED')) && (!p.errors || p.errors.includes(StatesErrors.RUNTIME));
      const cut = cutAllowed ? undefined : endsCut(graph);
      if (cut !== undefined) return cutVerdict(cut);
      return { proved: true, reason: `every end of the graph's paths is allowed: ${ends.map(describeEnd).join(', ')}` };
    }
    case 'maxTransitions': {
      const longest = longestPath(graph, reach);
      const how = 'the graph has no loop and its longest path enters';
      if (typeof longest === 'string' && longest.endsWith(LOOP_UNBOUNDED)) {
        // A loop that counts its turns in a variable may still bound the path.
        const counted = lengthBound(graph, graph.language);
        const maps = [...reach].filter((n) => !isEnd(n) && graph.definitionOf(n)?.Type === 'Map' && graph.itemBound(n) === undefined);
        if (!counted.bounded && maps.length > 0) {
          const others = maps.length > 1 ? ` (and so do Maps ${maps.slice(1, 4).map((m) => `'${m}'`).join(', ')}${maps.length > 4 ? ', …' : ''})` : '';
          return { proved: false, reason: `${unboundedItemsWords(maps[0], graph.definitionOf(maps[0]), graph.folderOf(maps[0]))}${others}; no run explore made, nor one given more of their items, entered more than ${p.limit} states`, asks: ITEMS_ASKS, items: true };
        }
        if (!counted.bounded) return { proved: false, reason: `${longest} (${counted.why})`, asks: LOOP_ASKS, turns: true };
        if (counted.count > p.limit) return { proved: false, reason: `${counted.how}; no run explore made did`, asks: LOOP_ASKS };
        return { proved: true, reason: counted.how };
      }
      if (typeof longest === 'string') return { proved: false, reason: longest };
      if (longest > p.limit) return { proved: false, reason: `the graph's longest path enters ${longest} states; no run explore made did` };
      return { proved: true, reason: `${how} ${longest} states` };
    }
    case 'maxSeconds':
      return { proved: false, reason: 'verify bounds a run\'s virtual seconds with secondsBound, not on this graph' };
  }
}

const TOO_LARGE = 'the Parallels of the machine give too many orders of their branches to search';
