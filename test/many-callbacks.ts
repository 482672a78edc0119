import type { StateMachineDefinition } from '../src/asl/definition-types';

/**
 * A machine whose run makes `outer` × 1,000 callback Tasks (`Wait`, an SQS
 * `sendMessage.waitForTaskToken`), in a Map inside a Map: that many items as one input would pass
 * the 256 KiB payload limit. The tests of the task-token tables use it to show a table's size does
 * not grow with the callbacks a run makes.
 */
export function manyCallbacks(outer: number): StateMachineDefinition {
  const wait = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
    Parameters: { QueueUrl: 'q', MessageBody: { 't.$': '$$.Task.Token' } },
    ResultPath: null,
    End: true,
  } as const;
  return {
    StartAt: 'Items',
    States: {
      Items: { Type: 'Pass', Parameters: { 'outer.$': `States.ArrayRange(1, ${outer}, 1)`, 'inner.$': 'States.ArrayRange(1, 1000, 1)' }, Next: 'Outer' },
      Outer: {
        Type: 'Map',
        ItemsPath: '$.outer',
        ItemSelector: { 'inner.$': '$.inner' },
        ResultPath: null,
        End: true,
        ItemProcessor: {
          StartAt: 'Inner',
          States: {
            Inner: { Type: 'Map', ItemsPath: '$.inner', ResultPath: null, End: true, ItemProcessor: { StartAt: 'Wait', States: { Wait: wait } } },
          },
        },
      },
    },
  };
}
