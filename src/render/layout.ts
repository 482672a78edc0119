import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import { END, START, type DiagramGraph, type DiagramState } from './graph';
import type { Marks } from './marks';
import { breakCycles, rankNetworkSimplex, refuseDummies, refuseOversizedLayout } from './rank';
import { taskResource } from '../asl/task-resource';

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
    const r = taskResource(def.Resource);
    if (r.kind === 'optimized') return `Task · ${r.service!}:${r.action!}`;
    if (r.kind === 'aws-sdk') return `Task · aws-sdk:${r.service!}`;
    if (r.kind === 'lambda-arn') return 'Task · lambda';
    if (r.kind === 'activity') return 'Task · activity';
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

/** A scope laid out on its own, with where its entry and exit points landed. */
interface ScopeLayout extends Local {
  /** The point its first state is reached from (top centre, or left centre in LR). */
  readonly entry: Point;
  /** The point its ending states lead to, when it has any. */
  readonly exit?: Point;
  /** Edges from the entry point and to the exit point, which the container extends to its header and join bar. */
  readonly entryEdges: ReadonlySet<LaidEdge>;
  readonly exitEdges: ReadonlySet<LaidEdge>;
}

interface Point {
  readonly x: number;
  readonly y: number;
}

interface Size {
  readonly width: number;
  readonly height: number;
}

interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface ExtraNode {
  readonly id: string;
  readonly kind: BoxKind;
  readonly lines: string[];
  readonly width: number;
  readonly height: number;
  readonly state?: DiagramState;
  /** A routing point only: laid out by dagre, never drawn. */
  readonly hidden?: boolean;
}

interface ExtraEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly between?: [string, string];
}

const GRAPH_OPTIONS = { nodesep: 28, ranksep: 40, edgesep: 12 };
/** Node count above which dagre skips its crossing-reduction sweeps, to keep big machines fast. */
const LARGE_GRAPH = 150;

/** Room around a container's or branch's content, inside its box. */
const PAD = 14;
/** Extra room above a branch's content for its caption (`Branch 1`). */
const CAPTION = 6;

/**
 * The order dagre starts from before its crossing-reduction sweeps: a
 * depth-first walk from the nodes of the first ranks, each node placed in
 * its rank as it is first reached. Big graphs keep it as it is; passing it
 * as dagre's `customOrder` spares dagre building a layer graph per rank for
 * sweeps that are then skipped (about a tenth of a 500-state render).
 * @internal
 */
export function initialOrder(g: graphlib.Graph<unknown, { rank?: number; order?: number }>): void {
  const simple = g.nodes().filter((v) => (g.children(v) ?? []).length === 0);
  const rank = (v: string): number => g.node(v).rank ?? 0;
  // A stable sort, as dagre's: nodes of one rank keep their insertion order.
  simple.sort((a, b) => rank(a) - rank(b));
  const next = new Map<number, number>();
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const root of simple) {
    stack.push(root);
    // Iterative, in the recursive walk's order: a chain of a thousand ranks must not exhaust the stack.
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      const r = rank(v);
      const i = next.get(r) ?? 0;
      g.node(v).order = i;
      next.set(r, i + 1);
      const successors = g.successors(v) ?? [];
      for (let k = successors.length - 1; k >= 0; k--) if (!seen.has(successors[k])) stack.push(successors[k]);
    }
  }
}

/**
 * Lays the graph out with dagre (ranked, layered). ASL scopes are closed
 * (no transition crosses a Parallel branch or a Map item processor), so
 * each branch or item processor is laid out on its own, flat, and a
 * Parallel or Map is placed by hand around them — its state as a header,
 * its branches side by side below it in definition order, a join bar under
 * them — then placed as one node of that size in its parent's layout. Many
 * small flat dagre runs instead of one compound graph keep a 500-state
 * machine fast: dagre's clusters multiply the ranks of a graph.
 * @internal
 */
export function layoutGraph(graph: DiagramGraph, marks: Marks, direction: 'TD' | 'LR' = 'TD'): Layout {
  const rankdir = direction === 'LR' ? 'LR' : 'TB';
  // The overlay's own notes are short and must read in full (`5 iterations, 2 succeeded, 2 failed, 1 unfinished`); an error name may be anything.
  const note = (text: string): string => (text.startsWith('✗') ? clip(text) : text);
  const lines = (s: DiagramState): string[] => [clip(s.name), typeCaption(s), ...s.retry.map(clip), ...(marks.notes.get(s.name) ?? []).map(note)];
  const idOf = (name: string): string => (name === START || name === END ? name : graph.states.get(name)!.id);
  const stateSize = (s: DiagramState): Size => boxSize(lines(s), s.type === 'Succeed' || s.type === 'Fail' || s.type === 'Choice');
  // Sizes and places along the flow (a) and across it (c): TD flows down, LR to the right.
  const lr = rankdir === 'LR';
  const along = (b: Size): number => (lr ? b.width : b.height);
  const across = (b: Size): number => (lr ? b.height : b.width);
  const aOf = (p: Point): number => (lr ? p.x : p.y);
  const at = (a: number, c: number): Point => (lr ? { x: a, y: c } : { x: c, y: a });

  /** Edge indices per scope (undefined: the top level), so each scope reads only its own edges. */
  const scopeEdges = new Map<string | undefined, number[]>();
  const scopeOf = (name: string): string | undefined => (name === START || name === END ? undefined : graph.states.get(name)!.scope);
  graph.edges.forEach((e, i) => {
    const scope = scopeOf(e.from);
    // A transition between scopes is not valid ASL; it has no place to be drawn.
    if (scope !== scopeOf(e.to)) return;
    const list = scopeEdges.get(scope) ?? [];
    list.push(i);
    scopeEdges.set(scope, list);
  });

  /**
   * Runs dagre on one scope. `members` are its states (containers are
   * placed as single nodes of their own layout's size); `extra` nodes and
   * edges are the Start/End of the machine, or the entry and exit points
   * of a branch.
   */
  const run = (
    members: readonly string[], extraNodes: readonly ExtraNode[], extraEdges: readonly ExtraEdge[], edgeIndices: readonly number[], depth: number,
  ) => {
    // Each transition but a self-loop spans two ranks or more once dagre doubles its length, one dummy node at
    // least: too many are refused before a graph is built.
    const loops = edgeIndices.filter((i) => graph.edges[i].from === graph.edges[i].to).length + extraEdges.filter((e) => e.from === e.to).length;
    refuseDummies(edgeIndices.length + extraEdges.length - loops, true);
    const g = new graphlib.Graph({ multigraph: true });
    // dagre's own cycle breaking and ranking recurse once per state along a path: ours use explicit stacks
    // (rank.ts). With the cycles already broken, dagre's greedy cycle breaking finds nothing to reverse.
    g.setGraph({
      rankdir,
      ...GRAPH_OPTIONS,
      marginx: depth === 0 ? 20 : PAD,
      marginy: depth === 0 ? 20 : PAD,
      acyclicer: 'greedy',
      // eslint-disable-next-line no-restricted-syntax -- dagre's types list only its own rankers' names; it calls a function given here instead
      ranker: rankNetworkSimplex as unknown as 'network-simplex',
    });
    g.setDefaultEdgeLabel(() => ({}));
    const inner = new Map<string, Local>();
    for (const n of extraNodes) g.setNode(n.id, { width: n.width, height: n.height });
    for (const name of members) {
      const s = graph.states.get(name)!;
      const box = isContainer(s) ? layoutContainer(s, depth + 1) : undefined;
      if (box) inner.set(name, box);
      g.setNode(s.id, box ? { width: box.width, height: box.height } : stateSize(s));
    }
    const routes: Array<{
      key: string; from: string; to: string; kind: string; index?: number; label?: string; between?: [string, string]; extra?: ExtraEdge;
    }> = [];
    const add = (from: string, to: string, kind: string, index?: number, label?: string, extra?: ExtraEdge): void => {
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
        ...(extra?.between ? { between: extra.between } : {}),
        ...(extra ? { extra } : {}),
      });
    };
    for (const i of edgeIndices) {
      const e = graph.edges[i];
      add(idOf(e.from), idOf(e.to), e.kind, i, e.label);
    }
    for (const e of extraEdges) add(e.from, e.to, e.kind, undefined, undefined, e);
    const reversed = breakCycles(g);
    refuseOversizedLayout(g);
    // No incremental re-layout here, so dagre need not keep a copy of every node. On big graphs
    // dagre's crossing-reduction sweeps cost more than they gain (ranks x nodes per sweep), so they
    // keep their initial order, given directly so that dagre builds no layer graphs for sweeps.
    dagreLayout(g, { useDynamic: false, ...(g.nodeCount() > LARGE_GRAPH ? { customOrder: initialOrder } : {}) });
    const size = g.graph();
    const out: Local = { width: size.width ?? 0, height: size.height ?? 0, nodes: [], clusters: [], edges: [] };
    const points = new Map<string, Point>();
    for (const n of extraNodes) {
      const l = g.node(n.id);
      if (n.hidden) {
        points.set(n.id, { x: l.x!, y: l.y! });
        continue;
      }
      const { id, kind, lines: text, state } = n;
      out.nodes.push({ id, kind, lines: text, x: l.x!, y: l.y!, width: l.width, height: l.height, ...(state ? { state } : {}) });
    }
    for (const name of members) {
      const s = graph.states.get(name)!;
      const l = g.node(s.id);
      const box = inner.get(name);
      if (!box) {
        out.nodes.push({ id: s.id, kind: 'state', state: s, lines: lines(s), x: l.x!, y: l.y!, width: l.width, height: l.height });
        continue;
      }
      out.clusters.push({ id: s.id, label: s.name, state: name, container: true, depth, x: l.x!, y: l.y!, width: box.width, height: box.height });
      place(box, l.x! - box.width / 2, l.y! - box.height / 2, out);
    }
    const extraRoutes = new Map<ExtraEdge, LaidEdge>();
    for (const r of routes) {
      const back = reversed.has(r.key);
      const l = back ? g.edge(r.to, r.from, r.key) : g.edge(r.from, r.to, r.key);
      const laid: LaidEdge = {
        kind: r.kind,
        ...(r.index !== undefined ? { index: r.index } : {}),
        ...(r.label !== undefined ? { label: r.label, labelX: l.x, labelY: l.y, labelWidth: l.width } : {}),
        ...(r.between ? { between: r.between } : {}),
        points: back ? [...(l.points ?? [])].reverse() : l.points ?? [],
      };
      out.edges.push(laid);
      if (r.extra) extraRoutes.set(r.extra, laid);
    }
    return { local: out, points, extraRoutes };
  };

  /**
   * One Parallel branch or Map item processor, flat. Stand-ins for its
   * container's header and join bar (as long along the flow as they are,
   * and of no width) lead into its first state and out of its ending
   * states, so dagre leaves them their room and routes those edges.
   */
  const layoutScope = (owner: DiagramState, sid: string, header: Size, bar: Size, depth: number): ScopeLayout => {
    const chain = chainOf(sid);
    if (chain) return layoutChain(owner, chain.states, chain.edges, header, bar, depth);
    const scope = graph.scopes.get(sid)!;
    const list = graph.members.get(sid)!;
    const entry = `${sid}_in`;
    const exit = `${sid}_out`;
    // A branch's end counts as reached when its last state was entered and did not fail there.
    const ends = list.filter((m) => {
      const s = graph.states.get(m)!;
      return s.terminal && s.type !== 'Fail';
    });
    const standIn = (id: string, size: Size): ExtraNode => ({
      id, kind: 'join', lines: [], hidden: true, ...(lr ? { width: size.width, height: 0 } : { width: 0, height: size.height }),
    });
    const into: ExtraEdge = { from: entry, to: idOf(scope.startAt), kind: 'branch', between: [owner.name, scope.startAt] };
    const out = ends.map((m): ExtraEdge => ({ from: idOf(m), to: exit, kind: 'branch', between: [m, owner.name] }));
    const standIns = [standIn(entry, header), ...(out.length ? [standIn(exit, bar)] : [])];
    const { local, points, extraRoutes } = run(list, standIns, [into, ...out], scopeEdges.get(sid) ?? [], depth);
    const exitPoint = points.get(exit);
    return {
      ...local,
      entry: points.get(entry)!,
      ...(exitPoint ? { exit: exitPoint } : {}),
      entryEdges: new Set([extraRoutes.get(into)!]),
      exitEdges: new Set(out.map((e) => extraRoutes.get(e)!)),
    };
  };

  /**
   * The states of a scope in order when they are one chain of plain Next
   * transitions from its StartAt, each state once; else undefined.
   */
  const chainOf = (sid: string): { states: DiagramState[]; edges: number[] } | undefined => {
    const list = graph.members.get(sid)!;
    const edges = scopeEdges.get(sid) ?? [];
    if (edges.length !== list.length - 1) return undefined;
    const next = new Map<string, number>();
    for (const i of edges) {
      const e = graph.edges[i];
      if (e.kind !== 'next' || next.has(e.from)) return undefined;
      next.set(e.from, i);
    }
    const states: DiagramState[] = [];
    const route: number[] = [];
    const seen = new Set<string>();
    for (let name: string | undefined = graph.scopes.get(sid)!.startAt; name !== undefined;) {
      if (seen.has(name)) return undefined;
      seen.add(name);
      states.push(graph.states.get(name)!);
      const i = next.get(name);
      if (i !== undefined) route.push(i);
      name = i === undefined ? undefined : graph.edges[i].to;
    }
    return states.length === list.length ? { states, edges: route } : undefined;
  };

  /**
   * A chain laid out by hand, as dagre lays one out (a column of centred
   * boxes, a rank gap apart, straight edges) without dagre's fixed cost per
   * graph: Parallel branches are mostly chains, and a 500-state machine
   * has dozens of them.
   */
  const layoutChain = (
    owner: DiagramState, chain: readonly DiagramState[], links: readonly number[], header: Size, bar: Size, depth: number,
  ): ScopeLayout => {
    const gap = GRAPH_OPTIONS.ranksep;
    const boxes = chain.map((s) => (isContainer(s) ? layoutContainer(s, depth + 1) : undefined));
    const sizes = chain.map((s, i): Size => boxes[i] ?? stateSize(s));
    const last = chain[chain.length - 1];
    const exits = last.terminal && last.type !== 'Fail';
    const crossSize = Math.max(...sizes.map(across)) + 2 * PAD;
    const mid = crossSize / 2;
    // Across one rank gap, with the bend point dagre puts halfway.
    const span = (from: number): Point[] => [at(from, mid), at(from + gap / 2, mid), at(from + gap, mid)];
    const out: Local = { width: 0, height: 0, nodes: [], clusters: [], edges: [] };
    const entry = at(PAD + along(header) / 2, mid);
    let end = PAD + along(header);
    const into: LaidEdge = { kind: 'branch', between: [owner.name, chain[0].name], points: span(end) };
    out.edges.push(into);
    chain.forEach((s, i) => {
      const a = end + gap + along(sizes[i]) / 2;
      const centre = at(a, mid);
      const box = boxes[i];
      if (box) {
        out.clusters.push({ id: s.id, label: s.name, state: s.name, container: true, depth, ...centre, width: box.width, height: box.height });
        place(box, centre.x - box.width / 2, centre.y - box.height / 2, out);
      } else {
        out.nodes.push({ id: s.id, kind: 'state', state: s, lines: lines(s), ...centre, ...sizes[i] });
      }
      if (i > 0) out.edges.push({ kind: graph.edges[links[i - 1]].kind, index: links[i - 1], points: span(end) });
      end = a + along(sizes[i]) / 2;
    });
    const exitEdges = new Set<LaidEdge>();
    let exit: Point | undefined;
    if (exits) {
      exit = at(end + gap + along(bar) / 2, mid);
      const toBar: LaidEdge = { kind: 'branch', between: [last.name, owner.name], points: span(end) };
      out.edges.push(toBar);
      exitEdges.add(toBar);
      end += gap + along(bar);
    }
    const alongSize = end + PAD;
    return {
      ...out,
      width: lr ? alongSize : crossSize,
      height: lr ? crossSize : alongSize,
      entry,
      ...(exit ? { exit } : {}),
      entryEdges: new Set([into]),
      exitEdges,
    };
  };

  /**
   * A Parallel or Map: its header (fork) first along the flow, its
   * branches (each in a box, for a Parallel) or item processor side by
   * side across the flow, then a join bar after the longest of them.
   * Each branch is laid out with stand-ins for the header and the bar, so
   * its edges from the header and to the bar keep dagre's routes; only
   * their first and last points move to the real header and bar.
   */
  const layoutContainer = (s: DiagramState, depth: number): Local => {
    const forkLines = lines(s);
    const forkSize = boxSize(forkLines);
    const joinSize = lr ? { width: 10, height: 36 } : { width: 36, height: 10 };
    // Scopes lie deeper than their branch boxes, so whatever they hold is drawn over those boxes.
    const parts = s.scopes.map((sid) => ({ sid, box: layoutScope(s, sid, forkSize, joinSize, depth + 2) }));
    const gap = GRAPH_OPTIONS.nodesep;
    const rankGap = GRAPH_OPTIONS.ranksep;
    const row = parts.reduce((n, p) => n + across(p.box), 0) + gap * Math.max(parts.length - 1, 0);
    const crossSize = Math.max(across(forkSize), row) + 2 * PAD;
    const mid = crossSize / 2;
    const forkA = PAD + along(forkSize) / 2;
    // Each scope is shifted along the flow so that its header stand-in meets the header.
    const shifts = parts.map((p) => forkA - aOf(p.box.entry));
    const contentEnd = Math.max(forkA + along(forkSize) / 2, ...parts.map((p, i) => shifts[i] + along(p.box) - PAD));
    const exits = parts.flatMap((p, i) => (p.box.exit ? [shifts[i] + aOf(p.box.exit)] : []));
    const joinA = exits.length ? Math.max(...exits) : contentEnd + rankGap + along(joinSize) / 2;
    const alongSize = Math.max(joinA + along(joinSize) / 2, contentEnd) + PAD;
    const forkAt = at(forkA, mid);
    const joinAt = at(joinA, mid);
    const out: Local = {
      width: lr ? alongSize : crossSize,
      height: lr ? crossSize : alongSize,
      nodes: [
        { id: `${s.id}_fork`, kind: 'fork', lines: forkLines, ...forkAt, ...forkSize, state: s },
        { id: `${s.id}_join`, kind: 'join', lines: [], ...joinAt, ...joinSize, state: s },
      ],
      clusters: [],
      edges: [],
    };
    const forkOut = at(forkA + along(forkSize) / 2, mid);
    const joinIn = at(joinA - along(joinSize) / 2, mid);
    let c = mid - row / 2;
    parts.forEach(({ sid, box }, i) => {
      const origin = at(shifts[i], c);
      const drawn = place(box, origin.x, origin.y, out, (e, moved) => {
        if (box.entryEdges.has(e)) return [forkOut, ...moved.slice(1)];
        if (!box.exitEdges.has(e)) return moved;
        // A branch shorter than the longest runs on along the flow to the bar's row before it turns to the bar.
        const last = moved[moved.length - 1];
        const turn = at(joinA - along(joinSize) / 2 - rankGap / 2, lr ? last.y : last.x);
        return aOf(turn) > aOf(last) ? [...moved.slice(0, -1), last, turn, joinIn] : [...moved.slice(0, -1), joinIn];
      });
      if (s.type === 'Parallel' && drawn) {
        // The branch's box: its content with room around, and more above it for the caption.
        const x0 = drawn.x0 - PAD;
        const y0 = drawn.y0 - PAD - CAPTION;
        const x1 = drawn.x1 + PAD;
        const y1 = drawn.y1 + PAD;
        out.clusters.push({
          id: sid,
          label: graph.scopes.get(sid)!.label,
          state: s.name,
          container: false,
          depth: depth + 1,
          x: (x0 + x1) / 2,
          y: (y0 + y1) / 2,
          width: x1 - x0,
          height: y1 - y0,
        });
      }
      c += across(box) + gap;
    });
    if (parts.length === 0) out.edges.push({ kind: 'branch', points: [forkOut, joinIn] });
    return out;
  };

  const top = run(
    graph.top,
    [
      { id: START, kind: 'start', lines: ['Start'], width: 28, height: 28 },
      { id: END, kind: 'end', lines: ['End'], width: 30, height: 30 },
    ],
    [],
    scopeEdges.get(undefined) ?? [],
    0,
  ).local;
  top.clusters.sort((a, b) => a.depth - b.depth);
  return top;
}

/**
 * Copies a laid-out box into `out`, moved by (dx, dy); `route` may change
 * an edge's moved points (a branch's edges from its header and to its join
 * bar reach past its box). Returns the bounds of what it drew (nodes,
 * boxes, edge labels), undefined when it drew none.
 */
function place(box: Local, dx: number, dy: number, out: Local, route?: (e: LaidEdge, moved: Point[]) => Point[]): Bounds | undefined {
  const b: Bounds = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  const cover = (x: number, y: number, w: number, h: number): void => {
    b.x0 = Math.min(b.x0, x - w / 2);
    b.y0 = Math.min(b.y0, y - h / 2);
    b.x1 = Math.max(b.x1, x + w / 2);
    b.y1 = Math.max(b.y1, y + h / 2);
  };
  for (const n of box.nodes) {
    out.nodes.push({ ...n, x: n.x + dx, y: n.y + dy });
    cover(n.x + dx, n.y + dy, n.width, n.height);
  }
  for (const c of box.clusters) {
    out.clusters.push({ ...c, x: c.x + dx, y: c.y + dy });
    cover(c.x + dx, c.y + dy, c.width, c.height);
  }
  for (const e of box.edges) {
    const moved = e.points.map((p) => ({ x: p.x + dx, y: p.y + dy }));
    out.edges.push({
      ...e,
      points: route ? route(e, moved) : moved,
      ...(e.labelX !== undefined ? { labelX: e.labelX + dx, labelY: e.labelY! + dy } : {}),
    });
    if (e.labelX !== undefined) cover(e.labelX + dx, e.labelY! + dy, e.labelWidth ?? 0, FONT.lineHeight);
  }
  return b.x0 <= b.x1 ? b : undefined;
}

function isContainer(s: DiagramState): boolean {
  return s.type === 'Parallel' || s.type === 'Map';
}
