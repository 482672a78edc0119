/** Edit distance between two names, ignoring case, with a transposition counted once. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return a === b ? 0 : 1;
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push([i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) rows[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i][j] = best;
    }
  }
  return rows[s.length][t.length];
}

/**
 * The name a misspelt one most likely meant: the candidate fewest edits away, within a third of
 * the name's length (at least 2), the first in order on a tie; undefined when none is that close.
 * Names past 256 characters are not compared (the distance costs their product).
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > 256) return undefined;
  const bound = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name || candidate.length > 256 || Math.abs(candidate.length - name.length) > bound) continue;
    const distance = editDistance(name, candidate);
    if (distance <= bound && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
