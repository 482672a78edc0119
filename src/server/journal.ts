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
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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
  static open(dir: string): { journal: Journal; records: JournalRecord[] } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'journal.jsonl');
    const records: JournalRecord[] = [];
    let bytes = Buffer.alloc(0);
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
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
    const fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    fs.ftruncateSync(fd, good);
    fs.fsyncSync(fd);
    syncDir(dir);
    return { journal: new Journal(fd, file, good), records };
  }

  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  private failure: Error | undefined;

  private constructor(private readonly fd: number, public readonly file: string, private position: number) {}

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
        await write(this.fd, buffer, this.position);
        this.position += buffer.length;
        await new Promise<void>((resolve, reject) => fs.fdatasync(this.fd, (e) => (e ? reject(e) : resolve())));
      }
      for (const w of waiters) w.resolve();
    } catch (e) {
      this.failure = e as Error;
      for (const w of waiters) w.reject(this.failure);
    }
  }

  /** Waits for pending records, then closes the file. */
  async close(): Promise<void> {
    await this.settled().catch(() => undefined);
    if (this.flushing) await this.flushing;
    fs.closeSync(this.fd);
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

/** Makes a newly created file's directory entry durable too. */
function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch {
    // Some platforms cannot fsync a directory; the file's own fsync still holds its data.
  }
}
