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

/**
 * A guardrail on a model called through the AWS SDK integration: its Body is a string of JSON,
 * parsed for the text a Choice tests for a banned word, a refusal prefix and its length.
 */
export const heldSdkGuardrail: ModernMachine = {
  name: 'HeldSdkGuardrail',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Draft answer',
      States: {
        'Draft answer': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:bedrockruntime:invokeModel',
          Arguments: {
            ModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
            ContentType: 'application/json',
            Body: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 400, messages: [{ role: 'user', content: '{% $states.input.question %}' }] },
          },
          Assign: { answer: '{% $parse($states.result.Body).content[0].text %}' },
          Next: 'Guardrail',
        },
        'Guardrail': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $contains($lowercase($answer), 'password') %}", Next: 'Blocked' },
            { Condition: '{% $exists($match($answer, /^REFUSE:/)) %}', Next: 'Refused' },
            { Condition: '{% $length($answer) > 600 %}', Next: 'Shorten' },
          ],
          Default: 'Reply',
        },
        'Blocked': { Type: 'Fail', Error: 'Guardrail.Blocked', Cause: 'the answer names a secret' },
        'Refused': { Type: 'Succeed' },
        'Shorten': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('shorten'), Payload: { text: '{% $answer %}' } },
          Output: '{% $states.result.Payload %}',
          Next: 'Reply',
        },
        'Reply': { Type: 'Succeed' },
      },
    });
  },
};
