import type { RunAdvice } from './validation';
import type { JsonObject, JsonValue } from '../../asl';

/*
 * Advice on a Lambda function's payload, as a mock gives it, that is shaped as Lambda's invoke
 * response instead: the harness (a plain value, succeed(), a --mocks `Return`) wraps a payload in
 * the response a `lambda:invoke` Task answers, so a response given there ends up inside another.
 * AWS decides nothing here: the run goes on as written and says what the mock most likely meant.
 */

/** The fields of Lambda's invoke response as a `lambda:invoke` Task answers it (InvocationResponse, and the SDK's metadata). */
const INVOKE_RESPONSE_FIELDS: ReadonlySet<string> = new Set(['StatusCode', 'Payload', 'ExecutedVersion', 'FunctionError', 'LogResult', 'SdkHttpMetadata', 'SdkResponseMetadata']);

function isObject(value: JsonValue): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Shaped as Lambda's invoke response with a function error (`StatusCode`, `FunctionError`,
 * `Payload`): most likely the response itself, written where the harness takes the payload.
 */
function looksLikeFailedInvoke(value: JsonValue): value is JsonObject {
  if (!isObject(value)) return false;
  const fe = value.FunctionError;
  return typeof fe === 'string' && fe !== '' && typeof value.StatusCode === 'number' && Object.prototype.hasOwnProperty.call(value, 'Payload');
}

/**
 * Shaped as Lambda's whole invoke response (a numeric `StatusCode`, a `Payload`, and no field
 * the response lacks): most likely a Step Functions Local MockConfigFile `Return`, written where
 * the harness takes the payload.
 */
function looksLikeInvokeResponse(value: JsonValue): value is JsonObject {
  return isObject(value) && typeof value.StatusCode === 'number' && Object.prototype.hasOwnProperty.call(value, 'Payload')
    && Object.keys(value).every((k) => INVOKE_RESPONSE_FIELDS.has(k));
}

/**
 * What to tell of a mock's Lambda payload shaped as the invoke response, or undefined for any
 * other payload. @internal
 */
export function payloadShapeAdvice(stateName: string, value: JsonValue): RunAdvice | undefined {
  if (looksLikeFailedInvoke(value)) {
    return {
      state: stateName,
      message: `The mock of Task '${stateName}' is the Lambda function's payload, and it looks like Lambda's invoke response `
        + `with FunctionError ${JSON.stringify(value.FunctionError)}: the Task succeeds with it as its Payload, where AWS fails a Task whose `
        + 'invoke response carries a FunctionError. To answer with the invoke response, give it with rawResult() (jest) or as a MockConfigFile '
        + 'Return; to make the function fail, use fail() or {"Throw": {"Error": ..., "Cause": ...}}.',
    };
  }
  if (looksLikeInvokeResponse(value)) {
    return {
      state: stateName,
      message: `The mock of Task '${stateName}' is the Lambda function's payload, and it looks like Lambda's whole invoke response `
        + `(${Object.keys(value).join(', ')}), as a Step Functions Local MockConfigFile's Return gives it: the Task answers it inside a `
        + 'response of its own, so its Payload is that response ($.Payload.Payload). Give the payload alone, or give the response with '
        + 'rawResult() (jest) or as a MockConfigFile Return.',
    };
  }
  return undefined;
}

/**
 * What to tell of a function's output, answered to a Task whose Resource is the function's ARN
 * (`arn:aws:lambda:…:function:…`), shaped as Lambda's invoke response with a function error, or
 * undefined. Such a Task takes what the function returned as its result, with no invoke response
 * around it, and fails when the function fails (connect-lambda.html): an object shaped so is the
 * function's own output, which the Task succeeds with, where whoever wrote it most likely meant
 * the function to fail. AWS decides nothing here: the answer stays the result. @internal
 */
export function functionOutputAdvice(stateName: string, value: JsonValue): RunAdvice | undefined {
  if (!looksLikeFailedInvoke(value)) return undefined;
  return {
    state: stateName,
    message: `The answer of Task '${stateName}' looks like Lambda's invoke response with FunctionError ${JSON.stringify(value.FunctionError)}, `
      + 'but a Task whose Resource is the function\'s ARN takes what the function returned as its result, with no invoke response around '
      + 'it, so it succeeds with this object, where a function that failed fails the Task with its error. To make the function fail, use '
      + 'fail() or {"Throw": {"Error": ..., "Cause": ...}}; to answer with the invoke response, call arn:aws:states:::lambda:invoke.',
  };
}

/** What withFunctionOutputAdvice reads of a call: the Lambda shape its Resource answers in, and who answered it. @internal */
export interface AnsweredCall {
  readonly shape?: 'invoke' | 'function';
  readonly callback: boolean;
  readonly inline?: boolean;
  readonly request: { readonly stateName: string };
}

/**
 * `value`, a mock's answer to a Task, as it is, after telling `add` what functionOutputAdvice finds
 * in it when the Task calls a function by its ARN (not a callback's output, nor inline code's). @internal
 */
export function withFunctionOutputAdvice(call: AnsweredCall, value: JsonValue, add: (advice: RunAdvice) => void): JsonValue {
  const advice = call.shape === 'function' && !call.callback && !call.inline ? functionOutputAdvice(call.request.stateName, value) : undefined;
  if (advice) add(advice);
  return value;
}
