import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { InvalidDefinitionError } from '../../src/asl/validate';
import { testState, testStateWith, TestStateError } from '../../src/workbench/test-state';

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

  it('fails with the error alone when the mock error gives no cause, as AWS\'s MockErrorOutput allows (cause: Required: No)', async () => {
    expect(await testState(machine, 'Charge', input, { mock: { error: 'Busy' }, retrierRetryCount: 2 })).toEqual({ status: 'FAILED', error: 'Busy' });
    const caught = await testState(machine, 'Charge', input, { mock: { error: 'Declined' } });
    expect(caught).toEqual({ status: 'CAUGHT_ERROR', error: 'Declined', nextState: 'Refund', output: { order: { total: 42 }, failure: { Error: 'Declined' } } });
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

  it('ends a .waitForTaskToken Task with its mock as the token\'s answer, at once (it waited for a SendTaskSuccess no one sends)', async () => {
    // AWS API Reference, TestState: "TestState only supports the following when a mock is specified: ... .sync or .waitForTaskToken service integration patterns".
    const callback = {
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
          ResultPath: '$.approval',
          Catch: [{ ErrorEquals: ['Rejected'], Next: 'Rejected' }],
          Next: 'Ship',
        },
        Ship: { Type: 'Pass', End: true },
        Rejected: { Type: 'Pass', End: true },
      },
    } as unknown as StateMachineDefinition;
    expect(await testState(callback, 'Approve', { id: 1 }, { mock: { approved: true } }))
      .toEqual({ status: 'SUCCEEDED', output: { id: 1, approval: { approved: true } }, nextState: 'Ship' });
    expect(await testState(callback, 'Approve', { id: 1 }, { mock: { error: 'Rejected', cause: 'no' } }))
      .toEqual({ status: 'CAUGHT_ERROR', output: { Error: 'Rejected', Cause: 'no' }, nextState: 'Rejected', error: 'Rejected', cause: 'no' });
  });

  it('reports an error no Retry or Catch handles as FAILED', async () => {
    expect(await testState(machine, 'Charge', input, { mock: { error: 'Other' } })).toEqual({ status: 'FAILED', error: 'Other' });
  });

  it('reports a failing InputPath as FAILED with States.Runtime and keeps the stages before it', async () => {
    const r = await testState(machine, 'Charge', { nothing: 1 }, { mock: {}, inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.inspectionData).toEqual({ input: { nothing: 1 } });
  });

  it('follows the Choice rule that matches, applying its Assign', async () => {
    const r = await testState(machine, 'Route', { total: 500 }, { inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'Review', output: { total: 500 } });
    expect(r.inspectionData?.variables).toEqual({ big: true });
    expect((await testState(machine, 'Route', { total: 5 })).nextState).toBe('Ship');
  });

  // AWS's recorded IO_RESULT_PASS_STATE: a Pass with a Result shows no input stages, even with
  // InputPath and Parameters set, and no variables when there are none.
  it('runs a Pass state with a Result: the Result, then ResultPath, and no input stages, as AWS shows it', async () => {
    const r = await testState(machine, 'Ship', { address: 'Main St' }, { inspectionLevel: 'DEBUG' });
    expect(r).toEqual({
      status: 'SUCCEEDED',
      output: { address: 'Main St', shipment: { shipped: true } },
      inspectionData: {
        input: { address: 'Main St' },
        result: { shipped: true },
        afterResultSelector: { shipped: true },
        afterResultPath: { address: 'Main St', shipment: { shipped: true } },
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
    // A result Lambda's Invoke never returns: accepted with fieldValidationMode NONE, as AWS does.
    const r = await testState(jsonata, 'Call', { n: 2 }, { mock: { v: 'ok' }, fieldValidationMode: 'NONE', inspectionLevel: 'DEBUG' });
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

describe('testState of a Map or Parallel, as AWS TestState runs them with a mock', () => {
  const orders = {
    StartAt: 'EachItem',
    States: {
      EachItem: {
        Type: 'Map',
        InputPath: '$.order',
        ItemsPath: '$.lines',
        ItemSelector: { 'sku.$': '$$.Map.Item.Value.sku', 'index.$': '$$.Map.Item.Index' },
        MaxConcurrency: 2,
        ToleratedFailureCount: 1,
        ItemProcessor: { StartAt: 'Price', States: { Price: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
        ResultSelector: { 'count.$': 'States.ArrayLength($)' },
        ResultPath: '$.priced',
        Retry: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], MaxAttempts: 1 }],
        Next: 'Both',
      },
      Both: {
        Type: 'Parallel',
        Parameters: { 'id.$': '$.id' },
        Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }],
        ResultPath: '$.both',
        Catch: [{ ErrorEquals: ['Broken'], ResultPath: '$.error', Next: 'Done' }],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
  const order = { order: { id: 'o-1', lines: [{ sku: 'a' }, { sku: 'b' }] } };

  it('finds the items of a Map of 10,000 items: TestState runs no execution, so no history-event limit applies', async () => {
    // The items used to be found by an execution of the Map that kept a history: past about 6,000
    // items it failed with States.Runtime, "The execution reached the maximum number of history
    // events (25000)", a limit of executions that TestState, which keeps no history, never meets.
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const map = { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } as const;
    const r = await testState(map as never, '', { items }, { mock: [], inspectionLevel: 'DEBUG' });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.inspectionData?.afterItemsPath).toEqual(items);
    expect(r.output).toEqual([]);
  });

  it("runs a Map's data flow around its mocked result and shows every stage with DEBUG", async () => {
    const r = await testState(orders, 'EachItem', order, { mock: [{ p: 1 }, { p: 2 }], inspectionLevel: 'DEBUG' });
    expect(r).toEqual({
      status: 'SUCCEEDED',
      output: { ...order, priced: { count: 2 } },
      nextState: 'Both',
      inspectionData: {
        input: order,
        afterInputPath: order.order,
        afterItemsPath: order.order.lines,
        afterItemSelector: [{ sku: 'a', index: 0 }, { sku: 'b', index: 1 }],
        maxConcurrency: 2,
        toleratedFailureCount: 1,
        afterResultSelector: { count: 2 },
        afterResultPath: { ...order, priced: { count: 2 } },
      },
    });
  });

  it('fails a Map with States.ExceedToleratedFailureThreshold when mapIterationFailureCount is over its tolerance', async () => {
    const within = await testState(orders, 'EachItem', order, { mock: [], mapIterationFailureCount: 1 });
    expect(within.status).toBe('SUCCEEDED');
    const over = await testState(orders, 'EachItem', order, { mock: [], mapIterationFailureCount: 2 });
    expect(over).toMatchObject({ status: 'RETRIABLE', error: 'States.ExceedToleratedFailureThreshold' });
  });

  it('fails a Map whose ItemsPath does not name an array with States.Runtime, before its mock is used', async () => {
    const r = await testState(orders, 'EachItem', { order: { lines: 'none' } }, { mock: [] });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });

  it('runs a Parallel with its mocked branch results, and catches a mocked error', async () => {
    const ok = await testState(orders, 'Both', { id: 'o-1' }, { mock: [1, 2], inspectionLevel: 'DEBUG' });
    expect(ok).toMatchObject({
      status: 'SUCCEEDED',
      output: { id: 'o-1', both: [1, 2] },
      nextState: 'Done',
      inspectionData: { afterInputPath: { id: 'o-1' }, afterParameters: { id: 'o-1' }, result: [1, 2], afterResultPath: { id: 'o-1', both: [1, 2] } },
    });
    const caught = await testState(orders, 'Both', { id: 'o-1' }, { mock: { error: 'Broken', cause: 'branch B' } });
    expect(caught).toEqual({
      status: 'CAUGHT_ERROR',
      error: 'Broken',
      cause: 'branch B',
      nextState: 'Done',
      output: { id: 'o-1', error: { Error: 'Broken', Cause: 'branch B' } },
    });
  });

  it('runs a JSONata Map, its Items and ItemSelector evaluated, its Output built from the mocked result', async () => {
    const jsonata = {
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          Items: '{% $states.input.xs %}',
          ItemSelector: { v: '{% $states.context.Map.Item.Value * 10 %}' },
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          Output: { total: '{% $sum($states.result) %}' },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const r = await testState(jsonata, 'M', { xs: [1, 2] }, { mock: [10, 20], inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { total: 30 }, inspectionData: { afterItemSelector: [{ v: 10 }, { v: 20 }] } });
    expect(r.inspectionData).not.toHaveProperty('result');
  });

  it('needs a mock for a Map or Parallel, as AWS does', async () => {
    await expect(testState(orders, 'EachItem', order)).rejects.toThrow("testState: Map 'EachItem' needs options.mock, as in AWS TestState: the result of its iterations (an array), or { error, cause } to make it fail");
    await expect(testState(orders, 'Both', {})).rejects.toThrow(/Parallel 'Both' needs options.mock.*its branches/);
  });
});

/*
 * The shapes AWS's TestState API recorded (LocalStack's AWS-validated test_test_state_scenarios,
 * test_state_configuration and test_state_context_object snapshots, 2025).
 */
describe('testState answers shaped as AWS recorded them', () => {
  it('shows a Pass without Result going from afterParameters to afterResultSelector, with no result stage', async () => {
    const r = await testState({ Type: 'Pass', End: true } as never, '', { Value: 'HelloWorld' }, { inspectionLevel: 'DEBUG' });
    expect(r.inspectionData).toEqual({
      input: { Value: 'HelloWorld' },
      afterInputPath: { Value: 'HelloWorld' },
      afterParameters: { Value: 'HelloWorld' },
      afterResultSelector: { Value: 'HelloWorld' },
      afterResultPath: { Value: 'HelloWorld' },
    });
  });

  it('names a state tested alone StateName in its Context Object', async () => {
    const r = await testState({ Type: 'Pass', Parameters: { 'name.$': '$$.State.Name' }, End: true } as never, '', {});
    expect(r.output).toEqual({ name: 'StateName' });
  });

  // TestState's `context`: "A JSON string representing a valid Context object for the state under test" (TestState, API Reference).
  it('runs the state with the given Context Object as $$: its Parameters and its output use it, not one of its own', async () => {
    const context = { Execution: { Id: 'arn:aws:states:eu-west-1:111111111111:execution:Orders:run-7', Name: 'run-7' }, State: { Name: 'Charge', RetryCount: 2 } };
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'run.$': '$$.Execution.Name', 'retry.$': '$$.State.RetryCount' }, ResultPath: '$.r', End: true };
    const r = await testState(task as never, '', { a: 1 }, { mock: { ok: true }, context, inspectionLevel: 'DEBUG', fieldValidationMode: 'NONE' });
    expect(r.inspectionData?.afterParameters).toEqual({ run: 'run-7', retry: 2 });
    const jsonata = { Type: 'Task', QueryLanguage: 'JSONata', Resource: 'arn:aws:states:::lambda:invoke', Arguments: {}, Output: '{% $states.context.Execution.Id %}', End: true };
    const j = await testState(jsonata as never, '', {}, { mock: { ok: true }, context, fieldValidationMode: 'NONE' });
    expect(j.output).toBe('arn:aws:states:eu-west-1:111111111111:execution:Orders:run-7');
  });

  it('names the retrier that matched, without a backoff, when it has no attempts left', async () => {
    const r = await testState(machine, 'Charge', { order: { total: 5 } }, { mock: { error: 'Busy', cause: 'c' }, retrierRetryCount: 2, inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'Busy' });
    expect(r.inspectionData?.errorDetails).toEqual({ retryIndex: 0 });
  });

  it('reports a Map without ItemSelector with no afterItemSelector and maxConcurrency 0, and no result', async () => {
    const map = { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true };
    const r = await testState(map as never, '', [1, 2], { mock: [1, 2], inspectionLevel: 'DEBUG' });
    expect(r.inspectionData).toEqual({
      input: [1, 2], afterInputPath: [1, 2], afterItemsPath: [1, 2], maxConcurrency: 0, afterResultSelector: [1, 2], afterResultPath: [1, 2],
    });
  });

  it('reports a JSONata MaxConcurrency and tolerated failures by their values', async () => {
    const map = {
      Type: 'Map',
      QueryLanguage: 'JSONata',
      MaxConcurrency: '{% $variable := 1 %}',
      ToleratedFailureCount: '{% 1 %}',
      ToleratedFailurePercentage: '{% 1 %}',
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      End: true,
    };
    const r = await testState(map as never, '', [1], { mock: [1], inspectionLevel: 'DEBUG' });
    expect(r.inspectionData).toMatchObject({ maxConcurrency: 1, toleratedFailureCount: 1, toleratedFailurePercentage: 1 });
  });
});

describe('testState refuses the mocks AWS refuses, and says how AWS words it', () => {
  // MockInput.result is SensitiveData, at most 262,144 bytes of UTF-8, whatever the state: AWS words the shape's bound so
  // (recorded for StartExecution's input), and serve's model check does too.
  const TOO_LONG = "1 validation error detected: Value at 'mock.result' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding";
  const parallel = {
    Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }], End: true,
  };
  it.each([
    ['a mock for a Pass', { Type: 'Pass', End: true }, {}, "State type 'Pass' is not supported when a mock is specified"],
    ['an error mock for a Succeed', { Type: 'Succeed' }, { error: 'E' }, "State type 'Succeed' is not supported when a mock is specified"],
    ['a Parallel mock that is not an array', parallel, { a: 1 }, 'Mocked result must be an array.'],
    ['a Parallel mock with a result too few', parallel, [1], 'Mocked result must contain the same number of items as number of Parallel branches.'],
    ["a Lambda Task's result mock over 262,144 characters", { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true },
      'x'.repeat(262_143), TOO_LONG],
    ["a .waitForTaskToken Task's result mock over 262,144 characters",
      { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 't.$': '$$.Task.Token' } }, End: true },
      'x'.repeat(262_143), TOO_LONG],
    // 131,072 two-byte characters and two quotes: 131,074 characters, 262,146 bytes.
    ["a Lambda Task's result mock over 262,144 bytes of UTF-8 in fewer characters", { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true },
      'é'.repeat(131_072), TOO_LONG],
  ])('refuses %s', async (_what, state, mock, awsMessage) => {
    const e = await testState(state as never, '', {}, { mock: mock as never }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TestStateError);
    expect((e as TestStateError).message).toMatch(/^testState: /);
    expect((e as TestStateError).aws).toEqual({ type: 'ValidationException', message: awsMessage });
  });

  it('lets a Map that tolerates no failures ignore mapIterationFailureCount, as AWS does', async () => {
    const map = { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true };
    const r = await testState(map as never, '', [1, 2, 3], { mock: [0, 0, 1], mapIterationFailureCount: 2 });
    expect(r).toEqual({ status: 'SUCCEEDED', output: [0, 0, 1] });
  });
});

/*
 * stateConfiguration, mock.fieldValidationMode and afterItemsPointer, each as AWS documents it:
 * "TestStateConfiguration", "MockInput" and "InspectionData" of the AWS Step Functions API
 * Reference, and the answers AWS recorded for them (LocalStack's AWS-validated
 * test_state_configuration, test_state_mock_validation and test_field_validation_mode snapshots, 2025).
 */
describe('testState honours stateConfiguration as the TestStateConfiguration API reference defines it', () => {
  const processor = {
    StartAt: 'Charge',
    States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't', Item: {} }, End: true } },
  };
  const map = { Type: 'Map', ItemsPath: '$.xs', ItemProcessor: processor, ToleratedFailureCount: 2, Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Handle' }], Next: 'Done' };

  it('errorCausedByState: a Map fails with the error its inner state raised, caught by its Catch (recorded: FAILED with the mocked error even within its tolerance)', async () => {
    const caught = await testState(map as never, '', { xs: [1, 2] }, {
      mock: { error: 'DynamoDB.ConditionalCheckFailedException', cause: 'c' }, errorCausedByState: 'Charge', mapIterationFailureCount: 0,
    });
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', error: 'DynamoDB.ConditionalCheckFailedException', nextState: 'Handle' });
    const { Catch: _catch, ...uncaught } = map;
    const failed = await testState(uncaught as never, '', { xs: [1, 2] }, {
      mock: { error: 'DynamoDB.ConditionalCheckFailedException', cause: 'c' }, errorCausedByState: 'Charge', mapIterationFailureCount: 1, inspectionLevel: 'DEBUG',
    });
    expect(failed).toEqual({
      status: 'FAILED',
      error: 'DynamoDB.ConditionalCheckFailedException',
      cause: 'c',
      inspectionData: { input: { xs: [1, 2] }, afterInputPath: { xs: [1, 2] }, afterItemsPath: [1, 2], maxConcurrency: 0, toleratedFailureCount: 2 },
    });
  });

  it('errorCausedByState: an error the named inner Task never raises fails as mocked (TestState checks no error name) and is named in the advice', async () => {
    const r = await testState(map as never, '', { xs: [1] }, { mock: { error: 'DynamoDB.NotFound' }, errorCausedByState: 'Charge' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'DynamoDB.NotFound' });
    expect(r.advice).toEqual([{ state: 'Charge', message: expect.stringMatching(/The mock of Task 'Charge' \(mock\.errorOutput\) fails with 'DynamoDB\.NotFound', which arn:aws:states:::dynamodb:putItem never raises/) }]);
    const none = await testState(map as never, '', { xs: [1] }, { mock: { error: 'DynamoDB.NotFound' }, errorCausedByState: 'Charge', fieldValidationMode: 'NONE' });
    expect(none.advice).toBeUndefined();
  });

  it.each([
    ['errorCausedByState naming no state of the Map', map, { mock: { error: 'E' }, errorCausedByState: 'Nope' }, /errorCausedByState 'Nope' is not a state of Map 'StateName'; it holds 'Charge'/],
    ['errorCausedByState with a result mock', map, { mock: [1], errorCausedByState: 'Charge' }, /give the mock as \{ error, cause \}/],
    ['errorCausedByState for a Task', { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true }, { mock: { error: 'E' }, errorCausedByState: 'X' }, /Task 'StateName' holds no states/],
    ['mapIterationFailureCount for a Parallel', { Type: 'Parallel', Branches: [processor], End: true }, { mock: [1], mapIterationFailureCount: 1 }, /Parallel 'StateName' is not a Map/],
    ['mapItemReaderData for a Map without ItemReader', map, { mock: [1], mapItemReaderData: '[1]' }, /Map 'StateName' has no ItemReader/],
  ])('refuses %s with a ValidationException rather than ignoring it', async (_what, state, options, message) => {
    const e = await testState(state as never, '', { xs: [1] }, options as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TestStateError);
    expect((e as TestStateError).message).toMatch(message);
    expect((e as TestStateError).aws?.type).toBe('ValidationException');
  });
});

describe('testState reads mapItemReaderData instead of calling the ItemReader (TestStateConfiguration, API reference)', () => {
  const reader = (config: Record<string, unknown>, resource = 'arn:aws:states:::s3:getObject') => ({
    Type: 'Map',
    ItemReader: { Resource: resource, ReaderConfig: config, Parameters: { Bucket: 'b', Key: 'k' } },
    ItemSelector: { 'v.$': '$$.Map.Item.Value' },
    ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    MaxConcurrency: 1,
    End: true,
  });

  it('parses JSON data, returns the mocked result and shows the items read through ItemSelector (recorded: SUCCEEDED with the mock)', async () => {
    const r = await testState(reader({ InputType: 'JSON' }) as never, '', { Bucket: 'b' }, { mock: [1, 4, 9], mapItemReaderData: '[1, 2, 3]', inspectionLevel: 'DEBUG' });
    expect(r).toEqual({
      status: 'SUCCEEDED',
      output: [1, 4, 9],
      inspectionData: {
        input: { Bucket: 'b' },
        afterInputPath: { Bucket: 'b' },
        afterItemSelector: [{ v: 1 }, { v: 2 }, { v: 3 }],
        maxConcurrency: 1,
        afterResultSelector: [1, 4, 9],
        afterResultPath: [1, 4, 9],
      },
    });
  });

  it('returns afterItemsPointer, the array the ReaderConfig ItemsPointer picks out of the data (InspectionData, API reference)', async () => {
    const r = await testState(reader({ InputType: 'JSON', ItemsPointer: '/orders' }) as never, '', {}, {
      mock: [], mapItemReaderData: '{"orders": [{"id": 1}, {"id": 2}]}', inspectionLevel: 'DEBUG',
    });
    expect(r.inspectionData).toMatchObject({ afterItemsPointer: [{ id: 1 }, { id: 2 }], afterItemSelector: [{ v: { id: 1 } }, { v: { id: 2 } }] });
  });

  it('reads CSV data with its header row, and JSON Lines, as the ReaderConfig says', async () => {
    const csv = await testState(reader({ InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }) as never, '', {}, { mock: [], mapItemReaderData: 'id,n\na,1\nb,2\n', inspectionLevel: 'DEBUG' });
    expect(csv.inspectionData?.afterItemSelector).toEqual([{ v: { id: 'a', n: '1' } }, { v: { id: 'b', n: '2' } }]);
    const jsonl = await testState(reader({ InputType: 'JSONL' }) as never, '', {}, { mock: [], mapItemReaderData: '{"a":1}\n{"a":2}\n', inspectionLevel: 'DEBUG' });
    expect(jsonl.inspectionData?.afterItemSelector).toEqual([{ v: { a: 1 } }, { v: { a: 2 } }]);
  });

  it('fails with States.ItemReaderFailed when the data cannot be read as configured', async () => {
    const r = await testState(reader({ InputType: 'JSON' }) as never, '', {}, { mock: [], mapItemReaderData: '{"not": "an array"}' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
  });

  it('fails with States.ItemReaderFailed on data nested deeper than 1,000 levels, as a Map run reading it does', async () => {
    const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const data = async (config: Record<string, unknown>, text: string) => testState(reader(config) as never, '', {}, { mock: [], mapItemReaderData: text });
    expect(await data({ InputType: 'JSON' }, `[${nested}]`)).toEqual({ status: 'FAILED', error: 'States.ItemReaderFailed', cause: 'The JSON object is nested deeper than 1000 levels.' });
    expect(await data({ InputType: 'JSONL' }, `{}\n${nested}`)).toEqual({ status: 'FAILED', error: 'States.ItemReaderFailed', cause: 'Line 2 of the JSONL object is nested deeper than 1000 levels.' });
  });

  it('asks for mapItemReaderData to test a Map with an ItemReader and a result mock, and needs none with an error mock (recorded)', async () => {
    await expect(testState(reader({}) as never, '', {}, { mock: [] })).rejects.toThrow(/give the data it would read as mapItemReaderData/);
    const failed = await testState(reader({}) as never, '', {}, { mock: { error: 'MockException', cause: 'c' }, errorCausedByState: 'P', inspectionLevel: 'DEBUG' });
    expect(failed).toEqual({ status: 'FAILED', error: 'MockException', cause: 'c', inspectionData: { input: {}, afterInputPath: {}, maxConcurrency: 1 } });
  });
});

describe('testState applies mock.fieldValidationMode as the MockInput API reference defines it', () => {
  const putEvents = { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [] }, End: true };

  it('refuses a mis-shaped result under STRICT with AWS\'s message shape (recorded: "Mock result schema validation error: Field \'Entries\' must be an array")', async () => {
    const e = await testState(putEvents as never, '', {}, { mock: { Entries: 'one' } }).catch((x: unknown) => x);
    expect((e as TestStateError).aws).toEqual({ type: 'ValidationException', message: "Mock result schema validation error: Field 'Entries' must be an array" });
  });

  it('names a missing required field as AWS does (recorded: "Required field \'ExecutionArn\' is missing")', async () => {
    const start = { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: 'arn' }, End: true };
    const e = await testState(start as never, '', {}, { mock: { StartDate: '2025-01-01T00:00:00Z' } }).catch((x: unknown) => x);
    expect((e as TestStateError).aws?.message).toBe("Mock result schema validation error: Required field 'ExecutionArn' is missing");
  });

  it('fails a Task with any mocked error, as TestState checks no error name, and names one the Task never raises in the advice, but under NONE', async () => {
    const put = { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't', Item: {} }, End: true };
    for (const mode of ['STRICT', 'PRESENT'] as const) {
      const r = await testState(put as never, '', {}, { mock: { error: 'DynamoDB.NotFound' }, fieldValidationMode: mode });
      expect(r).toMatchObject({ status: 'FAILED', error: 'DynamoDB.NotFound' });
      expect(r.advice?.[0]?.message).toMatch(/never raises.*did you mean/s);
    }
    const none = await testState(put as never, '', {}, { mock: { error: 'DynamoDB.NotFound' }, fieldValidationMode: 'NONE' });
    expect(none).toEqual({ status: 'FAILED', error: 'DynamoDB.NotFound' });
  });

  it('takes a Map with a ResultWriter\'s mock as the writer\'s answer, an object, and refuses an array (recorded: "Mocked result must be a JSON object.")', async () => {
    const written = { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } }, End: true };
    const e = await testState(written as never, '', [1], { mock: [1] }).catch((x: unknown) => x);
    expect((e as TestStateError).aws).toEqual({ type: 'ValidationException', message: 'Mocked result must be a JSON object.' });
    await expect(testState(written as never, '', [1], { mock: { MapRunArn: 'arn' } })).resolves.toMatchObject({ status: 'SUCCEEDED', output: { MapRunArn: 'arn' } });
  });
});

// TestState answers InvalidDefinition, "The provided Amazon States Language definition is not valid"
// (TestState, Errors, in the Step Functions API reference); a run leaves the Retry out and the Catch
// until an error is caught, so the state is checked with both before it runs.
describe('testState refuses a state whose Retry or Catch is not valid ASL, as AWS\'s TestState does', () => {
  const task = (extra: object) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true, ...extra }) as never;
  const failing = { mock: { error: 'Boom', cause: 'down' } };

  it('refuses a Catch whose ErrorEquals is no array, rather than failing to read it', async () => {
    const run = testState(task({ Catch: [{ ErrorEquals: 5, Next: 'Handle' }] }), '', {}, failing);
    await expect(run).rejects.toBeInstanceOf(InvalidDefinitionError);
    await expect(run).rejects.toThrow(/\/States\/.*\/Catch\/0\/ErrorEquals/);
  });

  it('refuses a Catch that is not valid even when the state succeeds and no Catch is read', async () => {
    await expect(testState(task({ Catch: [{ ErrorEquals: [], Next: 'Handle' }] }), '', {}, { mock: { ok: true } })).rejects.toBeInstanceOf(InvalidDefinitionError);
  });

  it('refuses a Retry with a negative MaxAttempts, rather than naming it as the retrier that matched', async () => {
    const run = testState(task({ Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: -3 }] }), '', {}, failing);
    await expect(run).rejects.toBeInstanceOf(InvalidDefinitionError);
    await expect(run).rejects.toThrow(/\/States\/.*\/Retry\/0\/MaxAttempts/);
  });

  it('refuses a Retry whose ErrorEquals is a string, rather than matching the error against its letters', async () => {
    await expect(testState(task({ Retry: [{ ErrorEquals: 'Boom' }] }), '', {}, failing)).rejects.toBeInstanceOf(InvalidDefinitionError);
  });

  it('still runs a valid Retry and Catch as before', async () => {
    const r = await testState(task({ Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }] }), '', {}, failing);
    expect(r).toMatchObject({ status: 'RETRIABLE', error: 'Boom', cause: 'down' });
  });
});

describe('testState refuses a Choices or Catch list that is not valid ASL with InvalidDefinition, rather than failing to read it', () => {
  const task = (extra: object) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true, ...extra }) as never;

  it.each([
    ['Choices that is a number', { Type: 'Choice', Choices: 5 }, /\/Choices/],
    ['Choices that is a string', { Type: 'Choice', Choices: 'ab' }, /\/Choices/],
    ['Choices holding null', { Type: 'Choice', Choices: [null] }, /\/Choices\/0/],
    ['Catch that is a number', task({ Catch: 5 }), /\/Catch/],
    ['Catch holding null', task({ Catch: [null] }), /\/Catch\/0/],
  ])('a %s', async (_what, state, where) => {
    const run = testState(state as never, '', {}, (state as { Type: string }).Type === 'Task' ? { mock: { error: 'Boom' } } : {});
    await expect(run).rejects.toBeInstanceOf(InvalidDefinitionError);
    await expect(run).rejects.toThrow(where);
  });
});

describe('testState checks the state before it reads anything of it', () => {
  const processor = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };

  it.each([
    ['a Parallel whose Branches is a number, rather than counting the mock against its branches', { Type: 'Parallel', Branches: 5, End: true }, [], /\/Branches /],
    ['a Map whose ItemReader is a number, rather than asking for mapItemReaderData', { Type: 'Map', ItemReader: 5, ItemProcessor: processor, End: true }, [], /\/ItemReader /],
    ['a Map whose ResultWriter is a number, rather than asking for the writer\'s answer', { Type: 'Map', ResultWriter: 5, ItemProcessor: processor, End: true }, [], /\/ResultWriter /],
  ])('refuses %s', async (_what, state, mock, where) => {
    const run = testState(state as never, '', [1], { mock });
    await expect(run).rejects.toBeInstanceOf(InvalidDefinitionError);
    await expect(run).rejects.toThrow(where);
  });

  it('refuses the named state of a machine the same way, and runs the valid one beside it', async () => {
    const twoStates = { StartAt: 'Ok', States: { Ok: { Type: 'Pass', Next: 'Bad' }, Bad: { Type: 'Parallel', Branches: 5, End: true } } };
    await expect(testState(twoStates as never, 'Bad', [1], { mock: [] })).rejects.toBeInstanceOf(InvalidDefinitionError);
    expect(await testState(twoStates as never, 'Ok', { a: 1 })).toEqual({ status: 'SUCCEEDED', output: { a: 1 }, nextState: 'Bad' });
  });
});

describe('testState refuses a transition that is not valid ASL, and lets it name a state the definition lacks', () => {
  it.each([
    ['a Next that is a number', { Type: 'Pass', Next: 5 }, /\/Next/],
    ['a Next that is an object', { Type: 'Pass', Next: { a: 1 } }, /\/Next/],
    ['an End that is a string', { Type: 'Pass', End: 'yes' }, /\/End/],
    ['a Choice rule whose Next is a number', { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 5 }] }, /\/Choices\/0\/Next/],
    ['a Default that is a number', { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 'A' }], Default: 7 }, /\/Default/],
  ])('%s, rather than answering it as the next state', async (_what, state, where) => {
    const run = testState(state as never, '', { a: 1 });
    await expect(run).rejects.toBeInstanceOf(InvalidDefinitionError);
    await expect(run).rejects.toThrow(where);
  });

  it('refuses a Catch whose Next is a number, rather than answering it as the next state', async () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 5 }], End: true };
    await expect(testState(task as never, '', {}, { mock: { error: 'Boom' } })).rejects.toThrow(/\/Catch\/0\/Next/);
  });

  it('runs a state alone whose Next names a state the definition lacks, and one with neither Next nor End', async () => {
    expect(await testState({ Type: 'Pass', Next: 'Elsewhere' }, '', { a: 1 })).toEqual({ status: 'SUCCEEDED', output: { a: 1 }, nextState: 'Elsewhere' });
    expect(await testState({ Type: 'Pass' } as never, '', { a: 1 })).toEqual({ status: 'SUCCEEDED', output: { a: 1 } });
  });
});

describe('testState refuses a Map or Parallel whose iterations or branches are not valid ASL, though the mock stands for them', () => {
  const pass = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
  const broken = { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'Nope' } } };

  it.each([
    ['a Map whose ItemProcessor is a number', { Type: 'Map', ItemProcessor: 5, End: true }, /\/ItemProcessor/],
    ['a Map whose ItemProcessor names a state it lacks', { Type: 'Map', ItemProcessor: broken, End: true }, /\/ItemProcessor\/States\/P\/Next/],
    ['a Map whose ToleratedFailurePercentage is text', { Type: 'Map', ItemProcessor: pass, ToleratedFailurePercentage: 'x', End: true }, /\/ToleratedFailurePercentage/],
    ['a Parallel whose branch names a state it lacks', { Type: 'Parallel', Branches: [broken, pass], End: true }, /\/Branches\/0\/States\/P\/Next/],
  ])('%s', async (_what, state, where) => {
    const run = testState(state as never, '', [1, 2], { mock: [1, 2] });
    await expect(run).rejects.toBeInstanceOf(InvalidDefinitionError);
    await expect(run).rejects.toThrow(where);
  });

  it('still runs a valid Map with its mock', async () => {
    expect(await testState({ Type: 'Map', ItemProcessor: pass, End: true } as never, '', [1, 2], { mock: [1, 2] })).toEqual({ status: 'SUCCEEDED', output: [1, 2] });
  });
});

/**
 * "The TestState API can run for up to five minutes. If the execution of a state exceeds this
 * duration, it fails with the States.Timeout error" (TestState, API reference): a Wait, in the run's
 * virtual time, no real time passing.
 */
describe('testState fails a state that runs past TestState\'s five minutes with States.Timeout', () => {
  it.each([
    ['a Wait of 301 seconds', { Type: 'Wait', Seconds: 301, End: true }],
    ['a Wait until 2099', { Type: 'Wait', Timestamp: '2099-01-01T00:00:00Z', End: true }],
  ])('fails %s, with no Retry or Catch of the state taking it', async (_what, state) => {
    const r = await testState(state as never, '', { a: 1 });
    expect(r).toEqual({ status: 'FAILED', error: 'States.Timeout', cause: 'The state ran past the 300 seconds the TestState API may run for' });
  });

  it('passes a Wait of exactly 300 seconds, which does not exceed them', async () => {
    expect(await testState({ Type: 'Wait', Seconds: 300, Next: 'After' } as never, '', { a: 1 })).toEqual({ status: 'SUCCEEDED', output: { a: 1 }, nextState: 'After' });
  });
});

describe('testState runs out its five minutes in virtual time only, whatever the wall clock does meanwhile', () => {
  // A pause held past five seconds of wall time (a starved machine, a busy server) once let the
  // clock break the hold and jump to the five minutes: the state timed out early. Here the wall
  // clock runs a minute ahead at every reading while the run pauses, and the pause ends 100 ms
  // later, after the real timer that broke such a hold has fired: no time depends on the machine.
  afterEach(() => jest.restoreAllMocks());

  it('answers a JSONata Pass that paused in the middle of its expression SUCCEEDED, not States.Timeout', async () => {
    const now = Date.now.bind(Date);
    let ahead = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now() + (ahead += 60_000));
    let pauses = 0;
    const pausing = {
      pause: (): Promise<void> | undefined => (pauses++ === 0 ? new Promise<void>((resolve) => setTimeout(resolve, 100)) : undefined),
    };
    const state = { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $sum([1, 2, 3]) + $states.input.a %}', End: true };
    const r = await testStateWith(state as never, '', { a: 4 }, {}, pausing);
    expect(r).toEqual({ status: 'SUCCEEDED', output: 10 });
    expect(pauses).toBeGreaterThan(1);
  });
});

/*
 * TestState's `context`, as AWS refused it (LocalStack's AWS-validated test_state_context_object
 * snapshots, 2025) and as the API reference bounds it ("This field may only be specified if a
 * mock is specified in the same request", TestState).
 */
describe('testState refuses a Context Object AWS refuses', () => {
  const lambda = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true };
  const waiting = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 't.$': '$$.Task.Token' } }, End: true };
  const options = { mock: { ok: true }, fieldValidationMode: 'NONE' as const };
  it.each([
    ['a member $$ does not have', lambda, { Pokedex: {} }, "Invalid Context object provided: Field 'Pokedex' is not allowed"],
    ['a member $$.Execution does not have', lambda, { Execution: { pokemon: 'squirtle' } }, "Invalid Context object provided: Field 'pokemon' is not allowed"],
    ['$$.Map', lambda, { Map: {} }, "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"],
    ['an $$.Execution.Id that is not a string', lambda, { Execution: { Id: 1 } }, 'Invalid Context object provided: Execution.Id must be a string'],
    ['$$.Task for a Task that waits for no token', lambda, { Task: { Token: 'abcd123' } },
      "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern"],
  ])('refuses %s', async (_what, state, context, awsMessage) => {
    const e = await testState(state as never, '', {}, { ...options, context: context as never }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TestStateError);
    expect((e as TestStateError).message).toMatch(/^testState: context: /);
    expect((e as TestStateError).aws).toEqual({ type: 'ValidationException', message: awsMessage });
  });

  it('refuses a context without a mock, as the API reference bounds it', async () => {
    const e = await testState({ Type: 'Pass', End: true } as never, '', {}, { context: { Execution: { Name: 'n' } } }).catch((x: unknown) => x);
    expect((e as TestStateError).aws).toEqual({ type: 'ValidationException', message: 'context may only be specified when a mock is specified' });
  });

  it('takes $$.Task for a .waitForTaskToken Task, and empty objects, as AWS did', async () => {
    const token = await testState(waiting as never, '', {}, { ...options, context: { Task: { Token: 'abcd123' } }, inspectionLevel: 'DEBUG' });
    expect(token.inspectionData?.afterParameters).toEqual({ QueueUrl: 'q', MessageBody: { t: 'abcd123' } });
    const empty = await testState({ ...lambda, Parameters: { 'FunctionName': 'f', 'c.$': '$$' } } as never, '', {}, { ...options, context: { Execution: {}, State: {}, StateMachine: {} }, inspectionLevel: 'DEBUG' });
    expect(empty.status).toBe('SUCCEEDED');
    expect(empty.inspectionData?.afterParameters).toEqual({ FunctionName: 'f', c: { Execution: {}, State: {}, StateMachine: {} } });
  });

  it('lets a member of $$.State no recording refuses through, and says so in the advice', async () => {
    const r = await testState(lambda as never, '', {}, { ...options, context: { State: { Colour: 'red' } } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.advice).toEqual([{ state: 'StateName', message: expect.stringContaining("$$.State has no member 'Colour'") }]);
  });
});
