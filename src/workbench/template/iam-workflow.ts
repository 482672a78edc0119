import { workflowSourceOf } from './workflow-sources';
import type { StateMachineDefinition } from '../../asl';
import { expandServerless, TemplateResolver, type CfnTemplate, type ResolveOptions } from '../../cfn';
import type { PolicyStatement, RolePolicies } from '../../iam';
import { accessDeniedError, type AccessDeniedError } from '../../iam/access-denied';
import { checkRolePermissions, type PermissionReport } from '../../iam/check';
import { resourceFactsFromTemplate } from '../../iam/template-facts';
import { rolePoliciesFromTemplate, type ValueResolver } from '../../iam/template-role';

// Kept free of aws-cdk-lib: the jest matcher uses it, and the setup file must load fast.

/** What a workflow shows of itself to the permission check. @internal */
export interface CheckableWorkflow {
  readonly definition: StateMachineDefinition;
  readonly arn: string;
  readonly logicalId?: string;
}

/** Checks a workflow's Tasks against the role of the template it came from, or against `statements`. @internal */
export function checkWorkflowPermissions(wf: CheckableWorkflow, statements?: readonly PolicyStatement[]): PermissionReport {
  const origin = workflowSourceOf(wf);
  if (statements || !origin || wf.logicalId === undefined) {
    const role: RolePolicies = statements
      ? given(statements)
      : { statements: [], opaquePolicies: [], notCheckable: 'the workflow has no template to read a role from (Workflow.fromDefinition); pass the role\'s statements' };
    return checkRolePermissions(wf.definition, role, { stateMachineArn: wf.arn });
  }
  return checkTemplateMachine(origin.template, origin.options, wf.logicalId, wf.definition, wf.arn);
}

/** Checks one state machine of a template against its role, read from the same template. @internal */
export function checkTemplateMachine(template: object, options: ResolveOptions, logicalId: string, definition: StateMachineDefinition,
  arn: string, statements?: readonly PolicyStatement[]): PermissionReport {
  const cfn = expandServerless(template as CfnTemplate, options);
  const resolver = new TemplateResolver(cfn, options);
  const resolve: ValueResolver = (value, location, resolveOptions) => resolver.resolve(value, {
    stateMachine: logicalId, location, record: () => undefined, ...resolveOptions,
  });
  const role: RolePolicies = statements ? given(statements) : rolePoliciesFromTemplate(cfn, { stateMachine: logicalId, resolve });
  const facts = resourceFactsFromTemplate(cfn, { stateMachine: logicalId, resolve, ...(role.roleArn ? { roleArn: role.roleArn } : {}) });
  return { ...checkRolePermissions(definition, role, { stateMachineArn: arn, facts }), logicalId };
}

function given(statements: readonly PolicyStatement[]): RolePolicies {
  return { statements: statements.map((statement, i) => ({ statement, source: `statements[${i}]` })), opaquePolicies: [] };
}

const DENIALS = new WeakMap<object, ReadonlyMap<string, AccessDeniedError>>();

/**
 * The Tasks whose role lacks a permission they need, each with the
 * AccessDenied error AWS would fail it with. `true` reads the role from the
 * workflow's template (computed once per workflow); a list of statements
 * checks against those.
 * @internal
 */
export function deniedTasks(wf: CheckableWorkflow, role: true | readonly PolicyStatement[]): ReadonlyMap<string, AccessDeniedError> {
  const cached = role === true ? DENIALS.get(wf) : undefined;
  if (cached) return cached;
  const report = checkWorkflowPermissions(wf, role === true ? undefined : role);
  const denied = deniedOf(report, report.roleArn);
  if (role === true) DENIALS.set(wf, denied);
  return denied;
}

/** The first denied, non-optional permission of each Task state of a report, as the error AWS reports. @internal */
export function deniedOf(report: PermissionReport, roleArn: string | undefined): ReadonlyMap<string, AccessDeniedError> {
  const out = new Map<string, AccessDeniedError>();
  for (const check of report.checks) {
    if (check.optional || out.has(check.state) || (check.decision !== 'implicitDeny' && check.decision !== 'denied')) continue;
    // A Distributed Map's or the state machine's own permissions fail no Task.
    if (check.integration === 'distributed map' || check.state === '') continue;
    out.set(check.state, accessDeniedError(check, roleArn));
  }
  return out;
}
