import { at, clock, eventOf, failureOf, run, secondsOf, single } from './helpers';
import { withoutRealTime } from '../real-time';

const inState = (detail: string) => `An error occurred while executing the state 'S' (entered at the event id #2). ${detail}`;

describe('Wait state', () => {
  it('waits Seconds on the virtual clock, instantly: the run ends with no real time passing', async () => {
    const r = await withoutRealTime(() => run(single({ Type: 'Wait', Seconds: 3600 }), { a: 1 }, { clock: clock() }));
    expect(r.output).toEqual({ a: 1 });
    expect(secondsOf(eventOf(r.history, 'WaitStateExited'))).toBe(3600);
    expect(r.stopDate.toISOString()).toBe(at(3600));
  });

  it('waits until Timestamp', async () => {
    const r = await run(single({ Type: 'Wait', Timestamp: at(90) }), {}, { clock: clock() });
    expect(eventOf(r.history, 'WaitStateExited').timestamp.toISOString()).toBe(at(90));
  });

  it('does not wait for a Timestamp in the past', async () => {
    const r = await run(single({ Type: 'Wait', Timestamp: '2000-01-01T00:00:00Z' }), {}, { clock: clock() });
    expect(r.status).toBe('SUCCEEDED');
    expect(secondsOf(eventOf(r.history, 'WaitStateExited'))).toBe(0);
  });

  it('reads the number of seconds from SecondsPath', async () => {
    const r = await run(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: 5 }, { clock: clock() });
    expect(secondsOf(eventOf(r.history, 'WaitStateExited'))).toBe(5);
  });

  it('reads the instant from TimestampPath', async () => {
    const r = await run(single({ Type: 'Wait', TimestampPath: '$.t' }), { t: at(7) }, { clock: clock() });
    expect(secondsOf(eventOf(r.history, 'WaitStateExited'))).toBe(7);
  });

  it('fails with States.Runtime when SecondsPath is not an integer, showing the value found', async () => {
    expect(await failureOf(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: 1.5 }))
      .toEqual({ error: 'States.Runtime', cause: inState('The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5') });
    expect(await failureOf(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: 'soon' }))
      .toEqual({ error: 'States.Runtime', cause: inState('The SecondsPath parameter cannot be parsed as a long value: $.s == soon') });
  });

  it('fails with States.Runtime when SecondsPath is negative, showing the value found', async () => {
    expect(await failureOf(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: -1 }))
      .toEqual({ error: 'States.Runtime', cause: inState('The SecondsPath parameter references a negative value: $.s == -1') });
  });

  it('fails with States.Runtime when SecondsPath names nothing', async () => {
    expect(await failureOf(single({ Type: 'Wait', SecondsPath: '$.s' }), {}))
      .toEqual({ error: 'States.Runtime', cause: inState('The SecondsPath parameter does not reference an input value: $.s') });
  });

  it('fails with States.Runtime when the wait is longer than 99999999 seconds', async () => {
    expect(await failureOf(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: 100_000_000 }))
      .toEqual({ error: 'States.Runtime', cause: inState('Wait state delay is too long.') });
  });

  it('fails with States.Runtime when TimestampPath is not an ISO-8601 timestamp', async () => {
    expect(await failureOf(single({ Type: 'Wait', TimestampPath: '$.t' }), { t: 'tomorrow' }))
      .toEqual({ error: 'States.Runtime', cause: inState('The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == tomorrow') });
  });

  it('fails with States.Runtime when TimestampPath names nothing', async () => {
    expect(await failureOf(single({ Type: 'Wait', TimestampPath: '$.t' }), {}))
      .toEqual({ error: 'States.Runtime', cause: inState('The TimestampPath parameter does not reference an input value: $.t') });
  });

  it('refuses a timestamp with an impossible date', async () => {
    const f = await failureOf(single({ Type: 'Wait', TimestampPath: '$.t' }), { t: '2024-02-30T00:00:00Z' });
    expect(f.error).toBe('States.Runtime');
  });

  it('applies InputPath and OutputPath', async () => {
    const r = await run(single({ Type: 'Wait', Seconds: 1, InputPath: '$.a', OutputPath: '$.b' }), { a: { b: 2 } });
    expect(r.output).toBe(2);
  });
});
