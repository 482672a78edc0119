import { HistoryRecorder } from '../../src/interpreter/history-recorder';

describe('HistoryRecorder', () => {
  it('keeps every event, in order, with its previous id and time, past the room it starts with', () => {
    let now = Date.UTC(2024, 0, 1);
    const recorder = new HistoryRecorder({ now: () => now });
    const n = 1_000; // far past the initial room, so the recorder grows several times
    for (let i = 0; i < n; i++) {
      now += 1_000;
      if (i % 2 === 0) recorder.addStateEvent('PassStateEntered', i, `S${i}`, { i });
      else recorder.add('MapStateStarted', i - 1, 'mapStateStartedEventDetails', { length: i });
    }
    expect(recorder.length).toBe(n);
    const events = recorder.toEvents();
    expect(events).toHaveLength(n);
    for (const i of [0, 63, 64, 65, 127, 128, 999]) {
      expect(events[i].id).toBe(i + 1);
      expect(events[i].timestamp.getTime()).toBe(Date.UTC(2024, 0, 1) + (i + 1) * 1_000);
      expect(recorder.previousOf(i + 1)).toBe(i % 2 === 0 ? i : i - 1);
    }
    expect(events[998]).toMatchObject({ type: 'PassStateEntered', stateEnteredEventDetails: { name: 'S998', input: '{"i":998}' } });
    expect(events[999]).toMatchObject({ type: 'MapStateStarted', mapStateStartedEventDetails: { length: 999 } });
    expect(recorder.eventTypes().slice(-2)).toEqual(['PassStateEntered', 'MapStateStarted']);
  });

  it('keeps no documents when told not to: the same events, with no input, output, parameters or assigned variables', () => {
    const both = [new HistoryRecorder({ now: () => 0 }), new HistoryRecorder({ now: () => 0 }, false)];
    for (const r of both) {
      r.add('ExecutionStarted', 0, 'executionStartedEventDetails', { input: { a: 1 }, roleArn: 'arn:aws:iam::123456789012:role/R' });
      r.addStateEvent('TaskStateEntered', 1, 'T', { a: 1 });
      r.add('TaskScheduled', 2, 'taskScheduledEventDetails', { resource: 'invoke', resourceType: 'lambda', region: 'us-east-1', parameters: { p: 1 } });
      r.add('TaskFailed', 3, 'taskFailedEventDetails', { resource: 'invoke', resourceType: 'lambda', error: 'E', cause: 'c' });
      r.addStateEvent('TaskStateExited', 4, 'T', { b: 2 }, { v: 3 });
    }
    const [full, outline] = both.map((r) => r.toEvents());
    expect(full[1].stateEnteredEventDetails).toMatchObject({ name: 'T', input: '{"a":1}' });
    expect(outline.map((e) => [e.type, e.id, e.previousEventId])).toEqual(full.map((e) => [e.type, e.id, e.previousEventId]));
    expect(outline[0].executionStartedEventDetails).toEqual({ roleArn: 'arn:aws:iam::123456789012:role/R' });
    expect(outline[1].stateEnteredEventDetails).toEqual({ name: 'T' });
    expect(outline[2].taskScheduledEventDetails).toEqual({ resource: 'invoke', resourceType: 'lambda', region: 'us-east-1' });
    expect(outline[3].taskFailedEventDetails).toEqual(full[3].taskFailedEventDetails);
    expect(outline[4].stateExitedEventDetails).toEqual({ name: 'T' });
  });

  it('has no previous id for an event it never recorded', () => {
    const recorder = new HistoryRecorder({ now: () => 0 });
    recorder.add('ExecutionStarted', 0);
    expect(recorder.previousOf(1)).toBe(0);
    expect(recorder.previousOf(2)).toBeUndefined();
    expect(recorder.previousOf(0)).toBeUndefined();
  });
});
