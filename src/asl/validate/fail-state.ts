import { checkJsonataString, exclusive, intrinsicDoubts, intrinsicProblem, pathProblem } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { error, NO_FINDINGS, ptr, show, type StateInfo } from './model';

/**
 * The intrinsics a Fail state's ErrorPath and CausePath may call: those that return a string
 * (developer guide, "Fail workflow state", CausePath and ErrorPath).
 */
const STRING_INTRINSICS = new Set([
  'States.Format', 'States.JsonToString', 'States.ArrayGetItem', 'States.Base64Encode', 'States.Base64Decode', 'States.Hash', 'States.UUID',
]);

/**
 * A Fail state has at most one of Error and ErrorPath and at most one of
 * Cause and CausePath; Error and Cause are strings (or JSONata expressions),
 * ErrorPath and CausePath reference paths or intrinsic calls.
 * @internal
 */
export function failState(state: StateInfo): readonly Finding[] {
  if (state.type !== 'Fail') return NO_FINDINGS;
  const { node, pointer } = state;
  const out = [...exclusive(node, 'Error', 'ErrorPath', pointer), ...exclusive(node, 'Cause', 'CausePath', pointer)];
  for (const field of ['Error', 'Cause']) {
    if (!(field in node)) continue;
    const v = node[field];
    const at = ptr(pointer, field);
    if (typeof v !== 'string') out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `${field} must be a string, got ${show(v)}`));
    else if (state.language === 'JSONata') out.push(...checkJsonataString(v, at, field));
  }
  if (state.language === 'JSONPath') {
    for (const field of ['ErrorPath', 'CausePath']) {
      if (!(field in node)) continue;
      const v = node[field];
      const at = ptr(pointer, field);
      if (typeof v !== 'string') {
        out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `${field} must be a reference path or an intrinsic call, got ${show(v)}`));
        continue;
      }
      const call = v.trimEnd();
      if (call.startsWith('States.')) {
        const problem = intrinsicProblem(call);
        const name = /^States\.[A-Za-z0-9]+/.exec(call)?.[0];
        if (problem) {out.push(error(C.INVALID_INTRINSIC_FUNCTION, at, `${field} has an invalid intrinsic call ${show(v)}: ${problem}`));} else if (name !== undefined && !STRING_INTRINSICS.has(name)) {
          out.push(error(C.INVALID_INTRINSIC_FUNCTION, at, `${field} calls ${name}, which does not return a string; a Fail state's ${field} accepts only ${[...STRING_INTRINSICS].join(', ')}`));
        } else {
          out.push(...intrinsicDoubts(call, at, field));
        }
      } else {
        const problem = pathProblem(v, 'reference');
        if (problem) out.push(error(C.INVALID_JSON_PATH, at, `${field} ${show(v)} is not a valid reference path: ${problem}`));
      }
    }
  }
  return out;
}
