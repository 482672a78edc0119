import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { validateDefinition } from '../../../src/asl/validate';
import { Workflow } from '../../../src/testing/workflow';
import { definitionOf } from '../render';

/** A state machine synthesized in a real Stack: its ASL, the validator's errors and a Workflow to run it. */
export interface Built {
  readonly stack: Stack;
  readonly asl: any;
  readonly errors: string[];
  readonly wf: Workflow;
}

export interface BuildScope {
  readonly stack: Stack;
  fn(name: string): lambda.IFunction;
}

/** Synthesizes `build`'s chain into a state machine of `queryLanguage`, validates it and loads it for running. */
export function build(make: (s: BuildScope) => sfn.IChainable, queryLanguage?: sfn.QueryLanguage): Built {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const fns = new Map<string, lambda.IFunction>();
  const fn = (name: string) => {
    if (!fns.has(name)) {
      fns.set(name, new lambda.Function(stack, name, {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => e;'),
      }));
    }
    return fns.get(name)!;
  };
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(make({ stack, fn })), queryLanguage });
  const asl = definitionOf(stack);
  const errors = validateDefinition(asl).filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.location}: ${f.message}`);
  // Loaded when asked for: Workflow.fromStack refuses a definition the validator finds invalid.
  return { stack, asl, errors, get wf() { return Workflow.fromStack(stack); } };
}
