import type { StateMachineDefinition } from '../../asl';
import { shorten } from '../../asl/shorten';
import { allStates } from '../../asl/state-tree';
import type { CategoryReport, ExploreFinding, ExploreReport, ExploreScenario } from '../../explore';
import { GOAL_CATEGORIES } from '../../explore/goals';
import { decisiveStates } from '../scaffold/checks';

/** Goals listed per category and finding kinds listed in a summary; the rest are counted. */
export const SUMMARY_LISTED = 10;

/**
 * Characters (as JSON) a summary of one machine stays within: what a client
 * reads first. Past it, the last scenarios are named with their outcome only,
 * then the last findings and scenarios are counted.
 */
export const SUMMARY_CHARACTERS = 20_000;

/** A scenario in a summary: what runs it and how it ends, its path by its decisive states. */
export type ScenarioSummary = Omit<ExploreScenario, 'path' | 'pathLength' | 'covers'> & {
  /** The states that decide the run (Choice branches taken, Catches and their handlers, callbacks, the last state). */
  readonly decisiveStates: readonly string[];
  /** How many states the run entered. */
  readonly pathLength: number;
};

/** A scenario past the summary's room: its name and outcome. */
export type ScenarioOutline = Pick<ExploreScenario, 'name' | 'status' | 'error'> & { readonly pathLength: number };

/** A finding past the first ones: what and where, without its message and scenario. */
export type FindingOutline = Omit<ExploreFinding, 'message' | 'scenario'>;

/** An explore report cut to its summary, and what was left out. */
export interface ExploreSummary {
  readonly report: Omit<ExploreReport, 'scenarios' | 'findings'> & {
    readonly scenarios: ReadonlyArray<ScenarioSummary | ScenarioOutline>;
    readonly findings: ReadonlyArray<ExploreFinding | FindingOutline>;
  };
  /** What the summary leaves out, in words; empty when nothing was. */
  readonly leftOut: readonly string[];
}

/** Characters of a goal's reason a summary keeps. */
const REASON_CHARACTERS = 300;

/** A goal with its reason cut to REASON_CHARACTERS. */
function shortReason<T>(note: T): T {
  const reason = (note as { reason?: unknown }).reason;
  if (typeof reason !== 'string' || reason.length <= REASON_CHARACTERS) return note;
  return { ...note, reason: shorten(reason, REASON_CHARACTERS) };
}

/** Length as JSON, and as an item of an array (its comma). */
const jsonLength = (v: unknown): number => JSON.stringify(v).length + 1;

/**
 * A report as an answer shows it first, within {@link SUMMARY_CHARACTERS}:
 * every figure; per category the first goals not reached or proved
 * unreachable, with how many more there are; the first findings whole and
 * the others without their message and scenario; each scenario's input, Task answers and
 * outcome, its path by its decisive states and its length. When that is too
 * long, the last scenarios keep only their name and outcome, and past that
 * the last findings, then the last scenarios, are counted. `leftOut` says
 * what went. The whole report is asked for on purpose (MCP's `details:
 * true`, the CLI's `--json`).
 * @internal
 */
export function summarizeExplore(report: ExploreReport, definition: StateMachineDefinition): ExploreSummary {
  const states = allStates(definition);
  const leftOut: string[] = [];
  const cut = <T>(items: readonly T[], what: string): readonly T[] => {
    if (items.length <= SUMMARY_LISTED) return items.map(shortReason);
    leftOut.push(`${items.length - SUMMARY_LISTED} of ${items.length} ${what}`);
    return items.slice(0, SUMMARY_LISTED).map(shortReason);
  };
  const categories: Record<string, CategoryReport<string>> = {};
  for (const c of GOAL_CATEGORIES) {
    const r = report[c] as CategoryReport<string>;
    categories[c] = { ...r, unreachable: cut(r.unreachable, `${c} proved unreachable`), notReached: cut(r.notReached, `${c} not reached`) };
  }
  let pathStates = 0;
  const scenarios: Array<ScenarioSummary | ScenarioOutline> = report.scenarios.map((s): ScenarioSummary => {
    const { path, pathLength, covers: _covers, ...rest } = s;
    pathStates += path.length;
    return { ...rest, decisiveStates: decisiveStates(s, states), pathLength: pathLength ?? path.length };
  });
  if (scenarios.length > 0) leftOut.push(`the scenarios' paths (${pathStates} states; decisive states kept) and the goals each reaches`);
  const findings: Array<ExploreFinding | FindingOutline> = report.findings.map((f, i) => {
    if (i < SUMMARY_LISTED) return f;
    const { message: _message, scenario: _scenario, ...outline } = f;
    return outline;
  });
  if (findings.length > SUMMARY_LISTED) leftOut.push(`the messages and scenarios of ${findings.length - SUMMARY_LISTED} of ${findings.length} findings`);
  const summary = { ...report, ...categories, scenarios, findings };
  fitSummary(summary, leftOut);
  return { report: summary, leftOut };
}

/**
 * Fits the summary into SUMMARY_CHARACTERS by leaving out, in turn until it
 * fits: the input, answers and output of the last scenarios but the first;
 * the last findings past the first SUMMARY_LISTED; the first scenario's; the
 * last findings; the last scenarios. leftOut says what went.
 */
function fitSummary(
  summary: { scenarios: Array<ScenarioSummary | ScenarioOutline>; findings: Array<ExploreFinding | FindingOutline> },
  leftOut: string[],
): void {
  // The words leftOut will add, at most: room kept for them.
  let length = JSON.stringify(summary).length + 1_000;
  const { scenarios, findings } = summary;
  const total = { scenarios: scenarios.length, findings: findings.length };
  let outlined = 0;
  const outline = (down: number) => {
    for (let i = scenarios.length - 1 - outlined; i >= down && length > SUMMARY_CHARACTERS; i--) {
      const s = scenarios[i] as ScenarioSummary;
      const short: ScenarioOutline = {
        name: s.name, status: s.status, ...(s.error !== undefined ? { error: s.error } : {}), pathLength: s.pathLength,
      };
      length += jsonLength(short) - jsonLength(s);
      scenarios[i] = short;
      outlined++;
    }
  };
  const drop = (items: unknown[], keep: number) => {
    while (length > SUMMARY_CHARACTERS && items.length > keep) length -= jsonLength(items.pop());
  };
  outline(1);
  drop(findings, SUMMARY_LISTED);
  outline(0);
  drop(findings, 0);
  drop(scenarios, 0);
  if (outlined > 0) {
    leftOut.push(`the input, Task answers and output of the last ${outlined} of ${total.scenarios} scenarios (named with their outcome)`);
  }
  if (findings.length < total.findings) leftOut.push(`${total.findings - findings.length} of ${total.findings} findings`);
  if (scenarios.length < total.scenarios) leftOut.push(`${total.scenarios - scenarios.length} of ${total.scenarios} scenarios`);
}
