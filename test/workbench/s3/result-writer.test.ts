import type { JsonObject, JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { AwsLimits } from '../../../src/asl/limits';
import { ResultFiles, writerConfigOf } from '../../../src/interpreter/states/result-writer';
import { Workflow } from '../../../src/testing/workflow';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';

/** A distributed Map over `$.items` whose children fail for items with `fail: true`. */
const mapWith = (writer: JsonValue, extra: JsonObject = {}): Workflow => Workflow.fromDefinition({
  StartAt: 'Process',
  States: {
    Process: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Check',
        States: {
          Check: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.fail', IsPresent: true }, { Variable: '$.fail', BooleanEquals: true }], Next: 'Boom' }], Default: 'Done' },
          Boom: { Type: 'Fail', Error: 'Item.Bad', Cause: 'bad item' },
          Done: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true },
        },
      },
      ResultWriter: writer,
      ...extra,
      End: true,
    },
  },
} as unknown as StateMachineDefinition, { name: 'Orders' });

const toS3 = (writerConfig?: JsonObject): JsonObject => ({
  Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'runs' }, ...(writerConfig ? { WriterConfig: writerConfig } : {}),
});

const s3 = (): MemoryObjectStore => {
  const store = new MemoryObjectStore();
  store.createBucket('results');
  return store;
};

describe('ResultWriter to the local S3', () => {
  it('returns the MapRunArn and the manifest location <Prefix>/<MapRunId>/manifest.json', async () => {
    const run = await mapWith(toS3(), { Label: 'Process' }).run({ items: [{ n: 1 }] }, { s3: s3() });
    const out = run.output as { MapRunArn: string; ResultWriterDetails: JsonObject };
    expect(out.MapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:Orders\/Process:[0-9a-f-]{36}$/);
    const id = out.MapRunArn.split(':').pop();
    expect(out.ResultWriterDetails).toEqual({ Bucket: 'results', Key: `runs/${id}/manifest.json` });
  });

  it('writes manifest.json listing SUCCEEDED_0.json with its key and size, and no empty FAILED or PENDING files', async () => {
    const store = s3();
    const run = await mapWith(toS3()).run({ items: [{ n: 1 }, { n: 2 }] }, { s3: store });
    const { manifest } = run.mapResults();
    const id = (run.output as JsonObject).MapRunArn as string;
    const folder = `runs/${id.split(':').pop()}`;
    expect(manifest).toEqual({
      DestinationBucket: 'results',
      MapRunArn: id,
      ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: `${folder}/SUCCEEDED_0.json`, Size: store.head('results', `${folder}/SUCCEEDED_0.json`).size }] },
    });
    expect(store.list('results', { maxKeys: 10 }).objects.map((o) => o.key)).toEqual([`${folder}/SUCCEEDED_0.json`, `${folder}/manifest.json`]);
  });

  it('describes each child execution in SUCCEEDED_0.json as AWS does (Transformation NONE): Input and Output as JSON text', async () => {
    const run = await mapWith(toS3(), { Label: 'Process' }).run({ items: [{ n: 1 }, { n: 2 }] }, { s3: s3() });
    const { succeeded } = run.mapResults();
    expect(succeeded).toHaveLength(2);
    const first = succeeded[0] as JsonObject;
    expect(Object.keys(first)).toEqual([
      'ExecutionArn', 'Input', 'InputDetails', 'Name', 'Output', 'OutputDetails', 'RedriveCount', 'RedriveStatus', 'RedriveStatusReason',
      'StartDate', 'StateMachineArn', 'Status', 'StopDate',
    ]);
    expect(first).toMatchObject({
      Input: '{"n":1}',
      InputDetails: { Included: true },
      Output: '{"doubled":2}',
      OutputDetails: { Included: true },
      RedriveCount: 0,
      StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders/Process',
      Status: 'SUCCEEDED',
    });
    expect(first.ExecutionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:Orders/Process:${String(first.Name)}`);
    expect((succeeded[1] as JsonObject).Output).toBe('{"doubled":4}');
  });

  it('writes tolerated failures to FAILED_0.json with their Error and Cause', async () => {
    const run = await mapWith(toS3(), { ToleratedFailureCount: 1 }).run({ items: [{ n: 1 }, { n: 2, fail: true }] }, { s3: s3() });
    expect(run.status).toBe('SUCCEEDED');
    const { manifest, succeeded, failed } = run.mapResults();
    expect(succeeded).toHaveLength(1);
    expect(failed).toEqual([expect.objectContaining({ Error: 'Item.Bad', Cause: 'bad item', Input: '{"n":2,"fail":true}', Status: 'FAILED' })]);
    expect(failed[0]).not.toHaveProperty('Output');
    // The manifest is typed as AWS writes it: no cast to read its files.
    expect(manifest.ResultFiles.FAILED).toEqual([{ Key: expect.stringMatching(/\/FAILED_0\.json$/), Size: expect.any(Number) }]);
  });

  it('writes the outputs alone with Transformation COMPACT, and spreads array outputs with FLATTEN', async () => {
    const compact = await mapWith(toS3({ Transformation: 'COMPACT', OutputType: 'JSON' })).run({ items: [{ n: 1 }, { n: 2 }] }, { s3: s3() });
    expect(compact.mapResults().succeeded).toEqual([{ doubled: 2 }, { doubled: 4 }]);
    const flat = Workflow.fromDefinition({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'pair.$': 'States.Array($.n, $.n)' }, OutputPath: '$.pair', End: true } } },
          ResultWriter: toS3({ Transformation: 'FLATTEN', OutputType: 'JSON' }),
          End: true,
        },
      },
    } as unknown as StateMachineDefinition);
    expect((await flat.run({ items: [{ n: 1 }, { n: 2 }] }, { s3: s3() })).mapResults().succeeded).toEqual([1, 1, 2, 2]);
  });

  it('writes JSON Lines with OutputType JSONL', async () => {
    const store = s3();
    const run = await mapWith(toS3({ Transformation: 'COMPACT', OutputType: 'JSONL' })).run({ items: [{ n: 1 }, { n: 2 }] }, { s3: store });
    const files = run.mapResults().manifest.ResultFiles.SUCCEEDED;
    expect(files[0].Key).toMatch(/SUCCEEDED_0\.jsonl$/);
    expect(new TextDecoder().decode(store.read('results', files[0].Key, 1000))).toBe('{"doubled":2}\n{"doubled":4}\n');
  });

  it.each([
    ['not JSON', 'manifest', /is not JSON/],
    ['a list', '[]', /it is not a JSON object/],
    ['without MapRunArn', JSON.stringify({ DestinationBucket: 'results', ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [] } }), /MapRunArn is not a string/],
    ['without PENDING', JSON.stringify({ DestinationBucket: 'results', MapRunArn: 'a', ResultFiles: { FAILED: [], SUCCEEDED: [] } }), /ResultFiles.PENDING is not a list/],
    ['with a file without Size', JSON.stringify({ DestinationBucket: 'results', MapRunArn: 'a', ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: 'k' }] } }),
      /ResultFiles.SUCCEEDED\[0\] is not \{ Key, Size \}/],
  ])('refuses a manifest.json %s put in the folder by hand, naming it and what is wrong', async (_what, text, message) => {
    const store = s3();
    const run = await mapWith(toS3()).run({ items: [{ n: 1 }] }, { s3: store });
    store.write('results', 'hand/manifest.json', text);
    expect(() => run.mapResults({ Bucket: 'results', Key: 'hand/manifest.json' }))
      .toThrow(expect.objectContaining({ name: 'MapResultsError', message: expect.stringMatching(new RegExp(`^s3://results/hand/manifest\\.json .*${message.source}`)) }));
  });

  it.each([
    ['a JSON file that is not JSON', 'hand/SUCCEEDED_0.json', '[{"a":1}', /^s3:\/\/results\/hand\/SUCCEEDED_0\.json is not JSON/],
    ['a JSON file that is no list', 'hand/SUCCEEDED_0.json', '{"a":1}', /^s3:\/\/results\/hand\/SUCCEEDED_0\.json is not a JSON array/],
    ['a JSON Lines file with a line that is not JSON', 'hand/SUCCEEDED_0.jsonl', '{"a":1}\n{"b":\n', /^s3:\/\/results\/hand\/SUCCEEDED_0\.jsonl line 2 is not JSON/],
  ])('refuses %s listed by a manifest put in the folder by hand, naming it', async (_what, key, body, message) => {
    const store = s3();
    const run = await mapWith(toS3()).run({ items: [{ n: 1 }] }, { s3: store });
    store.write('results', key, body);
    const manifest = { DestinationBucket: 'results', MapRunArn: 'a', ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: key, Size: body.length }] } };
    store.write('results', 'hand/manifest.json', JSON.stringify(manifest));
    expect(() => run.mapResults({ Bucket: 'results', Key: 'hand/manifest.json' }))
      .toThrow(expect.objectContaining({ name: 'MapResultsError', message: expect.stringMatching(message) }));
  });

  it('returns the transformed results as the output with a WriterConfig and no Resource', async () => {
    const run = await mapWith({ WriterConfig: { Transformation: 'COMPACT', OutputType: 'JSON' } }).run({ items: [{ n: 1 }, { n: 2 }] });
    expect(run.output).toEqual([{ doubled: 2 }, { doubled: 4 }]);
  });

  it('fails with States.ResultWriterFailed when the bucket does not exist, and writes nothing', async () => {
    const store = new MemoryObjectStore();
    const run = await mapWith(toS3()).run({ items: [{ n: 1 }] }, { s3: store });
    expect(run.error).toBe('States.ResultWriterFailed');
    expect(run.cause).toContain('S3.NoSuchBucket');
  });

  it('refuses a Prefix with a .. segment before writing any file', async () => {
    const store = s3();
    const wf = mapWith({ Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: '../escape' } });
    const run = await wf.run({ items: [{ n: 1 }] }, { s3: store });
    expect(run.error).toBe('States.ResultWriterFailed');
    expect(run.cause).toContain("'..'");
    expect(store.list('results', { maxKeys: 10 }).objects).toEqual([]);
  });

  it('goes on in SUCCEEDED_1.json past the largest file AWS writes, each file a whole JSON array under the limit', () => {
    const store = s3();
    const arn = 'arn:aws:states:us-east-1:123456789012:mapRun:Orders/Process:0f2d6b8e-4c1a-4e49-9d2c-8a1b7e5c3f10';
    const files = new ResultFiles(store, { Bucket: 'results', Prefix: 'runs' }, arn, 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders/Process',
      writerConfigOf({ Transformation: 'COMPACT' }, true), 100);
    for (let i = 0; i < 30; i++) files.ended({ index: i, input: i, startMs: 0, stopMs: 0, outcome: { output: { item: i } } });
    const output = files.finish();
    const manifest = JSON.parse(new TextDecoder().decode(store.read('results', (output.ResultWriterDetails as { Key: string }).Key, 1e6))) as {
      ResultFiles: { SUCCEEDED: Array<{ Key: string; Size: number }> };
    };
    const parts = manifest.ResultFiles.SUCCEEDED;
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.Key.split('/').pop())).toEqual(parts.map((_, n) => `SUCCEEDED_${n}.json`));
    const read = parts.map((p) => {
      const body = store.read('results', p.Key, 1e6);
      expect(body.length).toBe(p.Size);
      expect(body.length).toBeLessThanOrEqual(100);
      return JSON.parse(new TextDecoder().decode(body)) as JsonValue[];
    });
    expect(read.flat()).toEqual(Array.from({ length: 30 }, (_, i) => ({ item: i })));
  });

  it('names the largest result file 5 GB, the most one S3 PutObject stores', () => {
    expect(AwsLimits.RESULT_FILE_BYTES).toBe(5 * 1024 ** 3);
  });
});
