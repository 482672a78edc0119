import { createHash } from 'crypto';
import type { JsonValue } from '../../asl';

const ids = new WeakMap<object, string>();

function canonical(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k]);
    return out;
  }
  return value as JsonValue;
}

/**
 * A stable id for a definition: the first 12 hex digits of the SHA-1 of its
 * JSON with sorted keys, so the same machine built in two test files gets
 * the same id.
 */
export function definitionId(definition: object): string {
  const known = ids.get(definition);
  if (known) return known;
  const id = createHash('sha1').update(JSON.stringify(canonical(definition))).digest('hex').slice(0, 12);
  ids.set(definition, id);
  return id;
}
