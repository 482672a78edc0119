import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve } from './helpers';
import { zstdNewlines } from '../workbench/s3/bombs';

/*
 * Issue 74, defect 4: an ItemReader reading a compressed file of blank lines held serve's only
 * thread until it was done. serve must answer other requests while a reader works. Wall time on a
 * shared machine is no measure, so each answer is judged against serve's own answer to the same
 * request just before, on the same machine under the same load, and must come while the read is
 * still going on (the execution still RUNNING after it).
 */
describe('serve answers other requests while an ItemReader reads a compressed file of blank lines', () => {
  let dir: string;
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-reader-yields-'));
    fs.mkdirSync(path.join(dir, 'data'));
    // 128 MiB of line feeds in 4 KB.
    fs.writeFileSync(path.join(dir, 'data', 'blank.jsonl.zst'), zstdNewlines(128 * 1024 * 1024));
    s = await serve({ s3Dir: dir });
  });
  afterAll(async () => {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers ListStateMachines within 200 ms (or 20 times its answer when idle, on a loaded machine) while the read goes on', async () => {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({
      name: 'blank-lines',
      roleArn: ROLE,
      definition: asl({
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: 'blank.jsonl.zst' }, ReaderConfig: { InputType: 'JSONL' } },
            ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      }),
    }));
    const timed = async (): Promise<number> => {
      const start = performance.now();
      await s.sfn.send(new ListStateMachinesCommand({}));
      return performance.now() - start;
    };
    const idle: number[] = [];
    for (let i = 0; i < 7; i++) idle.push(await timed());
    idle.sort((a, b) => a - b);
    const bound = Math.max(200, 20 * idle[3]);
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const during: number[] = [];
    let status = 'RUNNING';
    while (status === 'RUNNING') {
      const took = await timed();
      status = (await s.sfn.send(new DescribeExecutionCommand({ executionArn }))).status!;
      // Answered while the reader was still at work.
      if (status === 'RUNNING') during.push(took);
    }
    expect(status).toBe('SUCCEEDED');
    expect({ answeredDuringTheRead: during.length >= 3, slowest: Math.max(...during) <= bound })
      .toEqual({ answeredDuringTheRead: true, slowest: true });
  }, 300_000);
});
