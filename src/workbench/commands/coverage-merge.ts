/**
 * `coverage merge`: the reports of a suite's shards added up, its gates applied to the sum, and
 * the result as text, JSON and a Markdown job summary. The shells print and write; this decides.
 */
import { CommandInputError } from '../common/command-errors';
import { coverageMarkdown, formatCost, formatCoverage } from '../coverage/format';
import { belowThreshold, checkCostBudget, checkThreshold, overBudget, type CostBudget, type CoverageThreshold } from '../coverage/gates';
import { CoverageReportError, mergeCoverageReports, readCoverageReport, type MergedCoverage } from '../coverage/shards';

/** What `coverage merge` applies to the merged figures. @internal */
export interface CoverageMergeOptions {
  readonly threshold?: CoverageThreshold;
  readonly budget?: CostBudget;
}

/** The merge of some reports, ready to print and write. @internal */
export interface CoverageMergeResult {
  readonly merged: MergedCoverage;
  /** The report to write: `{ machines, cost, shards, warnings }`. */
  readonly json: string;
  /** The coverage and cost tables, as the reporter prints them. */
  readonly text: string;
  /** The job summary. */
  readonly markdown: string;
  /** One line per category under the threshold or budget gone over. */
  readonly failures: readonly string[];
}

/**
 * Reads the reports, merges them and applies the threshold and budget.
 * @throws CommandInputError for a report that cannot be read or merged, or a bad threshold or budget
 * @internal
 */
export function mergeCoverageFiles(files: readonly string[], options: CoverageMergeOptions = {}): CoverageMergeResult {
  if (files.length === 0) throw new CommandInputError('coverage merge needs the reports to merge: stepwright coverage merge shard-1.json shard-2.json ...');
  let threshold: CoverageThreshold;
  let budget: CostBudget;
  let merged: MergedCoverage;
  try {
    threshold = checkThreshold(options.threshold ?? {}, '--threshold');
    budget = checkCostBudget(options.budget ?? {}, '--budget');
    merged = mergeCoverageReports(files.map(readCoverageReport));
  } catch (e) {
    if (e instanceof CoverageReportError || e instanceof TypeError) throw new CommandInputError(e.message);
    throw e;
  }
  const shortfalls = belowThreshold(merged.machines, threshold);
  const over = overBudget(merged.cost.rows, budget);
  const failures = [
    ...(shortfalls.length ? ['coverage is below the threshold:', ...shortfalls] : []),
    ...(over.length ? ['cost is over the budget:', ...over] : []),
  ];
  const text = [formatCoverage(merged.machines), ...(merged.cost.rows.length ? [formatCost(merged.cost.rows)] : [])].join('\n\n');
  return {
    merged,
    json: `${JSON.stringify(merged, null, 2)}\n`,
    text,
    markdown: `${coverageMarkdown(merged, { threshold, budget, failures: [...shortfalls, ...over] })}\n`,
    failures,
  };
}
