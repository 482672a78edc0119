import { chronological } from './answers';
import { branchOwners, comparable, firstDifference, iterationLaneCap, nestedLane, type NormalizeOptions } from './compare';
import type { RecordedEvent } from './format';
import { payload } from './payload';
import type { JsonObject, JsonValue } from '../../asl';
import { detailsKeyOf, detailsOf, stateNameOf } from '../../asl/history-events';

/*
 * Two histories compared event by event: type, details, and how each event links to the one
 * before it (previousEventId). What AWS does not fix is not held against a replay:
 * - events of Parallel branches and Map iterations that run at once interleave as they happen
 *   (AWS recorded four timeouts of one instant in the order 0, 2, 1, 3): events are compared
 *   lane by lane (a branch, an iteration), in order within each, and ids through the pairing;
 * - a distributed Map's MapStateExited follows MapRunSucceeded in most recordings and
 *   MapRunStarted in others: the Map Run and the Map state race to record;
 * - a recording whose concurrent events lost their ids (numbered by a placeholder and sorted,
 *   as LocalStack's snapshots keep them) says no order: such a run is compared as a set;
 * - a recording whose ids skip a number lost that event: ours in its place is not compared;
 * - timestamps are not details: a replay runs on its own clock.
 */

/** Where two histories first differ. */
export interface EventDivergence {
  /** 0-based position of the recorded event in the recording (oldest first); the recording's length when the local run recorded more. */
  readonly index: number;
  readonly recorded?: RecordedEvent;
  readonly local?: RecordedEvent;
  /** The JSONPath in the event of the first differing value, when both events have the same type. */
  readonly path?: string;
  /** The difference in words, AWS and local side by side. */
  readonly message: string;
}

/** How comparable strings are judged equal (placeholders, or exactly). */
export type SameString = (got: string, expected: string) => boolean;

/** The events of both histories paired: recorded position to local position (both oldest first). */
export interface EventPairing {
  readonly recorded: readonly RecordedEvent[];
  readonly local: readonly RecordedEvent[];
  /** For each recorded position, the local position of its counterpart, or -1. */
  readonly localOf: readonly number[];
}

const ITERATION_END = /^MapIteration(Succeeded|Failed|Aborted)$/;

/** Fields of event details that hold a JSON document (JSON text in a history; some recordings parsed). */
const DOCUMENTS = new Set(['input', 'output', 'parameters']);

/** An event's details with its documents as JSON values (`"0.0"` and `0` are one number). */
export function documentsParsed(details: Readonly<Record<string, unknown>> | undefined): JsonObject | undefined {
  if (details === undefined) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(details)) out[k] = DOCUMENTS.has(k) && typeof v === 'string' ? payload(v) as JsonValue : v as JsonValue;
  return out;
}

/**
 * The lane of each event: the Map iterations it ran in (followed back through previousEventId
 * to their MapIterationStarted) and the Parallel branch of the state it names (from the
 * definition), or else of the event before it. Events of different lanes may interleave.
 */
export function lanesOf(events: readonly RecordedEvent[], definition: unknown): string[] {
  const owners = branchOwners(definition);
  const cap = iterationLaneCap(definition);
  const laneById = new Map<number, string>();
  const lanes: string[] = [];
  for (const e of events) {
    const before = typeof e.previousEventId === 'number' ? laneById.get(e.previousEventId) ?? '' : '';
    let lane = before;
    if (e.type === 'MapIterationStarted' || ITERATION_END.test(e.type)) {
      const d = detailsOf(e) as { name?: string; index?: number } | undefined;
      const iterations = before.split('|')[0];
      // The event before may lie in a sibling iteration: the Map's own lane precedes its first iteration segment.
      const cut = iterations.lastIndexOf(`/${d?.name ?? '?'}[`);
      const mapLane = cut < 0 ? iterations : iterations.slice(0, cut);
      lane = e.type === 'MapIterationStarted' ? nestedLane(mapLane, d?.name, d?.index, cap) : mapLane;
    } else {
      const name = stateNameOf(e);
      if (name !== undefined) lane = `${before.split('|')[0]}${owners.has(name) ? `|${owners.get(name)}` : ''}`;
    }
    if (typeof e.id === 'number') laneById.set(e.id, lane);
    lanes.push(lane);
  }
  return lanes;
}

/**
 * Pairs each recorded event with the local event in the same lane at the same place, when it has
 * the same type. A run of recorded events numbered by a placeholder is paired as a set, by type
 * and details, within each Parallel branch.
 */
export function pairEvents(
  localEvents: readonly RecordedEvent[], recordedEvents: readonly RecordedEvent[], definition: unknown, key: (e: RecordedEvent) => string,
): EventPairing {
  const recorded = chronological(recordedEvents);
  // Ids a recording skips are events it lost: ours at those ids are left out.
  const lost = new Set<number>();
  let next = 1;
  for (const e of recorded) {
    if (typeof e.id === 'number') {
      for (; next < e.id; next++) lost.add(next);
      next = e.id + 1;
    } else {
      next++;
    }
  }
  const local = lost.size ? localEvents.filter((e) => !lost.has(e.id as number)) : localEvents;
  const localOf = new Array<number>(recorded.length).fill(-1);
  const owners = branchOwners(definition);
  const numbered = (e: RecordedEvent): boolean => typeof e.id === 'number';
  // Placeholder runs: the recorded order says nothing; pair by branch, type and details.
  const inRun = new Array<boolean>(recorded.length).fill(false);
  const localInRun = new Set<number>();
  for (let i = 0; i < recorded.length; i++) {
    if (numbered(recorded[i])) continue;
    let end = i;
    while (end < recorded.length && !numbered(recorded[end])) end++;
    // Each key's local positions, and how many of them are taken: pushing and counting, not copying and shifting, keeps a long run linear.
    const free = new Map<string, { readonly at: number[]; taken: number }>();
    const branchOf = (e: RecordedEvent): string => owners.get(stateNameOf(e) ?? '')?.split('/')[0] ?? '';
    for (let k = i; k < end && k < local.length; k++) {
      const id = `${branchOf(local[k])}\u0000${local[k].type}\u0000${key(local[k])}`;
      const list = free.get(id);
      if (list) list.at.push(k);
      else free.set(id, { at: [k], taken: 0 });
      localInRun.add(k);
    }
    for (let k = i; k < end; k++) {
      inRun[k] = true;
      const id = `${branchOf(recorded[k])}\u0000${recorded[k].type}\u0000${key(recorded[k])}`;
      const candidates = free.get(id);
      if (candidates && candidates.taken < candidates.at.length) localOf[k] = candidates.at[candidates.taken++];
    }
    i = end - 1;
  }
  // Numbered events: lane by lane, in order.
  const recordedLanes = lanesOf(recorded, definition);
  const localLanes = lanesOf(local, definition);
  const queues = new Map<string, { readonly at: number[]; taken: number }>();
  for (let k = 0; k < local.length; k++) {
    if (localInRun.has(k)) continue;
    const q = queues.get(localLanes[k]);
    if (q) q.at.push(k);
    else queues.set(localLanes[k], { at: [k], taken: 0 });
  }
  for (let i = 0; i < recorded.length; i++) {
    if (inRun[i]) continue;
    const q = queues.get(recordedLanes[i]);
    if (q && q.taken < q.at.length && local[q.at[q.taken]].type === recorded[i].type) localOf[i] = q.at[q.taken++];
  }
  return { recorded, local, localOf };
}

/**
 * The first difference between a local history and a recorded one: an event missing, an
 * extra event, a different type, different details (after `options`' normalisation), or a
 * different link to the event before. Undefined when they match.
 */
export function compareEvents(
  localEvents: readonly RecordedEvent[], recordedEvents: readonly RecordedEvent[], definition: unknown,
  options: NormalizeOptions, sameString: SameString,
): EventDivergence | undefined {
  const form = (e: RecordedEvent): JsonValue | undefined => comparable(documentsParsed(detailsOf(e)), options);
  const key = (e: RecordedEvent): string => JSON.stringify(form(e)) ?? '';
  const { recorded, local, localOf } = pairEvents(localEvents, recordedEvents, definition, key);
  const recordedAt = new Map<unknown, number>();
  recorded.forEach((e, i) => recordedAt.set(e.id, i));
  const localAt = new Map<unknown, number>();
  local.forEach((e, i) => localAt.set(e.id, i));
  const used = new Set<number>();
  const paired = new Set(localOf);
  for (let i = 0; i < recorded.length; i++) {
    const r = recorded[i];
    const k = localOf[i];
    if (k < 0) {
      // In its place the local run has an event no recorded one matched, or else the one that comes next.
      const stray = local.findIndex((_e, x) => !paired.has(x));
      const next = localOf.slice(i + 1).find((x) => x >= 0);
      const other = stray >= 0 ? local[stray] : next !== undefined ? local[next] : undefined;
      return {
        index: i,
        recorded: r,
        local: other,
        message: stray >= 0
          ? `event ${i + 1} differs: AWS recorded ${describeEvent(r)}, the local run ${describeEvent(local[stray])}`
          : `event ${i + 1} differs: AWS recorded ${describeEvent(r)}, which the local run did not${other ? ` (it went on with ${describeEvent(other)})` : ''}`,
      };
    }
    used.add(k);
    const l = local[k];
    const d = firstDifference(form(l), form(r), sameString, `$.${detailsKeyOf(r.type)}`);
    if (d) {
      const show = (v: JsonValue | undefined): string => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 200));
      return {
        index: i,
        recorded: r,
        local: l,
        path: d.path,
        message: `event ${i + 1} (${describeEvent(r)}) differs at ${d.path}:\n  AWS:   ${show(d.expected)}\n  local: ${show(d.got)}`,
      };
    }
    if (typeof r.id === 'number' && typeof r.previousEventId === 'number' && !sameLink(r, l, recorded, local, localOf, recordedAt, localAt)) {
      const before = (e: RecordedEvent, list: readonly RecordedEvent[], at: Map<unknown, number>): string => {
        const p = at.get(e.previousEventId);
        return p === undefined ? 'no event (previousEventId 0)' : describeEvent(list[p]);
      };
      return {
        index: i,
        recorded: r,
        local: l,
        path: '$.previousEventId',
        message: `event ${i + 1} (${describeEvent(r)}) follows another event:\n  AWS:   ${before(r, recorded, recordedAt)}\n  local: ${before(l, local, localAt)}`,
      };
    }
  }
  const extra = local.findIndex((_e, at) => !used.has(at));
  if (extra >= 0) {
    return { index: recorded.length, local: local[extra], message: `the local run recorded ${describeEvent(local[extra])} (its event ${extra + 1}), which AWS did not` };
  }
  return undefined;
}

/**
 * True when both events follow counterparts: the recorded previous event is paired with the
 * local previous event. A distributed Map's MapStateExited may follow MapRunStarted on AWS
 * where the local run has it follow MapRunSucceeded (a race between the two on AWS).
 */
function sameLink(
  r: RecordedEvent, l: RecordedEvent, recorded: readonly RecordedEvent[], local: readonly RecordedEvent[], localOf: readonly number[],
  recordedAt: Map<unknown, number>, localAt: Map<unknown, number>,
): boolean {
  if (r.previousEventId === 0 || l.previousEventId === 0) return r.previousEventId === l.previousEventId;
  const rp = recordedAt.get(r.previousEventId);
  const lp = localAt.get(l.previousEventId);
  // The recorded event before was lost from the recording (an id it skips): nothing to hold against the link.
  if (rp === undefined) return true;
  if (lp !== undefined && localOf[rp] === lp) return true;
  return r.type === 'MapStateExited' && recorded[rp].type === 'MapRunStarted' && lp !== undefined && local[lp].type === 'MapRunSucceeded';
}

/** An event in words: "TaskScheduled (state 'Charge')", "ExecutionFailed". */
export function describeEvent(e: RecordedEvent): string {
  const name = stateNameOf(e);
  const d = detailsOf(e) as { name?: string; index?: number } | undefined;
  if (name !== undefined) return `${e.type} of state '${name}'`;
  if (e.type.startsWith('MapIteration') && d) return `${e.type} (${d.name}[${d.index}])`;
  return e.type;
}
