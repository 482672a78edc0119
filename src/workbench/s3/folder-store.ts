import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHUNK_BYTES, compareKeys } from './memory-store';
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
/**
 * This host, in the names of the temporary files this process writes, so that a listing removes
 * only those a process of this host left when it died (kill -9 in the middle of a copy leaves one
 * as large as the part copied), never one another host sharing the folder is writing.
 */
const HOST_TAG = createHash('md5').update(os.hostname()).digest('hex').slice(0, 8);
/** `<prefix><pid>-<host tag>-<random>`: the name of a temporary file this store writes. */
const TEMP_NAME = /^\.stepwright-tmp-(\d+)-([0-9a-f]{8})-[0-9a-z]+$/;
/** A tree deeper than this is not walked (a 1,024-byte key has at most 512 segments). */
const MAX_DEPTH = 512;
/** The longest file or folder name Linux, macOS and Windows file systems take, in bytes. */
const MAX_SEGMENT_BYTES = 255;

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
 * bucket's keys are read at the first page of each listing and kept up to date with what this
 * store writes while its later pages are read; files changed by others meanwhile are seen by the
 * next listing.
 *
 * No call reads a whole file to describe it: an object's ETag is the MD5 of its body when this
 * store wrote it (summed as the pieces went), and otherwise a tag made of the file's device,
 * inode, size and modification time, which changes whenever the file does. S3's own ETag is
 * opaque in the same way: only a single-part upload's is the MD5 of the body.
 */
export class FolderObjectStore implements ObjectStore {
  /** The folder, with its own links resolved once: what every path must stay under. */
  public readonly root: string;
  private readonly listings = new Map<string, string[]>();
  private readonly etags = new Map<string, { readonly size: number; readonly mtimeMs: number; readonly ino: number; readonly etag: string }>();

  /**
   * @param dir the folder, a folder per bucket inside
   * @param now the clock that stamps what this store writes (its files' modification time, so
   * their LastModified): a run's virtual clock, as the memory store's
   * @default - the files keep the time the file system gives them
   */
  constructor(dir: string, private readonly now?: () => number) {
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
    return this.guard(bucket, key, () => {
      const file = this.objectPath(bucket, key);
      const st = this.regularFile(file, key);
      return this.describe(file, key, st);
    });
  }

  read(bucket: string, key: string, maxBytes: number): Uint8Array {
    return this.guard(bucket, key, () => {
      const fd = this.open(bucket, key);
      try {
        const size = fs.fstatSync(fd).size;
        if (size > maxBytes) throw new ObjectStoreError('EntityTooLarge', `s3://${bucket}/${key} is ${size} bytes, over the ${maxBytes} read whole`);
        return readAt(fd, 0, size);
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  readRange(bucket: string, key: string, start: number, end: number): Uint8Array {
    return this.guard(bucket, key, () => {
      const fd = this.open(bucket, key);
      try {
        const size = fs.fstatSync(fd).size;
        const from = Math.min(Math.max(0, start), size);
        return readAt(fd, from, Math.min(Math.max(from, end), size) - from);
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  /**
   * The object's bytes a chunk at a time, as they were when it was opened: an S3 object does not
   * change while it is read, so a file another process appends to meanwhile is read to the size
   * it had then (read to its end, a file written without pause would never end the read).
   */
  *chunks(bucket: string, key: string): Iterable<Uint8Array> {
    const fd = this.guard(bucket, key, () => this.open(bucket, key));
    try {
      const size = this.guard(bucket, key, () => fs.fstatSync(fd).size);
      const buffer = Buffer.alloc(CHUNK_BYTES);
      for (let at = 0; at < size;) {
        const n = this.guard(bucket, key, () => fs.readSync(fd, buffer, 0, Math.min(CHUNK_BYTES, size - at), at));
        if (n === 0) return;
        at += n;
        yield Buffer.from(buffer.subarray(0, n));
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  list(bucket: string, options: { readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number }): ObjectPage {
    // A listing's first page reads the folder again: serve keeps one store for its life, and a
    // file put in the folder by hand since the last listing is listed as S3 would list it. The
    // pages after it read the keys kept, so a listing of many pages walks the folder once.
    if (options.startAfter === undefined) this.listings.delete(bucket);
    const keys = this.guard(bucket, undefined, () => this.keysOf(bucket));
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
   * Whatever fails on the way (a full disk, a read-only folder) fails as S3 would, naming the
   * key and not the folder, and leaves no temporary file behind.
   */
  openWrite(bucket: string, key: string): ObjectWriter {
    return this.guard(bucket, key, () => this.startWrite(bucket, key));
  }

  private startWrite(bucket: string, key: string): ObjectWriter {
    const bucketDir = this.bucketDir(bucket);
    checkFolderKey(key);
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
        throw new ObjectStoreError('InvalidArgument', `Cannot write s3://${bucket}/${key}: ${path.relative(bucketDir, dir).split(path.sep).join('/')} is ${st.isSymbolicLink() ? 'a symbolic link, which the local S3 never follows' : 'an object, not a folder of keys'}`);
      }
    }
    const file = path.join(dir, segments[segments.length - 1]);
    if (lstatOrUndefined(file)?.isDirectory()) throw new ObjectStoreError('InvalidArgument', `Cannot write s3://${bucket}/${key}: a folder of that name holds other keys`);
    const temp = path.join(dir, `${TEMP_PREFIX}${process.pid}-${HOST_TAG}-${Math.random().toString(36).slice(2)}`);
    let fd: number | undefined = fs.openSync(temp, CREATE_FLAGS, 0o644);
    const md5 = createHash('md5');
    const abort = (): void => {
      if (fd === undefined) return;
      const open = fd;
      fd = undefined;
      try {
        fs.closeSync(open);
      } finally {
        fs.rmSync(temp, { force: true });
      }
    };
    const closed = (): never => {
      throw new ObjectStoreError('InvalidArgument', `s3://${bucket}/${key} is already closed`);
    };
    return {
      append: (piece) => this.guard(bucket, key, () => {
        if (fd === undefined) closed();
        const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
        md5.update(bytes);
        try {
          fs.writeFileSync(fd!, bytes);
        } catch (e) {
          abort();
          throw e;
        }
      }),
      close: () => this.guard(bucket, key, () => {
        if (fd === undefined) closed();
        try {
          if (this.now) {
            const seconds = this.now() / 1000;
            fs.futimesSync(fd!, seconds, seconds);
          }
          fs.closeSync(fd!);
          fd = undefined;
          const existing = lstatOrUndefined(file);
          // A rename replaces a link at the key's path rather than writing through it.
          fs.renameSync(temp, file);
          const keys = this.listings.get(bucket);
          if (keys && !existing) insertSorted(keys, key);
        } catch (e) {
          if (fd !== undefined) abort();
          else fs.rmSync(temp, { force: true });
          throw e;
        }
        const st = fs.lstatSync(file);
        this.etags.set(file, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, etag: `"${md5.digest('hex')}"` });
        return this.describe(file, key, st);
      }),
      abort,
    };
  }

  delete(bucket: string, key: string): void {
    this.guard(bucket, key, () => this.remove(bucket, key));
  }

  private remove(bucket: string, key: string): void {
    const file = this.objectPath(bucket, key);
    const st = lstatOrUndefined(file);
    if (!st) return;
    if (st.isDirectory()) return;
    fs.unlinkSync(file);
    this.etags.delete(file);
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
      throw new ObjectStoreError('NoSuchBucket', `The specified bucket does not exist: ${bucket} (make a folder '${bucket}' in the local S3 folder)`);
    }
    return dir;
  }

  /** The file of a key, its folders checked to be folders and not links. */
  private objectPath(bucket: string, key: string): string {
    const bucketDir = this.bucketDir(bucket);
    checkFolderKey(key);
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

  private regularFile(file: string, key: string): fs.Stats {
    const st = lstatOrUndefined(file);
    if (!st || !st.isFile()) throw new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key}`);
    return st;
  }

  private open(bucket: string, key: string): number {
    const file = this.objectPath(bucket, key);
    this.regularFile(file, key);
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
    const etag = known && known.size === st.size && known.mtimeMs === st.mtimeMs && known.ino === st.ino
      ? known.etag
      : `"${createHash('md5').update(`${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`).digest('hex')}"`;
    return { key, size: st.size, etag, lastModified: Math.floor(st.mtimeMs) };
  }

  /**
   * Runs a call, turning what the file system throws into S3's errors: the key and the error's
   * code named, never the folder's path (a Task's error goes into the execution's history).
   */
  private guard<T>(bucket: string, key: string | undefined, call: () => T): T {
    try {
      return call();
    } catch (e) {
      if (e instanceof ObjectStoreError) throw e;
      const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
      const where = key === undefined ? `s3://${bucket}` : `s3://${bucket}/${key}`;
      switch (code) {
        case 'ENOENT':
        case 'ENOTDIR':
          throw key === undefined
            ? new ObjectStoreError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`)
            : new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key}`);
        case 'ENAMETOOLONG':
          throw new ObjectStoreError('KeyTooLongError', `${where}: a segment of the key is longer than the local S3 folder's file names take`);
        case 'EACCES':
        case 'EPERM':
          throw new ObjectStoreError('AccessDenied', `${where}: the local S3 folder refused access (${code})`);
        default:
          throw new ObjectStoreError('InternalError', `${where}: the local S3 folder failed (${code})`);
      }
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

/**
 * A key as the folder can hold it: S3's rules, and each segment at most 255 bytes, the longest
 * file name a file system takes. S3 takes longer segments (only the whole key is bounded, at
 * 1,024 bytes): such a key is refused with S3's error for a key too long, before the disk is
 * touched.
 */
function checkFolderKey(key: string): void {
  checkObjectKey(key);
  for (const segment of key.split('/')) {
    const bytes = Buffer.byteLength(segment);
    if (bytes > MAX_SEGMENT_BYTES) {
      throw new ObjectStoreError('KeyTooLongError', `The object key ${JSON.stringify(`${key.slice(0, 60)}…`)} has a segment of ${bytes} bytes; `
        + `the local S3 folder stores each '/'-separated segment as a file or folder name, at most ${MAX_SEGMENT_BYTES} bytes (S3 bounds only the whole key, at 1,024)`);
    }
  }
}

/** `length` bytes of an open file from `start`. */
function readAt(fd: number, start: number, length: number): Uint8Array {
  const body = Buffer.alloc(length);
  let at = 0;
  while (at < length) {
    const n = fs.readSync(fd, body, at, length - at, start + at);
    if (n === 0) break;
    at += n;
  }
  return body.subarray(0, at);
}

function walk(dir: string, prefix: string, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(TEMP_PREFIX)) {
      if (entry.isFile() && leftByDeadProcess(entry.name)) removeQuietly(path.join(dir, entry.name));
      continue;
    }
    const key = prefix + entry.name;
    if (entry.isDirectory()) walk(path.join(dir, entry.name), `${key}/`, depth + 1, out);
    else if (entry.isFile()) out.push(key);
  }
}

/** Removes a file; one that cannot be removed (a folder made read-only) is left for a later listing. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Not this listing's concern: it lists objects, and a temporary file is none.
  }
}

/** Whether a temporary file's name says a process of this host that is gone wrote it. */
function leftByDeadProcess(name: string): boolean {
  const m = TEMP_NAME.exec(name);
  if (!m || m[2] !== HOST_TAG) return false;
  try {
    process.kill(Number(m[1]), 0);
    return false;
  } catch (e) {
    // EPERM: a process of that pid lives (another user's): its file is left alone.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
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
