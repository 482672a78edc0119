import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ObjectStoreError } from '../../../src/interpreter/object-store';
import { EndpointObjectStore, MAX_OTHER_ANSWER_BYTES } from '../../../src/workbench/s3/endpoint-store';

/* An S3 endpoint's every answer is bounded as it comes in: here an error whose body never ends. */
describe('the endpoint store (--endpoint s3=) against a server whose error answers never end', () => {
  let worker: Worker;
  let store: EndpointObjectStore;
  beforeAll(async () => {
    worker = new Worker(path.join(__dirname, 's3-compatible-server.mjs'), { workerData: { buckets: { data: { 'a.txt': 'a' } }, misbehave: 'endless-error' } });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port));
      worker.once('error', reject);
    });
    store = new EndpointObjectStore(new URL(`http://127.0.0.1:${port}`), 'us-east-1');
  });
  afterAll(async () => {
    store.close();
    await worker.terminate();
  });

  it('reads the error of a PutObject, a GetObject or a DeleteObject no further than 1 MiB, and fails the call with SdkClientException naming the bound', () => {
    for (const call of [() => store.write('data', 'b.txt', 'b'), () => store.readRange('data', 'a.txt', 0, 1), () => store.delete('data', 'a.txt')]) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ObjectStoreError);
      expect((error as ObjectStoreError).code).toBe('SdkClientException');
      expect((error as ObjectStoreError).message).toContain(`ResponseTooLarge: the endpoint answered status 500 with more than ${MAX_OTHER_ANSWER_BYTES} bytes`);
    }
  }, 120_000);
});

describe('the endpoint store (--endpoint s3=) against a server that drips a GetObject body a byte at a time', () => {
  let worker: Worker;
  let store: EndpointObjectStore;
  beforeAll(async () => {
    worker = new Worker(path.join(__dirname, 's3-compatible-server.mjs'), { workerData: { buckets: { data: { 'big.txt': 'x'.repeat(64 * 1024) } }, misbehave: 'drip' } });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port));
      worker.once('error', reject);
    });
    // A call's deadline of 1 s: every byte comes well within any idle timeout, the answer never whole.
    store = new EndpointObjectStore(new URL(`http://127.0.0.1:${port}`), 'us-east-1', 1000);
  });
  afterAll(async () => {
    store.close();
    await worker.terminate();
  });

  it('ends the read at the call\'s one deadline with SdkClientException, and hangs up', async () => {
    const hungUp = new Promise<void>((resolve) => worker.on('message', (m: { dripClosed?: boolean }) => { if (m.dripClosed) resolve(); }));
    let error: unknown;
    try {
      store.readRange('data', 'big.txt', 0, 64 * 1024 - 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ObjectStoreError);
    expect((error as ObjectStoreError).code).toBe('SdkClientException');
    expect((error as ObjectStoreError).message).toMatch(/^The S3 endpoint http:\/\/127\.0\.0\.1:\d+\/ had not answered whole within 1 s of the request: the call was abandoned$/);
    await hungUp;
  }, 60_000);
});
