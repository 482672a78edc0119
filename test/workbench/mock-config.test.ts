import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMockConfig, MockConfigError, mockResponsesFor, parseMockConfig } from '../../src/workbench/mocks/mock-config';
import type { MockConfig } from '../../src/workbench/mocks/mock-config';

/** The example from AWS's "Configuration File for Mocked Service Integrations" page, unchanged in shape. */
const AWS_EXAMPLE = {
  StateMachines: {
    LambdaSQSIntegration: {
      TestCases: {
        HappyPath: { LambdaState: 'MockedLambdaSuccess', SQSState: 'MockedSQSSuccess' },
        RetryPath: { LambdaState: 'MockedLambdaRetry', SQSState: 'MockedSQSSuccess' },
        HybridPath: { LambdaState: 'MockedLambdaSuccess' },
      },
    },
  },
  MockedResponses: {
    MockedLambdaSuccess: { 0: { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } } },
    LambdaMockedResourceNotReady: { 0: { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } } },
    MockedSQSSuccess: { 0: { Return: { MD5OfMessageBody: '3bcb6e8e', MessageId: '3bcb6e8e-8b51' } } },
    MockedLambdaRetry: {
      '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
      '1-2': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } },
      '3': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } },
    },
  },
};

function configWith(responses: Record<string, unknown>): unknown {
  return { StateMachines: { M: { TestCases: { T: { S: 'R' } } } }, MockedResponses: { R: responses } };
}

function errorOf(fn: () => unknown): MockConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MockConfigError);
    return e as MockConfigError;
  }
  throw new Error('expected a MockConfigError');
}

describe('parseMockConfig', () => {
  it('accepts the AWS documentation example as JSON text and as an object', () => {
    expect(parseMockConfig(JSON.stringify(AWS_EXAMPLE))).toEqual(AWS_EXAMPLE);
    expect(parseMockConfig(AWS_EXAMPLE)).toBe(AWS_EXAMPLE);
  });

  it('rejects text that is not JSON', () => {
    expect(errorOf(() => parseMockConfig('{ nope')).code).toBe('INVALID_JSON');
  });

  it('requires both StateMachines and MockedResponses', () => {
    expect(errorOf(() => parseMockConfig({ StateMachines: {} })).message).toContain("needs a 'MockedResponses' object");
    expect(errorOf(() => parseMockConfig({ MockedResponses: {} })).message).toContain("needs a 'StateMachines' object");
  });

  it('rejects an unknown top-level field and suggests MockedResponses for MockedResponse', () => {
    const e = errorOf(() => parseMockConfig({ StateMachines: {}, MockedResponses: {}, MockedResponse: {} }));
    expect(e.path).toBe('MockedResponse');
    expect(e.message).toContain("did you mean 'MockedResponses'?");
  });

  it('requires TestCases under each state machine and nothing else', () => {
    expect(errorOf(() => parseMockConfig({ StateMachines: { M: {} }, MockedResponses: {} })).message).toBe("StateMachines.M: needs a 'TestCases' object");
    expect(errorOf(() => parseMockConfig({ StateMachines: { M: { TestCases: {}, Extra: 1 } }, MockedResponses: {} })).path).toBe('StateMachines.M.Extra');
  });

  it('rejects a test case that names a mocked response the file does not define', () => {
    const e = errorOf(() => parseMockConfig({ StateMachines: { M: { TestCases: { T: { Charge: 'Missing' } } } }, MockedResponses: { Ok: { 0: { Return: 1 } } } }));
    expect(e.code).toBe('UNKNOWN_MOCKED_RESPONSE');
    expect(e.message).toBe("StateMachines.M.TestCases.T.Charge: no mocked response 'Missing' in MockedResponses; it has 'Ok'");
  });

  it('rejects a test case entry that is not a response name', () => {
    expect(errorOf(() => parseMockConfig({ StateMachines: { M: { TestCases: { T: { S: 3 } } } }, MockedResponses: {} })).message)
      .toContain('must name a mocked response, got 3');
  });

  it('rejects an entry key that is neither an index nor a range', () => {
    const e = errorOf(() => parseMockConfig(configWith({ first: { Return: 1 } })));
    expect(e.code).toBe('INVALID_RANGE');
    expect(e.path).toBe('MockedResponses.R.first');
  });

  it('takes keys only as AWS documents them, integer strings and inclusive ranges without blanks or signs', () => {
    for (const key of [' 0', '0 ', '0 - 2', '+1', '-1', '0-', '1.0']) {
      const e = errorOf(() => parseMockConfig(configWith({ [key]: { Return: 1 } })));
      expect([key, e.code, e.reason]).toEqual([key, 'INVALID_RANGE', 'an entry key must be an invocation index ("0") or an inclusive range ("1-2"), written without blanks']);
    }
    expect(mockResponsesFor(parseMockConfig(configWith({ '0-1': { Return: 'a' }, '2': { Return: 'b' } })), 'M', 'T').get('S')!(2)).toEqual({ return: 'b' });
  });

  it('rejects a range that ends before it starts', () => {
    expect(errorOf(() => parseMockConfig(configWith({ '0': { Return: 1 }, '3-1': { Return: 2 } }))).message).toContain('range ends (1) before it starts (3)');
  });

  // Step Functions Local starts such an execution and fails it with States.Runtime only when the
  // state reaches an invocation no entry covers (floci-io/floci pull 2823, checked against
  // amazon/aws-stepfunctions-local 2.0.0; issue 2523: a file generated from an empty collection).
  it('takes entries that leave an invocation out, and fails only the invocation no entry covers', () => {
    const responses = mockResponsesFor(parseMockConfig(configWith({ 0: { Return: 1 }, 3: { Return: 2 } })), 'M', 'T').get('S')!;
    expect([responses(0), responses(3)]).toEqual([{ return: 1 }, { return: 2 }]);
    const e = errorOf(() => responses(1));
    expect(e.code).toBe('RESPONSES_EXHAUSTED');
    expect(e.message).toBe("MockedResponses.R: state 'S' ran 2 times in test case 'T', but mocked response 'R' defines invocations 0, 3 only; "
      + 'add an entry "1" (or a range) to mock this invocation');
    const later = mockResponsesFor(parseMockConfig(configWith({ 1: { Return: 1 } })), 'M', 'T').get('S')!;
    expect(errorOf(() => later(0)).message).toContain("mocked response 'R' defines invocation 1 only; add an entry \"0\"");
    expect(later(1)).toEqual({ return: 1 });
  });

  it('rejects entries that overlap', () => {
    expect(errorOf(() => parseMockConfig(configWith({ '0-2': { Return: 1 }, '2': { Return: 2 } }))).message).toContain('entry "2" overlaps');
  });

  it('takes a mocked response with no entries, and fails its first invocation', () => {
    const empty = mockResponsesFor(parseMockConfig(configWith({})), 'M', 'T').get('S')!;
    expect(errorOf(() => empty(0)).message).toContain("mocked response 'R' defines no invocation; add an entry \"0\"");
  });

  it('requires exactly one of Return and Throw in an entry', () => {
    expect(errorOf(() => parseMockConfig(configWith({ 0: {} }))).message).toContain("needs one of 'Return' and 'Throw'");
    expect(errorOf(() => parseMockConfig(configWith({ 0: { Return: 1, Throw: { Error: 'E', Cause: 'C' } } }))).message)
      .toContain("cannot have both 'Return' and 'Throw'");
    expect(errorOf(() => parseMockConfig(configWith({ 0: { Retrun: 1 } }))).path).toBe('MockedResponses.R["0"].Retrun');
  });

  it('requires Throw to have a string Error, takes a Cause only as a string, and nothing else', () => {
    expect(errorOf(() => parseMockConfig(configWith({ 0: { Throw: { Cause: 'c' } } }))).message)
      .toBe('MockedResponses.R["0"].Throw.Error: must be a string, got nothing');
    expect(errorOf(() => parseMockConfig(configWith({ 0: { Throw: { Error: 7, Cause: 'c' } } }))).path).toBe('MockedResponses.R["0"].Throw.Error');
    expect(errorOf(() => parseMockConfig(configWith({ 0: { Throw: { Error: 'E', Cause: 3 } } }))).message)
      .toBe('MockedResponses.R["0"].Throw.Cause: must be a string when given, got 3');
    expect(errorOf(() => parseMockConfig(configWith({ 0: { Throw: { Error: 'E', Cause: 'c', Code: 1 } } }))).path).toBe('MockedResponses.R["0"].Throw.Code');
  });

  it('takes a Throw without a Cause, as sam init\'s step-func template writes it, and fails that invocation without a cause', () => {
    const responses = mockResponsesFor(parseMockConfig(configWith({ '0-2': { Throw: { Error: 'States.TaskFailed' } }, '3': { Return: { stock_price: 89 } } })), 'M', 'T');
    expect(responses.get('S')!(2)).toEqual({ throw: { error: 'States.TaskFailed' } });
    expect(responses.get('S')!(2)).not.toHaveProperty('throw.cause');
  });


  it('accepts any JSON value as Return, null included', () => {
    const responses = mockResponsesFor(parseMockConfig(configWith({ 0: { Return: null }, 1: { Return: 'text' } })), 'M', 'T');
    expect(responses.get('S')!(0)).toEqual({ return: null });
    expect(responses.get('S')!(1)).toEqual({ return: 'text' });
  });
});

describe('mockResponsesFor', () => {
  const config = AWS_EXAMPLE as unknown as MockConfig;

  it('maps each state of the test case to its responses', () => {
    const responses = mockResponsesFor(config, 'LambdaSQSIntegration', 'HappyPath');
    expect([...responses.keys()]).toEqual(['LambdaState', 'SQSState']);
    expect(responses.get('SQSState')!(0)).toEqual({ return: { MD5OfMessageBody: '3bcb6e8e', MessageId: '3bcb6e8e-8b51' } });
  });

  it('mocks only the states the test case lists', () => {
    expect([...mockResponsesFor(config, 'LambdaSQSIntegration', 'HybridPath').keys()]).toEqual(['LambdaState']);
  });

  it('picks the response by invocation index, with "1-2" covering both ends of the range', () => {
    const lambda = mockResponsesFor(config, 'LambdaSQSIntegration', 'RetryPath').get('LambdaState')!;
    expect(lambda(0)).toEqual({ throw: { error: 'Lambda.ResourceNotReadyException', cause: 'Lambda resource is not ready.' } });
    expect(lambda(1)).toEqual({ throw: { error: 'Lambda.TimeoutException', cause: 'Lambda timed out.' } });
    expect(lambda(2)).toEqual({ throw: { error: 'Lambda.TimeoutException', cause: 'Lambda timed out.' } });
    expect(lambda(3)).toEqual({ return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } });
  });

  it('fails past the last configured invocation instead of repeating the last response, as AWS documents', () => {
    const lambda = mockResponsesFor(config, 'LambdaSQSIntegration', 'RetryPath').get('LambdaState')!;
    const e = errorOf(() => lambda(4));
    expect(e.code).toBe('RESPONSES_EXHAUSTED');
    expect(e.message).toBe(
      "MockedResponses.MockedLambdaRetry: state 'LambdaState' ran 5 times in test case 'RetryPath', but mocked response 'MockedLambdaRetry' " +
      'defines invocations 0-3 only; add an entry "4" (or a range) to mock this invocation');
  });

  it('rejects an invocation index that is negative or not an integer', () => {
    const sqs = mockResponsesFor(config, 'LambdaSQSIntegration', 'HappyPath').get('SQSState')!;
    expect(errorOf(() => sqs(-1)).code).toBe('INVALID_INVOCATION_INDEX');
    expect(errorOf(() => sqs(0.5)).code).toBe('INVALID_INVOCATION_INDEX');
  });

  it('names the test cases the state machine has when the test case is unknown', () => {
    const e = errorOf(() => mockResponsesFor(config, 'LambdaSQSIntegration', 'SadPath'));
    expect(e.code).toBe('UNKNOWN_TEST_CASE');
    expect(e.message).toContain("no test case 'SadPath' for state machine 'LambdaSQSIntegration'; it has 'HappyPath', 'RetryPath', 'HybridPath'");
  });

  it('names the state machines the file has when the state machine is unknown', () => {
    const e = errorOf(() => mockResponsesFor(config, 'Orders', 'HappyPath'));
    expect(e.code).toBe('UNKNOWN_STATE_MACHINE');
    expect(e.message).toContain("no state machine 'Orders'; the file has 'LambdaSQSIntegration'");
  });

  it('validates a configuration built in code before using it', () => {
    expect(errorOf(() => mockResponsesFor(configWith({ '0-1': { Return: 1 }, '1': { Return: 2 } }) as MockConfig, 'M', 'T')).code).toBe('INVALID_RANGE');
  });
});

describe('loadMockConfig', () => {
  it('reads a MockConfigFile.json and names the file in errors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mock-'));
    try {
      const good = path.join(dir, 'MockConfigFile.json');
      fs.writeFileSync(good, JSON.stringify(AWS_EXAMPLE));
      expect(loadMockConfig(good)).toEqual(AWS_EXAMPLE);
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify(configWith({ 0: { Throw: { Cause: 'no error name' } } })));
      const e = errorOf(() => loadMockConfig(bad));
      expect(e.message).toBe(`${bad}: MockedResponses.R["0"].Throw.Error: must be a string, got nothing`);
      expect(e.file).toBe(bad);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
