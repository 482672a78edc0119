/**
 * Cost from runs: the Standard-or-Express estimate of a workflow from runs of it, or from the
 * usages a coverage report kept (`stepwright cost --coverage`). The numbers are cost/'s; this
 * file joins them to workflows and their runs.
 */
import { definitionId } from './definition-id';
import type { StateMachineDefinition } from '../../asl';
import {
  CostError, estimateCost, reportMachines,
  type CostEstimate, type EstimateOptions, type RunUsage, type UsageCount,
  CostedRun,
} from '../../cost';

/** A workflow as {@link cost} reads it: its definition. */
export interface CostedWorkflow {
  readonly definition: StateMachineDefinition;
}

/**
 * The monthly cost of a workflow as a Standard and as an Express workflow, from runs of it (the
 * paths a test suite took, or runs of chosen inputs), at `perMonth` executions a month; and
 * whether it may be an Express workflow, with what rules it out. A run that did not succeed is
 * named in `warnings` and left out, unless `includeFailed` prices it as it ran.
 * @example
 * const runs = [await wf.run(happy, { mocks }), await wf.run(declined, { mocks })];
 * const estimate = cost(wf, runs, { perMonth: 1_000_000 });
 * expect(estimate.express.eligible).toBe(true);
 */
export function cost(workflow: CostedWorkflow, runs: readonly (CostedRun | RunUsage | UsageCount)[], options: EstimateOptions): CostEstimate {
  const isCount = (r: object): r is UsageCount => !('history' in r) && 'usage' in r && 'runs' in r;
  const isUsage = (r: object): r is RunUsage => !('history' in r) && !isCount(r);
  const given = runs.filter((r) => r !== null && typeof r === 'object');
  if (given.length !== runs.length) throw new CostError('runs', 'cost: every run must be a run (await wf.run(...)), a usage or a { usage, runs } count');
  return estimateCost({
    definition: workflow.definition,
    runs: given.filter((r): r is CostedRun => 'history' in r),
    usages: given.filter(isUsage),
    usageCounts: given.filter(isCount),
  }, options);
}

/**
 * What the runs of `workflow` used, as a coverage report (the stepwright reporter's outputFile)
 * kept them: each distinct usage with how many runs had it, every field checked. The report's
 * state machine is the one with the workflow's definition (the same definition id).
 * @throws CostError naming a field of the report that is not what the reporter writes, or the
 *   report's state machines when none has this definition
 * @example
 * const counts = usageCountsFromReport(JSON.parse(fs.readFileSync('reports/sfn-coverage.json', 'utf8')), wf);
 * const estimate = cost(wf, counts, { perMonth: 1_000_000 });
 */
export function usageCountsFromReport(report: unknown, workflow: CostedWorkflow): UsageCount[] {
  const machines = reportMachines(report);
  const id = definitionId(workflow.definition);
  const at = machines.findIndex((m) => m.id === id);
  if (at < 0) {
    const names = machines.slice(0, 20).map((m) => `${m.name ?? 'unnamed'} (${m.id})`);
    throw new CostError('cost.machines', `the coverage report's cost.machines has no runs of this state machine (definition id ${id}); it has ${names.join(', ') || 'none'}`
      + `${machines.length > 20 ? ` and ${machines.length - 20} more` : ''}. Is the definition the one the tests ran (the same template and selection)?`);
  }
  if (machines[at].usages.length === 0) {
    throw new CostError(`cost.machines[${at}].usages`, `the coverage report's cost.machines[${at}].usages lists no runs of this state machine; run its tests under the stepwright reporter again`);
  }
  return [...machines[at].usages];
}

/** The most runs {@link usagesFromReport} lists one by one. */
const MAX_LISTED_RUNS = 1_000_000;

/**
 * What the runs of `workflow` used, as a coverage report kept them: each distinct usage repeated
 * as many times as runs had it (at most a million runs; {@link usageCountsFromReport} counts
 * them instead, whatever their number).
 * @throws CostError as {@link usageCountsFromReport} does, or when the report has more than a million runs
 * @example
 * const usages = usagesFromReport(JSON.parse(fs.readFileSync('reports/sfn-coverage.json', 'utf8')), wf);
 * const estimate = cost(wf, usages, { perMonth: 1_000_000 });
 */
export function usagesFromReport(report: unknown, workflow: CostedWorkflow): RunUsage[] {
  const counts = usageCountsFromReport(report, workflow);
  const total = counts.reduce((n, c) => n + c.runs, 0);
  if (total > MAX_LISTED_RUNS) {
    throw new CostError('cost.machines', `the coverage report has ${total.toLocaleString('en-US')} runs of this state machine, more than ${MAX_LISTED_RUNS.toLocaleString('en-US')} to list one by one; `
      + 'read them with usageCountsFromReport, which counts them');
  }
  return counts.flatMap((c) => Array.from({ length: c.runs }, () => c.usage));
}

/** A value as an error message quotes it: JSON, cut at 80 characters. @internal */
export function preview(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
