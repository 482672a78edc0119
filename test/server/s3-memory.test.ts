import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { asl, ROLE, until } from './helpers';
import { kill9, spawnServer, type Child } from './processes';

/** A heap in which any of these files, read whole or expanded, would end the server. */
const SMALL_HEAP = ['--max-old-space-size=512'];

/** A Distributed Map whose ItemReader reads `key` of bucket `data` with `config`, each child a Pass. */
const readerMachine = (key: string, config: object): string => asl({
  StartAt: 'Read',
  States: {
    Read: {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: key }, ReaderConfig: config },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
});

/**
 * A single-member gzip of `prefix` and then `fill` up to `size` bytes (a multiple of 1 MiB),
 * made without compressing all of it: each MiB is compressed once and repeated, each block
 * flushed whole (Z_FULL_FLUSH) so that it needs nothing before it, as gzip itself would write
 * the stream. Compressing the 200 MB itself took seconds of CPU.
 */
function gzipOfRepeated(prefix: string, fill: string, size: number): Buffer {
  const piece = Buffer.alloc(1024 * 1024, fill);
  const head = Buffer.concat([Buffer.from(prefix), piece.subarray(prefix.length)]);
  const flushed = { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH };
  const count = size / piece.length;
  let crc = zlib.crc32(head);
  for (let i = 1; i < count; i++) crc = zlib.crc32(piece, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  const rest = zlib.deflateRawSync(piece, flushed);
  // The gzip header (deflate, no name, no time, best compression, OS unknown), the blocks, the last (empty) block, CRC-32 and size.
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]), zlib.deflateRawSync(head, flushed),
    ...Array.from({ length: count - 1 }, () => rest), zlib.deflateRawSync(Buffer.alloc(0)), trailer]);
}

/*
 * One server answers every test: each hostile file fails its own Map, and the server that read
 * the ones before goes on to the next (its heap as they left it).
 */
describe('serve with --s3-dir, in a 512 MB heap: hostile files fail their Map, the server lives on', () => {
  let s3Dir: string;
  let child: Child | undefined;
  beforeAll(() => {
    s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-s3-memory-'));
    fs.mkdirSync(path.join(s3Dir, 'data'));
  });
  afterAll(async () => {
    if (child) await kill9(child);
    child = undefined;
    fs.rmSync(s3Dir, { recursive: true, force: true });
  });

  async function runIn(sfn: SFNClient, name: string, definition: string) {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    return until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 90_000);
  }

  /** The file's server, started by the first test that asks (after it wrote its files). */
  const start = async (): Promise<SFNClient> => {
    child ??= await spawnServer(undefined, { node: SMALL_HEAP, args: ['--s3-dir', s3Dir] });
    return child.sfn;
  };

  const stillAnswers = async (sfn: SFNClient): Promise<void> => {
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines!.length).toBeGreaterThan(0);
    expect(child!.process.exitCode).toBeNull();
  };

  it('a 186-byte Parquet file of 12,000,000 run-length-encoded rows fails with States.ItemReaderFailed, MaxItems 3 or not', async () => {
    fs.copyFileSync(path.join(__dirname, '..', 'workbench', 's3', 'fixtures', 'rle-12m.parquet'), path.join(s3Dir, 'data', 'rle.parquet'));
    const sfn = await start();
    for (const [name, config] of [['all', { InputType: 'PARQUET' }], ['three', { InputType: 'PARQUET', MaxItems: 3 }]] as const) {
      const done = await runIn(sfn, `parquet-${name}`, readerMachine('rle.parquet', config));
      expect(done).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
      expect(done.cause).toMatch(/^Row group 0 of the Parquet object s3:\/\/data\/rle\.parquet holds 12000000 values/);
    }
    await stillAnswers(sfn);
  }, 180_000);

  it('a 20 MB unterminated quote in a CSV fails with States.ItemReaderFailed at 8 MB', async () => {
    fs.writeFileSync(path.join(s3Dir, 'data', 'quote.csv'), `a,b\n1,"${'q'.repeat(20 * 1024 * 1024)}`);
    const sfn = await start();
    const done = await runIn(sfn, 'quote', readerMachine('quote.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }));
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(done.cause).toMatch(/^Row 2 of the CSV object is longer than 8388608 characters/);
    await stillAnswers(sfn);
  }, 180_000);

  it('a 20 KB .csv.gz expanding to 200 MB, listed by an S3 inventory manifest, fails with States.ItemReaderFailed', async () => {
    const bomb = gzipOfRepeated('"data","', 'k', 200 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(256 * 1024);
    fs.mkdirSync(path.join(s3Dir, 'data', 'inv'));
    fs.writeFileSync(path.join(s3Dir, 'data', 'inv', '1.csv.gz'), bomb);
    const manifest = { destinationBucket: 'arn:aws:s3:::data', fileFormat: 'CSV', fileSchema: 'Bucket, Key', files: [{ key: 'inv/1.csv.gz' }] };
    fs.writeFileSync(path.join(s3Dir, 'data', 'inv', 'manifest.json'), JSON.stringify(manifest));
    const sfn = await start();
    const done = await runIn(sfn, 'inventory', readerMachine('inv/manifest.json', { InputType: 'MANIFEST' }));
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(done.cause).toMatch(/longer than 8388608 characters/);
    await stillAnswers(sfn);
  }, 180_000);

  it('MaxItems 3 on a 60 MB JSON array of empty objects reads three items, not the file', async () => {
    const fd = fs.openSync(path.join(s3Dir, 'data', 'items.json'), 'w');
    fs.writeSync(fd, '[');
    const block = '{},'.repeat(1024 * 1024);
    for (let i = 0; i < 20; i++) fs.writeSync(fd, block);
    fs.writeSync(fd, '{}]');
    fs.closeSync(fd);
    const sfn = await start();
    const done = await runIn(sfn, 'json', readerMachine('items.json', { InputType: 'JSON', MaxItems: 3 }));
    expect(done).toMatchObject({ status: 'SUCCEEDED' });
    expect(JSON.parse(done.output!)).toEqual([{}, {}, {}]);
    await stillAnswers(sfn);
  }, 180_000);
});
