import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * explore reaches a Retry with one failure and a Catch with the error it picks: the run that wears
 * the Retry out with the very error it retries, then goes on to the Catch, may be one it never
 * makes. A property about retries (run.attempts, run.retries) that only such a run breaks was left
 * UNKNOWN; verify now makes that run from the search's lightest one through the Task.
 */

stopExploreClock();

// A transfer retried three times when the bank throttles it (the author meant five), caught by a Fail.
const PAYOUT = {
  StartAt: 'Transfer',
  States: {
    'Transfer': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'transfer', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Bank.Throttled'], MaxAttempts: 3, IntervalSeconds: 1 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Transfer failed' }],
      Next: 'Paid',
    },
    'Transfer failed': { Type: 'Fail', Error: 'Payout.Failed' },
    'Paid': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('a Retry worn out by the error it retries', () => {
  it('finds VIOLATED a function of the run only a worn-out Retry breaks, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(PAYOUT);
    const triedSix = (run: Awaited<ReturnType<Workflow['run']>>): boolean => {
      if (!run.visited('Transfer failed')) return true;
      const a = run.attempts('Transfer');
      return a[a.length - 1].error !== 'Bank.Throttled' || a.length >= 6;
    };
    const report = await wf.verify({ triedSix: Property.run(triedSix, 'a throttled transfer is tried six times') });
    const v = report.properties.triedSix;
    expect(v.verdict).toBe('VIOLATED');
    expect(v.counterexample).toMatchObject({ mocks: { Transfer: { Throw: { Error: 'Bank.Throttled' } } }, path: ['Transfer', 'Transfer failed'] });
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'triedSix') });
    expect(run.attempts('Transfer').map((a) => a.error)).toEqual(['Bank.Throttled', 'Bank.Throttled', 'Bank.Throttled', 'Bank.Throttled']);
    expect(triedSix(run)).toBe(false);
  });

  it('leaves a Task whose answers the options give as given', async () => {
    const wf = Workflow.fromDefinition(PAYOUT);
    const report = await wf.verify(
      { neverFails: Property.never('Transfer failed') },
      { mocks: { Transfer: { Return: { ok: true } } } },
    );
    // No run failed the given Task: none broke the property only to pass once its mocks were given.
    expect(report.properties.neverFails.verdict).not.toBe('VIOLATED');
    expect(report.properties.neverFails.reason).not.toContain('did not break it again');
  });
});

// A reservation whose timeouts are retried once (the author meant twice), caught into $.error: the
// lightest run through the Task is an input-kind probe (the input `0`), where that Catch's ResultPath
// fails; the worn-out Retry must be made from a run of the search, whose object input it can write into.
const RESERVE = {
  StartAt: 'Reserve',
  States: {
    Reserve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      TimeoutSeconds: 20,
      Parameters: { 'FunctionName': 'reserve', 'Payload.$': '$' },
      ResultPath: '$.reservation',
      Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 1, IntervalSeconds: 5 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Released' }],
      End: true,
    },
    Released: { Type: 'Pass', End: true },
  },
} as unknown as StateMachineDefinition;

describe('a Retry worn out from a run of the search', () => {
  it('wears a Retry out from the lightest run of the search, not from an input-kind probe whose Catch cannot write its ResultPath', async () => {
    const wf = Workflow.fromDefinition(RESERVE);
    const triedThrice = (run: Awaited<ReturnType<Workflow['run']>>): boolean => {
      const a = run.attempts('Reserve');
      return !run.visited('Released') || a[a.length - 1].error !== 'States.Timeout' || a.length === 3;
    };
    const report = await wf.verify({ triedThrice: Property.run(triedThrice, 'a timed-out reservation is tried three times') });
    const v = report.properties.triedThrice;
    expect(v.verdict).toBe('VIOLATED');
    expect(v.counterexample).toMatchObject({ mocks: { Reserve: { Throw: { Error: 'States.Timeout' } } }, path: ['Reserve', 'Released'] });
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'triedThrice') });
    expect(triedThrice(run)).toBe(false);
  });
});
