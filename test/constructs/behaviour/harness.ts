import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { compileStateMachine, CompileOptions, ExecutionResult, StateMachine, TaskHandler } from '../../../src/interpreter';
import { extractStateMachines, templateFromStack } from '../../../src/workbench/template';

/** Query languages every behaviour is checked in, with the name used in test titles. */
export const LANGUAGES: ReadonlyArray<[string, sfn.QueryLanguage]> = [
  ['JSONPath', sfn.QueryLanguage.JSON_PATH],
  ['JSONata', sfn.QueryLanguage.JSONATA],
];

/** What a builder callback gets: the scope, a Lambda function factory and the machine's query language. */
export interface BuildContext {
  readonly scope: Construct;
  readonly queryLanguage: sfn.QueryLanguage;
  readonly jsonata: boolean;
  /** A real Lambda function with inline code (one per name), as users would reference. */
  fn(name: string): lambda.IFunction;
}

/** A state machine synthesized from a real CDK stack and compiled by the interpreter. */
export interface Synthesized {
  /** The plain ASL extracted from the template, placeholder ARNs and all. */
  readonly definition: StateMachineDefinition;
  /** Compiles the definition with these task handlers (by state name). */
  compile(handlers: Record<string, TaskHandler>, options?: Omit<CompileOptions, 'taskHandlers'>): StateMachine;
  /** Compiles and runs one execution to its end. */
  run(input: JsonValue, handlers?: Record<string, TaskHandler>, options?: Omit<CompileOptions, 'taskHandlers'>): Promise<ExecutionResult>;
}

/**
 * Synthesizes `build`'s chain into a StateMachine inside a real Stack, extracts
 * the ASL from the template as the harness does, and hands it to the
 * interpreter: what is tested is what `cdk deploy` would ship.
 */
export function synthesize(
  build: (ctx: BuildContext) => sfn.IChainable,
  queryLanguage: sfn.QueryLanguage = sfn.QueryLanguage.JSON_PATH,
): Synthesized {
  return synthesizeAll({ Main: build }, queryLanguage).Main;
}

/**
 * Like {@link synthesize} for several machines at once, one per key, in one
 * stack: a synth costs ~100-300 ms however many machines it holds, so a test
 * file synthesizes once per query language.
 */
export function synthesizeAll<K extends string>(
  builds: Record<K, (ctx: BuildContext) => sfn.IChainable>,
  queryLanguage: sfn.QueryLanguage = sfn.QueryLanguage.JSON_PATH,
): Record<K, Synthesized> {
  const app = new App();
  const stack = new Stack(app, 'Behaviour');
  const functions = new Map<string, lambda.IFunction>();
  const fn = (name: string): lambda.IFunction => {
    let f = functions.get(name);
    if (!f) {
      f = new lambda.Function(stack, `${name}Fn`, {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async (event) => event;'),
      }).currentVersion;
      functions.set(name, f);
    }
    return f;
  };
  for (const key of Object.keys(builds) as K[]) {
    // Each machine gets its own scope, so builders may reuse construct ids across machines.
    const scope = new Construct(stack, key);
    const ctx: BuildContext = { scope, queryLanguage, jsonata: queryLanguage === sfn.QueryLanguage.JSONATA, fn };
    new sfn.StateMachine(scope, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(builds[key](ctx)), queryLanguage });
  }
  const source = templateFromStack(stack);
  const machines = extractStateMachines(source.template, { resourcePaths: source.resourcePaths, stackName: source.stackName });
  const out = {} as Record<K, Synthesized>;
  for (const key of Object.keys(builds) as K[]) {
    const machine = machines.find((m) => m.path === `Behaviour/${key}/Machine/Resource`);
    if (!machine) throw new Error(`no state machine synthesized for '${key}' (found ${machines.map((m) => m.path).join(', ')})`);
    const definition = machine.definition;
    const compile = (handlers: Record<string, TaskHandler>, options: Omit<CompileOptions, 'taskHandlers'> = {}) =>
      compileStateMachine(definition, { ...options, taskHandlers: handlers });
    out[key] = { definition, compile, run: (input, handlers = {}, options) => compile(handlers, options).start(input).result };
  }
  return out;
}

/** Records the order in which task handlers were called, with their inputs. */
export class CallLog {
  public readonly calls: Array<{ state: string; input: JsonValue }> = [];
  /** State names, in call order. */
  get states(): string[] { return this.calls.map((c) => c.state); }
  /** Inputs of the calls to `state`, in order. */
  inputsOf(state: string): JsonValue[] { return this.calls.filter((c) => c.state === state).map((c) => c.input); }
  /** A handler that records the call, then answers with `answer`. */
  handler(state: string, answer: TaskHandler = (input) => input): TaskHandler {
    return (input, request) => {
      this.calls.push({ state, input });
      return answer(input, request);
    };
  }
}
