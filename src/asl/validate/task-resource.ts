import { CATALOGUE, DEVELOPER_GUIDE, DISPUTED_PATTERNS, servicesWith } from '../integrations';
import { taskResource as parseTaskResource } from '../task-resource';
import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, type MachineModel, NO_FINDINGS, type Obj, ptr, show, type StateInfo, warning } from './model';

/** Any URI (`scheme:rest`): what the ASL specification allows as a Resource. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
/** `arn:partition:service:region:account:resource`; region and account may be empty. */
const ARN = /^arn:[A-Za-z0-9-]+:[A-Za-z0-9-]+:[^:\s]*:[^:\s]*:\S+$/;
/** A CloudFormation / SAM / CDK substitution left in a template, such as `${LambdaArn}`. */
const SUBSTITUTION = /\$\{[^{}]+\}/;
/** A Lambda qualifier: $LATEST, a version number or an alias name. */
const LAMBDA_QUALIFIER = /^(\$LATEST|[A-Za-z0-9_-]{1,128})$/;
const CFN_FUNCTION = /^(Ref|Fn::\w+)$/;
const UNCLOSED_SUBSTITUTION = /\$\{[^}]*$/;

/**
 * Services with an optimized integration offering the `.sync` (run a job) pattern, and those
 * offering `.sync:2`, from the catalogue's rows. A service is judged as a whole, not each of its
 * APIs: a `.sync` on another API of a service that has one is left to AWS.
 */
const SYNC_SERVICES = new Set(servicesWith('sync'));
const SYNC2_SERVICES = new Set(servicesWith('sync:2'));
const SYNC2_INTEGRATIONS = [...CATALOGUE.values()].filter((row) => row.patterns.includes('sync:2')).map((row) => row.resource).join(', ');
const SUFFIXES = new Set(['sync', 'sync:2', 'waitForTaskToken']);
/**
 * Services with an optimized integration offering `.waitForTaskToken`, and every service of the
 * catalogue: the table of integrate-optimized.html marks Wait for Callback "Not supported" for
 * the others (Athena, AWS Batch, CodeBuild, DynamoDB, …), as it marks `.sync` for the services
 * SYNC_SERVICES leaves out. Judged by service, as `.sync` is; a service the catalogue does not
 * know is left to UNKNOWN_INTEGRATION.
 */
const CALLBACK_SERVICES = new Set(servicesWith('waitForTaskToken'));
const CATALOGUE_SERVICES = new Set([...CATALOGUE.keys()].map((key) => key.slice(0, key.indexOf(':'))));
const OPTIMIZED_TABLE = `${DEVELOPER_GUIDE}integrate-optimized.html`;

/** Resources found to be ARNs with nothing more to judge (no integration suffix): they need no second look. */
const PLAIN_ARNS = new Set<string>();

/** What a Task resource is, for the rules that depend on it. @internal */
export interface ResourceKind {
  readonly activity: boolean;
  readonly service?: string;
  readonly suffix?: string;
  /** The resource is left to a deploy-time substitution that may make it an activity or give it a suffix. */
  readonly unknown?: true;
}

/** The service of an ARN, when it is written rather than left to a substitution. */
const ARN_SERVICE = /^arn:[^:]+:([a-z0-9-]+):/;
const UNKNOWN: ResourceKind = { activity: false, unknown: true };

/**
 * The text of a Resource left as a CloudFormation function (`Fn::Join`, `Fn::Sub`), each value it
 * joins in that is not text written as a substitution; undefined for a `Ref`, an `Fn::GetAtt` or
 * anything else whose text only the deploy knows.
 */
function templateText(resource: unknown): string | undefined {
  if (typeof resource === 'string') return resource;
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) return undefined;
  if (Object.keys(resource).length !== 1) return undefined;
  if ('Fn::Sub' in resource) {
    const arg = resource['Fn::Sub'];
    const text = Array.isArray(arg) ? arg[0] : arg;
    return typeof text === 'string' ? text : undefined;
  }
  const arg = 'Fn::Join' in resource ? resource['Fn::Join'] : undefined;
  if (Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1]) && arg[1].length <= 100) {
    return arg[1].map((part: unknown) => (typeof part === 'string' ? part : '${?}')).join(arg[0]);
  }
  return undefined;
}

/**
 * Classifies a Task resource: an ARN, or one with deploy-time substitutions in it
 * (`arn:${AWS::Partition}:states:::lambda:invoke.waitForTaskToken`), or a CloudFormation
 * function left in place. The literal parts decide; `unknown` when they cannot tell whether it
 * is an activity or has an integration suffix.
 * @internal
 */
export function classifyResource(resource: unknown): ResourceKind {
  const text = templateText(resource);
  if (text === undefined) return UNKNOWN;
  const r = parseTaskResource(text);
  if (r.kind === 'activity') return { activity: true };
  if (r.kind === 'optimized' || r.kind === 'aws-sdk') return { activity: false, service: r.kind === 'aws-sdk' ? 'aws-sdk' : r.service, suffix: r.suffix };
  if (!r.substituted || r.kind === 'lambda-arn') return { activity: false };
  if (r.suffix !== undefined) return { activity: false, suffix: r.suffix };
  // A literal service other than Step Functions' own is neither an activity nor an integration.
  const service = ARN_SERVICE.exec(text)?.[1];
  return service !== undefined && service !== 'states' ? { activity: false } : UNKNOWN;
}

/** True when the payload passes the task token on (`$$.Task.Token` or `$states.context.Task.Token`). */
function mentionsTaskToken(payload: unknown): boolean {
  return payload !== undefined && JSON.stringify(payload).includes('Task.Token');
}

/**
 * What AWS answers a Resource that is not an ARN with, at CreateStateMachine: "SCHEMA_VALIDATION_FAILED:
 * Value is not a valid resource ARN at /States/<state>/Resource" (a CDK deploy whose
 * DefinitionSubstitutions missed a `${...}` of the Resource, quoted in public deployment notes; Step
 * Functions Local, aws/aws-sam-cli-app-templates#185, for the `${...}` of a SAM template's ASL file).
 */
const NOT_AN_ARN = { kind: 'not-an-arn' } as const;

/**
 * A Task Resource is an ARN (or, in a definition a deploy still substitutes into, a whole
 * `${...}` template substitution); a Lambda qualifier is a version or an alias; an integration
 * suffix (`.sync`, `.sync:2`, `.waitForTaskToken`) exists for that service; a
 * `.waitForTaskToken` Task passes `$$.Task.Token` on in its payload.
 * @internal
 */
export function taskResource(state: StateInfo, model: MachineModel): readonly Finding[] {
  if (state.type !== 'Task' || !('Resource' in state.node)) return NO_FINDINGS;
  const { node, pointer, name } = state;
  const resource = node.Resource;
  // Thousands of states may call one ARN: one that has passed every check below is not checked again.
  if (typeof resource === 'string' && PLAIN_ARNS.has(resource)) return NO_FINDINGS;
  const at = ptr(pointer, 'Resource');
  const substituted = model.options.substituted;
  if (!substituted && isObj(resource) && Object.keys(resource).length === 1 && CFN_FUNCTION.test(Object.keys(resource)[0])) {
    // A CloudFormation function left in a definition taken from a template; it resolves at deploy time.
    return [warning(C.RESOURCE_NOT_ARN, at, `Resource of Task '${name}' is the unresolved CloudFormation function ${show(resource)}; it must resolve to an ARN when deployed`)];
  }
  if (typeof resource !== 'string') return [error(C.SCHEMA_VALIDATION_FAILED, at, `Resource of Task '${name}' must be an ARN string, got ${show(resource)}`)];
  if (resource.includes('${')) {
    if (!SUBSTITUTION.test(resource) || UNCLOSED_SUBSTITUTION.test(resource)) {
      return [error(C.INVALID_RESOURCE, at, `Resource ${show(resource)} of Task '${name}' has an unclosed '\${' substitution; write '\${Name}' or the full ARN`)];
    }
    // A definition from a CloudFormation/SAM/CDK template: the substitution is resolved at deploy time.
    if (!substituted) return NO_FINDINGS;
    const left = SUBSTITUTION.exec(resource)![0];
    const fix = `give DefinitionSubstitutions an entry '${left.slice(2, -1)}', or correct the name`;
    if (!resource.startsWith('arn:')) {
      return [error(C.INVALID_RESOURCE, at, `Resource ${show(resource)} of Task '${name}' is not an ARN: no substitution replaced its ${left}, `
        + `and AWS refuses it (SCHEMA_VALIDATION_FAILED: Value is not a valid resource ARN); ${fix}`, NOT_AN_ARN)];
    }
    return [warning(C.UNRESOLVED_SUBSTITUTION, at, `Resource ${show(resource)} of Task '${name}' still holds ${left}: no substitution replaced it, `
      + `so the ARN names nothing that exists; ${fix}`)];
  }
  if (!resource.startsWith('arn:') && URI.test(resource)) {
    if (substituted) {
      return [error(C.INVALID_RESOURCE, at, `Resource ${show(resource)} of Task '${name}' is a URI but not an ARN, and AWS refuses it `
        + '(SCHEMA_VALIDATION_FAILED: Value is not a valid resource ARN); use an ARN, such as "arn:aws:states:::lambda:invoke"', NOT_AN_ARN)];
    }
    // The ASL specification allows any URI; AWS deploys only ARNs, so this is worth a warning, not a refusal.
    return [warning(C.RESOURCE_NOT_ARN, at, `Resource ${show(resource)} of Task '${name}' is a URI but not an ARN; AWS Step Functions accepts only ARNs, such as "arn:aws:states:::lambda:invoke"`)];
  }
  if (!ARN.test(resource)) {
    return [error(C.INVALID_RESOURCE, at, `Resource ${show(resource)} of Task '${name}' is not an ARN; use a Lambda function ARN, an activity ARN or an integration such as "arn:aws:states:::lambda:invoke"`, NOT_AN_ARN)];
  }
  const { functionName, qualifier } = parseTaskResource(resource);
  // A qualifier holding ':' is a substituted ARN, not a qualifier; only plain qualifiers are judged.
  if (functionName !== undefined && qualifier !== undefined && !qualifier.includes(':') && !LAMBDA_QUALIFIER.test(qualifier)) {
    return [error(C.INVALID_RESOURCE, at, `Resource ${show(resource)} of Task '${name}' has an invalid Lambda qualifier ${show(qualifier)}; use a version number, an alias (letters, digits, '-' and '_') or $LATEST, or drop the trailing ':'`)];
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
    const ok = (kind.suffix === 'sync' ? SYNC_SERVICES : SYNC2_SERVICES).has(kind.service!);
    if (!ok) {
      out.push(error(C.UNSUPPORTED_INTEGRATION_PATTERN, at, `Resource ${show(resource)} of Task '${name}': the ${kind.service} integration has no '.${kind.suffix}' (run a job) pattern; remove the suffix${kind.suffix === 'sync' ? ` (services with .sync: ${[...SYNC_SERVICES].join(', ')})` : ` ('.sync:2' exists only for ${SYNC2_INTEGRATIONS})`}`));
    }
  } else {
    const unsupported = kind.service !== undefined && CATALOGUE_SERVICES.has(kind.service) && !CALLBACK_SERVICES.has(kind.service)
      ? noCallback(resource, name, kind.service, at) : undefined;
    if (unsupported) out.push(unsupported);
    const payloadField = state.language === 'JSONata' ? 'Arguments' : 'Parameters';
    if (unsupported?.severity !== 'error' && !mentionsTaskToken((node as Obj)[payloadField])) {
      const token = state.language === 'JSONata' ? '{% $states.context.Task.Token %}' : '"TaskToken.$": "$$.Task.Token"';
      // AWS creates and runs such a state (the token may reach the worker another way, or the
      // task is meant to time out), so this is a warning, not a refusal.
      out.push(warning(C.MISSING_TASK_TOKEN, at, `Task '${name}' waits for a task token ('.waitForTaskToken') but its ${payloadField} never pass the token on, so no worker can resume it unless it gets the token elsewhere; add ${token} to ${payloadField}`));
    }
  }
  return out;
}

/**
 * A `.waitForTaskToken` on a service of the catalogue that offers no callback: an error where the
 * guide's pages agree it is not supported (the run would be green where AWS does not run it), a
 * warning where they disagree (DISPUTED_PATTERNS).
 */
function noCallback(resource: string, name: string, service: string, at: string): Finding {
  const disputed = DISPUTED_PATTERNS.get(service);
  const head = `Resource ${show(resource)} of Task '${name}': the ${service} integration has no '.waitForTaskToken' (wait for a callback) pattern`;
  if (disputed?.pattern === 'waitForTaskToken') {
    return warning(C.UNSUPPORTED_INTEGRATION_PATTERN, at, `${head} on its own page, and ${disputed.why}: whether AWS accepts the Task is not settled; `
      + 'remove the suffix, or pass the token through a service that has the pattern (such as sqs:sendMessage.waitForTaskToken)');
  }
  return error(C.UNSUPPORTED_INTEGRATION_PATTERN, at, `${head} (${OPTIMIZED_TABLE} lists it as not supported); remove the suffix, `
    + `or pass the token through a service that has it (services with .waitForTaskToken: ${[...CALLBACK_SERVICES].sort().join(', ')})`);
}
