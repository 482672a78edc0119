import { ValidationCodes as C, type Finding } from './codes';
import { error, type MachineModel, NO_FINDINGS, ptr, show, type StateInfo, warning } from './model';
import { classifyResource } from './task-resource';

/**
 * An EXPRESS machine cannot use activities, `.sync` or `.waitForTaskToken`
 * (it does not wait on anything outside itself).
 * @internal
 */
export function expressRestrictions(state: StateInfo, model: MachineModel): readonly Finding[] {
  if (model.options.type !== 'EXPRESS' || state.type !== 'Task') return NO_FINDINGS;
  const resource = state.node.Resource;
  // Other values are the schema's to refuse; a CloudFormation function left in place is read for its text.
  if (typeof resource !== 'string' && (resource === null || typeof resource !== 'object' || Array.isArray(resource))) return NO_FINDINGS;
  const kind = classifyResource(resource);
  const at = ptr(state.pointer, 'Resource');
  if (kind.unknown) {
    return [warning(C.EXPRESS_RESOURCE_UNKNOWN, at, `Task '${state.name}': cannot tell whether ${show(resource)} is an activity, a '.sync' job or a '.waitForTaskToken' callback, `
      + 'which EXPRESS state machines do not support, until the deploy resolves it; load the definition from its template, or write the ARN')];
  }
  if (kind.activity) {
    return [error(C.EXPRESS_UNSUPPORTED_FEATURE, at, `Task '${state.name}' calls the activity ${show(resource)}, which EXPRESS state machines do not support; use a STANDARD machine or a Lambda/service integration`,
      { kind: 'express-unsupported', feature: 'activity' })];
  }
  if (kind.suffix === 'sync' || kind.suffix === 'sync:2' || kind.suffix === 'waitForTaskToken') {
    return [error(C.EXPRESS_UNSUPPORTED_FEATURE, at, `Task '${state.name}' uses '.${kind.suffix}' (${show(resource)}), which EXPRESS state machines do not support; remove the suffix or use a STANDARD machine`,
      { kind: 'express-unsupported', feature: kind.suffix === 'waitForTaskToken' ? '.waitForTaskToken' : '.sync' })];
  }
  return NO_FINDINGS;
}
