import type { JsonValue } from '../asl';
import { StatesErrors, StatesError } from '../asl/states-errors';
import type { ResourceKind } from './states/task';

/**
 * API Gateway's `Headers` is a map of header names to lists of values
 * (`{"Accept": ["application/json"]}`); a single string value is refused.
 */
function apiGatewayInvoke(payload: JsonValue): string | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const headers = payload.Headers;
  if (headers === undefined) return undefined;
  const valid = headers !== null && typeof headers === 'object' && !Array.isArray(headers)
    && Object.values(headers).every((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'));
  return valid ? undefined : "The value of the field 'Headers' has an invalid format";
}

/**
 * The parameter check AWS runs for an optimized integration before it starts
 * the task, or `undefined` for a resource it does not check. A refused payload
 * fails the state with `States.Runtime` before any Task event is recorded, so
 * no handler is called: AWS never reaches the service either.
 * @internal
 */
export function compileParameterCheck(
  kind: ResourceKind, field: 'Parameters' | 'Arguments',
): ((payload: JsonValue) => void) | undefined {
  const check = kind.kind === 'service' && kind.resourceType === 'apigateway' && kind.resource.startsWith('invoke') ? apiGatewayInvoke : undefined;
  if (!check) return undefined;
  return (payload) => {
    const problem = check(payload);
    if (problem !== undefined) {
      throw new StatesError(StatesErrors.RUNTIME, `The ${field} '${JSON.stringify(payload)}' could not be used to start the Task: [${problem}]`, { inState: true });
    }
  };
}
