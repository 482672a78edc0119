import type { FailState, JsonValue } from '../../asl';
import { compileDynamicValue } from '../../asl/payload';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import type { CompiledState } from '../engine';
import { scopeOf } from '../io';
import { baseState, type CompileContext } from './common';

/** Fail: stops its machine with an error and cause, fixed or read from paths (or intrinsics). @internal */
export function compileFail(name: string, def: FailState, ctx: CompileContext): CompiledState {
  const errorPath = def.ErrorPath !== undefined ? compileDynamicValue(def.ErrorPath, 'ErrorPath') : undefined;
  const causePath = def.CausePath !== undefined ? compileDynamicValue(def.CausePath, 'CausePath') : undefined;
  return baseState(name, def, ctx, (input, call) => {
    const scope = scopeOf(input, call);
    const error = errorPath ? asText(errorPath(scope), 'ErrorPath') : def.Error;
    const cause = causePath ? asText(causePath(scope), 'CausePath') : def.Cause;
    throw new StatesError(error ?? '', cause);
  }, false);
}

function asText(value: JsonValue, field: string): string {
  if (typeof value === 'string') return value;
  throw new StatesError(StatesErrors.RUNTIME, `The ${field} field must resolve to a string, got ${JSON.stringify(value)}`, { inState: true });
}
