import { baseState, type CompileContext } from './common';
import type { ChoiceState, JsonObject } from '../../asl';
import { compileChoiceRule } from '../../asl/choice';
import type { PathScope } from '../../asl/path';
import { compilePayloadTemplate, type CompiledTemplate } from '../../asl/payload';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import type { CompiledState } from '../engine';
import { compileFilterPath, scopeOf } from '../io';

interface CompiledRule {
  readonly test: (scope: PathScope) => boolean;
  readonly next: string;
  readonly assign: CompiledTemplate | undefined;
}

/**
 * Choice (JSONPath): the first rule that holds picks the next state; with
 * none, Default, else `States.NoChoiceMatched`. Only the taken rule's Assign
 * applies; the state-level Assign goes with Default.
 * @internal
 */
export function compileChoice(name: string, def: ChoiceState, ctx: CompileContext): CompiledState {
  const inputPath = compileFilterPath(def.InputPath);
  const outputPath = compileFilterPath(def.OutputPath);
  const rules: CompiledRule[] = def.Choices.map((rule, i) => ({
    test: compileChoiceRule(rule, `${ctx.location}/Choices/${i}`),
    next: rule.Next!,
    assign: rule.Assign !== undefined ? compilePayloadTemplate(rule.Assign) : undefined,
  }));
  const defaultAssign = def.Assign !== undefined ? compilePayloadTemplate(def.Assign) : undefined;
  return baseState(name, def, ctx, (input, call) => {
    const effective = inputPath ? inputPath(input, call) : input;
    const scope = scopeOf(effective, call);
    const output = outputPath ? outputPath(effective, call) : effective;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule.test(scope)) {
        return rule.assign ? { output, next: rule.next, assign: rule.assign(scope) as JsonObject } : { output, next: rule.next };
      }
    }
    if (def.Default !== undefined) {
      return defaultAssign ? { output, next: def.Default, assign: defaultAssign(scope) as JsonObject } : { output, next: def.Default };
    }
    throw new StatesError(StatesErrors.NO_CHOICE_MATCHED, 'No Matches!');
  });
}
