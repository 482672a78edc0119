/*
 * Replacing the journal with another list of records, without a moment at
 * which a crash could leave neither: the new journal is written to a temporary
 * file and fsynced, then renamed over the old one (a rename is atomic) and the
 * directory fsynced. A crash leaves the old journal or the new one, each whole;
 * a temporary file left behind is removed when the journal is next opened.
 *
 * Compaction uses it to keep a long-running server's journal from growing
 * without bound; opening uses it to convert a format-1 journal and to write a
 * repaired one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { frame, HEADER, type RawRecord } from './format';

/** The temporary file of a journal being replaced. */
export const TEMP_FILE = 'journal.jsonl.compacting';

/** Bytes gathered before one write. */
const WRITE_CHUNK = 1024 * 1024;

/**
 * Writes `records` as a format-2 journal to the temporary file in `dir` and
 * returns it open (not yet fsynced) with its size. Records are framed and
 * written as they come, so a long list of large records needs memory for one
 * chunk, not for the whole journal.
 */
export function writeTemporary(dir: string, records: Iterable<RawRecord>): { fd: number; size: number; temp: string } {
  const temp = path.join(dir, TEMP_FILE);
  // Made anew, never opened through a link put in its place (which would write the journal wherever it points).
  fs.rmSync(temp, { force: true });
  const fd = fs.openSync(temp, 'wx+');
  try {
    let position = 0;
    let pending: Buffer[] = [HEADER];
    let pendingBytes = HEADER.length;
    const flush = (): void => {
      const bytes = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      writeAllSync(fd, bytes, position);
      position += bytes.length;
      pending = [];
      pendingBytes = 0;
    };
    for (const record of records) {
      const bytes = frame(record);
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes >= WRITE_CHUNK) flush();
    }
    if (pendingBytes > 0) flush();
    return { fd, size: position, temp };
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** Renames the temporary file over `file` and makes the rename durable; the temporary file must be fsynced. */
export function install(temp: string, file: string): void {
  fs.renameSync(temp, file);
  syncDir(path.dirname(file));
}

/** Replaces `file` by a format-2 journal of `records`, durably, at once; returns the new journal open, with its size. */
export function rewriteSync(file: string, records: Iterable<RawRecord>): { fd: number; size: number } {
  const { fd, size, temp } = writeTemporary(path.dirname(file), records);
  try {
    fs.fsyncSync(fd);
    install(temp, file);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e;
  }
  return { fd, size };
}

export function writeAllSync(fd: number, bytes: Buffer, position: number): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Makes a newly created or renamed file's directory entry durable too. */
export function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch {
    // Some platforms cannot fsync a directory; the file's own fsync still holds its data.
  }
}
