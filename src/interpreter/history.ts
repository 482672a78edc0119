import type { JsonValue } from '../asl/types';

/** One event of an execution history, shaped as GetExecutionHistory returns it. */
export interface HistoryEvent {
  readonly timestamp: Date;
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly [details: string]: unknown;
}

/** Fields of event details whose values are JSON documents, rendered as strings as AWS does. */
const DOCUMENT_FIELDS = new Set(['input', 'output', 'parameters']);

/**
 * Records the events of one execution. Payloads are held by reference (they
 * are never mutated) and turned into AWS-shaped events only when read, so
 * recording costs no serialisation on the hot path. Events are stored column
 * by column, and the per-state events carry no details object at all.
 * @internal
 */
export class HistoryRecorder {
  private readonly types: string[] = [];
  private readonly previous: number[] = [];
  private readonly timestamps: number[] = [];
  /** The details key, or `null` for a state entered/exited event. */
  private readonly detailsKeys: Array<string | null | undefined> = [];
  /** The details object, or the state name for a state event. */
  private readonly details: Array<Record<string, unknown> | string | undefined> = [];
  /** The payload of a state event (input when entered, output when exited). */
  private readonly payloads: Array<JsonValue | undefined> = [];
  private materialized: HistoryEvent[] | undefined;

  constructor(private readonly now: () => number) {}

  get length(): number {
    return this.types.length;
  }

  /** Appends an event and returns its id. */
  add(type: string, previousEventId: number, detailsKey?: string, details?: Record<string, unknown>): number {
    this.types.push(type);
    this.previous.push(previousEventId);
    this.timestamps.push(this.now());
    this.detailsKeys.push(detailsKey);
    this.details.push(details);
    this.payloads.push(undefined);
    this.materialized = undefined;
    return this.types.length;
  }

  /** Appends a `…StateEntered` (entered) or `…StateExited` event. */
  addStateEvent(type: string, previousEventId: number, name: string, payload: JsonValue, entered: boolean): number {
    this.types.push(type);
    this.previous.push(previousEventId);
    this.timestamps.push(this.now());
    this.detailsKeys.push(entered ? null : '');
    this.details.push(name);
    this.payloads.push(payload);
    this.materialized = undefined;
    return this.types.length;
  }

  /** The events so far, AWS-shaped. */
  toEvents(): HistoryEvent[] {
    if (this.materialized) return this.materialized;
    const out: HistoryEvent[] = new Array(this.types.length);
    for (let i = 0; i < this.types.length; i++) {
      const event: Record<string, unknown> = {
        timestamp: new Date(this.timestamps[i]),
        type: this.types[i],
        id: i + 1,
        previousEventId: this.previous[i],
      };
      const key = this.detailsKeys[i];
      if (key === null || key === '') {
        const field = key === null ? 'input' : 'output';
        event[key === null ? 'stateEnteredEventDetails' : 'stateExitedEventDetails'] = renderDetails({ name: this.details[i], [field]: this.payloads[i] });
      } else if (key) {
        event[key] = renderDetails((this.details[i] as Record<string, unknown> | undefined) ?? {});
      }
      out[i] = event as unknown as HistoryEvent;
    }
    this.materialized = out;
    return out;
  }

  /** The event types in order, cheap to read. */
  eventTypes(): string[] {
    return this.types.slice();
  }
}

function renderDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (v === undefined) continue;
    if (DOCUMENT_FIELDS.has(k)) {
      out[k] = JSON.stringify(v as JsonValue);
      out[`${k}Details`] = { truncated: false };
    } else {
      out[k] = v;
    }
  }
  return out;
}
