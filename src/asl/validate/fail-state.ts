import { checkJsonataString, exclusive, intrinsicProblem, pathProblem } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { error, ptr, show, type StateInfo } from './model';

/**
 * A Fail state has at most one of Error and ErrorPath and at most one of
 * Cause and CausePath; Error and Cause are strings (or JSONata expressions),
 * ErrorPath and CausePath reference paths or intrinsic calls.
 * @internal
 */
export function failState(state: StateInfo): Finding[] {
  if (state.type !== 'Fail') return [];
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
      if (v.startsWith('States.')) {
        const problem = intrinsicProblem(v);
        if (problem) out.push(error(C.INVALID_INTRINSIC_FUNCTION, at, `${field} has an invalid intrinsic call ${show(v)}: ${problem}`));
      } else {
        const problem = pathProblem(v, 'reference');
        if (problem) out.push(error(C.INVALID_JSON_PATH, at, `${field} ${show(v)} is not a valid reference path: ${problem}`));
      }
    }
  }
  return out;
}
