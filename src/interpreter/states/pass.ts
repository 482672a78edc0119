import type { JsonValue, PassState } from '../../asl';
import { compilePayloadTemplateParts, templateReadsInputOnly, type BuilderParts, type CompiledTemplate } from '../../asl/payload';
import { compileResultPath } from '../../asl/result-path';
import type { CompiledState, PlainStep } from '../engine';
import { applyResultPath, compileFinish, compileJsonPathIO, compileValueFilter, inputScope, scopeOf, type Finish, type JsonPathIO } from '../io';
import type { AttemptResult, StateCall } from '../runtime';
import { baseState, nextOf, type CompileContext } from './common';
import { StatesError, StatesErrors } from '../../asl/states-errors';
import { effectiveInputOverLimit } from '../size';

type Attempt = CompiledState['attempt'];

/** Pass: passes its input (or its Parameters, or its Result) on. @internal */
export function compilePass(name: string, def: PassState, ctx: CompileContext): CompiledState {
  const plain = plainPassOf(def, name);
  if (plain === undefined) return baseState(name, def, ctx, commonAttempt(def, name), true);
  return baseState(name, def, ctx, plain.attempt, true, plain.step);
}

/** The common path's attempt: one function for every Pass state, bound to the state's parts (see compilePayloadTemplate). */
function commonAttempt(def: PassState, name: string): Attempt {
  const io = compileJsonPathIO(def);
  const finish = compileFinish(io, def, nextOf(def));
  const pass: PassParts = { io, result: def.Result, finish, name: parametersMayBeDropped(def) ? name : undefined };
  return attemptPass.bind(undefined, pass) as Attempt;
}

/**
 * The Pass as a function of its input alone, when nothing it reads is outside the input (see
 * CompiledState.plain), with its common-path attempt. The engine runs a plain state on its fast
 * path, which handles a failure without calling `attempt`, so the attempt is compiled the first
 * time something calls it: a machine of 10,000 such states kept its parts (about a quarter of
 * what the compiled machine held) for nothing. Every field that can fail to compile is compiled
 * here, in the order compileJsonPathIO compiles them, so a definition that cannot run fails when
 * it is compiled, with the same error, as it did.
 */
function plainPassOf(def: PassState, name: string): { step: PlainStep; attempt: Attempt } | undefined {
  if (def.Assign !== undefined || (def as { ResultSelector?: unknown }).ResultSelector !== undefined) return undefined;
  const inputPath = compileValueFilter(def.InputPath);
  if (inputPath === null) return undefined;
  // Judged before it is compiled: a Pass that reads more than its input compiles its Parameters once, the common way.
  if (def.Result === undefined && def.Parameters !== undefined && !templateReadsInputOnly(def.Parameters)) return undefined;
  const template = def.Parameters !== undefined ? compilePayloadTemplateParts(def.Parameters) : undefined;
  const resultPath = compileResultPath(def.ResultPath);
  const outputPath = compileValueFilter(def.OutputPath);
  if (outputPath === null) return undefined;
  const built = typeof template === 'object' ? template : undefined;
  const parts: PlainPassParts = {
    inputPath,
    result: def.Result,
    parameters: typeof template === 'function' ? template : undefined,
    build: built?.build,
    dynamic: built?.dynamic,
    statics: built?.statics,
    resultPath,
    resultPathSource: def.ResultPath,
    outputPath,
    def,
    heldName: parametersMayBeDropped(def) ? name : undefined,
    attempt: undefined,
  };
  // Closures, not plainPass.bind(): the engine's call of the step is then inlined (see compileObjectTemplate).
  return {
    step: (input, maxPayloadBytes) => plainPass(parts, input, maxPayloadBytes),
    attempt: (input, call) => (parts.attempt ??= commonAttempt(parts.def, call.stateName))(input, call),
  };
}

/** What a plain Pass runs with. */
interface PlainPassParts {
  readonly inputPath: ((value: JsonValue) => JsonValue) | undefined;
  readonly result: JsonValue | undefined;
  /** Parameters, compiled; or, for Parameters of its own built by a shared builder, that builder's parts (see BuilderParts). */
  readonly parameters: CompiledTemplate | undefined;
  readonly build: BuilderParts['build'] | undefined;
  readonly dynamic: BuilderParts['dynamic'] | undefined;
  readonly statics: BuilderParts['statics'];
  readonly resultPath: JsonPathIO['resultPath'];
  readonly resultPathSource: string | null | undefined;
  readonly outputPath: ((value: JsonValue) => JsonValue) | undefined;
  readonly def: PassState;
  /** The state's name when its Parameters' value is held to the payload limit (parametersMayBeDropped). */
  readonly heldName: string | undefined;
  /** The common path's attempt, once something has called it. */
  attempt: Attempt | undefined;
}

function plainPass(pass: PlainPassParts, input: JsonValue, maxPayloadBytes: number): JsonValue {
  const effective = pass.inputPath ? pass.inputPath(input) : input;
  const build = pass.build;
  const parameters = pass.parameters;
  const result = pass.result !== undefined ? pass.result
    : build !== undefined ? build(pass.dynamic!, pass.statics, inputScope(effective))
      : parameters ? parameters(inputScope(effective)) : effective;
  if (pass.heldName !== undefined) holdToPayloadLimit(pass.heldName, result, maxPayloadBytes);
  const merged = applyResultPath(pass.resultPath, input, result, pass.resultPathSource);
  return pass.outputPath ? pass.outputPath(merged) : merged;
}

/**
 * True when what the Pass's Parameters build may not reach its output whole (ResultPath null, or
 * an OutputPath that keeps a part), so that the check of the output would not see it: it is then
 * held to the payload limit itself (effectiveInputOverLimit). Otherwise the output holds it, and
 * the output's check, which every state has, covers it.
 */
function parametersMayBeDropped(def: PassState): boolean {
  return def.Result === undefined && def.Parameters !== undefined
    && (def.ResultPath === null || (def.OutputPath !== undefined && def.OutputPath !== '$'));
}

/** What one Pass state runs with. */
interface PassParts {
  readonly io: JsonPathIO;
  readonly result: JsonValue | undefined;
  readonly finish: Finish;
  /** The state's name when its Parameters' value is held to the payload limit (parametersMayBeDropped). */
  readonly name: string | undefined;
}

function attemptPass(pass: PassParts, input: JsonValue, call: StateCall): AttemptResult {
  const io = pass.io;
  const effective = io.inputPath ? io.inputPath(input, call) : input;
  const result = pass.result !== undefined ? pass.result : io.parameters ? io.parameters(scopeOf(effective, call)) : effective;
  if (pass.name !== undefined) holdToPayloadLimit(pass.name, result, call.frame.rt.maxPayloadBytes);
  return pass.finish(input, result, call);
}

/** Fails the Pass `name` when what its Parameters built is over the payload limit `max` (effectiveInputOverLimit). */
function holdToPayloadLimit(name: string, result: JsonValue, max: number): void {
  const size = effectiveInputOverLimit(result, max);
  if (size !== undefined) {
    throw new StatesError(StatesErrors.DATA_LIMIT_EXCEEDED, `The input of state '${name}' after Parameters is ${size} bytes, over the maximum of ${max} bytes.`);
  }
}
