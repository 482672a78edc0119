import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, NO_FINDINGS, ptr, show, type StateInfo } from './model';

/**
 * A Parallel state's Branches is a non-empty array of nested machines
 * (objects with StartAt and States; machine-shape checks their insides).
 * @internal
 */
export function parallelState(state: StateInfo): readonly Finding[] {
  if (state.type !== 'Parallel' || !('Branches' in state.node)) return NO_FINDINGS;
  const at = ptr(state.pointer, 'Branches');
  const branches = state.node.Branches;
  if (!Array.isArray(branches) || branches.length === 0) {
    return [error(C.SCHEMA_VALIDATION_FAILED, at, `Branches of Parallel state '${state.name}' must be a non-empty array of { "StartAt", "States" } objects, got ${show(branches)}`)];
  }
  const out: Finding[] = [];
  branches.forEach((b, i) => {
    if (!isObj(b)) out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(at, i), `Branch ${i} of Parallel state '${state.name}' must be an object with StartAt and States, got ${show(b)}`));
  });
  return out;
}
