import { chronological } from './answers';
import type { RecordedEvent } from './format';
import type { JsonObject, JsonValue } from '../../asl/types';

/** How recorded and local values are brought to one form before they are compared. */
export interface NormalizeOptions {
  /**
   * One more rewrite of every string (keys too), on both sides, after the
   * built-in one (valid ISO-8601 date-times become `date`, UUIDs `<uuid>`):
   * for names a recording replaced by placeholders of its own.
   * @default - none
   */
  readonly normalize?: (text: string) => string;
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
  const text = (s: string): string => (options.normalize ? options.normalize(volatileFree(s)) : volatileFree(s));
  const walk = (x: JsonValue): JsonValue => {
    if (typeof x === 'string') {
      const s = text(x);
      if (s.startsWith('{') || s.startsWith('[')) {
        try {
          return walk(JSON.parse(x) as JsonValue);
        } catch {
          return s;
        }
      }
      return s;
    }
    if (Array.isArray(x)) return x.map(walk);
    if (x !== null && typeof x === 'object') {
      const out: JsonObject = {};
      for (const k of Object.keys(x).sort()) out[text(k)] = walk(x[k]);
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
  const pattern = expected.split(/<[^<>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`, 's').test(got);
}

/** Deep equality of two comparable values, strings compared by `sameString`. */
export function deepMatch(
  got: JsonValue | undefined, expected: JsonValue | undefined, sameString: (got: string, expected: string) => boolean,
): boolean {
  return firstDifference(got, expected, sameString) === undefined;
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
    for (const k of Object.keys(expected)) {
      const d = firstDifference(got[k], expected[k], sameString, `${at}${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `['${k}']`}`);
      if (d) return d;
    }
    const extra = Object.keys(got).find((k) => !(k in expected));
    return extra === undefined ? undefined : { path: `${at}.${extra}`, got: got[extra], expected: undefined };
  }
  // 1 and 1.0 are one number in JSON.
  return got === expected ? undefined : { path: at, got, expected };
}

/** One entry into or exit from a state, as the sequence of states lists it. */
export interface StateStep {
  readonly type: string;
  readonly name: string;
  /** The event's id; a recording of concurrent events may hold a placeholder, whose order is then unknown. */
  readonly id: unknown;
}

/** The states an execution entered and left, in order: its `*StateEntered` and `*StateExited` events. */
export function stateSteps(events: readonly RecordedEvent[]): StateStep[] {
  const out: StateStep[] = [];
  for (const e of chronological(events)) {
    const entered = e.type.endsWith('StateEntered');
    if (!entered && !e.type.endsWith('StateExited')) continue;
    const details = (entered ? e.stateEnteredEventDetails : e.stateExitedEventDetails) as { name?: string } | undefined;
    out.push({ type: e.type, name: details?.name ?? '?', id: e.id });
  }
  return out;
}

/** The first place where the local sequence of states leaves the recorded one. */
export interface StepDivergence {
  /** 0-based position in the sequence of states. */
  readonly index: number;
  readonly recorded?: StateStep;
  readonly local?: StateStep;
}

/**
 * Compares two sequences of states. Where the recording numbered events by
 * placeholder (concurrent Parallel branches, whose order AWS does not fix),
 * that run of steps is compared as a set.
 */
export function compareSteps(local: readonly StateStep[], recorded: readonly StateStep[]): StepDivergence | undefined {
  const key = (s: StateStep): string => `${s.type}\u0000${s.name}`;
  for (let i = 0; i < Math.max(local.length, recorded.length); i++) {
    const r = recorded[i];
    if (r && typeof r.id !== 'number' && r.id !== undefined) {
      let end = i;
      while (end < recorded.length && typeof recorded[end].id !== 'number') end++;
      const want = recorded.slice(i, end).map(key).sort();
      const got = local.slice(i, end).map(key).sort();
      for (let k = 0; k < want.length; k++) {
        if (got[k] !== want[k]) {
          const at = local.slice(i, end).findIndex((s) => key(s) === got[k]);
          const recordedStep = recorded.slice(i, end).find((s) => key(s) === want[k]);
          return { index: i + Math.max(at, 0), recorded: recordedStep, local: at >= 0 ? local[i + at] : undefined };
        }
      }
      i = end - 1;
      continue;
    }
    const l = local[i];
    if (!r || !l || key(r) !== key(l)) return { index: i, recorded: r, local: l };
  }
  return undefined;
}

/** A step in words: "entered Task state 'Charge'". */
export function describeStep(step: StateStep | undefined): string {
  if (!step) return 'nothing (the execution had ended)';
  const m = /^(.*)State(Entered|Exited)$/.exec(step.type);
  return m ? `${m[2] === 'Entered' ? 'entered' : 'left'} ${m[1]} state '${step.name}'` : `${step.type} '${step.name}'`;
}
