import { machine, reaching, replays } from './helpers';
import type { ExploreReport } from '../../src/explore/report-types';

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
    await reachesRecovery({
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }],
          ResultPath: '$.x.y',
          Catch: [CATCH],
          Next: 'Done',
        },
        ...RECOVERY,
      },
    }, 'Par');
  });

  it("a Map's ResultPath that does not fit its input", async () => {
    await reachesRecovery({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { StartAt: 'M', States: { M: { Type: 'Pass', End: true } } },
          ResultPath: '$.x.y',
          Catch: [CATCH],
          Next: 'Done',
        },
        ...RECOVERY,
      },
    }, 'Each');
  });

  it("a Task's ResultPath that does not fit its input, caught by a Catch naming only that error: the call succeeds", async () => {
    const report = await reachesRecovery({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'f' },
          ResultPath: '$.x.y',
          Catch: [{ ...CATCH, ErrorEquals: ['States.ResultPathMatchFailure'] }],
          Next: 'Done',
        },
        ...RECOVERY,
      },
    }, 'Call');
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

describe('explore reaches a Catch an intrinsic function of the Parameters takes', () => {
  // An argument of the wrong type fails the call with States.IntrinsicFailure
  // (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html gives each function's argument types).
  it("a Parallel's States.StringToJson of a field of its input", async () => {
    await reachesRecovery({
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Parameters: { 'n.$': 'States.StringToJson($.s)' },
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
          Catch: [CATCH],
          Next: 'Done',
        },
        ...RECOVERY,
      },
    }, 'Par');
  });

  it("a Parallel's States.ArrayGetItem inside States.Format, caught by a Catch naming only States.IntrinsicFailure", async () => {
    await reachesRecovery({
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Parameters: { 'n.$': "States.Format('{}', States.ArrayGetItem($.list, 0))" },
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
          Catch: [{ ...CATCH, ErrorEquals: ['States.IntrinsicFailure'] }],
          Next: 'Done',
        },
        ...RECOVERY,
      },
    }, 'Par');
  });

  it("a Task's Parameters, caught by a Catch naming only States.IntrinsicFailure: no call is made up to fail", async () => {
    const report = await reachesRecovery({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { 'FunctionName': 'f', 'Payload.$': 'States.Base64Decode($.data)' },
          Catch: [{ ...CATCH, ErrorEquals: ['States.IntrinsicFailure'] }],
          Next: 'Done',
        },
        ...RECOVERY,
      },
    }, 'Call');
    // AWS raises States.IntrinsicFailure before the call: the run that reaches R1 gives Call no answer at all.
    expect(reaching(report, 'states', 'R1').mocks.Call).toBeUndefined();
  });
});

describe('explore, where it does not make the data error a Catch needs', () => {
  it('says which data error of the state the Catch waits for, not only that no Task inside fails', async () => {
    const wf = machine({
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
          ResultSelector: { 'n.$': 'States.StringToJson($[0].s)' },
          Catch: [CATCH],
          Next: 'Done',
        },
        ...RECOVERY,
      },
    });
    const report = await wf.explore();
    const reason = report.catches.notReached.find((n) => n.catch === 'Par#0')?.reason;
    expect(reason).toMatch(/'Par' can fail with States\.IntrinsicFailure \(an intrinsic function of its ResultSelector\)/);
  });
});
