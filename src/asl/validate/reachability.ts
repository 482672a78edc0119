import { ValidationCodes as C, type Finding } from './codes';
import { error, ptr, warning, type MachineModel } from './model';
import { successors } from './transitions';

/**
 * Every state of a scope is reachable from its StartAt, and some reachable
 * state ends the scope (End: true, Succeed or Fail). AWS refuses a
 * definition with an unreachable state, so this is an error. AWS checks for a
 * terminal state at the top level only: a Parallel branch or Map iteration
 * that can never end is accepted when the machine is created, so there it is
 * a warning (such a branch runs until the execution's limits stop it).
 * @internal
 */
export function reachability(model: MachineModel): Finding[] {
  const out: Finding[] = [];
  for (const scope of model.scopes) {
    const start = scope.node.StartAt;
    if (typeof start !== 'string' || !scope.states.has(start)) continue;
    const seen = new Set<string>([start]);
    const queue = [start];
    let terminal = false;
    while (queue.length) {
      const node = scope.states.get(queue.pop()!);
      if (!node) continue;
      if (node.End === true || node.Type === 'Succeed' || node.Type === 'Fail') terminal = true;
      for (const next of successors(node)) {
        if (!seen.has(next)) { seen.add(next); queue.push(next); }
      }
    }
    const statesPtr = ptr(scope.pointer, 'States');
    for (const name of scope.names) {
      if (!seen.has(name)) {
        out.push(error(C.UNREACHABLE_STATE, ptr(statesPtr, name), `State '${name}' is not reachable from StartAt '${start}'; link to it with Next, Default or a Catch, or remove it`));
      }
    }
    if (!terminal) {
      const what = scope.kind === 'machine' ? 'the execution' : scope.kind === 'branch' ? 'the Parallel branch' : 'the Map iteration';
      const message = `No state reachable from StartAt '${start}' ends ${what}; give one state "End": true or add a Succeed or Fail state`;
      out.push(scope.kind === 'machine'
        ? error(C.MISSING_END_STATE, statesPtr, message)
        : warning(C.MISSING_END_STATE, statesPtr, `${message} (AWS accepts this definition, but ${what} can only end by failing)`));
    }
  }
  return out;
}
