// The checks of what a caller gives a machine and its executions: the definition's text, the
// limits, an execution's ARN, a redrive's resume, and the callbacks' error, cause and output.
// None runs per state.
import type { CompiledMachine } from './engine';
import { InvalidOptionError, InvalidOutputError, ValidationException } from './execution-errors';
import type { CompileOptions, CompletedChildren, ExecutionStatus } from './execution-types';
import { jsonByteLengthWithin } from './size';
import type { JsonValue } from '../asl';
import { describeNonJson } from '../asl/json-value';
import { AwsLimits } from '../asl/limits';
import { DefinitionError, StatesError } from '../asl/states-errors';

/** JSON text, parsed: what it holds is for the validator to judge. */
export function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DefinitionError('INVALID_JSON_DESCRIPTION', '', `The definition is not valid JSON: ${(e as Error).message}`);
  }
}

/** Each limit is a positive integer, or Infinity for none; NaN would silently turn a limit off. */
export function checkLimits(limits: CompileOptions['limits']): void {
  if (limits === undefined) return;
  if (limits === null || typeof limits !== 'object') {
    throw new InvalidOptionError('limits', `limits must be an object, got ${JSON.stringify(limits)}`);
  }
  for (const key of ['maxHistoryEvents', 'maxTransitions', 'maxPayloadBytes'] as const) {
    const value: unknown = limits[key];
    if (value === undefined || value === Infinity) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new InvalidOptionError(`limits.${key}`, `limits.${key} must be a positive integer (or Infinity for no limit), got ${String(value)}`);
    }
  }
}

/** StartOptions.executionArn: an execution ARN (`execution:` or, for EXPRESS, `express:`) naming this execution. */
export function checkExecutionArn(arn: unknown, name: string, express: boolean): string {
  const kind = express ? 'express' : 'execution';
  const parts = typeof arn === 'string' ? arn.split(':') : [];
  const ok = parts.length === (express ? 9 : 8) && parts[0] === 'arn' && parts[2] === 'states' && parts[5] === kind && parts[7] === name;
  if (!ok) {
    throw new InvalidOptionError('executionArn', `executionArn must be an ARN of the form arn:aws:states:<region>:<account>:${kind}:<state machine>:${name}${express ? ':<id>' : ''}, got ${JSON.stringify(arn)}`);
  }
  return arn as string;
}

/**
 * Checks SendTaskFailure's optional `error` or `cause`: absent, null (how a JSON request leaves a
 * member out, which AWS accepts) or a string of AWS's length. Returns the string, or undefined.
 */
export function failureText(field: 'error' | 'cause', value: unknown, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationException(`sendTaskFailure: '${field}' must be a string, got ${typeof value === 'bigint' ? 'a BigInt' : JSON.stringify(value) ?? typeof value}`);
  if (value.length > max) throw new ValidationException(`sendTaskFailure: '${field}' must be at most ${max} characters, got ${value.length}`);
  return value;
}

/**
 * SendTaskSuccess's `output`, checked before its token is looked at: a JSON value within AWS's
 * bound (refuseOversizedOutput).
 */
export function checkTaskOutput(output: JsonValue): void {
  const problem = describeNonJson(output);
  if (problem !== undefined) throw new InvalidOutputError(`sendTaskSuccess: the output is not a JSON value: ${problem}.`);
  refuseOversizedOutput(output);
}

/** SendTaskFailure's `error` and `cause`, checked before its token is looked at: the failure the task fails with. */
export function taskFailureOf(error: unknown, cause: unknown): StatesError {
  const name = failureText('error', error, AwsLimits.ERROR_CHARS);
  const why = failureText('cause', cause, AwsLimits.CAUSE_CHARS);
  return new StatesError(name ?? '', why);
}

/**
 * SendTaskSuccess's bound on `output`: "Maximum length of 262144", counted in UTF-8 bytes (API
 * reference). AWS refuses a longer output and the task keeps waiting for its token; it is not a
 * result over the limit, which would fail the task with States.DataLimitExceeded. The names are
 * serve's for the same request: its model check (ValidationException) counts characters, then the
 * operation counts bytes (InvalidOutput).
 */
export function refuseOversizedOutput(output: JsonValue): void {
  const max = AwsLimits.PAYLOAD_BYTES;
  if (jsonByteLengthWithin(output, max) <= max) return;
  const text = JSON.stringify(output);
  const characters = text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
  if (characters > max) {
    throw new ValidationException(`sendTaskSuccess: the output's JSON text is ${characters} characters, over the maximum of ${max}; the task keeps waiting for its token`);
  }
  throw new InvalidOutputError(`sendTaskSuccess: the output's JSON text is ${Buffer.byteLength(text)} bytes, over the maximum of ${max}; the task keeps waiting for its token`);
}

export function noTokenError(stateName: string | undefined, status: ExecutionStatus, path: readonly string[]): Error {
  return new Error(`the execution ended ${status} before ${stateName ? `state '${stateName}'` : 'any state'} issued a task token; path: ${path.join(' → ')}`);
}

/**
 * A redrive resumes the iterations or branches of the state it starts at, so
 * `resume` must name that state, a Map or a Parallel, and give each output by
 * a child's index.
 */
export function checkResume(resume: CompletedChildren, entry: CompiledMachine, express: boolean): void {
  if (express) {
    throw new InvalidOptionError('resume', 'resume is for redriving a STANDARD execution; an EXPRESS execution cannot be redriven, so start it again without resume');
  }
  const state = entry.states.get(resume.state);
  if (resume.state !== entry.startAt || (state?.type !== 'Map' && state?.type !== 'Parallel')) {
    throw new InvalidOptionError('resume.state',
      `resume.state names '${resume.state}', but the execution starts at '${entry.startAt}' (a ${entry.states.get(entry.startAt)?.type} state): `
      + 'resume the Map or Parallel state given as startAt, with the completedChildren of the run that failed in it');
  }
  if (!(resume.outputs instanceof Map)) {
    throw new InvalidOptionError('resume.outputs', `resume.outputs must be a Map from child index to output, got ${JSON.stringify(resume.outputs)}`);
  }
  const mapRun = resume.mapRunArn;
  if (mapRun !== undefined && (typeof mapRun !== 'string' || !/^arn:[^:]+:states:[^:]*:[^:]*:mapRun:[^:]+:[^:]+$/.test(mapRun) || mapRun.length > 2000)) {
    throw new InvalidOptionError('resume.mapRunArn', `resume.mapRunArn must be the Map Run ARN of the run that failed (arn:aws:states:<region>:<account>:mapRun:<machine>/<label>:<id>), got ${JSON.stringify(mapRun)?.slice(0, 200)}`);
  }
  for (const [index, output] of resume.outputs) {
    if (!Number.isInteger(index) || index < 0) {
      throw new InvalidOptionError('resume.outputs', `resume.outputs has the key ${JSON.stringify(index)}; the keys are the 0-based indices of the iterations or branches of '${resume.state}'`);
    }
    const problem = describeNonJson(output);
    if (problem !== undefined) throw new InvalidOptionError('resume.outputs', `resume.outputs[${index}] is not a JSON value: ${problem}`);
  }
}
