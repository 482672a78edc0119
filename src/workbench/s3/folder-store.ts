import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHUNK_BYTES, compareKeys, etagOf } from './memory-store';
import {
  checkBucketName, checkObjectKey, ObjectStoreError, type ObjectPage, type ObjectStore, type ObjectWriter, type StoredObject,
} from '../../interpreter/object-store';

/** Thrown when the folder given for the local S3 cannot be one. */
export class S3FolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'S3FolderError';
  }
}

/** Files the store writes before renaming them into place: never listed as objects. */
const TEMP_PREFIX = '.stepwright-tmp-';
/** A tree deeper than this is not walked (a 1,024-byte key has at most 512 segments). */
const MAX_DEPTH = 512;

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
// Not on every platform: where absent, the lstat checks alone guard against links.
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;
/* eslint-disable no-bitwise -- open(2) flags are a bit set */
/** Reading: no following a link, no blocking on a FIFO. */
const READ_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
/** Writing a new temporary file: created here, never through a link. */
const CREATE_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;
/* eslint-enable no-bitwise */

/**
 * A local S3 in a folder: a folder per bucket, a file per key (`<dir>/<bucket>/<key>`, the
 * key's `/` making subfolders). It reads and writes regular files only and follows no link: a
 * symbolic link in a bucket is not an object, and one on the way to a key fails the call. A
 * listing is read once per bucket and kept up to date with what this store writes; files
 * changed by others while a run lists a bucket are seen by the next run.
 */
export class FolderObjectStore implements ObjectStore {
  /** The folder, with its own links resolved once: what every path must stay under. */
  public readonly root: string;
  private readonly listings = new Map<string, string[]>();
  private readonly etags = new Map<string, { readonly size: number; readonly mtimeMs: number; readonly etag: string }>();

  constructor(dir: string) {
    let root: string;
    try {
      root = fs.realpathSync(dir);
    } catch {
      throw new S3FolderError(`The local S3 folder '${dir}' does not exist; create it, with a folder per bucket inside`);
    }
    if (!fs.statSync(root).isDirectory()) throw new S3FolderError(`The local S3 folder '${dir}' is not a folder`);
    this.root = root;
  }

  head(bucket: string, key: string): StoredObject {
    const file = this.objectPath(bucket, key);
    const st = this.regularFile(file, bucket, key);
    return this.describe(file, key, st);
  }

  read(bucket: string, key: string, maxBytes: number): Uint8Array {
    const fd = this.open(bucket, key);
    try {
      const size = fs.fstatSync(fd).size;
      if (size > maxBytes) throw new ObjectStoreError('EntityTooLarge', `s3://${bucket}/${key} is ${size} bytes, over the ${maxBytes} read whole`);
      const body = Buffer.alloc(size);
      let at = 0;
      while (at < size) {
        const n = fs.readSync(fd, body, at, size - at, at);
        if (n === 0) break;
        at += n;
      }
      return body.subarray(0, at);
    } finally {
      fs.closeSync(fd);
    }
  }

  *chunks(bucket: string, key: string): Iterable<Uint8Array> {
    const fd = this.open(bucket, key);
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      for (;;) {
        const n = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
        if (n === 0) return;
        yield Buffer.from(buffer.subarray(0, n));
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  list(bucket: string, options: { readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number }): ObjectPage {
    const keys = this.keysOf(bucket);
    const prefix = options.prefix ?? '';
    let from = 0;
    if (options.startAfter !== undefined) {
      const after = options.startAfter;
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (compareKeys(keys[mid], after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    const objects: StoredObject[] = [];
    let truncated = false;
    for (let i = from; i < keys.length; i++) {
      const key = keys[i];
      if (!key.startsWith(prefix)) continue;
      if (objects.length >= options.maxKeys) {
        truncated = true;
        break;
      }
      const file = path.join(this.root, bucket, ...key.split('/'));
      let st: fs.Stats;
      try {
        st = fs.lstatSync(file);
      } catch {
        continue;
      }
      if (st.isFile()) objects.push(this.describe(file, key, st));
    }
    return { objects, truncated };
  }

  write(bucket: string, key: string, body: Uint8Array | string): StoredObject {
    const w = this.openWrite(bucket, key);
    try {
      w.append(body);
    } catch (e) {
      w.abort();
      throw e;
    }
    return w.close();
  }

  /**
   * Writes a key a piece at a time into a temporary file beside its place, renamed there on
   * close; the ETag is summed as the pieces go, so a large object is never read back whole.
   */
  openWrite(bucket: string, key: string): ObjectWriter {
    const bucketDir = this.bucketDir(bucket);
    checkObjectKey(key);
    const segments = key.split('/');
    let dir = bucketDir;
    for (const segment of segments.slice(0, -1)) {
      dir = path.join(dir, segment);
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(dir);
      } catch {
        fs.mkdirSync(dir);
        continue;
      }
      if (!st.isDirectory()) {
        throw new ObjectStoreError('InvalidArgument', `Cannot write s3://${bucket}/${key}: ${path.relative(this.root, dir)} is ${st.isSymbolicLink() ? 'a symbolic link, which the local S3 never follows' : 'a file, not a folder'}`);
      }
    }
    const file = path.join(dir, segments[segments.length - 1]);
    if (lstatOrUndefined(file)?.isDirectory()) throw new ObjectStoreError('InvalidArgument', `Cannot write s3://${bucket}/${key}: a folder of that name holds other keys`);
    const temp = path.join(dir, `${TEMP_PREFIX}${process.pid}-${Math.random().toString(36).slice(2)}`);
    let fd: number | undefined = fs.openSync(temp, CREATE_FLAGS, 0o644);
    const md5 = createHash('md5');
    const abort = (): void => {
      if (fd === undefined) return;
      fs.closeSync(fd);
      fd = undefined;
      fs.rmSync(temp, { force: true });
    };
    return {
      append: (piece) => {
        if (fd === undefined) throw new Error(`s3://${bucket}/${key} is closed`);
        const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
        md5.update(bytes);
        try {
          fs.writeFileSync(fd, bytes);
        } catch (e) {
          abort();
          throw e;
        }
      },
      close: () => {
        if (fd === undefined) throw new Error(`s3://${bucket}/${key} is closed`);
        fs.closeSync(fd);
        fd = undefined;
        const existing = lstatOrUndefined(file);
        // A rename replaces a link at the key's path rather than writing through it.
        fs.renameSync(temp, file);
        const keys = this.listings.get(bucket);
        if (keys && !existing) insertSorted(keys, key);
        const st = fs.lstatSync(file);
        this.etags.set(file, { size: st.size, mtimeMs: st.mtimeMs, etag: `"${md5.digest('hex')}"` });
        return this.describe(file, key, st);
      },
      abort,
    };
  }

  delete(bucket: string, key: string): void {
    const file = this.objectPath(bucket, key);
    const st = lstatOrUndefined(file);
    if (!st) return;
    if (st.isDirectory()) return;
    fs.unlinkSync(file);
    const keys = this.listings.get(bucket);
    if (keys) {
      const at = keys.indexOf(key);
      if (at >= 0) keys.splice(at, 1);
    }
  }

  private bucketDir(bucket: string): string {
    checkBucketName(bucket);
    const dir = path.join(this.root, bucket);
    const st = lstatOrUndefined(dir);
    if (!st || !st.isDirectory()) {
      throw new ObjectStoreError('NoSuchBucket', `The specified bucket does not exist: ${bucket} (make a folder '${bucket}' in ${this.root})`);
    }
    return dir;
  }

  /** The file of a key, its folders checked to be folders and not links. */
  private objectPath(bucket: string, key: string): string {
    const bucketDir = this.bucketDir(bucket);
    checkObjectKey(key);
    const file = path.join(bucketDir, ...key.split('/'));
    const parent = path.dirname(file);
    let real: string;
    try {
      real = fs.realpathSync(parent);
    } catch {
      return file;
    }
    if (real !== parent) throw new ObjectStoreError('InvalidArgument', `s3://${bucket}/${key} lies behind a symbolic link, which the local S3 never follows`);
    return file;
  }

  private regularFile(file: string, bucket: string, key: string): fs.Stats {
    const st = lstatOrUndefined(file);
    if (!st || !st.isFile()) throw new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key} (no regular file ${path.join(bucket, key)} in ${this.root})`);
    return st;
  }

  private open(bucket: string, key: string): number {
    const file = this.objectPath(bucket, key);
    this.regularFile(file, bucket, key);
    // No blocking on a FIFO that took the file's place since, no following a link that did.
    const fd = fs.openSync(file, READ_FLAGS);
    if (!fs.fstatSync(fd).isFile()) {
      fs.closeSync(fd);
      throw new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key} (not a regular file)`);
    }
    return fd;
  }

  private describe(file: string, key: string, st: fs.Stats): StoredObject {
    const known = this.etags.get(file);
    let etag: string;
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) {
      etag = known.etag;
    } else {
      etag = etagOf(this.readPath(file));
      this.etags.set(file, { size: st.size, mtimeMs: st.mtimeMs, etag });
    }
    return { key, size: st.size, etag, lastModified: Math.floor(st.mtimeMs) };
  }

  private readPath(file: string): Uint8Array {
    const fd = fs.openSync(file, READ_FLAGS);
    try {
      return fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Every key of a bucket, sorted as S3 lists them; walked once, then kept up to date. */
  private keysOf(bucket: string): string[] {
    const dir = this.bucketDir(bucket);
    let keys = this.listings.get(bucket);
    if (!keys) {
      keys = [];
      walk(dir, '', 0, keys);
      keys.sort(compareKeys);
      this.listings.set(bucket, keys);
    }
    return keys;
  }
}

function walk(dir: string, prefix: string, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(TEMP_PREFIX)) continue;
    const key = prefix + entry.name;
    if (entry.isDirectory()) walk(path.join(dir, entry.name), `${key}/`, depth + 1, out);
    else if (entry.isFile()) out.push(key);
  }
}

function insertSorted(keys: string[], key: string): void {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (compareKeys(keys[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (keys[lo] !== key) keys.splice(lo, 0, key);
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}
