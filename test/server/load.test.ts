import * as fs from 'node:fs';
import { Agent } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';

describe('serve: load', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-serve-load-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('completes 1,000 concurrent StartExecution calls: none lost, none duplicated, each SUCCEEDED once (journaled)', async () => {
    const env = await serve({ dataDir: dir, handlers: { Work: (input) => ({ doubled: (input as { Payload: { n: number } }).Payload.n * 2 }) } });
    const sfn = env.server.client({ requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 1000 }) } });
    try {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
        name: 'load',
        roleArn: ROLE,
        definition: asl({
          StartAt: 'Work',
          States: {
            Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'work', Payload: { 'n.$': '$.n' } }, Next: 'Done' },
            Done: { Type: 'Pass', End: true },
          },
        }),
      }));
      const started = await Promise.all(Array.from({ length: 1000 }, (_, n) =>
        sfn.send(new StartExecutionCommand({ stateMachineArn, name: `load-${n}`, input: JSON.stringify({ n }) }))));
      expect(new Set(started.map((s) => s.executionArn)).size).toBe(1000);
      const listAll = async () => {
        const all: ExecutionListItem[] = [];
        let nextToken: string | undefined;
        do {
          const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }));
          all.push(...page.executions!);
          nextToken = page.nextToken;
        } while (nextToken);
        return all;
      };
      // A thousand executions: about a second alone, 21 s measured with two busy loops on a shared
      // 2-core machine (scripts/test-under-load.sh); the bounds leave room beyond that.
      const listed = await until(listAll, (all) => all.every((e) => e.status === 'SUCCEEDED'), 120_000);
      expect(listed).toHaveLength(1000);
      expect(new Set(listed.map((e) => e.name)).size).toBe(1000);
      const sample = await sfn.send(new DescribeExecutionCommand({ executionArn: started[737].executionArn }));
      expect(JSON.parse(sample.output!)).toEqual({ doubled: 1474 });
    } finally {
      sfn.destroy();
      await env.stop();
    }
  }, 180_000);
});
