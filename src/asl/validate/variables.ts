import { checkDynamicValue, checkJsonataValue, checkPayloadTemplate, type JsonataSite } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, NO_FINDINGS, ptr, show, warning, type Language, type MachineModel, type Obj, StateInfo } from './model';
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

/** Where a variable is first assigned in one scope: the state, and the pointer of the Assign key. */
interface Assigned { readonly state: string; readonly at: string }

/** The variables one state assigns (its own Assign, its Choice rules' and its Catches'), each with where. */
function assignedBy(state: StateInfo): Array<{ name: string; at: string }> {
  const out: Array<{ name: string; at: string }> = [];
  const add = (assign: unknown, at: string): void => {
    if (!isObj(assign)) return;
    for (const key of Object.keys(assign)) {
      const name = state.language === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key;
      out.push({ name, at: ptr(at, key) });
    }
  };
  const { node, pointer } = state;
  if (state.type !== 'Succeed' && state.type !== 'Fail') add(node.Assign, ptr(pointer, 'Assign'));
  for (const field of ['Choices', 'Catch']) {
    const list = node[field];
    if (Array.isArray(list)) list.forEach((item, i) => { if (isObj(item)) add(item.Assign, ptr(ptr(ptr(pointer, field), i), 'Assign')); });
  }
  return out;
}

/** A scope in words: the top level, branch 2 of Parallel 'P', the iterations of Map 'M'. */
function scopeWords(pointer: string): string {
  const m = /\/States\/((?:[^/]|~[01])+)\/(?:Branches\/(\d+)|ItemProcessor|Iterator)$/.exec(pointer);
  if (!m) return pointer === '' ? 'the top level' : pointer;
  const owner = m[1].replace(/~1/g, '/').replace(/~0/g, '~');
  return m[2] !== undefined ? `branch ${Number(m[2]) + 1} of Parallel '${owner}'` : `the iterations of Map '${owner}'`;
}

/**
 * Variable scopes: a variable assigned in a Parallel branch or a Map iteration whose name one of
 * the scopes around it assigns too. AWS's variables page forbids it ("a variable assigned in an
 * inner scope cannot have the same name as one assigned in an outer scope", Variable scope), but
 * neither it nor the API reference says whether CreateStateMachine refuses such a definition, and
 * no recording here shows it; so this is a warning, naming both states, never an error. (The
 * interpreter runs it: the inner scope's value hides the outer one there.)
 * @internal
 */
export function variableScopes(model: MachineModel): readonly Finding[] {
  // Per scope, the first state assigning each name.
  const byScope = new Map<string, Map<string, Assigned>>();
  for (const state of model.states) {
    const pointer = state.scope.pointer;
    for (const { name, at } of assignedBy(state)) {
      let names = byScope.get(pointer);
      if (!names) byScope.set(pointer, names = new Map());
      if (!names.has(name)) names.set(name, { state: state.name, at });
    }
  }
  if (byScope.size < 2) return NO_FINDINGS;
  const out: Finding[] = [];
  for (const [inner, names] of byScope) {
    if (inner === '') continue;
    for (const [name, where] of names) {
      // The nearest scope around this one that assigns the name too.
      let outer: { pointer: string; at: Assigned } | undefined;
      for (const [pointer, others] of byScope) {
        const around = pointer === '' || inner.startsWith(`${pointer}/`);
        const got = around && pointer !== inner ? others.get(name) : undefined;
        if (got && (outer === undefined || pointer.length > outer.pointer.length)) outer = { pointer, at: got };
      }
      if (!outer) continue;
      const owner = /\/Branches\/\d+$/.test(inner) ? 'Parallel' : 'Map';
      out.push(warning(C.VARIABLE_NAME_IN_OUTER_SCOPE, where.at,
        `Variable '${name}' is assigned in state '${where.state}' (${scopeWords(inner)}) and in state '${outer.at.state}' (${scopeWords(outer.pointer)}), `
        + 'a scope around it: AWS\'s variables page says "a variable assigned in an inner scope cannot have the same name as one assigned in an outer scope" '
        + '(https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html#variable-scope); whether AWS refuses the definition when it is created '
        + `is not documented. Rename the one in '${where.state}' (and its reads in ${scopeWords(inner)}); to change the outer one, give the value in the ${owner}'s result and assign it in the ${owner}'s own Assign`));
    }
  }
  return out;
}
