import type { ExploreReport } from './report-types';

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
