import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Workflow } from 'stepwright/testing';

/** A Distributed Map over a CSV of orders: each child totals one order, the results go to S3. */
function ordersStack(): Stack {
  // ResultWriterV2 renders under this feature flag (cdk.json's "context" in your app).
  const app = new App({ context: { '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2': true } });
  const stack = new Stack(app, 'Orders');
  const bucket = new s3.Bucket(stack, 'Data', { bucketName: 'orders-bucket' });
  const map = new sfn.DistributedMap(stack, 'TotalOrders', {
    itemReader: new sfn.S3CsvItemReader({ bucket, key: 'incoming/orders.csv', csvHeaders: sfn.CsvHeaders.useFirstRow() }),
    resultWriterV2: new sfn.ResultWriterV2({ bucket, prefix: 'results' }),
    toleratedFailureCount: 1,
  });
  map.itemProcessor(new sfn.Pass(stack, 'Total', {
    parameters: { 'id.$': '$.id', 'total.$': 'States.MathAdd(States.StringToJson($.amount), States.StringToJson($.shipping))' },
  }));
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(map) });
  return stack;
}

// The local S3: a folder per bucket, a file per key.
let s3Dir: string;
beforeEach(() => {
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-s3-'));
  fs.mkdirSync(path.join(s3Dir, 'orders-bucket', 'incoming'), { recursive: true });
  fs.writeFileSync(path.join(s3Dir, 'orders-bucket', 'incoming', 'orders.csv'), 'id,amount,shipping\no-1,30,5\no-2,12,0\n');
});
afterEach(() => fs.rmSync(s3Dir, { recursive: true, force: true }));

it('totals every order of the CSV and writes the results file AWS would write', async () => {
  const wf = Workflow.fromStack(ordersStack());
  const run = await wf.run({}, { s3: { dir: s3Dir } });

  expect(run).toSucceed();
  const { manifest, succeeded } = run.mapResults();
  expect(manifest.DestinationBucket).toBe('orders-bucket');
  expect(succeeded.map((entry) => JSON.parse((entry as { Output: string }).Output))).toEqual([
    { id: 'o-1', total: 35 },
    { id: 'o-2', total: 12 },
  ]);
  // The files are in the folder, where AWS would put them: results/<MapRunId>/.
  const key = (run.output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails.Key;
  expect(fs.existsSync(path.join(s3Dir, 'orders-bucket', path.dirname(key), 'SUCCEEDED_0.json'))).toBe(true);
});

it('fails the Map with States.ItemReaderFailed when the CSV is not there', async () => {
  fs.rmSync(path.join(s3Dir, 'orders-bucket', 'incoming', 'orders.csv'));
  const run = await Workflow.fromStack(ordersStack()).run({}, { s3: { dir: s3Dir } });

  expect(run).toFail('States.ItemReaderFailed', /orders\.csv/);
});
