import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { csvRows } from '../../../src/interpreter/states/csv-rows';
import { textLines } from '../../../src/interpreter/states/json-items';
import { Workflow } from '../../../src/testing/workflow';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';

type Reader = Record<string, JsonValue>;

/** A Parquet file of fixtures/, written by scripts/write-parquet-fixture.mjs. */
const fixture = (name: string): Uint8Array => fs.readFileSync(path.join(__dirname, 'fixtures', name));

/** A distributed Map that reads its items with `reader` and returns them as they came. */
const mapOf = (reader: Reader, itemSelector?: JsonValue): Workflow => Workflow.fromDefinition({
  StartAt: 'Read',
  States: {
    Read: {
      Type: 'Map',
      ItemReader: reader,
      ...(itemSelector !== undefined ? { ItemSelector: itemSelector } : {}),
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
} as unknown as StateMachineDefinition);

const getObject = (key: string, config: Reader = {}): Reader => ({
  Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: key }, ReaderConfig: config,
});

/** A store whose reads are counted: the bytes handed out whole, by chunks and by ranges. */
class CountingStore extends MemoryObjectStore {
  bytesRead = 0;

  constructor(objects: Record<string, string | Uint8Array>) {
    super(() => Date.UTC(2022, 10, 17, 15, 44, 41));
    this.createBucket('data');
    for (const [key, body] of Object.entries(objects)) this.write('data', key, body);
  }

  override *chunks(bucket: string, key: string): Iterable<Uint8Array> {
    for (const chunk of super.chunks(bucket, key)) {
      this.bytesRead += chunk.length;
      yield chunk;
    }
  }

  override read(bucket: string, key: string, maxBytes: number): Uint8Array {
    const bytes = super.read(bucket, key, maxBytes);
    this.bytesRead += bytes.length;
    return bytes;
  }

  override readRange(bucket: string, key: string, start: number, end: number): Uint8Array {
    const bytes = super.readRange(bucket, key, start, end);
    this.bytesRead += bytes.length;
    return bytes;
  }
}

const run = async (reader: Reader, objects: Record<string, string | Uint8Array> | CountingStore, itemSelector?: JsonValue) => {
  const store = objects instanceof CountingStore ? objects : new CountingStore(objects);
  const r = await mapOf(reader, itemSelector).run({}, { s3: store });
  return { status: r.status, output: r.output, error: r.error, cause: r.cause, store };
};

const csv = (rows: string, config: Reader = {}) => run(getObject('a.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', ...config }), { 'a.csv': rows });

describe('CSV, as Step Functions parses a text delimited file', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/example-csv-parse-dist-map.html
  it('reads AWS\'s own example: a quoted field with commas, doubled quotes and a newline, and an unquoted field keeping its doubled quotes', async () => {
    const file = 'MyLetters,MyNumbers,MyString,MyObject,MyArray\n'
      + 'abc,123,"This string contains commas, a double quotation marks (""), and a newline (\n)",{""MyKey"":""MyValue""},"[1,2,3]"\n';
    const selector = {
      'MyNumber.$': 'States.StringToJson($$.Map.Item.Value.MyNumbers)',
      'MyObject.$': 'States.StringToJson($$.Map.Item.Value.MyObject)',
      'MyString.$': '$$.Map.Item.Value.MyString',
      'MyArray.$': 'States.StringToJson($$.Map.Item.Value.MyArray)',
    };
    const r = await run(getObject('a.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }), { 'a.csv': file }, selector);
    expect([r.error, r.cause]).toEqual([undefined, undefined]);
    expect(r.output).toEqual([{
      MyNumber: 123,
      MyObject: { MyKey: 'MyValue' },
      MyString: 'This string contains commas, a double quotation marks ("), and a newline (\n)',
      MyArray: [1, 2, 3],
    }]);
  });

  it('reads backslash escapes: a doubled backslash is one, an escaped quote or delimiter is kept, a backslash before anything else is dropped', async () => {
    const r = await csv('path,size,note\nC:\\\\Program Files\\\\MyApp.exe,6534512,a\\,b \\"q\\" \\x\n');
    expect(r.output).toEqual([{ path: 'C:\\Program Files\\MyApp.exe', size: '6534512', note: 'a,b "q" x' }]);
  });

  it('escapes the configured delimiter with a backslash, a pipe under CSVDelimiter PIPE', async () => {
    expect((await csv('a|b\n1\\|2|3\n', { CSVDelimiter: 'PIPE' })).output).toEqual([{ a: '1|2', b: '3' }]);
  });

  it('gives the same rows however the text is cut into chunks', () => {
    const text = 'a,b\r\n"x,""y""\r\nz",\\,1\r\nplain,"q"\r\n';
    const whole = [...csvRows([text], ',')];
    for (let cut = 1; cut < text.length; cut++) {
      expect([cut, [...csvRows([text.slice(0, cut), text.slice(cut)], ',')]]).toEqual([cut, whole]);
    }
    expect(whole).toEqual([['a', 'b'], ['x,"y"\r\nz', ',1'], ['plain', 'q']]);
  });

  it('fails with States.ItemReaderFailed when a row passes 8 MB (AWS\'s bound on an item from a file), as a 20 MB unterminated quote does', async () => {
    const r = await csv(`a,b\n1,"${'x'.repeat(20 * 1024 * 1024)}\n`);
    expect(r.error).toBe('States.ItemReaderFailed');
    expect(r.cause).toMatch(/^Row 2 of the CSV object is longer than 8388608 characters/);
  });

  it('reads a row of just under 8 MB, which an ItemSelector then makes small enough for a child', async () => {
    const file = `a,b\n${'x'.repeat(8 * 1024 * 1024 - 10)},kept\n`;
    const r = await run(getObject('a.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }), { 'a.csv': file }, { 'b.$': '$$.Map.Item.Value.b' });
    expect(r.output).toEqual([{ b: 'kept' }]);
  });
});

describe('JSON Lines', () => {
  it('splits lines cut anywhere across chunks, CRLF or LF', () => {
    const text = '{"a":1}\r\n{"b":2}\n\n{"c":3}';
    for (let cut = 1; cut < text.length; cut++) {
      expect([cut, [...textLines([text.slice(0, cut), text.slice(cut)])]]).toEqual([cut, ['{"a":1}', '{"b":2}', '', '{"c":3}']]);
    }
  });

  it('fails with States.ItemReaderFailed at a line over 8 MB, naming it, without reading the rest of the file', async () => {
    const store = new CountingStore({ 'a.jsonl': `{"a":1}\n"${'x'.repeat(9 * 1024 * 1024)}"\n${'{"b":2}\n'.repeat(1_000_000)}` });
    const r = await run(getObject('a.jsonl', { InputType: 'JSONL' }), store);
    expect(r.error).toBe('States.ItemReaderFailed');
    expect(r.cause).toMatch(/^Line 2 of the object is longer than 8388608 characters/);
    expect(store.bytesRead).toBeLessThan(10 * 1024 * 1024);
  });
});

describe('JSON nested deeper than the 1,000 levels Step Functions reads', () => {
  const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('fails a JSON Lines read with States.ItemReaderFailed naming the line, also 100,000 levels down (not a RangeError)', async () => {
    for (const levels of [1001, 100_000]) {
      expect(await run(getObject('a.jsonl', { InputType: 'JSONL' }), { 'a.jsonl': `{"a":1}\n\n${nested(levels)}\n` }))
        .toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed', cause: 'Line 3 of the JSONL object is nested deeper than 1000 levels.' });
    }
    // 1,000 levels are read, as a JSON file's are.
    expect(await run(getObject('a.jsonl', { InputType: 'JSONL' }), { 'a.jsonl': `${nested(1000)}\n` })).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('fails a mocked ItemReader\'s JSON or JSON Lines Body alike, as a Body read from S3 fails', async () => {
    const body = (input: 'JSON' | 'JSONL', text: string) => mapOf(getObject('a', { InputType: input })).run({}, { mocks: { Read: { Body: text } } });
    for (const levels of [1001, 100_000]) {
      expect(await body('JSONL', `1\n${nested(levels)}`))
        .toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed', cause: 'Line 2 of the JSONL object is nested deeper than 1000 levels.' });
      expect(await body('JSON', `[${nested(levels)}]`))
        .toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed', cause: 'The JSON object is nested deeper than 1000 levels.' });
    }
    expect(await body('JSON', `[${nested(999)}]`)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await body('JSONL', nested(1000))).toMatchObject({ status: 'SUCCEEDED' });
  });
});

describe('JSON, read an element at a time', () => {
  it('stops reading at MaxItems: three items of a 16 MB array cost a chunk, not the file', async () => {
    const store = new CountingStore({ 'a.json': `[${'{},'.repeat(16 * 1024 * 1024 / 3)}{}]` });
    const r = await run(getObject('a.json', { InputType: 'JSON', MaxItems: 3 }), store);
    expect(r.output).toEqual([{}, {}, {}]);
    expect(store.bytesRead).toBeLessThanOrEqual(64 * 1024);
  });

  it('reads the array an ItemsPointer points to through keys with dots, slashes and tildes, past a large sibling', async () => {
    const file = JSON.stringify({ 'big': 'y'.repeat(100_000), 'a.b': { 'c/d': { '~e': [1, { n: 2 }, [3]] } }, 'after': [9] });
    expect((await run(getObject('a.json', { InputType: 'JSON', ItemsPointer: '/a.b/c~1d/~0e' }), { 'a.json': file })).output).toEqual([1, { n: 2 }, [3]]);
  });

  it('reads an empty array as no items, and fails when the pointer finds no array', async () => {
    expect((await run(getObject('a.json', { InputType: 'JSON', ItemsPointer: '/x' }), { 'a.json': '{"x":[]}' })).output).toEqual([]);
    expect(await run(getObject('a.json', { InputType: 'JSON', ItemsPointer: '/y' }), { 'a.json': '{"x":[]}' }))
      .toMatchObject({ error: 'States.ItemReaderFailed', cause: "ItemsPointer '/y' does not point to an array." });
    expect(await run(getObject('a.json', { InputType: 'JSON', ItemsPointer: '/x' }), { 'a.json': '{"x":{"k":1}}' }))
      .toMatchObject({ error: 'States.ItemReaderFailed', cause: "ItemsPointer '/x' does not point to an array." });
  });

  it('fails with States.ItemReaderFailed at an element over 8 MB, and at a broken file', async () => {
    expect(await run(getObject('a.json', { InputType: 'JSON' }), { 'a.json': `[1,"${'z'.repeat(9 * 1024 * 1024)}",3]` }))
      .toMatchObject({ error: 'States.ItemReaderFailed', cause: expect.stringMatching(/^An item of the JSON object is longer than 8388608 bytes/) });
    expect(await run(getObject('a.json', { InputType: 'JSON' }), { 'a.json': '[1,2' }))
      .toMatchObject({ error: 'States.ItemReaderFailed', cause: 'The S3 object could not be parsed as JSON.' });
  });
});

describe('GZIP and ZSTD input, as AWS reads it (myObject.jsonl.gz, myObject.csv.zstd)', () => {
  it('decompresses a .jsonl.gz and a .csv.gz', async () => {
    expect((await run(getObject('a.jsonl.gz', { InputType: 'JSONL' }), { 'a.jsonl.gz': gzipSync('{"id":1}\n{"id":2}\n') })).output).toEqual([{ id: 1 }, { id: 2 }]);
    expect((await run(getObject('a.csv.gz', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }), { 'a.csv.gz': gzipSync('id,v\n1,a\n') })).output)
      .toEqual([{ id: '1', v: 'a' }]);
  });

  it('decompresses a .csv.zstd', async () => {
    // `printf 'id,v\n1,a\n2,b\n' | zstd -19`: a single frame, its content size given, with a checksum.
    const zstd = Buffer.from('KLUv/QRoaQAAaWQsdgoxLGEKMixiCr/15No=', 'base64');
    expect((await run(getObject('a.csv.zstd', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }), { 'a.csv.zstd': zstd })).output)
      .toEqual([{ id: '1', v: 'a' }, { id: '2', v: 'b' }]);
  });

  it('refuses a ZSTD frame declaring a window over 8 MiB before allocating it', async () => {
    // A frame header with window descriptor 0xA8 (2^31 bytes), then one raw block of 'x'.
    const frame = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xa8, 0x09, 0x00, 0x00, 0x78]);
    expect(await run(getObject('a.jsonl.zst', { InputType: 'JSONL' }), { 'a.jsonl.zst': frame }))
      .toMatchObject({ error: 'States.ItemReaderFailed', cause: expect.stringMatching(/has a frame with a window of 2147483648 bytes/) });
  });

  it('fails with States.ItemReaderFailed, not a crash, on a 20 KB gzip of an unterminated quote listed by an S3 inventory', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('"data","'), Buffer.alloc(20 * 1024 * 1024, 'k')]), { level: 9 });
    expect(bomb.length).toBeLessThan(40 * 1024);
    const manifest = { sourceBucket: 'data', destinationBucket: 'arn:aws:s3:::data', fileFormat: 'CSV', fileSchema: 'Bucket, Key', files: [{ key: 'inv/1.csv.gz' }] };
    const r = await run(getObject('inv/manifest.json', { InputType: 'MANIFEST' }), { 'inv/manifest.json': JSON.stringify(manifest), 'inv/1.csv.gz': bomb });
    expect(r.error).toBe('States.ItemReaderFailed');
    expect(r.cause).toMatch(/^Row 1 of the CSV object is longer than 8388608 characters/);
  });

  it('reads an S3 inventory file whose first row is over 10 KiB: its headers are the manifest\'s fileSchema, not a header row', async () => {
    const manifest = { destinationBucket: 'arn:aws:s3:::data', fileFormat: 'CSV', fileSchema: 'Bucket, Key', files: [{ key: 'inv/1.csv' }] };
    const key = 'k'.repeat(11 * 1024);
    const r = await run(getObject('inv/manifest.json', { InputType: 'MANIFEST' }), { 'inv/manifest.json': JSON.stringify(manifest), 'inv/1.csv': `"data","${key}"\n` }, { 'n.$': 'States.ArrayLength(States.Array($$.Map.Item.Value.Key))' });
    expect(r.output).toEqual([{ n: 1 }]);
  });

  it('fails with States.ItemReaderFailed naming the object when its gzip is broken', async () => {
    const broken = gzipSync('{"id":1}\n').subarray(0, 12);
    expect(await run(getObject('a.jsonl.gz', { InputType: 'JSONL' }), { 'a.jsonl.gz': broken }))
      .toMatchObject({ error: 'States.ItemReaderFailed', cause: expect.stringMatching(/^The GZIP object s3:\/\/data\/a\.jsonl\.gz could not be decompressed/) });
  });
});

describe('listObjectsV2', () => {
  it('gives LastModified in epoch seconds, a number, as the developer guide shows (1668699881)', async () => {
    const r = await run({ Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data' } }, { 'k.txt': 'x' });
    expect((r.output as Array<{ LastModified: unknown }>)[0].LastModified).toBe(1668699881);
  });

  it('with Transformation LOAD_AND_FLATTEN, reads the items of every object listed, as its InputType, in key order', async () => {
    const reader = { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data', Prefix: 'logs/' }, ReaderConfig: { InputType: 'JSONL', Transformation: 'LOAD_AND_FLATTEN' } };
    const r = await run(reader, { 'logs/b.jsonl': '{"n":3}\n', 'logs/a.jsonl': '{"n":1}\n{"n":2}\n', 'other/c.jsonl': '{"n":9}\n' });
    expect(r.output).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('with LOAD_AND_FLATTEN reads CSV and Parquet files too, and refuses it without an InputType', async () => {
    const list = (config: Reader): Reader => ({ Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data', Prefix: 'in/' }, ReaderConfig: config });
    expect((await run(list({ InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', Transformation: 'LOAD_AND_FLATTEN' }), { 'in/1.csv': 'a\n1\n', 'in/2.csv': 'a\n2\n' })).output)
      .toEqual([{ a: '1' }, { a: '2' }]);
    expect((await run(list({ InputType: 'PARQUET', Transformation: 'LOAD_AND_FLATTEN' }), { 'in/1.parquet': fixture('one.parquet'), 'in/2.parquet': fixture('two.parquet') })).output)
      .toEqual([{ n: 1 }, { n: 2 }]);
    expect(await run(list({ Transformation: 'LOAD_AND_FLATTEN' }), { 'in/1.csv': 'a\n1\n' }))
      .toMatchObject({ error: 'States.ItemReaderFailed', cause: expect.stringMatching(/needs an InputType of CSV, JSON, JSONL or PARQUET/) });
  });
});

describe('PARQUET, a row group at a time', () => {
  it('decodes no row group past MaxItems: the first of four groups is read, not the file', async () => {
    const file = fixture('groups.parquet');
    const store = new CountingStore({ 'a.parquet': file });
    const r = await run(getObject('a.parquet', { InputType: 'PARQUET', MaxItems: 3 }), store);
    // The rows scripts/write-parquet-fixture.mjs writes: row-<i>-<i * 7919 in base 36>.
    expect(r.output).toEqual([0, 1, 2].map((i) => ({ id: `row-${i}-${(i * 7919).toString(36)}` })));
    expect(store.bytesRead).toBeLessThan(file.length / 2);
  });

  it('reads the Parquet files an Athena UNLOAD manifest lists, one after another', async () => {
    const objects = { 'athena/manifest.csv': 's3://data/athena/1.parquet\ns3://data/athena/2.parquet\n', 'athena/1.parquet': fixture('one.parquet'), 'athena/2.parquet': fixture('two.parquet') };
    expect((await run(getObject('athena/manifest.csv', { InputType: 'PARQUET', ManifestType: 'ATHENA_DATA' }), objects)).output).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('fails with States.ItemReaderFailed when the file does not end as a Parquet file does', async () => {
    expect(await run(getObject('a.parquet', { InputType: 'PARQUET' }), { 'a.parquet': 'id,total\n1,2\n' }))
      .toMatchObject({ error: 'States.ItemReaderFailed', cause: expect.stringMatching(/^The S3 object s3:\/\/data\/a\.parquet could not be read as Parquet: it does not end with 'PAR1'/) });
  });
});
