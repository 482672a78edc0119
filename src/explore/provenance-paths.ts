import type { Computed, Source, Step } from './sources';
import type { Visit } from './visits';
import type { ChoiceRule, JsonValue, StateDefinition } from '../asl';
import { compileChoiceRule } from '../asl/choice';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { compilePath, followSteps, type CompiledPath } from '../asl/path';

/*
 * What Provenance reads of paths and templates without following a run: path steps, a
 * JSONPath that selects (a filter, a slice), whether a template builds anything, and which
 * rule a Choice visit took.
 */

export function startsWith(steps: readonly Step[], prefix: readonly Step[]): boolean {
  if (steps.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (steps[i] !== prefix[i]) return false;
  return true;
}

export function own(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

export function pathOf(text: string): CompiledPath | undefined {
  try {
    return compilePath(text);
  } catch {
    return undefined;
  }
}

/** True when a template holds anything that is not a constant. */
export function hasDynamic(node: JsonValue, jsonata: boolean): boolean {
  if (typeof node === 'string') return jsonata && isJsonataExpression(node);
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((n) => hasDynamic(n, jsonata));
  for (const key of Object.keys(node)) {
    if (!jsonata && key.endsWith('.$')) return true;
    if (hasDynamic(node[key], jsonata)) return true;
  }
  return false;
}

/**
 * A path that ends in a filter on one field (`$.labels[?(@.Name == 'Receipt')]`)
 * or a slice (`$.rows[1:]`): explore can steer what it selects by writing
 * the array it selects from; `follow` gives the source of what a path names.
 */
export function selectingPath(
  expression: string, steps: readonly Step[], where: string, follow: (base: string, steps: readonly Step[]) => Source,
): Source | undefined {
  const slice = /^(.*)\[(\d+):(-?\d*)\]$/.exec(expression.trim());
  const filter = /^(.*)\[\?\(@((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*==\s*(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?)|(true|false|null)|([A-Za-z_][A-Za-z0-9_-]*))\s*\)\]$/.exec(expression.trim());
  const base = slice?.[1] ?? filter?.[1];
  if (base === undefined || !pathOf(base)?.definite) return undefined;
  if (slice && slice[3] !== '') return undefined;
  const source = follow(base, []);
  if (filter && source.kind === 'fixed' && !source.deep && (!source.computed || source.computed.fn === 'Map.results')) {
    // The array is built (a Map's or Parallel's results): its items' fields come from elsewhere, so the filter is steered through the first item's field.
    const m = filter;
    const value: JsonValue = m[3] ?? m[4] ?? (m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? JSON.parse(m[6]) as JsonValue : m[7]);
    const field = m[2].slice(1).split('.');
    const first = follow(base, [0, ...field]);
    if (first.kind !== 'fixed' || first.computed) {
      return {
        kind: 'fixed',
        deep: true,
        reason: `${where} selects it with ${expression}`,
        computed: { fn: 'JSONPath.filterFirst', args: [{ kind: 'source', source: first }], steps, params: { field, value } },
      };
    }
  }
  let params: Computed['params'];
  if (slice) {
    params = { start: Number(slice[2]) };
  } else {
    const m = filter!;
    const value: JsonValue = m[3] ?? m[4] ?? (m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? JSON.parse(m[6]) as JsonValue : m[7]);
    params = { field: m[2].slice(1).split('.'), value };
  }
  return {
    kind: 'fixed',
    deep: true,
    reason: `${where} selects it with ${expression}`,
    computed: { fn: slice ? 'JSONPath.slice' : 'JSONPath.filter', args: [{ kind: 'source', source }], steps, params },
  };
}

/** The rule a Choice visit took (`undefined`: its Default), told by the state it went to (`next`), and by its rules when several lead there. */
export function takenRuleOf(
  v: Visit, def: StateDefinition, language: 'JSONPath' | 'JSONata', next: string | undefined, choices: readonly ChoiceRule[], defaultNext: string | undefined,
): ChoiceRule | undefined {
  const candidates = choices.filter((c) => c.Next === next);
  if (candidates.length === 0) return undefined;
  if (candidates.length === 1 && defaultNext !== next) return candidates[0];
  if (language === 'JSONPath') {
    const ip = def.InputPath;
    let input: JsonValue | undefined = v.input;
    if (ip === null) input = {};
    else if (ip !== undefined && ip !== '$') input = pathOf(ip)?.steps ? followSteps(v.input, pathOf(ip)!.steps!) : undefined;
    if (input !== undefined) {
      for (let i = 0; i < choices.length; i++) {
        try {
          if (compileChoiceRule(choices[i], `/Choices/${i}`)({ input, context: {} })) return choices[i];
        } catch {
          return candidates[0];
        }
      }
      return undefined;
    }
  }
  return candidates[0];
}
