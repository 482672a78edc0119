import { jsonataSource, type FlowRoots, type JsonataEnv } from './jsonata-flow';
import { hasDynamic, pathOf, selectingPath, startsWith } from './provenance-paths';
import { fixed, type Computed, type ComputedArg, type Source, type Step } from './sources';
import type { Visit } from './visits';
import type { JsonValue } from '../asl';
import { isIntrinsicCall } from '../asl/intrinsics/names';
import { parseIntrinsic, type CallNode } from '../asl/intrinsics/parser';
import { isJsonataExpression } from '../asl/jsonata/expression';

/*
 * The roots Provenance follows a value back to from where a field reads it: a `.$` path or an
 * intrinsic's path arguments (to the input, the Context Object or a variable), a payload
 * template (to the part that gives the value) and the Context Object itself. Each answers from
 * the roots it is given; Provenance (provenance.ts) gives them the run's visits.
 */

/** What a Map's ItemSelector sees of the item it selects from: `$$.Map.Item.Value` and `$$.Map.Item.Index`. */
export interface ItemContext {
  /** The item's index. */
  readonly index: number;
  /** The list of items, as the run had it, when explore can tell. */
  readonly list?: JsonValue[];
  /** The source of a value under the item. */
  value(steps: readonly Step[]): Source;
  /** The source of the list of items. */
  items(): Source;
  /** The source of `$$.Map.Item.Source`, for a Map that reads its items with an ItemReader. */
  source?(): Source;
}

/** The roots a JSONPath or JSONata field of a visit reads from. */
export interface Roots extends FlowRoots {
  /** For a JSONata field: the values its expressions were evaluated on. */
  env?: () => JsonataEnv;
}

/** The source of what a visit reads of the Context Object (`$$`): the execution input, a Map's item or its index, else fixed. */
export function contextSource(v: Visit, steps: readonly Step[], item: ItemContext | undefined): Source {
  if (steps[0] === 'Execution' && steps[1] === 'Input') return { kind: 'input', steps: steps.slice(2) };
  if (item && steps[0] === 'Map' && steps[1] === 'Item' && steps[2] === 'Value') return item.value(steps.slice(3));
  if (item?.source && steps[0] === 'Map' && steps[1] === 'Item' && steps[2] === 'Source' && steps.length === 3) return item.source();
  if (item && steps[0] === 'Map' && steps[1] === 'Item' && steps[2] === 'Index' && steps.length === 3) {
    // An item's index follows from how many items come before it: as many as explore gives the Map.
    const items = item.items();
    const reason = `the index of the item of Map '${v.name}' ($$.Map.Item.Index), which counts the items before it`;
    if (items.kind === 'fixed' && !items.computed) return fixed(reason);
    return { kind: 'fixed', deep: true, reason, computed: { fn: 'Map.index', args: [{ kind: 'source', source: items }], steps: [], params: { start: item.index, ...(item.list ? { value: item.list } : {}) } } };
  }
  // Above the execution input (or a Map item) the Context Object is fixed, but not all that is under it.
  const above = (path: readonly Step[]): boolean => steps.length < path.length && startsWith(path, steps);
  const deep = !above(['Execution', 'Input']) && !(item && above(['Map', 'Item', 'Value']));
  return fixed(`the Context Object ($$${steps.length ? '.' : ''}${steps.join('.')}) of state '${v.name}'`, deep);
}

/** A `.$` path (or intrinsic) in a template or field, and steps under what it names. */
export function viaPath(expression: unknown, steps: readonly Step[], roots: Roots, where: string): Source {
  if (typeof expression !== 'string') return fixed(`${where} is not a path`);
  if (isIntrinsicCall(expression)) {
    const name = /^States\.[A-Za-z0-9]+/.exec(expression)?.[0] ?? 'an intrinsic function';
    const computed = intrinsicCall(expression, steps, roots);
    return { kind: 'fixed', deep: true, reason: `${where} computes it with ${name}`, ...(computed ? { computed } : {}) };
  }
  const path = pathOf(expression);
  if (path && !path.definite) {
    const selecting = selectingPath(expression, steps, where, (base, under) => viaPath(base, under, roots, where));
    if (selecting) return selecting;
  }
  if (!path || !path.definite || !path.steps) return fixed(`${where} reads it with the path ${expression}, which is not a plain path`);
  const all = [...path.steps, ...steps];
  switch (path.root.kind) {
    case 'input': return roots.input(all);
    case 'context': return roots.context(all);
    case 'variable': return roots.variable(path.root.name, all);
  }
}

/** An intrinsic call taken apart, each path argument followed back to where it comes from. */
function intrinsicCall(expression: string, steps: readonly Step[], roots: Roots): Computed | undefined {
  let tree: CallNode;
  try {
    tree = parseIntrinsic(expression);
  } catch {
    return undefined;
  }
  const convert = (node: CallNode, under: readonly Step[]): Computed => ({
    fn: node.name,
    steps: under,
    args: node.args.map((a): ComputedArg => {
      if (a.kind === 'literal') return { kind: 'literal', value: a.value };
      if (a.kind === 'call') return { kind: 'call', computed: convert(a, []) };
      return { kind: 'source', source: viaPath(a.source, [], roots, `the argument ${a.source} of ${node.name}`) };
    }),
  });
  return convert(tree, steps);
}

/**
 * Follows `steps` down a payload template to what gives the value there: a constant, a part the
 * template builds, or what it takes the value from (a JSONPath template's `field.$` path, a
 * JSONata template's `{% %}` expression).
 */
export function walkTemplate(
  tpl: JsonValue | undefined, steps: readonly Step[], roots: Roots, where: string, jsonata: boolean, onGuess: () => void,
): Source {
  let node: JsonValue | undefined = tpl;
  for (let i = 0; ; i++) {
    if (jsonata && typeof node === 'string' && isJsonataExpression(node)) {
      return jsonataSource(node.trim().slice(2, -2), steps.slice(i), roots, roots.env ?? (() => ({ variables: {} })), where, onGuess);
    }
    if (node === null || typeof node !== 'object') return fixed(`${where} writes a constant there`);
    if (i === steps.length) return fixed(`${where} builds it`, !hasDynamic(node, jsonata));
    const step = steps[i];
    if (Array.isArray(node)) {
      if (typeof step !== 'number' || step < 0 || step >= node.length) return fixed(`${where} writes nothing there`);
      node = node[step];
      continue;
    }
    if (typeof step !== 'string') return fixed(jsonata ? `${where} writes no field '${step}'` : `${where} writes an object there, not an array`);
    if (!jsonata && Object.hasOwn(node, `${step}.$`)) return viaPath(node[`${step}.$`], steps.slice(i + 1), roots, `${where} (field '${step}.$')`);
    if (!Object.hasOwn(node, step)) return fixed(`${where} writes no field '${step}'`);
    node = node[step];
  }
}
