import {
  CreateActivityCommand, CreateStateMachineCommand, DeleteActivityCommand, DescribeExecutionCommand, GetActivityTaskCommand, StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import { TaskRouter } from '../../src/server/tasks';

/*
 * serve's task router holds a queue of tasks and a list of waiting workers for an activity only
 * while one of them is not empty: a peer that creates, polls and deletes activity after activity,
 * or starts and stops executions on ever new activities, leaves nothing behind in it.
 */

describe("serve's tables of activity tasks and workers", () => {
  afterEach(() => jest.restoreAllMocks());

  it('holds nothing for an activity once no worker waits on it and no task waits for a worker', async () => {
    const poll = jest.spyOn(TaskRouter.prototype, 'poll');
    const env = await serve();
    try {
      for (let i = 0; i < 20; i++) {
        const { activityArn } = await env.sfn.send(new CreateActivityCommand({ name: `a${i}` }));
        const polled = env.sfn.send(new GetActivityTaskCommand({ activityArn }));
        await until(async () => poll.mock.calls.length, (n) => n === i + 1);
        const router = poll.mock.contexts[0] as TaskRouter;
        await until(async () => router.waitingPollers(activityArn!), (n) => n === 1);
        // Deleting the activity ends its poll, as on AWS.
        await env.sfn.send(new DeleteActivityCommand({ activityArn }));
        expect((await polled).taskToken).toBeUndefined();
      }
      const router = poll.mock.contexts[0] as TaskRouter;
      expect(router.size.activities).toBe(0);

      // A task queued for a worker, then its execution stopped: its queue goes with it.
      for (let i = 0; i < 5; i++) {
        const { activityArn } = await env.sfn.send(new CreateActivityCommand({ name: `queued${i}` }));
        const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({
          name: `m${i}`, roleArn: ROLE, definition: asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, End: true } } }),
        }));
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
        await until(async () => router.size.activities, (n) => n === 1);
        await env.sfn.send(new StopExecutionCommand({ executionArn }));
        await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'ABORTED');
        expect(router.size.activities).toBe(0);
      }
    } finally {
      await env.stop();
    }
  }, 60_000);
});
