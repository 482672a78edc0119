import type { JsonValue } from '../../asl';

// Its own module, free of the interpreter: serve's redrive reads resume points with it at start-up cost.

/** A JSON text as a value: histories hold payloads as JSON text, some recordings parsed. */
export function payload(value: unknown): JsonValue | undefined {
  if (typeof value !== 'string') return value as JsonValue | undefined;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}
