import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, StartExecutionCommand, ValidationException,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';

/** Waits for a callback (not mocked), then calls the mocked Charge. */
const APPROVE_THEN_CHARGE = asl({
  StartAt: 'Approve',
  States: {
    Approve: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, ResultPath: null, Next: 'Charge' },
    Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' }, ResultSelector: { 'charged.$': '$.Payload.charged' }, End: true },
  },
});
const CHARGE = asl({
  StartAt: 'Charge',
  States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' }, ResultSelector: { 'charged.$': '$.Payload.charged' }, End: true } },
});

/** A MockConfigFile whose test case `testCase` answers Charge with `charged`. */
function mockFile(testCase: string, charged: string): string {
  return JSON.stringify({
    StateMachines: { orders: { TestCases: { [testCase]: { Charge: 'Charged' } } } },
    MockedResponses: { Charged: { 0: { Return: { StatusCode: 200, Payload: { charged } } } } },
  });
}

const done = (sfn: SFNClient, executionArn: string) =>
  until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');

async function tokenOf(sfn: SFNClient, executionArn: string): Promise<string> {
  const { events } = await until(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
  return JSON.parse(events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!).MessageBody.token;
}

/** Rewrites the file so that its stat changes even within one clock tick. */
function rewrite(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

describe('serve --mock-config: the file is read again when it changes', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mock-reload-'));
    file = path.join(dir, 'MockConfigFile.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('uses a test case added to the file after the server started, and logs the new version', async () => {
    fs.writeFileSync(file, mockFile('First', 'v1'));
    const env = await serve({ mockConfig: file });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: CHARGE, roleArn: ROLE }));
      rewrite(file, mockFile('Second', 'v2'));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Second` }));
      expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":"v2"}' });
      const changed = env.logs.filter((l) => l.startsWith(`MockConfigFile ${file} version `) && l.endsWith(' (changed)'));
      expect(changed).toHaveLength(1);
      const version = /version ([0-9a-f]{8}) \(changed\)/.exec(changed[0])![1];
      expect(env.logs).toContain(`execution ${executionArn}: test case 'Second' of MockConfigFile version ${version}`);
    } finally {
      await env.stop();
    }
  });

  it('keeps the version an execution started with when the file changes while it runs', async () => {
    fs.writeFileSync(file, mockFile('Happy', 'v1'));
    const env = await serve({ mockConfig: file });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: APPROVE_THEN_CHARGE, roleArn: ROLE }));
      const first = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Happy` }));
      const token = await tokenOf(env.sfn, first.executionArn!);
      rewrite(file, mockFile('Happy', 'v2'));
      const second = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Happy` }));
      await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
      await env.sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf(env.sfn, second.executionArn!), output: '{}' }));
      expect(await done(env.sfn, first.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":"v1"}' });
      expect(await done(env.sfn, second.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":"v2"}' });
    } finally {
      await env.stop();
    }
  });

  it('keeps the version before when the file no longer parses, says why once, and names both versions when a test case is missing', async () => {
    fs.writeFileSync(file, mockFile('Happy', 'v1'));
    const env = await serve({ mockConfig: file });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: CHARGE, roleArn: ROLE }));
      rewrite(file, '{"StateMachines": {"orders": {"TestCases": {"Other": {"Charge": "Nope"}}}}, "MockedResponses": {}}');
      const kept = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Happy` }));
      expect(await done(env.sfn, kept.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":"v1"}' });
      const e = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Other` })).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ValidationException);
      expect((e as Error).message).toMatch(/no test case 'Other' for state machine 'orders'; it has 'Happy'; the file as it is now \(version [0-9a-f]{8}\) is not used: .*no mocked response 'Nope'/);
      const refusals = env.logs.filter((l) => l.includes('cannot be used'));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatch(/^MockConfigFile .* changed, but version [0-9a-f]{8} cannot be used \(.*'Nope'.*\); executions go on with version [0-9a-f]{8}$/);
    } finally {
      await env.stop();
    }
  });

  it('gives an execution the test case it started with after a restart, though the file lost it meanwhile', async () => {
    const dataDir = path.join(dir, 'data');
    fs.writeFileSync(file, mockFile('Happy', 'v1'));
    const before = await serve({ mockConfig: file, dataDir });
    const { stateMachineArn } = await before.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: APPROVE_THEN_CHARGE, roleArn: ROLE }));
    const { executionArn } = await before.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Happy` }));
    const token = await tokenOf(before.sfn, executionArn!);
    await before.stop();
    rewrite(file, mockFile('Renamed', 'v2'));
    const after = await serve({ mockConfig: file, dataDir });
    try {
      await after.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
      expect(await done(after.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":"v1"}' });
    } finally {
      await after.stop();
    }
  });

  describe('a file swapped for one that is not a regular file', () => {
    /** Starts a server on a good file, lets `swap` replace it, and checks that serve answers on with the version before. */
    async function swapped(swap: () => void, reason: RegExp): Promise<void> {
      fs.writeFileSync(file, mockFile('Happy', 'v1'));
      const env = await serve({ mockConfig: file });
      try {
        const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: CHARGE, roleArn: ROLE }));
        swap();
        const kept = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Happy` }));
        expect(await done(env.sfn, kept.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":"v1"}' });
        const again = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Happy` }));
        expect(await done(env.sfn, again.executionArn!)).toMatchObject({ status: 'SUCCEEDED' });
        const refusals = env.logs.filter((l) => l.includes('cannot be used'));
        expect(refusals.length).toBeGreaterThanOrEqual(1);
        expect(refusals[0]).toContain(`MockConfigFile ${file} changed, but version unreadable cannot be used`);
        expect(refusals[0]).toMatch(reason);
      } finally {
        await env.stop();
      }
    }

    (process.platform === 'win32' ? it.skip : it)('never opens a FIFO for reading: the next StartExecution naming a test case is answered with the version before', async () => {
      await swapped(() => {
        fs.rmSync(file);
        execFileSync('mkfifo', [file]);
      }, /not a regular file \(a pipe, socket or device\)/);
    });

    (fs.existsSync('/dev/zero') ? it : it.skip)('never reads a link to /dev/zero: the version before is kept', async () => {
      await swapped(() => {
        fs.rmSync(file);
        fs.symlinkSync('/dev/zero', file);
      }, /not a regular file/);
    });

    it('never reads a file past the size bound (a sparse file of 300 MB): the version before is kept', async () => {
      await swapped(() => {
        fs.writeFileSync(`${file}.tmp`, '');
        fs.truncateSync(`${file}.tmp`, 300 * 1024 * 1024);
        fs.renameSync(`${file}.tmp`, file);
      }, /314,572,800 bytes is too large: stepwright reads JSON files of at most 268,435,456 bytes/);
    });

    it('refuses at start a MockConfigFile that is a FIFO or a link to /dev/zero, naming the file', async () => {
      const fifo = path.join(dir, 'fifo.json');
      execFileSync('mkfifo', [fifo]);
      await expect(serve({ mockConfig: fifo })).rejects.toThrow(/fifo\.json.*not a regular file|not a regular file.*fifo\.json/);
      const zero = path.join(dir, 'zero.json');
      fs.symlinkSync('/dev/zero', zero);
      await expect(serve({ mockConfig: zero })).rejects.toThrow(/zero\.json.*not a regular file|not a regular file.*zero\.json/);
    });
  });
});
