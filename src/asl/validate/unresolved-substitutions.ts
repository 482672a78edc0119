import { ValidationCodes as C, type Finding } from './codes';
import { isObj, NO_FINDINGS, ptr, warning, type MachineModel } from './model';

/** A `${Name}` CloudFormation substitutes; any text between the braces but braces. */
const SUBSTITUTION = /\$\{([^{}]+)\}/;
/** More than this many findings would bury the first: the rest are counted in the last one. */
const MOST = 20;

/**
 * In a definition whose substitutions are made (a template's, `substituted`), a string or a
 * field name that still holds a `${Name}`: CloudFormation leaves any `${...}` that no
 * `DefinitionSubstitutions` entry names as it is, so a misspelt key deploys the text itself (a
 * Lambda FunctionName of `${ChargeFnArn}`, a TableName of `${Table}`), which the service refuses
 * only when the Task runs. A warning (reported with `warnings`): text meant as `${...}` is
 * legal. A Task's Resource is the task-resource rule's.
 * @internal
 */
export function unresolvedSubstitutions(model: MachineModel): readonly Finding[] {
  // Warnings only: a door that drops them (serve's CreateStateMachine) is spared the walk.
  if (!model.options.substituted || !model.options.warnings) return NO_FINDINGS;
  const out: Finding[] = [];
  let more = 0;
  const note = (pointer: string, text: string, what: string): void => {
    const m = SUBSTITUTION.exec(text);
    if (m === null) return;
    if (out.length === MOST) {
      more++;
      return;
    }
    out.push(warning(C.UNRESOLVED_SUBSTITUTION, pointer, `${what} still holds \${${m[1]}}: no substitution replaced it, so the deployed machine `
      + `uses the text as it is; give DefinitionSubstitutions an entry '${m[1]}', or correct the name (text meant as '\${...}' may stay)`));
  };
  // In document order: a field's name, then its value, then the next field.
  const stack: Array<{ readonly value: unknown; readonly pointer: string; readonly key?: string; readonly parent?: string }> = [{ value: model.root, pointer: '' }];
  while (stack.length > 0) {
    const { value, pointer, key, parent } = stack.pop()!;
    if (key !== undefined) note(pointer, key, `The field name '${key}' at ${parent || '/'}`);
    if (typeof value === 'string') {
      note(pointer, value, `The value at ${pointer}`);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], pointer: ptr(pointer, i) });
    } else if (isObj(value)) {
      const task = value.Type === 'Task';
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        if (task && keys[i] === 'Resource') continue;
        stack.push({ value: value[keys[i]], pointer: ptr(pointer, keys[i]), key: keys[i], parent: pointer });
      }
    }
  }
  if (more > 0) out.push(warning(C.UNRESOLVED_SUBSTITUTION, '', `${more} more values still hold a \${...} that no substitution replaced`));
  return out;
}
