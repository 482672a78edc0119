import { FAILS, givenKinds, literalKinds, succeededKinds, type JsonataSite, type Kind, type Kinds } from './jsonata-total';
import type { JsonValue } from '../asl';
import { parseJsonata } from './solve/jsonata-ast';

/*
 * What verify knows of a value, read from the definition alone (verify-data.ts): whether it is
 * surely an object, the paths surely in it, which of them are objects, and what some of them
 * hold; how templates, ResultPaths and reference paths write and read it.
 */

/**
 * What verify knows of a value: `undefined` when no path reaches it yet, `null` when it may be any
 * JSON, or what it surely is: whether it is an object, the paths surely in it (`a`, `a.b`,
 * `a.b[0]`), which of them are surely objects, and what some of them surely hold (the kinds of
 * JSON value a JSONata expression gave them, jsonata-total.ts).
 */
export interface Known {
  readonly object: boolean;
  readonly paths: ReadonlySet<string>;
  readonly objects: ReadonlySet<string>;
  /** The kinds of value of some of `paths`; a path absent here holds any JSON. */
  readonly kinds: ReadonlyMap<string, ReadonlySet<Kind>>;
}
export type Shape = Known | null | undefined;

export const ANY: Shape = null;
const NO_KINDS: ReadonlyMap<string, ReadonlySet<Kind>> = new Map();
export const known = (
  object: boolean, paths: Iterable<string> = [], objects: Iterable<string> = [], kinds: Iterable<readonly [string, ReadonlySet<Kind>]> = [],
): Known => {
  const p = new Set(paths);
  // Kinds are told only of paths surely there.
  const k = new Map([...kinds].filter(([path]) => p.has(path)));
  return { object, paths: p, objects: new Set(objects), kinds: k.size === 0 ? NO_KINDS : k };
};
const both = (a: ReadonlySet<string>, b: ReadonlySet<string>): string[] => [...a].filter((k) => b.has(k));
/** The kinds a path may hold on either of two ways in: told only where both ways tell them. */
const eitherKinds = (a: Known, b: Known): Array<[string, ReadonlySet<Kind>]> =>
  [...a.kinds].filter(([p]) => b.kinds.has(p)).map(([p, k]) => [p, new Set([...k, ...b.kinds.get(p)!])]);
export const meet = (a: Shape, b: Shape): Shape => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a === null || b === null) return null;
  return known(a.object && b.object, both(a.paths, b.paths), both(a.objects, b.objects), eitherKinds(a, b));
};
const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((k) => b.has(k));
const sameKindsOf = (a: Known, b: Known): boolean =>
  a.kinds.size === b.kinds.size && [...a.kinds].every(([p, k]) => b.kinds.has(p) && sameSet(k, b.kinds.get(p)!));
export const same = (a: Shape, b: Shape): boolean =>
  a === b || (!!a && !!b && a.object === b.object && sameSet(a.paths, b.paths) && sameSet(a.objects, b.objects) && sameKindsOf(a, b));
/** A key a path names as one step: one with a '.' or a bracket is not told apart from a path of several. */
export const plainKey = (k: string): boolean => !/[.[\]]/.test(k);

/**
 * How a value written in a definition reads: a JSONPath payload template (a `x.$` key's value is
 * a path, an intrinsic or a variable, any JSON), a literal (a Pass state's Result: every key and
 * value as written), or a JSONata template read where the site says (an expression gives what
 * jsonata-total.ts says, never nothing nor a function: either fails the state).
 */
export type Written = 'jsonPath' | 'literal' | JsonataSite;

/** What a template's field holds once the state did not fail, or undefined when that is not known. */
function writtenKinds(how: Written, key: string, value: JsonValue): ReadonlySet<Kind> | undefined {
  if (how === 'jsonPath' && key.endsWith('.$')) return undefined;
  if (typeof how === 'object' && typeof value === 'string' && value.trim().startsWith('{%')) return succeededKinds(expressionGives(value, how));
  return literalKinds(value);
}

/**
 * A payload template's shape: an object with its fields (`x.$` ones included in JSONPath, where
 * the suffix is cut off), nested literal objects followed, and what each field holds where
 * `valueKinds` says. A key with a '.' or a bracket is left out: a path could not name it alone.
 */
export function objectOf(v: JsonValue | undefined, how: Written): Shape {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return ANY;
  const jsonPath = how === 'jsonPath';
  const paths: string[] = [];
  const objects: string[] = [];
  const kinds: Array<[string, ReadonlySet<Kind>]> = [];
  const walk = (o: { [k: string]: JsonValue }, prefix: string): void => {
    for (const [k, x] of Object.entries(o)) {
      const dynamic = jsonPath && k.endsWith('.$');
      const key = dynamic ? k.slice(0, -2) : k;
      if (!plainKey(key)) continue;
      const name = `${prefix}${key}`;
      paths.push(name);
      const held = writtenKinds(how, k, x);
      if (held !== undefined) kinds.push([name, held]);
      if (!dynamic && x !== null && typeof x === 'object' && !Array.isArray(x)) {
        objects.push(name);
        walk(x, `${name}.`);
      }
    }
  };
  walk(v, '');
  return known(true, paths, objects, kinds);
}

/** Fields of the Lambda invoke envelope AWS always returns (arn:aws:states:::lambda:invoke without payload-only). */
export const LAMBDA_ENVELOPE: Known = known(true, ['Payload']);
/** The error output a Catch passes on: `Error` always, `Cause` only when the error has one. */
export const ERROR_OUTPUT: Known = known(true, ['Error'], [], [['Error', new Set<Kind>(['string'])]]);

/** A reference path as the paths of {@link Known} name it (`$.a.b[0]` is `a.b[0]`, `$` is ''); undefined for one with a filter or a wildcard. */
export function normalize(path: string): string | undefined {
  if (path === '$') return '';
  if (!path.startsWith('$')) return undefined;
  let out = '';
  const step = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['([^'\]]+)'\]|\[(\d+)\]/y;
  let at = 1;
  while (at < path.length) {
    step.lastIndex = at;
    const m = step.exec(path);
    if (!m) return undefined;
    out += m[3] !== undefined ? `[${m[3]}]` : `${out === '' ? '' : '.'}${m[1] ?? m[2]}`;
    at = step.lastIndex;
  }
  return out;
}

/** The proper prefixes of a normalized path: `a`, `a.b` for `a.b[0]`. */
function prefixes(n: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n.length; i++) if ((n[i] === '.' || n[i] === '[') && i > 0) out.push(n.slice(0, i));
  return out;
}

/** Whether a reference path cannot fail on a value of this shape: `$`, the context, or a path the value surely has. */
export function safePath(path: string, shape: Shape): boolean {
  if (path === '$') return true;
  // A field of the execution input read through the context may be absent, as one of the input may; the rest of the context AWS gives.
  if (path.startsWith('$$')) return !/^\$\$\.Execution\.Input[.[]/.test(path);
  const n = normalize(path);
  return n !== undefined && !!shape && shape.paths.has(n);
}

/** The value at a path of a value of this shape. */
export function sub(shape: Shape, path: string): Shape {
  const n = normalize(path);
  if (n === undefined || !shape) return ANY;
  if (n === '') return shape;
  const inside = (p: string): string | undefined =>
    p.startsWith(`${n}.`) ? p.slice(n.length + 1) : p.startsWith(`${n}[`) ? p.slice(n.length) : undefined;
  const strip = (set: ReadonlySet<string>): string[] => [...set].map(inside).filter((p): p is string => p !== undefined);
  const kinds = [...shape.kinds].flatMap(([p, k]) => {
    const q = inside(p);
    return q === undefined ? [] : [[q, k] as [string, ReadonlySet<Kind>]];
  });
  return known(shape.objects.has(n), strip(shape.paths), strip(shape.objects), kinds);
}

/** A ResultPath that cannot fail on an input of this shape: absent, `$`, null, or a path each step before the last of which is surely an object. */
export function safeResultPath(path: string | null | undefined, input: Shape): boolean {
  if (path === undefined || path === null || path === '$') return true;
  const n = normalize(path);
  if (n === undefined || !input || !input.object) return false;
  return prefixes(n).every((p) => input.objects.has(p));
}

/** What a state's ResultPath leaves on success: the result, the input, or the input with the result written into it. */
export function afterResultPath(path: string | null | undefined, input: Shape, result: Shape): Shape {
  if (path === undefined || path === '$') return result;
  if (path === null) return input;
  const n = normalize(path);
  if (n === undefined || n === '') return known(true);
  const outside = (p: string): boolean => p !== n && !p.startsWith(`${n}.`) && !p.startsWith(`${n}[`);
  const paths = input ? [...input.paths].filter(outside) : [];
  const objects = input ? [...input.objects].filter(outside) : [];
  const kinds = input ? [...input.kinds].filter(([p]) => outside(p)) : [];
  // Written, the path's steps before the last are objects (AWS makes the missing ones).
  for (const p of prefixes(n)) {
    paths.push(p);
    objects.push(p);
  }
  paths.push(n);
  if (result) {
    const under = (p: string): string => (p.startsWith('[') ? `${n}${p}` : `${n}.${p}`);
    paths.push(...[...result.paths].map(under));
    objects.push(...[...result.objects].map(under));
    kinds.push(...[...result.kinds].map(([p, k]) => [under(p), k] as [string, ReadonlySet<Kind>]));
    if (result.object) objects.push(n);
  }
  return known(true, paths, objects, kinds);
}

/** What a `{% %}` expression gives where it did not throw ({@link givenKinds}), or FAILS when that is not known. */
export function expressionGives(expression: string, site: JsonataSite): Kinds {
  const t = expression.trim();
  if (!t.startsWith('{%') || !t.endsWith('%}')) return FAILS;
  const parsed = parseJsonata(t.slice(2, -2));
  if ('error' in parsed) return FAILS;
  return givenKinds(parsed.ast, site)(parsed.ast) ?? FAILS;
}
