import type { MachineGraph } from './verify-graph';

/*
 * The longest path of a machine's graph without loops, for maxTransitions: the branches of a
 * Parallel counted side by side, a failed branch's later ones included (verify-graph's
 * failureAfterBranches and failingParallels). A loop, or a Map whose items it cannot count,
 * leaves it unbounded, and the proof turns to the counters (verify-counters).
 */

/** The end of the reason a path has no bound here: the counters may still bound it. @internal */
export const LOOP_UNBOUNDED = ': the states a run enters have no bound verify can prove';

const isEnd = (n: string): boolean => n.startsWith('#');

/** The most states a path of an acyclic graph enters, or why it has no bound. @internal */
export function longestPath(graph: MachineGraph, reach: ReadonlySet<string>): number | string {
  for (const n of reach) {
    if (isEnd(n)) continue;
    if (graph.definitionOf(n)?.Type === 'Map') return `Map '${n}' runs once per item: the states a run enters have no bound verify can prove`;
  }
  const memo = new Map<string, number>();
  const onStack = new Set<string>();
  const concurrent = graph.failureAfterBranches();
  const parallels = graph.failingParallels();
  let cycle: string | undefined;
  /** `failing`: the Parallels around `n` one of whose branches failed on the way, which the path leaves only as an error does. */
  const visit = (n: string, failing: readonly string[]): number => {
    if (isEnd(n)) return 0;
    const key = failing.length === 0 ? n : `${n}\n${failing.join('\n')}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (onStack.has(key)) { cycle ??= n; return 0; }
    onStack.add(key);
    let best = 0;
    // Out of a Parallel by a failure after its last branch only where one of its branches failed
    // on the way: a path whose branches all ended has no failure to leave by.
    const next = [...graph.successors(n), ...failing.flatMap((p) => concurrent.get(p)?.get(n) ?? [])];
    for (const m of next) {
      if (failing.some((p) => !parallels.get(p)!.inside.has(m) && !parallels.get(p)!.failures.has(m))) continue;
      best = Math.max(best, visit(m, failing.filter((p) => parallels.get(p)!.inside.has(m))));
    }
    // Where `n` fails its branch of a Parallel, the next branch still runs: AWS started it at once.
    for (const p of graph.enclosingOf(n)) {
      const par = parallels.get(p);
      const later = par?.starts[(graph.branchIn(n, p) ?? Infinity) + 1];
      if (par === undefined || later === undefined || !graph.keeps(later) || !next.some((m) => par.failures.has(m))) continue;
      const still = failing.filter((q) => parallels.get(q)!.inside.has(later));
      best = Math.max(best, visit(later, still.includes(p) ? still : [...still, p]));
    }
    onStack.delete(key);
    memo.set(key, best + 1);
    return best + 1;
  };
  const longest = visit(graph.start, []);
  return cycle !== undefined ? `'${cycle}' sits on a loop${LOOP_UNBOUNDED}` : longest;
}
