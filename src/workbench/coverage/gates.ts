/**
 * What fails a suite on its figures: coverage below a threshold, cost over a budget. Both apply to
 * the figures of the whole suite, so a suite sharded over CI machines applies them once, to the
 * merged report, never to one shard's part.
 */
import { CATEGORIES, type CoverageCategory, type MachineCoverage } from './model';
import type { CostRow } from '../../cost';

/** Minimum coverage, in percent, per category, over all state machines together. */
export type CoverageThreshold = Partial<Record<CoverageCategory, number>>;

/**
 * The most the whole suite's runs may use together, in AWS's billing units: a change that makes
 * the tested paths dearer fails the run, as coverage below its threshold does.
 */
export interface CostBudget {
  /** State transitions of every run together, as a Standard workflow is billed for them. */
  readonly stateTransitions?: number;
  /** Billed Express duration of every run together, in ms (each run rounded up to 100 ms). */
  readonly billedDurationMs?: number;
}

const BUDGET_KEYS = ['stateTransitions', 'billedDurationMs'] as const;

/**
 * A threshold as a user gave it, checked: known categories, percentages from 0 to 100.
 * @param where who reads it, for the message (`stepwright reporter`, `--threshold`)
 * @throws TypeError naming the category or the value
 * @internal
 */
export function checkThreshold(threshold: unknown, where: string): CoverageThreshold {
  if (threshold === null || typeof threshold !== 'object' || Array.isArray(threshold)) {
    throw new TypeError(`${where}: threshold must be an object such as { states: 100, transitions: 90 }, got ${JSON.stringify(threshold)}`);
  }
  for (const [category, value] of Object.entries(threshold)) {
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      throw new TypeError(`${where}: threshold has an unknown category '${category}'; use ${CATEGORIES.join(', ')}`);
    }
    if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
      throw new TypeError(`${where}: threshold.${category} must be a percentage from 0 to 100, got ${JSON.stringify(value)}`);
    }
  }
  return threshold as CoverageThreshold;
}

/**
 * A cost budget as a user gave it, checked: known fields, finite numbers of 0 or more.
 * @throws TypeError naming the field or the value
 * @internal
 */
export function checkCostBudget(budget: unknown, where: string): CostBudget {
  if (budget === null || typeof budget !== 'object' || Array.isArray(budget)) {
    throw new TypeError(`${where}: costBudget must be an object such as { stateTransitions: 5000 }, got ${JSON.stringify(budget)}`);
  }
  for (const [key, value] of Object.entries(budget)) {
    if (!(BUDGET_KEYS as readonly string[]).includes(key)) throw new TypeError(`${where}: costBudget has an unknown field '${key}'; use ${BUDGET_KEYS.join(', ')}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`${where}: costBudget.${key} must be a number of 0 or more, got ${JSON.stringify(value)}`);
    }
  }
  return budget as CostBudget;
}

/** One line per category under its threshold: the percentage reached and what was missed, by state machine. @internal */
export function belowThreshold(machines: readonly MachineCoverage[], threshold: CoverageThreshold): string[] {
  const out: string[] = [];
  for (const category of CATEGORIES) {
    const wanted = threshold[category];
    if (wanted === undefined) continue;
    const covered = machines.reduce((n, m) => n + m[category].covered, 0);
    const total = machines.reduce((n, m) => n + m[category].total, 0);
    const percent = total === 0 ? 100 : (100 * covered) / total;
    if (percent >= wanted) continue;
    const missed = machines.filter((m) => m[category].missed.length).map((m) => `${m.name ?? m.id}: ${m[category].missed.join(', ')}`);
    out.push(`  ${category}: ${percent.toFixed(1)}% (${covered}/${total}) < ${wanted}%; never exercised: ${missed.join('; ')}`);
  }
  return out;
}

/** One line per budget the suite's runs went over: what they used, against the budget, and the dearest rows. @internal */
export function overBudget(rows: readonly CostRow[], budget: CostBudget): string[] {
  const out: string[] = [];
  for (const key of BUDGET_KEYS) {
    const limit = budget[key];
    if (limit === undefined) continue;
    const used = rows.reduce((n, r) => n + r[key], 0);
    if (used <= limit) continue;
    const dearest = [...rows].sort((a, b) => b[key] - a[key] || a.file.localeCompare(b.file)).slice(0, 3)
      .map((r) => `${r.file} ${r.machine} ${r[key].toLocaleString('en-US')}`);
    out.push(`  ${key}: ${used.toLocaleString('en-US')} > ${limit.toLocaleString('en-US')}; most: ${dearest.join('; ')}`);
  }
  return out;
}
