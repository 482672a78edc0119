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
/* eslint-disable no-bitwise -- mulberry32 is defined on 32-bit integer operations */
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
/* eslint-enable no-bitwise */

/** Randomness from `Math.random`, for serving real traffic. */
export const mathRandom: RandomSource = { next: Math.random, uuid: () => uuidFrom(Math.random) };

/** Two hex digits for each byte value. */
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, b) => (b + 256).toString(16).slice(1));

/**
 * A version-4 UUID from 128 random bits, drawn 32 at a time (big-endian bytes).
 * Written as one expression of table lookups: it runs once per execution, and
 * building it byte by byte through an array was a tenth of a small execution's cost.
 */
/* eslint-disable no-bitwise -- the UUID is laid out from 32-bit words */
function uuidFrom(next: () => number): string {
  const H = BYTE_HEX;
  const w0 = Math.floor(next() * 4294967296);
  const w1 = ((Math.floor(next() * 4294967296) & 0xffff0fff) | 0x4000) >>> 0; // version 4
  const w2 = ((Math.floor(next() * 4294967296) & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
  const w3 = Math.floor(next() * 4294967296);
  return H[w0 >>> 24] + H[(w0 >>> 16) & 255] + H[(w0 >>> 8) & 255] + H[w0 & 255] + '-'
    + H[w1 >>> 24] + H[(w1 >>> 16) & 255] + '-' + H[(w1 >>> 8) & 255] + H[w1 & 255] + '-'
    + H[w2 >>> 24] + H[(w2 >>> 16) & 255] + '-' + H[(w2 >>> 8) & 255] + H[w2 & 255]
    + H[w3 >>> 24] + H[(w3 >>> 16) & 255] + H[(w3 >>> 8) & 255] + H[w3 & 255];
}
/* eslint-enable no-bitwise */
