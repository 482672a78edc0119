import type { JsonValue } from '../asl';
import { patternOf } from './abstract-lattice';
import type { JsonataNode } from './solve/jsonata-ast';

/*
 * What a JSONata node reads, as explore's abstraction of JSONata (abstract-values.ts) keys it:
 * a plain field read, the length of one, a literal. A fact about a read (assume.ts) is kept
 * under these keys, so the evaluator and the facts agree on what "the same read" is.
 */

/** The key of a plain field read (`$states.input.a.b`, `$v.x`, `$v`), or undefined for any other expression. */
export function readKey(node: JsonataNode): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (node.type === 'variable') {
    if (typeof node.value !== 'string' || node.value === '' || node.predicate || node.stages) return undefined;
    return node.value;
  }
  if (node.type !== 'path' || !Array.isArray(node.steps) || node.keepSingletonArray || node.group || node.tuple) return undefined;
  const steps = node.steps as JsonataNode[];
  const first = steps[0];
  if (first?.type !== 'variable' || typeof first.value !== 'string' || first.value === '') return undefined;
  if (first.stages || first.predicate || first.focus || first.index || first.tuple) return undefined;
  const names = [first.value as string];
  for (const s of steps.slice(1)) {
    if (s.type !== 'name' || typeof s.value !== 'string' || s.stages || s.focus || s.index || s.tuple || s.group) return undefined;
    // A name holding a dot or a '#' (`$v.\`a.b\``) would share its key with another read.
    if (/[.#]/.test(s.value)) return undefined;
    names.push(s.value);
  }
  return names.join('.');
}

/**
 * The key of what `$length` gives of a plain read (`v.name#length`), or undefined for another
 * expression: a fact of it holds as long as the read's value is unchanged.
 */
export function lengthKey(node: JsonataNode): string | undefined {
  if (node?.type !== 'function' || node.procedure?.type !== 'variable' || node.procedure.value !== 'length') return undefined;
  const args = node.arguments as JsonataNode[] | undefined;
  if (args?.length !== 1) return undefined;
  const key = readKey(args[0]);
  return key === undefined ? undefined : `${key}#length`;
}

/** The value of a literal number or string, or undefined for another expression. */
export function literalOf(node: JsonataNode): JsonValue | undefined {
  return node?.type === 'number' || node?.type === 'string' ? node.value as JsonValue : undefined;
}

/** The pattern of a literal string or regex (`text`: the string, when it is one), or undefined for another expression. */
export function literalPattern(node: JsonataNode): { readonly pattern: RegExp; readonly text?: string } | undefined {
  if (node?.type === 'string' && typeof node.value === 'string') return { pattern: patternOf(node.value), text: node.value };
  if (node?.type === 'regex' && node.value instanceof RegExp) return { pattern: patternOf(node.value) };
  return undefined;
}
