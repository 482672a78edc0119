import type { JsonValue, StateMachineDefinition } from '../../asl';
import type { MachineType } from '../../asl/aws-defaults';
import { EVENT_ENVELOPE } from '../../asl/history-events';
import { MAX_JSON_DEPTH } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { checkedDefinition } from '../../asl/validate';
import { jsonTextNestsDeeper, jsonTextProblem } from '../common';
import { withLineAndColumn } from '../common/text';

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
 * What putting events in order and following their links reads of an event: its type, its id and
 * the id of the event it follows. A recorded event is one, and so is an event of a local run's
 * history (the interpreter's, numbered).
 */
export interface OrderedEvent {
  readonly type: string;
  readonly id: unknown;
  readonly previousEventId?: unknown;
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
    readonly type?: MachineType;
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
    /** How many times it was redriven (DescribeExecution). @default - not recorded */
    readonly redriveCount?: number;
    /** When it was last redriven (ISO-8601). @default - never redriven, or not recorded */
    readonly redriveDate?: string;
    /** `REDRIVABLE`, `NOT_REDRIVABLE` or `REDRIVABLE_BY_MAP_RUN`, as DescribeExecution said. @default - not recorded */
    readonly redriveStatus?: string;
    /** Why it can or cannot be redriven (AWS's words, e.g. "Execution was started before the launch of RedriveExecution"). @default - not recorded */
    readonly redriveStatusReason?: string;
  };
  /** The full history (GetExecutionHistory, every page, with execution data), oldest first. */
  readonly events: readonly RecordedEvent[];
  /** JSONPath expressions whose values (and every other appearance of them) were replaced by `"<redacted>"`; see redact(). @default - none */
  readonly redacted?: readonly string[];
}

/** What is wrong with a recording, as a stable code. */
export type RecordingErrorCode = 'NOT_A_RECORDING' | 'UNSUPPORTED_VERSION' | 'INVALID_FIELD' | 'INVALID_DEFINITION' | 'TOO_MANY_EVENTS';

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
    const encoding = jsonTextProblem(value);
    if (encoding) throw new RecordingError('NOT_A_RECORDING', `the recording is not JSON: ${encoding}`);
    try {
      doc = JSON.parse(value);
    } catch (e) {
      throw new RecordingError('NOT_A_RECORDING', `the recording is not JSON: ${withLineAndColumn(value, (e as Error).message)}`);
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
  if (r.events.length > AwsLimits.HISTORY_EVENTS) {
    throw new RecordingError('TOO_MANY_EVENTS', `the recording holds ${r.events.length.toLocaleString('en-US')} events, more than the `
      + `${AwsLimits.HISTORY_EVENTS.toLocaleString('en-US')} an execution's history holds on AWS (see docs/limits.md): this is not one execution's history`);
  }
  const ids = new Set<number>();
  // An index loop, not forEach: a hole in an array built in code is an event missing, not one to skip.
  for (let i = 0; i < r.events.length; i++) {
    const e: unknown = r.events[i];
    if (e === null || typeof e !== 'object' || typeof (e as { type?: unknown }).type !== 'string') throw field(`events[${i}].type`, (e as { type?: unknown } | null)?.type, 'a history event type such as TaskSucceeded');
    checkLinks(e as RecordedEvent, i, ids);
  }
  if (execution.redriveCount !== undefined && !(Number.isInteger(execution.redriveCount) && (execution.redriveCount as number) >= 0)) {
    throw field('execution.redriveCount', execution.redriveCount, 'the number of redrives DescribeExecution gave (an integer, 0 or more)');
  }
  for (const k of ['redriveDate', 'redriveStatus', 'redriveStatusReason']) {
    if (execution[k] !== undefined && typeof execution[k] !== 'string') throw field(`execution.${k}`, execution[k], `DescribeExecution's ${k} (a string)`);
  }
  checkDepth('execution.input', execution.input);
  checkDepth('execution.output', execution.output);
  for (let i = 0; i < r.events.length; i++) {
    // Every member but the envelope, details or not: a recording is a user's file.
    for (const [k, details] of Object.entries(r.events[i] as object)) {
      if (EVENT_ENVELOPE.has(k) || details === null || typeof details !== 'object') continue;
      for (const [name, v] of Object.entries(details as object)) checkDepth(`events[${i}].${k}.${name}`, v);
    }
  }
  return doc as Recording;
}

/**
 * Refuses an event's numeric id or previousEventId that no history of AWS holds: the API
 * reference's HistoryEvent numbers events "sequentially, starting at one", so an id is an integer
 * from 1 to the history's 25,000 events, met once, and the event an event follows came before it
 * (0: none). A placeholder (a recording of concurrent events whose order is unknown) passes. A
 * replay then follows every link back to an earlier event, and counts what ids a recording skips,
 * without a cycle or a gap of a billion.
 */
function checkLinks(e: RecordedEvent, i: number, ids: Set<number>): void {
  const numeric = (v: unknown): v is number => typeof v === 'number';
  const limit = AwsLimits.HISTORY_EVENTS.toLocaleString('en-US');
  const wanted = `an integer from 1 to ${limit} (AWS numbers a history's events from one, and it holds at most ${limit} of them)`;
  if (numeric(e.id)) {
    if (!Number.isInteger(e.id) || e.id < 1 || e.id > AwsLimits.HISTORY_EVENTS) throw field(`events[${i}].id`, e.id, wanted);
    if (ids.has(e.id)) throw field(`events[${i}].id`, e.id, 'an id no other event of the recording has (AWS numbers every event of a history once)');
    ids.add(e.id);
  }
  if (numeric(e.previousEventId)) {
    const p = e.previousEventId;
    if (!Number.isInteger(p) || p < 0 || p > AwsLimits.HISTORY_EVENTS) throw field(`events[${i}].previousEventId`, p, `0 or ${wanted}`);
    if (numeric(e.id) && p >= e.id) {
      throw field(`events[${i}].previousEventId`, p, `the id of an event before it, below its own id ${e.id} (the event an event follows came before it)`);
    }
  }
}

/** Each recording's definition, checked once: a replay reads it for every run and comparison. */
const checkedDefinitions = new WeakMap<Recording, StateMachineDefinition>();

/**
 * A definition given as JSON text, parsed; the one reader of a recording's definition and of
 * replay's `definition` option. A refusal names the field (`name`), the line and column where the JSON
 * breaks (never the text around it, which V8 quotes: a definition may hold a secret) and `fix`.
 * @throws RecordingError INVALID_DEFINITION when the text is not JSON
 * @internal
 */
export function definitionJson(text: string, name: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RecordingError('INVALID_DEFINITION', `${name} is not JSON: ${withLineAndColumn(text, (e as Error).message)}; ${fix}`);
  }
}

/**
 * The definition of a recording, parsed and checked as the state machine's type.
 * @throws RecordingError when it is not JSON
 * @throws InvalidDefinitionError listing each error finding when the validator refuses it
 */
export function recordedDefinition(recording: Recording): StateMachineDefinition {
  const known = checkedDefinitions.get(recording);
  if (known !== undefined) return known;
  const d = recording.stateMachine.definition;
  const value = typeof d === 'string' ? definitionJson(d, 'stateMachine.definition', 'record the execution again, or fix the JSON') : d;
  const definition = checkedDefinition(value, { type: recording.stateMachine.type, warnings: false });
  checkedDefinitions.set(recording, definition);
  return definition;
}

/**
 * Refuses data nested deeper than the interpreter carries (MAX_JSON_DEPTH),
 * parsed or as JSON text, before a replay would trip over it: a recording of
 * an execution on AWS never holds such data.
 */
function checkDepth(name: string, value: unknown): void {
  const deep = typeof value === 'string' ? jsonTextNestsDeeper(value, MAX_JSON_DEPTH) : valueNestsDeeper(value, MAX_JSON_DEPTH);
  if (deep) {
    throw new RecordingError('INVALID_FIELD', `recording field '${name}' nests deeper than ${MAX_JSON_DEPTH} levels; `
      + `Step Functions data is nested at most ${MAX_JSON_DEPTH} levels (see docs/limits.md), so this is not a recording of an execution: record it again or fix the field`);
  }
}

/**
 * True when a parsed value nests arrays or objects more than `limit` deep, or
 * holds a string of JSON text that does (a payload the replay parses on its
 * own). Iterative: any depth is safe.
 */
function valueNestsDeeper(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (jsonTextNestsDeeper(v, limit)) return true;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const x of Object.values(v)) stack.push([x, depth + 1]);
  }
  return false;
}

function field(name: string, value: unknown, wanted: string): RecordingError {
  return new RecordingError('INVALID_FIELD', `recording field '${name}' must be ${wanted}, got ${value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 80)}`);
}
