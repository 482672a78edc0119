import { ValidationCodes as C, type Finding } from './codes';
import { error, NO_FINDINGS, ptr, show, type MachineModel, type Obj, type StateInfo } from './model';
import { QUERY_LANGUAGES } from '../query-language';

/** Fields that exist only under JSONPath, with what replaces them under JSONata. */
const JSONPATH_ONLY: Record<string, string> = {
  InputPath: 'Arguments or Output',
  OutputPath: 'Output',
  Parameters: 'Arguments',
  ResultSelector: 'Output',
  ResultPath: 'Output (or Assign)',
  ItemsPath: 'Items',
  TimeoutSecondsPath: "TimeoutSeconds: '{% ... %}'",
  HeartbeatSecondsPath: "HeartbeatSeconds: '{% ... %}'",
  SecondsPath: "Seconds: '{% ... %}'",
  TimestampPath: "Timestamp: '{% ... %}'",
  ErrorPath: "Error: '{% ... %}'",
  CausePath: "Cause: '{% ... %}'",
  MaxConcurrencyPath: "MaxConcurrency: '{% ... %}'",
  ToleratedFailurePercentagePath: "ToleratedFailurePercentage: '{% ... %}'",
  ToleratedFailureCountPath: "ToleratedFailureCount: '{% ... %}'",
};
/** Fields that exist only under JSONata, with what replaces them under JSONPath. */
const JSONATA_ONLY: Record<string, string> = {
  Arguments: 'Parameters', Output: 'OutputPath or ResultSelector', Items: 'ItemsPath',
};

/** Checks a QueryLanguage value. */
function checkValue(node: Obj, at: string): readonly Finding[] {
  if (!('QueryLanguage' in node) || node.QueryLanguage === 'JSONPath' || node.QueryLanguage === 'JSONata') return NO_FINDINGS;
  const value = node.QueryLanguage;
  return [error(C.INVALID_QUERY_LANGUAGE, ptr(at, 'QueryLanguage'), `QueryLanguage must be "JSONPath" or "JSONata", got ${show(value)}`,
    typeof value === 'string' ? { kind: 'not-one-of', values: [...QUERY_LANGUAGES] } : { kind: 'wrong-type', expected: 'STRING' })];
}

/**
 * The fields allowed per query language: a JSONata state with Parameters or
 * a JSONPath state with Arguments is an error, and so is a JSONPath state in
 * a machine whose top-level QueryLanguage is JSONata (a DISTRIBUTED Map's
 * processor is a child machine of its own, where JSONPath is allowed). A
 * state that sets JSONPath there is reported for that alone: AWS does not go
 * on to judge its fields by a language it may not use (measured).
 * @internal
 */
export function queryLanguage(state: StateInfo): readonly Finding[] {
  // Runs on every state: a list is made for a finding alone.
  let out: Finding[] | undefined;
  const value = checkValue(state.node, state.pointer);
  if (value.length > 0) out = [...value];
  const { node, name, language } = state;
  if (state.machineLanguage === 'JSONata' && node.QueryLanguage === 'JSONPath') {
    (out ??= []).push(error(C.INVALID_QUERY_LANGUAGE, ptr(state.pointer, 'QueryLanguage'),
      `State '${name}' sets QueryLanguage "JSONPath" inside a JSONata machine; a state can only opt into JSONata, so set the top-level QueryLanguage to "JSONPath" (or leave it out) and set "JSONata" on the states that use it`,
      { kind: 'language-downgrade', object: state.pointer }));
    return out;
  }
  const wrong = language === 'JSONata' ? JSONPATH_ONLY : JSONATA_ONLY;
  for (const key in node) {
    const instead = wrong[key];
    if (instead === undefined || !Object.prototype.hasOwnProperty.call(wrong, key) || !Object.prototype.hasOwnProperty.call(node, key)) continue;
    (out ??= []).push(error(C.INVALID_QUERY_LANGUAGE, ptr(state.pointer, key),
      `State '${name}' uses ${language}, which has no field ${key}; use ${instead}, or set "QueryLanguage": "${language === 'JSONata' ? 'JSONPath' : 'JSONata'}" on the state`,
      { kind: 'other-language-field', field: key, language, object: state.pointer }));
  }
  return out ?? NO_FINDINGS;
}

/**
 * Checks the QueryLanguage value of the machine. (A branch or item processor
 * may not have one at all; machine-shape reports that.) @internal
 */
export function queryLanguageValues(model: MachineModel): readonly Finding[] {
  return checkValue(model.root, '');
}
