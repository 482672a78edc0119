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

/** A version-4 UUID from 128 random bits, drawn 32 at a time. */
function uuidFrom(next: () => number): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += (Math.floor(next() * 4294967296) + 4294967296).toString(16).slice(1);
  const variant = HEX[8 + (parseInt(hex[16], 16) & 3)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
