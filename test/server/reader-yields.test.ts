import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve } from './helpers';
import { ReadBudget } from '../../src/interpreter/states/reader-pause';
import { zstdNewlines } from '../workbench/s3/bombs';

/*
 * Issue 74, defect 4: an ItemReader reading a compressed file of blank lines held serve's only
 * thread until it was done. serve must answer other requests while a reader works. The test
 * measures no time: it watches the reader's progress (the bytes it counts toward its bound, the
 * same counter the reader reports to) and checks the order of events. Each ListStateMachines is
 * answered after the read has begun and before it has ended, and the reader goes on between two
 * answers, so the two interleave. Without the reader's pauses the read runs to its end in one
 * stretch of the thread and the first answer comes after it. How fast serve answers meanwhile is
 * a benchmark's to measure, not a unit test's.
 */
const BYTES = 128 * 1024 * 1024;
const ANSWERS = 3;

describe('serve answers other requests while an ItemReader reads a compressed file of blank lines', () => {
  let dir: string;
  let s: Awaited<ReturnType<typeof serve>>;
  /** Bytes the reader has counted so far (after decompression). */
  let read = 0;
  /** Told each time the reader counts bytes. */
  let onRead: (() => void) | undefined;
  beforeAll(async () => {
    const count = ReadBudget.prototype.count;
    jest.spyOn(ReadBudget.prototype, 'count').mockImplementation(function (this: ReadBudget, bytes, fail) {
      read += bytes;
      onRead?.();
      return count.call(this, bytes, fail);
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-reader-yields-'));
    fs.mkdirSync(path.join(dir, 'data'));
    // 128 MiB of line feeds in 4 KB.
    fs.writeFileSync(path.join(dir, 'data', 'blank.jsonl.zst'), zstdNewlines(BYTES));
    s = await serve({ s3Dir: dir });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers ListStateMachines between the start and the end of the read, the read going on between answers', async () => {
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
    // The read has begun: the reader has counted its first bytes.
    const begun = new Promise<void>((resolve) => { onRead = resolve; });
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    await begun;
    onRead = undefined;
    // What the reader had read when each answer came.
    const readAtAnswers: number[] = [];
    for (let i = 0; i < ANSWERS; i++) {
      await s.sfn.send(new ListStateMachinesCommand({}));
      readAtAnswers.push(read);
    }
    let status = 'RUNNING';
    while (status === 'RUNNING') {
      status = (await s.sfn.send(new DescribeExecutionCommand({ executionArn }))).status!;
    }
    expect(status).toBe('SUCCEEDED');
    expect(read).toBe(BYTES);
    expect({
      answeredBeforeTheReadEnded: readAtAnswers.every((r) => r > 0 && r < BYTES),
      readOnBetweenAnswers: readAtAnswers.every((r, i) => i === 0 || r > readAtAnswers[i - 1]),
    }).toEqual({ answeredBeforeTheReadEnded: true, readOnBetweenAnswers: true });
  }, 300_000);
});
