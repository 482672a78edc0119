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

/** A Task that sends its token to a queue and waits for the answer. */
const WAIT_FOR_TOKEN = {
  Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
};

const callback = (fields: object): string => asl({ StartAt: 'Approve', States: { Approve: { ...WAIT_FOR_TOKEN, End: true, ...fields } } });

/** A Parallel branch: callback `name`, whose States.Timeout (of its `heartbeat`) is caught into the first of the states `after`. */
const branch = (name: string, heartbeat: number, after: Record<string, object>): object => ({
  StartAt: name,
  States: {
    [name]: { ...WAIT_FOR_TOKEN, HeartbeatSeconds: heartbeat, Catch: [{ ErrorEquals: ['States.Timeout'], Next: Object.keys(after)[0] }], End: true },
    ...after,
  },
});

/** A machine of one Parallel state, Both, of `branches`. */
const both = (...branches: object[]): string => asl({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: branches, End: true } } });

/** Creates the machine 'm' of `definition` and starts it: the execution's ARN. */
async function started(sfn: SFNClient, definition: string): Promise<string> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'm', definition, roleArn: ROLE }));
  return (await sfn.send(new StartExecutionCommand({ stateMachineArn }))).executionArn!;
}

/** Seconds from the execution's start to each event of `type`. */
function secondsAt(events: readonly HistoryEvent[], type: string): number[] {
  const start = events[0].timestamp!.getTime();
  return events.filter((e) => e.type === type).map((e) => (e.timestamp!.getTime() - start) / 1000);
}

/** Seconds from the execution's start to its Task's time-out and to its failure. */
const timedOutAndFailed = (events: readonly HistoryEvent[]) => ({ timedOut: secondsAt(events, 'TaskTimedOut'), failed: secondsAt(events, 'ExecutionFailed') });

/** The Pass states entered, each with the seconds from the execution's start. */
function passesEntered(events: readonly HistoryEvent[]): Array<[string, number]> {
  const start = events[0].timestamp!.getTime();
  return events.filter((e) => e.type === 'PassStateEntered').map((e) => [e.stateEnteredEventDetails!.name!, (e.timestamp!.getTime() - start) / 1000]);
}

/** The token the `index`th TaskScheduled of `events` sent. */
const tokenOf = (events: readonly HistoryEvent[], index: number): string =>
  (JSON.parse(events.filter((e) => e.type === 'TaskScheduled')[index].taskScheduledEventDetails!.parameters!) as { MessageBody: { token: string } }).MessageBody.token;

/** Waits until the execution has scheduled `count` Tasks or more; its events then. */
async function scheduled(sfn: SFNClient, executionArn: string, count: number): Promise<HistoryEvent[]> {
  const { events } = await settled(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.filter((e) => e.type === 'TaskScheduled').length >= count);
  return events!;
}

async function waitingToken(sfn: SFNClient, executionArn: string): Promise<string> {
  return tokenOf(await scheduled(sfn, executionArn, 1), 0);
}

/** Starts serve with `options`, fakes real time, runs `body`, then stops the server on real time again. */
async function onServe(options: Parameters<typeof serve>[0], body: (env: Awaited<ReturnType<typeof serve>>) => Promise<void>): Promise<void> {
  const env = await serve(options);
  fakeRealTime();
  try {
    await body(env);
  } finally {
    jest.useRealTimers();
    await env.stop();
  }
}

async function ended(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  await settled(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
}

describe.each([1, 60])('serve --time-scale %d: a deadline inside a stretch of time fires at its own instant', (timeScale) => {
  afterEach(() => jest.useRealTimers());

  it('times a callback with HeartbeatSeconds 60 out at +60 s when 61 s pass at once', async () => {
    await onServe({ timeScale }, async (env) => {
      const executionArn = await started(env.sfn, callback({ HeartbeatSeconds: 60 }));
      await waitingToken(env.sfn, executionArn);
      await jest.advanceTimersByTimeAsync(61_000 / timeScale);
      const events = await ended(env.sfn, executionArn);
      expect(timedOutAndFailed(events)).toEqual({ timedOut: [60], failed: [60] });
    });
  });

  it('ends the execution at its Task TimeoutSeconds of 100 s, before its HeartbeatSeconds of 120 s, when an hour passes at once', async () => {
    await onServe({ timeScale }, async (env) => {
      const executionArn = await started(env.sfn, callback({ TimeoutSeconds: 100, HeartbeatSeconds: 120 }));
      await waitingToken(env.sfn, executionArn);
      await jest.advanceTimersByTimeAsync(3_600_000 / timeScale);
      const events = await ended(env.sfn, executionArn);
      expect(timedOutAndFailed(events)).toEqual({ timedOut: [100], failed: [100] });
    });
  });
});

describe('serve: a heartbeat moves the deadline, and a later stretch of time passes it where it is', () => {
  afterEach(() => jest.useRealTimers());

  // At --time-scale 1: the execution's idle time runs at the wall clock's pace at any scale, so "a heartbeat at 50 s" is 50 real seconds.
  it('ends the execution at its Task TimeoutSeconds of 100 s after a heartbeat at 50 s, when an hour passes at once', async () => {
    await onServe({}, async (env) => {
      const executionArn = await started(env.sfn, callback({ TimeoutSeconds: 100, HeartbeatSeconds: 60 }));
      const taskToken = await waitingToken(env.sfn, executionArn);
      await jest.advanceTimersByTimeAsync(50_000);
      await env.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
      await jest.advanceTimersByTimeAsync(3_600_000);
      const events = await ended(env.sfn, executionArn);
      expect(timedOutAndFailed(events)).toEqual({ timedOut: [100], failed: [100] });
    });
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
    const executionArn = await started(first.sfn, callback({ HeartbeatSeconds: 60 }));
    await waitingToken(first.sfn, executionArn);
    await first.stop();
    // Ten minutes without a server.
    jest.setSystemTime(Date.now() + 600_000);
    const second = await serve({ dataDir: dir });
    try {
      const events = await ended(second.sfn, executionArn);
      expect(timedOutAndFailed(events)).toEqual({ timedOut: [60], failed: [60] });
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
    fakeRealTime();
    const first = await serve({ dataDir: dir });
    const executionArn = await started(first.sfn, both(
      branch('Slow', 120, { 'Slow gave up': { Type: 'Pass', End: true } }),
      branch('Quick', 60, { 'Quick gave up': { Type: 'Pass', End: true } }),
    ));
    await scheduled(first.sfn, executionArn, 2);
    await first.stop();
    jest.setSystemTime(Date.now() + 600_000);
    const second = await serve({ dataDir: dir });
    try {
      const events = await ended(second.sfn, executionArn);
      expect(passesEntered(events)).toEqual([['Quick gave up', 60], ['Slow gave up', 120]]);
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
    await onServe({}, async (env) => {
      const executionArn = await started(env.sfn, callback({ HeartbeatSeconds: 60 }));
      await waitingToken(env.sfn, executionArn);
      sleepAnHour();
      await jest.advanceTimersByTimeAsync(60_000);
      const events = await ended(env.sfn, executionArn);
      expect(timedOutAndFailed(events)).toEqual({ timedOut: [60], failed: [60] });
    });
  });

  it('ends each passed deadline at its own instant, earliest first, and what follows from it after it', async () => {
    await onServe({}, async (env) => {
      const backsOff = (name: string, wait: number) => ({
        [`${name} backs off`]: { Type: 'Wait', Seconds: wait, Next: `${name} gave up` },
        [`${name} gave up`]: { Type: 'Pass', End: true },
      });
      const executionArn = await started(env.sfn, both(branch('Slow', 120, backsOff('Slow', 5)), branch('Quick', 60, backsOff('Quick', 100))));
      await scheduled(env.sfn, executionArn, 2);
      sleepAnHour();
      await jest.advanceTimersByTimeAsync(60_000);
      const events = await ended(env.sfn, executionArn);
      expect(passesEntered(events)).toEqual([['Slow gave up', 125], ['Quick gave up', 160]]);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([60, 120]);
      expect(secondsAt(events, 'ExecutionSucceeded')).toEqual([160]);
    });
  });

  it('makes a Task call that follows a passed deadline at it, journaled, and ends a later passed deadline at its own instant', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-deadlines-'));
    const note = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'note' }, End: true };
    const env = await serve({ dataDir: dir, handlers: { 'Quick gave up': () => ({ Payload: 'noted' }) } });
    fakeRealTime();
    try {
      const executionArn = await started(env.sfn, both(branch('Slow', 120, { 'Slow gave up': { Type: 'Pass', End: true } }), branch('Quick', 60, { 'Quick gave up': note })));
      await scheduled(env.sfn, executionArn, 2);
      sleepAnHour();
      await jest.advanceTimersByTimeAsync(60_000);
      const events = await ended(env.sfn, executionArn);
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
    await onServe({}, async (env) => {
      const executionArn = await started(env.sfn, asl({
        StartAt: 'Approve',
        States: {
          Approve: { ...WAIT_FOR_TOKEN, HeartbeatSeconds: 60, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Again' }], End: true },
          Again: { ...WAIT_FOR_TOKEN, HeartbeatSeconds: 7200, End: true },
        },
      }));
      await waitingToken(env.sfn, executionArn);
      sleepAnHour();
      await jest.advanceTimersByTimeAsync(60_000);
      const taskToken = tokenOf(await scheduled(env.sfn, executionArn, 2), 1);
      await env.sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
      const events = await ended(env.sfn, executionArn);
      expect(secondsAt(events, 'TaskScheduled')).toEqual([0, 60]);
      expect(secondsAt(events, 'TaskTimedOut')).toEqual([60]);
      expect(secondsAt(events, 'TaskSucceeded')).toEqual([3660]);
      expect(secondsAt(events, 'ExecutionSucceeded')).toEqual([3660]);
    });
  });
});
