/**
 * A record's own value for `key`, never one inherited from Object.prototype: a name read from a
 * definition, a template, a history or a user's file (`constructor`, `__proto__`, `toString`) is a
 * key like any other, and a table of AWS's names answers only for the names it holds.
 *
 * The one copy of the helper every layer reads a record by (an own key's mere presence is
 * `Object.hasOwn`); the lint rule of .projenrc.ts ("one home for each AWS fact") refuses another.
 * @internal
 */
export function ownValue<T>(from: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return from !== undefined && Object.hasOwn(from, key) ? from[key] : undefined;
}

/** A value a field can be read off: an object (an array too) or a function. */
function holdsFields(value: unknown): value is object {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

/**
 * A field of a value whose shape is not known yet (a user's JSON, a template, a recorded history):
 * its own value for `key`, never one inherited (`constructor` is no field), and undefined when the
 * value holds no fields. Typed `unknown`, for the reader to narrow with a guard: what a field holds
 * is checked, never assumed. The one reader of a field by a name outside a type's members; the
 * lint rule of .projenrc.ts ("one home for each AWS fact") refuses `Reflect.get` elsewhere.
 * @internal
 */
export function fieldOf(value: unknown, key: PropertyKey): unknown {
  if (!holdsFields(value) || !Object.hasOwn(value, key)) return undefined;
  const field: unknown = Reflect.get(value, key);
  return field;
}

/**
 * A member of a live object whose type does not name it (a module's exports, a test runner's
 * globals), read as `value[key]` reads it: inherited members and getters included, as AWS Lambda's
 * Node.js runtime reads a handler off a module's exports. Typed `unknown`, for the reader to narrow;
 * undefined when the value holds no fields. For JSON read from outside, {@link fieldOf}.
 * @internal
 */
export function memberOf(value: unknown, key: PropertyKey): unknown {
  if (!holdsFields(value)) return undefined;
  const member: unknown = Reflect.get(value, key);
  return member;
}
