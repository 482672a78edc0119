import type { StateInfo } from './goals';
import { readVisits, type Visit } from './visits';
import { StatesErrors } from '../asl/states-errors';
import type { ExecutionResult } from '../interpreter';

/*
 * Entry failures: the states a run entered only to fail there before doing
 * anything (a path or an expression on a missing value). A run that did so
 * does not count as reaching them, so the engine takes them out of the goals
 * a run reached. Apart from the engine because it reads a run's history on
 * its own, with no state of the search.
 */

/** Errors a state raises before it does anything when a value it reads is missing or of the wrong kind. */
export const ENTRY_ERRORS: ReadonlySet<string> = new Set([StatesErrors.RUNTIME, StatesErrors.QUERY_EVALUATION_ERROR, StatesErrors.INTRINSIC_FAILURE]);

/**
 * The states a run entered only to fail on entry: every visit of each did not
 * exit and shows nothing it did (no call, no branch or iteration started,
 * nothing aborted), and it failed the run with an error of its input or
 * parameters, or (inside a Map or Parallel, whose iteration failures the
 * history does not name) it is a state that does not fail of itself (not a
 * Fail, nor a Choice no rule of which matched). Such a run does not reach it.
 */
export function failedOnEntry(states: ReadonlyMap<string, StateInfo>, result: ExecutionResult): string[] {
  if (result.status !== 'FAILED' && !result.history.some((e) => e.type === 'MapIterationFailed' || e.type === 'ParallelStateFailed')) return [];
  const { visits, byState } = readVisits(result.history);
  const entryError = result.status === 'FAILED' && ENTRY_ERRORS.has(result.error ?? '');
  const last = visits[visits.length - 1];
  const failed = (v: Visit): boolean => {
    if (v.exited !== undefined || v.events.length > 0) return false;
    const type = states.get(v.name)?.def.Type;
    if (type === 'Fail' || type === 'Succeed') return false;
    if (v === last && result.status === 'FAILED') return entryError;
    return v.parent !== undefined && type !== 'Choice';
  };
  const out: string[] = [];
  for (const [name, list] of byState) if (list.every(failed)) out.push(name);
  return out;
}
