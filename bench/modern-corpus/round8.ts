/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, fifth pass): a sprint board
 * whose tasks one Assign splits into done and open (two complementary filters of one list), its
 * Choice closing the sprint on counts of both, one rule of which no list can meet; and a billing
 * close run as a child workflow (`startExecution.sync`), its Choice on the child's Status, whose
 * Default no answer AWS gives takes (every Status but SUCCEEDED fails the Task); and a vendor
 * payment run whose Map's ItemSelector reads each payment through `$states.context.Map.Item.Value`.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/**
 * A sprint closed when three tasks are done and one is left for the next, archived when none is
 * left: the last can never be, since an Assign of a filter that keeps nothing fails 'Load board'.
 */
export const sprintBoardClose: ModernMachine = {
  name: 'SprintBoardClose',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load board',
      States: {
        'Load board': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('load-board'), Payload: { sprint: '{% $states.input.sprint %}' } },
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 2 }],
          Assign: {
            finished: "{% $states.result.Payload.cards[column = 'done'] %}",
            remaining: "{% $states.result.Payload.cards[column != 'done'] %}",
          },
          Next: 'Sprint over?',
        },
        'Sprint over?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $count($finished) >= 3 and $count($remaining) = 0 %}', Next: 'Archive sprint' },
            { Condition: '{% $count($finished) >= 3 and $count($remaining) = 1 %}', Next: 'Carry over' },
          ],
          Default: 'Keep going',
        },
        'Archive sprint': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('archive-sprint'), Payload: { done: '{% $finished %}' } },
          End: true,
        },
        'Carry over': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('carry-over'), Payload: { card: '{% $remaining %}' } },
          End: true,
        },
        'Keep going': { Type: 'Succeed' },
      },
    });
  },
};

/** A month's billing closed by a child workflow; the parent reads its Status and the invoices it wrote. */
export const billingCloseChild: ModernMachine = {
  name: 'BillingCloseChild',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Close month',
      States: {
        'Close month': {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Arguments: {
            StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:billing-close',
            Input: { month: '{% $states.input.month %}' },
          },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Output: { cause: '{% $states.errorOutput.Cause %}' }, Next: 'Alert billing' }],
          Assign: { invoices: '{% $states.result.Output.invoices %}' },
          Output: { status: '{% $states.result.Status %}' },
          Next: 'Closed?',
        },
        'Closed?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.status = 'SUCCEEDED' and $invoices > 0 %}", Next: 'Send statements' },
            { Condition: "{% $states.input.status = 'SUCCEEDED' %}", Next: 'Nothing billed' },
          ],
          Default: 'Child in odd state',
        },
        'Send statements': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:statements', Message: "{% $string($invoices) & ' invoices closed' %}" },
          End: true,
        },
        'Nothing billed': { Type: 'Succeed' },
        'Child in odd state': { Type: 'Fail', Error: 'Billing.UnknownStatus', Cause: 'the close ended in a status nobody expected' },
        'Alert billing': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:billing-alerts', Message: '{% $states.input.cause %}' },
          End: true,
        },
      },
    });
  },
};

/** Vendor payments, each selected through the Map's context; those over a limit held for review. */
export const vendorPaymentRun: ModernMachine = {
  name: 'VendorPaymentRun',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Pay vendors',
      States: {
        'Pay vendors': {
          Type: 'Map',
          Items: '{% $states.input.payments %}',
          MaxConcurrency: 5,
          ItemSelector: {
            payee: '{% $states.context.Map.Item.Value.payee %}',
            cents: '{% $states.context.Map.Item.Value.cents %}',
            line: '{% $states.context.Map.Item.Index + 1 %}',
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Over limit?',
            States: {
              'Over limit?': {
                Type: 'Choice',
                Choices: [{ Condition: '{% $states.input.cents > 1000000 %}', Next: 'Hold for review' }],
                Default: 'Transfer',
              },
              'Hold for review': { Type: 'Pass', Output: { held: '{% $states.input.payee %}' }, End: true },
              'Transfer': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: FN('transfer'), Payload: '{% $states.input %}' },
                Output: { paid: '{% $states.input.payee %}' },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
  },
};
