import type { JsonValue } from '../definition-types';
import { compilePath, PathSyntaxError, type CompiledPath } from '../path';
import { IntrinsicSyntaxError } from './syntax-error';

/** A literal argument: a string in single quotes, a number, `true`, `false` or `null`. @internal */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
  /**
   * For a string literal, its text split at each `{}` that was not escaped
   * (`\{`, `\}`), so that States.Format can tell placeholders from braces
   * the author escaped. One more part than there are placeholders.
   */
  readonly formatParts?: readonly string[];
}

/** A path argument: `$`, `$.a`, `$$.Execution.Id`, `$var.field`. @internal */
export interface PathNode {
  readonly kind: 'path';
  readonly source: string;
  readonly path: CompiledPath;
}

/** A nested call: `States.Name(arg, ...)`. @internal */
export interface CallNode {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly IntrinsicNode[];
  /** The text of the call as written, for error messages. */
  readonly source: string;
}

/** @internal */
export type IntrinsicNode = LiteralNode | PathNode | CallNode;

const NAME = /States\.[A-Za-z0-9]+/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const KEYWORD = /(?:true|false|null)/y;
const ESCAPABLE = new Set(["'", '{', '}', '\\']);
/**
 * How deep calls may nest: far beyond any real use, and low enough that the
 * parser's recursion (and the evaluator's) never runs out of stack, so that a
 * definition nesting thousands of calls is refused as a definition error, not
 * an internal one.
 */
export const MAX_CALL_DEPTH = 100;

/**
 * Parses an intrinsic function call into a tree, once, at compile time.
 * @throws IntrinsicSyntaxError naming the position and what was expected
 * @internal
 */
export function parseIntrinsic(expression: string): CallNode {
  const parser = new Parser(expression);
  return parser.parseTop();
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly src: string) {}

  parseTop(): CallNode {
    this.skipSpace();
    if (!this.src.startsWith('States.', this.pos)) this.fail("a call starts with 'States.'");
    const call = this.parseCall();
    this.skipSpace();
    if (this.pos < this.src.length) this.fail(`unexpected '${this.src.slice(this.pos)}' after the closing ')'`);
    return call;
  }

  private parseCall(): CallNode {
    if (++this.depth > MAX_CALL_DEPTH) this.fail(`calls are nested more than ${MAX_CALL_DEPTH} deep at position ${this.pos + 1}`);
    const call = this.parseCallBody();
    this.depth--;
    return call;
  }

  private parseCallBody(): CallNode {
    const start = this.pos;
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.src);
    if (!m) this.fail('expected a function name such as States.Format');
    const name = m[0];
    this.pos += name.length;
    this.skipSpace();
    if (this.src[this.pos] !== '(') this.fail(`expected '(' after ${name}`);
    this.pos++;
    const args: IntrinsicNode[] = [];
    this.skipSpace();
    if (this.src[this.pos] === ')') {
      this.pos++;
      return { kind: 'call', name, args, source: this.src.slice(start, this.pos) };
    }
    for (;;) {
      this.skipSpace();
      args.push(this.parseArgument(name, args.length + 1));
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === ')') { this.pos++; break; }
      if (c === undefined) this.fail(`missing ')' to close ${name}(`);
      this.fail(`expected ',' or ')' after argument ${args.length} of ${name}, found '${c}'`);
    }
    return { kind: 'call', name, args, source: this.src.slice(start, this.pos) };
  }

  private parseArgument(fn: string, index: number): IntrinsicNode {
    const c = this.src[this.pos];
    if (c === "'") return this.parseString(fn, index);
    if (c === '$') return this.parsePath(fn, index);
    if (this.src.startsWith('States.', this.pos)) return this.parseCall();
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = this.pos;
      const m = NUMBER.exec(this.src);
      if (!m) this.fail(`argument ${index} of ${fn} is not a valid number`);
      this.pos += m[0].length;
      this.expectDelimiter(fn, index);
      return { kind: 'literal', value: Number(m[0]) };
    }
    KEYWORD.lastIndex = this.pos;
    const k = KEYWORD.exec(this.src);
    if (k) {
      this.pos += k[0].length;
      this.expectDelimiter(fn, index);
      return { kind: 'literal', value: k[0] === 'null' ? null : k[0] === 'true' };
    }
    if (c === undefined) this.fail(`missing argument ${index} of ${fn} and ')'`);
    if (c === ',' || c === ')') this.fail(`argument ${index} of ${fn} is empty`);
    return this.fail(`argument ${index} of ${fn} must be a 'string', a number, true, false, null, a path or a call; found '${this.src.slice(this.pos, this.pos + 20)}'`);
  }

  /** After a number or keyword only a separator may follow (`1x`, `truex` are errors). */
  private expectDelimiter(fn: string, index: number): void {
    const c = this.src[this.pos];
    if (c !== undefined && c !== ',' && c !== ')' && !isSpace(c)) {
      this.fail(`argument ${index} of ${fn} has unexpected '${c}' at position ${this.pos + 1}`);
    }
  }

  private parseString(fn: string, index: number): LiteralNode {
    const parts: string[] = [];
    let text = '';
    let i = this.pos + 1;
    for (;;) {
      const c = this.src[i];
      if (c === undefined) this.fail(`unterminated string in argument ${index} of ${fn}`);
      if (c === "'") break;
      if (c === '\\') {
        const next = this.src[i + 1];
        if (next === undefined || !ESCAPABLE.has(next)) {
          this.fail(`argument ${index} of ${fn} has an open escape '\\${next ?? ''}'; only \\', \\{, \\} and \\\\ are escapes`);
        }
        text += next;
        i += 2;
        continue;
      }
      if (c === '{' && this.src[i + 1] === '}') {
        parts.push(text);
        text = '';
        i += 2;
        continue;
      }
      text += c;
      i++;
    }
    parts.push(text);
    this.pos = i + 1;
    return { kind: 'literal', value: parts.join('{}'), formatParts: parts };
  }

  private parsePath(fn: string, index: number): PathNode {
    const start = this.pos;
    let depth = 0;
    let quote: string | undefined;
    let i = this.pos;
    for (; i < this.src.length; i++) {
      const c = this.src[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') {quote = c;} else if (c === '[' || c === '(') {depth++;} else if ((c === ']' || c === ')') && depth > 0) {depth--;} else if (depth === 0 && (c === ',' || c === ')' || isSpace(c))) {break;}
    }
    const source = this.src.slice(start, i);
    this.pos = i;
    try {
      return { kind: 'path', source, path: compilePath(source) };
    } catch (e) {
      if (e instanceof PathSyntaxError) this.fail(`argument ${index} of ${fn} is not a valid path: ${e.message}`);
      throw e;
    }
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && isSpace(this.src[this.pos])) this.pos++;
  }

  private fail(reason: string): never {
    throw new IntrinsicSyntaxError(this.src, reason);
  }
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** The value of a literal node, for compile-time checks. @internal */
export function literalValue(node: IntrinsicNode): JsonValue | undefined {
  return node.kind === 'literal' ? node.value : undefined;
}
