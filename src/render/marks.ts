// What a render draws over a definition's graph: the marks of a run's path and of coverage, and the
// notes beside each state (retries, iterations, Map Run items, the errors raised and caught).
import type { DiagramGraph, DiagramState } from './graph';
import type { CoverageCategoryData, CoverageData, ExecutionPath, MapRunItems, StateFailure } from './overlay';
import { RenderError } from './render-error';
import { ownValue } from '../asl/own';

/** Coverage categories in the order they are reported. @internal */
export const COVERAGE_CATEGORIES = ['states', 'transitions', 'choices', 'catches', 'retries'] as const;

/**
 * What to draw on each node and edge; computed once per render from the
 * path and coverage overlays.
 * @internal
 */
export interface Marks {
  readonly visited: Set<string>;
  /** States with a visit that ended in an error: raised it, failed with it, or caught it; and the state the execution failed in. */
  readonly failed: Set<string>;
  /** Of the failed states, those whose every error their Catch handled: drawn apart. */
  readonly caught: Set<string>;
  /** The state the execution failed in. */
  readonly failedState?: string;
  readonly uncovered: Set<string>;
  /** Edge indices (into graph.edges). */
  readonly taken: Set<number>;
  readonly missedEdges: Set<number>;
  /** Extra lines per state: retried 2×, 5 iterations, 2 failed, the error. */
  readonly notes: Map<string, string[]>;
}

/** Puts the overlays on the graph. @internal */
export function computeMarks(graph: DiagramGraph, path?: ExecutionPath, coverage?: CoverageData): Marks {
  const visited = new Set<string>();
  const failed = new Set<string>();
  const caught = new Set<string>();
  const uncovered = new Set<string>();
  const taken = new Set<number>();
  const missedEdges = new Set<number>();
  const notes = new Map<string, string[]>();
  const note = (state: string, text: string): void => {
    const list = notes.get(state) ?? [];
    list.push(text);
    notes.set(state, list);
  };
  if (coverage) checkCoverage(coverage);
  if (path) {
    for (const [name, n] of Object.entries(path.states)) if (n > 0 && graph.states.has(name)) visited.add(name);
    for (const [name, n] of Object.entries(path.retries)) if (n > 0 && graph.states.has(name)) note(name, `retried ${n}×`);
    for (const s of graph.states.values()) {
      const text = iterationNote(s, path);
      if (text !== undefined) note(s.name, text);
      const items = path.mapRunItems === undefined ? undefined : ownValue(path.mapRunItems, s.name);
      if (items !== undefined) note(s.name, mapRunItemsNote(items));
    }
    if (path.failedState !== undefined && graph.states.has(path.failedState)) {
      failed.add(path.failedState);
      note(path.failedState, `✗ ${path.error ?? path.status ?? 'failed'}`);
    }
    // Where the error started and each state it passed through or was caught in (the execution's own error is noted above).
    for (const [name, f] of Object.entries(path.failures ?? {})) {
      if (!graph.states.has(name) || !(f.count > 0)) continue;
      failed.add(name);
      if (name === path.failedState) continue;
      if (f.caught === f.count) caught.add(name);
      note(name, failureNote(f));
    }
    graph.edges.forEach((edge, i) => {
      if (edge.kind === 'start') {
        if (visited.has(edge.to)) taken.add(i);
      } else if (edge.kind === 'end') {
        if (visited.has(edge.from) && !(failed.has(edge.from) && !caught.has(edge.from)) && graph.states.get(edge.from)!.type !== 'Fail') taken.add(i);
      } else if (edge.transition !== undefined && (ownValue(path.transitions, edge.transition) ?? 0) > 0) {
        taken.add(i);
      }
    });
  }
  if (coverage) {
    for (const name of coverage.states.missed) if (graph.states.has(name)) uncovered.add(name);
    for (const key of coverage.retries.missed) {
      const at = key.lastIndexOf('#');
      const s = graph.states.get(key.slice(0, at));
      if (s) note(s.name, s.retry.length > 1 ? `retry ${Number(key.slice(at + 1)) + 1} never exercised` : 'retry never exercised');
    }
    const missedTransitions = new Set(coverage.transitions.missed);
    const missedChoices = new Set(coverage.choices.missed);
    const missedCatches = new Set(coverage.catches.missed);
    graph.edges.forEach((edge, i) => {
      if (edge.choice !== undefined ? missedChoices.has(edge.choice)
        : edge.catch !== undefined ? missedCatches.has(edge.catch)
          : edge.transition !== undefined && missedTransitions.has(edge.transition)) {
        missedEdges.add(i);
      }
    });
  }
  return {
    visited,
    failed,
    caught,
    uncovered,
    taken,
    missedEdges,
    notes,
    ...(path?.failedState !== undefined && graph.states.has(path.failedState) ? { failedState: path.failedState } : {}),
  };
}

/**
 * `✗ Card.Declined`, `✗ Card.Declined, caught`, `✗ Price.Missing ×2, 1 caught`;
 * when the history names no error (`stepwright run --json --history`):
 * `✗ failed`, `✗ caught`, `✗ failed ×2, 1 caught`.
 * @internal
 */
export function failureNote(f: StateFailure): string {
  const times = f.count > 1 ? ` ×${f.count}` : '';
  if (f.error === undefined && f.caught === f.count) return `✗ caught${times}`;
  const handled = f.caught === 0 ? '' : f.caught === f.count ? ', caught' : `, ${f.caught} caught`;
  return `✗ ${f.error ?? 'failed'}${times}${handled}`;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * How a Map's iterations or a Parallel's branch runs ended, as the Step
 * Functions console sums them up: `5 iterations, 3 succeeded, 2 failed`;
 * for a DISTRIBUTED Map, its items and how its Map Run ended.
 */
function iterationNote(s: DiagramState, path: ExecutionPath): string | undefined {
  const entered = ownValue(path.states, s.name) ?? 0;
  const runs = ownValue(path.mapRuns, s.name);
  const total = ownValue(path.iterations, s.name) ?? 0;
  if (runs !== undefined) {
    const ended = runs.succeeded + runs.failed + runs.aborted;
    const outcomes = ([['succeeded', runs.succeeded], ['failed', runs.failed], ['aborted', runs.aborted],
      [path.status === 'RUNNING' ? 'running' : 'unfinished', Math.max(runs.started - ended, 0)]] as const).filter(([, n]) => n > 0);
    const head = total > 0 ? [plural(total, 'item', 'items')] : [];
    const outcome = runs.started === 1 && outcomes.length === 1
      ? `Map Run ${outcomes[0][0]}`
      : `${plural(runs.started, 'Map Run', 'Map Runs')}: ${outcomes.map(([k, n]) => `${n} ${k}`).join(', ')}`;
    return [...head, outcome].join(', ');
  }
  if (total === 0) return undefined;
  const succeeded = ownValue(path.succeededIterations, s.name) ?? 0;
  const failed = ownValue(path.failedIterations, s.name) ?? 0;
  const aborted = ownValue(path.abortedIterations, s.name) ?? 0;
  const parts = s.type === 'Map'
    ? [...(entered > 1 ? [`ran ${entered}×`] : []), plural(total, 'iteration', 'iterations')]
    : [entered > 1 ? `ran ${entered}×, ${total} branch runs` : `${plural(total, 'branch', 'branches')} run`];
  if (succeeded) parts.push(`${succeeded} succeeded`);
  if (failed) parts.push(`${failed} failed`);
  if (aborted) parts.push(`${aborted} aborted`);
  // Without a history nothing says how the iterations ended; a running execution has some still going.
  const ended = succeeded + failed + aborted;
  if (ended > 0 && ended < total) parts.push(`${total - ended} ${path.status === 'RUNNING' ? 'running' : 'unfinished'}`);
  return parts.join(', ');
}

/**
 * A Map Run's items as the console's Map Run page counts them:
 * `items: 3 succeeded, 1 failed, 0 pending of 4 · tolerates 1 failure`.
 * @internal
 */
export function mapRunItemsNote(items: MapRunItems): string {
  const aborted = items.aborted > 0 ? `, ${items.aborted} aborted` : '';
  const counts = `items: ${items.succeeded} succeeded, ${items.failed} failed${aborted}, ${items.pending} pending of ${items.total}`;
  const tolerates = [
    ...(items.toleratedFailureCount !== undefined ? [plural(items.toleratedFailureCount, 'failure', 'failures')] : []),
    ...(items.toleratedFailurePercentage !== undefined ? [`${items.toleratedFailurePercentage}%`] : []),
  ];
  return tolerates.length > 0 ? `${counts} · tolerates ${tolerates.join(' or ')}` : counts;
}

function checkCoverage(coverage: CoverageData): void {
  for (const c of COVERAGE_CATEGORIES) {
    // Typed, but given by JavaScript callers and read from files too: checked as possibly missing or partial.
    const cat: Partial<CoverageCategoryData> | undefined = coverage[c];
    if (!cat || typeof cat !== 'object' || !Array.isArray(cat.missed) || typeof cat.covered !== 'number' || typeof cat.total !== 'number') {
      throw new RenderError(`the coverage has no valid '${c}' ({ covered, total, missed }): pass one entry of 'machines' from stepwright-coverage.json`);
    }
    // Drawn as `covered/total (pct%)`: a count the reporter never writes would read as -500% or Infinity%.
    if (!isCount(cat.covered) || !isCount(cat.total) || cat.covered > cat.total) {
      throw new RenderError(`the coverage's '${c}' counts ${cat.covered} covered of ${cat.total}: the reporter writes whole numbers from 0, covered at most total`);
    }
  }
  if (coverage.runs !== undefined && !isCount(coverage.runs)) throw new RenderError(`the coverage's 'runs' is ${typeof coverage.runs === 'number' ? coverage.runs : typeof coverage.runs}: the reporter writes a whole number from 0`);
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** `states 8/10 (80%)`, one per category with items. @internal */
export function coverageLines(coverage: CoverageData): string[] {
  return COVERAGE_CATEGORIES.filter((c) => coverage[c].total > 0).map((c) => {
    const { covered, total } = coverage[c];
    return `${c} ${covered}/${total} (${Math.floor((covered / total) * 100)}%)`;
  });
}

