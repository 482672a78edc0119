import type { Stack } from 'aws-cdk-lib/core';
import type { Workflow } from './workflow';
import type { PermissionReport, PolicyStatement } from '../iam';
import { cdkLib } from '../workbench/common/cdk-lib';
import { checkTemplateMachine, checkWorkflowPermissions, withSourceOptions } from '../workbench/template';
import { extractStateMachines, selectStateMachine, templateFromStack, TemplateError, type ResolveOptions } from '../workbench/template';

/** Options of {@link checkPermissions}. */
export interface CheckPermissionsOptions extends ResolveOptions {
  /**
   * Which state machine of a stack or template to check: a logical id, a
   * `StateMachineName` or a construct path.
   * @default - every state machine
   */
  readonly stateMachine?: string;
  /**
   * The role's policy statements, to check a workflow that has no template
   * (`Workflow.fromDefinition`) or to try a policy before writing it.
   * @default - the role read from the template
   */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * Checks each Task's permissions against the state machine's role before
 * anything is deployed: for every Task, Distributed Map, ItemReader and
 * ResultWriter, the IAM actions and resources it needs (from the Step
 * Functions integration table) and whether the role's statements allow them.
 * Policies are read from the template: the role's inline policies, attached
 * `AWS::IAM::Policy` and `ManagedPolicy` resources; managed policies defined
 * outside the template, conditions on unknown keys and run-time resources are
 * reported as "cannot check", a role imported from outside as not checkable.
 *
 * @example
 * const [report] = checkPermissions(stack);
 * expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
 * @throws TemplateError when the template cannot be read or the selector matches no state machine
 */
export function checkPermissions(source: Workflow, options?: CheckPermissionsOptions): PermissionReport;
export function checkPermissions(source: Stack | object | string, options?: CheckPermissionsOptions): PermissionReport[];
export function checkPermissions(source: Workflow | Stack | object | string,
  options: CheckPermissionsOptions = {}): PermissionReport | PermissionReport[] {
  if (isWorkflow(source)) return checkWorkflowPermissions(source, options.statements);
  let template: object;
  let resolve: ResolveOptions = options;
  if (typeof source === 'object' && cdkLib().Stack.isStack(source)) {
    const synthesized = templateFromStack(source);
    template = synthesized.template;
    resolve = withSourceOptions(synthesized, options);
  } else if (typeof source === 'string') {
    try {
      template = JSON.parse(source) as object;
    } catch (e) {
      throw new TemplateError('NOT_A_TEMPLATE', `expected JSON text, got invalid JSON: ${(e as Error).message}`);
    }
  } else {
    template = source;
  }
  const machines = extractStateMachines(template, resolve);
  const chosen = options.stateMachine === undefined ? machines : [selectStateMachine(machines, options.stateMachine)];
  return chosen.map((m) => checkTemplateMachine(template, resolve, m.logicalId, m.definition, m.arn, options.statements));
}

function isWorkflow(source: unknown): source is Workflow {
  return source !== null && typeof source === 'object' && 'definition' in source && 'arn' in source && typeof (source as Workflow).run === 'function';
}
