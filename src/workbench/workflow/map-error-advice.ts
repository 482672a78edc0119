import type { MapState, StateMachineDefinition } from '../../asl';
import { findCatcher } from '../../asl/error-rules';
import { allStates, declaresTolerance, isDistributedMap } from '../../asl/state-tree';
import { StatesErrors } from '../../asl/states-errors';
import type { ChildExecutionUsage } from '../../interpreter/execution-types';
import type { RunAdvice } from '../mocks';

/**
 * Advice for a DISTRIBUTED Map that declares no tolerated failure threshold and whose child
 * execution failed, when its Retry or Catch handles the child's error otherwise than it would
 * handle `States.ExceedToleratedFailureThreshold`.
 *
 * Such a Map fails here with the child's own error and cause. What AWS raises in that case is
 * not recorded anywhere we found (docs/fidelity.md, "A Distributed Map's error without a
 * tolerance"): the Tolerated failure threshold page gives the Map Run's tolerated percentage a
 * default of zero ("the workflow fails if any one of its child workflow executions fails") and
 * names `States.ExceedToleratedFailureThreshold` the error of a Map Run that fails "because the
 * specified threshold is exceeded"; AWS's TestState, recorded, fails such a Map with the child
 * state's error. A rule that takes the child's error may be taken here and not on AWS: the run
 * says so rather than guess.
 */
export function distributedMapErrorAdvice(
  definition: StateMachineDefinition, usage: readonly ChildExecutionUsage[] | undefined,
): RunAdvice[] {
  if (!usage?.some((u) => u.failures !== undefined)) return [];
  const states = allStates(definition);
  const out: RunAdvice[] = [];
  for (const u of usage) {
    const state = states.get(u.mapState);
    if (state?.Type !== 'Map' || !isDistributedMap(state) || declaresTolerance(state)) continue;
    const errors = new Set((u.failures ?? []).flatMap((f) => (f.error !== undefined ? [f.error] : [])));
    for (const error of errors) {
      const differs = handlerDifference(state, error);
      if (differs !== undefined) out.push({ state: u.mapState, message: adviceText(u.mapState, error, differs) });
    }
  }
  return out;
}

/** The Retry or Catch rule that handles `error` otherwise than the threshold error, described; undefined when none does. */
function handlerDifference(map: MapState, error: string): string | undefined {
  const threshold = StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD;
  const fields: ReadonlyArray<readonly [string, readonly { readonly ErrorEquals: readonly string[] }[]]> = [['Retry', map.Retry ?? []], ['Catch', map.Catch ?? []]];
  for (const [field, rules] of fields) {
    const own = findCatcher(rules, error);
    if (own === findCatcher(rules, threshold)) continue;
    return own !== undefined
      ? `its ${field} #${rules.indexOf(own) + 1} (ErrorEquals ${JSON.stringify(own.ErrorEquals)}) takes it`
      : `no ${field} rule takes it, while ${field} #${rules.indexOf(findCatcher(rules, threshold)!) + 1} would take ${threshold}`;
  }
  return undefined;
}

function adviceText(mapState: string, error: string, differs: string): string {
  const threshold = StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD;
  return `Map '${mapState}' is DISTRIBUTED with no ToleratedFailureCount or ToleratedFailurePercentage, and a child execution `
    + `failed with ${error}: stepwright fails the Map with the child's error, and ${differs}. What AWS raises here is not `
    + `recorded: a Map Run tolerates no failed child by default, and AWS may fail the Map with ${threshold} instead, `
    + `so this run may not be what AWS does. Name ${threshold} (or States.ALL) beside ${error} in the rule, or declare `
    + 'ToleratedFailureCount, so that both answers take the same path (docs/distributed-map.md).';
}
