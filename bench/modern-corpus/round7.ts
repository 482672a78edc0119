/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, fourth pass): a Distributed
 * Map that tolerates failed payouts, its Output counting the failed ones (each a `{Error, Cause}`
 * entry of the results) and a Choice sending the run to finance when any failed; and a nightly
 * child workflow run with `startExecution.sync:2`, routed on the Status its answer holds.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/** Payouts sent one child each, 5% of them allowed to fail; finance hears of those that did. */
export const payoutFailureReport: ModernMachine = {
  name: 'PayoutFailureReport',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Send payouts',
      States: {
        'Send payouts': {
          Type: 'Map',
          Items: '{% $states.input.payouts %}',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Pay',
            States: {
              Pay: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: FN('send-payout'), Payload: '{% $states.input %}' },
                Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
                Output: '{% $states.result.Payload %}',
                End: true,
              },
            },
          },
          ToleratedFailurePercentage: 5,
          MaxConcurrency: 50,
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Halt payouts' }],
          Output: "{% {'paid': $count($states.result[$not($exists(Error))]), 'failed': $count($states.result[$exists(Error)])} %}",
          Next: 'Any failed?',
        },
        'Any failed?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.failed > 0 %}', Next: 'Tell finance' }],
          Default: 'All paid',
        },
        'Tell finance': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:finance', Message: "{% $string($states.input.failed) & ' payouts failed' %}" },
          End: true,
        },
        'All paid': { Type: 'Succeed' },
        'Halt payouts': { Type: 'Fail', Error: 'Payouts.Halted', Cause: 'more payouts failed than the run tolerates' },
      },
    });
  },
};

/** A nightly child workflow run to its end; its Status read by a Choice, a failed child caught. */
export const nightlyChildRun: ModernMachine = {
  name: 'NightlyChildRun',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Run nightly',
      States: {
        'Run nightly': {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Arguments: {
            StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nightly',
            Input: { day: '{% $states.input.day %}' },
          },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Output: { failed: '{% $states.errorOutput.Error %}' }, Next: 'Page on-call' }],
          Output: { status: '{% $states.result.Status %}', rows: '{% $states.result.Output.rows %}' },
          Next: 'Rows written?',
        },
        'Rows written?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.rows > 0 %}', Next: 'Publish report' },
          ],
          Default: 'Nothing to report',
        },
        'Publish report': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:reports', Message: "{% 'nightly run ' & $states.input.status & ': ' & $string($states.input.rows) & ' rows' %}" },
          End: true,
        },
        'Nothing to report': { Type: 'Succeed' },
        'Page on-call': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:oncall', Message: "{% 'nightly run failed: ' & $states.input.failed %}" },
          End: true,
        },
      },
    });
  },
};
