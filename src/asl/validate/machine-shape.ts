import { checkNumber } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, ptr, show, type MachineModel, type Scope } from './model';
import { AwsLimits } from '../limits';

const STATE_TYPES = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);
const MACHINE_FIELDS = new Set(['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage']);
const BRANCH_FIELDS = new Set(['StartAt', 'States', 'Comment']);
const PROCESSOR_FIELDS = new Set(['StartAt', 'States', 'Comment', 'ProcessorConfig']);

/**
 * The shape of the machine and of every nested machine (Parallel branch, Map
 * processor): StartAt and States present and typed, no unknown fields, each
 * state an object with a known Type. A `QueryLanguage` entry inside States
 * (a common slip) is called out by name, and so is a QueryLanguage on a
 * branch or item processor, which AWS refuses.
 * @internal
 */
export function machineShape(model: MachineModel): Finding[] {
  const out: Finding[] = [];
  for (const scope of model.scopes) checkScope(scope, out);
  const root = model.root;
  out.push(...checkNumber(root, 'TimeoutSeconds', '', { integer: true, min: 1, max: AwsLimits.SECONDS }));
  if ('Version' in root && typeof root.Version !== 'string') {
    out.push(error(C.SCHEMA_VALIDATION_FAILED, '/Version', `Version must be a string such as "1.0", got ${show(root.Version)}`, { kind: 'wrong-type', expected: 'STRING' }));
  }
  return out;
}

function checkScope(scope: Scope, out: Finding[]): void {
  const { node, pointer } = scope;
  const what = scope.kind === 'machine' ? 'The state machine' : scope.kind === 'branch' ? 'A Parallel branch' : 'A Map item processor';
  const allowed = scope.kind === 'machine' ? MACHINE_FIELDS : scope.kind === 'branch' ? BRANCH_FIELDS : PROCESSOR_FIELDS;
  for (const key of Object.keys(node)) {
    if (key === 'QueryLanguage' && scope.kind !== 'machine') {
      // AWS's wording and location (measured): the nested machine object itself.
      const owner = scope.kind === 'branch' ? 'Parallel' : 'Map';
      out.push(error(C.SCHEMA_VALIDATION_FAILED, pointer, `Field 'QueryLanguage' is not supported. States inside ${scope.kind === 'branch' ? 'a branch' : 'an item processor'} inherit the state machine's QueryLanguage; set QueryLanguage on the states inside instead, or on the ${owner} state for its own fields`,
        { kind: 'unsupported-field', field: key, object: pointer }));
    } else if (!allowed.has(key)) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(pointer, key), `${what} has an unknown field '${key}'; allowed fields are ${[...allowed].join(', ')}`,
        { kind: 'unsupported-field', field: key, object: pointer }));
    }
  }
  // States before StartAt: AWS lists the missing fields of a machine in that order ("These fields are required: [States, StartAt]").
  const hasStates = 'States' in node;
  if (!hasStates) out.push(error(C.SCHEMA_VALIDATION_FAILED, pointer || '/', `${what} has no States; add "States": { "<name>": { "Type": ... } }`, { kind: 'required-field', field: 'States' }));
  if (!('StartAt' in node)) out.push(error(C.SCHEMA_VALIDATION_FAILED, pointer || '/', `${what} has no StartAt; add "StartAt": "<name of the first state>"`, { kind: 'required-field', field: 'StartAt' }));
  else if (typeof node.StartAt !== 'string') out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(pointer, 'StartAt'), `StartAt must be a state name (a string), got ${show(node.StartAt)}`, { kind: 'wrong-type', expected: 'STRING' }));
  if (!hasStates) return;
  if (!isObj(node.States)) {
    out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(pointer, 'States'), `States must be an object of states by name, got ${show(node.States)}`, { kind: 'wrong-type', expected: 'OBJECT' }));
    return;
  }
  const statesPtr = ptr(pointer, 'States');
  const states = node.States;
  const names = Object.keys(states);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const s = states[name];
    if (isObj(s) && typeof s.Type === 'string' && STATE_TYPES.has(s.Type)) continue;
    // Only a state with a finding gets its pointer made.
    const at = ptr(statesPtr, name);
    if (!isObj(s)) {
      const hint = name === 'QueryLanguage'
        ? `; QueryLanguage is not a state: move "QueryLanguage": ${show(s)} out of States to the top level of the machine`
        : '; each entry of States is a state object such as { "Type": "Pass", "End": true }';
      out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `State '${name}' must be an object, got ${show(s)}${hint}`, { kind: 'wrong-type', expected: 'OBJECT' }));
      continue;
    }
    if (!('Type' in s)) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `State '${name}' has no Type; add "Type": one of ${[...STATE_TYPES].join(', ')}`, { kind: 'required-field', field: 'Type' }));
    } else if (typeof s.Type !== 'string' || !STATE_TYPES.has(s.Type)) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(at, 'Type'), `State '${name}' has an unknown Type ${show(s.Type)}; use one of ${[...STATE_TYPES].join(', ')}`, { kind: 'unknown-state-type' }));
    }
  }
}
