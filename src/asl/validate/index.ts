import { bestPractices } from './best-practices';
import { definitionNotJson } from '../json-value';
import { choiceRules } from './choice-rules';
import { ValidationCodes as C, type Finding, type ValidateOptions } from './codes';
import { expressRestrictions } from './express-restrictions';
import { failState } from './fail-state';
import { InvalidDefinitionError } from './invalid-definition-error';
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
import { httpConnection, taskHeaders } from './task-headers';
import { taskResource } from './task-resource';
import { taskState } from './task-state';
import { transitions } from './transitions';
import { unresolvedSubstitutions } from './unresolved-substitutions';
import { variables, variableScopes } from './variables';
import { waitState } from './wait-state';
import { AwsDefaults } from '../aws-defaults';
import type { StateMachineDefinition } from '../definition-types';

export { ValidationCodes } from './codes';
export { InvalidDefinitionError } from './invalid-definition-error';
/** @internal */
export { kindOf } from './kinds';
/** @internal */
export type { FindingKind } from './kinds';
export type { Finding, FindingSeverity, ValidateOptions, ValidationCode } from './codes';

const MACHINE_RULES: readonly MachineRule[] = [
  machineShape, queryLanguageValues, stateNames, transitions, reachability, mapLabels, variableScopes, unresolvedSubstitutions,
];
const STATE_RULES: readonly StateRule[] = [
  stateFields, queryLanguage, ioFields, variables, retryCatch, choiceRules, waitState, failState, taskState,
  taskResource, taskHeaders, httpConnection, expressRestrictions, parallelState, mapState,
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
  return validate(definition, options).findings;
}

/** A definition the validator found no error in: the one way an unknown value becomes a {@link StateMachineDefinition}. */
export interface DefinitionPassed {
  readonly definition: StateMachineDefinition;
  /** Its findings: warnings only. */
  readonly findings: readonly Finding[];
  readonly errors?: undefined;
}

/** A definition the validator refused. */
export interface DefinitionRefused {
  readonly definition?: undefined;
  /** What was checked: the parsed JSON when it was given as text that parses, else the value given. Nothing about it is trusted. */
  readonly value: unknown;
  /** Every finding, errors and warnings, in the validator's order. */
  readonly findings: readonly Finding[];
  /** The error findings, at least one. */
  readonly errors: readonly Finding[];
}

/** What {@link checkDefinition} found. */
export type DefinitionCheck = DefinitionPassed | DefinitionRefused;

/**
 * {@link validateDefinition}, with the definition typed when no finding is an error: a value read
 * from a file, a request or a recording becomes a `StateMachineDefinition` only by passing the
 * validator, never by a cast. JSON text is parsed once, here.
 *
 * @example
 * const check = checkDefinition(JSON.parse(text), { type: 'EXPRESS' });
 * if (check.definition === undefined) throw new InvalidDefinitionError(check.errors);
 * check.definition.StartAt; // typed
 */
export function checkDefinition(definition: unknown, options: ValidateOptions = {}): DefinitionCheck {
  const { root, findings } = validate(definition, options);
  if (passes(root, findings)) return { definition: root, findings };
  return { value: root, findings, errors: findings.filter(isError) };
}

/**
 * {@link checkDefinition}, throwing an {@link InvalidDefinitionError} listing every error finding
 * (each with its location and how to fix it) when the validator refuses the definition.
 * @internal
 */
export function checkedDefinition(definition: unknown, options: ValidateOptions = {}): StateMachineDefinition {
  const check = checkDefinition(definition, options);
  if (check.definition === undefined) throw new InvalidDefinitionError(check.errors);
  return check.definition;
}

function isError(f: Finding): boolean {
  return f.severity === 'error';
}

/** The validator checks every field the definition types name: a value with no error finding is one. */
function passes(_root: unknown, findings: readonly Finding[]): _root is StateMachineDefinition {
  return !findings.some(isError);
}

function validate(definition: unknown, options: ValidateOptions): { readonly root: unknown; readonly findings: Finding[] } {
  const findings = (root: unknown, out: Finding[]) => ({ root, findings: out });
  const opts: Required<ValidateOptions> = {
    type: options.type ?? AwsDefaults.MACHINE_TYPE, warnings: options.warnings ?? true, substituted: options.substituted ?? false,
  };
  let root = definition;
  if (typeof definition === 'string') {
    if (definition.trim() === '') return findings(definition, [error(C.MISSING_DESCRIPTION, '', 'The definition is an empty string; pass the state machine JSON')]);
    try {
      root = JSON.parse(definition);
    } catch (e) {
      return findings(definition, [error(C.INVALID_JSON_DESCRIPTION, '', `The definition is not valid JSON: ${(e as Error).message}; fix the JSON syntax (a missing comma or brace is the usual cause)`)]);
    }
  }
  if (root === undefined || root === null) return findings(root, [error(C.MISSING_DESCRIPTION, '', 'The definition is empty; pass the state machine JSON object')]);
  if (!isObj(root)) return findings(root, [error(C.SCHEMA_VALIDATION_FAILED, '', `The definition must be a JSON object with StartAt and States, got ${Array.isArray(root) ? 'an array' : typeof root}`)]);
  // The rules below walk the definition recursively: refuse what no JSON parser would hand them.
  const notJson = definitionNotJson(root);
  if (notJson?.nesting) {
    return findings(root, [error(C.DEFINITION_TOO_DEEP, '', `The definition is not JSON that Step Functions accepts: it holds ${notJson.problem}; flatten nested Parallel and Map states (a nested state machine can hold the inner part)`)]);
  }
  if (notJson !== undefined) {
    return findings(root, [error(C.INVALID_JSON_DESCRIPTION, '', `The definition is not JSON that Step Functions accepts: it holds ${notJson.problem}; a definition holds JSON values only (numbers within that range, strings, booleans, null, arrays and objects)`)]);
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
  return findings(root, out);
}
