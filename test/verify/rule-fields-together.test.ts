import type { StateMachineDefinition } from '../../src/asl';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { reproduced } from './verify-setup';

/*
 * A Choice rule that reads two fields of an answer at once: `$decision = 'APPROVED' and` the
 * approver's address in procurement. The seeds bench (--choice-rules) moved the rule's count
 * (VendorOnboarding's Decision rule 1, `= 1` to `= 2`) and verify missed it: the run the search
 * made with APPROVED went to the next rule's Fail state with an approver no pattern matched, and
 * the text probes, changing one field at a time, never gave both the decision and the approver
 * the rule names. They now place a rule's texts at every place it reads at once.
 */

stopExploreClock();

/** The modern corpus's VendorOnboarding, its Decision rule 1 written with the wrong count: an address matches the pattern once at most. */
const decision = {
  QueryLanguage: 'JSONata',
  StartAt: 'Normalize',
  States: {
    'Normalize': {
      Type: 'Pass',
      Assign: {
        vendor: "{% $merge([$states.input.vendor, {'name': $trim($states.input.vendor.name), 'country': $uppercase($states.input.vendor.country)}]) %}",
        requester: '{% $states.input.requester %}',
      },
      Next: 'Valid?',
    },
    'Valid?': {
      Type: 'Choice',
      Choices: [
        {
          Condition: '{% $not($contains($vendor.taxId, /^[0-9]{2}-[0-9]{7}$/)) %}',
          Next: 'Invalid tax id',
        },
        {
          Condition: '{% $length($vendor.name) > 80 %}',
          Next: 'Name too long',
        },
      ],
      Default: 'Screen',
    },
    'Screen': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:vendor-screen',
        Payload: {
          name: '{% $vendor.name %}',
          country: '{% $vendor.country %}',
        },
      },
      Retry: [
        {
          ErrorEquals: [
            'Lambda.TooManyRequestsException',
          ],
          IntervalSeconds: 1,
          MaxAttempts: 3,
          BackoffRate: 2,
        },
      ],
      Assign: {
        screening: '{% $states.result.Payload.status %}',
        hits: '{% $states.result.Payload.hits %}',
      },
      Next: 'Route',
    },
    'Route': {
      Type: 'Choice',
      Choices: [
        {
          Condition: "{% $screening = 'BLOCKED' or $hits > 2 %}",
          Next: 'Reject',
        },
        {
          Condition: "{% $screening = 'CLEAR' and $substring($vendor.country, 0, 2) in ['US', 'CA'] and $vendor.category != 'contractor' %}",
          Next: 'Create vendor',
        },
      ],
      Default: 'Ask procurement',
    },
    'Ask procurement': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Arguments: {
        QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/procurement',
        MessageBody: {
          vendor: '{% $vendor %}',
          hits: '{% $hits %}',
          token: '{% $states.context.Task.Token %}',
        },
      },
      TimeoutSeconds: 172800,
      HeartbeatSeconds: 3600,
      Catch: [
        {
          ErrorEquals: [
            'States.Timeout',
            'States.HeartbeatTimeout',
          ],
          Next: 'Remind requester',
        },
      ],
      Assign: {
        decision: '{% $states.result.decision %}',
        approver: '{% $states.result.approver %}',
      },
      Next: 'Decision',
    },
    'Decision': {
      Type: 'Choice',
      Choices: [
        {
          Condition: "{% $decision = 'APPROVED' and $count($match($approver, /@procurement\\.example\\.com$/)) = 2 %}",
          Next: 'Create vendor',
        },
        {
          Condition: "{% $decision = 'APPROVED' %}",
          Next: 'Needs a procurement approver',
        },
        {
          Condition: "{% $decision = 'CHANGES_REQUESTED' %}",
          Next: 'Back to requester',
        },
      ],
      Default: 'Reject',
    },
    'Remind requester': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Arguments: {
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:requesters',
        Message: "{% 'No answer yet on ' & $vendor.name %}",
      },
      End: true,
    },
    'Back to requester': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Arguments: {
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:requesters',
        Message: "{% 'Changes requested by ' & $approver %}",
      },
      End: true,
    },
    'Needs a procurement approver': {
      Type: 'Fail',
      Error: 'Vendor.ApproverNotProcurement',
      Cause: "{% $approver & ' is not in procurement' %}",
    },
    'Create vendor': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Arguments: {
        TableName: 'Vendors',
        Item: {
          taxId: {
            S: '{% $vendor.taxId %}',
          },
          name: {
            S: '{% $vendor.name %}',
          },
          country: {
            S: '{% $vendor.country %}',
          },
        },
        ConditionExpression: 'attribute_not_exists(taxId)',
      },
      Catch: [
        {
          ErrorEquals: [
            'DynamoDB.ConditionalCheckFailedException',
          ],
          Next: 'Already a vendor',
        },
      ],
      Next: 'Long name?',
    },
    'Long name?': {
      Type: 'Choice',
      Choices: [
        {
          Condition: '{% $length($vendor.name) > 100 %}',
          Next: 'Shorten name',
        },
      ],
      Default: 'Onboarded',
    },
    'Shorten name': {
      Type: 'Pass',
      Assign: {
        vendor: "{% $merge([$vendor, {'name': $substring($vendor.name, 0, 100)}]) %}",
      },
      Next: 'Onboarded',
    },
    'Onboarded': {
      Type: 'Succeed',
    },
    'Already a vendor': {
      Type: 'Succeed',
    },
    'Reject': {
      Type: 'Fail',
      Error: 'Vendor.Rejected',
    },
    'Invalid tax id': {
      Type: 'Fail',
      Error: 'Vendor.InvalidTaxId',
      Cause: "{% 'tax id ' & $string($vendor.taxId) & ' is not NN-NNNNNNN' %}",
    },
    'Name too long': {
      Type: 'Fail',
      Error: 'Vendor.NameTooLong',
    },
  },
} as unknown as StateMachineDefinition;

/** What the property knows of the promise, kept out of its source (whose texts verify also tries). */
const PROMISE = { decision: ['APPROVED'], domain: ['@procurement.example.com'] };

/** The answer procurement gave, when it gave one. */
const answerOf = (run: WorkflowRun): { decision?: unknown; approver?: unknown } =>
  (run.attempts('Ask procurement')[0]?.output ?? {}) as { decision?: unknown; approver?: unknown };

describe('a rule that reads two fields at once, tried by verify', () => {
  it('finds the approval by a procurement approver that is refused, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(decision);
    const byProcurement = (run: WorkflowRun): boolean => {
      const { decision: d, approver } = answerOf(run);
      return PROMISE.decision.includes(d as string) && typeof approver === 'string' && PROMISE.domain.some((x) => approver.endsWith(x));
    };
    const procurementApprovalCreates = (run: WorkflowRun): boolean => !byProcurement(run) || run.visited('Create vendor');
    const report = await wf.verify({ procurementApprovalCreates });
    const v = report.properties.procurementApprovalCreates;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, decision, v, 'procurementApprovalCreates');
    expect({ byProcurement: byProcurement(run), created: run.visited('Create vendor') }).toEqual({ byProcurement: true, created: false });
  });
});
