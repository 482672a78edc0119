import { components } from './graph-components';
import { isEnd, type MachineGraph } from './verify-graph';

/*
 * The heads of the loops the user's bound on a loop's turns counts (`loopTurns`,
 * `--max-loop-turns`): verify-counters unrolls the graph over how often a run enters each.
 */

/** A node of a graph: its state, and the nodes it goes to next. */
export interface TurnNode {
  readonly state: string;
  readonly next: readonly number[];
}

/** The graph's states as nodes, each with the states it goes to next. @internal */
export function plainNodes(graph: MachineGraph): TurnNode[] {
  const names = [...graph.states().keys()].filter((n) => graph.keeps(n));
  const index = new Map(names.map((n, i) => [n, i]));
  return names.map((n) => ({ state: n, next: graph.successors(n).filter((m) => index.has(m)).map((m) => index.get(m)!) }));
}

/**
 * The states the loops left in `nodes` (a graph unrolled over its counters, or the plain graph)
 * go back to: the targets of the back edges of a depth-first walk of their states from the
 * machine's start, so every loop that is left passes through one, and a loop is headed where a run
 * first meets it (outside a branch or iteration it holds, not inside, where each new run of it
 * would count afresh).
 * @internal
 */
export function loopHeads(graph: MachineGraph, nodes: readonly TurnNode[]): string[] {
  const looping = new Set<string>();
  for (const c of components(nodes)) {
    if (c.length > 1 || nodes[c[0]].next.includes(c[0])) for (const n of c) if (!isEnd(nodes[n].state)) looping.add(nodes[n].state);
  }
  if (looping.size === 0) return [];
  const heads = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const onward = (n: string): string[] => graph.successors(n).filter((m) => looping.has(m));
  // Iterative, so a long chain of states cannot overflow the stack.
  const walk = (from: string): void => {
    const stack: Array<{ readonly n: string; readonly next: readonly string[]; i: number }> = [{ n: from, next: onward(from), i: 0 }];
    state.set(from, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i >= top.next.length) {
        state.set(top.n, 'done');
        stack.pop();
        continue;
      }
      const m = top.next[top.i++];
      const seen = state.get(m);
      if (seen === 'open') {
        heads.add(m);
      } else if (seen === undefined) {
        state.set(m, 'open');
        stack.push({ n: m, next: onward(m), i: 0 });
      }
    }
  };
  // From the start first, in the order a run meets the states, then any left.
  const order: string[] = [];
  const seen = new Set([graph.start]);
  for (let queue = [graph.start], i = 0; i < queue.length; i++) {
    order.push(queue[i]);
    for (const m of graph.successors(queue[i])) {
      if (seen.has(m) || isEnd(m)) continue;
      seen.add(m);
      queue.push(m);
    }
  }
  for (const n of [...order, ...looping]) if (looping.has(n) && !state.has(n)) walk(n);
  return [...heads].sort();
}
