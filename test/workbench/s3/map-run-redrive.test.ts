import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, GetExecutionHistoryCommand, ListMapRunsCommand, RedriveExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import { executionPath } from '../../../src/render';
import { startServer } from '../../../src/server';

const definition = {
  StartAt: 'Run',
  States: {
    Run: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Work',
        States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'f', 'Payload.$': '$' }, End: true } },
      },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

describe('redrive of a Map Run in serve, as DescribeMapRun documents it', () => {
  it('after RedriveExecution, ListMapRuns lists the one Map Run, DescribeMapRun answers its latest attempt with redriveCount 1 and a redriveDate, and the history records MapRunRedriven', async () => {
    let failing = true;
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      log: () => undefined,
      console: false,
      handlers: {
        Work: (input) => {
          if (failing && (input as { Payload: { n: number } }).Payload.n === 2) throw Object.assign(new Error('boom'), { name: 'Item.Bad' });
          return { Payload: 'ok' };
        },
      },
    });
    try {
      const client = server.client();
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({
        name: 'R', roleArn: 'arn:aws:iam::123456789012:role/r', definition: JSON.stringify(definition),
      }));
      const input = JSON.stringify({ items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn!, input }));
      const ended = async (): Promise<string> => {
        let status = 'RUNNING';
        // Bounded: the execution is three Task children answered at once.
        for (let i = 0; i < 400 && status === 'RUNNING'; i++) {
          await new Promise((r) => setImmediate(r));
          status = (await client.send(new DescribeExecutionCommand({ executionArn }))).status!;
        }
        return status;
      };
      expect(await ended()).toBe('FAILED');
      const { mapRuns: before } = await client.send(new ListMapRunsCommand({ executionArn }));
      const first = await client.send(new DescribeMapRunCommand({ mapRunArn: before![0].mapRunArn }));
      expect(first).toMatchObject({ status: 'FAILED', redriveCount: 0 });
      expect(first.redriveDate).toBeUndefined();

      failing = false;
      await client.send(new RedriveExecutionCommand({ executionArn }));
      expect(await ended()).toBe('SUCCEEDED');
      const { mapRuns } = await client.send(new ListMapRunsCommand({ executionArn }));
      expect(mapRuns).toHaveLength(1);
      expect(mapRuns![0].mapRunArn).toBe(before![0].mapRunArn);
      const described = await client.send(new DescribeMapRunCommand({ mapRunArn: mapRuns![0].mapRunArn }));
      expect(described).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      expect(described.startDate).toEqual(first.startDate);
      expect(described.redriveDate).toBeInstanceOf(Date);
      expect(described.redriveDate!.getTime()).toBeGreaterThanOrEqual(first.stopDate!.getTime());

      // The history: the Map Run started once, and after ExecutionRedriven AWS records
      // MapRunRedriven (mapRunArn, redriveCount), not a second MapRunStarted.
      const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
      const redrivenAt = events!.findIndex((e) => e.type === 'ExecutionRedriven');
      expect(redrivenAt).toBeGreaterThan(0);
      expect(events!.filter((e) => e.type === 'MapRunStarted').map((e) => [events!.indexOf(e) < redrivenAt, e.mapRunStartedEventDetails?.mapRunArn]))
        .toEqual([[true, mapRuns![0].mapRunArn]]);
      const redriven = events!.filter((e) => e.type === 'MapRunRedriven');
      expect(redriven.map((e) => e.mapRunRedrivenEventDetails)).toEqual([{ mapRunArn: mapRuns![0].mapRunArn, redriveCount: 1 }]);
      expect(events!.indexOf(redriven[0])).toBeGreaterThan(redrivenAt);
      expect(events!.map((e) => e.id)).toEqual(events!.map((_, i) => i + 1));
      // `stepwright render --run` reads the redriven Map Run as the Map state's second attempt.
      expect(executionPath(definition, { events: JSON.parse(JSON.stringify(events)) }).mapRuns)
        .toEqual({ Run: { started: 2, succeeded: 1, failed: 1, aborted: 0 } });
    } finally {
      await server.close();
    }
  });
});
