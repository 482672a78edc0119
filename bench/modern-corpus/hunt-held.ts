/*
 * Machines written for the explore round 4 hunt in the idioms of the held machines (issue 77):
 * a JSONata lambda:invoke with no Output before a Choice, approvals with callbacks, Bedrock
 * guardrails, polling loops, string and sum thresholds, Distributed Maps over S3 and a Saga.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/**
 * A risk score whose Task has no Output: the Choice after it reads the invoke envelope, where
 * `Payload.risk` is the function's answer and `risk` (a rule left from before the Task moved to
 * the optimized integration) is never there, so 'Legacy review' is unreachable.
 */
export const heldEnvelopeRoute: ModernMachine = {
  name: 'HeldEnvelopeRoute',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Score risk',
      States: {
        'Score risk': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('score-risk'), Payload: { order: '{% $states.input.orderId %}' } },
          Next: 'Risk?',
        },
        'Risk?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.risk = 'high' %}", Next: 'Legacy review' },
            { Condition: "{% $states.input.Payload.risk = 'high' %}", Next: 'Review' },
          ],
          Default: 'Approve',
        },
        'Legacy review': { Type: 'Pass', Next: 'Review' },
        Review: { Type: 'Succeed' },
        Approve: { Type: 'Succeed' },
      },
    });
  },
};
