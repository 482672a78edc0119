import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { definitionOf, render, synth } from './render';
import { findUnqualifiedLambdaReferences, PinLambdaVersions, Task } from '../../src/constructs';

const J = sfn.QueryLanguage.JSONATA;
const fn = (s: Stack, id = 'Fn') => new lambda.Function(s, id, { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.h', code: lambda.Code.fromInline('x') });
const CURRENT_VERSION = expect.stringMatching(/^\$\{FnCurrentVersion\w+\}$/);

describe('Task Lambda pinning', () => {
  it.each([
    ['JSONPath', undefined],
    ['JSONata', J],
  ])('calls the currentVersion of a lambda.Function by default (%s)', (_n, queryLanguage) => {
    const asl = render((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s), ...(queryLanguage ? { queryLanguage } : {}) }),
      queryLanguage ? { queryLanguage } : {});
    expect(asl.States.Charge.Resource).toEqual(CURRENT_VERSION);
  });

  it('pins the function of a callback task too', () => {
    const asl = render((s) => Task.lambdaCallback(s, 'Approve', {
      lambdaFunction: fn(s),
      payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
      taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    }));
    expect(asl.States.Approve.Parameters.FunctionName).toEqual(CURRENT_VERSION);
  });

  it('does not warn about a function it pinned', () => {
    const { stack } = synth((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s) }));
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('without a version or alias'));
  });

  it('calls the function unqualified with pin: false', () => {
    const asl = render((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s), pin: false }));
    expect(asl.States.Charge.Resource).toBe('${Fn9270CBC0.Arn}');
  });

  it('calls the alias given as pin', () => {
    const asl = render((s) => {
      const f = fn(s);
      const live = new lambda.Alias(s, 'Live', { aliasName: 'live', version: f.currentVersion });
      return Task.lambdaInvoke(s, 'Charge', { lambdaFunction: f, pin: live });
    });
    expect(asl.States.Charge.Resource).toMatch(/^\$\{Live\w+\}$/);
  });

  it('calls the version given as pin', () => {
    const asl = render((s) => {
      const f = fn(s);
      const v = new lambda.Version(s, 'V7', { lambda: f });
      return Task.lambdaInvoke(s, 'Charge', { lambdaFunction: f, pin: v });
    });
    expect(asl.States.Charge.Resource).toMatch(/^\$\{V7\w+\}$/);
  });

  it('refuses a pin that belongs to another function, naming both', () => {
    expect(() => render((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s), pin: fn(s, 'Other').currentVersion })))
      .toThrow(/pin: Task 'Charge': pin 'Test\/Other\/CurrentVersion' is a version or alias of 'Test\/Other', not of lambdaFunction 'Test\/Fn'/);
  });

  it('refuses a pin when lambdaFunction already is a version', () => {
    expect(() => render((s) => {
      const f = fn(s);
      return Task.lambdaInvoke(s, 'Charge', { lambdaFunction: f.currentVersion, pin: new lambda.Alias(s, 'Live', { aliasName: 'live', version: f.currentVersion }) });
    })).toThrow(/already is a version or alias, so pin cannot choose another/);
  });

  it('leaves a function imported by unqualified ARN as it is and warns', () => {
    const { stack } = synth((s) => Task.lambdaInvoke(s, 'Charge', {
      lambdaFunction: lambda.Function.fromFunctionArn(s, 'Imp', 'arn:aws:lambda:us-east-1:123456789012:function:charge'),
    }));
    expect(definitionOf(stack).States.Charge.Resource).toBe('arn:aws:lambda:us-east-1:123456789012:function:charge');
    Annotations.fromStack(stack).hasWarning('/Test/Charge', Match.stringLikeRegexp("invokes Lambda 'Test/Imp' without a version or alias"));
  });

  it('does not pin (or warn) when a qualifier chooses the version, a prop aws-cdk-lib deprecates and says so', () => {
    // The suite makes deprecated aws-cdk-lib APIs throw (test/jest/global-setup.js); this one is
    // what a user may still pass, and aws-cdk-lib's own warning is what they see.
    const mode = process.env.JSII_DEPRECATED;
    process.env.JSII_DEPRECATED = 'warn';
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    let stack: Stack;
    try {
      ({ stack } = synth((s) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s), payloadOnly: false, qualifier: 'live' })));
      expect(warn).toHaveBeenCalledWith('[WARNING]', expect.stringContaining('aws-cdk-lib.aws_stepfunctions_tasks.LambdaInvokeProps#qualifier is deprecated'));
    } finally {
      warn.mockRestore();
      process.env.JSII_DEPRECATED = mode;
    }
    const asl = definitionOf(stack);
    expect(asl.States.Charge.Parameters).toEqual(expect.objectContaining({ FunctionName: '${Fn9270CBC0.Arn}', Qualifier: 'live' }));
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('without a version or alias'));
  });
});

/** A stack with one plain aws-cdk-lib machine calling `target` unpinned. */
function plainMachine(target: (s: Stack) => lambda.IFunction, aspect?: PinLambdaVersions): Stack {
  const app = new App();
  const stack = new Stack(app, 'Test');
  new sfn.StateMachine(stack, 'Machine', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Charge', { lambdaFunction: target(stack) })),
  });
  if (aspect) Aspects.of(stack).add(aspect);
  return stack;
}

describe('PinLambdaVersions', () => {
  it('warns by default for each unqualified Lambda reference, naming the machine and the function', () => {
    const stack = plainMachine((s) => fn(s), new PinLambdaVersions());
    Annotations.fromStack(stack).hasWarning('/Test/Machine/Resource',
      Match.stringLikeRegexp("state machine 'Test/Machine/Resource' calls Lambda 'Test/Fn/Resource' without a version or alias"));
  });

  it("fails synth with mode 'error'", () => {
    const stack = plainMachine((s) => fn(s), new PinLambdaVersions({ mode: 'error' }));
    expect(() => Template.fromStack(stack)).toThrow(/calls Lambda 'Test\/Fn\/Resource' without a version or alias/);
  });

  it("rewrites a function of the stack to its currentVersion with mode 'rewrite', and leaves nothing to warn about", () => {
    const stack = plainMachine((s) => fn(s), new PinLambdaVersions({ mode: 'rewrite' }));
    const asl = definitionOf(stack);
    expect(asl.States.Charge.Parameters.FunctionName).toEqual(CURRENT_VERSION);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Version', 1);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('without a version or alias'));
  });

  it('keeps the IAM that lets the role invoke the rewritten version (<function ARN>:*)', () => {
    const stack = plainMachine((s) => fn(s), new PinLambdaVersions({ mode: 'rewrite' }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'lambda:InvokeFunction',
          Resource: Match.arrayWith([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Fn9270CBC0', 'Arn'] }, ':*']] }]),
        })]),
      },
    });
  });

  it("cannot rewrite an imported unqualified ARN: mode 'rewrite' warns about it, with the fix", () => {
    const stack = plainMachine((s) => lambda.Function.fromFunctionArn(s, 'Imp', 'arn:aws:lambda:us-east-1:123456789012:function:charge'),
      new PinLambdaVersions({ mode: 'rewrite' }));
    Annotations.fromStack(stack).hasWarning('/Test/Machine/Resource',
      Match.stringLikeRegexp("calls Lambda 'arn:aws:lambda:us-east-1:123456789012:function:charge' without a version or alias.*Reference a version or alias ARN"));
  });

  it('rewrites a function ARN given in DefinitionSubstitutions', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const f = fn(stack);
    new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify({ StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: '${ChargeArn}', End: true } } })),
      definitionSubstitutions: { ChargeArn: f.functionArn },
    });
    Aspects.of(stack).add(new PinLambdaVersions({ mode: 'rewrite' }));
    const machine = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))[0];
    expect(machine.Properties.DefinitionSubstitutions).toEqual({ ChargeArn: { Ref: expect.stringMatching(/^FnCurrentVersion/) } });
  });

  it('flags but does not rewrite a function given by name (it may be spliced into an ARN)', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const f = fn(stack);
    new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify({
        StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:${ChargeName}', End: true } },
      })),
      definitionSubstitutions: { ChargeName: f.functionName },
    });
    Aspects.of(stack).add(new PinLambdaVersions({ mode: 'rewrite' }));
    const machine = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))[0];
    expect(machine.Properties.DefinitionSubstitutions).toEqual({ ChargeName: { Ref: 'Fn9270CBC0' } });
    Annotations.fromStack(stack).hasWarning('/Test/Machine/Resource', Match.stringLikeRegexp("calls Lambda 'Test/Fn/Resource' by name without a version or alias"));
  });

  it('says nothing about a machine that calls versions and aliases only', () => {
    const stack = plainMachine((s) => fn(s).currentVersion, new PinLambdaVersions({ mode: 'error' }));
    expect(() => Template.fromStack(stack)).not.toThrow();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('without a version or alias'));
  });
});

describe('findUnqualifiedLambdaReferences', () => {
  it('finds GetAtt/Ref of a stack function and literal unqualified or $LATEST ARNs, and skips qualified ones', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const f = fn(stack);
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: f.functionArn, Next: 'B' },
        B: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:latest:$LATEST' }, Next: 'C' },
        C: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:bare', Next: 'D' },
        D: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:pinned:7', End: true },
      },
    };
    const machine = new sfn.CfnStateMachine(stack, 'M', { roleArn: 'arn:aws:iam::123456789012:role/r', definitionString: stack.toJsonString(definition) });
    expect(findUnqualifiedLambdaReferences(machine).map((r) => r.label).sort()).toEqual([
      "'Test/Fn/Resource'",
      "'arn:aws:lambda:us-east-1:123456789012:function:bare'",
      "'arn:aws:lambda:us-east-1:123456789012:function:latest:$LATEST'",
    ]);
  });
});
