/**
 * A parity request as TestState takes it on the wire (JSON members as text), and the limits
 * AWS puts on it: a request over one is never sent, and the visit is reported as skipped.
 */
import type { ParityRequest } from './types';
import { AwsLimits } from '../../asl/limits';

/** The members of a TestState request, as `@aws-sdk/client-sfn`'s `TestStateInput` has them. */
export interface TestStateWireInput {
  readonly definition: string;
  /** Absent for a definition that is one state. */
  readonly stateName?: string;
  readonly input: string;
  readonly inspectionLevel: 'INFO' | 'DEBUG' | 'TRACE';
  readonly mock?: {
    readonly result?: string;
    readonly errorOutput?: { readonly error: string; readonly cause?: string };
    readonly fieldValidationMode?: 'STRICT' | 'PRESENT' | 'NONE';
  };
  readonly context?: string;
  readonly variables?: string;
  readonly stateConfiguration?: ParityRequest['stateConfiguration'];
}

/**
 * Each definition's JSON text, written once: every visit of a run sends the run's definition,
 * and 12,500 visits each holding its own copy of a 700 KB definition filled gigabytes.
 */
const definitionTexts = new WeakMap<object, string>();

export function definitionText(definition: ParityRequest['definition']): string {
  if (definition === null || typeof definition !== 'object') return JSON.stringify(definition);
  let text = definitionTexts.get(definition);
  if (text === undefined) {
    text = JSON.stringify(definition);
    definitionTexts.set(definition, text);
  }
  return text;
}

/** The request with its JSON members as JSON text. */
export function wireInput(request: ParityRequest): TestStateWireInput {
  const mock = request.mock;
  return {
    definition: definitionText(request.definition),
    ...(request.stateName !== '' ? { stateName: request.stateName } : {}),
    input: JSON.stringify(request.input),
    inspectionLevel: request.inspectionLevel,
    ...(mock === undefined ? {} : {
      mock: {
        ...(mock.result !== undefined ? { result: JSON.stringify(mock.result) } : {}),
        ...(mock.errorOutput !== undefined ? { errorOutput: mock.errorOutput } : {}),
        ...(mock.fieldValidationMode !== undefined ? { fieldValidationMode: mock.fieldValidationMode } : {}),
      },
    }),
    ...(request.context !== undefined ? { context: JSON.stringify(request.context) } : {}),
    ...(request.variables !== undefined ? { variables: JSON.stringify(request.variables) } : {}),
    ...(request.stateConfiguration !== undefined ? { stateConfiguration: request.stateConfiguration } : {}),
  };
}

/**
 * Most characters of each member, from "TestState", "MockInput", "MockErrorOutput" and
 * "TestStateConfiguration" in the AWS Step Functions API Reference (the model's `Definition`,
 * `SensitiveData`, `StateName`, `SensitiveError` and `SensitiveCause` shapes). AWS counts
 * characters as Java does, in UTF-16 code units, which is JavaScript's `length`.
 */
export const TEST_STATE_LIMITS = {
  'definition': AwsLimits.DEFINITION_BYTES,
  'input': AwsLimits.PAYLOAD_BYTES,
  'variables': AwsLimits.PAYLOAD_BYTES,
  'context': AwsLimits.PAYLOAD_BYTES,
  'mock.result': AwsLimits.PAYLOAD_BYTES,
  'mock.errorOutput.error': AwsLimits.ERROR_CHARS,
  'mock.errorOutput.cause': AwsLimits.CAUSE_CHARS,
  'stateName': AwsLimits.NAME_CHARS,
  'stateConfiguration.errorCausedByState': AwsLimits.NAME_CHARS,
  'stateConfiguration.mapItemReaderData': AwsLimits.PAYLOAD_BYTES,
} as const;

/** A state's input as UTF-8 bytes, at most. */
export const MAX_INPUT_BYTES = AwsLimits.PAYLOAD_BYTES;
/** The whole request, at most. */
export const MAX_REQUEST_BYTES = AwsLimits.REQUEST_BYTES;

/**
 * The most of a TestState answer read: 8 MiB, stepwright's own bound. TestState answers a
 * state's output, an error and a cause, and inspection data of about fifteen members of up to
 * 256 KiB each (the input, the value after each of InputPath, Parameters or Arguments,
 * ResultSelector, ResultPath, ItemsPath, ItemSelector, ItemBatcher, the result, the variables, an
 * HTTP Task's request and response): about 4 MiB of text, escaped once more as the answer's JSON.
 * An endpoint that sends more is answering something else, and is read no further.
 */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * Real milliseconds one TestState call may take by default, from the request to the last byte of
 * its answer: TestState runs a state for at most five minutes ("TestState", AWS Step Functions
 * API Reference), and half a minute more for the way there and back.
 */
export const DEFAULT_CALL_TIMEOUT_MS = (AwsLimits.TEST_STATE_SECONDS + 30) * 1000;

/**
 * Why TestState would refuse the request for its size alone, or undefined when it is within every
 * limit: the member, its size and the limit.
 */
export function sizeProblem(wire: TestStateWireInput): string | undefined {
  const members: Array<[keyof typeof TEST_STATE_LIMITS, string | undefined]> = [
    ['definition', wire.definition],
    ['input', wire.input],
    ['variables', wire.variables],
    ['context', wire.context],
    ['mock.result', wire.mock?.result],
    ['mock.errorOutput.error', wire.mock?.errorOutput?.error],
    ['mock.errorOutput.cause', wire.mock?.errorOutput?.cause],
    ['stateName', wire.stateName],
    ['stateConfiguration.errorCausedByState', wire.stateConfiguration?.errorCausedByState],
    ['stateConfiguration.mapItemReaderData', wire.stateConfiguration?.mapItemReaderData],
  ];
  for (const [member, text] of members) {
    if (text !== undefined && text.length > TEST_STATE_LIMITS[member]) {
      return `its ${member} is ${count(text.length)} characters, over TestState's ${count(TEST_STATE_LIMITS[member])}`;
    }
  }
  const inputBytes = Buffer.byteLength(wire.input);
  if (inputBytes > MAX_INPUT_BYTES) return `its input is ${count(inputBytes)} bytes, over the ${count(MAX_INPUT_BYTES)} a state's input may be`;
  const requestBytes = wireBytes(wire);
  if (requestBytes > MAX_REQUEST_BYTES) return `the request would be ${count(requestBytes)} bytes, over the ${count(MAX_REQUEST_BYTES)} an API request may be`;
  return undefined;
}

/**
 * The bytes of the request as JSON, `definition` (its first member) counted once per definition
 * text rather than written out again for each visit.
 */
function wireBytes(wire: TestStateWireInput): number {
  const { definition, ...rest } = wire;
  if (quoted?.text !== definition) quoted = { text: definition, bytes: Buffer.byteLength(JSON.stringify(definition)) };
  // '{"definition":' + the text as a JSON string + ',' + the other members without their '{'.
  return Buffer.byteLength('{"definition":,') + quoted.bytes + Buffer.byteLength(JSON.stringify(rest)) - 1;
}

/** The last definition text measured. */
let quoted: { readonly text: string; readonly bytes: number } | undefined;

function count(n: number): string {
  return n.toLocaleString('en-US');
}
