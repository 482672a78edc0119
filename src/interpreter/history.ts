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

/** An event as recorded: JSON documents are kept by reference and rendered only when read. @internal */
interface RawEvent {
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly detailsKey: string | undefined;
  readonly details: Record<string, unknown> | undefined;
}

/**
 * Records the events of one execution. Payloads are held by reference (they
 * are never mutated) and turned into AWS-shaped events only when read, so
 * recording costs no serialisation on the hot path.
 * @internal
 */
export class HistoryRecorder {
  private readonly events: RawEvent[] = [];
  private materialized: HistoryEvent[] | undefined;

  constructor(private readonly now: () => number) {}

  get length(): number {
    return this.events.length;
  }

  /** Appends an event and returns its id. */
  add(type: string, previousEventId: number, detailsKey?: string, details?: Record<string, unknown>): number {
    const id = this.events.length + 1;
    this.events.push({ type, id, previousEventId, timestamp: this.now(), detailsKey, details });
    this.materialized = undefined;
    return id;
  }

  /** The events so far, AWS-shaped. */
  toEvents(): HistoryEvent[] {
    if (this.materialized) return this.materialized;
    const out: HistoryEvent[] = this.events.map((e) => {
      const event: Record<string, unknown> = {
        timestamp: new Date(e.timestamp),
        type: e.type,
        id: e.id,
        previousEventId: e.previousEventId,
      };
      if (e.detailsKey) event[e.detailsKey] = renderDetails(e.details ?? {});
      return event as unknown as HistoryEvent;
    });
    this.materialized = out;
    return out;
  }

  /** The event types in order, cheap to read. */
  types(): string[] {
    return this.events.map((e) => e.type);
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
