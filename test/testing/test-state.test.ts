import type { StateMachineDefinition } from '../../src/asl/types';
import { testState, TestStateError } from '../../src/testing/test-state';

const machine = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      InputPath: '$.order',
      Parameters: { 'amount.$': '$.total', 'currency': 'EUR' },
      ResultSelector: { 'id.$': '$.Payload.chargeId' },
      ResultPath: '$.charge',
      OutputPath: '$.charge',
      Assign: { 'lastCharge.$': '$.id' },
      Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['Declined'], ResultPath: '$.failure', Next: 'Refund' }],
      Next: 'Ship',
    },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.total', NumericGreaterThan: 100, Next: 'Review', Assign: { big: true } }],
      Default: 'Ship',
    },
    Review: { Type: 'Pass', End: true },
    Ship: { Type: 'Pass', Parameters: { 'to.$': '$.address' }, Result: { shipped: true }, ResultPath: '$.shipment', End: true },
    Refund: { Type: 'Pass', End: true },
  },
} as unknown as StateMachineDefinition;

const input = { order: { total: 42 } };

describe('testState', () => {
  it('runs a Task with its mocked result and reports the output and next state', async () => {
    expect(await testState(machine, 'Charge', input, { mock: { Payload: { chargeId: 'ch_1' } } })).toEqual({
      status: 'SUCCEEDED', output: { id: 'ch_1' }, nextState: 'Ship',
    });
  });

  it('adds every data-flow stage and the variables with inspectionLevel DEBUG', async () => {
    const r = await testState(machine, 'Charge', input, { mock: { Payload: { chargeId: 'ch_1' } }, inspectionLevel: 'DEBUG', variables: { tries: 1 } });
    expect(r.inspectionData).toEqual({
      input,
      afterInputPath: { total: 42 },
      afterParameters: { amount: 42, currency: 'EUR' },
      result: { Payload: { chargeId: 'ch_1' } },
      afterResultSelector: { id: 'ch_1' },
      afterResultPath: { order: { total: 42 }, charge: { id: 'ch_1' } },
      variables: { tries: 1, lastCharge: 'ch_1' },
    });
  });

  it('leaves inspectionData out at the INFO level', async () => {
    expect(await testState(machine, 'Ship', { address: 'Main St' })).not.toHaveProperty('inspectionData');
  });

  it('reports an error a Retry matches as RETRIABLE with the retrier and its backoff', async () => {
    const r = await testState(machine, 'Charge', input, { mock: { error: 'Busy', cause: 'try later' }, inspectionLevel: 'DEBUG', retrierRetryCount: 1 });
    expect(r).toMatchObject({ status: 'RETRIABLE', error: 'Busy', cause: 'try later' });
    expect(r.nextState).toBeUndefined();
    expect(r.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 6 });
  });

  it('reports FAILED once the retrier has used up its MaxAttempts', async () => {
    const r = await testState(machine, 'Charge', input, { mock: { error: 'Busy', cause: 'try later' }, retrierRetryCount: 2 });
    expect(r).toEqual({ status: 'FAILED', error: 'Busy', cause: 'try later' });
  });

  it("reports a caught error as CAUGHT_ERROR with the catcher's output and next state", async () => {
    const r = await testState(machine, 'Charge', input, { mock: { error: 'Declined', cause: 'no funds' }, inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({
      status: 'CAUGHT_ERROR',
      error: 'Declined',
      cause: 'no funds',
      nextState: 'Refund',
      output: { order: { total: 42 }, failure: { Error: 'Declined', Cause: 'no funds' } },
    });
    expect(r.inspectionData?.errorDetails).toEqual({ catchIndex: 0 });
  });

  it('reports an error no Retry or Catch handles as FAILED', async () => {
    expect(await testState(machine, 'Charge', input, { mock: { error: 'Other' } })).toEqual({ status: 'FAILED', error: 'Other' });
  });

  it('reports a failing InputPath as FAILED with States.Runtime and keeps the stages before it', async () => {
    const r = await testState(machine, 'Charge', { nothing: 1 }, { mock: {}, inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.inspectionData).toEqual({ input: { nothing: 1 }, variables: {} });
  });

  it('follows the Choice rule that matches, applying its Assign', async () => {
    const r = await testState(machine, 'Route', { total: 500 }, { inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'Review', output: { total: 500 } });
    expect(r.inspectionData?.variables).toEqual({ big: true });
    expect((await testState(machine, 'Route', { total: 5 })).nextState).toBe('Ship');
  });

  it('runs a Pass state: Parameters, then Result, then ResultPath', async () => {
    const r = await testState(machine, 'Ship', { address: 'Main St' }, { inspectionLevel: 'DEBUG' });
    expect(r).toEqual({
      status: 'SUCCEEDED',
      output: { address: 'Main St', shipment: { shipped: true } },
      inspectionData: {
        input: { address: 'Main St' },
        afterInputPath: { address: 'Main St' },
        afterParameters: { to: 'Main St' },
        result: { shipped: true },
        afterResultSelector: { shipped: true },
        afterResultPath: { address: 'Main St', shipment: { shipped: true } },
        variables: {},
      },
    });
  });

  it('has no nextState for a state that ends the execution', async () => {
    expect(await testState(machine, 'Review', { a: 1 })).toEqual({ status: 'SUCCEEDED', output: { a: 1 } });
  });

  it('accepts a single state definition', async () => {
    expect(await testState({ Type: 'Pass', Result: 1, Next: 'X' } as never, 'Alone', {})).toEqual({ status: 'SUCCEEDED', output: 1, nextState: 'X' });
  });

  it('reports a Fail state as FAILED with its error and cause', async () => {
    expect(await testState({ Type: 'Fail', Error: 'E', Cause: 'C' } as never, 'Stop', {})).toEqual({ status: 'FAILED', error: 'E', cause: 'C' });
  });

  it('runs a JSONata Task, reporting afterArguments and the result', async () => {
    const jsonata = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { n: '{% $states.input.n * 2 %}' },
          Output: '{% $states.result.v %}',
          Assign: { seen: '{% $states.result.v %}' },
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const r = await testState(jsonata, 'Call', { n: 2 }, { mock: { v: 'ok' }, inspectionLevel: 'DEBUG' });
    expect(r).toEqual({
      status: 'SUCCEEDED',
      output: 'ok',
      nextState: 'Done',
      inspectionData: { input: { n: 2 }, afterArguments: { n: 4 }, result: { v: 'ok' }, variables: { seen: 'ok' } },
    });
  });

  it('names the states there are when the state is missing', async () => {
    await expect(testState(machine, 'Nope', {})).rejects.toThrow(new TestStateError("testState: no state named 'Nope'; the definition has 'Charge', 'Route', 'Review', 'Ship', 'Refund'"));
  });

  it('asks for a mock for a Task', async () => {
    await expect(testState(machine, 'Charge', input)).rejects.toThrow("testState: Task 'Charge' needs options.mock, the result of arn:aws:states:::lambda:invoke (or { error, cause } to make it fail)");
  });

  it('rejects an unknown inspection level', async () => {
    await expect(testState(machine, 'Ship', {}, { inspectionLevel: 'ALL' as never })).rejects.toThrow('testState: inspectionLevel must be \'INFO\', \'DEBUG\' or \'TRACE\', got "ALL"');
  });
});
