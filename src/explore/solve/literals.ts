import type { JsonValue } from '../../asl';
import { compileStringMatches } from '../../asl/choice';
import { parseRfc3339Timestamp } from '../../asl/timestamp';

/** The value families a comparison operator reads. */
export type Family = 'numeric' | 'string' | 'timestamp' | 'boolean';

/** The five comparisons each family offers (Boolean: Equals only). */
export type Op = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

/** The type tests of Choice rules. */
export type TypeTest = 'IsNull' | 'IsNumeric' | 'IsString' | 'IsBoolean' | 'IsTimestamp';

/** A StringMatches pattern taken apart: literal segments between the stars. */
export interface Pattern {
  /** The pattern as written. */
  readonly source: string;
  /** The literal pieces, unescaped; one more than the number of stars. */
  readonly segments: readonly string[];
  /** Whether a string matches, exactly as the compiled Choice rule decides. */
  readonly match: (value: string) => boolean;
}

/** What a literal says about the value at its node. */
export type Atom =
  | { readonly kind: 'present' }
  | { readonly kind: 'type'; readonly test: TypeTest }
  | { readonly kind: 'compare'; readonly family: Family; readonly op: Op; readonly operand: JsonValue }
  | { readonly kind: 'matches'; readonly pattern: Pattern }
  /** The node compared with the value at another node (`…Path` operators); `other` is that node's key. */
  | { readonly kind: 'comparePath'; readonly family: Family; readonly op: Op; readonly other: string }
  /** Holds for no value: a `…Path` comparison whose other side makes it impossible (`why` says how). */
  | { readonly kind: 'never'; readonly why: string };

/** Where a literal comes from, for the words of a reason. */
export interface Origin {
  /** Where the rule sits, for example `Choices[1].And[0]`. */
  readonly where: string;
  /** The rule in short, for example `$.total NumericGreaterThan 100`. */
  readonly rule: string;
  /** Whether the rule must be true or false. */
  readonly want: boolean;
}

/**
 * One atomic condition: the atom holds (positive) or does not hold
 * (negative) at a node. Every atom but `present` reads the node, so it needs
 * the node to exist whatever its polarity: AWS fails a rule whose Variable
 * names nothing with States.Runtime instead of calling it false.
 */
export interface Literal {
  /** Key of the node (see nodeKey). */
  readonly node: string;
  readonly atom: Atom;
  readonly positive: boolean;
  readonly origin: Origin;
}

/** The longest value text a reason quotes before it cuts the rest. */
const SHOW_LIMIT = 80;

/** A value as JSON text for a reason, cut short (with `…`) past {@link SHOW_LIMIT} characters. */
export function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > SHOW_LIMIT ? `${text.slice(0, SHOW_LIMIT - 1)}…` : text;
}

/** A list for a reason, cut after `limit` items with how many more there are. */
export function listed(items: readonly string[], separator: string, limit = 6): string {
  const shown = items.slice(0, limit).join(separator);
  return items.length > limit ? `${shown}${separator}and ${items.length - limit} more` : shown;
}

/** Splits a StringMatches pattern; `undefined` for a pattern the rule compiler refuses. */
export function parsePattern(source: string): Pattern | undefined {
  const match = compileStringMatches(source);
  if (typeof match !== 'function') return undefined;
  // The compiler accepted it, so every backslash escapes a star or a backslash.
  const segments: string[] = [];
  let current = '';
  let from = 0;
  for (const m of source.matchAll(/\\[\\*]|\*/g)) {
    current += source.slice(from, m.index);
    from = m.index! + m[0].length;
    if (m[0] === '*') {
      segments.push(current);
      current = '';
    } else {
      current += m[0][1];
    }
  }
  segments.push(current + source.slice(from));
  return { source, segments, match };
}

/** The operand a family compares, or `undefined` for a value of another type (such a comparison is false). */
export function coerce(family: Family, value: JsonValue): number | string | boolean | bigint | undefined {
  switch (family) {
    case 'numeric': return typeof value === 'number' ? value : undefined;
    case 'string': return typeof value === 'string' ? value : undefined;
    case 'boolean': return typeof value === 'boolean' ? value : undefined;
    case 'timestamp': return typeof value === 'string' ? instantOf(value) : undefined;
  }
}

/** Nanoseconds since the epoch of an RFC 3339 timestamp as Choice rules parse it, or `undefined`. */
export function instantOf(text: string): bigint | undefined {
  const parsed = parseRfc3339Timestamp(text);
  return parsed === undefined ? undefined : BigInt(parsed.seconds) * 1_000_000_000n + BigInt(parsed.nanos);
}

/** `left op right` for two operands of one family (strings compare UTF-16 code units, as Java does). */
export function compareOperands<T extends number | string | boolean | bigint>(op: Op, left: T, right: T): boolean {
  switch (op) {
    case 'Equals': return left === right;
    case 'LessThan': return left < right;
    case 'GreaterThan': return left > right;
    case 'LessThanEquals': return left <= right;
    case 'GreaterThanEquals': return left >= right;
  }
}

/** Whether a type test holds for a value that exists. */
export function typeHolds(test: TypeTest, value: JsonValue): boolean {
  switch (test) {
    case 'IsNull': return value === null;
    case 'IsNumeric': return typeof value === 'number';
    case 'IsString': return typeof value === 'string';
    case 'IsBoolean': return typeof value === 'boolean';
    case 'IsTimestamp': return typeof value === 'string' && parseRfc3339Timestamp(value) !== undefined;
  }
}

/**
 * Whether a literal holds for the value at its node (`undefined`: the node
 * does not exist) and, for `…Path` atoms, the value at the other node. A
 * literal that reads a node that does not exist does not hold in either
 * polarity: the rule would fail the execution.
 */
export function holds(lit: Literal, value: JsonValue | undefined, other?: JsonValue): boolean {
  const atom = lit.atom;
  if (atom.kind === 'present') return (value !== undefined) === lit.positive;
  if (value === undefined || atom.kind === 'never') return false;
  return atomHolds(atom, value, other) === lit.positive;
}

function atomHolds(atom: Exclude<Atom, { kind: 'present' } | { kind: 'never' }>, value: JsonValue, other: JsonValue | undefined): boolean | undefined {
  switch (atom.kind) {
    case 'type': return typeHolds(atom.test, value);
    case 'matches': return typeof value === 'string' && atom.pattern.match(value);
    case 'compare': {
      const left = coerce(atom.family, value);
      const right = coerce(atom.family, atom.operand);
      return left !== undefined && right !== undefined && compareOperands(atom.op, left, right);
    }
    case 'comparePath': {
      if (other === undefined) return undefined;
      const left = coerce(atom.family, value);
      const right = coerce(atom.family, other);
      return left !== undefined && right !== undefined && compareOperands(atom.op, left, right);
    }
  }
}

/** `op` with its sides swapped: `a < b` is `b > a`. */
export function swapOp(op: Op): Op {
  switch (op) {
    case 'LessThan': return 'GreaterThan';
    case 'GreaterThan': return 'LessThan';
    case 'LessThanEquals': return 'GreaterThanEquals';
    case 'GreaterThanEquals': return 'LessThanEquals';
    case 'Equals': return 'Equals';
  }
}

const OP_WORDS: Record<Op, string> = {
  Equals: '=', LessThan: '<', GreaterThan: '>', LessThanEquals: '≤', GreaterThanEquals: '≥',
};
const NEGATED_OP_WORDS: Record<Op, string> = {
  Equals: '≠', LessThan: '≥', GreaterThan: '≤', LessThanEquals: '>', GreaterThanEquals: '<',
};
const FAMILY_NOUNS: Record<Family, string> = { numeric: 'a number', string: 'a string', timestamp: 'a timestamp', boolean: 'a boolean' };

/** What a literal demands of its node, in a few words (`a number > 100`, `absent`, `not null`). */
export function describeDemand(lit: Literal, otherText?: string): string {
  const atom = lit.atom;
  switch (atom.kind) {
    case 'never': return atom.why;
    case 'present': return lit.positive ? 'present' : 'absent';
    case 'type': {
      const noun = { IsNull: 'null', IsNumeric: 'a number', IsString: 'a string', IsBoolean: 'a boolean', IsTimestamp: 'a timestamp' }[atom.test];
      return lit.positive ? noun : `present and not ${noun}`;
    }
    case 'matches': return lit.positive ? `a string matching ${show(atom.pattern.source)}` : `present and not a string matching ${show(atom.pattern.source)}`;
    case 'compare': {
      const operand = show(atom.operand);
      if (atom.family === 'boolean') return lit.positive ? operand : `present and not ${operand}`;
      return lit.positive
        ? `${FAMILY_NOUNS[atom.family]} ${OP_WORDS[atom.op]} ${operand}`
        : `present and not ${FAMILY_NOUNS[atom.family]} ${OP_WORDS[atom.op]} ${operand} (so ${NEGATED_OP_WORDS[atom.op]} ${operand} if ${FAMILY_NOUNS[atom.family]})`;
    }
    case 'comparePath': {
      const other = otherText ?? 'the other path';
      if (atom.family === 'boolean') return lit.positive ? `a boolean equal to ${other}` : `present and not a boolean equal to ${other}`;
      return lit.positive
        ? `${FAMILY_NOUNS[atom.family]} ${OP_WORDS[atom.op]} ${other}`
        : `present and not ${FAMILY_NOUNS[atom.family]} ${OP_WORDS[atom.op]} ${other}`;
    }
  }
}

/** Where a literal comes from, in words: `Choices[0] ($.total NumericGreaterThan 100) is true`. */
export function describeOrigin(origin: Origin): string {
  return `${origin.where} (${origin.rule}) is ${origin.want}`;
}
