import type { JsonValue } from '../asl';
import {
  historyEvent, type HistoryEvent, type HistoryEventDetails, type HistoryEventDetailsKey, type HistoryEventType,
  type StateEnteredEventDetails, type StateExitedEventDetails,
} from '../asl/history-events';

export type { HistoryEvent } from '../asl/history-events';

/** The details fields that hold a JSON document: AWS shows each as JSON text, with its `…Details` beside it (no `parametersDetails`). */
type DocumentField = 'input' | 'output' | 'parameters';

/**
 * Details as the recorder keeps them: AWS's shape `D`, its documents still JSON values (rendered
 * as text only when the event is read) and without their `…Details`, which rendering adds.
 */
type AsRecorded<D> = {
  readonly [F in keyof D as F extends `${DocumentField}Details` ? never : F]: F extends DocumentField ? JsonValue : D[F];
};

/**
 * The details of an event whose details member is `K`, as it is recorded: what the interpreter
 * passes when it adds an event. A field AWS's model does not give that event fails to compile.
 * @internal
 */
export type RecordedDetails<K extends HistoryEventDetailsKey> =
  K extends HistoryEventDetailsKey ? AsRecorded<NonNullable<HistoryEventDetails[K]>> : never;

/**
 * One event as recorded, before it is rendered: payloads are JSON values, not
 * JSON text. Its id is its place in the history.
 * @internal
 */
export interface RecordedEvent {
  readonly type: string;
  readonly previousEventId: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** A state event's state name; the key of any other event's details (`taskScheduledEventDetails`, ...). */
  readonly key?: string;
  /** A state event's input or output; any other event's details. */
  readonly value?: unknown;
  /** The variables an exiting state assigned, when it assigned any. */
  readonly assigned?: Record<string, JsonValue>;
}

/** Fields of event details whose values are JSON documents, rendered as strings as AWS does. */
const DOCUMENT_FIELDS = new Set(['input', 'output', 'parameters']);

/** Values stored per event in the recorder's flat array. */
const STRIDE = 5;

/**
 * Records the events of one execution. Payloads are held by reference (they
 * are never mutated) and turned into AWS-shaped events only when read, so
 * recording costs no serialisation on the hot path. Events live in one flat
 * array, five values each (type, previous id, time, details key or state name,
 * details or payload), so recording one is one push and no object.
 * @internal
 */
export class HistoryRecorder {
  /**
   * A recorder holding `events`, as {@link recordedAt} gave them (a history
   * read back from storage): it renders them as the recorder that recorded them did.
   */
  static fromRecorded(events: Iterable<RecordedEvent>): HistoryRecorder {
    const recorder = new HistoryRecorder(STOPPED_CLOCK);
    const cells = recorder.cells;
    for (const ev of events) {
      const payload = ev.assigned === undefined ? ev.value : new AssigningExit(ev.value as JsonValue, ev.assigned);
      cells.push(ev.type, ev.previousEventId, ev.timestamp, ev.key, payload);
      recorder.count++;
    }
    return recorder;
  }

  // Declared, not defined, fields (see Call in engine.ts): one recorder is made per execution.
  // One array, one push per event: measured against typed arrays and against an array per
  // value, this layout records fastest (loop-choice-10k with history, 20,001 states).
  declare private readonly clock: { now(): number };
  declare private readonly cells: unknown[];
  declare private count: number;
  declare private materialized: HistoryEvent[] | undefined;
  declare private readonly documents: boolean;

  /** @param documents false to keep no event's documents (StartOptions.historyDocuments) */
  constructor(clock: { now(): number }, documents = true) {
    this.clock = clock;
    this.documents = documents;
    this.cells = [];
    this.count = 0;
    this.materialized = undefined;
  }

  get length(): number {
    return this.count;
  }

  /** Appends an event and returns its id. */
  add<K extends HistoryEventDetailsKey>(type: HistoryEventType, previousEventId: number, detailsKey?: K, details?: RecordedDetails<K>): number {
    const kept = this.documents || details === undefined ? details : withoutDocuments(details);
    this.cells.push(type, previousEventId, this.clock.now(), detailsKey, kept);
    this.materialized = undefined;
    return ++this.count;
  }

  /**
   * Appends a `…StateEntered` or `…StateExited` event: its type says which, so
   * the state name and the payload (input or output) are all it keeps.
   */
  addStateEvent(type: HistoryEventType, previousEventId: number, name: string, payload: JsonValue, assigned?: Record<string, JsonValue>): number {
    const kept = !this.documents ? undefined : assigned === undefined ? payload : new AssigningExit(payload, assigned);
    this.cells.push(type, previousEventId, this.clock.now(), name, kept);
    this.materialized = undefined;
    return ++this.count;
  }

  /** The events so far, AWS-shaped. */
  toEvents(): HistoryEvent[] {
    if (this.materialized) return this.materialized;
    const out: HistoryEvent[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = renderAt(this.cells, i);
    this.materialized = out;
    return out;
  }

  /**
   * Event `index` (0-based; its id is `index + 1`), AWS-shaped: only this event
   * is rendered, so reading one page of a long history costs that page.
   */
  eventAt(index: number): HistoryEvent {
    return this.materialized?.[index] ?? renderAt(this.cells, index);
  }

  /** The type of event `index` (0-based). */
  typeAt(index: number): string {
    return this.cells[index * STRIDE] as string;
  }

  /** Event `index` (0-based) as recorded, its payloads as JSON values (nothing is rendered or copied). */
  recordedAt(index: number): RecordedEvent {
    const at = index * STRIDE;
    const type = this.cells[at] as string;
    const previousEventId = this.cells[at + 1] as number;
    const timestamp = this.cells[at + 2] as number;
    const key = this.cells[at + 3] as string | undefined;
    const value = this.cells[at + 4];
    if (value instanceof AssigningExit) return { type, previousEventId, timestamp, key, value: value.output, assigned: value.assigned };
    return { type, previousEventId, timestamp, key, value };
  }

  /** The previousEventId of event `id`, when it was recorded. */
  previousOf(id: number): number | undefined {
    return id >= 1 && id <= this.count ? this.cells[(id - 1) * STRIDE + 1] as number : undefined;
  }

  /** The event types in order, cheap to read. */
  eventTypes(): string[] {
    const types: string[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) types[i] = this.cells[i * STRIDE] as string;
    return types;
  }
}

/** Event `i` of `cells`, AWS-shaped. */
function renderAt(cells: readonly unknown[], i: number): HistoryEvent {
  const at = i * STRIDE;
  const type = cells[at] as HistoryEventType;
  const timestamp = new Date(cells[at + 2] as number);
  const previousEventId = cells[at + 1] as number;
  const stateEvent = stateEventKind(type);
  if (stateEvent !== undefined) {
    // A state event keeps the state's name where another keeps its details key, and its payload where another keeps its details.
    const name = cells[at + 3] as string;
    if (stateEvent === 'entered') {
      return historyEvent(timestamp, type, i + 1, previousEventId, 'stateEnteredEventDetails',
        renderDetails({ name, input: cells[at + 4] as JsonValue }) as StateEnteredEventDetails);
    }
    const payload = cells[at + 4] as JsonValue | AssigningExit;
    const exited = renderDetails({ name, output: payload instanceof AssigningExit ? payload.output : payload }) as StateExitedEventDetails;
    return historyEvent(timestamp, type, i + 1, previousEventId, 'stateExitedEventDetails',
      payload instanceof AssigningExit ? { ...exited, ...renderAssigned(payload.assigned) } : exited);
  }
  const key = cells[at + 3] as HistoryEventDetailsKey | undefined;
  if (!key) return historyEvent(timestamp, type, i + 1, previousEventId);
  return historyEvent(timestamp, type, i + 1, previousEventId, key,
    renderDetails((cells[at + 4] as RecordedDetails<HistoryEventDetailsKey> | undefined) ?? {}));
}

const STOPPED_CLOCK = { now: (): number => 0 };

/** Details without their documents (DOCUMENT_FIELDS): the same object when it has none. */
function withoutDocuments(details: object): object {
  if (!Object.keys(details).some((k) => DOCUMENT_FIELDS.has(k))) return details;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) if (!DOCUMENT_FIELDS.has(k)) out[k] = v;
  return out;
}

/** The output of a state that assigned variables, with them. */
class AssigningExit {
  declare public readonly output: JsonValue;
  declare public readonly assigned: Record<string, JsonValue>;
  constructor(output: JsonValue, assigned: Record<string, JsonValue>) {
    this.output = output;
    this.assigned = assigned;
  }
}

/** `assignedVariables` as AWS shows them: each value as JSON text; nothing for an empty Assign. */
function renderAssigned(assigned: Record<string, JsonValue>): Pick<StateExitedEventDetails, 'assignedVariables' | 'assignedVariablesDetails'> {
  const names = Object.keys(assigned);
  if (names.length === 0) return {};
  const values: Record<string, string> = {};
  for (const name of names) values[name] = JSON.stringify(assigned[name]);
  return { assignedVariables: values, assignedVariablesDetails: { truncated: false } };
}

/** `PassStateEntered` → entered, `MapStateExited` → exited; other events are neither. */
function stateEventKind(type: string): 'entered' | 'exited' | undefined {
  if (type.endsWith('StateEntered')) return 'entered';
  if (type.endsWith('StateExited')) return 'exited';
  return undefined;
}

/** The details of some event, as GetExecutionHistory shows them. */
type EventDetails = NonNullable<HistoryEventDetails[HistoryEventDetailsKey]>;

/** Details as AWS shows them: each document as JSON text, with its `…Details` after it. */
function renderDetails(details: RecordedDetails<HistoryEventDetailsKey>): EventDetails {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (v === undefined) continue;
    if (DOCUMENT_FIELDS.has(k)) {
      out[k] = JSON.stringify(v as JsonValue);
      // GetExecutionHistory has inputDetails and outputDetails, but no parametersDetails.
      if (k !== 'parameters') out[`${k}Details`] = { truncated: false };
    } else {
      out[k] = v;
    }
  }
  // Built field by field from what was recorded against the same key's type (RecordedDetails).
  return out as EventDetails;
}
