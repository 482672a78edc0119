/**
 * The S3 family of the HTTP fuzzer: StartSyncExecution of Express machines that read and write the
 * local S3 folder of the live serve (`--s3-dir`), with keys, readers and sizes chosen to hurt:
 * ItemReaders of every InputType over hostile files (an unterminated quote, a gzip bomb behind an
 * S3 inventory, a Parquet file of 12 M run-length-encoded rows, a ZSTD frame declaring a 2 GiB
 * window, a JSON array with an 8 MB element), listings with LOAD_AND_FLATTEN, S3 Tasks with keys
 * of long segments, NUL, `..` and malformed %-escapes, ResultWriters with hostile Prefixes. The
 * property (see {@link checkS3Answer}): an execution that ends, its error a service's or the machine's,
 * never the runtime's (`Error`, `RangeError`, `URIError`), and no path of the machine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

const REGION_ACCOUNT = 'arn:aws:states:us-east-1:123456789012';

/** What an S3-family request is about, for the counts and the checks. */
export interface S3Case {
  /** The machine started: `reader CSV`, `task putObject`, ... */
  readonly machine: string;
}

const text = (value: unknown): string => JSON.stringify(value);

const express = (name: string, definition: object) => ({ name, definition: text(definition), type: 'EXPRESS' as const });

const mapReading = (reader: object, writer?: object) => ({
  StartAt: 'Read',
  States: {
    Read: {
      Type: 'Map',
      ItemReader: reader,
      ItemSelector: { 'i.$': '$$.Map.Item.Index' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      ...(writer ? { ResultWriter: writer } : {}),
      End: true,
    },
  },
});

const getObjectReader = (config: object) => ({
  Resource: 'arn:aws:states:::s3:getObject',
  Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' },
  ReaderConfig: { ...config, MaxItemsPath: '$.max' },
});

const INPUT_TYPES = ['CSV', 'JSON', 'JSONL', 'PARQUET', 'MANIFEST'] as const;
const TASKS = ['getObject', 'putObject', 'headObject', 'copyObject', 'deleteObject', 'listObjectsV2'] as const;
const OBJECT = { 'Bucket.$': '$.bucket', 'Key.$': '$.key' };
/** A key written or deleted: under scratch/, so that the readers' files stay for the next case. */
const SCRATCH = { 'Bucket.$': '$.bucket', 'Key.$': "States.Format('scratch/{}', $.key)" };
/** Each Task's parameters from the input: the members its S3 operation takes. */
const TASK_PARAMETERS: Record<(typeof TASKS)[number], object> = {
  getObject: OBJECT,
  headObject: OBJECT,
  deleteObject: SCRATCH,
  putObject: { ...SCRATCH, 'Body.$': '$.body' },
  copyObject: { ...SCRATCH, 'CopySource.$': '$.copySource' },
  listObjectsV2: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.key' },
};

/** The Express machines the S3 family starts, created with the fuzz run's other machines. */
export const S3_MACHINES = [
  ...INPUT_TYPES.map((type) => express(`fz-s3-${type.toLowerCase()}`, mapReading(getObjectReader(
    type === 'CSV' ? { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' } : { InputType: type },
  )))),
  express('fz-s3-list', mapReading({ Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.key' } })),
  express('fz-s3-flatten', mapReading({
    Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.key' }, ReaderConfig: { InputType: 'JSONL', Transformation: 'LOAD_AND_FLATTEN' },
  })),
  express('fz-s3-writer', {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': "States.Format('scratch/{}', $.key)" } },
        End: true,
      },
    },
  }),
  ...TASKS.map((op) => express(`fz-s3-task-${op}`, {
    StartAt: 'S3',
    States: { S3: { Type: 'Task', Resource: `arn:aws:states:::aws-sdk:s3:${op}`, Parameters: TASK_PARAMETERS[op], End: true } },
  })),
];

/** The bucket the fixtures are in. */
const BUCKET = 'fz-data';

/** Writes the hostile files the readers read into `dir/fz-data/`. */
export function writeS3Fixtures(dir: string, parquetFixtures: string): void {
  const bucket = path.join(dir, BUCKET);
  fs.mkdirSync(path.join(bucket, 'logs'), { recursive: true });
  fs.mkdirSync(path.join(bucket, 'inv'), { recursive: true });
  const put = (key: string, body: string | Uint8Array): void => fs.writeFileSync(path.join(bucket, ...key.split('/')), body);
  put('ok.csv', 'id,v\n1,a\n2,"b,""c"""\n3,\\,d\n');
  put('ok.json', '[{"id":1},{"id":2},[3]]');
  put('ok.jsonl', '{"id":1}\n\n{"id":2}\r\n');
  put('quote.csv', `a,b\n1,"${'q'.repeat(9 * 1024 * 1024)}`);
  put('long-line.jsonl', `"${'l'.repeat(9 * 1024 * 1024)}"\n`);
  put('big-element.json', `[1,"${'e'.repeat(9 * 1024 * 1024)}"]`);
  put('deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`);
  put('ok.jsonl.gz', gzipSync('{"id":1}\n{"id":2}\n'));
  put('window.jsonl.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xa8, 0x09, 0x00, 0x00, 0x78]));
  put('inv/1.csv.gz', gzipSync(Buffer.concat([Buffer.from('"fz-data","'), Buffer.alloc(30 * 1024 * 1024, 'k')]), { level: 9 }));
  put('inv/manifest.json', text({ destinationBucket: `arn:aws:s3:::${BUCKET}`, fileFormat: 'CSV', fileSchema: 'Bucket, Key', files: [{ key: 'inv/1.csv.gz' }] }));
  put('logs/a.jsonl', '{"n":1}\n');
  put('logs/b.jsonl', '{"n":2}\n');
  put('not-parquet.parquet', 'id\n1\n');
  for (const name of ['rle-12m.parquet', 'groups.parquet', 'orders.parquet']) fs.copyFileSync(path.join(parquetFixtures, name), path.join(bucket, name));
}

/** Keys a hostile input names: real ones, and ones S3 or the folder refuses. */
const keyArb = fc.oneof(
  {
    arbitrary: fc.constantFrom('ok.csv', 'ok.json', 'ok.jsonl', 'quote.csv', 'long-line.jsonl', 'big-element.json', 'deep.json', 'ok.jsonl.gz', 'window.jsonl.zst',
      'inv/manifest.json', 'rle-12m.parquet', 'groups.parquet', 'orders.parquet', 'not-parquet.parquet', 'logs/', 'missing.csv'),
    weight: 8,
  },
  { arbitrary: fc.constantFrom(`${'s'.repeat(256)}/x.json`, `a/${'é'.repeat(130)}`, 'k'.repeat(1025), '../escape', 'a//b', 'nul\u0000', 'back\\slash', '', '.', 'ok.csv/inside', '\ud800'), weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
);

const copySourceArb = fc.oneof(
  fc.constantFrom(`${BUCKET}/ok.csv`, `/${BUCKET}/ok.json`, `${BUCKET}/ok%2Ecsv`, `${BUCKET}/a%E0%A4%A.txt`, `${BUCKET}/%`, `${BUCKET}/rle-12m.parquet`, 'nobucket/x', 'no-slash', ''),
  fc.string({ maxLength: 20 }),
);

/** One S3-family request: a StartSyncExecution of an S3 machine with a hostile input. */
export function s3RequestArb(): fc.Arbitrary<{ readonly target: string; readonly body: string; readonly s3: S3Case }> {
  const machine = fc.constantFrom(...S3_MACHINES.map((m) => m.name));
  const input = fc.record({
    bucket: fc.oneof({ arbitrary: fc.constant(BUCKET), weight: 8 }, { arbitrary: fc.constantFrom('missing-bucket', '..', 'a', 'UPPER_case'), weight: 1 }),
    key: keyArb,
    // Bounded, or not a count AWS takes: the files read whole (an unterminated quote, a bomb) are
    // refused at the first item, whatever MaxItems says. No limit is the case below, on its own file.
    max: fc.oneof({ arbitrary: fc.constantFrom(1, 3, 1000), weight: 5 }, { arbitrary: fc.constantFrom(-1, 1.5), weight: 1 }),
    copySource: copySourceArb,
    body: fc.oneof(fc.constantFrom('x', '{}', ''), fc.constant({ nested: [1, 2] })),
    items: fc.constantFrom([1], [1, 2, 3], []),
  });
  // A MaxItemsPath of 1e300 over the 12 M rows of rle-12m.parquet: 12 M children, legitimate work
  // (as on AWS) that serve runs while it answers every other request, and which the Express limit
  // of 5 minutes (0.3 s at the fuzzer's time scale) ends TIMED_OUT.
  const unbounded = fc.record({ bucket: fc.constant(BUCKET), key: fc.constant('rle-12m.parquet'), max: fc.constant(1e300) });
  const cases = fc.oneof(
    { arbitrary: fc.tuple(machine, input), weight: 60 },
    { arbitrary: fc.tuple(fc.constant('fz-s3-parquet'), unbounded), weight: 4 },
  );
  return cases.map(([name, i]) => ({
    target: 'AWSStepFunctions.StartSyncExecution',
    body: text({ stateMachineArn: `${REGION_ACCOUNT}:stateMachine:${name}`, input: text(i) }),
    s3: { machine: name.replace(/^fz-s3-/, '') },
  }));
}

/** Error names of the runtime, which a service never answers with. */
const RUNTIME_ERRORS = /^(Error|RangeError|TypeError|URIError|SyntaxError|ReferenceError|ObjectStoreError)$/;

/**
 * Checks a StartSyncExecution answer of the S3 family: an execution that ended, or failed with a
 * service's error name, with no path of the machine (the S3 folder's) in its cause. Answers a
 * violation's words, or undefined when the property holds; the label for the counts is the
 * execution's status and error.
 */
export function checkS3Answer(body: Record<string, unknown>, s3Dir: string): { violation?: string; outcome: string } {
  const status = String(body.status);
  const error = typeof body.error === 'string' ? body.error : undefined;
  const cause = typeof body.cause === 'string' ? body.cause : '';
  const outcome = error ? `${status} ${error}` : status;
  if (status !== 'SUCCEEDED' && status !== 'FAILED' && status !== 'TIMED_OUT') return { violation: `an execution that did not end: ${JSON.stringify(body).slice(0, 300)}`, outcome };
  // Another family's UpdateStateMachine may have given the machine a definition of its own
  // (a Fail state's Custom.Failure): any error name but the runtime's is the machine's to give.
  if (error !== undefined && RUNTIME_ERRORS.test(error)) {
    return { violation: `the runtime's error ${error} (a service's name was due): ${cause.slice(0, 300)}`, outcome };
  }
  if (cause.includes(s3Dir) || JSON.stringify(body.output ?? '').includes(s3Dir)) return { violation: `a path of the machine in the answer: ${cause.slice(0, 300)}`, outcome };
  return { outcome };
}
