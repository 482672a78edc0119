import { NO_FACTS, type ResourceFacts } from './facts';
import {
  IntegrationPermissions,
  permissionsForDistributedMap,
  permissionsForStateMachine,
  permissionsForTask,
  Requirement,
  taskContext,
} from './integrations';
import { actionMatches, Decision, describeStatement, evaluate, evaluateStatements, Evaluation, RolePolicies, SourcedStatement } from './policy';
import type { JsonValue, StateMachineDefinition, TaskState } from '../asl';
import { forEachState, isDistributedMap, statePointer } from '../asl/state-tree';

/** One permission one state (or the state machine itself) needs, and whether the role has it. */
export interface PermissionCheck {
  /** Name of the Task (or Distributed Map) state; `''` for what the state machine itself needs (its own KMS key). */
  readonly state: string;
  /** JSON-pointer location of the state in the definition, e.g. `/States/Process/ItemProcessor/States/Save`; `''` for the state machine. */
  readonly location: string;
  /** The integration, e.g. `lambda:invoke`, `aws-sdk:s3:getObject`, `distributed map`, `state machine`. */
  readonly integration: string;
  /** The service name of the AccessDenied error AWS fails the state with (`Lambda`, `DynamoDB`). */
  readonly errorService: string;
  readonly action: string;
  /** The resource ARN; `*` for an action without resource-level permissions; undefined when it is not known before run time. */
  readonly resource?: string;
  /** Why the resource is not known (`JobQueue comes from $.jobQueueArn at run time`). */
  readonly unresolved?: string;
  /**
   * When the resource is not known before run time, what it starts with where that is known
   * (`arn:aws:s3:::input/` for an object of a fixed bucket whose key is an expression).
   */
  readonly resourcePrefix?: string;
  /** Why the state needs it. */
  readonly why: string;
  /** A permission only part of the integration needs (a Map Run redrive): missing is a warning. */
  readonly optional: boolean;
  readonly decision: Decision;
  /** Why the decision is `unknown` or `denied`. */
  readonly reason?: string;
  /** The policies whose statements decided it. */
  readonly decidedBy: readonly string[];
}

/** Stable codes of permission findings. */
export const PermissionCodes = {
  /** No statement allows an action a state needs: the state fails with AccessDenied on AWS. */
  MISSING_PERMISSION: 'MISSING_PERMISSION',
  /** An explicit Deny blocks an action a state needs. */
  DENIED_PERMISSION: 'DENIED_PERMISSION',
  /** A permission only part of the integration needs (redriving a Map Run, following a `.sync` job) is missing. */
  MISSING_OPTIONAL_PERMISSION: 'MISSING_OPTIONAL_PERMISSION',
  /** Whether the role allows it depends on what cannot be read before deploy (a condition, a managed policy, a run-time resource). */
  CANNOT_CHECK: 'CANNOT_CHECK',
  /** The role is not in the template (imported, or a parameter): nothing is checked. */
  ROLE_NOT_CHECKABLE: 'ROLE_NOT_CHECKABLE',
  /** A Task uses an integration the permission table does not know: it is not checked. */
  UNKNOWN_INTEGRATION: 'UNKNOWN_INTEGRATION',
  /**
   * A statement allows every action of a service (`*`, `s3:*`), or every
   * resource where the states need some (a warning, with the resources to
   * narrow it to); or, as `info`, it allows every resource and must, because
   * a state reaches one only known at run time.
   */
  OVER_BROAD_GRANT: 'OVER_BROAD_GRANT',
} as const;

/** One of {@link PermissionCodes}. */
export type PermissionCode = typeof PermissionCodes[keyof typeof PermissionCodes];

/** A problem found, with the fix when one is known. */
export interface PermissionFinding {
  readonly code: PermissionCode;
  /** `error`: fails on AWS; `warning`: works but too broad, or fails only sometimes; `info`: not checked, or why a grant stays broad. */
  readonly severity: 'error' | 'warning' | 'info';
  readonly state?: string;
  readonly location?: string;
  readonly action?: string;
  readonly resource?: string;
  readonly message: string;
  /** The statement to add, or the CDK grant to call. */
  readonly fix?: string;
}

/** The result of checking one state machine's role. */
export interface PermissionReport {
  /** The state machine checked (its ARN). */
  readonly stateMachine: string;
  /** Logical id of the state machine, when it came from a template. */
  readonly logicalId?: string;
  /** The role's ARN, when known. */
  readonly roleArn?: string;
  /** Every permission every state needs, with the role's answer. */
  readonly checks: readonly PermissionCheck[];
  /** The problems among them, and over-broad grants. */
  readonly findings: readonly PermissionFinding[];
  /** True when no finding is an error. */
  readonly ok: boolean;
}

/** Options of {@link checkRolePermissions}. */
export interface RoleCheckOptions {
  /**
   * ARN of the state machine (a Distributed Map starts executions of it; an
   * HTTP Task is authorized on it). Partition, region and account come from it.
   */
  readonly stateMachineArn: string;
  /**
   * What the template tells about the resources the Tasks reach: KMS keys of
   * encrypted targets and of the state machine, roles of task definitions.
   * @default - none: a definition checked without its template
   */
  readonly facts?: ResourceFacts;
}

/** A request as evaluated: the requirement, and the state that has it. */
interface Use {
  readonly check: PermissionCheck;
  readonly statement: SourcedStatement;
}

/**
 * Checks that a role allows every action each Task, Distributed Map,
 * ItemReader and ResultWriter of a definition needs, and what the state
 * machine itself needs (the KMS key of its `EncryptionConfiguration`).
 *
 * @example
 * const report = checkRolePermissions(definition, role, { stateMachineArn });
 * for (const f of report.findings) console.log(f.severity, f.message, f.fix);
 */
export function checkRolePermissions(definition: StateMachineDefinition, role: RolePolicies, options: RoleCheckOptions): PermissionReport {
  const ctx = taskContext(options.stateMachineArn, options.facts ?? NO_FACTS);
  const checks: PermissionCheck[] = [];
  const findings: PermissionFinding[] = [];
  const uses: Use[] = [];
  if (role.notCheckable) {
    findings.push({ code: PermissionCodes.ROLE_NOT_CHECKABLE, severity: 'warning', message: `the role's permissions cannot be checked: ${role.notCheckable}` });
  }
  const global: Record<string, string> = { 'aws:PrincipalAccount': ctx.account, ...(role.roleArn ? { 'aws:PrincipalArn': role.roleArn } : {}) };

  const record = (name: string, location: string, permissions: IntegrationPermissions, req: Requirement & { underOtherRole?: boolean }): void => {
    const request = {
      action: req.action,
      resource: req.resource,
      ...(req.resourcePrefix !== undefined ? { resourcePrefix: req.resourcePrefix } : {}),
      context: { ...global, ...req.context },
      resourceIgnoreCase: req.resourceIgnoreCase === true,
    };
    const evaluation: Evaluation = req.underOtherRole
      ? { decision: 'unknown', decidedBy: [], reason: 'the Task runs with the role in its Credentials, which is not checked' }
      : evaluateRequirement(role, req, request);
    const check: PermissionCheck = {
      state: name,
      location,
      integration: permissions.integration,
      errorService: permissions.errorService,
      action: req.action,
      ...(req.resource !== undefined ? { resource: req.resource } : {}),
      ...(req.unresolved !== undefined ? { unresolved: req.unresolved } : {}),
      ...(req.resource === undefined && req.resourcePrefix !== undefined ? { resourcePrefix: req.resourcePrefix } : {}),
      why: req.why,
      optional: req.optional === true,
      decision: evaluation.decision,
      ...(evaluation.reason ? { reason: evaluation.reason } : {}),
      decidedBy: evaluation.decidedBy.map((s) => s.source),
    };
    checks.push(check);
    const finding = findingOf(check, permissions, role.notCheckable !== undefined);
    if (finding) findings.push(finding);
    // An allowed (or maybe allowed) request counts as a use of each statement that allows it, for narrowing advice.
    if (check.decision === 'allowed' || check.decision === 'unknown') {
      for (const s of evaluation.decidedBy) if (!s.resourceBased && s.statement.Effect === 'Allow') uses.push({ check, statement: s });
    }
  };

  const machine: IntegrationPermissions = { integration: 'state machine', doc: 'https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html', errorService: 'States', requirements: permissionsForStateMachine(ctx) };
  for (const req of machine.requirements) record('', '', machine, req);

  forEachState(definition, (name, state, scope) => {
    const location = statePointer(scope, name);
    let permissions: IntegrationPermissions | undefined;
    let assumed: string | undefined;
    if (state.Type === 'Task') {
      permissions = permissionsForTask(state, ctx);
      assumed = credentialsRole(state);
    } else if (state.Type === 'Map' && isDistributedMap(state)) {
      permissions = permissionsForDistributedMap(state, ctx);
    }
    if (!permissions) return;
    if (permissions.unknown) {
      findings.push({ code: PermissionCodes.UNKNOWN_INTEGRATION, severity: 'warning', state: name, location, message: `state '${name}': ${permissions.unknown}` });
      return;
    }
    if (permissions.authorizedElsewhere) {
      findings.push({ code: PermissionCodes.CANNOT_CHECK, severity: 'info', state: name, location, message: `state '${name}' calls ${permissions.integration}: ${permissions.authorizedElsewhere}` });
    }
    const requirements: ReadonlyArray<Requirement & { underOtherRole?: boolean }> = assumed === undefined ? permissions.requirements
      : [
        { action: 'sts:AssumeRole', ...(assumed === '' ? { unresolved: 'the role in Credentials is only known at run time' } : { resource: assumed }), why: 'to assume the role named in Credentials' },
        ...permissions.requirements.map((r) => ({ ...r, underOtherRole: true })),
      ];
    for (const req of requirements) record(name, location, permissions, req);
  });
  findings.push(...overBroadResources(uses));
  findings.push(...overBroadActions(role));
  return {
    stateMachine: options.stateMachineArn,
    ...(role.roleArn ? { roleArn: role.roleArn } : {}),
    checks,
    findings,
    ok: !findings.some((f) => f.severity === 'error'),
  };
}

/**
 * The role's answer, and for a KMS key the key policy's too: in the key's
 * account the use of a key is allowed when the key policy allows the role, or
 * when it allows the account (which lets IAM policies decide) and the role's
 * policies allow it; an explicit Deny in either denies.
 */
function evaluateRequirement(role: RolePolicies, req: Requirement, request: Parameters<typeof evaluate>[1]): Evaluation {
  const identity = evaluate(role, request);
  if (req.kmsKey === undefined || role.notCheckable) return identity;
  const policy = req.kmsKey.policy;
  if (policy === undefined) {
    if (identity.decision !== 'implicitDeny') return identity;
    return { decision: 'unknown', decidedBy: [], reason: `no statement of the role allows it, and the key ${req.kmsKey.keyArn} is not defined in the template, so whether its key policy grants the role directly cannot be read` };
  }
  const direct = evaluateStatements({ statements: policy.forRole, opaquePolicies: [] }, request);
  if (direct.decision === 'denied') return direct;
  if (direct.decision === 'allowed' && identity.decision !== 'denied') return direct;
  const account = evaluateStatements({ statements: policy.forAccount, opaquePolicies: [] }, request);
  let result: Evaluation;
  if (account.decision === 'allowed') {
    result = identity.decision === 'implicitDeny' && direct.decision === 'unknown' ? { ...direct } : identity;
  } else if (identity.decision === 'implicitDeny' || identity.decision === 'denied') {
    result = direct.decision === 'unknown' ? direct : identity;
  } else if (account.decision === 'implicitDeny') {
    result = direct.decision === 'unknown'
      ? direct
      : { decision: 'implicitDeny', decidedBy: [], reason: `the key policy of ${req.kmsKey.keyArn} neither allows the role nor lets IAM policies allow it (no statement for the account root)` };
  } else {
    result = { decision: 'unknown', decidedBy: identity.decidedBy, reason: `the key policy lets IAM policies allow it only if ${account.reason}` };
  }
  if (result.decision === 'implicitDeny' && policy.unreadable) return { decision: 'unknown', decidedBy: [], reason: `${policy.unreadable}, and it may allow it` };
  return result;
}

function subject(check: PermissionCheck): string {
  return check.state === '' ? 'the state machine' : `state '${check.state}'`;
}

/** The resource a check names in messages and fixes: its ARN, or `<prefix>*` for one known only by what it starts with. */
function shownResource(check: PermissionCheck): string | undefined {
  return check.resource ?? (check.resourcePrefix !== undefined ? `${check.resourcePrefix}*` : undefined);
}

function findingOf(check: PermissionCheck, permissions: IntegrationPermissions, roleUnknown: boolean): PermissionFinding | undefined {
  const shown = shownResource(check);
  const what = `${check.action}${shown ? ` on ${shown}` : ''}`;
  const base = {
    ...(check.state !== '' ? { state: check.state, location: check.location } : {}),
    action: check.action,
    ...(shown ? { resource: shown } : {}),
  };
  switch (check.decision) {
    case 'allowed': return undefined;
    case 'unknown': {
      // One ROLE_NOT_CHECKABLE finding says it for every check.
      if (roleUnknown) return undefined;
      const unresolved = check.resource === undefined && check.unresolved ? ` (${check.unresolved})` : '';
      return { code: PermissionCodes.CANNOT_CHECK, severity: 'info', ...base, message: `${subject(check)} needs ${what} ${check.why}${unresolved}; cannot check: ${check.reason}` };
    }
    case 'denied':
      return {
        code: PermissionCodes.DENIED_PERMISSION,
        severity: check.optional ? 'warning' : 'error',
        ...base,
        message: `${subject(check)} needs ${what} ${check.why}, but it is ${check.reason}`,
        fix: 'remove or narrow the Deny statement',
      };
    case 'implicitDeny':
      return {
        code: check.optional ? PermissionCodes.MISSING_OPTIONAL_PERMISSION : PermissionCodes.MISSING_PERMISSION,
        severity: check.optional ? 'warning' : 'error',
        ...base,
        message: `${subject(check)} needs ${what} ${check.why}, but ${check.reason ?? 'no statement of the role allows it'}`,
        fix: fixFor(check, permissions),
      };
  }
}

function fixFor(check: PermissionCheck, permissions: IntegrationPermissions): string {
  const statement = JSON.stringify({ Effect: 'Allow', Action: check.action, Resource: shownResource(check) ?? '*' });
  return `add ${statement} to the role${permissions.grant ? `, or in the CDK: ${permissions.grant}` : ''} (see ${permissions.doc})`;
}

/** `Resource: "*"` without a condition to narrow it (an HTTP Task's grant is `*` narrowed by `states:HTTPEndpoint`). */
function allowsEveryResource(s: SourcedStatement): boolean {
  const r = s.statement.Resource;
  return s.statement.Condition === undefined && (r === '*' || (Array.isArray(r) && r.includes('*')));
}

/**
 * Statements that allow every resource where the states need some. Every
 * use of the statement counts, across all states: a narrower Resource must
 * still hold every resource each of them reaches. When one of them reaches a
 * resource only known at run time (or an action without resource-level
 * permissions), the grant of that action cannot be narrowed, and the finding
 * says why instead of suggesting a Resource AWS would deny a Task with.
 */
function overBroadResources(uses: readonly Use[]): PermissionFinding[] {
  const byStatement = new Map<SourcedStatement, Use[]>();
  for (const u of uses) {
    if (!allowsEveryResource(u.statement)) continue;
    const list = byStatement.get(u.statement) ?? [];
    list.push(u);
    byStatement.set(u.statement, list);
  }
  const out: PermissionFinding[] = [];
  for (const [statement, list] of byStatement) {
    const perAction = [...new Set(list.map((u) => u.check.action))].map((action) => {
      const forAction = list.filter((u) => u.check.action === action);
      // An object of a known bucket narrows to the bucket's objects (`<prefix>*`), as a known resource does.
      const known = forAction.filter((u) => shownResource(u.check) !== undefined && u.check.resource !== '*');
      return {
        action,
        known,
        resources: [...new Set(known.map((u) => shownResource(u.check)!))].sort(),
        open: forAction.find((u) => shownResource(u.check) === undefined || u.check.resource === '*'),
      };
    });
    for (const p of perAction) {
      if (!p.open || p.known.length === 0) continue;
      const o = p.open.check;
      const because = o.resource === '*' ? `${o.action} has no resource-level permission for it` : `it reaches a resource only known at run time (${o.unresolved ?? 'it comes from the input'})`;
      out.push({
        code: PermissionCodes.OVER_BROAD_GRANT,
        severity: 'info',
        ...(o.state !== '' ? { state: o.state, location: o.location } : {}),
        action: p.action,
        message: `${describeStatement(statement)} allows ${p.action} on every resource and cannot be narrowed: ${subject(o)} needs it on every resource because ${because}; a Resource of ${p.resources.join(', ')} alone would deny it`,
      });
    }
    const narrowable = perAction.filter((p) => !p.open && p.known.length > 0);
    if (narrowable.length === 0) continue;
    const patterns = listOf(statement.statement.Action);
    const sameResources = narrowable.every((p) => JSON.stringify(p.resources) === JSON.stringify(narrowable[0].resources));
    const onlyThese = perAction.every((p) => !p.open) && patterns.every((a) => narrowable.some((p) => actionMatches(a, p.action)));
    const groups = sameResources && onlyThese ? [narrowable] : narrowable.map((p) => [p]);
    for (const group of groups) {
      const first = group[0].known[0].check;
      const resources = group[0].resources;
      const actions = group.map((p) => p.action);
      const states = [...new Set(group.flatMap((p) => p.known.map((u) => u.check.state)))];
      const who = states.length === 1 ? `${states[0] === '' ? 'the state machine' : `state '${states[0]}'`} needs` : `states ${states.map((x) => (x === '' ? 'the state machine' : `'${x}'`)).join(', ')} need`;
      const target = resources.length === 1 ? resources[0] : JSON.stringify(resources);
      const others = patterns.filter((a) => !actions.some((used) => actionMatches(a, used)));
      out.push({
        code: PermissionCodes.OVER_BROAD_GRANT,
        severity: 'warning',
        ...(first.state !== '' ? { state: first.state, location: first.location } : {}),
        action: actions[0],
        resource: resources[0],
        message: `${who} ${actions.join(', ')} only on ${resources.join(', ')}, but ${describeStatement(statement)} allows ${actions.length > 1 ? 'them' : 'it'} on every resource`,
        fix: sameResources && onlyThese
          ? `scope the statement's Resource to ${target}`
          : `grant ${actions.join(', ')} on ${target} in a statement of its own${others.length > 0 ? ` (the statement also grants ${others.join(', ')})` : ''}`,
      });
    }
  }
  return out;
}

function listOf(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function overBroadActions(role: RolePolicies): PermissionFinding[] {
  const out: PermissionFinding[] = [];
  for (const s of role.statements) {
    if (s.statement.Effect !== 'Allow') continue;
    const actions = listOf(s.statement.Action);
    const broad = actions.filter((a) => a === '*' || /^[^:]+:\*$/.test(a));
    if (s.statement.NotAction !== undefined) broad.push(`NotAction ${JSON.stringify(s.statement.NotAction)}`);
    if (broad.length === 0) continue;
    out.push({
      code: PermissionCodes.OVER_BROAD_GRANT,
      severity: 'warning',
      message: `${describeStatement(s)} allows ${broad.join(', ')}: every action of the service${broad.includes('*') ? 's' : ''}`,
      fix: 'list the actions the state machine needs instead',
    });
  }
  return out;
}

/** The role a Task's Credentials name: the ARN, '' when only known at run time, undefined without Credentials. */
function credentialsRole(state: TaskState): string | undefined {
  const c = state.Credentials as { [k: string]: JsonValue } | undefined;
  if (c === undefined || c === null || typeof c !== 'object') return undefined;
  return typeof c.RoleArn === 'string' && !c.RoleArn.startsWith('{%') ? c.RoleArn : '';
}

