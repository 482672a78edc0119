/// <reference lib="dom" />
/*
 * The execution page's diagram: the revision's SVG, read once (serve sends it only when the page
 * does not have it), and what the execution did drawn over it at each change: classes on states,
 * clusters and edges, the retry badge, and the run's notes under each state.
 */

/** What an execution did, as serve sends it (see src/server/console/diagram.ts). */
export interface Overlay {
  visited: string[];
  failed: string[];
  caught: string[];
  taken: number[];
  notes: [string, string[]][];
  clusters: [string, string[]][];
}

const NS = 'http://www.w3.org/2000/svg';

/**
 * The least scale a fitted diagram is drawn at: a state's name (13px in render's style sheet)
 * stays at 9px or more. A diagram that would be smaller to fit its box (a few dozen states in a
 * chain) is drawn at this scale instead, scrolled to the state of interest.
 */
export const READABLE_SCALE = 9 / 13;
const OVERLAY_CLASSES = ['visited', 'failed', 'caught', 'sw-retried', 'selected'];

/**
 * A state's name as the SVG's `data-state` holds it: render writes each character XML cannot hold
 * as a stand-in (a C0 control as its Control Pictures sign, any other as U+FFFD).
 */
export function svgName(name: string): string {
  return name.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => (c.charCodeAt(0) < 0x20 ? String.fromCharCode(0x2400 + c.charCodeAt(0)) : '\uFFFD'));
}

/** The diagram in `box`: `load` an SVG, `draw` an overlay on it. */
export class Diagram {
  private svg: SVGSVGElement | undefined;
  private nodes = new Map<string, Element>();
  /** The SVG's name for each state the page knows, to find a clicked node's state. */
  private names = new Map<string, string>();
  /** The SVG's own width and height, before it was fitted. */
  private natural: { width: number; height: number } | undefined;
  /** Shown at its own size (scrolled in its box) rather than fitted to the box. */
  private actual = false;
  /** Fitted, but drawn at READABLE_SCALE because the whole would be too small to read. */
  private clamped = false;

  constructor(private readonly box: HTMLElement) {}

  /**
   * Shows `svg` (serve's markup, parsed as XML: nothing in it runs), fitted to the box unless shown
   * at its own size. The first diagram the box shows, when too large to read fitted, is scrolled to
   * state `focus`; a new revision's keeps where the box was scrolled to.
   */
  load(svg: string, focus?: string): void {
    const first = this.svg === undefined;
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const root = doc.documentElement;
    // The server sends the diagram without its style sheet (app.css holds it); nothing in it may run.
    for (const el of Array.from(root.querySelectorAll('style, script, foreignObject'))) el.remove();
    const imported = document.importNode(root, true) as unknown as SVGSVGElement;
    const width = Number(imported.getAttribute('width'));
    const height = Number(imported.getAttribute('height'));
    this.natural = width > 0 && height > 0 ? { width, height } : undefined;
    // A new revision's diagram keeps where the box was scrolled to.
    const { scrollLeft, scrollTop } = this.box;
    this.box.replaceChildren(imported);
    this.svg = imported;
    this.nodes = new Map(Array.from(imported.querySelectorAll('.sw-node[data-state]')).map((n) => [n.getAttribute('data-state') ?? '', n]));
    this.size();
    if (first && this.clamped && focus !== undefined) {
      this.scrollTo(focus);
      return;
    }
    this.box.scrollLeft = scrollLeft;
    this.box.scrollTop = scrollTop;
  }

  /** The scale the diagram is drawn at (1 its own size), for the page to say. */
  get scale(): number {
    const width = Number(this.svg?.getAttribute('width'));
    return this.natural && width > 0 ? width / this.natural.width : 1;
  }

  /** Fitted but drawn larger than the box, to keep its names readable. */
  get zoomed(): boolean {
    return this.clamped && !this.actual;
  }

  /**
   * Shows the diagram at its own size (`true`) or fitted to the box; at its own size, or fitted
   * at the readable scale, scrolled to state `name`.
   */
  actualSize(actual: boolean, name?: string): void {
    this.actual = actual;
    this.size();
    if ((actual || this.clamped) && name !== undefined) this.scrollTo(name);
  }

  /**
   * Scales the diagram down to fit the box (its width, and the height its style allows), never up
   * and never below READABLE_SCALE; or gives it its own size.
   */
  private size(): void {
    const svg = this.svg;
    const natural = this.natural;
    if (!svg || !natural) return;
    let scale = 1;
    if (!this.actual) {
      const style = getComputedStyle(this.box);
      const px = (n: string): number => (Number.parseFloat(n) || 0);
      const maxHeight = (px(style.maxHeight) || window.innerHeight) - px(style.borderTopWidth) - px(style.borderBottomWidth);
      scale = Math.min(1, (this.box.clientWidth || natural.width) / natural.width, maxHeight / natural.height);
    }
    this.clamped = scale < READABLE_SCALE;
    if (this.clamped) scale = READABLE_SCALE;
    svg.setAttribute('width', String(Math.floor(natural.width * scale)));
    svg.setAttribute('height', String(Math.floor(natural.height * scale)));
  }

  /** Scrolls the box so that state `name`'s node is in the middle of it. */
  private scrollTo(name: string): void {
    const node = this.nodes.get(svgName(name));
    if (!node) return;
    const at = node.getBoundingClientRect();
    const frame = this.box.getBoundingClientRect();
    this.box.scrollLeft += at.left - frame.left - (this.box.clientWidth - at.width) / 2;
    this.box.scrollTop += at.top - frame.top - (this.box.clientHeight - at.height) / 2;
  }

  /** Says why there is no diagram. */
  refused(reason: string): void {
    this.say('graph-refused', 'diagram-refused', `No diagram: ${reason}`);
  }

  /** Says the diagram is being laid out. */
  waiting(): void {
    this.say('graph-waiting', 'diagram-waiting', 'Laying out the diagram of this large state machine…');
  }

  private say(className: string, id: string, text: string): void {
    this.svg = undefined;
    this.natural = undefined;
    this.nodes.clear();
    this.box.replaceChildren(Object.assign(document.createElement('p'), { className, id, textContent: text }));
  }

  /** The state a clicked element stands for. */
  stateAt(target: Element): string | undefined {
    const node = target.closest?.('[data-state]');
    if (!node) return undefined;
    const shown = node.getAttribute('data-state') ?? '';
    return this.names.get(shown) ?? shown;
  }

  /** Draws `overlay`, the retries of each state and the state selected; takes away what was drawn before. */
  draw(overlay: Overlay | undefined, retries: ReadonlyMap<string, number>, selected: string | undefined): void {
    const svg = this.svg;
    if (!svg) return;
    for (const el of Array.from(svg.querySelectorAll('.sw-overlay'))) el.remove();
    for (const el of Array.from(svg.querySelectorAll('.sw-node, .sw-cluster'))) el.classList.remove(...OVERLAY_CLASSES);
    for (const el of Array.from(svg.querySelectorAll('.sw-edge.taken'))) {
      el.classList.remove('taken');
      el.querySelector('path[marker-end]')?.setAttribute('marker-end', 'url(#sw-arrow)');
    }
    const node = (name: string): Element | undefined => {
      const shown = svgName(name);
      this.names.set(shown, name);
      return this.nodes.get(shown);
    };
    if (overlay) {
      for (const cls of ['visited', 'failed', 'caught'] as const) for (const name of overlay[cls]) node(name)?.classList.add(cls);
      for (const [cluster, classes] of overlay.clusters) svg.querySelector(`[data-cluster="${CSS.escape(cluster)}"]`)?.classList.add(...classes);
      for (const index of overlay.taken) {
        const edge = svg.querySelector(`.sw-edge[data-edge="${index}"]`);
        edge?.classList.add('taken');
        edge?.querySelector('path[marker-end]')?.setAttribute('marker-end', 'url(#sw-arrow-taken)');
      }
      for (const [name, lines] of overlay.notes) {
        const n = node(name);
        if (n) n.append(notes(n, lines));
      }
    }
    for (const [name, count] of retries) {
      const n = node(name);
      if (!n || count <= 0) continue;
      n.classList.add('sw-retried');
      n.append(retryBadge(n, count));
    }
    if (selected !== undefined) node(selected)?.classList.add('selected');
  }
}

/** The run's notes of a state, one line each, under its shape. */
function notes(node: Element, lines: readonly string[]): SVGGElement {
  const shape = node.querySelector('.shape') as SVGGraphicsElement | null;
  const box = shape?.getBBox();
  const x = box ? box.x + box.width / 2 : 0;
  const y = box ? box.y + box.height : 0;
  const g = document.createElementNS(NS, 'g');
  g.setAttribute('class', 'sw-overlay sw-run-notes');
  lines.forEach((line, i) => {
    const t = document.createElementNS(NS, 'text');
    t.setAttribute('class', line.startsWith('✗') ? 'note alert' : line.startsWith('retried') ? 'note retry' : 'note');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y + 13 + i * 13));
    t.setAttribute('text-anchor', 'middle');
    t.textContent = line;
    g.append(t);
  });
  return g;
}

/** The ⟳ badge drawn on a retried state's node, at its top right corner. */
function retryBadge(node: Element, retries: number): SVGGElement {
  const box = node.querySelector('.shape');
  const x = Number(box?.getAttribute('x') ?? node.querySelector('text')?.getAttribute('x') ?? 0) + Number(box?.getAttribute('width') ?? 0);
  const y = Number(box?.getAttribute('y') ?? 0);
  const g = document.createElementNS(NS, 'g');
  g.setAttribute('class', 'sw-overlay sw-retry-badge');
  const c = document.createElementNS(NS, 'rect');
  c.setAttribute('x', String(x - 30)); c.setAttribute('y', String(y - 10)); c.setAttribute('width', '44'); c.setAttribute('height', '20'); c.setAttribute('rx', '10');
  const t = document.createElementNS(NS, 'text');
  t.setAttribute('x', String(x - 8)); t.setAttribute('y', String(y + 4)); t.setAttribute('text-anchor', 'middle');
  t.textContent = `⟳${retries}`;
  g.append(c, t);
  return g;
}
