import { madeUpAnswer } from './contract-answers';
import type { Outcome, TaskCallInfo } from './runner';
import type { Step } from './sources';
import type { JsonObject, JsonValue } from '../asl';
import { sameJson, setField, withField } from '../asl/json-value';
import { AwsLimits } from '../asl/limits';

/**
 * What one scenario does: the execution input, and how each Task call is
 * answered (by state, by invocation). A call the plan does not name gets the
 * default answer: one of the shape the service returns (an empty list for a Map's ItemReader).
 */
export interface Plan {
  readonly input: JsonValue;
  /** Answers by state, then by invocation. */
  readonly calls: ReadonlyMap<string, ReadonlyMap<number, Outcome>>;
  /** Answers for every call of a state from an invocation on (a loop that never ends, a retry that never succeeds). */
  readonly from: ReadonlyMap<string, { readonly invocation: number; readonly outcome: Outcome }>;
}

/** The plan every exploration starts from. */
export function basePlan(input: JsonValue): Plan {
  return { input, calls: new Map(), from: new Map() };
}

/** The answer a plan gives a call, or `undefined` for the default one. */
export function planned(plan: Plan, state: string, invocation: number): Outcome | undefined {
  const exact = plan.calls.get(state)?.get(invocation);
  if (exact) return exact;
  const from = plan.from.get(state);
  return from && invocation >= from.invocation ? from.outcome : undefined;
}

/**
 * The answer of a call nobody planned: no items for a Map's ItemReader, else
 * an answer of the shape the Resource's model returns (`{}` where none does).
 */
export function defaultOutcome(call: TaskCallInfo, itemReader: string | undefined): Outcome {
  return { kind: 'return', value: itemReader !== undefined && call.resource === itemReader ? [] : madeUpAnswer(call.resource) };
}

/** The plan with one call's answer replaced. */
export function withCall(plan: Plan, state: string, invocation: number, outcome: Outcome): Plan {
  const calls = new Map(plan.calls);
  const forState = new Map(calls.get(state) ?? []);
  forState.set(invocation, outcome);
  calls.set(state, forState);
  return { ...plan, calls };
}

/**
 * The plan with `count` calls of a state, from `first` on, answered alike: one copy of the plan, not
 * one per call (a Retry's MaxAttempts may be 99,999,999). No run makes more calls of one state than
 * an execution's history holds events (AwsLimits.HISTORY_EVENTS; each call records at least two), so
 * the answers past that many are never asked for and are not stored.
 */
export function withCalls(plan: Plan, state: string, first: number, count: number, outcome: Outcome): Plan {
  const calls = new Map(plan.calls);
  const forState = new Map(calls.get(state) ?? []);
  const n = Math.min(count, AwsLimits.HISTORY_EVENTS);
  for (let i = 0; i < n; i++) forState.set(first + i, outcome);
  calls.set(state, forState);
  return { ...plan, calls };
}

/** The plan with every call of a state from `invocation` on answered alike (exact answers before it stay). */
export function withFrom(plan: Plan, state: string, invocation: number, outcome: Outcome): Plan {
  const from = new Map(plan.from);
  from.set(state, { invocation, outcome });
  const calls = new Map(plan.calls);
  const forState = calls.get(state);
  if (forState) {
    const kept = new Map([...forState].filter(([i]) => i < invocation));
    if (kept.size > 0) calls.set(state, kept);
    else calls.delete(state);
  }
  return { ...plan, calls, from };
}

/** The plan with a new input. */
export function withInput(plan: Plan, input: JsonValue): Plan {
  return { ...plan, input };
}

/**
 * `node` with the value at `steps` set (`undefined`: removed), copying only
 * the containers on the way; missing containers are created, and a short
 * array is padded with null.
 */
export function setAt(node: JsonValue | undefined, steps: readonly Step[], value: JsonValue | undefined, k = 0): JsonValue | undefined {
  if (k === steps.length) return value;
  const step = steps[k];
  if (typeof step === 'number') {
    if (step < 0) return node;
    if (value === undefined && !Array.isArray(node)) return node;
    const array = Array.isArray(node) ? node.slice() : [];
    if (value === undefined && k === steps.length - 1) {
      if (step < array.length) array.length = step;
      return array;
    }
    while (array.length < step) array.push(null);
    const child = setAt(step < array.length ? array[step] : undefined, steps, value, k + 1);
    array[step] = child === undefined ? null : child;
    return array;
  }
  const isObject = node !== null && typeof node === 'object' && !Array.isArray(node);
  if (value === undefined && !isObject) return node;
  const before = isObject && Object.prototype.hasOwnProperty.call(node, step) ? (node as JsonObject)[step] : undefined;
  return withField(isObject ? node as JsonObject : undefined, step, setAt(before, steps, value, k + 1));
}

/**
 * A mock entry as `--mocks` JSON writes it: `{"Return": value}` or `{"Throw": {...}}`, with a
 * `"Delay"` first when the answer is late (and its `"Heartbeats"` when the worker sends some).
 */
export function mockEntry(outcome: Outcome): JsonValue {
  const beats: JsonObject = outcome.heartbeats !== undefined && outcome.heartbeats.length > 0 ? { Heartbeats: [...outcome.heartbeats] } : {};
  const late: JsonObject = outcome.delay !== undefined ? { Delay: outcome.delay, ...beats } : {};
  if (outcome.kind === 'return') return { ...late, Return: outcome.value };
  return { ...late, Throw: outcome.cause === undefined ? { Error: outcome.error } : { Error: outcome.error, Cause: outcome.cause } };
}

/**
 * The mocks of a run, in the `--mocks` JSON format: per state, one entry when
 * every call got the same answer, else a list with one entry per call.
 */
export function mocksOf(calls: ReadonlyMap<string, readonly Outcome[]>, given: ReadonlyMap<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [state, outcomes] of calls) {
    const value = given.get(state);
    if (value !== undefined) {
      setField(out, state, value);
      continue;
    }
    const entries = outcomes.map(mockEntry);
    const allSame = entries.every((e) => sameJson(e, entries[0]));
    setField(out, state, allSame ? entries[0] : entries);
  }
  return out;
}
