import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { Workflow } from '../../../src/testing/workflow';
import { succeed } from '../../../src/workbench/mocks/answers';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';

type Reader = Record<string, JsonValue>;

/** A distributed Map that reads its items with `reader` and returns them as they came. */
const mapOf = (reader: Reader): Workflow => Workflow.fromDefinition({
  StartAt: 'Read',
  States: {
    Read: {
      Type: 'Map',
      ItemReader: reader,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
} as unknown as StateMachineDefinition);

const getObject = (key: string, config: Reader = {}): Reader => ({
  Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: key }, ReaderConfig: config,
});

const items = async (reader: Reader, objects: Record<string, JsonValue>): Promise<JsonValue> => {
  const run = await mapOf(reader).run({}, { s3: { data: objects } });
  if (run.status !== 'SUCCEEDED') throw new Error(`${run.error}: ${run.cause}`);
  return run.output!;
};

const failure = async (reader: Reader, objects: Record<string, JsonValue>): Promise<{ error?: string; cause?: string }> => {
  const run = await mapOf(reader).run({}, { s3: { data: objects } });
  return { error: run.error, cause: run.cause };
};

describe('ItemReader from the local S3', () => {
  it('reads a JSON file as its array of items', async () => {
    expect(await items(getObject('a.json', { InputType: 'JSON' }), { 'a.json': [{ id: 1 }, { id: 2 }] })).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('reads the array an ItemsPointer points to inside a JSON file', async () => {
    const file = { meta: { n: 2 }, data: { 'a/b': [{ id: 1 }, { id: 2 }] } };
    expect(await items(getObject('a.json', { InputType: 'JSON', ItemsPointer: '/data/a~1b' }), { 'a.json': file })).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('fails with States.ItemReaderFailed when the ItemsPointer points to no array', async () => {
    expect(await failure(getObject('a.json', { InputType: 'JSON', ItemsPointer: '/meta' }), { 'a.json': { meta: {} } }))
      .toEqual({ error: 'States.ItemReaderFailed', cause: "ItemsPointer '/meta' does not point to an array." });
  });

  it('fails with States.ItemReaderFailed when a JSON file holds no array', async () => {
    expect((await failure(getObject('a.json'), { 'a.json': { not: 'an array' } })).error).toBe('States.ItemReaderFailed');
  });

  it('reads JSON Lines one item a line, skipping blank lines, CRLF or LF', async () => {
    expect(await items(getObject('a.jsonl', { InputType: 'JSONL' }), { 'a.jsonl': '{"id":1}\r\n\n{"id":2}\n"three"' })).toEqual([{ id: 1 }, { id: 2 }, 'three']);
  });

  it('fails a JSON Lines read at a malformed line, naming its number', async () => {
    const f = await failure(getObject('a.jsonl', { InputType: 'JSONL' }), { 'a.jsonl': '{"id":1}\n{oops\n' });
    expect(f.error).toBe('States.ItemReaderFailed');
    expect(f.cause).toContain('Line 2');
  });

  it('reads CSV with a header row: every value a string, quoted fields with delimiters, quotes and line breaks', async () => {
    const csv = 'id,name,note\n1,"Smith, J","said ""hi""\nthen left"\n2,Lee,\n';
    expect(await items(getObject('a.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }), { 'a.csv': csv })).toEqual([
      { id: '1', name: 'Smith, J', note: 'said "hi"\nthen left' },
      { id: '2', name: 'Lee', note: '' },
    ]);
  });

  it('reads CSV with given headers: the first row is an item', async () => {
    const config = { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['a', 'b'] };
    expect(await items(getObject('a.csv', config), { 'a.csv': '1,2\n3,4\n' })).toEqual([{ a: '1', b: '2' }, { a: '3', b: '4' }]);
  });

  it.each([['PIPE', '|'], ['SEMICOLON', ';'], ['SPACE', ' '], ['TAB', '\t'], ['COMMA', ',']])('reads CSV delimited by %s', async (name, c) => {
    const config = { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', CSVDelimiter: name };
    expect(await items(getObject('a.csv', config), { 'a.csv': `x${c}y\n1${c}2\n` })).toEqual([{ x: '1', y: '2' }]);
  });

  it('fails with States.ItemReaderFailed when CSV headers repeat a name', async () => {
    const f = await failure(getObject('a.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }), { 'a.csv': 'a,a\n1,2\n' });
    expect(f).toEqual({ error: 'States.ItemReaderFailed', cause: 'CSV headers cannot contain duplicates.' });
  });

  it('refuses a CSV header row over 10 KiB, as AWS does', async () => {
    const f = await failure(getObject('a.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }), { 'a.csv': `${'h'.repeat(10_241)}\n1\n` });
    expect(f.error).toBe('States.ItemReaderFailed');
    expect(f.cause).toContain('header row');
  });

  it('stops at MaxItems', async () => {
    expect(await items(getObject('a.jsonl', { InputType: 'JSONL', MaxItems: 2 }), { 'a.jsonl': '1\n2\n3\n4\n' })).toEqual([1, 2]);
  });

  it('fails with States.ItemReaderFailed naming the object when its key does not exist', async () => {
    expect(await failure(getObject('missing.json'), {}))
      .toEqual({ error: 'States.ItemReaderFailed', cause: 'S3 object not found: s3://data/missing.json (S3.NoSuchKey)' });
  });

  it('lists a bucket with listObjectsV2: one item per key under the Prefix, with Etag, LastModified, Key, Size, StorageClass', async () => {
    const reader = { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data', Prefix: 'in/' } };
    const out = await items(reader, { 'in/b.txt': 'bb', 'in/a.txt': 'a', 'out/c.txt': 'c' }) as Array<Record<string, JsonValue>>;
    expect(out.map((o) => Object.keys(o))).toEqual([['Etag', 'LastModified', 'Key', 'Size', 'StorageClass'], ['Etag', 'LastModified', 'Key', 'Size', 'StorageClass']]);
    expect(out.map((o) => [o.Key, o.Size, o.StorageClass])).toEqual([['in/a.txt', 1, 'STANDARD'], ['in/b.txt', 2, 'STANDARD']]);
    expect(out[0].Etag).toBe('"0cc175b9c0f1b6a831c399e269772661"');
  });

  it('lists past a page of 1,000 keys', async () => {
    const objects: Record<string, JsonValue> = {};
    for (let i = 0; i < 2500; i++) objects[`k${String(i).padStart(5, '0')}`] = '';
    const wf = Workflow.fromDefinition({
      StartAt: 'Read',
      States: {
        Read: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data' } },
          ItemSelector: { 'i.$': '$$.Map.Item.Index', 'key.$': '$$.Map.Item.Value.Key' },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'Check', States: { Check: { Type: 'Pass', Result: 1, End: true } } },
          ResultSelector: { 'count.$': 'States.ArrayLength($)' },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition);
    const run = await wf.run({}, { s3: { data: objects } });
    expect(run.output).toEqual({ count: 2500 });
  });

  it('reads an S3 Inventory manifest and its gzip CSV files, an item per row with the schema\'s fields', async () => {
    const manifest = { sourceBucket: 'data', destinationBucket: 'arn:aws:s3:::data', fileFormat: 'CSV', fileSchema: 'Bucket, Key, Size', files: [{ key: 'inv/data/1.csv.gz' }] };
    const store = new MemoryObjectStore();
    store.createBucket('data');
    store.write('data', 'inv/manifest.json', JSON.stringify(manifest));
    store.write('data', 'inv/data/1.csv.gz', gzipSync('"data","a.txt","1"\n"data","b.txt","22"\n'));
    const run = await mapOf(getObject('inv/manifest.json', { InputType: 'MANIFEST' })).run({}, { s3: store });
    expect(run.output).toEqual([{ Bucket: 'data', Key: 'a.txt', Size: '1' }, { Bucket: 'data', Key: 'b.txt', Size: '22' }]);
  });

  it('reads an Athena UNLOAD manifest: each data file it lists, as its InputType', async () => {
    const config = { InputType: 'CSV', ManifestType: 'ATHENA_DATA', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['id', 'v'] };
    expect(await items(getObject('athena/manifest.csv', config), {
      'athena/manifest.csv': 's3://data/athena/part-1\ns3://data/athena/part-2\n',
      'athena/part-1': '1,a\n',
      'athena/part-2': '2,b\n',
    })).toEqual([{ id: '1', v: 'a' }, { id: '2', v: 'b' }]);
  });

  it('lets a mock of the Map answer its ItemReader first', async () => {
    const run = await mapOf(getObject('a.json')).run({}, { s3: { data: { 'a.json': [1] } }, mocks: { Read: succeed([7, 8]) } });
    expect(run.output).toEqual([7, 8]);
  });

  describe('PARQUET', () => {
    // Written by scripts/write-parquet-fixture.mjs: these are the rows it writes.
    const fixture = (): MemoryObjectStore => {
      const store = new MemoryObjectStore();
      store.createBucket('data');
      store.write('data', 'orders.parquet', fs.readFileSync(path.join(__dirname, 'fixtures', 'orders.parquet')));
      return store;
    };

    it('reads a Parquet file one item a row, keyed by column, 64-bit integers exact', async () => {
      const run = await mapOf(getObject('orders.parquet', { InputType: 'PARQUET' })).run({}, { s3: fixture() });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toEqual([
        { id: 'o-1', quantity: 1, cents: 1999, weight: 0.5, gift: true, note: 'leave at door' },
        { id: 'o-2', quantity: 2, cents: 250, weight: 1.25, gift: false, note: null },
        { id: 'o-3', quantity: 3, cents: '9007199254740993', weight: 2, gift: false, note: 'fragile' },
        { id: 'o-4', quantity: 40, cents: -5, weight: 10.75, gift: true, note: null },
      ]);
    });

    it('stops at MaxItems', async () => {
      const run = await mapOf(getObject('orders.parquet', { InputType: 'PARQUET', MaxItems: 2 })).run({}, { s3: fixture() });
      expect((run.output as Array<{ id: string }>).map((r) => r.id)).toEqual(['o-1', 'o-2']);
    });

    it('fails with States.ItemReaderFailed naming the object when it is not Parquet', async () => {
      expect(await failure(getObject('a.parquet', { InputType: 'PARQUET' }), { 'a.parquet': 'id,total\n1,2\n' }))
        .toEqual({ error: 'States.ItemReaderFailed', cause: expect.stringMatching(/^The S3 object s3:\/\/data\/a\.parquet could not be read as Parquet: /) });
    });

    it('fails with States.ItemReaderFailed when the Parquet object is missing', async () => {
      expect((await failure(getObject('none.parquet', { InputType: 'PARQUET' }), {})).cause).toBe('S3 object not found: s3://data/none.parquet (S3.NoSuchKey)');
    });
  });
});
