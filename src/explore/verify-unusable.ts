import { describeProperty, PredicateStoppedError, PropertyError, type RunProperty } from './properties';
import type { PropertyVerdict, VerifyReport } from './verify';
import type { ExecutionResult } from '../interpreter';

/*
 * The functions of the run verify cannot use: one that returns something other than true or
 * false, and one its door stopped at a limit. Each is refused once the runs are made.
 */

/** Why verify cannot use a function of the run: what it returned, or what stopped it. @internal */
export type Unusable = { readonly returned: string } | { readonly stopped: Promise<string> };

/**
 * A function of the run as verify calls it: what it returns must be true or false. A Promise (an
 * async function), `undefined` (a block body without `return`) or any other value is not taken by
 * its truthiness, which would make `async () => false` hold on every run: it is kept in
 * `unusable` and the property refused once the runs are made. A rejected Promise is caught here,
 * never left to end the process as an unhandled rejection. A function its door stopped at a limit
 * (a {@link PredicateStoppedError}) is kept there too, and not called again.
 * @internal
 */
export function booleanOnly<R extends ExecutionResult>(name: string, p: RunProperty<R>, unusable: Map<string, Unusable>): RunProperty<R> {
  const test = (run: R): boolean => {
    if (unusable.has(name) && 'stopped' in unusable.get(name)!) return true;
    let got: unknown;
    try {
      got = p.test(run);
    } catch (e) {
      if (!(e instanceof PredicateStoppedError)) throw e;
      unusable.set(name, { stopped: e.reason });
      return true;
    }
    if (typeof got === 'boolean') return got;
    if (got !== null && (typeof got === 'object' || typeof got === 'function') && typeof (got as { then?: unknown }).then === 'function') {
      Promise.resolve(got).catch(() => undefined);
      if (!unusable.has(name)) unusable.set(name, { returned: 'a Promise' });
    } else if (!unusable.has(name)) {
      unusable.set(name, { returned: describeValue(got) });
    }
    return true;
  };
  return { ...p, test };
}

/** What a predicate returned, in a message: short, and printable. */
function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'bigint' || typeof v === 'symbol') return typeof v;
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = undefined;
  }
  if (s === undefined) return typeof v;
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/**
 * The one place verify refuses the functions of the run it could not use: those that returned
 * something other than true or false, and those their door stopped at a limit. Each is made
 * UNKNOWN in `report` with why, and the report, the other properties' verdicts in it, goes with
 * the error for a door that prints them.
 * @throws PropertyError naming each such function, and why
 * @internal
 */
export async function refuseUnusable(unusable: ReadonlyMap<string, Unusable>, report: VerifyReport): Promise<void> {
  if (unusable.size === 0) return;
  // Each property's reason is its own: what it returned, and the fix for that.
  const whys: Array<[string, string]> = [];
  for (const [name, u] of unusable) {
    if (!('returned' in u)) continue;
    const fix = u.returned === 'a Promise' ? 'drop async: the run is finished, there is nothing to await' : 'return true when the run keeps the property, false when it breaks it';
    whys.push([name, `property '${name}' returned ${u.returned}, not true or false: a function of the run is called on the finished run and must return a boolean (${fix})`]);
  }
  for (const [name, u] of unusable) if ('stopped' in u) whys.push([name, await u.stopped]);
  const verdicts = report.properties as Record<string, PropertyVerdict>;
  for (const [name, why] of whys) verdicts[name] = { verdict: 'UNKNOWN', property: verdicts[name]?.property ?? describeProperty({ kind: 'run', test: () => true }), reason: why };
  throw new PropertyError([...new Set(whys.map(([, why]) => why))].join('; '), report);
}
