import { createHash } from 'node:crypto';
import { CHUNK_BYTES } from './memory-store';
import { compareKeys, firstListed, insertSorted, removeSorted } from './sorted-keys';
import {
  checkObjectKey, ObjectStoreError, rangeOf, type ObjectPage, type ObjectStore, type ObjectWriter, type StoredObject,
} from '../../interpreter/object-store';

/**
 * A local S3 that is read and never written: reads go to `base`; a write is checked as the base
 * would check it (the bucket must exist, the key must be one) and answered as if it were stored,
 * but nothing is kept. Explore runs a machine hundreds of times over the user's folder: its
 * ItemReaders read the folder, and its ResultWriters must not fill it.
 */
export class ReadOnlyObjectStore implements ObjectStore {
  constructor(private readonly base: ObjectStore, private readonly now: () => number = () => Date.now()) {}

  head(bucket: string, key: string): StoredObject {
    return this.base.head(bucket, key);
  }

  read(bucket: string, key: string, maxBytes: number): Uint8Array {
    return this.base.read(bucket, key, maxBytes);
  }

  chunks(bucket: string, key: string): Iterable<Uint8Array> {
    return this.base.chunks(bucket, key);
  }

  readRange(bucket: string, key: string, start: number, end: number): Uint8Array {
    return rangeOf(this.base, bucket, key, start, end);
  }

  list(bucket: string, options: { readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number }): ObjectPage {
    return this.base.list(bucket, options);
  }

  write(bucket: string, key: string, body: Uint8Array | string): StoredObject {
    const w = this.openWrite(bucket, key);
    w.append(body);
    return w.close();
  }

  openWrite(bucket: string, key: string): ObjectWriter {
    this.check(bucket, key);
    const md5 = createHash('md5');
    let size = 0;
    return {
      append: (piece) => {
        const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
        md5.update(bytes);
        size += bytes.length;
      },
      close: () => ({ key, size, etag: `"${md5.digest('hex')}"`, lastModified: this.now() }),
      abort: () => undefined,
    };
  }

  delete(bucket: string, key: string): void {
    this.check(bucket, key);
  }

  private check(bucket: string, key: string): void {
    check(this.base, bucket, key);
  }
}

/**
 * Bytes of written bodies an {@link OverlayObjectStore} holds, all objects together: past it, an
 * object written is still described (head, list) but its body is not kept, and reading it fails.
 */
export const MAX_OVERLAY_BYTES = 64 * 1024 * 1024;

interface Written {
  readonly info: StoredObject;
  /** Undefined once the bodies held passed {@link MAX_OVERLAY_BYTES}. */
  readonly body?: Uint8Array;
}

/**
 * A local S3 that never writes its base, yet reads back what was written to it: a run's writes
 * (result files, `putObject`, `copyObject`, `deleteObject`) are kept in memory over the base, for
 * this store's life (one run), so the run goes as it would over a folder it may write, and the
 * folder is left as it was. A door documented as reading (`stepwright cost --s3-dir`,
 * `s3: { dir, readOnly: true }`) runs over one.
 */
export class OverlayObjectStore implements ObjectStore {
  private readonly written = new Map<string, Map<string, Written>>();
  /** The keys of `written`, a bucket's in listing order. */
  private readonly writtenKeys = new Map<string, string[]>();
  private readonly deleted = new Map<string, Set<string>>();
  private held = 0;

  constructor(
    private readonly base: ObjectStore,
    private readonly now: () => number = () => Date.now(),
    private readonly maxHeldBytes = MAX_OVERLAY_BYTES,
  ) {}

  head(bucket: string, key: string): StoredObject {
    const w = this.mine(bucket, key);
    return w ? w.info : this.base.head(bucket, key);
  }

  read(bucket: string, key: string, maxBytes: number): Uint8Array {
    const w = this.mine(bucket, key);
    if (!w) return this.base.read(bucket, key, maxBytes);
    if (w.info.size > maxBytes) throw new ObjectStoreError('EntityTooLarge', `s3://${bucket}/${key} is ${w.info.size} bytes, over the ${maxBytes} read whole`);
    return this.bodyOf(bucket, key, w);
  }

  *chunks(bucket: string, key: string): Iterable<Uint8Array> {
    const w = this.mine(bucket, key);
    if (!w) {
      yield* this.base.chunks(bucket, key);
      return;
    }
    const body = this.bodyOf(bucket, key, w);
    for (let at = 0; at < body.length; at += CHUNK_BYTES) yield body.subarray(at, at + CHUNK_BYTES);
  }

  readRange(bucket: string, key: string, start: number, end: number): Uint8Array {
    const w = this.mine(bucket, key);
    if (!w) return rangeOf(this.base, bucket, key, start, end);
    const body = this.bodyOf(bucket, key, w);
    const from = Math.min(Math.max(0, start), body.length);
    return body.subarray(from, Math.min(Math.max(from, end), body.length));
  }

  list(bucket: string, options: { readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number }): ObjectPage {
    const prefix = options.prefix ?? '';
    const after = options.startAfter;
    const gone = this.deleted.get(bucket);
    const mine = this.written.get(bucket);
    const ours = this.writtenKeys.get(bucket) ?? [];
    const objects: StoredObject[] = [];
    let o = firstListed(ours, prefix, after);
    let page = this.base.list(bucket, { ...options, maxKeys: Math.max(1, options.maxKeys) });
    let b = 0;
    // Two sorted streams merged: what was written here, and the base's keys not deleted or written over here.
    for (;;) {
      while (b < page.objects.length && (gone?.has(page.objects[b].key) || mine?.has(page.objects[b].key))) b++;
      if (b >= page.objects.length && page.truncated && page.objects.length > 0) {
        const last = page.objects[page.objects.length - 1].key;
        page = this.base.list(bucket, { prefix, startAfter: last, maxKeys: Math.max(1, options.maxKeys) });
        b = 0;
        continue;
      }
      const fromBase = b < page.objects.length ? page.objects[b] : undefined;
      const fromHere = o < ours.length && ours[o].startsWith(prefix) ? ours[o] : undefined;
      if (fromBase === undefined && fromHere === undefined) return { objects, truncated: false };
      if (objects.length >= options.maxKeys) return { objects, truncated: true };
      if (fromHere !== undefined && (fromBase === undefined || compareKeys(fromHere, fromBase.key) < 0)) {
        objects.push(mine!.get(fromHere)!.info);
        o++;
      } else {
        objects.push(fromBase!);
        b++;
      }
    }
  }

  write(bucket: string, key: string, body: Uint8Array | string): StoredObject {
    const w = this.openWrite(bucket, key);
    w.append(body);
    return w.close();
  }

  openWrite(bucket: string, key: string): ObjectWriter {
    check(this.base, bucket, key);
    const pieces: Uint8Array[] = [];
    let size = 0;
    let keep = true;
    const md5 = createHash('md5');
    return {
      append: (piece) => {
        const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
        md5.update(bytes);
        size += bytes.length;
        keep &&= this.held + size <= this.maxHeldBytes;
        if (keep) pieces.push(bytes);
        else pieces.length = 0;
      },
      close: () => {
        const info: StoredObject = { key, size, etag: `"${md5.digest('hex')}"`, lastModified: this.now() };
        const previous = this.written.get(bucket)?.get(key);
        if (previous?.body) this.held -= previous.body.length;
        const body = keep ? Buffer.concat(pieces) : undefined;
        if (body) this.held += body.length;
        let objects = this.written.get(bucket);
        if (!objects) this.written.set(bucket, objects = new Map());
        if (!objects.has(key)) {
          let keys = this.writtenKeys.get(bucket);
          if (!keys) this.writtenKeys.set(bucket, keys = []);
          insertSorted(keys, key);
        }
        objects.set(key, body ? { info, body } : { info });
        this.deleted.get(bucket)?.delete(key);
        return info;
      },
      abort: () => { pieces.length = 0; },
    };
  }

  delete(bucket: string, key: string): void {
    check(this.base, bucket, key);
    const w = this.written.get(bucket)?.get(key);
    if (w?.body) this.held -= w.body.length;
    if (this.written.get(bucket)?.delete(key)) removeSorted(this.writtenKeys.get(bucket)!, key);
    let gone = this.deleted.get(bucket);
    if (!gone) this.deleted.set(bucket, gone = new Set());
    gone.add(key);
  }

  /** What was written (or deleted) here: the object, undefined for the base's, NoSuchKey for one deleted. */
  private mine(bucket: string, key: string): Written | undefined {
    const w = this.written.get(bucket)?.get(key);
    if (w) return w;
    if (this.deleted.get(bucket)?.has(key)) {
      checkObjectKey(key);
      throw new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key}`);
    }
    return undefined;
  }

  private bodyOf(bucket: string, key: string, w: Written): Uint8Array {
    if (w.body) return w.body;
    throw new ObjectStoreError('InternalError', `s3://${bucket}/${key}: the run wrote more than the ${this.maxHeldBytes} bytes a read-only local S3 keeps in memory; `
      + 'its body was not kept (run it where the folder may be written)');
  }
}

/** A missing bucket or a bad key is refused, as by the base. */
function check(base: ObjectStore, bucket: string, key: string): void {
  base.list(bucket, { maxKeys: 0 });
  checkObjectKey(key);
}
