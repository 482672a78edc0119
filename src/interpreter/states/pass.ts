import type { JsonValue, PassState } from '../../asl/types';
import type { CompiledState } from '../engine';
import { compileFinish, compileJsonPathIO, scopeOf, type Finish, type JsonPathIO } from '../io';
import type { AttemptResult, StateCall } from '../runtime';
import { baseState, nextOf, type CompileContext } from './common';

/** Pass: passes its input (or its Parameters, or its Result) on. @internal */
export function compilePass(name: string, def: PassState, ctx: CompileContext): CompiledState {
  const io = compileJsonPathIO(def);
  const pass: PassParts = { io, result: def.Result, finish: compileFinish(io, def, nextOf(def)) };
  // One function for every Pass state, bound to the state's parts (see compilePayloadTemplate).
  return baseState(name, def, ctx, attemptPass.bind(undefined, pass) as CompiledState['attempt']);
}

/** What one Pass state runs with. */
interface PassParts {
  readonly io: JsonPathIO;
  readonly result: JsonValue | undefined;
  readonly finish: Finish;
}

function attemptPass(pass: PassParts, input: JsonValue, call: StateCall): AttemptResult {
  const io = pass.io;
  const effective = io.inputPath ? io.inputPath(input, call) : input;
  const result = pass.result !== undefined ? pass.result : io.parameters ? io.parameters(scopeOf(effective, call)) : effective;
  return pass.finish(input, result, call);
}
