/*
 * One server per data directory. Two servers appending to one journal would
 * each rebuild only their own state on restart and compact away the other's
 * records, so the second is refused before it reads anything.
 *
 * Node 20 has no flock, so the lock is a file that only one process can create
 * (a hard link to a file written first, which fails if the name exists, as an
 * O_EXCL create does), holding the owner's pid and the time its process started. A server that stops removes it; one killed (kill -9,
 * a crash, a power cut) leaves it behind, and the next server takes it over
 * when its owner is gone: no process has that pid, or the process that has it
 * started at another time (the pid was reused), or the pid is this very process
 * (a container whose server is pid 1 on every start). It says so in a log line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataDirLockedError, LOCK_FILE } from './errors';

export { DataDirLockedError, LOCK_FILE } from './errors';


/** What the lock file holds. */
interface Owner {
  readonly pid: number;
  /** When the process started, as the kernel counts it (Linux: /proc/<pid>/stat), to tell a reused pid. */
  readonly processStart?: string;
  readonly host?: string;
  readonly since?: string;
}

/** Data directories this process holds, by real path: a second server in the same process is refused too. */
const held = new Set<string>();

/** The lock of one data directory, held until `release()`. @internal */
export class DataDirLock {
  /**
   * Takes the lock of `dir` (which must exist), taking over one left by a
   * process that is gone, with a line to `log`.
   * @throws DataDirLockedError when a live process holds it
   */
  static acquire(dir: string, log: (line: string) => void): DataDirLock {
    const real = fs.realpathSync(dir);
    const file = path.join(dir, LOCK_FILE);
    if (held.has(real)) throw new DataDirLockedError(dir, process.pid, ', this process');
    const owner: Owner = { pid: process.pid, processStart: processStart(process.pid), host: os.hostname(), since: new Date().toISOString() };
    const text = `${JSON.stringify(owner)}\n`;
    // A few rounds: a takeover can race with another server doing the same.
    for (let round = 0; round < 3; round++) {
      if (createWhole(file, text)) {
        held.add(real);
        return new DataDirLock(real, file, text);
      }
      const found = readOwner(file);
      if (found === undefined) continue;
      const { owner: other, text: otherText } = found;
      const gone = other === undefined ? 'it does not name its owner' : goneReason(other);
      if (gone === undefined) {
        const detail = `${other!.host && other!.host !== os.hostname() ? ` on ${other!.host}` : ''}${other!.since ? `, since ${other!.since}` : ''}`;
        throw new DataDirLockedError(dir, other!.pid, detail);
      }
      // Move the stale lock aside (atomic: only one server moves it) and check it is the one judged stale.
      const aside = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      const moved = readSmall(aside);
      if (moved !== otherText) {
        // Another server took it over in between: put its lock back and look again.
        try { fs.linkSync(aside, file); } catch { /* a third server holds it now; the next round says so */ }
        fs.rmSync(aside, { force: true });
        continue;
      }
      fs.rmSync(aside, { force: true });
      log(`data directory ${dir}: took over the lock of ${other ? `pid ${other.pid}` : 'an unknown process'} (${gone}); it did not stop cleanly`);
    }
    throw new Error(`could not take the lock ${file}: other servers kept taking it; start one server at a time`);
  }

  private released = false;

  private constructor(private readonly real: string, private readonly file: string, private readonly text: string) {}

  /** Removes the lock file, if it is still this server's. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.real);
    try {
      if (readSmall(this.file) === this.text) fs.rmSync(this.file, { force: true });
    } catch {
      // Already gone: nothing to release.
    }
  }
}

/**
 * Creates `file` holding `text` unless it exists; false when it does. The text is
 * written to a file of this process's own and linked to the lock's name, which
 * is atomic and fails if the name exists: no server ever reads a lock file half
 * written. (Where the file system has no hard links, an exclusive create does.)
 */
function createWhole(file: string, text: string): boolean {
  const own = `${file}.${process.pid}.tmp`;
  try {
    // Inside the try: a write that fails (a full disk) must not leave the file behind. Made anew
    // (an exclusive create fails on a link): a link left at this name is never written through.
    fs.rmSync(own, { force: true });
    fs.writeFileSync(own, text, { flag: 'wx' });
    const fd = fs.openSync(own, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
    fs.linkSync(own, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    try {
      fs.writeFileSync(file, text, { flag: 'wx' });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    fs.rmSync(own, { force: true });
  }
}

/** The lock file's owner and text; `owner` undefined when the text names none; undefined when there is no file. */
function readOwner(file: string): { owner: Owner | undefined; text: string } | undefined {
  let text: string;
  try {
    text = readSmall(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<Owner>;
    if (typeof v?.pid === 'number' && Number.isSafeInteger(v.pid) && v.pid > 0) {
      return { owner: { pid: v.pid, processStart: str(v.processStart), host: str(v.host), since: str(v.since) }, text };
    }
  } catch {
    // A lock file cut short by a crash while it was written: no owner.
  }
  return { owner: undefined, text };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The longest lock file read: a real one is about 150 bytes. */
const LOCK_READ_BYTES = 4096;

/**
 * The start of the lock file as text. A lock file is small; whatever else is
 * found under its name (a file of gigabytes, a FIFO that would block the read,
 * a device) is read no further than that, and then names no owner.
 */
function readSmall(file: string): string {
  // eslint-disable-next-line no-bitwise -- open(2) flags are combined as bits
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    if (!fs.fstatSync(fd).isFile()) return '';
    const buffer = Buffer.alloc(LOCK_READ_BYTES);
    const n = fs.readSync(fd, buffer, 0, LOCK_READ_BYTES, 0);
    return buffer.toString('utf8', 0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Why the owner of a lock is gone, or undefined when it still runs. */
function goneReason(owner: Owner): string | undefined {
  if (owner.pid === process.pid) return 'that pid is this process, so the lock is from an earlier one';
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    // EPERM: a process with that pid exists but belongs to another user.
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return 'no process has that pid';
  }
  const start = owner.processStart === undefined ? undefined : processStart(owner.pid);
  if (start !== undefined && start !== owner.processStart) return 'that pid now belongs to a process started later';
  return undefined;
}

/** When process `pid` started, in clock ticks since boot (Linux), or undefined where /proc does not tell. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces; starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}
