import type { StateMachineDefinition } from '../../asl/definition-types';
import { allStates } from '../../asl/state-tree';
import { GOAL_CATEGORIES } from '../../explore/goals';
import type { CategoryReport, ExploreReport, ExploreScenario } from '../../explore/report-types';
import { decisiveStates } from '../scaffold/checks';

/** Goals listed per category and finding kinds listed in a summary; the rest are counted. */
export const SUMMARY_LISTED = 10;

/** A scenario in a summary: what runs it and how it ends, its path by its decisive states. */
export type ScenarioSummary = Omit<ExploreScenario, 'path' | 'pathLength' | 'covers'> & {
  /** The states that decide the run (Choice branches taken, Catches and their handlers, callbacks, the last state). */
  readonly decisiveStates: readonly string[];
  /** How many states the run entered. */
  readonly pathLength: number;
};

/** An explore report cut to its summary, and what was left out. */
export interface ExploreSummary {
  readonly report: Omit<ExploreReport, 'scenarios'> & { readonly scenarios: readonly ScenarioSummary[] };
  /** What the summary leaves out, in words; empty when nothing was. */
  readonly leftOut: readonly string[];
}

/**
 * A report as an answer shows it first: every figure, finding and scenario
 * (input, Task answers, outcome), each scenario's path by its decisive
 * states and its length, and per category the first goals not reached or
 * proved unreachable, with how many more there are. The whole report is
 * asked for on purpose (MCP's `details: true`, the CLI's `--json`).
 * @internal
 */
export function summarizeExplore(report: ExploreReport, definition: StateMachineDefinition): ExploreSummary {
  const states = allStates(definition);
  const leftOut: string[] = [];
  const cut = <T>(items: readonly T[], what: string): readonly T[] => {
    if (items.length <= SUMMARY_LISTED) return items;
    leftOut.push(`${items.length - SUMMARY_LISTED} of ${items.length} ${what}`);
    return items.slice(0, SUMMARY_LISTED);
  };
  const categories: Record<string, CategoryReport<string>> = {};
  for (const c of GOAL_CATEGORIES) {
    const r = report[c] as CategoryReport<string>;
    categories[c] = { ...r, unreachable: cut(r.unreachable, `${c} proved unreachable`), notReached: cut(r.notReached, `${c} not reached`) };
  }
  let pathStates = 0;
  const scenarios = report.scenarios.map((s): ScenarioSummary => {
    const { path, pathLength, covers: _covers, ...rest } = s;
    pathStates += path.length;
    return { ...rest, decisiveStates: decisiveStates(s, states), pathLength: pathLength ?? path.length };
  });
  if (scenarios.length > 0) leftOut.push(`the scenarios' paths (${pathStates} states; decisive states kept) and the goals each reaches`);
  return { report: { ...report, ...categories, scenarios }, leftOut };
}
