import type { JsonObject, JsonValue } from '../../asl';
import { StatesError } from '../../asl/states-errors';
import { serviceErrorName } from '../../contracts/contract';
import { ObjectStoreError, openObjectWriter, type ObjectStore, type StoredObject } from '../../interpreter/object-store';
import { s3Time } from '../../interpreter/states/stored-items';

/** The largest body a getObject Task returns: the payload limit of a state's result. */
const MAX_TASK_BODY_BYTES = 262_144;
/** ListObjectsV2 answers at most 1,000 keys a page. */
const MAX_KEYS = 1000;

/** The HTTP status S3 answers each error with (a Map: the code comes from a store). */
const STATUS: ReadonlyMap<string, number> = new Map([['NoSuchBucket', 404], ['NoSuchKey', 404], ['AccessDenied', 403], ['InternalError', 500]]);

type Operation = (store: ObjectStore, p: JsonObject) => JsonValue;

/**
 * The S3 operations a Task (`arn:aws:states:::aws-sdk:s3:<operation>`) runs against the local
 * S3, each answering as the AWS SDK integration does. A Map of a closed set: an operation name
 * from a definition never reaches an object's prototype.
 */
const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ['getObject', (store, p) => {
    const bucket = text(p, 'Bucket');
    const key = text(p, 'Key');
    const info = store.head(bucket, key);
    if (info.size > MAX_TASK_BODY_BYTES) {
      throw new StatesError('States.DataLimitExceeded', `s3://${bucket}/${key} is ${info.size} bytes; a Task's result may hold at most ${MAX_TASK_BODY_BYTES}. Read it with a Distributed Map's ItemReader instead.`);
    }
    const body = new TextDecoder().decode(store.read(bucket, key, MAX_TASK_BODY_BYTES));
    return { ...described(info), Body: body };
  }],
  ['headObject', (store, p) => described(store.head(text(p, 'Bucket'), text(p, 'Key')))],
  ['putObject', (store, p) => {
    const body = Object.hasOwn(p, 'Body') ? p.Body : '';
    const info = store.write(text(p, 'Bucket'), text(p, 'Key'), typeof body === 'string' ? body : JSON.stringify(body));
    return { ETag: info.etag, ServerSideEncryption: 'AES256' };
  }],
  ['deleteObject', (store, p) => {
    store.delete(text(p, 'Bucket'), text(p, 'Key'));
    return {};
  }],
  ['copyObject', (store, p) => {
    const source = text(p, 'CopySource');
    const m = /^\/?([^/]+)\/(.+)$/.exec(source);
    if (!m) throw s3Error('InvalidArgument', `CopySource ${JSON.stringify(source)} is not 'bucket/key'.`);
    const from = { bucket: m[1], key: decodedKey(m[2]) };
    const copied = copy(store, from, text(p, 'Bucket'), text(p, 'Key'));
    return { CopyObjectResult: { ETag: copied.etag, LastModified: s3Time(copied.lastModified) }, ServerSideEncryption: 'AES256' };
  }],
  ['listObjectsV2', (store, p) => {
    const bucket = text(p, 'Bucket');
    const prefix = optionalText(p, 'Prefix') ?? '';
    const token = optionalText(p, 'ContinuationToken');
    const startAfter = token !== undefined ? decodeToken(token) : optionalText(p, 'StartAfter');
    const maxKeys = Object.hasOwn(p, 'MaxKeys') ? p.MaxKeys : MAX_KEYS;
    if (typeof maxKeys !== 'number' || !Number.isInteger(maxKeys) || maxKeys < 0) {
      throw s3Error('InvalidArgument', `MaxKeys must be a non-negative integer, got ${JSON.stringify(maxKeys)}.`);
    }
    const page = store.list(bucket, { prefix, startAfter, maxKeys: Math.min(maxKeys, MAX_KEYS) });
    const out: JsonObject = {};
    if (page.objects.length > 0) {
      out.Contents = page.objects.map((o) => ({ ETag: o.etag, Key: o.key, LastModified: s3Time(o.lastModified), Size: o.size, StorageClass: 'STANDARD' }));
    }
    if (token !== undefined) out.ContinuationToken = token;
    out.IsTruncated = page.truncated;
    out.KeyCount = page.objects.length;
    out.MaxKeys = maxKeys;
    out.Name = bucket;
    if (page.truncated) out.NextContinuationToken = Buffer.from(page.objects[page.objects.length - 1].key).toString('base64');
    out.Prefix = prefix;
    if (!token && startAfter !== undefined) out.StartAfter = startAfter;
    return out;
  }],
]);

/** The S3 operations the local S3 answers as Tasks. */
export const LOCAL_S3_OPERATIONS: readonly string[] = [...OPERATIONS.keys()];

const RESOURCE = /^arn:[^:]+:states:::aws-sdk:s3:([A-Za-z0-9]+)$/;

/**
 * Answers an S3 Task from the local S3, or undefined when the Task is no S3 operation this
 * store runs. A store's refusal is the Task's error, named as the SDK integration names it
 * (`S3.NoSuchKeyException`, `S3.NoSuchBucketException`).
 * @internal
 */
export function answerS3Task(store: ObjectStore, resource: string, input: JsonValue): JsonValue | undefined {
  const m = RESOURCE.exec(resource);
  const operation = m ? OPERATIONS.get(m[1]) : undefined;
  if (!operation) return undefined;
  const p = input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
  try {
    return operation(store, p);
  } catch (e) {
    if (e instanceof ObjectStoreError) throw s3Error(e.code, e.message);
    throw e;
  }
}

/**
 * S3's refusal as the SDK integration reports it: the exception S3's model names for the code
 * (`S3.NoSuchKeyException`, `S3.NoSuchBucketException`, both recorded on AWS), or S3's base
 * exception `S3.S3Exception` for a code the model does not name (InvalidArgument,
 * KeyTooLongError…), with the message and the status the SDK adds to the cause.
 */
function s3Error(code: string, message: string): StatesError {
  const name = code === 'SdkClientException' ? 'S3.SdkClientException' : serviceErrorName('s3', code) ?? 'S3.S3Exception';
  return new StatesError(name, `${message} (Service: S3, Status Code: ${STATUS.get(code) ?? 400})`);
}

function described(info: StoredObject): JsonObject {
  return {
    AcceptRanges: 'bytes',
    ContentLength: info.size,
    ContentType: 'binary/octet-stream',
    ETag: info.etag,
    LastModified: s3Time(info.lastModified),
    Metadata: {},
    ServerSideEncryption: 'AES256',
  };
}

/**
 * CopySource's key is URL-encoded (the SDK integration passes it as S3 takes it); a malformed
 * escape is S3's InvalidArgument, as S3 answers an x-amz-copy-source it cannot decode.
 */
function decodedKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw s3Error('InvalidArgument', `CopySource's key ${JSON.stringify(encoded)} has a malformed %-escape; encode it with encodeURIComponent.`);
  }
}

/** Copies an object a chunk at a time: never held whole, whatever its size. */
function copy(store: ObjectStore, from: { bucket: string; key: string }, bucket: string, key: string): StoredObject {
  store.head(from.bucket, from.key);
  const w = openObjectWriter(store, bucket, key);
  try {
    for (const chunk of store.chunks(from.bucket, from.key)) w.append(chunk);
  } catch (e) {
    w.abort();
    throw e;
  }
  return w.close();
}

function text(p: JsonObject, field: string): string {
  const v = Object.hasOwn(p, field) ? p[field] : undefined;
  if (typeof v !== 'string' || v === '') throw s3Error('InvalidArgument', `The parameter ${field} must be a non-empty string, got ${JSON.stringify(v ?? null)}.`);
  return v;
}

function optionalText(p: JsonObject, field: string): string | undefined {
  if (!Object.hasOwn(p, field)) return undefined;
  const v = p[field];
  if (typeof v !== 'string') throw s3Error('InvalidArgument', `The parameter ${field} must be a string, got ${JSON.stringify(v)}.`);
  return v;
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64').toString();
  if (key === '' || Buffer.from(key).toString('base64') !== token) {
    throw s3Error('InvalidArgument', 'The continuation token provided is incorrect.');
  }
  return key;
}
