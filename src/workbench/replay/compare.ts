import { chronological } from './answers';
import type { OrderedEvent } from './format';
import type { JsonObject, JsonValue } from '../../asl';
import { factsOf, stateNameOf } from '../../asl/history-events';
import { AwsLimits } from '../../asl/limits';
import { forEachState, isWalkable, type StateScope } from '../../asl/state-tree';
import { ANY_RUN, wildcardMatch, type WildcardPiece } from '../../asl/wildcard';

/** How recorded and local values are brought to one form before they are compared. */
export interface NormalizeOptions {
  /**
   * One more rewrite of every string (keys too), on both sides, after the
   * built-in one (valid ISO-8601 date-times become `date`, UUIDs `<uuid>`):
   * for names a recording replaced by placeholders of its own. A string that
   * is the value of an object member gets that member's key (as written) too,
   * for recordings that masked values by key.
   * @default - none
   */
  readonly normalize?: (text: string, key?: string) => string;
  /**
   * Read `<anything>` in a recorded string as a placeholder that matches any
   * text there, for recordings whose ids, names or tokens were masked.
   * @default false
   */
  readonly placeholders?: boolean;
}

const DATE_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?/g;
const UUID = /[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}/g;

/** An ISO-8601 date-time with a zone and month, day and time in range. */
export function isValidDateTime(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h < 24 && mi < 60 && se < 60;
}

/** True when `s` starts with a valid ISO-8601 date-time. */
export function startsWithDateTime(s: string): boolean {
  const m = new RegExp(`^${DATE_TIME.source}`).exec(s);
  return m !== null && isValidDateTime(m[0]);
}

/**
 * A string with what differs between any two runs of the same execution
 * replaced: valid date-times by `date` (a replay runs on its own clock) and
 * UUIDs by `<uuid>` (States.UUID, task tokens).
 */
export function volatileFree(s: string): string {
  return s.replace(DATE_TIME, (d) => (isValidDateTime(d) ? 'date' : d)).replace(UUID, '<uuid>');
}

/** A value in comparable form: strings normalised, JSON texts of objects and arrays parsed (at any depth), keys sorted. */
export function comparable(v: JsonValue | undefined, options: NormalizeOptions = {}): JsonValue | undefined {
  if (v === undefined) return undefined;
  const text = (s: string, key?: string): string => (options.normalize ? options.normalize(volatileFree(s), key) : volatileFree(s));
  const walk = (x: JsonValue, key?: string): JsonValue => {
    if (typeof x === 'string') {
      const s = text(x, key);
      if (s.startsWith('{') || s.startsWith('[')) {
        try {
          return walk(JSON.parse(x) as JsonValue);
        } catch {
          return s;
        }
      }
      return s;
    }
    if (Array.isArray(x)) return x.map((item) => walk(item));
    if (x !== null && typeof x === 'object') {
      const out: JsonObject = {};
      for (const k of Object.keys(x).sort()) out[text(k)] = walk(x[k], k);
      return out;
    }
    return x;
  };
  return walk(v);
}

/** True when a recorded string with `<placeholder>` parts matches `got`, each placeholder standing for any text. */
export function placeholderMatch(got: string, expected: string): boolean {
  if (got === expected) return true;
  if (!/<[^<>]+>/.test(expected)) return false;
  // Matched in linear time, never by a regular expression of `.*`s: a recording of many
  // placeholders would make one backtrack for minutes.
  const pieces: WildcardPiece[] = [];
  expected.split(/<[^<>]+>/).forEach((part, i) => {
    if (i > 0) pieces.push(ANY_RUN);
    pieces.push({ text: part, wild: false });
  });
  return wildcardMatch(pieces, got, false);
}

/** Deep equality of two comparable values, strings compared by `sameString`. */
export function deepMatch(
  got: JsonValue | undefined, expected: JsonValue | undefined, sameString: (got: string, expected: string) => boolean,
): boolean {
  return firstDifference(got, expected, sameString) === undefined;
}

/** The JSONPath of member `key` under `at`: `.key` for a name, else bracketed with its quote escaped (`['it\\'s']`). */
function memberPath(at: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}['${key.replace(/[\\']/g, '\\$&')}']`;
}

/** Where two comparable values first differ: a JSONPath and both values there; undefined when equal. */
export function firstDifference(
  got: JsonValue | undefined, expected: JsonValue | undefined,
  sameString: (got: string, expected: string) => boolean = (a, b) => a === b, at = '$',
): { path: string; got: JsonValue | undefined; expected: JsonValue | undefined } | undefined {
  if (typeof expected === 'string' && typeof got === 'string') return sameString(got, expected) ? undefined : { path: at, got, expected };
  if (Array.isArray(expected)) {
    if (!Array.isArray(got) || got.length !== expected.length) return { path: at, got, expected };
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(got[i], expected[i], sameString, `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return { path: at, got, expected };
    // Own fields only: a key one side lacks (`constructor`, `toString`) is absent, not what its prototype holds.
    for (const k of Object.keys(expected)) {
      const d = firstDifference(Object.hasOwn(got, k) ? got[k] : undefined, expected[k], sameString, memberPath(at, k));
      if (d) return d;
    }
    const extra = Object.keys(got).find((k) => !Object.hasOwn(expected, k));
    return extra === undefined ? undefined : { path: memberPath(at, extra), got: got[extra], expected: undefined };
  }
  // 1 and 1.0 are one number in JSON.
  return got === expected ? undefined : { path: at, got, expected };
}

/**
 * The longest the Map iterations of a lane can run (in characters) in a history of this
 * definition: one segment (`/name[index]`, a name of at most 80 characters) for each Map state
 * nested in another, at the deepest. A recording's events may claim iterations nested without
 * end (20,000 MapIterationStarted of 20,000 made-up Map names, each following the one before),
 * whose lanes, each a copy of the one before and longer, took 2.9 GB; no execution of the
 * definition nests deeper than its Map states do.
 */
export function iterationLaneCap(definition: unknown): number {
  let deepest = 0;
  if (isWalkable(definition)) {
    forEachState(definition, (_name, state, scope) => {
      if (state.Type !== 'Map') return;
      let depth = 1;
      // The scopes above that are item processors (a Parallel's branch has its index).
      for (let s: StateScope<object> | undefined = scope; s?.parent !== undefined; s = s.parent) if (s.branch === undefined) depth++;
      deepest = Math.max(deepest, depth);
    });
  }
  return deepest * LANE_SEGMENT_CHARS;
}

/** One segment of a lane at most: a name of 80 characters, each maybe two UTF-16 units, `/`, `[`, an index and `]`. */
const LANE_SEGMENT_CHARS = 2 * AwsLimits.NAME_CHARS + 20;

/**
 * The lane of an iteration of the Map `name` run in `mapLane`; `mapLane` itself when the lane
 * would run longer than `cap` ({@link iterationLaneCap}): the events claim a nesting the
 * definition does not have.
 */
export function nestedLane(mapLane: string, name: unknown, index: unknown, cap: number): string {
  const segment = `/${String(name ?? '?')}[${String(index ?? '?')}]`;
  return mapLane.length + segment.length > cap ? mapLane : mapLane + segment;
}

/** One entry into or exit from a state, as the sequence of states lists it. */
export interface StateStep {
  readonly type: string;
  readonly name: string;
  /** The event's id; a recording of concurrent events may hold a placeholder, whose order is then unknown. */
  readonly id: unknown;
  /**
   * The Parallel branches and Map iterations the step ran in (`Both#0`,
   * `Items[2]`, nested with `/`); '' at the top level. Steps of different
   * lanes ran concurrently, so only their order within a lane is fixed.
   */
  readonly lane: string;
}

/**
 * The Parallel branch of each state nested in one, as `Parallel#index`, nested
 * branches joined by `/` (state names are unique machine-wide). Map item
 * processors add no segment: their lanes are the iterations, found in the history.
 */
export function branchOwners(definition: unknown): Map<string, string> {
  const owner = new Map<string, string>();
  const lanes = new Map<StateScope<object>, string>();
  const laneOf = (scope: StateScope<object>): string => {
    let lane = lanes.get(scope);
    if (lane === undefined) {
      const up = scope.parent ? laneOf(scope.parent) : '';
      lane = scope.branch === undefined ? up : `${up === '' ? '' : `${up}/`}${scope.owner}#${scope.branch}`;
      lanes.set(scope, lane);
    }
    return lane;
  };
  // A recording's definition is walked as far as it goes: the walk skips what is not a state.
  if (!isWalkable(definition)) return owner;
  forEachState(definition, (name, _state, scope) => {
    const branch = laneOf(scope);
    if (branch !== '') owner.set(name, branch);
  });
  return owner;
}

const ITERATION_END = /^MapIteration(Succeeded|Failed|Aborted)$/;

/**
 * The states an execution entered and left, in order: its `*StateEntered`
 * and `*StateExited` events, each with its lane: the Map iterations it ran in
 * (followed back through `previousEventId` to its MapIterationStarted) and
 * the Parallel branch (from the definition).
 */
export function stateSteps(events: readonly OrderedEvent[], definition?: unknown): StateStep[] {
  const owners = definition === undefined ? new Map<string, string>() : branchOwners(definition);
  const cap = definition === undefined ? Infinity : iterationLaneCap(definition);
  const iterationOf = new Map<number, string>();
  const out: StateStep[] = [];
  for (const e of chronological(events)) {
    const before = typeof e.previousEventId === 'number' ? iterationOf.get(e.previousEventId) ?? '' : '';
    let iteration = before;
    if (e.type === 'MapIterationStarted' || ITERATION_END.test(e.type)) {
      const d = factsOf(e);
      // The event before may lie in a sibling iteration (AWS chains one iteration's start to the last
      // event of the one before): the Map's own lane is what precedes its first iteration segment.
      const cut = before.lastIndexOf(`/${d.name ?? '?'}[`);
      const mapLane = cut < 0 ? before : before.slice(0, cut);
      iteration = e.type === 'MapIterationStarted' ? nestedLane(mapLane, d.name, d.index, cap) : mapLane;
    }
    if (typeof e.id === 'number') iterationOf.set(e.id, iteration);
    const entered = e.type.endsWith('StateEntered');
    if (!entered && !e.type.endsWith('StateExited')) continue;
    const name = stateNameOf(e) ?? '?';
    out.push({ type: e.type, name, id: e.id, lane: `${iteration}${owners.has(name) ? `|${owners.get(name)}` : ''}` });
  }
  return out;
}

/** The first place where the local sequence of states leaves the recorded one. */
export interface StepDivergence {
  /** 0-based position in the local sequence of states. */
  readonly index: number;
  readonly recorded?: StateStep;
  readonly local?: StateStep;
}

const stepKey = (s: StateStep): string => `${s.type}\u0000${s.name}`;

/**
 * Compares two sequences of states lane by lane: within a Parallel branch or
 * a Map iteration the order must match; across concurrent ones it need not,
 * since AWS does not fix it. Where the recording numbered events by
 * placeholder (so no lane can be traced), that run of steps is compared as a set.
 */
export function compareSteps(local: readonly StateStep[], recorded: readonly StateStep[]): StepDivergence | undefined {
  if (recorded.some((s) => typeof s.id !== 'number' && s.id !== undefined)) return compareWithUnorderedRuns(local, recorded);
  const lanes = new Map<string, { steps: StateStep[]; next: number }>();
  for (const s of recorded) {
    const lane = lanes.get(s.lane) ?? { steps: [], next: 0 };
    lane.steps.push(s);
    lanes.set(s.lane, lane);
  }
  for (let i = 0; i < local.length; i++) {
    const l = local[i];
    const lane = lanes.get(l.lane);
    const r = lane?.steps[lane.next];
    if (!r || stepKey(r) !== stepKey(l)) return { index: i, recorded: r, local: l };
    lane!.next++;
  }
  // The recorded step left over that came first is the one the local run never reached.
  let missing: StateStep | undefined;
  for (const lane of lanes.values()) {
    const r = lane.steps[lane.next];
    if (r && (missing === undefined || recorded.indexOf(r) < recorded.indexOf(missing))) missing = r;
  }
  return missing ? { index: local.length, recorded: missing, local: undefined } : undefined;
}

function compareWithUnorderedRuns(local: readonly StateStep[], recorded: readonly StateStep[]): StepDivergence | undefined {
  for (let i = 0; i < Math.max(local.length, recorded.length); i++) {
    const r = recorded[i];
    if (r && typeof r.id !== 'number' && r.id !== undefined) {
      let end = i;
      while (end < recorded.length && typeof recorded[end].id !== 'number') end++;
      const want = recorded.slice(i, end).map(stepKey).sort();
      const got = local.slice(i, end).map(stepKey).sort();
      for (let k = 0; k < want.length; k++) {
        if (got[k] !== want[k]) {
          const at = local.slice(i, end).findIndex((s) => stepKey(s) === got[k]);
          const recordedStep = recorded.slice(i, end).find((s) => stepKey(s) === want[k]);
          return { index: i + Math.max(at, 0), recorded: recordedStep, local: at >= 0 ? local[i + at] : undefined };
        }
      }
      i = end - 1;
      continue;
    }
    const l = local[i];
    if (!r || !l || stepKey(r) !== stepKey(l)) return { index: i, recorded: r, local: l };
  }
  return undefined;
}

/** A step in words: "entered Task state 'Charge'". */
export function describeStep(step: StateStep | undefined, other?: StateStep): string {
  if (!step) return other?.lane ? `nothing more in ${laneName(other.lane)}` : 'nothing (the execution had ended)';
  const m = /^(.*)State(Entered|Exited)$/.exec(step.type);
  const what = m ? `${m[2] === 'Entered' ? 'entered' : 'left'} ${m[1]} state '${step.name}'` : `${step.type} '${step.name}'`;
  return step.lane ? `${what} in ${laneName(step.lane)}` : what;
}

/** A lane in words: "Map iteration Items[1], Parallel branch Both#0". */
function laneName(lane: string): string {
  const [iterations, branch] = lane.split('|');
  const parts = iterations.split('/').filter(Boolean).map((x) => `Map iteration ${x}`);
  if (branch) parts.push(`Parallel branch ${branch}`);
  return parts.join(', ');
}
