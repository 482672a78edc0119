import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/** A state as it renders, the fields read here. */
interface StateJson {
  readonly Type?: string;
  readonly Next?: string;
  readonly Default?: string;
  readonly Choices?: ReadonlyArray<{ readonly Next?: string }>;
  readonly Catch?: ReadonlyArray<{ readonly Next?: string }>;
  readonly Output?: unknown;
  readonly OutputPath?: string | null;
  readonly ResultPath?: string | null;
  readonly Parameters?: unknown;
  readonly Result?: unknown;
  readonly ResultSelector?: unknown;
}

/** What is read of the graph a state was bound into: its first state, and the graph it is a branch or processor of. */
export interface GraphLinks {
  readonly startState?: sfn.State;
  readonly superGraph?: GraphLinks;
}

/**
 * The graph `state` was bound into, once a chain or machine bound it. aws-cdk-lib keeps it in a
 * private field of sfn.State (`containingGraph`, an sfn.StateGraph: its public `startState` and
 * its private `superGraph` are read here) and offers no accessor, so this is the one place that
 * reads it; every caller treats each link as possibly absent, as it is before binding.
 * @internal
 */
export function containingGraphOf(state: sfn.State): GraphLinks | undefined {
  // eslint-disable-next-line no-restricted-syntax -- containingGraph is private in aws-cdk-lib, which offers no accessor
  return (state as unknown as { containingGraph?: GraphLinks }).containingGraph;
}

/**
 * The state before `start` in its graph that sets the top-level field `key`
 * of the data reaching `start`, if one does: walking back from `start`
 * through the states that hand their input's fields on (a Choice, a Wait, a
 * Pass without a result of its own, a state whose ResultPath keeps the input,
 * a JSONata Output that merges `$states.input`), to the first that sets `key`
 * (a ResultPath `$.key…`, a JSONata Output object or expression with the key,
 * a Pass's Parameters or Result, a ResultSelector). States for which `skip`
 * is true are not looked at or through.
 * @internal
 */
export function stateSettingField(start: sfn.State, key: string, skip: (state: sfn.State) => boolean): string | undefined {
  const graph = containingGraphOf(start);
  if (graph?.startState === undefined) return undefined;
  const states = sfn.State.findReachableStates(graph.startState, { includeErrorHandlers: true });
  const rendered = new Map<string, { state: sfn.State; json: StateJson }>();
  for (const state of states) {
    try {
      rendered.set(state.stateId, { state, json: state.toStateJson() as StateJson });
    } catch {
      // A state that cannot render here is left out of the walk.
    }
  }
  const before = new Map<string, string[]>();
  for (const [id, { json }] of rendered) {
    for (const next of [json.Next, json.Default, ...(json.Choices ?? []).map((c) => c.Next), ...(json.Catch ?? []).map((c) => c.Next)]) {
      if (typeof next !== 'string') continue;
      const list = before.get(next) ?? [];
      list.push(id);
      before.set(next, list);
    }
  }
  const seen = new Set<string>([start.stateId]);
  const queue = [...(before.get(start.stateId) ?? [])];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const entry = rendered.get(id);
    if (!entry || skip(entry.state)) continue;
    if (setsField(entry.json, key)) return id;
    if (handsInputOn(entry.json)) queue.push(...(before.get(id) ?? []));
  }
  return undefined;
}

function hasKey(value: unknown, key: string): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && (Object.hasOwn(value, key) || Object.hasOwn(value, `${key}.$`));
}

/** True when the state's output has the top-level field `key` it sets itself. */
function setsField(j: StateJson, key: string): boolean {
  if (typeof j.Output === 'string') return new RegExp(`["']${key}["']\\s*:`).test(j.Output);
  if (j.Output !== undefined) return hasKey(j.Output, key);
  if (typeof j.ResultPath === 'string' && (j.ResultPath === `$.${key}` || j.ResultPath.startsWith(`$.${key}.`) || j.ResultPath.startsWith(`$.${key}[`))) return true;
  if (j.ResultPath !== undefined && j.ResultPath !== '$') return false;
  return j.Type === 'Pass' ? hasKey(j.Parameters ?? j.Result, key) : hasKey(j.ResultSelector, key);
}

/** True when the state's output keeps its input's fields. */
function handsInputOn(j: StateJson): boolean {
  if (j.OutputPath !== undefined && j.OutputPath !== '$') return false;
  if (j.Output !== undefined) return typeof j.Output === 'string' && j.Output.includes('$states.input');
  if (j.Type === 'Choice' || j.Type === 'Wait') return true;
  if (j.ResultPath === null || (typeof j.ResultPath === 'string' && j.ResultPath !== '$')) return true;
  return j.Type === 'Pass' && j.Parameters === undefined && j.Result === undefined;
}
