import type { JsonValue, PassState } from '../../asl';
import { templateReadsInputOnly } from '../../asl/payload';
import type { CompiledState, PlainStep } from '../engine';
import { applyResultPath, compileFinish, compileJsonPathIO, compileValueFilter, inputScope, scopeOf, type Finish, type JsonPathIO } from '../io';
import type { AttemptResult, StateCall } from '../runtime';
import { baseState, nextOf, type CompileContext } from './common';

/** Pass: passes its input (or its Parameters, or its Result) on. @internal */
export function compilePass(name: string, def: PassState, ctx: CompileContext): CompiledState {
  const io = compileJsonPathIO(def);
  const pass: PassParts = { io, result: def.Result, finish: compileFinish(io, def, nextOf(def)) };
  // One function for every Pass state, bound to the state's parts (see compilePayloadTemplate).
  return baseState(name, def, ctx, attemptPass.bind(undefined, pass) as CompiledState['attempt'], true, plainPassOf(def, io));
}

/** The Pass as a function of its input alone, when nothing it reads is outside the input (see CompiledState.plain). */
function plainPassOf(def: PassState, io: JsonPathIO): PlainStep | undefined {
  if (def.Assign !== undefined) return undefined;
  const inputPath = compileValueFilter(def.InputPath);
  const outputPath = compileValueFilter(def.OutputPath);
  if (inputPath === null || outputPath === null) return undefined;
  if (def.Result === undefined && def.Parameters !== undefined && !templateReadsInputOnly(def.Parameters)) return undefined;
  const parts: PlainPassParts = { inputPath, result: def.Result, io, resultPathSource: def.ResultPath, outputPath };
  // A closure, not plainPass.bind(): the engine's call of it is then inlined (see compileObjectTemplate).
  return (input) => plainPass(parts, input);
}

/** What a plain Pass runs with. */
interface PlainPassParts {
  readonly inputPath: ((value: JsonValue) => JsonValue) | undefined;
  readonly result: JsonValue | undefined;
  readonly io: JsonPathIO;
  readonly resultPathSource: string | null | undefined;
  readonly outputPath: ((value: JsonValue) => JsonValue) | undefined;
}

function plainPass(pass: PlainPassParts, input: JsonValue): JsonValue {
  const effective = pass.inputPath ? pass.inputPath(input) : input;
  const parameters = pass.io.parameters;
  const result = pass.result !== undefined ? pass.result : parameters ? parameters(inputScope(effective)) : effective;
  const merged = applyResultPath(pass.io, input, result, pass.resultPathSource);
  return pass.outputPath ? pass.outputPath(merged) : merged;
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
