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
  const waiters = new Set<() => void>();
  let stderr = '';
  let exited: number | null | undefined;
  let buffer = '';
  child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
  child.stdout.on('data', (d: Buffer) => {
    buffer += String(d);
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      messages.push(JSON.parse(buffer.slice(0, nl)) as Message);
      buffer = buffer.slice(nl + 1);
    }
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
