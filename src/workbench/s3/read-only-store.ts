import { createHash } from 'node:crypto';
import {
  checkObjectKey, rangeOf, type ObjectPage, type ObjectStore, type ObjectWriter, type StoredObject,
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

  /** A missing bucket or a bad key is refused, as by the base. */
  private check(bucket: string, key: string): void {
    this.base.list(bucket, { maxKeys: 0 });
    checkObjectKey(key);
  }
}
