import { clock, eventOf, failureOf, LAMBDA, outputOf, run, secondsOf, single, types } from './helpers';
import { compileStateMachine, StatesError, type TaskHandler, type TaskRequest } from '../../src/interpreter';

const SERVICE = 'arn:aws:states:::dynamodb:getItem';

describe('Task state', () => {
  it('calls the handler keyed by the state name with the effective input', async () => {
    const calls: unknown[] = [];
    const out = await outputOf(single({ Type: 'Task', Resource: SERVICE }), { a: 1 }, {
      taskHandlers: { S: (input) => { calls.push(input); return { ok: true }; } },
    });
    expect(calls).toEqual([{ a: 1 }]);
    expect(out).toEqual({ ok: true });
  });

  it('calls the handler keyed by the resource ARN when no handler has the state name', async () => {
    expect(await outputOf(single({ Type: 'Task', Resource: SERVICE }), {}, { taskHandlers: { [SERVICE]: () => 'by-arn' } })).toBe('by-arn');
  });

  it('prefers the handler keyed by state name over the one keyed by resource ARN', async () => {
    expect(await outputOf(single({ Type: 'Task', Resource: SERVICE }), {}, { taskHandlers: { [SERVICE]: () => 'arn', S: () => 'name' } })).toBe('name');
  });

  it('falls back to defaultTaskHandler', async () => {
    expect(await outputOf(single({ Type: 'Task', Resource: SERVICE }), {}, { defaultTaskHandler: () => 'default' })).toBe('default');
  });

  it('uses a defaultTaskHandler set on the options after compiling for the executions started after it', async () => {
    // The option is readonly in CompileOptions, but the object is the caller's own.
    const options: { defaultTaskHandler: TaskHandler } = { defaultTaskHandler: () => 'first' };
    const machine = compileStateMachine(single({ Type: 'Task', Resource: SERVICE }), options);
    expect((await machine.start({}).result).output).toBe('first');
    options.defaultTaskHandler = () => 'second';
    expect((await machine.start({}).result).output).toBe('second');
    expect((await machine.start({}).result).output).toBe('second');
  });

  it('fails with States.Runtime naming the state when no handler answers it', async () => {
    const f = await failureOf(single({ Type: 'Task', Resource: SERVICE }));
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toBe(`No task handler for state 'S' (resource ${SERVICE}). Add taskHandlers['S'] or taskHandlers['${SERVICE}'].`);
  });

  it('treats a handler that returns nothing as a null result', async () => {
    expect(await outputOf(single({ Type: 'Task', Resource: SERVICE }), {}, { taskHandlers: { S: () => undefined as never } })).toBeNull();
  });

  it('awaits an asynchronous handler', async () => {
    expect(await outputOf(single({ Type: 'Task', Resource: SERVICE }), {}, { taskHandlers: { S: async () => Promise.resolve(5) } })).toBe(5);
  });

  it("names the error after a thrown Error's name, with its message as cause", async () => {
    class PaymentDeclined extends Error { constructor() { super('card expired'); this.name = 'Payment.Declined'; } }
    const f = await failureOf(single({ Type: 'Task', Resource: SERVICE }), {}, { taskHandlers: { S: () => { throw new PaymentDeclined(); } } });
    expect(f).toEqual({ error: 'Payment.Declined', cause: 'card expired' });
  });

  it('takes error and cause exactly from a thrown StatesError', async () => {
    const f = await failureOf(single({ Type: 'Task', Resource: SERVICE }), {}, { taskHandlers: { S: () => { throw new StatesError('Custom', '{"x":1}'); } } });
    expect(f).toEqual({ error: 'Custom', cause: '{"x":1}' });
  });

  it('tells the handler the state, resource, retry count and Context Object', async () => {
    let seen: TaskRequest | undefined;
    await run(single({ Type: 'Task', Resource: SERVICE }), {}, { taskHandlers: { S: (_i, req) => { seen = req; return null; } } });
    expect(seen!.stateName).toBe('S');
    expect(seen!.resource).toBe(SERVICE);
    expect(seen!.retryCount).toBe(0);
    expect((seen!.context as { State: { Name: string } }).State.Name).toBe('S');
  });

  it('records Lambda function events for a Lambda function ARN', async () => {
    const r = await run(single({ Type: 'Task', Resource: LAMBDA }), { a: 1 }, { taskHandlers: { S: () => ({ r: 1 }) } });
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(eventOf(r.history, 'LambdaFunctionScheduled').lambdaFunctionScheduledEventDetails).toEqual({
      resource: LAMBDA, input: '{"a":1}', inputDetails: { truncated: false },
    });
  });

  it('records Task events naming the service and action for an integration', async () => {
    const r = await run(single({ Type: 'Task', Resource: SERVICE, Parameters: { TableName: 't' } }), {}, { taskHandlers: { S: () => ({ Item: {} }) } });
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(eventOf(r.history, 'TaskScheduled').taskScheduledEventDetails).toEqual({
      resourceType: 'dynamodb', resource: 'getItem', region: 'us-east-1', parameters: '{"TableName":"t"}',
    });
    expect(eventOf(r.history, 'TaskSucceeded').taskSucceededEventDetails).toEqual({
      resourceType: 'dynamodb', resource: 'getItem', output: '{"Item":{}}', outputDetails: { truncated: false },
    });
  });

  it('records TaskFailed with the error and cause', async () => {
    const r = await run(single({ Type: 'Task', Resource: SERVICE }), {}, { taskHandlers: { S: () => { throw new StatesError('E', 'c'); } } });
    expect(eventOf(r.history, 'TaskFailed').taskFailedEventDetails).toEqual({ resourceType: 'dynamodb', resource: 'getItem', error: 'E', cause: 'c' });
  });
});

// Timeouts are shown with callback tasks: a handler returning a pending promise
// holds the virtual clock (it may be doing real I/O), so time would not move.
const CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const accept = () => ({});

describe('Task timeouts', () => {
  it('fails with States.Timeout after TimeoutSeconds on the virtual clock', async () => {
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'token.$': '$$.Task.Token' }, TimeoutSeconds: 30 }), {}, { clock: clock(), taskHandlers: { S: accept } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(30);
    expect(eventOf(r.history, 'TaskTimedOut').taskTimedOutEventDetails).toEqual({ resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken', error: 'States.Timeout' });
  });

  it('reads the timeout from TimeoutSecondsPath', async () => {
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'token.$': '$$.Task.Token' }, TimeoutSecondsPath: '$.t' }), { t: 12 }, { clock: clock(), taskHandlers: { S: accept } });
    expect(r.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(12);
    expect(eventOf(r.history, 'TaskScheduled').taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 12 });
  });

  it('fails with States.Runtime when TimeoutSecondsPath is not a positive integer', async () => {
    const f = await failureOf(single({ Type: 'Task', Resource: SERVICE, TimeoutSecondsPath: '$.t' }), { t: 0 }, { taskHandlers: { S: () => 1 } });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toBe('An error occurred while executing the state \'S\' (entered at the event id #2). The TimeoutSecondsPath field refers to value "0" which is not a valid positive integer: $.t');
  });

  // LocalStack's test_invalid_jsonpath (validated on AWS) words a missing TimeoutSecondsPath as an invalid path.
  it.each(['TimeoutSecondsPath', 'HeartbeatSecondsPath'])('fails with States.Runtime "Invalid path" when %s finds nothing', async (field) => {
    const f = await failureOf(single({ Type: 'Task', Resource: SERVICE, [field]: '$.NoSuchPath' }), {}, { taskHandlers: { S: () => 1 } });
    expect([f.error, f.cause]).toEqual([
      'States.Runtime',
      "An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.NoSuchPath' : No results for path: $['NoSuchPath']",
    ]);
  });

  // Recorded (LocalStack's test_heartbeats): AWS fails a callback task whose heartbeat is late with States.Timeout.
  it('fails with States.Timeout when no heartbeat comes within HeartbeatSeconds', async () => {
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'token.$': '$$.Task.Token' }, TimeoutSeconds: 100, HeartbeatSeconds: 10 }), {}, { clock: clock(), taskHandlers: { S: accept } });
    expect(r.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(10);
  });

  it('reads the heartbeat interval from HeartbeatSecondsPath', async () => {
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'token.$': '$$.Task.Token' }, HeartbeatSecondsPath: '$.h' }), { h: 4 }, { clock: clock(), taskHandlers: { S: accept } });
    expect(r.error).toBe('States.Timeout');
    expect(secondsOf(eventOf(r.history, 'TaskTimedOut'))).toBe(4);
  });

  it('fails with States.Runtime when HeartbeatSecondsPath is not a positive integer', async () => {
    const f = await failureOf(single({ Type: 'Task', Resource: SERVICE, HeartbeatSecondsPath: '$.h' }), { h: 'x' }, { taskHandlers: { S: () => 1 } });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain('The HeartbeatSecondsPath field refers to value "x" which is not a valid positive integer: $.h');
  });

  it('succeeds when the callback completes before the timeout', async () => {
    const c = clock();
    const r = await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'token.$': '$$.Task.Token' }, TimeoutSeconds: 5 }), {}, {
      clock: c,
      taskHandlers: {
        S: (_i, req) => {
          void c.sleepUntil(c.now() + 3000).then(() => req.execution.sendTaskSuccess(req.taskToken!, 'done'));
          return {};
        },
      },
    });
    expect(r.output).toBe('done');
    expect(secondsOf(eventOf(r.history, 'TaskSucceeded'))).toBe(3);
  });

  it('aborts the handler signal when the task times out', async () => {
    let signal: AbortSignal | undefined;
    await run(single({ Type: 'Task', Resource: CALLBACK, Parameters: { 'token.$': '$$.Task.Token' }, TimeoutSeconds: 1 }), {}, {
      clock: clock(), taskHandlers: { S: (_i, req) => { signal = req.signal; return {}; } },
    });
    expect(signal!.aborted).toBe(true);
  });

  it('aborts every task signal with one AbortError reason, not one built per task', async () => {
    // A DOMException built per abort (with its stack) was most of a run of thousands of callback Tasks.
    const reasons: unknown[] = [];
    const handler: TaskHandler = (_i, req) => {
      const signal = req.signal;
      signal.addEventListener('abort', () => reasons.push(signal.reason), { once: true });
      return {};
    };
    const definition = {
      StartAt: 'A',
      States: { A: { Type: 'Task' as const, Resource: LAMBDA, Next: 'B' }, B: { Type: 'Task' as const, Resource: LAMBDA, End: true } },
    };
    await run(definition, {}, { clock: clock(), taskHandlers: { A: handler, B: handler } });
    expect(reasons).toHaveLength(2);
    expect((reasons[0] as Error).name).toBe('AbortError');
    expect(reasons[1]).toBe(reasons[0]);
  });
});
