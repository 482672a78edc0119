import { ValidationCodes as C, type Finding } from './codes';
import { error, ptr, type MachineModel } from './model';

/** AWS limits a state name to 80 characters. */
const MAX_NAME_LENGTH = 80;

/**
 * State names are unique across the whole machine, Parallel branches and Map
 * processors included, and are 1 to 80 characters long.
 * @internal
 */
export function stateNames(model: MachineModel): Finding[] {
  const out: Finding[] = [];
  const first = new Map<string, string>();
  for (const scope of model.scopes) {
    const statesPtr = ptr(scope.pointer, 'States');
    for (const name of scope.names) {
      const at = ptr(statesPtr, name);
      const prev = first.get(name);
      if (prev !== undefined) {
        out.push(error(C.DUPLICATE_STATE_NAME, at, `State name '${name}' is already used at ${prev}; state names must be unique across the whole machine, including Parallel branches and Map processors, so rename one`));
      } else {first.set(name, at);}
      if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
        out.push(error(C.INVALID_STATE_NAME, at, `State name '${name.length > 40 ? `${name.slice(0, 40)}...` : name}' has ${name.length} characters; a state name has 1 to ${MAX_NAME_LENGTH}`));
      }
    }
  }
  return out;
}
