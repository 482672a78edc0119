import type { JsonValue } from './definition-types';

/**
 * A source of randomness that can be seeded, so that `States.UUID`,
 * `States.MathRandom`, `$random()`, `$uuid()`, retry jitter and generated ids
 * repeat from run to run when a seed is given.
 */
export interface RandomSource {
  /**
   * Told of each value a run draws that differs from run to run, once the function that drew
   * it has made its result (`States.UUID`, `States.MathRandom`, `$uuid()`, `$random()`,
   * `$now()`, `$millis()`, the Context Object's StartTime and EnteredTime, a task token, a Map
   * Run's ARN); what it returns is used instead. A replay answers with the value AWS drew there.
   * @default - none: every value is used as drawn
   */
  readonly drawn?: (value: JsonValue, kind: DrawKind) => JsonValue;
  /** A number in [0, 1). */
  next(): number;
  /** A version-4 UUID in its canonical lower-case form. */
  uuid(): string;
}

/** What kind of value a run drew (see RandomSource.drawn). */
export type DrawKind = 'uuid' | 'random' | 'now' | 'millis' | 'startTime' | 'enteredTime' | 'taskToken' | 'mapRunArn';

/**
 * A drawn value, as the source's `drawn` hook answers it: the value itself when there is none, or
 * when the hook answers a value of another kind (a number for a UUID's text), which the run could
 * not use where it draws.
 * @internal
 */
export function drawnValue(random: RandomSource, value: string, kind: DrawKind): string;
/** @internal */
export function drawnValue(random: RandomSource, value: number, kind: DrawKind): number;
export function drawnValue(random: RandomSource, value: string | number, kind: DrawKind): string | number {
  const drawn = random.drawn === undefined ? value : random.drawn(value, kind);
  return (typeof drawn === 'string' || typeof drawn === 'number') && typeof drawn === typeof value ? drawn : value;
}

/**
 * A run's seed when none is given: the harness's, `stepwright run`'s, explore's and verify's runs,
 * the tests scaffolded from them, and at-least-once delivery's choices. stepwright's own, not AWS's.
 * @internal
 */
export const DEFAULT_SEED = 0;

/**
 * The seeds stepwright draws for a run of its own (serve's executions, a harness's request ids
 * and child names) and takes for at-least-once delivery: whole numbers from 0 to SEED_BOUND - 1.
 * stepwright's own range (31 bits), not AWS's.
 */
export const SEED_BOUND = 2 ** 31;

/**
 * A seeded pseudo-random source (mulberry32). Not for cryptography.
 * @example
 * const random = seededRandom(42);
 * random.uuid(); // the same UUID on every run
 */
/* eslint-disable no-bitwise -- mulberry32 is defined on 32-bit integer operations */
export function seededRandom(seed: number): RandomSource {
  return seededFrom(seed >>> 0);
}

/** mulberry32's increment: draw k of seed s hashes s + k × this (mod 2^32). */
const STEP = 0x6d2b79f5;

/** The source of seededRandom at a state: its next draw hashes `start + STEP`. */
function seededFrom(start: number): RandomSource {
  let state = start;
  const next = () => {
    state = (state + STEP) >>> 0;
    return mulberry(state);
  };
  return { next, uuid: () => uuidFrom(next) };
}

/** mulberry32's output for a state. */
function mulberry(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * The UUID `seededRandom(seed).uuid()` draws first, without making the source (two closures
 * and an object): an execution draws its name from its seed, and most draw nothing else.
 * @internal
 */
export function firstSeededUuid(seed: number): string {
  const s = seed >>> 0;
  return uuidOfWords(
    word(mulberry((s + STEP) >>> 0)), word(mulberry((s + 2 * STEP) >>> 0)),
    word(mulberry((s + 3 * STEP) >>> 0)), word(mulberry((s + 4 * STEP) >>> 0)),
  );
}

/**
 * `seededRandom(seed)` after `draws` values were drawn from it (4 for each UUID): it goes on
 * with the values that source would draw next.
 * @internal
 */
export function seededRandomAfter(seed: number, draws: number): RandomSource {
  return seededFrom(((seed >>> 0) + Math.imul(draws, STEP)) >>> 0);
}
/* eslint-enable no-bitwise */

/** Randomness from `Math.random`, for serving real traffic. */
export const mathRandom: RandomSource = { next: Math.random, uuid: () => uuidFrom(Math.random) };

/** The character code of each hex digit. */
const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 0x2d;

/**
 * A version-4 UUID from 128 random bits, drawn 32 at a time (big-endian).
 * Made in one String.fromCharCode call: it runs once per execution, and
 * joining it from pieces with `+` built a string object for most of them
 * (600 bytes per execution, a seventh of what a one-state execution allocates).
 */
/* eslint-disable no-bitwise -- the UUID is laid out from 32-bit words */
function uuidFrom(next: () => number): string {
  return uuidOfWords(word(next()), word(next()), word(next()), word(next()));
}

/** A draw in [0, 1) as 32 random bits. */
function word(draw: number): number {
  return Math.floor(draw * 4294967296);
}

function uuidOfWords(w0: number, r1: number, r2: number, w3: number): string {
  const h = HEX;
  const w1 = ((r1 & 0xffff0fff) | 0x4000) >>> 0; // version 4
  const w2 = ((r2 & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
  return String.fromCharCode(
    h[w0 >>> 28], h[(w0 >>> 24) & 15], h[(w0 >>> 20) & 15], h[(w0 >>> 16) & 15],
    h[(w0 >>> 12) & 15], h[(w0 >>> 8) & 15], h[(w0 >>> 4) & 15], h[w0 & 15], DASH,
    h[w1 >>> 28], h[(w1 >>> 24) & 15], h[(w1 >>> 20) & 15], h[(w1 >>> 16) & 15], DASH,
    h[(w1 >>> 12) & 15], h[(w1 >>> 8) & 15], h[(w1 >>> 4) & 15], h[w1 & 15], DASH,
    h[w2 >>> 28], h[(w2 >>> 24) & 15], h[(w2 >>> 20) & 15], h[(w2 >>> 16) & 15], DASH,
    h[(w2 >>> 12) & 15], h[(w2 >>> 8) & 15], h[(w2 >>> 4) & 15], h[w2 & 15],
    h[w3 >>> 28], h[(w3 >>> 24) & 15], h[(w3 >>> 20) & 15], h[(w3 >>> 16) & 15],
    h[(w3 >>> 12) & 15], h[(w3 >>> 8) & 15], h[(w3 >>> 4) & 15], h[w3 & 15],
  );
}
/* eslint-enable no-bitwise */
