import type { DiagramGraph } from './graph';
import type { MapState } from '../asl/definition-types';
import { ownValue } from '../asl/own';
import { isDistributedMap } from '../asl/state-tree';

/**
 * Without event links, consecutive states of the path are a transition only
 * when the definition has it (Parallel branches interleave in the path).
 * @internal
 */
export function addPathTransitions(path: readonly string[], edgeKeys: ReadonlySet<string>, into: Record<string, number>): void {
  for (let i = 1; i < path.length; i++) {
    const key = `${path[i - 1]} -> ${path[i]}`;
    if (edgeKeys.has(key)) into[key] = (ownValue(into, key) ?? 0) + 1;
  }
}

/**
 * Adds the visits of the states inside DISTRIBUTED Maps that a run's path names and its history
 * does not hold: AWS records each child execution in a history of its own, not in the parent's,
 * so only a run that gives its path too (a harness run, `stepwright run --json`) can tell them.
 * States the history did record (children recorded into the parent's history) are left as read.
 * @internal
 */
export function addChildVisits(
  graph: DiagramGraph, path: readonly unknown[] | undefined, edgeKeys: ReadonlySet<string>,
  states: Record<string, number>, transitions: Record<string, number>,
): void {
  if (path === undefined) return;
  const inside = new Set<string>();
  for (const s of graph.states.values()) if (!ownValue(states, s.name) && inDistributedMap(graph, s.scope)) inside.add(s.name);
  if (inside.size === 0) return;
  const visited = path.filter((n): n is string => typeof n === 'string' && inside.has(n));
  for (const name of visited) states[name] = (ownValue(states, name) ?? 0) + 1;
  addPathTransitions(visited, edgeKeys, transitions);
}

/** Whether a scope lies (at any depth) in the item processor of a DISTRIBUTED Map. */
function inDistributedMap(graph: DiagramGraph, scope: string | undefined): boolean {
  // Each step goes out one scope: at most as many steps as there are scopes.
  for (let at = scope, steps = 0; at !== undefined && steps <= graph.scopes.size; steps++) {
    const owner = graph.states.get(graph.scopes.get(at)?.owner ?? '');
    if (owner === undefined) return false;
    if (owner.type === 'Map' && isDistributedMap(owner.definition as MapState)) return true;
    at = owner.scope;
  }
  return false;
}
