/*
 * Laying out a definition's diagram for the console, without any run: the SVG (without its style
 * sheet, which the console's app.css holds: the page allows no inline style) and the state of
 * each container cluster, or render's refusal. The same code runs in serve's thread for a small
 * definition and in a worker thread for a large one (layout-worker.ts).
 */
import type { StateMachineDefinition } from '../../asl';
import { buildGraph, type DiagramGraph } from '../../render/graph';
import { layoutGraph } from '../../render/layout';
import { computeMarks } from '../../render/marks';
import { RenderError } from '../../render/render-error';
import { SVG_STYLE, svgOf } from '../../render/svg';

/** A definition to lay out, and the title of its diagram. */
export interface LayoutJob {
  readonly definition: StateMachineDefinition;
  readonly name: string;
}

/** A laid-out diagram, or why render refused it. */
export type LaidOut =
  | { readonly svg: string; readonly clusters: readonly (readonly [string, string])[] }
  | { readonly refusal: string };

/** Lays out `graph` (built from `job`'s definition); render's refusal becomes the answer. */
export function layOut(graph: DiagramGraph, name: string): LaidOut {
  const marks = computeMarks(graph);
  try {
    const layout = layoutGraph(graph, marks);
    const clusters = layout.clusters.filter((c) => c.container).map((c) => [c.id, c.state] as const);
    return { svg: svgOf(layout, graph, marks, name).replace(`<style>${SVG_STYLE}</style>`, ''), clusters };
  } catch (e) {
    if (e instanceof RenderError) return { refusal: e.message };
    throw e;
  }
}

/** Builds the graph of `job`'s definition and lays it out. */
export function drawDiagram(job: LayoutJob): LaidOut {
  let graph: DiagramGraph;
  try {
    graph = buildGraph(job.definition);
  } catch (e) {
    if (e instanceof RenderError) return { refusal: e.message };
    throw e;
  }
  return layOut(graph, job.name);
}
