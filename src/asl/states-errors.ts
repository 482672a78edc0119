import { STATES_PREFIX } from './intrinsics/names';

/**
 * An error raised while a state runs, named as AWS names it.
 *
 * `error` is the ASL error name (`States.Timeout`, `Payment.Declined`, ...), which
 * `ErrorEquals` matches; `cause` is the human-readable detail AWS reports with it.
 *
 * @example
 * throw new StatesError('Payment.Declined', 'the card was declined');
 */
export class StatesError extends Error {
  /** The ASL error name, matched by `ErrorEquals`. */
  public readonly error: string;
  /** The cause text, as AWS would report it. */
  public override readonly cause: string | undefined;
  /**
   * True when AWS reports this error with the prefix
   * `An error occurred while executing the state 'X' (entered at the event id #N).`;
   * the interpreter adds the prefix, since only it knows the state and the event.
   */
  public inState: boolean;

  constructor(error: string, cause?: string, options: { readonly inState?: boolean } = {}) {
    // A StatesError is data, the failure a state reports (a Task's error a Retry or Catch takes,
    // a Choice no rule matched), made and caught on the interpreter's every-day path: no stack is
    // captured, which cost more than the rest of the failure (V8 walks up to stackTraceLimit
    // frames at every `new`). `stack` still reads `StatesError: <message>`.
    const frames = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(cause === undefined ? error : `${error}: ${cause}`);
    Error.stackTraceLimit = frames;
    this.name = 'StatesError';
    this.error = error;
    this.cause = cause;
    this.inState = options.inState ?? false;
  }
}

/**
 * A `States.Runtime` failure that says the test is wrong, not the state machine: a mock that
 * answers what its service never sends (docs/contracts.md). AWS would never see it, so nothing
 * of the machine may hide it: no Retry or Catch (no `States.Runtime` is retried or caught), and
 * no Distributed Map's tolerated failures, which would count it as an item that failed. It fails
 * the execution wherever it is raised.
 * @internal
 */
export class TestSetupError extends StatesError {
  constructor(cause: string | undefined) {
    super(StatesErrors.RUNTIME, cause);
  }
}

/** The error names AWS Step Functions raises itself. */
export const StatesErrors = {
  ALL: 'States.ALL',
  TASK_FAILED: 'States.TaskFailed',
  TIMEOUT: 'States.Timeout',
  HEARTBEAT_TIMEOUT: 'States.HeartbeatTimeout',
  BRANCH_FAILED: 'States.BranchFailed',
  NO_CHOICE_MATCHED: 'States.NoChoiceMatched',
  /** A name `ErrorEquals` may hold; AWS reports a failed intrinsic function as `States.Runtime` (docs/fidelity.md). */
  INTRINSIC_FAILURE: 'States.IntrinsicFailure',
  PARAMETER_PATH_FAILURE: 'States.ParameterPathFailure',
  RESULT_PATH_MATCH_FAILURE: 'States.ResultPathMatchFailure',
  EXCEED_TOLERATED_FAILURE_THRESHOLD: 'States.ExceedToleratedFailureThreshold',
  ITEM_READER_FAILED: 'States.ItemReaderFailed',
  RESULT_WRITER_FAILED: 'States.ResultWriterFailed',
  RUNTIME: 'States.Runtime',
  DATA_LIMIT_EXCEEDED: 'States.DataLimitExceeded',
  QUERY_EVALUATION_ERROR: 'States.QueryEvaluationError',
  PERMISSIONS: 'States.Permissions',
} as const;

/**
 * Names the interpreter gives outcomes between its own parts that are not errors AWS raises: a
 * branch or execution stopped, an execution the at-least-once delivery started over, the end of
 * one that succeeded. They share the `States.` prefix so that no `ErrorEquals` a user writes
 * (AWS refuses other `States.` names there) can match them.
 * @internal
 */
export const InternalErrors = {
  STOPPED: 'States.Stopped',
  RESTARTED: 'States.Restarted',
  SUCCEEDED: 'States.Succeeded',
} as const;

/**
 * True for the errors a Task's own clocks raise: `States.Timeout` (its TimeoutSeconds, or a
 * callback's or `.sync` job's missed heartbeat) and `States.HeartbeatTimeout` (an activity's
 * missed heartbeat). AWS records them as the Task's `…TimedOut` event, never `…Failed`.
 * @internal
 */
export function isTimeoutError(name: string): boolean {
  return name === StatesErrors.TIMEOUT || name === StatesErrors.HEARTBEAT_TIMEOUT;
}

/**
 * The errors AWS raises on a state's own data, never a service's answer: a ResultPath that does
 * not fit, an intrinsic function given a value it refuses, a JSONata expression that fails or
 * gives nothing, a path that names nothing (States.ParameterPathFailure, which AWS reserves and
 * reports as States.Runtime). The ASL reserves `States.` names
 * (https://states-language.net/spec.html#error-names: a state may report other names, which must
 * not begin with `States.`), so no call answers one.
 * @internal
 */
export const STATE_DATA_ERRORS: readonly string[] = [
  StatesErrors.INTRINSIC_FAILURE, StatesErrors.RESULT_PATH_MATCH_FAILURE, StatesErrors.QUERY_EVALUATION_ERROR,
  StatesErrors.PARAMETER_PATH_FAILURE,
];

/**
 * True when an error name is one AWS reserves for Step Functions itself (`States.` names), never
 * one a service or a user's code raises.
 * @internal
 */
export function isStatesErrorName(name: string): boolean {
  return name.startsWith(STATES_PREFIX);
}

/**
 * A definition that cannot run: raised when a state machine is compiled, before
 * any execution starts. It names the state and the field at fault.
 */
export class DefinitionError extends Error {
  /** JSON-pointer location of the fault, for example `/States/Charge/Next`. */
  public readonly location: string;
  /** Stable code of the fault, for example `MISSING_TRANSITION_TARGET`. */
  public readonly code: string;

  constructor(code: string, location: string, message: string) {
    super(`${location}: ${message}`);
    this.name = 'DefinitionError';
    this.code = code;
    this.location = location;
  }
}
