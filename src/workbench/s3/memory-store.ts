import { createHash } from 'node:crypto';
import { firstListed, insertSorted, removeSorted } from './sorted-keys';
import {
  checkBucketName, checkObjectKey, NO_SUCH_BUCKET, ObjectStoreError, type ObjectPage, type ObjectStore, type StoredObject,
} from '../../interpreter/object-store';

interface Entry {
  readonly body: Uint8Array;
  readonly info: StoredObject;
}

/** A bucket's objects, and their keys in listing order. */
interface Bucket {
  readonly objects: Map<string, Entry>;
  readonly keys: string[];
}

/** Bytes one chunk of a streamed body holds. @internal */
export const CHUNK_BYTES = 64 * 1024;

/** MD5 of a body, quoted, as S3 gives a single-part object's ETag. @internal */
export function etagOf(body: Uint8Array): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/**
 * A local S3 held in memory: `s3: { bucket: { key: content } }` of RunOptions, and the
 * store tests give the interpreter. A string is stored as UTF-8, anything else as its JSON.
 */
export class MemoryObjectStore implements ObjectStore {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Creates a bucket (no error when it exists). */
  createBucket(bucket: string): void {
    checkBucketName(bucket);
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, { objects: new Map(), keys: [] });
  }

  head(bucket: string, key: string): StoredObject {
    return this.entry(bucket, key).info;
  }

  read(bucket: string, key: string, maxBytes: number): Uint8Array {
    const e = this.entry(bucket, key);
    if (e.body.length > maxBytes) throw new ObjectStoreError('EntityTooLarge', `s3://${bucket}/${key} is ${e.body.length} bytes, over the ${maxBytes} read whole`);
    return e.body;
  }

  *chunks(bucket: string, key: string): Iterable<Uint8Array> {
    const body = this.entry(bucket, key).body;
    for (let at = 0; at < body.length; at += CHUNK_BYTES) yield body.subarray(at, at + CHUNK_BYTES);
  }

  readRange(bucket: string, key: string, start: number, end: number): Uint8Array {
    return this.entry(bucket, key).body.subarray(Math.max(0, start), Math.max(0, end));
  }

  list(bucket: string, options: { readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number }): ObjectPage {
    const { objects, keys } = this.bucket(bucket);
    const prefix = options.prefix ?? '';
    const page: StoredObject[] = [];
    for (let i = firstListed(keys, prefix, options.startAfter); i < keys.length && keys[i].startsWith(prefix); i++) {
      if (page.length >= Math.max(0, options.maxKeys)) return { objects: page, truncated: true };
      page.push(objects.get(keys[i])!.info);
    }
    return { objects: page, truncated: false };
  }

  write(bucket: string, key: string, body: Uint8Array | string): StoredObject {
    const { objects, keys } = this.bucket(bucket);
    checkObjectKey(key);
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const info: StoredObject = { key, size: bytes.length, etag: etagOf(bytes), lastModified: this.now() };
    if (!objects.has(key)) insertSorted(keys, key);
    objects.set(key, { body: bytes, info });
    return info;
  }

  delete(bucket: string, key: string): void {
    checkObjectKey(key);
    const { objects, keys } = this.bucket(bucket);
    if (objects.delete(key)) removeSorted(keys, key);
  }

  private bucket(bucket: string): Bucket {
    checkBucketName(bucket);
    const b = this.buckets.get(bucket);
    if (!b) throw new ObjectStoreError('NoSuchBucket', `${NO_SUCH_BUCKET}: ${bucket}`);
    return b;
  }

  private entry(bucket: string, key: string): Entry {
    const { objects } = this.bucket(bucket);
    checkObjectKey(key);
    const e = objects.get(key);
    if (!e) throw new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key}`);
    return e;
  }
}
