import * as fs from 'node:fs';
import { setImmediate } from 'node:timers';
import { recordingFromCase } from './conformance-recordings';
import type { JsonValue } from '../../../src/asl';
import { compileStateMachine, VirtualClock } from '../../../src/interpreter';
import { replay, RecordingError, type RecordedEvent, type Recording } from '../../../src/testing';
import { HarnessClock } from '../../../src/workbench/mocks';
import { TruncationWatch } from '../../../src/workbench/replay/truncated';
import type { RecordedCase } from '../../conformance/recorded-run';
import { describeWithShared, sharedPath } from '../../shared-data';

// A FAILED recording whose ActivityScheduled has no ActivityFailed (the event deleted, a history
// cut short) replayed an activity that waited for a worker for ever: replay() never settled, the
// CPU idle. A recorded call that never ends while the execution did is now found once the local
// run waits on nothing else, and refused as a truncated recording. These tests wait on the replay
// promise only; jest's timeout is the backstop for the hang they guard against.

function activityFailureCase(): Recording {
  const file = sharedPath('conformance', 'cases', 'activities', 'TestActivities_test_activity_task_failure_get_execution_history--8f1be6ce.json');
  return recordingFromCase(JSON.parse(fs.readFileSync(file, 'utf8')) as RecordedCase);
}

describeWithShared('conformance/cases', 'a recorded activity failure cut short', () => {
  it('refuses an ended recording whose activity call has no ending event, naming the state and the event missing', async () => {
    const rec = activityFailureCase();
    expect(rec.execution.status).toBe('FAILED');
    const events = rec.events.filter((e) => e.type !== 'ActivityFailed');
    expect(events.length).toBe(rec.events.length - 1);
    const refused: unknown = await replay({ ...rec, events }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RecordingError);
    const scheduled = rec.events.find((e) => e.type === 'ActivityScheduled')!;
    const state = rec.events.filter((e) => e.type === 'TaskStateEntered').map((e) => (e.stateEnteredEventDetails as { name: string }).name)[0];
    expect((refused as Error).message).toBe(`ActivityScheduled (event ${scheduled.id}) for Task state '${state}' has no ActivityFailed/ActivitySucceeded/ActivityTimedOut `
      + 'in the recording, yet the execution ended and the local run waits on nothing else: the recording looks truncated; '
      + 'record the execution\'s whole history again');
  });

  it('still replays the whole recording as recorded', async () => {
    const result = await replay(activityFailureCase());
    expect(result.run.status).toBe('FAILED');
  });
});

describe('a recorded call that never ends, ended locally by the run', () => {
  it('replays a call the recording never ends that a failing Parallel branch cancels, as recorded', async () => {
    const T0 = '2024-01-01T00:00:00.000Z';
    const activity = 'arn:aws:states:us-east-1:123456789012:activity:worker';
    const definition = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activity, End: true } } },
            {
              StartAt: 'Pause',
              States: { Pause: { Type: 'Wait', Seconds: 5, Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Boom', Cause: 'sibling' } },
            },
          ],
        },
      },
    };
    let id = 0;
    const at = (type: string, details: object = {}): RecordedEvent => {
      id++;
      return { type, id, previousEventId: id - 1, timestamp: T0, ...details };
    };
    const events = [
      at('ExecutionStarted', { executionStartedEventDetails: { input: '{}' } }),
      at('ParallelStateEntered', { stateEnteredEventDetails: { name: 'P', input: '{}' } }),
      at('ParallelStateStarted'),
      at('TaskStateEntered', { stateEnteredEventDetails: { name: 'Work', input: '{}' } }),
      at('ActivityScheduled', { activityScheduledEventDetails: { resource: activity, input: '{}' } }),
      at('WaitStateEntered', { stateEnteredEventDetails: { name: 'Pause', input: '{}' } }),
      at('WaitStateExited', { stateExitedEventDetails: { name: 'Pause', output: '{}' } }),
      at('FailStateEntered', { stateEnteredEventDetails: { name: 'Boom', input: '{}' } }),
      at('ExecutionFailed', { executionFailedEventDetails: { error: 'Boom', cause: 'sibling' } }),
    ];
    const rec: Recording = {
      format: 'stepwright-recording',
      version: 1,
      stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: JSON.stringify(definition) },
      execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'FAILED', input: {}, error: 'Boom', cause: 'sibling' },
      events,
    };
    const result = await replay(rec);
    expect([result.run.status, result.run.error, result.run.cause]).toEqual(['FAILED', 'Boom', 'sibling']);
  });
});

describe('watching a recorded call that never ends, while real work holds the clock', () => {
  it('looks at the run only when the clock is idle, never while real work in flight holds it, and then refuses the cut', async () => {
    const activity = 'arn:aws:states:us-east-1:123456789012:activity:worker';
    const clock = new HarnessClock(new VirtualClock({ holdTimeoutMs: Infinity }));
    let looks = 0;
    let history: () => number = () => 0;
    const watch = new TruncationWatch(clock, () => {
      looks++;
      return history();
    });
    let finishWork: (value: JsonValue) => void = () => undefined;
    const machine = compileStateMachine({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Pending', States: { Pending: { Type: 'Task', Resource: activity, End: true } } },
            { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true } } },
          ],
        },
      },
    }, {
      defaultTaskHandler: (_input, request) => {
        if (request.stateName === 'Work') return new Promise<JsonValue>((resolve) => { finishWork = resolve; });
        // As replay answers a call the recording never ends: no hold on the clock, an end only by cancellation.
        watch.watch(request, { state: 'Pending', outcome: 'pending', eventId: 5 });
        clock.skipNextHold();
        return new Promise<JsonValue>((_resolve, reject) => {
          request.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
        });
      },
    });
    const execution = machine.start({}, { clock });
    history = () => execution.history.length;
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => { setImmediate(resolve); });
    const heldLooks = looks;
    finishWork({});
    // Work's promise held the clock: the watch did not look once in 50 turns of the event loop.
    expect(heldLooks).toBe(0);
    const result = await execution.result;
    expect(looks).toBe(2);
    expect([result.status, result.error]).toEqual(['ABORTED', 'States.Runtime']);
    expect(result.cause).toMatch(/^ActivityScheduled \(event 5\) for Task state 'Pending' has no ActivityFailed\/ActivitySucceeded\/ActivityTimedOut/);
    expect(watch.end()).toBeInstanceOf(RecordingError);
  });
});
