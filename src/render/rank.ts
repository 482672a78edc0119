import type { graphlib } from '@dagrejs/dagre';
import { RenderError } from './render-error';

/**
 * dagre's own steps that walk the graph do it by recursion, one stack frame
 * per state along the longest path: its depth-first cycle breaking, its
 * longest-path ranking and the tree walks of its network simplex. A linear
 * machine of a few thousand states exhausts the stack there. The two steps
 * are done here instead, with explicit stacks, and handed to dagre: cycles are
 * broken before dagre sees the graph ({@link breakCycles}), and ranks come
 * from {@link rankNetworkSimplex}, passed as dagre's `ranker`. The rest of
 * dagre's pipeline loops over ranks or nests only as deep as clusters (none
 * here: each scope is laid out flat).
 */

type Graph = graphlib.Graph<unknown, { rank?: number }, { minlen?: number; weight?: number; nestingEdge?: boolean }>;

/** An edge of a graphlib graph: its ends and its name in a multigraph. @internal */
export interface GraphEdge {
  readonly v: string;
  readonly w: string;
  readonly name?: string;
}

/**
 * The edges that close a cycle, found as dagre's default cycle breaking
 * finds them (a depth-first walk from each source, then from every node,
 * in insertion order; an edge back to a node on the walk's path closes a
 * cycle), but with an explicit stack. Self-loops are left alone: dagre
 * routes them apart.
 * @internal
 */
export function feedbackEdges(g: graphlib.Graph): GraphEdge[] {
  const found: GraphEdge[] = [];
  const visited = new Set<string>();
  const onPath = new Set<string>();
  const walk = (root: string): void => {
    if (visited.has(root)) return;
    const stack: Array<{ v: string; out: GraphEdge[]; next: number }> = [];
    const enter = (v: string): void => {
      visited.add(v);
      onPath.add(v);
      stack.push({ v, out: g.outEdges(v) ?? [], next: 0 });
    };
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next === top.out.length) {
        onPath.delete(top.v);
        stack.pop();
        continue;
      }
      const e = top.out[top.next++];
      if (e.w === e.v) continue;
      if (onPath.has(e.w)) found.push(e);
      else if (!visited.has(e.w)) enter(e.w);
    }
  };
  // dagre takes self-loops out before it breaks cycles: a node whose only incoming edge is a self-loop is a source there.
  g.nodes().filter((v) => (g.inEdges(v) ?? []).every((e) => e.v === v)).forEach(walk);
  g.nodes().forEach(walk);
  return found;
}

/**
 * Reverses the edges that close cycles, so that dagre gets a graph without
 * any (its own cycle breaking then finds nothing to do). Returns the names
 * of the reversed edges: their routes run backwards and must be turned round.
 * Every edge must have a name (a multigraph's key).
 * @internal
 */
export function breakCycles(g: graphlib.Graph): Set<string> {
  const reversed = new Set<string>();
  for (const e of feedbackEdges(g)) {
    const label: unknown = g.edge(e);
    g.removeEdge(e);
    g.setEdge(e.w, e.v, label, e.name);
    reversed.add(e.name!);
  }
  return reversed;
}

/**
 * Most dummy nodes dagre may add for edges that span several ranks (one per
 * rank an edge passes). Their cost grows faster than their count: 40,000
 * take about 7 s and 330 MB, 90,000 about 15 s and 870 MB, 200,000 about
 * 45 s and 2 GB. A machine where a couple of hundred states catch into one
 * handler drawn below them all gets there long before its state count is
 * large; a chain of 5,000 states needs 5,000.
 * @internal
 */
export const MAX_DUMMY_NODES = 50_000;

/**
 * Ranks the nodes of an acyclic graph by the network simplex method
 * (Gansner et al., "A Technique for Drawing Directed Graphs", 1993):
 * every edge at least `minlen` ranks long, the sum of `weight × length`
 * as small as it can be — the ranking dagre's default ranker gives, found
 * with explicit stacks and arrays instead of recursion. Sets `rank` on each
 * node. Throws a {@link RenderError} when the ranked graph would need more
 * than {@link MAX_DUMMY_NODES} dummy nodes.
 * @internal
 */
export function rankNetworkSimplex(g: Graph): void {
  const ids = g.nodes();
  const n = ids.length;
  if (n === 0) return;
  const index = new Map<string, number>();
  ids.forEach((v, i) => index.set(v, i));
  const edges = g.edges();
  const m = edges.length;
  const tail = new Int32Array(m);
  const head = new Int32Array(m);
  const minlen = new Float64Array(m);
  const weight = new Float64Array(m);
  edges.forEach((e, k) => {
    const label = g.edge(e) ?? {};
    tail[k] = index.get(e.v)!;
    head[k] = index.get(e.w)!;
    minlen[k] = label.minlen ?? 1;
    weight[k] = label.weight ?? 1;
  });
  const rank = networkSimplex(n, { tail, head, minlen, weight });
  // The edges of dagre's nesting root (its stand-in parent of every node) go before any dummy is added.
  const root = (g.graph() as { nestingRoot?: string } | undefined)?.nestingRoot;
  let dummies = 0;
  edges.forEach((e, k) => {
    if (e.v !== root && !g.edge(e)?.nestingEdge) dummies += Math.max(rank[head[k]] - rank[tail[k]] - 1, 0);
  });
  refuseDummies(dummies);
  ids.forEach((v, i) => { g.node(v).rank = rank[i]; });
}

/**
 * Throws a {@link RenderError} when a layout would need more than
 * {@link MAX_DUMMY_NODES} dummy nodes (`atLeast`: when that many is a lower bound).
 * @internal
 */
export function refuseDummies(dummies: number, atLeast = false): void {
  if (dummies > MAX_DUMMY_NODES) {
    throw new RenderError(`the diagram is too large to lay out: its transitions would pass ${atLeast ? 'at least ' : ''}${dummies} rows of the layout in all `
      + `(at most ${MAX_DUMMY_NODES}), `
      + 'as when many states catch into one handler drawn far below them; '
      + 'draw it as Mermaid (`stepwright render --format mermaid`, renderMermaid, MCP\'s render tool) or render parts of the machine separately');
  }
}

/**
 * Refuses, before dagre copies it several times over, a graph whose layout
 * would need more than {@link MAX_DUMMY_NODES} dummy nodes: the graph dagre
 * ranks is this one with every edge's `minlen` doubled (room for labels),
 * self-loops taken out and a root joined to every node by an edge of
 * weight 0, and the network simplex's least total length is the same
 * whichever optimal ranking it ends on, so the count is the one dagre's
 * ranking would reach. Its cost is the ranking's, a small part of dagre's
 * own on such a graph (a few hundred states each catching into all the
 * others spend seconds in dagre's copies of their edges before it ranks).
 * The graph must have no cycle but self-loops ({@link breakCycles} first).
 * @internal
 */
export function refuseOversizedLayout(g: graphlib.Graph): void {
  const ids = g.nodes();
  const n = ids.length;
  if (n === 0) return;
  const index = new Map<string, number>();
  ids.forEach((v, i) => index.set(v, i));
  const edges = g.edges().filter((e) => e.v !== e.w);
  const real = edges.length;
  const m = real + n;
  const tail = new Int32Array(m);
  const head = new Int32Array(m);
  const minlen = new Float64Array(m).fill(2);
  const weight = new Float64Array(m).fill(1);
  edges.forEach((e, k) => {
    tail[k] = index.get(e.v)!;
    head[k] = index.get(e.w)!;
  });
  // The root is node n, before every node by one rank, at no cost: it only joins what is not connected.
  for (let v = 0; v < n; v++) {
    tail[real + v] = n;
    head[real + v] = v;
    minlen[real + v] = 1;
    weight[real + v] = 0;
  }
  const rank = networkSimplex(n + 1, { tail, head, minlen, weight });
  let dummies = 0;
  for (let k = 0; k < real; k++) dummies += rank[head[k]] - rank[tail[k]] - 1;
  refuseDummies(dummies);
}

interface Edges {
  readonly tail: Int32Array;
  readonly head: Int32Array;
  readonly minlen: Float64Array;
  readonly weight: Float64Array;
}

/** The ranks of nodes `0 … n-1` joined by `edges`, acyclic, as {@link rankNetworkSimplex} finds them. */
function networkSimplex(n: number, edges: Edges): Float64Array {
  const { tail, head, minlen, weight } = edges;
  const m = tail.length;
  const incident: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < m; k++) {
    incident[tail[k]].push(k);
    incident[head[k]].push(k);
  }
  const rank = new Float64Array(n);
  longestPath(n, m, tail, head, minlen, incident, rank);
  const slack = (k: number): number => rank[head[k]] - rank[tail[k]] - minlen[k];

  const inTree = new Uint8Array(n);
  const treeEdge = new Uint8Array(m);
  feasibleTree(n, m, tail, head, incident, inTree, treeEdge, slack, rank);

  // Rooted at node 0: each node's tree edge to its parent, its place in a preorder walk and the size of its subtree.
  const parentEdge = new Int32Array(n);
  const pre = new Int32Array(n);
  const size = new Int32Array(n);
  const order = new Int32Array(n);
  const cut = new Float64Array(m);
  const net = new Float64Array(n);
  for (let k = 0; k < m; k++) {
    net[tail[k]] += weight[k];
    net[head[k]] -= weight[k];
  }
  const subtreeSum = new Float64Array(n);
  const other = (k: number, v: number): number => (tail[k] === v ? head[k] : tail[k]);
  const rootTree = (): void => {
    parentEdge.fill(-1);
    const seen = new Uint8Array(n);
    const stack = [0];
    seen[0] = 1;
    let count = 0;
    while (stack.length > 0) {
      const v = stack.pop()!;
      pre[v] = count;
      order[count++] = v;
      for (const k of incident[v]) {
        if (!treeEdge[k]) continue;
        const u = other(k, v);
        if (seen[u]) continue;
        seen[u] = 1;
        parentEdge[u] = k;
        stack.push(u);
      }
    }
    // Children come after their parent in preorder: summing in reverse gives subtree sizes and sums.
    size.fill(1);
    subtreeSum.set(net);
    for (let i = n - 1; i > 0; i--) {
      const v = order[i];
      const k = parentEdge[v];
      const p = other(k, v);
      size[p] += size[v];
      subtreeSum[p] += subtreeSum[v];
      // The cut value: weight from the tail's side to the head's side, less weight the other way.
      cut[k] = tail[k] === v ? subtreeSum[v] : -subtreeSum[v];
    }
  };
  const below = (v: number, u: number): boolean => pre[u] >= pre[v] && pre[u] < pre[v] + size[v];
  const rerank = (): void => {
    for (let i = 1; i < n; i++) {
      const v = order[i];
      const k = parentEdge[v];
      rank[v] = tail[k] === v ? rank[head[k]] - minlen[k] : rank[tail[k]] + minlen[k];
    }
  };

  rootTree();
  // Each exchange lowers the total or keeps it (a degenerate step): the bound only stops a cycling run,
  // whose ranks are still valid.
  const limit = 20 * n + 1000;
  for (let step = 0; step < limit; step++) {
    let leaving = -1;
    for (let i = 1; i < n; i++) {
      const k = parentEdge[order[i]];
      if (cut[k] < 0) {
        leaving = k;
        break;
      }
    }
    if (leaving < 0) break;
    const child = pre[tail[leaving]] > pre[head[leaving]] ? tail[leaving] : head[leaving];
    // Removing the edge leaves the child's subtree on one side; an entering edge runs from the head side to the tail side.
    const tailBelow = tail[leaving] === child;
    let entering = -1;
    let best = Infinity;
    for (let k = 0; k < m; k++) {
      if (treeEdge[k]) continue;
      if (below(child, tail[k]) !== !tailBelow || below(child, head[k]) !== tailBelow) continue;
      const s = slack(k);
      if (s < best) {
        best = s;
        entering = k;
      }
    }
    if (entering < 0) break;
    treeEdge[leaving] = 0;
    treeEdge[entering] = 1;
    rootTree();
    rerank();
  }

  return rank;
}

/**
 * A first valid ranking: sinks at rank 0, every other node as low as its
 * successors allow (`rank(v) = min(rank(w) - minlen)`), in reverse
 * topological order.
 */
function longestPath(
  n: number, m: number, tail: Int32Array, head: Int32Array, minlen: Float64Array, incident: number[][], rank: Float64Array,
): void {
  const outLeft = new Int32Array(n);
  for (let k = 0; k < m; k++) outLeft[tail[k]]++;
  const ready: number[] = [];
  for (let v = 0; v < n; v++) if (outLeft[v] === 0) ready.push(v);
  const done = new Uint8Array(n);
  rank.fill(Infinity);
  let count = 0;
  while (ready.length > 0) {
    const v = ready.pop()!;
    done[v] = 1;
    count++;
    if (rank[v] === Infinity) rank[v] = 0;
    for (const k of incident[v]) {
      if (head[k] !== v) continue;
      const u = tail[k];
      rank[u] = Math.min(rank[u], rank[v] - minlen[k]);
      if (--outLeft[u] === 0) ready.push(u);
    }
  }
  // Only a graph with a cycle leaves nodes unranked; the caller breaks every cycle first.
  if (count !== n) throw new Error(`rankNetworkSimplex: the graph has a cycle through ${n - count} node(s)`);
}

/**
 * Grows a spanning tree of tight edges (slack 0) from node 0; while nodes
 * are left out, shifts the tree's ranks by the smallest slack of an edge
 * leaving it, which makes that edge tight, and grows on.
 */
function feasibleTree(
  n: number, m: number, tail: Int32Array, head: Int32Array, incident: number[][],
  inTree: Uint8Array, treeEdge: Uint8Array, slack: (k: number) => number, rank: Float64Array,
): void {
  const members: number[] = [0];
  inTree[0] = 1;
  const grow = (from: number[]): void => {
    const stack = [...from];
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (const k of incident[v]) {
        const u = tail[k] === v ? head[k] : tail[k];
        if (inTree[u] || slack(k) !== 0) continue;
        inTree[u] = 1;
        treeEdge[k] = 1;
        members.push(u);
        stack.push(u);
      }
    }
  };
  grow(members);
  while (members.length < n) {
    let best = -1;
    let bestSlack = Infinity;
    for (let k = 0; k < m; k++) {
      if (inTree[tail[k]] === inTree[head[k]]) continue;
      const s = slack(k);
      if (s < bestSlack) {
        bestSlack = s;
        best = k;
      }
    }
    if (best < 0) throw new Error('rankNetworkSimplex: the graph is not connected');
    const delta = inTree[tail[best]] ? bestSlack : -bestSlack;
    for (const v of members) rank[v] += delta;
    // Shifting made at least this edge tight; growing again from the whole tree finds every edge it made tight.
    grow(members);
  }
}
