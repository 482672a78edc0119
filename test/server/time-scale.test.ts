import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';

const WAIT_A_MINUTE = asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });

describe('serve --time-scale: waits run faster, idle time does not', () => {
  it('stamps an execution started 0.x s after its machine was created within the real time that passed, at scale 60', async () => {
    const env = await serve({ timeScale: 60 });
    try {
      const realBefore = Date.now();
      const { stateMachineArn, creationDate } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: WAIT_A_MINUTE, roleArn: ROLE }));
      const first = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn })), (d) => d.status !== 'RUNNING', 20_000);
      const second = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      const realElapsed = Date.now() - realBefore;

      expect(done.status).toBe('SUCCEEDED');
      // The history shows the Wait's 60 s ...
      const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: first.executionArn }));
      const entered = events!.find((e) => e.type === 'WaitStateEntered')!.timestamp!.getTime();
      const exited = events!.find((e) => e.type === 'WaitStateExited')!.timestamp!.getTime();
      expect(exited - entered).toBeGreaterThanOrEqual(60_000);
      expect(exited - entered).toBeLessThan(60_000 + realElapsed + 1);
      // ... while the server's own time moved no faster than the wall clock (before: 60 times faster).
      expect(first.startDate!.getTime() - creationDate!.getTime()).toBeLessThanOrEqual(realElapsed + 1);
      expect(second.startDate!.getTime() - creationDate!.getTime()).toBeLessThanOrEqual(realElapsed + 1);
      expect(second.startDate!.getTime()).toBeGreaterThanOrEqual(first.startDate!.getTime());
    } finally {
      await env.stop();
    }
  });
});
