import type { SucceedState } from '../../asl';
import type { CompiledState } from '../engine';
import { compileFilterPath } from '../io';
import { baseState, type CompileContext } from './common';

/** Succeed: ends its machine with its input (through InputPath and OutputPath). @internal */
export function compileSucceed(name: string, def: SucceedState, ctx: CompileContext): CompiledState {
  const inputPath = compileFilterPath(def.InputPath);
  const outputPath = compileFilterPath(def.OutputPath);
  return baseState(name, def, ctx, (input, call) => {
    const effective = inputPath ? inputPath(input, call) : input;
    return { output: outputPath ? outputPath(effective, call) : effective, next: undefined };
  });
}
