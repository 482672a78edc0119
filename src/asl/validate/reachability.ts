import { ValidationCodes as C, type Finding } from './codes';
import { error, ptr, type MachineModel } from './model';
import { successors } from './transitions';

/**
 * Every state of a scope is reachable from its StartAt, and some reachable
 * state ends the scope (End: true, Succeed or Fail). AWS refuses a
 * definition with an unreachable state, so this is an error.
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
      out.push(error(C.MISSING_END_STATE, statesPtr, `No state reachable from StartAt '${start}' ends ${scope.kind === 'machine' ? 'the execution' : scope.kind === 'branch' ? 'the Parallel branch' : 'the Map iteration'}; give one state "End": true or add a Succeed or Fail state`));
    }
  }
  return out;
}
