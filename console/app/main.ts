/// <reference lib="dom" />
/*
 * The stepwright serve console: state machines, executions, one execution's diagram and history
 * (live), and the actions a developer needs while testing. Pages are chosen by the URL's hash.
 */
import { act, ApiFailure, badge, clock, get, h, link, pretty, token, when } from './dom';

interface Machine {
  stateMachineArn: string; name: string; type: string; creationDate: string; definition: string;
  versions: { stateMachineVersionArn: string; version: number; description: string; creationDate: string }[];
  aliases: { stateMachineAliasArn: string; name: string; description: string; routing: { stateMachineVersionArn: string; weight: number }[] }[];
  executions: number; lastInput?: string;
}
interface ExecutionRow { executionArn: string; name: string; status: string; stateMachineName: string; type: string; startDate: string; stopDate?: string; redriveCount: number }
interface Attempt { eventId: number; scheduled: string; ended?: string; outcome: string; error?: string; cause?: string; backoffMs?: number }
interface Visit {
  state: string; type: string; enteredId: number; entered: string; exited?: string; input?: string; output?: string;
  attempts: Attempt[]; caught?: { error?: string; cause?: string }; children: { started: number; succeeded: number; failed: number; aborted: number }; parent?: number;
}
interface View {
  execution: Record<string, string | number | undefined> & { executionArn: string; name: string; status: string; stateMachineArn: string; input: string };
  svg: string;
  states: { name: string; entered: number; retries: number; failed: boolean; caught: boolean }[];
  visits: Visit[];
  waiting: { token: string; state?: string }[];
  eventCount: number;
  events: (Record<string, unknown> & { id: number; type: string; timestamp: number; previousEventId?: number })[];
}

const root = h('div', { class: 'app' });
const nav = h('header', { class: 'top' }, link('#/', h('strong', {}, 'stepwright console')), h('span', { class: 'muted' }, 'local serve'));
const main = h('main', {});
const notice = h('div', { class: 'notice', attrs: { role: 'status' } });
root.append(nav, notice, main);

/** What the current page must stop when another replaces it (a live stream). */
let leave: (() => void) | undefined;

function say(message: string, error = false): void {
  notice.textContent = message;
  notice.className = `notice${error ? ' error' : ''}${message ? ' shown' : ''}`;
}

async function route(): Promise<void> {
  leave?.();
  leave = undefined;
  say('');
  const hash = location.hash.replace(/^#/, '') || '/';
  const [, page = '', ...rest] = hash.split('/');
  const arg = (i: number): string => decodeURIComponent(rest[i] ?? '');
  main.textContent = '';
  try {
    if (page === 'machine') await machinePage(arg(0));
    else if (page === 'execution') await executionPage(arg(0));
    else if (page === 'compare') await comparePage(arg(0), arg(1));
    else await homePage();
  } catch (e) {
    say(e instanceof Error ? e.message : String(e), true);
  }
}

// ---- home: state machines and executions

async function homePage(): Promise<void> {
  const { machines } = await get<{ machines: Machine[] }>('machines');
  main.append(h('h1', {}, 'State machines'), machinesTable(machines), h('h1', {}, 'Executions'));
  main.append(await executionsList(undefined));
}

function machinesTable(machines: Machine[]): HTMLElement {
  if (machines.length === 0) return h('p', { class: 'muted' }, 'No state machine yet: create one with the AWS SDK or CLI, or start serve with --load <cdk.out>.');
  const rows = machines.map((m) => h('tr', {},
    h('td', {}, link(`#/machine/${encodeURIComponent(m.stateMachineArn)}`, m.name)),
    h('td', {}, m.type),
    h('td', {}, m.versions.map((v) => `v${v.version}`).join(', ') || '—'),
    h('td', {}, m.aliases.map((a) => `${a.name} → ${a.routing.map((r) => `v${r.stateMachineVersionArn.split(':').pop() ?? ''} ${r.weight}%`).join(', ')}`).join('; ') || '—'),
    h('td', { class: 'num' }, String(m.executions)),
    h('td', {}, when(m.creationDate))));
  return h('table', { class: 'grid machines' }, h('thead', {}, h('tr', {}, ...['Name', 'Type', 'Versions', 'Aliases', 'Executions', 'Created'].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows));
}

/** The executions, newest first, with filters by status and name and pages of up to 10,000. */
async function executionsList(machineArn: string | undefined): Promise<HTMLElement> {
  const box = h('section', { class: 'executions' });
  const status = h('select', { attrs: { 'aria-label': 'status' } }, ...['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'].map((s) => h('option', { attrs: { value: s } }, s || 'any status')));
  const name = h('input', { attrs: { type: 'search', placeholder: 'name contains…', 'aria-label': 'name' } });
  const size = h('select', { attrs: { 'aria-label': 'page size' } }, ...['100', '1000', '10000'].map((s) => h('option', { attrs: { value: s } }, `${s} a page`)));
  size.value = '1000';
  const info = h('span', { class: 'muted' });
  const prev = h('button', {}, '← newer');
  const next = h('button', {}, 'older →');
  const table = h('div', {});
  let offset = 0;
  const load = async (): Promise<void> => {
    const page = await get<{ total: number; offset: number; limit: number; executions: ExecutionRow[] }>('executions', {
      ...(machineArn ? { machine: machineArn } : {}), status: status.value, name: name.value, offset: String(offset), limit: size.value,
    });
    info.textContent = page.total === 0 ? 'no executions' : `${page.offset + 1}–${page.offset + page.executions.length} of ${page.total}`;
    prev.disabled = offset === 0;
    next.disabled = page.offset + page.executions.length >= page.total;
    table.replaceChildren(executionsTable(page.executions));
  };
  const reload = (): void => { offset = 0; void load().catch((e: Error) => say(e.message, true)); };
  status.addEventListener('change', reload);
  size.addEventListener('change', reload);
  name.addEventListener('input', reload);
  prev.addEventListener('click', () => { offset = Math.max(0, offset - Number(size.value)); void load(); });
  next.addEventListener('click', () => { offset += Number(size.value); void load(); });
  box.append(h('div', { class: 'filters' }, status, name, size, prev, next, info), table);
  await load();
  return box;
}

function executionsTable(list: ExecutionRow[]): HTMLElement {
  // One string of rows built by the DOM, not by markup: a table of 10,000 rows in one fragment.
  const body = document.createElement('tbody');
  for (const e of list) {
    const tr = document.createElement('tr');
    const cell = (child: Node | string): void => { const td = document.createElement('td'); td.append(child); tr.append(td); };
    cell(link(`#/execution/${encodeURIComponent(e.executionArn)}`, e.name));
    cell(badge(e.status));
    cell(e.stateMachineName);
    cell(e.type);
    cell(when(e.startDate));
    cell(when(e.stopDate));
    cell(e.redriveCount ? `redriven ${e.redriveCount}×` : '');
    body.append(tr);
  }
  return h('table', { class: 'grid executions-table' }, h('thead', {}, h('tr', {}, ...['Name', 'Status', 'State machine', 'Type', 'Started', 'Stopped', ''].map((t) => h('th', {}, t)))), body);
}

// ---- a state machine: versions, aliases, definition, start

async function machinePage(arn: string): Promise<void> {
  const { machines } = await get<{ machines: Machine[] }>('machines');
  const m = machines.find((x) => x.stateMachineArn === arn);
  if (!m) throw new ApiFailure(`No state machine ${arn}`);
  const target = h('select', { attrs: { 'aria-label': 'run' } },
    h('option', { attrs: { value: m.stateMachineArn } }, 'latest revision'),
    ...m.versions.map((v) => h('option', { attrs: { value: v.stateMachineVersionArn } }, `version ${v.version}`)),
    ...m.aliases.map((a) => h('option', { attrs: { value: a.stateMachineAliasArn } }, `alias ${a.name}`)));
  const name = h('input', { attrs: { placeholder: 'name (optional)', 'aria-label': 'execution name' } });
  const input = h('textarea', { class: 'editor', attrs: { rows: '8', spellcheck: 'false', 'aria-label': 'input', id: 'start-input' } });
  input.value = pretty(m.lastInput ?? '{}');
  const start = h('button', { class: 'primary', attrs: { id: 'start' } }, 'Start execution');
  start.addEventListener('click', () => {
    void (async () => {
      try {
        JSON.parse(input.value);
      } catch (e) {
        say(`The input is not JSON: ${(e as Error).message}`, true);
        return;
      }
      const answer = await act('start', { stateMachineArn: target.value, input: input.value, name: name.value });
      location.hash = `#/execution/${encodeURIComponent(String(answer.executionArn))}`;
    })().catch((e: Error) => say(e.message, true));
  });
  main.append(
    h('h1', {}, m.name, ' ', h('span', { class: 'muted' }, m.type)),
    h('p', { class: 'muted mono' }, m.stateMachineArn),
    h('h2', {}, 'Versions'),
    m.versions.length ? h('ul', {}, ...m.versions.map((v) => h('li', {}, `version ${v.version}`, v.description ? ` — ${v.description}` : '', ` (${when(v.creationDate)})`))) : h('p', { class: 'muted' }, 'none published'),
    h('h2', {}, 'Aliases'),
    m.aliases.length ? h('ul', {}, ...m.aliases.map((a) => h('li', {}, `${a.name}: `, a.routing.map((r) => `${r.stateMachineVersionArn.split(':').pop() ?? ''} at ${r.weight}%`).join(', ')))) : h('p', { class: 'muted' }, 'none'),
    h('h2', {}, 'Start an execution'),
    h('div', { class: 'start' }, target, name, input, start),
    h('h2', {}, 'Executions'),
    await executionsList(m.stateMachineArn),
    h('details', {}, h('summary', {}, 'Definition'), h('pre', {}, pretty(m.definition))),
  );
}

// ---- an execution

async function executionPage(arn: string): Promise<void> {
  let view = await get<View>('execution', { arn });
  let selected: string | undefined;
  let filter = '';
  const head = h('div', { class: 'exec-head' });
  const retried = h('div', { class: 'retried-banner', attrs: { id: 'retried' } });
  const graph = h('div', { class: 'graph', attrs: { id: 'graph' } });
  const panel = h('aside', { class: 'panel', attrs: { id: 'panel' } });
  const waiting = h('section', { class: 'waiting', attrs: { id: 'waiting' } });
  const search = h('input', { attrs: { type: 'search', placeholder: 'search events (type, state, error, any text)…', id: 'event-search', 'aria-label': 'search events' } });
  const events = h('div', { attrs: { id: 'events' } });
  const io = h('section', { class: 'io' });
  main.append(head, retried, h('div', { class: 'split' }, graph, panel), waiting, io, h('h2', {}, 'Event history'), search, events);
  search.addEventListener('input', () => { filter = search.value.toLowerCase(); drawEvents(); });

  const draw = (): void => {
    const e = view.execution;
    const stop = h('button', { attrs: { id: 'stop' } }, 'Stop');
    stop.disabled = e.status !== 'RUNNING';
    stop.addEventListener('click', () => { void act('stop', { executionArn: e.executionArn, error: 'Console.Stopped', cause: 'stopped from the console' }).catch((x: Error) => say(x.message, true)); });
    const redrive = h('button', { attrs: { id: 'redrive' } }, 'Redrive');
    redrive.disabled = !['FAILED', 'TIMED_OUT', 'ABORTED'].includes(e.status);
    redrive.addEventListener('click', () => { void act('redrive', { executionArn: e.executionArn }).then(() => say('Redriven')).catch((x: Error) => say(x.message, true)); });
    const again = link(`#/machine/${encodeURIComponent(e.stateMachineArn)}`, 'Start another…');
    const other = h('input', { attrs: { placeholder: 'another execution ARN', 'aria-label': 'compare with', id: 'compare-with' } });
    const compare = h('button', { attrs: { id: 'compare' } }, 'Compare');
    compare.addEventListener('click', () => { location.hash = `#/compare/${encodeURIComponent(e.executionArn)}/${encodeURIComponent(other.value.trim())}`; });
    head.replaceChildren(
      h('h1', {}, e.name, ' ', badge(e.status)),
      h('div', { class: 'facts' }, h('span', {}, 'machine ', link(`#/machine/${encodeURIComponent(e.stateMachineArn)}`, String(e.stateMachineName))), h('span', {}, String(e.type)),
        h('span', {}, `started ${when(String(e.startDate))}`), e.stopDate ? h('span', {}, `stopped ${when(String(e.stopDate))}`) : undefined,
        e.redriveCount ? h('span', {}, `redriven ${String(e.redriveCount)}×`) : undefined, h('span', {}, `${view.eventCount} events`)),
      e.error !== undefined ? h('div', { class: 'error' }, `✗ ${String(e.error)}${e.cause !== undefined ? `: ${String(e.cause)}` : ''}`) : '',
      h('div', { class: 'actions' }, stop, redrive, again, other, compare),
    );
    const retries = view.states.filter((s) => s.retries > 0);
    retried.replaceChildren(...retries.map((s) => h('button', { class: 'retried-chip', attrs: { 'data-state': s.name }, on: { click: () => select(s.name) } }, `⟳ ${s.name} retried ${s.retries}×`)));
    retried.hidden = retries.length === 0;
    drawGraph();
    drawPanel();
    drawWaiting();
    io.replaceChildren(h('details', {}, h('summary', {}, 'Execution input'), h('pre', {}, pretty(e.input))),
      e.output !== undefined ? h('details', {}, h('summary', {}, 'Execution output'), h('pre', {}, pretty(String(e.output)))) : '');
    drawEvents();
  };

  const drawGraph = (): void => {
    const doc = new DOMParser().parseFromString(view.svg, 'image/svg+xml');
    const svg = doc.documentElement;
    // The server sends the diagram without its style sheet (app.css holds it); nothing in it may run.
    for (const el of Array.from(svg.querySelectorAll('style, script, foreignObject'))) el.remove();
    const byName = new Map(view.states.map((s) => [s.name, s]));
    for (const node of Array.from(svg.querySelectorAll('.sw-node[data-state]'))) {
      const name = node.getAttribute('data-state') ?? '';
      const s = byName.get(name);
      if (s && s.retries > 0) {
        node.classList.add('sw-retried');
        const box = node.querySelector('.shape');
        const bb = box && 'getBBox' in box ? (box as SVGGraphicsElement) : undefined;
        const x = Number(bb?.getAttribute('x') ?? node.querySelector('text')?.getAttribute('x') ?? 0) + Number(bb?.getAttribute('width') ?? 0);
        const y = Number(bb?.getAttribute('y') ?? 0);
        const ns = 'http://www.w3.org/2000/svg';
        const g = document.createElementNS(ns, 'g');
        g.setAttribute('class', 'sw-retry-badge');
        const c = document.createElementNS(ns, 'rect');
        c.setAttribute('x', String(x - 30)); c.setAttribute('y', String(y - 10)); c.setAttribute('width', '44'); c.setAttribute('height', '20'); c.setAttribute('rx', '10');
        const t = document.createElementNS(ns, 'text');
        t.setAttribute('x', String(x - 8)); t.setAttribute('y', String(y + 4)); t.setAttribute('text-anchor', 'middle');
        t.textContent = `⟳${s.retries}`;
        g.append(c, t);
        node.append(g);
      }
      if (name === selected) node.classList.add('selected');
    }
    graph.replaceChildren(document.importNode(svg, true));
  };

  const select = (name: string): void => { selected = name; drawGraph(); drawPanel(); };
  graph.addEventListener('click', (ev) => {
    const node = (ev.target as Element).closest?.('[data-state]');
    if (node) select(node.getAttribute('data-state') ?? '');
  });

  const drawPanel = (): void => {
    if (selected === undefined) {
      panel.replaceChildren(h('h2', {}, 'Click a state'), h('p', { class: 'muted' }, 'to see its visits: attempts, retries with their errors and back-off, catches, input and output.'));
      return;
    }
    const visits = view.visits.filter((v) => v.state === selected);
    const summary = view.states.find((s) => s.name === selected);
    panel.replaceChildren(
      h('h2', {}, selected),
      h('div', { class: 'facts' }, `entered ${summary?.entered ?? 0}×`, summary && summary.retries > 0 ? h('strong', { class: 'retry-text' }, ` · retried ${summary.retries}×`) : ''),
      ...visits.slice(0, 200).map((v, i) => visitCard(v, i)),
      visits.length > 200 ? h('p', { class: 'muted' }, `and ${visits.length - 200} more visits (see the history)`) : '',
    );
  };

  const visitCard = (v: Visit, i: number): HTMLElement => {
    const parent = v.parent !== undefined ? view.visits[v.parent] : undefined;
    const attempts = v.attempts.length ? h('table', { class: 'grid attempts' },
      h('thead', {}, h('tr', {}, ...['#', 'scheduled', 'outcome', 'error', 'back-off'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...v.attempts.map((a, n) => h('tr', { class: a.outcome },
        h('td', {}, String(n + 1)), h('td', {}, clock(a.scheduled)), h('td', {}, a.outcome),
        h('td', { attrs: { title: a.cause ?? '' } }, a.error ? `${a.error}${a.cause ? `: ${a.cause.length > 160 ? `${a.cause.slice(0, 159)}…` : a.cause}` : ''}` : ''),
        h('td', {}, a.backoffMs !== undefined ? `${(a.backoffMs / 1000).toFixed(3)} s` : ''))))) : '';
    const kids = v.children.started ? h('div', { class: 'facts' }, `${v.type === 'Map' ? 'iterations' : 'branches'}: ${v.children.started} started, ${v.children.succeeded} succeeded, ${v.children.failed} failed, ${v.children.aborted} aborted`) : '';
    return h('div', { class: 'visit' },
      h('h3', {}, `visit ${i + 1}`, parent ? h('span', { class: 'muted' }, ` in ${parent.state}`) : '', v.exited ? '' : h('span', { class: 'badge s-RUNNING' }, 'in progress')),
      h('div', { class: 'facts' }, `entered ${when(v.entered)}${v.exited ? `, left ${when(v.exited)}` : ''}`),
      attempts, kids,
      v.caught ? h('div', { class: 'caught' }, `caught: ${v.caught.error ?? ''}${v.caught.cause ? ` (${v.caught.cause.slice(0, 200)})` : ''}`) : '',
      h('details', {}, h('summary', {}, 'input'), h('pre', {}, pretty(v.input))),
      v.output !== undefined ? h('details', {}, h('summary', {}, 'output'), h('pre', {}, pretty(v.output))) : '');
  };

  const drawWaiting = (): void => {
    if (view.waiting.length === 0) { waiting.replaceChildren(); return; }
    waiting.replaceChildren(h('h2', {}, 'Waiting for a callback'), ...view.waiting.map((w) => {
      const output = h('textarea', { class: 'editor', attrs: { rows: '3', 'aria-label': 'task output', spellcheck: 'false' } });
      output.value = '{}';
      const error = h('input', { attrs: { placeholder: 'error', 'aria-label': 'task error' } });
      const cause = h('input', { attrs: { placeholder: 'cause', 'aria-label': 'task cause' } });
      const done = (p: Promise<unknown>, what: string): void => { void p.then(() => say(what)).catch((x: Error) => say(x.message, true)); };
      return h('div', { class: 'callback', attrs: { 'data-token': w.token } },
        h('div', {}, h('strong', {}, w.state ?? '?'), h('span', { class: 'muted mono' }, ` token ${w.token.slice(0, 24)}…`)),
        output,
        h('button', { class: 'primary send-success', on: { click: () => done(act('success', { taskToken: w.token, output: output.value }), 'Task success sent') } }, 'Send success'),
        error, cause,
        h('button', { class: 'send-failure', on: { click: () => done(act('failure', { taskToken: w.token, error: error.value, cause: cause.value }), 'Task failure sent') } }, 'Send failure'),
        h('button', { class: 'send-heartbeat', on: { click: () => done(act('heartbeat', { taskToken: w.token }), 'Heartbeat sent') } }, 'Send heartbeat'));
    }));
  };

  const drawEvents = (): void => {
    const rows = document.createElement('tbody');
    let shown = 0;
    let matching = 0;
    for (const ev of view.events) {
      const details = Object.entries(ev).find(([k]) => k.endsWith('EventDetails'))?.[1];
      const text = details === undefined ? '' : JSON.stringify(details);
      if (filter && !`${ev.id} ${ev.type} ${text}`.toLowerCase().includes(filter)) continue;
      matching++;
      if (shown >= 500) continue;
      shown++;
      const tr = document.createElement('tr');
      for (const cell of [String(ev.id), ev.type, when(new Date(ev.timestamp * 1000).toISOString()), String(ev.previousEventId ?? ''), text.length > 400 ? `${text.slice(0, 400)}…` : text]) {
        const td = document.createElement('td');
        td.textContent = cell;
        tr.append(td);
      }
      if (/Failed|TimedOut|Aborted/.test(ev.type)) tr.className = 'failed';
      rows.append(tr);
    }
    events.replaceChildren(
      h('p', { class: 'muted' }, `${matching} of ${view.events.length} events${matching > shown ? `, first ${shown} shown: narrow the search` : ''}`),
      h('table', { class: 'grid events-table' }, h('thead', {}, h('tr', {}, ...['id', 'type', 'time', 'previous', 'details'].map((t) => h('th', {}, t)))), rows));
  };

  draw();
  // Live: the server says when the history grows; one reload at a time, the last change wins.
  const source = new EventSource(`/console/api/watch?arn=${encodeURIComponent(arn)}&token=${encodeURIComponent(token())}`);
  let loading = false;
  let again = false;
  const reload = async (): Promise<void> => {
    if (loading) { again = true; return; }
    loading = true;
    try {
      do {
        again = false;
        view = await get<View>('execution', { arn });
        draw();
      } while (again);
    } finally {
      loading = false;
    }
  };
  // The first change arrives on connecting: it catches up with what happened since the view was read.
  source.addEventListener('change', () => {
    void reload().catch((e: Error) => say(e.message, true));
  });
  leave = () => source.close();
}

// ---- compare two executions

async function comparePage(a: string, b: string): Promise<void> {
  const c = await get<{ a: { name: string; status: string; executionArn: string }; b: { name: string; status: string; executionArn: string }; equal: boolean; differences: string[] }>('compare', { a, b });
  main.append(
    h('h1', {}, 'Compare executions'),
    h('p', {}, link(`#/execution/${encodeURIComponent(c.a.executionArn)}`, c.a.name), ' ', badge(c.a.status), ' vs ', link(`#/execution/${encodeURIComponent(c.b.executionArn)}`, c.b.name), ' ', badge(c.b.status)),
    c.equal ? h('p', { class: 'equal', attrs: { id: 'compare-result' } }, 'equal: the same path, outcome and output')
      : h('ul', { class: 'differences', attrs: { id: 'compare-result' } }, ...c.differences.map((d) => h('li', {}, d))));
}

document.body.append(root);
window.addEventListener('hashchange', () => { void route(); });
void route();
