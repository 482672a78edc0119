import type { StateInfo } from './goals';
import { eventOwners } from './trace';
import { isEntered, stateNameOf, type HistoryEvent } from '../asl/history-events';
import { StatesErrors } from '../asl/states-errors';
import type { ExecutionResult } from '../interpreter';

/*
 * Entry failures: the states a run entered only to fail there before doing
 * anything (a path or an expression on a missing value). A run that did so
 * does not count as reaching them, so the engine takes them out of the goals
 * a run reached. Apart from the engine because it reads a run's history on
 * its own, with no state of the search.
 */

/**
 * Errors a state raises before it does anything when a value it reads is missing or of the wrong
 * kind (an intrinsic function refusing its arguments is reported as States.Runtime too).
 */
export const ENTRY_ERRORS: ReadonlySet<string> = new Set([StatesErrors.RUNTIME, StatesErrors.QUERY_EVALUATION_ERROR]);

/**
 * The states a run entered only to fail on entry: every visit of each did not
 * exit and shows nothing it did (no call, no branch or iteration started,
 * nothing aborted), and it failed the run with an error of its input or
 * parameters, or (inside a Map or Parallel, whose iteration failures the
 * history does not name) it is a state that does not fail of itself (not a
 * Fail, nor a Choice no rule of which matched). Such a run does not reach it.
 */
export function failedOnEntry(states: ReadonlyMap<string, StateInfo>, result: ExecutionResult): string[] {
  const history = result.history;
  if (result.status !== 'FAILED' && !history.some((e) => e.type === 'MapIterationFailed' || e.type === 'ParallelStateFailed')) return [];
  const entryError = result.status === 'FAILED' && ENTRY_ERRORS.has(result.error ?? '');
  // Read from the events' owners, not from visits: a loop's run has 25,000 events, and its visits are read for nothing else.
  const { owner, parent } = eventOwners(history);
  const entered: HistoryEvent[] = [];
  const seen = new Set<number>();
  // The visits (by their entered event's id) that showed something after their entry (an exit, a call, an error), and those inside a Parallel or Map.
  const shown = new Set<number>();
  const inside = new Set<number>();
  for (const e of history) {
    if (e.type === 'ExecutionStarted') continue;
    if (isEntered(e)) {
      const up = parent.get(e.id) ?? 0;
      if (up !== 0 && seen.has(up)) inside.add(e.id);
      seen.add(e.id);
      entered.push(e);
      continue;
    }
    const own = owner.get(e.id) ?? 0;
    if (own !== 0 && seen.has(own)) shown.add(own);
  }
  const last = entered[entered.length - 1];
  const failed = (e: HistoryEvent, name: string): boolean => {
    if (shown.has(e.id)) return false;
    const type = states.get(name)?.def.Type;
    if (type === 'Fail' || type === 'Succeed') return false;
    if (e === last && result.status === 'FAILED') return entryError;
    return inside.has(e.id) && type !== 'Choice';
  };
  const byState = new Map<string, boolean>();
  for (const e of entered) {
    const name = stateNameOf(e) ?? '';
    const all = byState.get(name);
    if (all === false) continue;
    byState.set(name, failed(e, name));
  }
  const out: string[] = [];
  for (const [name, all] of byState) if (all) out.push(name);
  return out;
}
