import { applyWrites } from './apply-writes';
import type { Attempt, Exploration, RunRecord } from './context';
import { failureOutcome } from './contract-answers';
import { innerTask } from './failures';
import type { StateInfo } from './goals';
import { steerJsonata } from './jsonata-inverse';
import { withCalls } from './plan';
import { attemptsFor } from './proofs';
import { readsOf } from './reads';
import { sourceOfRead } from './repairs';
import { itemsValue } from './run-values';
import { jsonataPath, type Source } from './sources';
import type { Visit } from './visits';
import type { JsonValue, MapState } from '../asl';
import { StatesErrors } from '../asl/states-errors';

/*
 * Runs in which a Distributed Map's items fail within its tolerated failure threshold, for a
 * state after the Map that reads how many failed (`$count($states.result[$exists(Error)])`, a
 * field of the entry a failed child leaves in the results). A Map that tolerates failures goes
 * on when no more of its items fail than ToleratedFailureCount, nor a larger share than
 * ToleratedFailurePercentage (https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html),
 * and its result then holds each failed child's error. A failure is the outcome explore chooses
 * for a call of the first Task inside that lets it out of the child, on every attempt its Retry makes.
 */

/** The most items explore gives a Map so that a failure stays within its percentage, and the most failures it makes. */
const MAX_ITEMS = 256;
const MAX_FAILURES = 10;

/** The source of the list a Map reads its items from: its ItemReader's answer, its Items, its ItemsPath. */
export function itemsSourceOf(x: Exploration, parent: RunRecord, map: StateInfo, v: Visit): Source {
  const def = map.def as MapState;
  if (def.ItemReader !== undefined) {
    const invocation = x.readerCall(parent, v);
    return invocation === undefined
      ? { kind: 'fixed', deep: true, reason: `the items the ItemReader of Map '${map.name}' reads (explore could not tell which call read them)` }
      : { kind: 'task', state: map.name, invocation, steps: [] };
  }
  const prov = x.provenanceOf(parent);
  if (map.language === 'JSONata') {
    const items = def.Items;
    const path = typeof items === 'string' && items.startsWith('{%') ? jsonataPath(items.slice(2, -2)) : undefined;
    if (items === undefined) return prov.rawInput(v, []);
    if (path && path.root === 'input') return prov.rawInput(v, path.steps);
    // An expression (`$states.input.orders[status='open']`, `$split(...)`): what it computes, which explore inverts or searches.
    return prov.jsonataField(v, 'Items')
      ?? { kind: 'fixed', deep: true, reason: `the Items of Map '${map.name}' (${JSON.stringify(items)})` };
  }
  const reads = readsOf(map).filter((r) => r.field === 'ItemsPath');
  return reads[0] ? sourceOfRead(prov, v, reads[0]) : { kind: 'fixed', deep: true, reason: `the ItemsPath of Map '${map.name}'` };
}

/**
 * The plan that gives a Map visit at least one item, from the source of its items: a JSONata
 * expression (`$states.input.orders[status='open']`, `$split($states.input.csv, ',')`) is steered
 * to give a list whose first item exists, whatever it holds (a filter's item then passes the
 * filter); any other source is given one empty item.
 */
export async function oneItemAttempt(x: Exploration, parent: RunRecord, source: Source): Promise<Attempt> {
  const computed = source.kind === 'fixed' ? source.computed : undefined;
  if (computed?.fn !== 'JSONata') return applyWrites(x, parent, [{ source, value: [{}] }]);
  const steered = await steerJsonata(x, computed, [{ steps: [...computed.steps, 0], value: undefined, defined: true }]);
  if ('reason' in steered) return { reason: `it needs a list of at least one item where ${steered.reason}` };
  return applyWrites(x, parent, steered);
}

/** A threshold the definition states as a number; undefined for none, or one read from the input or a JSONata expression. */
function stated(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * How many items a run needs for `failures` of them to stay within the Map's thresholds, or
 * undefined when no number of items does (a count under `failures`, a percentage of 0).
 */
export function itemsForFailures(def: MapState, failures: number, have: number): number | undefined {
  const count = stated(def.ToleratedFailureCount);
  const pct = stated(def.ToleratedFailurePercentage);
  if (count !== undefined && failures > count) return undefined;
  if (pct === undefined) return Math.max(have, failures);
  if (pct === 0) return undefined;
  // failures * 100 / items <= pct, as the interpreter and AWS judge the share.
  return Math.max(have, failures, Math.ceil((failures * 100) / pct));
}

/**
 * Plans in which `failures` items of the Map visit `v` fail within its threshold (1, then the
 * most it tolerates, up to {@link MAX_FAILURES}): the run's items, or that many copies of its
 * first item where the percentage needs more, and the first calls of the Task inside that lets a
 * failure out of the child failing on every attempt. A reason where no such plan exists.
 */
export async function toleratedFailureAttempts(x: Exploration, parent: RunRecord, v: Visit): Promise<Attempt[]> {
  const map = x.states.get(v.name);
  if (map?.def.Type !== 'Map') return [];
  const def = map.def;
  const inner = innerTask(x, v, StatesErrors.TASK_FAILED);
  const first = inner?.calls[0];
  if (inner === undefined || first === undefined) return [{ reason: `no Task inside '${v.name}' was called in that run whose failure fails an item` }];
  const innerDef = x.states.get(inner.name)!.def;
  const items = itemsValue(x.states, v, (m) => x.readerItems(parent, m));
  const have = items?.length ?? v.iterationEnds.size;
  const count = stated(def.ToleratedFailureCount);
  const most = Math.min(MAX_FAILURES, count ?? 1, have > 0 && count !== undefined ? Math.max(have, count) : MAX_FAILURES);
  const out: Attempt[] = [];
  for (const failures of [...new Set([1, most])]) {
    const needed = itemsForFailures(def, failures, have);
    if (needed === undefined || needed > MAX_ITEMS) {
      out.push({ reason: `no run of Map '${v.name}' keeps ${failures} failed item(s) within its tolerated failure threshold` });
      continue;
    }
    let plan = parent.plan;
    let wrote = '';
    if (needed > have) {
      const item: JsonValue = items?.[0] ?? {};
      const written = await applyWrites(x, parent, [{ source: itemsSourceOf(x, parent, map, v), value: Array.from({ length: needed }, () => item) }]);
      if ('reason' in written) {
        out.push({ reason: `Map '${v.name}' needs ${needed} items for ${failures} of them to fail within its tolerated failure threshold, and ${written.reason}` });
        continue;
      }
      plan = written.plan;
      wrote = `${written.writes}, `;
    }
    const attempts = attemptsFor(innerDef, StatesErrors.TASK_FAILED);
    const outcome = failureOutcome((innerDef as { Resource?: unknown }).Resource, StatesErrors.TASK_FAILED);
    const rounds = failingRounds(first, needed, failures, attempts);
    const shown = rounds.map(([from, n]) => (n > 1 ? `${from + 1} to ${from + n}` : `${from + 1}`)).join(', ');
    const said = `${failures} item(s) of '${v.name}' failing within its tolerated failure threshold`;
    const attempt: Attempt = {
      plan: rounds.reduce((p, [from, n]) => withCalls(p, inner.name, from, n, outcome), plan),
      writes: `${wrote}'${inner.name}' call(s) ${shown} fail with ${StatesErrors.TASK_FAILED}, ${said}`,
    };
    // Retries the children make at other times than explore takes them to: the calls in a row instead.
    out.push(rounds.length === 1 ? attempt : {
      ...attempt,
      otherwise: {
        plan: withCalls(plan, inner.name, first, failures * attempts, outcome),
        writes: `${wrote}'${inner.name}' calls ${first + 1} to ${first + failures * attempts} fail with ${StatesErrors.TASK_FAILED}, ${said}`,
      },
    });
  }
  return out;
}

/** The most rounds of retries {@link failingRounds} fails: past them, a Retry of more attempts lets the item succeed. */
const MAX_ROUNDS = 100;

/**
 * The calls to fail, as `[first call, how many]` per round, for `failures` of `items` children
 * to fail every one of `attempts` attempts: the first `failures` children's first calls, as every
 * child calls once before any Retry's interval (at least a second, on the virtual clock) has
 * passed, then each round of their retries after the `items` first calls.
 */
export function failingRounds(first: number, items: number, failures: number, attempts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [[first, failures]];
  for (let r = 1; r < Math.min(attempts, MAX_ROUNDS); r++) out.push([first + items + (r - 1) * failures, failures]);
  return out;
}
