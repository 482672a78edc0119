/**
 * A pattern of `*` (any run of characters) and `?` (one character) matched in time linear in
 * the pattern and the value, never by a regular expression: a pattern of k `*`s written as
 * `.*` makes JavaScript's backtracking engine try O(n^k) splits of a value that does not match
 * (IAM's `arn:*a*a*a*a*b` against 200 characters took seconds, one more `*` minutes).
 *
 * IAM's wildcards (policy resources, `StringLike`) and a recording's `<placeholder>`s both match
 * here. A character is one UTF-16 code unit, as `.` is without the `u` flag.
 */

/**
 * One piece of a pattern: `text` as written; when `wild`, its `*` and `?` are wildcards,
 * otherwise every character of it is literal.
 * @internal
 */
export interface WildcardPiece {
  readonly text: string;
  readonly wild: boolean;
}

/** A `*` alone, for a pattern built of literal pieces. @internal */
export const ANY_RUN: WildcardPiece = { text: '*', wild: true };

/** A literal run between two `*`s, with the offsets of its `?`s. */
interface Segment {
  readonly text: string;
  readonly anyAt: readonly number[];
}

/**
 * Whether `value` matches the whole pattern made of `pieces`, with letters compared without
 * case when `ignoreCase` (each code unit folded to upper case, as a regular expression's `i`
 * flag without `u` folds it).
 * @internal
 */
export function wildcardMatch(pieces: readonly WildcardPiece[], value: string, ignoreCase: boolean): boolean {
  const segments = splitAtRuns(pieces, ignoreCase);
  const text = ignoreCase ? fold(value) : value;
  const first = segments[0];
  if (segments.length === 1) return text.length === first.text.length && segmentAt(first, text, 0);
  const last = segments[segments.length - 1];
  if (first.text.length + last.text.length > text.length) return false;
  if (!segmentAt(first, text, 0) || !segmentAt(last, text, text.length - last.text.length)) return false;
  // Between the first and the last, each segment is taken at its leftmost place: a later place
  // never leaves more room for the segments after it.
  let from = first.text.length;
  const end = text.length - last.text.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const at = findSegment(segments[i], text, from, end);
    if (at < 0) return false;
    from = at + segments[i].text.length;
  }
  return true;
}

/** The pattern's literal runs between its `*`s: one more run than there are `*`s. */
function splitAtRuns(pieces: readonly WildcardPiece[], ignoreCase: boolean): Segment[] {
  const segments: Segment[] = [];
  let text = '';
  let anyAt: number[] = [];
  for (const piece of pieces) {
    for (let i = 0; i < piece.text.length; i++) {
      const c = piece.text[i];
      if (piece.wild && c === '*') {
        segments.push({ text, anyAt });
        text = '';
        anyAt = [];
      } else {
        if (piece.wild && c === '?') anyAt.push(text.length);
        text += ignoreCase ? fold(c) : c;
      }
    }
  }
  segments.push({ text, anyAt });
  return segments;
}

/** Whether `segment` matches `text` at `at`. */
function segmentAt(segment: Segment, text: string, at: number): boolean {
  if (segment.anyAt.length === 0) return text.startsWith(segment.text, at);
  if (at + segment.text.length > text.length) return false;
  let any = 0;
  for (let i = 0; i < segment.text.length; i++) {
    if (any < segment.anyAt.length && segment.anyAt[any] === i) {
      any++;
      continue;
    }
    if (segment.text[i] !== text[at + i]) return false;
  }
  return true;
}

/** The leftmost place at or after `from` where `segment` matches and ends by `end`, or -1. */
function findSegment(segment: Segment, text: string, from: number, end: number): number {
  const last = end - segment.text.length;
  if (segment.anyAt.length === 0) {
    const at = text.indexOf(segment.text, from);
    return at >= 0 && at <= last ? at : -1;
  }
  // The longest literal stretch of a segment with `?`s is searched for, and the segment tried
  // only where it is found.
  const [start, stretch] = longestLiteral(segment);
  for (let at = from; at <= last;) {
    const hit = stretch === '' ? at : text.indexOf(stretch, at + start);
    if (hit < 0 || hit - start > last) return -1;
    if (segmentAt(segment, text, hit - start)) return hit - start;
    at = hit - start + 1;
  }
  return -1;
}

/** The offset and text of the longest run of a segment's characters without a `?`. */
function longestLiteral(segment: Segment): [number, string] {
  let best: [number, string] = [0, ''];
  let start = 0;
  for (const any of [...segment.anyAt, segment.text.length]) {
    if (any - start > best[1].length) best = [start, segment.text.slice(start, any)];
    start = any + 1;
  }
  return best;
}

/**
 * Each UTF-16 code unit as a case-insensitive regular expression without `u` compares it
 * (ECMA-262's Canonicalize): its upper case when that is one unit and does not take a
 * non-ASCII character to an ASCII one.
 */
function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const up = c.toUpperCase();
    out += up.length === 1 && !(c.charCodeAt(0) >= 128 && up.charCodeAt(0) < 128) ? up : c;
  }
  return out;
}
