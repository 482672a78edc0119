/**
 * A Task's request, as the Task sends it (its paths and expressions evaluated),
 * checked when the Task runs, as AWS refuses it:
 *
 * - **Step Functions refuses it before calling** a service: a member the
 *   model does not define in an `aws-sdk:` request (at any depth), or a
 *   top-level field an optimized integration does not take. The state fails
 *   with `States.Runtime`, "The Parameters '…' could not be used to start the
 *   Task: [The field "Filter" is not supported by Step Functions]" (the
 *   developer guide's "Pass parameters to a service API" gives these words
 *   for EC2's `Filter`; a reported run of `aws-sdk:batch:submitJob` failed
 *   with them for a nested `onStatusReason`, once running).
 * - **The service refuses it**: a required member missing, where what the
 *   integration then raises is known: an `aws-sdk:` call of a JSON-protocol
 *   service whose operation does not model a ValidationException fails with
 *   the service's base exception (`DynamoDb.DynamoDbException`, as the
 *   recorded `SecretsManager.SecretsManagerException` of an unmodeled
 *   validation error shows) and the service's validation message; the
 *   optimized integrations whose refusal is recorded (DynamoDB, SQS's
 *   MessageBody) fail with theirs. The Task fails with that error, which
 *   Retry and Catch see.
 * - Everything else the model is unsure of, or where what AWS does is not
 *   recorded (a literal of another type, a required member of another
 *   service), is advice: the run goes on, as it did.
 *
 * `requestChecks: 'warn'` makes both refusals advice too.
 */
import { contracts } from './lazy-contracts';
import type { RunAdvice } from './validation';
import { optionAt, type MockDoor, type RequestChecks } from './validation-mode';
import type { JsonValue } from '../../asl';
import { HTTP_CONNECTION_FIELDS, UNSUPPORTED_HEADERS, unsupportedHeaderNames } from '../../asl/integrations';
import { ServiceErrors } from '../../asl/service-errors';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { javaV1ExceptionCause, sdkExceptionCause } from '../../asl/task-failure-cause';
import { taskResource } from '../../asl/task-resource';
import { constraintFailure, validationErrorsDetected } from '../../asl/validation-messages';
import type { ContractFinding } from '../../contracts/check';
import type { Contract } from '../../contracts/contract';

export { checkedRequestChecks, REQUEST_CHECK_MODES, requestChecksOf, type RequestChecks } from './validation-mode';

/** How one run checks its Tasks' requests. */
export interface RequestCheckSettings {
  readonly mode: RequestChecks;
  readonly door: MockDoor;
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The top-level field of a finding's path (`Parameters.Key.id` → `Key`), for an evaluated request. */
function topField(path: string, field: string): string | undefined {
  const rest = path.slice(field.length);
  const m = /^\.([A-Za-z_][A-Za-z0-9_-]*)|^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
  if (!m) return undefined;
  return m[1] ?? (JSON.parse(m[2]) as string);
}

/** The name a finding's path ends with: `onStatusReason` for `Parameters.RetryStrategy.EvaluateOnExit[0].onStatusReason`. */
function lastField(path: string): string {
  const m = /(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\[("(?:[^"\\]|\\.)*")\])$/.exec(path);
  return m === null ? path : m[1] ?? (JSON.parse(m[2]) as string);
}

function printable(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The fields Step Functions refuses before it calls: every undefined member of an aws-sdk request, the undefined top-level fields of an optimized one. */
function refusedFields(contract: Contract, findings: readonly ContractFinding[], field: string): ContractFinding[] {
  return findings.filter((f) => f.code === 'UNKNOWN_FIELD' && (contract.kind === 'aws-sdk' || (contract.kind === 'optimized' && topField(f.path, field) !== undefined
    && f.path === `${field}.${topField(f.path, field)}`)));
}

/** `tableName` for `TableName`: how an AWS service's validation message names a member. */
function memberName(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

/** The validation message of an AWS JSON service for null members ("1 validation error detected: Value null at 'tableName' …"). */
function coralMessage(missing: readonly string[]): string {
  return validationErrorsDetected(missing.map((m) => constraintFailure('Value null', memberName(m), 'not be null')));
}

/** How the service refuses a request missing these required members, when it is known; else undefined. */
function serviceError(contract: Contract, missing: readonly string[], requestId: string): StatesError | undefined {
  const { modelIndex, OPTIMIZED_CONTRACTS } = contracts();
  if (contract.kind === 'aws-sdk') {
    const entry = contract.service !== undefined ? modelIndex().services[contract.service] : undefined;
    if (entry === undefined || entry.protocol !== 'json') return undefined;
    const prefix = entry.errorPrefix;
    // A modeled ValidationException is its own class in the SDK for Java 2.x: its name and message are not recorded.
    if (contract.errors.names.includes(ServiceErrors.validation(prefix))) return undefined;
    const cause = sdkExceptionCause({ message: coralMessage(missing), service: prefix, status: 400, requestId });
    return new StatesError(ServiceErrors.base(prefix), cause);
  }
  const spec = contract.kind === 'optimized' ? OPTIMIZED_CONTRACTS.get(`${contract.service}:${contract.action}`) : undefined;
  const rule = spec?.missingRequired;
  if (spec === undefined || rule === undefined) return undefined;
  const judged = rule.members === undefined ? missing : missing.filter((m) => rule.members!.includes(m));
  if (judged.length === 0 || judged.length !== missing.length) return undefined;
  const message = rule.wording === 'query' ? `The request must contain the parameter ${judged[0]}.` : coralMessage(judged);
  return new StatesError(`${spec.errorPrefix}.${rule.error}`,
    javaV1ExceptionCause({ message, service: rule.javaService, status: 400, code: rule.code, requestId }));
}

/** What AWS does with a Task's request: Step Functions refuses it before calling, or the service refuses it. */
export interface RequestVerdict {
  /** Step Functions' refusal before it calls the service: States.Runtime in the state, no Task event. */
  readonly beforeCall?: StatesError;
  /** The service's refusal: the error the Task fails with once scheduled, which Retry and Catch see. */
  readonly byService?: StatesError;
}

/** Where a request is checked and how its refusals are told. */
export interface RequestCheckCall {
  readonly stateName: string;
  readonly resource: string;
  readonly payload: JsonValue;
  readonly field: 'Parameters' | 'Arguments';
  readonly settings: RequestCheckSettings;
  readonly advise: (advice: RunAdvice) => void;
  /** A request id for the service's error message. */
  readonly requestId: () => string;
  /** False when a real endpoint answers the Task: then it refuses what it refuses, and the service is not judged here. */
  readonly judgeService: boolean;
}

/**
 * A Task's request, as it is sent, checked as AWS checks it: what Step Functions refuses before it
 * calls, what the service refuses where the integration's error is known; the rest is told as
 * advice. With `requestChecks: 'warn'` every refusal is advice.
 */
export function checkTaskRequest(call: RequestCheckCall): RequestVerdict {
  const refusedHeaders = checkHeaders(call);
  if (refusedHeaders !== undefined) return refusedHeaders;
  tellMissingConnection(call);
  const { stateName, resource, payload, field, settings, advise } = call;
  const { checkRequest, contractOf, modelVersion } = contracts();
  const contract = contractOf(resource);
  if (contract.request === undefined || contract.unknown !== undefined) return {};
  const findings = checkRequest(resource, payload, { evaluated: true, field });
  if (findings.length === 0) return {};
  const judged = `judged by ${modelVersion()}${contract.model !== undefined ? ` (${contract.model})` : ''}`;
  const tell = (message: string): void => advise({ state: stateName, message: printable(message) });
  const refused = refusedFields(contract, findings, field);
  if (refused.length > 0) {
    const why = `Task '${stateName}': ${refused[0].message} (${judged}). Step Functions refuses such a request before it calls the service`;
    if (settings.mode === 'warn') {
      tell(`${why} (States.Runtime); the run goes on as asked (${optionAt(settings.door, 'requests', 'warn')}).`);
    } else {
      tell(`${why}; if the model is behind AWS here, ${optionAt(settings.door, 'requests', 'warn')} lets the run go on with every other check on.`);
      const cause = `The ${field} '${JSON.stringify(payload)}' could not be used to start the Task: [The field "${lastField(refused[0].path)}" is not supported by Step Functions]`;
      return { beforeCall: new StatesError(StatesErrors.RUNTIME, cause, { inState: true }) };
    }
  }
  if (!call.judgeService) return {};
  const rest = findings.filter((f) => !refused.includes(f));
  const missing = rest.filter((f) => f.code === 'MISSING_FIELD' && f.path === `${field}.${topField(f.path, field)}`).map((f) => topField(f.path, field)!);
  const error = missing.length > 0 && isObject(payload) ? serviceError(contract, missing, call.requestId()) : undefined;
  const unsure = error === undefined ? rest : rest.filter((f) => !(f.code === 'MISSING_FIELD' && missing.includes(topField(f.path, field) ?? '')));
  if (unsure.length > 0) {
    tell(`Task '${stateName}' sends ${contract.service}:${contract.action} a request its model does not accept (${judged}):\n`
      + `${unsure.slice(0, 5).map((f) => `  ${f.message}`).join('\n')}\n`
      + 'The service may refuse it on AWS; what the integration then raises is not recorded, so the run goes on.');
  }
  if (error === undefined) return {};
  const why = `Task '${stateName}' sends ${contract.service}:${contract.action} a request without ${missing.map((m) => `'${m}'`).join(', ')}, which the service requires (${judged})`;
  if (settings.mode === 'warn') {
    tell(`${why}; on AWS the Task fails with ${error.error}. The run goes on as asked (${optionAt(settings.door, 'requests', 'warn')}).`);
    return {};
  }
  tell(`${why}: the Task fails with ${error.error}, as on AWS; if the model is behind AWS here, ${optionAt(settings.door, 'requests', 'warn')} lets the run go on with every other check on.`);
  return { byService: error };
}

/**
 * Headers an API Gateway or HTTP Task sends as the Task runs (read from a path or an expression;
 * a name the definition writes is refused before the run, asl/validate/task-headers.ts) that the
 * integration does not send: an HTTP Task fails with States.Runtime, as call-https-apis.html says;
 * for API Gateway's Task, whose page names the headers but not the failure, it is advice. With
 * `requestChecks: 'warn'`, advice for both.
 */
function checkHeaders(call: RequestCheckCall): RequestVerdict | undefined {
  const r = taskResource(call.resource);
  const rule = r.kind === 'optimized' && r.row !== undefined ? UNSUPPORTED_HEADERS.get(r.row.resource) : undefined;
  const headers = rule !== undefined && isObject(call.payload) ? call.payload.Headers : undefined;
  if (!isObject(headers)) return undefined;
  const names = unsupportedHeaderNames(r.row!.resource, Object.keys(headers));
  if (names.length === 0) return undefined;
  const words = `The 'Headers' field contains unsupported values: [${names.join(', ')}]`;
  const why = `Task '${call.stateName}' asks ${r.row!.resource} to send header${names.length === 1 ? '' : 's'} it never sends (${words}; ${rule!.source[0]})`;
  const tell = (message: string): void => call.advise({ state: call.stateName, message: printable(message) });
  if (!rule!.failsAtRunTime) {
    tell(`${why}; AWS refuses a definition that names ${names.length === 1 ? 'it' : 'them'}, and what the Task does when a path gives ${names.length === 1 ? 'it' : 'them'} is not recorded, so the run goes on.`);
    return undefined;
  }
  if (call.settings.mode === 'warn') {
    tell(`${why}; on AWS the Task fails with States.Runtime. The run goes on as asked (${optionAt(call.settings.door, 'requests', 'warn')}).`);
    return undefined;
  }
  tell(`${why}: the Task fails with States.Runtime, as on AWS; remove ${names.length === 1 ? 'it' : 'them'}, or put credentials in the EventBridge connection.`);
  const cause = `The ${call.field} '${JSON.stringify(call.payload)}' could not be used to start the Task: [${words}]`;
  return { beforeCall: new StatesError(StatesErrors.RUNTIME, cause, { inState: true }) };
}

/**
 * An HTTP Task whose request, as sent, names no EventBridge connection (HTTP_CONNECTION_FIELDS):
 * its page asks for one in every HTTP Task; what AWS does without one is not recorded, so the run
 * goes on and its advice says so.
 */
function tellMissingConnection(call: RequestCheckCall): void {
  const r = taskResource(call.resource);
  if (r.kind !== 'optimized' || r.row?.resource !== 'http:invoke' || !isObject(call.payload)) return;
  const payload = call.payload;
  const named = HTTP_CONNECTION_FIELDS.some(([top, arn]) => {
    const holder = payload[top];
    return isObject(holder) && typeof holder[arn] === 'string' && holder[arn] !== '';
  });
  if (named) return;
  call.advise({
    state: call.stateName,
    message: printable(`HTTP Task '${call.stateName}' names no EventBridge connection (neither ${HTTP_CONNECTION_FIELDS.map(([top, arn]) => `${top}.${arn}`).join(' nor ')}), `
      + 'which call-https-apis.html asks of every HTTP Task; what AWS does with one that names none is not recorded, so the run goes on.'),
  });
}
