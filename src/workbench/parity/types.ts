/**
 * The words of a parity check: a TestState request made of one state visit,
 * the answers of both sides, and what the check reports of each visit.
 */
import type { ParityCaseFile } from './case-file';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../../asl';
import type { MockValidation } from '../mocks';
import type { TestStateStatus } from '../test-state';

/**
 * TestState's `mock`, as its API takes it, with `result` as a JSON value rather than JSON text:
 * the Task's (or a Map's or Parallel's) answer, or the error it raised.
 */
export interface ParityMock {
  /** What the state's service call (or a Map's iterations, a Parallel's branches) returned. */
  readonly result?: JsonValue;
  /** The error the call raised instead. */
  readonly errorOutput?: { readonly error: string; readonly cause?: string };
  /** How AWS checks `result` against the API's model. @default - AWS's, STRICT */
  readonly fieldValidationMode?: MockValidation;
}

/** TestState's `stateConfiguration`: where in a retry or a Map run the state is tested. */
export interface ParityStateConfiguration {
  readonly retrierRetryCount?: number;
  readonly errorCausedByState?: string;
  readonly mapIterationFailureCount?: number;
  readonly mapItemReaderData?: string;
}

/**
 * One TestState call, as JSON values: the whole definition and the state's name, and what the
 * state saw at the visit (input, variables, Context Object) and its service call answered.
 */
export interface ParityRequest {
  /** A machine a recorded run ran, or a case file's definition (a state or a machine) as its JSON holds it: TestState checks the state it runs. */
  readonly definition: StateMachineDefinition | JsonObject;
  readonly stateName: string;
  readonly input: JsonValue;
  /** `DEBUG` compares every stage of the data flow; `INFO` the outcome only; `TRACE` is DEBUG with an HTTP Task's call, which a mock stands for. */
  readonly inspectionLevel: 'INFO' | 'DEBUG' | 'TRACE';
  readonly mock?: ParityMock;
  readonly context?: JsonObject;
  readonly variables?: Record<string, JsonValue>;
  readonly stateConfiguration?: ParityStateConfiguration;
}

/** An answer to a TestState call: what the state did, with its inspection data parsed. */
export interface ParityOutcome {
  readonly status: TestStateStatus;
  readonly output?: JsonValue;
  readonly nextState?: string;
  readonly error?: string;
  readonly cause?: string;
  /** Each stage of the data flow (`afterInputPath`, `afterParameters`, …, `errorDetails`), parsed. */
  readonly inspectionData?: Readonly<Record<string, JsonValue>>;
}

/** A TestState call refused: AWS's exception name and message. */
export interface ParityRefusal {
  readonly refused: { readonly type: string; readonly message: string };
}

/** Either side's answer to one request. */
export type ParityAnswer = ParityOutcome | ParityRefusal;

/** True for a refusal. */
export function isRefusal(answer: ParityAnswer): answer is ParityRefusal {
  return Object.hasOwn(answer, 'refused');
}

/** Where a request came from: a state visit of a run, or a case given as it is. */
export interface ParitySite {
  /** The state machine's name; for a case given as it is, its file. */
  readonly machine: string;
  readonly state: string;
  /** The n-th visit of the state across the runs of the machine (1-based); for a given case, its place in the file. */
  readonly visit: number;
  /** The attempt within the visit (1-based): 2 and up are retries. */
  readonly attempt: number;
  /** The run the visit was read from: its execution name, or the case file. */
  readonly run?: string;
}

/** A request to send, with the local answer it is compared with. */
export interface ParityCase {
  readonly site: ParitySite;
  readonly request: ParityRequest;
  /**
   * What stepwright did: for a visit of a run, the run's outcome at the visit (status, output,
   * next state, error and cause) with the inspection data of stepwright's own TestState for the
   * same request; for a given case, stepwright's TestState answer.
   */
  readonly local: ParityAnswer;
  /** AWS's answer, when the case holds one recorded (a conformance case file). */
  readonly recorded?: ParityAnswer;
}

/** One field that differs: where in the answer, and each side's value (absent: the side has none). */
export interface ParityDifference {
  /** `status`, `output`, `nextState`, `error`, `cause`, `inspectionData.afterParameters`, `refused`… */
  readonly field: string;
  readonly local?: JsonValue;
  readonly aws?: JsonValue;
}

/** How a visit came out. */
export type ParityVerdict = 'equal' | 'differs' | 'skipped' | 'unchecked';

/** One visit's line of the report. */
export interface ParityRow {
  readonly site: ParitySite;
  readonly verdict: ParityVerdict;
  /** For `differs`: every field that differs, in the order TestState's answer lists them. */
  readonly differences?: readonly ParityDifference[];
  /** For `skipped` and `unchecked`: why it was not compared. */
  readonly reason?: string;
  /** For `differs`, when cases are written: the conformance case file. */
  readonly caseFile?: string;
}

/** What a parity check found, visit by visit. */
export interface ParityReport {
  readonly rows: readonly ParityRow[];
  readonly counts: Readonly<Record<ParityVerdict, number>>;
  /** TestState calls made, retries after a throttle included. */
  readonly calls: number;
  /** Calls answered with ThrottlingException (each retried after a back-off). */
  readonly throttled: number;
  /** What was compared with: the endpoint's URL, `AWS (<region>)`, or `recorded answers`. */
  readonly against: string;
  /** Why the check stopped before the end (no credentials, access denied), when it did. */
  readonly stopped?: string;
  /** With `keepCases`: the conformance case of each difference, in the order of the rows. */
  readonly cases?: readonly ParityCaseFile[];
}

/** A parity check that cannot run as asked: names the option or file and how to fix it. */
export class ParityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParityError';
  }
}
