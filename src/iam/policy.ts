/**
 * An IAM identity-policy evaluator for the questions a state machine's role
 * raises: may this role call this action on this resource? It follows the
 * IAM policy evaluation logic for a single account and identity-based
 * policies: an explicit Deny beats any Allow; without an Allow the request is
 * implicitly denied. What it cannot decide from the policies it was given (a
 * condition on a key it has no value for, a managed policy whose text is not in
 * the template, a resource only known at run time) it answers `unknown`,
 * never a guess.
 */

/** A condition block: operator → key → value(s), as in a policy document. */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** One statement of an identity-based policy, with every value already resolved to text. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: PolicyCondition;
}

/** A statement and the policy it came from, for messages. */
export interface SourcedStatement {
  readonly statement: PolicyStatement;
  /** Where the statement lives, e.g. `AWS::IAM::Policy StateMachineRoleDefaultPolicyDF1E6607`. */
  readonly source: string;
}

/** Everything known about the permissions of one role. */
export interface RolePolicies {
  /** The role's ARN (a placeholder when it comes from a template). */
  readonly roleArn?: string;
  /** The statements of every policy attached to the role whose text is known. */
  readonly statements: readonly SourcedStatement[];
  /**
   * Policies attached to the role whose text is not known (AWS managed
   * policies, customer managed policies from outside the template, statements
   * that did not resolve): an action not allowed by `statements` may still be
   * allowed by one of these, so it is reported as "cannot check".
   */
  readonly opaquePolicies: readonly string[];
  /**
   * Set when the role itself cannot be read (imported from outside the
   * template, or given as a parameter): no permission can be checked.
   */
  readonly notCheckable?: string;
}

/** A request to evaluate. */
export interface AccessRequest {
  /** `service:Action`, e.g. `lambda:InvokeFunction`. */
  readonly action: string;
  /** The resource ARN; undefined when it is only known at run time. */
  readonly resource?: string;
  /** Values of condition keys this request would carry (e.g. `states:HTTPMethod`). */
  readonly context?: Readonly<Record<string, string>>;
}

/**
 * The outcome: `allowed`; `denied` by an explicit Deny; `implicitDeny` when no
 * statement allows it; `unknown` when the answer depends on what cannot be
 * read (see {@link Evaluation.reason}).
 */
export type Decision = 'allowed' | 'denied' | 'implicitDeny' | 'unknown';

/** The answer for one request, with the statements that decided it. */
export interface Evaluation {
  readonly decision: Decision;
  /** The statements that allow (or deny) it. */
  readonly decidedBy: readonly SourcedStatement[];
  /** Why the decision is `unknown`, or what a Deny said. */
  readonly reason?: string;
}

/** How far one statement applies to a request. */
type Match = 'yes' | 'no' | 'maybe';

/**
 * Evaluates one request against a role's policies.
 *
 * @example
 * evaluate(role, { action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:us-east-1:123456789012:function:Fn' })
 * // → { decision: 'allowed', decidedBy: [...] }
 */
export function evaluate(role: RolePolicies, request: AccessRequest): Evaluation {
  if (role.notCheckable) return { decision: 'unknown', decidedBy: [], reason: role.notCheckable };
  const allows: SourcedStatement[] = [];
  const maybeAllows: Array<{ s: SourcedStatement; why: string }> = [];
  const maybeDenies: Array<{ s: SourcedStatement; why: string }> = [];
  for (const s of role.statements) {
    const [match, why] = statementMatches(s.statement, request);
    if (match === 'no') continue;
    if (s.statement.Effect === 'Deny') {
      if (match === 'yes') return { decision: 'denied', decidedBy: [s], reason: `explicitly denied by ${describeStatement(s)}` };
      maybeDenies.push({ s, why });
    } else if (match === 'yes') {
      allows.push(s);
    } else {
      maybeAllows.push({ s, why });
    }
  }
  if (allows.length > 0) {
    if (maybeDenies.length === 0) return { decision: 'allowed', decidedBy: allows };
    const d = maybeDenies[0];
    return { decision: 'unknown', decidedBy: allows, reason: `allowed, but ${describeStatement(d.s)} may deny it (${d.why})` };
  }
  if (maybeAllows.length > 0) {
    const a = maybeAllows[0];
    return { decision: 'unknown', decidedBy: maybeAllows.map((m) => m.s), reason: `${describeStatement(a.s)} allows it only if ${a.why}` };
  }
  if (role.opaquePolicies.length > 0) {
    return {
      decision: 'unknown',
      decidedBy: [],
      reason: `no statement in the template allows it; it may be allowed by ${role.opaquePolicies.join(', ')}, whose text is not in the template`,
    };
  }
  return { decision: 'implicitDeny', decidedBy: [] };
}

/** A statement, as messages name it. */
export function describeStatement(s: SourcedStatement): string {
  return `${s.statement.Sid ? `statement '${s.statement.Sid}' of ` : 'a statement of '}${s.source}`;
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function statementMatches(st: PolicyStatement, req: AccessRequest): [Match, string] {
  const actionMatch = st.Action !== undefined
    ? list(st.Action).some((p) => actionMatches(p, req.action))
    : st.NotAction !== undefined && !list(st.NotAction).some((p) => actionMatches(p, req.action));
  if (!actionMatch) return ['no', ''];
  const resource = resourceMatch(st, req.resource);
  if (resource === 'no') return ['no', ''];
  const condition = conditionMatch(st.Condition, req.context ?? {});
  if (condition[0] === 'no') return ['no', ''];
  if (resource === 'maybe') return ['maybe', `the resource, only known at run time, is one it names (${list(st.Resource ?? st.NotResource).join(', ')})`];
  return condition;
}

function resourceMatch(st: PolicyStatement, resource: string | undefined): Match {
  if (st.Resource !== undefined) {
    const patterns = list(st.Resource);
    if (resource === undefined) return patterns.includes('*') ? 'yes' : patterns.length > 0 ? 'maybe' : 'no';
    return patterns.some((p) => wildcardMatches(p, resource, false)) ? 'yes' : 'no';
  }
  if (st.NotResource !== undefined) {
    const patterns = list(st.NotResource);
    if (resource === undefined) return patterns.includes('*') ? 'no' : 'maybe';
    return patterns.some((p) => wildcardMatches(p, resource, false)) ? 'no' : 'yes';
  }
  // A statement without Resource or NotResource is invalid in an identity policy; IAM rejects it.
  return 'no';
}

/** `Action` patterns are case-insensitive; `*` and `?` are wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatches(pattern, action, true);
}

const compiled = new Map<string, RegExp>();

/** IAM's wildcard match: `*` any run of characters, `?` one character; ARNs are case-sensitive. */
export function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    compiled.set(key, re);
  }
  return re.test(value);
}

type Operator = (pattern: string, value: string) => boolean;

/** The condition operators evaluated here; any other makes the statement `maybe`. */
const OPERATORS: Record<string, { test: Operator; negated: boolean }> = {
  StringEquals: { test: (p, v) => p === v, negated: false },
  StringNotEquals: { test: (p, v) => p === v, negated: true },
  StringEqualsIgnoreCase: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: true },
  StringLike: { test: (p, v) => wildcardMatches(p, v, false), negated: false },
  StringNotLike: { test: (p, v) => wildcardMatches(p, v, false), negated: true },
  ArnEquals: { test: (p, v) => wildcardMatches(p, v, false), negated: false },
  ArnLike: { test: (p, v) => wildcardMatches(p, v, false), negated: false },
  ArnNotEquals: { test: (p, v) => wildcardMatches(p, v, false), negated: true },
  ArnNotLike: { test: (p, v) => wildcardMatches(p, v, false), negated: true },
  Bool: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: false },
};

/**
 * Conditions: every operator and key must hold. A key this request has no
 * value for (most keys: `aws:SourceIp`, tags, ...) makes the statement
 * `maybe`, unless the operator ends in `IfExists`, which holds when the key
 * is absent.
 */
function conditionMatch(condition: PolicyCondition | undefined, context: Readonly<Record<string, string>>): [Match, string] {
  if (condition === undefined) return ['yes', ''];
  let result: [Match, string] = ['yes', ''];
  for (const [rawOperator, keys] of Object.entries(condition)) {
    const ifExists = rawOperator.endsWith('IfExists');
    const operatorName = rawOperator.replace(/^For(AnyValue|AllValues):/, '').replace(/IfExists$/, '');
    const operator = OPERATORS[operatorName];
    for (const [key, raw] of Object.entries(keys ?? {})) {
      const wanted = (Array.isArray(raw) ? raw : [raw]).map(String);
      const value = lookup(context, key);
      if (value === undefined) {
        if (ifExists) continue;
        result = ['maybe', `condition ${rawOperator} on '${key}' holds (its value is not known before run time)`];
        continue;
      }
      if (!operator) {
        result = ['maybe', `condition ${rawOperator} on '${key}' holds (the operator is not evaluated here)`];
        continue;
      }
      const any = wanted.some((p) => operator.test(p, value));
      if (operator.negated ? any : !any) return ['no', ''];
    }
  }
  return result;
}

/** Condition keys are case-insensitive. */
function lookup(context: Readonly<Record<string, string>>, key: string): string | undefined {
  if (key in context) return context[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(context)) if (k.toLowerCase() === lower) return context[k];
  return undefined;
}
