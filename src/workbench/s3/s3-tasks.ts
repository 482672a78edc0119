import type { JsonObject, JsonValue } from '../../asl';
import { AwsLimits } from '../../asl/limits';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { MADE_UP_REQUEST_ID, sdkExceptionCause } from '../../asl/task-failure-cause';
import { taskResource } from '../../asl/task-resource';
import { ObjectStoreError, openObjectWriter, rangeOf, type ObjectStore, type StoredObject } from '../../interpreter/object-store';
import { s3Time } from '../../interpreter/states/stored-items';

/** ListObjectsV2 answers at most 1,000 keys a page. */
const MAX_KEYS = AwsLimits.LISTING_PAGE_KEYS;

/** The HTTP status S3 answers each error with (a Map: the code comes from a store). */
const STATUS: ReadonlyMap<string, number> = new Map([['NoSuchBucket', 404], ['NoSuchKey', 404], ['AccessDenied', 403], ['InvalidRange', 416], ['InternalError', 500]]);

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
    const range = byteRange(optionalText(p, 'Range'), info.size);
    const length = range === undefined ? info.size : range.end - range.start;
    if (length > AwsLimits.PAYLOAD_BYTES) {
      throw new StatesError(StatesErrors.DATA_LIMIT_EXCEEDED, `s3://${bucket}/${key}${range === undefined ? '' : `, bytes ${range.start}-${range.end - 1},`} is ${length} bytes; `
        + `a Task's result may hold at most ${AwsLimits.PAYLOAD_BYTES}. Read it a Range at a time, or with a Distributed Map's ItemReader.`);
    }
    if (range === undefined) return { ...described(info), Body: new TextDecoder().decode(store.read(bucket, key, AwsLimits.PAYLOAD_BYTES)) };
    const { AcceptRanges, ...rest } = described({ ...info, size: length });
    const body = new TextDecoder().decode(rangeOf(store, bucket, key, range.start, range.end));
    return { AcceptRanges, ContentLength: length, ContentRange: `bytes ${range.start}-${range.end - 1}/${info.size}`, ...rest, Body: body };
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
    const delimiter = optionalText(p, 'Delimiter');
    const token = optionalText(p, 'ContinuationToken');
    const startAfter = token !== undefined ? decodeToken(token) : optionalText(p, 'StartAfter');
    const maxKeys = Object.hasOwn(p, 'MaxKeys') ? p.MaxKeys : MAX_KEYS;
    if (typeof maxKeys !== 'number' || !Number.isInteger(maxKeys) || maxKeys < 0) {
      throw s3Error('InvalidArgument', `MaxKeys must be a non-negative integer, got ${JSON.stringify(maxKeys)}.`);
    }
    // A call without a token starts a listing: a store that keeps a bucket's keys between the
    // pages of a listing reads them again at a first page (a StartAfter is no page of another).
    if (token === undefined && startAfter !== undefined) store.list(bucket, { prefix, maxKeys: 0 });
    const from = { prefix, delimiter: delimiter || undefined, startAfter, resumed: token !== undefined };
    const page = listPage(store, bucket, from, Math.min(maxKeys, MAX_KEYS));
    const out: JsonObject = {};
    if (page.prefixes.length > 0) out.CommonPrefixes = page.prefixes.map((cp) => ({ Prefix: cp }));
    if (page.objects.length > 0) {
      out.Contents = page.objects.map((o) => ({ ETag: o.etag, Key: o.key, LastModified: s3Time(o.lastModified), Size: o.size, StorageClass: 'STANDARD' }));
    }
    if (token !== undefined) out.ContinuationToken = token;
    if (delimiter !== undefined) out.Delimiter = delimiter;
    out.IsTruncated = page.next !== undefined;
    out.KeyCount = page.objects.length + page.prefixes.length;
    out.MaxKeys = maxKeys;
    out.Name = bucket;
    if (page.next !== undefined) out.NextContinuationToken = Buffer.from(page.next).toString('base64');
    out.Prefix = prefix;
    if (!token && startAfter !== undefined) out.StartAfter = startAfter;
    return out;
  }],
]);

/** The S3 operations the local S3 answers as Tasks. */
export const LOCAL_S3_OPERATIONS: readonly string[] = [...OPERATIONS.keys()];

/**
 * Answers an S3 Task from the local S3, or undefined when the Task is no S3 operation this
 * store runs. A store's refusal is the Task's error, named as the SDK integration names it
 * (`S3.NoSuchKeyException`, `S3.NoSuchBucketException`).
 * @internal
 */
export function answerS3Task(store: ObjectStore, resource: string, input: JsonValue): JsonValue | undefined {
  const r = taskResource(resource);
  const operation = r.kind === 'aws-sdk' && r.service === 's3' && r.suffix === undefined ? OPERATIONS.get(r.action!) : undefined;
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
 * KeyTooLongError…), with the cause the SDK for Java 2.x writes (sdkExceptionCause), its request
 * ids fixed: no request was made.
 */
function s3Error(code: string, message: string): StatesError {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to an S3 error
  const { sdkClientErrorName, serviceErrorName } = require('../../contracts/contract') as typeof import('../../contracts/contract');
  // The models hold S3's table (a committed extract), which names its prefix.
  const name = (code === 'SdkClientException' ? sdkClientErrorName('s3') : serviceErrorName('s3', code))!;
  return new StatesError(name, sdkExceptionCause({
    message, service: 'S3', status: STATUS.get(code) ?? 400, requestId: MADE_UP_REQUEST_ID, extendedRequestId: MADE_UP_REQUEST_ID,
  }));
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
  // Refused before a byte is copied: a file of the user's folder may be any size, and the copy would take it all again.
  if (store.head(from.bucket, from.key).size > AwsLimits.COPY_SOURCE_BYTES) {
    throw s3Error('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${AwsLimits.COPY_SOURCE_BYTES}`);
  }
  const w = openObjectWriter(store, bucket, key);
  try {
    for (const chunk of store.chunks(from.bucket, from.key)) w.append(chunk);
  } catch (e) {
    w.abort();
    throw e;
  }
  return w.close();
}

/** The keys a listing with a Delimiter reads from the store at most before it answers with what it has (and a token to go on). */
const LIST_KEYS_READ = 100_000;
/** The store's keys read at a time after a common prefix, doubling while the keys are objects. */
const FIRST_READ = 32;

/** One ListObjectsV2 page: the objects, the common prefixes, and the key or prefix to go on after when there is more. */
interface ListPage {
  readonly objects: readonly StoredObject[];
  readonly prefixes: string[];
  readonly next?: string;
}

/**
 * A ListObjectsV2 page, as S3 gives it (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html):
 * with a `Delimiter`, the keys whose rest after the prefix holds it are rolled up into one
 * common prefix each (the prefix and the rest up to the delimiter's first occurrence, included);
 * objects and common prefixes come in key order and count together against MaxKeys and in
 * KeyCount. After a common prefix the listing goes on past every key under it (the store skips
 * them), also from a token that names one. A listing that has read {@link LIST_KEYS_READ} keys
 * answers the fewer it has, truncated, as S3 may.
 */
function listPage(
  store: ObjectStore, bucket: string, from: { prefix: string; delimiter?: string; startAfter?: string; resumed: boolean }, maxKeys: number,
): ListPage {
  const { prefix, delimiter, startAfter } = from;
  if (delimiter === undefined) {
    const page = store.list(bucket, { prefix, startAfter, maxKeys });
    // MaxKeys 0 lists nothing and is not truncated, as S3 answers it.
    const more = page.truncated && page.objects.length > 0;
    return { objects: page.objects, prefixes: [], ...(more ? { next: page.objects[page.objects.length - 1].key } : {}) };
  }
  const rollUp = (key: string): string | undefined => {
    const at = key.indexOf(delimiter, prefix.length);
    return at < 0 ? undefined : key.slice(0, at + delimiter.length);
  };
  const objects: StoredObject[] = [];
  const prefixes: string[] = [];
  // A token this function gave that names a common prefix goes on past the keys it rolled up.
  const resumedAfterPrefix = from.resumed && startAfter !== undefined && startAfter.startsWith(prefix) && rollUp(startAfter) === startAfter;
  let after = resumedAfterPrefix ? pastKeysOf(startAfter) : startAfter;
  let last: string | undefined;
  let size = FIRST_READ;
  for (let read = 0; read < LIST_KEYS_READ; read += size) {
    const page = store.list(bucket, { prefix, startAfter: after, maxKeys: size });
    let skipped = false;
    for (const o of page.objects) {
      const common = rollUp(o.key);
      if (objects.length + prefixes.length >= maxKeys) return { objects, prefixes, ...(last !== undefined ? { next: last } : {}) };
      last = common ?? o.key;
      if (common === undefined) {
        objects.push(o);
        after = o.key;
        continue;
      }
      prefixes.push(common);
      after = pastKeysOf(common);
      skipped = true;
      break;
    }
    if (!skipped && !page.truncated) return { objects, prefixes };
    size = skipped ? FIRST_READ : Math.min(MAX_KEYS, size * 2);
  }
  return { objects, prefixes, ...(last !== undefined ? { next: last } : {}) };
}

/**
 * A key after every key that starts with `prefix` (or equal to the last such key a key of 1,024
 * bytes can be) and before every other key after it, in S3's order (UTF-8 bytes): the prefix, then
 * U+10FFFF (the largest UTF-8 sequence) for every 4 bytes a key of 1,024 bytes has after it.
 */
function pastKeysOf(prefix: string): string {
  return prefix + '\u{10FFFF}'.repeat(Math.ceil(Math.max(0, AwsLimits.OBJECT_KEY_BYTES - Buffer.byteLength(prefix)) / 4));
}

/**
 * The bytes a getObject `Range` asks for (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html:
 * one range, `bytes=first-last`, `bytes=first-` or `bytes=-suffix`, as RFC 9110 reads it), `end`
 * exclusive; undefined without one. A range that is not of these forms is not read as one and the
 * whole object comes back, as an HTTP server ignores a Range it cannot parse; one that starts past
 * the object's end fails with S3's InvalidRange (416).
 */
function byteRange(range: string | undefined, size: number): { readonly start: number; readonly end: number } | undefined {
  const m = range === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const unsatisfiable = (): never => {
    throw s3Error('InvalidRange', `The requested range is not satisfiable: ${JSON.stringify(range)} of an object of ${size} bytes`);
  };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) unsatisfiable();
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Infinity : Number(m[2]);
  if (last < start) return undefined;
  if (start >= size) unsatisfiable();
  return { start, end: Math.min(last + 1, size) };
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
