import type { JsonValue } from '../asl';
import type { Outcome } from './runner';

/*
 * Minimizing a counterexample (verify.ts's confirm): fewer Task calls first, a later call answered
 * as another run answered it so the run ends sooner; then its input shrunk, the smaller values
 * tried as long as the property stays broken with no more Task calls.
 */

/** Inputs smaller than `v` as JSON, the boldest first: emptied, a field or item dropped, a part shrunk. @internal */
export function* smallerValues(v: JsonValue, depth: number): Generator<JsonValue> {
  if (depth <= 0) return;
  if (Array.isArray(v)) {
    if (v.length === 0) return;
    yield [];
    if (v.length > 2) yield v.slice(0, Math.floor(v.length / 2));
    for (let i = 0; i < v.length; i++) yield [...v.slice(0, i), ...v.slice(i + 1)];
    for (let i = 0; i < v.length; i++) {
      for (const s of smallerValues(v[i], depth - 1)) yield [...v.slice(0, i), s, ...v.slice(i + 1)];
    }
  } else if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) return;
    yield {};
    for (const k of keys) {
      const { [k]: _dropped, ...rest } = v;
      yield rest;
    }
    for (const k of keys) for (const s of smallerValues(v[k], depth - 1)) yield { ...v, [k]: s };
  } else if (typeof v === 'string') {
    if (v.length > 0) yield '';
    if (v.length > 1) yield v.slice(0, Math.ceil(v.length / 2));
  } else if (typeof v === 'number') {
    const shorter = Math.trunc(v / 10);
    if (v !== 0 && String(v).length > 1) yield 0;
    if (shorter !== 0 && String(shorter).length < String(v).length) yield shorter;
  }
}

/** Distinct answers kept per Task state, to cut a counterexample's calls short with. */
const ANSWERS_PER_STATE = 6;

/**
 * Per Task state, the first few distinct answers the runs gave it (a result, each error): a
 * counterexample's later calls of that state are answered with one of them to end its run sooner.
 * @internal
 */
export class AnswersSeen {
  private readonly seen = new Map<string, Map<string, Outcome>>();

  /** Keeps the answers of one run's calls. */
  public add(calls: ReadonlyMap<string, readonly Outcome[]>): void {
    for (const [state, outcomes] of calls) {
      let kept = this.seen.get(state);
      for (const o of outcomes) {
        if (o === undefined) continue;
        if (!kept) this.seen.set(state, kept = new Map());
        if (kept.size >= ANSWERS_PER_STATE) break;
        const key = JSON.stringify(o);
        if (!kept.has(key)) kept.set(key, o);
      }
    }
  }

  /** The Task states some run called. */
  public states(): readonly string[] {
    return [...this.seen.keys()];
  }

  /** The answers kept for `state`. */
  public of(state: string): readonly Outcome[] {
    return [...(this.seen.get(state)?.values() ?? [])];
  }
}

/** A run that breaks the property: its Task answers, and how heavy it is (Task calls first). @internal */
export interface Answered {
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
  readonly weight: number;
}

/**
 * Fewer Task calls for a counterexample: for each Task state it calls, and each answer the runs
 * gave that state, the earliest call from which that answer (repeated) still breaks the property,
 * found by doubling the call then halving the gap (a loop that times out forever on its 364th
 * reminder breaks "at most 2 reminders" on its 3rd, when the call after it is answered with a
 * refusal). `tryAnswers` runs the input answered so (a call past a state's answers is answered as
 * its last; a run is given up once it is no lighter than `than`) and gives the run when it breaks
 * the property; a lighter one is kept, and the states tried again, until none is lighter or the
 * runs or Task calls allowed are spent. A state the user's mocks
 * answer is kept as given.
 * @internal
 */
export async function fewerCalls<C extends Answered>(
  found: C, seen: AnswersSeen, given: ReadonlySet<string>,
  tryAnswers: (answers: ReadonlyMap<string, readonly Outcome[]>, than: C) => Promise<C | undefined>, budget: { runs: number; calls: number },
): Promise<C> {
  let best = found;
  let improved = true;
  // A cut run may go where the run did not (a loop left for a Task after it): such a Task is answered as a run first answered it.
  const elsewhere = new Map(seen.states().map((s) => [s, seen.of(s).slice(0, 1)]));
  const answersOf = (calls: ReadonlyMap<string, readonly Outcome[]>): ReadonlyMap<string, readonly Outcome[]> => new Map([...elsewhere, ...calls]);
  while (improved && budget.runs > 0 && budget.calls > 0) {
    improved = false;
    for (const [state, outcomes] of best.calls) {
      if (given.has(state)) continue;
      for (const other of seen.of(state)) {
        const lighter = await earliestCut(answersOf(best.calls), best, state, outcomes, other, tryAnswers, budget);
        if (lighter) {
          best = lighter;
          improved = true;
          break;
        }
      }
      if (improved || budget.runs <= 0) break;
    }
  }
  return best;
}

/** The lightest run found answering `state`'s calls from the earliest one that still breaks the property with `other`. */
async function earliestCut<C extends Answered>(
  base: ReadonlyMap<string, readonly Outcome[]>, best: C, state: string, outcomes: readonly Outcome[], other: Outcome,
  tryAnswers: (answers: ReadonlyMap<string, readonly Outcome[]>, than: C) => Promise<C | undefined>, budget: { runs: number; calls: number },
): Promise<C | undefined> {
  const at = async (k: number): Promise<C | undefined> => {
    if (budget.runs <= 0 || budget.calls <= 0) return undefined;
    budget.runs--;
    const answers = new Map(base);
    answers.set(state, [...outcomes.slice(0, k), other]);
    const ran = await tryAnswers(answers, best);
    return ran && ran.weight < best.weight ? ran : undefined;
  };
  // The largest call known to give no lighter run, and the smallest known to give one.
  let lo = -1;
  let hi = -1;
  let hit: C | undefined;
  const last = outcomes.length - 1;
  for (let k = 0; k <= last && budget.runs > 0; k = k === last ? last + 1 : Math.min(last, k === 0 ? 1 : k * 2)) {
    hit = await at(k);
    if (hit) {
      hi = k;
      break;
    }
    lo = k;
  }
  if (!hit) return undefined;
  while (hi - lo > 1 && budget.runs > 0) {
    const mid = Math.floor((lo + hi) / 2);
    const ran = await at(mid);
    if (ran) {
      hi = mid;
      if (ran.weight <= hit.weight) hit = ran;
    } else {
      lo = mid;
    }
  }
  return hit;
}
