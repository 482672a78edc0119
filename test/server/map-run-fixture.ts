import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ROLE, until } from './helpers';

/** A DISTRIBUTED Map over `$.items` whose children fail for `{ "bad": true }` and pass the others through. */
export const mapOver = (extra: Record<string, unknown> = {}, processor?: Record<string, unknown>): string => JSON.stringify({
  StartAt: 'Run',
  States: {
    Run: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: processor ?? {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Check',
        States: {
          Check: { Type: 'Choice', Choices: [{ Variable: '$.bad', IsPresent: true, Next: 'Bad' }], Default: 'Good' },
          Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'a bad item' },
          Good: { Type: 'Pass', End: true },
        },
      },
      ...extra,
      End: true,
    },
  },
});

/** Creates state machine `name` and starts one execution of it with `input`; its ARN. */
/** A processor whose children each wait for a callback, whose token is their Task's MessageBody. */
export const ASKING = {
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt: 'Ask',
  States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } },
};

export async function started(sfn: SFNClient, name: string, definition: string, input: unknown): Promise<string> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
  return (await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn!, input: JSON.stringify(input) }))).executionArn!;
}

/** Waits for execution `executionArn` to end; its status. */
export const ended = (sfn: SFNClient, executionArn: string): Promise<string> => until(
  async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status!, (s) => s !== 'RUNNING',
);
