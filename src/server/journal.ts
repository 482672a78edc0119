/*
 * The durable store behind `--data-dir`: an append-only journal of JSON lines,
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
 * need. Crash safety comes from three rules: records are only appended; a
 * request is answered after the fsync that covers its record (group commit:
 * the records of one tick share one write and one fsync, so 1,000 concurrent
 * requests cost a handful of fsyncs, not 1,000); and on reading, a torn last
 * line (a crash mid-write) is dropped, since no answered request can be in it.
 *
 * Compaction keeps a long-running server's journal from growing without bound:
 * once it passes a size, the journal is rewritten as the records that rebuild
 * the live state (the service decides which: see `compactJournal`), written to
 * a temporary file and fsynced, then renamed over the journal and the directory
 * fsynced. A rename is atomic, so a crash at any moment leaves either the old
 * journal or the new one, each complete; a temporary file left by a crash is
 * removed when the journal is next opened.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const JOURNAL_FILE = 'journal.jsonl';
const TEMP_FILE = 'journal.jsonl.compacting';
/** The default compaction size: 64 MiB. */
const DEFAULT_COMPACT_AT = 64 * 1024 * 1024;
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
}

/** One journaled fact; `t` names its kind. @internal */
export interface JournalRecord {
  readonly t: string;
  readonly [field: string]: unknown;
}

/** @internal */
export class Journal {
  /**
   * Opens (creating) the journal in `dir` and returns it with the records it
   * already holds. A torn last line is cut off so that new records follow a whole one.
   */
  static open(dir: string, options: JournalOptions = {}): { journal: Journal; records: JournalRecord[] } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, JOURNAL_FILE);
    // A compaction that crashed before its rename: the journal itself is whole, the copy is not needed.
    fs.rmSync(path.join(dir, TEMP_FILE), { force: true });
    let bytes = Buffer.alloc(0);
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const { records, good } = parseRecords(bytes);
    const fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    fs.ftruncateSync(fd, good);
    fs.fsyncSync(fd);
    syncDir(dir);
    const compactAt = options.compactAt ?? DEFAULT_COMPACT_AT;
    if (!(compactAt > 0)) throw new Error(`the journal compaction size must be a positive number of bytes, got ${String(options.compactAt)}`);
    return { journal: new Journal(fd, dir, good, compactAt), records };
  }

  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  private failure: Error | undefined;
  private compactor: ((records: JournalRecord[]) => JournalRecord[]) | undefined;
  /** The size past which the next flush compacts: the configured size, or twice the last compacted journal when that is larger. */
  private threshold: number;
  /** The journal's path. */
  public readonly file: string;

  private constructor(private fd: number, private readonly dir: string, private position: number, private readonly compactAt: number) {
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
  compactWith(compact: (records: JournalRecord[]) => JournalRecord[]): void {
    this.compactor = compact;
  }

  /** Appends a record; resolves once it is on disk. */
  append(record: JournalRecord): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.pending.push(`${JSON.stringify(record)}\n`);
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once every record appended so far is on disk. */
  settled(): Promise<void> {
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
    const lines = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    try {
      if (lines.length > 0) {
        const buffer = Buffer.from(lines.join(''));
        const compacted = this.compactor && this.position + buffer.length > this.threshold ? this.compacted(buffer) : undefined;
        if (compacted) {
          await this.replace(compacted);
        } else {
          await write(this.fd, buffer, this.position);
          this.position += buffer.length;
          await new Promise<void>((resolve, reject) => fs.fdatasync(this.fd, (e) => (e ? reject(e) : resolve())));
        }
      }
      for (const w of waiters) w.resolve();
    } catch (e) {
      this.failure = e as Error;
      for (const w of waiters) w.reject(this.failure);
    }
  }

  /** The compacted journal's bytes: the records on disk and in `buffer`, as the compactor keeps them. */
  private compacted(buffer: Buffer): Buffer {
    const onDisk = Buffer.alloc(this.position);
    fs.readSync(this.fd, onDisk, 0, this.position, 0);
    const all = parseRecords(onDisk).records.concat(parseRecords(buffer).records);
    return Buffer.from(this.compactor!(all).map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  /** Writes `bytes` as the new journal: temporary file, fsync, rename over the journal, fsync of the directory. */
  private async replace(bytes: Buffer): Promise<void> {
    const temp = path.join(this.dir, TEMP_FILE);
    const fd = await new Promise<number>((resolve, reject) => fs.open(temp, 'w+', (e, n) => (e ? reject(e) : resolve(n))));
    try {
      await write(fd, bytes, 0);
      await new Promise<void>((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve())));
      const pause = Number(process.env[PAUSE_ENV] ?? 0);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      await fs.promises.rename(temp, this.file);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(temp, { force: true });
      throw e;
    }
    syncDir(this.dir);
    fs.closeSync(this.fd);
    this.fd = fd;
    this.position = bytes.length;
    this.threshold = Math.max(this.compactAt, 2 * bytes.length);
  }

  /** Waits for pending records, then closes the file. */
  async close(): Promise<void> {
    await this.settled().catch(() => undefined);
    if (this.flushing) await this.flushing;
    fs.closeSync(this.fd);
  }
}

/** The whole records at the start of `bytes`, and where they end: parsing stops at a torn or unreadable line. */
function parseRecords(bytes: Buffer): { records: JournalRecord[]; good: number } {
  const records: JournalRecord[] = [];
  let good = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, good);
    if (end < 0) break;
    try {
      records.push(JSON.parse(bytes.toString('utf8', good, end)) as JournalRecord);
    } catch {
      break;
    }
    good = end + 1;
  }
  return { records, good };
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

/** Makes a newly created file's directory entry durable too. */
function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch {
    // Some platforms cannot fsync a directory; the file's own fsync still holds its data.
  }
}
