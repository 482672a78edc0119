import type { JsonValue, StateMachineDefinition } from '../../asl/types';

/** The `format` field every recording carries, so a reader can tell a recording from any other JSON file. */
export const RECORDING_FORMAT = 'stepwright-recording';

/** The version of the recording format this library writes and reads. */
export const RECORDING_VERSION = 1;

/**
 * One event of an execution history, as GetExecutionHistory returns it:
 * `timestamp` as an ISO-8601 string, payloads (`input`, `output`,
 * `parameters`) as JSON text as AWS sends them (parsed JSON is read too).
 */
export interface RecordedEvent {
  readonly type: string;
  /** Event id: a number, or in recordings of concurrent events whose order is unknown, a placeholder. */
  readonly id: unknown;
  /** Id of the event this one follows (a number, or a placeholder as for `id`). */
  readonly previousEventId?: unknown;
  readonly timestamp?: string;
  readonly [details: string]: unknown;
}

/**
 * An execution recorded on AWS Step Functions (or any endpoint speaking its
 * API): everything a replay needs, in one JSON document.
 *
 * @example
 * {
 *   "format": "stepwright-recording", "version": 1,
 *   "stateMachine": { "arn": "arn:aws:states:us-east-1:123456789012:stateMachine:orders", "definition": "{...}" },
 *   "execution": { "arn": "...:execution:orders:run-1", "status": "SUCCEEDED", "input": { "orderId": "o-1" }, "output": { "ok": true } },
 *   "events": [{ "type": "ExecutionStarted", "id": 1, "previousEventId": 0, "timestamp": "2024-01-01T00:00:00.000Z" }]
 * }
 */
export interface Recording {
  /** Always {@link RECORDING_FORMAT}. */
  readonly format: typeof RECORDING_FORMAT;
  /** Always {@link RECORDING_VERSION} for recordings this version writes. */
  readonly version: number;
  /** When the recording was made (ISO-8601). @default - unknown */
  readonly recordedAt?: string;
  /** Where it was recorded from. @default - unknown */
  readonly source?: { readonly endpoint?: string; readonly region?: string };
  /** The state machine as it ran this execution (DescribeStateMachineForExecution). */
  readonly stateMachine: {
    readonly arn: string;
    readonly name?: string;
    /** The definition that ran: ASL as JSON text (as AWS returns it) or parsed. */
    readonly definition: string | StateMachineDefinition;
    readonly roleArn?: string;
    readonly type?: 'STANDARD' | 'EXPRESS';
    readonly revisionId?: string;
  };
  /** The execution (DescribeExecution). Input and output are parsed JSON. */
  readonly execution: {
    readonly arn: string;
    readonly name?: string;
    readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
    readonly input: JsonValue;
    readonly output?: JsonValue;
    readonly error?: string;
    readonly cause?: string;
    readonly startDate?: string;
    readonly stopDate?: string;
  };
  /** The full history (GetExecutionHistory, every page, with execution data), oldest first. */
  readonly events: readonly RecordedEvent[];
  /** JSONPath expressions whose values (and every other appearance of them) were replaced by `"<redacted>"`; see redact(). @default - none */
  readonly redacted?: readonly string[];
}

/** What is wrong with a recording, as a stable code. */
export type RecordingErrorCode = 'NOT_A_RECORDING' | 'UNSUPPORTED_VERSION' | 'INVALID_FIELD' | 'INVALID_DEFINITION';

/** A recording that cannot be read: names the field and how to fix it. */
export class RecordingError extends Error {
  constructor(public readonly code: RecordingErrorCode, message: string) {
    super(message);
    this.name = 'RecordingError';
  }
}

/**
 * Checks a recording (an object or JSON text) and returns it typed.
 * @throws RecordingError naming the field that is missing or wrong
 */
export function parseRecording(value: unknown): Recording {
  let doc = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch (e) {
      throw new RecordingError('NOT_A_RECORDING', `the recording is not JSON: ${(e as Error).message}`);
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new RecordingError('NOT_A_RECORDING', `a recording is a JSON object, got ${Array.isArray(doc) ? 'an array' : typeof doc}`);
  }
  const r = doc as Record<string, unknown>;
  if (r.format !== RECORDING_FORMAT) {
    throw new RecordingError('NOT_A_RECORDING', `'format' must be '${RECORDING_FORMAT}', got ${JSON.stringify(r.format)}; make recordings with 'stepwright record' or record()`);
  }
  if (r.version !== RECORDING_VERSION) {
    throw new RecordingError('UNSUPPORTED_VERSION', `recording version ${JSON.stringify(r.version)} is not supported; this stepwright reads version ${RECORDING_VERSION}`);
  }
  const machine = r.stateMachine as Record<string, unknown> | undefined;
  if (!machine || typeof machine !== 'object') throw field('stateMachine', machine, 'an object with arn and definition');
  if (typeof machine.arn !== 'string') throw field('stateMachine.arn', machine.arn, 'the state machine ARN');
  if (typeof machine.definition !== 'string' && (machine.definition === null || typeof machine.definition !== 'object')) {
    throw field('stateMachine.definition', machine.definition, 'the ASL definition, as JSON text or an object');
  }
  const execution = r.execution as Record<string, unknown> | undefined;
  if (!execution || typeof execution !== 'object') throw field('execution', execution, 'an object with arn, status and input');
  if (typeof execution.arn !== 'string') throw field('execution.arn', execution.arn, 'the execution ARN');
  if (typeof execution.status !== 'string') throw field('execution.status', execution.status, 'SUCCEEDED, FAILED, TIMED_OUT or ABORTED');
  if (!('input' in execution)) throw field('execution.input', undefined, 'the execution input (parsed JSON)');
  if (!Array.isArray(r.events)) throw field('events', r.events, 'the GetExecutionHistory events, oldest first');
  r.events.forEach((e: unknown, i) => {
    if (e === null || typeof e !== 'object' || typeof (e as { type?: unknown }).type !== 'string') throw field(`events[${i}].type`, (e as { type?: unknown } | null)?.type, 'a history event type such as TaskSucceeded');
  });
  return doc as Recording;
}

/** The definition of a recording, parsed. */
export function recordedDefinition(recording: Recording): StateMachineDefinition {
  const d = recording.stateMachine.definition;
  if (typeof d !== 'string') return d;
  try {
    return JSON.parse(d) as StateMachineDefinition;
  } catch (e) {
    throw new RecordingError('INVALID_DEFINITION', `stateMachine.definition is not JSON: ${(e as Error).message}`);
  }
}

function field(name: string, value: unknown, wanted: string): RecordingError {
  return new RecordingError('INVALID_FIELD', `recording field '${name}' must be ${wanted}, got ${value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 80)}`);
}
