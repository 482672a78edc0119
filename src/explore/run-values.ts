import type { StateInfo } from './goals';
import { jsonataPath } from './sources';
import type { Visit } from './visits';
import type { Catcher, JsonValue, StateDefinition } from '../asl';
import { pathOf } from './provenance-paths';
import { findCatcher } from '../asl/error-rules';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { followSteps } from '../asl/path';
import { parseJsonata, type JsonataNode } from './solve/jsonata-ast';

/*
 * What a run's visits held, read off the run without asking where it came from: a Map's items
 * and what each iteration gave, a Map's or Parallel's results, the state a failure came from and
 * the Catch that took it. Provenance (provenance.ts) follows values back; this is what it reads.
 */

/** Iterations of a Map whose item and result its results as a whole keep, for items to give again. */
export const MAX_OUTCOMES = 64;

type States = ReadonlyMap<string, StateInfo>;

/** What a Map or Parallel visit gave its Output and Assign as `$states.result`: the outputs of its iterations or branches, in order. */
export function containerResults(states: States, v: Visit): JsonValue | undefined {
  const def = states.get(v.name)?.def;
  if (def?.Type === 'Map') return [...v.iterationEnds.entries()].sort((a, b) => a[0] - b[0]).map(([, end]) => end.output ?? null);
  if (def?.Type !== 'Parallel') return undefined;
  const out: JsonValue[] = [];
  for (const c of v.children) {
    const ci = states.get(c.name);
    if (ci?.branch !== undefined && c.exited !== undefined && (ci.def.End === true || ci.def.Type === 'Succeed')) out[ci.branch] = c.output ?? null;
  }
  return out;
}

/**
 * What a visit's Output, Assign and ResultSelector read as its result: a Task's answer, or the
 * outputs of a Parallel's branches or a Map's iterations once they all succeeded (the state may
 * still fail after, on what it reads of them).
 */
export function resultOf(states: States, v: Visit): JsonValue | undefined {
  const answer = v.result;
  if (answer !== undefined) return answer;
  const type = states.get(v.name)?.def.Type;
  const done = type === 'Parallel' ? 'ParallelStateSucceeded' : type === 'Map' ? 'MapStateSucceeded' : undefined;
  return done !== undefined && v.events.some((e) => e.type === done) ? containerResults(states, v) : undefined;
}

/** The items a Map visit iterated over, as far as explore can tell them from the run (before ItemSelector). */
export function itemsValue(states: States, map: Visit, readerValue: (map: Visit) => JsonValue[] | undefined): JsonValue[] | undefined {
  const info = states.get(map.name);
  const def = info?.def;
  if (def?.Type !== 'Map') return undefined;
  let list: JsonValue | undefined;
  if (def.ItemReader !== undefined) {
    list = readerValue(map);
  } else if (info!.language === 'JSONata') {
    if (def.Items === undefined) {list = map.input;} else if (typeof def.Items === 'string' && isJsonataExpression(def.Items)) {
      const p = jsonataPath(def.Items.trim().slice(2, -2));
      list = p?.root === 'input' ? followSteps(map.input, p.steps) : undefined;
    } else if (Array.isArray(def.Items)) {list = def.Items;}
  } else {
    const ip = def.InputPath === undefined || def.InputPath === '$' ? [] : pathOf(def.InputPath ?? '')?.steps;
    const items = pathOf(def.ItemsPath ?? '$');
    list = ip && items?.definite && items.steps && items.root.kind === 'input' ? followSteps(followSteps(map.input, ip) ?? null, items.steps) : undefined;
  }
  return Array.isArray(list) ? list : undefined;
}

/** What each iteration of a Map visit gave: the item it had (before ItemSelector) and its result. Not for batches. */
export function iterationOutcomes(
  states: States,
  v: Visit,
  readerValue: (map: Visit) => JsonValue[] | undefined,
): Array<{ index: number; item: JsonValue; result: JsonValue }> {
  const def = states.get(v.name)?.def;
  const raw = itemsValue(states, v, readerValue);
  if (def?.Type !== 'Map' || raw === undefined || def.ItemBatcher !== undefined) return [];
  return [...v.iterationEnds].sort((a, b) => a[0] - b[0]).slice(0, MAX_OUTCOMES).flatMap(([index, end]) => {
    const output = end.output;
    return raw[index] !== undefined && output !== undefined ? [{ index, item: raw[index], result: output }] : [];
  });
}

/** The literal keys of the object a JSONata Output builds (a template's, or an object constructor's). */
export function outputKeys(output: JsonValue | undefined): string[] {
  if (output !== null && typeof output === 'object' && !Array.isArray(output)) return Object.keys(output);
  if (typeof output !== 'string' || !isJsonataExpression(output)) return [];
  const parsed = parseJsonata(output.trim().slice(2, -2));
  if ('error' in parsed || parsed.ast.type !== 'unary' || parsed.ast.value !== '{') return [];
  return ((parsed.ast.lhs ?? []) as JsonataNode[][]).flatMap((pair) => (pair[0]?.type === 'string' ? [pair[0].value as string] : []));
}

/** The innermost state a failed visit failed at: itself (a Task, a Fail state), or the one in its branches that failed. */
export function failedVisit(states: States, v: Visit, depth = 0): Visit | undefined {
  const def = states.get(v.name)?.def;
  if (!def || depth > 16) return undefined;
  if (def.Type === 'Task' || def.Type === 'Fail') return v;
  if (def.Type !== 'Parallel' && def.Type !== 'Map') return undefined;
  const failed = v.children.filter((c) => c.exited === undefined
    && ((c.outcome !== undefined && !c.outcome.ok) || states.get(c.name)?.def.Type === 'Fail'));
  return failed.length === 1 ? failedVisit(states, failed[0], depth + 1) : undefined;
}

/** The Catch that took a caught visit: the one its error matches, else the one leading where the run went next. */
export function catcherOf(def: StateDefinition, v: Visit, next: string | undefined): Catcher | undefined {
  const catchers = def.Catch ?? [];
  const outcome = v.outcome;
  const error = outcome && !outcome.ok ? outcome.error : undefined;
  const byError = error ? findCatcher(catchers, error) : undefined;
  if (byError && (next === undefined || byError.Next === next)) return byError;
  return catchers.find((c) => c.Next === next);
}
