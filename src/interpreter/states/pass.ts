import type { PassState } from '../../asl/types';
import type { CompiledState } from '../engine';
import { compileFinish, compileJsonPathIO, scopeOf } from '../io';
import { baseState, nextOf, type CompileContext } from './common';

/** Pass: passes its input (or its Parameters, or its Result) on. @internal */
export function compilePass(name: string, def: PassState, ctx: CompileContext): CompiledState {
  const io = compileJsonPathIO(def);
  const next = nextOf(def);
  const hasResult = def.Result !== undefined;
  const fixed = def.Result;
  const finish = compileFinish(io, def, next);
  return baseState(name, def, ctx, (input, call) => {
    const effective = io.inputPath ? io.inputPath(input, call) : input;
    const result = hasResult ? fixed! : io.parameters ? io.parameters(scopeOf(effective, call)) : effective;
    return finish(input, result, call);
  });
}
