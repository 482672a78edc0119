import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, settled } from './helpers';
import { fakeRealTime } from '../real-time';

const WAIT_A_MINUTE = asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });

describe('serve --time-scale: waits run faster, idle time does not', () => {
  // Real time passes only when the test advances it (test/real-time.ts): every figure below is exact.
  it('stamps an execution started a real second after its machine was created a second later, while its 60 s Wait ran, at scale 60', async () => {
    const env = await serve({ timeScale: 60 });
    fakeRealTime();
    try {
      const { stateMachineArn, creationDate } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: WAIT_A_MINUTE, roleArn: ROLE }));
      const first = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await settled(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn: first.executionArn })), (h) => h.events!.some((e) => e.type === 'WaitStateEntered'));
      // 60 s of Wait at scale 60: one real second.
      await jest.advanceTimersByTimeAsync(1_000);
      const done = await settled(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn })), (d) => d.status !== 'RUNNING');
      const second = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));

      expect(done.status).toBe('SUCCEEDED');
      // The history shows the Wait's 60 s ...
      const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: first.executionArn }));
      const at = (type: string) => events!.find((e) => e.type === type)!.timestamp!.getTime();
      expect(at('WaitStateExited') - at('WaitStateEntered')).toBe(60_000);
      // ... while the server's own time moved as the wall clock did, one second (before: 60 times faster).
      expect(first.startDate!.getTime() - creationDate!.getTime()).toBe(0);
      expect(second.startDate!.getTime() - creationDate!.getTime()).toBe(1_000);
    } finally {
      jest.useRealTimers();
      await env.stop();
    }
  });
});
