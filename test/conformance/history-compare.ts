import { canonicalString, CONTEXT, type RecordedCase, type SnapshotTransformer } from './recorded-run';
import type { HistoryEvent } from '../../src/interpreter';
import { chronological, stableJson } from '../../src/workbench/replay/answers';
import { branchOwners, deepMatch, placeholderMatch, startsWithDateTime } from '../../src/workbench/replay/compare';
import type { RecordedEvent } from '../../src/workbench/replay/format';

/*
 * Compares an execution history with the one AWS recorded, after the
 * normalisation the recording's placeholders need. What LocalStack's snapshot
 * did to the recorded events, and how each is undone here:
 * - timestamps, ARNs, account, region, names, UUIDs, tokens became placeholders:
 *   both sides' strings are made canonical the same way, and the case's own
 *   transformers (`snapshotTransformers`) are applied to ours;
 * - JSON texts starting with `{` were parsed into objects (at some depths only):
 *   JSON texts of objects and arrays are compared as values on both sides, at any depth;
 * - events of concurrent Parallel branches got the id `[0]` and were sorted,
 *   since AWS's order across branches is not deterministic: such a run of
 *   events is compared per branch, each as a set (`[0]` / previousEventId 0 on ours too);
 * - an event was dropped (ParallelStateSucceeded) but the ids keep its place:
 *   the event of ours with a missing id is left out;
 * - a history fetched with reverseOrder lists the newest event first: it is read oldest first;
 * - documents (input, output, parameters) are JSON texts in a history, some kept as text
 *   (`"0.0"`), some parsed (`1`): both sides' are compared as JSON values;
 * - a transformer whose pattern the case does not keep (a generated id) left its replacement
 *   where the value was: that replacement matches any value (wildcardsOf).
 * - the events' own fields and their details' fields were sorted (LocalStack's snapshot sorts
 *   what was not a JSON text), the documents (JSON texts parsed) were not: key order counts
 *   inside documents (input, output, parameters, cause, each assigned variable's value), at any
 *   depth, and nowhere else (keyOrderDifference).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The first difference between two histories, or undefined when they match. */
export interface HistoryDiff {
  readonly index: number;
  readonly got: Json | undefined;
  readonly expected: Json | undefined;
  /** Set when the events are equal by value but a document's keys come in another order. */
  readonly keyOrder?: KeyOrderDiff;
}

/** Where two equal JSON values first list an object's keys in different orders. */
export interface KeyOrderDiff {
  readonly path: string;
  readonly got: readonly string[];
  readonly expected: readonly string[];
}

/**
 * The first object, at any depth, whose keys `got` lists in another order than `expected`; only
 * where both have the object with the same keys (a value difference is deepMatch's to report).
 */
export function keyOrderDifference(got: Json | undefined, expected: Json | undefined, at = '$'): KeyOrderDiff | undefined {
  if (Array.isArray(got) && Array.isArray(expected)) {
    for (let i = 0; i < Math.min(got.length, expected.length); i++) {
      const d = keyOrderDifference(got[i], expected[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (!isPlainObject(got) || !isPlainObject(expected)) return undefined;
  const g = Object.keys(got);
  const e = Object.keys(expected);
  if (g.length === e.length && e.every((k) => Object.hasOwn(got, k)) && g.some((k, i) => k !== e[i])) return { path: at, got: g, expected: e };
  for (const k of e) {
    const d = Object.hasOwn(got, k) ? keyOrderDifference(got[k], expected[k], `${at}${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}`) : undefined;
    if (d) return d;
  }
  return undefined;
}

function isPlainObject(v: Json | undefined): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Fields of event details whose value (or, for assignedVariables, each value) is a document. */
const ORDERED_FIELDS = new Set(['input', 'output', 'parameters', 'cause']);

/** The first key-order difference between two events' documents (see the file comment). */
function eventKeyOrderDifference(got: Json | undefined, expected: Json | undefined): KeyOrderDiff | undefined {
  if (!isPlainObject(got) || !isPlainObject(expected)) return undefined;
  for (const [key, details] of Object.entries(expected)) {
    const mine = got[key];
    if (!key.endsWith('EventDetails') || !isPlainObject(details) || !isPlainObject(mine)) continue;
    for (const [f, v] of Object.entries(details)) {
      const d = ORDERED_FIELDS.has(f) ? keyOrderDifference(mine[f], v, `${key}.${f}`)
        : f === 'assignedVariables' && isPlainObject(v) && isPlainObject(mine[f])
          ? Object.keys(v).map((name) => keyOrderDifference((mine[f] as { [k: string]: Json })[name], v[name], `${key}.${f}.${name}`)).find(Boolean)
          : undefined;
      if (d) return d;
    }
  }
  return undefined;
}

/**
 * The recorded history in canonical form, oldest first (a recording made with reverseOrder
 * lists it newest first).
 */
export function expectedEvents(c: RecordedCase): Json[] {
  return chronological((c.history ?? []) as unknown as RecordedEvent[]).map((e) => documents(canonical(e as unknown as Json)));
}

/** Our history in the recording's form, for case `c`. */
export function actualEvents(history: readonly HistoryEvent[], c: RecordedCase): Json[] {
  const plain = JSON.parse(JSON.stringify(history)) as Array<{ [k: string]: Json }>;
  const out: Json[] = [];
  for (const e of plain) {
    e.timestamp = 'timestamp';
    out.push(documents(applyTransformers(canonical(e), c.snapshotTransformers ?? [])));
  }
  return out;
}

/**
 * The strings a recording put in place of values only its run knew, through a snapshot
 * transformer whose pattern the case does not keep (a generated id): each matches any value.
 */
export function wildcardsOf(c: RecordedCase): Set<string> {
  const out = new Set<string>();
  for (const t of c.snapshotTransformers ?? []) {
    if (t.type === 'regex' && !t.pattern) out.add(t.referenceReplacement ? `<${t.replacement}>` : t.replacement);
  }
  return out;
}

/** The fields of event details that hold a JSON document, which GetExecutionHistory gives as JSON text. */
const DOCUMENT_FIELDS = new Set(['input', 'output', 'parameters']);

/**
 * Each event's documents as JSON values: ours are JSON texts (`"1"`, `"0"`); the recording's are
 * texts (`"0.0"`, `"\"Hello\""`) or, where LocalStack parsed them, values (`1`). A text that is
 * no JSON (a placeholder) stays as it is. `0.0` and `0` are one JSON number.
 */
function documents(event: Json): Json {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return event;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(event)) {
    if (!k.endsWith('EventDetails') || v === null || typeof v !== 'object' || Array.isArray(v)) {
      out[k] = v;
      continue;
    }
    const details: { [k: string]: Json } = {};
    for (const [f, x] of Object.entries(v)) details[f] = DOCUMENT_FIELDS.has(f) && typeof x === 'string' ? parsedText(x) : x;
    out[k] = details;
  }
  return out;
}

function parsedText(text: string): Json {
  try {
    return canonical(JSON.parse(text) as Json);
  } catch {
    // Ours are always JSON; the recording's may be a placeholder.
    return text;
  }
}

/** Compares two histories in canonical form; see the file comment for what is tolerated. */
export function compareHistories(
  got: Json[], expected: Json[], branchOf: (event: Json) => string = () => '', wildcards: ReadonlySet<string> = new Set(),
): HistoryDiff | undefined {
  const matches = (a: Json | undefined, b: Json | undefined): boolean => deepMatch(a, b, (x, y) => wildcards.has(y) || sameString(x, y));
  // Walk the recorded ids ([0] counts as the next id): an id skipped is an event the recording left out.
  const left = new Set<number>();
  let next = 1;
  for (const e of expected) {
    const id = (e as { id: Json }).id;
    if (typeof id === 'number') {
      for (; next < id; next++) left.add(next);
      next = id + 1;
    } else {
      next++;
    }
  }
  const ours = left.size ? got.filter((e) => !left.has((e as { id: number }).id)) : got;
  for (let i = 0; i < Math.max(ours.length, expected.length); i++) {
    const exp = expected[i] as { [k: string]: Json } | undefined;
    if (exp && Array.isArray(exp.id)) {
      let end = i;
      while (end < expected.length && Array.isArray((expected[end] as { id: Json }).id)) end++;
      // Per branch, as a set: the recording sorted them, so no order within a branch is known either.
      const mine = ours.slice(i, end).map((e) => ({ ...(e as object), id: [0], previousEventId: 0 }) as Json);
      const a = byBranch(mine, branchOf);
      const b = byBranch(expected.slice(i, end), branchOf);
      for (const key of new Set([...a.keys(), ...b.keys()])) {
        const x = a.get(key) ?? [];
        const y = b.get(key) ?? [];
        for (let k = 0; k < Math.max(x.length, y.length); k++) {
          if (x[k] !== y[k]) return { index: i, got: parsed(x[k]), expected: parsed(y[k]) };
        }
        // Equal as sets: each recorded event's documents against those of its equal of ours.
        for (const event of expected.slice(i, end)) {
          const twin = mine.find((e) => stable(e) === stable(event));
          const keyOrder = eventKeyOrderDifference(twin, event);
          if (keyOrder) return { index: i, got: twin, expected: event, keyOrder };
        }
      }
      i = end - 1;
      continue;
    }
    if (!matches(ours[i], exp) && !raceOfMapRun(ours, i, expected, matches)) return { index: i, got: ours[i], expected: exp };
    const keyOrder = eventKeyOrderDifference(ours[i], exp);
    if (keyOrder) return { index: i, got: ours[i], expected: exp, keyOrder };
  }
  return undefined;
}

function parsed(text: string | undefined): Json | undefined {
  return text === undefined ? undefined : JSON.parse(text) as Json;
}

/** Events grouped by branch, each group as sorted JSON texts. */
function byBranch(events: Json[], branchOf: (event: Json) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of events) {
    const key = branchOf(e);
    out.set(key, [...(out.get(key) ?? []), stable(e)]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/**
 * The branch an event of a concurrent section belongs to, by the state it names: `Parallel#index`
 * of the outermost Parallel holding that state (ASL state names are unique machine-wide). Events
 * that name no state (TaskScheduled, ...) share one group.
 */
export function parallelBranches(definition: unknown): (event: Json) => string {
  const owner = branchOwners(definition);
  return (event) => {
    const e = event as { stateEnteredEventDetails?: { name?: string }; stateExitedEventDetails?: { name?: string } };
    const name = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
    return (name !== undefined ? owner.get(name)?.split('/')[0] : undefined) ?? '';
  };
}

/**
 * A distributed Map's MapStateExited follows MapRunSucceeded in most recordings and
 * MapRunStarted in others (13 of 44): AWS's Map Run and the Map state race to record.
 * Either is accepted; everything else about the event must match.
 */
function raceOfMapRun(ours: Json[], i: number, expected: Json[], matches: (a: Json | undefined, b: Json | undefined) => boolean): boolean {
  const got = ours[i] as { [k: string]: Json } | undefined;
  const exp = expected[i] as { [k: string]: Json };
  if (!got || exp.type !== 'MapStateExited' || !matches({ ...got, previousEventId: exp.previousEventId }, exp)) return false;
  const typeOf = (list: Json[], id: Json) => (list.find((e) => (e as { id: Json }).id === id) as { type?: Json } | undefined)?.type;
  return typeOf(expected, exp.previousEventId) === 'MapRunStarted' && typeOf(ours, got.previousEventId) === 'MapRunSucceeded';
}

function sameString(got: string, expected: string): boolean {
  // Some recordings name the role by a pattern of their own rather than snf_role_arn.
  if (got === 'snf_role_arn' && expected !== got) return sameString(canonicalString(CONTEXT.roleArn).replace('snf_role_arn', CONTEXT.roleArn.replace('arn:aws:', 'arn:<partition>:')), expected);
  return placeholderMatch(got, expected);
}

/** JSON text with sorted keys, so key order does not count. */
function stable(v: Json | undefined): string {
  return stableJson(v);
}

/** A string as both sides print it: context names, partition, valid dates, UUIDs and Map Run ARNs as placeholders. */
export function canonicalText(v: string): string {
  return canonicalString(v).replace(/<(<[^<>]+>):\d+>/g, '<$1>')
    // recorded-run.ts gave the recording's activity placeholder an ARN; the recording has the placeholder.
    .replace(/arn:<partition>:states:<region>:123456789012:activity:([^"\s]+)/g, '$1').replace(/mapRun:[^/"\s]+\/[^:"\s]+:[A-Za-z0-9<>_-]+/g, 'mapRun:<sm_name>/<map_run_label>:<map_run_id>');
}

/** Strings canonical; JSON texts of objects or arrays parsed, at any depth. */
function canonical(v: Json): Json {
  if (typeof v === 'string') {
    const s = canonicalText(v);
    if (s.startsWith('{') || s.startsWith('[')) {
      try {
        return canonical(JSON.parse(s) as Json);
      } catch {
        return s;
      }
    }
    return s;
  }
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) {
      // A key naming a timestamp holds the placeholder in the recording, unless its value starts with a valid date-time.
      const timestamp = /timestamp/i.test(k) && !(typeof x === 'string' && startsWithDateTime(x));
      // A listed object's LastModified is epoch seconds (ItemReader (Map): `"LastModified": 1668699881`);
      // LocalStack's recording replaced it by its key, whatever its type.
      const listedTime = k === 'LastModified' && typeof x === 'number' && Number.isInteger(x) && x > 0;
      out[canonicalString(k)] = timestamp ? 'timestamp' : listedTime ? '<date>' : canonical(x);
    }
    return out;
  }
  return v;
}

/** The case's own snapshot transformers, on our side: key and `$..key` replacements, and regexes. */
export function applyTransformers(v: Json, transformers: readonly SnapshotTransformer[]): Json {
  let out = v;
  for (const t of transformers) {
    const replacement = t.referenceReplacement ? `<${t.replacement}>` : t.replacement;
    const key = t.type === 'key_value' ? t.key : t.type === 'jsonpath' && /^\$\.\.[A-Za-z0-9_-]+$/.test(t.path ?? '') ? t.path!.slice(3) : undefined;
    if (key !== undefined) {out = setKey(out, key, replacement);} else if (t.type === 'regex' && t.pattern) {
      let re: RegExp;
      try {
        re = new RegExp(t.pattern, 'g');
      } catch {
        continue;
      }
      out = mapStrings(out, (s) => s.replace(re, t.replacement));
    }
  }
  return out;
}

function setKey(v: Json, key: string, replacement: string): Json {
  if (Array.isArray(v)) return v.map((x) => setKey(x, key, replacement));
  if (v === null || typeof v !== 'object') return v;
  const out: { [k: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === key ? replacement : setKey(x, key, replacement);
  return out;
}

function mapStrings(v: Json, fn: (s: string) => string): Json {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, fn));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [fn(k), mapStrings(x, fn)]));
  return v;
}
