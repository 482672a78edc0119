import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand,
  StartExecutionCommand,
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

describe('serve: a real timer that fires after its deadline has passed (the machine slept, the event loop was held up)', () => {
  afterEach(() => jest.useRealTimers());

  /** An hour passes on the wall clock while the timers stand still, as across a laptop's sleep: they fire late. */
  const sleepAnHour = (): void => jest.setSystemTime(Date.now() + 3_600_000);

  it('times a callback with HeartbeatSeconds 60 out at +60 s, not when its timer fires', async () => {
    const env = await serve();
    fakeRealTime();
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: callback({ HeartbeatSeconds: 60 }), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await waitingToken(env.sfn, executionArn!);
      sleepAnHour();
      await jest.advanceTimersByTimeAsync(60_000);
      const events = await ended(env.sfn, executionArn!);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([60]);
      expect(secondsAt(events, 'ExecutionFailed')).toEqual([60]);
    } finally {
      jest.useRealTimers();
      await env.stop();
    }
  });

  it('ends each passed deadline at its own instant, earliest first, and what follows from it after it', async () => {
    const branch = (name: string, heartbeat: number, wait: number) => ({
      StartAt: name,
      States: {
        [name]: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
          HeartbeatSeconds: heartbeat,
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: `${name} backs off` }],
          End: true,
        },
        [`${name} backs off`]: { Type: 'Wait', Seconds: wait, Next: `${name} gave up` },
        [`${name} gave up`]: { Type: 'Pass', End: true },
      },
    });
    const env = await serve();
    fakeRealTime();
    try {
      const definition = asl({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: [branch('Slow', 120, 5), branch('Quick', 60, 100)], End: true } } });
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition, roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await settled(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.filter((e) => e.type === 'TaskScheduled').length === 2);
      sleepAnHour();
      await jest.advanceTimersByTimeAsync(60_000);
      const events = await ended(env.sfn, executionArn!);
      const start = events[0].timestamp!.getTime();
      const gaveUp = events.filter((e) => e.type === 'PassStateEntered').map((e) => [e.stateEnteredEventDetails!.name, (e.timestamp!.getTime() - start) / 1000]);
      expect(gaveUp).toEqual([['Slow gave up', 125], ['Quick gave up', 160]]);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([60, 120]);
      expect(secondsAt(events, 'ExecutionSucceeded')).toEqual([160]);
    } finally {
      jest.useRealTimers();
      await env.stop();
    }
  });

  it('makes a Task call that follows a passed deadline at it, journaled, and ends a later passed deadline at its own instant', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-deadlines-'));
    const branch = (name: string, heartbeat: number, then: object) => ({
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
        [`${name} gave up`]: then,
      },
    });
    const note = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'note' }, End: true };
    const env = await serve({ dataDir: dir, handlers: { 'Quick gave up': () => ({ Payload: 'noted' }) } });
    fakeRealTime();
    try {
      const definition = asl({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: [branch('Slow', 120, { Type: 'Pass', End: true }), branch('Quick', 60, note)], End: true } } });
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition, roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await settled(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.filter((e) => e.type === 'TaskScheduled').length === 2);
      sleepAnHour();
      await jest.advanceTimersByTimeAsync(60_000);
      const events = await ended(env.sfn, executionArn!);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([60, 120]);
      expect(secondsAt(events, 'TaskSucceeded')).toEqual([60]);
      expect(secondsAt(events, 'ExecutionSucceeded')).toEqual([120]);
    } finally {
      jest.useRealTimers();
      await env.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stamps what follows a passed deadline at it, and an answer that comes afterwards at the wall clock\'s time', async () => {
    const wait = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } } };
    const env = await serve();
    fakeRealTime();
    try {
      const definition = asl({
        StartAt: 'Approve',
        States: {
          Approve: { ...wait, HeartbeatSeconds: 60, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Again' }], End: true },
          Again: { ...wait, HeartbeatSeconds: 7200, End: true },
        },
      });
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition, roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await waitingToken(env.sfn, executionArn!);
      sleepAnHour();
      await jest.advanceTimersByTimeAsync(60_000);
      const { events: asked } = await settled(
        () => env.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.filter((e) => e.type === 'TaskScheduled').length === 2);
      const taskToken = (JSON.parse(asked!.filter((e) => e.type === 'TaskScheduled')[1].taskScheduledEventDetails!.parameters!) as { MessageBody: { token: string } }).MessageBody.token;
      await env.sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
      const events = await ended(env.sfn, executionArn!);
      expect(secondsAt(events, 'TaskScheduled')).toEqual([0, 60]);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([60]);
      expect(secondsAt(events, 'TaskSucceeded')).toEqual([3660]);
      expect(secondsAt(events, 'ExecutionSucceeded')).toEqual([3660]);
    } finally {
      jest.useRealTimers();
      await env.stop();
    }
  });
});
