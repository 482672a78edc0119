import type { JsonObject, JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { Workflow } from '../../../src/testing/workflow';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';

/*
 * What AWS writes for a Map Run that fails, and how it writes a failed child: checked against a
 * capture of AWS result files (a project's tests of SUCCEEDED_0.json, FAILED_0.json and
 * manifest.json read from S3: a failed child has Cause, Error, ExecutionArn, Input, InputDetails,
 * Name, OutputDetails, RedriveCount, RedriveStatus REDRIVABLE_BY_MAP_RUN, StartDate,
 * StateMachineArn, Status, StopDate, in that order) and the ResultWriter page of the developer
 * guide (a Map Run's results go to FAILED, PENDING and SUCCEEDED files listed in manifest.json).
 */

/** A distributed Map over `$.items`, one child at a time, whose children fail for `{ fail: true }`. */
const machine = (extra: JsonObject = {}): Workflow => Workflow.fromDefinition({
  StartAt: 'Process',
  States: {
    Process: {
      Type: 'Map',
      ...(extra.ItemReader ? {} : { ItemsPath: '$.items' }),
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Check',
        States: {
          Check: { Type: 'Choice', Choices: [{ Variable: '$.fail', IsPresent: true, Next: 'Boom' }], Default: 'Done' },
          Boom: { Type: 'Fail', Error: 'Item.Bad', Cause: 'bad item' },
          Done: { Type: 'Pass', End: true },
        },
      },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'runs' } },
      ...extra,
      End: true,
    },
  },
} as unknown as StateMachineDefinition, { name: 'Orders' });

const store = (): MemoryObjectStore => {
  const s = new MemoryObjectStore();
  s.createBucket('results');
  return s;
};

/** The Map Run ARN the history recorded, and the manifest's key under `runs/`. */
function manifestOf(history: ReadonlyArray<{ type: string; mapRunStartedEventDetails?: unknown }>): { Bucket: string; Key: string } {
  const arn = (history.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
  return { Bucket: 'results', Key: `runs/${arn.split(':').pop()!}/manifest.json` };
}

const items: JsonValue[] = [{ n: 1 }, { n: 2, fail: true }, { n: 3 }, { n: 4 }];

describe('a Map Run that fails still writes its result files, as AWS does', () => {
  it('writes manifest.json with SUCCEEDED_0.json, FAILED_0.json and PENDING_0.json when the tolerated failures are exceeded', async () => {
    const s3 = store();
    const run = await machine({ ToleratedFailureCount: 0 }).run({ items }, { s3 });
    expect(run.error).toBe('States.ExceedToleratedFailureThreshold');
    const location = manifestOf(run.history);
    const { manifest } = run.mapResults(location);
    const folder = location.Key.slice(0, -'manifest.json'.length);
    const files = manifest.ResultFiles;
    expect(Object.keys(files)).toEqual(['FAILED', 'PENDING', 'SUCCEEDED']);
    expect(files.FAILED.map((f) => f.Key)).toEqual([`${folder}FAILED_0.json`]);
    expect(files.PENDING.map((f) => f.Key)).toEqual([`${folder}PENDING_0.json`]);
    expect(files.SUCCEEDED.map((f) => f.Key)).toEqual([`${folder}SUCCEEDED_0.json`]);
    for (const f of [...files.FAILED, ...files.PENDING, ...files.SUCCEEDED]) expect(s3.head('results', f.Key).size).toBe(f.Size);
  });

  it('lists the items never started in PENDING_0.json as { Input, InputDetails, Status: "PENDING" } when a child fails the Map Run', async () => {
    const run = await machine().run({ items }, { s3: store() });
    expect(run.error).toBe('Item.Bad');
    const { pending, succeeded } = run.mapResults(manifestOf(run.history));
    expect(pending).toEqual([
      { Input: '{"n":3}', InputDetails: { Included: true }, Status: 'PENDING' },
      { Input: '{"n":4}', InputDetails: { Included: true }, Status: 'PENDING' },
    ]);
    expect(succeeded.map((e) => (e as JsonObject).Input)).toEqual(['{"n":1}']);
  });

  it('lists as PENDING the items a streaming reader had not read when the Map Run failed', async () => {
    const s3 = store();
    s3.createBucket('data');
    s3.write('data', 'items.jsonl', Array.from({ length: 2500 }, (_, i) => JSON.stringify(i === 0 ? { n: i, fail: true } : { n: i })).join('\n'));
    const reader = { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'data', Key: 'items.jsonl' } };
    const run = await machine({ ItemReader: reader, ToleratedFailureCount: 0 }).run({}, { s3 });
    expect(run.error).toBe('States.ExceedToleratedFailureThreshold');
    const { pending, failed } = run.mapResults(manifestOf(run.history));
    expect(failed).toHaveLength(1);
    expect(pending).toHaveLength(2499);
    expect(pending[2498]).toEqual({ Input: '{"n":2499}', InputDetails: { Included: true }, Status: 'PENDING' });
  });

  it('takes back what it wrote when the execution is stopped: an aborted Map Run leaves no file', async () => {
    const s3 = store();
    const wf = machine({
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Wait',
        States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } },
      },
    });
    const execution = wf.start({ items: [{ n: 1 }] }, { s3 });
    await execution.waitForTaskToken();
    execution.stop();
    const run = await execution.result;
    expect(run.status).toBe('ABORTED');
    expect(s3.list('results', { maxKeys: 10 }).objects).toEqual([]);
  });
});

describe('a failed child in the result files, as AWS writes it', () => {
  it('has Cause and Error first, OutputDetails and no Output, and is REDRIVABLE_BY_MAP_RUN with no reason', async () => {
    const run = await machine({ ToleratedFailureCount: 1 }).run({ items: [{ n: 1 }, { n: 2, fail: true }] }, { s3: store() });
    expect(run.status).toBe('SUCCEEDED');
    const [entry] = run.mapResults().failed as JsonObject[];
    expect(Object.keys(entry)).toEqual([
      'Cause', 'Error', 'ExecutionArn', 'Input', 'InputDetails', 'Name', 'OutputDetails', 'RedriveCount', 'RedriveStatus',
      'StartDate', 'StateMachineArn', 'Status', 'StopDate',
    ]);
    expect(entry).toMatchObject({
      Cause: 'bad item',
      Error: 'Item.Bad',
      Input: '{"n":2,"fail":true}',
      InputDetails: { Included: true },
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'REDRIVABLE_BY_MAP_RUN',
      Status: 'FAILED',
    });
  });

  it('keeps a succeeded child NOT_REDRIVABLE with AWS\'s reason', async () => {
    const run = await machine().run({ items: [{ n: 1 }] }, { s3: store() });
    expect(run.mapResults().succeeded[0]).toMatchObject({ RedriveStatus: 'NOT_REDRIVABLE', RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' });
  });
});
