import {
  CreateStateMachineCommand, DescribeExecutionCommand, InvalidOutput, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand,
  StartExecutionCommand, TaskDoesNotExist, TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import { CLOSED_TOKENS_KEPT } from '../../src/interpreter/closed-tokens';
import { TaskRouter } from '../../src/server/tasks';
import { manyCallbacks } from '../many-callbacks';

/*
 * serve's task router keeps a token with its execution while its Task waits, then the token alone,
 * and only the last CLOSED_TOKENS_KEPT of those, the harness's bound (docs/limits.md, "Callbacks"):
 * what it holds does not grow with the callbacks a peer makes it run. A late answer gets AWS's
 * answer: TaskTimedOut for a token it remembers (its values checked first, as for an open task),
 * TaskDoesNotExist for one forgotten, as for a token no task holds.
 */

const EXECUTIONS = 50;

describe("serve's table of task tokens", () => {
  afterEach(() => jest.restoreAllMocks());

  it(`after 50,000 callbacks keeps ${CLOSED_TOKENS_KEPT.toLocaleString('en-US')} closed tokens and none open; a late answer is TaskTimedOut, or TaskDoesNotExist once forgotten`, async () => {
    // The tokens in the order they were issued, as the router is told of each.
    const issue = jest.spyOn(TaskRouter.prototype as unknown as { issue(token: string): void }, 'issue');
    const env = await serve({
      mockConfig: {
        StateMachines: { many: { TestCases: { Ok: { Wait: 'Answered' } } } },
        MockedResponses: { Answered: { '0-999': { Return: { ok: 1 } } } },
      },
    });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'many', definition: asl(manyCallbacks(1)), roleArn: ROLE }));
      for (let i = 0; i < EXECUTIONS; i++) {
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Ok` }));
        const ended = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 120_000);
        expect(ended.status).toBe('SUCCEEDED');
      }
      const tokens = issue.mock.calls.map(([token]) => token);
      const router = issue.mock.contexts[0] as TaskRouter;
      expect([tokens.length, issue.mock.contexts.every((c) => c === router)]).toEqual([EXECUTIONS * 1_000, true]);
      expect(router.size).toEqual({ open: 0, closed: CLOSED_TOKENS_KEPT, activities: 0 });

      const remembered = tokens[tokens.length - CLOSED_TOKENS_KEPT];
      const forgotten = tokens[tokens.length - CLOSED_TOKENS_KEPT - 1];
      await expect(env.sfn.send(new SendTaskSuccessCommand({ taskToken: remembered, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
      await expect(env.sfn.send(new SendTaskHeartbeatCommand({ taskToken: remembered }))).rejects.toBeInstanceOf(TaskTimedOut);
      await expect(env.sfn.send(new SendTaskFailureCommand({ taskToken: tokens[tokens.length - 1], error: 'Late' }))).rejects.toBeInstanceOf(TaskTimedOut);
      // Its values are checked first, as for an open task.
      await expect(env.sfn.send(new SendTaskSuccessCommand({ taskToken: remembered, output: '{' }))).rejects.toBeInstanceOf(InvalidOutput);
      await expect(env.sfn.send(new SendTaskSuccessCommand({ taskToken: forgotten, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
      await expect(env.sfn.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }))).rejects.toBeInstanceOf(TaskDoesNotExist);
    } finally {
      await env.stop();
    }
  }, 600_000);
});
