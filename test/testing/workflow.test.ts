import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aws, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { VirtualClock } from '../../src/interpreter/clock';
import { Workflow } from '../../src/testing/workflow';
import '../../src/testing/setup';
import { fail, succeed } from '../../src/workbench/mocks/answers';
import { TemplateError } from '../../src/workbench/template';
import { describeWithShared, sharedPath } from '../shared-data';

const corpus = sharedPath('cdk-templates');

function twoMachineStack(): Stack {
  const stack = new Stack(new App(), 'Two');
  new sfn.StateMachine(stack, 'First', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'A')) });
  new sfn.StateMachine(stack, 'Second', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'B', { result: sfn.Result.fromObject({ b: 1 }) })) });
  return stack;
}

const loop: StateMachineDefinition = {
  StartAt: 'Count',
  States: {
    'Count': { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:count', Next: 'Done?' },
    'Done?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThanEquals: 2, Next: 'End' }], Default: 'Count' },
    'End': { Type: 'Succeed' },
  },
} as StateMachineDefinition;

describe('Workflow entry points', () => {
  it('fromDefinition takes ASL as an object or JSON text', async () => {
    const text = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    for (const wf of [Workflow.fromDefinition(JSON.parse(text)), Workflow.fromDefinition(text, { name: 'Mine' })]) {
      expect((await wf.run({ a: 1 })).output).toEqual({ a: 1 });
    }
    expect(Workflow.fromDefinition(text, { name: 'Mine' }).arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:Mine');
  });

  it('fromDefinition reads an object as its JSON text: a field set to undefined is left out, as JSON.stringify leaves it', async () => {
    // A definition built in code (`End: last ? true : undefined`) reaches AWS as JSON text, without those fields.
    const steps = ['A', 'B'];
    const States = Object.fromEntries(steps.map((name, i) => [name, {
      Type: 'Pass', Comment: undefined, Next: i < steps.length - 1 ? steps[i + 1] : undefined, End: i === steps.length - 1 ? true : undefined,
    }]));
    const run = await Workflow.fromDefinition({ StartAt: 'A', States } as unknown as StateMachineDefinition).run({ a: 1 });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ a: 1 });
  });

  it('fromStack picks a state machine by construct, and lists them when there are several and no selector', async () => {
    const stack = twoMachineStack();
    expect(() => Workflow.fromStack(stack)).toThrow(TemplateError);
    expect(() => Workflow.fromStack(stack)).toThrow(/2 state machines; choose one[\s\S]*Two\/First[\s\S]*Two\/Second/);
    const second = stack.node.findChild('Second');
    expect((await Workflow.fromStack(stack, { stateMachine: second }).run({})).output).toEqual({ b: 1 });
    expect(Workflow.fromStack(stack, { stateMachine: 'First' }).cdkPath).toBe('Two/First/Resource');
  });

  it('fromStack rejects a stack with no state machine', () => {
    expect(() => Workflow.fromStack(new Stack(new App(), 'Empty'))).toThrow(/no AWS::StepFunctions::StateMachine resource/);
  });

  it('fromTemplate takes the template as an object or JSON text', () => {
    const stack = twoMachineStack();
    const template = (stack.node.root as App).synth().getStackArtifact(stack.artifactId).template as object;
    // A bare template has no construct paths: select by logical id.
    const resources = (template as { Resources: Record<string, { Type: string }> }).Resources;
    const first = Object.keys(resources).find((id) => id.startsWith('First') && resources[id].Type === 'AWS::StepFunctions::StateMachine')!;
    const fromObject = Workflow.fromTemplate(template, { stateMachine: first });
    expect(fromObject.definition).toEqual(Workflow.fromTemplate(JSON.stringify(template), { stateMachine: first }).definition);
    expect(fromObject.logicalId).toBe(first);
  });

  describe("a LoggingConfiguration CreateStateMachine refuses, as CloudFormation's deploy, serve --load and validate refuse it", () => {
    const group = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/orders';
    const said = 'CreateStateMachine refuses the LoggingConfiguration with InvalidLoggingConfiguration:';
    const machine = (Level: string, ...arns: string[]) => ({
      Resources: {
        Orders: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
            LoggingConfiguration: { Level, Destinations: arns.map((LogGroupArn) => ({ CloudWatchLogsLogGroup: { LogGroupArn } })) },
          },
        },
      },
    });
    const refusalOf = (f: () => unknown): TemplateError => {
      try { f(); } catch (e) { return e as TemplateError; }
      throw new Error('loaded');
    };

    it("refuses a log group ARN without ':*', in validate's words and at its location", () => {
      const e = refusalOf(() => Workflow.fromTemplate(machine('ALL', group)));
      expect(e).toBeInstanceOf(TemplateError);
      expect(e).toMatchObject({
        code: 'INVALID_LOGGING_CONFIGURATION',
        stateMachine: 'Orders',
        location: '/Resources/Orders/Properties/LoggingConfiguration/Destinations/0/CloudWatchLogsLogGroup/LogGroupArn',
        message: `state machine 'Orders': ${said} "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier."`
          + ` The log group ARN "${group}" must end with ':*', as the Arn of an AWS::Logs::LogGroup (Fn::GetAtt) does.`,
      });
    });

    it('refuses a level other than OFF without exactly one destination', () => {
      for (const given of [machine('ERROR'), machine('ALL', `${group}:*`, `${group}:*`)]) {
        const e = refusalOf(() => Workflow.fromTemplate(given));
        expect(e).toMatchObject({ code: 'INVALID_LOGGING_CONFIGURATION', location: '/Resources/Orders/Properties/LoggingConfiguration/Destinations' });
        expect(e.message).toContain(`${said} "Invalid Logging Configuration: Must specify exactly one Log Destination."`);
      }
    });

    it("loads what AWS takes: a qualified ARN, a level of OFF, and the CDK's logs with a LogGroup", () => {
      expect(Workflow.fromTemplate(machine('ERROR', `${group}:*`)).logicalId).toBe('Orders');
      expect(Workflow.fromTemplate(machine('OFF', group)).logicalId).toBe('Orders');
      const stack = new Stack(new App(), 'Logged');
      new sfn.StateMachine(stack, 'Orders', {
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')),
        logs: { destination: new logs.LogGroup(stack, 'Logs'), level: sfn.LogLevel.ALL },
      });
      expect(Workflow.fromStack(stack).cdkPath).toBe('Logged/Orders/Resource');
    });
  });

  describe('fromTemplate and fromDefinition given a path', () => {
    let dir: string;
    beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-paths-')); });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('fromTemplate reads a template file, with the file name as the stack name', async () => {
      const stack = new Stack(new App(), 'Paths');
      new sfn.StateMachine(stack, 'M', {
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Where', { parameters: { stack: Aws.STACK_NAME } })),
      });
      const file = path.join(dir, 'Orders.template.json');
      fs.writeFileSync(file, JSON.stringify((stack.node.root as App).synth().getStackArtifact(stack.artifactId).template));
      const wf = Workflow.fromTemplate(file);
      expect((await wf.run({})).output).toEqual({ stack: 'Orders' });
    });

    it('fromTemplate names the path it was given when there is no such file', () => {
      const missing = path.join(dir, 'nope.template.json');
      expect(() => Workflow.fromTemplate(missing)).toThrow(TemplateError);
      expect(() => Workflow.fromTemplate(missing)).toThrow(`fromTemplate was given a string that does not start with '{', so it was read as a file path, and there is no file '${missing}'`);
    });

    it('fromTemplate points a directory to fromCdkOut', () => {
      expect(() => Workflow.fromTemplate(dir)).toThrow(`'${dir}' is a directory; for a cloud assembly use Workflow.fromCdkOut('${dir}', '<stack name>')`);
    });

    it('fromTemplate says it read a path when the file is not JSON', () => {
      const bad = path.join(dir, 'bad.template.json');
      fs.writeFileSync(bad, 'Resources: {}');
      expect(() => Workflow.fromTemplate(bad)).toThrow(/read as a file path: .*bad\.template\.json is not valid JSON/);
    });

    it('fromTemplate says it was given JSON text when the text is not valid JSON', () => {
      expect(() => Workflow.fromTemplate('{ "Resources": ')).toThrow("fromTemplate was given JSON text (a string starting with '{') that is not valid JSON");
    });

    it('fromDefinition reads an ASL file', async () => {
      const file = path.join(dir, 'pass.asl.json');
      fs.writeFileSync(file, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'from file', End: true } } }));
      expect((await Workflow.fromDefinition(file).run({})).output).toBe('from file');
    });
  });

  it('fromCdkOut reads a synthesized cloud assembly', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'OnDisk');
    new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
    app.synth();
    const wf = Workflow.fromCdkOut(outdir, 'OnDisk');
    expect((await wf.run({ x: 1 })).output).toEqual({ x: 1 });
  });

  describe('fromCdkOut without a stack name', () => {
    const synth = (build: (app: App) => void): string => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-'));
      const app = new App({ outdir });
      build(app);
      app.synth();
      return outdir;
    };
    const machine = (stack: Stack, result: string) => new sfn.StateMachine(stack, 'M', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P', { result: sfn.Result.fromString(result) })),
    });

    it('takes the state machine out of the only stack, as stepwright run cdk.out does', async () => {
      const outdir = synth((app) => machine(new Stack(app, 'Only'), 'only'));
      expect((await Workflow.fromCdkOut(outdir).run({})).output).toBe('only');
    });

    it('takes it out of the only stack that holds a state machine', async () => {
      const outdir = synth((app) => {
        new sns.Topic(new Stack(app, 'Topics'), 'T');
        machine(new Stack(app, 'Flows'), 'flows');
      });
      expect((await Workflow.fromCdkOut(outdir).run({})).output).toBe('flows');
    });

    it('asks for the stack, naming those with state machines, when several hold one', () => {
      const outdir = synth((app) => {
        machine(new Stack(app, 'Blue'), 'blue');
        machine(new Stack(app, 'Green'), 'green');
      });
      expect(() => Workflow.fromCdkOut(outdir)).toThrow(`${outdir} has state machines in 2 stacks (Blue, Green); name the stack: Workflow.fromCdkOut('${outdir}', 'Blue')`);
      expect(Workflow.fromCdkOut(outdir, 'Green').name).toBeDefined();
    });
  });

  it('definition is plain ASL that runs do not change', async () => {
    const wf = Workflow.fromStack(twoMachineStack(), { stateMachine: 'Second' });
    const before = JSON.stringify(wf.definition);
    await wf.run({});
    await wf.run({});
    expect(JSON.stringify(wf.definition)).toBe(before);
    expect(wf.definition).toEqual({ StartAt: 'B', States: { B: { Type: 'Pass', Result: { b: 1 }, End: true } } });
  });

  it('exposes the placeholder map of the resources the definition names', () => {
    const stack = new Stack(new App(), 'Res');
    const inner = new sfn.StateMachine(stack, 'Inner', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
    new sfn.StateMachine(stack, 'Outer', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.CustomState(stack, 'Start', {
        stateJson: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: inner.stateMachineArn } },
      })),
    });
    const wf = Workflow.fromStack(stack, { stateMachine: 'Outer' });
    expect([...wf.resources.values()].map((r) => [r.resourceType, r.cdkPath])).toEqual([['AWS::StepFunctions::StateMachine', 'Res/Inner/Resource']]);
  });
});

describe('WorkflowRun', () => {
  const wf = Workflow.fromDefinition(loop);
  const counter = (input: { n?: number }) => ({ n: (input.n ?? 0) + 1 });

  it('carries the ExecutionResult fields the matchers read', async () => {
    const run = await wf.run({}, { mocks: { Count: counter } });
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { n: 2 }, path: ['Count', 'Done?', 'Count', 'Done?', 'End'] });
    expect(run.history[0].type).toBe('ExecutionStarted');
    expect(run.history[run.history.length - 1].type).toBe('ExecutionSucceeded');
  });

  it('visited() tells whether a state was entered', async () => {
    const run = await wf.run({}, { mocks: { Count: counter } });
    expect([run.visited('End'), run.visited('Nope')]).toEqual([true, false]);
  });

  it('inputOf() and outputOf() read the history, the last occurrence by default', async () => {
    const run = await wf.run({}, { mocks: { Count: counter } });
    expect(run.inputOf('Count', 0)).toEqual({});
    expect(run.inputOf('Count')).toEqual({ n: 1 });
    expect(run.outputOf('Count')).toEqual({ n: 2 });
    expect(() => run.outputOf('Nope')).toThrow(/state 'Nope' was exited 0 time\(s\).*path: Count → Done\? → Count → Done\? → End/);
  });

  it('taskCalls() lists what the mocks received', async () => {
    const run = await wf.run({}, { mocks: { Count: counter } });
    expect(run.taskCalls('Count')).toEqual([{}, { n: 1 }]);
  });

  it('repeats exactly from run to run: names, UUIDs and timestamps come from the seed and the virtual clock', async () => {
    const uuid = Workflow.fromDefinition({ StartAt: 'U', States: { U: { Type: 'Pass', Parameters: { 'id.$': 'States.UUID()' }, End: true } } } as StateMachineDefinition);
    const [a, b, c] = [await uuid.run({}), await uuid.run({}), await uuid.run({}, { seed: 7 })];
    expect(a.output).toEqual(b.output);
    expect(a.executionArn).toBe(b.executionArn);
    expect(a.history.map((e) => e.timestamp)).toEqual(b.history.map((e) => e.timestamp));
    expect(c.output).not.toEqual(a.output);
  });

  it('takes the execution name and variables', async () => {
    const v = Workflow.fromDefinition({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': '$x' }, End: true } } } as StateMachineDefinition);
    const run = await v.run({}, { name: 'exec-1', variables: { x: 5 } });
    expect(run.output).toEqual({ x: 5 });
    expect(run.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:StateMachine:exec-1');
  });
});

describe('Workflow.run limits', () => {
  const wf = Workflow.fromDefinition(loop);
  const stuck = () => ({ n: 0 });

  it('fails an endless loop with States.Runtime once it passes limits.maxTransitions', async () => {
    const run = await wf.run({}, { mocks: { Count: stuck }, limits: { maxTransitions: 25 } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toMatch(/more than 25 states \(limits\.maxTransitions\)/);
    expect(run.path).toHaveLength(25);
  });

  it('applies the limits to that run only', async () => {
    const limited = await wf.run({}, { mocks: { Count: stuck }, limits: { maxTransitions: 3 } });
    expect(limited.error).toBe('States.Runtime');
    const run = await wf.run({}, { mocks: { Count: (input: { n?: number }) => ({ n: (input.n ?? 0) + 1 }) } });
    expect(run.status).toBe('SUCCEEDED');
  });

  it('replaces AWS\'s payload limit with limits.maxPayloadBytes', async () => {
    const run = await wf.run({}, { mocks: { Count: () => ({ n: 5, pad: 'x'.repeat(200) }) }, limits: { maxPayloadBytes: 100 } });
    expect(run).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });
});

describeWithShared('cdk-templates/INDEX.json', 'the 79 state machines of ../shared/cdk-templates', () => {
  const index = (JSON.parse(fs.readFileSync(path.join(corpus, 'INDEX.json'), 'utf-8')) as { files: Array<{ file: string; stateMachines: Array<{ logicalId: string }> }> }).files;
  const cases = index.flatMap((f) => f.stateMachines.map((m) => [`${f.file} ${m.logicalId}`, f.file, m.logicalId] as const));

  it('lists 79 state machines', () => {
    expect(cases).toHaveLength(79);
  });

  it.each(cases)('%s loads with fromTemplate and runs to an end with every Task answered by its input', async (_label, file, logicalId) => {
    const template = fs.readFileSync(path.join(corpus, file), 'utf-8');
    const wf = Workflow.fromTemplate(template, { stateMachine: logicalId });
    const run = await wf.run({}, { unmocked: 'input', inlineCode: false });
    expect(['SUCCEEDED', 'FAILED', 'TIMED_OUT']).toContain(run.status);
    // A harness fault (an unanswered Task) would show as States.Runtime naming the mock to add.
    expect(run.cause ?? '').not.toMatch(/No mock for Task/);
  });
});

describe('Workflow.run with a mock that never settles', () => {
  const definition = {
    StartAt: 'Charge',
    States: { Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Charge', End: true } },
  } as unknown as StateMachineDefinition;

  it('fails the run, naming the state, after the clock holdTimeoutMs instead of hanging', async () => {
    const run = await Workflow.fromDefinition(definition).run({}, {
      mocks: { Charge: () => new Promise(() => undefined) },
      clock: new VirtualClock({ holdTimeoutMs: 30 }),
    });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toMatch(/state 'Charge'.*did not settle within 30 ms/);
  });

  it('times the Task out on the virtual clock when it has TimeoutSeconds', async () => {
    const charge = { ...definition.States.Charge, TimeoutSeconds: 20 };
    const withTimeout = { ...definition, States: { Charge: charge } } as unknown as StateMachineDefinition;
    const run = await Workflow.fromDefinition(withTimeout).run({}, {
      mocks: { Charge: () => new Promise(() => undefined) },
      clock: new VirtualClock({ holdTimeoutMs: 30 }),
    });
    expect(run.error).toBe('States.Timeout');
    expect(run.status).toBe('FAILED');
  });
});

describe('maximum duration on harness runs', () => {
  it('times out an EXPRESS run whose retries carry its clock past 5 minutes, as AWS does', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 60, MaxAttempts: 5, BackoffRate: 2 }], End: true } },
    } as StateMachineDefinition, { type: 'EXPRESS' });
    const run = await wf.run({}, { mocks: { Call: [fail('Boom'), fail('Boom'), fail('Boom'), fail('Boom'), fail('Boom'), succeed({})] } });
    expect(run.status).toBe('TIMED_OUT');
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(300_000);
  });
});

describe('a mock error without a cause', () => {
  it("fails the Task with the error alone: no cause in its failure event, the Catch's output or the run, as on AWS", async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'work' },
          Catch: [{ ErrorEquals: ['Handled'], ResultPath: '$.failure', Next: 'Again' }],
          Next: 'Again',
        },
        Again: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'work' }, End: true },
      },
    } as StateMachineDefinition);
    const run = await wf.run({}, { mocks: { Call: fail('Handled'), Again: fail('Unhandled') } });
    const failures = run.history.filter((e) => e.type === 'TaskFailed').map((e) => (e as unknown as { taskFailedEventDetails: object }).taskFailedEventDetails);
    expect(failures).toEqual([
      { error: 'Handled', resource: 'invoke', resourceType: 'lambda' },
      { error: 'Unhandled', resource: 'invoke', resourceType: 'lambda' },
    ]);
    expect(run.inputOf('Again')).toEqual({ failure: { Error: 'Handled' } });
    expect(run).toMatchObject({ status: 'FAILED', error: 'Unhandled' });
    expect(run.cause).toBeUndefined();
  });
});

describe('a Distributed Map child\'s own error, from the run', () => {
  /** A DISTRIBUTED Map over `$.items` whose Validate Task a mock fails for the item `{ bad: true }`. */
  const wf = Workflow.fromDefinition({
    StartAt: 'Import',
    States: {
      Import: {
        Type: 'Map',
        ItemsPath: '$.items',
        ToleratedFailureCount: 0,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Validate',
          States: { Validate: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'validate', 'Payload.$': '$' }, End: true } },
        },
        End: true,
      },
    },
  } as unknown as StateMachineDefinition, { name: 'Orders' });
  // A lambda:invoke mock is the function: it gets the Payload, the item.
  const mocks = { Validate: (item: unknown) => ((item as { bad?: boolean }).bad ? fail('Item.Invalid', 'row 2 has no id') : succeed({ ok: true })) };

  it('lists it in run.childFailures, with the Map, the child\'s name and input, while the run fails with States.ExceedToleratedFailureThreshold', async () => {
    const run = await wf.run({ items: [{ id: 1 }, { bad: true }] }, { mocks });
    expect(run).toFail('States.ExceedToleratedFailureThreshold');
    expect(run.children).toEqual([]);
    expect(run.childFailures).toEqual([expect.objectContaining({ mapState: 'Import', input: { bad: true }, error: 'Item.Invalid', cause: 'row 2 has no id' })]);
  });

  it('names it in a matcher\'s failure message', async () => {
    const run = await wf.run({ items: [{ bad: true }] }, { mocks });
    expect(() => expect(run).toSucceed()).toThrow("child:  a child execution of Map 'Import' failed with Item.Invalid: row 2 has no id (input {\"bad\":true})");
  });
});
