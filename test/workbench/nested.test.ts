import { App, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { MockKeyError, Workflow } from '../../src/testing/workflow';
import { fail } from '../../src/workbench/mocks/answers';

const child = (fails = false): Workflow => Workflow.fromDefinition({
  StartAt: 'Work',
  States: fails
    ? { Work: { Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." } }
    : { Work: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } },
} as StateMachineDefinition, { name: 'Child' });

const parent = (suffix: '' | '.sync' | '.sync:2', catchAll = false): Workflow => Workflow.fromDefinition({
  StartAt: 'StartChild',
  States: {
    StartChild: {
      Type: 'Task',
      Resource: `arn:aws:states:::states:startExecution${suffix}`,
      Parameters: { 'StateMachineArn': 'arn:aws:states:us-east-1:123456789012:stateMachine:Child', 'Input.$': '$', 'Name': 'child-1' },
      ...(catchAll ? { Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Handled' }] } : {}),
      End: true,
    },
    ...(catchAll ? { Handled: { Type: 'Pass', End: true } } : {}),
  },
} as StateMachineDefinition, { name: 'Parent' });

describe('nested workflows', () => {
  it('.sync returns the child description with Input and Output as JSON text', async () => {
    const run = await parent('.sync').run({ n: 2 }, { workflows: [child()] });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({
      ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Child:child-1',
      Input: '{"n":2}',
      InputDetails: { Included: true },
      Name: 'child-1',
      Output: '{"doubled":4}',
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      StartDate: expect.any(Number),
      StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child',
      Status: 'SUCCEEDED',
      StopDate: expect.any(Number),
    });
    expect(run.children.map((c) => c.output)).toEqual([{ doubled: 4 }]);
  });

  it('.sync:2 returns Input and Output as JSON', async () => {
    const run = await parent('.sync:2').run({ n: 3 }, { workflows: { 'arn:aws:states:us-east-1:123456789012:stateMachine:Child': child() } });
    expect(run.output).toMatchObject({ Input: { n: 3 }, Output: { doubled: 6 }, Status: 'SUCCEEDED' });
  });

  it('fire-and-forget returns ExecutionArn and StartDate at once', async () => {
    const run = await parent('').run({ n: 1 }, { workflows: [child()] });
    expect(run.output).toEqual({ ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Child:child-1', StartDate: expect.any(Number) });
  });

  it.each(['.sync', '.sync:2'] as const)('a failed child fails the %s task with States.TaskFailed and the child description as cause', async (suffix) => {
    const run = await parent(suffix).run({}, { workflows: [child(true)] });
    expect(run.error).toBe('States.TaskFailed');
    const cause = JSON.parse(run.cause!);
    expect(Object.keys(cause)).toEqual(['Cause', 'Error', 'ExecutionArn', 'Input', 'InputDetails', 'Name', 'StartDate', 'StateMachineArn', 'Status', 'StopDate']);
    expect(cause).toMatchObject({ Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure.", Status: 'FAILED' });
  });

  it('a failed fire-and-forget child does not fail the parent', async () => {
    const run = await parent('').run({}, { workflows: [child(true)] });
    expect(run.status).toBe('SUCCEEDED');
  });

  it('a Catch on States.TaskFailed handles a failed .sync child', async () => {
    const run = await parent('.sync', true).run({}, { workflows: [child(true)] });
    expect(run.path).toEqual(['StartChild', 'Handled']);
  });

  it('child mocks are given with the registered workflow', async () => {
    const taskChild = Workflow.fromDefinition({
      StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true } },
    } as StateMachineDefinition, { name: 'Child' });
    const ok = await parent('.sync:2').run({}, { workflows: [{ workflow: taskChild, mocks: { Call: { v: 1 } } }] });
    expect(ok.output).toMatchObject({ Output: { v: 1 } });
    const failed = await parent('.sync:2').run({}, { workflows: [{ workflow: taskChild, mocks: { Call: fail('Boom', 'inner') } }] });
    expect(JSON.parse(failed.cause!)).toMatchObject({ Error: 'Boom', Cause: 'inner' });
  });

  it('a workflows entry that is not a Workflow is refused, naming the entry', async () => {
    const notAWorkflow = { workflow: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child' } } as unknown as Workflow;
    await expect(parent('.sync').run({ n: 1 }, { workflows: [child(), notAWorkflow] }))
      .rejects.toThrow(new TypeError("options.workflows[1] is neither a Workflow nor { workflow: Workflow, mocks? }: give the child's Workflow (Workflow.fromStack, fromDefinition, ...)"));
    await expect(parent('.sync').run({ n: 1 }, { workflows: { 'arn:aws:states:us-east-1:123456789012:stateMachine:Child': 'Child' as unknown as Workflow } }))
      .rejects.toThrow("options.workflows['arn:aws:states:us-east-1:123456789012:stateMachine:Child'] is neither a Workflow");
  });

  it('an unregistered child falls to the unmocked policy', async () => {
    const run = await parent('.sync').run({});
    expect(run.cause).toMatch(/No mock for Task 'StartChild'/);
  });

  it('an explicit mock wins over a registered child', async () => {
    const run = await parent('.sync').run({}, { workflows: [child()], mocks: { StartChild: { mocked: true } } });
    expect(run.output).toEqual({ mocked: true });
  });

  describe('a .sync Task that stops waiting stops its child, as AWS does with states:StopExecution', () => {
    // AWS: the .sync pattern's policy grants states:StopExecution on the child's executions so that
    // Step Functions stops the child when the Task stops waiting for it (stepfunctions-iam.html,
    // Synchronous); StopExecution is refused on an EXPRESS execution, which runs to its end.
    const slow = (type?: 'EXPRESS'): Workflow => Workflow.fromDefinition({
      StartAt: 'Long',
      States: { Long: { Type: 'Wait', Seconds: 100, Next: 'After' }, After: { Type: 'Pass', End: true } },
    } as StateMachineDefinition, { name: 'Child', ...(type ? { type } : {}) });
    const waiting = (suffix: '' | '.sync' | '.sync:2', timeout = 10): Workflow => Workflow.fromDefinition({
      StartAt: 'StartChild',
      States: {
        StartChild: {
          Type: 'Task',
          Resource: `arn:aws:states:::states:startExecution${suffix}`,
          TimeoutSeconds: timeout,
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child', Input: {}, Name: 'child-1' },
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Later' }],
          End: true,
        },
        Later: { Type: 'Wait', Seconds: 200, End: true },
      },
    } as StateMachineDefinition, { name: 'Parent' });

    it.each(['.sync', '.sync:2'] as const)('a %s Task that times out ends its child ABORTED at the timeout, before the child goes on', async (suffix) => {
      const run = await waiting(suffix).run({}, { workflows: [slow()] });
      expect(run.path).toEqual(['StartChild', 'Later']);
      expect(run.children).toHaveLength(1);
      const [stopped] = run.children;
      expect(stopped.status).toBe('ABORTED');
      expect(stopped.path).toEqual(['Long']);
      expect(stopped.stopDate.getTime() - stopped.startDate.getTime()).toBe(10_000);
      expect(stopped.history.map((e) => e.type)).toContain('ExecutionAborted');
    });

    it('a .sync Task in a Parallel branch stops its child when a sibling branch fails', async () => {
      const wf = Workflow.fromDefinition({
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            End: true,
            Branches: [
              { StartAt: 'StartChild', States: { StartChild: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child', Input: {} }, End: true } } },
              { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 5, Next: 'Broke' }, Broke: { Type: 'Fail', Error: 'Sibling.Broke' } } },
            ],
          },
        },
      } as StateMachineDefinition, { name: 'Parent' });
      const run = await wf.run({}, { workflows: [slow()] });
      expect(run.error).toBe('Sibling.Broke');
      expect(run.children.map((c) => [c.status, c.path, c.stopDate.getTime() - c.startDate.getTime()])).toEqual([['ABORTED', ['Long'], 5_000]]);
    });

    it('a parent that times out, or is stopped, stops its .sync child at that moment', async () => {
      const limited = Workflow.fromDefinition({
        StartAt: 'StartChild',
        TimeoutSeconds: 10,
        States: {
          StartChild: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync',
            Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child', Input: {} },
            End: true,
          },
        },
      } as StateMachineDefinition, { name: 'Parent' });
      const timedOut = await limited.run({}, { workflows: [slow()] });
      expect(timedOut.status).toBe('TIMED_OUT');
      expect(timedOut.children.map((c) => [c.status, c.path, c.stopDate.getTime() - c.startDate.getTime()])).toEqual([['ABORTED', ['Long'], 10_000]]);
      const execution = limited.start({}, { workflows: [slow()] });
      await execution.advanceTime(3);
      execution.stop();
      const stopped = await execution.result;
      expect(stopped.status).toBe('ABORTED');
      expect(stopped.children.map((c) => [c.status, c.path, c.stopDate.getTime() - c.startDate.getTime()])).toEqual([['ABORTED', ['Long'], 3_000]]);
    });

    it('leaves an EXPRESS child running to its end', async () => {
      const run = await waiting('.sync:2').run({}, { workflows: [slow('EXPRESS')] });
      expect(run.path).toEqual(['StartChild', 'Later']);
      expect(run.children.map((c) => [c.status, c.path])).toEqual([['SUCCEEDED', ['Long', 'After']]]);
    });
  });

  describe('in the same CDK stack', () => {
    const build = () => {
      const stack = new Stack(new App(), 'Nested');
      const inner = new sfn.StateMachine(stack, 'Inner', {
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'InnerPass', { parameters: { 'fromChild.$': '$.x' } })),
      });
      const outer = new sfn.StateMachine(stack, 'Outer', {
        definitionBody: sfn.DefinitionBody.fromChainable(new tasks.StepFunctionsStartExecution(stack, 'RunInner', {
          stateMachine: inner, integrationPattern: sfn.IntegrationPattern.RUN_JOB, input: sfn.TaskInput.fromJsonPathAt('$'),
        })),
      });
      return { stack, inner, outer };
    };

    it('runs the child state machine of the same template automatically', async () => {
      const { stack, outer } = build();
      const run = await Workflow.fromStack(stack, { stateMachine: outer }).run({ x: 7 });
      expect(run.status).toBe('SUCCEEDED');
      // The CDK renders RUN_JOB as startExecution.sync:2, so Output is JSON.
      expect(run.output).toMatchObject({ Output: { fromChild: 7 }, Status: 'SUCCEEDED' });
    });

    it('registers a child by its construct, with its own mocks', async () => {
      const { stack, inner, outer } = build();
      const wf = Workflow.fromStack(stack, { stateMachine: outer });
      const innerWf = Workflow.fromStack(stack, { stateMachine: inner });
      wf.register(inner, { workflow: innerWf });
      expect((await wf.run({ x: 1 })).status).toBe('SUCCEEDED');
    });

    it('refuses to register a construct that is not a state machine of the template', () => {
      const { stack, outer } = build();
      const wf = Workflow.fromStack(stack, { stateMachine: outer });
      expect(() => wf.register(new Stack(new App(), 'Else'))).toThrow(MockKeyError);
    });
  });

  describe('a child run takes its parent run\'s checks whole', () => {
    const getItemChild = (): Workflow => Workflow.fromDefinition({
      StartAt: 'Get',
      States: { Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'orders', Key: { id: { S: '1' } } }, End: true } },
    } as StateMachineDefinition, { name: 'Child' });
    // `Itme` is no field of GetItem's answer: advice, which AWS lets through.
    const misspelt = { Get: { Itme: { id: { S: '1' } } } };

    it('mockAdvice: fail on the parent fails the child\'s Task on advice, naming the parent\'s option', async () => {
      const run = await parent('.sync:2').run({}, { workflows: [{ workflow: getItemChild(), mocks: misspelt }], mockAdvice: 'fail' });
      expect(run.children[0].status).toBe('FAILED');
      expect(run.children[0].error).toBe('States.Runtime');
      expect(run.children[0].cause).toContain("mockAdvice: 'warn'");
    });

    it('the default (warn) lets the child run go on and tells its advice', async () => {
      const run = await parent('.sync:2').run({}, { workflows: [{ workflow: getItemChild(), mocks: misspelt }] });
      expect(run.children[0].status).toBe('SUCCEEDED');
      expect(run.children[0].advice.map((a) => a.state)).toEqual(['Get']);
    });

    it('requestChecks: warn on the parent lets the child\'s refused request through as advice', async () => {
      const badRequest = Workflow.fromDefinition({
        StartAt: 'Get',
        States: { Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { Tablename: 'orders', Key: { id: { S: '1' } } }, End: true } },
      } as StateMachineDefinition, { name: 'Child' });
      const mocks = { Get: { Item: { id: { S: '1' } } } };
      const refused = await parent('.sync:2').run({}, { workflows: [{ workflow: badRequest, mocks }] });
      expect(refused.children[0].error).toBe('States.Runtime');
      const warned = await parent('.sync:2').run({}, { workflows: [{ workflow: badRequest, mocks }], requestChecks: 'warn' });
      expect(warned.children[0].status).toBe('SUCCEEDED');
      expect(warned.children[0].advice.length).toBeGreaterThan(0);
    });
  });
});
