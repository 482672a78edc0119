import { failureOf, run, single } from './helpers';

describe('Fail state', () => {
  it('fails the execution with its Error and Cause', async () => {
    expect(await failureOf(single({ Type: 'Fail', Error: 'My.Error', Cause: 'because' }))).toEqual({ error: 'My.Error', cause: 'because' });
  });

  it('fails with neither error nor cause when both are omitted', async () => {
    const r = await run(single({ Type: 'Fail' }));
    expect(r.status).toBe('FAILED');
    expect(r.error).toBeUndefined();
    expect(r.cause).toBeUndefined();
  });

  it('reads ErrorPath and CausePath from the input', async () => {
    expect(await failureOf(single({ Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' }), { e: 'E', c: 'C' })).toEqual({ error: 'E', cause: 'C' });
  });

  it('evaluates an intrinsic function in CausePath', async () => {
    expect(await failureOf(single({ Type: 'Fail', Error: 'E', CausePath: "States.Format('id {}', $.id)" }), { id: 7 }))
      .toEqual({ error: 'E', cause: 'id 7' });
  });

  it('fails with States.Runtime when ErrorPath does not name a string', async () => {
    const f = await failureOf(single({ Type: 'Fail', ErrorPath: '$.e' }), { e: 1 });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain('ErrorPath');
  });

  it('records no FailStateExited event', async () => {
    const r = await run(single({ Type: 'Fail', Error: 'E' }));
    expect(r.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });
});
