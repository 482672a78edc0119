const ROWS: Int32Array[] = [new Int32Array(258), new Int32Array(258), new Int32Array(258)];

/**
 * Edit distance between two names, ignoring case, with a transposition counted once. With `max`,
 * any distance past it is answered as `max + 1` as soon as it is certain, so comparing a name with
 * many far-off ones costs little.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  return loweredDistance(a, b, a.toLowerCase(), b.toLowerCase(), max);
}

/** {@link editDistance} of `a` and `b`, given them lower-cased as `s` and `t`. */
function loweredDistance(a: string, b: string, s: string, t: string, max: number): number {
  if (s === t) return a === b ? 0 : 1;
  if (Math.abs(s.length - t.length) > max) return max + 1;
  // Three rows are enough (a transposition reads two back); reused across calls, as a name is
  // compared with every state name of its scope.
  if (ROWS[0].length <= t.length) ROWS.splice(0, 3, ...[0, 1, 2].map(() => new Int32Array(t.length + 1)));
  let before = ROWS[0];
  let previous = ROWS[1];
  let row = ROWS[2];
  for (let j = 0; j <= t.length; j++) previous[j] = j;
  let previousLeast = 0;
  for (let i = 1; i <= s.length; i++) {
    row[0] = i;
    let least = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, before[j - 2] + 1);
      row[j] = best;
      if (best < least) least = best;
    }
    // A later cell comes from this row or (a transposition) the one before it, never for less: once
    // both are past `max`, the distance is.
    if (least > max && previousLeast > max) return max + 1;
    previousLeast = least;
    const spare = before;
    before = previous;
    previous = row;
    row = spare;
  }
  return Math.min(previous[t.length], max + 1);
}

/**
 * The names a misspelt one most likely meant, best first, at most `count`: the candidates fewest
 * edits away, within a third of the name's length (at least 2), in candidate order on a tie.
 * Names past 256 characters are not compared (the distance costs their product).
 */
export function nearestNames(name: string, candidates: Iterable<string> | Speller, count = 1): string[] {
  if (name.length > 256) return [];
  const speller = candidates instanceof Speller ? candidates : new Speller(candidates);
  const bound = Math.max(2, Math.floor(name.length / 3));
  const lowered = name.toLowerCase();
  const found: Array<{ candidate: string; distance: number }> = [];
  for (let i = 0; i < speller.names.length; i++) {
    const candidate = speller.names[i];
    if (candidate === name || candidate.length > 256) continue;
    const distance = loweredDistance(name, candidate, lowered, speller.lowered[i], bound);
    if (distance <= bound) found.push({ candidate, distance });
  }
  return found.sort((x, y) => x.distance - y.distance).slice(0, count).map((f) => f.candidate);
}

/** The one name a misspelt one most likely meant, or undefined when none is near (see {@link nearestNames}). */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  return nearestNames(name, candidates, 1)[0];
}

/** Names to compare misspelt ones with, lower-cased once however many are compared with them. */
export class Speller {
  readonly names: readonly string[];
  readonly lowered: readonly string[];
  constructor(names: Iterable<string>) {
    this.names = [...names];
    this.lowered = this.names.map((n) => n.toLowerCase());
  }
}
