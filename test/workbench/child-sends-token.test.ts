import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { StatesErrors } from '../../src/asl/states-errors';
import { VirtualClock, type Clock } from '../../src/interpreter/clock';
import { Workflow } from '../../src/testing/workflow';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';

/*
 * The usual pattern on AWS: a `states:startExecution.waitForTaskToken` Task passes `$$.Task.Token`
 * in its child's input, and the child's last state is an `aws-sdk:sfn:sendTaskSuccess` (or
 * sendTaskFailure, sendTaskHeartbeat) Task with that token ("Start workflow executions from a Task
 * state", concepts-nested-workflows.html). The child's call reaches its waiting parent at every
 * door: here jest's run() and start(), `stepwright run` and MCP; serve's case is in
 * test/server/nested-executions.test.ts. A token no task holds fails the Task as AWS fails it
 * (recorded: TestTaskServiceAwsSdk_test_sfn_send_task_outcome_with_no_such_token).
 */

const CHILD_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:Child';
const SEND_SUCCESS = 'arn:aws:states:::aws-sdk:sfn:sendTaskSuccess';
const SEND_FAILURE = 'arn:aws:states:::aws-sdk:sfn:sendTaskFailure';
const SEND_HEARTBEAT = 'arn:aws:states:::aws-sdk:sfn:sendTaskHeartbeat';

/** Doubles `n` and sends it to the token it was given, its Output a JSON value (sent as its JSON text). */
const SENDING_CHILD = {
  StartAt: 'Double',
  States: {
    Double: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)', 'token.$': '$.token' }, Next: 'Send' },
    Send: { Type: 'Task', Resource: SEND_SUCCESS, Parameters: { 'TaskToken.$': '$.token', 'Output': { 'doubled.$': '$.doubled' } }, End: true },
  },
};

/** Refuses the work: sends SendTaskFailure to the token it was given, no Lambda function in between. */
const REFUSING_CHILD = {
  StartAt: 'Refuse',
  States: {
    Refuse: { Type: 'Task', Resource: SEND_FAILURE, Parameters: { 'TaskToken.$': '$.token', 'Error': 'Child.Refused', 'Cause': 'out of stock' }, End: true },
  },
};

/** Works 40 s in two halves, telling its parent it is alive between them, then sends its answer. */
const HEARTBEAT_CHILD = {
  StartAt: 'First half',
  States: {
    'First half': { Type: 'Wait', Seconds: 20, Next: 'Alive' },
    'Alive': { Type: 'Task', Resource: SEND_HEARTBEAT, Parameters: { 'TaskToken.$': '$.token' }, ResultPath: null, Next: 'Second half' },
    'Second half': { Type: 'Wait', Seconds: 20, Next: 'Done' },
    'Done': { Type: 'Task', Resource: SEND_SUCCESS, Parameters: { 'TaskToken.$': '$.token', 'Output': '"done"' }, End: true },
  },
};

/** Sends its answer twice: the second finds the parent's Task closed. */
const TWICE_CHILD = {
  StartAt: 'Send',
  States: {
    Send: { Type: 'Task', Resource: SEND_SUCCESS, Parameters: { 'TaskToken.$': '$.token', 'Output': '1' }, ResultPath: null, Next: 'Again' },
    Again: { Type: 'Task', Resource: SEND_SUCCESS, Parameters: { 'TaskToken.$': '$.token', 'Output': '2' }, End: true },
  },
};

const parentDefinition = (arn: string, fields: object = {}) => ({
  StartAt: 'StartChild',
  States: {
    StartChild: {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
      Parameters: { StateMachineArn: arn, Input: { 'n.$': '$.n', 'token.$': '$$.Task.Token' } },
      End: true,
      ...fields,
    },
  },
});

const child = (definition: object): Workflow => Workflow.fromDefinition(definition as StateMachineDefinition, { name: 'Child' });
const parent = (fields: object = {}): Workflow => Workflow.fromDefinition(parentDefinition(CHILD_ARN, fields) as StateMachineDefinition, { name: 'Parent' });

describe('jest: a child\'s aws-sdk:sfn:sendTask* Task answers the startExecution.waitForTaskToken Task that waits for it', () => {
  it('run(): the parent succeeds with the Output the child\'s sendTaskSuccess sends; the child\'s Task answers {}', async () => {
    const run = await parent().run({ n: 21 }, { workflows: [child(SENDING_CHILD)] });
    expect([run.status, run.output]).toEqual(['SUCCEEDED', { doubled: 42 }]);
    expect(run.children.map((c) => [c.status, c.output])).toEqual([['SUCCEEDED', {}]]);
    expect(run.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  it('start(): the child\'s sendTaskSuccess answers the parent without the test sending anything', async () => {
    const execution = parent().start({ n: 5 }, { workflows: [child(SENDING_CHILD)] });
    const run = await execution.result;
    expect([run.status, run.output]).toEqual(['SUCCEEDED', { doubled: 10 }]);
  });

  it('run(): the child\'s sendTaskFailure fails the parent with its Error and Cause, which a Catch of the Task takes', async () => {
    const failed = await parent().run({ n: 1 }, { workflows: [child(REFUSING_CHILD)] });
    expect([failed.status, failed.error, failed.cause]).toEqual(['FAILED', 'Child.Refused', 'out of stock']);
    const catching = Workflow.fromDefinition({
      StartAt: 'StartChild',
      States: {
        StartChild: { ...parentDefinition(CHILD_ARN).States.StartChild, Catch: [{ ErrorEquals: ['Child.Refused'], Next: 'Refused' }] },
        Refused: { Type: 'Pass', End: true },
      },
    } as unknown as StateMachineDefinition, { name: 'Parent' });
    const caught = await catching.run({ n: 1 }, { workflows: [child(REFUSING_CHILD)] });
    expect([caught.status, caught.output]).toEqual(['SUCCEEDED', { Error: 'Child.Refused', Cause: 'out of stock' }]);
  });

  it('run(): the child\'s sendTaskHeartbeat keeps the parent\'s HeartbeatSeconds from running out', async () => {
    const run = await parent({ HeartbeatSeconds: 30 }).run({ n: 1 }, { workflows: [child(HEARTBEAT_CHILD)] });
    expect([run.status, run.output]).toEqual(['SUCCEEDED', 'done']);
    const start = run.history[0].timestamp.getTime();
    expect((run.history.at(-1)!.timestamp.getTime() - start) / 1000).toBe(40);
  });

  it('run(): a child that never sends the token leaves the parent waiting until its TimeoutSeconds: States.Timeout', async () => {
    const silent = { StartAt: 'Idle', States: { Idle: { Type: 'Pass', End: true } } };
    const run = await parent({ TimeoutSeconds: 60 }).run({ n: 1 }, { workflows: [child(silent)] });
    expect([run.status, run.error]).toEqual(['FAILED', StatesErrors.TIMEOUT]);
    const start = run.history[0].timestamp.getTime();
    expect(run.history.filter((e) => e.type === 'TaskTimedOut').map((e) => (e.timestamp.getTime() - start) / 1000)).toEqual([60]);
  });

  it('run(): a mock of the child\'s sendTaskSuccess Task wins, and then nothing sends the token: States.Runtime saying so', async () => {
    const mocked = Workflow.fromDefinition(SENDING_CHILD as StateMachineDefinition, { name: 'Child' });
    const run = await parent().run({ n: 1 }, { workflows: [{ workflow: mocked, mocks: { Send: {} } }] });
    expect([run.status, run.error]).toEqual(['FAILED', StatesErrors.RUNTIME]);
    expect(run.cause).toContain('nothing in this run sent that token');
    expect(run.children.map((c) => [c.status, c.output])).toEqual([['SUCCEEDED', {}]]);
  });

  it('run(): a token sent twice fails the second call with Sfn.TaskTimedOutException, as the task is closed', async () => {
    const run = await parent().run({ n: 1 }, { workflows: [child(TWICE_CHILD)] });
    expect([run.status, run.output]).toEqual(['SUCCEEDED', 1]);
    expect(run.children.map((c) => [c.status, c.error])).toEqual([['FAILED', 'Sfn.TaskTimedOutException']]);
  });
});

describe('jest: an aws-sdk:sfn:sendTask* Task whose token no task holds fails as AWS fails it', () => {
  const alone = (resource: string) => Workflow.fromDefinition({
    StartAt: 'Send',
    States: {
      Send: {
        Type: 'Task',
        Resource: resource,
        End: true,
        // The requests AWS recorded: SendTaskFailure's with its token alone.
        Parameters: { 'TaskToken.$': '$$.Execution.Input.TaskToken', ...(resource === SEND_SUCCESS ? { Output: 'ParameterOutput' } : {}) },
      },
    },
  } as StateMachineDefinition, { name: 'Alone' });

  it.each([SEND_SUCCESS, SEND_FAILURE])('%s of a token Step Functions never issued: Sfn.InvalidTokenException, in AWS\'s words; a mock of the Task wins', async (resource) => {
    const run = await alone(resource).run({ TaskToken: 'NoSuchTaskToken' });
    expect([run.status, run.error]).toEqual(['FAILED', 'Sfn.InvalidTokenException']);
    expect(run.cause).toMatch(/^Invalid Token: 'Invalid token' \(Service: Sfn, Status Code: 400, Request ID: [0-9a-f-]{36}\) \(SDK Attempt Count: 1\)$/);
    expect((await alone(resource).run({ TaskToken: 'NoSuchTaskToken' }, { mocks: { Send: {} } })).status).toBe('SUCCEEDED');
  });

  it('a token of the issued form that no task of the run holds: Sfn.TaskDoesNotExistException naming it', async () => {
    const token = '00000000-0000-4000-8000-000000000000-1';
    const run = await alone(SEND_SUCCESS).run({ TaskToken: token });
    expect([run.status, run.error]).toEqual(['FAILED', 'Sfn.TaskDoesNotExistException']);
    expect(run.cause).toContain(`no task holds the token '${token}'`);
  });
});

/**
 * A clock of the user's own: it keeps time (a VirtualClock inside, so that no test waits on real
 * time) but, like a RealClock or any Clock written from the interface, cannot tell when the run
 * has nothing left to do.
 */
function ownClock(): Clock {
  const inner = new VirtualClock();
  return {
    now: () => inner.now(),
    sleepUntil: (deadline, signal) => inner.sleepUntil(deadline, signal),
    hold: () => inner.hold(),
  };
}

describe('run() on a clock of the user\'s own, which cannot tell when the run has nothing left to do', () => {
  it('the child\'s sendTaskSuccess reaches the waiting parent, which succeeds with its Output', async () => {
    const run = await parent().run({ n: 21 }, { workflows: [child(SENDING_CHILD)], clock: ownClock() });
    expect([run.status, run.output]).toEqual(['SUCCEEDED', { doubled: 42 }]);
    expect(run.children.map((c) => [c.status, c.output])).toEqual([['SUCCEEDED', {}]]);
  });

  it('the child\'s sendTaskFailure fails the parent with its Error and Cause', async () => {
    const run = await parent().run({ n: 1 }, { workflows: [child(REFUSING_CHILD)], clock: ownClock() });
    expect([run.status, run.error, run.cause]).toEqual(['FAILED', 'Child.Refused', 'out of stock']);
  });

  it('a child that ends without sending the token fails the parent with States.Runtime naming the clock option and the fix', async () => {
    const silent = { StartAt: 'Idle', States: { Idle: { Type: 'Pass', End: true } } };
    const run = await parent().run({ n: 1 }, { workflows: [child(silent)], clock: ownClock() });
    expect([run.status, run.error]).toEqual(['FAILED', StatesErrors.RUNTIME]);
    expect(run.cause).toContain("Task 'StartChild' started its child execution");
    expect(run.cause).toContain('before the child execution ended');
    expect(run.cause).toContain('leave the clock option out, or give a VirtualClock');
  });

  it('a child that never sends the token leaves a parent with TimeoutSeconds waiting for it, as on AWS: States.Timeout', async () => {
    const silent = { StartAt: 'Idle', States: { Idle: { Type: 'Pass', End: true } } };
    const run = await parent({ TimeoutSeconds: 60 }).run({ n: 1 }, { workflows: [child(silent)], clock: ownClock() });
    expect([run.status, run.error]).toEqual(['FAILED', StatesErrors.TIMEOUT]);
  });
});

describe('stepwright run and MCP: a child\'s sendTaskSuccess reaches its waiting parent, on a template whose parent starts its sibling', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-child-token-'));
    const role = { 'Fn::GetAtt': ['Role', 'Arn'] };
    const template = {
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
        Child: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify(SENDING_CHILD), RoleArn: role } },
        Refusing: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify(REFUSING_CHILD), RoleArn: role } },
        Parent: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: { 'Fn::Sub': JSON.stringify(parentDefinition('${Child}')) }, RoleArn: role } },
        RefusedParent: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: { 'Fn::Sub': JSON.stringify(parentDefinition('${Refusing}')) }, RoleArn: role } },
      },
    };
    fs.writeFileSync(path.join(root, 'template.json'), JSON.stringify(template));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stepwright run: the parent succeeds with what the child sent, and fails with what a refusing child sent', async () => {
    const template = path.join(root, 'template.json');
    const sent = await cli('run', template, '--state-machine', 'Parent', '--input', '{"n":4}', '--json');
    expect(JSON.parse(sent.out)).toMatchObject({ status: 'SUCCEEDED', output: { doubled: 8 } });
    const refused = await cli('run', template, '--state-machine', 'RefusedParent', '--input', '{"n":4}', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ status: 'FAILED', error: 'Child.Refused', cause: 'out of stock' });
  });

  it('MCP run: the parent succeeds with what the child sent', async () => {
    const mcp = await startMcp(root);
    try {
      const ran = await mcp.call('run', { file: 'template.json', stateMachine: 'Parent', input: { n: 4 } });
      expect(ran.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { doubled: 8 } });
    } finally {
      await mcp.close();
    }
  });
});
