import { ValidationCodes as C, type Finding } from './codes';
import { error, type MachineModel, NO_FINDINGS, type Obj, ptr, show, type StateInfo, warning } from './model';
import { classifyResource } from './task-resource';

/**
 * An EXPRESS machine cannot use activities, `.sync` or `.waitForTaskToken` (it does not wait on
 * anything outside itself: "Express Workflows support Request Response, but they do not support
 * Run a Job (.sync) or Wait for Callback (.waitForTaskToken)", Optimized integrations page). Nor
 * can the EXPRESS child executions of a DISTRIBUTED Map (`ProcessorConfig.ExecutionType`
 * `EXPRESS`), each an Express workflow of its own, whatever the type of the machine around it.
 * @internal
 */
export function expressRestrictions(state: StateInfo, model: MachineModel): readonly Finding[] {
  if (state.type !== 'Task') return NO_FINDINGS;
  const child = expressChildMap(state, model);
  if (model.options.type !== 'EXPRESS' && child === undefined) return NO_FINDINGS;
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
    return [error(C.EXPRESS_UNSUPPORTED_FEATURE, at, `Task '${state.name}' calls the activity ${show(resource)}, which ${runsIn(child)} do not support; use ${standardFix(child)} or a Lambda/service integration`,
      { kind: 'express-unsupported', feature: 'activity' })];
  }
  if (kind.suffix === 'sync' || kind.suffix === 'sync:2' || kind.suffix === 'waitForTaskToken') {
    return [error(C.EXPRESS_UNSUPPORTED_FEATURE, at, `Task '${state.name}' uses '.${kind.suffix}' (${show(resource)}), which ${runsIn(child)} do not support; remove the suffix or use ${standardFix(child)}`,
      { kind: 'express-unsupported', feature: kind.suffix === 'waitForTaskToken' ? '.waitForTaskToken' : '.sync' })];
  }
  return NO_FINDINGS;
}

/**
 * The DISTRIBUTED Map whose EXPRESS child executions run `state`: the nearest Map processor
 * around it in DISTRIBUTED mode decides which machine runs it, and that machine is EXPRESS when
 * the processor's ExecutionType is. Undefined when no such Map runs it.
 */
function expressChildMap(state: StateInfo, model: MachineModel): string | undefined {
  let nearest: { pointer: string; node: Obj } | undefined;
  for (const scope of model.scopes) {
    if (scope.kind !== 'processor' || !state.pointer.startsWith(`${scope.pointer}/`)) continue;
    const config = scope.node.ProcessorConfig;
    if (config === null || typeof config !== 'object' || Array.isArray(config) || (config as Obj).Mode !== 'DISTRIBUTED') continue;
    if (nearest === undefined || scope.pointer.length > nearest.pointer.length) nearest = { pointer: scope.pointer, node: config as Obj };
  }
  if (nearest === undefined || nearest.node.ExecutionType !== 'EXPRESS') return undefined;
  // The processor's pointer is the Map's, then its ItemProcessor (or Iterator) field.
  const segments = nearest.pointer.split('/');
  return segments[segments.length - 2]?.replace(/~1/g, '/').replace(/~0/g, '~');
}

const runsIn = (map: string | undefined): string => (map === undefined
  ? 'EXPRESS state machines'
  : `the EXPRESS child executions of Distributed Map '${map}' (ProcessorConfig.ExecutionType EXPRESS)`);

const standardFix = (map: string | undefined): string => (map === undefined ? 'a STANDARD machine' : 'ExecutionType STANDARD for the Map\'s children');
