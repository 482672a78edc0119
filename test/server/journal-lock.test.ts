import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataDirLock, DataDirLockedError, LOCK_FILE, processStart } from '../../src/server/journal/lock';

/** A process that lives until killed, for a lock owner that is alive. */
function sleeper(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("up\\n"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', () => resolve(child));
  });
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('serve: one server per data directory (the lock)', () => {
  let dir: string;
  let logs: string[];
  const children: ChildProcess[] = [];
  const lockFile = (): string => path.join(dir, LOCK_FILE);
  const writeLock = (owner: object): void => fs.writeFileSync(lockFile(), `${JSON.stringify(owner)}\n`);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-lock-'));
    logs = [];
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) {
        const exited = new Promise((resolve) => c.once('exit', resolve));
        c.kill('SIGKILL');
        await exited;
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the directory while the process that holds it runs, naming the directory and its pid', async () => {
    const owner = await sleeper();
    children.push(owner);
    writeLock({ pid: owner.pid, processStart: processStart(owner.pid!), host: os.hostname(), since: '2026-01-02T03:04:05.000Z' });
    let error: unknown;
    try {
      DataDirLock.acquire(dir, (l) => logs.push(l));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toBe(`the data directory ${dir} is in use by another stepwright serve (pid ${owner.pid}, since 2026-01-02T03:04:05.000Z); `
      + `stop that server first, or give this one another --data-dir. If no such server runs, remove ${lockFile()}`);
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).pid).toBe(owner.pid);
  });

  it('takes over a lock whose process is gone (kill -9 left it), saying so', async () => {
    const pid = await deadPid();
    writeLock({ pid });
    const lock = DataDirLock.acquire(dir, (l) => logs.push(l));
    expect(logs).toEqual([`data directory ${dir}: took over the lock of pid ${pid} (no process has that pid); it did not stop cleanly`]);
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  // Where /proc does not give a process's start time, a reused pid cannot be told from its owner.
  const withProc = processStart(process.pid) === undefined ? it.skip : it;
  withProc('takes over a lock whose pid now belongs to a process started later (a reused pid)', async () => {
    const other = await sleeper();
    children.push(other);
    writeLock({ pid: other.pid, processStart: '1' });
    const lock = DataDirLock.acquire(dir, (l) => logs.push(l));
    expect(logs).toEqual([expect.stringContaining(`took over the lock of pid ${other.pid} (that pid now belongs to a process started later)`)]);
    lock.release();
  });

  it('takes over a lock naming its own pid: an earlier process with the same pid (a container\'s pid 1) left it', () => {
    writeLock({ pid: process.pid, processStart: 'earlier' });
    const lock = DataDirLock.acquire(dir, (l) => logs.push(l));
    expect(logs).toEqual([expect.stringContaining(`took over the lock of pid ${process.pid} (that pid is this process, so the lock is from an earlier one)`)]);
    lock.release();
  });

  it('takes over a lock file that names no owner', () => {
    fs.writeFileSync(lockFile(), '{"pi');
    const lock = DataDirLock.acquire(dir, (l) => logs.push(l));
    expect(logs).toEqual([expect.stringContaining('took over the lock of an unknown process (it does not name its owner)')]);
    lock.release();
  });

  it('leaves a lock alone that another server holds when this one releases', () => {
    const lock = DataDirLock.acquire(dir, () => undefined);
    writeLock({ pid: 1, note: 'another server took it over' });
    lock.release();
    expect(fs.readFileSync(lockFile(), 'utf8')).toContain('another server took it over');
  });
});
