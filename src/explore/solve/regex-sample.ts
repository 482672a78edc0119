/*
 * A short text a regular expression matches, for a search that needs a value a `$match` or `$contains` with a
 * pattern accepts.
 */

/** Most characters a sample of a regular expression is built to. */
const SAMPLE_LENGTH = 64;

/**
 * A short string a regular expression matches, built from its first
 * alternatives (a class's first allowed character, a quantifier's least
 * count, at least one), checked with the expression itself; `undefined`
 * when the simple reading does not give one.
 * With `digits`, a run of digits of any length holds them instead (a number a `$match` group is
 * compared with: `$number($match($ref, /^INV-(\d+)$/).groups[0]) > 500000` wants 'INV-500001').
 * @example sampleMatching(/^[^@ ]+@[^@ ]+\.[a-z]+$/) // 'a@a.a'
 */
export function sampleMatching(re: RegExp, digits?: string): string | undefined {
  const src = re.source;
  let i = 0;
  const atom = (): string | undefined => {
    const c = src[i];
    if (c === '\\') {
      const e = src[i + 1];
      i += 2;
      if (e === 'd') return '0';
      if (e === 'w') return 'a';
      if (e === 's') return ' ';
      if (e === 'D' || e === 'W' || e === 'S') return e === 'D' ? 'a' : e === 'W' ? '-' : 'a';
      if (e === 'b' || e === 'B') return '';
      return e;
    }
    if (c === '[') {
      const end = src.indexOf(']', i + 2);
      if (end < 0) return undefined;
      const body = src.slice(i + 1, end);
      i = end + 1;
      const negated = body.startsWith('^');
      const set = negated ? body.slice(1) : body;
      if (!negated) return set.startsWith('\\') ? (set[1] === 'd' ? '0' : set[1] === 'w' ? 'a' : set[1]) : set[0];
      for (const ch of 'aA0-_.x') if (new RegExp(`[${body}]`).test(ch)) return ch;
      return undefined;
    }
    if (c === '(') {
      i++;
      if (src[i] === '?' && src[i + 1] === ':') i += 2;
      const inner = sequence();
      if (src[i] !== ')') return undefined;
      i++;
      return inner;
    }
    if (c === '.') { i++; return 'a'; }
    if (c === '^' || c === '$') { i++; return ''; }
    i++;
    return c;
  };
  const sequence = (): string | undefined => {
    let out = '';
    while (i < src.length && src[i] !== ')' && src[i] !== '|') {
      const piece = atom();
      if (piece === undefined) return undefined;
      let times = 1;
      let open = false;
      const q = src[i];
      if (q === '*' || q === '?') {
        times = 0;
        open = q === '*';
        i++;
      } else if (q === '+') {
        open = true;
        i++;
      } else if (q === '{') {
        const m = /^\{(\d+)(,\d*)?\}/.exec(src.slice(i));
        if (!m) return undefined;
        times = Number(m[1]);
        open = m[2] === ',';
        i += m[0].length;
      }
      if (src[i] === '?') i++;
      // A run of digits of any length (`\d+`, `[0-9]*`, `\d{2,}`) holds the digits asked for, when given.
      out += digits !== undefined && open && piece === '0' ? digits : piece.repeat(times);
      if (out.length > SAMPLE_LENGTH) return undefined;
    }
    // The first alternative; the others are skipped.
    let depth = 0;
    while (i < src.length && !(depth === 0 && src[i] === ')')) {
      if (src[i] === '\\') i++;
      else if (src[i] === '(') depth++;
      else if (src[i] === ')') depth--;
      i++;
    }
    return out;
  };
  let sample: string | undefined;
  try {
    sample = sequence();
  } catch {
    return undefined;
  }
  if (sample === undefined) return undefined;
  const test = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
  return test.test(sample) ? sample : undefined;
}
