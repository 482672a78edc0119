import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

const CHILD = path.join(__dirname, 'fixtures', 'mcp-child.js');
const REGISTER = path.join(__dirname, '..', 'server', 'fixtures', 'register-ts.js');
/** Preloaded with `exploreClock`: explore's budget reads a fake clock (see the file). */
const EXPLORE_CLOCK = path.join(__dirname, 'fixtures', 'explore-clock.js');

/** Options of {@link startMcp}. */
export interface StartOptions {
  /**
   * Explore's budget reads a fake clock that moves this many milliseconds each time it is read
   * (0 stands still), in the server and its workers; unset, it reads the wall clock.
   */
  readonly exploreTickMs?: number;
  /** The server's environment. @default - this process's */
  readonly env?: Readonly<Record<string, string>>;
}

/** Options of {@link McpSession.call}. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Asks for progress, and is told of each notification (the server sends one when a worker starts the call). */
  readonly onprogress?: (progress: { progress: number; message?: string }) => void;
}

/** A `stepwright mcp` process and the SDK's own client connected to it over stdio. */
export interface McpSession {
  readonly client: Client;
  /** The server's process id. */
  readonly pid: number | null;
  /** What the server wrote to standard error. */
  readonly stderr: () => string;
  /**
   * Every message the server sent, in the order it came, as it came off the wire. The SDK's client
   * hands a notification to its handler a microtask later than it settles a response, so a progress
   * notification that reaches it in the same read as its call's answer is dropped; what the server
   * sent is read here instead.
   */
  readonly received: () => readonly JSONRPCMessage[];
  /** Calls a tool; resolves with the result (an isError result too). */
  call(name: string, args?: Record<string, unknown>, options?: CallOptions): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * Spawns `stepwright mcp --root <root> ...flags` as an MCP client does (the
 * SDK's StdioClientTransport), from the TypeScript sources, and connects.
 */
export async function startMcp(root: string, flags: readonly string[] = [], start: StartOptions = {}): Promise<McpSession> {
  const clock = start.exploreTickMs !== undefined;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['-r', REGISTER, ...(clock ? ['-r', EXPLORE_CLOCK] : []), CHILD, 'mcp', '--root', root, ...flags],
    env: {
      ...(start.env ?? process.env),
      ...(clock ? { STEPWRIGHT_TEST_EXPLORE_TICK_MS: String(start.exploreTickMs) } : {}),
    } as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => { stderr += String(d); });
  const client = new Client({ name: 'stepwright-test', version: '1.0.0' });
  await client.connect(transport);
  const received: JSONRPCMessage[] = [];
  const deliver = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => { received.push(message); deliver?.(message); };
  return {
    client,
    pid: transport.pid,
    stderr: () => stderr,
    received: () => received,
    call: async (name, args = {}, options = {}) => await client.callTool({ name, arguments: args }, undefined, {
      // The server bounds each call itself; the client's own 60 s default must not cut a slow machine short.
      timeout: 600_000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onprogress ? { onprogress: options.onprogress } : {}),
    }) as CallToolResult,
    close: () => client.close(),
  };
}

/** The text of a tool result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}
