import { ValidationCodes as C, type Finding } from './codes';
import { nearestNames, Speller } from '../spelling';
import { addFindings, error, isObj, NO_FINDINGS, ptr, show, type MachineModel, type Scope, type StateInfo } from './model';

const NO_FLOW = new Set(['Choice', 'Succeed', 'Fail']);

/**
 * Comparisons of a mistyped name with a state name, per scope: each suggestion compares the name
 * with every state name of the scope, and a definition with thousands of broken transitions would
 * otherwise spend minutes on them (10,000 states, each with a mistyped Next: about 0.5 s with this
 * bound). At least one suggestion is made, at most ten; past them, the message says to check the
 * spelling.
 */
const COMPARISONS_PER_SCOPE = 50_000;

/** Per scope, its names to compare with, and the two nearest state names of each mistyped name asked about (two: one may be the state itself). */
const NEAREST = new WeakMap<Scope, { speller: Speller; budget: number; nearest: Map<string, readonly string[]> }>();

/**
 * The state of the scope a transition naming no state most likely meant, other than the state
 * `from` it leaves (a mistyped name reads as a state, never as a loop to itself), or undefined.
 * The transitions rule suggests it, and reachability reads the states behind it as following from
 * the mistake.
 * @internal
 */
export function meantState(scope: Scope, target: string, from?: string): string | undefined {
  let cache = NEAREST.get(scope);
  if (!cache) {
    const budget = Math.min(10, Math.max(1, Math.floor(COMPARISONS_PER_SCOPE / Math.max(1, scope.names.size))));
    NEAREST.set(scope, cache = { speller: new Speller(scope.names), budget, nearest: new Map() });
  }
  let nearest = cache.nearest.get(target);
  if (nearest === undefined) {
    nearest = cache.nearest.size < cache.budget ? nearestNames(target, cache.speller, 2) : [];
    cache.nearest.set(target, nearest);
  }
  return nearest.find((n) => n !== from);
}

/** Where a target is missing from: names the scope it does exist in, if any. */
function missing(model: MachineModel, scope: Scope, field: string, target: unknown, at: string, from: string, self?: string): Finding {
  if (typeof target !== 'string') return error(C.SCHEMA_VALIDATION_FAILED, at, `${from}: ${field} must be a state name (a string), got ${show(target)}`, { kind: 'wrong-type', expected: 'STRING' });
  const elsewhere = model.scopes.find((s) => s !== scope && s.names.has(target));
  const where = scope.kind === 'machine' ? 'at the top level' : scope.kind === 'branch' ? 'in its Parallel branch' : 'in its Map item processor';
  const meant = elsewhere ? undefined : meantState(scope, target, self);
  const hint = elsewhere
    ? `; '${target}' exists at ${elsewhere.pointer || 'the top level'}, but transitions cannot leave or enter a Parallel branch or Map processor`
    : meant !== undefined ? `; did you mean '${meant}'?` : '; check the spelling or add the state';
  return error(C.MISSING_TRANSITION_TARGET, at, `${from}: ${field} '${target}' names no state ${where}${hint}`, { kind: 'missing-target', target });
}

/**
 * StartAt and every Next, Default and Catch target resolve within their own
 * scope (top level, each Parallel branch, each Map processor), and every
 * state that can continue has exactly one of Next and End.
 * @internal
 */
export function transitions(model: MachineModel): Finding[] {
  const out: Finding[] = [];
  const scopes = model.scopes;
  for (let s = 0; s < scopes.length; s++) {
    const scope = scopes[s];
    const start = scope.node.StartAt;
    if (typeof start === 'string' && isObj(scope.node.States) && !scope.names.has(start)) {
      out.push(missing(model, scope, 'StartAt', start, ptr(scope.pointer, 'StartAt'), scope.kind === 'machine' ? 'The state machine' : `The scope at ${scope.pointer}`));
    }
  }
  const states = model.states;
  for (let s = 0; s < states.length; s++) addFindings(out, stateTransitions(states[s], model));
  return out;
}

function stateTransitions(state: StateInfo, model: MachineModel): readonly Finding[] {
  // Runs on every state: the messages, pointers and the list are made only for a finding.
  let out: Finding[] | undefined;
  const { node, pointer } = state;
  if (state.type !== undefined && !NO_FLOW.has(state.type)) {
    const hasNext = Object.hasOwn(node, 'Next');
    const end = node.End;
    if (Object.hasOwn(node, 'End') && typeof end !== 'boolean') {
      (out ??= []).push(error(C.SCHEMA_VALIDATION_FAILED, ptr(pointer, 'End'), `${fromOf(state)}: End must be true or false, got ${show(end)}`, { kind: 'wrong-type', expected: 'BOOLEAN' }));
    } else if (hasNext && end === true) {
      (out ??= []).push(error(C.INVALID_TRANSITION, ptr(pointer, 'End'), `${fromOf(state)} has both Next and End; keep "Next" to continue or "End": true to stop`));
    } else if (!hasNext && end !== true) {
      (out ??= []).push(error(C.INVALID_TRANSITION, pointer, `${fromOf(state)} has neither Next nor "End": true; add one of them`));
    }
    if (hasNext && !resolves(state, node.Next)) (out ??= []).push(missing(model, state.scope, 'Next', node.Next, ptr(pointer, 'Next'), fromOf(state), state.name));
  }
  if (state.type === 'Choice') {
    if (Object.hasOwn(node, 'Default') && !resolves(state, node.Default)) (out ??= []).push(missing(model, state.scope, 'Default', node.Default, ptr(pointer, 'Default'), fromOf(state), state.name));
    if (Array.isArray(node.Choices)) {
      node.Choices.forEach((rule, i) => {
        if (isObj(rule) && Object.hasOwn(rule, 'Next') && !resolves(state, rule.Next)) {
          (out ??= []).push(missing(model, state.scope, 'Next', rule.Next, ptr(ptr(ptr(pointer, 'Choices'), i), 'Next'), fromOf(state), state.name));
        }
      });
    }
  }
  if (Array.isArray(node.Catch)) {
    node.Catch.forEach((c, i) => {
      if (isObj(c) && Object.hasOwn(c, 'Next') && !resolves(state, c.Next)) {
        (out ??= []).push(missing(model, state.scope, 'Next', c.Next, ptr(ptr(ptr(pointer, 'Catch'), i), 'Next'), fromOf(state), state.name));
      }
    });
  }
  return out ?? NO_FINDINGS;
}

/** True when a transition target names a state of the state's own scope. */
function resolves(state: StateInfo, target: unknown): boolean {
  return typeof target === 'string' && state.scope.names.has(target);
}

function fromOf(state: StateInfo): string {
  return `State '${state.name}'`;
}

/**
 * The fields a state's transitions are read from, as a definition's JSON holds them: any value
 * until checked, since the validator reads definitions AWS would refuse.
 * @internal
 */
export interface TransitionFields {
  readonly Next?: unknown;
  readonly Default?: unknown;
  readonly Choices?: unknown;
  readonly Catch?: unknown;
}

/** The states a state can go to next. @internal */
export function successors(node: TransitionFields): string[] {
  const out: string[] = [];
  forEachSuccessor(node, (next) => { out.push(next); });
  return out;
}

/** Calls `f` with each state a state can go to next, in the order {@link successors} lists them, making no list. @internal */
export function forEachSuccessor(node: TransitionFields, f: (next: string) => void): void {
  if (typeof node.Next === 'string') f(node.Next);
  if (typeof node.Default === 'string') f(node.Default);
  if (Array.isArray(node.Choices)) eachNext(node.Choices, f);
  if (Array.isArray(node.Catch)) eachNext(node.Catch, f);
}

function eachNext(list: unknown[], f: (next: string) => void): void {
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (isObj(r) && typeof r.Next === 'string') f(r.Next);
  }
}

/** A state's transition: the name it goes to, and the JSON pointer of the field that names it. @internal */
export interface TransitionTarget {
  readonly target: string;
  readonly location: string;
}

/**
 * The transitions of the state at `pointer` with the fields that name them, as {@link successors}
 * lists them; only for a scope with unreachable states, where the pointers are worth making.
 * @internal
 */
export function transitionTargets(node: TransitionFields, pointer: string): TransitionTarget[] {
  const out: TransitionTarget[] = [];
  if (typeof node.Next === 'string') out.push({ target: node.Next, location: ptr(pointer, 'Next') });
  if (typeof node.Default === 'string') out.push({ target: node.Default, location: ptr(pointer, 'Default') });
  if (Array.isArray(node.Choices)) {
    node.Choices.forEach((r, i) => { if (isObj(r) && typeof r.Next === 'string') out.push({ target: r.Next, location: ptr(ptr(ptr(pointer, 'Choices'), i), 'Next') }); });
  }
  if (Array.isArray(node.Catch)) {
    node.Catch.forEach((c, i) => { if (isObj(c) && typeof c.Next === 'string') out.push({ target: c.Next, location: ptr(ptr(ptr(pointer, 'Catch'), i), 'Next') }); });
  }
  return out;
}
