import { RenderError } from './render-error';
import { describeRule } from './rules';
import type { Retrier, StateDefinition, StateType, SubMachine } from '../asl';
import { definitionNotJson } from '../asl/json-value';
import { processorOf } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';

/** The endpoint of the machine's Start node. @internal */
export const START = 'sw_start';
/** The endpoint of the machine's End node. @internal */
export const END = 'sw_end';

/** One state of the definition, at any depth. @internal */
export interface DiagramState {
  /** A diagram-safe id (`s0`, `s1`, ...), stable for a given definition. */
  readonly id: string;
  readonly name: string;
  readonly type: StateType;
  readonly definition: StateDefinition;
  /** The scope (a Parallel branch or a Map's item processor) it sits in; undefined at the top level. */
  readonly scope?: string;
  /** Retry in words, one line per retrier: `retry ×3, backoff 2`. */
  readonly retry: string[];
  /** For Parallel and Map: the scopes its states sit in (one per branch; one for a Map). */
  readonly scopes: string[];
  /** True when the state ends its machine or branch (End, Succeed, Fail). */
  readonly terminal: boolean;
}

/** A Parallel branch or a Map item processor. @internal */
export interface DiagramScope {
  readonly id: string;
  /** The Parallel or Map state it belongs to. */
  readonly owner: string;
  readonly label: string;
  /** The StartAt of the branch or processor. */
  readonly startAt: string;
}

/** What an edge stands for. @internal */
export type EdgeKind = 'start' | 'next' | 'choice' | 'default' | 'catch' | 'end';

/** A transition of the definition. Endpoints are state names, or START / END. @internal */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
  /** The coverage key of the transition (`A -> B`), for next, choice, default and catch edges. */
  readonly transition?: string;
  /** The coverage key of the Choice branch (`A#0`, `A#default`). */
  readonly choice?: string;
  /** The coverage key of the Catch handler (`A#0`). */
  readonly catch?: string;
}

/** A definition as nodes, scopes and edges, shared by every output format. @internal */
export interface DiagramGraph {
  readonly comment?: string;
  /** Every state by name, in definition order (a container before its inner states). */
  readonly states: Map<string, DiagramState>;
  readonly scopes: Map<string, DiagramScope>;
  readonly edges: DiagramEdge[];
  /** Top-level state names, in definition order. */
  readonly top: string[];
  /** State names per scope, in definition order. */
  readonly members: Map<string, string[]>;
}

/** Longest error list, in characters, written out on a Retry line. */
const MAX_RETRY_ERRORS_TEXT = 40;

/** Longest error list written out in full on a Catch edge. */
const MAX_ERRORS_SHOWN = 2;

function errorList(errors: readonly string[]): string {
  if (errors.length <= MAX_ERRORS_SHOWN) return errors.join(', ');
  return `${errors.slice(0, MAX_ERRORS_SHOWN).join(', ')} +${errors.length - MAX_ERRORS_SHOWN}`;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/**
 * One retrier in words: `retry ×3, backoff 2`, with the errors it retries
 * unless it retries everything, and its interval when it is not AWS's 1 s.
 * @internal
 */
export function describeRetrier(r: Retrier): string {
  const attempts = r.MaxAttempts ?? 3;
  const parts = [`retry ×${attempts}`];
  if (attempts > 0) {
    if (r.IntervalSeconds !== undefined && r.IntervalSeconds !== 1) parts.push(`every ${r.IntervalSeconds}s`);
    parts.push(`backoff ${formatNumber(r.BackoffRate ?? 2)}`);
    if (r.MaxDelaySeconds !== undefined) parts.push(`max ${r.MaxDelaySeconds}s`);
  }
  const errors = r.ErrorEquals ?? [];
  const all = errors.length === 1 && errors[0] === StatesErrors.ALL;
  if (all || errors.length === 0) return parts.join(', ');
  // A long list (the CDK's Lambda retrier has five) would swamp the state: count it instead.
  const listed = errors.join(', ');
  return `${parts.join(', ')} on ${listed.length <= MAX_RETRY_ERRORS_TEXT ? listed : `${errors.length} errors`}`;
}

/** The state types of ASL; anything else in a Type cannot be drawn. */
const STATE_TYPES: ReadonlySet<string> = new Set<StateType>(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

/**
 * Deepest nesting of Parallel branches and Map item processors drawn. No
 * real machine comes near it; a definition nested thousands deep (a few
 * hundred kilobytes) would otherwise exhaust the stack of every renderer.
 */
export const MAX_NESTING = 100;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What the renderers draw: a state machine definition as it was read (a file, a template, a
 * recording), whether or not the validator accepts it. A renderer checks what it draws itself and
 * names in a {@link RenderError} what it cannot draw (no `StartAt`, `States` that is not an object,
 * a state with no `Type`, a `Next` that names no state); a `StateMachineDefinition` is one.
 */
export type DrawableDefinition = object;

function checkMachine(m: unknown, where: string): asserts m is SubMachine {
  if (!isObject(m)) throw new RenderError(`${where} is not an object: expected a state machine definition with StartAt and States`);
  if (!isObject(m.States)) throw new RenderError(`${where}.States is ${m.States === undefined ? 'missing' : 'not an object'}: a definition needs States`);
  if (typeof m.StartAt !== 'string') throw new RenderError(`${where}.StartAt is ${m.StartAt === undefined ? 'missing' : `not a string (${JSON.stringify(m.StartAt)})`}`);
}

/**
 * Reads a definition into the diagram's model: every state at any depth,
 * the scopes of Parallel branches and Map item processors, and every
 * transition (Next, Choice rules and Default, Catch, Start and End).
 * Malformed input gets a {@link RenderError} naming where it is.
 * @internal
 */
export function buildGraph(definition: unknown): DiagramGraph {
  checkMachine(definition, 'the definition');
  const states = new Map<string, DiagramState>();
  const scopes = new Map<string, DiagramScope>();
  const members = new Map<string, string[]>();
  const edges: DiagramEdge[] = [];
  const top: string[] = [];
  let counter = 0;

  const visit = (machine: SubMachine, scope: string | undefined, where: string, depth: number): void => {
    const list = scope === undefined ? top : members.get(scope)!;
    for (const [name, raw] of Object.entries(machine.States)) {
      if (!isObject(raw) || typeof raw.Type !== 'string') {
        throw new RenderError(`state '${name}' (${where}.States) has no Type: every state needs "Type": "Task" | "Choice" | ...`);
      }
      if (!STATE_TYPES.has(raw.Type)) {
        throw new RenderError(`state '${name}' (${where}.States) has Type ${JSON.stringify(raw.Type)}, which is not a state type: use ${[...STATE_TYPES].join(', ')}`);
      }
      if ((raw.Type === 'Parallel' || raw.Type === 'Map') && depth >= MAX_NESTING) {
        throw new RenderError(`state '${name}' (${where}.States) is nested ${depth + 1} Parallel or Map states deep; at most ${MAX_NESTING} can be drawn`);
      }
      if (states.has(name)) throw new RenderError(`state name '${name}' is used twice; ASL state names are unique across the whole machine`);
      const def: StateDefinition = raw;
      const id = `s${counter++}`;
      const retry = ('Retry' in def && Array.isArray(def.Retry) ? def.Retry : []).map(describeRetrier);
      const terminal = def.Type === 'Succeed' || def.Type === 'Fail' || ('End' in def && def.End === true);
      const own: string[] = [];
      const state: DiagramState = { id, name, type: def.Type, definition: def, scope, retry, scopes: own, terminal };
      states.set(name, state);
      list.push(name);
      if (def.Type === 'Parallel') {
        (Array.isArray(def.Branches) ? def.Branches : []).forEach((branch, i) => {
          checkMachine(branch, `state '${name}' Branches[${i}]`);
          const sid = `${id}_b${i}`;
          own.push(sid);
          scopes.set(sid, { id: sid, owner: name, label: `Branch ${i + 1}`, startAt: branch.StartAt });
          members.set(sid, []);
          visit(branch, sid, `${where}.States['${name}'].Branches[${i}]`, depth + 1);
        });
      }
      if (def.Type === 'Map') {
        const inner = processorOf(def);
        if (inner !== undefined) {
          checkMachine(inner, `state '${name}' ItemProcessor`);
          const sid = `${id}_items`;
          own.push(sid);
          const distributed = inner.ProcessorConfig?.Mode === 'DISTRIBUTED';
          scopes.set(sid, { id: sid, owner: name, label: distributed ? 'Item processor (distributed)' : 'Item processor', startAt: inner.StartAt });
          members.set(sid, []);
          visit(inner, sid, `${where}.States['${name}'].ItemProcessor`, depth + 1);
        }
      }
    }
  };
  visit(definition, undefined, 'the definition', 0);

  const known = (from: string, field: string, target: unknown): target is string => {
    if (typeof target !== 'string') return false;
    if (!states.has(target)) throw new RenderError(`state '${from}' ${field} names '${target}', which is not a state of the definition`);
    return true;
  };
  edges.push({ from: START, to: definition.StartAt, kind: 'start' });
  if (!states.has(definition.StartAt)) throw new RenderError(`StartAt names '${definition.StartAt}', which is not a state of the definition`);
  for (const s of states.values()) {
    const def = s.definition;
    if (def.Type === 'Choice') {
      (Array.isArray(def.Choices) ? def.Choices : []).forEach((rule, i) => {
        if (!known(s.name, `Choices[${i}].Next`, rule?.Next)) return;
        edges.push({
          from: s.name,
          to: rule.Next!,
          kind: 'choice',
          label: describeRule(rule),
          transition: `${s.name} -> ${rule.Next}`,
          choice: `${s.name}#${i}`,
        });
      });
      if (known(s.name, 'Default', def.Default)) {
        edges.push({ from: s.name, to: def.Default, kind: 'default', label: 'default', transition: `${s.name} -> ${def.Default}`, choice: `${s.name}#default` });
      }
    } else if ('Next' in def && known(s.name, 'Next', def.Next)) {
      edges.push({ from: s.name, to: def.Next!, kind: 'next', transition: `${s.name} -> ${def.Next}` });
    }
    if ('Catch' in def && Array.isArray(def.Catch)) {
      def.Catch.forEach((c, i) => {
        if (!known(s.name, `Catch[${i}].Next`, c?.Next)) return;
        edges.push({
          from: s.name,
          to: c.Next,
          kind: 'catch',
          label: errorList(c.ErrorEquals ?? []),
          transition: `${s.name} -> ${c.Next}`,
          catch: `${s.name}#${i}`,
        });
      });
    }
    if (s.terminal && s.scope === undefined) edges.push({ from: s.name, to: END, kind: 'end' });
  }
  // Each format writes the definition out, recursively (the page's panel, asl-json, asl-yaml): what
  // no JSON parser would hand them is refused as the validator refuses it, never a stack overflow.
  const notJson = definitionNotJson(definition);
  if (notJson !== undefined) {
    throw new RenderError(`the definition is not JSON that Step Functions accepts: it holds ${notJson.problem}${notJson.nesting ? '; flatten nested Parallel and Map states' : ''}`);
  }
  return { ...(typeof definition.Comment === 'string' ? { comment: definition.Comment } : {}), states, scopes, edges, top, members };
}
