/**
 * A source of randomness that can be seeded, so that `States.UUID`,
 * `States.MathRandom`, `$random()`, `$uuid()`, retry jitter and generated ids
 * repeat from run to run when a seed is given.
 */
export interface RandomSource {
  /** A number in [0, 1). */
  next(): number;
  /** A version-4 UUID in its canonical lower-case form. */
  uuid(): string;
}

/**
 * A seeded pseudo-random source (mulberry32). Not for cryptography.
 * @example
 * const random = seededRandom(42);
 * random.uuid(); // the same UUID on every run
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, uuid: () => uuidFrom(next) };
}

/** Randomness from `Math.random`, for serving real traffic. */
export const mathRandom: RandomSource = { next: Math.random, uuid: () => uuidFrom(Math.random) };

const HEX = '0123456789abcdef';

function uuidFrom(next: () => number): string {
  let out = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out += '-';
    else if (i === 14) out += '4';
    else if (i === 19) out += HEX[8 + Math.floor(next() * 4)];
    else out += HEX[Math.floor(next() * 16)];
  }
  return out;
}
