/// <reference lib="dom" />
/*
 * The stepwright serve console: state machines, executions, one execution's diagram and history
 * (live), and the actions a developer needs while testing. Pages are chosen by the URL's hash.
 */
import { Diagram, type Overlay } from './diagram';
import { act, badge, clock, get, h, jsonWithoutMarks, link, pretty, token, when } from './dom';

/** A state machine as the home page lists it: its newest versions, no definition. */
interface MachineRow {
  stateMachineArn: string;
  name: string;
  type: string;
  creationDate: string;
  versionCount: number;
  versions: { stateMachineVersionArn: string; version: number }[];
  aliases: { stateMachineAliasArn: string; name: string; routing: { stateMachineVersionArn: string; weight: number }[] }[];
  executions: number;
}
/** A state machine as its own page shows it. */
interface Machine {
  stateMachineArn: string;
  name: string;
  type: string;
  creationDate: string;
  definition: string;
  versions: { stateMachineVersionArn: string; version: number; description: string; creationDate: string }[];
  aliases: { stateMachineAliasArn: string; name: string; description: string; routing: { stateMachineVersionArn: string; weight: number }[] }[];
  executions: number;
  lastInput?: string;
}
interface ExecutionRow {
  executionArn: string;
  name: string;
  status: string;
  stateMachineName: string;
  type: string;
  startDate: string;
  stopDate?: string;
  redriveCount: number;
}
interface Attempt { eventId: number; scheduled: string; ended?: string; outcome: string; error?: string; cause?: string; backoffMs?: number }
interface Visit {
  state: string;
  type: string;
  enteredId: number;
  entered: string;
  exited?: string;
  input?: string;
  output?: string;
  payloadsLeftOut?: boolean;
  attempts: Attempt[];
  caught?: { error?: string; cause?: string };
  caughtBy?: string;
  children: { started: number; succeeded: number; failed: number; aborted: number };
  mapRunArn?: string;
}
interface ItemCounts {
  pending: number; running: number; succeeded: number; failed: number; timedOut: number; aborted: number; total: number; resultsWritten: number;
}
interface MapRunView {
  mapRun: {
    mapRunArn: string;
    status: string;
    maxConcurrency: number;
    toleratedFailureCount: number;
    toleratedFailurePercentage: number;
    itemCounts: ItemCounts;
    redriveCount: number;
  };
  childrenKept: number;
  children: { executionArn: string; name: string; status: string; startDate: string; stopDate?: string }[];
}
type HistoryRow = Record<string, unknown> & { id: number; type: string; timestamp: number; previousEventId?: number };
interface EventsPage { total: number; offset: number; next: number; query: string; events: HistoryRow[]; stopped?: string }
type ExecutionFields = Record<string, string | number | undefined>
  & { executionArn: string; name: string; status: string; stateMachineArn: string; input: string };
interface View {
  execution: ExecutionFields;
  /** The revision's diagram: its SVG when the page does not have it yet, or why there is none. */
  diagram: { id: number; svg?: string; refusal?: string; pending?: true };
  overlay?: Overlay;
  states: { name: string; entered: number; retries: number; failed: boolean; caught: boolean }[];
  waiting: { token: string; state?: string; execution?: string }[];
  running: string[];
  eventCount: number;
  pathEvents: number;
  events: EventsPage;
}
interface StateVisits { state: string; total: number; visits: (Visit & { parentState?: string })[] }

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
  // Both read at once: serve answers the list while the page waits for the machines.
  const [{ machines, total }, list] = await Promise.all([get<{ machines: MachineRow[]; total: number }>('machines'), executionsList(undefined)]);
  const more = total > machines.length ? [h('p', { class: 'muted' }, `The first ${machines.length} of ${total} state machines.`)] : [];
  main.append(h('h1', {}, 'State machines'), machinesTable(machines), ...more, h('h1', {}, 'Executions'), list);
}

function machinesTable(machines: MachineRow[]): HTMLElement {
  if (machines.length === 0) return h('p', { class: 'muted' }, 'No state machine yet: create one with the AWS SDK or CLI, or start serve with --load <cdk.out>.');
  const rows = machines.map((m) => h('tr', {},
    h('td', {}, link(`#/machine/${encodeURIComponent(m.stateMachineArn)}`, m.name)),
    h('td', {}, m.type),
    h('td', {}, `${m.versionCount > m.versions.length ? '… ' : ''}${m.versions.map((v) => `v${v.version}`).join(', ')}` || '—'),
    h('td', {}, m.aliases.map((a) => `${a.name} → ${a.routing.map((r) => `v${r.stateMachineVersionArn.split(':').pop() ?? ''} ${r.weight}%`).join(', ')}`).join('; ') || '—'),
    h('td', { class: 'num' }, String(m.executions)),
    h('td', {}, when(m.creationDate))));
  return h('table', { class: 'grid machines' }, h('thead', {}, h('tr', {}, ...['Name', 'Type', 'Versions', 'Aliases', 'Executions', 'Created'].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows));
}

/** Executions read from serve at a time as the list scrolls. */
const CHUNK = 200;
/** Rows drawn beyond the visible ones, above and below. */
const OVERSCAN = 15;

/**
 * The executions, newest first, filtered by status and name: every one of them in one scrolling
 * list. Only the rows in view are drawn, and serve sends them CHUNK at a time as they come into
 * view, so 10,000 executions open as fast as 100.
 */
async function executionsList(machineArn: string | undefined): Promise<HTMLElement> {
  const box = h('section', { class: 'executions' });
  const status = h('select', { attrs: { 'aria-label': 'status' } }, ...['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'].map((s) => h('option', { attrs: { value: s } }, s || 'any status')));
  const name = h('input', { attrs: { 'type': 'search', 'placeholder': 'name contains…', 'aria-label': 'name' } });
  const info = h('span', { class: 'muted executions-info' });
  const scroller = h('div', { class: 'executions-scroll' });
  const above = h('div', {});
  const below = h('div', {});
  const body = document.createElement('tbody');
  scroller.append(above, h('table', { class: 'grid executions-table' },
    h('thead', {}, h('tr', {}, ...['Name', 'Status', 'State machine', 'Type', 'Started', 'Stopped', ''].map((t) => h('th', {}, t)))), body), below);
  box.append(h('div', { class: 'filters' }, status, name, info), scroller);

  interface Listing { total: number; rows: Map<number, ExecutionRow[]>; asked: Set<number> }
  let listing: Listing = { total: 0, rows: new Map(), asked: new Set() };
  let rowHeight = 0;
  let waitedFrames = 0;
  /** Which listing a chunk's answer belongs to: a filter changed since it was asked, it is dropped. */
  let generation = 0;
  /** Executions started since the listing was read shift it down; chunks read later are asked that much further on. */
  let shift = 0;

  const query = (offset: number): Record<string, string> => ({
    ...(machineArn ? { machine: machineArn } : {}), status: status.value, name: name.value, offset: String(offset), limit: String(CHUNK),
  });
  const fetchChunk = async (chunk: number, mine: number): Promise<void> => {
    for (let tries = 0; tries < 3; tries++) {
      const page = await get<{ total: number; executions: ExecutionRow[] }>('executions', query(chunk * CHUNK + shift));
      if (mine !== generation) return;
      const grown = page.total - listing.total - shift;
      if (grown <= 0 || tries === 2) {
        listing.rows.set(chunk, page.executions);
        return;
      }
      shift += grown;
    }
  };
  const draw = (): void => {
    const first = rowHeight ? Math.max(0, Math.floor(scroller.scrollTop / rowHeight) - OVERSCAN) : 0;
    const shown = rowHeight ? Math.ceil(scroller.clientHeight / rowHeight) + 2 * OVERSCAN : CHUNK;
    const last = Math.min(listing.total, first + shown);
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) rows.push(executionRow(listing.rows.get(Math.floor(i / CHUNK))?.[i % CHUNK]));
    body.replaceChildren(...rows);
    if (!rowHeight && body.firstElementChild) {
      rowHeight = (body.firstElementChild as HTMLElement).getBoundingClientRect().height || 0;
      // Measured on the first rows drawn: draw again with only as many as the list shows.
      if (rowHeight) { draw(); return; }
      // The list is drawn before the page places it: measure in the next frame, once it is there.
      if (!scroller.isConnected && waitedFrames++ < 10) requestAnimationFrame(draw);
    }
    above.style.height = `${first * rowHeight}px`;
    below.style.height = `${Math.max(0, listing.total - last) * rowHeight}px`;
    const missing = new Set<number>();
    for (let i = first; i < last; i++) if (!listing.rows.has(Math.floor(i / CHUNK))) missing.add(Math.floor(i / CHUNK));
    const mine = generation;
    for (const chunk of missing) {
      if (listing.asked.has(chunk)) continue;
      listing.asked.add(chunk);
      void fetchChunk(chunk, mine).then(() => { if (mine === generation) draw(); }).catch((e: Error) => say(e.message, true));
    }
  };
  const load = async (): Promise<void> => {
    const mine = ++generation;
    shift = 0;
    const page = await get<{ total: number; executions: ExecutionRow[] }>('executions', query(0));
    if (mine !== generation) return;
    listing = { total: page.total, rows: new Map([[0, page.executions]]), asked: new Set([0]) };
    info.textContent = page.total === 0 ? 'no executions' : `${page.total} execution${page.total === 1 ? '' : 's'}, newest first`;
    scroller.scrollTop = 0;
    draw();
  };
  const reload = (): void => { void load().catch((e: Error) => say(e.message, true)); };
  let frame = 0;
  scroller.addEventListener('scroll', () => {
    if (frame) return;
    frame = requestAnimationFrame(() => { frame = 0; draw(); });
  });
  status.addEventListener('change', reload);
  name.addEventListener('input', reload);
  await load();
  return box;
}

/** One row of the executions list; a row not read yet is a placeholder of the same height. */
function executionRow(e: ExecutionRow | undefined): HTMLElement {
  const tr = document.createElement('tr');
  const cell = (child: Node | string): void => { const td = document.createElement('td'); td.append(child); tr.append(td); };
  if (!e) {
    tr.className = 'placeholder';
    for (let i = 0; i < 7; i++) cell(i === 0 ? '…' : '');
    return tr;
  }
  cell(link(`#/execution/${encodeURIComponent(e.executionArn)}`, e.name));
  cell(badge(e.status));
  cell(e.stateMachineName);
  cell(e.type);
  cell(when(e.startDate));
  cell(when(e.stopDate));
  cell(e.redriveCount ? `redriven ${e.redriveCount}×` : '');
  return tr;
}

// ---- a state machine: versions, aliases, definition, start

async function machinePage(arn: string): Promise<void> {
  const m = await get<Machine>('machine', { arn });
  const target = h('select', { attrs: { 'aria-label': 'run' } },
    h('option', { attrs: { value: m.stateMachineArn } }, 'latest revision'),
    ...m.versions.map((v) => h('option', { attrs: { value: v.stateMachineVersionArn } }, `version ${v.version}`)),
    ...m.aliases.map((a) => h('option', { attrs: { value: a.stateMachineAliasArn } }, `alias ${a.name}`)));
  const name = h('input', { attrs: { 'placeholder': 'name (optional)', 'aria-label': 'execution name' } });
  const input = h('textarea', { class: 'editor', attrs: { 'rows': '8', 'spellcheck': 'false', 'aria-label': 'input', 'id': 'start-input' } });
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

/** Events of the history read from serve at a time, as the table scrolls. */
const EVENTS_PAGE = 200;

async function executionPage(arn: string): Promise<void> {
  let view = await get<View>('execution', { arn, limit: String(EVENTS_PAGE) });
  let selected: string | undefined;
  let visits: StateVisits | undefined;
  // The diagram opens fitted to its box (or, too large to read fitted, at a readable scale around
  // the state of interest); `Actual size` shows it at full size, scrolled to that state.
  let actualSize = false;
  const zoom = h('button', { attrs: { id: 'zoom' } }, 'Actual size');
  const zoomNote = h('span', { class: 'muted', attrs: { id: 'zoom-note' } });
  const head = h('div', { class: 'exec-head' });
  const retried = h('div', { class: 'retried-banner', attrs: { id: 'retried' } });
  const graph = h('div', { class: 'graph', attrs: { id: 'graph' } });
  const panel = h('aside', { class: 'panel', attrs: { id: 'panel' } });
  const waiting = h('section', { class: 'waiting', attrs: { id: 'waiting' } });
  const search = h('input', { attrs: { 'type': 'search', 'placeholder': 'search events (type, state, error, any text)…', 'id': 'event-search', 'aria-label': 'search events' } });
  const events = h('div', { attrs: { id: 'events' } });
  const io = h('section', { class: 'io' });
  main.append(head, retried, h('div', { class: 'split' }, graph, panel), waiting, io, h('h2', {}, 'Event history'), search, events);
  const history = historyTable(arn, events);
  search.addEventListener('input', () => history.search(search.value));
  const diagram = new Diagram(graph);
  let diagramId: number | undefined;

  const draw = (): void => {
    const e = view.execution;
    const stop = h('button', { attrs: { id: 'stop' } }, 'Stop');
    stop.disabled = e.status !== 'RUNNING';
    stop.addEventListener('click', () => { void act('stop', { executionArn: e.executionArn, error: 'Console.Stopped', cause: 'stopped from the console' }).catch((x: Error) => say(x.message, true)); });
    const redrive = h('button', { attrs: { id: 'redrive' } }, 'Redrive');
    redrive.disabled = !['FAILED', 'TIMED_OUT', 'ABORTED'].includes(e.status);
    redrive.addEventListener('click', () => { void act('redrive', { executionArn: e.executionArn }).then(() => say('Redriven')).catch((x: Error) => say(x.message, true)); });
    const again = link(`#/machine/${encodeURIComponent(e.stateMachineArn)}`, 'Start another…');
    const other = h('input', { attrs: { 'placeholder': 'another execution ARN', 'aria-label': 'compare with', 'id': 'compare-with' } });
    const compare = h('button', { attrs: { id: 'compare' } }, 'Compare');
    compare.addEventListener('click', () => { location.hash = `#/compare/${encodeURIComponent(e.executionArn)}/${encodeURIComponent(other.value.trim())}`; });
    const behind = view.eventCount - view.pathEvents;
    // A child execution of a Map Run runs the Map Run's state machine, which is no machine of its own: its parent leads back.
    const machine = e.parentArn !== undefined
      ? h('span', { class: 'child-of' }, `child of Map Run ${String(e.mapRunArn).split(':').pop() ?? ''} in `, link(`#/execution/${encodeURIComponent(String(e.parentArn))}`, String(e.parentName)))
      : h('span', {}, 'machine ', link(`#/machine/${encodeURIComponent(e.stateMachineArn)}`, String(e.stateMachineName)));
    // A nested execution leads back to the execution whose Task started it, as AWS's console does.
    const startedBy = e.startedByArn !== undefined
      ? h('span', { class: 'started-by' }, 'started by ', link(`#/execution/${encodeURIComponent(String(e.startedByArn))}`, String(e.startedByName)))
      : undefined;
    head.replaceChildren(
      h('h1', {}, e.name, ' ', badge(e.status)),
      h('div', { class: 'facts' }, machine, startedBy, h('span', {}, String(e.type)),
        h('span', {}, `started ${when(String(e.startDate))}`), e.stopDate ? h('span', {}, `stopped ${when(String(e.stopDate))}`) : undefined,
        e.redriveCount ? h('span', {}, `redriven ${String(e.redriveCount)}×`) : undefined, h('span', {}, `${view.eventCount} events`),
        behind > 0 ? h('span', { class: 'muted' }, `diagram as of event ${view.pathEvents}`) : undefined),
      e.error !== undefined ? h('div', { class: 'error' }, `✗ ${String(e.error)}${e.cause !== undefined ? `: ${String(e.cause)}` : ''}`) : '',
      h('div', { class: 'actions' }, stop, redrive, again, other, compare, zoom, zoomNote),
    );
    const retries = view.states.filter((s) => s.retries > 0);
    retried.replaceChildren(...retries.map((s) => h('button', { class: 'retried-chip', attrs: { 'data-state': s.name }, on: { click: () => select(s.name) } }, '⟳ ', s.name, ` retried ${s.retries}×`)));
    retried.hidden = retries.length === 0;
    drawGraph();
    drawPanel();
    drawWaiting();
    io.replaceChildren(h('details', {}, h('summary', {}, 'Execution input'), h('pre', {}, pretty(e.input))),
      e.output !== undefined ? h('details', {}, h('summary', {}, 'Execution output'), h('pre', {}, pretty(String(e.output)))) : '');
  };

  const drawGraph = (): void => {
    const d = view.diagram;
    if (d.refusal !== undefined) {
      if (diagramId !== d.id) diagram.refused(d.refusal);
      diagramId = d.id;
      return;
    }
    if (d.pending) {
      // Serve tells the page when the diagram is laid out; until then the page asks for it again.
      diagram.waiting();
      return;
    }
    if (d.svg !== undefined) diagram.load(d.svg, focus());
    diagramId = d.id;
    sayZoom();
    diagram.draw(view.overlay, new Map(view.states.map((s) => [s.name, s.retries])), selected);
  };

  /** The state the diagram is scrolled to: the one clicked, else the one running, else the last entered. */
  function focus(): string | undefined {
    return selected ?? view.running[view.running.length - 1] ?? view.states[view.states.length - 1]?.name;
  }
  function sayZoom(): void {
    zoomNote.textContent = diagram.zoomed ? `too large to read fitted: shown at ${Math.round(diagram.scale * 100)}%, scroll to see the rest` : '';
  }
  zoom.addEventListener('click', () => {
    actualSize = !actualSize;
    zoom.textContent = actualSize ? 'Fit to view' : 'Actual size';
    diagram.actualSize(actualSize, focus());
    sayZoom();
  });

  /** The visits of the state clicked, read from serve (a Map's state may have thousands). */
  const loadVisits = async (): Promise<void> => {
    const name = selected;
    if (name === undefined) return;
    const answer = await get<StateVisits>('visits', { arn, state: name });
    if (name === selected) {
      visits = answer;
      drawPanel();
    }
  };
  const select = (name: string): void => {
    selected = name;
    visits = undefined;
    drawGraph();
    drawPanel();
    void loadVisits().catch((e: Error) => say(e.message, true));
  };
  graph.addEventListener('click', (ev) => {
    const name = diagram.stateAt(ev.target as Element);
    if (name !== undefined) select(name);
  });

  const drawPanel = (): void => {
    if (selected === undefined) {
      panel.replaceChildren(h('h2', {}, 'Click a state'), h('p', { class: 'muted' }, 'to see its visits: attempts, retries with their errors and back-off, catches, input and output.'));
      return;
    }
    const summary = view.states.find((s) => s.name === selected);
    const shown = visits?.state === selected ? visits : undefined;
    panel.replaceChildren(
      h('h2', {}, selected),
      h('div', { class: 'facts' }, `entered ${summary?.entered ?? 0}×`, summary && summary.retries > 0 ? h('strong', { class: 'retry-text' }, ` · retried ${summary.retries}×`) : ''),
      ...(shown ? shown.visits.map((v, i) => visitCard(v, i)) : [h('p', { class: 'muted' }, 'reading its visits…')]),
      shown && shown.total > shown.visits.length ? h('p', { class: 'muted' }, `and ${shown.total - shown.visits.length} more visits (see the history)`) : '',
    );
  };

  const drawWaiting = (): void => {
    if (view.waiting.length === 0) { waiting.replaceChildren(); return; }
    waiting.replaceChildren(h('h2', {}, 'Waiting for a callback'), ...view.waiting.map((w) => {
      const output = h('textarea', { class: 'editor', attrs: { 'rows': '3', 'aria-label': 'task output', 'spellcheck': 'false' } });
      output.value = '{}';
      const error = h('input', { attrs: { 'placeholder': 'error', 'aria-label': 'task error' } });
      const cause = h('input', { attrs: { 'placeholder': 'cause', 'aria-label': 'task cause' } });
      const done = (p: Promise<unknown>, what: string): void => { void p.then(() => say(what)).catch((x: Error) => say(x.message, true)); };
      return h('div', { class: 'callback', attrs: { 'data-token': w.token } },
        h('div', {}, h('strong', {}, w.state ?? '?'),
          w.execution !== undefined ? h('span', {}, ' in child ', link(`#/execution/${encodeURIComponent(w.execution)}`, w.execution.split(':').pop() ?? '')) : '',
          h('span', { class: 'muted mono' }, ` token ${w.token.slice(0, 24)}…`)),
        output,
        h('button', { class: 'primary send-success', on: { click: () => done(act('success', { taskToken: w.token, output: output.value }), 'Task success sent') } }, 'Send success'),
        error, cause,
        h('button', { class: 'send-failure', on: { click: () => done(act('failure', { taskToken: w.token, error: error.value, cause: cause.value }), 'Task failure sent') } }, 'Send failure'),
        h('button', { class: 'send-heartbeat', on: { click: () => done(act('heartbeat', { taskToken: w.token }), 'Heartbeat sent') } }, 'Send heartbeat'));
    }));
  };

  draw();
  history.show(view.events);
  // Live: the server says when the history grows; one reload at a time, the last change wins. A
  // reload reads the summary only (the diagram's SVG only if it changed), and the table reads the
  // events recorded since, if it shows the end of the history.
  const source = new EventSource(`/console/api/watch?arn=${encodeURIComponent(arn)}&token=${encodeURIComponent(token())}`);
  let loading = false;
  let again = false;
  const reload = async (): Promise<void> => {
    if (loading) { again = true; return; }
    loading = true;
    try {
      do {
        again = false;
        view = await get<View>('execution', { arn, limit: '0', ...(diagramId !== undefined ? { diagram: String(diagramId) } : {}) });
        draw();
        history.grew(view.eventCount);
        if (selected !== undefined) await loadVisits();
      } while (again);
    } finally {
      loading = false;
    }
  };
  // The first change arrives on connecting: it catches up with what happened since the view was read.
  source.addEventListener('change', () => {
    void reload().catch((e: Error) => say(e.message, true));
  });
  leave = () => { source.close(); history.close(); };
}

/** A Distributed Map visit's Map Run: its item counts and its child executions, each opening its own page. */
function mapRunBox(arn: string): HTMLElement {
  const box = h('div', { class: 'map-run', attrs: { 'data-map-run': arn } }, h('p', { class: 'muted' }, 'reading its Map Run…'));
  void get<MapRunView>('maprun', { arn }).then((m) => {
    const c = m.mapRun.itemCounts;
    const tolerated = [m.mapRun.toleratedFailureCount ? `${m.mapRun.toleratedFailureCount} failures` : '', m.mapRun.toleratedFailurePercentage ? `${m.mapRun.toleratedFailurePercentage}%` : '']
      .filter(Boolean).join(' or ');
    box.replaceChildren(
      h('div', { class: 'facts' }, h('span', {}, 'Map Run ', badge(m.mapRun.status)),
        h('span', { class: 'item-counts' }, `items: ${c.succeeded} succeeded, ${c.failed} failed, ${c.running} running, ${c.pending} pending, ${c.aborted} aborted of ${c.total}`),
        tolerated ? h('span', {}, `tolerates ${tolerated}`) : undefined,
        m.mapRun.redriveCount ? h('span', {}, `redriven ${m.mapRun.redriveCount}×`) : undefined),
      m.children.length ? h('ul', { class: 'children' }, ...m.children.map((k) => h('li', {},
        link(`#/execution/${encodeURIComponent(k.executionArn)}`, k.name), ' ', badge(k.status)))) : h('p', { class: 'muted' }, 'no child execution kept'),
      m.childrenKept > m.children.length ? h('p', { class: 'muted' }, `and ${m.childrenKept - m.children.length} more`) : '');
  }).catch((e: Error) => box.replaceChildren(h('p', { class: 'error' }, e.message)));
  return box;
}

function visitCard(v: Visit & { parentState?: string }, i: number): HTMLElement {
  const attempts = v.attempts.length ? h('table', { class: 'grid attempts' },
    h('thead', {}, h('tr', {}, ...['#', 'scheduled', 'outcome', 'error', 'back-off'].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...v.attempts.map((a, n) => h('tr', { class: a.outcome },
      h('td', {}, String(n + 1)), h('td', {}, clock(a.scheduled)), h('td', {}, a.outcome),
      h('td', { attrs: { title: a.cause ?? '' } }, a.error ? `${a.error}${a.cause ? `: ${a.cause.length > 160 ? `${a.cause.slice(0, 159)}…` : a.cause}` : ''}` : ''),
      h('td', {}, a.backoffMs !== undefined ? `${(a.backoffMs / 1000).toFixed(3)} s` : ''))))) : '';
  const kids = v.children.started ? h('div', { class: 'facts' }, `${v.type === 'Map' ? 'iterations' : 'branches'}: ${v.children.started} started, ${v.children.succeeded} succeeded, ${v.children.failed} failed, ${v.children.aborted} aborted`) : '';
  const run = v.mapRunArn !== undefined ? mapRunBox(v.mapRunArn) : '';
  return h('div', { class: 'visit' },
    h('h3', {}, `visit ${i + 1}`, v.parentState !== undefined ? h('span', { class: 'muted' }, ` in ${v.parentState}`) : '', v.exited ? '' : h('span', { class: 'badge s-RUNNING' }, 'in progress')),
    h('div', { class: 'facts' }, `entered ${when(v.entered)}${v.exited ? `, left ${when(v.exited)}` : ''}`),
    attempts, kids, run,
    v.caught?.error !== undefined ? h('div', { class: 'caught' }, `caught: ${v.caught.error}${v.caught.cause ? ` (${v.caught.cause.slice(0, 200)})` : ''}`) : '',
    v.caughtBy !== undefined ? h('div', { class: 'caught-by' }, `its error ended its branch; the Catch of '${v.caughtBy}' took it`) : '',
    v.input !== undefined ? h('details', {}, h('summary', {}, 'input'), h('pre', {}, pretty(v.input))) : '',
    v.output !== undefined ? h('details', {}, h('summary', {}, 'output'), h('pre', {}, pretty(v.output))) : '',
    v.payloadsLeftOut ? h('p', { class: 'muted' }, 'input and output left out: this answer holds 8 MiB of them at most (see the event history)') : '');
}

/** The event history's table: a page at a time as it scrolls, searched by serve. */
interface HistoryTable {
  /** Shows a first page. */
  show(page: EventsPage): void;
  search(text: string): void;
  /** The history has `total` events now: the table reads the new ones if it shows the end. */
  grew(total: number): void;
  close(): void;
}

/** Why serve ended a search's page before the end of the history, as the table says it. */
const STOPPED: Record<string, string> = {
  'search-events': 'the search reads 10,000 events at a time',
  'search-bytes': 'the search reads 32 MiB at a time',
};

function historyTable(arn: string, box: HTMLElement): HistoryTable {
  const info = h('p', { class: 'muted events-info' });
  const rows = document.createElement('tbody');
  const more = h('div', { class: 'events-more' });
  box.replaceChildren(info, h('table', { class: 'grid events-table' }, h('thead', {}, h('tr', {}, ...['id', 'type', 'time', 'previous', 'details'].map((t) => h('th', {}, t)))), rows), more);
  /** The search shown, where its next page starts, the events in the history, the rows shown, the last page's stop. */
  let query = '';
  let next = 0;
  let total = 0;
  let shown = 0;
  let stopped: string | undefined;
  let generation = 0;
  let reading = false;
  const describe = (): void => {
    const rest = next < total ? `; read up to event ${next} of ${total}${stopped && STOPPED[stopped] ? ` (${STOPPED[stopped]})` : ''}: scroll for more` : '';
    info.textContent = query === ''
      ? `${total} events${next < total ? `, ${shown} shown: scroll for more` : ''}`
      : next < total ? `${shown} events match "${query}" so far${rest}` : `${shown} of ${total} events match "${query}"`;
  };
  const nearEnd = (): boolean => more.getBoundingClientRect().top < box.getBoundingClientRect().bottom + 400;
  const take = (page: EventsPage): void => {
    rows.append(...page.events.map(eventRow));
    shown += page.events.length;
    next = page.next;
    total = Math.max(total, page.total);
    stopped = page.stopped;
    describe();
  };
  const readMore = async (): Promise<void> => {
    const mine = generation;
    while (!reading && next < total && nearEnd() && mine === generation) {
      reading = true;
      try {
        const page = await get<EventsPage>('events', { arn, q: query, offset: String(next), limit: String(EVENTS_PAGE) });
        if (mine !== generation) return;
        take(page);
        if (page.next === page.offset) return;
      } finally {
        reading = false;
      }
    }
  };
  const readOn = (): void => { void readMore().catch((e: Error) => say(e.message, true)); };
  const observer = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) readOn(); }, { root: box, rootMargin: '0px 0px 400px 0px' });
  observer.observe(more);
  const show = (page: EventsPage): void => {
    rows.replaceChildren();
    shown = 0;
    query = page.query;
    take(page);
    readOn();
  };
  return {
    show,
    search(text) {
      const mine = ++generation;
      void get<EventsPage>('events', { arn, q: text, offset: '0', limit: String(EVENTS_PAGE) })
        .then((page) => { if (mine === generation) show(page); })
        .catch((e: Error) => say(e.message, true));
    },
    grew(now) {
      if (now <= total) return;
      total = now;
      describe();
      readOn();
    },
    close: () => observer.disconnect(),
  };
}

/** One event of the history as a row; its details cut to 400 characters. */
function eventRow(ev: HistoryRow): HTMLElement {
  const details = Object.entries(ev).find(([k]) => k.endsWith('EventDetails'))?.[1];
  const text = details === undefined ? '' : jsonWithoutMarks(JSON.stringify(details));
  const tr = document.createElement('tr');
  for (const cell of [String(ev.id), ev.type, when(new Date(ev.timestamp * 1000).toISOString()), String(ev.previousEventId ?? ''), text.length > 400 ? `${text.slice(0, 400)}…` : text]) {
    const td = document.createElement('td');
    td.textContent = cell;
    tr.append(td);
  }
  if (/Failed|TimedOut|Aborted/.test(ev.type)) tr.className = 'failed';
  return tr;
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
