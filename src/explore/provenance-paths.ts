import { filterFields } from './filter-items';
import type { ComputedArg, Source, Step } from './sources';
import type { Visit } from './visits';
import type { ChoiceRule, JsonValue, StateDefinition } from '../asl';
import { compileChoiceRule } from '../asl/choice';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { compilePath, followSteps, splitAtFilter, type CompiledPath } from '../asl/path';

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

/** The most items of an array built elsewhere (a Parallel's branches, a Map's iterations) a filter over it is steered through. */
const MAX_SLOTS = 16;

/**
 * A path that selects with a filter (`$.labels[?(@.Name == Receipt)]`, with a path under each
 * item it selects: `$.fields[?(@.Type.Text == TOTAL)].Value.Text`) or a slice (`$.rows[1:]`):
 * explore can steer what it selects by writing the array it selects from; `follow` gives the
 * source of what a path names. Over an array built elsewhere (a Parallel's or a Map's results),
 * the items are steered through where each one's fields come from.
 */
export function selectingPath(
  expression: string, steps: readonly Step[], where: string, follow: (base: string, steps: readonly Step[]) => Source,
): Source | undefined {
  const reason = `${where} selects it with ${expression}`;
  const slice = /^(.*)\[(\d+):\]$/.exec(expression.trim());
  if (slice) {
    if (!pathOf(slice[1])?.definite) return undefined;
    const source = follow(slice[1], []);
    return { kind: 'fixed', deep: true, reason, computed: { fn: 'JSONPath.slice', args: [{ kind: 'source', source }], steps, params: { start: Number(slice[2]) } } };
  }
  const split = splitAtFilter(expression);
  const rest = split && pathOf(split.rest);
  if (!split || !pathOf(split.base)?.definite || !rest?.definite || rest.root.kind !== 'input' || !rest.steps) return undefined;
  const params = { filter: split.filter, rest: rest.steps };
  const source = follow(split.base, []);
  const fields = filterFields(split.filter);
  if (fields && source.kind === 'fixed' && !source.deep && (!source.computed || source.computed.fn === 'Map.results')) {
    // The array is built: each item's fields come from elsewhere (a branch's, an iteration's), where the filter is steered.
    const args: ComputedArg[] = [];
    let slots = 0;
    for (; slots < MAX_SLOTS; slots++) {
      const item = follow(split.base, [slots]);
      if (item.kind === 'fixed' && item.deep && !item.computed) break;
      for (const under of [...fields, ...(rest.steps.length > 0 ? [rest.steps] : [])]) args.push({ kind: 'source', source: follow(split.base, [slots, ...under]) });
    }
    if (slots > 0) return { kind: 'fixed', deep: true, reason, computed: { fn: 'JSONPath.filterSlots', args, steps, params: { ...params, fields } } };
  }
  return { kind: 'fixed', deep: true, reason, computed: { fn: 'JSONPath.filter', args: [{ kind: 'source', source }], steps, params } };
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
