import { buildGraph, type DrawableDefinition } from './graph';
import { pathFromRun, type ExecutionData, type ExecutionPath } from './overlay';

export { renderMermaid } from './mermaid';
export type { RenderOptions } from './mermaid';
export { renderHtml, renderSvg } from './html';
export { exportForWorkflowStudio } from './export';
export type { WorkflowStudioFormat } from './export';
export { RenderError } from './render-error';
export type { DrawableDefinition } from './graph';
export type { ExecutionData, ExecutionPath, HistoryEventLike, CoverageData, CoverageCategoryData, MapRunCounts, MapRunData, MapRunItems, StateFailure, CaughtError } from './overlay';

/**
 * What an execution did, read from its history (or, without one, its path)
 * against its definition: states entered, transitions taken, retries per
 * state, the state it failed in, every state whose visit ended in an error
 * (and whether its Catch handled it), and how a Map's iterations and a
 * Parallel's branch runs ended (succeeded, failed, aborted).
 * The renderers call it for their `run` option; it reads data and runs nothing.
 *
 * @example
 * const path = executionPath(definition, JSON.parse(fs.readFileSync('result.json', 'utf8')));
 * path.failedState; // 'Charge card'
 */
export function executionPath(definition: DrawableDefinition, run: ExecutionData): ExecutionPath {
  return pathFromRun(buildGraph(definition), run);
}
