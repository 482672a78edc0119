import { ValidationCodes as C, type Finding } from './codes';
import { withKind } from './kinds';
import { error, isObj, ptr, warning, type MachineModel, type Scope } from './model';
import { forEachSuccessor, meantState, successors, transitionTargets } from './transitions';

/**
 * Every state of a scope is reachable from its StartAt, and some state ends
 * the scope (End: true, Succeed or Fail). AWS refuses a definition with an
 * unreachable state, so this is an error; a StartAt that names no state
 * leaves every state of its scope unreachable, as AWS reports it. AWS checks
 * for a terminal state at the top level only, among all its states, reachable
 * or not, and when there is none it reports that alone, not which states are
 * unreachable (measured). A Parallel branch or Map iteration that can never
 * end is accepted when the machine is created, so there it is a warning
 * (such a branch runs until the execution's limits stop it).
 * @internal
 */
export function reachability(model: MachineModel): Finding[] {
  const out: Finding[] = [];
  // Indexed loops and forEach rather than for-of: this runs once per machine, before V8 optimizes
  // it, where every step of an iterator is an object (10,000 states made megabytes of them).
  const scopes = model.scopes;
  for (let s = 0; s < scopes.length; s++) {
    const scope = scopes[s];
    const start = scope.node.StartAt;
    if (typeof start !== 'string' || !isObj(scope.node.States)) continue;
    let terminal = false;
    scope.states.forEach((node) => {
      if (node.End === true || node.Type === 'Succeed' || node.Type === 'Fail') terminal = true;
    });
    if (!terminal) {
      const what = scope.kind === 'machine' ? 'the execution' : scope.kind === 'branch' ? 'the Parallel branch' : 'the Map iteration';
      const message = `No state ends ${what}; give one state "End": true or add a Succeed or Fail state`;
      if (scope.kind === 'machine') {
        out.push(error(C.MISSING_END_STATE, ptr(scope.pointer, 'States'), message, { kind: 'no-terminal-state' }));
        continue;
      }
      out.push(warning(C.MISSING_END_STATE, ptr(scope.pointer, 'States'), `${message} (AWS accepts this definition, but ${what} can only end by failing)`));
    }
    const seen = reached(scope, start);
    // `seen` holds the names transitions give, states or not: count the states left out.
    let unreachable: string[] | undefined;
    scope.names.forEach((name) => { if (!seen.has(name)) (unreachable ??= []).push(name); });
    if (unreachable === undefined) continue;
    const statesPtr = ptr(scope.pointer, 'States');
    const roots = rootsOf(scope, start, seen);
    for (const name of unreachable) {
      const location = ptr(statesPtr, name);
      const root = roots.get(name);
      const message = root === undefined
        ? `State '${name}' is not reachable from StartAt '${start}'; link to it with Next, Default or a Catch, or remove it`
        : `State '${name}' is not reachable from StartAt '${start}' because of the error at ${root}; fix that one first`;
      out.push(withKind({ code: C.UNREACHABLE_STATE, severity: 'error', location, message, ...(root !== undefined ? { followsFrom: root } : {}) },
        { kind: 'unreachable-state', state: name }));
    }
  }
  return out;
}

/** The names the scope's transitions lead to from `start` (its states, and names that are none). */
function reached(scope: Scope, start: string): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  const reach = (next: string): void => {
    if (!seen.has(next)) { seen.add(next); queue.push(next); }
  };
  if (scope.states.has(start)) reach(start);
  while (queue.length) {
    const node = scope.states.get(queue.pop()!);
    if (node) forEachSuccessor(node, reach);
  }
  return seen;
}

/**
 * Per unreachable state that is so because of another error, the location of that error: a
 * mistyped transition (StartAt, Next, Default, a Choice rule's or a Catch's Next) whose nearest
 * state name would reach it, or else an unreachable state it follows from. A state that nothing
 * else explains (the first of an unreachable stretch, or of an unreachable loop) is a root.
 */
function rootsOf(scope: Scope, start: string, seen: ReadonlySet<string>): Map<string, string> {
  const statesPtr = ptr(scope.pointer, 'States');
  const roots = new Map<string, string>();
  /** Where a transition from `from` leads, reading a mistyped name as the other state it most likely meant (as the transitions rule suggests it). */
  const meant = (target: string, from?: string): string | undefined => (scope.names.has(target) ? target : meantState(scope, target, from));
  const next = (name: string): string[] => {
    const node = scope.states.get(name);
    if (!node) return [];
    const out: string[] = [];
    for (const t of successors(node)) {
      const to = meant(t, name);
      if (to !== undefined) out.push(to);
    }
    return out;
  };
  /** Unreachable states no error explains: each is a root error of its own. */
  const heads = new Set<string>();
  /** Marks, as following from `root`, every unreachable state not yet explained that `from` leads to. */
  const follow = (from: readonly string[], root: string): void => {
    const queue = from.filter((n) => !seen.has(n) && !heads.has(n) && !roots.has(n));
    for (const n of queue) roots.set(n, root);
    while (queue.length) {
      for (const to of next(queue.pop()!)) {
        if (seen.has(to) || heads.has(to) || roots.has(to)) continue;
        roots.set(to, root);
        queue.push(to);
      }
    }
  };
  if (!scope.states.has(start)) {
    const to = meant(start);
    if (to !== undefined) follow([to], ptr(scope.pointer, 'StartAt'));
  }
  for (const name of scope.names) {
    const node = seen.has(name) ? scope.states.get(name) : undefined;
    if (!node) continue;
    for (const t of transitionTargets(node, ptr(statesPtr, name))) {
      if (scope.names.has(t.target)) continue;
      const to = meant(t.target, name);
      if (to !== undefined) follow([to], t.location);
    }
  }
  // What is left: unreachable stretches no error explains. Each begins at a state no other one of them leads to.
  const left = [...scope.names].filter((n) => !seen.has(n) && !roots.has(n));
  const led = new Set(left.flatMap((n) => next(n).filter((to) => to !== n)));
  for (const head of [...left.filter((n) => !led.has(n)), ...left]) {
    if (roots.has(head) || heads.has(head)) continue;
    heads.add(head);
    follow(next(head), ptr(statesPtr, head));
  }
  return roots;
}
