import type { JsonValue } from '../../../src/asl/definition-types';
import { replay, type Recording } from '../../../src/workbench/replay';
import { firstDifference } from '../../../src/workbench/replay/compare';

// A recording is a user's file: its values may hold any key, `constructor` and `toString` too.
// Before, the comparison read a key the other side lacked through the object's prototype: a local
// output with a `constructor` field AWS never recorded compared equal ('constructor' in {}), and a
// recorded `toString` the local run lacked compared with Object.prototype.toString, a function,
// which crashed the message (TypeError: reading 'slice' of undefined).

const T0 = '2024-01-01T00:00:00.000Z';
const ROLE = 'arn:aws:iam::123456789012:role/StepFunctionsRole';

/** A recording of one Pass state whose Result is `result`, AWS's output given apart. */
function passRecording(result: JsonValue, recordedOutput: JsonValue): Recording {
  const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } };
  const out = JSON.stringify(recordedOutput);
  return {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: JSON.stringify(definition) },
    execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'SUCCEEDED', input: {}, output: recordedOutput },
    events: [
      { type: 'ExecutionStarted', id: 1, previousEventId: 0, timestamp: T0, executionStartedEventDetails: { input: '{}', inputDetails: { truncated: false }, roleArn: ROLE } },
      { type: 'PassStateEntered', id: 2, previousEventId: 0, timestamp: T0, stateEnteredEventDetails: { name: 'P', input: '{}', inputDetails: { truncated: false } } },
      { type: 'PassStateExited', id: 3, previousEventId: 2, timestamp: T0, stateExitedEventDetails: { name: 'P', output: out, outputDetails: { truncated: false } } },
      { type: 'ExecutionSucceeded', id: 4, previousEventId: 3, timestamp: T0, executionSucceededEventDetails: { output: out, outputDetails: { truncated: false } } },
    ],
  };
}

describe('comparing a recording with a run, keys an object inherits', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])('finds a field %s that only one side has, either side', (key) => {
    const withKey = JSON.parse(`{"${key}":1}`) as JsonValue;
    expect(firstDifference(withKey, {})).toEqual({ path: `$.${key}`, got: 1, expected: undefined });
    expect(firstDifference({}, withKey)).toEqual({ path: `$.${key}`, got: undefined, expected: 1 });
  });

  it('replays a run as equal only when its output is the recorded one, a constructor field included', async () => {
    const same = await replay(passRecording({ constructor: 1 }, { constructor: 1 }));
    expect(same.equal).toBe(true);
    const extra = await replay(passRecording({ constructor: 1 }, {}));
    expect(extra.equal).toBe(false);
    expect(extra.describe()).toContain('constructor');
  });

  it('says a recorded toString field the run lacks, instead of failing', async () => {
    const lacking = await replay(passRecording({}, { toString: 1 }));
    expect(lacking.equal).toBe(false);
    expect(lacking.describe()).toContain('toString');
  });
});
