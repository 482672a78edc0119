import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, NO_FINDINGS, type Obj, ptr, show, type StateInfo, warning } from './model';

/** Any URI (`scheme:rest`): what the ASL specification allows as a Resource. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
/** `arn:partition:service:region:account:resource`; region and account may be empty. */
const ARN = /^arn:[A-Za-z0-9-]+:[A-Za-z0-9-]+:[^:\s]*:[^:\s]*:\S+$/;
/** A CloudFormation / SAM / CDK substitution left in a template, such as `${LambdaArn}`. */
const SUBSTITUTION = /\$\{[^{}]+\}/;
const LAMBDA_FUNCTION = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::(.*))?$/;
/** A Lambda qualifier: $LATEST, a version number or an alias name. */
const LAMBDA_QUALIFIER = /^(\$LATEST|[A-Za-z0-9_-]{1,128})$/;
const INTEGRATION = /^arn:[^:]+:states:[^:]*:[^:]*:([a-z0-9-]+):([^.\s]+)(?:\.(.+))?$/;
const CFN_FUNCTION = /^(Ref|Fn::\w+)$/;
const UNCLOSED_SUBSTITUTION = /\$\{[^}]*$/;
const ACTIVITY = /^arn:[^:]+:states:[^:]*:[^:]*:activity:/;

/** Services whose optimized integration offers the `.sync` (run a job) pattern. */
const SYNC_SERVICES = new Set([
  'athena', 'batch', 'bedrock', 'codebuild', 'databrew', 'ecs', 'eks', 'elasticmapreduce', 'emr-containers',
  'emr-serverless', 'glue', 'mediaconvert', 'sagemaker', 'states',
]);
const SUFFIXES = new Set(['sync', 'sync:2', 'waitForTaskToken']);

/** Resources found to be ARNs with nothing more to judge (no integration suffix): they need no second look. */
const PLAIN_ARNS = new Set<string>();

/** What a Task resource is, for the rules that depend on it. @internal */
export interface ResourceKind {
  readonly activity: boolean;
  readonly service?: string;
  readonly suffix?: string;
}

/** Classifies a Task resource string. @internal */
export function classifyResource(resource: string): ResourceKind {
  if (ACTIVITY.test(resource)) return { activity: true };
  const m = INTEGRATION.exec(resource);
  return m ? { activity: false, service: m[1], suffix: m[3] } : { activity: false };
}

/** True when the payload passes the task token on (`$$.Task.Token` or `$states.context.Task.Token`). */
function mentionsTaskToken(payload: unknown): boolean {
  return payload !== undefined && JSON.stringify(payload).includes('Task.Token');
}

/**
 * A Task Resource is an ARN (or a whole `${...}` template substitution); a
 * Lambda qualifier is a version or an alias; an integration suffix
 * (`.sync`, `.sync:2`, `.waitForTaskToken`) exists for that service; a
 * `.waitForTaskToken` Task passes `$$.Task.Token` on in its payload.
 * @internal
 */
export function taskResource(state: StateInfo): Finding[] {
  if (state.type !== 'Task' || !('Resource' in state.node)) return NO_FINDINGS;
  const { node, pointer, name } = state;
  const resource = node.Resource;
  // Thousands of states may call one ARN: one that has passed every check below is not checked again.
  if (typeof resource === 'string' && PLAIN_ARNS.has(resource)) return NO_FINDINGS;
  const at = ptr(pointer, 'Resource');
  if (isObj(resource) && Object.keys(resource).length === 1 && CFN_FUNCTION.test(Object.keys(resource)[0])) {
    // A CloudFormation function left in a definition taken from a template; it resolves at deploy time.
    return [warning(C.RESOURCE_NOT_ARN, at, `Resource of Task '${name}' is the unresolved CloudFormation function ${show(resource)}; it must resolve to an ARN when deployed`)];
  }
  if (typeof resource !== 'string') return [error(C.SCHEMA_VALIDATION_FAILED, at, `Resource of Task '${name}' must be an ARN string, got ${show(resource)}`)];
  if (resource.includes('${')) {
    // A definition from a CloudFormation/SAM/CDK template: the substitution is resolved at deploy time.
    if (SUBSTITUTION.test(resource) && !UNCLOSED_SUBSTITUTION.test(resource)) return NO_FINDINGS;
    return [error(C.INVALID_RESOURCE, at, `Resource ${show(resource)} of Task '${name}' has an unclosed '\${' substitution; write '\${Name}' or the full ARN`)];
  }
  if (!resource.startsWith('arn:') && URI.test(resource)) {
    // The ASL specification allows any URI; AWS deploys only ARNs, so this is worth a warning, not a refusal.
    return [warning(C.RESOURCE_NOT_ARN, at, `Resource ${show(resource)} of Task '${name}' is a URI but not an ARN; AWS Step Functions accepts only ARNs, such as "arn:aws:states:::lambda:invoke"`)];
  }
  if (!ARN.test(resource)) {
    return [error(C.INVALID_RESOURCE, at, `Resource ${show(resource)} of Task '${name}' is not an ARN; use a Lambda function ARN, an activity ARN or an integration such as "arn:aws:states:::lambda:invoke"`)];
  }
  const lambda = LAMBDA_FUNCTION.exec(resource);
  // A qualifier holding ':' is a substituted ARN, not a qualifier; only plain qualifiers are judged.
  if (lambda && lambda[2] !== undefined && !lambda[2].includes(':') && !LAMBDA_QUALIFIER.test(lambda[2])) {
    return [error(C.INVALID_RESOURCE, at, `Resource ${show(resource)} of Task '${name}' has an invalid Lambda qualifier ${show(lambda[2])}; use a version number, an alias (letters, digits, '-' and '_') or $LATEST, or drop the trailing ':'`)];
  }
  const kind = classifyResource(resource);
  if (kind.suffix === undefined) {
    if (PLAIN_ARNS.size < 10_000) PLAIN_ARNS.add(resource);
    return NO_FINDINGS;
  }
  const out: Finding[] = [];
  if (!SUFFIXES.has(kind.suffix)) {
    out.push(error(C.UNSUPPORTED_INTEGRATION_PATTERN, at, `Resource ${show(resource)} of Task '${name}' ends in '.${kind.suffix}', which is not an integration pattern; use '.sync', '.sync:2' or '.waitForTaskToken', or none`));
  } else if (kind.suffix.startsWith('sync')) {
    const ok = kind.suffix === 'sync' ? SYNC_SERVICES.has(kind.service!) : kind.service === 'states';
    if (!ok) {
      out.push(error(C.UNSUPPORTED_INTEGRATION_PATTERN, at, `Resource ${show(resource)} of Task '${name}': the ${kind.service} integration has no '.${kind.suffix}' (run a job) pattern; remove the suffix${kind.suffix === 'sync' ? ` (services with .sync: ${[...SYNC_SERVICES].join(', ')})` : " ('.sync:2' exists only for states:startExecution)"}`));
    }
  } else {
    const payloadField = state.language === 'JSONata' ? 'Arguments' : 'Parameters';
    if (!mentionsTaskToken((node as Obj)[payloadField])) {
      const token = state.language === 'JSONata' ? '{% $states.context.Task.Token %}' : '"TaskToken.$": "$$.Task.Token"';
      // AWS creates and runs such a state (the token may reach the worker another way, or the
      // task is meant to time out), so this is a warning, not a refusal.
      out.push(warning(C.MISSING_TASK_TOKEN, at, `Task '${name}' waits for a task token ('.waitForTaskToken') but its ${payloadField} never pass the token on, so no worker can resume it unless it gets the token elsewhere; add ${token} to ${payloadField}`));
    }
  }
  return out;
}
