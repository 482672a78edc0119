/** What a Task calls, and how a mock key or handler name names it: functions, versions, aliases and qualified ARNs. */

/**
 * A Lambda function as a Task or a mock key names it: a function name, a
 * partial ARN (`123456789012:function:name`) or an ARN, each with an optional
 * qualifier (a version number, an alias name or `$LATEST`), as Lambda's
 * `FunctionName` accepts them.
 * @internal
 */
export interface LambdaTarget {
  readonly name: string;
  readonly region?: string;
  readonly account?: string;
  readonly qualifier?: string;
}

// Lambda's Invoke API takes a function name of letters, digits, `-`, `_` and `.` (its
// NamespacedFunctionName pattern, `…(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`,
// Lambda API Reference, Invoke): `tasks.list_items` is a name, and its qualifier has no dot.
const NAME = '[A-Za-z0-9_.-]{1,170}';
const QUALIFIER = '(\\$LATEST|[A-Za-z0-9_-]{1,128})';
const FULL = new RegExp(`^arn:[^:]+:lambda:([^:]*):([^:]*):function:(${NAME})(?::${QUALIFIER})?$`);
const PARTIAL = new RegExp(`^(\\d{12}):function:(${NAME})(?::${QUALIFIER})?$`);
const BARE = new RegExp(`^(${NAME})(?::${QUALIFIER})?$`);

/** Reads a `FunctionName` or a function ARN; undefined for anything else. @internal */
export function parseLambdaTarget(value: string): LambdaTarget | undefined {
  let m = FULL.exec(value);
  if (m) return { region: m[1], account: m[2], name: m[3], ...(m[4] !== undefined ? { qualifier: m[4] } : {}) };
  m = PARTIAL.exec(value);
  if (m) return { account: m[1], name: m[2], ...(m[3] !== undefined ? { qualifier: m[3] } : {}) };
  m = BARE.exec(value);
  if (m) return { name: m[1], ...(m[2] !== undefined ? { qualifier: m[2] } : {}) };
  return undefined;
}

/**
 * How a Task's Lambda target is matched by a key naming a function:
 * `exact` when the key names the same function and qualifier (or both have
 * none), `function` when the key names the function unqualified and the
 * target calls one of its versions or aliases (or `$LATEST`); undefined when
 * they name different functions, or the key a different version or alias.
 * A name matches an ARN of that name; a region or account given on both sides must agree.
 * @internal
 */
export function lambdaMatch(target: string, key: string): 'exact' | 'function' | undefined {
  const t = parseLambdaTarget(target);
  const k = parseLambdaTarget(key);
  if (!t || !k || t.name !== k.name) return undefined;
  if (t.region !== undefined && k.region !== undefined && t.region !== k.region) return undefined;
  if (t.account !== undefined && k.account !== undefined && t.account !== k.account) return undefined;
  if (k.qualifier === undefined) return t.qualifier === undefined ? 'exact' : 'function';
  return t.qualifier === k.qualifier ? 'exact' : undefined;
}

/** The ARN without its qualifier: the function a version or alias ARN belongs to. @internal */
export function unqualifiedFunctionArn(arn: string): string {
  const t = FULL.exec(arn);
  return t && t[4] !== undefined ? arn.slice(0, arn.length - t[4].length - 1) : arn;
}

/** True when `value` is `arn` or `arn` with a qualifier (`:$LATEST`, `:1`, `:live`). @internal */
export function refersTo(value: string, arn: string): boolean {
  return value === arn || (value.startsWith(arn) && value.charAt(arn.length) === ':');
}

/**
 * How specifically a key names what a Task calls: 3 exactly (the same ARN,
 * name or qualified name), 2 the function of the version or alias called
 * (or the resource of a qualified ARN), 0 not at all.
 * @internal
 */
export function targetScore(value: string, key: string, lambda: boolean): number {
  if (value === key) return 3;
  if (lambda) {
    const how = lambdaMatch(value, key);
    if (how) return how === 'exact' ? 3 : 2;
  }
  return refersTo(value, key) ? 2 : 0;
}
