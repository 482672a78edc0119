import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import { END, START, type DiagramGraph, type DiagramState } from './graph';
import type { Marks } from './overlay';

/** What a laid-out box stands for. @internal */
export type BoxKind = 'start' | 'end' | 'state' | 'fork' | 'join';

/** A node with its place: centre x, y and size. @internal */
export interface LaidNode {
  readonly id: string;
  readonly kind: BoxKind;
  /** The state it draws (for a fork: its Parallel or Map). */
  readonly state?: DiagramState;
  readonly lines: string[];
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A Parallel or Map (container) or one of its branches, as a box around its states. @internal */
export interface LaidCluster {
  readonly id: string;
  readonly label: string;
  /** The Parallel or Map state it belongs to. */
  readonly state: string;
  readonly container: boolean;
  readonly depth: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An edge with its route. `index` points into graph.edges; branch edges (fork/join) have none. @internal */
export interface LaidEdge {
  readonly index?: number;
  readonly kind: string;
  readonly label?: string;
  readonly points: ReadonlyArray<{ x: number; y: number }>;
  readonly labelX?: number;
  readonly labelY?: number;
  readonly labelWidth?: number;
  /** For branch edges: the states at both ends (a container and a state of its branch). */
  readonly between?: readonly [string, string];
}

/** @internal */
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: LaidNode[];
  readonly clusters: LaidCluster[];
  readonly edges: LaidEdge[];
}

/** Sizes for text in the SVG: 13px for names, 11px for the lines below. */
export const FONT = { name: 13, note: 11, lineHeight: 16 } as const;

/** Rough width of text: dagre needs sizes before anything is drawn (no DOM here). */
function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    // CJK and emoji are about one em wide; Latin letters about 0.6 em.
    w += code > 0x2e80 ? size : /[A-Z MW]/.test(ch) ? size * 0.68 : size * 0.56;
  }
  return w;
}

/** Names longer than this are cut in the box (the full name is in the tooltip and the side panel). */
const MAX_LINE = 48;

function clip(text: string): string {
  const chars = [...text];
  return chars.length > MAX_LINE ? `${chars.slice(0, MAX_LINE - 1).join('')}…` : text;
}

function typeCaption(s: DiagramState): string {
  const def = s.definition as { Resource?: unknown };
  if (s.type === 'Task' && typeof def.Resource === 'string') {
    const m = /^arn:aws[\w-]*:states:::([^:]+(?::[^:.]+)?)/.exec(def.Resource);
    if (m) return `Task · ${m[1]}`;
    if (/:lambda:/.test(def.Resource)) return 'Task · lambda';
    if (/:activity:/.test(def.Resource)) return 'Task · activity';
  }
  return s.type;
}

/** Names are bold: a little wider than the estimate. */
const BOLD = 1.1;

function boxSize(lines: readonly string[], rounded = false): { width: number; height: number } {
  const width = Math.max(...lines.map((l, i) => (i === 0 ? textWidth(l, FONT.name) * BOLD : textWidth(l, FONT.note))));
  return { width: Math.max(90, Math.ceil(width) + (rounded ? 44 : 28)), height: lines.length * FONT.lineHeight + 16 };
}

interface Local {
  width: number;
  height: number;
  nodes: LaidNode[];
  clusters: LaidCluster[];
  edges: LaidEdge[];
}

const GRAPH_OPTIONS = { nodesep: 28, ranksep: 40, edgesep: 12 };
/** Node count above which dagre skips its crossing-reduction sweeps, to keep big machines fast. */
const LARGE_GRAPH = 150;

/** Room around a container's or branch's content, inside its box. */
const PAD = 14;

/**
 * Lays the graph out with dagre (ranked, layered). ASL scopes are closed
 * (no transition crosses a Parallel branch or a Map item processor), so
 * each Parallel or Map is laid out on its own — its state as a header node,
 * its branches as dagre clusters, a join bar below — and then placed as one
 * node of that size in its parent's layout. Many small dagre runs instead
 * of one compound graph keep a 500-state machine well under a second.
 * @internal
 */
export function layoutGraph(graph: DiagramGraph, marks: Marks, direction: 'TD' | 'LR' = 'TD'): Layout {
  const rankdir = direction === 'LR' ? 'LR' : 'TB';
  const lines = (s: DiagramState): string[] => [clip(s.name), typeCaption(s), ...s.retry.map(clip), ...(marks.notes.get(s.name) ?? []).map(clip)];

  /** Edges between the given endpoints, from graph.edges (by index). */
  const edgesWithin = (inside: Set<string>): number[] => {
    const out: number[] = [];
    graph.edges.forEach((e, i) => { if (inside.has(e.from) && inside.has(e.to)) out.push(i); });
    return out;
  };

  /**
   * Runs dagre on one scope. `members` are its states (containers are
   * placed as single nodes of their own layout's size); `extra` nodes and
   * edges are the Start/End or fork/join of the scope.
   */
  const run = (
    members: readonly string[],
    extraNodes: Array<{ id: string; kind: BoxKind; lines: string[]; width: number; height: number; state?: DiagramState; parent?: string }>,
    extraEdges: Array<{ from: string; to: string; kind: string; between?: [string, string] }>,
    edgeIndices: number[],
    clusterOf: (name: string) => string | undefined,
    clusters: Array<{ id: string; label: string; state: string }>,
    depth: number,
  ): Local => {
    const g = new graphlib.Graph({ compound: clusters.length > 0, multigraph: true });
    g.setGraph({ rankdir, ...GRAPH_OPTIONS, marginx: depth === 0 ? 20 : PAD, marginy: depth === 0 ? 20 : PAD });
    g.setDefaultEdgeLabel(() => ({}));
    for (const c of clusters) g.setNode(c.id, {});
    const inner = new Map<string, Local>();
    const idOf = (name: string): string => (name === START || name === END ? name : graph.states.get(name)!.id);
    for (const n of extraNodes) {
      g.setNode(n.id, { width: n.width, height: n.height });
      if (n.parent !== undefined) g.setParent(n.id, n.parent);
    }
    for (const name of members) {
      const s = graph.states.get(name)!;
      const box = isContainer(s) ? layoutContainer(s, depth + 1) : undefined;
      if (box) inner.set(name, box);
      g.setNode(s.id, box ? { width: box.width, height: box.height } : boxSize(lines(s), s.type === 'Succeed' || s.type === 'Fail' || s.type === 'Choice'));
      const parent = clusterOf(name);
      if (parent !== undefined) g.setParent(s.id, parent);
    }
    const routes: Array<{ key: string; from: string; to: string; kind: string; index?: number; label?: string; between?: [string, string] }> = [];
    const add = (from: string, to: string, kind: string, index?: number, label?: string, between?: [string, string]): void => {
      const key = `e${routes.length}`;
      const size = label !== undefined ? { width: Math.ceil(textWidth(label, FONT.note)) + 10, height: FONT.lineHeight + 2, labelpos: 'c' as const } : {};
      g.setEdge(from, to, size, key);
      routes.push({
        key,
        from,
        to,
        kind,
        ...(index !== undefined ? { index } : {}),
        ...(label !== undefined ? { label: clip(label) } : {}),
        ...(between ? { between } : {}),
      });
    };
    for (const i of edgeIndices) {
      const e = graph.edges[i];
      add(idOf(e.from), idOf(e.to), e.kind, i, e.label);
    }
    for (const e of extraEdges) add(e.from, e.to, e.kind, undefined, undefined, e.between);
    // No incremental re-layout here, so dagre need not keep a copy of every node; on big graphs its
    // crossing-reduction sweeps cost more than they gain (ranks x nodes per sweep).
    dagreLayout(g, { useDynamic: false, disableOptimalOrderHeuristic: g.nodeCount() > LARGE_GRAPH });
    const size = g.graph();
    const out: Local = { width: size.width ?? 0, height: size.height ?? 0, nodes: [], clusters: [], edges: [] };
    for (const n of extraNodes) {
      const l = g.node(n.id);
      const { id, kind, lines: text, state } = n;
      out.nodes.push({ id, kind, lines: text, x: l.x!, y: l.y!, width: l.width, height: l.height, ...(state ? { state } : {}) });
    }
    for (const c of clusters) {
      const l = g.node(c.id);
      out.clusters.push({ ...c, container: false, depth: depth + 1, x: l.x!, y: l.y!, width: l.width, height: l.height });
    }
    for (const name of members) {
      const s = graph.states.get(name)!;
      const l = g.node(s.id);
      const box = inner.get(name);
      if (!box) {
        out.nodes.push({ id: s.id, kind: 'state', state: s, lines: lines(s), x: l.x!, y: l.y!, width: l.width, height: l.height });
        continue;
      }
      const dx = l.x! - box.width / 2;
      const dy = l.y! - box.height / 2;
      out.clusters.push({ id: s.id, label: s.name, state: name, container: true, depth, x: l.x!, y: l.y!, width: box.width, height: box.height });
      for (const n of box.nodes) out.nodes.push({ ...n, x: n.x + dx, y: n.y + dy });
      for (const c of box.clusters) out.clusters.push({ ...c, x: c.x + dx, y: c.y + dy });
      for (const e of box.edges) {
        out.edges.push({
          ...e,
          points: e.points.map((p) => ({ x: p.x + dx, y: p.y + dy })),
          ...(e.labelX !== undefined ? { labelX: e.labelX + dx, labelY: e.labelY! + dy } : {}),
        });
      }
    }
    for (const r of routes) {
      const l = g.edge(r.from, r.to, r.key);
      out.edges.push({
        kind: r.kind,
        ...(r.index !== undefined ? { index: r.index } : {}),
        ...(r.label !== undefined ? { label: r.label, labelX: l.x, labelY: l.y, labelWidth: l.width } : {}),
        ...(r.between ? { between: r.between } : {}),
        points: l.points ?? [],
      });
    }
    return out;
  };

  /** A Parallel or Map: its header (fork), its branches (clusters) or item processor, and a join bar. */
  const layoutContainer = (s: DiagramState, depth: number): Local => {
    const fork = `${s.id}_fork`;
    const join = `${s.id}_join`;
    const forkLines = [clip(s.name), typeCaption(s), ...s.retry.map(clip), ...(marks.notes.get(s.name) ?? []).map(clip)];
    const members: string[] = [];
    const clusterOf = new Map<string, string>();
    const clusters: Array<{ id: string; label: string; state: string }> = [];
    const extraEdges: Array<{ from: string; to: string; kind: string; between?: [string, string] }> = [];
    for (const sid of s.scopes) {
      const scope = graph.scopes.get(sid)!;
      const list = graph.members.get(sid)!;
      members.push(...list);
      if (s.type === 'Parallel') {
        clusters.push({ id: sid, label: scope.label, state: s.name });
        for (const m of list) clusterOf.set(m, sid);
      }
      extraEdges.push({ from: fork, to: graph.states.get(scope.startAt)!.id, kind: 'branch', between: [s.name, scope.startAt] });
      for (const m of list) {
        const inner = graph.states.get(m)!;
        // A branch's end counts as reached when its last state was entered and did not fail there.
        if (inner.terminal && inner.type !== 'Fail') extraEdges.push({ from: inner.id, to: join, kind: 'branch', between: [m, s.name] });
      }
    }
    if (s.scopes.length === 0) extraEdges.push({ from: fork, to: join, kind: 'branch' });
    return run(
      members,
      [
        { id: fork, kind: 'fork', lines: forkLines, ...boxSize(forkLines), state: s },
        { id: join, kind: 'join', lines: [], width: 36, height: 10, state: s },
      ],
      extraEdges,
      edgesWithin(new Set(members)),
      (name) => clusterOf.get(name),
      clusters,
      depth,
    );
  };

  const top = run(
    graph.top,
    [
      { id: START, kind: 'start', lines: ['Start'], width: 28, height: 28 },
      { id: END, kind: 'end', lines: ['End'], width: 30, height: 30 },
    ],
    [],
    edgesWithin(new Set([...graph.top, START, END])),
    () => undefined,
    [],
    0,
  );
  top.clusters.sort((a, b) => a.depth - b.depth);
  return top;
}

function isContainer(s: DiagramState): boolean {
  return s.type === 'Parallel' || s.type === 'Map';
}
