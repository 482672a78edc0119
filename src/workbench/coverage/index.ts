export { cost, preview, usageCountsFromReport, usagesFromReport } from './cost';
export type { CostedWorkflow } from './cost';
export type { CoverageCategory, CoverageHits, MachineCoverage } from './model';
