import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, ptr, warning, type MachineModel } from './model';
import { successors } from './transitions';

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
  for (const scope of model.scopes) {
    const start = scope.node.StartAt;
    if (typeof start !== 'string' || !isObj(scope.node.States)) continue;
    const statesPtr = ptr(scope.pointer, 'States');
    let terminal = false;
    for (const node of scope.states.values()) {
      if (node.End === true || node.Type === 'Succeed' || node.Type === 'Fail') terminal = true;
    }
    if (!terminal) {
      const what = scope.kind === 'machine' ? 'the execution' : scope.kind === 'branch' ? 'the Parallel branch' : 'the Map iteration';
      const message = `No state ends ${what}; give one state "End": true or add a Succeed or Fail state`;
      if (scope.kind === 'machine') {
        out.push(error(C.MISSING_END_STATE, statesPtr, message, { kind: 'no-terminal-state' }));
        continue;
      }
      out.push(warning(C.MISSING_END_STATE, statesPtr, `${message} (AWS accepts this definition, but ${what} can only end by failing)`));
    }
    const seen = new Set<string>();
    const queue: string[] = [];
    if (scope.states.has(start)) { seen.add(start); queue.push(start); }
    while (queue.length) {
      const node = scope.states.get(queue.pop()!);
      if (!node) continue;
      for (const next of successors(node)) {
        if (!seen.has(next)) { seen.add(next); queue.push(next); }
      }
    }
    for (const name of scope.names) {
      if (!seen.has(name)) {
        out.push(error(C.UNREACHABLE_STATE, ptr(statesPtr, name), `State '${name}' is not reachable from StartAt '${start}'; link to it with Next, Default or a Catch, or remove it`,
          { kind: 'unreachable-state', state: name }));
      }
    }
  }
  return out;
}
