import { isDeepStrictEqual } from 'node:util';
import { DOORS, type BehaviourCase, type DoorName, type Expectation } from './case-format';
import { EXECUTION_NAME, normalise } from './normalise';
import { REPORTS, type CostCounts, type DoorOutcome, type Observation, type ObservedField } from './observation';
import type { JsonValue } from '../../src/asl/definition-types';
import { applyTransformers } from '../conformance/history-compare';
import { CONTEXT, canonicalValue } from '../conformance/recorded-run';

/** One difference: `<door>.<field>` and what it is. */
export interface Difference {
  readonly key: string;
  readonly detail: string;
}

/** A Retry whose intervals are random: JitterStrategy FULL. */
const JITTER = /"JitterStrategy":"FULL"/;

const show = (v: unknown): string => (v === undefined ? '(nothing)' : JSON.stringify(v).slice(0, 600));

/**
 * Every difference of a case: each door against the expectation, field by field, and each door
 * against the jest door (the reference) on every field both report that the expectation does not
 * settle. A door that refused the case differs on `refused`; of a case every door must refuse
 * (`expect.refused`), a door that ran it differs on `status`.
 */
export function differences(c: BehaviourCase, outcomes: Readonly<Partial<Record<DoorName, DoorOutcome>>>): Difference[] {
  const out: Difference[] = [];
  const ran = new Map<DoorName, { raw: Observation; normal: Observation; outcome: DoorOutcome & { kind: 'ran' } }>();
  for (const door of DOORS) {
    const o = outcomes[door];
    if (!o || o.kind === 'cannot') continue;
    if (o.kind === 'refused') {
      if (c.expect.refused !== true) out.push({ key: `${door}.refused`, detail: o.message });
    } else if (c.expect.refused === true) {
      out.push({ key: `${door}.status`, detail: `expected the door to refuse the run, as StartExecution does; it ran, ${o.observation.status}` });
    } else {
      ran.set(door, { raw: o.observation, normal: normalise(o.observation, o.names), outcome: o });
    }
  }
  const failsExpectation = new Map<DoorName, Set<ObservedField>>();
  for (const [door, { raw, normal, outcome }] of ran) {
    const failed = new Set<ObservedField>();
    for (const [field, detail] of expectationMisses(c, raw, normal, outcome.names.machine)) {
      if (!reports(door, raw, field)) continue;
      failed.add(field);
      out.push({ key: `${door}.${field}`, detail });
    }
    failsExpectation.set(door, failed);
  }
  const reference = ran.get('jest') ?? [...ran.values()][0];
  if (!reference) return out;
  const referenceDoor = [...ran].find(([, v]) => v === reference)![0];
  const jittered = JITTER.test(JSON.stringify(c.template ?? c.definition));
  for (const [door, { normal }] of ran) {
    if (door === referenceDoor) continue;
    for (const field of REPORTS[door]) {
      // A run's duration on serve's wall clock, or with FULL jitter, is compared only with an expectation (normalise.ts).
      if (field === 'seconds' && (jittered || door === 'serve' || referenceDoor === 'serve')) continue;
      const bothReport = reports(door, ran.get(door)!.raw, field) && reports(referenceDoor, reference.raw, field);
      if (!bothReport || failsExpectation.get(door)!.has(field) || failsExpectation.get(referenceDoor)!.has(field)) continue;
      const mine = comparable(field, normal);
      const theirs = comparable(field, reference.normal);
      const where = firstDifference(theirs, mine);
      if (where !== undefined) out.push({ key: `${door}.${field}`, detail: `at ${field}${where.at}: ${referenceDoor} says ${show(where.a)}, ${door} says ${show(where.b)}` });
    }
  }
  return out;
}

/** Whether the door reported the field for this run. */
function reports(door: DoorName, o: Observation, field: ObservedField): boolean {
  return REPORTS[door].has(field) && o.notReported?.[field] === undefined;
}

/**
 * JSON text in which a -0 shows: JSON.stringify writes it 0, but a door that hands a test -0 where
 * AWS's JSON text gives 0 differs for `toEqual` (which tells them apart).
 */
function signedText(v: unknown): string | undefined {
  return JSON.stringify(v, (_key, x: unknown) => (Object.is(x, -0) ? '-0 (a negative zero)' : x));
}

/** Where two values first differ (key order and a -0 count), as a path and both sides; undefined when they are the same. */
export function firstDifference(a: unknown, b: unknown, at = ''): { at: string; a: unknown; b: unknown } | undefined {
  if (signedText(a) === signedText(b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (d) return d;
    }
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join() !== kb.join()) return { at: `${at} (keys)`, a: ka, b: kb };
    for (const k of ka) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  return { at, a, b };
}

/**
 * A field as two doors can compare it: a Map Run without maxConcurrency, which DescribeMapRun
 * alone says (an expectation checks it there); advice not at all, as each door names its own
 * options and test case in it (an expectation checks it at each door).
 */
function comparable(field: ObservedField, o: Observation): unknown {
  if (field === 'advice') return undefined;
  const v = o[field];
  if (field !== 'mapRuns' || !Array.isArray(v)) return v;
  return (v as Array<Record<string, unknown>>).map(({ maxConcurrency: _, ...r }) => r);
}

/** The fields of the observation that miss the expectation, with what was expected. */
function expectationMisses(c: BehaviourCase, raw: Observation, o: Observation, machine: string): Array<[ObservedField, string]> {
  const e: Expectation = c.expect;
  const misses: Array<[ObservedField, string]> = [];
  const miss = (field: ObservedField, expected: unknown, got: unknown): void => { misses.push([field, `expected ${show(expected)}, got ${show(got)}`]); };
  if (e.status !== undefined && o.status !== e.status) miss('status', e.status, o.status);
  if (e.scenarios !== undefined && o.scenarios !== undefined) {
    const got = o.scenarios.map((s, i) => Object.fromEntries(Object.keys(e.scenarios![i] ?? { status: 0 }).map((k) => [k, s[k as keyof typeof s]])));
    if (!isDeepStrictEqual(got, e.scenarios)) miss('scenarios', e.scenarios, got);
  }
  // Whatever the case: a test file explore wrote passes as it was written.
  if (o.writtenTests !== undefined && (o.writtenTests.failed > 0 || o.writtenTests.passed === 0)) miss('writtenTests', 'every written test to pass', o.writtenTests);
  if (e.error !== undefined && o.error !== e.error) miss('error', e.error, o.error);
  if (e.cause !== undefined && o.cause !== e.cause) miss('cause', e.cause, o.cause);
  if (e.output !== undefined) {
    const same = c.recorded
      ? isDeepStrictEqual(applyTransformers(canonicalValue(asRecorded(raw.output, machine)), c.recorded.transformers), canonicalValue(e.output))
      : isDeepStrictEqual(sorted(o.output), sorted(e.output));
    if (!same) miss('output', e.output, o.output);
  }
  if (e.path !== undefined && !isDeepStrictEqual(o.path, e.path)) miss('path', e.path, o.path);
  if (e.seconds !== undefined && o.seconds !== undefined && o.seconds !== e.seconds) miss('seconds', e.seconds, o.seconds);
  if (e.advice !== undefined && o.advice !== undefined) {
    const told = o.advice;
    if (told.length !== e.advice.length || e.advice.some((text, i) => !told[i].includes(text))) miss('advice', e.advice, told);
  }
  // Whatever the case: a Map Run ARN an output names is a Map Run of the run (DescribeMapRun answers it on AWS).
  const unknown = o.outputMapRuns?.filter((r) => r !== 'listed') ?? [];
  if (unknown.length > 0) miss('outputMapRuns', 'every Map Run ARN of the output to be a Map Run the door lists', unknown);
  if (e.events !== undefined && o.events !== undefined) {
    const missing = missingInOrder(e.events, o.events);
    if (missing !== undefined) miss('events', `${missing} (in order: ${e.events.join(', ')})`, o.events);
  }
  if (e.follows !== undefined && o.events !== undefined && raw.history !== undefined) {
    for (const [event, previous] of Object.entries(e.follows)) {
      const got = followed(event, o.events, raw.history);
      if (got === undefined || !named(previous, got)) miss('history', `${event} to follow ${previous}`, got === undefined ? `no ${event}` : `${event} follows ${got}`);
    }
  }
  if (e.missed !== undefined && o.missed !== undefined) {
    for (const [category, items] of Object.entries(e.missed)) {
      if (!isDeepStrictEqual([...(o.missed[category] ?? [])].sort(), [...items].sort())) miss('missed', e.missed, o.missed);
    }
  }
  if (e.cost !== undefined && o.cost !== undefined) {
    const got = Object.fromEntries((Object.keys(e.cost) as Array<keyof CostCounts>).map((k) => [k, o.cost![k]]));
    if (!isDeepStrictEqual(got, e.cost)) miss('cost', e.cost, o.cost);
  }
  if (e.cost !== undefined && o.costCommand !== undefined) {
    const got = 'refused' in o.costCommand ? o.costCommand : o.costCommand.stateTransitionsPerExecution;
    if (got !== e.cost.stateTransitions) miss('costCommand', e.cost.stateTransitions, got);
  }
  if (e.mapRuns !== undefined && o.mapRuns !== undefined) {
    // maxConcurrency is DescribeMapRun's alone: checked where the door says it.
    const keys = (i: number): string[] => Object.keys(e.mapRuns![i] ?? {}).filter((k) => k !== 'maxConcurrency' || o.mapRuns![i]?.maxConcurrency !== undefined);
    const got = o.mapRuns.map((r, i) => Object.fromEntries(keys(i).map((k) => [k, (r as unknown as Record<string, unknown>)[k]])));
    const want = e.mapRuns.map((r, i) => Object.fromEntries(keys(i).map((k) => [k, (r as unknown as Record<string, unknown>)[k]])));
    if (!isDeepStrictEqual(got, want)) miss('mapRuns', e.mapRuns, o.mapRuns);
  }
  if (e.s3 !== undefined && o.s3 !== undefined) {
    const written = (bucket: string, files: object): Record<string, unknown> =>
      Object.fromEntries(Object.keys(files).map((k) => [k, o.s3![bucket]?.[k] ?? null]));
    const got = Object.fromEntries(Object.entries(e.s3).map(([bucket, files]) => [bucket, written(bucket, files)]));
    if (!isDeepStrictEqual(sorted(got as JsonValue), sorted(e.s3 as JsonValue))) miss('s3', e.s3, got);
  }
  return misses;
}

/** Whether an event named `got` (`Type:State` or `Type`) is the one `want` names (`Type:State`, or `Type` for any state). */
function named(want: string, got: string): boolean {
  return got === want || (!want.includes(':') && got.startsWith(`${want}:`));
}

/** The name of the event the first event named `event` follows (by its previousEventId), or undefined when there is no such event. */
function followed(event: string, names: readonly string[], history: readonly JsonValue[]): string | undefined {
  const at = names.findIndex((n) => named(event, n));
  if (at < 0) return undefined;
  const previous = (history[at] as { previousEventId?: unknown }).previousEventId;
  const before = history.findIndex((h) => (h as { id?: unknown }).id === previous);
  return before < 0 ? `event ${String(previous)}, which the history lacks` : names[before];
}

/** The first expected event (`Type` or `Type:State`) not found after the ones before it, or undefined when all are there in order. */
function missingInOrder(expected: readonly string[], got: readonly string[]): string | undefined {
  let at = 0;
  for (const want of expected) {
    const found = got.findIndex((g, i) => i >= at && named(want, g));
    if (found < 0) return want;
    at = found + 1;
  }
  return undefined;
}

/** Key order does not count against a hand-written expectation (it does between doors). */
function sorted(v: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(v)) return v.map((x) => sorted(x)!);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])!]));
  return v;
}

/** A door's output in the names the conformance runner gives a recorded execution, which its normalisation knows. */
function asRecorded(v: JsonValue | undefined, machine: string): JsonValue {
  const text = JSON.stringify(v ?? null)
    .split(`:stateMachine:${machine}`).join(`:stateMachine:${CONTEXT.stateMachineName}`)
    .split(`:execution:${machine}:`).join(`:execution:${CONTEXT.stateMachineName}:`)
    .split(`:mapRun:${machine}/`).join(`:mapRun:${CONTEXT.stateMachineName}/`)
    .split(`"${machine}"`).join(`"${CONTEXT.stateMachineName}"`);
  return JSON.parse(text.split(EXECUTION_NAME).join(CONTEXT.executionName)) as JsonValue;
}
