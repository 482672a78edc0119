import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, NO_FINDINGS, ptr, type StateInfo, warning } from './model';
import { DEVELOPER_GUIDE, HTTP_CONNECTION_FIELDS, UNSUPPORTED_HEADERS, unsupportedHeaderNames } from '../integrations';
import { taskResource } from '../task-resource';

/**
 * An API Gateway or HTTP Task whose Headers name a header the integration does not send
 * (Authorization, Host, `X-Amz-…`): AWS refuses the definition, "The 'Headers' field contains
 * unsupported values: [authorization]" at the Task's Parameters (the catalogue's
 * UNSUPPORTED_HEADERS). Header names are read where the definition writes them (a `"Name.$"` key
 * names `Name`); Headers left to a path or an expression are judged when the Task runs.
 * @internal
 */
export function taskHeaders(state: StateInfo): readonly Finding[] {
  if (state.type !== 'Task' || typeof state.node.Resource !== 'string') return NO_FINDINGS;
  const r = taskResource(state.node.Resource);
  const row = r.kind === 'optimized' ? r.row : undefined;
  if (row === undefined || !UNSUPPORTED_HEADERS.has(row.resource)) return NO_FINDINGS;
  const field = state.language === 'JSONata' ? 'Arguments' : 'Parameters';
  const payload = state.node[field];
  const headers = isObj(payload) ? payload.Headers : undefined;
  if (!isObj(headers)) return NO_FINDINGS;
  const written = Object.keys(headers).map((k) => (state.language === 'JSONPath' && k.endsWith('.$') ? k.slice(0, -2) : k));
  const names = unsupportedHeaderNames(row.resource, written);
  if (names.length === 0) return NO_FINDINGS;
  const fix = row.resource === 'http:invoke'
    ? 'put credentials in the EventBridge connection the Task names'
    : 'send it under another name and map it in API Gateway (a method request header mapped to the integration\'s)';
  return [error(C.SCHEMA_VALIDATION_FAILED, ptr(state.pointer, field),
    `Task '${state.name}' sends ${row.resource} the header${names.length === 1 ? '' : 's'} ${names.map((n) => `'${n}'`).join(', ')}, which Step Functions does not send, `
    + `and AWS refuses the definition ("The 'Headers' field contains unsupported values: [${names.join(', ')}]"); remove ${names.length === 1 ? 'it' : 'them'}, or ${fix}`,
    { kind: 'unsupported-headers', names })];
}

/**
 * An HTTP Task whose Parameters (or Arguments) name no EventBridge connection, neither
 * `Authentication` nor `InvocationConfig` (HTTP_CONNECTION_FIELDS): the page asks for one in every
 * HTTP Task, and what AWS does without one is not recorded, so this warns. A payload left to an
 * expression, or a field given by a path (`Authentication.$`), is not judged.
 * @internal
 */
export function httpConnection(state: StateInfo): readonly Finding[] {
  if (state.type !== 'Task' || typeof state.node.Resource !== 'string') return NO_FINDINGS;
  const r = taskResource(state.node.Resource);
  if (r.kind !== 'optimized' || r.row?.resource !== 'http:invoke') return NO_FINDINGS;
  const field = state.language === 'JSONata' ? 'Arguments' : 'Parameters';
  const payload = state.node[field];
  if (!isObj(payload) || HTTP_CONNECTION_FIELDS.some(([top]) => top in payload || `${top}.$` in payload)) return NO_FINDINGS;
  return [warning(C.MISSING_REQUEST_FIELD, ptr(state.pointer, field), `HTTP Task '${state.name}' names no EventBridge connection: give its ${field} `
    + `"Authentication": { "ConnectionArn": ... } (or InvocationConfig.ConnectionArn for a private API), as ${DEVELOPER_GUIDE}call-https-apis.html asks of every HTTP Task; `
    + 'what AWS does with one that names none is not recorded')];
}
