import type { DomainAnswer } from './domain';
import { show, type Literal, type Op } from './literals';

const buffer = new DataView(new ArrayBuffer(8));

/** The double's bits read as a signed 64-bit integer. */
function bits(x: number): bigint {
  buffer.setFloat64(0, x);
  return buffer.getBigInt64(0);
}

function fromBits(b: bigint): number {
  buffer.setBigInt64(0, b);
  return buffer.getFloat64(0);
}

/**
 * A whole number that orders doubles as they compare: consecutive doubles
 * get consecutive numbers, and `-0` is `0`. The count of doubles in a closed
 * interval is the difference of its ends' ordinals plus one.
 */
export function ordinal(x: number): bigint {
  if (x === 0) return 0n;
  return x > 0 ? bits(x) : -bits(-x);
}

/** The smallest double greater than `x` (`Infinity` after the largest). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  return x > 0 ? fromBits(bits(x) + 1n) : -fromBits(bits(-x) - 1n);
}

/** The largest double less than `x`. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/** A bound of an interval and the literal it comes from. */
export interface Bound<T> {
  readonly value: T;
  readonly strict: boolean;
  readonly lit: Literal;
  /** The bound comes from an equality, so it is a bound on both sides. */
  readonly equals?: boolean;
}

/** A comparison after its literal's polarity is applied: a negative `LessThan 5` is `GreaterThanEquals 5`. */
export type EffectiveOp = Op | 'NotEquals';

/** The comparison a literal enforces on a value of its family. */
export function effectiveOp(op: Op, positive: boolean): EffectiveOp {
  if (positive) return op;
  switch (op) {
    case 'Equals': return 'NotEquals';
    case 'LessThan': return 'GreaterThanEquals';
    case 'GreaterThan': return 'LessThanEquals';
    case 'LessThanEquals': return 'GreaterThan';
    case 'GreaterThanEquals': return 'LessThan';
  }
}

const EFFECTIVE_WORDS: Record<EffectiveOp, string> = {
  Equals: '=', NotEquals: '≠', LessThan: '<', GreaterThan: '>', LessThanEquals: '≤', GreaterThanEquals: '≥',
};

/** `> 100`, `≠ "a"`: what a comparison asks, with its operand written as JSON. */
export function comparisonWords(op: EffectiveOp, operand: unknown): string {
  return `${EFFECTIVE_WORDS[op]} ${show(operand)}`;
}

/**
 * An interval of an ordered domain with points left out, built from
 * comparisons. Generic over numbers, strings and timestamps; `less` orders
 * the domain.
 */
export class Interval<T> {
  lo: Bound<T> | undefined;
  hi: Bound<T> | undefined;
  readonly excluded: Array<{ readonly value: T; readonly lit: Literal }> = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  /** Adds `value op operand`. */
  add(op: EffectiveOp, operand: T, lit: Literal): void {
    switch (op) {
      case 'Equals':
        this.raise(operand, false, lit, true);
        this.lower(operand, false, lit, true);
        break;
      case 'NotEquals': this.excluded.push({ value: operand, lit }); break;
      case 'LessThan': this.lower(operand, true, lit); break;
      case 'LessThanEquals': this.lower(operand, false, lit); break;
      case 'GreaterThan': this.raise(operand, true, lit); break;
      case 'GreaterThanEquals': this.raise(operand, false, lit); break;
    }
  }

  /** Tightens the lower bound. */
  raise(value: T, strict: boolean, lit: Literal, equals = false): void {
    const lo = this.lo;
    const tighter = lo === undefined || this.less(lo.value, value) || (!this.less(value, lo.value) && strict && !lo.strict);
    if (tighter) this.lo = { value, strict, lit, equals };
  }

  /** Tightens the upper bound. */
  lower(value: T, strict: boolean, lit: Literal, equals = false): void {
    const hi = this.hi;
    const tighter = hi === undefined || this.less(value, hi.value) || (!this.less(hi.value, value) && strict && !hi.strict);
    if (tighter) this.hi = { value, strict, lit, equals };
  }

  /** The literals of the bounds, each once. */
  boundLits(): Literal[] {
    const out: Literal[] = [];
    if (this.lo) out.push(this.lo.lit);
    if (this.hi && this.hi.lit !== this.lo?.lit) out.push(this.hi.lit);
    return out;
  }

  /** Words for the bounds, in the order of boundLits. */
  boundWords(display: (v: T) => unknown): string[] {
    const out: string[] = [];
    const { lo, hi } = this;
    if (lo && hi && lo.lit === hi.lit) return [`= ${show(display(lo.value))}`];
    if (lo) out.push(`${lo.equals ? '=' : lo.strict ? '>' : '≥'} ${show(display(lo.value))}`);
    if (hi) out.push(`${hi.equals ? '=' : hi.strict ? '<' : '≤'} ${show(display(hi.value))}`);
    return out;
  }
}

/** Numbers a number may be: the literals that constrain it, and the number it has now. */
export function solveNumber(lits: readonly Literal[], current: unknown, want: number): DomainAnswer<number> {
  const interval = new Interval<number>((a, b) => a < b);
  for (const lit of lits) {
    if (lit.atom.kind !== 'compare') continue;
    interval.add(effectiveOp(lit.atom.op, lit.positive), lit.atom.operand as number, lit);
  }
  const { lo, hi } = interval;
  const min = lo === undefined ? -Number.MAX_VALUE : lo.strict ? nextUp(lo.value) : lo.value;
  const max = hi === undefined ? Number.MAX_VALUE : hi.strict ? nextDown(hi.value) : hi.value;
  if (!(min <= max) || min > Number.MAX_VALUE || max < -Number.MAX_VALUE) {
    return { kind: 'conflict', lits: interval.boundLits(), words: interval.boundWords((v) => v) };
  }
  const excludedInside = new Set<bigint>();
  const excludedLits: Literal[] = [];
  for (const e of interval.excluded) {
    if (e.value >= min && e.value <= max) {
      excludedInside.add(ordinal(e.value));
      excludedLits.push(e.lit);
    }
  }
  const count = ordinal(max) - ordinal(min) + 1n;
  if (count <= BigInt(excludedInside.size)) {
    return {
      kind: 'conflict',
      lits: [...interval.boundLits(), ...excludedLits],
      words: [...interval.boundWords((v) => v), ...excludedLits.map((l) => `≠ ${show((l.atom as { operand: number }).operand)}`)],
    };
  }
  const inside = (x: number): boolean => x >= min && x <= max && !excludedInside.has(ordinal(x));
  const out: number[] = [];
  const seen = new Set<bigint>();
  const offer = (x: number): void => {
    if (out.length >= want || !Number.isFinite(x) || !inside(x)) return;
    const o = ordinal(x);
    if (seen.has(o)) return;
    seen.add(o);
    out.push(x === 0 ? 0 : x);
  };
  if (typeof current === 'number') offer(current);
  const tries = excludedInside.size + want + 1;
  // The simplest numbers first: whole numbers nearest zero.
  if (min <= 0 && max >= 0) {
    offer(0);
    for (let i = 1; i <= tries; i++) { offer(i); offer(-i); }
  } else if (min > 0) {
    let x = Math.ceil(min);
    for (let i = 0; i < tries && x <= max; i++, x = stepUp(x)) offer(x);
  } else {
    let x = Math.floor(max);
    for (let i = 0; i < tries && x >= min; i++, x = -stepUp(-x)) offer(x);
  }
  if (out.length < want) {
    // No whole number fits (or not enough): the shortest decimals near the middle.
    const middle = min / 2 + max / 2;
    for (let digits = 1; digits <= 17; digits++) offer(Number(middle.toPrecision(digits)));
    offer(min);
    offer(max);
  }
  // The interval holds more doubles than are left out, so walking up from min finds one.
  let x = min;
  for (let i = 0; out.length < want && i <= excludedInside.size + want && x <= max; i++, x = nextUp(x)) offer(x);
  return { kind: 'values', values: out };
}

/** The next whole number up; past 2^53 the next double, which is whole too. */
function stepUp(x: number): number {
  const next = x + 1;
  return next === x ? nextUp(x) : next;
}
