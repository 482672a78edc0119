import { checkDynamicValue, checkJsonataValue, checkPayloadTemplate, type JsonataSite } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, NO_FINDINGS, ptr, show, type Language, type Obj, StateInfo } from './model';
import { AwsLimits } from '../limits';

/**
 * A variable name: no whitespace, '.', '$', brackets or quotes. AWS accepts
 * more than JavaScript identifiers (for example 'top-level'), so only
 * characters that would break a `$name.field` reference are refused.
 */
const VARIABLE_NAME = /^[^\s.$[\]'"(){}]+$/;

/** Checks one Assign block (of a state, a Choice rule or a Catch). @internal */
export function checkAssign(assign: unknown, at: string, language: Language, site: JsonataSite = {}): Finding[] {
  if (!isObj(assign)) {
    return [error(C.INVALID_ASSIGN, at, `Assign must be an object of variable names to values, got ${show(assign)}`)];
  }
  const out: Finding[] = [];
  for (const key of Object.keys(assign)) {
    const kat = ptr(at, key);
    const dynamic = language === 'JSONPath' && key.endsWith('.$');
    const name = dynamic ? key.slice(0, -2) : key;
    if (!VARIABLE_NAME.test(name) || name.length > AwsLimits.NAME_CHARS) {
      out.push(error(C.INVALID_ASSIGN, kat, `Variable name '${name}' is invalid; a variable name has no whitespace, '.', '$', brackets or quotes, and at most ${AwsLimits.NAME_CHARS} characters`));
      continue;
    }
    if (language === 'JSONata' && name === 'states') {
      out.push(error(C.INVALID_ASSIGN, kat, "Variable name 'states' is reserved ($states is the JSONata state context); choose another name"));
    }
    if (dynamic) {
      if (Object.prototype.hasOwnProperty.call(assign, name)) {
        out.push(error(C.INVALID_ASSIGN, kat, `Assign sets '${name}' twice (as '${name}' and '${key}'); keep one of them`));
      }
      out.push(...checkDynamicValue(assign[key], key, at));
    } else if (language === 'JSONPath') {
      checkPayloadTemplate(assign[key], kat, out, at);
    } else {
      checkJsonataValue(assign[key], kat, 'Assign', out, site);
    }
  }
  return out;
}

/**
 * Variables: Assign blocks of states, Choice rules and Catchers are objects
 * with valid variable names and values that parse. (Succeed and Fail states
 * cannot assign; state-fields reports that.)
 * @internal
 */
export function variables(state: StateInfo): readonly Finding[] {
  const { node, pointer, language } = state;
  const assigns = 'Assign' in node && state.type !== 'Succeed' && state.type !== 'Fail';
  const choices = state.type === 'Choice' && Array.isArray(node.Choices);
  // Runs on every state, and most assign nothing: nothing is made for them.
  if (!assigns && !choices && !Array.isArray(node.Catch)) return NO_FINDINGS;
  const out: Finding[] = [];
  if (assigns) out.push(...checkAssign(node.Assign, ptr(pointer, 'Assign'), language));
  const nested = (list: unknown, field: string): void => {
    if (!Array.isArray(list)) return;
    // $states.errorOutput exists only in a Catch entry.
    const site: JsonataSite = { catcher: field === 'Catch' };
    list.forEach((item, i) => {
      if (isObj(item) && 'Assign' in item) out.push(...checkAssign((item as Obj).Assign, ptr(ptr(ptr(pointer, field), i), 'Assign'), language, site));
    });
  };
  if (choices) nested(node.Choices, 'Choices');
  nested(node.Catch, 'Catch');
  return out;
}
