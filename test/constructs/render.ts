import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

export interface RenderOptions {
  readonly queryLanguage?: sfn.QueryLanguage;
  readonly stateMachineType?: sfn.StateMachineType;
}

/** Synthesizes `build`'s chain into a state machine and returns its ASL, with `${Logical.Attr}` for tokens. */
export function render(build: (stack: Stack) => sfn.IChainable, options: RenderOptions = {}): any {
  const { stack } = synth(build, options);
  return definitionOf(stack);
}

export function synth(build: (stack: Stack) => sfn.IChainable, options: RenderOptions = {}): { stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Test');
  new sfn.StateMachine(stack, 'Machine', {
    definitionBody: sfn.DefinitionBody.fromChainable(build(stack)),
    queryLanguage: options.queryLanguage,
    stateMachineType: options.stateMachineType,
  });
  return { stack };
}

export function definitionOf(stack: Stack): any {
  const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
  const def = Object.values(machines)[0].Properties.DefinitionString;
  if (typeof def === 'string') return JSON.parse(def);
  const parts: unknown[] = def['Fn::Join'][1];
  return JSON.parse(parts.map((p: any) => {
    if (typeof p === 'string') return p;
    if (p.Ref) return `\${${p.Ref}}`;
    if (p['Fn::GetAtt']) return `\${${p['Fn::GetAtt'].join('.')}}`;
    return '${?}';
  }).join(''));
}
