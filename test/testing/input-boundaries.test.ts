import { InvalidExecutionInputError, InvalidOutputError, ValidationException } from '../../src/interpreter';
import { succeed } from '../../src/testing';
import { MockKeyError, Workflow } from '../../src/testing/workflow';
import { testState, TestStateError } from '../../src/workbench/test-state';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Charge';
const thrownBy = (f: () => void): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};
const workflow = () => Workflow.fromDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, End: true } } });

describe('Harness input boundaries', () => {
  it('refuses mocks: null with MockKeyError, not a TypeError', async () => {
    await expect(workflow().run({}, { mocks: null as never })).rejects.toThrow(MockKeyError);
    await expect(workflow().run({}, { mocks: null as never })).rejects.toThrow('mocks must be an object keyed by state name, construct or resource ARN');
  });

  it('refuses testState(null, ...) with TestStateError, not a TypeError', async () => {
    await expect(testState(null as never, 'T', {})).rejects.toThrow(TestStateError);
    await expect(testState(null as never, 'T', {})).rejects.toThrow('testState: definition must be a state machine (with States) or a single state (with Type), got null');
  });

  it.each([
    ['a BigInt', { n: 1n }],
    ['a circular value', (() => { const o: Record<string, unknown> = {}; o.o = o; return o; })()],
  ])('rejects run input holding %s with InvalidExecutionInput', async (_what, input) => {
    await expect(workflow().run(input as never, { mocks: { T: () => ({}) } })).rejects.toThrow(InvalidExecutionInputError);
  });

  // StartExecution refuses an input past 262,144 bytes of UTF-8 (ValidationException, as serve
  // answers it; `stepwright run` and MCP refuse it too): the harness starts no execution either.
  it('refuses an input over 262,144 bytes of UTF-8, under it in characters, as StartExecution does', async () => {
    const input = { text: 'é'.repeat(131_100) };
    const message = "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding";
    await expect(workflow().run(input, { mocks: { T: () => ({}) } })).rejects.toThrow(ValidationException);
    await expect(workflow().run(input, { mocks: { T: () => ({}) } })).rejects.toThrow(message);
    expect(() => workflow().start(input, { mocks: { T: () => ({}) } })).toThrow(message);
    // 262,144 bytes whole is within it: the run starts.
    const within = { t: 'x'.repeat(262_144 - '{"t":""}'.length) };
    expect(Buffer.byteLength(JSON.stringify(within))).toBe(262_144);
    expect((await workflow().run(within, { mocks: { T: () => ({}) } })).status).toBe('SUCCEEDED');
    // A run whose limits let more through than AWS runs it, as it asked.
    expect((await workflow().run(input, { mocks: { T: () => ({}) }, limits: { maxPayloadBytes: Infinity } })).status).toBe('SUCCEEDED');
  });

  // StartExecution and SendTaskSuccess take JSON text, which writes -0 as 0: AWS reads 0.
  it('reads a -0 in the input and in a callback\'s output as 0, as their JSON text carries it', async () => {
    const pass = Workflow.fromDefinition({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': '$.x', 'all.$': '$$.Execution.Input' }, End: true } } });
    const run = await pass.run({ x: -0, list: [1, -0] });
    expect(run.output).toEqual({ x: 0, all: { x: 0, list: [1, 0] } });
    const wait = Workflow.fromDefinition({ StartAt: 'W', States: { W: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } } });
    const execution = wait.start({});
    execution.sendTaskSuccess(await execution.waitForTaskToken('W'), { y: -0 });
    expect((await execution.result).output).toEqual({ y: 0 });
  });

  // A service answers Step Functions in JSON text too: a mock's -0, given as a value, a function's
  // return or a MockConfigFile's Return, is the 0 AWS reads.
  it('reads a -0 in a Task\'s answer as 0, whoever gives it', async () => {
    const task = Workflow.fromDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true } } });
    const answer = { MessageId: 'm-1', MD5OfMessageBody: 'x', n: [-0] };
    const asValue = await task.run({}, { mocks: { T: answer }, mockValidation: 'NONE' });
    const asFunction = await task.run({}, { mocks: { T: () => answer }, mockValidation: 'NONE' });
    const config = { StateMachines: { StateMachine: { TestCases: { Case: { T: 'R' } } } }, MockedResponses: { R: { 0: { Return: answer } } } };
    const asConfig = await task.run({}, { mockConfig: { config, testCase: 'Case' }, mockValidation: 'NONE' });
    for (const run of [asValue, asFunction, asConfig]) expect(run.output).toEqual({ MessageId: 'm-1', MD5OfMessageBody: 'x', n: [0] });
  });

  it('fails the run with States.Runtime when a mock returns a BigInt', async () => {
    const run = await workflow().run({}, { mocks: { T: () => ({ n: 1n }) as never } });
    expect([run.status, run.error]).toEqual(['FAILED', 'States.Runtime']);
    expect(run.cause).toContain('not JSON: a BigInt at $.n');
  });

  describe('one object shared until it is 2^61 values as JSON text (61 objects in memory)', () => {
    const sharedTwice = (): Record<string, unknown> => {
      let v: Record<string, unknown> = { leaf: 1 };
      for (let i = 0; i < 60; i++) v = { a: v, b: v };
      return v;
    };
    const TOO_MANY = 'more than 4194304 values (an object reached from two places counts twice';

    it('is refused as run input with InvalidExecutionInput naming the bound', async () => {
      const refused: unknown = await workflow().run(sharedTwice() as never, { mocks: { T: () => ({}) } }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InvalidExecutionInputError);
      expect((refused as Error).message).toContain(TOO_MANY);
    });

    it.each([
      ['a mock function returns it', () => ({ T: () => sharedTwice() })],
      ['a mock value is it', () => ({ T: sharedTwice() })],
      ['succeed() is given it', () => ({ T: succeed(sharedTwice() as never) })],
      ['a mock function returns a value whose toJSON returns it', () => ({ T: () => ({ inner: { toJSON: () => sharedTwice() } }) })],
    ])('fails the run with States.Runtime naming the bound when %s', async (_what, mocks) => {
      const run = await workflow().run({}, { mocks: mocks() as never });
      expect([run.status, run.error]).toEqual(['FAILED', 'States.Runtime']);
      expect(run.cause).toContain(TOO_MANY);
    });

    it('is refused by sendTaskSuccess with InvalidOutputError naming the bound; the task keeps waiting', async () => {
      const wait = Workflow.fromDefinition({ StartAt: 'W', States: { W: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } } });
      const execution = wait.start({});
      const token = await execution.waitForTaskToken('W');
      const refused = thrownBy(() => execution.sendTaskSuccess(token, sharedTwice() as never));
      expect(refused).toBeInstanceOf(InvalidOutputError);
      expect((refused as Error).message).toContain(TOO_MANY);
      execution.sendTaskSuccess(token, { ok: true });
      expect((await execution.result).output).toEqual({ ok: true });
    });

    it('is refused as succeed()\'s submitted value with a TypeError naming the bound', () => {
      expect(() => succeed({}, { submitted: sharedTwice() as never })).toThrow(TOO_MANY);
    });
  });
});

describe('a mock value or run input with a toJSON of its own', () => {
  it('calls a mock function\'s returned value\'s toJSON once, and the Task gives what it returned', async () => {
    let calls = 0;
    const run = await workflow().run({}, { mocks: { T: () => ({ inner: { toJSON: () => ({ called: ++calls }) } }) } });
    expect(run.output).toEqual({ inner: { called: 1 } });
    expect(calls).toBe(1);
  });

  it('runs an input and takes a submitted value with a field whose toJSON returns undefined, left out as JSON.stringify does', async () => {
    const gone = { toJSON: (): undefined => undefined };
    const run = await workflow().run({ kept: 1, gone, list: [1, gone] } as never, { mocks: { T: (given) => given } });
    expect({ status: run.status, output: run.output }).toEqual({ status: 'SUCCEEDED', output: { kept: 1, list: [1, null] } });
    expect(Object.keys(run.output as object)).not.toContain('gone');
    expect(succeed({}, { submitted: { id: 'j-1', gone } as never }).submitted).toEqual({ id: 'j-1' });
  });

  it('calls a run input\'s toJSON once while its size is checked', async () => {
    let calls = 0;
    const input = { toJSON: () => ({ called: ++calls }) };
    await workflow().run(input as never, { mocks: { T: (given) => given } });
    expect(calls).toBe(1);
  });

  it('takes succeed()\'s submitted value as its toJSON writes it', () => {
    const step = succeed({}, { submitted: { at: new Date(0), id: { toJSON: () => 'j-1' } } as never });
    expect(step.submitted).toEqual({ at: '1970-01-01T00:00:00.000Z', id: 'j-1' });
  });
});
