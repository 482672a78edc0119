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

  it('has no previous id for an event it never recorded', () => {
    const recorder = new HistoryRecorder({ now: () => 0 });
    recorder.add('ExecutionStarted', 0);
    expect(recorder.previousOf(1)).toBe(0);
    expect(recorder.previousOf(2)).toBeUndefined();
    expect(recorder.previousOf(0)).toBeUndefined();
  });
});
