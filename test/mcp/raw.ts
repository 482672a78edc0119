import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';

const CHILD = path.join(__dirname, 'fixtures', 'mcp-child.js');
const REGISTER = path.join(__dirname, '..', 'server', 'fixtures', 'register-ts.js');

/** A JSON-RPC message the server wrote. */
export type Message = Record<string, unknown> & { id?: unknown; error?: { code: number; message: string }; result?: Record<string, unknown> };

/**
 * `stepwright mcp` spoken to as raw JSON-RPC lines, below what the SDK's
 * client would send: what no well-behaved client sends.
 */
export interface RawSession {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every message the server wrote, in order. */
  readonly messages: readonly Message[];
  /** The size in bytes of each of those lines, its newline not counted. */
  readonly lineBytes: readonly number[];
  /** What the server wrote to standard error. */
  stderr(): string;
  /** Writes one line (a newline is added), waiting while the pipe is full. */
  send(line: string | Buffer): Promise<void>;
  /** The answer to the request with this id; rejects if the server exits first. */
  answer(id: string | number): Promise<Message>;
  /** Resolves once the server has written `count` messages without an id (error answers to lines whose id could not be read). */
  unnumbered(count: number): Promise<Message[]>;
  /** The MCP handshake. */
  initialize(): Promise<void>;
  /** Closes standard input and resolves with the exit code. */
  end(): Promise<number | null>;
}

/** Servers still running: a test that fails before it ends its server leaves it to {@link stopRaw}. */
const running = new Set<ChildProcessWithoutNullStreams>();

/** Kills the servers tests left running (an afterEach); each is a child this module spawned. */
export async function stopRaw(): Promise<void> {
  await Promise.all([...running].map((child) => new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  })));
}

/** Spawns `stepwright mcp --root <root> ...flags` from the TypeScript sources, with pipes on all three streams. */
export function startRaw(root: string, flags: readonly string[] = []): RawSession {
  const child = spawn(process.execPath, ['-r', REGISTER, CHILD, 'mcp', '--root', root, ...flags], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const messages: Message[] = [];
  const lineBytes: number[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let exited: number | null | undefined;
  const pending: string[] = [];
  child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
  // Decoded as a stream, so that a character split between two chunks is read whole.
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    // Only the new text is searched for the newline: an answer of megabytes comes in many chunks.
    let start = 0;
    let nl: number;
    while ((nl = d.indexOf('\n', start)) >= 0) {
      const line = pending.join('') + d.slice(start, nl);
      pending.length = 0;
      messages.push(JSON.parse(line) as Message);
      lineBytes.push(Buffer.byteLength(line));
      start = nl + 1;
    }
    if (start < d.length) pending.push(d.slice(start));
    for (const w of [...waiters]) w();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child);
    exited = code;
    for (const w of [...waiters]) w();
    resolve(code);
  }));
  // A server that exits leaves writes unread: they fail with EPIPE, which the waits below report instead.
  child.stdin.on('error', () => undefined);

  /** Resolves with what `found` finds once it finds something; rejects if the server exits first. */
  const waitFor = <T>(what: string, found: () => T | undefined): Promise<T> => new Promise((resolve, reject) => {
    const check = (): void => {
      const value = found();
      if (value !== undefined) {
        waiters.delete(check);
        resolve(value);
      } else if (exited !== undefined) {
        waiters.delete(check);
        reject(new Error(`the server exited (code ${exited}) before ${what}; its standard error:\n${stderr}`));
      }
    };
    waiters.add(check);
    check();
  });

  const session: RawSession = {
    child,
    messages,
    lineBytes,
    stderr: () => stderr,
    send: (line) => new Promise<void>((resolve) => {
      const ok = child.stdin.write(line);
      const newline = child.stdin.write('\n');
      if (ok && newline) resolve();
      else child.stdin.once('drain', () => resolve());
      // A server that stopped reading never drains: its exit ends the wait.
      void exit.then(() => resolve());
    }),
    answer: (id) => waitFor(`it answered request ${JSON.stringify(id)}`, () => messages.find((m) => m.id === id)),
    unnumbered: (count) => waitFor(`it wrote ${count} answers without an id`, () => {
      const found = messages.filter((m) => !('id' in m) && !('method' in m));
      return found.length >= count ? found : undefined;
    }),
    initialize: async () => {
      await session.send(JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } }));
      await session.answer('init');
      await session.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    },
    end: () => {
      child.stdin.end();
      return exit;
    },
  };
  return session;
}

/** A tools/call request line. */
export function callLine(id: string | number, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) } });
}
