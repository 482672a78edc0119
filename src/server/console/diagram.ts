/*
 * The console's diagram of a state machine revision: laid out once, without any run, and kept
 * (laying out a chain of 20,000 states takes seconds); what one execution did is drawn over it
 * by the page from a small overlay worked out at each change. A definition render refuses (too
 * large to lay out, nested deeper than it draws) gets no diagram, and the reason instead: the
 * rest of the execution's page does not need one.
 */
import type { StateMachineDefinition } from '../../asl/definition-types';
import { buildGraph, type DiagramGraph } from '../../render/graph';
import { layoutGraph } from '../../render/layout';
import { computeMarks, type ExecutionPath } from '../../render/overlay';
import { RenderError } from '../../render/render-error';
import { SVG_STYLE, svgOf } from '../../render/svg';
import type { Revision } from '../model';

/** A revision's diagram, or why there is none. */
export interface Diagram {
  /** Names this diagram among those serve made (the page keeps the SVG it has). */
  readonly id: number;
  /** The graph the path is read against; none when render refused the definition. */
  readonly graph?: DiagramGraph;
  /** The SVG without its style sheet (the console's app.css has it: the page allows no inline style). */
  readonly svg?: string;
  /** Why there is no SVG: render's refusal. */
  readonly refusal?: string;
  /** The Parallel or Map state of each container cluster of the SVG (`data-cluster`). */
  readonly clusters: ReadonlyMap<string, string>;
}

/** What an execution did, to draw over the diagram: classes per state and edge, and notes. */
export interface DiagramOverlay {
  readonly visited: string[];
  readonly failed: string[];
  readonly caught: string[];
  /** Edges (`data-edge`) of transitions taken. */
  readonly taken: number[];
  /** Lines per state: retried 2×, 5 iterations, 2 failed, the error (pairs: a state may be named `__proto__`). */
  readonly notes: [string, string[]][];
  /** Classes per container cluster (`data-cluster`), from its state's. */
  readonly clusters: [string, string[]][];
}

/** Diagrams kept, the most recently used last; each may be megabytes of SVG. */
const KEPT = 16;
const kept = new Map<Revision, Diagram>();
let made = 0;

/** The diagram of `revision`, titled `name`: the one kept, or laid out now. */
export function diagramOf(revision: Revision, name: string): Diagram {
  const found = kept.get(revision);
  if (found) {
    kept.delete(revision);
    kept.set(revision, found);
    return found;
  }
  const diagram = draw(revision.parsed, name);
  kept.set(revision, diagram);
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return diagram;
}

function draw(definition: StateMachineDefinition, name: string): Diagram {
  const id = ++made;
  let graph: DiagramGraph;
  try {
    graph = buildGraph(definition);
  } catch (e) {
    if (e instanceof RenderError) return { id, refusal: e.message, clusters: new Map() };
    throw e;
  }
  const marks = computeMarks(graph);
  try {
    const layout = layoutGraph(graph, marks);
    const clusters = new Map(layout.clusters.filter((c) => c.container).map((c) => [c.id, c.state]));
    return { id, graph, svg: svgOf(layout, graph, marks, name).replace(`<style>${SVG_STYLE}</style>`, ''), clusters };
  } catch (e) {
    if (e instanceof RenderError) return { id, graph, refusal: e.message, clusters: new Map() };
    throw e;
  }
}

/** What `path` draws over `diagram`. */
export function overlayOf(diagram: Diagram, path: ExecutionPath): DiagramOverlay {
  const marks = computeMarks(diagram.graph!, path);
  const clusters: [string, string[]][] = [];
  for (const [cluster, state] of diagram.clusters) {
    const classes = (['visited', 'failed', 'caught'] as const).filter((c) => marks[c].has(state));
    if (classes.length > 0) clusters.push([cluster, classes]);
  }
  return {
    visited: [...marks.visited],
    failed: [...marks.failed],
    caught: [...marks.caught],
    taken: [...marks.taken],
    notes: [...marks.notes],
    clusters,
  };
}
