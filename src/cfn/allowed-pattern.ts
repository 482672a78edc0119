/**
 * A parameter's `AllowedPattern`, which CloudFormation reads as a Java regular expression that
 * must match the whole value
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html),
 * run on RE2 (re2js): its work grows with the pattern's program times the value's length, never
 * exponentially, so a template's `(a+)+$` cannot freeze a run. Java's backtracking engine would,
 * and JavaScript's too.
 *
 * Only what Java and RE2 read alike is run: a pattern using Java's own syntax (a class union or
 * intersection, `\h`, `\R`, `\Z`, lookaround, a backreference, a possessive quantifier, a POSIX or
 * Java property such as `\p{Alpha}`) is not checked, nor is a value where the two engines differ
 * (`.` and a carriage return, `\b` or `(?i)` and a letter beyond ASCII). Nor is a pattern longer than
 * {@link ALLOWED_PATTERN_MAX_LENGTH}, or a value whose check would take more than
 * {@link ALLOWED_PATTERN_MAX_WORK}: those bounds are stepwright's, not CloudFormation's, so the
 * value goes through unchecked rather than a load CloudFormation would accept being refused.
 */
import type { RE2JS } from 're2js';

/**
 * The longest AllowedPattern stepwright compiles, in characters: compiling is linear in it, and
 * no pattern that checks a value of CloudFormation's 4,096 bytes needs more.
 */
export const ALLOWED_PATTERN_MAX_LENGTH = 16_384;

/**
 * The most work one check of a value may take: the pattern's program size (RE2's instructions)
 * times the value's length plus one. RE2's matching stays within this product.
 */
export const ALLOWED_PATTERN_MAX_WORK = 8_388_608;

/** The pattern as RE2 runs it, and the values on which RE2 and Java read it differently. */
export interface AllowedPattern {
  /** Whether the pattern matches the whole of `text`; undefined where RE2 and Java may disagree, or the check would pass {@link ALLOWED_PATTERN_MAX_WORK}. */
  matches(text: string): boolean | undefined;
}

let re2: typeof import('re2js') | undefined;

/**
 * The pattern compiled, or undefined when it uses syntax Java and RE2 read differently (or RE2
 * cannot read) and so whether a value matches is unknown here, or when it is longer than
 * {@link ALLOWED_PATTERN_MAX_LENGTH} and stepwright does not check it.
 */
export function compileAllowedPattern(source: string): AllowedPattern | undefined {
  if (source.length > ALLOWED_PATTERN_MAX_LENGTH) return undefined;
  const read = javaAsRe2(source);
  if (read === undefined) return undefined;
  let compiled: RE2JS;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to the first template with a pattern
    re2 ??= require('re2js') as typeof import('re2js');
    compiled = re2.RE2JS.compile(read.source);
  } catch {
    return undefined;
  }
  const size = compiled.programSize();
  return {
    matches(text) {
      if (read.dot && /[\r\u0085\u2028\u2029]/.test(text)) return undefined;
      if (read.ascii && /[^\0-\x7f]/.test(text)) return undefined;
      if (size * (text.length + 1) > ALLOWED_PATTERN_MAX_WORK) return undefined;
      return compiled.matches(text);
    },
  };
}

/** RE2's reading of a Java pattern, and which values Java would read otherwise. */
interface Re2Reading {
  readonly source: string;
  /** The pattern has a `.`, which in Java matches no `\r`, U+0085, U+2028 or U+2029 either. */
  readonly dot: boolean;
  /** The pattern has `\b`, `\B` or `(?i)`, whose reading of letters beyond ASCII differs between Java versions and RE2. */
  readonly ascii: boolean;
}

/** Java's `\s`: RE2's lacks the vertical tab. */
const JAVA_SPACE = '\\t\\n\\x0B\\f\\r ';

/** Escapes that mean the same in Java and RE2. */
const SAME_ESCAPES = new Set(['d', 'D', 'w', 'W', 'n', 't', 'f', 'a', 'r', 'A', 'z']);

/**
 * The pattern rewritten for RE2, or undefined where Java reads it in a way RE2 does not. Walks the
 * pattern once; everything not named here is copied as it is.
 */
function javaAsRe2(source: string): Re2Reading | undefined {
  let out = '';
  let dot = false;
  let ascii = false;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const escape = escapeAsRe2(source, i, inClass);
      if (escape === undefined) return undefined;
      if (escape.ascii) ascii = true;
      out += escape.text;
      i = escape.end - 1;
      continue;
    }
    if (inClass) {
      // A nested class is Java's union, `&&` its intersection; RE2 reads both as characters.
      if (c === '[' || (c === '&' && source[i + 1] === '&')) return undefined;
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      let start = i + 1;
      if (source[start] === '^') start++;
      // A `]` first in the class: literal in RE2, an error or a literal in Java depending on its version.
      if (source[start] === ']') return undefined;
      out += source.slice(i, start);
      i = start - 1;
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const group = /^\(\?(?::|<[A-Za-z][A-Za-z0-9]*>|[ims-]*[):])/.exec(source.slice(i, i + 300));
      // Lookaround, atomic groups, Java's flags d, u, x and U: not RE2's or not read alike.
      if (!group) return undefined;
      if (/i/.test(group[0]) && !group[0].startsWith('(?<')) ascii = true;
      out += group[0];
      i += group[0].length - 1;
      continue;
    }
    if (c === '.') dot = true;
    out += c;
  }
  return { source: out, dot, ascii };
}

/** One escape at `source[at]` (a backslash) for RE2, and where it ends; undefined when Java reads it otherwise. */
function escapeAsRe2(source: string, at: number, inClass: boolean): { text: string; end: number; ascii?: boolean } | undefined {
  const c = source[at + 1];
  if (c === undefined) return undefined;
  if (!/[A-Za-z0-9]/.test(c)) return { text: `\\${c}`, end: at + 2 };
  if (SAME_ESCAPES.has(c)) return { text: `\\${c}`, end: at + 2 };
  switch (c) {
    case 's': return { text: inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`, end: at + 2 };
    case 'S': return inClass ? undefined : { text: `[^${JAVA_SPACE}]`, end: at + 2 };
    case 'b': case 'B': return inClass ? undefined : { text: `\\${c}`, end: at + 2, ascii: true };
    case 'x': {
      const m = /^\\x(?:[0-9A-Fa-f]{2}|\{[0-9A-Fa-f]{1,6}\})/.exec(source.slice(at, at + 10));
      return m ? { text: m[0], end: at + m[0].length } : undefined;
    }
    case 'u': {
      const m = /^\\u([0-9A-Fa-f]{4})/.exec(source.slice(at, at + 6));
      return m ? { text: `\\x{${m[1]}}`, end: at + 6 } : undefined;
    }
    case 'p': case 'P': {
      // A Unicode general category (`\pL`, `\p{Lu}`) reads alike; Java's POSIX, java* and In/Is names do not.
      const m = /^\\[pP](?:[A-Z]|\{[A-Z][a-z]?\})/.exec(source.slice(at, at + 7));
      return m ? { text: m[0], end: at + m[0].length } : undefined;
    }
    case 'Q': {
      // Java's quoting: the text up to `\E` (or the end) taken literally.
      const close = source.indexOf('\\E', at + 2);
      const quoted = source.slice(at + 2, close < 0 ? source.length : close);
      return { text: quoted.replace(/[\\^$.|?*+()[\]{}-]/g, (m) => `\\${m}`), end: close < 0 ? source.length : close + 2 };
    }
    default:
      // Backreferences, octal, \h \H \v \V \R \X \Z \G \e \c \k \N: Java's, not RE2's.
      return undefined;
  }
}
