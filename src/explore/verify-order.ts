import type { MachineGraph } from './verify-graph';

/*
 * The order of states through a Parallel or a Map, for `precedes` and `leadsTo`. The graph walks a
 * Parallel's branches one after another and a Map's iterations one after another, but AWS runs
 * them side by side: "the Parallel state causes AWS Step Functions to execute each branch ... as
 * concurrently as possible, and wait until all branches terminate ... before processing the
 * Parallel state's Next field"; "if any branch fails ... the entire Parallel state is considered
 * to have failed and all its branches are stopped" (docs/step-functions/latest/dg/state-parallel);
 * a Map runs its iterations concurrently unless its MaxConcurrency is 1, which runs one iteration
 * per item in the items' order, starting the next once the last has ended (state-map-inline). What AWS fixes, and these searches keep:
 * the states of one branch or iteration are entered in order; everything inside a Parallel or Map
 * is entered after it and before the state after it; a Parallel leaves normally only once every
 * branch has ended. What it does not fix, and these searches allow: a later branch may run before
 * an earlier one, another branch's states may all have been entered before a given one (or come
 * after it), and a branch or iteration that fails stops the others wherever they are.
 *
 * Each search looks for a way the property could break over a graph with those freedoms added,
 * and finds one whenever a run could break it (it may find ways no run takes: the property is
 * then not proved, never wrongly proved).
 */

/** A way the property could break, as the states on it and what about concurrency lets it through. */
export interface OrderWitness {
  readonly path: readonly string[];
  readonly notes: readonly string[];
}

interface Node {
  readonly state: string;
  /** Parallels (around `state`) whose branches the path did not all walk: they cannot leave normally (precedes), or whose other branches may have ended earlier (leadsTo). */
  readonly set: readonly string[];
  readonly parent: Node | undefined;
  readonly note: string | undefined;
}

const isEnd = (n: string): boolean => n.startsWith('#');

/** States the walk may visit before giving up: the graph times the Parallels of a path, kept small. */
const MAX_NODES = 50_000;

function keyOf(state: string, set: readonly string[]): string {
  return `${state}\u0000${set.join('\u0001')}`;
}

/** The members of `set` that still hold `state`: leaving a Parallel ends what the search knew of its run. */
function within(graph: MachineGraph, set: readonly string[], state: string): string[] {
  if (set.length === 0) return [];
  const around = graph.enclosingOf(state);
  return set.filter((p) => around.includes(p));
}

function witnessOf(end: Node): OrderWitness {
  const path: string[] = [];
  const notes: string[] = [];
  for (let at: Node | undefined = end; at; at = at.parent) {
    path.push(at.state);
    if (at.note !== undefined && !notes.includes(at.note)) notes.push(at.note);
  }
  return { path: path.reverse(), notes: notes.reverse() };
}

function search(
  roots: readonly Node[], goal: (n: string) => boolean, blocked: (n: string) => boolean,
  expand: (n: Node, push: (state: string, set: readonly string[], note?: string) => void) => void,
): OrderWitness | undefined | 'too large' {
  const seen = new Set<string>();
  const queue: Node[] = [];
  for (const r of roots) {
    if (seen.has(keyOf(r.state, r.set))) continue;
    seen.add(keyOf(r.state, r.set));
    queue.push(r);
  }
  for (let i = 0; i < queue.length; i++) {
    if (queue.length > MAX_NODES) return 'too large';
    const n = queue[i];
    if (goal(n.state)) return witnessOf(n);
    expand(n, (state, set, note) => {
      if (blocked(state)) return;
      const sorted = [...new Set(set)].sort();
      const k = keyOf(state, sorted);
      if (seen.has(k)) return;
      seen.add(k);
      queue.push({ state, set: sorted, parent: n, note });
    });
  }
  return undefined;
}

const aheadNote = (graph: MachineGraph, p: string, branch: string): string => {
  const starts = graph.laterBranches(p);
  return `branch ${starts.indexOf(branch) + 2} of Parallel '${p}' may run before the branches ahead of it: AWS runs a Parallel's branches side by side, in no fixed order`;
};

/**
 * A way `then` can be entered with `first` not entered before it; undefined when there is none,
 * so `first` precedes `then` on every run. Over the graph, with a jump from each Parallel into
 * each of its later branches (which may run first); a Parallel entered so cannot leave through its
 * Next until the search walked its branches in order, as every branch ends before a Parallel does.
 * A Parallel's or Map's Retry runs it afresh.
 * @internal
 */
export function precedesBreak(graph: MachineGraph, first: string, then: string): OrderWitness | undefined | 'too large' {
  if (graph.start === first) return undefined;
  const root: Node = { state: graph.start, set: [], parent: undefined, note: undefined };
  return search([root], (n) => n === then, (n) => n === first, (node, push) => {
    const { state: n, set: partial } = node;
    for (const m of graph.successors(n)) {
      const leftNormally = partial.some((p) => graph.enclosingOf(n).includes(p) && !graph.enclosingOf(m).includes(p)
        && graph.normalExits(p).has(m) && !graph.isFailure(n, m));
      if (!leftNormally) push(m, within(graph, partial, m));
      const restarted = graph.restartOf(n, m);
      if (restarted !== undefined) {
        const fresh = within(graph, partial, m).filter((p) => p !== restarted);
        push(m, fresh);
        for (const s of graph.laterBranches(restarted)) push(s, [...fresh, restarted], aheadNote(graph, restarted, s));
      }
    }
    for (const s of graph.laterBranches(n)) push(s, [...partial, n], aheadNote(graph, n, s));
  });
}

/**
 * A way a run can end after entering `from` without entering any of `to` after it; undefined when
 * there is none, so every entry of `from` leads to one of `to`. Over the graph, with: from the end
 * of a branch of a Parallel that was running when `from` was entered, its Next (the other branches
 * may have ended before `from`); and from every state inside a Parallel or a Map of concurrent
 * iterations, and from the Parallel or Map itself, every way an error raised in another branch or
 * iteration leaves it (that failure stops this branch wherever it is).
 * @internal
 */
export function leadsToBreak(graph: MachineGraph, from: string, to: readonly string[]): OrderWitness | undefined | 'too large' {
  const targets = new Set(to);
  const failureWays = new Map<string, string[]>();
  const failuresOf = (owner: string): string[] => {
    let known = failureWays.get(owner);
    if (known) return known;
    const out = new Set<string>();
    for (const [x] of graph.states()) {
      if (!graph.enclosingOf(x).includes(owner)) continue;
      for (const m of graph.successors(x)) {
        if ((graph.isFailure(x, m) && !graph.enclosingOf(m).includes(owner)) || graph.restartOf(x, m) === owner) out.add(m);
      }
    }
    failureWays.set(owner, known = [...out]);
    return known;
  };
  const open = graph.enclosingOf(from).filter((p) => graph.definitionOf(p)?.Type === 'Parallel' && graph.concurrent(p));
  // The root is `from` itself, entered (it is no end of the run): the search looks past it.
  const root: Node = { state: from, set: open, parent: undefined, note: undefined };
  return search([root], (n) => isEnd(n), (n) => targets.has(n), (node, push) => {
    const { state: n, set: running } = node;
    for (const m of graph.successors(n)) push(m, within(graph, running, m));
    if (graph.endsItsMachine(n)) {
      const around0 = graph.enclosingOf(n);
      const owner = around0[around0.length - 1];
      if (owner !== undefined && running.includes(owner)) {
        for (const e of graph.normalExits(owner)) {
          push(e, within(graph, running, e), `the other branches of Parallel '${owner}' may have ended before '${from}' was entered, so the Parallel goes on once its branch ends`);
        }
      }
    }
    const around = graph.concurrent(n) ? [...graph.enclosingOf(n), n] : graph.enclosingOf(n);
    for (const o of around) {
      if (!graph.concurrent(o)) continue;
      const kind = graph.definitionOf(o)?.Type === 'Map' ? `iteration of Map '${o}'` : `branch of Parallel '${o}'`;
      for (const t of failuresOf(o)) push(t, within(graph, running, t), `another ${kind} may fail first, which stops this one where it is`);
    }
  });
}

/** What about running side by side lets a path through, in words. */
export function concurrency(notes: readonly string[]): string {
  return notes.length === 0 ? '' : ` (${notes.join('; ')})`;
}

/** When `a` and `b` run in branches or iterations side by side, that AWS fixes no order between them; '' otherwise. @internal */
export function sideBySide(graph: MachineGraph, a: string, b: string): string {
  const outer = graph.enclosingOf(b);
  const common = graph.enclosingOf(a).filter((o) => outer.includes(o));
  for (const o of common.reverse()) {
    if (!graph.concurrent(o)) continue;
    if (graph.definitionOf(o)?.Type === 'Map') return `; '${a}' and '${b}' may run in different iterations of Map '${o}', which AWS runs side by side`;
    const ba = graph.branchIn(a, o);
    const bb = graph.branchIn(b, o);
    if (ba !== bb) return `; '${a}' and '${b}' run in different branches of Parallel '${o}', which AWS runs side by side in no fixed order`;
  }
  return '';
}

/** When the states a property names sit in branches or iterations that run side by side, that their order was taken as AWS leaves it. @internal */
export function concurrentAround(graph: MachineGraph, names: readonly string[]): string {
  const owners = new Set<string>();
  for (const n of names) for (const o of graph.enclosingOf(n)) if (graph.concurrent(o)) owners.add(o);
  if (owners.size === 0) return '';
  return `, with the branches and iterations of ${[...owners].map((o) => `'${o}'`).join(', ')} in any order AWS may run them, and a failure in one stopping the others`;
}
