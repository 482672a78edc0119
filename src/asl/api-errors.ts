/*
 * The errors Step Functions' API answers with, by name: the one home of each name (a fact-home lint
 * rule refuses the literal elsewhere in src/). Those an operation declares come from botocore's
 * model (api-errors.generated.ts, `npx projen contracts`); the AWS JSON 1.0 protocol's own, which
 * any request may get and the model lists for no operation, are written here.
 */
import { MODEL_API_ERROR_STATUS, MODEL_API_ERRORS } from './api-errors.generated';

/**
 * The errors of AWS's service framework, which it answers before the service sees a request or past
 * it, and which the model lists for no operation (serve writes them in the framework's namespace,
 * server/api-errors.ts).
 * @internal
 */
export const PROTOCOL_API_ERRORS = {
  /** A body that is not a JSON object, or a member of the wrong JSON type: AWS's JSON 1.0 services read a request into the model's types first. */
  SerializationException: 'SerializationException',
  /** An `X-Amz-Target` that names no operation of the service, or a request no JSON protocol claims. */
  UnknownOperationException: 'UnknownOperationException',
  /** The service failed (500): "Common Errors", AWS Step Functions API Reference. */
  InternalFailure: 'InternalFailure',
  /** The caller may not make the request (403): "Common Errors", AWS Step Functions API Reference. */
  AccessDeniedException: 'AccessDeniedException',
} as const;

/**
 * Every error Step Functions' API answers with, by name: `ApiErrors.StateMachineDoesNotExist` is
 * `'StateMachineDoesNotExist'`.
 * @internal
 */
export const ApiErrors = { ...MODEL_API_ERRORS, ...PROTOCOL_API_ERRORS } as const;

/** The name of an error Step Functions' API answers with. @internal */
export type ApiErrorName = (typeof ApiErrors)[keyof typeof ApiErrors];

/**
 * The errors any operation may answer, whether or not the model declares them for it: the
 * protocol's, and ValidationException, which a request breaking the model's constraints (a
 * required member missing, a length, a pattern) gets whatever its operation ("Common Errors",
 * AWS Step Functions API Reference: ValidationError, "The input fails to satisfy the constraints
 * specified by an AWS service"; the JSON protocol names it ValidationException).
 * @internal
 */
export const ANY_OPERATION_API_ERRORS: ReadonlySet<ApiErrorName> = new Set([...Object.values(PROTOCOL_API_ERRORS), ApiErrors.ValidationException]);

/**
 * The HTTP status of the framework's errors, which the model does not hold: 400 for a body it
 * cannot read and for an operation it does not know (AWS's answers of DynamoDB, a JSON 1.0 service
 * of the same framework, recorded in dynalite's and kinesalite's suites), 403 and 500 ("Common
 * Errors", AWS Step Functions API Reference: AccessDeniedException, InternalFailure).
 */
const PROTOCOL_API_ERROR_STATUS: Readonly<Record<keyof typeof PROTOCOL_API_ERRORS, number>> = {
  SerializationException: 400,
  UnknownOperationException: 400,
  InternalFailure: 500,
  AccessDeniedException: 403,
};

/**
 * The HTTP status AWS answers each error of Step Functions' API with: the model's errors' from the
 * model (api-errors.generated.ts: ConflictException's 409 and ServiceQuotaExceededException's 402,
 * 400 for every other), the framework's from PROTOCOL_API_ERROR_STATUS.
 * @internal
 */
export const API_ERROR_STATUS: Readonly<Record<ApiErrorName, number>> = { ...MODEL_API_ERROR_STATUS, ...PROTOCOL_API_ERROR_STATUS };

/** True when `name` is an error Step Functions' API answers with. @internal */
export function isApiErrorName(name: string): name is ApiErrorName {
  return Object.hasOwn(ApiErrors, name);
}
