import { ValidationCodes as C, type Finding } from './codes';
import { error, has, isObj, ptr, show, type MachineModel, type Scope, type StateInfo } from './model';

const NO_FLOW = new Set(['Choice', 'Succeed', 'Fail']);

/** Where a target is missing from: names the scope it does exist in, if any. */
function missing(model: MachineModel, scope: Scope, field: string, target: unknown, at: string, from: string): Finding {
  if (typeof target !== 'string') return error(C.SCHEMA_VALIDATION_FAILED, at, `${from}: ${field} must be a state name (a string), got ${show(target)}`);
  const elsewhere = model.scopes.find((s) => s !== scope && s.names.has(target));
  const where = scope.kind === 'machine' ? 'at the top level' : scope.kind === 'branch' ? 'in its Parallel branch' : 'in its Map item processor';
  const hint = elsewhere
    ? `; '${target}' exists at ${elsewhere.pointer || 'the top level'}, but transitions cannot leave or enter a Parallel branch or Map processor`
    : '; check the spelling or add the state';
  return error(C.MISSING_TRANSITION_TARGET, at, `${from}: ${field} '${target}' names no state ${where}${hint}`);
}

/**
 * StartAt and every Next, Default and Catch target resolve within their own
 * scope (top level, each Parallel branch, each Map processor), and every
 * state that can continue has exactly one of Next and End.
 * @internal
 */
export function transitions(model: MachineModel): Finding[] {
  const out: Finding[] = [];
  for (const scope of model.scopes) {
    const start = scope.node.StartAt;
    if (typeof start === 'string' && isObj(scope.node.States) && !scope.names.has(start)) {
      out.push(missing(model, scope, 'StartAt', start, ptr(scope.pointer, 'StartAt'), scope.kind === 'machine' ? 'The state machine' : `The scope at ${scope.pointer}`));
    }
  }
  for (const state of model.states) out.push(...stateTransitions(state, model));
  return out;
}

function stateTransitions(state: StateInfo, model: MachineModel): Finding[] {
  const out: Finding[] = [];
  const { node, name, scope, pointer } = state;
  const from = `State '${name}'`;
  const check = (field: string, target: unknown, at: string): void => {
    if (typeof target !== 'string' || !scope.names.has(target)) out.push(missing(model, scope, field, target, at, from));
  };
  if (state.type !== undefined && !NO_FLOW.has(state.type)) {
    const hasNext = has(node, 'Next');
    const end = node.End;
    if (has(node, 'End') && typeof end !== 'boolean') {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(pointer, 'End'), `${from}: End must be true or false, got ${show(end)}`));
    } else if (hasNext && end === true) {
      out.push(error(C.INVALID_TRANSITION, ptr(pointer, 'End'), `${from} has both Next and End; keep "Next" to continue or "End": true to stop`));
    } else if (!hasNext && end !== true) {
      out.push(error(C.INVALID_TRANSITION, pointer, `${from} has neither Next nor "End": true; add one of them`));
    }
    if (hasNext) check('Next', node.Next, ptr(pointer, 'Next'));
  }
  if (state.type === 'Choice') {
    if (has(node, 'Default')) check('Default', node.Default, ptr(pointer, 'Default'));
    if (Array.isArray(node.Choices)) {
      node.Choices.forEach((rule, i) => {
        if (isObj(rule) && has(rule, 'Next')) check('Next', rule.Next, ptr(ptr(ptr(pointer, 'Choices'), i), 'Next'));
      });
    }
  }
  if (Array.isArray(node.Catch)) {
    node.Catch.forEach((c, i) => {
      if (isObj(c) && has(c, 'Next')) check('Next', c.Next, ptr(ptr(ptr(pointer, 'Catch'), i), 'Next'));
    });
  }
  return out;
}

/** The states a state can go to next. @internal */
export function successors(node: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof node.Next === 'string') out.push(node.Next);
  if (typeof node.Default === 'string') out.push(node.Default);
  if (Array.isArray(node.Choices)) for (const r of node.Choices) if (isObj(r) && typeof r.Next === 'string') out.push(r.Next);
  if (Array.isArray(node.Catch)) for (const c of node.Catch) if (isObj(c) && typeof c.Next === 'string') out.push(c.Next);
  return out;
}
