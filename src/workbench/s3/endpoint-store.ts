/*
 * The local S3 sent to an S3-compatible server (`--endpoint s3=<url>`: MinIO, LocalStack, a
 * test's own server) instead of a folder.
 *
 * The interpreter reads a store synchronously (a Map pulls its items one at a time, chunk by
 * chunk), and an HTTP call is not. Each call is made by the AWS SDK's S3 client in a worker
 * thread of its own while the calling thread waits on a shared flag (Atomics.wait), bounded by
 * CALL_TIMEOUT_MS from the request (the thread's start and the SDK's load before it do not
 * count): a server that does not answer in time fails the call, and the worker is ended so its
 * late answer is never taken for the next one. The calling thread's event loop does not
 * turn while it waits, so a server in the same thread could never answer: run it in a worker
 * or another process.
 */
import { receiveMessageOnPort, MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { CHUNK_BYTES } from './memory-store';
import { AwsLimits } from '../../asl/limits';
import {
  checkBucketName, checkObjectKey, NO_SUCH_BUCKET, ObjectStoreError, type ObjectPage, type ObjectStore, type ObjectStoreErrorCode, type StoredObject,
} from '../../interpreter/object-store';

/** How long one call may wait for the server: a minute, then it fails with S3.SdkClientException. */
export const CALL_TIMEOUT_MS = 60_000;
/**
 * How long the worker may take to start and load the SDK's S3 client before the first call:
 * a minute. Not part of a call's deadline, which counts from the request, as the SDK's does.
 */
const START_TIMEOUT_MS = 60_000;
/** ListObjectsV2 answers at most 1,000 keys a page. */
const MAX_KEYS = AwsLimits.LISTING_PAGE_KEYS;
/**
 * The longest ListObjectsV2 answer read: a page of 1,000 keys of 1,024 bytes, every character
 * escaped in the XML, is under 8 MiB; an answer past this is no page S3 sends.
 */
export const MAX_LISTING_BYTES = 16 * 1024 * 1024;

/**
 * The most of any other answer read (an error's body; a HEAD's, a PUT's or a DELETE's): 1 MiB.
 * S3 answers these with an XML document of a few hundred bytes.
 */
export const MAX_OTHER_ANSWER_BYTES = 1024 * 1024;

/** A call to the worker: each operation with the arguments the worker's `run` reads of it. It is posted with an id. */
type Call =
  | { readonly op: 'head' | 'delete'; readonly args: { readonly bucket: string; readonly key: string } }
  | { readonly op: 'get'; readonly args: { readonly bucket: string; readonly key: string; readonly range?: string; readonly limit: number } }
  | { readonly op: 'list'; readonly args: { readonly bucket: string; readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number } }
  | { readonly op: 'put'; readonly args: { readonly bucket: string; readonly key: string; readonly body: Uint8Array } };
/** The worker's answer to the call of that id. */
type Answer =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string; readonly status?: number };

/**
 * The worker: plain JavaScript run from this text (not from a file, which under ts-jest or
 * a bundler would not be where this module is). It answers each call on `port`, then raises the flag.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const emit = process.emitWarning;
process.emitWarning = function (w, ...rest) {
  const text = typeof w === 'string' ? w : w && w.message;
  if (typeof text === 'string' && text.startsWith('NodeVersionSupportWarning')) return;
  return emit.call(process, w, ...rest);
};
const s3 = require(workerData.sdk);
const { port, flag, endpoint, region, credentials } = workerData;
const client = new s3.S3Client({
  endpoint, region, credentials, forcePathStyle: true, maxAttempts: 1,
  requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
});
// Every answer is bounded as it comes in, before the SDK holds it (outside the heap): an error's
// body, and any body of HEAD, PUT and DELETE, to maxOtherBytes; a GET's body and a listing's are
// bounded below, to what was asked for and to a page. (The caller's deadline ends the worker.)
let streamed = false;
const inner = client.config.requestHandler;
client.config.requestHandler = {
  metadata: inner.metadata,
  destroy: () => { if (typeof inner.destroy === 'function') inner.destroy(); },
  updateHttpClientConfig: (k, v) => { if (typeof inner.updateHttpClientConfig === 'function') inner.updateHttpClientConfig(k, v); },
  httpHandlerConfigs: () => (typeof inner.httpHandlerConfigs === 'function' ? inner.httpHandlerConfigs() : {}),
  async handle(request, options) {
    const out = await inner.handle(request, options);
    const response = out.response;
    const status = (response && response.statusCode) || 0;
    if (!response || !response.body || typeof response.body.pipe !== 'function' || (streamed && status < 300)) return out;
    const limit = workerData.maxOtherBytes;
    const tooLarge = () => Object.assign(new Error('the endpoint answered status ' + status + ' with more than ' + limit + ' bytes, more than S3 answers so'), { name: 'ResponseTooLarge' });
    const source = response.body;
    if (Number(response.headers && response.headers['content-length']) > limit) {
      source.destroy();
      throw tooLarge();
    }
    const { Transform } = require('node:stream');
    let seen = 0;
    const counted = new Transform({
      transform(chunk, _encoding, done) {
        seen += chunk.length;
        done(seen > limit ? tooLarge() : null, seen > limit ? undefined : chunk);
      },
    });
    counted.on('error', () => source.destroy());
    source.on('error', (e) => counted.destroy(e));
    response.body = source.pipe(counted);
    return out;
  },
};
// A ListObjectsV2 answer is read no further than a page can be: the body past maxListBytes
// fails the call before the SDK parses it, so a server answering without end cannot fill memory.
client.middlewareStack.add((next, context) => async (args) => {
  const result = await next(args);
  const response = result.response;
  if (context.commandName !== 'ListObjectsV2Command' || !response || !response.body) return result;
  const limit = workerData.maxListBytes;
  const tooLarge = () => Object.assign(new Error('the listing answer is longer than ' + limit + ' bytes, more than a page of 1,000 keys can be'), { name: 'ListingTooLarge' });
  const declared = Number(response.headers && response.headers['content-length']);
  if (declared > limit) {
    if (typeof response.body.destroy === 'function') response.body.destroy();
    throw tooLarge();
  }
  const { Transform } = require('node:stream');
  const source = response.body;
  let seen = 0;
  const counted = new Transform({
    transform(chunk, _encoding, done) {
      seen += chunk.length;
      done(seen > limit ? tooLarge() : null, seen > limit ? undefined : chunk);
    },
  });
  // The error reaches the SDK's reader first; the connection is dropped after it.
  counted.on('error', () => { if (typeof source.destroy === 'function') source.destroy(); });
  source.on('error', (e) => counted.destroy(e));
  response.body = source.pipe(counted);
  return result;
}, { step: 'deserialize', priority: 'low', name: 'stepwrightListingBound' });
const time = (d) => (d instanceof Date && Number.isFinite(d.getTime()) ? d.getTime() : Date.now());
async function run(op, a) {
  // A GET's body and a listing's are bounded where they are read; every other body here.
  streamed = op === 'get' || op === 'list';
  switch (op) {
    case 'head': {
      const r = await client.send(new s3.HeadObjectCommand({ Bucket: a.bucket, Key: a.key })).catch(async (e) => {
        // A HEAD's 404 has no body to say whether the key or the bucket is missing: a GET's has.
        if (e && e.name === 'NotFound') await client.send(new s3.GetObjectCommand({ Bucket: a.bucket, Key: a.key, Range: 'bytes=0-0' }));
        throw e;
      });
      const size = Number.isSafeInteger(r.ContentLength) && r.ContentLength >= 0 ? r.ContentLength : 0;
      return { size, etag: typeof r.ETag === 'string' ? r.ETag : '""', lastModified: time(r.LastModified) };
    }
    case 'get': {
      const r = await client.send(new s3.GetObjectCommand({ Bucket: a.bucket, Key: a.key, ...(a.range ? { Range: a.range } : {}) }));
      // Read no more than was asked for: a server that ignores the Range, or sends more than its
      // HEAD said, fails the call instead of filling memory.
      const parts = [];
      let size = 0;
      if (r.Body) {
        for await (const part of r.Body) {
          size += part.length;
          if (size > a.limit) {
            if (typeof r.Body.destroy === 'function') r.Body.destroy();
            const e = new Error('the server sent more than the ' + a.limit + ' bytes asked for');
            e.name = 'EntityTooLarge';
            throw e;
          }
          parts.push(part);
        }
      }
      const body = new Uint8Array(size);
      let at = 0;
      for (const part of parts) { body.set(part, at); at += part.length; }
      return { body };
    }
    case 'list': {
      // EncodingType url: a key may hold any character, and XML 1.0 carries neither a NUL nor a bare CR;
      // S3 then URL-encodes each key, a space as '+' (a server that ignores it sends them as they are).
      const r = await client.send(new s3.ListObjectsV2Command({
        Bucket: a.bucket, MaxKeys: a.maxKeys, EncodingType: 'url', ...(a.prefix ? { Prefix: a.prefix } : {}), ...(a.startAfter !== undefined ? { StartAfter: a.startAfter } : {}),
      }));
      const keyOf = (k) => {
        if (r.EncodingType !== 'url' || typeof k !== 'string') return k;
        try { return decodeURIComponent(k.split('+').join(' ')); } catch { return undefined; }
      };
      // Only what a listing can hold: keys under the prefix, after StartAfter, ascending, at most
      // MaxKeys; a server that repeats a page or ignores StartAfter then ends the listing.
      const objects = [];
      let last = a.startAfter;
      for (const o of r.Contents ?? []) {
        if (objects.length >= a.maxKeys) break;
        const key = keyOf(o.Key);
        if (typeof key !== 'string' || (a.prefix && !key.startsWith(a.prefix))) continue;
        if (last !== undefined && Buffer.compare(Buffer.from(key), Buffer.from(last)) <= 0) continue;
        last = key;
        const size = Number.isSafeInteger(o.Size) && o.Size >= 0 ? o.Size : 0;
        objects.push({ key, size, etag: typeof o.ETag === 'string' ? o.ETag : '""', lastModified: time(o.LastModified) });
      }
      return { objects, truncated: r.IsTruncated === true && objects.length > 0 };
    }
    case 'put': {
      const r = await client.send(new s3.PutObjectCommand({ Bucket: a.bucket, Key: a.key, Body: a.body }));
      return { etag: r.ETag ?? '""' };
    }
    case 'delete':
      await client.send(new s3.DeleteObjectCommand({ Bucket: a.bucket, Key: a.key }));
      return null;
    default:
      throw new Error('unknown call ' + op);
  }
}
// Ready: a call's deadline counts from here, not from the thread's start and the SDK's load.
Atomics.store(flag, 1, 1);
Atomics.notify(flag, 1);
port.on('message', (call) => {
  run(call.op, call.args).then(
    (value) => ({ id: call.id, ok: true, value }),
    (e) => ({ id: call.id, ok: false, name: String((e && (e.Code || e.name)) || 'Error'), message: String((e && e.message) || e),
      status: e && e.$metadata ? e.$metadata.httpStatusCode : undefined }),
  ).then((answer) => {
    port.postMessage(answer, answer.ok && answer.value && answer.value.body ? [answer.value.body.buffer] : []);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});
`;

/** S3's error codes the store passes on as they are; any other is `SdkClientException` (the server's own words kept). */
const PASSED_ON: ReadonlySet<string> = new Set<ObjectStoreErrorCode>(['NoSuchBucket', 'NoSuchKey', 'InvalidBucketName', 'KeyTooLongError', 'InvalidArgument', 'EntityTooLarge', 'AccessDenied']);

/**
 * A local S3 whose every call goes to an S3-compatible server at `endpoint` (path-style,
 * `<endpoint>/<bucket>/<key>`), with the credentials of the environment or, for a local
 * server, any. Its errors are the folder's: a missing key `NoSuchKey`, a missing bucket
 * `NoSuchBucket` (so a Task fails with `S3.NoSuchKeyException` and an ItemReader with
 * `States.ItemReaderFailed` as from a folder); a server that cannot be reached, or that does
 * not answer within {@link CALL_TIMEOUT_MS}, `SdkClientException` naming it.
 * Result files are written whole on close (one PutObject each), not a part at a time.
 */
export class EndpointObjectStore implements ObjectStore {
  private worker: { readonly worker: Worker; readonly port: MessagePort; readonly flag: Int32Array } | undefined;
  private nextId = 1;

  constructor(public readonly endpoint: URL, private readonly region: string, private readonly timeoutMs = CALL_TIMEOUT_MS) {}

  head(bucket: string, key: string): StoredObject {
    checkObjectKey(key);
    const r = this.call({ op: 'head', args: { bucket: checked(bucket), key } }, bucket, key) as { size: number; etag: string; lastModified: number };
    return { key, size: r.size, etag: r.etag, lastModified: r.lastModified };
  }

  read(bucket: string, key: string, maxBytes: number): Uint8Array {
    const info = this.head(bucket, key);
    if (info.size > maxBytes) {
      throw new ObjectStoreError('EntityTooLarge', `s3://${bucket}/${key} is ${info.size} bytes, more than the ${maxBytes} read whole`);
    }
    return (this.call({ op: 'get', args: { bucket, key, limit: maxBytes } }, bucket, key) as { body: Uint8Array }).body;
  }

  readRange(bucket: string, key: string, start: number, end: number): Uint8Array {
    checkObjectKey(key);
    if (end <= start) return new Uint8Array(0);
    const r = this.call({ op: 'get', args: { bucket: checked(bucket), key, range: `bytes=${start}-${end - 1}`, limit: end - start } }, bucket, key) as { body: Uint8Array };
    return r.body;
  }

  *chunks(bucket: string, key: string): Iterable<Uint8Array> {
    const size = this.head(bucket, key).size;
    // Ranged reads, so an object larger than memory is never held whole; bounded by its size.
    for (let start = 0; start < size; start += CHUNK_BYTES) {
      const end = Math.min(start + CHUNK_BYTES, size) - 1;
      const r = this.call({ op: 'get', args: { bucket, key, range: `bytes=${start}-${end}`, limit: end - start + 1 } }, bucket, key) as { body: Uint8Array };
      if (r.body.length === 0) return;
      yield r.body;
    }
  }

  list(bucket: string, options: { readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number }): ObjectPage {
    const maxKeys = Math.max(0, Math.min(options.maxKeys, MAX_KEYS));
    if (maxKeys === 0) return { objects: [], truncated: false };
    return this.call({ op: 'list', args: { bucket: checked(bucket), prefix: options.prefix, startAfter: options.startAfter, maxKeys } }, bucket) as ObjectPage;
  }

  write(bucket: string, key: string, body: Uint8Array | string): StoredObject {
    checkObjectKey(key);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const r = this.call({ op: 'put', args: { bucket: checked(bucket), key, body: bytes } }, bucket, key) as { etag: string };
    return { key, size: bytes.length, etag: r.etag, lastModified: Date.now() };
  }

  delete(bucket: string, key: string): void {
    checkObjectKey(key);
    this.call({ op: 'delete', args: { bucket: checked(bucket), key } }, bucket, key);
  }

  /** Ends the worker (it is not kept alive for the process's sake: a run that forgets this still exits). */
  close(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      w.port.close();
      void w.worker.terminate();
    }
  }

  private call(call: Call, bucket: string, key?: string): unknown {
    const w = this.worker ?? this.start();
    if (Atomics.load(w.flag, 1) === 0) this.awaitStart(w);
    const id = this.nextId++;
    Atomics.store(w.flag, 0, 0);
    w.port.postMessage({ id, ...call });
    const deadline = Date.now() + this.timeoutMs;
    // Bounded: each wait ends by the deadline; a stale answer (of a call that timed out) is skipped.
    for (let turn = 0; turn < 1000; turn++) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(w.flag, 0, 0, left);
      let got = receiveMessageOnPort(w.port);
      while (got && (got.message as Answer).id !== id) got = receiveMessageOnPort(w.port);
      if (got) return this.answered(got.message as Answer, bucket, key);
      Atomics.store(w.flag, 0, 0);
    }
    this.close();
    throw new ObjectStoreError('SdkClientException', `The S3 endpoint ${this.endpoint.href} had not answered whole within ${this.timeoutMs / 1000} s of the request: the call was abandoned`);
  }

  /** Waits, bounded, for a new worker to have its S3 client: on a loaded machine that takes seconds. */
  private awaitStart(w: NonNullable<EndpointObjectStore['worker']>): void {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let left = START_TIMEOUT_MS; left > 0 && Atomics.load(w.flag, 1) === 0; left = deadline - Date.now()) {
      Atomics.wait(w.flag, 1, 0, left);
    }
    if (Atomics.load(w.flag, 1) !== 0) return;
    this.close();
    throw new ObjectStoreError('SdkClientException',
      `The S3 client for the endpoint ${this.endpoint.href} did not start within ${START_TIMEOUT_MS / 1000} s: no call was made`);
  }

  private answered(answer: Answer, bucket: string, key: string | undefined): unknown {
    if (answer.ok) return answer.value;
    const where = key === undefined ? `s3://${bucket}` : `s3://${bucket}/${key}`;
    // A 404 without a body (HEAD) is named NotFound by the SDK: for a key, that is NoSuchKey.
    const code = answer.name === 'NotFound' && key !== undefined ? 'NoSuchKey' : answer.name;
    if (PASSED_ON.has(code)) {
      throw new ObjectStoreError(code as ObjectStoreErrorCode, `${code === 'NoSuchKey' ? 'The specified key does not exist' : code === 'NoSuchBucket' ? NO_SUCH_BUCKET : answer.message}: ${where} (from the S3 endpoint ${this.endpoint.href})`);
    }
    const status = answer.status !== undefined ? `status ${answer.status}, ` : '';
    throw new ObjectStoreError('SdkClientException', `The S3 endpoint ${this.endpoint.href} failed ${where}: ${status}${answer.name}: ${answer.message}`);
  }

  private start(): NonNullable<EndpointObjectStore['worker']> {
    const { port1, port2 } = new MessageChannel();
    // [0]: an answer is waiting; [1]: the worker is ready for calls.
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const env = process.env;
    const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      }
      // A local server takes any credentials.
      : { accessKeyId: 'local', secretAccessKey: 'local' };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        port: port2, flag, endpoint: this.endpoint.href, region: this.region, credentials, sdk: require.resolve('@aws-sdk/client-s3'), maxListBytes: MAX_LISTING_BYTES, maxOtherBytes: MAX_OTHER_ANSWER_BYTES,
      },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    worker.on('error', () => {
      // A worker that died answers no more calls: the next one starts another (the waiting call times out).
      if (this.worker?.worker === worker) this.worker = undefined;
    });
    this.worker = { worker, port: port1, flag };
    return this.worker;
  }
}

/** A bucket name checked as the folder store checks it, so the same names fail the same way. */
function checked(bucket: string): string {
  checkBucketName(bucket);
  return bucket;
}
