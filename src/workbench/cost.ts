/**
 * Cost from runs: the Standard-or-Express estimate of a workflow from runs of it, or from the
 * usages a coverage report kept (`stepwright cost --coverage`). The numbers are cost/'s; this
 * file joins them to workflows and their runs.
 */
import type { StateMachineDefinition } from '../asl/types';
import { estimateCost, type CostEstimate, type EstimateOptions, type RunUsage } from '../cost';
import type { CostedRun } from '../cost/usage';
import { definitionId } from './coverage/definition-id';

/** A workflow as {@link cost} reads it: its definition. */
export interface CostedWorkflow {
  readonly definition: StateMachineDefinition;
}

/**
 * The monthly cost of a workflow as a Standard and as an Express workflow, from runs of it (the
 * paths a test suite took, or runs of chosen inputs), at `perMonth` executions a month; and
 * whether it may be an Express workflow, with what rules it out.
 * @example
 * const runs = [await wf.run(happy, { mocks }), await wf.run(declined, { mocks })];
 * const estimate = cost(wf, runs, { perMonth: 1_000_000 });
 * expect(estimate.express.eligible).toBe(true);
 */
export function cost(workflow: CostedWorkflow, runs: readonly (CostedRun | RunUsage)[], options: EstimateOptions): CostEstimate {
  const isUsage = (r: CostedRun | RunUsage): r is RunUsage => typeof (r as RunUsage).stateTransitions === 'number' && !('history' in r);
  return estimateCost({
    definition: workflow.definition,
    runs: runs.filter((r): r is CostedRun => !isUsage(r)),
    usages: runs.filter(isUsage),
  }, options);
}

/**
 * What the runs of `workflow` used, as a coverage report (the stepwright reporter's outputFile)
 * kept them: each distinct usage repeated as many times as runs had it. The report's state
 * machine is the one with the workflow's definition (the same definition id).
 * @throws TypeError naming the report's state machines when none has this definition
 * @example
 * const usages = usagesFromReport(JSON.parse(fs.readFileSync('reports/sfn-coverage.json', 'utf8')), wf);
 * const estimate = cost(wf, usages, { perMonth: 1_000_000 });
 */
export function usagesFromReport(report: unknown, workflow: CostedWorkflow): RunUsage[] {
  const machines = (report as { cost?: { machines?: unknown } } | null)?.cost?.machines;
  if (!Array.isArray(machines)) {
    throw new TypeError('the coverage report has no cost.machines: write it with the stepwright reporter (outputFile) of this version, then read it again');
  }
  const id = definitionId(workflow.definition);
  const found = (machines as Array<{ id?: unknown; name?: unknown; usages?: unknown }>).find((m) => m?.id === id);
  if (!found || !Array.isArray(found.usages)) {
    const names = (machines as Array<{ id?: unknown; name?: unknown }>).map((m) => `${String(m?.name ?? 'unnamed')} (${String(m?.id)})`);
    throw new TypeError(`the coverage report has no runs of this state machine (definition id ${id}); it has ${names.join(', ') || 'none'}. `
      + 'Is the definition the one the tests ran (the same template and selection)?');
  }
  const out: RunUsage[] = [];
  for (const entry of found.usages as Array<{ usage?: RunUsage; runs?: unknown }>) {
    const runs = entry?.runs;
    if (!entry?.usage || typeof entry.usage.stateTransitions !== 'number' || typeof runs !== 'number' || !Number.isInteger(runs) || runs < 1 || runs > 1_000_000) {
      throw new TypeError(`the coverage report has a usage entry that is not { usage, runs }: ${preview(entry)}`);
    }
    for (let i = 0; i < runs; i++) out.push(entry.usage);
  }
  return out;
}

/** A value as an error message quotes it: JSON, cut at 80 characters. @internal */
export function preview(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
