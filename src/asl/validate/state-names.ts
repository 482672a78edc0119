import { ValidationCodes as C, type Finding } from './codes';
import { error, ptr, type MachineModel, type Scope } from './model';
import { AwsLimits } from '../limits';


/**
 * State names are unique across the whole machine, Parallel branches and Map
 * processors included, and are 1 to 80 characters long.
 * @internal
 */
export function stateNames(model: MachineModel): Finding[] {
  const out: Finding[] = [];
  // The names of one scope are the keys of one object, so they differ: with a single scope, only their lengths are checked.
  const scopes = model.scopes;
  const first = scopes.length > 1 ? new Map<string, Scope>() : undefined;
  for (let s = 0; s < scopes.length; s++) {
    const scope = scopes[s];
    // Pointers are made for findings alone: a state's is its scope's States and its name.
    scope.names.forEach((name) => {
      const prev = first?.get(name);
      if (prev !== undefined) {
        out.push(error(C.DUPLICATE_STATE_NAME, pointerOf(scope, name), `State name '${name}' is already used at ${pointerOf(prev, name)}; state names must be unique across the whole machine, including Parallel branches and Map processors, so rename one`));
      } else {first?.set(name, scope);}
      if (name.length === 0 || name.length > AwsLimits.NAME_CHARS) {
        out.push(error(C.INVALID_STATE_NAME, pointerOf(scope, name), `State name '${name.length > 40 ? `${name.slice(0, 40)}...` : name}' has ${name.length} characters; a state name has 1 to ${AwsLimits.NAME_CHARS}`));
      }
    });
  }
  return out;
}

function pointerOf(scope: Scope, name: string): string {
  return ptr(ptr(scope.pointer, 'States'), name);
}
