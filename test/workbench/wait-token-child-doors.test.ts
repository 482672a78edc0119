import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { StatesErrors } from '../../src/asl/states-errors';
import { Workflow } from '../../src/testing/workflow';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';

/*
 * A `states:startExecution.waitForTaskToken` Task starts its child with the Task's Input, the task
 * token in it, and waits for SendTaskSuccess or SendTaskFailure with that token, as every pattern of
 * StartExecution is called ("Start workflow executions from a Task state",
 * concepts-nested-workflows.html). Serve's case is in test/server/nested-executions.test.ts; here the
 * other doors: jest's start(), where the test sends the token, and the runs that wait for nobody
 * (jest's run(), `stepwright run`, MCP), where nothing can send it.
 */

const CHILD_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:Child';

/** Doubles `n` and hands on the token it was given, or fails when `fail` is true. */
const CHILD = {
  StartAt: 'Fail?',
  States: {
    'Fail?': { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Boom' }], Default: 'Double' },
    'Double': { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)', 'token.$': '$.token' }, End: true },
    'Boom': { Type: 'Fail', Error: 'Child.Failed', Cause: 'asked to fail' },
  },
};

const parentDefinition = (arn: string, fields: object = {}) => ({
  StartAt: 'StartChild',
  States: {
    StartChild: {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
      Parameters: { StateMachineArn: arn, Input: { 'n.$': '$.n', 'fail.$': '$.fail', 'token.$': '$$.Task.Token' }, Name: 'child-1' },
      End: true,
      ...fields,
    },
  },
});

const child = (): Workflow => Workflow.fromDefinition(CHILD as StateMachineDefinition, { name: 'Child' });
const parent = (fields: object = {}): Workflow => Workflow.fromDefinition(parentDefinition(CHILD_ARN, fields) as StateMachineDefinition, { name: 'Parent' });

describe('jest start(): a startExecution.waitForTaskToken Task starts its child and waits for the token the test sends', () => {
  it('starts the child with the Task\'s Input and token; the parent succeeds with what sendTaskSuccess sends', async () => {
    const execution = parent().start({ n: 21, fail: null }, { workflows: [child()] });
    const token = await execution.waitForTaskToken('StartChild');
    execution.sendTaskSuccess(token, { approved: true });
    const run = await execution.result;
    expect([run.status, run.output]).toEqual(['SUCCEEDED', { approved: true }]);
    expect(run.children.map((c) => [c.status, JSON.parse(c.history[0].executionStartedEventDetails!.input!), c.output]))
      .toEqual([['SUCCEEDED', { n: 21, fail: null, token }, { doubled: 42, token }]]);
    expect(run.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    // What the Task submitted is StartExecution's answer, as a .sync Task's (recorded: TestCallback_test_sync_with_task_token).
    const submitted = run.history.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!.output!;
    expect(JSON.parse(submitted)).toEqual({ ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Child:child-1', StartDate: expect.any(Number) });
  });

  it('keeps the parent waiting when the child fails without sending the token, until the Task\'s TimeoutSeconds: States.Timeout', async () => {
    const execution = parent({ TimeoutSeconds: 60 }).start({ n: 1, fail: true }, { workflows: [child()] });
    await execution.waitForTaskToken('StartChild');
    await execution.advanceTime(59);
    expect(execution.status).toBe('RUNNING');
    await execution.advanceTime(2);
    const run = await execution.result;
    expect([run.status, run.error]).toEqual(['FAILED', StatesErrors.TIMEOUT]);
    expect(run.children.map((c) => [c.status, c.error])).toEqual([['FAILED', 'Child.Failed']]);
    const start = run.history[0].timestamp.getTime();
    expect(run.history.filter((e) => e.type === 'TaskTimedOut').map((e) => (e.timestamp.getTime() - start) / 1000)).toEqual([60]);
  });
});

describe('a run that waits for nobody starts the child of a startExecution.waitForTaskToken Task and never hangs on its token', () => {
  it('jest run(): fails the Task with States.Runtime saying nothing can send the token and how to answer it', async () => {
    const run = await parent().run({ n: 2, fail: null }, { workflows: [child()] });
    expect([run.status, run.error]).toEqual(['FAILED', StatesErrors.RUNTIME]);
    expect(run.cause).toContain("Task 'StartChild' started its child execution (arn:aws:states:::states:startExecution.waitForTaskToken) and waits for the task token");
    expect(run.cause).toContain('mocks: { "StartChild": ... } in a test');
  });

  it('jest run() with unmocked: \'input\': the token is answered with the Task\'s input, what it submitted StartExecution\'s answer', async () => {
    const run = await parent().run({ n: 2, fail: null }, { workflows: [child()], unmocked: 'input' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ StateMachineArn: CHILD_ARN, Input: { n: 2, fail: null, token: expect.any(String) }, Name: 'child-1' });
    const submitted = run.history.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!.output!;
    expect(JSON.parse(submitted)).toEqual({ ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Child:child-1', StartDate: expect.any(Number) });
  });

  it('jest run(): a mock of the Task answers its token, and the child does not start', async () => {
    const run = await parent().run({ n: 2, fail: null }, { workflows: [child()], mocks: { StartChild: { approved: true } } });
    expect([run.status, run.output, run.children]).toEqual(['SUCCEEDED', { approved: true }, []]);
  });

  describe('stepwright run and MCP, on a template whose parent starts its sibling', () => {
    let root: string;
    beforeAll(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-token-child-'));
      const role = { 'Fn::GetAtt': ['Role', 'Arn'] };
      const template = {
        Resources: {
          Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
          Child: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify(CHILD), RoleArn: role } },
          Parent: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: { 'Fn::Sub': JSON.stringify(parentDefinition('${Child}')) }, RoleArn: role } },
        },
      };
      fs.writeFileSync(path.join(root, 'template.json'), JSON.stringify(template));
    });
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    const STARTED = "Task 'StartChild' started its child execution";

    it('stepwright run: fails the Task with States.Runtime saying nothing can send the token, and --unmocked input answers it', async () => {
      const template = path.join(root, 'template.json');
      const failed = await cli('run', template, '--state-machine', 'Parent', '--input', '{"n":2,"fail":null}', '--json');
      expect(failed.code).toBe(1);
      const ended = JSON.parse(failed.out) as { status: string; error: string; cause: string };
      expect([ended.status, ended.error]).toEqual(['FAILED', StatesErrors.RUNTIME]);
      expect(ended.cause).toContain(STARTED);
      const answered = await cli('run', template, '--state-machine', 'Parent', '--input', '{"n":2,"fail":null}', '--unmocked', 'input', '--json');
      expect(JSON.parse(answered.out)).toMatchObject({ status: 'SUCCEEDED', output: { Input: { n: 2, fail: null } } });
    });

    it('MCP run: fails the Task with States.Runtime saying nothing can send the token', async () => {
      const mcp = await startMcp(root);
      try {
        const ran = await mcp.call('run', { file: 'template.json', stateMachine: 'Parent', input: { n: 2, fail: null } });
        const ended = ran.structuredContent as { status: string; error: string; cause: string };
        expect([ended.status, ended.error]).toEqual(['FAILED', StatesErrors.RUNTIME]);
        expect(ended.cause).toContain(STARTED);
      } finally {
        await mcp.close();
      }
    });
  });
});
