import type { JsonValue, StateDefinition, StateMachineDefinition } from '../../asl';
import { errorMatches } from '../../asl/error-rules';
import { allStates } from '../../asl/state-tree';
import { StatesErrors } from '../../asl/states-errors';
import type { ExploreScenario } from '../../explore';

/** Events named before the outcome; the rest are counted ("and 2 more"), so a name stays readable. */
const EVENTS_NAMED = 4;

/** One thing a scenario shows, placed where it first happens on the path. */
interface NamedEvent {
  readonly at: number;
  readonly order: number;
  readonly text: string;
}

const quote = (state: string): string => `'${state}'`;

/** The errors a state's mocks throw, in call order. */
export function thrownErrors(mocks: Readonly<Record<string, JsonValue>>, state: string): string[] {
  if (!Object.hasOwn(mocks, state)) return [];
  const entry = mocks[state];
  const entries = Array.isArray(entry) ? entry : [entry];
  const out: string[] = [];
  for (const e of entries) {
    const error = thrownError(e);
    if (error !== undefined) out.push(error);
  }
  return out;
}

/** The `Error` of a `{"Throw": {...}}` mock entry. */
export function thrownError(entry: JsonValue): string | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const keys = Object.keys(entry);
  if (keys.length !== 1 || keys[0] !== 'Throw') return undefined;
  const t = entry.Throw;
  return t !== null && typeof t === 'object' && !Array.isArray(t) && typeof t.Error === 'string' ? t.Error : undefined;
}

/** Splits a goal key `State#rest` at its last `#` (state names may hold `#`). */
function splitKey(key: string): [string, string] {
  const i = key.lastIndexOf('#');
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}

/**
 * The error a Retry or Catch of `state` handled in this scenario: one the
 * state's own mocks throw, else one any mocked Task throws or a Fail state
 * on the path raises, that the `ErrorEquals` matches; else the names the
 * `ErrorEquals` lists.
 */
function handledError(
  scenario: ExploreScenario, state: string, errorEquals: readonly string[], states: ReadonlyMap<string, StateDefinition>,
): string {
  const own = thrownErrors(scenario.mocks, state).find((e) => errorMatches(errorEquals, e));
  if (own !== undefined) return own;
  for (const other of Object.keys(scenario.mocks)) {
    const found = thrownErrors(scenario.mocks, other).find((e) => errorMatches(errorEquals, e));
    if (found !== undefined) return found;
  }
  // A Fail state the run entered (in a Parallel's or Map's branch) names its error.
  for (const entered of scenario.path) {
    const def = states.get(entered);
    if (def?.Type === 'Fail' && typeof def.Error === 'string' && errorMatches(errorEquals, def.Error)) return def.Error;
  }
  if (scenario.error !== undefined && errorMatches(errorEquals, scenario.error)) return scenario.error;
  const named = errorEquals.filter((e) => e !== StatesErrors.ALL);
  return named.length > 0 ? named.join(' or ') : 'an error';
}

/** The events of one scenario, in path order: Retries, Catches, Choice branches, callback outcomes. */
function eventsOf(scenario: ExploreScenario, states: ReadonlyMap<string, StateDefinition>): NamedEvent[] {
  const at = (state: string): number => {
    const i = scenario.path.indexOf(state);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const events: NamedEvent[] = [];
  let order = 0;
  const add = (state: string, text: string, where = at(state)): void => {
    events.push({ at: where, order: order++, text });
  };
  // A Catch happens where its handler is entered (a Parallel's Catch only after its branches ran).
  const handled = (state: string, next: string): number => {
    const from = at(state);
    const i = from === Number.MAX_SAFE_INTEGER ? -1 : scenario.path.indexOf(next, from + 1);
    return i < 0 ? from : i;
  };
  for (const key of scenario.covers.choiceRules ?? []) {
    const [state, rule] = splitKey(key);
    const def = states.get(state);
    if (def?.Type !== 'Choice') continue;
    const choices = def.Choices ?? [];
    const next = rule === 'default' ? def.Default : choices[Number(rule)]?.Next;
    if (next === undefined) continue;
    // Two branches to the same state read alike: say which rule (counted from 1) or the Default.
    const targets = [...choices.map((c) => c.Next), def.Default];
    const shared = targets.filter((t) => t === next).length > 1;
    const which = !shared ? '' : rule === 'default' ? ' by default' : ` by rule ${Number(rule) + 1}`;
    add(state, `${quote(state)} chooses ${quote(next)}${which}`);
  }
  for (const key of scenario.covers.retries ?? []) {
    const [state, index] = splitKey(key);
    const retrier = states.get(state)?.Retry?.[Number(index)];
    if (!retrier) continue;
    add(state, `retries ${quote(state)} after ${handledError(scenario, state, retrier.ErrorEquals, states)}`);
  }
  for (const key of scenario.covers.catches ?? []) {
    const [state, index] = splitKey(key);
    const catcher = states.get(state)?.Catch?.[Number(index)];
    if (!catcher) continue;
    add(state, `catches ${handledError(scenario, state, catcher.ErrorEquals, states)} in ${quote(state)}`, handled(state, catcher.Next));
  }
  for (const key of scenario.covers.callbacks ?? []) {
    const [state, outcome] = splitKey(key);
    if (outcome === 'failure') {
      const error = thrownErrors(scenario.mocks, state)[0];
      add(state, `${quote(state)} gets a failed callback${error !== undefined ? ` (${error})` : ''}`);
    } else if (outcome === 'timeout') {
      add(state, `${quote(state)} times out waiting for its callback`);
    }
  }
  // Stable: by place on the path, then in the order the categories were read.
  return events.sort((a, b) => a.at - b.at || a.order - b.order);
}

/**
 * The state the error that ended a failed run arose in: none when the run
 * ends in a Fail state, or a Fail state on the path raises it (it names
 * itself through its error); else the last state on the path whose last
 * answer was that error (in a Parallel, the branch that failed, not the last
 * state another branch entered); else the last state entered.
 */
function failedAt(scenario: ExploreScenario, states: ReadonlyMap<string, StateDefinition>): string | undefined {
  if (scenario.pathLength !== undefined) return undefined;
  const last = scenario.path[scenario.path.length - 1];
  if (last === undefined || states.get(last)?.Type === 'Fail') return undefined;
  const error = scenario.error;
  if (error === undefined) return last;
  for (let i = scenario.path.length - 1; i >= 0; i--) {
    const state = scenario.path[i];
    if (!Object.hasOwn(scenario.mocks, state)) continue;
    const mock = scenario.mocks[state];
    const answers = Array.isArray(mock) ? mock : [mock];
    if (answers.length > 0 && thrownError(answers[answers.length - 1]) === error) return state;
  }
  const raised = scenario.path.some((p) => {
    const def = states.get(p);
    return def?.Type === 'Fail' && def.Error === error;
  });
  return raised ? undefined : last;
}

/** How the execution ends, in words. */
function outcomeOf(scenario: ExploreScenario, states: ReadonlyMap<string, StateDefinition>): string {
  switch (scenario.status) {
    case 'SUCCEEDED': return 'succeeds';
    case 'TIMED_OUT': return 'times out';
    case 'ABORTED': return 'is aborted';
    case 'FAILED': {
      const error = scenario.error !== undefined ? `fails with ${scenario.error}` : 'fails';
      const at = failedAt(scenario, states);
      return at !== undefined ? `${error} at ${quote(at)}` : error;
    }
    default: return `ends ${String(scenario.status)}`;
  }
}

/** A name for one scenario from its path and outcome, before it is made unique. */
export function scenarioTitle(scenario: ExploreScenario, states: ReadonlyMap<string, StateDefinition>): string {
  const events = [...new Set(eventsOf(scenario, states).map((e) => e.text))];
  const outcome = outcomeOf(scenario, states);
  if (events.length === 0) return outcome;
  const named = events.slice(0, EVENTS_NAMED);
  const more = events.length - named.length;
  return `${named.join(', ')}${more > 0 ? `, and ${more} more` : ''}, then ${outcome}`;
}

/**
 * One readable, unique test name per scenario, derived from its path and
 * outcome: the Choice branches it takes, the Retries and Catches it goes
 * through, callback failures and timeouts, and how it ends, e.g.
 * `retries 'Charge' after Lambda.TooManyRequestsException, then fails with Payment.Declined at 'Charge'`.
 * Two scenarios that read alike are told apart by a state only one of them enters
 * (`… via 'Gift wrap'`), else by a number.
 * @internal
 */
export function scenarioTitles(scenarios: readonly ExploreScenario[], definition: StateMachineDefinition): string[] {
  const states = allStates(definition);
  const base = scenarios.map((s) => scenarioTitle(s, states));
  const groups = new Map<string, number[]>();
  base.forEach((title, i) => groups.set(title, [...groups.get(title) ?? [], i]));
  const titles = [...base];
  for (const [title, members] of groups) {
    if (members.length < 2) continue;
    for (const i of members) {
      const others = new Set(members.filter((j) => j !== i).flatMap((j) => scenarios[j].path));
      const own = scenarios[i].path.find((s) => !others.has(s));
      if (own !== undefined) titles[i] = `${title} via ${quote(own)}`;
    }
  }
  // Whatever still reads alike (or collides with another title) is numbered, in report order.
  const used = new Set<string>();
  return titles.map((title) => {
    let unique = title;
    for (let n = 2; used.has(unique); n++) unique = `${title} (${n})`;
    used.add(unique);
    return unique;
  });
}
