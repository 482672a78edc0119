/**
 * What a Task's `Resource` names, taken apart once: an optimized integration
 * (`arn:aws:states:::sqs:sendMessage`), an AWS SDK integration
 * (`arn:aws:states:::aws-sdk:dynamodb:getItem`), an activity, or a Lambda function given by its
 * ARN, in any partition (`arn:aws:`, `arn:aws-us-gov:`, `arn:aws-cn:`). A Resource from a
 * template may hold deploy-time substitutions (`arn:${AWS::Partition}:states:::ecs:runTask.sync`):
 * each is read as one slot no literal part matches, so the literal parts decide, and a part that
 * is a substitution is not known. The interpreter, the validator, IAM, contracts, mocks, explore
 * and serve read a Resource through {@link taskResource}; nothing else takes one apart.
 *
 * Source: "Integrating services with Step Functions" and "Discover service integration patterns"
 * of the Step Functions Developer Guide (the Resource forms and their suffixes).
 */
import { CATALOGUE, type CataloguePattern, type CatalogueRow } from './integrations';
import { remember } from './memo';

/** What kind of thing a Resource calls. */
export type TaskResourceKind = 'optimized' | 'aws-sdk' | 'activity' | 'lambda-arn' | 'unknown';

/** The integration pattern a Resource ends with: `request` for none. */
export type IntegrationPattern = CataloguePattern;

/** A Task's Resource, taken apart. */
export interface TaskResource {
  readonly kind: TaskResourceKind;
  /**
   * `sqs` for `sqs:sendMessage`, `dynamodb` for `aws-sdk:dynamodb:getItem`, `lambda` for a function
   * ARN; undefined for an activity and for a Resource that is not known.
   */
  readonly service?: string;
  /** `sendMessage`, `getItem`: as the Resource writes it, without its suffix. */
  readonly action?: string;
  /** The pattern its suffix names; `request` for none, or for a suffix that names no pattern. */
  readonly pattern: IntegrationPattern;
  /** The suffix as written after the action's `.` (`sync:2`, `waitForTaskToken`, or a misspelt one). */
  readonly suffix?: string;
  /** The catalogue's row of an optimized integration, when the catalogue has one. */
  readonly row?: CatalogueRow;
  /** True when the Resource holds a deploy-time substitution (`${...}`). */
  readonly substituted: boolean;
  /**
   * A Lambda function ARN's function name (`arn:aws:lambda:us-east-1:123456789012:function:name`),
   * when it is written rather than left to a substitution.
   */
  readonly functionName?: string;
  /**
   * A Lambda function ARN's qualifier (a version, an alias or `$LATEST`): all after the name's
   * `:`, as written (a substitution in it is read as a slot, so it may hold `:`); undefined for none.
   */
  readonly qualifier?: string;
}

/** Every `${...}` substitution, `${AWS::Partition}` included: it may hold ':', and resolves at deploy time. */
const SUBSTITUTIONS = /\$\{[^{}]*\}/g;
/** What a substitution is read as: one character no literal part of an ARN matches (`[^:]` does). */
const SLOT = '\u0000';
/** A Lambda function ARN: its name, then an optional qualifier after a `:`. */
const FUNCTION = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]*)(?::([^]*))?$/;
const ACTIVITY = /^arn:[^:]+:states:[^:]*:[^:]*:activity:/;
/** An integration: Step Functions with neither region nor account (`arn:aws:states:::sqs:sendMessage`). */
const STATES = /^arn:[^:]+:states:::(.+)$/;
/** A literal name: a service or an action; a slot is no name. */
const NAME = /^[A-Za-z0-9-]+$/;
const PATTERNS: ReadonlySet<string> = new Set<IntegrationPattern>(['sync', 'sync:2', 'waitForTaskToken']);
const SUFFIX = /\.(sync(?::2)?|waitForTaskToken)$/;

const parsed = new Map<string, TaskResource>();

/** Takes a Task's Resource apart; the answer for a Resource is kept (boundedly), as many states call the same one. */
export function taskResource(resource: string): TaskResource {
  return remember(parsed, resource, parse);
}

function parse(resource: string): TaskResource {
  const substituted = resource.includes('${');
  const plain = substituted ? resource.replace(SUBSTITUTIONS, SLOT) : resource;
  const fn = FUNCTION.exec(plain);
  if (fn) {
    const functionName = fn[1] !== '' && !fn[1].includes(SLOT) ? { functionName: fn[1] } : {};
    return { kind: 'lambda-arn', service: 'lambda', pattern: 'request', substituted, ...functionName, ...(fn[2] !== undefined ? { qualifier: fn[2] } : {}) };
  }
  if (ACTIVITY.test(plain)) return { kind: 'activity', pattern: 'request', substituted };
  const m = STATES.exec(plain);
  if (!m) return { kind: 'unknown', pattern: 'request', substituted };
  const dot = m[1].indexOf('.');
  const head = dot < 0 ? m[1] : m[1].slice(0, dot);
  const suffix = dot < 0 ? undefined : m[1].slice(dot + 1);
  const pattern: IntegrationPattern = suffix !== undefined && PATTERNS.has(suffix) ? suffix as IntegrationPattern : 'request';
  const parts = head.split(':');
  const named = parts.every((p) => NAME.test(p));
  if (named && parts.length === 3 && parts[0] === 'aws-sdk') {
    return { kind: 'aws-sdk', service: parts[1], action: parts[2], pattern, suffix, substituted };
  }
  if (named && parts.length === 2 && parts[0] !== 'aws-sdk') {
    const row = CATALOGUE.get(head);
    return { kind: 'optimized', service: parts[0], action: parts[1], pattern, suffix, ...(row ? { row } : {}), substituted };
  }
  // A part left to the deploy: only a literal suffix at the end is known.
  const literal = SUFFIX.exec(plain)?.[1] as IntegrationPattern | undefined;
  return { kind: 'unknown', pattern: literal ?? 'request', ...(literal ? { suffix: literal } : {}), substituted };
}

/**
 * True for the S3 read a Map's ItemReader names (`arn:aws:states:::s3:getObject`, `s3:listObjectsV2`),
 * with no suffix: the calls the local S3 answers for a Distributed Map's items.
 */
export function isS3ItemRead(r: TaskResource): boolean {
  return r.kind === 'optimized' && r.service === 's3' && r.suffix === undefined && (r.action === 'getObject' || r.action === 'listObjectsV2');
}

/** True for the S3 write a Map's ResultWriter names (`arn:aws:states:::s3:putObject`), with no suffix. */
export function isS3ResultWrite(r: TaskResource): boolean {
  return r.kind === 'optimized' && r.service === 's3' && r.suffix === undefined && r.action === 'putObject';
}

/** True for `lambda:invoke`, with or without `.waitForTaskToken`: a Task whose answer is the Invoke API's. */
export function isLambdaInvoke(r: TaskResource): boolean {
  return r.kind === 'optimized' && r.service === 'lambda' && r.action === 'invoke' && (r.suffix === undefined || r.suffix === 'waitForTaskToken');
}

/**
 * True when a worker, not the call's answer, ends the Task: a callback (`.waitForTaskToken`), whose
 * worker answers with SendTaskSuccess or SendTaskFailure, or an activity, polled with GetActivityTask.
 */
export function answeredByWorker(r: TaskResource): boolean {
  return r.pattern === 'waitForTaskToken' || r.kind === 'activity';
}

/** True for a job the Task runs to its end (`.sync`, `.sync:2`): its call's answer is the job as submitted. */
export function isSyncJob(r: TaskResource): boolean {
  return r.pattern === 'sync' || r.pattern === 'sync:2';
}

/**
 * What of a Resource an Express workflow cannot run ("Express Workflows support Request Response,
 * but they do not support Run a Job (.sync) or Wait for Callback (.waitForTaskToken)", the
 * Optimized integrations page; nor activities, "Standard vs. Express Workflows"): the activity, the
 * `.sync` job (`.sync:2` too) or the callback; undefined for a request-response call.
 */
export function expressUnsupported(r: TaskResource): 'activity' | '.sync' | '.waitForTaskToken' | undefined {
  if (r.kind === 'activity') return 'activity';
  if (r.pattern === 'waitForTaskToken') return '.waitForTaskToken';
  return isSyncJob(r) ? '.sync' : undefined;
}

/**
 * How a Task's history events name the service it calls (`resourceType`: `sqs`, `aws-sdk:s3`) and
 * the call (`resource`: `sendMessage.waitForTaskToken`), as TaskScheduled and the events after it
 * write them (recorded on AWS).
 */
export function eventNamesOf(r: TaskResource): { readonly resourceType: string; readonly resource: string } | undefined {
  if (r.kind !== 'optimized' && r.kind !== 'aws-sdk') return undefined;
  return {
    resourceType: r.kind === 'aws-sdk' ? `aws-sdk:${r.service!}` : r.service!,
    resource: r.suffix === undefined ? r.action! : `${r.action!}.${r.suffix}`,
  };
}
