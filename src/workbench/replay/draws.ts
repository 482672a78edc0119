import { isValidDateTime } from './compare';
import { documentsParsed, type EventPairing } from './events';
import type { RecordedEvent } from './format';
import type { JsonValue } from '../../asl';
import { detailsOf } from '../../asl/history-events';
import { sameJson } from '../../asl/json-value';
import { seededRandom, type DrawKind, type RandomSource } from '../../asl/random';

/*
 * A recorded execution replays exactly even where its definition draws values that differ on
 * every run (UUIDs, random numbers, the time, task tokens): each such value is taken from the
 * recording. The interpreter tells the replay of each value it draws (RandomSource.drawn); a
 * first run shows where each one went (a state's output, a Task's parameters, an assigned
 * variable), and the same place in the recording says what AWS drew; the next run draws that.
 * A draw no recorded event shows (a random number only a Choice read) keeps the local value,
 * except the time: a state's entry time (`$$.State.EnteredTime`, and `$now()`/`$millis()` when
 * their value shows nowhere) is the time AWS recorded the state's entry, so Choice rules and
 * Wait states on time decide as they did on AWS.
 */

/** One value drawn in a run: what was drawn, what was used, and how many events the history held then. */
export interface Draw {
  readonly kind: DrawKind;
  readonly drawn: JsonValue;
  readonly used: JsonValue;
  /** Events recorded before the draw: the draw's effects show in events after it. */
  readonly eventsBefore: number;
}

/** Values learned from a recording, by the position of the draw in the run. */
export type LearnedDraws = ReadonlyMap<number, { readonly drawn: JsonValue; readonly aws: JsonValue }>;

/** Kinds whose local value depends on the clock, which injected times move: matched by position only. */
const TIMES = new Set<DrawKind>(['now', 'millis', 'startTime', 'enteredTime']);

/**
 * The random source of one replay run: seeded (so every run draws the same values), it hands
 * out the values learned from the recording in place of the local ones, and logs every draw.
 */
export class DrawTape implements RandomSource {
  public readonly log: Draw[] = [];
  /** Counts the events recorded so far; set once the execution has started. */
  public eventCount: () => number;
  // Properties, not methods: the engine passes `next` on unbound (retry jitter).
  public readonly next: () => number;
  public readonly uuid: () => string;
  public readonly drawn: (value: JsonValue, kind: DrawKind) => JsonValue;

  constructor(learned: LearnedDraws) {
    const source = seededRandom(0);
    this.eventCount = () => 0;
    this.next = () => source.next();
    this.uuid = () => source.uuid();
    this.drawn = (value, kind) => {
      const known = learned.get(this.log.length);
      // A draw of another value at this place means the run took another way: it keeps its own.
      const used = known !== undefined && (TIMES.has(kind) || sameJson(known.drawn, value)) ? known.aws : value;
      this.log.push({ kind, drawn: value, used, eventsBefore: this.eventCount() });
      return used;
    };
  }
}

/**
 * What AWS drew for each value of `log` the recording shows: where the local run put the value
 * (found in its events after the draw), the recorded event paired with that event holds AWS's
 * value at the same place. Returns the values learned before and now, by draw position.
 */
export function learnDraws(log: readonly Draw[], pairing: EventPairing, learned: LearnedDraws): Map<number, { drawn: JsonValue; aws: JsonValue }> {
  const out = new Map(learned);
  const recordedOf = new Map<number, RecordedEvent>();
  pairing.localOf.forEach((l, r) => { if (l >= 0) recordedOf.set(l, pairing.recorded[r]); });
  for (let j = 0; j < log.length; j++) {
    const d = log[j];
    if (out.has(j)) continue;
    let aws: JsonValue | undefined;
    if (d.kind === 'startTime') {
      aws = timeOf(pairing.recorded.find((e) => e.type === 'ExecutionStarted'), 'iso');
    } else if (d.kind === 'enteredTime') {
      aws = timeOf(recordedOf.get(enteredBefore(pairing.local, d.eventsBefore)), 'iso');
    } else {
      aws = findInEvents(d.used, pairing, recordedOf, d.eventsBefore);
      // A time nothing shows is taken as the state's entry on AWS: it was read while the state ran.
      if (aws === undefined && (d.kind === 'millis' || (d.kind === 'now' && typeof d.used === 'string' && isValidDateTime(d.used)))) {
        aws = timeOf(recordedOf.get(enteredBefore(pairing.local, d.eventsBefore)), d.kind === 'millis' ? 'millis' : 'iso');
      }
    }
    if (aws !== undefined && !sameJson(aws, d.used)) out.set(j, { drawn: d.drawn, aws });
  }
  return out;
}

/** The position of the last state entry among the first `count` local events. */
function enteredBefore(local: readonly RecordedEvent[], count: number): number {
  for (let i = Math.min(count, local.length) - 1; i >= 0; i--) if (local[i].type.endsWith('StateEntered')) return i;
  return -1;
}

/** An event's timestamp as the Context Object prints it (ISO, milliseconds) or as epoch milliseconds. */
function timeOf(e: RecordedEvent | undefined, form: 'iso' | 'millis'): JsonValue | undefined {
  const ms = typeof e?.timestamp === 'string' && isValidDateTime(e.timestamp) ? Date.parse(e.timestamp) : NaN;
  if (!Number.isFinite(ms)) return undefined;
  return form === 'millis' ? ms : new Date(ms).toISOString();
}

/** AWS's value for a drawn `value`: at the place of the first local event after the draw that shows it. */
function findInEvents(value: JsonValue, pairing: EventPairing, recordedOf: ReadonlyMap<number, RecordedEvent>, after: number): JsonValue | undefined {
  for (let i = 0; i < pairing.local.length; i++) {
    const l = pairing.local[i];
    if (typeof l.id !== 'number' || l.id <= after) continue;
    const r = recordedOf.get(i);
    if (!r) continue;
    const found = alongside(documentsParsed(detailsOf(l)), documentsParsed(detailsOf(r)), value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Walks a local and a recorded value side by side; where the local one holds `value` (a number
 * equal to it, or a string containing it), returns what the recorded one holds in its place.
 */
function alongside(local: JsonValue | undefined, recorded: JsonValue | undefined, value: JsonValue): JsonValue | undefined {
  if (local === undefined || recorded === undefined) return undefined;
  if (typeof value === 'number' && typeof local === 'number') return local === value && typeof recorded === 'number' ? recorded : undefined;
  if (typeof local === 'string') {
    if (typeof value !== 'string' || typeof recorded !== 'string' || value === '' || !local.includes(value)) return undefined;
    if (local === value) return recorded;
    return inPlaceOf(local.split(value), recorded);
  }
  if (Array.isArray(local)) {
    if (!Array.isArray(recorded)) return undefined;
    for (let i = 0; i < local.length; i++) {
      const found = alongside(local[i], recorded[i], value);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (local !== null && typeof local === 'object') {
    if (recorded === null || typeof recorded !== 'object' || Array.isArray(recorded)) return undefined;
    for (const k of Object.keys(local)) {
      const found = alongside(local[k], recorded[k], value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The value AWS drew, in a recorded text whose local twin is `parts` joined by the local value:
 * the same drawn value stands at each place, so the recorded text is `parts` joined by AWS's value,
 * whose length the two texts' lengths fix. Linear in the texts: a pattern of one lazy group per
 * place backtracked without bound on a recorded text that almost fitted (the recording is the
 * user's file, read as hostile).
 * @internal
 */
export function inPlaceOf(parts: readonly string[], recorded: string): string | undefined {
  const places = parts.length - 1;
  if (places < 1) return undefined;
  let fixed = 0;
  for (const p of parts) fixed += p.length;
  const length = (recorded.length - fixed) / places;
  if (!Number.isInteger(length) || length < 1 || !recorded.startsWith(parts[0])) return undefined;
  const drawn = recorded.slice(parts[0].length, parts[0].length + length);
  return parts.join(drawn) === recorded ? drawn : undefined;
}
