import type { PermissionCheck } from './check';
import { awsArn } from '../asl/aws-defaults';
import { ServiceErrors } from '../asl/service-errors';

/** The error a Task fails with on AWS when its role lacks a permission. */
export interface AccessDeniedError {
  /** The ASL error name, e.g. `Lambda.AccessDeniedException`. */
  readonly error: string;
  /** The cause, worded as AWS words an identity-policy denial. */
  readonly cause: string;
}

/**
 * The AccessDenied error AWS reports when a Task calls a service its role may
 * not call: the error is `<Service>.AccessDeniedException` and the cause names
 * the assumed role, the action and the resource.
 *
 * @example
 * accessDeniedError(check, 'arn:aws:iam::123456789012:role/MachineRole')
 * // → { error: 'Lambda.AccessDeniedException', cause: 'User: arn:aws:sts::123456789012:assumed-role/MachineRole/... is not authorized ...' }
 */
export function accessDeniedError(check: PermissionCheck, roleArn?: string): AccessDeniedError {
  const role = /^arn:([^:]+):iam::(\d*):role\/(?:.*\/)?([^/]+)$/.exec(roleArn ?? '');
  const who = role ? awsArn(role[1], 'sts', '', role[2], `assumed-role/${role[3]}/StepFunctions-session`) : 'the state machine role';
  const why = check.decision === 'denied'
    ? 'with an explicit deny in an identity-based policy'
    : `because no identity-based policy allows the ${check.action} action`;
  return {
    error: ServiceErrors.accessDenied(check.errorService),
    cause: `User: ${who} is not authorized to perform: ${check.action} on resource: ${check.resource ?? '*'} ${why}`,
  };
}
