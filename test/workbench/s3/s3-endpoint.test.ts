import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DescribeExecutionCommand, CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { JsonObject, StateMachineDefinition } from '../../../src/asl/definition-types';
import { startServer } from '../../../src/server';
import { Workflow } from '../../../src/testing/workflow';
import { EndpointObjectStore } from '../../../src/workbench/s3/endpoint-store';
import { closeEndpointStores, LocalS3OptionError } from '../../../src/workbench/s3/local-s3';

/** The worker threads the endpoint stores started (from source, `eval`) that have not exited yet. */
const mockStoreThreads = new Set<Worker>();
jest.mock('node:worker_threads', () => {
  const actual = jest.requireActual<typeof import('node:worker_threads')>('node:worker_threads');
  class TrackedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      if (args[1]?.eval === true) {
        mockStoreThreads.add(this);
        this.once('exit', () => mockStoreThreads.delete(this));
      }
    }
  }
  return { ...actual, Worker: TrackedWorker };
});

/** The S3-compatible server of s3-compatible-server.mjs, in a worker thread: its URL, the calls it saw, a way to stop it. */
interface S3Server {
  readonly url: string;
  requests(): Promise<string[]>;
  close(): Promise<void>;
}

async function startS3(buckets: Record<string, Record<string, string>>, misbehave?: 'repeat-pages' | 'lying-head' | 'endless-listing'): Promise<S3Server> {
  const worker = new Worker(path.join(__dirname, 's3-compatible-server.mjs'), { workerData: { buckets, misbehave } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => new Promise((resolve) => {
      worker.once('message', (m: { requests: string[] }) => resolve(m.requests));
      worker.postMessage('requests');
    }),
    close: async () => {
      await worker.terminate();
    },
  };
}

/** A Distributed Map over a JSONL object whose children double `n`, writing its results under results/runs. */
const mapOverJsonl = (key: string): StateMachineDefinition => ({
  StartAt: 'Process',
  States: {
    Process: {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: key }, ReaderConfig: { InputType: 'JSONL' } },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Double',
        States: { Double: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } },
      },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'runs' } },
      End: true,
    },
  },
} as unknown as StateMachineDefinition);

const getObjectTask = (): StateMachineDefinition => ({
  StartAt: 'Get',
  States: { Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', End: true } },
} as unknown as StateMachineDefinition);

let s3: S3Server;
beforeEach(async () => {
  s3 = await startS3({ data: { 'items.jsonl': '{"n":1}\n{"n":2}\n{"n":3}\n', 'note.txt': 'hello' }, results: {} });
});
afterEach(async () => {
  // Each test's S3 server is a new endpoint, whose store keeps its worker thread: ended here, not left to the process's end.
  closeEndpointStores();
  await s3.close();
});

it('closeEndpointStores ends the worker thread of every endpoint\'s store', async () => {
  const run = await Workflow.fromDefinition(getObjectTask()).run({ Bucket: 'data', Key: 'note.txt' }, { endpoints: { s3: s3.url } });
  expect(run.status).toBe('SUCCEEDED');
  expect(mockStoreThreads.size).toBe(1);
  const exited = [...mockStoreThreads].map((w) => new Promise((resolve) => w.once('exit', resolve)));
  closeEndpointStores();
  await Promise.all(exited);
  expect(mockStoreThreads.size).toBe(0);
});

describe('--endpoint s3=<url>: the local S3 on an S3-compatible server', () => {
  it('a Distributed Map reads its items from the server and writes its ResultWriter files to it', async () => {
    const run = await Workflow.fromDefinition(mapOverJsonl('items.jsonl'), { name: 'Orders' }).run({}, { endpoints: { s3: s3.url } });
    expect(run.status).toBe('SUCCEEDED');
    const details = (run.output as { ResultWriterDetails: { Bucket: string; Key: string } }).ResultWriterDetails;
    expect(details.Bucket).toBe('results');
    // What the server now holds, read over HTTP as any S3 client would.
    const manifest = await (await fetch(`${s3.url}/results/${details.Key}`)).json() as { ResultFiles: { SUCCEEDED: { Key: string }[] } };
    expect(manifest.ResultFiles.SUCCEEDED).toHaveLength(1);
    const succeeded = await (await fetch(`${s3.url}/results/${manifest.ResultFiles.SUCCEEDED[0].Key}`)).json() as { Output: string }[];
    expect(succeeded.map((r) => JSON.parse(r.Output))).toEqual([{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }]);
    const requests = await s3.requests();
    expect(requests).toContain('GET /data/items.jsonl');
    expect(requests).toContain(`PUT /results/${details.Key}`);
    // And through the run's own view of its local S3.
    expect(run.mapResults().succeeded).toHaveLength(3);
  });

  it('a missing object fails the ItemReader with States.ItemReaderFailed, as the folder does', async () => {
    const run = await Workflow.fromDefinition(mapOverJsonl('absent.jsonl')).run({}, { endpoints: { s3: s3.url } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.ItemReaderFailed');
    expect(run.cause).toContain('s3://data/absent.jsonl (S3.NoSuchKey)');
  });

  it('aws-sdk:s3 Tasks run against the server: a key it has, and S3.NoSuchKeyException / S3.NoSuchBucketException for what it has not', async () => {
    const got = await Workflow.fromDefinition(getObjectTask()).run({ Bucket: 'data', Key: 'note.txt' }, { endpoints: { s3: s3.url } });
    expect(got.output).toMatchObject({ Body: 'hello', ContentLength: 5 });
    const missing = await Workflow.fromDefinition(getObjectTask()).run({ Bucket: 'data', Key: 'nope.txt' }, { endpoints: { s3: s3.url } });
    expect(missing.error).toBe('S3.NoSuchKeyException');
    const noBucket = await Workflow.fromDefinition(getObjectTask()).run({ Bucket: 'nobucket', Key: 'a' }, { endpoints: { s3: s3.url } });
    expect(noBucket.error).toBe('S3.NoSuchBucketException');
  });

  it('a server that cannot be reached fails the Task with S3.SdkClientException naming it', async () => {
    const url = s3.url;
    await s3.close();
    const store = new EndpointObjectStore(new URL(url), 'us-east-1', 10_000);
    try {
      const run = await Workflow.fromDefinition(getObjectTask()).run({ Bucket: 'data', Key: 'note.txt' }, { s3: store });
      expect(run.error).toBe('S3.SdkClientException');
      expect(run.cause).toContain(url);
    } finally {
      store.close();
      s3 = await startS3({});
    }
  });

  it('refuses an S3 endpoint beside a local S3 folder or objects, naming both', async () => {
    await expect(Workflow.fromDefinition(getObjectTask()).run({}, { endpoints: { s3: s3.url }, s3: { data: {} } }))
      .rejects.toThrow(LocalS3OptionError);
  });

  it('serve with endpoints.s3 runs a Distributed Map from the server and writes its results there', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', endpoints: { s3: s3.url }, log: () => undefined });
    try {
      const client = server.client();
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({
        name: 'FromS3', roleArn: 'arn:aws:iam::123456789012:role/r', definition: JSON.stringify(mapOverJsonl('items.jsonl')),
      }));
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn! }));
      let described: { status?: string; output?: string } = {};
      // Bounded: the execution is three Pass children; it ends well within these turns.
      for (let turn = 0; turn < 200 && (described.status === undefined || described.status === 'RUNNING'); turn++) {
        described = await client.send(new DescribeExecutionCommand({ executionArn: executionArn! }));
        if (described.status === 'RUNNING') await new Promise((r) => setTimeout(r, 25));
      }
      expect(described.status).toBe('SUCCEEDED');
      const key = (JSON.parse(described.output!) as { ResultWriterDetails: JsonObject }).ResultWriterDetails.Key as string;
      expect(await s3.requests()).toEqual(expect.arrayContaining(['GET /data/items.jsonl', `PUT /results/${key}`]));
    } finally {
      await server.close();
    }
  });
});

describe('--endpoint s3=<url>: a server that cannot be trusted', () => {
  const listAll: StateMachineDefinition = {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Key',
          States: { Key: { Type: 'Pass', OutputPath: '$.Key', End: true } },
        },
        End: true,
      },
    },
  } as unknown as StateMachineDefinition;

  it('a listing that repeats its page with IsTruncated ends: the ItemReader lists each object once', async () => {
    const bad = await startS3({ data: { a: '1', b: '2', c: '3' } }, 'repeat-pages');
    try {
      const run = await Workflow.fromDefinition(listAll).run({}, { endpoints: { s3: bad.url } });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toEqual(['a', 'b', 'c']);
    } finally {
      await bad.close();
    }
  });

  it('an object larger than its HEAD said is not read past the limit: the Task fails naming the bytes asked for', async () => {
    const bad = await startS3({ data: { 'big.txt': 'x'.repeat(300_000) } }, 'lying-head');
    try {
      const run = await Workflow.fromDefinition(getObjectTask()).run({ Bucket: 'data', Key: 'big.txt' }, { endpoints: { s3: bad.url } });
      expect(run.status).toBe('FAILED');
      expect(run.cause).toContain('more than the 262144 bytes asked for');
    } finally {
      await bad.close();
    }
  });

  it('a listing answer that never ends is read no further than 16 MiB: the ItemReader fails with States.ItemReaderFailed', async () => {
    const bad = await startS3({ data: { a: '1' } }, 'endless-listing');
    const before = process.memoryUsage().rss;
    try {
      const run = await Workflow.fromDefinition(listAll).run({}, { endpoints: { s3: bad.url } });
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('States.ItemReaderFailed');
      expect(run.cause).toContain('ListingTooLarge: the listing answer is longer than 16777216 bytes');
      // Memory grew by the bound at most, not by what the server went on sending.
      expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
    } finally {
      await bad.close();
    }
  });
});
