import { RE2JS } from 're2js';
import { nativeExec } from './native-regex';

/**
 * The regular-expression engine JSONata is given (its `RegexEngine` option):
 * the linear-time RE2 algorithm (re2js), so a pattern such as `/(a+)+$/`
 * cannot backtrack catastrophically and freeze the process. JSONata calls
 * only `new Engine(regex)`, `lastIndex` and `exec`, which this class
 * provides with RegExp's meaning (UTF-16 indexes, `undefined` for a group
 * that did not take part).
 *
 * RE2 has no backreferences and no lookaround; a pattern that uses them runs
 * on JavaScript's own RegExp, as it does on AWS, in a worker thread that is
 * ended past `NATIVE_REGEX_TIMEOUT_MS` (native-regex.ts), so a
 * catastrophic backtrack fails the expression instead of freezing the process.
 * @internal
 */
export class SafeRegExp {
  public lastIndex = 0;
  private readonly re2: RE2JS | undefined;
  /** The pattern's source and flags for JavaScript's engine, where RE2 cannot run it. */
  private readonly native: { readonly source: string; readonly flags: string } | undefined;

  constructor(regex: RegExp | string, flags?: string) {
    const source = typeof regex === 'string' ? regex : regex.source;
    const allFlags = typeof regex === 'string' ? flags ?? '' : regex.flags;
    const re2 = compileRe2(source, allFlags);
    this.re2 = re2;
    // JSONata's regexes are global: exec starts at lastIndex. The pattern is compiled here too,
    // so that a syntax error is the parse's, as before it is run.
    const globalFlags = allFlags.includes('g') ? allFlags : `${allFlags}g`;
    this.native = re2 === undefined ? { source: new RegExp(source, globalFlags).source, flags: globalFlags } : undefined;
  }

  exec(input: string): RegExpExecArray | null {
    if (this.native !== undefined) {
      const { found, lastIndex } = nativeExec(this.native.source, this.native.flags, input, this.lastIndex);
      this.lastIndex = lastIndex;
      return found === null ? null : execArray(found.groups, found.index, input);
    }
    if (this.lastIndex > input.length) {
      this.lastIndex = 0;
      return null;
    }
    const matcher = this.re2!.matcher(input);
    if (!matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups = matcher.groupCount();
    // A group that took no part in the match is undefined, as in a native exec's answer.
    const found: Array<string | undefined> = [];
    for (let i = 0; i <= groups; i++) {
      const g = matcher.group(i);
      found.push(g === null ? undefined : g);
    }
    this.lastIndex = matcher.end();
    return execArray(found, matcher.start(), input);
  }

  test(input: string): boolean {
    return this.exec(input) !== null;
  }
}

/**
 * Whether a whole string matches `source` (Java's Matcher.matches(), which
 * JSONPath filters' `=~` uses): on RE2, in linear time, where the pattern
 * allows it, as SafeRegExp does. Throws a SyntaxError for a pattern neither
 * engine accepts.
 * @internal
 */
export function wholeStringMatcher(source: string, flags: string): (input: string) => boolean {
  const re2 = compileRe2(source, flags);
  if (re2 !== undefined) return (input) => re2.matches(input);
  const native = new RegExp(`^(?:${source})$`, flags);
  return (input) => nativeExec(native.source, native.flags, input, 0, source).found !== null;
}

/**
 * A match as RegExp's exec gives it (the lib's RegExpExecArray types every element a string;
 * a group that took no part is undefined, and JSONata reads both).
 */
function execArray(groups: ReadonlyArray<string | undefined>, index: number, input: string): RegExpExecArray {
  const result = [...groups] as RegExpExecArray;
  result.index = index;
  result.input = input;
  return result;
}

/** The pattern on RE2, or `undefined` when RE2 cannot run it (a backreference, lookaround). */
function compileRe2(source: string, flags: string): RE2JS | undefined {
  try {
    return RE2JS.compile(RE2JS.translateRegExp(source), re2Flags(flags));
  } catch {
    return undefined;
  }
}

function re2Flags(flags: string): number {
  /* eslint-disable no-bitwise -- RE2JS takes its flags as a bit set */
  let out = 0;
  if (flags.includes('i')) out |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) out |= RE2JS.MULTILINE;
  if (flags.includes('s')) out |= RE2JS.DOTALL;
  /* eslint-enable no-bitwise */
  return out;
}
