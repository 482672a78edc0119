/*
 * How the console reads an execution's history: its events without their payloads for what it
 * works out (the path, the visits, a comparison), and pages of whole events, or of the events a
 * search matches, each within a budget of events and bytes whatever the history holds. A history
 * may hold 25,000 events of 256 KiB each, 6 GB once written out: nothing here writes out more
 * than one page of it, or keeps the text it searched.
 */
import {
  PAYLOAD_FIELDS, payloadChars, detailsOf, historyEvent,
  type HistoryEvent, type HistoryEventDetails, type HistoryEventDetailsKey, type HistoryEventType,
} from '../../asl/history-events';
import { type ExecutionHistory, renderEvent, type WireEvent } from '../execution-history';
import type { ExecutionRecord } from '../model';

/** The longest search of the history read; a longer one is cut to this. */
export const MAX_QUERY = 256;

/**
 * The payload bytes (input, output, parameters) after which a page of events ends early, as
 * serve's GetExecutionHistory ends its pages (AWS documents a page of up to 1,000 events, and
 * that it may hold fewer).
 */
export const PAGE_BYTES = 8 * 1024 * 1024;

/** The events one search request reads at most before it answers with what it found so far. */
export const SEARCH_EVENTS = 10_000;

/** The bytes of event text one search request reads at most before it answers with what it found so far. */
export const SEARCH_BYTES = 32 * 1024 * 1024;


/** Why a page ended before the end of the history. */
export type PageStop =
  /** It holds the events asked for. */
  | 'limit'
  /** Its events' payloads reached {@link PAGE_BYTES}. */
  | 'page-bytes'
  /** The search read {@link SEARCH_EVENTS} events. */
  | 'search-events'
  /** The search read {@link SEARCH_BYTES} bytes of text. */
  | 'search-bytes';

/** One page of an execution's history: events from `offset`, or those of them a search matches. */
export interface EventsPage {
  /** Events in the whole history. */
  readonly total: number;
  /** The search, lower case (empty: every event). */
  readonly query: string;
  /** The index (0-based) of the first event the page read. */
  readonly offset: number;
  /** The index of the event after the last one the page read: where the next page starts. */
  readonly next: number;
  /** As GetExecutionHistory gives them. */
  readonly events: WireEvent[];
  /** Why the page ended before the end of the history; absent when it reached the end. */
  readonly stopped?: PageStop;
  /** With a search: what it read, events and bytes of their text. */
  readonly searched?: { readonly events: number; readonly bytes: number };
}

/**
 * Event `index` of `history` as GetExecutionHistory gives it (its timestamp a Date), without the
 * payloads of its details: what the path, the visits and a comparison read, a few hundred bytes
 * however large the event's input or output.
 */
export function eventWithoutPayloads(history: ExecutionHistory, index: number): HistoryEvent {
  const r = history.recordedAt(index);
  const [timestamp, type, id] = [new Date(r.timestamp), r.type as HistoryEventType, index + 1];
  // A state event's key is its state's name; any other's, its details member.
  if (type.endsWith('StateEntered')) return historyEvent(timestamp, type, id, r.previousEventId, 'stateEnteredEventDetails', { name: r.key as string });
  if (type.endsWith('StateExited')) return historyEvent(timestamp, type, id, r.previousEventId, 'stateExitedEventDetails', { name: r.key as string });
  if (r.key === undefined) return historyEvent(timestamp, type, id, r.previousEventId);
  // Without its payloads, details miss members their type requires: what the readers here never read.
  const details = withoutPayloads(r.value) as HistoryEventDetails[HistoryEventDetailsKey];
  return historyEvent(timestamp, type, id, r.previousEventId, r.key as HistoryEventDetailsKey, details);
}

function withoutPayloads(details: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (details === null || typeof details !== 'object') return out;
  for (const [k, v] of Object.entries(details)) if (v !== undefined && !(PAYLOAD_FIELDS as readonly string[]).includes(k)) out[k] = v;
  return out;
}

/** The JSON text of each payload of event `index` (a state's input or output and what it assigned; a Task's parameters or result). */
export function payloadTexts(history: ExecutionHistory, index: number): string[] {
  const r = history.recordedAt(index);
  const texts: string[] = [];
  const add = (value: unknown): void => {
    const text = value === undefined ? undefined : JSON.stringify(value);
    if (text !== undefined) texts.push(text);
  };
  if (r.type.endsWith('StateEntered') || r.type.endsWith('StateExited')) {
    add(r.value);
    add(r.assigned);
  } else if (r.value !== null && typeof r.value === 'object') {
    for (const field of PAYLOAD_FIELDS) if (Object.hasOwn(r.value, field)) add((r.value as Record<string, unknown>)[field]);
  }
  return texts;
}


/** What one page reads: the history, the execution, and each event without its payloads (kept by the caller). */
export interface PageSource {
  readonly history: ExecutionHistory;
  readonly record: ExecutionRecord;
  /** Event `index` without its payloads. */
  lightAt(index: number): HistoryEvent;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Whether `text` lower-cased contains `q` (lower case). For ASCII text, `anyCase` (`q` escaped,
 * with the `i` flag) finds the same without lower-casing a copy of the text, which took most of a
 * search's time on payloads of 200 KiB (a history may hold 25,000 of them). Only A-Z lower-case
 * in ASCII, and the flag matches no character of 128 or more to one below (ECMA-262,
 * Canonicalize); other text is lower-cased as before.
 */
function contains(text: string, q: string, anyCase: RegExp): boolean {
  return NON_ASCII.test(text) ? text.toLowerCase().includes(q) : anyCase.test(text);
}

/**
 * Up to `limit` events from index `offset`, or, with a `query`, those from there whose id, type,
 * details or payloads contain it (any case): read one event at a time, each searched and then
 * let go, until the page is full, its payloads reach {@link PAGE_BYTES}, or the search has read
 * {@link SEARCH_EVENTS} events or {@link SEARCH_BYTES} bytes. The page says which, and where the
 * next one starts.
 */
export function eventsPage(source: PageSource, query: string, offset: number, limit: number): EventsPage {
  const { history, record } = source;
  const q = query.slice(0, MAX_QUERY).toLowerCase();
  const anyCase = new RegExp(q.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), 'i');
  const total = history.length;
  const events: WireEvent[] = [];
  let bytes = 0;
  let searchedEvents = 0;
  let searchedBytes = 0;
  let stopped: PageStop | undefined;
  let i = Math.min(offset, total);
  for (; i < total; i++) {
    if (events.length >= limit) { stopped = 'limit'; break; }
    if (events.length > 0 && bytes >= PAGE_BYTES) { stopped = 'page-bytes'; break; }
    if (q !== '') {
      if (searchedEvents >= SEARCH_EVENTS) { stopped = 'search-events'; break; }
      if (searchedBytes >= SEARCH_BYTES) { stopped = 'search-bytes'; break; }
      const light = source.lightAt(i);
      let found = false;
      let read = 0;
      for (const text of [`${light.id} ${light.type} ${JSON.stringify(detailsOf(light) ?? {})}`, ...payloadTexts(history, i)]) {
        read += text.length;
        found ||= contains(text, q, anyCase);
      }
      searchedEvents++;
      searchedBytes += read;
      if (!found) continue;
    }
    const own = history.eventAt(i);
    const event = renderEvent(own, record, true);
    bytes += payloadChars(own);
    events.push(event);
  }
  return {
    total,
    query: q,
    offset: Math.min(offset, total),
    next: i,
    events,
    ...(stopped !== undefined ? { stopped } : {}),
    ...(q !== '' ? { searched: { events: searchedEvents, bytes: searchedBytes } } : {}),
  };
}
