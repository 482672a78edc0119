import '../../../src/testing/setup';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { build, type BuildScope } from './machine';
import { AthenaDataFormat, DistributedMapProps, ItemReader, Jsonata, Map, Task } from '../../../src/constructs/builders';
import { definitionOf } from '../render';

const J = sfn.QueryLanguage.JSONATA;
const bucketOf = (s: BuildScope) => (s.stack.node.tryFindChild('Data') as s3.IBucket | undefined) ?? s3.Bucket.fromBucketName(s.stack, 'Data', 'data-bucket');
const ORDERS = [{ id: 'o-1', total: 30 }, { id: 'o-2', total: 12 }];

function bulk(s: BuildScope, props: Partial<DistributedMapProps>, id = 'Bulk') {
  return Map.distributed(s.stack, id, { itemProcessor: new sfn.Pass(s.stack, `${id} row`), ...props });
}

describe('Distributed Map fields', () => {
  it('reads the array an ItemsPointer points to in a JSON file (JSONPath), as the ASL guide shows', async () => {
    const m = build((s) => bulk(s, { itemReader: ItemReader.json({ bucket: bucketOf(s), key: 'export.json', itemsPointer: '/data/orders' }) }));
    expect(m.asl.States.Bulk.ItemReader).toEqual({
      Resource: expect.stringMatching(/^arn:.*:states:::s3:getObject$/),
      ReaderConfig: { InputType: 'JSON', ItemsPointer: '/data/orders' },
      Parameters: { Bucket: 'data-bucket', Key: 'export.json' },
    });
    expect(m.errors).toEqual([]);
    const run = await m.wf.run({}, { s3: { 'data-bucket': { 'export.json': { data: { orders: ORDERS } } } } });
    expect(run).toHaveOutput(ORDERS);
  });

  it('reads a JSON Lines file with a JSONata MaxItems and writes JSONL results through WriterConfig (JSONata)', async () => {
    const m = build((s) => bulk(s, {
      queryLanguage: J,
      itemReader: ItemReader.jsonl({ bucket: bucketOf(s), key: 'orders.jsonl', maxItems: Jsonata.number('$states.input.max') }),
      resultWriter: new sfn.ResultWriterV2({
        bucket: bucketOf(s),
        prefix: 'results',
        writerConfig: new sfn.WriterConfig({ outputType: sfn.OutputType.JSONL, transformation: sfn.Transformation.COMPACT }),
      }),
    }), J);
    expect(m.asl.States.Bulk.ItemReader).toMatchObject({
      ReaderConfig: { InputType: 'JSONL', MaxItems: '{% $states.input.max %}' }, Arguments: { Bucket: 'data-bucket', Key: 'orders.jsonl' },
    });
    expect(m.asl.States.Bulk.ResultWriter).toMatchObject({
      Arguments: { Bucket: 'data-bucket', Prefix: 'results' }, WriterConfig: { OutputType: 'JSONL', Transformation: 'COMPACT' },
    });
    expect(m.errors).toEqual([]);
    const lines = ORDERS.map((o) => JSON.stringify(o)).join('\n');
    const run = await m.wf.run({ max: 1 }, { s3: { 'data-bucket': { 'orders.jsonl': lines } } });
    expect(run).toSucceed();
    const files = run.mapResults();
    expect(files.succeeded).toEqual([ORDERS[0]]);
  });

  it('formats results with a WriterConfig alone (FLATTEN), and renders a ResultWriter without the feature flag', async () => {
    const m = build((s) => bulk(s, {
      itemsPath: '$.groups',
      resultWriter: new sfn.ResultWriterV2({
        writerConfig: new sfn.WriterConfig({ outputType: sfn.OutputType.JSON, transformation: sfn.Transformation.FLATTEN }),
      }),
    }));
    expect(m.asl.States.Bulk.ResultWriter).toEqual({ WriterConfig: { OutputType: 'JSON', Transformation: 'FLATTEN' } });
    expect(m.errors).toEqual([]);
    expect(await m.wf.run({ groups: [[1, 2], [3]] })).toHaveOutput([1, 2, 3]);
  });

  it('reads a CSV file split by a CSVDelimiter', async () => {
    const m = build((s) => bulk(s, { itemReader: ItemReader.csv({ bucket: bucketOf(s), key: 'orders.csv', delimiter: sfn.CsvDelimiter.PIPE }) }));
    expect(m.asl.States.Bulk.ItemReader.ReaderConfig).toEqual({ InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', CSVDelimiter: 'PIPE' });
    expect(m.errors).toEqual([]);
    const run = await m.wf.run({}, { s3: { 'data-bucket': { 'orders.csv': 'id|total\no-1|30\no-2|12\n' } } });
    expect(run).toHaveOutput([{ id: 'o-1', total: '30' }, { id: 'o-2', total: '12' }]);
  });

  it('reads the CSV files an Athena data manifest lists', async () => {
    const m = build((s) => bulk(s, { itemReader: ItemReader.athenaManifest({ bucket: bucketOf(s), key: 'unload-manifest.csv', format: AthenaDataFormat.CSV }) }));
    expect(m.asl.States.Bulk.ItemReader.ReaderConfig).toEqual({ ManifestType: 'ATHENA_DATA', InputType: 'CSV' });
    expect(m.errors).toEqual([]);
    const objects = { 'unload-manifest.csv': 's3://data-bucket/part-1.csv\n', 'part-1.csv': 'id,total\no-1,30\n' };
    expect(await m.wf.run({}, { s3: { 'data-bucket': objects } })).toHaveOutput([{ id: 'o-1', total: '30' }]);
  });

  it('renders a PARQUET reader and an S3 Inventory manifest reader, which validate; the local S3 reads the Parquet file, a mock gives the items', async () => {
    const m = build((s) => bulk(s, { itemReader: ItemReader.parquet({ bucket: bucketOf(s), key: 'orders.parquet' }) })
      .next(bulk(s, { itemReader: ItemReader.s3InventoryManifest({ bucket: bucketOf(s), key: 'inventory/manifest.json' }) }, 'Inventory')));
    expect(m.asl.States.Bulk.ItemReader.ReaderConfig).toEqual({ InputType: 'PARQUET' });
    expect(m.asl.States.Inventory.ItemReader.ReaderConfig).toEqual({ InputType: 'MANIFEST' });
    expect(m.errors).toEqual([]);
    const run = await m.wf.run({}, { mocks: { Bulk: ORDERS, Inventory: [] } });
    expect(run).toSucceed();
    // Parquet is binary: the local S3 reads it from a folder (a folder per bucket, a file per key).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-parquet-'));
    try {
      fs.mkdirSync(path.join(dir, 'data-bucket'));
      fs.copyFileSync(path.join(__dirname, '..', '..', 'workbench', 's3', 'fixtures', 'orders.parquet'), path.join(dir, 'data-bucket', 'orders.parquet'));
      const read = await m.wf.run({}, { s3: { dir }, mocks: { Inventory: [] } });
      expect(read).toSucceed();
      expect((read.outputOf('Bulk') as Array<{ id: string }>).map((r) => r.id)).toEqual(['o-1', 'o-2', 'o-3', 'o-4']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes BatchInput beside each batch, labels the Map Run and runs the children as EXPRESS', async () => {
    const m = build((s) => bulk(s, {
      itemsPath: '$.orders',
      label: 'nightly-import',
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: 2, batchInput: { 'runId.$': '$.runId' } }),
    }));
    expect(m.asl.States.Bulk).toMatchObject({
      Label: 'nightly-import',
      ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'runId.$': '$.runId' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } },
    });
    expect(m.errors).toEqual([]);
    const run = await m.wf.run({ runId: 'r-1', orders: [1, 2, 3] });
    expect(run).toHaveOutput([{ BatchInput: { runId: 'r-1' }, Items: [1, 2] }, { BatchInput: { runId: 'r-1' }, Items: [3] }]);
  });

  it.each<[string, RegExp, (s: BuildScope) => Partial<DistributedMapProps>]>([
    ['itemReader.itemsPointer', /ItemsPointer 'data\/orders' is not a JSON Pointer/, (s) => ({ itemReader: ItemReader.json({ bucket: bucketOf(s), key: 'k', itemsPointer: 'data/orders' }) })],
    ['itemReader.maxItems', /MaxItems must be a whole number from 0 to 100,000,000, got 100000001/, (s) => ({ itemReader: ItemReader.jsonl({ bucket: bucketOf(s), key: 'k', maxItems: 100_000_001 }) })],
    ['itemReader.bucket', /exactly one of bucket/, () => ({ itemReader: ItemReader.jsonl({ key: 'k' }) })],
    ['itemReader.headers', /at least one column name/, (s) => ({ itemReader: ItemReader.csv({ bucket: bucketOf(s), key: 'k', headers: sfn.CsvHeaders.use([]) }) })],
    ['itemsPath', /itemsPath or itemReader, not both/, (s) => ({ itemsPath: '$.x', itemReader: ItemReader.jsonl({ bucket: bucketOf(s), key: 'k' }) })],
    ['label', /Label 'nightly import' holds white space/, () => ({ label: 'nightly import' })],
    ['label', /a Label has 1 to 40 characters, got 41/, () => ({ label: 'x'.repeat(41) })],
    ['itemBatcher.maxInputBytesPerBatch', /at most 262144 \(256 KiB\), got 300000/, () => ({ itemBatcher: new sfn.ItemBatcher({ maxInputBytesPerBatch: 300000 }) })],
    ['itemBatcher.maxItemsPerBatch', /whole number above 0, got 0\.5/, () => ({ itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: 0.5 }) })],
    ['resultWriter.prefix', /a prefix needs a bucket/, () => ({ resultWriter: new sfn.ResultWriterV2({ prefix: 'out' }) })],
  ])('fails synth naming %s as AWS would refuse it at creation (%#)', (field, message, props) => {
    expect(() => build((s) => bulk(s, props(s)))).toThrow(expect.objectContaining({ name: 'BuilderValidationError', field, message: expect.stringMatching(message) }));
  });

  it('refuses a callback in EXPRESS child executions, naming mapExecutionType', () => {
    expect(() => build((s) => Map.distributed(s.stack, 'Bulk', {
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      itemProcessor: Task.lambdaCallback(s.stack, 'Approve', {
        lambdaFunction: s.fn('F'), payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }), taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
      }),
    }))).toThrow(/mapExecutionType: Map 'Bulk' runs its items as EXPRESS child executions, but its state 'Approve' uses a callback/);
  });

  it('grants s3:GetObject on the reader\'s bucket', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B');
    new sfn.StateMachine(stack, 'M', {
      definitionBody: sfn.DefinitionBody.fromChainable(Map.distributed(stack, 'Bulk', { itemProcessor: new sfn.Pass(stack, 'P'), itemReader: ItemReader.jsonl({ bucket, key: 'k' }) })),
    });
    expect(JSON.stringify(definitionOf(stack).States.Bulk.ItemReader.Parameters)).toContain('${B');
    const policies = app.synth().getStackByName('S').template.Resources;
    expect(JSON.stringify(policies)).toContain('"s3:GetObject"');
  });
});
