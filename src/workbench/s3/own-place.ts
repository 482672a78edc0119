import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsLimits } from '../../asl/limits';
import { ObjectStoreError } from '../../interpreter/object-store';

/*
 * The local S3 folder's own place (folder-store.ts): where the objects whose keys are no path of
 * files are kept, where files are written before they are moved into place, and the clean-up of
 * what a process that died left there.
 */


/**
 * The store's own place, at the folder's root beside the buckets: no bucket is named so (a bucket
 * name starts with a letter or a digit), so no key maps into it. It holds the files being written
 * (`tmp/`) and the objects whose keys are no path of files (`keys/<bucket>/`, see {@link sidePath}).
 */
export const OWN_FOLDER = '.stepwright-s3';
let hostTagMade: string | undefined;
/**
 * This host, in the names of the temporary files this process writes, so that the clean-up at a
 * store's start removes only those a process of this host left when it died (kill -9 in the
 * middle of a copy leaves one as large as the part copied), never one another host sharing the
 * folder is writing. Made by the first temporary file or check of one, not as the module loads
 * (in every jest test file).
 */
export const hostTag = (): string => (hostTagMade ??= createHash('md5').update(os.hostname()).digest('hex').slice(0, 8));
/** `<pid>-<host tag>-<random>`: the name of a temporary file this store writes in its own place. */
const TEMP_NAME = /^(\d+)-([0-9a-f]{8})-[0-9a-z]+$/;

/** Characters of one folder name of a key kept in the store's own place. */
const SIDE_CHUNK = 120;
/** A file name in the store's own place ends so; a folder name never does. */
const SIDE_END = '=';

/**
 * Where a key is kept in the store's own place: its UTF-8 bytes written with letters a to z,
 * digits, `_` and `-` as they are and every other byte as `%` and two lowercase hex digits (so
 * that names differ by more than case), cut into folders of {@link SIDE_CHUNK} characters, the
 * rest the file's name ending in `=`, which no folder's name does: no two keys share a path, and
 * one key's file is never another's folder.
 */
export function sidePath(own: string, bucket: string, key: string): string {
  let text = '';
  for (const byte of Buffer.from(key)) {
    const c = String.fromCharCode(byte);
    text += /[a-z0-9_-]/.test(c) ? c : `%${byte.toString(16).padStart(2, '0')}`;
  }
  const parts: string[] = [];
  let at = 0;
  for (; text.length - at >= SIDE_CHUNK; at += SIDE_CHUNK) parts.push(text.slice(at, at + SIDE_CHUNK));
  parts.push(text.slice(at) + SIDE_END);
  return path.join(own, 'keys', bucket, ...parts);
}

/**
 * Why what the folder holds at a key's path of files is no object, as a NoSuchKey message adds it;
 * empty when it holds nothing there (or a regular file kept for another key).
 */
/** The keys kept in a bucket's part of the store's own place; anything that is no key's file is passed over. */
export function walkSide(dir: string, text: string, depth: number, out: string[]): void {
  if (depth > 32) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.length === SIDE_CHUNK && SIDE_TEXT.test(entry.name)) {
      walkSide(path.join(dir, entry.name), text + entry.name, depth + 1, out);
    } else if (entry.isFile() && entry.name.endsWith(SIDE_END) && entry.name.length <= SIDE_CHUNK && SIDE_TEXT.test(entry.name.slice(0, -1))) {
      const key = sideKey(text + entry.name.slice(0, -1));
      if (key !== undefined) out.push(key);
    }
  }
}

const SIDE_TEXT = /^[a-z0-9_%-]*$/;
export const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The key a side path's text stands for, or undefined when it stands for none. */
function sideKey(text: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%') {
      bytes.push(text.charCodeAt(i));
      continue;
    }
    const hex = text.slice(i + 1, i + 3);
    if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  try {
    const key = UTF8.decode(new Uint8Array(bytes));
    return key !== '' && Buffer.byteLength(key) <= AwsLimits.OBJECT_KEY_BYTES ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Makes a folder of the store's own place (and those above it), refusing one reached through a link or taken by a file. */
export function ownFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw e;
    throw ownPlaceBroken(code ?? 'unknown');
  }
  if (realOrUndefined(dir) !== dir) throw ownPlaceBroken('a symbolic link');
}

function ownPlaceBroken(why: string): ObjectStoreError {
  return new ObjectStoreError('InternalError', `the local S3 folder's own place, ${OWN_FOLDER} at its root, is not a folder of its own (${why}): move what is there away`);
}

export function realOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/**
 * Removes the temporary files a process of this host that is gone left in the store's own place
 * (kill -9 in the middle of a write); one that cannot be removed (a folder made read-only) stays.
 */
export function removeLeftovers(tmp: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return;
  }
  for (const name of names) {
    if (!leftByDeadProcess(name)) continue;
    const file = path.join(tmp, name);
    try {
      if (fs.lstatSync(file).isFile()) fs.rmSync(file, { force: true });
    } catch {
      // Left for the next start.
    }
  }
}

/** Whether a temporary file's name says a process of this host that is gone wrote it. */
function leftByDeadProcess(name: string): boolean {
  const m = TEMP_NAME.exec(name);
  if (!m || m[2] !== hostTag()) return false;
  try {
    process.kill(Number(m[1]), 0);
    return false;
  } catch (e) {
    // EPERM: a process of that pid lives (another user's): its file is left alone.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
