/**
 * The types of TestState's call and answer, shaped as AWS's TestState API, and
 * the error a call that cannot run as asked raises.
 */
import type { JsonObject, JsonValue } from '../../asl';
import type { InspectionLevel } from '../../asl/aws-defaults';
import type { PolicyStatement } from '../../iam';
import type { MockValidation, RunAdvice } from '../mocks';

export type { InspectionLevel } from '../../asl/aws-defaults';

/** How the tested state ended, as in AWS's TestState API. */
export type TestStateStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

/** A mocked Task failure. */
export interface MockError {
  readonly error: string;
  readonly cause?: string;
}

/** Options of {@link testState}. */
export interface TestStateOptions {
  /**
   * What the Task's resource returns: a value, or `{ error, cause }` (an
   * object with only those string fields) to make it fail.
   * @default - required for a Task state
   */
  readonly mock?: JsonValue | MockError;
  /**
   * The role's policy statements: when they do not allow what the Task
   * needs, the Task fails with the AccessDenied error AWS would report
   * instead of returning `mock` (as TestState does with a real role).
   * @default - permissions are not checked
   * @example await testState(def, 'Save', input, { mock: {}, permissions: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: tableArn }] })
   */
  readonly permissions?: readonly PolicyStatement[];
  /**
   * `DEBUG` (or `TRACE`, the same here: there is no HTTP call) adds
   * `inspectionData` with each stage of the state's data flow.
   * @default 'INFO'
   */
  readonly inspectionLevel?: InspectionLevel;
  /** Variables visible to the state. @default {} */
  readonly variables?: Record<string, JsonValue>;
  /**
   * The Context Object the state sees as `$$` (`$states.context` in JSONata), in its data flow
   * and in `inspectionData`, as TestState's `context`.
   * @default - the Context Object the interpreter gives the state
   */
  readonly context?: JsonObject;
  /** Accepted for parity with AWS; nothing is hidden locally, so it changes nothing. */
  readonly revealSecrets?: boolean;
  /**
   * Retries already made by the retrier that matches the error (AWS's
   * `stateConfiguration.retrierRetryCount`): once it reaches the retrier's
   * MaxAttempts the error is no longer RETRIABLE.
   * @default 0
   */
  readonly retrierRetryCount?: number;
  /**
   * For a Map state with ToleratedFailureCount or ToleratedFailurePercentage:
   * how many of its iterations failed (AWS's `stateConfiguration.mapIterationFailureCount`).
   * Above the threshold the Map fails with `States.ExceedToleratedFailureThreshold`. A Map
   * with neither field ignores it, as AWS does.
   * @default 0
   */
  readonly mapIterationFailureCount?: number;
  /**
   * How `mock` (a result, not an error) is checked against what the Task's Resource
   * returns, as AWS's `mock.fieldValidationMode`: `STRICT`, every required field is
   * present and every field the API's model defines is of its type, within its enum and
   * bounds; `PRESENT`, the fields given only; `NONE`, nothing. A mock AWS refuses is
   * refused with a TestStateError (AWS's ValidationException, in its words) naming the
   * field, the model version and the expected shape. A field the model does not define
   * passes, as on AWS, and is named in the result's `advice`.
   * @default 'STRICT'
   */
  readonly fieldValidationMode?: MockValidation;
  /**
   * For a Map or Parallel whose mock is an error: the state inside its item processor or
   * branches that raised it (AWS's `stateConfiguration.errorCausedByState`). An error that
   * state's Resource never raises is named in the result's `advice`, as for a Task's own
   * mocked error. Naming a state the Map or Parallel does not hold, or
   * giving it with a result mock or for another state type, is refused.
   * @default - the error is the Map's or Parallel's own
   */
  readonly errorCausedByState?: string;
  /**
   * For a Map with an ItemReader: the data the reader would read, as found in its source
   * (AWS's `stateConfiguration.mapItemReaderData`): the JSON, JSON Lines or CSV text of the
   * S3 object, or a JSON array of the listed objects for `listObjectsV2`. It is parsed as
   * the ReaderConfig says (InputType, CSV headers and delimiter, ItemsPointer, MaxItems)
   * instead of reading anything.
   * @default - a Map with an ItemReader cannot be tested
   */
  readonly mapItemReaderData?: string;
}

/** Details of a handled error, as AWS's `InspectionErrorDetails`. */
export interface InspectionErrorDetails {
  readonly catchIndex?: number;
  readonly retryIndex?: number;
  readonly retryBackoffIntervalSeconds?: number;
}

/**
 * Each stage of the state's data flow. AWS returns these as JSON strings;
 * here they are JSON values.
 */
export interface InspectionData {
  readonly input: JsonValue;
  readonly afterInputPath?: JsonValue;
  readonly afterParameters?: JsonValue;
  readonly afterArguments?: JsonValue;
  readonly result?: JsonValue;
  readonly afterResultSelector?: JsonValue;
  readonly afterResultPath?: JsonValue;
  /** Map: the items after the ItemReader's ItemsPointer picked them out of the data read. */
  readonly afterItemsPointer?: JsonValue;
  /** Map: the effective input after ItemsPath (JSONPath only, as in AWS). */
  readonly afterItemsPath?: JsonValue;
  /** Map: the inputs of the iterations, after ItemSelector. */
  readonly afterItemSelector?: JsonValue;
  /** Map: the inputs of the iterations, after ItemBatcher. */
  readonly afterItemBatcher?: JsonValue;
  /** Map: MaxConcurrency, when the state sets it. */
  readonly maxConcurrency?: number;
  /** Map: ToleratedFailureCount, when the state sets it. */
  readonly toleratedFailureCount?: number;
  /** Map: ToleratedFailurePercentage, when the state sets it. */
  readonly toleratedFailurePercentage?: number;
  /** The variables after the state ran (its Assign applied). */
  readonly variables?: Record<string, JsonValue>;
  readonly errorDetails?: InspectionErrorDetails;
}

/** The outcome of {@link testState}, shaped as AWS's TestState response (values parsed, not strings). */
export interface TestStateResult {
  readonly status: TestStateStatus;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  /** The state the execution would go to next; absent when it would end or fail. */
  readonly nextState?: string;
  /** With inspectionLevel DEBUG or TRACE. */
  readonly inspectionData?: InspectionData;
  /**
   * What the check of the mock noticed and AWS's TestState lets through: a field the API's
   * model does not define, a mocked error the Task never raises. Not part of AWS's answer
   * (serve logs it). Absent when there is none.
   */
  readonly advice?: readonly RunAdvice[];
}

/** AWS's own answer to a TestState call it refuses: the exception and its message. */
export interface AwsRefusal {
  /** `ValidationException` or `InvalidDefinition`. */
  readonly type: string;
  readonly message: string;
}

/** A testState call that cannot run as asked. */
export class TestStateError extends Error {
  /**
   * @param aws how AWS's TestState API refuses the same call, where it does (`stepwright serve` answers with it)
   */
  constructor(message: string, public readonly aws?: AwsRefusal) {
    super(message);
    this.name = 'TestStateError';
  }
}

/** The name AWS gives a state tested alone (a definition that is one state, not a machine), in its Context Object. */
export const SINGLE_STATE_NAME = 'StateName';

/** True when a mock is `{ error, cause }`: a failure, not a result. */
export function isMockError(mock: unknown): mock is MockError {
  if (mock === null || typeof mock !== 'object' || Array.isArray(mock)) return false;
  const keys = Object.keys(mock);
  return typeof (mock as MockError).error === 'string' && keys.every((k) => k === 'error' || (k === 'cause' && typeof (mock as MockError).cause === 'string'));
}
