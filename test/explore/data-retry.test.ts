import { findingOf, machine, reaching, replays } from './helpers';

/*
 * A Retry that only the state's own data error takes (issue 77): AWS raises States.IntrinsicFailure
 * and its kin on the state's own data, never as a service's answer (the ASL reserves `States.`
 * names: https://states-language.net/spec.html#error-names), and the interpreter retries them like
 * any error (errorMatches; States.Runtime alone is never retried). explore reaches such a Retry by
 * the input or the answer that raises the error, never by a call made to throw it.
 */

const INVOKE = 'arn:aws:states:::lambda:invoke';
const RETRY = { ErrorEquals: ['States.IntrinsicFailure'], MaxAttempts: 1 };
const DONE = { Done: { Type: 'Succeed' } };

function call(fields: object): object {
  return { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: INVOKE, Retry: [RETRY], Next: 'Done', ...fields }, ...DONE } };
}

describe('explore reaches a Retry only a data error takes', () => {
  it("by an input the Parameters' intrinsic function refuses: no call is made up to fail", async () => {
    const wf = machine(call({ Parameters: { 'FunctionName': 'f', 'Payload.$': 'States.Base64Decode($.data)' } }));
    const report = await wf.explore();
    const s = reaching(report, 'retries', 'Call#0');
    await replays(wf, s);
    // AWS raises it before the call, at every attempt: the run gives Call no answer and fails with it.
    expect(s.mocks.Call).toBeUndefined();
    expect(s.error).toBe('States.IntrinsicFailure');
    expect(JSON.stringify(report.scenarios.map((x) => x.mocks))).not.toMatch(/IntrinsicFailure/);
  });

  it("by an answer the ResultSelector's intrinsic function refuses, as the contract lets it answer", async () => {
    const wf = machine(call({ Parameters: { FunctionName: 'f' }, ResultSelector: { 'n.$': 'States.MathAdd($.Payload.count, 1)' } }));
    const report = await wf.explore();
    const s = reaching(report, 'retries', 'Call#0');
    await replays(wf, s);
    const [first] = s.mocks.Call as Array<{ Return: { count: unknown } }>;
    expect(typeof first.Return.count).not.toBe('number');
    expect(JSON.stringify(report.scenarios.map((x) => x.mocks))).not.toMatch(/IntrinsicFailure/);
  });

  it('says no call raises it where nothing of the state does, and makes no call throw it', async () => {
    const report = await machine(call({ Parameters: { FunctionName: 'f' } })).explore();
    expect(JSON.stringify(report.scenarios.map((x) => x.mocks))).not.toMatch(/IntrinsicFailure/);
    expect(report.retries.notReached.find((n) => n.retry === 'Call#0')?.reason)
      .toMatch(/'Call' raises States\.IntrinsicFailure only on its own data, never by its call's answer/);
  });

  it('names a data error among the unhandled ones only where the state can raise it on its own data', async () => {
    const none = await machine(call({ Parameters: { FunctionName: 'f' } })).explore();
    expect(findingOf(none, 'unhandled-error', 'Call').finding.message).not.toMatch(/IntrinsicFailure/);
    const own = await machine(call({ Parameters: { 'FunctionName': 'f', 'Payload.$': 'States.Base64Decode($.data)' } })).explore();
    expect(findingOf(own, 'unhandled-error', 'Call').finding.message).toMatch(/States\.IntrinsicFailure/);
  });

  it("uses up no EXPRESS machine's Retry by a call made to throw a data error", async () => {
    const report = await machine({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'f' },
          Retry: [{ ErrorEquals: ['States.IntrinsicFailure'], MaxAttempts: 5, IntervalSeconds: 100 }],
          Next: 'Done',
        },
        ...DONE,
      },
    }, 'EXPRESS').explore();
    expect(JSON.stringify(report.scenarios.map((x) => x.mocks))).not.toMatch(/IntrinsicFailure/);
    expect(report.findings.filter((f) => f.kind === 'express-duration')).toEqual([]);
  });
});
