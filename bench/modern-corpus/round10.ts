/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, seventh pass): a Map whose
 * items a JSONata expression computes, not a path it reads — a filter over the input's orders,
 * whose later items go a different way by their index, and a range of page numbers its input
 * bounds; and a Map with no Items that runs over what a Task's filtered answer left as its input.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/**
 * Restocking a warehouse's open orders: only the orders still open are picked (a filter in
 * `Items`), the first two by the fast lane, the rest batched; large ones need a supervisor.
 */
export const openOrderRestock: ModernMachine = {
  name: 'OpenOrderRestock',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Pick open orders',
      States: {
        'Pick open orders': {
          Type: 'Map',
          Items: "{% $states.input.orders[status = 'open'] %}",
          ItemSelector: { position: '{% $states.context.Map.Item.Index %}', order: '{% $states.context.Map.Item.Value %}' },
          MaxConcurrency: 4,
          ItemProcessor: {
            StartAt: 'Fast lane?',
            States: {
              'Fast lane?': {
                Type: 'Choice',
                Choices: [{ Condition: '{% $states.input.position < 2 %}', Next: 'Large order?' }],
                Default: 'Batch later',
              },
              'Large order?': {
                Type: 'Choice',
                Choices: [{ Condition: '{% $states.input.order.units * $states.input.order.unitPrice > 5000 %}', Next: 'Ask supervisor' }],
                Default: 'Restock now',
              },
              'Ask supervisor': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: FN('supervisor-review'), Payload: '{% $states.input.order %}' },
                Output: '{% $states.result.Payload %}',
                End: true,
              },
              'Restock now': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: FN('restock'), Payload: '{% $states.input.order %}' },
                Output: '{% $states.result.Payload %}',
                End: true,
              },
              'Batch later': { Type: 'Pass', Output: { queued: '{% $states.input.order.id %}' }, End: true },
            },
          },
          Next: 'Report pages',
        },
        'Report pages': {
          Type: 'Map',
          Items: '{% [1..$states.context.Execution.Input.reportPages] %}',
          ItemProcessor: {
            StartAt: 'Appendix page?',
            States: {
              'Appendix page?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input > 2 %}', Next: 'Appendix' }], Default: 'Summary page' },
              'Appendix': { Type: 'Pass', Output: { page: '{% $states.input %}', kind: 'appendix' }, End: true },
              'Summary page': { Type: 'Pass', Output: { page: '{% $states.input %}', kind: 'summary' }, End: true },
            },
          },
          End: true,
        },
      },
    });
  },
};

/**
 * Overdue invoices: a Query's answer filtered to the unpaid ones becomes the next state's input,
 * and a Map with no Items reminds each customer, escalating the large balances.
 */
export const overdueInvoiceReminders: ModernMachine = {
  name: 'OverdueInvoiceReminders',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Find unpaid invoices',
      States: {
        'Find unpaid invoices': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: {
            TableName: 'invoices',
            KeyConditionExpression: 'customer = :c',
            ExpressionAttributeValues: { ':c': { S: '{% $states.input.customer %}' } },
          },
          Output: '{% $states.result.Items[paid.BOOL = false] %}',
          Next: 'Remind each',
        },
        'Remind each': {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Large balance?',
            States: {
              'Large balance?': {
                Type: 'Choice',
                Choices: [{ Condition: '{% $number($states.input.balance.N) >= 1000 %}', Next: 'Escalate' }],
                Default: 'Send reminder',
              },
              'Escalate': {
                Type: 'Task',
                Resource: 'arn:aws:states:::sns:publish',
                Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:collections', Message: "{% 'invoice ' & $states.input.id.S %}" },
                End: true,
              },
              'Send reminder': {
                Type: 'Task',
                Resource: 'arn:aws:states:::sns:publish',
                Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:reminders', Message: "{% 'invoice ' & $states.input.id.S %}" },
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
