import { ValidationCodes as C, type Finding } from './codes';
import { error, NO_FINDINGS, ptr, show, type StateInfo } from './model';

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const IO = ['InputPath', 'OutputPath', 'Output'];
const FLOW = ['Next', 'End'];
const RESULT = ['ResultPath', 'Parameters', 'ResultSelector', 'Arguments'];
const ERRORS = ['Retry', 'Catch'];

/** The fields each state type accepts, in either query language. */
const FIELDS: Record<string, ReadonlySet<string>> = {
  Pass: new Set([...COMMON, ...IO, ...FLOW, 'Assign', 'ResultPath', 'Parameters', 'Result']),
  Task: new Set([...COMMON, ...IO, ...FLOW, ...RESULT, ...ERRORS, 'Assign', 'Resource', 'TimeoutSeconds', 'TimeoutSecondsPath',
    'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials']),
  Choice: new Set([...COMMON, ...IO, 'Assign', 'Choices', 'Default']),
  Wait: new Set([...COMMON, ...IO, ...FLOW, 'Assign', 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']),
  Succeed: new Set([...COMMON, ...IO]),
  Fail: new Set([...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath']),
  Parallel: new Set([...COMMON, ...IO, ...FLOW, ...RESULT, ...ERRORS, 'Assign', 'Branches']),
  Map: new Set([...COMMON, ...IO, ...FLOW, ...ERRORS, 'Assign', 'ResultPath', 'Parameters', 'ResultSelector',
    'ItemProcessor', 'Iterator', 'ItemsPath', 'Items', 'ItemSelector', 'ItemReader', 'ItemBatcher', 'ResultWriter',
    'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath',
    'ToleratedFailureCount', 'ToleratedFailureCountPath', 'Label']),
};

const REQUIRED: Record<string, readonly string[]> = {
  Task: ['Resource'],
  Choice: ['Choices'],
  Parallel: ['Branches'],
};

/**
 * Unknown fields per state type (a Choice with ResultPath, a Fail with
 * Parameters, a misspelt field) and required fields (Task Resource, Choice
 * Choices, Parallel Branches).
 * @internal
 */
export function stateFields(state: StateInfo): readonly Finding[] {
  // Own entries only: a Type such as 'toString' names no state type (machine-shape reports it), not Object's method.
  const allowed = state.type === undefined || !Object.hasOwn(FIELDS, state.type) ? undefined : FIELDS[state.type];
  if (!allowed) return NO_FINDINGS;
  // Runs on every state: the list is made for a finding alone, and the fields are walked without a list of them.
  let out: Finding[] | undefined;
  const node = state.node;
  for (const key in node) {
    if (allowed.has(key) || !Object.hasOwn(node, key)) continue;
    const hint = key === 'Assign' ? '; Succeed and Fail states cannot assign variables, assign them in the state before'
      : `; a ${state.type} state accepts ${[...allowed].join(', ')}`;
    (out ??= []).push(error(key === 'Assign' ? C.INVALID_ASSIGN : C.SCHEMA_VALIDATION_FAILED, ptr(state.pointer, key),
      `State '${state.name}' (${state.type}) does not accept the field '${key}'${hint}`, { kind: 'unsupported-field', field: key, object: state.pointer }));
  }
  const required = REQUIRED[state.type!];
  if (required !== undefined) {
    for (const key of required) {
      if (!(key in node)) (out ??= []).push(error(C.SCHEMA_VALIDATION_FAILED, state.pointer, `State '${state.name}' (${state.type}) has no ${key}; it is required`, { kind: 'required-field', field: key }));
    }
  }
  if ('Comment' in node && typeof node.Comment !== 'string') {
    (out ??= []).push(error(C.SCHEMA_VALIDATION_FAILED, ptr(state.pointer, 'Comment'), `Comment must be a string, got ${show(node.Comment)}`, { kind: 'wrong-type', expected: 'STRING' }));
  }
  return out ?? NO_FINDINGS;
}
