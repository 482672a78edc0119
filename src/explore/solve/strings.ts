import type { DomainAnswer, WorkBudget } from './domain';
import { holds, instantOf, listed, show, type Literal, type Pattern } from './literals';
import { comparisonWords, effectiveOp, Interval } from './numbers';
import { DAY, EARLIEST, formatInstant, LATEST, SECOND } from './timestamps';

/** How many candidate strings one node may try before it answers `unknown`. */
const CANDIDATE_BUDGET = 600;
/** The longest run of an interval's strings that is listed one by one to prove it empty. */
const ENUMERATION_LIMIT = 64;
/** Pieces put between the fixed parts of a pattern to steer a candidate away from excluded strings. */
const FILLERS = ['', 'a', 'x', '0', ' ', 'z', 'ab', '-', '\u0000', '\uffff'];

/** The smallest string above every string that starts with `prefix`, or `undefined` when there is none. */
function prefixUpper(prefix: string): string | undefined {
  let p = prefix;
  while (p.length > 0 && p.charCodeAt(p.length - 1) === 0xffff) p = p.slice(0, -1);
  if (p === '') return undefined;
  return p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1);
}

function isPrefixCompatible(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

function isSuffixCompatible(a: string, b: string): boolean {
  return a.endsWith(b) || b.endsWith(a);
}

/** A conflict among some literals, each with what it asks of a string. */
function conflict(pairs: ReadonlyArray<readonly [Literal, string]>): DomainAnswer<string> {
  const lits: Literal[] = [];
  const words: string[] = [];
  for (const [lit, word] of pairs) {
    if (lits.includes(lit)) continue;
    lits.push(lit);
    words.push(word);
  }
  return { kind: 'conflict', lits, words };
}

/** What a literal asks of a string, in words. */
function stringWords(lit: Literal): string {
  const atom = lit.atom;
  switch (atom.kind) {
    case 'matches': return `${lit.positive ? 'matches' : 'does not match'} ${show(atom.pattern.source)}`;
    case 'type': return lit.positive ? 'a timestamp' : 'not a timestamp';
    case 'compare':
      if (atom.family === 'timestamp') return `${lit.positive ? '' : 'not '}a timestamp ${comparisonWords(atom.op, atom.operand)}`;
      return comparisonWords(effectiveOp(atom.op, lit.positive), atom.operand);
    default: return 'as required';
  }
}

/**
 * Strings a node may be, given its literals: StringEquals and the order
 * comparisons, StringMatches (positive and negative), timestamps (IsTimestamp
 * and the Timestamp comparisons). Contradictions are proved only where the
 * proof is exact (an equality that another literal refuses, an empty
 * interval of strings or instants, patterns that cannot start or end alike, a
 * negative pattern that matches whatever a positive one does); anything else
 * is a search over candidates built from the literals, checked one by one,
 * and `unknown` when none fits.
 */
export function solveString(lits: readonly Literal[], current: unknown, want: number, budget: WorkBudget): DomainAnswer<string> {
  const ok = (s: string): boolean => {
    budget.spend(lits.length + Math.ceil(s.length / 64));
    return lits.every((lit) => lit.atom.kind === 'comparePath' || holds(lit, s));
  };

  // An equality (or a pattern with no star) decides the string.
  for (const lit of lits) {
    const atom = lit.atom;
    let forced: string | undefined;
    if (lit.positive && atom.kind === 'compare' && atom.family === 'string' && atom.op === 'Equals') forced = atom.operand as string;
    if (lit.positive && atom.kind === 'matches' && atom.pattern.segments.length === 1) forced = atom.pattern.segments[0];
    if (forced === undefined) continue;
    const failing = lits.find((other) => other.atom.kind !== 'comparePath' && !holds(other, forced));
    if (failing === undefined) return { kind: 'values', values: [forced] };
    return conflict([[lit, `= ${show(forced)}`], [failing, stringWords(failing)]]);
  }

  // Order comparisons, and the range of strings each positive pattern's first piece allows.
  const interval = new Interval<string>((a, b) => a < b);
  const positives: Array<{ pattern: Pattern; lit: Literal }> = [];
  const negatives: Array<{ pattern: Pattern; lit: Literal }> = [];
  let mustParse: Literal | undefined;
  let mustNotParse: Literal | undefined;
  const instants = new Interval<bigint>((a, b) => a < b);
  for (const lit of lits) {
    const atom = lit.atom;
    if (atom.kind === 'compare' && atom.family === 'string') {
      interval.add(effectiveOp(atom.op, lit.positive), atom.operand as string, lit);
    } else if (atom.kind === 'matches') {
      (lit.positive ? positives : negatives).push({ pattern: atom.pattern, lit });
    } else if (atom.kind === 'type' && atom.test === 'IsTimestamp') {
      if (lit.positive) mustParse ??= lit;
      else mustNotParse ??= lit;
    } else if (atom.kind === 'compare' && atom.family === 'timestamp') {
      if (lit.positive) mustParse ??= lit;
      instants.add(effectiveOp(atom.op, lit.positive), instantOf(atom.operand as string)!, lit);
    }
  }
  for (const { pattern, lit } of positives) {
    const first = pattern.segments[0];
    if (first === '') continue;
    interval.raise(first, false, lit);
    const upper = prefixUpper(first);
    if (upper !== undefined) interval.lower(upper, true, lit);
  }

  const lo = interval.lo?.value ?? '';
  const loStrict = interval.lo?.strict ?? false;
  const hi = interval.hi;
  if (hi !== undefined) {
    const empty = lo > hi.value || (lo === hi.value && (loStrict || hi.strict)) || (loStrict && hi.strict && hi.value === `${lo}\u0000`);
    if (empty) return conflict(boundPairs(interval));
    // Between s and s + "\0\0…" lie only the strings s + "\0…": few enough to try all.
    const tail = hi.value.slice(lo.length);
    if (hi.value.startsWith(lo) && /^\u0000*$/.test(tail) && tail.length <= ENUMERATION_LIMIT) {
      for (let n = 0; n <= tail.length; n++) {
        const s = lo + '\u0000'.repeat(n);
        if ((n === 0 && loStrict) || (n === tail.length && hi.strict)) continue;
        if (ok(s)) return { kind: 'values', values: [s] };
      }
      return conflict(lits.filter((l) => l.atom.kind !== 'comparePath').map((l) => [l, stringWords(l)] as const));
    }
  }

  // Positive patterns with stars: all must start alike and end alike.
  for (let i = 0; i < positives.length; i++) {
    for (let j = i + 1; j < positives.length; j++) {
      const a = positives[i];
      const b = positives[j];
      const sa = a.pattern.segments;
      const sb = b.pattern.segments;
      if (!isPrefixCompatible(sa[0], sb[0]) || !isSuffixCompatible(sa[sa.length - 1], sb[sb.length - 1])) {
        return conflict([[a.lit, stringWords(a.lit)], [b.lit, stringWords(b.lit)]]);
      }
    }
  }
  for (const n of negatives) {
    if (n.pattern.segments.length > 1 && n.pattern.segments.every((s) => s === '')) return conflict([[n.lit, `${stringWords(n.lit)} (every string matches it)`]]);
    for (const p of positives) {
      if (covers(n.pattern.segments, p.pattern.segments)) return conflict([[p.lit, stringWords(p.lit)], [n.lit, `${stringWords(n.lit)} (which every string matching ${show(p.pattern.source)} does)`]]);
    }
  }

  // Timestamps.
  if (mustParse && mustNotParse) return conflict([[mustParse, stringWords(mustParse)], [mustNotParse, stringWords(mustNotParse)]]);
  let instantCandidates: bigint[] = [];
  if (!mustNotParse) {
    const range = instantRange(instants);
    if (range.kind === 'empty') {
      if (mustParse) return conflict([[mustParse, stringWords(mustParse)], ...range.pairs]);
    } else {
      instantCandidates = range.candidates;
    }
  }

  const candidates = new Candidates(ok, want);
  if (typeof current === 'string') candidates.offer(current);
  const timestampTexts = (): void => {
    for (const ns of instantCandidates) {
      const text = formatInstant(ns);
      candidates.offer(text);
      for (const { pattern } of positives) {
        const first = pattern.segments[0];
        const last = pattern.segments[pattern.segments.length - 1];
        if (first.length < text.length) candidates.offer(first + text.slice(first.length));
        if (last.length < text.length) candidates.offer(text.slice(0, text.length - last.length) + last);
      }
    }
  };
  if (mustParse) {
    timestampTexts();
  } else {
    candidates.offer('');
    const seeds: string[] = [];
    if (positives.length > 0) {
      const first = positives.map((p) => p.pattern.segments[0]).reduce((a, b) => (a.length >= b.length ? a : b));
      const last = positives.map((p) => p.pattern.segments[p.pattern.segments.length - 1]).reduce((a, b) => (a.length >= b.length ? a : b));
      const middle = positives.map((p) => p.pattern.segments.slice(1, -1).join('')).join('');
      for (const f of FILLERS) seeds.push(first + middle + f + last, first + f + middle + last);
    }
    if (interval.lo) {
      if (!loStrict) seeds.push(lo);
      if (lo !== '' && lo.charCodeAt(lo.length - 1) < 0xffff) seeds.push(lo.slice(0, -1) + String.fromCharCode(lo.charCodeAt(lo.length - 1) + 1));
      for (const f of FILLERS) seeds.push(lo + (f || 'a'));
    }
    if (hi) {
      if (!hi.strict) seeds.push(hi.value);
      for (let n = 1; n <= Math.min(hi.value.length, 4); n++) seeds.push(hi.value.slice(0, hi.value.length - n));
      const last = hi.value.charCodeAt(hi.value.length - 1);
      if (hi.value !== '' && last > 0) {
        const below = hi.value.slice(0, -1) + String.fromCharCode(last - 1);
        seeds.push(below, `${below}z`, `${below}\uffff`);
      }
    }
    seeds.push('a', 'x', 'b', 'A', '0');
    for (const seed of seeds) candidates.offer(seed);
    // Strings left out by ≠ or by negative patterns: lengthen the seeds until one gets through.
    const extra = interval.excluded.length + negatives.length + 2;
    for (const seed of seeds.slice(0, 40)) {
      for (let n = 1; n <= extra && !candidates.full(); n++) candidates.offer(seed + 'a'.repeat(n));
    }
    if (lits.some((l) => (l.atom.kind === 'compare' && l.atom.family === 'timestamp') || l.atom.kind === 'type')) timestampTexts();
  }
  if (candidates.found.length > 0) return { kind: 'values', values: candidates.found };
  return {
    kind: 'unknown',
    reason: `found no string that ${listed(lits.filter((l) => l.atom.kind !== 'comparePath').map(stringWords), ', ')} among ${candidates.tried} candidates built from the rules`,
  };
}

function collapse(segments: readonly string[]): readonly string[] {
  if (segments.length <= 2) return segments;
  return [segments[0], ...segments.slice(1, -1).filter((s) => s !== ''), segments[segments.length - 1]];
}

/**
 * Whether every string that matches the pattern `inner` (with a star) also
 * matches `outer`: when they are the same, or when `outer` is `p*s` (stars
 * only between its ends) and `inner` starts with p and ends with s. A string
 * matching `inner` is at least as long as its two ends, so p and s cannot
 * overlap in it.
 */
function covers(outerSegments: readonly string[], innerSegments: readonly string[]): boolean {
  // Stars in a row match what one star does: `a**b` is `a*b`.
  const outer = collapse(outerSegments);
  const inner = collapse(innerSegments);
  if (outer.length === inner.length && outer.every((s, i) => s === inner[i])) return true;
  if (outer.length < 2 || inner.length < 2 || outer.slice(1, -1).some((s) => s !== '')) return false;
  return inner[0].startsWith(outer[0]) && inner[inner.length - 1].endsWith(outer[outer.length - 1]);
}

function boundPairs(interval: Interval<string> | Interval<bigint>): Array<readonly [Literal, string]> {
  const display = (v: string | bigint): string => (typeof v === 'bigint' ? formatInstant(v) : v);
  const lits = interval.boundLits();
  const words = (interval as Interval<string | bigint>).boundWords(display);
  return lits.map((lit, i) => [lit, words[i]] as const);
}

type InstantRange =
  | { readonly kind: 'empty'; readonly pairs: Array<readonly [Literal, string]> }
  | { readonly kind: 'range'; readonly candidates: bigint[] };

/** The instants a timestamp may be: empty (with the literals that make it so), or candidates, best first. */
function instantRange(instants: Interval<bigint>): InstantRange {
  const { lo, hi } = instants;
  const min = lo === undefined ? EARLIEST : lo.strict ? lo.value + 1n : lo.value;
  const max = hi === undefined ? LATEST : hi.strict ? hi.value - 1n : hi.value;
  const lowest = min < EARLIEST ? EARLIEST : min;
  const highest = max > LATEST ? LATEST : max;
  if (lowest > highest) return { kind: 'empty', pairs: boundPairs(instants) };
  const excluded = new Set<bigint>();
  const excludedLits: Literal[] = [];
  for (const e of instants.excluded) {
    if (e.value >= lowest && e.value <= highest && !excluded.has(e.value)) {
      excluded.add(e.value);
      excludedLits.push(e.lit);
    }
  }
  if (highest - lowest + 1n <= BigInt(excluded.size)) {
    return { kind: 'empty', pairs: [...boundPairs(instants), ...excludedLits.map((l) => [l, `a timestamp ≠ ${show((l.atom as { operand: string }).operand)}`] as const)] };
  }
  const out: bigint[] = [];
  const offer = (ns: bigint): void => {
    if (ns >= lowest && ns <= highest && !excluded.has(ns) && !out.includes(ns)) out.push(ns);
  };
  const wholeSecondAtOrAfter = (ns: bigint): bigint => {
    const r = ((ns % SECOND) + SECOND) % SECOND;
    return r === 0n ? ns : ns - r + SECOND;
  };
  const anchors: bigint[] = [];
  if (lo) anchors.push(wholeSecondAtOrAfter(min), min, min + SECOND, min + DAY);
  if (hi) anchors.push(max - ((max % SECOND) + SECOND) % SECOND, max, max - SECOND, max - DAY);
  for (const e of instants.excluded) anchors.push(e.value + SECOND, e.value - SECOND, e.value + 1n);
  anchors.push(instantOf('2024-01-01T00:00:00Z')!);
  for (const a of anchors) offer(a);
  // More instants than are left out: walking up from the lowest finds one.
  let ns = lowest;
  for (let i = 0; i <= excluded.size && out.length < 4; i++, ns++) offer(ns);
  return { kind: 'range', candidates: out };
}

/** Candidate strings, checked as they are offered; bounded by CANDIDATE_BUDGET. */
class Candidates {
  readonly found: string[] = [];
  tried = 0;
  private readonly seen = new Set<string>();
  constructor(private readonly ok: (s: string) => boolean, private readonly want: number) {}

  full(): boolean {
    return this.found.length >= this.want || this.tried >= CANDIDATE_BUDGET;
  }

  offer(s: string): void {
    if (this.full() || this.seen.has(s)) return;
    this.seen.add(s);
    this.tried++;
    if (this.ok(s)) this.found.push(s);
  }
}
