/*
 * The console's diagram of a state machine revision: laid out once, without any run, and kept;
 * what one execution did is drawn over it by the page from a small overlay worked out at each
 * change. Laying out thousands of states takes seconds (a chain of 20,000, 5 s to 25 s on a busy
 * machine), so a large definition is laid out in a worker thread while serve goes on answering,
 * bounded in time and memory; the page shows the rest of the execution meanwhile. A definition
 * render refuses (too large to lay out, nested deeper than it draws) gets no diagram, and the
 * reason instead.
 */
import * as path from 'node:path';
import { type LaidOut, layOut, type LayoutJob } from './layout';
import { buildGraph, type DiagramGraph } from '../../render/graph';
import { computeMarks } from '../../render/marks';
import type { ExecutionPath } from '../../render/overlay';
import { RenderError } from '../../render/render-error';
import { runWorkerJobs } from '../../workbench/commands/worker-jobs';
import { packageRoot } from '../../workbench/common/package-root';
import type { Revision } from '../model';

/** A revision's diagram, or why there is none. */
export interface Diagram {
  /** Names this diagram among those serve made (the page keeps the SVG it has). */
  readonly id: number;
  /** The graph the path is read against; none when render refused the definition. */
  readonly graph?: DiagramGraph;
  /** The SVG without its style sheet; none while it is laid out, or when render refused. */
  readonly svg?: string;
  /** Why there is no SVG: render's refusal, or how its layout stopped. */
  readonly refusal?: string;
  /** The Parallel or Map state of each container cluster of the SVG (`data-cluster`). */
  readonly clusters: ReadonlyMap<string, string>;
  /** Laid out in a worker thread now: the SVG comes later. */
  readonly pending: boolean;
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

/** States a definition may have to be laid out in serve's own thread (a few hundred take tens of milliseconds). */
export const IN_THREAD_STATES = 300;

/** The real time and the heap one layout in a worker thread may take. */
export const LAYOUT_SECONDS = 120;
export const LAYOUT_MIB = 1024;

/** The worker's entry point: from the sources under a TypeScript loader, else from lib/ (not beside this file: the server's bundle moves it). */
const ENTRY = path.extname(__filename) === '.ts'
  ? path.join(packageRoot(), 'src', 'server', 'console', 'layout-worker.ts')
  : path.join(packageRoot(), 'lib', 'server', 'console', 'layout-worker.js');

type Kept = { -readonly [K in keyof Diagram]: Diagram[K] };

const kept = new Map<Revision, Kept>();
let made = 0;
/** The layouts in worker threads, one after another. */
let queue: Promise<void> = Promise.resolve();

/** The diagram of `revision`, titled `name`: the one kept, or one made now (its SVG later, for a large definition). */
export function diagramOf(revision: Revision, name: string): Diagram {
  const found = kept.get(revision);
  if (found) {
    kept.delete(revision);
    kept.set(revision, found);
    return found;
  }
  const diagram = make(revision.parsed, name);
  kept.set(revision, diagram);
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return diagram;
}

function make(definition: Revision['parsed'], name: string): Kept {
  const id = ++made;
  let graph: DiagramGraph;
  try {
    graph = buildGraph(definition);
  } catch (e) {
    if (e instanceof RenderError) return { id, refusal: e.message, clusters: new Map(), pending: false };
    throw e;
  }
  const diagram: Kept = { id, graph, clusters: new Map(), pending: false };
  if (graph.states.size <= IN_THREAD_STATES) {
    take(diagram, layOut(graph, name));
    return diagram;
  }
  diagram.pending = true;
  const job: LayoutJob = { definition, name };
  queue = queue.then(async () => {
    // Background work: a process whose server has closed does not wait for a diagram no one will see.
    const bounds = { entry: ENTRY, workers: 1, timeoutMs: LAYOUT_SECONDS * 1000, memoryMb: LAYOUT_MIB, background: true };
    const [answer] = await runWorkerJobs<LayoutJob, LaidOut>([job], bounds);
    take(diagram, answer.ok ? answer.value : { refusal: `laying out the diagram of ${graph.states.size} states stopped: ${answer.message}` });
  });
  return diagram;
}

function take(diagram: Kept, laid: LaidOut): void {
  if ('refusal' in laid) {
    diagram.refusal = laid.refusal;
  } else {
    diagram.svg = laid.svg;
    diagram.clusters = new Map(laid.clusters);
  }
  diagram.pending = false;
}

/** What `run` (the execution's path) draws over `diagram`. */
export function overlayOf(diagram: Diagram, run: ExecutionPath): DiagramOverlay {
  const marks = computeMarks(diagram.graph!, run);
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
