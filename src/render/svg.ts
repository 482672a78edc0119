import type { DiagramGraph } from './graph';
import { FONT, type LaidEdge, type LaidNode, type Layout } from './layout';
import type { Marks } from './marks';
import { LINE_MARKS } from './text-marks';

/**
 * What XML escapes, and the characters XML 1.0 forbids even as references (its `Char` production:
 * C0 controls but tab, LF and CR; U+FFFE and U+FFFF; a surrogate not in a pair). A state name or
 * an error may hold any of them, and one in an SVG makes a browser refuse the whole file.
 */
const XML_UNSAFE = /[&<>"'\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe in XML content and attribute values: `& < > " '` escaped, a C0 control shown as its
 * Control Pictures sign (U+0001 as U+2401), any other character XML cannot hold as U+FFFD, and
 * the characters that drive a terminal or reorder a line ({@link LINE_MARKS}) as character
 * references, which a browser reads back as the same characters.
 * @internal
 */
export function xml(value: string): string {
  return value.replace(XML_UNSAFE, (c) => {
    const escaped = XML_ESCAPES[c];
    if (escaped !== undefined) return escaped;
    const code = c.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : '\uFFFD';
  }).replace(LINE_MARKS, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
}

/** The diagram's own style sheet; class names are the overlay's contract (tests and users' CSS rely on them). */
export const SVG_STYLE = `
.sw-node .shape{fill:#fff;stroke:#475569;stroke-width:1.2}
.sw-node text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:#0f172a}
.sw-node .name{font-size:${FONT.name}px;font-weight:600}
.sw-node .note{font-size:${FONT.note}px;fill:#475569}
.sw-node .retry{fill:#7c3aed}
.sw-node .alert{fill:#b91c1c;font-weight:600}
.sw-node .missed{fill:#b45309}
.sw-node[data-type="Succeed"] .shape{fill:#dcfce7;stroke:#16a34a}
.sw-node[data-type="Fail"] .shape{fill:#fef2f2;stroke:#b91c1c}
.sw-node[data-type="Choice"] .shape{fill:#fffbeb;stroke:#b45309}
.sw-node.fork .shape{fill:#f1f5f9}
.sw-node.join .shape{fill:#94a3b8;stroke:none}
.sw-node.start .shape{fill:#0f172a;stroke:none}
.sw-node.end .shape{fill:#fff;stroke:#0f172a;stroke-width:4}
.sw-node.start text,.sw-node.end text{display:none}
.sw-node.state,.sw-node.fork{cursor:pointer}
.sw-node.selected .shape{stroke:#0ea5e9;stroke-width:3}
.sw-node.visited .shape{fill:#dbeafe;stroke:#1d4ed8;stroke-width:2.2}
.sw-node.failed .shape{fill:#fecaca;stroke:#dc2626;stroke-width:3}
.sw-node.failed.caught .shape{fill:#ffedd5;stroke:#ea580c}
.sw-node.uncovered .shape{fill:#f3f4f6;stroke:#9ca3af;stroke-dasharray:5 3}
.sw-node.uncovered text{fill:#6b7280}
.sw-cluster rect{fill:#f8fafc;stroke:#cbd5e1;stroke-width:1}
.sw-cluster.branch rect{fill:#ffffff;stroke-dasharray:4 3}
.sw-cluster.visited>rect{stroke:#1d4ed8}
.sw-cluster.failed>rect{stroke:#dc2626}
.sw-cluster.failed.caught>rect{stroke:#ea580c}
.sw-cluster.uncovered>rect{fill:#f3f4f6;stroke:#9ca3af;stroke-dasharray:5 3}
.sw-cluster text{font:11px system-ui,"DejaVu Sans",sans-serif;fill:#64748b}
.sw-edge path{fill:none;stroke:#64748b;stroke-width:1.3}
.sw-edge.catch path{stroke:#b91c1c;stroke-dasharray:6 4}
.sw-edge.branch path{stroke:#94a3b8;stroke-dasharray:2 3}
.sw-edge.branch.taken path{stroke:#1d4ed8;stroke-width:2;stroke-dasharray:none}
.sw-edge.taken path{stroke:#1d4ed8;stroke-width:3}
.sw-edge.missed path{stroke:#d97706;stroke-width:2;stroke-dasharray:4 3}
.sw-edge rect{fill:#fff;opacity:.9}
.sw-edge text{font:${FONT.note}px system-ui,"DejaVu Sans",sans-serif;fill:#334155}
.sw-edge.catch text{fill:#b91c1c}
.sw-edge.missed text{fill:#b45309}
`;

function shape(n: LaidNode): string {
  const { width: w, height: h } = n;
  const x = n.x - w / 2;
  const y = n.y - h / 2;
  if (n.kind === 'start') return `<circle class="shape" cx="${n.x}" cy="${n.y}" r="${w / 2}"/>`;
  if (n.kind === 'end') return `<circle class="shape" cx="${n.x}" cy="${n.y}" r="${w / 2 - 2}"/>`;
  if (n.kind === 'join') return `<rect class="shape" x="${x}" y="${y}" width="${w}" height="${h}" rx="${h / 2}"/>`;
  const type = n.state?.type;
  if (type === 'Choice') {
    const d = 12;
    return `<polygon class="shape" points="${x + d},${y} ${x + w - d},${y} ${x + w},${n.y} ${x + w - d},${y + h} ${x + d},${y + h} ${x},${n.y}"/>`;
  }
  if (type === 'Pass') {
    const d = 8;
    return `<polygon class="shape" points="${x + d},${y} ${x + w},${y} ${x + w - d},${y + h} ${x},${y + h}"/>`;
  }
  const rx = type === 'Succeed' || type === 'Fail' ? h / 2 : type === 'Wait' ? 12 : 4;
  return `<rect class="shape" x="${x}" y="${y}" width="${w}" height="${h}" rx="${rx}"/>`;
}

function nodeSvg(n: LaidNode, marks: Marks): string {
  const classes = ['sw-node', n.kind];
  const name = n.state?.name;
  if (name !== undefined && n.kind !== 'join') {
    if (marks.uncovered.has(name)) classes.push('uncovered');
    if (marks.failed.has(name)) classes.push('failed');
    if (marks.caught.has(name)) classes.push('caught');
    if (marks.visited.has(name)) classes.push('visited');
  }
  const attrs = name !== undefined && n.kind !== 'join'
    ? ` data-state="${xml(name)}" data-type="${xml(n.state!.type)}" tabindex="0"`
    : n.kind === 'join' ? ` data-join-of="${xml(name ?? '')}"` : '';
  const retries = n.state?.retry.length ?? 0;
  const top = n.y - (n.lines.length * FONT.lineHeight) / 2 + FONT.lineHeight - 4;
  const text = n.lines.map((line, i) => {
    const cls = i === 0 ? 'name' : i >= 2 && i < 2 + retries ? 'note retry'
      : line.startsWith('✗') ? 'note alert' : line.endsWith('never exercised') ? 'note missed' : 'note';
    return `<text class="${cls}" x="${n.x}" y="${top + i * FONT.lineHeight}" text-anchor="middle">${xml(line)}</text>`;
  }).join('');
  const tip = name !== undefined ? `<title>${xml(name)} (${n.state!.type})</title>` : `<title>${xml(n.lines[0] ?? '')}</title>`;
  return `<g class="${classes.join(' ')}"${attrs}>${tip}${shape(n)}${text}</g>`;
}

function edgeSvg(e: LaidEdge, graph: DiagramGraph, marks: Marks): string {
  const classes = ['sw-edge', e.kind];
  if (e.index !== undefined) {
    if (marks.missedEdges.has(e.index)) classes.push('missed');
    else if (marks.taken.has(e.index)) classes.push('taken');
  } else if (e.between && marks.visited.has(e.between[0]) && marks.visited.has(e.between[1]) && !failedForGood(marks, e.between[0])) {
    classes.push('taken');
  }
  const pts = e.points;
  if (pts.length === 0) return '';
  const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
  const marker = e.kind === 'branch' ? '' : ` marker-end="url(#sw-arrow${classes.includes('taken') ? '-taken' : ''})"`;
  const data = e.index !== undefined ? ` data-edge="${e.index}" data-from="${xml(graph.edges[e.index].from)}" data-to="${xml(graph.edges[e.index].to)}"` : '';
  let label = '';
  if (e.label !== undefined && e.labelX !== undefined && e.labelY !== undefined) {
    const w = e.labelWidth ?? 40;
    label = `<rect x="${round(e.labelX - w / 2)}" y="${round(e.labelY - 8)}" width="${w}" height="16" rx="3"/>`
      + `<text x="${round(e.labelX)}" y="${round(e.labelY + 4)}" text-anchor="middle">${xml(e.label)}</text>`;
  }
  return `<g class="${classes.join(' ')}"${data}><path d="${d}"${marker}/>${label}</g>`;
}

/** The state's error was not caught: nothing leaves it along the flow. */
function failedForGood(marks: Marks, state: string): boolean {
  return marks.failed.has(state) && !marks.caught.has(state);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * The laid-out diagram as SVG markup, with its style sheet inside so the
 * file stands alone. Nodes carry `data-state` and the overlay classes
 * `visited`, `failed`, `caught`, `uncovered`; edges `taken` and `missed`.
 * @internal
 */
export function svgOf(layout: Layout, graph: DiagramGraph, marks: Marks, title?: string): string {
  const clusters = layout.clusters.map((c) => {
    const classes = ['sw-cluster', c.container ? 'container' : 'branch'];
    if (c.container) {
      if (marks.uncovered.has(c.state)) classes.push('uncovered');
      if (marks.failed.has(c.state)) classes.push('failed');
      if (marks.caught.has(c.state)) classes.push('caught');
      if (marks.visited.has(c.state)) classes.push('visited');
    }
    const x = c.x - c.width / 2;
    const y = c.y - c.height / 2;
    const caption = c.container ? '' : `<text x="${round(x + 8)}" y="${round(y + 12)}">${xml(c.label)}</text>`;
    return `<g class="${classes.join(' ')}" data-cluster="${xml(c.id)}"><rect x="${round(x)}" y="${round(y)}" width="${round(c.width)}" height="${round(c.height)}" rx="8"/>${caption}</g>`;
  }).join('\n');
  const edges = layout.edges.map((e) => edgeSvg(e, graph, marks)).join('\n');
  const nodes = layout.nodes.map((n) => nodeSvg(n, marks)).join('\n');
  const w = Math.ceil(layout.width);
  const h = Math.ceil(layout.height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sw-diagram" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img">`,
    title !== undefined ? `<title>${xml(title)}</title>` : '',
    `<style>${SVG_STYLE}</style>`,
    '<defs>',
    '<marker id="sw-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#64748b"/></marker>',
    '<marker id="sw-arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#1d4ed8"/></marker>',
    '</defs>',
    '<g class="sw-viewport">',
    clusters,
    edges,
    nodes,
    '</g>',
    '</svg>',
  ].filter((s) => s !== '').join('\n');
}
