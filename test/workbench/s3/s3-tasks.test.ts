import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { Workflow } from '../../../src/testing/workflow';
import { succeed } from '../../../src/workbench/mocks/answers';
import { FolderObjectStore } from '../../../src/workbench/s3/folder-store';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';

/** One S3 Task with the given parameters. */
const taskOf = (operation: string): Workflow => Workflow.fromDefinition({
  StartAt: 'S3',
  States: { S3: { Type: 'Task', Resource: `arn:aws:states:::aws-sdk:s3:${operation}`, End: true } },
} as unknown as StateMachineDefinition);

const store = (): MemoryObjectStore => {
  const s = new MemoryObjectStore(() => Date.UTC(2024, 0, 1));
  s.createBucket('data');
  s.write('data', 'a.txt', 'text data');
  return s;
};

type Outcome = { status: string; output?: JsonValue; error?: string; cause?: string };

const call = async (operation: string, params: JsonObject, s3 = store()): Promise<Outcome> => {
  const run = await taskOf(operation).run(params, { s3 });
  return { status: run.status, output: run.output, error: run.error, cause: run.cause };
};

describe('S3 Tasks on the local S3', () => {
  it('getObject returns the body as text with the fields AWS gives, in its order', async () => {
    const { output } = await call('getObject', { Bucket: 'data', Key: 'a.txt' });
    expect(output).toEqual({
      AcceptRanges: 'bytes',
      ContentLength: 9,
      ContentType: 'binary/octet-stream',
      ETag: '"332eec544317a6d340b8e77da7fe54ad"',
      LastModified: '2024-01-01T00:00:00Z',
      Metadata: {},
      ServerSideEncryption: 'AES256',
      Body: 'text data',
    });
    expect(Object.keys(output as JsonObject)).toEqual(['AcceptRanges', 'ContentLength', 'ContentType', 'ETag', 'LastModified', 'Metadata', 'ServerSideEncryption', 'Body']);
  });

  it('getObject fails with S3.NoSuchKeyException for a missing key and S3.NoSuchBucketException for a missing bucket, as AWS records them', async () => {
    expect(await call('getObject', { Bucket: 'data', Key: 'nope' })).toMatchObject({ status: 'FAILED', error: 'S3.NoSuchKeyException' });
    expect(await call('getObject', { Bucket: 'other', Key: 'a.txt' })).toMatchObject({ status: 'FAILED', error: 'S3.NoSuchBucketException' });
  });

  it('putObject stores the Body (JSON text for anything but a string) and answers its ETag', async () => {
    const s = store();
    expect((await call('putObject', { Bucket: 'data', Key: 'out/x.json', Body: { a: 1 } }, s)).output).toEqual({ ETag: s.head('data', 'out/x.json').etag, ServerSideEncryption: 'AES256' });
    expect(new TextDecoder().decode(s.read('data', 'out/x.json', 100))).toBe('{"a":1}');
  });

  it('putObject refuses a key with a .. segment with S3.S3Exception, the base exception the SDK gives a code the S3 model does not name', async () => {
    expect(await call('putObject', { Bucket: 'data', Key: '../x', Body: 'x' })).toMatchObject({ status: 'FAILED', error: 'S3.S3Exception' });
  });

  it('listObjectsV2 pages with MaxKeys and ContinuationToken', async () => {
    const s = store();
    for (const k of ['b.txt', 'c.txt', 'd.txt']) s.write('data', k, k);
    const first = (await call('listObjectsV2', { Bucket: 'data', MaxKeys: 2 }, s)).output as JsonObject;
    expect(first).toMatchObject({ IsTruncated: true, KeyCount: 2, MaxKeys: 2, Name: 'data', Prefix: '' });
    expect((first.Contents as JsonObject[]).map((c) => c.Key)).toEqual(['a.txt', 'b.txt']);
    const second = (await call('listObjectsV2', { Bucket: 'data', MaxKeys: 2, ContinuationToken: first.NextContinuationToken! }, s)).output as JsonObject;
    expect(second).toMatchObject({ IsTruncated: false, KeyCount: 2 });
    expect((second.Contents as JsonObject[]).map((c) => c.Key)).toEqual(['c.txt', 'd.txt']);
    expect(second).not.toHaveProperty('NextContinuationToken');
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html: with a Delimiter, the
  // keys whose rest after the Prefix holds it are rolled up into CommonPrefixes, which count
  // against MaxKeys and in KeyCount with the objects.
  it('listObjectsV2 with a Delimiter rolls keys up into CommonPrefixes, counted with the objects', async () => {
    const s = store();
    for (const k of ['logs/2024/a', 'logs/2024/b', 'logs/2025/a', 'logs/top.txt', 'other/x']) s.write('data', k, k);
    const out = (await call('listObjectsV2', { Bucket: 'data', Prefix: 'logs/', Delimiter: '/' }, s)).output as JsonObject;
    expect(out).toEqual({
      CommonPrefixes: [{ Prefix: 'logs/2024/' }, { Prefix: 'logs/2025/' }],
      Contents: [expect.objectContaining({ Key: 'logs/top.txt' })],
      Delimiter: '/',
      IsTruncated: false,
      KeyCount: 3,
      MaxKeys: 1000,
      Name: 'data',
      Prefix: 'logs/',
    });
    const top = (await call('listObjectsV2', { Bucket: 'data', Delimiter: '/' }, s)).output as JsonObject;
    expect(top.CommonPrefixes).toEqual([{ Prefix: 'logs/' }, { Prefix: 'other/' }]);
    expect((top.Contents as JsonObject[]).map((c) => c.Key)).toEqual(['a.txt']);
  });

  it('listObjectsV2 with a Delimiter pages through common prefixes without listing one twice', async () => {
    const s = store();
    for (const k of ['p/a/1', 'p/a/2', 'p/a/3', 'p/b/1', 'p/c', 'p/d/1', 'p/d/2']) s.write('data', k, k);
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const out = (await call('listObjectsV2', { Bucket: 'data', Prefix: 'p/', Delimiter: '/', MaxKeys: 1, ...(token ? { ContinuationToken: token } : {}) }, s)).output as JsonObject;
      expect(out.KeyCount).toBe(1);
      seen.push(...((out.CommonPrefixes ?? []) as JsonObject[]).map((c) => `${c.Prefix as string} (prefix)`), ...((out.Contents ?? []) as JsonObject[]).map((c) => c.Key as string));
      token = out.NextContinuationToken as string | undefined;
      if (!out.IsTruncated) break;
    }
    expect(seen).toEqual(['p/a/ (prefix)', 'p/b/ (prefix)', 'p/c', 'p/d/ (prefix)']);
    expect(token).toBeUndefined();
  });

  it('listObjectsV2 with a Delimiter skips the keys under a common prefix instead of reading them: 101,000 under one prefix are one entry of one page', async () => {
    const s = store();
    for (let i = 0; i < 101_000; i++) s.write('data', `p/a/${String(i).padStart(6, '0')}`, '');
    // Keys that sort right after the prefix's: the last key under it, and the first one not under it.
    s.write('data', `p/a/${'\u{10FFFF}'.repeat(255)}`, '');
    s.write('data', 'p/a\u{10FFFF}', '');
    s.write('data', 'p/b', 'b');
    const out = (await call('listObjectsV2', { Bucket: 'data', Prefix: 'p/', Delimiter: '/' }, s)).output as JsonObject;
    expect(out).toMatchObject({ CommonPrefixes: [{ Prefix: 'p/a/' }], IsTruncated: false, KeyCount: 3 });
    expect((out.Contents as JsonObject[]).map((c) => c.Key)).toEqual(['p/a\u{10FFFF}', 'p/b']);
  });

  it('listObjectsV2 with MaxKeys 0 lists nothing and is not truncated, rather than failing with a TypeError', async () => {
    for (const Delimiter of [undefined, '/']) {
      const out = await call('listObjectsV2', { Bucket: 'data', MaxKeys: 0, ...(Delimiter ? { Delimiter } : {}) });
      expect(out.status).toBe('SUCCEEDED');
      expect(out.output).toMatchObject({ IsTruncated: false, KeyCount: 0, MaxKeys: 0 });
      expect(out.output).not.toHaveProperty('NextContinuationToken');
    }
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html: Range reads one byte range
  // (RFC 9110); one that starts past the end is S3's InvalidRange, 416.
  it.each([
    ['bytes=0-3', 'text', 'bytes 0-3/9'],
    ['bytes=5-', 'data', 'bytes 5-8/9'],
    ['bytes=-4', 'data', 'bytes 5-8/9'],
    ['bytes=5-100', 'data', 'bytes 5-8/9'],
  ])('getObject with Range %s returns those bytes with ContentRange', async (Range, body, contentRange) => {
    const { output } = await call('getObject', { Bucket: 'data', Key: 'a.txt', Range });
    expect(output).toMatchObject({ Body: body, ContentLength: body.length, ContentRange: contentRange });
    expect(Object.keys(output as JsonObject)).toEqual(['AcceptRanges', 'ContentLength', 'ContentRange', 'ContentType', 'ETag', 'LastModified', 'Metadata', 'ServerSideEncryption', 'Body']);
  });

  it('getObject with a Range past the end fails with S3.S3Exception (InvalidRange, 416); one it cannot read as a range returns the whole object', async () => {
    const out = await call('getObject', { Bucket: 'data', Key: 'a.txt', Range: 'bytes=9-' });
    expect(out).toMatchObject({ status: 'FAILED', error: 'S3.S3Exception' });
    expect(out.cause).toContain('Status Code: 416');
    for (const Range of ['bytes=5-2', 'lines=1-2', 'bytes=0-1,3-4']) {
      expect((await call('getObject', { Bucket: 'data', Key: 'a.txt', Range })).output).toMatchObject({ Body: 'text data', ContentLength: 9 });
    }
  });

  it('listObjectsV2 refuses a continuation token it did not give', async () => {
    expect(await call('listObjectsV2', { Bucket: 'data', ContinuationToken: '!!' })).toMatchObject({ status: 'FAILED', error: 'S3.S3Exception' });
  });

  it('headObject describes an object without its body', async () => {
    expect((await call('headObject', { Bucket: 'data', Key: 'a.txt' })).output).toMatchObject({ ContentLength: 9, ETag: '"332eec544317a6d340b8e77da7fe54ad"' });
  });

  it('copyObject copies from CopySource and deleteObject removes a key', async () => {
    const s = store();
    expect((await call('copyObject', { Bucket: 'data', Key: 'b.txt', CopySource: 'data/a.txt' }, s)).output).toMatchObject({ CopyObjectResult: { ETag: '"332eec544317a6d340b8e77da7fe54ad"' } });
    expect(await call('deleteObject', { Bucket: 'data', Key: 'a.txt' }, s)).toMatchObject({ status: 'SUCCEEDED', output: {} });
    expect(s.list('data', { maxKeys: 10 }).objects.map((o) => o.key)).toEqual(['b.txt']);
  });

  it('fails an S3 operation the local S3 does not answer naming the ones it does, not telling the run to give it a local S3', async () => {
    const { status, error, cause } = await call('putBucketPolicy', { Bucket: 'data', Policy: '{}' });
    expect([status, error]).toEqual(['FAILED', 'States.Runtime']);
    expect(cause).toContain("the run's local S3 answers only getObject, headObject, putObject, deleteObject, copyObject, listObjectsV2: "
      + 'answer this operation with a mock');
    expect(cause).not.toContain('give the run a local S3');
  });

  it('leaves an S3 Task with a mock to its mock', async () => {
    const run = await taskOf('getObject').run({ Bucket: 'data', Key: 'a.txt' }, { s3: store(), mocks: { S3: succeed({ Body: 'mocked' }) } });
    expect(run.output).toEqual({ Body: 'mocked' });
  });
});

describe('S3 Tasks and result files on a local S3 folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-s3-tasks-'));
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'a.txt'), 'text data');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const inFolder = async (operation: string, params: JsonObject): Promise<Outcome> => {
    const run = await taskOf(operation).run(params, { s3: { dir } });
    return { status: run.status, output: run.output, error: run.error, cause: run.cause };
  };

  it('copyObject refuses a source over 5 GB with S3.InvalidRequestException, as S3 does, before copying a byte of it', async () => {
    const s = store();
    // An object that says it is 5 GB and a byte, without the memory of one; reading it fails the test.
    const big = Object.assign(Object.create(s) as MemoryObjectStore, {
      head: (bucket: string, key: string) => ({ ...s.head(bucket, key), size: 5 * 1024 ** 3 + 1 }),
      chunks: () => { throw new Error('read the source'); },
    });
    const out = await call('copyObject', { Bucket: 'data', Key: 'b.txt', CopySource: 'data/a.txt' }, big);
    expect(out).toMatchObject({ status: 'FAILED', error: 'S3.InvalidRequestException' });
    expect(out.cause).toBe('The specified copy source is larger than the maximum allowable size for a copy source: 5368709120 (Service: S3, Status Code: 400, Request ID: 00000000-0000-4000-8000-000000000000, Extended Request ID: 00000000-0000-4000-8000-000000000000) (SDK Attempt Count: 1)');
    expect(() => s.head('data', 'b.txt')).toThrow('The specified key does not exist');
  });

  it('copyObject with a malformed %-escape in CopySource fails with S3.S3Exception (InvalidArgument), not a URIError', async () => {
    const out = await inFolder('copyObject', { Bucket: 'data', Key: 'b.txt', CopySource: 'data/a%E0%A4%A.txt' });
    expect(out).toMatchObject({ status: 'FAILED', error: 'S3.S3Exception' });
    expect(out.cause).toContain('malformed %-escape');
  });

  it('putObject to a key with a segment over 255 bytes stores it, as S3 does (it bounds only the whole key), and getObject reads it back', async () => {
    const key = `${'x'.repeat(300)}/y.json`;
    expect(await inFolder('putObject', { Bucket: 'data', Key: key, Body: '{}' })).toMatchObject({ status: 'SUCCEEDED' });
    expect(await inFolder('getObject', { Bucket: 'data', Key: key })).toMatchObject({ status: 'SUCCEEDED', output: { Body: '{}' } });
    expect(fs.readdirSync(path.join(dir, 'data'))).toEqual(['a.txt']);
  });

  it('a ResultWriter whose Prefix has a segment over 255 bytes writes its result files under it, as on S3', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'data', Prefix: 'p'.repeat(300) } },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition);
    const run = await wf.run({ items: [1, 2] }, { s3: { dir } });
    expect(run.status).toBe('SUCCEEDED');
    const keys = new FolderObjectStore(dir).list('data', { prefix: 'p'.repeat(300), maxKeys: 10 }).objects.map((o) => o.key.slice(301));
    expect(keys).toEqual(expect.arrayContaining([expect.stringMatching(/\/manifest\.json$/)]));
  });

  it('getObject of an object over 256 KiB fails with States.DataLimitExceeded without reading it: a 3 GiB file', async () => {
    const file = path.join(dir, 'data', 'huge.bin');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 3 * 1024 ** 3);
    expect(await inFolder('getObject', { Bucket: 'data', Key: 'huge.bin' })).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(await inFolder('headObject', { Bucket: 'data', Key: 'huge.bin' })).toMatchObject({ status: 'SUCCEEDED', output: { ContentLength: 3 * 1024 ** 3 } });
  });

  it('listObjectsV2 with a Delimiter lists a folder\'s subfolders as CommonPrefixes, a page at a time', async () => {
    for (const k of ['in/2024/a.csv', 'in/2024/b.csv', 'in/2025/a.csv', 'in/readme']) {
      fs.mkdirSync(path.dirname(path.join(dir, 'data', k)), { recursive: true });
      fs.writeFileSync(path.join(dir, 'data', k), k);
    }
    const first = (await inFolder('listObjectsV2', { Bucket: 'data', Prefix: 'in/', Delimiter: '/', MaxKeys: 2 })).output as JsonObject;
    expect(first).toMatchObject({ CommonPrefixes: [{ Prefix: 'in/2024/' }, { Prefix: 'in/2025/' }], IsTruncated: true, KeyCount: 2 });
    const second = (await inFolder('listObjectsV2', { Bucket: 'data', Prefix: 'in/', Delimiter: '/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken! })).output as JsonObject;
    expect(second).toMatchObject({ Contents: [expect.objectContaining({ Key: 'in/readme' })], IsTruncated: false, KeyCount: 1 });
  });

  it('listObjectsV2 with a StartAfter starts a listing: it lists a file put in the folder since the last one', async () => {
    const s3 = new FolderObjectStore(dir);
    const list = async (params: JsonObject): Promise<string[]> => {
      const run = await taskOf('listObjectsV2').run({ Bucket: 'data', ...params }, { s3 });
      return (((run.output as JsonObject).Contents ?? []) as JsonObject[]).map((c) => c.Key as string);
    };
    expect(await list({})).toEqual(['a.txt']);
    fs.writeFileSync(path.join(dir, 'data', 'b.txt'), 'b');
    expect(await list({ StartAfter: 'a.txt' })).toEqual(['b.txt']);
  });

  it('getObject with a Range reads those bytes of a 3 GiB file: the 256 KiB bound is the range\'s, not the object\'s', async () => {
    const file = path.join(dir, 'data', 'huge.bin');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 3 * 1024 ** 3);
    fs.appendFileSync(file, 'tail');
    const out = await inFolder('getObject', { Bucket: 'data', Key: 'huge.bin', Range: 'bytes=-4' });
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: { Body: 'tail', ContentLength: 4, ContentRange: `bytes ${3 * 1024 ** 3}-${3 * 1024 ** 3 + 3}/${3 * 1024 ** 3 + 4}` } });
    expect(await inFolder('getObject', { Bucket: 'data', Key: 'huge.bin', Range: 'bytes=0-262144' })).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('stamps putObject, copyObject and the result files with the run\'s virtual clock (2024-01-01 by default), as the memory store does', async () => {
    const put = await taskOf('putObject').run({ Bucket: 'data', Key: 'out/x.json', Body: '{}' }, { s3: { dir } });
    expect(put.status).toBe('SUCCEEDED');
    const head = await taskOf('headObject').run({ Bucket: 'data', Key: 'out/x.json' }, { s3: { dir } });
    expect((head.output as JsonObject).LastModified).toBe('2024-01-01T00:00:00Z');
    const copied = await taskOf('copyObject').run({ Bucket: 'data', Key: 'out/y.json', CopySource: 'data/out/x.json' }, { s3: { dir } });
    expect(((copied.output as JsonObject).CopyObjectResult as JsonObject).LastModified).toBe('2024-01-01T00:00:00Z');
    const map = Workflow.fromDefinition({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'data', Prefix: 'results' } },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition);
    expect((await map.run({ items: [1] }, { s3: { dir } })).status).toBe('SUCCEEDED');
    const listed = await taskOf('listObjectsV2').run({ Bucket: 'data', Prefix: 'results/' }, { s3: { dir } });
    const times = ((listed.output as JsonObject).Contents as JsonObject[]).map((c) => c.LastModified);
    expect(times).toEqual(['2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z']);
  });
});
