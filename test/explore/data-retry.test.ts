import { findingOf, machine, reaching, replays } from './helpers';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * A Retry that only the state's own data error takes (issue 77): AWS raises States.ResultPathMatchFailure
 * and its kin on the state's own data, never as a service's answer (the ASL reserves `States.`
 * names: https://states-language.net/spec.html#error-names), and the interpreter retries them like
 * any error (errorMatches; States.Runtime alone is never retried). explore reaches such a Retry by
 * the input or the answer that raises the error, never by a call made to throw it. An intrinsic
 * function that refuses its arguments is reported as States.Runtime (INTRINSIC_FAILURE, as suites
 * run against AWS record), so no Retry of States.IntrinsicFailure or States.ALL is reached by it.
 */

const INVOKE = 'arn:aws:states:::lambda:invoke';
const RETRY = { ErrorEquals: ['States.IntrinsicFailure'], MaxAttempts: 1 };
const DONE = { Done: { Type: 'Succeed' } };

function call(fields: object): object {
  return { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: INVOKE, Retry: [RETRY], Next: 'Done', ...fields }, ...DONE } };
}

describe('explore reaches a Retry only a data error takes', () => {
  it("by an input the Parameters' intrinsic function refuses, never: AWS reports it as States.Runtime, which no Retry takes", async () => {
    const wf = machine(call({ Parameters: { 'FunctionName': 'f', 'Payload.$': 'States.Base64Decode($.data)' } }));
    const report = await wf.explore();
    expect(report.scenarios.some((x) => x.covers.retries?.includes('Call#0'))).toBe(false);
    expect(report.retries.unreachable.find((n) => n.retry === 'Call#0')?.reason)
      .toMatch(/AWS reports a failed intrinsic function as States\.Runtime, which no Retry or Catch takes/);
    expect(JSON.stringify(report.scenarios.map((x) => x.mocks))).not.toMatch(/IntrinsicFailure/);
  });

  it("by an answer the ResultSelector's intrinsic function refuses, never: the run fails with States.Runtime at that answer", async () => {
    const wf = machine(call({ Parameters: { FunctionName: 'f' }, ResultSelector: { 'n.$': 'States.MathAdd($.Payload.count, 1)' } }));
    const report = await wf.explore();
    expect(report.scenarios.some((x) => x.covers.retries?.includes('Call#0'))).toBe(false);
    expect(JSON.stringify(report.scenarios.map((x) => x.mocks))).not.toMatch(/IntrinsicFailure/);
    const run = await wf.run({}, { mocks: mocksFromJson({ Call: { Return: { count: 'text' } } }, 'test') });
    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('by an input whose field the ResultPath cannot write under, for a Retry of States.ResultPathMatchFailure', async () => {
    const wf = machine({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'f' },
          ResultPath: '$.a.b',
          Retry: [{ ErrorEquals: ['States.ResultPathMatchFailure'], MaxAttempts: 1 }],
          Next: 'Done',
        },
        ...DONE,
      },
    });
    const report = await wf.explore();
    const s = reaching(report, 'retries', 'Call#0');
    await replays(wf, s);
    expect(s.error).toBe('States.ResultPathMatchFailure');
    expect(JSON.stringify(report.scenarios.map((x) => x.mocks))).not.toMatch(/ResultPathMatchFailure/);
  });

  it('says no call raises it where nothing of the state does, and makes no call throw it', async () => {
    const report = await machine(call({ Parameters: { FunctionName: 'f' } })).explore();
    expect(JSON.stringify(report.scenarios.map((x) => x.mocks))).not.toMatch(/IntrinsicFailure/);
    expect(report.retries.unreachable.find((n) => n.retry === 'Call#0')?.reason)
      .toMatch(/'Call' never raises States\.IntrinsicFailure: AWS reports a failed intrinsic function as States\.Runtime/);
  });

  it('names a data error among the unhandled ones only where the state can raise it on its own data', async () => {
    const none = await machine(call({ Parameters: { FunctionName: 'f' } })).explore();
    expect(findingOf(none, 'unhandled-error', 'Call').finding.message).not.toMatch(/IntrinsicFailure/);
    const own = await machine(call({ Parameters: { 'FunctionName': 'f', 'Payload.$': 'States.Base64Decode($.data)' } })).explore();
    expect(findingOf(own, 'unhandled-error', 'Call').finding.message).not.toMatch(/IntrinsicFailure/);
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
