import { allStates } from './analyze';
import type { StateMachineDefinition } from '../../asl/types';

/** The coverage categories, in report order. */
export const CATEGORIES = ['states', 'transitions', 'choices', 'catches', 'retries'] as const;

/** One coverage category. */
export type CoverageCategory = typeof CATEGORIES[number];

/** How often each item of each category was exercised. */
export type CoverageHits = Record<CoverageCategory, Record<string, number>>;

/**
 * Everything in a definition that coverage counts: its states (nested ones
 * too), transitions (`A -> B`, through Next, Choice rules, Default and
 * Catch), Choice branches (`Choice#0`, `Choice#default`), Catch handlers
 * (`State#0`) and retriers (`State#0`).
 * @internal
 */
export function coverageItems(definition: StateMachineDefinition): Record<CoverageCategory, string[]> {
  const items: Record<CoverageCategory, Set<string>> = {
    states: new Set(), transitions: new Set(), choices: new Set(), catches: new Set(), retries: new Set(),
  };
  for (const [name, s] of allStates(definition)) {
    items.states.add(name);
    if ('Next' in s && typeof s.Next === 'string') items.transitions.add(`${name} -> ${s.Next}`);
    if (s.Type === 'Choice') {
      (s.Choices ?? []).forEach((rule, i) => {
        items.choices.add(`${name}#${i}`);
        if (rule.Next) items.transitions.add(`${name} -> ${rule.Next}`);
      });
      if (s.Default !== undefined) {
        items.choices.add(`${name}#default`);
        items.transitions.add(`${name} -> ${s.Default}`);
      }
    }
    if ('Catch' in s && s.Catch) {
      s.Catch.forEach((c, i) => {
        items.catches.add(`${name}#${i}`);
        items.transitions.add(`${name} -> ${c.Next}`);
      });
    }
    if ('Retry' in s && s.Retry) s.Retry.forEach((_r, i) => items.retries.add(`${name}#${i}`));
  }
  return {
    states: [...items.states],
    transitions: [...items.transitions],
    choices: [...items.choices],
    catches: [...items.catches],
    retries: [...items.retries],
  };
}

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
  const out: Record<string, unknown> = { id, runs };
  if (name !== undefined) out.name = name;
  if (path !== undefined) out.path = path;
  for (const category of CATEGORIES) {
    const all: Record<string, number> = {};
    const missed: string[] = [];
    for (const item of items[category]) {
      all[item] = hits[category][item] ?? 0;
      if (!all[item]) missed.push(item);
    }
    out[category] = { covered: items[category].length - missed.length, total: items[category].length, missed, hits: all };
  }
  return out as unknown as MachineCoverage;
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
    for (const [k, n] of Object.entries(from)) a[category][k] = (a[category][k] ?? 0) + n;
  }
}
