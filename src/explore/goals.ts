import { allStates } from './trace';
import type { StateMachineDefinition } from '../asl/types';

/** The coverage categories, in report order. */
export const CATEGORIES = ['states', 'transitions', 'choices', 'catches', 'retries'] as const;

/** One coverage category. */
export type CoverageCategory = typeof CATEGORIES[number];

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

