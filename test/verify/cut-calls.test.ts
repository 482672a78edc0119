import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import type { VerifyReport } from '../../src/explore/verify';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { reproduced } from './verify-setup';

/*
 * A counterexample's Task calls are cut to the fewest that still break the property: a loop the
 * search ran until the run's year was up is cut at the turn that breaks it, a later call answered
 * as another run answered that Task so the run ends there.
 */

stopExploreClock();

/**
 * A sign-off by callback whose Choice lost its bound (the Default reminds again): a lost heartbeat
 * (States.Timeout) reminds the signer and asks again, forever; a refusal or a failed reminder ends it.
 */
const SIGNOFF = {
  StartAt: 'Init',
  States: {
    'Init': { Type: 'Pass', Parameters: { 'contract.$': '$', 'reminders': { count: 0 } }, Next: 'Request signature' },
    'Request signature': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/signatures', MessageBody: { 'token.$': '$$.Task.Token' } },
      HeartbeatSeconds: 600,
      TimeoutSeconds: 86400,
      ResultPath: '$.signature',
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.lost', Next: 'Reminders left?' },
        { ErrorEquals: ['Signature.Refused'], ResultPath: '$.refusal', Next: 'Refused' },
      ],
      Next: 'Signed',
    },
    'Reminders left?': { Type: 'Choice', Choices: [{ Variable: '$.reminders.count', NumericLessThan: 2, Next: 'Remind' }], Default: 'Remind' },
    'Remind': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:reminders', Message: 'please sign' },
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Not signed' }],
      Next: 'Count reminder',
    },
    'Count reminder': { Type: 'Pass', Parameters: { 'count.$': 'States.MathAdd($.reminders.count, 1)' }, ResultPath: '$.reminders', Next: 'Request signature' },
    'Signed': { Type: 'Succeed' },
    'Refused': { Type: 'Fail', Error: 'Contract.Refused' },
    'Not signed': { Type: 'Fail', Error: 'Contract.NotSigned' },
  },
} as unknown as StateMachineDefinition;

describe('cutting a counterexample to the fewest Task calls', () => {
  const wf = Workflow.fromDefinition(SIGNOFF);
  let report: VerifyReport;
  beforeAll(async () => {
    report = await wf.verify({
      remindsAtMostTwice: Property.atMost('Remind', 2),
      tenStatesAtMost: Property.maxTransitions(10),
      remindedAtMostTwice: (run) => run.attempts('Remind').length <= 2,
    });
  }, 120_000);

  it('breaks "at most 2 reminders" with 3 asks and 3 reminders, the third failing: 6 Task calls, not a year of them', async () => {
    const v = report.properties.remindsAtMostTwice;
    const c = v.counterexample!;
    expect(c.minimized.taskCalls).toBe(6);
    expect(c.path.filter((s) => s === 'Remind')).toHaveLength(3);
    expect(c.path.filter((s) => s === 'Request signature')).toHaveLength(3);
    expect(c.status).toBe('FAILED');
    expect(c.minimized.cutFromTaskCalls).toBeGreaterThan(6);
    expect(v.reason).toMatch(/minimized: 6 Task calls, cut from the \d+ of one of the \d+ runs? that broke it by answering a later call as another run did/);
    const { run } = await reproduced(wf, SIGNOFF, v, 'remindsAtMostTwice');
    expect(run.path.filter((s) => s === 'Remind')).toHaveLength(3);
  });

  it('breaks "at most 10 states" with 5 Task calls, the third ask answered', async () => {
    const v = report.properties.tenStatesAtMost;
    const c = v.counterexample!;
    expect(c.minimized.taskCalls).toBe(5);
    expect(c.path).toHaveLength(11);
    await reproduced(wf, SIGNOFF, v, 'tenStatesAtMost');
  });

  it('cuts a function of the run\'s counterexample the same way', async () => {
    const v = report.properties.remindedAtMostTwice;
    expect(v.counterexample!.minimized.taskCalls).toBe(6);
    await reproduced(wf, SIGNOFF, v, 'remindedAtMostTwice');
  });
});
