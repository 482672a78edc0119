import type { Catcher, JsonObject } from '../../asl';
import { compilePayloadTemplate } from '../../asl/payload';
import { compileResultPath } from '../../asl/result-path';
import type { CompiledCatcher } from '../engine';
import { applyResultPath, scopeOf } from '../io';

/**
 * A JSONPath catcher: its ResultPath places the error output into the
 * state's raw input (the state's own OutputPath is not applied); its Assign
 * sees the error output as `$`.
 * @internal
 */
export function compileJsonPathCatcher(c: Catcher): CompiledCatcher {
  const resultPath = compileResultPath(c.ResultPath);
  const assign = c.Assign !== undefined ? compilePayloadTemplate(c.Assign) : undefined;
  return {
    ErrorEquals: c.ErrorEquals,
    next: c.Next,
    handle(rawInput, errorOutput, call) {
      const output = applyResultPath(resultPath, rawInput, errorOutput, c.ResultPath);
      if (assign) return { output, next: c.Next, assign: assign(scopeOf(errorOutput, call)) as JsonObject };
      return { output, next: c.Next };
    },
  };
}
