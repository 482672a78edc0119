import * as fs from 'node:fs';
import { readModelsExtract } from '../../scripts/extract-botocore-models';
import { historyEventTypesSource, HISTORY_EVENT_TYPES_FILE } from '../../scripts/generate-history-events';
import {
  ATTEMPT_STARTS, detailsKeyOf, detailsOf, errorOf, factsOf, isDetailsKey, isEntered, isExited, payloadChars, stateNameOf,
  TASK_FAILURE, TASK_SCHEDULED,
} from '../../src/asl/history-events';

describe('history events', () => {
  it('names the details field of an event by its type, state events sharing two fields', () => {
    expect(detailsKeyOf('TaskScheduled')).toBe('taskScheduledEventDetails');
    expect(detailsKeyOf('MapIterationStarted')).toBe('mapIterationStartedEventDetails');
    expect(detailsKeyOf('ChoiceStateEntered')).toBe('stateEnteredEventDetails');
    expect(detailsKeyOf('MapStateExited')).toBe('stateExitedEventDetails');
  });

  it('names no details field for a type without details or one the model does not know', () => {
    expect(detailsKeyOf('TaskStateAborted')).toBeUndefined();
    expect(detailsKeyOf('LambdaFunctionStarted')).toBeUndefined();
    expect(detailsKeyOf('MadeUpEvent')).toBeUndefined();
    expect(detailsKeyOf('constructor')).toBeUndefined();
    expect(detailsOf({ type: 'MadeUpEvent', madeUpEventEventDetails: { name: 'x' } } as never)).toBeUndefined();
  });

  it('knows the details fields by the names AWS\'s model gives them', () => {
    expect(isDetailsKey('taskScheduledEventDetails')).toBe(true);
    expect(isDetailsKey('evaluationFailedEventDetails')).toBe(true);
    expect(isDetailsKey('somethingEventDetails')).toBe(false);
    expect(isDetailsKey('type')).toBe(false);
  });

  it('reads the facts of an event\'s details, each only when it has the type the model gives it', () => {
    const scheduled = { type: 'TaskScheduled', taskScheduledEventDetails: { resource: 'invoke', resourceType: 'lambda', region: 'us-east-1', parameters: '{"a":1}' } };
    expect(factsOf(scheduled)).toMatchObject({ resource: 'invoke', resourceType: 'lambda', parameters: '{"a":1}' });
    expect(factsOf({ type: 'MapIterationFailed', mapIterationFailedEventDetails: { name: 'Items', index: 3 } } as never)).toMatchObject({ name: 'Items', index: 3 });
    expect(factsOf({ type: 'TaskFailed', taskFailedEventDetails: { error: 7, cause: ['x'] } } as never)).toMatchObject({ error: undefined, cause: undefined });
    expect(factsOf({ type: 'TaskStateAborted' } as never)).toEqual({});
  });

  it('counts the characters of the payloads an event carries', () => {
    expect(payloadChars({ type: 'TaskScheduled', taskScheduledEventDetails: { parameters: '{"a":1}' } } as never)).toBe(7);
    expect(payloadChars({ type: 'PassStateExited', stateExitedEventDetails: { name: 'P', output: '[1,2]' } } as never)).toBe(5);
    expect(payloadChars({ type: 'PassStateExited', stateExitedEventDetails: { name: 'P', output: { parsed: true } } } as never)).toBe(0);
  });

  it('types every event as the committed model extract gives them (npx projen history-events writes them again)', () => {
    const models = readModelsExtract();
    expect(fs.readFileSync(HISTORY_EVENT_TYPES_FILE, 'utf-8')).toBe(historyEventTypesSource(models.services.sfn, models.source.version));
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
    expect(detailsOf(JSON.parse('{"type":"TaskFailed","taskFailedEventDetails":{"error":"E"}}'))).toEqual({ error: 'E' });
    expect(detailsOf(JSON.parse('{"type":"Constructor","constructorEventDetails":{"a":1}}'))).toBeUndefined();
  });

  it('tells the events that start an attempt and that fail a Task', () => {
    expect([...TASK_SCHEDULED].every((t) => ATTEMPT_STARTS.has(t))).toBe(true);
    expect(ATTEMPT_STARTS.has('MapStateStarted') && ATTEMPT_STARTS.has('ParallelStateStarted')).toBe(true);
    expect(['TaskFailed', 'LambdaFunctionTimedOut', 'ActivityScheduleFailed', 'TaskSubmitFailed'].every((t) => TASK_FAILURE.test(t))).toBe(true);
    expect(TASK_FAILURE.test('TaskStateAborted')).toBe(false);
  });
});
