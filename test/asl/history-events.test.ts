import {
  ATTEMPT_STARTS, detailsKeyOf, detailsOf, errorOf, isEntered, isExited, stateNameOf, TASK_FAILURE, TASK_SCHEDULED,
} from '../../src/asl/history-events';

describe('history events', () => {
  it('names the details field of an event by its type, state events sharing two fields', () => {
    expect(detailsKeyOf('TaskScheduled')).toBe('taskScheduledEventDetails');
    expect(detailsKeyOf('MapIterationStarted')).toBe('mapIterationStartedEventDetails');
    expect(detailsKeyOf('ChoiceStateEntered')).toBe('stateEnteredEventDetails');
    expect(detailsKeyOf('MapStateExited')).toBe('stateExitedEventDetails');
  });

  it('reads the state an entered or exited event names, and no name from other events', () => {
    expect(stateNameOf({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Charge' } } as never)).toBe('Charge');
    expect(stateNameOf({ type: 'PassStateExited', stateExitedEventDetails: { name: 'Done' } } as never)).toBe('Done');
    expect(stateNameOf({ type: 'MapIterationStarted', mapIterationStartedEventDetails: { name: 'Items' } } as never)).toBeUndefined();
    expect(stateNameOf({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 7 } } as never)).toBeUndefined();
    expect(isEntered({ type: 'WaitStateEntered' })).toBe(true);
    expect(isExited({ type: 'WaitStateEntered' })).toBe(false);
  });

  it("reads the error an event records from the field its type names, never another event's field", () => {
    expect(errorOf({ type: 'TaskFailed', taskFailedEventDetails: { error: 'Payment.Declined' } } as never)).toBe('Payment.Declined');
    expect(errorOf({ type: 'TaskFailed', lambdaFunctionFailedEventDetails: { error: 'X' } } as never)).toBeUndefined();
    expect(errorOf({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 42 } } as never)).toBeUndefined();
  });

  it('reads details as data: an inherited field, an array or null is no details', () => {
    const inherited = Object.create({ taskFailedEventDetails: { error: 'inherited' } }) as { type: string };
    (inherited as { type: string }).type = 'TaskFailed';
    expect(detailsOf(inherited)).toBeUndefined();
    expect(detailsOf({ type: 'TaskFailed', taskFailedEventDetails: ['x'] } as never)).toBeUndefined();
    expect(detailsOf({ type: 'TaskFailed', taskFailedEventDetails: null } as never)).toBeUndefined();
    expect(detailsOf(JSON.parse('{"type":"Constructor","constructorEventDetails":{"a":1}}'))).toEqual({ a: 1 });
  });

  it('tells the events that start an attempt and that fail a Task', () => {
    expect([...TASK_SCHEDULED].every((t) => ATTEMPT_STARTS.has(t))).toBe(true);
    expect(ATTEMPT_STARTS.has('MapStateStarted') && ATTEMPT_STARTS.has('ParallelStateStarted')).toBe(true);
    expect(['TaskFailed', 'LambdaFunctionTimedOut', 'ActivityScheduleFailed', 'TaskSubmitFailed'].every((t) => TASK_FAILURE.test(t))).toBe(true);
    expect(TASK_FAILURE.test('TaskStateAborted')).toBe(false);
  });
});
