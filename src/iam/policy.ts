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
import { wildcardMatch, type WildcardPiece } from '../asl/wildcard';

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

/**
 * True for a statement whose Effect, actions and resources are all text, as IAM reads them: what a
 * template's policy document must hold for the evaluator to read it (a statement that is not one
 * makes its policy unreadable, never guessed at).
 * @internal
 */
export function isPolicyStatement(s: unknown): s is PolicyStatement {
  if (s === null || typeof s !== 'object') return false;
  // Any object has these fields, each possibly absent and of any type until checked.
  const st: { readonly [K in keyof PolicyStatement]?: unknown } = s;
  const texts = (v: unknown): boolean => v === undefined || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  return (st.Effect === 'Allow' || st.Effect === 'Deny')
    && (st.Action !== undefined || st.NotAction !== undefined) && (st.Resource !== undefined || st.NotResource !== undefined)
    && texts(st.Action) && texts(st.NotAction) && texts(st.Resource) && texts(st.NotResource);
}

/** A statement and the policy it came from, for messages. */
export interface SourcedStatement {
  readonly statement: PolicyStatement;
  /** Where the statement lives, e.g. `AWS::IAM::Policy StateMachineRoleDefaultPolicyDF1E6607`. */
  readonly source: string;
  /**
   * The `Version` of the policy document. IAM evaluates `${…}` policy
   * variables only under `2012-10-17`; under `2008-10-17` (the version of a
   * document that names none) they are literal text.
   * @default '2012-10-17' - the version the CDK writes
   */
  readonly policyVersion?: string;
  /**
   * A statement of a resource-based policy (a KMS key policy): its `Resource`
   * is the resource it is attached to, so `*` there is not an over-broad grant.
   * @default false
   */
  readonly resourceBased?: boolean;
}

/**
 * The permissions boundary of a role: the most its identity policies can
 * grant. An action the boundary does not allow is denied whatever they say.
 */
export interface PermissionsBoundary {
  /** Where the boundary is, for messages: `AWS::IAM::ManagedPolicy Boundary` or its ARN. */
  readonly source: string;
  /** Its statements, when the policy is in the template. */
  readonly statements?: readonly SourcedStatement[];
  /** Why its statements cannot be read (an AWS managed policy, a policy of another stack). */
  readonly unreadable?: string;
}

/** Everything known about the permissions of one role. */
export interface RolePolicies {
  /** The role's ARN (a placeholder when it comes from a template). */
  readonly roleArn?: string;
  /** The statements of every policy attached to the role whose text is known. */
  readonly statements: readonly SourcedStatement[];
  /**
   * Policies that may grant the role more than `statements` and cannot be
   * read (AWS managed policies, customer managed policies from outside the
   * template, statements that did not resolve, a policy attached only under a
   * condition that cannot be evaluated): an action not allowed by `statements`
   * may still be allowed by one of these, so it is reported as "cannot check".
   */
  readonly opaquePolicies: readonly string[];
  /**
   * Set when the role itself cannot be read (imported from outside the
   * template, or given as a parameter): no permission can be checked.
   */
  readonly notCheckable?: string;
  /** The role's permissions boundary, when it has one. */
  readonly boundary?: PermissionsBoundary;
}

/** A request to evaluate. */
export interface AccessRequest {
  /** `service:Action`, e.g. `lambda:InvokeFunction`. */
  readonly action: string;
  /** The resource ARN; undefined when it is only known at run time. */
  readonly resource?: string;
  /**
   * When `resource` is only known at run time, what every resource it may be
   * starts with, where that is known: `arn:aws:s3:::input/` for an object of
   * a fixed bucket whose key is an expression. A statement whose Resource
   * holds every such resource (`arn:aws:s3:::input/*`, `arn:aws:s3:::*`)
   * allows it; one that holds none of them (`arn:aws:s3:::results/*`) does
   * not apply to it.
   * @default - nothing is known of the resource
   */
  readonly resourcePrefix?: string;
  /** Values of condition keys this request would carry (e.g. `states:HTTPMethod`). */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * Compare the resource without regard to case: for a name the service
   * keeps in lower case in its ARNs while policies write it as the request
   * gave it (SageMaker job, model and endpoint names).
   * @default false
   */
  readonly resourceIgnoreCase?: boolean;
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
  /** Why the decision is `unknown`, what a Deny said, or the condition that kept an Allow of this action and resource from it. */
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
  const identity = evaluateStatements(role, request);
  return role.boundary ? withinBoundary(identity, role.boundary, request) : identity;
}

/**
 * An identity-policy answer limited by the permissions boundary: an explicit
 * Deny in either wins; an Allow counts only if the boundary allows it too.
 */
function withinBoundary(identity: Evaluation, boundary: PermissionsBoundary, request: AccessRequest): Evaluation {
  if (identity.decision === 'denied' || identity.decision === 'implicitDeny') return identity;
  if (boundary.statements === undefined) {
    return { decision: 'unknown', decidedBy: identity.decidedBy, reason: `the role's permissions boundary ${boundary.source} cannot be read (${boundary.unreadable ?? 'it is not in the template'}), and it may not allow it` };
  }
  const limit = evaluateStatements({ statements: boundary.statements, opaquePolicies: [] }, request);
  switch (limit.decision) {
    case 'allowed': return identity;
    case 'denied': return { decision: 'denied', decidedBy: limit.decidedBy, reason: `${limit.reason}, the role's permissions boundary` };
    case 'implicitDeny': return { decision: 'implicitDeny', decidedBy: [], reason: `the role's permissions boundary ${boundary.source} does not allow it, whatever the role's policies allow` };
    case 'unknown': return { decision: 'unknown', decidedBy: identity.decidedBy, reason: `cannot tell whether the role's permissions boundary ${boundary.source} allows it: ${limit.reason}` };
  }
}

/** The answer of a set of statements alone (identity policies, or a boundary). */
export function evaluateStatements(role: Pick<RolePolicies, 'statements' | 'opaquePolicies'>, request: AccessRequest): Evaluation {
  const allows: SourcedStatement[] = [];
  const maybeAllows: Array<{ s: SourcedStatement; why: string }> = [];
  const maybeDenies: Array<{ s: SourcedStatement; why: string }> = [];
  let shutOut: { s: SourcedStatement; why: string } | undefined;
  for (const s of role.statements) {
    const [match, why] = statementMatches(s, request);
    if (match === 'no') {
      if (why !== '' && s.statement.Effect === 'Allow') shutOut ??= { s, why };
      continue;
    }
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
      reason: `no statement in the template allows it; it may be allowed by ${role.opaquePolicies.join(', ')}, which cannot be read from the template`,
    };
  }
  // A statement for this action and resource whose condition does not hold: what the message names, as no statement allows it.
  if (shutOut) return { decision: 'implicitDeny', decidedBy: [], reason: `${describeStatement(shutOut.s)} allows it only if ${shutOut.why}` };
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

function statementMatches(s: SourcedStatement, req: AccessRequest): [Match, string] {
  const st = s.statement;
  const actionMatch = st.Action !== undefined
    ? list(st.Action).some((p) => actionMatches(p, req.action))
    : st.NotAction !== undefined && !list(st.NotAction).some((p) => actionMatches(p, req.action));
  if (!actionMatch) return ['no', ''];
  const variables = (s.policyVersion ?? POLICY_VARIABLES_VERSION) === POLICY_VARIABLES_VERSION;
  const context = req.context ?? {};
  const [resource, resourceWhy] = req.resource === undefined && req.resourcePrefix !== undefined
    ? prefixMatch(st, req.resourcePrefix, req.resourceIgnoreCase === true)
    : resourceMatch(st, req.resource, variables ? context : undefined, req.resourceIgnoreCase === true);
  if (resource === 'no') return ['no', ''];
  const condition = conditionMatch(st.Condition, context, variables);
  // The action and resource are the request's: why the condition shuts it out, for the message of a request none allows.
  if (condition[0] === 'no') return ['no', condition[1]];
  if (resource === 'maybe') return ['maybe', resourceWhy];
  return condition;
}

/** The policy language version under which `${…}` is a policy variable. */
const POLICY_VARIABLES_VERSION = '2012-10-17';

/**
 * How a Resource or NotResource applies to the request's resource, and why
 * when only run time can tell. `context` holds the values policy variables
 * take; undefined when the policy's version reads them as literal text.
 */
function resourceMatch(st: PolicyStatement, resource: string | undefined, context: Readonly<Record<string, string>> | undefined,
  ignoreCase: boolean): [Match, string] {
  const negated = st.Resource === undefined;
  const raw = st.Resource ?? st.NotResource;
  // A statement without Resource or NotResource is invalid in an identity policy; IAM rejects it.
  if (raw === undefined) return ['no', ''];
  const patterns = list(raw);
  if (resource === undefined) {
    if (patterns.includes('*')) return [negated ? 'no' : 'yes', ''];
    return negated || patterns.length > 0 ? ['maybe', `the resource, only known at run time, is one it names (${patterns.join(', ')})`] : ['no', ''];
  }
  let found: Match = 'no';
  let why = '';
  for (const p of patterns) {
    const [m, unknown] = context === undefined ? [wildcardMatches(p, resource, ignoreCase) ? 'yes' : 'no', []] as const : resourcePatternMatch(p, resource, context, ignoreCase);
    if (m === 'yes') {
      found = 'yes';
      break;
    }
    if (m === 'maybe' && found === 'no') {
      found = 'maybe';
      why = `the policy variable${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in ${negated ? 'NotResource' : 'Resource'} ${p} take${unknown.length > 1 ? '' : 's'} a value that makes it ${negated ? 'exclude' : 'name'} ${resource} (known only at run time)`;
    }
  }
  if (!negated) return [found, why];
  return found === 'yes' ? ['no', ''] : found === 'maybe' ? ['maybe', why] : ['yes', ''];
}

/**
 * How a Resource or NotResource applies to a resource only known at run time
 * that starts with `prefix`. A pattern ending in `*` that matches the prefix
 * itself matches every resource that starts with it (its last `*` takes the
 * rest); a pattern no string starting with the prefix can match applies to
 * none; any other, or one holding a policy variable, applies to some.
 */
function prefixMatch(st: PolicyStatement, prefix: string, ignoreCase: boolean): [Match, string] {
  const negated = st.Resource === undefined;
  const raw = st.Resource ?? st.NotResource;
  if (raw === undefined) return ['no', ''];
  let found: Match = 'no';
  let some = '';
  for (const p of list(raw)) {
    if (p.endsWith('*') && !p.includes('${') && wildcardMatches(p, prefix, ignoreCase)) {
      found = 'yes';
      break;
    }
    if (p.includes('${') || canStartWith(p, prefix, ignoreCase)) {
      found = 'maybe';
      some ||= p;
    }
  }
  const why = `the resource, only known at run time, is one under ${prefix} that ${negated ? 'NotResource' : 'Resource'} ${some} ${negated ? 'leaves out' : 'names'}`;
  if (!negated) return [found, found === 'maybe' ? why : ''];
  return found === 'yes' ? ['no', ''] : found === 'maybe' ? ['maybe', why] : ['yes', ''];
}

/** True when some string longer than `prefix` and starting with it matches the wildcard `pattern`. */
function canStartWith(pattern: string, prefix: string, ignoreCase: boolean): boolean {
  const same = (a: string, b: string): boolean => (ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b);
  // The positions in the pattern reachable after reading the prefix, a `*` standing for any run of characters.
  let at = closure(pattern, new Set([0]));
  for (let k = 0; k < prefix.length; k++) {
    const c = prefix[k];
    const next = new Set<number>();
    for (const i of at) {
      if (i >= pattern.length) continue;
      const p = pattern[i];
      if (p === '*') next.add(i);
      else if (p === '?' || same(p, c)) next.add(i + 1);
    }
    at = closure(pattern, next);
    if (at.size === 0) return false;
  }
  // Something must follow the prefix: a position with pattern left to read.
  return [...at].some((i) => i < pattern.length);
}

/** The positions reachable from `at` by skipping `*`s, which may stand for nothing. */
function closure(pattern: string, at: Set<number>): Set<number> {
  for (const i of at) if (pattern[i] === '*') at.add(i + 1);
  return at;
}

/**
 * A `${…}` policy variable: a condition key (`${aws:PrincipalTag/team}`,
 * `${aws:username}`), optionally with a default (`${aws:PrincipalTag/team, 'none'}`),
 * or `${*}`, `${?}`, `${$}` for those characters themselves.
 */
const POLICY_VARIABLE = /\$\{([^}]*)\}/g;

/** A policy variable's value: the literal characters, the request's value for its key, or undefined when unknown before run time. */
function variableValue(inner: string, context: Readonly<Record<string, string>>): string | undefined {
  const body = inner.trim();
  if (body === '*' || body === '?' || body === '$') return body;
  const key = body.replace(/\s*,\s*'(?:[^']|'')*'$/, '');
  return lookup(context, key);
}

/**
 * IAM's wildcard match of a pattern holding policy variables: `yes` or `no`
 * when every variable's value is known; when some are not, `no` if no value
 * of theirs could make it match, else `maybe`, with the variables named.
 */
function resourcePatternMatch(pattern: string, value: string, context: Readonly<Record<string, string>>, ignoreCase: boolean): [Match, string[]] {
  if (!pattern.includes('${')) return [wildcardMatches(pattern, value, ignoreCase) ? 'yes' : 'no', []];
  const unknown: string[] = [];
  const pieces: WildcardPiece[] = [];
  let last = 0;
  for (const m of pattern.matchAll(POLICY_VARIABLE)) {
    pieces.push({ text: pattern.slice(last, m.index), wild: true });
    const known = variableValue(m[1], context);
    if (known === undefined) {
      unknown.push(m[0]);
      pieces.push({ text: '*', wild: true });
    } else {
      pieces.push({ text: known, wild: false });
    }
    last = m.index! + m[0].length;
  }
  pieces.push({ text: pattern.slice(last), wild: true });
  if (!wildcardMatch(pieces, value, ignoreCase)) return ['no', []];
  return [unknown.length === 0 ? 'yes' : 'maybe', unknown];
}

/** `Action` patterns are case-insensitive; `*` and `?` are wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatches(pattern, action, true);
}

/**
 * IAM's wildcard match: `*` any run of characters, `?` one character; ARNs are case-sensitive.
 * Matched in linear time (asl/wildcard.ts), so a pattern of many `*`s cannot stall a check.
 */
export function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  return wildcardMatch([{ text: pattern, wild: true }], value, ignoreCase);
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
function conditionMatch(condition: PolicyCondition | undefined, context: Readonly<Record<string, string>>, variables: boolean): [Match, string] {
  if (condition === undefined) return ['yes', ''];
  let result: [Match, string] = ['yes', ''];
  for (const [rawOperator, keys] of Object.entries(condition)) {
    const ifExists = rawOperator.endsWith('IfExists');
    const operatorName = rawOperator.replace(/^For(AnyValue|AllValues):/, '').replace(/IfExists$/, '');
    const operator = OPERATORS[operatorName];
    for (const [key, raw] of Object.entries(keys ?? {})) {
      const given = (Array.isArray(raw) ? raw : [raw]).map(String);
      const wanted: string[] = [];
      const unknown: string[] = [];
      for (const w of given) {
        const v = variables ? substituteVariables(w, context) : { text: w, unknown: [] };
        if (v.unknown.length) unknown.push(...v.unknown);
        else wanted.push(v.text);
      }
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
      if (operator.negated && any) return ['no', `condition ${rawOperator} on '${key}' holds, and it does not: here it is '${value}'`];
      // A value compared with a policy variable of unknown value may or may not be the one.
      if (!operator.negated && any) continue;
      if (unknown.length === 0) {
        if (!operator.negated) return ['no', `condition ${rawOperator} on '${key}' holds, and it does not: it names ${wanted.map((w) => `'${w}'`).join(', ')}, and here it is '${value}'`];
        continue;
      }
      result = ['maybe', `condition ${rawOperator} on '${key}' holds (it compares with ${unknown.join(', ')}, known only at run time)`];
    }
  }
  return result;
}

/** A condition value with its policy variables replaced; the variables whose value is not known are listed. */
function substituteVariables(text: string, context: Readonly<Record<string, string>>): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  const out = text.replace(POLICY_VARIABLE, (whole, inner: string) => {
    const v = variableValue(inner, context);
    if (v === undefined) unknown.push(whole);
    return v ?? whole;
  });
  return { text: out, unknown };
}

/** Condition keys are case-insensitive. */
function lookup(context: Readonly<Record<string, string>>, key: string): string | undefined {
  if (key in context) return context[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(context)) if (k.toLowerCase() === lower) return context[k];
  return undefined;
}
