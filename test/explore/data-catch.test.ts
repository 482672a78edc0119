import { machine, reaching, replays } from './helpers';
import type { JsonValue } from '../../src/asl';
import type { ExploreReport } from '../../src/explore/report-types';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * A Catch that only the state's own data error can take (issue 77): a ResultPath, a
 * ResultSelector or an OutputPath that does not fit the value, or a JSONata Output that fails,
 * fails the state with States.ResultPathMatchFailure, States.Runtime or
 * States.QueryEvaluationError, which its Catch takes like any other error
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). explore
 * makes the input or the answer that raises it, and never says the Catch needs a Task's failure.
 */

const INVOKE = 'arn:aws:states:::lambda:invoke';
const CATCH = { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'R1' };
const RECOVERY = {
  R1: { Type: 'Pass', Next: 'R2' },
  R2: { Type: 'Pass', Next: 'R3' },
  R3: { Type: 'Pass', End: true },
  Done: { Type: 'Succeed' },
};

/**
 * A machine whose state `name` is `state` with a Catch of `errors` (into R1, R2, R3) and Next 'Done',
 * after the states of `before` (the first is StartAt; the last goes on to `name`).
 */
function guarded(name: string, state: object, errors = ['States.ALL'], before: Record<string, object> = {}): object {
  return {
    StartAt: Object.keys(before)[0] ?? name,
    States: { ...before, [name]: { ...state, Catch: [{ ...CATCH, ErrorEquals: errors }], Next: 'Done' }, ...RECOVERY },
  };
}

/** A Lambda Task that calls function f. */
const CALL_F = { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' } };

async function reachesRecovery(definition: object, from: string): Promise<ExploreReport> {
  const wf = machine(definition);
  const report = await wf.explore();
  for (const name of ['R1', 'R2', 'R3']) await replays(wf, reaching(report, 'states', name));
  reaching(report, 'transitions', `${from} -> R1`);
  const reasons = JSON.stringify([report.states.notReached, report.transitions.notReached]);
  expect(reasons).not.toMatch(/TaskFailed out/);
  return report;
}

describe('explore reaches a Catch only a data error takes', () => {
  it("a Parallel's ResultPath that does not fit its input", async () => {
    await reachesRecovery(guarded('Par', {
      Type: 'Parallel',
      Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }],
      ResultPath: '$.x.y',
    }), 'Par');
  });

  it("a Map's ResultPath that does not fit its input", async () => {
    await reachesRecovery(guarded('Each', {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'M', States: { M: { Type: 'Pass', End: true } } },
      ResultPath: '$.x.y',
    }), 'Each');
  });

  it("a Task's ResultPath that does not fit its input, caught by a Catch naming only that error: the call succeeds", async () => {
    const report = await reachesRecovery(guarded('Call', {
      ...CALL_F,
      ResultPath: '$.x.y',
    }, ['States.ResultPathMatchFailure']), 'Call');
    // AWS raises States.ResultPathMatchFailure itself, on the answer it got; a Lambda function does not throw it.
    expect(reaching(report, 'states', 'R1').mocks.Call).toEqual({ Return: expect.anything() });
  });

  it("a JSONata Parallel's Output that fails", async () => {
    await reachesRecovery({
      QueryLanguage: 'JSONata',
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
          Output: '{% $states.input.n + 1 %}',
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'R1' }],
          Next: 'Done',
        },
        ...RECOVERY,
      },
    }, 'Par');
  });
});

/*
 * An intrinsic function that refuses its arguments fails the state with States.Runtime, as AWS reports
 * it (INTRINSIC_FAILURE; suites run against AWS record it), which no Catch takes, of States.ALL or of
 * States.IntrinsicFailure: explore never reaches such a Catch that way, and makes no call throw the error.
 */
async function neverCaught(definition: object, input: JsonValue, mocks: Record<string, JsonValue> = {}): Promise<ExploreReport> {
  const wf = machine(definition);
  const report = await wf.explore();
  for (const name of ['R1', 'R2', 'R3']) expect(report.scenarios.some((s) => s.covers.states?.includes(name))).toBe(false);
  expect(JSON.stringify(report.scenarios.map((s) => s.mocks))).not.toMatch(/IntrinsicFailure/);
  const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'test') });
  expect({ status: run.status, error: run.error, caught: run.path.includes('R1') }).toEqual({ status: 'FAILED', error: 'States.Runtime', caught: false });
  return report;
}

const NOT_CAUGHT = /AWS reports a failed intrinsic function as States\.Runtime, which no Retry or Catch takes/;

describe('explore reaches no Catch by an intrinsic function of the Parameters, which AWS reports as States.Runtime', () => {
  it("a Parallel's States.StringToJson of a field of its input, under a Catch of States.ALL", async () => {
    await neverCaught(guarded('Par', {
      Type: 'Parallel',
      Parameters: { 'n.$': 'States.StringToJson($.s)' },
      Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
    }), { s: 'not JSON' });
  });

  it("a Parallel's States.ArrayGetItem inside States.Format, under a Catch naming only States.IntrinsicFailure", async () => {
    await neverCaught(guarded('Par', {
      Type: 'Parallel',
      Parameters: { 'n.$': "States.Format('{}', States.ArrayGetItem($.list, 0))" },
      Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
    }, ['States.IntrinsicFailure']), { list: 'text' });
  });

  it("a Task's Parameters under a Catch naming only States.IntrinsicFailure, and the reason says why", async () => {
    const report = await neverCaught(guarded('Call', {
      Type: 'Task',
      Resource: INVOKE,
      Parameters: { 'FunctionName': 'f', 'Payload.$': 'States.Base64Decode($.data)' },
    }, ['States.IntrinsicFailure']), { data: 12 });
    expect(report.catches.unreachable.find((n) => n.catch === 'Call#0')?.reason).toMatch(NOT_CAUGHT);
  });
});

const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';
const KEY = { TableName: 't', Key: { pk: { S: 'a' } } };

describe('explore reaches no Catch by an intrinsic function of the ResultSelector, which AWS reports as States.Runtime', () => {
  it("a Lambda function's payload field that States.MathAdd refuses", async () => {
    const report = await neverCaught(guarded('Call', {
      ...CALL_F,
      ResultSelector: { 'n.$': 'States.MathAdd($.Payload.count, 1)' },
    }, ['States.IntrinsicFailure']), {}, { Call: { Return: { count: 'text' } } });
    expect(report.catches.unreachable.find((n) => n.catch === 'Call#0')?.reason).toMatch(NOT_CAUGHT);
  });

  it("a DynamoDB item's string attribute that is not JSON", async () => {
    const report = await neverCaught(guarded('Call', {
      Type: 'Task',
      Resource: GET_ITEM,
      Parameters: KEY,
      ResultSelector: { 'doc.$': 'States.StringToJson($.Item.doc.S)' },
    }, ['States.IntrinsicFailure']), {}, { Call: { Return: { Item: { doc: { S: 'not JSON' } } } } });
    expect(report.catches.unreachable.find((n) => n.catch === 'Call#0')?.reason).toMatch(NOT_CAUGHT);
  });

  it("a Parallel's result that comes from its input, under a Catch of States.ALL", async () => {
    await neverCaught(guarded('Par', {
      Type: 'Parallel',
      Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
      ResultSelector: { 'n.$': 'States.StringToJson($[0].s)' },
    }), { s: 'not JSON' });
  });
});

describe('explore, where no answer the service gives raises the data error a Catch needs', () => {
  it('says a Catch of States.IntrinsicFailure waits for an error AWS never raises, and makes no call fail with it', async () => {
    const report = await machine(guarded('Call', {
      Type: 'Task',
      Resource: GET_ITEM,
      Parameters: KEY,
      ResultSelector: { 'units.$': 'States.MathAdd($.ConsumedCapacity.CapacityUnits, 1)' },
    }, ['States.IntrinsicFailure'])).explore();
    expect(JSON.stringify(report.scenarios.map((s) => s.mocks))).not.toMatch(/IntrinsicFailure/);
    const reason = report.catches.unreachable.find((n) => n.catch === 'Call#0')?.reason;
    expect(reason).toMatch(NOT_CAUGHT);
    expect(reason).not.toMatch(/Throw/);
  });

  it("says an earlier Task's answer is a map where a ResultPath needs a scalar to fail", async () => {
    const report = await machine(guarded('Call', { ...CALL_F, ResultPath: '$.got.Item.b' }, ['States.ResultPathMatchFailure'], {
      Load: { Type: 'Task', Resource: GET_ITEM, Parameters: KEY, ResultPath: '$.got', Next: 'Call' },
    })).explore();
    const reason = report.catches.notReached.find((n) => n.catch === 'Call#0')?.reason;
    expect(reason).toMatch(/'Call' can fail with States\.ResultPathMatchFailure \(ResultPath \$\.got\.Item\.b\)/);
    expect(reason).toMatch(/a scalar at \$\.got\.Item of its input, which comes from \.Item of the answer of Task 'Load'.* answers a map/);
    expect(reason).not.toMatch(/Throw|and yet it was not reached/);
  });

  it("makes no Lambda function throw States.ResultPathMatchFailure where the ResultPath's parent is always an object", async () => {
    const report = await machine(guarded('Call', { ...CALL_F, ResultPath: '$.a.b' }, ['States.ResultPathMatchFailure'], {
      P: { Type: 'Pass', Result: { a: {} }, Next: 'Call' },
    })).explore();
    expect(JSON.stringify(report.scenarios.map((s) => s.mocks))).not.toMatch(/ResultPathMatchFailure/);
    const reason = report.catches.notReached.find((n) => n.catch === 'Call#0')?.reason;
    expect(reason).toMatch(/'Call' raises States\.ResultPathMatchFailure only on its own data, never by its call's answer/);
  });
});

describe('explore reaches a ResultPath that does not fit a value an earlier state gave', () => {
  it("a DynamoDB attribute's S, a string, under the ResultPath of a later Task", async () => {
    const report = await reachesRecovery(guarded('Call', { ...CALL_F, ResultPath: '$.got.Item.b.S.z' }, ['States.ResultPathMatchFailure'], {
      Load: { Type: 'Task', Resource: GET_ITEM, Parameters: KEY, ResultPath: '$.got', Next: 'Call' },
    }), 'Call');
    expect(reaching(report, 'states', 'R1').mocks.Load).toEqual({ Return: { Item: { b: { S: expect.any(String) } } } });
  });
});

describe('explore, where it does not make the data error a Catch needs', () => {
  it('says no Task inside fails, and claims no data error of an intrinsic, which AWS reports as States.Runtime', async () => {
    const wf = machine(guarded('Par', {
      Type: 'Parallel',
      Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Result: { s: '{}' }, End: true } } }],
      ResultSelector: { 'n.$': 'States.StringToJson($[0].s)' },
    }));
    const report = await wf.explore();
    const reason = report.catches.notReached.find((n) => n.catch === 'Par#0')?.reason;
    expect(reason).toMatch(/no Task inside 'Par'/);
    expect(reason).not.toMatch(/IntrinsicFailure/);
  });
});

describe('explore, where a ResultPath always fails under its Catch', () => {
  // Its Next is never taken: the part of the input the ResultPath writes under is a value no input or answer changes.
  const stuck = (first: object): object => guarded('Call', { ...CALL_F, ResultPath: '$.a.b' }, ['States.ResultPathMatchFailure'], { First: { ...first, Next: 'Call' } });

  it("names a Pass's Result as what stops it", async () => {
    const report = await machine(stuck({ Type: 'Pass', Result: 'x', ResultPath: '$.a' })).explore();
    const reason = report.states.notReached.find((n) => n.state === 'Done')?.reason;
    expect(reason).toBe("no scenario reached 'Done': every run that entered 'Call' failed there with States.ResultPathMatchFailure "
      + "(ResultPath $.a.b): $.a of its input is never an object, since it is the Result of Pass state 'First', and no input or answer changes that");
    expect(report.transitions.notReached.find((n) => n.transition === 'Call -> Done')?.reason).toMatch(/^every run that entered 'Call' failed there/);
  });

  it('names the intrinsic function of an earlier ResultSelector that makes a text there', async () => {
    const report = await machine(stuck({
      Type: 'Task',
      Resource: INVOKE,
      Parameters: { FunctionName: 'g' },
      ResultSelector: { 'a.$': "States.Format('u-{}', $.Payload.n)" },
    })).explore();
    const reason = report.states.notReached.find((n) => n.state === 'Done')?.reason;
    expect(reason).toMatch(/\$\.a of its input is never an object, since the ResultSelector of state 'First' .*computes it with States\.Format/);
  });
});

describe("explore reaches a Parallel's or Map's Catch by the data of a state inside", () => {
  // A branch or an iteration that fails fails its Parallel or Map with the same error; a state inside raises these on its data.
  it('a Task in a branch whose ResultSelector refuses the payload: never, AWS reports it as States.Runtime', async () => {
    await neverCaught(guarded('Par', {
      Type: 'Parallel',
      Branches: [{
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, ResultSelector: { 'n.$': 'States.MathAdd($.Payload.n, 1)' }, End: true } },
      }],
    }, ['States.IntrinsicFailure']), {}, { T: { Return: { n: 'text' } } });
  });

  it('a Task in an iteration whose ResultPath does not fit the item', async () => {
    const report = await reachesRecovery(guarded('Each', {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, ResultPath: '$.r.x', End: true } } },
    }, ['States.ResultPathMatchFailure']), 'Each');
    expect(reaching(report, 'states', 'R1').mocks.T).toEqual({ Return: expect.anything() });
  });

  it('makes no Task inside throw the error where no state inside raises it on its data', async () => {
    const report = await machine(guarded('Par', {
      Type: 'Parallel',
      Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, End: true } } }],
    }, ['States.IntrinsicFailure'])).explore();
    expect(JSON.stringify(report.scenarios.map((s) => s.mocks))).not.toMatch(/IntrinsicFailure/);
    expect(report.catches.unreachable.find((n) => n.catch === 'Par#0')?.reason)
      .toMatch(/no state inside 'Par' raises States\.IntrinsicFailure: AWS reports a failed intrinsic function as States\.Runtime/);
  });
});
