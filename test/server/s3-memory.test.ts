import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
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

describe('serve with --s3-dir, in a 512 MB heap: hostile files fail their Map, the server lives on', () => {
  let s3Dir: string;
  let child: Child | undefined;
  beforeEach(() => {
    s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-s3-memory-'));
    fs.mkdirSync(path.join(s3Dir, 'data'));
  });
  afterEach(async () => {
    if (child) await kill9(child);
    child = undefined;
    fs.rmSync(s3Dir, { recursive: true, force: true });
  });

  async function runIn(sfn: SFNClient, name: string, definition: string) {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    return until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 90_000);
  }

  const start = async (): Promise<SFNClient> => {
    child = await spawnServer(undefined, { node: SMALL_HEAP, args: ['--s3-dir', s3Dir] });
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
    const bomb = gzipSync(Buffer.concat([Buffer.from('"data","'), Buffer.alloc(200 * 1024 * 1024, 'k')]), { level: 9 });
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
