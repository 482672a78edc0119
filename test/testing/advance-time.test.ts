import fc from 'fast-check';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { stateNameOf } from '../../src/asl/history-events';
import type { HistoryEvent } from '../../src/interpreter';
import { Workflow } from '../../src/testing/workflow';

/*
 * A time jump (advanceTime) moves time to each timer due on the way, fires it at its own deadline
 * and lets what it causes run before going on, as time passes on AWS: every event is stamped at
 * the moment AWS would stamp it, whatever the size of the jump.
 */

const CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/approvals';

/** A callback Task that waits for the test, with the timeouts and what follows it given. */
function callback(fields: Record<string, unknown>): Record<string, unknown> {
  return { Type: 'Task', Resource: CALLBACK, Parameters: { QueueUrl: QUEUE, MessageBody: { 'token.$': '$$.Task.Token' } }, ...fields };
}

const machine = (definition: unknown): Workflow => Workflow.fromDefinition(definition as StateMachineDefinition);

/** Seconds from the execution's start to each event of `type` (in order). */
function secondsAt(history: readonly HistoryEvent[], type: string): number[] {
  const start = new Date(history[0].timestamp).getTime();
  return history.filter((e) => e.type === type).map((e) => (new Date(e.timestamp).getTime() - start) / 1000);
}

/** Seconds from the execution's start to the event of `type` that names state `name`. */
function enteredAt(history: readonly HistoryEvent[], type: string, name: string): number {
  const start = new Date(history[0].timestamp).getTime();
  const event = history.find((e) => e.type === type && stateNameOf(e) === name);
  if (!event) throw new Error(`no ${type} of state '${name}' in the history`);
  return (new Date(event.timestamp).getTime() - start) / 1000;
}

describe('advanceTime refuses what is not a time jump', () => {
  it.each([NaN, -1, -Infinity, '61' as unknown as number])('throws a TypeError for %p, moving nothing', async (seconds) => {
    const exec = machine({ StartAt: 'Approve', States: { Approve: callback({ HeartbeatSeconds: 60, End: true }) } }).start({});
    await exec.waitForTaskToken('Approve');
    expect(() => exec.advanceTime(seconds)).toThrow(new TypeError(`advanceTime(seconds): seconds must be a number >= 0, got ${String(seconds)}; time only moves forward`));
    await exec.advanceTime(61);
    const run = await exec.result;
    expect(secondsAt(run.history, 'TaskTimedOut')).toEqual([60]);
  });
});

describe('advanceTime fires each deadline at its own instant', () => {
  it('times a callback with HeartbeatSeconds 60 out at +60 s when the test jumps 61 s, as AWS does', async () => {
    const exec = machine({ StartAt: 'Approve', States: { Approve: callback({ HeartbeatSeconds: 60, End: true }) } }).start({});
    await exec.waitForTaskToken('Approve');
    await exec.advanceTime(61);
    const run = await exec.result;
    expect([run.status, run.error]).toEqual(['FAILED', 'States.Timeout']);
    expect(secondsAt(run.history, 'TaskTimedOut')).toEqual([60]);
    expect(secondsAt(run.history, 'ExecutionFailed')).toEqual([60]);
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(60_000);
  });

  it('ends an execution at its Task TimeoutSeconds of 100 s after a heartbeat at 50 s, however far the test jumps', async () => {
    const exec = machine({ StartAt: 'Approve', States: { Approve: callback({ TimeoutSeconds: 100, HeartbeatSeconds: 60, End: true }) } }).start({});
    const token = await exec.waitForTaskToken('Approve');
    await exec.advanceTime(50);
    exec.sendTaskHeartbeat(token);
    await exec.advanceTime(3600);
    const run = await exec.result;
    expect([run.status, run.error]).toEqual(['FAILED', 'States.Timeout']);
    expect(secondsAt(run.history, 'TaskTimedOut')).toEqual([100]);
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(100_000);
  });

  describe('a jump asked for at once after start() begins where the execution does', () => {
    const CLOCK_START = Date.UTC(2024, 0, 1);
    const at = (d: Date | string): number => (new Date(d).getTime() - CLOCK_START) / 1000;

    it('times a callback with HeartbeatSeconds 60 out at +60 s, so an answer after the jump comes too late, as on AWS', async () => {
      const exec = machine({ StartAt: 'Approve', States: { Approve: callback({ HeartbeatSeconds: 60, End: true }) } }).start({});
      await exec.advanceTime(61);
      expect(exec.status).toBe('FAILED');
      const run = await exec.result;
      expect([run.status, run.error]).toEqual(['FAILED', 'States.Timeout']);
      expect(at(run.startDate)).toBe(0);
      expect(run.history.filter((e) => e.type === 'TaskTimedOut').map((e) => at(e.timestamp))).toEqual([60]);
      expect(at(run.stopDate)).toBe(60);
    });

    it('runs a Wait of 30 s from the start: 10 s in, the execution still waits, and it ends at +30 s', async () => {
      const exec = machine({ StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 30, End: true } } }).start({});
      await exec.advanceTime(10);
      expect(exec.status).toBe('RUNNING');
      const run = await exec.result;
      expect(at(run.startDate)).toBe(0);
      expect(at(run.stopDate)).toBe(30);
    });

    it('starts a .sync:2 child with its parent: a child that waits 100 s ends at +100 s, however the test jumps', async () => {
      const child = Workflow.fromDefinition({ StartAt: 'Long', States: { Long: { Type: 'Wait', Seconds: 100, End: true } } } as StateMachineDefinition, { name: 'Child' });
      const parent = machine({
        StartAt: 'StartChild',
        States: { StartChild: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child.arn, Input: {} }, End: true } },
      });
      const exec = parent.start({}, { workflows: [child] });
      await exec.advanceTime(5);
      await exec.advanceTime(200);
      const run = await exec.result;
      expect(run.status).toBe('SUCCEEDED');
      expect(run.children.map((c) => [at(c.startDate), at(c.stopDate)])).toEqual([[0, 100]]);
      expect([at(run.startDate), at(run.stopDate)]).toEqual([0, 100]);
    });
  });

  it('keeps the heartbeat the test sent between two jumps it did not await', async () => {
    const exec = machine({ StartAt: 'Approve', States: { Approve: callback({ HeartbeatSeconds: 60, End: true }) } }).start({});
    const token = await exec.waitForTaskToken('Approve');
    void exec.advanceTime(50);
    exec.sendTaskHeartbeat(token);
    void exec.advanceTime(3600);
    const run = await exec.result;
    expect(secondsAt(run.history, 'TaskTimedOut')).toEqual([110]);
  });

  it('runs what a deadline causes before going on: a Catch, a Wait and a second callback each at their own time', async () => {
    const exec = machine({
      StartAt: 'First',
      States: {
        First: callback({ HeartbeatSeconds: 60, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Pause' }], End: true }),
        Pause: { Type: 'Wait', Seconds: 10, Next: 'Second' },
        Second: callback({ HeartbeatSeconds: 5, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Done' }], End: true }),
        Done: { Type: 'Pass', Parameters: { 'entered.$': '$$.State.EnteredTime' }, End: true },
      },
    }).start({});
    await exec.waitForTaskToken('First');
    await exec.advanceTime(3600);
    const run = await exec.result;
    expect(run.status).toBe('SUCCEEDED');
    expect(secondsAt(run.history, 'TaskTimedOut')).toEqual([60, 75]);
    expect(enteredAt(run.history, 'WaitStateEntered', 'Pause')).toBe(60);
    expect(enteredAt(run.history, 'WaitStateExited', 'Pause')).toBe(70);
    expect(enteredAt(run.history, 'TaskStateEntered', 'Second')).toBe(70);
    expect(run.output).toEqual({ entered: '2024-01-01T00:01:15.000Z' });
  });

  it('retries after its back-off within the jump, and times the second attempt out from its own start', async () => {
    const exec = machine({
      StartAt: 'Approve',
      States: { Approve: callback({ HeartbeatSeconds: 10, Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 5, MaxAttempts: 1 }], End: true }) },
    }).start({});
    await exec.waitForTaskToken('Approve');
    await exec.advanceTime(1000);
    const run = await exec.result;
    expect(run.error).toBe('States.Timeout');
    expect(secondsAt(run.history, 'TaskScheduled')).toEqual([0, 15]);
    expect(secondsAt(run.history, 'TaskTimedOut')).toEqual([10, 25]);
  });

  it("times the execution out at the machine's TimeoutSeconds inside a longer jump", async () => {
    const exec = machine({ StartAt: 'Approve', TimeoutSeconds: 100, States: { Approve: callback({ End: true }) } }).start({});
    await exec.waitForTaskToken('Approve');
    await exec.advanceTime(3600);
    const run = await exec.result;
    expect(run.status).toBe('TIMED_OUT');
    expect(secondsAt(run.history, 'ExecutionTimedOut')).toEqual([100]);
  });

  it("times each Map iteration's callback out at its own HeartbeatSeconds", async () => {
    const exec = machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Ask',
            States: {
              'Ask': callback({ HeartbeatSecondsPath: '$.beat', Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Gave up' }], End: true }),
              'Gave up': { Type: 'Pass', Parameters: { 'at.$': '$$.State.EnteredTime' }, End: true },
            },
          },
          End: true,
        },
      },
    }).start([{ beat: 30 }, { beat: 10 }, { beat: 20 }]);
    for (let i = 0; i < 3; i++) await exec.waitForTaskToken('Ask');
    await exec.advanceTime(3600);
    const run = await exec.result;
    expect(secondsAt(run.history, 'TaskTimedOut')).toEqual([10, 20, 30]);
    expect(run.output).toEqual(['2024-01-01T00:00:30.000Z', '2024-01-01T00:00:10.000Z', '2024-01-01T00:00:20.000Z'].map((at) => ({ at })));
  });

  it('resolves the jump once time has reached its end, with nothing due on the way', async () => {
    const exec = machine({
      StartAt: 'Approve',
      States: { Approve: callback({ HeartbeatSeconds: 600, Next: 'Done' }), Done: { Type: 'Pass', Parameters: { 'at.$': '$$.State.EnteredTime' }, End: true } },
    }).start({});
    const token = await exec.waitForTaskToken('Approve');
    await exec.advanceTime(42);
    exec.sendTaskSuccess(token, {});
    expect((await exec.result).output).toEqual({ at: '2024-01-01T00:00:42.000Z' });
  });
});

describe('a time jump, property-tested', () => {
  it('stamps every timeout and every Wait of parallel branches at its own deadline, for random deadlines and random jumps', async () => {
    const branch = fc.record({ beat: fc.integer({ min: 1, max: 500 }), wait: fc.integer({ min: 0, max: 500 }) });
    await fc.assert(fc.asyncProperty(
      fc.array(branch, { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 5 }),
      async (branches, jumps) => {
        const definition = {
          StartAt: 'All',
          States: {
            All: {
              Type: 'Parallel',
              End: true,
              Branches: branches.map((b, i) => ({
                StartAt: `Ask${i}`,
                States: {
                  [`Ask${i}`]: callback({ HeartbeatSeconds: b.beat, Catch: [{ ErrorEquals: ['States.Timeout'], Next: `Rest${i}` }], End: true }),
                  [`Rest${i}`]: { Type: 'Wait', Seconds: b.wait, End: true },
                },
              })),
            },
          },
        };
        const exec = machine(definition).start({});
        for (let i = 0; i < branches.length; i++) await exec.waitForTaskToken(`Ask${i}`);
        for (const jump of jumps) await exec.advanceTime(jump);
        // Whatever the jumps left due comes after them, at its own time too.
        await exec.advanceTime(1_001);
        const run = await exec.result;
        expect(run.status).toBe('SUCCEEDED');
        branches.forEach((b, i) => {
          expect(enteredAt(run.history, 'WaitStateEntered', `Rest${i}`)).toBe(b.beat);
          expect(enteredAt(run.history, 'WaitStateExited', `Rest${i}`)).toBe(b.beat + b.wait);
        });
        expect(secondsAt(run.history, 'TaskTimedOut')).toEqual(branches.map((b) => b.beat).sort((a, b) => a - b));
      },
    ), { numRuns: 60 });
  });
});
