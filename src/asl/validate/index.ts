import { bestPractices } from './best-practices';
import { describeNonJsonDocument } from '../json-value';
import { choiceRules } from './choice-rules';
import { ValidationCodes as C, type Finding, type ValidateOptions } from './codes';
import { expressRestrictions } from './express-restrictions';
import { failState } from './fail-state';
import { ioFields } from './io-fields';
import { machineShape } from './machine-shape';
import { mapLabels, mapState } from './map-state';
import { addFindings, buildModel, error, isObj, type MachineRule, type StateRule } from './model';
import { parallelState } from './parallel-state';
import { queryLanguage, queryLanguageValues } from './query-language';
import { reachability } from './reachability';
import { retryCatch } from './retry-catch';
import { stateFields } from './state-fields';
import { stateNames } from './state-names';
import { taskResource } from './task-resource';
import { taskState } from './task-state';
import { transitions } from './transitions';
import { variables, variableScopes } from './variables';
import { waitState } from './wait-state';

export { ValidationCodes } from './codes';
export { InvalidDefinitionError } from './invalid-definition-error';
/** @internal */
export { kindOf } from './kinds';
/** @internal */
export type { FindingKind } from './kinds';
export type { Finding, FindingSeverity, ValidateOptions, ValidationCode } from './codes';

const MACHINE_RULES: readonly MachineRule[] = [machineShape, queryLanguageValues, stateNames, transitions, reachability, mapLabels, variableScopes];
const STATE_RULES: readonly StateRule[] = [
  stateFields, queryLanguage, ioFields, variables, retryCatch, choiceRules, waitState, failState, taskState,
  taskResource, expressRestrictions, parallelState, mapState,
];

/**
 * Checks a state machine definition statically, as AWS does when a state
 * machine is created: structure, transitions per scope, names, query-language
 * fields, paths, intrinsic calls, JSONata expressions, Retry/Catch, Choice
 * rules, Wait, Map, Parallel, Task resources, EXPRESS restrictions and
 * variables; plus best-practice warnings.
 *
 * It accepts the parsed definition or its JSON text, never throws on bad
 * input, and returns every finding; the definition is valid when no finding
 * has severity `error`.
 *
 * @example
 * const findings = validateDefinition(definition, { type: 'EXPRESS' });
 * const errors = findings.filter((f) => f.severity === 'error');
 * // [{ code: 'MISSING_TRANSITION_TARGET', location: '/States/Charge/Next', message: ... }]
 */
export function validateDefinition(definition: unknown, options: ValidateOptions = {}): Finding[] {
  const opts: Required<ValidateOptions> = { type: options.type ?? 'STANDARD', warnings: options.warnings ?? true };
  let root = definition;
  if (typeof definition === 'string') {
    if (definition.trim() === '') return [error(C.MISSING_DESCRIPTION, '', 'The definition is an empty string; pass the state machine JSON')];
    try {
      root = JSON.parse(definition);
    } catch (e) {
      return [error(C.INVALID_JSON_DESCRIPTION, '', `The definition is not valid JSON: ${(e as Error).message}; fix the JSON syntax (a missing comma or brace is the usual cause)`)];
    }
  }
  if (root === undefined || root === null) return [error(C.MISSING_DESCRIPTION, '', 'The definition is empty; pass the state machine JSON object')];
  if (!isObj(root)) return [error(C.SCHEMA_VALIDATION_FAILED, '', `The definition must be a JSON object with StartAt and States, got ${Array.isArray(root) ? 'an array' : typeof root}`)];
  // The rules below walk the definition recursively: refuse what no JSON parser would hand them.
  const notJson = describeNonJsonDocument(root);
  if (notJson !== undefined) {
    return [error(C.DEFINITION_TOO_DEEP, '', `The definition is not JSON that Step Functions accepts: it holds ${notJson}; flatten nested Parallel and Map states (a nested state machine can hold the inner part)`)];
  }
  const model = buildModel(root, opts);
  const out: Finding[] = [];
  for (const rule of MACHINE_RULES) addFindings(out, rule(model));
  // Every rule runs on every state, and on most it finds nothing: adding its findings costs nothing then.
  const states = model.states;
  for (let s = 0; s < states.length; s++) {
    const state = states[s];
    for (let r = 0; r < STATE_RULES.length; r++) addFindings(out, STATE_RULES[r](state, model));
    if (opts.warnings) addFindings(out, bestPractices(state));
  }
  return out;
}
