import type { JsonataNode } from './jsonata-ast';
import type { JsonValue } from '../../asl';

/*
 * The kind of value a JSONata expression gives, read from the functions it applies last: a text
 * for `$lowercase(...)`, a list of texts for `$map(tags, $lowercase)` or `$split(...)`, a number
 * for `$count(...)`, a list of the kind of the list it is given for `$distinct`, `$sort`,
 * `$reverse`. A value the search makes up for a field such an expression computes is made of that
 * kind (the lists a `$count($tags) >= 2` wants are lists of texts when `$tags` lower-cases a list),
 * so that the field it is computed from can be given one that gives it. Kinds are those of the
 * functions' signatures (https://docs.jsonata.org/string-functions,
 * https://docs.jsonata.org/numeric-functions, https://docs.jsonata.org/array-functions).
 */

/** Built-ins that give a text. */
const GIVE_TEXT = new Set([
  'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase', 'trim', 'pad', 'join', 'replace',
  'formatNumber', 'formatBase', 'formatInteger', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl',
  'decodeUrlComponent', 'decodeUrl', 'fromMillis', 'now', 'uuid', 'type',
]);
/** Built-ins that give a number. */
const GIVE_NUMBER = new Set([
  'count', 'length', 'sum', 'max', 'min', 'average', 'number', 'abs', 'floor', 'ceil', 'round', 'power', 'sqrt', 'random',
  'millis', 'toMillis', 'parseInteger',
]);
/** Built-ins that give a boolean. */
const GIVE_BOOLEAN = new Set(['boolean', 'not', 'exists', 'contains']);
/** Built-ins that give a list of the items of the list they are given (their first argument). */
const SAME_LIST = new Set(['distinct', 'sort', 'reverse', 'shuffle', 'filter']);

/** The deepest part of an expression read for its kind. */
const MAX_DEPTH = 32;

/**
 * A value of the kind `node` gives (`'x'`, `1`, `true`, `['x']` for a list of texts), or
 * undefined when the expression does not say (a field read as it is, a call of a lambda).
 */
export function givenKind(node: JsonataNode | undefined, depth = 0): JsonValue | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  switch (node.type) {
    case 'string': return 'x';
    case 'number': return 1;
    case 'value': return typeof node.value === 'boolean' ? true : undefined;
    case 'block': {
      const last = Array.isArray(node.expressions) ? node.expressions[node.expressions.length - 1] : undefined;
      return givenKind(last, depth + 1);
    }
    case 'condition': {
      const a = givenKind(node.then, depth + 1);
      const b = givenKind(node.else, depth + 1);
      return a !== undefined && b !== undefined && kindName(a) === kindName(b) ? a : undefined;
    }
    case 'binary':
      if (node.value === '&') return 'x';
      if (['+', '-', '*', '/', '%'].includes(node.value)) return 1;
      if (['=', '!=', '<', '<=', '>', '>=', 'in', 'and', 'or'].includes(node.value)) return true;
      return undefined;
    case 'apply':
      // `list ~> $f(args)` is `$f(list, args)`; `list ~> $f` is `$f(list)`.
      if (node.value !== '~>') return undefined;
      return calledKind(node.rhs, [node.lhs, ...(node.rhs?.type === 'function' ? node.rhs.arguments ?? [] : [])], depth);
    case 'function':
      return calledKind(node, node.arguments ?? [], depth);
    default:
      return undefined;
  }
}

/** The kind a call of the built-in `fn` (a call node or the function's name as a variable) gives with `args`. */
function calledKind(fn: JsonataNode | undefined, args: readonly JsonataNode[], depth: number): JsonValue | undefined {
  const name = fn?.type === 'function' ? (fn.procedure?.type === 'variable' ? fn.procedure.value : undefined) : fn?.type === 'variable' && !fn.predicate ? fn.value : undefined;
  if (typeof name !== 'string') return undefined;
  // An upper-cased text is tried as one: a text made of the kind is then one the function gives back as it is.
  if (name === 'uppercase') return 'X';
  if (GIVE_TEXT.has(name)) return 'x';
  if (GIVE_NUMBER.has(name)) return 1;
  if (GIVE_BOOLEAN.has(name)) return true;
  if (name === 'split') return ['x'];
  if (name === 'keys') return ['x'];
  if (SAME_LIST.has(name)) {
    const list = givenKind(args[0], depth + 1);
    return Array.isArray(list) ? list : undefined;
  }
  if (name === 'map') {
    const item = mappedKind(args[1], depth);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}

/** The kind the function `$map` calls on each item gives: a built-in named (`$lowercase`) or a lambda's body. */
function mappedKind(f: JsonataNode | undefined, depth: number): JsonValue | undefined {
  if (f?.type === 'variable' && !f.predicate) return calledKind(f, [], depth + 1);
  if (f?.type !== 'lambda') return undefined;
  // A lambda's body is wrapped in a thunk of no arguments.
  const body = f.body?.type === 'lambda' && f.body.thunk ? f.body.body : f.body;
  return givenKind(body, depth + 1);
}

function kindName(v: JsonValue): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * `value` made of the kind `kind` gives, where it is a list of another kind of item: a list of as
 * many items of the kind, each different (so that `$distinct` keeps them all). Undefined when it
 * already is of the kind, or when either says nothing of its items.
 */
export function retyped(value: JsonValue | undefined, kind: JsonValue | undefined): JsonValue[] | undefined {
  if (!Array.isArray(value) || !Array.isArray(kind) || kind.length === 0 || value.length === 0) return undefined;
  const item = kind[0];
  if (typeof item !== 'string' && typeof item !== 'number') return undefined;
  if (value.every((v) => typeof v === typeof item)) return undefined;
  return value.map((_, i) => (typeof item === 'string' ? `${item}${i + 1}` : item + i));
}
