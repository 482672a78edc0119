import type { StateMachineDefinition } from '../../asl';
import { ownValue } from '../../asl/own';
import { CATEGORIES, coverageItems, type CoverageCategory } from '../../explore/goals';

// The vocabulary of coverage lives with explore/, which enumerates the same goals.
// coverageItems is internal: the declarations stripInternal leaves must not re-export it.
export { CATEGORIES, type CoverageCategory };

/**
 * One value per category, in the order of CATEGORIES: how a coverage record's
 * categories are built, so that a category added there fails to compile here.
 * @internal
 */
export function perCategory<T>(of: (category: CoverageCategory) => T): Record<CoverageCategory, T> {
  return { states: of('states'), transitions: of('transitions'), choices: of('choices'), catches: of('catches'), retries: of('retries') };
}

/** How often each item of each category was exercised. */
export type CoverageHits = Record<CoverageCategory, Record<string, number>>;

/** Covered and total items of one category, and the items never exercised. */
export interface CategorySummary {
  readonly covered: number;
  readonly total: number;
  readonly missed: string[];
  /** Hits of every item, exercised or not. */
  readonly hits: Record<string, number>;
}

/** The coverage of one state machine, across every recorded execution. */
export interface MachineCoverage {
  /** Stable id: a hash of the definition. */
  readonly id: string;
  /** The state machine's name, when the harness knew it. */
  readonly name?: string;
  /**
   * Stack and construct path of the state machine (`OrdersStack/Orders`),
   * when it came from a CDK stack: tells apart machines of the same name in
   * two stacks.
   */
  readonly path?: string;
  /** Executions recorded. */
  readonly runs: number;
  readonly states: CategorySummary;
  readonly transitions: CategorySummary;
  readonly choices: CategorySummary;
  readonly catches: CategorySummary;
  readonly retries: CategorySummary;
  /**
   * What each test file's executions exercised, when the executions ran
   * under jest (which names the file), sorted by file.
   */
  readonly files?: readonly FileCoverage[];
  /**
   * In a merged report, the shards (`2/3`) whose tests failed and that ran this state machine:
   * its figures may leave out what the failed tests would have run. Absent otherwise.
   */
  readonly failedShards?: readonly string[];
}

/** Covered and total items of one category. */
export interface CategoryCount {
  readonly covered: number;
  readonly total: number;
}

/** What the executions of one test file exercised of one state machine. */
export interface FileCoverage {
  /** The test file, relative to jest's rootDir. */
  readonly file: string;
  /** Executions the file recorded. */
  readonly runs: number;
  readonly states: CategoryCount;
  readonly transitions: CategoryCount;
  readonly choices: CategoryCount;
  readonly catches: CategoryCount;
  readonly retries: CategoryCount;
}

/**
 * Puts hits against the items of a definition; hits on items the
 * definition does not have (start transitions) are left out.
 * @internal
 */
export function summarize(
  id: string, name: string | undefined, definition: StateMachineDefinition, runs: number, hits: CoverageHits, path?: string,
): MachineCoverage {
  const items = coverageItems(definition);
  const summary = (category: CoverageCategory): CategorySummary => {
    const all: Record<string, number> = {};
    const missed: string[] = [];
    for (const item of items[category]) {
      const n = ownValue(hits[category], item) ?? 0;
      setCount(all, item, n);
      if (!n) missed.push(item);
    }
    return { covered: items[category].length - missed.length, total: items[category].length, missed, hits: all };
  };
  return { id, runs, ...(name !== undefined ? { name } : {}), ...(path !== undefined ? { path } : {}), ...perCategory(summary) };
}

/** Empty hit counts. @internal */
export function emptyHits(): CoverageHits {
  return { states: {}, transitions: {}, choices: {}, catches: {}, retries: {} };
}

/** Adds `b` into `a`. @internal */
export function addHits(a: CoverageHits, b: Partial<CoverageHits>): void {
  for (const category of CATEGORIES) {
    const from = b[category];
    if (!from) continue;
    for (const [k, n] of Object.entries(from)) addCount(a[category], k, n);
  }
}

/**
 * Adds `n` hits to the count of `item`, an own key whatever its name: a state named
 * `constructor` or `__proto__` is counted as any other, not read from or written to
 * Object.prototype. A count that is not a whole number of 0 or more (a coverage file edited or
 * cut short) adds nothing, so that no figure a user reads is NaN or negative.
 * @internal
 */
export function addCount(into: Record<string, number>, item: string, n: unknown): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return;
  setCount(into, item, (ownValue(into, item) ?? 0) + n);
}

function setCount(into: Record<string, number>, item: string, n: number): void {
  Object.defineProperty(into, item, { value: n, enumerable: true, writable: true, configurable: true });
}
