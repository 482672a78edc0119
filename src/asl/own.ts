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
