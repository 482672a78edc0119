/*
 * The durable store behind `--data-dir`: an append-only journal of records,
 * made durable with fsync before a request is answered.
 *
 * Why a journal and not an embedded database: the server's state is small and
 * is rebuilt by replaying what happened (resources created, executions
 * started, task results sent), and executions are re-run deterministically from
 * their journaled input, seed and task results, so the only durable operation
 * needed is "append this fact, then know it is on disk". A journal does exactly
 * that with nothing but node:fs; the embedded databases available for Node 20
 * (better-sqlite3, LevelDB bindings) are native modules whose install fetches
 * or compiles binaries, which a dev dependency of every test suite should not
 * need.
 *
 * Crash safety comes from these rules: one server per data directory (lock.ts);
 * records are only appended, each framed with its length and a checksum
 * (format.ts); a request is answered after the fsync that covers its record
 * (group commit: the records of one tick share one write and one fsync, so
 * 1,000 concurrent requests cost a handful of fsyncs, not 1,000); on reading,
 * only a torn last line is dropped, and any other damage stops the server with
 * the line and byte offset, the journal untouched (recovery.ts); the journal is
 * only ever replaced whole, by an atomic rename (compaction.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { install, rewriteSync, syncDir, TEMP_FILE, writeTemporary } from './compaction';
import { frame, HEADER, type RawRecord } from './format';
import { DataDirLock } from './lock';
import { readJournal, recordsOf, type DamagedLine, type RecordPlace } from './recovery';

export type { RawRecord } from './format';
export { DataDirLockedError } from './lock';
export { JournalDamagedError, JournalFileError, type DamagedLine, type RecordPlace } from './recovery';
export { RecordTooLargeError } from './format';

/** The journal's name in the data directory. */
export const JOURNAL_FILE = 'journal.jsonl';
/** The default compaction size: 64 MiB. */
const DEFAULT_COMPACT_AT = 64 * 1024 * 1024;
/** Buffers gathered into one write, up to this many bytes. */
const WRITE_CHUNK = 4 * 1024 * 1024;
/**
 * For the crash tests only: milliseconds a compaction waits between writing its
 * temporary file and renaming it, so that a test can kill the process there.
 */
const PAUSE_ENV = 'STEPWRIGHT_TEST_COMPACTION_PAUSE_MS';

/** @internal */
export interface JournalOptions {
  /**
   * Compact the journal when it would grow past this many bytes (and then past
   * twice its compacted size, so that a large live state is not rewritten on every write).
   * @default 67108864 (64 MiB)
   */
  readonly compactAt?: number;
  /**
   * Read past damaged lines instead of refusing the journal: they are listed in
   * `damaged`, and the caller then writes the journal anew with `repair()`.
   * @default false
   */
  readonly repair?: boolean;
  /** Where the journal reports what it did on opening (a torn last line dropped, a conversion, a lock taken over). */
  readonly log?: (line: string) => void;
}

/**
 * Gives the records that rebuild the live state. `records()` reads the
 * journal's records (on disk, then those being written), in order, each time it
 * is called; what the compactor returns is written as it is produced.
 * @internal
 */
export type Compactor = (records: () => Iterable<RawRecord>) => Iterable<RawRecord>;

/** A journal just opened, with what it holds. @internal */
export interface OpenedJournal {
  readonly journal: Journal;
  readonly records: RawRecord[];
  /** Where each of `records` is in the file. */
  readonly places: RecordPlace[];
  /** With `repair`: the lines that held no record. */
  readonly damaged: DamagedLine[];
}

/** @internal */
export class Journal {
  /**
   * Locks the data directory `dir` (creating it), reads the journal in it and
   * opens it for appending. A torn last line is dropped (with a log line); a
   * format-1 journal is converted to format 2, the original kept beside it.
   * @throws DataDirLockedError when another server holds the directory
   * @throws JournalDamagedError naming the first damaged line (not with `repair`), the journal untouched
   * @throws JournalFileError when the journal's path is a link, a directory or a special file
   * @throws DataDirError when the file system refuses (a full disk, no permission), naming the data directory
   */
  static open(dir: string, options: JournalOptions = {}): OpenedJournal {
    const compactAt = options.compactAt ?? DEFAULT_COMPACT_AT;
    if (!(compactAt > 0)) throw new Error(`the journal compaction size must be a positive number of bytes, got ${String(options.compactAt)}`);
    try {
      return Journal.openIn(dir, compactAt, options);
    } catch (e) {
      // node's own words name the call but not always the file ("ENOSPC: no space left on device, write").
      if ((e as NodeJS.ErrnoException).syscall !== undefined) throw new DataDirError(dir, e as NodeJS.ErrnoException);
      throw e;
    }
  }

  private static openIn(dir: string, compactAt: number, options: JournalOptions): OpenedJournal {
    const log = options.log ?? (() => undefined);
    fs.mkdirSync(dir, { recursive: true });
    const lock = DataDirLock.acquire(dir, log);
    try {
      const file = path.join(dir, JOURNAL_FILE);
      // A compaction that crashed before its rename: the journal itself is whole, the copy is not needed.
      fs.rmSync(path.join(dir, TEMP_FILE), { force: true });
      const contents = readJournal(file, options.repair);
      const { records, places, damaged, torn } = contents;
      const tornLine = torn ? `line ${torn.line} (byte offset ${torn.offset}, ${torn.length} bytes)` : '';
      let opened: { fd: number; size: number };
      if (damaged.length > 0) {
        // Left as it is until the caller has seen what else cannot be restored; repair() then writes it anew.
        opened = { fd: fs.openSync(file, 'r+'), size: contents.end };
      } else if (contents.format === 2) {
        opened = { fd: fs.openSync(file, 'r+'), size: contents.end };
        if (torn) {
          fs.ftruncateSync(opened.fd, contents.end);
          fs.fsyncSync(opened.fd);
          log(`journal ${file}: dropped its last line, ${tornLine}: a write cut short by a crash, which no answered request was in`);
        }
      } else if (contents.format === 1) {
        const backup = `${file}.format-1.bak`;
        copyDurably(file, backup);
        opened = rewriteSync(file, records);
        if (torn) log(`journal ${file}: dropped its last line, ${tornLine}: a write cut short by a crash, which no answered request was in`);
        log(`journal ${file}: converted ${records.length} records from format 1 to format 2 (each record framed with its length and a checksum); the original is kept as ${backup}`);
      } else {
        // No journal yet, or one whose header a crash cut short: begin it.
        const fd = fs.openSync(file, 'w+');
        fs.writeSync(fd, HEADER, 0, HEADER.length, 0);
        fs.fsyncSync(fd);
        syncDir(dir);
        opened = { fd, size: HEADER.length };
      }
      return { journal: new Journal(opened.fd, dir, opened.size, compactAt, lock, log), records, places, damaged };
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  private pending: Array<{ readonly record: RawRecord; readonly bytes: Buffer }> = [];
  private closed = false;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  private failure: Error | undefined;
  private compactor: Compactor | undefined;
  /** The size past which the next flush compacts: the configured size, or twice the last compacted journal when that is larger. */
  private threshold: number;
  /** The journal's path. */
  public readonly file: string;

  private constructor(
    private fd: number,
    private readonly dir: string,
    private position: number,
    private readonly compactAt: number,
    private readonly lock: DataDirLock,
    private readonly log: (line: string) => void,
  ) {
    this.file = path.join(dir, JOURNAL_FILE);
    this.threshold = compactAt;
  }

  /**
   * Turns compaction on: once the journal would pass its compaction size,
   * `compact` is given every record (those on disk and those being written)
   * and returns the records that rebuild the same state, which replace the
   * journal. It runs synchronously with no record pending, so the state it
   * reads is exactly the one the records describe.
   */
  compactWith(compact: Compactor): void {
    this.compactor = compact;
  }

  /**
   * Writes the journal anew as `records`, after copying it to a backup file
   * beside it (whose path is returned). For `--repair`, before anything is appended.
   */
  repair(records: Iterable<RawRecord>): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const backup = `${this.file}.damaged-${stamp}.bak`;
    copyDurably(this.file, backup);
    const { fd, size } = rewriteSync(this.file, records);
    fs.closeSync(this.fd);
    this.fd = fd;
    this.position = size;
    this.threshold = Math.max(this.compactAt, 2 * size);
    return backup;
  }

  /**
   * Why the journal can no longer be written (a write or fsync that failed: a
   * full disk, an I/O error), or undefined while it can. Once set it stays: what
   * was being written may be on disk in part, and the state in memory holds
   * changes that are not, so nothing more is appended or answered.
   */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Appends a record; resolves once it is on disk. */
  append(record: RawRecord): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    // Its file descriptor may belong to another file by now.
    if (this.closed) return Promise.reject(new Error(`the journal ${this.file} is closed`));
    let bytes: Buffer;
    try {
      bytes = frame(record);
    } catch (e) {
      return Promise.reject(e);
    }
    this.pending.push({ record, bytes });
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once every record appended so far is on disk; rejects once the journal has {@link failed}. */
  settled(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending.length === 0 && !this.flushing) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.waiters.length > 0) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    try {
      if (batch.length > 0) {
        let bytes = 0;
        for (const entry of batch) bytes += entry.bytes.length;
        if (this.compactor && this.position + bytes > this.threshold) {
          await this.compact(batch.map((entry) => entry.record));
        } else {
          await writeBuffers(this.fd, batch.map((entry) => entry.bytes), this.position);
          this.position += bytes;
          await new Promise<void>((resolve, reject) => fs.fdatasync(this.fd, (e) => (e ? reject(e) : resolve())));
        }
      }
      for (const w of waiters) w.resolve();
    } catch (e) {
      this.failure = e as Error;
      this.log(`journal ${this.file}: a write failed (${this.failure.message}); the server answers no request from now on, `
        + 'as its state holds changes the journal may not: make room or fix the file system, then restart it (what was answered before is on disk)');
      for (const w of waiters) w.reject(this.failure);
      for (const w of this.waiters.splice(0)) w.reject(this.failure);
    }
  }

  /** Replaces the journal by what the compactor keeps of the records on disk and `batch`. */
  private async compact(batch: RawRecord[]): Promise<void> {
    const fdNow = this.fd;
    const records = (): Iterable<RawRecord> => chain(recordsOf(this.file, fdNow), batch);
    const { fd, size, temp } = writeTemporary(this.dir, this.compactor!(records));
    try {
      await new Promise<void>((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve())));
      const pause = Number(process.env[PAUSE_ENV] ?? 0);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      install(temp, this.file);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(temp, { force: true });
      throw e;
    }
    fs.closeSync(this.fd);
    this.fd = fd;
    this.position = size;
    this.threshold = Math.max(this.compactAt, 2 * size);
  }

  /** Waits for pending records, then closes the file and releases the data directory. */
  async close(): Promise<void> {
    await this.settled().catch(() => undefined);
    if (this.flushing) await this.flushing;
    this.closed = true;
    fs.closeSync(this.fd);
    this.lock.release();
  }
}

/** The file system refused what the data directory needs: node's error, with the directory named. */
export class DataDirError extends Error {
  public readonly code: string | undefined;
  constructor(public readonly dir: string, cause: NodeJS.ErrnoException) {
    super(`cannot use the data directory ${dir}: ${cause.message}`, { cause });
    this.name = 'DataDirError';
    this.code = cause.code;
  }
}

function* chain(first: Iterable<RawRecord>, second: Iterable<RawRecord>): Generator<RawRecord> {
  yield* first;
  yield* second;
}

/** Copies `from` to `to` and makes the copy durable. */
/** Copies `from` to a file made anew at `to`: a link put at `to` is replaced, never written through. */
function copyDurably(from: string, to: string): void {
  fs.rmSync(to, { force: true });
  fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
  const fd = fs.openSync(to, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  syncDir(path.dirname(to));
}

/** Writes `buffers` one after the other from `position`: small ones gathered into one write. */
async function writeBuffers(fd: number, buffers: Buffer[], position: number): Promise<void> {
  let i = 0;
  while (i < buffers.length) {
    let j = i;
    let bytes = 0;
    while (j < buffers.length && (j === i || bytes + buffers[j].length <= WRITE_CHUNK)) bytes += buffers[j++].length;
    const chunk = j - i === 1 ? buffers[i] : Buffer.concat(buffers.slice(i, j), bytes);
    await write(fd, chunk, position);
    position += bytes;
    i = j;
  }
}

function write(fd: number, buffer: Buffer, position: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = 0;
    const more = (): void => {
      fs.write(fd, buffer, done, buffer.length - done, position + done, (e, n) => {
        if (e) { reject(e); return; }
        done += n;
        if (done < buffer.length) more();
        else resolve();
      });
    };
    more();
  });
}
