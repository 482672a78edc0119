// The harness a jest user has, under vitest: every matcher (typed by stepwright/testing/vitest, or
// /vitest4, with no @types/jest), their messages, the virtual clock beside vitest's fake timers,
// concurrent tests, replay, explore, verify, scaffoldTests and testState. consumer-check runs it,
// type-checked with skipLibCheck: false, under vitest's current major, the one before and 3.2, and
// under each pool and isolation a vitest config chooses.
import { App } from 'aws-cdk-lib';
import {
  MERMAID_IN_FAILURES_ENV, Property, Workflow, fail, replay, scaffoldTests, testState, type Recording,
} from 'stepwright/testing';
import { describe, expect, it, vi } from 'vitest';
import { OrderStack } from '../lib/order-stack';

// Charge (retried when throttled, a decline caught), wait a day, then a callback for the approval.
const wf = Workflow.fromDefinition({
  StartAt: 'Charge',
  States: {
    'Charge': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['Payment.Declined'], Next: 'Declined' }],
      Next: 'Wait a day',
    },
    'Wait a day': { Type: 'Wait', Seconds: 86_400, Next: 'Approve' },
    'Approve': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'approve', Payload: { 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
      End: true,
    },
    'Declined': { Type: 'Fail', Error: 'Declined', Cause: 'the card was declined' },
  },
});
const approved = { Charge: [fail('Lambda.TooManyRequestsException'), { chargeId: 'ch_1' }], Approve: { approved: true } };
const declined = { Charge: fail('Payment.Declined') };

describe('the matchers', () => {
  it('pass and fail as under jest, with .not, expect.soft and asymmetric matchers', async () => {
    const ok = await wf.run({ orderId: 'o-1' }, { mocks: approved });
    expect(ok).toSucceed();
    expect(ok).toHaveOutput({ approved: expect.any(Boolean) });
    expect(ok).toHavePath(['Charge', 'Wait a day', 'Approve']);
    expect(ok).toHavePath(expect.arrayContaining(['Approve']));
    expect(ok).toHaveVisited(expect.stringMatching(/^Wait/), 'Approve');
    expect(ok).not.toHaveVisited('Declined');
    expect(ok).toHaveRetried('Charge', 1);
    expect(ok).toCostAtMost({ stateTransitions: 5 });
    expect(ok.attempts('Charge').map((a) => a.waitedSeconds)).toEqual([0, 2]);

    const no = await wf.run({ orderId: 'o-2' }, { mocks: declined });
    expect(no).not.toSucceed();
    expect(no).toFail('Declined', /declined/);
    expect.soft(no).toFail(expect.stringContaining('Decl'), 'the card was declined');
    expect({ run: no }).toEqual({ run: expect.toFail('Declined') });
  });

  it("fail with the run's path, status and events, and with STEPWRIGHT_MERMAID its drawing", async () => {
    const no = await wf.run({ orderId: 'o-3' }, { mocks: declined });
    expect(() => expect(no).toSucceed()).toThrow(/status: FAILED[\s\S]*path: +Charge → Declined[\s\S]*ExecutionFailed/);
    expect(() => expect(no).not.toFail()).toThrow(/expected the execution not to fail/);
    vi.stubEnv(MERMAID_IN_FAILURES_ENV, '1');
    try {
      expect(() => expect(no).toSucceed()).toThrow(/```mermaid\nflowchart/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('check the permissions of a stack and the replay of a recording', async () => {
    expect(Workflow.fromStack(new OrderStack(new App(), 'Orders'))).toHaveTaskPermissions();
    const recording: Recording = {
      format: 'stepwright-recording',
      version: 1,
      stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } },
      execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'SUCCEEDED', input: { a: 1 }, output: { a: 1 } },
      events: [
        { type: 'ExecutionStarted', id: 1, previousEventId: 0 },
        { type: 'PassStateEntered', id: 2, previousEventId: 1, stateEnteredEventDetails: { name: 'P' } },
        { type: 'PassStateExited', id: 3, previousEventId: 2, stateExitedEventDetails: { name: 'P' } },
        { type: 'ExecutionSucceeded', id: 4, previousEventId: 3 },
      ],
    };
    expect(await replay(recording)).toMatchRecording();
    expect(await replay({ ...recording, execution: { ...recording.execution, output: { a: 2 } } })).not.toMatchRecording();
  });
});

describe('the virtual clock', () => {
  it('waits for the callback the test answers, and runs a timeout out with advanceTime', async () => {
    const answered = wf.start({ orderId: 'o-4' }, { mocks: { Charge: { chargeId: 'ch_4' } } });
    answered.sendTaskSuccess(await answered.waitForTaskToken('Approve'), { approved: true });
    expect(await answered.result).toHaveOutput({ approved: true });

    const unanswered = wf.start({ orderId: 'o-5' }, { mocks: { Charge: { chargeId: 'ch_5' } } });
    await unanswered.waitForTaskToken('Approve');
    await unanswered.advanceTime(3600);
    expect(await unanswered.result).toFail('States.Timeout');
  });

  it("runs while the test fakes vitest's timers, and leaves none behind", async () => {
    vi.useFakeTimers();
    try {
      const run = await wf.run({ orderId: 'o-6' }, { mocks: approved });
      expect(run).toSucceed();
      expect(run.history.at(-1)!.timestamp.getTime() - run.history[0].timestamp.getTime()).toBe(86_402_000);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('concurrent tests', () => {
  it.concurrent('have the matchers on their own expect (a decline)', async ({ expect }) => {
    expect(await wf.run({ orderId: 'o-7' }, { mocks: declined })).toFail('Declined');
  });
  it.concurrent('have the matchers on their own expect (an approval)', async ({ expect }) => {
    expect(await wf.run({ orderId: 'o-8' }, { mocks: approved })).toSucceed();
  });
});

describe('explore, verify, scaffoldTests and testState', () => {
  it('find the scenarios, judge the properties and write a vitest file', async () => {
    const report = await wf.explore({ budgetSeconds: 30 });
    expect(report.scenarios.length).toBeGreaterThanOrEqual(2);
    const text = scaffoldTests(report, { source: { definition: '../machines/approval.asl.json' }, definition: wf.definition, runner: 'vitest' });
    expect(text).toContain("import { describe, expect, it } from 'vitest';");

    expect(await wf.verify({ chargesBeforeApproval: Property.precedes('Charge', 'Approve') })).toHold({ proved: true });
    expect(await wf.verify({ neverDeclined: Property.never('Declined') })).not.toHold();

    expect((await testState(wf.definition, 'Declined', {})).status).toBe('FAILED');
  });
});
