/** Most entries one cache of compiled or judged values keeps; past it, values are made each time and not kept. @internal */
export const MAX_REMEMBERED = 10_000;

/**
 * The value `cache` keeps for `key`, or `make(key)`, kept while the cache
 * holds fewer than {@link MAX_REMEMBERED} entries. For values compiled or
 * judged once per distinct string (a path, an ARN, a field's value) that hold
 * no state, so one can be shared by every state that names the same string.
 * A `make` that throws keeps nothing: the next call throws again. What `make`
 * needs besides the key comes as `arg`, so a call that finds the value makes no
 * closure to say how it would have made it.
 * @internal
 */
export function remember<V>(cache: Map<string, V>, key: string, make: (key: string) => V): V;
export function remember<V, A>(cache: Map<string, V>, key: string, make: (key: string, arg: A) => V, arg: A): V;
export function remember<V, A>(cache: Map<string, V>, key: string, make: (key: string, arg?: A) => V, arg?: A): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make(key, arg);
    if (cache.size < MAX_REMEMBERED) cache.set(key, value);
  }
  return value;
}
