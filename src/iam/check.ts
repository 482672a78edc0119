import {
  IntegrationPermissions,
  permissionsForDistributedMap,
  permissionsForTask,
  Requirement,
  TaskContext,
} from './integrations';
import { Decision, describeStatement, evaluate, RolePolicies, SourcedStatement } from './policy';
import { escapePointerSegment } from '../asl/pointer';
import type { JsonValue, MapState, StateDefinition, StateMachineDefinition, SubMachine, TaskState } from '../asl/types';

/** One permission one state needs, and whether the role has it. */
export interface PermissionCheck {
  /** Name of the Task (or Distributed Map) state. */
  readonly state: string;
  /** JSON-pointer location of the state in the definition, e.g. `/States/Process/ItemProcessor/States/Save`. */
  readonly location: string;
  /** The integration, e.g. `lambda:invoke`, `aws-sdk:s3:getObject`, `distributed map`. */
  readonly integration: string;
  /** The service name of the AccessDenied error AWS fails the state with (`Lambda`, `DynamoDB`). */
  readonly errorService: string;
  readonly action: string;
  /** The resource ARN; undefined when it is only known at run time. */
  readonly resource?: string;
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
  /** A statement allows every action of a service (`*`, `s3:*`), or every resource where the state needs one. */
  OVER_BROAD_GRANT: 'OVER_BROAD_GRANT',
} as const;

/** One of {@link PermissionCodes}. */
export type PermissionCode = typeof PermissionCodes[keyof typeof PermissionCodes];

/** A problem found, with the fix when one is known. */
export interface PermissionFinding {
  readonly code: PermissionCode;
  /** `error`: fails on AWS; `warning`: works but too broad, or fails only sometimes; `info`: not checked. */
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
}

/**
 * Checks that a role allows every action each Task, Distributed Map,
 * ItemReader and ResultWriter of a definition needs.
 *
 * @example
 * const report = checkRolePermissions(definition, role, { stateMachineArn });
 * for (const f of report.findings) console.log(f.severity, f.message, f.fix);
 */
export function checkRolePermissions(definition: StateMachineDefinition, role: RolePolicies, options: RoleCheckOptions): PermissionReport {
  const ctx = contextOf(options.stateMachineArn);
  const checks: PermissionCheck[] = [];
  const findings: PermissionFinding[] = [];
  if (role.notCheckable) {
    findings.push({ code: PermissionCodes.ROLE_NOT_CHECKABLE, severity: 'warning', message: `the role's permissions cannot be checked: ${role.notCheckable}` });
  }
  const broadResources = new Set<string>();
  forEachState(definition, '', (name, state, location) => {
    let permissions: IntegrationPermissions | undefined;
    let assumed: string | undefined;
    if (state.Type === 'Task') {
      permissions = permissionsForTask(state, ctx);
      assumed = credentialsRole(state);
    } else if (state.Type === 'Map' && isDistributed(state)) {
      permissions = permissionsForDistributedMap(state, ctx);
    }
    if (!permissions) return;
    if (permissions.unknown) {
      findings.push({ code: PermissionCodes.UNKNOWN_INTEGRATION, severity: 'warning', state: name, location, message: `state '${name}': ${permissions.unknown}` });
      return;
    }
    const requirements: ReadonlyArray<Requirement & { underOtherRole?: boolean }> = assumed === undefined ? permissions.requirements
      : [
        { action: 'sts:AssumeRole', resource: assumed === '' ? undefined : assumed, why: 'to assume the role named in Credentials' },
        ...permissions.requirements.map((r) => ({ ...r, underOtherRole: true })),
      ];
    for (const req of requirements) {
      const evaluation = req.underOtherRole
        ? { decision: 'unknown' as Decision, decidedBy: [] as SourcedStatement[], reason: 'the Task runs with the role in its Credentials, which is not checked' }
        : evaluate(role, req);
      const check: PermissionCheck = {
        state: name,
        location,
        integration: permissions.integration,
        errorService: permissions.errorService,
        action: req.action,
        ...(req.resource !== undefined ? { resource: req.resource } : {}),
        why: req.why,
        optional: req.optional === true,
        decision: evaluation.decision,
        ...(evaluation.reason ? { reason: evaluation.reason } : {}),
        decidedBy: evaluation.decidedBy.map((s) => s.source),
      };
      checks.push(check);
      const finding = findingOf(check, permissions, role.notCheckable !== undefined);
      if (finding) findings.push(finding);
      if (check.decision === 'allowed' && req.resource !== undefined && evaluation.decidedBy.every(allowsEveryResource)) {
        const key = `${req.action} ${evaluation.decidedBy.map((s) => s.source).join(',')}`;
        if (!broadResources.has(key)) {
          broadResources.add(key);
          findings.push({
            code: PermissionCodes.OVER_BROAD_GRANT,
            severity: 'warning',
            state: name,
            location,
            action: req.action,
            resource: req.resource,
            message: `state '${name}' needs ${req.action} only on ${req.resource}, but ${describeStatement(evaluation.decidedBy[0])} allows it on every resource`,
            fix: `scope the statement's Resource to ${req.resource}`,
          });
        }
      }
    }
  });
  findings.push(...overBroadActions(role));
  return {
    stateMachine: options.stateMachineArn,
    ...(role.roleArn ? { roleArn: role.roleArn } : {}),
    checks,
    findings,
    ok: !findings.some((f) => f.severity === 'error'),
  };
}

function findingOf(check: PermissionCheck, permissions: IntegrationPermissions, roleUnknown: boolean): PermissionFinding | undefined {
  const what = `${check.action}${check.resource ? ` on ${check.resource}` : ''}`;
  const base = { state: check.state, location: check.location, action: check.action, ...(check.resource ? { resource: check.resource } : {}) };
  switch (check.decision) {
    case 'allowed': return undefined;
    case 'unknown':
      // One ROLE_NOT_CHECKABLE finding says it for every check.
      if (roleUnknown) return undefined;
      return { code: PermissionCodes.CANNOT_CHECK, severity: 'info', ...base, message: `state '${check.state}' needs ${what} ${check.why}; cannot check: ${check.reason}` };
    case 'denied':
      return {
        code: PermissionCodes.DENIED_PERMISSION,
        severity: check.optional ? 'warning' : 'error',
        ...base,
        message: `state '${check.state}' needs ${what} ${check.why}, but it is ${check.reason}`,
        fix: 'remove or narrow the Deny statement',
      };
    case 'implicitDeny':
      return {
        code: check.optional ? PermissionCodes.MISSING_OPTIONAL_PERMISSION : PermissionCodes.MISSING_PERMISSION,
        severity: check.optional ? 'warning' : 'error',
        ...base,
        message: `state '${check.state}' needs ${what} ${check.why}, but no statement of the role allows it`,
        fix: fixFor(check, permissions),
      };
  }
}

function fixFor(check: PermissionCheck, permissions: IntegrationPermissions): string {
  const statement = JSON.stringify({ Effect: 'Allow', Action: check.action, Resource: check.resource ?? '*' });
  return `add ${statement} to the role${permissions.grant ? `, or in the CDK: ${permissions.grant}` : ''} (see ${permissions.doc})`;
}

/** `Resource: "*"` without a condition to narrow it (an HTTP Task's grant is `*` narrowed by `states:HTTPEndpoint`). */
function allowsEveryResource(s: SourcedStatement): boolean {
  const r = s.statement.Resource;
  return s.statement.Condition === undefined && (r === '*' || (Array.isArray(r) && r.includes('*')));
}

function overBroadActions(role: RolePolicies): PermissionFinding[] {
  const out: PermissionFinding[] = [];
  for (const s of role.statements) {
    if (s.statement.Effect !== 'Allow') continue;
    const actions = s.statement.Action === undefined ? [] : typeof s.statement.Action === 'string' ? [s.statement.Action] : s.statement.Action;
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

function isDistributed(state: MapState): boolean {
  return (state.ItemProcessor ?? state.Iterator)?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/** The role a Task's Credentials name: the ARN, '' when only known at run time, undefined without Credentials. */
function credentialsRole(state: TaskState): string | undefined {
  const c = state.Credentials as { [k: string]: JsonValue } | undefined;
  if (c === undefined || c === null || typeof c !== 'object') return undefined;
  return typeof c.RoleArn === 'string' && !c.RoleArn.startsWith('{%') ? c.RoleArn : '';
}

function forEachState(machine: StateMachineDefinition | SubMachine, prefix: string,
  visit: (name: string, state: StateDefinition, location: string) => void): void {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    const location = `${prefix}/States/${escapePointerSegment(name)}`;
    visit(name, state, location);
    if (state.Type === 'Parallel') state.Branches?.forEach((b, i) => forEachState(b, `${location}/Branches/${i}`, visit));
    if (state.Type === 'Map') {
      const inner = state.ItemProcessor ?? state.Iterator;
      if (inner) forEachState(inner, `${location}/${state.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`, visit);
    }
  }
}

function contextOf(stateMachineArn: string): TaskContext {
  const [, partition = 'aws', , region = 'us-east-1', account = '123456789012'] = stateMachineArn.split(':');
  return { partition, region, account, stateMachineArn };
}
