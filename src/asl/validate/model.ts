import type { QueryLanguage } from '../definition-types';
import { escapePointerSegment } from '../pointer';
import type { Finding, ValidationCode, ValidateOptions } from './codes';
import { withKind, type FindingKind } from './kinds';
import { DEFAULT_QUERY_LANGUAGE } from '../query-language';

/** A JSON object as the validator sees it: nothing about it is trusted yet. @internal */
export type Obj = Record<string, unknown>;

/** The query language in force for a state. @internal */
export type Language = QueryLanguage;

/**
 * One scope of state names: the top level, a Parallel branch or a Map item
 * processor. Transitions resolve only within their own scope.
 * @internal
 */
export interface Scope {
  /** JSON pointer of the scope object (`''` for the top level). */
  readonly pointer: string;
  readonly node: Obj;
  /** The state objects of the scope by name; states that are not objects are left out. */
  readonly states: ReadonlyMap<string, Obj>;
  /** Every name in `States`, objects or not. */
  readonly names: ReadonlySet<string>;
  /** The scope's own kind, for messages. */
  readonly kind: 'machine' | 'branch' | 'processor';
}

/** One state, with everything a rule needs to judge it. @internal */
export interface StateInfo {
  readonly name: string;
  readonly pointer: string;
  readonly node: Obj;
  readonly type: string | undefined;
  readonly language: Language;
  readonly scope: Scope;
  /**
   * The QueryLanguage of the machine the state belongs to, which decides
   * whether a state may opt into JSONPath: the top level's, or JSONPath for
   * a DISTRIBUTED Map's processor, which runs as a child machine of its own.
   */
  readonly machineLanguage: Language;
}

/** The whole machine, walked once. @internal */
export interface MachineModel {
  readonly root: Obj;
  readonly language: Language;
  readonly scopes: readonly Scope[];
  readonly states: readonly StateInfo[];
  readonly options: Required<ValidateOptions>;
}

/** Escapes one segment of a JSON pointer (RFC 6901). @internal */
export function ptr(base: string, segment: string | number): string {
  return `${base}/${escapePointerSegment(String(segment))}`;
}

/**
 * The answer of a check that found nothing. Shared and frozen: the validator
 * runs every rule on every state, and most find nothing, so a fresh empty array
 * each time was most of what it allocated on a large machine. A caller adds a
 * check's findings to its own list; it never adds to the list a check returns.
 * @internal
 */
export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** Adds a check's findings to `out`; most checks find nothing, and then this does nothing. @internal */
export function addFindings(out: Finding[], found: readonly Finding[]): void {
  for (let i = 0; i < found.length; i++) out.push(found[i]);
}

/** An error finding; `kind` states what it is about, for the API edge to word as AWS does. @internal */
export function error(code: ValidationCode, location: string, message: string, kind?: FindingKind): Finding {
  const finding: Finding = { code, severity: 'error', location, message };
  return kind === undefined ? finding : withKind(finding, kind);
}

/** A warning finding. @internal */
export function warning(code: ValidationCode, location: string, message: string): Finding {
  return { code, severity: 'warning', location, message };
}

/** True for a plain JSON object. @internal */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `JSON.stringify`, shortened for a message. @internal */
export function show(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** The effective query language of a node: its own QueryLanguage, or the inherited one. @internal */
export function languageOf(node: Obj, inherited: Language): Language {
  return node.QueryLanguage === 'JSONata' || node.QueryLanguage === 'JSONPath' ? node.QueryLanguage : inherited;
}

/**
 * Walks a machine into scopes and states. Shape problems (a missing States
 * object, a state that is not an object) are left to the machine-shape rule;
 * the walk simply skips what it cannot follow.
 *
 * States inside a Parallel branch or a Map item processor inherit the
 * top-level machine's QueryLanguage, not their Parallel's or Map's (measured
 * on AWS: a JSONata Map in a JSONPath machine runs its inner states as
 * JSONPath unless they say otherwise). A state's own QueryLanguage wins at
 * any depth.
 * @internal
 */
export function buildModel(root: Obj, options: Required<ValidateOptions>): MachineModel {
  const language = languageOf(root, DEFAULT_QUERY_LANGUAGE);
  const scopes: Scope[] = [];
  const states: StateInfo[] = [];
  const visit = (node: Obj, pointer: string, kind: Scope['kind'], machineLanguage: Language): void => {
    const map = new Map<string, Obj>();
    const names = new Set<string>();
    const scope: Scope = { pointer, node, states: map, names, kind };
    scopes.push(scope);
    if (!isObj(node.States)) return;
    const statesPtr = ptr(pointer, 'States');
    const keys = Object.keys(node.States);
    // Indexed, not for-of: each step of an iterator is an object until V8 optimizes the loop.
    for (let k = 0; k < keys.length; k++) {
      const name = keys[k];
      names.add(name);
      const s = node.States[name];
      if (!isObj(s)) continue;
      map.set(name, s);
      const sp = ptr(statesPtr, name);
      const lang = languageOf(s, language);
      states.push({ name, pointer: sp, node: s, type: typeof s.Type === 'string' ? s.Type : undefined, language: lang, scope, machineLanguage });
      if (s.Type === 'Parallel' && Array.isArray(s.Branches)) {
        s.Branches.forEach((b, i) => { if (isObj(b)) visit(b, ptr(ptr(sp, 'Branches'), i), 'branch', machineLanguage); });
      } else if (s.Type === 'Map') {
        const field = isObj(s.ItemProcessor) ? 'ItemProcessor' : isObj(s.Iterator) ? 'Iterator' : undefined;
        if (field) {
          const processor = s[field] as Obj;
          // A DISTRIBUTED processor runs as a child machine with no
          // QueryLanguage of its own (AWS refuses one there), so JSONPath is
          // its default and its states may opt into JSONPath.
          const distributed = isObj(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
          visit(processor, ptr(sp, field), 'processor', distributed ? 'JSONPath' : machineLanguage);
        }
      }
    }
  };
  visit(root, '', 'machine', language);
  return { root, language, scopes, states, options };
}

/** A rule over the whole machine. @internal */
export type MachineRule = (model: MachineModel) => readonly Finding[];

/** A rule over one state. @internal */
export type StateRule = (state: StateInfo, model: MachineModel) => readonly Finding[];
