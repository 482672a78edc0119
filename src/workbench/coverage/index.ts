/**
 * The coverage room of workbench/: the coverage model, what a run reached, shards, gates, the
 * coverage table, and the cost estimate from runs or a coverage report.
 * Other layers and rooms import it through this file, or through a door listed in
 * test/layers.ts (SURFACES).
 */
export { cost, usageCountsFromReport, usagesFromReport } from './cost';
/** @internal */
export { preview } from './cost';
export type { CostedWorkflow } from './cost';
export type { CoverageCategory, CoverageHits, MachineCoverage } from './model';
