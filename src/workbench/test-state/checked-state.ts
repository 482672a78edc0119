/**
 * The state a TestState call runs, found in what it was given and checked as AWS's TestState
 * checks it, before anything reads it.
 */
import { SINGLE_STATE_NAME, TestStateError } from './types';
import type { QueryLanguage, StateDefinition } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { fieldOf } from '../../asl/own';
import { DEFAULT_QUERY_LANGUAGE } from '../../asl/query-language';
import { forEachState, isWalkable } from '../../asl/state-tree';
import { checkedDefinition } from '../../asl/validate';

/** The tested state where the call's definition holds it, before anything of it is checked: each field as given. */
interface GivenState {
  readonly state: object;
  /** Its QueryLanguage, else its machine's, else JSONPath's: as given, checked with the state. */
  readonly language: unknown;
}

/** The state a TestState call names, found in what it was given (a machine, or a single state) and not yet checked. */
function findState(definition: unknown, stateName: string): GivenState {
  if (definition === null || typeof definition !== 'object') {
    throw new TestStateError(`testState: definition must be a state machine (with States) or a single state (with Type), got ${definition === null ? 'null' : typeof definition}`);
  }
  if ('Type' in definition && typeof definition.Type === 'string') {
    return { state: definition, language: fieldOf(definition, 'QueryLanguage') ?? DEFAULT_QUERY_LANGUAGE };
  }
  if (typeof fieldOf(definition, 'States') !== 'object') {
    throw new TestStateError('testState: definition must be a state machine (with States) or a single state (with Type)');
  }
  // Every state at any depth, each only known to be an object (States may still be null: then none).
  const states = new Map<string, object>();
  if (isWalkable(definition)) forEachState(definition, (name, state) => states.set(name, state));
  const state = states.get(stateName);
  if (!state) {
    // AWS's words for a stateName the definition lacks (recorded: TestState with stateName 'dne' and '"invalid"').
    throw new TestStateError(`testState: no state named '${stateName}'; the definition has ${[...states.keys()].map((n) => `'${n}'`).join(', ')}`,
      { type: ApiErrors.ValidationException, message: 'State not found in definition' });
  }
  return { state, language: fieldOf(state, 'QueryLanguage') ?? fieldOf(definition, 'QueryLanguage') ?? DEFAULT_QUERY_LANGUAGE };
}

/** The tested state and the query language it runs in, as the checker typed them. */
export interface CheckedState {
  readonly state: StateDefinition;
  readonly language: QueryLanguage;
}

export function checkedState(definition: unknown, stateName: string): CheckedState {
  const given = findState(definition, stateName);
  return checkAsRun(stateName || SINGLE_STATE_NAME, given.state, given.language);
}

/**
 * Refuses the state as AWS's TestState does a definition that is not valid ASL (InvalidDefinition,
 * TestState in the API reference): the state as given, Retry, Catch and transitions included, which
 * the runs leave out or redirect to their stand-ins, and a Map's ItemProcessor or a Parallel's
 * Branches, which the mock stands for. Checked before anything reads the state or the one-state
 * machine is built from it. As TestState allows, its transitions may name states the definition
 * lacks (each stands in here as a Succeed state), and a state given alone may have neither Next
 * nor End. The state is typed by passing this check, never by a cast.
 * @throws InvalidDefinitionError listing each error finding
 */
function checkAsRun(name: string, given: object, language: unknown): CheckedState {
  // Each field as it came: the validator has not seen the state yet.
  const field = (key: string): unknown => fieldOf(given, key);
  const type = field('Type');
  const targets = new Set<string>();
  const target = (next: unknown): void => {
    if (typeof next === 'string' && next !== name) targets.add(next);
  };
  const rules = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const rule of list) if (rule !== null && typeof rule === 'object' && 'Next' in rule) target(rule.Next);
  };
  target(field('Next'));
  target(field('Default'));
  rules(field('Choices'));
  rules(field('Catch'));
  const ends = field('Next') === undefined && field('End') === undefined && type !== 'Choice' && type !== 'Succeed' && type !== 'Fail';
  const States = Object.fromEntries([[name, ends ? { ...given, End: true } : given], ...[...targets].map((t) => [t, { Type: 'Succeed' }])]);
  const checked = checkedDefinition({ StartAt: name, QueryLanguage: language, States }, { warnings: false });
  const state = checked.States[name];
  return { state: ends ? withoutEnd(state) : state, language: checked.QueryLanguage ?? DEFAULT_QUERY_LANGUAGE };
}

/** The state without the End the check gave it: a state given alone may have neither Next nor End. */
function withoutEnd(state: StateDefinition): StateDefinition {
  const { End: _end, ...own } = state;
  return own;
}
