export {
  CostError, DEFAULT_PRICES, checkPriceTable, withPrices, standardPrices, expressPrices,
} from './prices';
export type { PriceTable, RegionPrices, StandardPrices, ExpressPrices, ExpressDurationTier } from './prices';
export { usageOf, billedDurationMs, BILLING_STEP_MS } from './usage';
export type { CostedRun, RunUsage, ChildExecutionsCost } from './usage';
export { runCost, estimateCost, estimatedMemoryMb, billedMemoryMb, durationUsd } from './estimate';
export type {
  CostOptions, EstimateOptions, EstimateInput, RunCost, StandardRunCost, ExpressRunCost, CostEstimate, StandardEstimate,
  ExpressEstimate, MemoryAssumption, CostWarning,
} from './estimate';
export { expressEligibility, expressDoubts, runsLabel, EXPRESS_MAX_DURATION_MS } from './eligibility';
export type { EligibilityReason, ExpressDoubt, ObservedRun } from './eligibility';
export { checkRunUsage, reportMachines, reportCostRows, MAX_COUNT } from './report';
export type { UsageCount, ReportMachine } from './report';
export { formatEstimate, costDiffMarkdown, usd } from './format';
export type { CostRow, CostReport } from './format';
/** @internal */
export { cell } from './format';
