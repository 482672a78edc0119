import { checkJsonataValue, checkNumber, checkPathField } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, NO_FINDINGS, ptr, show, type Obj, type StateInfo } from './model';
import { AwsLimits } from '../limits';

/**
 * What to do with an IntervalSeconds out of range. The States Language says a positive integer,
 * and AWS's answer to 0 (which Step Functions Local accepts, and aws-cdk-lib renders for
 * `Duration.seconds(0)`) is not recorded: docs/fidelity.md says what was searched.
 */
const INTERVAL_HINT = 'the States Language requires a positive integer, so keep IntervalSeconds at 1 or more; '
  + 'for fast retries in tests keep 1: a harness run waits on its virtual clock, and serve --time-scale shortens the wait';

const RETRIER_FIELDS = new Set(['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment']);
const CATCHER_FIELDS = new Set(['ErrorEquals', 'Next', 'ResultPath', 'Output', 'Assign', 'Comment']);
const ALL = 'States.ALL';

/** ErrorEquals: a non-empty array of strings; States.ALL alone and in the last rule. */
function checkErrorEquals(rule: Obj, at: string, last: boolean, kind: string): Finding[] {
  const eat = ptr(at, 'ErrorEquals');
  if (!('ErrorEquals' in rule)) {
    return [error(C.SCHEMA_VALIDATION_FAILED, at, `A ${kind} has no ErrorEquals; add "ErrorEquals": ["States.ALL"] or the error names to match`, { kind: 'required-field', field: 'ErrorEquals' })];
  }
  const list = rule.ErrorEquals;
  if (!Array.isArray(list)) return [error(C.SCHEMA_VALIDATION_FAILED, eat, `ErrorEquals must be an array of error names, got ${show(list)}`)];
  if (list.length === 0) return [error(C.INVALID_ERROR_EQUALS, eat, `ErrorEquals of a ${kind} is empty; list at least one error name, such as "States.ALL"`)];
  const out: Finding[] = [];
  list.forEach((e, i) => {
    if (typeof e !== 'string') out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(eat, i), `ErrorEquals entries are error names (strings), got ${show(e)}`));
  });
  if (list.includes(ALL)) {
    if (list.length > 1) out.push(error(C.INVALID_ERROR_EQUALS, eat, `'States.ALL' must stand alone in ErrorEquals (got ${list.map(String).join(', ')}); move the other names to an earlier ${kind}`));
    if (!last) out.push(error(C.INVALID_ERROR_EQUALS, eat, `'States.ALL' must be in the last ${kind}, since it matches every error and the ones after it never would; move this ${kind} to the end`));
  }
  return out;
}

function unknownFields(rule: Obj, at: string, allowed: ReadonlySet<string>, kind: string): Finding[] {
  const out: Finding[] = [];
  for (const key of Object.keys(rule)) {
    if (!allowed.has(key)) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(at, key), `A ${kind} does not accept the field '${key}'; allowed fields are ${[...allowed].join(', ')}`,
        { kind: 'unsupported-field', field: key, object: at }));
    }
  }
  return out;
}

/**
 * Retry and Catch are well formed: ErrorEquals non-empty with States.ALL
 * alone and last; MaxAttempts ≥ 0, IntervalSeconds ≥ 1, BackoffRate ≥ 1,
 * MaxDelaySeconds ≥ 1, JitterStrategy FULL or NONE; a Catch has a Next and
 * a ResultPath (JSONPath) or Output (JSONata) that parses.
 * @internal
 */
export function retryCatch(state: StateInfo): readonly Finding[] {
  const { node, pointer } = state;
  if (!('Retry' in node) && !('Catch' in node)) return NO_FINDINGS;
  const out: Finding[] = [];
  for (const field of ['Retry', 'Catch'] as const) {
    if (!(field in node)) continue;
    const list = node[field];
    const at = ptr(pointer, field);
    const kind = field === 'Retry' ? 'retrier' : 'catcher';
    if (!Array.isArray(list)) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `${field} must be an array of ${kind}s, got ${show(list)}`));
      continue;
    }
    list.forEach((rule, i) => {
      const rat = ptr(at, i);
      if (!isObj(rule)) {
        out.push(error(C.SCHEMA_VALIDATION_FAILED, rat, `Each ${kind} must be an object, got ${show(rule)}`));
        return;
      }
      out.push(...unknownFields(rule, rat, field === 'Retry' ? RETRIER_FIELDS : CATCHER_FIELDS, kind));
      out.push(...checkErrorEquals(rule, rat, i === list.length - 1, kind));
      if (field === 'Retry') {
        out.push(...checkNumber(rule, 'IntervalSeconds', rat, { integer: true, min: 1, max: AwsLimits.SECONDS, hint: INTERVAL_HINT }));
        out.push(...checkNumber(rule, 'MaxAttempts', rat, { integer: true, min: 0, max: AwsLimits.SECONDS }));
        out.push(...checkNumber(rule, 'BackoffRate', rat, { min: 1 }));
        out.push(...checkNumber(rule, 'MaxDelaySeconds', rat, { integer: true, min: 1, max: AwsLimits.MAX_DELAY_SECONDS }));
        if ('JitterStrategy' in rule && rule.JitterStrategy !== 'FULL' && rule.JitterStrategy !== 'NONE') {
          out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(rat, 'JitterStrategy'), `JitterStrategy must be "FULL" or "NONE", got ${show(rule.JitterStrategy)}`,
            typeof rule.JitterStrategy === 'string' ? { kind: 'not-one-of', values: ['FULL', 'NONE'] } : { kind: 'wrong-type', expected: 'STRING' }));
        }
      } else {
        if (!('Next' in rule)) out.push(error(C.SCHEMA_VALIDATION_FAILED, rat, 'A catcher has no Next; name the state to go to when the error is caught', { kind: 'required-field', field: 'Next' }));
        if (state.language === 'JSONPath') {
          out.push(...checkPathField(rule, 'ResultPath', rat, 'result', true));
          if ('Output' in rule) {
            out.push(error(C.INVALID_QUERY_LANGUAGE, ptr(rat, 'Output'), `State '${state.name}' uses JSONPath, so a catcher takes ResultPath, not Output`,
              { kind: 'other-language-field', field: 'Output', language: 'JSONPath', object: rat }));
          }
        } else {
          if ('ResultPath' in rule) {
            out.push(error(C.INVALID_QUERY_LANGUAGE, ptr(rat, 'ResultPath'), `State '${state.name}' uses JSONata, so a catcher takes Output, not ResultPath`,
              { kind: 'other-language-field', field: 'ResultPath', language: 'JSONata', object: rat }));
          }
          if ('Output' in rule) checkJsonataValue(rule.Output, ptr(rat, 'Output'), 'Output', out, { catcher: true });
        }
      }
    });
  }
  return out;
}
