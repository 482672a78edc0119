/*
 * What the console shows of one execution: its status, the diagram of its revision with what it
 * did drawn over it, each state's visits (attempts, retries with their errors and back-off, a
 * Catch taken, Map iterations and Parallel branches, input and output), the callbacks it waits
 * for, and its history a page at a time.
 *
 * A page watching a running execution asks again at each change, so nothing here reads the whole
 * history again: the events recorded since the last look are read (without their payloads) and
 * added to what was kept; the path drawn over the diagram, which render reads from the whole
 * history, is worked out again only once the time since the last one is ten times what that one
 * took, so that one page costs serve a tenth of a core at most however long the history.
 */
import { performance } from 'node:perf_hooks';
import { type Diagram, diagramOf, type DiagramOverlay, overlayOf } from './diagram';
import { eventsPage, type EventsPage, eventWithoutPayloads, PAGE_BYTES, payloadTexts } from './history-pages';
import { errorFields, type StateVisits, VisitLog } from './visits';
import type { MachineType } from '../../asl/aws-defaults';
import type { HistoryEvent } from '../../asl/history-events';
import type { ExecutionStatus } from '../../interpreter';
import { pathFromRun } from '../../render/overlay';
import { ExecutionHistory } from '../execution-history';
import type { ExecutionRecord } from '../model';
import type { StepFunctionsService } from '../service';

export type { EventsPage } from './history-pages';
export type { StateVisits } from './visits';

/** A task token the execution waits for, with the state that handed it out. */
export interface WaitingCallback {
  readonly token: string;
  readonly state?: string;
  /** The child execution of a Map Run whose Task holds it, when the page is its parent's. */
  readonly execution?: string;
}

/** A state as the execution's path sums it up. */
export interface StateSummary {
  readonly name: string;
  readonly entered: number;
  readonly retries: number;
  readonly failed: boolean;
  readonly caught: boolean;
}

/** The revision's diagram: its SVG (left out when the page has it), or why there is none. */
export interface DiagramView {
  readonly id: number;
  readonly svg?: string;
  readonly refusal?: string;
  /** Being laid out (a large definition, in a worker thread): the page is told when it is ready. */
  readonly pending?: true;
}

/** The console's page of an execution: what it shows first (the history comes a page at a time). */
export interface ExecutionView {
  readonly execution: ExecutionFields;
  readonly diagram: DiagramView;
  /** What the execution did, drawn over the diagram; none without a diagram. */
  readonly overlay?: DiagramOverlay;
  /** Per state: times entered and retried, whether it failed and a Catch handled it. */
  readonly states: StateSummary[];
  readonly waiting: WaitingCallback[];
  /** The states a running execution is in now (entered, not left), outermost first; none once it stopped. */
  readonly running: string[];
  readonly eventCount: number;
  /** Events the path and the states were read from: fewer than eventCount while they wait to be worked out again. */
  readonly pathEvents: number;
  /** The first page of the history (of the events that match the search asked for). */
  readonly events: EventsPage;
}

/** The time after the last working out of the path before the next, as a multiple of what it took. */
const PATH_COST_FACTOR = 10;

/** Callbacks the page lists at most. */
const WAITING_SHOWN = 100;

/** The bytes of payloads one answer of the state panel writes out at most. */
const VISIT_BYTES = PAGE_BYTES;

type Summary = Omit<ExecutionView, 'execution' | 'diagram' | 'eventCount' | 'events'>;

interface SummaryCache {
  readonly at: number;
  readonly cost: number;
  readonly events: number;
  readonly status: string;
  readonly summary: Summary;
}

/** What the console keeps of one execution it was asked about, brought up to date on each read. */
export class ExecutionDigest {
  private history: ExecutionHistory;
  /** Every event read so far, without its payloads. */
  private light: HistoryEvent[] = [];
  private visits = new VisitLog();
  /** The last summary: when it was worked out, what that took, from how many events and at which status. */
  private summaryCache: SummaryCache | undefined;
  /** The diagram the last view read. */
  private diagram: Diagram | undefined;

  constructor(private readonly service: StepFunctionsService, readonly record: ExecutionRecord) {
    this.history = new ExecutionHistory(record);
  }

  /** Reads the events recorded since the last read; starts over when the history is not the one read (a journal read back). */
  sync(): void {
    const history = new ExecutionHistory(this.record);
    const n = this.light.length;
    if (n > history.length || (n > 0 && history.typeAt(n - 1) !== this.light[n - 1].type)) {
      this.light = [];
      this.visits = new VisitLog();
      this.summaryCache = undefined;
    }
    this.history = history;
    for (let i = this.light.length; i < history.length; i++) {
      const e = eventWithoutPayloads(history, i);
      this.light.push(e);
      this.visits.add(e);
    }
  }

  /** Whether the diagram the last view read is still being laid out. */
  get diagramPending(): boolean {
    return this.diagram?.pending === true;
  }

  /** When the path may be worked out again (performance.now() milliseconds). */
  get nextPath(): number {
    const c = this.summaryCache;
    return c === undefined ? 0 : c.at + c.cost * PATH_COST_FACTOR;
  }

  /** The page's first answer: the execution, the diagram (its SVG unless the page has diagram `have`), the summary, the first page of history. */
  view(query: string, limit: number, have?: number): ExecutionView {
    const diagram = diagramOf(this.record.revision, this.record.machine.name);
    this.diagram = diagram;
    return {
      execution: describe(this.record),
      diagram: {
        id: diagram.id,
        ...(diagram.svg !== undefined && diagram.id !== have ? { svg: diagram.svg } : {}),
        ...(diagram.refusal !== undefined ? { refusal: diagram.refusal } : {}),
        ...(diagram.pending ? { pending: true as const } : {}),
      },
      ...this.summary(diagram),
      eventCount: this.history.length,
      events: this.events(query, 0, limit),
    };
  }

  /** A page of the history from event `offset`: every event, or those that contain `query`. */
  events(query: string, offset: number, limit: number): EventsPage {
    return eventsPage({ history: this.history, record: this.record, lightAt: (i) => this.light[i] }, query, offset, limit);
  }

  /** The first `limit` visits of `state`, with their payloads while they fit the answer. */
  visitsOf(state: string, limit: number): StateVisits {
    const payload = (id: number): string | undefined => (id >= 1 && id <= this.history.length ? payloadTexts(this.history, id - 1)[0] : undefined);
    return this.visits.of(state, limit, payload, VISIT_BYTES);
  }

  /** Every event read so far, without payloads (what a comparison reads). */
  lightEvents(): readonly HistoryEvent[] {
    return this.light;
  }

  /**
   * The path over the diagram and the per-state summary: kept while the history is as it was,
   * and while the last working out is recent for what it cost and the execution still runs.
   */
  private summary(diagram: Diagram): Summary {
    const record = this.record;
    const c = this.summaryCache;
    const now = performance.now();
    if (c && c.events === this.light.length && c.status === record.status) return c.summary;
    if (c && record.status === 'RUNNING' && c.status === 'RUNNING' && now < this.nextPath) return c.summary;
    const run = { status: record.status, ...errorFields(record), history: this.light };
    const path = diagram.graph === undefined ? undefined : pathFromRun(diagram.graph, run);
    let states: StateSummary[];
    if (path) {
      const failures = path.failures;
      states = [...new Set([...Object.keys(path.states), ...Object.keys(path.retries)])].map((name) => ({
        name,
        entered: Object.hasOwn(path.states, name) ? path.states[name] : 0,
        retries: Object.hasOwn(path.retries, name) ? path.retries[name] : 0,
        failed: path.failedState === name || Object.hasOwn(failures, name),
        caught: Object.hasOwn(failures, name) && failures[name].caught > 0,
      }));
    } else {
      // No graph to read the path against: what the visits say.
      states = [...this.visits.counts()].map(([name, s]) => ({ name, ...s }));
    }
    const summary: Summary = {
      // Also while the diagram is laid out: the summary is kept until the execution changes, not until the diagram is ready.
      ...(path && diagram.refusal === undefined ? { overlay: overlayOf(diagram, path) } : {}),
      states,
      waiting: record.status === 'RUNNING' ? this.waiting() : [],
      running: record.status === 'RUNNING' ? this.visits.running() : [],
      pathEvents: this.light.length,
    };
    this.summaryCache = { at: now, cost: performance.now() - now, events: this.light.length, status: record.status, summary };
    return summary;
  }

  /**
   * The task tokens handed out to this execution whose Task has not ended, with the state that
   * holds each, then those of its child executions (at most {@link WAITING_SHOWN} in all).
   */
  private waiting(): WaitingCallback[] {
    const tokens: string[] = [];
    const children: Array<{ token: string; child: string }> = [];
    const arn = this.record.arn;
    for (const [token, owner] of this.service.router.tokens) {
      if (owner.child === arn || (owner.record === this.record && owner.child === undefined)) {
        tokens.push(token);
      } else if (owner.child !== undefined && this.service.store.findExecution(owner.child)?.mapRun?.parent === this.record) {
        children.push({ token, child: owner.child });
      }
    }
    const out = this.ownWaiting(tokens);
    for (const { token, child } of children) {
      if (out.length >= WAITING_SHOWN) break;
      const record = this.service.store.findExecution(child);
      if (record?.status === 'RUNNING') out.push({ token, execution: child, ...openTaskOf(record, token) });
    }
    return out;
  }

  /** The tokens of `tokens` this execution's open Tasks hold, with their states. */
  private ownWaiting(tokens: string[]): WaitingCallback[] {
    if (tokens.length === 0) return [];
    const out: WaitingCallback[] = [];
    // A token stands in the parameters of the Task it was handed to: each open attempt's are written out once.
    for (const [eventId, state] of this.visits.openAttempts()) {
      const parameters = payloadTexts(this.history, eventId - 1).join(' ');
      for (let i = tokens.length - 1; i >= 0 && out.length < WAITING_SHOWN; i--) {
        if (!parameters.includes(tokens[i])) continue;
        out.push({ token: tokens[i], state });
        tokens.splice(i, 1);
      }
      if (out.length >= WAITING_SHOWN || tokens.length === 0) break;
    }
    return out;
  }
}

/**
 * The state of child execution `record` whose open Task holds `token`: a child's history is
 * short, read here from its start (a Task's token stands in its parameters).
 */
function openTaskOf(record: ExecutionRecord, token: string): { state?: string } {
  const history = new ExecutionHistory(record);
  let state: string | undefined;
  for (let i = 0; i < history.length; i++) {
    const type = history.typeAt(i);
    if (type.endsWith('StateEntered')) state = history.stateAt(i);
    else if (type === 'TaskScheduled' && payloadTexts(history, i).join(' ').includes(token)) return state !== undefined ? { state } : {};
  }
  return {};
}

/** An execution as the console's page shows it: see {@link describe}. */
export interface ExecutionFields {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly type: MachineType;
  /** A Map Run's child: its Map Run and the execution that ran the Map. */
  readonly mapRunArn?: string;
  readonly parentArn?: string;
  readonly parentName?: string;
  /** A nested execution: the execution whose Task started it. */
  readonly startedByArn?: string;
  readonly startedByName?: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  /** ISO 8601. */
  readonly startDate: string;
  readonly stopDate?: string;
  /** JSON text, as DescribeExecution's. */
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly stateMachineVersionArn?: string;
  readonly stateMachineAliasArn?: string;
  readonly redriveCount: number;
}

/**
 * The execution's own fields, as DescribeExecution names them (dates as ISO strings); a child's
 * with its Map Run and parent; a nested execution's with the execution whose Task started it, which
 * AWS's console links as "started by" (DescribeExecution itself names no parent).
 */
export function describe(e: ExecutionRecord): ExecutionFields {
  const child = e.mapRun;
  const startedBy = e.startedBy?.parent;
  return {
    executionArn: e.arn,
    stateMachineArn: child?.stateMachineArn ?? e.machine.arn,
    stateMachineName: child ? child.stateMachineArn.slice(child.stateMachineArn.indexOf(':stateMachine:') + ':stateMachine:'.length) : e.machine.name,
    type: child?.type ?? e.machine.type,
    ...(child ? { mapRunArn: child.mapRunArn, parentArn: child.parent.arn, parentName: child.parent.name } : {}),
    ...(startedBy !== undefined ? { startedByArn: startedBy, startedByName: startedBy.slice(startedBy.lastIndexOf(':') + 1) } : {}),
    name: e.name,
    status: e.status,
    startDate: new Date(e.startDate).toISOString(),
    ...(e.stopDate !== undefined ? { stopDate: new Date(e.stopDate).toISOString() } : {}),
    input: e.input,
    ...(e.output !== undefined ? { output: e.output } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
    ...(e.versionArn ? { stateMachineVersionArn: e.versionArn } : {}),
    ...(e.aliasArn ? { stateMachineAliasArn: e.aliasArn } : {}),
    redriveCount: e.redriveCount,
  };
}
