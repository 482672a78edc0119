/**
 * Cost in tests: what a run would cost on AWS, the Standard-or-Express estimate of a workflow
 * from its runs, and the `toCostAtMost` matcher. The numbers are cost/'s; this file joins them
 * to the harness's workflows and runs.
 */
import type { StateMachineDefinition } from '../asl/types';
import { estimateCost, runCost, type CostEstimate, type CostOptions, type EstimateOptions, type RunCost, type RunUsage } from '../cost';
import { definitionId } from './coverage';
import type { MatcherContextLike, MatcherResult } from './matchers';
import type { CostedRun } from '../cost/usage';

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

/** The most a run may cost for {@link toCostAtMost}; give any of them. */
export interface CostLimits {
  /** State transitions as a Standard workflow is billed for them (DISTRIBUTED Map children's included). */
  readonly stateTransitions?: number;
  /** Duration as an Express workflow is billed for it, in ms (rounded up to 100 ms). */
  readonly billedDurationMs?: number;
  /** US dollars as a Standard workflow. */
  readonly standardUsd?: number;
  /** US dollars as an Express workflow. */
  readonly expressUsd?: number;
}

const LIMIT_KEYS = ['stateTransitions', 'billedDurationMs', 'standardUsd', 'expressUsd'] as const;

function preview(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** The cost of a run: its own `cost()` (a WorkflowRun knows its definition), or cost/'s. */
function costOfReceived(received: unknown, options: CostOptions): RunCost {
  const r = received as { cost?: unknown; history?: unknown; startDate?: unknown; stopDate?: unknown } | null;
  if (r !== null && typeof r === 'object' && typeof r.cost === 'function') return (r.cost as (o: CostOptions) => RunCost)(options);
  if (r === null || typeof r !== 'object' || !Array.isArray(r.history) || !(r.startDate instanceof Date) || !(r.stopDate instanceof Date)) {
    throw new TypeError(`toCostAtMost: expected a run (await wf.run(...)) or an execution result, got ${preview(received)}`);
  }
  return runCost(r as CostedRun, options);
}

/**
 * Passes when the run costs no more than each limit given: state transitions and US dollars as
 * a Standard workflow, billed duration and US dollars as an Express one. The failure names each
 * limit passed, with the run's transitions and retries.
 * @example expect(run).toCostAtMost({ stateTransitions: 40 });
 */
export function toCostAtMost(this: MatcherContextLike, received: unknown, limits: CostLimits, options: CostOptions = {}): MatcherResult {
  if (limits === null || typeof limits !== 'object') {
    throw new TypeError(`toCostAtMost: expected limits such as { stateTransitions: 40 } (any of ${LIMIT_KEYS.join(', ')}), got ${preview(limits)}`);
  }
  for (const key of Object.keys(limits)) {
    if (!(LIMIT_KEYS as readonly string[]).includes(key)) throw new TypeError(`toCostAtMost: unknown limit '${key}'; use ${LIMIT_KEYS.join(', ')}`);
    const v = (limits as Record<string, unknown>)[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw new TypeError(`toCostAtMost: ${key} must be a number of 0 or more, got ${preview(v)}`);
    }
  }
  if (!LIMIT_KEYS.some((k) => limits[k] !== undefined)) {
    throw new TypeError(`toCostAtMost: expected limits such as { stateTransitions: 40 } (any of ${LIMIT_KEYS.join(', ')}), got ${preview(limits)}`);
  }
  const c = costOfReceived(received, options);
  const actual: Record<(typeof LIMIT_KEYS)[number], number | undefined> = {
    stateTransitions: c.standard.stateTransitions,
    billedDurationMs: c.usage.billedDurationMs,
    standardUsd: c.standard.usd,
    expressUsd: c.express?.usd,
  };
  if (limits.expressUsd !== undefined && actual.expressUsd === undefined) throw new TypeError(`toCostAtMost: ${c.expressUnpriced}`);
  const over = LIMIT_KEYS.filter((k) => limits[k] !== undefined && actual[k]! > limits[k]!);
  const pass = over.length === 0;
  const u = c.usage;
  const breakdown = `${u.statesEntered} states entered, ${u.retries} retries${u.childExecutionsStarted ? `, ${u.childExecutionsStarted} child executions` : ''}`;
  return {
    pass,
    message: () => (pass
      ? `expected the run to cost more than ${LIMIT_KEYS.filter((k) => limits[k] !== undefined).map((k) => `${k} ${limits[k]}`).join(', ')}, but it cost `
        + `${LIMIT_KEYS.filter((k) => limits[k] !== undefined).map((k) => `${k} ${actual[k]}`).join(', ')} (${breakdown})`
      : `expected the run to cost at most ${over.map((k) => `${k} ${limits[k]}`).join(', ')}, but it cost ${over.map((k) => `${k} ${actual[k]}`).join(', ')} (${breakdown})`),
  };
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
