/**
 * The `toCostAtMost` matcher: what a run would cost on AWS, against the limits a test sets. The
 * numbers are cost/'s; the estimate of a workflow from its runs is the workbench's (cost.ts).
 */
import { runCost, type CostedRun, type CostOptions, type RunCost } from '../cost';
import type { MatcherContextLike, MatcherResult } from './matchers';
import { preview } from '../workbench/coverage';

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

function isLimitKey(key: string): key is (typeof LIMIT_KEYS)[number] {
  return (LIMIT_KEYS as readonly string[]).includes(key);
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

/** What `toCostAtMost` (matchers.ts, which loads this module by its first use) checks. @internal */
export function costAtMost(this: MatcherContextLike, received: unknown, limits: CostLimits, options: CostOptions = {}): MatcherResult {
  if (limits === null || typeof limits !== 'object') {
    throw new TypeError(`toCostAtMost: expected limits such as { stateTransitions: 40 } (any of ${LIMIT_KEYS.join(', ')}), got ${preview(limits)}`);
  }
  for (const key of Object.keys(limits)) {
    if (!isLimitKey(key)) throw new TypeError(`toCostAtMost: unknown limit '${key}'; use ${LIMIT_KEYS.join(', ')}`);
    // Typed a number, but given by a test in plain JavaScript too: checked.
    const v: unknown = limits[key];
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
