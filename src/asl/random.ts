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

/** A version-4 UUID from 128 random bits, drawn 32 at a time. */
function uuidFrom(next: () => number): string {
  const bytes: number[] = new Array<number>(16);
  for (let i = 0; i < 16; i += 4) {
    let word = Math.floor(next() * 4294967296);
    for (let j = 3; j >= 0; j--) {
      bytes[i + j] = word % 256;
      word = Math.floor(word / 256);
    }
  }
  bytes[6] = 0x40 + (bytes[6] % 16); // version 4
  bytes[8] = 0x80 + (bytes[8] % 64); // RFC 4122 variant
  const h = (from: number, to: number) => {
    let out = '';
    for (let i = from; i < to; i++) out += BYTE_HEX[bytes[i]];
    return out;
  };
  return `${h(0, 4)}-${h(4, 6)}-${h(6, 8)}-${h(8, 10)}-${h(10, 16)}`;
}
