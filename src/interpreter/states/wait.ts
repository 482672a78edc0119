import type { JsonObject, JsonValue, WaitState } from '../../asl';
import { AwsLimits } from '../../asl/limits';
import { compilePath } from '../../asl/path';
import { compilePayloadTemplate } from '../../asl/payload';
import type { CompiledState } from '../engine';
import { compileFilterPath, scopeOf } from '../io';
import { stateError, type StateCall } from '../runtime';
import { baseState, nextOf, type CompileContext } from './common';
import { StatesErrors } from '../../asl/states-errors';


/** ISO-8601 extended offset date-time, as AWS accepts it in Timestamp fields. @internal */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an AWS timestamp into ms since the epoch; `undefined` when AWS would reject it. @internal */
export function parseTimestamp(text: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  return ms;
}

/**
 * Wait: sleeps on the execution's clock for Seconds / SecondsPath, or until
 * Timestamp / TimestampPath, then passes its input on.
 * @internal
 */
export function compileWait(name: string, def: WaitState, ctx: CompileContext): CompiledState {
  const inputPath = compileFilterPath(def.InputPath);
  const outputPath = compileFilterPath(def.OutputPath);
  const next = nextOf(def);
  const deadline = compileDeadline(def);
  // Wait has no result: its Assign sees the effective input as `$`.
  const assign = def.Assign !== undefined ? compilePayloadTemplate(def.Assign) : undefined;
  return baseState(name, def, ctx, async (input, call) => {
    const effective = inputPath ? inputPath(input, call) : input;
    const until = deadline(effective, call);
    const clock = call.frame.rt.clock;
    if (until > clock.now()) await clock.sleepUntil(until, call.frame.group?.cancel);
    const output = outputPath ? outputPath(effective, call) : effective;
    return assign ? { output, next, assign: assign(scopeOf(effective, call)) as JsonObject } : { output, next };
  });
}

function compileDeadline(def: WaitState): (input: JsonValue, call: StateCall) => number {
  if (def.Seconds !== undefined) {
    const seconds = Number(def.Seconds);
    return (_input, call) => call.enteredTime + seconds * 1000;
  }
  if (def.Timestamp !== undefined) {
    const text = def.Timestamp;
    const at = parseTimestamp(text);
    return () => {
      if (at === undefined) throw stateError(StatesErrors.RUNTIME, `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${text}`);
      return at;
    };
  }
  if (def.SecondsPath !== undefined) {
    const source = def.SecondsPath;
    const path = compilePath(source);
    return (input, call) => {
      const v = path.read(scopeOf(input, call));
      if (v === undefined) throw stateError(StatesErrors.RUNTIME, `The SecondsPath parameter does not reference an input value: ${source}`);
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        throw stateError(StatesErrors.RUNTIME, `The SecondsPath parameter cannot be parsed as a long value: ${referenced(source, v)}`);
      }
      if (v < 0) throw stateError(StatesErrors.RUNTIME, `The SecondsPath parameter references a negative value: ${referenced(source, v)}`);
      if (v > AwsLimits.SECONDS) throw stateError(StatesErrors.RUNTIME, 'Wait state delay is too long.');
      return call.enteredTime + v * 1000;
    };
  }
  const source = def.TimestampPath!;
  const path = compilePath(source);
  return (input, call) => {
    const v = path.read(scopeOf(input, call));
    if (v === undefined) throw stateError(StatesErrors.RUNTIME, `The TimestampPath parameter does not reference an input value: ${source}`);
    const at = typeof v === 'string' ? parseTimestamp(v) : undefined;
    if (at === undefined) {
      throw stateError(StatesErrors.RUNTIME, `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${referenced(source, v)}`);
    }
    return at;
  };
}

/** `$.path == value`: how AWS shows the value a wait path found when it cannot use it (a string as it is). */
function referenced(source: string, value: JsonValue): string {
  return `${source} == ${typeof value === 'string' ? value : JSON.stringify(value)}`;
}
