import { at, clock, LAMBDA, outputOf, run, single } from './helpers';

describe('Execution history', () => {
  // As GetExecutionHistory shows it, the first state is not chained to ExecutionStarted (previousEventId 0).
  it('gives each event type, id, previousEventId, timestamp and AWS-shaped details', async () => {
    const r = await run(single({ Type: 'Pass', Result: { b: 2 } }), { a: 1 }, { clock: clock() });
    expect(r.history).toEqual([
      { timestamp: new Date(at(0)), type: 'ExecutionStarted', id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{"a":1}', inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::123456789012:role/StepFunctionsRole' } },
      { timestamp: new Date(at(0)), type: 'PassStateEntered', id: 2, previousEventId: 0, stateEnteredEventDetails: { name: 'S', input: '{"a":1}', inputDetails: { truncated: false } } },
      { timestamp: new Date(at(0)), type: 'PassStateExited', id: 3, previousEventId: 2, stateExitedEventDetails: { name: 'S', output: '{"b":2}', outputDetails: { truncated: false } } },
      { timestamp: new Date(at(0)), type: 'ExecutionSucceeded', id: 4, previousEventId: 3, executionSucceededEventDetails: { output: '{"b":2}', outputDetails: { truncated: false } } },
    ]);
  });

  it('records ExecutionFailed with error and cause', async () => {
    const r = await run(single({ Type: 'Fail', Error: 'E', Cause: 'C' }));
    expect(r.history[r.history.length - 1]).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'E', cause: 'C' } });
  });

  it('links events in parallel branches to the events of their own branch', async () => {
    const r = await run(single({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
      ],
    }));
    const nameOf = (e: (typeof r.history)[number]) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name;
    const byName = (type: string, name: string) => r.history.find((e) => e.type === type && nameOf(e) === name)!;
    const started = r.history.find((e) => e.type === 'ParallelStateStarted')!;
    expect(byName('PassStateEntered', 'A').previousEventId).toBe(started.id);
    expect(byName('PassStateEntered', 'B').previousEventId).toBe(started.id);
  });

  it('gives the path of states entered in result.path', async () => {
    const r = await run({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'B' }], Default: 'D' },
        B: { Type: 'Succeed' },
        D: { Type: 'Succeed' },
      },
    }, { go: true });
    expect(r.path).toEqual(['A', 'C', 'B']);
  });

  it('keeps no events when recordHistory is false', async () => {
    const r = await run(single({ Type: 'Pass' }), {}, { recordHistory: false });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.history).toEqual([]);
  });

  it('still enforces the history-event limit when recordHistory is false', async () => {
    const r = await run(single({ Type: 'Pass' }), {}, { recordHistory: false, limits: { maxHistoryEvents: 2 } });
    expect(r.error).toBe('States.Runtime');
  });

  it('counts a Task\'s events towards the history limit whether or not it records them', async () => {
    const tasks = {
      StartAt: 'L',
      States: {
        L: { Type: 'Task', Resource: LAMBDA, Next: 'S' },
        S: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true },
      },
    };
    const handlers = { taskHandlers: { L: () => ({}), S: () => ({}) } };
    const recorded = await run(tasks, {}, handlers);
    const events = recorded.history.length;
    // The closing event takes the last place, as on AWS: the run needs exactly its events to succeed.
    for (const recordHistory of [true, false]) {
      expect((await run(tasks, {}, { ...handlers, recordHistory, limits: { maxHistoryEvents: events } })).status).toBe('SUCCEEDED');
      expect((await run(tasks, {}, { ...handlers, recordHistory, limits: { maxHistoryEvents: events - 1 } })).error).toBe('States.Runtime');
    }
  });

  it('sets startDate and stopDate from the clock', async () => {
    const r = await run(single({ Type: 'Wait', Seconds: 5 }), {}, { clock: clock() });
    expect(r.startDate.toISOString()).toBe(at(0));
    expect(r.stopDate.toISOString()).toBe(at(5));
  });

  it('stamps each event with the virtual time at which it happened', async () => {
    const r = await run({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, Next: 'P' }, P: { Type: 'Pass', End: true } } }, {}, { clock: clock() });
    expect(r.history.map((e) => [e.type, e.timestamp.toISOString()])).toEqual([
      ['ExecutionStarted', at(0)], ['WaitStateEntered', at(0)], ['WaitStateExited', at(60)], ['PassStateEntered', at(60)], ['PassStateExited', at(60)], ['ExecutionSucceeded', at(60)],
    ]);
  });

  it('returns output even when nothing was recorded', async () => {
    expect(await outputOf(single({ Type: 'Pass', Result: 1 }), {}, { recordHistory: false })).toBe(1);
  });
});
