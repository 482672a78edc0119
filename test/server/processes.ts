import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { client } from '../../src/server';

/** Runs `stepwright serve` from the TypeScript sources (see fixtures/serve-child.js). */
const CHILD = path.join(__dirname, 'fixtures', 'serve-child.js');

/**
 * How long a spawned server may take to start or to refuse before it is killed: a guard against a
 * hang outliving its test, so it is above every test's own timeout in these files (the longest is
 * 300 s). Below them, a loaded machine read as a refusal: at load 20 the 512 MiB journal line test
 * saw its server killed after 30 s while still reading (exit code null), where the test allows 120.
 */
const HANG_GUARD_MS = 600_000;

/** A `stepwright serve` process. */
export interface Child {
  readonly process: ChildProcess;
  /** The URL the server printed (`http://127.0.0.1:<port>`). */
  readonly endpoint: string;
  readonly sfn: SFNClient;
  readonly stderr: string[];
}

export interface SpawnOptions {
  /** More flags for `serve`. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Flags for node itself, such as --max-old-space-size. */
  readonly node?: readonly string[];
  /**
   * The largest file the server may write, in the shell's `ulimit -f` blocks (512 or 1,024
   * bytes): past it a write fails with EFBIG, as on a full disk, and SIGXFSZ is ignored so
   * that the process lives on to answer.
   */
  readonly fileSizeBlocks?: number;
}

/** Starts `stepwright serve --data-dir <dataDir>` in a child process and resolves once it prints its endpoint (bounded). */
export function spawnServer(dataDir: string | undefined, options: SpawnOptions = {}): Promise<Child> {
  const proc = start(dataDir, options);
  const stderr: string[] = [];
  proc.stderr!.on('data', (d: Buffer) => stderr.push(String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`server did not start in ${HANG_GUARD_MS / 1000} s: ${stderr.join('')}`)); }, HANG_GUARD_MS);
    proc.stdout!.once('data', (d: Buffer) => {
      clearTimeout(timer);
      const endpoint = String(d).trim();
      resolve({ process: proc, endpoint, sfn: client(endpoint), stderr });
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${stderr.join('')}`)); });
  });
}

/** Runs `stepwright serve` expecting it to refuse to start: resolves with its exit code and what it wrote to standard error (bounded). */
export function refusedServer(dataDir: string, options: SpawnOptions = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const proc = start(dataDir, options);
  let stderr = '';
  let stdout = '';
  proc.stderr!.on('data', (d: Buffer) => { stderr += String(d); });
  proc.stdout!.on('data', (d: Buffer) => { stdout += String(d); });
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), HANG_GUARD_MS);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

function start(dataDir: string | undefined, options: SpawnOptions): ChildProcess {
  const data = dataDir === undefined ? [] : ['--data-dir', dataDir];
  const args = [...(options.node ?? []), CHILD, 'serve', '--port', '0', ...data, ...(options.args ?? [])];
  const io = { stdio: ['ignore', 'pipe', 'pipe'] as Array<'ignore' | 'pipe'>, env: { ...process.env, ...options.env } };
  if (options.fileSizeBlocks === undefined) return spawn(process.execPath, args, io);
  // exec keeps the pid, so kill9 kills the server itself.
  return spawn('/bin/sh', ['-c', `trap '' XFSZ; ulimit -f ${options.fileSizeBlocks}; exec "$0" "$@"`, process.execPath, ...args], io);
}

/** Kills the server with SIGKILL (kill -9) and resolves once it is gone. */
export function kill9(child: Child): Promise<void> {
  child.sfn.destroy();
  return new Promise((resolve) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) { resolve(); return; }
    child.process.removeAllListeners('exit');
    child.process.once('exit', () => resolve());
    child.process.kill('SIGKILL');
  });
}
