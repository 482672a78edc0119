import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskHeartbeatCommand, StartExecutionCommand,
  type HistoryEvent, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, settled } from './helpers';
import { fakeRealTime } from '../real-time';

/*
 * Where time jumps in serve (real time passing in one stretch while nothing answers, at any
 * --time-scale, or across a restart of the server), each deadline still fires at its own instant:
 * the events are stamped where AWS stamps them. Real time passes only when the test says.
 */

const callback = (fields: object): string => asl({
  StartAt: 'Approve',
  States: {
    Approve: {
      Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true, ...fields,
    },
  },
});

/** Seconds from the execution's start to each event of `type`. */
function secondsAt(events: readonly HistoryEvent[], type: string): number[] {
  const start = events[0].timestamp!.getTime();
  return events.filter((e) => e.type === type).map((e) => (e.timestamp!.getTime() - start) / 1000);
}

async function waitingToken(sfn: SFNClient, executionArn: string): Promise<string> {
  const { events } = await settled(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
  return (JSON.parse(events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!) as { MessageBody: { token: string } }).MessageBody.token;
}

async function ended(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  await settled(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
}

describe.each([1, 60])('serve --time-scale %d: a deadline inside a stretch of time fires at its own instant', (timeScale) => {
  afterEach(() => jest.useRealTimers());

  it('times a callback with HeartbeatSeconds 60 out at +60 s when 61 s pass at once', async () => {
    const env = await serve({ timeScale });
    fakeRealTime();
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: callback({ HeartbeatSeconds: 60 }), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await waitingToken(env.sfn, executionArn!);
      await jest.advanceTimersByTimeAsync(61_000 / timeScale);
      const events = await ended(env.sfn, executionArn!);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([60]);
      expect(secondsAt(events, 'ExecutionFailed')).toEqual([60]);
    } finally {
      jest.useRealTimers();
      await env.stop();
    }
  });

  it('ends the execution at its Task TimeoutSeconds of 100 s, before its HeartbeatSeconds of 120 s, when an hour passes at once', async () => {
    const env = await serve({ timeScale });
    fakeRealTime();
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: callback({ TimeoutSeconds: 100, HeartbeatSeconds: 120 }), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await waitingToken(env.sfn, executionArn!);
      await jest.advanceTimersByTimeAsync(3_600_000 / timeScale);
      const events = await ended(env.sfn, executionArn!);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([100]);
      expect(secondsAt(events, 'ExecutionFailed')).toEqual([100]);
    } finally {
      jest.useRealTimers();
      await env.stop();
    }
  });
});

describe('serve: a heartbeat moves the deadline, and a later stretch of time passes it where it is', () => {
  afterEach(() => jest.useRealTimers());

  // At --time-scale 1: the execution's idle time runs at the wall clock's pace at any scale, so "a heartbeat at 50 s" is 50 real seconds.
  it('ends the execution at its Task TimeoutSeconds of 100 s after a heartbeat at 50 s, when an hour passes at once', async () => {
    const env = await serve();
    fakeRealTime();
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: callback({ TimeoutSeconds: 100, HeartbeatSeconds: 60 }), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      const taskToken = await waitingToken(env.sfn, executionArn!);
      await jest.advanceTimersByTimeAsync(50_000);
      await env.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
      await jest.advanceTimersByTimeAsync(3_600_000);
      const events = await ended(env.sfn, executionArn!);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([100]);
      expect(secondsAt(events, 'ExecutionFailed')).toEqual([100]);
    } finally {
      jest.useRealTimers();
      await env.stop();
    }
  });
});

describe('serve --data-dir: a deadline that passed while the server was down', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-deadlines-')); });
  afterEach(() => {
    jest.useRealTimers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('times the callback out at its HeartbeatSeconds, not at the restart', async () => {
    fakeRealTime();
    const first = await serve({ dataDir: dir });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: callback({ HeartbeatSeconds: 60 }), roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await waitingToken(first.sfn, executionArn!);
    await first.stop();
    // Ten minutes without a server.
    jest.setSystemTime(Date.now() + 600_000);
    const second = await serve({ dataDir: dir });
    try {
      const events = await ended(second.sfn, executionArn!);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([60]);
      expect(secondsAt(events, 'ExecutionFailed')).toEqual([60]);
    } finally {
      await second.stop();
    }
  });
});

describe('serve --data-dir: deadlines of parallel branches that passed while the server was down', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-deadlines-')); });
  afterEach(() => {
    jest.useRealTimers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fires each at its own instant, earliest first, whatever order the branches set them in', async () => {
    const branch = (name: string, heartbeat: number) => ({
      StartAt: name,
      States: {
        [name]: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
          HeartbeatSeconds: heartbeat,
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: `${name} gave up` }],
          End: true,
        },
        [`${name} gave up`]: { Type: 'Pass', End: true },
      },
    });
    fakeRealTime();
    const first = await serve({ dataDir: dir });
    const definition = asl({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: [branch('Slow', 120), branch('Quick', 60)], End: true } } });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'm', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await settled(() => first.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.filter((e) => e.type === 'TaskScheduled').length === 2);
    await first.stop();
    jest.setSystemTime(Date.now() + 600_000);
    const second = await serve({ dataDir: dir });
    try {
      const events = await ended(second.sfn, executionArn!);
      const start = events[0].timestamp!.getTime();
      const gaveUp = events.filter((e) => e.type === 'PassStateEntered').map((e) => [e.stateEnteredEventDetails!.name, (e.timestamp!.getTime() - start) / 1000]);
      expect(gaveUp).toEqual([['Quick gave up', 60], ['Slow gave up', 120]]);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([60, 120]);
    } finally {
      await second.stop();
    }
  });
});
