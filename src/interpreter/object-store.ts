import { AwsLimits } from '../asl/limits';

/**
 * What a Distributed Map reads its items from and writes its results to when no Task handler
 * answers its ItemReader or ResultWriter: a local stand-in for Amazon S3. The interpreter only
 * knows this contract; the stores themselves (a folder, memory) belong to the application layer.
 */

/** One object as a listing or HeadObject describes it. */
export interface StoredObject {
  readonly key: string;
  /** Bytes. */
  readonly size: number;
  /**
   * The quoted ETag: the MD5 of the body, as S3 gives a single-part upload's, where the store
   * knows it; otherwise an opaque tag that changes when the body does (S3's ETag is not always an
   * MD5 either: a multipart or SSE-KMS upload's is not).
   */
  readonly etag: string;
  /** Epoch milliseconds. */
  readonly lastModified: number;
}

/** A page of a listing, in key order (UTF-8 binary order, as S3 lists). */
export interface ObjectPage {
  readonly objects: readonly StoredObject[];
  /** More keys follow the last one listed. */
  readonly truncated: boolean;
}

/** Why a store refused a call, in S3's error codes (the Task error is `S3.<code>`). */
export type ObjectStoreErrorCode =
  | 'NoSuchBucket' | 'NoSuchKey' | 'InvalidBucketName' | 'KeyTooLongError' | 'InvalidArgument' | 'EntityTooLarge' | 'AccessDenied'
  /** The store failed on its side (a folder that cannot be written: full, read-only). */
  | 'InternalError'
  /** A store that could not be reached (an S3 endpoint down, or silent past its bound). */
  | 'SdkClientException';

/** S3's message for NoSuchBucket, which every store's begins with (then `: <bucket>` and its advice). @internal */
export const NO_SUCH_BUCKET = 'The specified bucket does not exist';

/** A store's refusal: `code` is S3's error code, `message` says what and how to fix it. */
export class ObjectStoreError extends Error {
  constructor(public readonly code: ObjectStoreErrorCode, message: string) {
    super(message);
    this.name = 'ObjectStoreError';
  }
}

/**
 * A local S3: buckets of objects by key. Every method may throw {@link ObjectStoreError}.
 * Calls are synchronous: a store answers from a folder or from memory, and a Map reads its
 * items in order, chunk by chunk.
 */
export interface ObjectStore {
  /** The object's description. */
  head(bucket: string, key: string): StoredObject;
  /** The whole body; refused (`EntityTooLarge`) past `maxBytes`. */
  read(bucket: string, key: string, maxBytes: number): Uint8Array;
  /** The body in chunks, for readers that stream (JSON Lines, CSV). */
  chunks(bucket: string, key: string): Iterable<Uint8Array>;
  /**
   * Bytes `start` to `end` (exclusive) of the body, for readers that read a file's parts out of
   * order (Parquet: its footer first, then one row group at a time).
   * @default - the body is read whole (at most 256 MiB) and the range cut from it
   */
  readRange?(bucket: string, key: string, start: number, end: number): Uint8Array;
  /** Keys that start with `prefix`, after `startAfter`, at most `maxKeys` of them. */
  list(bucket: string, options: { readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number }): ObjectPage;
  /** Writes (or replaces) an object. */
  write(bucket: string, key: string, body: Uint8Array | string): StoredObject;
  /** Deletes an object; deleting a key that does not exist is no error, as in S3. */
  delete(bucket: string, key: string): void;
  /**
   * Starts writing an object a piece at a time (a Map's result files, which can be larger than
   * what should be held at once); the object appears when the writer is closed.
   * @default - the pieces are held and written with `write` on close
   */
  openWrite?(bucket: string, key: string): ObjectWriter;
}

/** An object being written: pieces appended, then closed (it appears) or aborted (nothing written). */
export interface ObjectWriter {
  append(piece: string | Uint8Array): void;
  close(): StoredObject;
  abort(): void;
}

/** A writer for `key`: the store's own, or one that holds the pieces and writes them whole on close. */
export function openObjectWriter(store: ObjectStore, bucket: string, key: string): ObjectWriter {
  if (store.openWrite) return store.openWrite(bucket, key);
  const pieces: Uint8Array[] = [];
  return {
    append: (piece) => { pieces.push(typeof piece === 'string' ? Buffer.from(piece) : piece); },
    close: () => store.write(bucket, key, Buffer.concat(pieces)),
    abort: () => { pieces.length = 0; },
  };
}

/** Bytes `start` to `end` of an object: the store's ranged read, or the range of its whole body (at most 256 MiB). */
export function rangeOf(store: ObjectStore, bucket: string, key: string, start: number, end: number): Uint8Array {
  if (store.readRange) return store.readRange(bucket, key, start, end);
  return store.read(bucket, key, 256 * 1024 ** 2).subarray(Math.max(0, start), Math.max(0, end));
}

/**
 * The local S3 of one execution: the store, and which Map states a Task handler answers
 * instead (a mock of the ItemReader or ResultWriter wins over the store).
 */
export interface LocalS3 {
  readonly store: ObjectStore;
  /**
   * Whether a handler answers this part of Map state `stateName` (resource `resource`).
   * @default - never: the store answers every S3 ItemReader and ResultWriter
   */
  readonly handled?: (stateName: string, resource: string) => boolean;
}


/**
 * Refuses a bucket name that is no folder name of its own: S3's names (and the legacy ones with
 * capitals and underscores), never `.`, `..`, a slash or a NUL.
 */
export function checkBucketName(bucket: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,62}$/.test(bucket)) {
    throw new ObjectStoreError('InvalidBucketName', `The bucket name ${JSON.stringify(bucket)} is not valid: use 3 to 63 letters, digits, dots, hyphens or underscores, starting with a letter or digit`);
  }
}

/**
 * Refuses a key S3 refuses, and no other: S3 takes any UTF-8 text of 1 to 1,024 bytes as a key
 * ("Naming Amazon S3 objects", Amazon S3 User Guide), dots, a leading, doubled or trailing `/`, a
 * NUL and a backslash included. Refused are an empty key, one over 1,024 bytes, one with a lone
 * surrogate (no UTF-8 text), and one whose `..` segments lead above the bucket (`../x`,
 * `a/../../x`), which S3 answers with 400 Bad Request and no body, its request path climbing out
 * of the bucket. A `..` that stays inside (`a/../b`) is a key of its own, as on S3: nothing is
 * resolved.
 */
export function checkObjectKey(key: string): void {
  if (key === '') throw new ObjectStoreError('InvalidArgument', 'The object key is empty: S3 keys are 1 to 1,024 bytes');
  if (Buffer.byteLength(key) > AwsLimits.OBJECT_KEY_BYTES) throw new ObjectStoreError('KeyTooLongError', `The object key is longer than ${AwsLimits.OBJECT_KEY_BYTES} bytes: ${JSON.stringify(key.slice(0, 60))}…`);
  if (LONE_SURROGATE.test(key)) throw new ObjectStoreError('InvalidArgument', `The object key ${JSON.stringify(key.slice(0, 60))} holds a lone surrogate, which is no UTF-8 text: S3 keys are UTF-8`);
  if (climbsOutOfBucket(key)) {
    throw new ObjectStoreError('InvalidArgument', `Bad Request: the object key ${JSON.stringify(key.slice(0, 60))} has '..' segments that lead above the bucket, which S3 refuses with 400 Bad Request`);
  }
}

/** A surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a key's `..` segments, read as a path's, lead above where it starts. */
function climbsOutOfBucket(key: string): boolean {
  if (!key.includes('..')) return false;
  let depth = 0;
  for (const segment of key.split('/')) {
    if (segment === '..') {
      if (--depth < 0) return true;
    } else if (segment !== '.') {
      depth++;
    }
  }
  return false;
}
