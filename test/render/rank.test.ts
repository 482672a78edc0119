import * as fs from 'node:fs';
import * as path from 'node:path';
import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import { benchMachine } from '../../bench/render-machine.js';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { RenderError } from '../../src/render';
import { buildGraph } from '../../src/render/graph';
import { breakCycles, feedbackEdges, MAX_DUMMY_NODES, rankNetworkSimplex } from '../../src/render/rank';
import { extractStateMachines } from '../../src/workbench/template';
import { itWithShared, sharedPath } from '../shared-data';

type NodeLabel = { width: number; height: number; x?: number; y?: number; rank?: number };
type Graph = graphlib.Graph<{ ranker?: unknown; acyclicer?: string }, NodeLabel, Record<string, unknown>>;

/** A seeded generator, so every run checks the same graphs. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** A graph of `n` nodes and `m` edges at random: cycles, self-loops, parallel edges, labels, weights and minimum lengths. */
function randomGraph(n: number, m: number, seed: number): Graph {
  const rnd = random(seed);
  const g: Graph = new graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 40, edgesep: 12 } as never);
  g.setDefaultEdgeLabel(() => ({}));
  for (let i = 0; i < n; i++) g.setNode(`n${i}`, { width: 40 + Math.floor(rnd() * 60), height: 30 });
  for (let k = 0; k < m; k++) {
    const a = Math.floor(rnd() * n);
    const b = Math.floor(rnd() * n);
    const label = rnd() < 0.3 ? { width: 30, height: 18, labelpos: 'c', weight: 1 + Math.floor(rnd() * 3) } : { minlen: 1 + Math.floor(rnd() * 2) };
    g.setEdge(`n${a}`, `n${b}`, label, `e${k}`);
  }
  return g;
}

/** The top level of a state machine as layoutGraph hands it to dagre: Start, End, states, labelled edges. */
function machineGraph(definition: StateMachineDefinition): Graph {
  const graph = buildGraph(definition);
  const g: Graph = new graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 40, edgesep: 12 } as never);
  g.setDefaultEdgeLabel(() => ({}));
  g.setNode('sw_start', { width: 28, height: 28 });
  g.setNode('sw_end', { width: 30, height: 30 });
  for (const s of graph.states.values()) if (s.scope === undefined) g.setNode(s.id, { width: 90 + s.name.length * 7, height: 40 });
  const id = (name: string): string => (name === 'sw_start' || name === 'sw_end' ? name : graph.states.get(name)!.id);
  graph.edges.forEach((e, i) => {
    if (graph.states.get(e.from)?.scope !== undefined || graph.states.get(e.to)?.scope !== undefined) return;
    g.setEdge(id(e.from), id(e.to), e.label !== undefined ? { width: 60, height: 18, labelpos: 'c' } : {}, `e${i}`);
  });
  return g;
}

/** Where dagre puts every node and routes every edge (routes turned round for the edges we reversed). */
function placed(g: Graph, reversed: ReadonlySet<string> = new Set()): unknown {
  return {
    nodes: g.nodes().map((v) => [v, g.node(v).x, g.node(v).y]),
    edges: g.edges().map((e) => {
      const points = (g.edge(e).points as Array<{ x: number; y: number }>).map((p) => [p.x, p.y]);
      return [e.name, reversed.has(e.name!) ? points.reverse() : points];
    }).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  };
}

/** Thrown to stop dagre once it has what a test reads: the rest of its layout is slow on dense random graphs. */
class Enough extends Error {}

/**
 * Lays the graph out with dagre alone, or with our cycle breaking and
 * ranking; returns the ranks as ordering finds them. With `rankOnly`,
 * stops there: with ours, as soon as our ranker has ranked (dagre's steps
 * between ranking and ordering only shift a flat graph's ranks, so every
 * difference of ranks is the same; they add a dummy node per rank an edge
 * passes, most of the time on a dense random graph).
 */
function layOut(g: Graph, ours: boolean, rankOnly = false): { ranks: Map<string, number>; reversed: Set<string> } {
  const ranks = new Map<string, number>();
  let reversed = new Set<string>();
  if (ours) {
    reversed = breakCycles(g);
    g.setGraph({ ...g.graph(), acyclicer: 'greedy' });
  }
  const read = (h: graphlib.Graph): void => {
    for (const v of g.nodes()) ranks.set(v, h.node(v).rank as number);
  };
  // Reads the ranks after ranking, then orders as dagre does.
  const customOrder = (h: graphlib.Graph, order: (h2: graphlib.Graph) => void): void => {
    read(h);
    if (rankOnly) throw new Enough();
    order(h);
  };
  const ranker = rankOnly
    ? (h: Graph): void => {
      rankNetworkSimplex(h);
      read(h);
      throw new Enough();
    }
    : rankNetworkSimplex;
  g.setGraph({ ...g.graph(), ...(ours ? { ranker } : {}) });
  try {
    dagreLayout(g, { customOrder } as never);
  } catch (e) {
    if (!(e instanceof Enough)) throw e;
  }
  return { ranks, reversed };
}

/** Sum of weight × length over the edges, the quantity network simplex minimises. */
function totalLength(g: Graph, ranks: Map<string, number>): number {
  const weight = (e: graphlib.Edge): number => (g.edge(e).weight as number | undefined) ?? 1;
  return g.edges().filter((e) => e.v !== e.w).reduce((sum, e) => sum + weight(e) * Math.abs(ranks.get(e.w)! - ranks.get(e.v)!), 0);
}

describe('rankNetworkSimplex and breakCycles, in place of dagre\'s recursive steps', () => {
  /** The names of the machines whose layout with our steps differs from dagre's own. */
  function differFromDagre(machines: Array<[string, StateMachineDefinition]>): string[] {
    return machines.filter(([, definition]) => {
      const theirs = machineGraph(definition);
      const ours = machineGraph(definition);
      layOut(theirs, false);
      const { reversed } = layOut(ours, true);
      return JSON.stringify(placed(ours, reversed)) !== JSON.stringify(placed(theirs));
    }).map(([name]) => name);
  }

  it('lay out the 100- and 500-state bench machines exactly as dagre\'s own ranking and cycle breaking do', () => {
    expect(differFromDagre([['bench 100', benchMachine(100)], ['bench 500', benchMachine(500)]])).toEqual([]);
  });

  itWithShared('cdk-templates', 'lay out every machine of ../shared/cdk-templates exactly as dagre\'s own ranking and cycle breaking do', () => {
    const corpus = sharedPath('cdk-templates');
    const index = JSON.parse(fs.readFileSync(path.join(corpus, 'INDEX.json'), 'utf8')) as { files: Array<{ file: string }> };
    const machines = index.files.flatMap(({ file }) => extractStateMachines(JSON.parse(fs.readFileSync(path.join(corpus, file), 'utf8')) as object)
      .map((m): [string, StateMachineDefinition] => [`${file} ${m.logicalId}`, m.definition]));
    expect(machines).toHaveLength(79);
    expect(differFromDagre(machines)).toEqual([]);
  }, 60_000);

  it('reverse the same edges as dagre\'s depth-first cycle breaking, on 300 random graphs with cycles, self-loops and parallel edges', () => {
    const differ: number[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const n = 5 + (seed % 60);
      const g = randomGraph(n, Math.floor(n * (1 + (seed % 3) * 0.5)), seed);
      const ours = feedbackEdges(g).map((e) => e.name).sort();
      let theirs: string[] = [];
      // dagre marks the edges it reversed; a ranker sees them.
      g.setGraph({
        ...g.graph(),
        ranker: (h: graphlib.Graph) => {
          theirs = h.edges().filter((e) => h.edge(e).reversed).map((e) => h.edge(e).forwardName as string).sort();
          throw new Enough();
        },
      });
      expect(() => dagreLayout(g)).toThrow(Enough);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) differ.push(seed);
    }
    expect(differ).toEqual([]);
  });

  it('reach the smallest total edge length, as dagre\'s network simplex does, keeping every edge at least its minimum length, on 300 random graphs', () => {
    const worse: string[] = [];
    const tooShort: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const n = 5 + (seed % 60);
      const m = Math.floor(n * (1 + (seed % 3) * 0.5));
      const theirs = randomGraph(n, m, seed);
      const ours = randomGraph(n, m, seed);
      const a = layOut(theirs, false, true).ranks;
      const b = layOut(ours, true, true).ranks;
      if (totalLength(ours, b) !== totalLength(theirs, a)) worse.push(`seed ${seed}: ${totalLength(ours, b)} vs ${totalLength(theirs, a)}`);
      for (const e of ours.edges()) {
        if (e.v === e.w) continue;
        // dagre doubles minlen to make room for edge labels.
        const min = 2 * ((ours.edge(e).minlen as number | undefined) ?? 1);
        if (b.get(e.w)! - b.get(e.v)! < min) tooShort.push(`seed ${seed}: ${e.v} -> ${e.w}`);
      }
    }
    expect(worse).toEqual([]);
    expect(tooShort).toEqual([]);
  });

  it('rank a chain of 20,000 nodes one rank apart, with no recursion to exhaust the stack', () => {
    const g: Graph = new graphlib.Graph({ multigraph: true });
    g.setGraph({});
    const n = 20_000;
    for (let i = 0; i < n; i++) g.setNode(`n${i}`, { width: 10, height: 10 });
    for (let i = 1; i < n; i++) g.setEdge(`n${i - 1}`, `n${i}`, { minlen: 1, weight: 1 }, `e${i}`);
    g.setEdge(`n${n - 1}`, 'n0', { minlen: 1, weight: 1 }, 'back');
    expect(feedbackEdges(g).map((e) => e.name)).toEqual(['back']);
    breakCycles(g);
    rankNetworkSimplex(g);
    const ranks = g.nodes().map((v) => g.node(v).rank! - g.node('n0').rank!);
    expect(ranks).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('refuses a graph whose edges would need more dummy nodes than the limit, with a RenderError that says what to do', () => {
    // Each of 400 nodes in a chain also has an edge to one node below them all: about 400²/2 rows passed.
    const g: Graph = new graphlib.Graph({ multigraph: true });
    g.setGraph({});
    for (let i = 0; i < 400; i++) g.setNode(`n${i}`, { width: 10, height: 10 });
    g.setNode('handler', { width: 10, height: 10 });
    for (let i = 0; i < 400; i++) {
      if (i > 0) g.setEdge(`n${i - 1}`, `n${i}`, { minlen: 1, weight: 1 }, `next${i}`);
      g.setEdge(`n${i}`, 'handler', { minlen: 1, weight: 1 }, `catch${i}`);
    }
    // Ranked once: the one refusal is checked for its class and its message.
    let refusal: unknown;
    try {
      rankNetworkSimplex(g);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(RenderError);
    expect((refusal as Error).message).toMatch(new RegExp(`would pass \\d+ rows of the layout in all \\(at most ${MAX_DUMMY_NODES}\\).*--format mermaid`));
  });
});
