/*
 * The work of a JSONPath with recursive descents (`..`), bounded before jsonpath-plus starts it.
 * Each `..` walks the whole of every value the steps before it found, so k descents over a
 * value of N nodes nested D deep visit up to N·D^(k-1) nodes, each carrying its path of up to
 * D names: `$..x..x..x..a` over a value nested 995 deep ran for minutes and filled hundreds of
 * MiB, where `$..x..a` over the same value takes about 12 s. A path inside a filter charges the
 * same bound as the path holding it, once for each item it is read on.
 */
import type { JsonValue } from './definition-types';

/**
 * The most work one path may take, in nodes visited times the length of their paths: two
 * billion, about 25 s of jsonpath-plus's work. Stepwright's bound, not AWS's (Jayway's walk is
 * not measured): two descents over the deepest value AWS accepts (1,000 levels) pass, three do not.
 * @internal
 */
export const PATH_WORK_LIMIT = 2_000_000_000;

/** What is left of the bound of the outermost path being read, while one is. */
let left: number | undefined;

/**
 * Runs `read`, the walk of a path with `descents` recursive descents over `json`, after charging
 * its work to the bound; throws a RangeError naming the work when it would pass the bound.
 * @internal
 */
export function withinPathWork<T>(descents: number, json: JsonValue, read: () => T): T {
  const outer = left;
  if (descents === 0 && outer === undefined) return read();
  const budget = outer ?? PATH_WORK_LIMIT;
  const { nodes, depth } = shapeOf(json);
  const work = descents === 0 ? nodes : nodes * (depth + 1) ** (descents - 1) * (depth + 1);
  if (work > budget) {
    throw new RangeError(`its ${descents} recursive descent${descents === 1 ? '' : 's'} (..) over a value of ${nodes.toLocaleString('en-US')} nodes`
      + ` nested ${depth} deep would take about ${work.toExponential(1)} steps${outer === undefined ? '' : ' with the paths read before it'},`
      + ` more than stepwright's bound of ${PATH_WORK_LIMIT.toLocaleString('en-US')}: use fewer descents or name the steps between them`);
  }
  left = budget - work;
  try {
    return read();
  } finally {
    // The outermost path frees the bound; a path inside it leaves what it used charged.
    if (outer === undefined) left = undefined;
  }
}

/** How many `..` a path's text holds (its filters stand as placeholders, so theirs are not counted). */
export function descentsIn(walked: string): number {
  return walked.split('..').length - 1;
}

/** The nodes of a JSON value and its depth, walked without recursion. */
function shapeOf(json: JsonValue): { nodes: number; depth: number } {
  let nodes = 0;
  let depth = 0;
  const stack: Array<[JsonValue, number]> = [[json, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, level] = next;
    nodes++;
    if (level > depth) depth = level;
    if (value !== null && typeof value === 'object') {
      for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, level + 1]);
    }
  }
  return { nodes, depth };
}
