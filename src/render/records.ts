/**
 * A record keyed by names from a definition or a history (states, errors):
 * it has no prototype, so `__proto__`, `constructor` or `toString` are keys
 * like any other, and JSON.stringify writes them all.
 * @internal
 */
export function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
