/**
 * stepwright's side of a parity request: its own TestState's answer to the same request, with
 * what the run did at the visit in place of the outcome where the history records it.
 */
import { isRefusal, type ParityAnswer, type ParityOutcome, type ParityRequest } from './types';
import type { VisitFacts } from './visit-cases';
import { ApiErrors } from '../../asl/api-errors';
import { DefinitionError } from '../../asl/states-errors';
import { InvalidDefinitionError } from '../../asl/validate';
import { testStateWith, TestStateError, type InspectionData, type TestStateCache, type TestStateOptions } from '../test-state';

/**
 * stepwright's TestState answer to the request: an outcome, or the refusal AWS would send in its place.
 * @param cache what is kept from one request to the next with the same definition object (the visits of a run)
 */
export async function localTestState(request: ParityRequest, cache?: TestStateCache): Promise<ParityAnswer> {
  const mock = request.mock;
  const config = request.stateConfiguration;
  const options: TestStateOptions = {
    inspectionLevel: request.inspectionLevel,
    ...(mock?.errorOutput !== undefined ? { mock: mockError(mock.errorOutput) } : {}),
    ...(mock?.result !== undefined ? { mock: mock.result } : {}),
    ...(mock?.fieldValidationMode !== undefined ? { fieldValidationMode: mock.fieldValidationMode } : {}),
    ...(request.variables !== undefined ? { variables: request.variables } : {}),
    ...(request.context !== undefined ? { context: request.context } : {}),
    ...(config?.retrierRetryCount !== undefined ? { retrierRetryCount: config.retrierRetryCount } : {}),
    ...(config?.mapIterationFailureCount !== undefined ? { mapIterationFailureCount: config.mapIterationFailureCount } : {}),
    ...(config?.errorCausedByState !== undefined ? { errorCausedByState: config.errorCausedByState } : {}),
    ...(config?.mapItemReaderData !== undefined ? { mapItemReaderData: config.mapItemReaderData } : {}),
  };
  try {
    const result = await testStateWith(request.definition, request.stateName, request.input, options, undefined, cache);
    const { status, output, nextState, error, cause, inspectionData } = result;
    return {
      status,
      ...(output !== undefined ? { output } : {}),
      ...(nextState !== undefined ? { nextState } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
      ...(inspectionData !== undefined ? { inspectionData: inspectionJson(inspectionData) } : {}),
    };
  } catch (e) {
    if (e instanceof TestStateError) return { refused: { type: e.aws?.type ?? ApiErrors.ValidationException, message: e.aws?.message ?? e.message } };
    if (e instanceof InvalidDefinitionError || e instanceof DefinitionError) {
      return { refused: { type: ApiErrors.InvalidDefinition, message: e.message } };
    }
    throw e;
  }
}

/** The stages of the data flow as JSON, as AWS's answer shows them (its errorDetails last, as testState gives it). */
function inspectionJson(data: InspectionData): ParityOutcome['inspectionData'] {
  const { errorDetails, ...stages } = data;
  return errorDetails === undefined ? stages : { ...stages, errorDetails: { ...errorDetails } };
}

/** `{ error, cause }` with no other key (testState reads any other object as a result). */
function mockError(e: { readonly error: string; readonly cause?: string }): { error: string; cause?: string } {
  return e.cause === undefined ? { error: e.error } : { error: e.error, cause: e.cause };
}

/**
 * The local answer for a visit: the run's outcome (status, output, next state, error, cause)
 * with the inspection data of stepwright's TestState; a refusal of stepwright's TestState stands
 * as it is (stepwright would refuse what AWS may accept).
 */
export function withFacts(answer: ParityAnswer, facts: VisitFacts): ParityAnswer {
  if (isRefusal(answer)) return answer;
  const error = facts.errorUnrecorded ? answer.error : facts.error;
  const cause = facts.errorUnrecorded ? answer.cause : facts.cause;
  return {
    status: facts.status,
    ...(facts.output !== undefined ? { output: facts.output } : {}),
    ...(facts.nextState !== undefined ? { nextState: facts.nextState } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(cause !== undefined ? { cause } : {}),
    ...(answer.inspectionData !== undefined ? { inspectionData: answer.inspectionData } : {}),
  };
}
