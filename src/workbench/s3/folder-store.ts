import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHUNK_BYTES } from './memory-store';
import { FoldedNames, probeFileNameFolding, type FileNameFolding } from './name-folding';
import { hostTag, OWN_FOLDER, ownFolder, realOrUndefined, removeLeftovers, sidePath, UTF8, walkSide } from './own-place';
import { compareKeys, firstListed, insertSorted, removeSorted } from './sorted-keys';
import { AwsLimits } from '../../asl/limits';
import {
  checkBucketName, checkObjectKey, NO_SUCH_BUCKET, ObjectStoreError, type ObjectPage, type ObjectStore, type ObjectWriter, type StoredObject,
} from '../../interpreter/object-store';

export { OWN_FOLDER } from './own-place';

/** Thrown when the folder given for the local S3 cannot be one. */
export class S3FolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'S3FolderError';
  }
}

/** A tree deeper than this is not walked (a 1,024-byte key has at most 1,025 segments; a folder's, at most 512). */
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

/** Options of {@link FolderObjectStore}. */
export interface FolderObjectStoreOptions {
  /**
   * Never write to the folder: reads only, and a write or a delete is refused (`AccessDenied`);
   * nothing is cleaned up. The doors documented as reading (explore, cost) open it so.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * How the folder's file system reads names, as the store's probe finds it (`name-folding.ts`). Given, the
   * probe is not run: a test of a case-folding file system on one that is not gives the answer.
   * @default - probed when the store starts
   */
  readonly fileNames?: FileNameFolding;
}


/**
 * A local S3 in a folder: a folder per bucket, a file per key (`<dir>/<bucket>/<key>`, the
 * key's `/` making subfolders). Every key S3 takes is kept, listed, read and deleted as on S3:
 * a key that is no path of files (a leading, doubled or trailing `/`, a `.` or `..` segment, a
 * NUL, a segment over 255 bytes) or whose path another key's file or folder holds (`a` beside
 * `a/b`) is kept in the store's own place, `<dir>/.stepwright-s3/keys/<bucket>/`, which no key
 * maps into; so are the files being written (`<dir>/.stepwright-s3/tmp/`), renamed into place
 * when complete. A listing reads and never deletes; the temporary files of a process of this
 * host that died are removed when a store that may write starts.
 *
 * On a file system that takes two names for one (macOS's and Windows' fold case, macOS's the
 * composed and decomposed forms of a name), a key whose file would be another key's (`report.csv`
 * beside `Report.csv`, `data/x` beside a folder `Data`) is kept in the store's own place too, so
 * that neither overwrites the other: S3 keeps them as two objects.
 *
 * It reads and writes regular files only and follows no link: a symbolic link in a bucket is not
 * an object, and one on the way to a key fails the call. A bucket's keys are read at the first
 * page of each listing and kept up to date with what this store writes while its later pages are
 * read; files changed by others meanwhile are seen by the next listing.
 *
 * No call reads a whole file to describe it: an object's ETag is the MD5 of its body when this
 * store wrote it (summed as the pieces went), and otherwise a tag made of the file's device,
 * inode, size and modification time, which changes whenever the file does. S3's own ETag is
 * opaque in the same way: only a single-part upload's is the MD5 of the body.
 */
export class FolderObjectStore implements ObjectStore {
  /** The folder, with its own links resolved once: what every path must stay under. */
  public readonly root: string;
  private readonly own: string;
  private readonly readOnly: boolean;
  private readonly listings = new Map<string, string[]>();
  /** How the file system reads names; both false where it keeps every name apart. */
  public readonly fileNames: FileNameFolding;
  /** On a folding file system, the folders' entries by the name the file system compares. */
  private readonly names: FoldedNames;
  private readonly etags = new Map<string, { readonly size: number; readonly mtimeMs: number; readonly ino: number; readonly etag: string }>();

  /**
   * @param dir the folder, a folder per bucket inside
   * @param now the clock that stamps what this store writes (its files' modification time, so
   * their LastModified): a run's virtual clock, as the memory store's
   * @default - the files keep the time the file system gives them
   * @param options read-only or not
   */
  constructor(dir: string, private readonly now?: () => number, options: FolderObjectStoreOptions = {}) {
    let root: string;
    try {
      root = fs.realpathSync(dir);
    } catch {
      throw new S3FolderError(`The local S3 folder '${dir}' does not exist; create it, with a folder per bucket inside`);
    }
    if (!fs.statSync(root).isDirectory()) throw new S3FolderError(`The local S3 folder '${dir}' is not a folder`);
    this.root = root;
    this.own = path.join(root, OWN_FOLDER);
    this.readOnly = options.readOnly === true;
    if (!this.readOnly) removeLeftovers(path.join(this.own, 'tmp'));
    this.fileNames = options.fileNames ?? probeFileNameFolding(root);
    this.names = new FoldedNames(this.fileNames);
  }

  head(bucket: string, key: string): StoredObject {
    return this.guard(bucket, key, () => {
      const { file, st } = this.locate(bucket, key);
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
    if (options.startAfter === undefined) {
      this.listings.delete(bucket);
      this.names.forgetUnder(path.join(this.root, bucket));
    }
    const keys = this.guard(bucket, undefined, () => this.keysOf(bucket));
    const prefix = options.prefix ?? '';
    const objects: StoredObject[] = [];
    let truncated = false;
    // The keys under a prefix come together: a page reads them, and no key before or after them.
    for (let i = firstListed(keys, prefix, options.startAfter); i < keys.length && keys[i].startsWith(prefix); i++) {
      const key = keys[i];
      if (objects.length >= options.maxKeys) {
        truncated = true;
        break;
      }
      const found = this.find(bucket, key);
      if (found) objects.push(this.describe(found.file, key, found.st));
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
   * Writes a key a piece at a time into a temporary file of the store's own place, renamed to
   * the key's on close; the ETag is summed as the pieces go, so a large object is never read back
   * whole. Whatever fails on the way (a full disk, a read-only folder) fails as S3 would, naming
   * the key and not the folder, and leaves no temporary file behind.
   */
  openWrite(bucket: string, key: string): ObjectWriter {
    return this.guard(bucket, key, () => this.startWrite(bucket, key));
  }

  private startWrite(bucket: string, key: string): ObjectWriter {
    const bucketDir = this.bucketDir(bucket);
    checkObjectKey(key);
    this.writable(bucket, key);
    const file = this.placeFor(bucketDir, bucket, key);
    const tmp = path.join(this.own, 'tmp');
    ownFolder(tmp);
    const temp = path.join(tmp, `${process.pid}-${hostTag()}-${Math.random().toString(36).slice(2)}`);
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
        let existed: boolean;
        try {
          if (this.now) {
            const seconds = this.now() / 1000;
            fs.futimesSync(fd!, seconds, seconds);
          }
          fs.closeSync(fd!);
          fd = undefined;
          existed = this.find(bucket, key) !== undefined;
          // A rename replaces a link at the key's path rather than writing through it.
          fs.renameSync(temp, file);
          this.names.note(path.dirname(file), path.basename(file));
        } catch (e) {
          if (fd !== undefined) abort();
          else fs.rmSync(temp, { force: true });
          throw e;
        }
        // A key is in one place: written to its path of files, any copy kept aside goes.
        const side = sidePath(this.own, bucket, key);
        if (file !== side) this.removeSide(bucket, side);
        const keys = this.listings.get(bucket);
        if (keys && !existed) insertSorted(keys, key);
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
    const bucketDir = this.bucketDir(bucket);
    checkObjectKey(key);
    this.writable(bucket, key);
    const file = pathOfFiles(bucketDir, key);
    // On a folding file system the path may name another key's file (`Report.csv` for `report.csv`): that one stays.
    if (file !== undefined && (!this.names.folds || this.names.ownPath(bucketDir, key.split('/'), false))) {
      this.checkNoLinkOnTheWay(file, bucket, key);
      const st = lstatOrUndefined(file);
      if (st && !st.isDirectory()) {
        fs.unlinkSync(file);
        this.etags.delete(file);
        this.names.forget(path.dirname(file), path.basename(file));
        // S3 has no folders: a prefix with no key left is no longer there, and its folder would
        // hold the key of its name aside (pathIsFree) and pile up unlisted.
        this.removeEmptyFolders(path.dirname(file), bucketDir);
      }
    }
    this.removeSide(bucket, sidePath(this.own, bucket, key));
    const keys = this.listings.get(bucket);
    if (keys) removeSorted(keys, key);
  }

  private writable(bucket: string, key: string): void {
    if (this.readOnly) throw new ObjectStoreError('AccessDenied', `s3://${bucket}/${key}: the local S3 folder is open read-only here`);
  }

  /**
   * Where a key is written: its path of files when it is one and nothing else holds it (no
   * file where a folder of it goes, no folder where its file goes), the folders on the way made;
   * otherwise the store's own place.
   */
  private placeFor(bucketDir: string, bucket: string, key: string): string {
    const file = pathOfFiles(bucketDir, key);
    if (file !== undefined && this.pathIsFree(bucketDir, bucket, key)) {
      let dir = bucketDir;
      for (const segment of key.split('/').slice(0, -1)) {
        const parent = dir;
        dir = path.join(dir, segment);
        if (!lstatOrUndefined(dir)) {
          fs.mkdirSync(dir);
          this.names.note(parent, segment);
        }
      }
      return file;
    }
    const side = sidePath(this.own, bucket, key);
    ownFolder(path.dirname(side));
    return side;
  }

  /** Whether a key's path of files can be its file: a folder or nothing at each step, no folder at its end. */
  private pathIsFree(bucketDir: string, bucket: string, key: string): boolean {
    const segments = key.split('/');
    // Where the file system takes another name for this one, the key's path is another's.
    if (this.names.folds && !this.names.ownPath(bucketDir, segments, true)) return false;
    let dir = bucketDir;
    for (let i = 0; i < segments.length; i++) {
      dir = path.join(dir, segments[i]);
      const st = lstatOrUndefined(dir);
      if (!st) return true;
      if (st.isSymbolicLink() && i < segments.length - 1) {
        throw new ObjectStoreError('InvalidArgument', `Cannot write s3://${bucket}/${key}: ${segments.slice(0, i + 1).join('/')} is a symbolic link, which the local S3 never follows`);
      }
      if (i < segments.length - 1 ? !st.isDirectory() : st.isDirectory()) return false;
    }
    return true;
  }

  /** Removes a key's file kept aside, and the folders of the store's own place it leaves empty. */
  private removeSide(bucket: string, side: string): void {
    const st = lstatOrUndefined(side);
    if (!st || st.isDirectory()) return;
    fs.unlinkSync(side);
    this.etags.delete(side);
    this.removeEmptyFolders(path.dirname(side), path.join(this.own, 'keys', bucket));
  }

  /**
   * Removes `dir` and each folder above it that is left empty, up to `top` and never `top`
   * itself; rmdir removes neither a folder with anything in it nor a link (ENOTDIR), so the walk
   * stops at the first of those, never following one.
   */
  private removeEmptyFolders(dir: string, top: string): void {
    for (let at = dir; at !== top && at.startsWith(`${top}${path.sep}`); at = path.dirname(at)) {
      try {
        fs.rmdirSync(at);
      } catch {
        return;
      }
      this.names.forget(path.dirname(at), path.basename(at));
    }
  }

  private bucketDir(bucket: string): string {
    checkBucketName(bucket);
    const dir = path.join(this.root, bucket);
    const st = lstatOrUndefined(dir);
    if (!st || !st.isDirectory()) {
      throw new ObjectStoreError('NoSuchBucket', `${NO_SUCH_BUCKET}: ${bucket} (make a folder '${bucket}' in the local S3 folder)`);
    }
    return dir;
  }

  /** Refuses a key's path of files with a symbolic link on the way (its folders, not its file). */
  private checkNoLinkOnTheWay(file: string, bucket: string, key: string): void {
    const parent = path.dirname(file);
    let real: string;
    try {
      real = fs.realpathSync(parent);
    } catch {
      return;
    }
    if (real !== parent) throw new ObjectStoreError('InvalidArgument', `s3://${bucket}/${key} lies behind a symbolic link, which the local S3 never follows`);
  }

  /** A key's regular file, at its path of files or kept aside, or undefined. */
  private find(bucket: string, key: string): { readonly file: string; readonly st: fs.Stats } | undefined {
    const file = pathOfFiles(path.join(this.root, bucket), key);
    if (file !== undefined && (!this.names.folds || this.names.ownPath(path.join(this.root, bucket), key.split('/'), false))) {
      const st = lstatOrUndefined(file);
      // A file behind a linked folder is not read as the key's (locate refuses it by name).
      if (st?.isFile() && (!key.includes('/') || realOrUndefined(path.dirname(file)) === path.dirname(file))) return { file, st };
    }
    const side = sidePath(this.own, bucket, key);
    const st = lstatOrUndefined(side);
    return st?.isFile() ? { file: side, st } : undefined;
  }

  /** A key's regular file, its bucket and name checked and no link on its way. */
  private locate(bucket: string, key: string): { readonly file: string; readonly st: fs.Stats } {
    const bucketDir = this.bucketDir(bucket);
    checkObjectKey(key);
    const file = pathOfFiles(bucketDir, key);
    if (file !== undefined) this.checkNoLinkOnTheWay(file, bucket, key);
    const found = this.find(bucket, key);
    if (!found) throw new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key}${file === undefined ? '' : whyNoObject(lstatOrUndefined(file))}`);
    return found;
  }

  private open(bucket: string, key: string): number {
    const { file } = this.locate(bucket, key);
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
            ? new ObjectStoreError('NoSuchBucket', `${NO_SUCH_BUCKET}: ${bucket}`)
            : new ObjectStoreError('NoSuchKey', `The specified key does not exist: ${key}`);
        case 'ENAMETOOLONG':
          throw new ObjectStoreError('KeyTooLongError', `${where}: the key's path in the local S3 folder is longer than its file system takes (put the folder at a shorter path)`);
        case 'EACCES':
        case 'EPERM':
        case 'EROFS':
          throw new ObjectStoreError('AccessDenied', `${where}: the local S3 folder refused access (${code})`);
        case 'EXDEV':
          throw new ObjectStoreError('InternalError', `${where}: the bucket's folder is on another file system than the local S3 folder, so a write cannot be moved into place (make it a plain folder)`);
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
      const found: string[] = [];
      walk(dir, '', 0, found);
      const side = path.join(this.own, 'keys', bucket);
      if (lstatOrUndefined(side)?.isDirectory()) walkSide(side, '', 0, found);
      found.sort(compareKeys);
      keys = found.filter((k, i) => i === 0 || k !== found[i - 1]);
      this.listings.set(bucket, keys);
    }
    return keys;
  }
}

/**
 * A key's path of files under its bucket's folder, or undefined when it is none: an empty, `.`
 * or `..` segment, a NUL, a segment over 255 bytes (the longest file name), or, on Windows, a
 * character or name Windows refuses.
 */
function pathOfFiles(bucketDir: string, key: string): string | undefined {
  const segments = key.split('/');
  for (const segment of segments) if (!fileName(segment)) return undefined;
  return path.join(bucketDir, ...segments);
}

const WINDOWS = process.platform === 'win32';

function fileName(segment: string): boolean {
  if (segment === '' || segment === '.' || segment === '..' || segment.includes('\0')) return false;
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return false;
  // eslint-disable-next-line no-control-regex -- the characters Windows refuses in a name
  if (WINDOWS && (/[\\:*?"<>|\x00-\x1f]|[. ]$/.test(segment) || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(segment))) return false;
  return true;
}

function whyNoObject(st: fs.Stats | undefined): string {
  if (st === undefined || st.isFile()) return '';
  if (st.isSymbolicLink()) return ' (the folder holds a symbolic link there, which the local S3 never follows: put the file itself there)';
  if (st.isDirectory()) return ' (the folder holds a folder there: its objects are the keys under it)';
  return ' (the folder holds a pipe, socket or device there, not a regular file)';
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

/** The keys of a bucket's folder: every regular file, by its path; a name that is no UTF-8 text, or a path over 1,024 bytes, is no key. */
function walk(dir: string, prefix: string, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })) {
    let name: string;
    try {
      name = UTF8.decode(entry.name);
    } catch {
      continue;
    }
    const key = prefix + name;
    if (entry.isDirectory()) walk(path.join(dir, name), `${key}/`, depth + 1, out);
    else if (entry.isFile() && Buffer.byteLength(key) <= AwsLimits.OBJECT_KEY_BYTES) out.push(key);
  }
}


function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}
