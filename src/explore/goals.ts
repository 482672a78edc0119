import type { QueryLanguage, StateDefinition, StateMachineDefinition } from '../asl';
import { heartbeatLapseError } from '../asl/error-rules';
import { DEFAULT_QUERY_LANGUAGE } from '../asl/query-language';
import { allStates, forEachState } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';
import { taskResource } from '../asl/task-resource';

/** The coverage categories, in report order. */
export const CATEGORIES = ['states', 'transitions', 'choices', 'catches', 'retries'] as const;

/** One coverage category. */
export type CoverageCategory = typeof CATEGORIES[number];

/**
 * Everything in a definition that coverage counts: its states (nested ones
 * too), transitions (`A -> B`, through Next, Choice rules, Default and
 * Catch), Choice branches (`Choice#0`, `Choice#default`), Catch handlers
 * (`State#0`) and retriers (`State#0`).
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


/** The categories of goals explore pursues, in report order: coverage's, plus callbacks. */
export const GOAL_CATEGORIES = ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const;

/** One category of goals. */
export type GoalCategory = typeof GOAL_CATEGORIES[number];

/** Every goal of a definition, by category, in definition order. */
export type GoalSet = Record<GoalCategory, readonly string[]>;

/** One state with where it sits. */
export interface StateInfo {
  readonly name: string;
  readonly def: StateDefinition;
  readonly language: QueryLanguage;
  /** The Parallel or Map state whose branch or item processor holds it. */
  readonly container: string | undefined;
  /** For a state inside a Parallel, which branch (0-based). */
  readonly branch: number | undefined;
  /** The StartAt of the (sub-)machine it belongs to. */
  readonly scopeStart: string;
}

/** The states of a definition, nested ones too, in definition order. */
export function machineStates(definition: StateMachineDefinition): Map<string, StateInfo> {
  const out = new Map<string, StateInfo>();
  const top = definition.QueryLanguage ?? DEFAULT_QUERY_LANGUAGE;
  forEachState(definition, (name, def, scope) => {
    out.set(name, { name, def, language: def.QueryLanguage ?? top, container: scope.owner, branch: scope.branch, scopeStart: scope.machine.StartAt });
  });
  return out;
}

/** True for a Task that waits for a callback: `.waitForTaskToken`, or an activity. */
export function isCallback(def: StateDefinition): boolean {
  if (def.Type !== 'Task' || typeof def.Resource !== 'string') return false;
  const r = taskResource(def.Resource);
  return r.pattern === 'waitForTaskToken' || r.kind === 'activity';
}

/** True for a Task with a TimeoutSeconds or HeartbeatSeconds (or their paths, or JSONata forms). */
export function hasTimeout(def: StateDefinition): boolean {
  if (def.Type !== 'Task') return false;
  return def.TimeoutSeconds !== undefined || def.TimeoutSecondsPath !== undefined
    || def.HeartbeatSeconds !== undefined || def.HeartbeatSecondsPath !== undefined;
}

/**
 * Whether a Task may fail with States.HeartbeatTimeout: one with HeartbeatSeconds (or its path)
 * that is an activity (the name the error-handling guide gives a lapsed heartbeat), or a
 * request-response call, whose answer past its heartbeat AWS's pages do not settle (the run
 * advises). A callback (`.waitForTaskToken`) or `.sync` Task whose heartbeats stop fails with
 * States.Timeout instead (recorded: LocalStack's AWS-validated test_heartbeats; the interpreter
 * raises it so, interpreter/states/task.ts), which a Retry or Catch of States.HeartbeatTimeout
 * does not take. A Resource explore cannot read may raise it.
 * @internal
 */
export function heartbeatLapseNamed(def: StateDefinition): boolean {
  if (def.Type !== 'Task' || (def.HeartbeatSeconds === undefined && def.HeartbeatSecondsPath === undefined)) return false;
  return typeof def.Resource !== 'string' || heartbeatLapseError(def.Resource) === StatesErrors.HEARTBEAT_TIMEOUT;
}

/**
 * Whether a Task's own clocks can end it with `error` before the execution's limit: AWS raises
 * States.Timeout once TimeoutSeconds (or HeartbeatSeconds) have passed and
 * States.HeartbeatTimeout once an activity's HeartbeatSeconds have (see heartbeatLapseNamed:
 * a callback's or `.sync` job's lapse is States.Timeout), and a Task with neither has AWS's default of
 * 99,999,999 s, so the execution times out first (the interpreter waits it out: a mocked timeout
 * takes the Task's time). True for every other error.
 */
export function clockAllows(def: StateDefinition, error: string): boolean {
  if (error === StatesErrors.TIMEOUT) return hasTimeout(def);
  if (error === StatesErrors.HEARTBEAT_TIMEOUT) return heartbeatLapseNamed(def);
  return true;
}

/**
 * Every goal explore pursues in a definition, keyed as the coverage
 * reporter keys them: states, transitions `A -> B`, Choice rules `C#0` and
 * `C#default`, catchers `S#0`, retriers `S#0`, and each outcome of a callback
 * Task (`S#success`, `S#failure`, and `S#timeout` where it has a
 * TimeoutSeconds or HeartbeatSeconds).
 */
export function exploreGoals(definition: StateMachineDefinition): GoalSet {
  const items = coverageItems(definition);
  const callbacks: string[] = [];
  for (const [name, s] of allStates(definition)) {
    if (!isCallback(s)) continue;
    callbacks.push(`${name}#success`, `${name}#failure`);
    if (hasTimeout(s)) callbacks.push(`${name}#timeout`);
  }
  return {
    states: items.states,
    transitions: items.transitions,
    choiceRules: items.choices,
    catches: items.catches,
    retries: items.retries,
    callbacks,
  };
}

/** The states a state can go to next: Next, each Choice rule and Default, each Catch. */
export function successorsOf(def: StateDefinition): string[] {
  const out: string[] = [];
  if (typeof def.Next === 'string') out.push(def.Next);
  if (def.Type === 'Choice') {
    for (const r of def.Choices ?? []) if (typeof r.Next === 'string') out.push(r.Next);
    if (typeof def.Default === 'string') out.push(def.Default);
  }
  for (const c of def.Catch ?? []) if (typeof c.Next === 'string') out.push(c.Next);
  return [...new Set(out)];
}

/**
 * The loops of a definition: its strongly connected sets of states (Tarjan),
 * each with more than one state or a state that leads to itself, in
 * definition order.
 */
export function loopsOf(states: ReadonlyMap<string, StateInfo>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of successorsOf(states.get(v)!.def)) {
      if (!states.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const set: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        set.push(w);
      } while (w !== v);
      if (set.length > 1 || successorsOf(states.get(v)!.def).includes(v)) out.push(set);
    }
  };
  for (const name of states.keys()) if (!index.has(name)) visit(name);
  const order = [...states.keys()];
  return out.map((set) => set.sort((a, b) => order.indexOf(a) - order.indexOf(b)))
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
}
