import { buildGraph, type DiagramGraph, type DrawableDefinition } from './graph';
import { layoutGraph } from './layout';
import { computeMarks, COVERAGE_CATEGORIES, failureNote, type Marks } from './marks';
import type { RenderOptions } from './mermaid';
import { machineNameOf, pathFromRun, type ExecutionPath } from './overlay';
import { svgOf, xml } from './svg';
import { jsonWithoutMarks } from './text-marks';
import { ownValue } from '../asl/own';

interface Prepared {
  readonly graph: DiagramGraph;
  readonly marks: Marks;
  readonly path?: ExecutionPath;
  readonly svg: string;
  readonly title: string;
  /** The definition's Comment, when the title is something else. */
  readonly comment?: string;
}

function prepare(definition: DrawableDefinition, options: RenderOptions): Prepared {
  const graph = buildGraph(definition);
  const path = options.run ? pathFromRun(graph, options.run) : undefined;
  const marks = computeMarks(graph, path, options.coverage);
  const name = options.name ?? (options.run ? machineNameOf(options.run) : undefined);
  const title = options.title ?? name ?? graph.comment ?? 'State machine';
  const svg = svgOf(layoutGraph(graph, marks, options.direction), graph, marks, title);
  const comment = graph.comment !== undefined && graph.comment !== '' && graph.comment !== title ? graph.comment : undefined;
  return { graph, marks, svg, title, ...(path ? { path } : {}), ...(comment !== undefined ? { comment } : {}) };
}

/**
 * The state machine as a standalone SVG file, laid out by dagre, with the
 * same overlays as {@link renderHtml} (classes `visited`, `failed`,
 * `uncovered` on nodes; `taken`, `missed` on edges) and no script.
 *
 * @example
 * fs.writeFileSync('machine.svg', renderSvg(definition, { run }));
 */
export function renderSvg(definition: DrawableDefinition, options: RenderOptions = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${prepare(definition, options).svg}\n`;
}

/**
 * {@link renderSvg}'s SVG with the path it drew, read from the run once: a caller that shows both
 * (serve's console) would otherwise read a long history twice.
 * @internal
 */
export function renderSvgWithPath(
  definition: DrawableDefinition, options: RenderOptions = {},
): { readonly svg: string; readonly path?: ExecutionPath } {
  const prepared = prepare(definition, options);
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${prepared.svg}\n`, ...(prepared.path ? { path: prepared.path } : {}) };
}

/** JSON inside a `<script>` element: `<` is escaped so no text can close the element, and U+2028, U+2029 and the other marks of {@link jsonWithoutMarks}. */
function scriptJson(value: unknown): string {
  return jsonWithoutMarks(JSON.stringify(value).replace(/</g, '\\u003c'));
}

const PAGE_STYLE = `
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#0f172a}
body{display:grid;grid-template-rows:auto 1fr;grid-template-columns:1fr 360px;height:100vh}
header{grid-column:1/3;padding:10px 16px;border-bottom:1px solid #e2e8f0;display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center}
header h1{font-size:16px;margin:0}
.sw-comment{color:#475569}
.sw-status{font-weight:600}
.sw-status.SUCCEEDED{color:#15803d}.sw-status.FAILED,.sw-status.TIMED_OUT,.sw-status.ABORTED{color:#b91c1c}
.sw-coverage{display:flex;gap:12px;flex-wrap:wrap}
.sw-coverage span{background:#f1f5f9;border-radius:4px;padding:2px 6px}
.sw-coverage span.low{background:#fef3c7}
.sw-legend{display:flex;gap:10px;color:#475569;font-size:12px}
.sw-legend i{display:inline-block;width:12px;height:12px;border:2px solid;border-radius:3px;vertical-align:-2px;margin-right:3px}
#sw-canvas{position:relative;overflow:hidden;background:#fff;cursor:grab}
#sw-canvas.dragging{cursor:grabbing}
#sw-canvas svg{position:absolute;left:0;top:0;transform-origin:0 0}
#sw-tools{position:absolute;right:10px;top:10px;display:flex;gap:4px;z-index:1}
#sw-tools button{font:13px inherit;width:30px;height:30px;border:1px solid #cbd5e1;background:#fff;border-radius:4px;cursor:pointer}
aside{border-left:1px solid #e2e8f0;overflow:auto;padding:12px 14px;background:#f8fafc}
aside h2{font-size:15px;margin:0 0 6px;word-break:break-word}
aside pre{background:#fff;border:1px solid #e2e8f0;padding:8px;font-size:12px;overflow:auto;white-space:pre-wrap;word-break:break-word}
aside .facts{font-size:13px;color:#334155;margin:4px 0}
.error{color:#b91c1c;font-weight:600}
`;

/** Pan (drag), zoom (wheel, buttons), fit, and the side panel of the clicked state. Plain DOM; nothing is loaded. */
const PAGE_SCRIPT = `
(function(){
  var data=JSON.parse(document.getElementById('sw-data').textContent);
  // State names are the definition's strings: a Map, so __proto__ or toString is a state like any other.
  var states=new Map(data.states.map(function(s){return [s.name,s];}));
  var canvas=document.getElementById('sw-canvas');
  var svg=canvas.querySelector('svg');
  var panel=document.getElementById('sw-panel');
  var W=svg.viewBox.baseVal.width,H=svg.viewBox.baseVal.height;
  var view={x:0,y:0,k:1},minK=0.05;
  function apply(){svg.style.transform='translate('+view.x+'px,'+view.y+'px) scale('+view.k+')';}
  // The whole machine in view, centred, with a margin. Only one too large to show at 1/20 of its
  // size (hundreds of states in a row) opens at its start instead, as wide as the window allows;
  // zooming out from there still reaches the whole.
  function fit(){
    var cw=canvas.clientWidth,ch=canvas.clientHeight,m=10;
    var k=Math.min((cw-2*m)/W,(ch-2*m)/H,1.5);
    if(!(k>0))k=1;
    minK=Math.min(0.05,k);
    var tall=(cw-2*m)/W>=(ch-2*m)/H;
    if(k<0.05)k=Math.min(tall?(cw-2*m)/W:(ch-2*m)/H,1);
    view.k=k;
    view.x=(cw-W*k)/2;view.y=(ch-H*k)/2;
    if(tall&&view.y<m)view.y=m;
    if(!tall&&view.x<m)view.x=m;
    apply();
  }
  function zoom(f,cx,cy){
    var k=Math.min(Math.max(view.k*f,minK),8);
    view.x=cx-(cx-view.x)*(k/view.k);view.y=cy-(cy-view.y)*(k/view.k);view.k=k;apply();
  }
  canvas.addEventListener('wheel',function(ev){
    ev.preventDefault();
    var r=canvas.getBoundingClientRect();
    zoom(Math.exp(-ev.deltaY*0.0015),ev.clientX-r.left,ev.clientY-r.top);
  },{passive:false});
  var drag=null;
  canvas.addEventListener('pointerdown',function(ev){
    if(ev.target.closest&&ev.target.closest('#sw-tools'))return;
    drag={x:ev.clientX,y:ev.clientY,vx:view.x,vy:view.y,moved:false};
  });
  window.addEventListener('pointermove',function(ev){
    if(!drag)return;
    var dx=ev.clientX-drag.x,dy=ev.clientY-drag.y;
    if(Math.abs(dx)+Math.abs(dy)>3){drag.moved=true;canvas.classList.add('dragging');}
    view.x=drag.vx+dx;view.y=drag.vy+dy;apply();
  });
  window.addEventListener('pointerup',function(){canvas.classList.remove('dragging');setTimeout(function(){drag=null;},0);});
  document.getElementById('sw-zoom-in').onclick=function(){zoom(1.25,canvas.clientWidth/2,canvas.clientHeight/2);};
  document.getElementById('sw-zoom-out').onclick=function(){zoom(0.8,canvas.clientWidth/2,canvas.clientHeight/2);};
  document.getElementById('sw-fit').onclick=fit;
  function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined)e.textContent=text;return e;}
  function show(name){
    var s=states.get(name);if(!s)return;
    var old=svg.querySelector('.sw-node.selected');if(old)old.classList.remove('selected');
    svg.querySelectorAll('.sw-node[data-state]').forEach(function(n){if(n.getAttribute('data-state')===name)n.classList.add('selected');});
    panel.textContent='';
    panel.appendChild(el('h2','',name));
    panel.appendChild(el('div','facts',s.type+(s.visits?' · entered '+s.visits+'×':'')+(s.retries?' · retried '+s.retries+'×':'')+(s.uncovered?' · never exercised':'')));
    if(s.error)panel.appendChild(el('div','facts error','✗ '+s.error+(s.cause?': '+s.cause:'')));
    panel.appendChild(el('pre','',JSON.stringify(s.definition,null,2)));
  }
  svg.addEventListener('click',function(ev){
    if(drag&&drag.moved)return;
    var n=ev.target.closest&&ev.target.closest('[data-state]');
    if(n)show(n.getAttribute('data-state'));
  });
  svg.addEventListener('keydown',function(ev){
    var n=ev.target.closest&&ev.target.closest('[data-state]');
    if(n&&(ev.key==='Enter'||ev.key===' ')){ev.preventDefault();show(n.getAttribute('data-state'));}
  });
  window.addEventListener('resize',fit);
  window.stepwright={show:show,fit:fit,view:view};
  fit();
})();
`;

/**
 * Where the execution failed, for the header: the state it ended in and, when a Catch sent it
 * there (a Saga's compensation ending in a Fail state), the state whose error started that.
 */
function failedWhere(path: ExecutionPath): string {
  if (path.failedState === undefined) return '';
  const caught = path.caughtBeforeFailure;
  const after = caught === undefined ? '' : `, after ${xml(caught.state)} failed${caught.error !== undefined ? ` with ${xml(caught.error)}` : ''}`;
  return ` (in ${xml(path.failedState)}${after})`;
}

/**
 * The state machine as one self-contained HTML page (no network, no CDN):
 * laid out by dagre when rendered, drawn as inline SVG, with pan (drag),
 * zoom (wheel or the buttons) and a side panel showing the definition of
 * the state you click. With `run`, the execution's path is drawn (entered
 * states and taken edges highlighted, the failed state red with its error,
 * retries noted, a Map's iterations and a Parallel's branch runs summed up
 * as `5 iterations, 3 succeeded, 2 failed`); with `coverage`, what the tests never
 * exercised is drawn apart and the percentages head the page.
 *
 * @example
 * import { renderHtml } from 'stepwright';
 * fs.writeFileSync('order.html', renderHtml(definition, { run, coverage, title: 'Order workflow' }));
 */
export function renderHtml(definition: DrawableDefinition, options: RenderOptions = {}): string {
  const { graph, marks, path, svg, title, comment } = prepare(definition, options);
  /** The side panel's error line: the execution's error where it failed, else how the state's visits failed. */
  const errorOf = (name: string): { error?: string; cause?: string } => {
    if (marks.failedState === name) return { error: path?.error ?? path?.status ?? 'failed', ...(path?.cause !== undefined ? { cause: path.cause } : {}) };
    const failure = ownValue(path?.failures, name);
    return marks.failed.has(name) && failure ? { error: failureNote(failure).replace(/^\u2717 /, '') } : {};
  };
  // A list, not an object keyed by name: a state named __proto__ would set the object's prototype.
  const states: unknown[] = [];
  for (const s of graph.states.values()) {
    const visits = ownValue(path?.states, s.name);
    const retries = ownValue(path?.retries, s.name);
    states.push({
      name: s.name,
      type: s.type,
      definition: s.definition,
      ...(visits ? { visits } : {}),
      ...(retries ? { retries } : {}),
      ...errorOf(s.name),
      ...(marks.uncovered.has(s.name) ? { uncovered: true } : {}),
    });
  }
  const head: string[] = [`<h1>${xml(title)}</h1>`];
  if (comment !== undefined) head.push(`<span class="sw-comment">${xml(comment.length > 200 ? `${comment.slice(0, 199)}…` : comment)}</span>`);
  if (path?.status !== undefined) {
    head.push(`<span class="sw-status ${xml(path.status)}">${xml(path.status)}</span>`);
    if (path.error !== undefined) head.push(`<span class="error">${xml(path.error)}${path.cause !== undefined ? `: ${xml(path.cause.length > 200 ? `${path.cause.slice(0, 199)}…` : path.cause)}` : ''}${failedWhere(path)}</span>`);
  }
  const coverage = options.coverage;
  if (coverage) {
    const spans = COVERAGE_CATEGORIES.filter((c) => coverage[c].total > 0).map((c) => {
      const { covered, total } = coverage[c];
      const pct = Math.floor((covered / total) * 100);
      return `<span class="${pct < 100 ? 'low' : ''}" data-category="${c}">${c} ${covered}/${total} (${pct}%)</span>`;
    });
    head.push(`<div class="sw-coverage" title="coverage${coverage.runs !== undefined ? ` of ${xml(String(coverage.runs))} run(s)` : ''}">${spans.join('')}</div>`);
  }
  const legend = [
    path ? '<span><i style="border-color:#1d4ed8;background:#dbeafe"></i>entered</span><span><i style="border-color:#dc2626;background:#fecaca"></i>failed</span>' : '',
    marks.caught.size ? '<span><i style="border-color:#ea580c;background:#ffedd5"></i>error caught</span>' : '',
    coverage ? '<span><i style="border-color:#9ca3af;border-style:dashed;background:#f3f4f6"></i>never exercised</span><span><i style="border-color:#d97706;border-style:dashed"></i>branch never taken</span>' : '',
    '<span><i style="border-color:#b91c1c;border-style:dashed"></i>catch</span>',
  ].join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${xml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>${head.join('\n')}<div class="sw-legend">${legend}</div></header>
<main id="sw-canvas"><div id="sw-tools"><button id="sw-zoom-in" title="Zoom in">+</button><button id="sw-zoom-out" title="Zoom out">−</button><button id="sw-fit" title="Fit to window">⤢</button></div>
${svg}
</main>
<aside id="sw-panel"><h2>Click a state</h2><div class="facts">to see its definition. Drag to pan, scroll to zoom.</div></aside>
<script type="application/json" id="sw-data">${scriptJson({ states })}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
