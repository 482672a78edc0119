/*
 * A closed execution's history in the journal: a run of `history` records
 * followed by the `closed` record that names them. Each `history` record holds
 * the next events, as recorded (payloads as JSON values, not text), and the
 * pool entries they are the first to use (see shared-json.ts), up to about
 * CHUNK bytes, so that no record grows with the history and a payload shared
 * by many events is written once. Read back, the events become a history
 * recorder that renders them as the live execution did.
 */
import { history as historyModule } from './lazy';
import { isTime, type RecordOf } from './records';
import { SharedJsonReader, SharedJsonWriter } from './shared-json';
import type { JsonValue } from '../asl';
import { detailsOf, detailsKeyOf, isEventType } from '../asl/history-events';
import { jsonOrText } from '../asl/json-value';
import type { HistoryRecorder, RecordedEvent } from '../interpreter/history-recorder';

/** About this many bytes of JSON per `history` record. */
const CHUNK = 1024 * 1024;

/** A history read an event at a time. @internal */
export interface RecordedHistory {
  readonly length: number;
  recordedAt(index: number): RecordedEvent;
}

/** What the `closed` record says of its history: the `history` records that hold it. @internal */
export interface StoredHistoryRef {
  /** The id the `history` records carry. */
  readonly id: string;
  /** How many `history` records there are. */
  readonly parts: number;
  /** How many events they hold. */
  readonly events: number;
}

/**
 * The `history` records of `history`, written as they are asked for, and then
 * (as the generator's return value) what the `closed` record says of them.
 */
export function* historyRecords(id: string, history: RecordedHistory): Generator<RecordOf<'history'>, StoredHistoryRef> {
  const writer = new SharedJsonWriter();
  let part = 0;
  let events: unknown[] = [];
  let weight = 0;
  const take = (): RecordOf<'history'> => {
    const pool = writer.takePool();
    const record = { t: 'history' as const, id, part: part++, pool: pool.entries, events };
    events = [];
    weight = 0;
    return record;
  };
  const length = history.length;
  for (let i = 0; i < length; i++) {
    const ev = history.recordedAt(i);
    const cell: unknown[] = [ev.type, ev.previousEventId, ev.timestamp, ev.key ?? null];
    weight += ev.type.length + (ev.key?.length ?? 0) + 40;
    if (ev.value !== undefined || ev.assigned !== undefined) {
      cell.push(ev.value === undefined ? null : writer.encode(ev.value));
      weight += writer.weight;
    }
    if (ev.assigned !== undefined) {
      cell.push(writer.encode(ev.assigned));
      weight += writer.weight;
    }
    events.push(cell);
    if (weight + writer.pooledWeight >= CHUNK) yield take();
  }
  if (events.length > 0 || part === 0) yield take();
  return { id, parts: part, events: length };
}

/**
 * The history that `parts` (the `history` records named by `ref`, in order) hold.
 * @throws Error saying what does not fit, when the records are not a whole history
 */
export function readHistory(ref: StoredHistoryRef, parts: readonly RecordOf<'history'>[]): HistoryRecorder {
  if (parts.length !== ref.parts) throw new Error(`its history is in ${ref.parts} history records with id '${ref.id}', but the journal holds ${parts.length}`);
  const reader = new SharedJsonReader();
  const events: RecordedEvent[] = [];
  parts.forEach((part, index) => {
    if (part.part !== index) throw new Error(`history record ${index} of '${ref.id}' says it is part ${JSON.stringify(part.part)}`);
    if (!Array.isArray(part.pool) || !Array.isArray(part.events)) throw new Error(`history record ${index} of '${ref.id}' has no pool and events arrays`);
    reader.addPool(part.pool);
    for (const cell of part.events) events.push(recordedEvent(cell, reader, ref.id, events.length + 1));
  });
  if (events.length !== ref.events) throw new Error(`its history should hold ${ref.events} events, but its history records hold ${events.length}`);
  return historyModule().HistoryRecorder.fromRecorded(events);
}

function recordedEvent(cell: unknown, reader: SharedJsonReader, id: string, eventId: number): RecordedEvent {
  if (!Array.isArray(cell) || cell.length < 4 || cell.length > 6 || typeof cell[0] !== 'string' || typeof cell[1] !== 'number'
    || typeof cell[2] !== 'number' || (cell[3] !== null && typeof cell[3] !== 'string')) {
    throw new Error(`an event of history '${id}' is not [type, previousEventId, timestamp, key, value?, assigned?]: ${JSON.stringify(cell)?.slice(0, 200)}`);
  }
  const [type, previousEventId, timestamp, key] = cell as [string, number, number, string | null];
  const problem = envelopeProblem(type, previousEventId, timestamp, eventId)
    ?? (isStateEvent(type) ? (key === null ? 'has no state name' : undefined)
      : key !== null && key !== detailsKeyOf(type) ? `keeps its details as ${JSON.stringify(key.slice(0, 100))}, which a ${type} event has none of` : undefined);
  if (problem !== undefined) throw new Error(`event ${eventId} of history '${id}' ${problem}`);
  const value = cell.length > 4 ? reader.decode(cell[4]) : undefined;
  if (key !== null && !isStateEvent(type) && value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw new Error(`event ${eventId} of history '${id}' has details that are not an object`);
  }
  const assigned = cell.length > 5 ? reader.decode(cell[5]) : undefined;
  if (assigned !== undefined && (assigned === null || typeof assigned !== 'object' || Array.isArray(assigned))) {
    throw new Error(`an event of history '${id}' holds assigned variables that are not an object`);
  }
  return {
    type,
    previousEventId,
    timestamp,
    ...(key !== null ? { key } : {}),
    ...(cell.length > 4 ? { value } : {}),
    ...(assigned !== undefined ? { assigned: assigned as Record<string, JsonValue> } : {}),
  };
}

/**
 * A history from a journal written before histories were pooled: events as
 * GetExecutionHistory shows them, payloads as JSON text, timestamps in
 * milliseconds. They are read back as recorded events, so they render as before.
 */
export function readRenderedHistory(events: unknown): HistoryRecorder {
  if (!Array.isArray(events)) throw new Error('its history is not an array of events');
  return historyModule().HistoryRecorder.fromRecorded(events.map((e, index) => {
    const ev = e as Record<string, unknown> | null;
    if (ev === null || typeof ev !== 'object' || typeof ev.type !== 'string' || typeof ev.previousEventId !== 'number' || typeof ev.timestamp !== 'number') {
      throw new Error(`event ${index + 1} of its history has no type, previousEventId and timestamp`);
    }
    const problem = envelopeProblem(ev.type, ev.previousEventId, ev.timestamp, index + 1);
    if (problem !== undefined) throw new Error(`event ${index + 1} of its history ${problem}`);
    const detailsKey = detailsKeyOf(ev.type);
    const details = detailsOf({ ...ev, type: ev.type });
    const base = { type: ev.type, previousEventId: ev.previousEventId, timestamp: ev.timestamp };
    if (ev.type.endsWith('StateEntered') || ev.type.endsWith('StateExited')) {
      const d = details ?? {};
      const field = ev.type.endsWith('StateEntered') ? 'input' : 'output';
      const assigned = d.assignedVariables as Record<string, string> | undefined;
      return {
        ...base,
        key: d.name as string,
        value: parseText(d[field]),
        ...(assigned ? { assigned: Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, parseText(v) as JsonValue])) } : {}),
      };
    }
    if (detailsKey === undefined) return base;
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(details ?? {})) {
      // The recorder adds these again when it renders input and output.
      if (k === 'inputDetails' || k === 'outputDetails' || k === '__proto__') continue;
      raw[k] = k === 'input' || k === 'output' || k === 'parameters' ? parseText(v) : v;
    }
    return { ...base, key: detailsKey, value: raw };
  }));
}

/**
 * What is wrong with an event's type, link and time as read back, or undefined: a journal's line
 * that checks out may still hold a record written by hand, and GetExecutionHistory would answer
 * it as it is (an unknown type, a previousEventId after the event or negative, a timestamp no
 * date holds, which the SDK reads as none).
 */
function envelopeProblem(type: string, previousEventId: number, timestamp: number, eventId: number): string | undefined {
  if (!isEventType(type)) return `is of a type no history of AWS holds: ${JSON.stringify(type.slice(0, 100))}`;
  if (!Number.isInteger(previousEventId) || previousEventId < 0 || previousEventId >= eventId) {
    return `follows event ${String(previousEventId)}, which is no event before it`;
  }
  if (!isTime(timestamp)) return `has a timestamp no date holds: ${String(timestamp)}`;
  return undefined;
}

/** A state's entry or exit keeps the state's name where another event keeps its details key. */
function isStateEvent(type: string): boolean {
  return type.endsWith('StateEntered') || type.endsWith('StateExited');
}

function parseText(text: unknown): unknown {
  return typeof text === 'string' ? jsonOrText(text) : text;
}
