import type { PathProperty } from './properties';
import type { ExploreReport } from './report-types';
import { turnsBoundAsks } from './verify-bounds';
import type { MachineGraph } from './verify-graph';
import { proveOnGraph } from './verify-prove';

/** Not-covered goals a reason names before it counts the rest. */
const NAMED_GOALS = 4;

/**
 * What explore did not cover, and what to give: its goals not reached (each with its reason) and the bound that cut it.
 * @internal
 */
export function notCovered(report: ExploreReport, loopsUnbounded: boolean): string {
  const parts: string[] = [];
  if (report.search.stoppedBy) {
    parts.push(`the search stopped at its ${report.search.stoppedBy === 'budget' ? 'time budget (give more --budget-seconds)' : report.search.stoppedBy === 'max-runs' ? 'bound of runs' : 'bound of scenarios'}`);
  }
  const open = [
    ...report.states.notReached.map((g) => `state ${g.state}: ${g.reason}`),
    ...report.transitions.notReached.map((g) => `transition ${g.transition}: ${g.reason}`),
    ...report.choiceRules.notReached.map((g) => `Choice rule ${g.rule}: ${g.reason}`),
    ...report.catches.notReached.map((g) => `Catch ${g.catch}: ${g.reason}`),
    ...report.retries.notReached.map((g) => `Retry ${g.retry}: ${g.reason}`),
    ...report.callbacks.notReached.map((g) => `callback ${g.callback}: ${g.reason}`),
  ];
  if (open.length > 0) {
    parts.push(`explore neither reached nor proved unreachable ${open.length} goal${open.length === 1 ? '' : 's'}: ${open.slice(0, NAMED_GOALS).join('; ')}${open.length > NAMED_GOALS ? `; and ${open.length - NAMED_GOALS} more` : ''}`);
  }
  if (loopsUnbounded) parts.push('a loop can run until the history limit (see explore\'s history-limit finding): give a bound on it (a counter in the definition, or loopTurns, --max-loop-turns), or mocks that end it');
  return parts.join('; ') || 'explore\'s search is not complete';
}

/** History-limit findings a reason names before it counts the rest. */
const NAMED_LOOPS = 2;

/**
 * Why a search complete but for a loop its runs went round until AWS's history limit proves
 * nothing more: the bound that was hit (the history limit, and the loop explore's finding names),
 * what keeps the graph's proof from holding however many turns the loop takes, and the bound on
 * its turns that proves it (`turnsFor`, the largest, where one does) or else what ends it.
 * @internal
 */
export function historyLimitHit(
  report: ExploreReport, graph: MachineGraph, p: PathProperty, turnsFor: (p: PathProperty) => number | undefined,
): string {
  const found = report.findings.filter((f) => f.kind === 'history-limit');
  const loops = found.slice(0, NAMED_LOOPS).map((f) => f.message).join('; ');
  const more = found.length > NAMED_LOOPS ? `; and ${found.length - NAMED_LOOPS} more` : '';
  const hit = `explore's runs hit the history limit (its history-limit finding: ${loops}${more})`;
  const proof = proveOnGraph(graph, p);
  const why = proof.proved ? 'the proof on the graph holds only for runs that end before that limit' : `it is not proved: ${proof.reason}`;
  const turns = turnsFor(p);
  const asks = turns !== undefined ? turnsBoundAsks(turns) : 'Give a bound on the loop (a counter in the definition, or loopTurns, --max-loop-turns), or mocks that end it';
  return `${hit}, and ${why}. ${asks}`;
}
