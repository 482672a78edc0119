/*
 * A `stepwright mcp` session on standard input and output: the front (front.ts) answers the
 * client's first messages, and the SDK's server (server.ts) is loaded for the rest.
 */
import { SessionFront } from './front';
import { WorkerPool } from './pool';
import { BoundedStdioTransport } from './stdio-transport';
import { confinementOf } from '../workbench/common';

/** Options of {@link serveMcp}. @internal */
export interface McpServerOptions {
  /** The folder the tools may read; the server's working directory, so relative paths are relative to it. */
  readonly root: string;
  /** stepwright's version, as the server names itself. */
  readonly version: string;
  /** Real milliseconds one call may run. */
  readonly timeoutMs: number;
  /** Heap one call may use, in MiB. */
  readonly memoryMb: number;
  /** Calls running at once. */
  readonly workers: number;
  /** Where diagnostics go (standard error): standard output is the MCP channel. */
  readonly log: (text: string) => void;
  /** The parity tool may call AWS's TestState with the server's credentials (`--allow-aws`). @default false */
  readonly allowAws?: boolean;
}

const INSTRUCTIONS = 'stepwright checks and runs AWS Step Functions state machines offline, as AWS would: no account, credentials or cost. '
  + 'Give a definition inline (ASL JSON or YAML) or a file (an ASL file, a CloudFormation template, or a cdk.out folder after `cdk synth`). '
  + 'A typical loop: validate, fix the findings, run with mocks for the Tasks, render the run as Mermaid. '
  + 'list_state_machines names the machines of a template or cdk.out; test_state tests one state as AWS TestState does.';

/**
 * Serves the tools over MCP on standard input and output until the client
 * closes the stream. Resolves once the server is connected.
 * @internal
 */
export async function serveMcp(options: McpServerOptions): Promise<{ readonly closed: Promise<void> }> {
  const root = confinementOf(options.root);
  const { workers, timeoutMs, memoryMb, log } = options;
  const pool = new WorkerPool({ root: root.root, workers, timeoutMs, memoryMb, log, allowAws: options.allowAws === true });
  const transport = new BoundedStdioTransport();
  const description = { name: 'stepwright', version: options.version, instructions: INSTRUCTIONS };
  let server: { close(): Promise<void> } | undefined;
  let done: () => void;
  const closed = new Promise<void>((resolve) => { done = resolve; });
  const ended = (): void => { void pool.close().then(() => done()); };
  // Until the SDK's server is connected, the front's: the server then takes the transport's events.
  transport.onerror = (e) => log(`stepwright mcp: ${e.message}\n`);
  transport.onclose = ended;
  const front = new SessionFront(transport, description, () => {
    transport.onerror = undefined;
    transport.onclose = undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK, loaded on first use
    const sdk = (require('./server') as typeof import('./server')).connectServer(transport, { description, root, pool, timeoutMs, log });
    sdk.onclose = ended;
    server = sdk;
  }, () => {
    // Load a worker, and the SDK, now: the first call finds them ready. After this answer, not before it.
    setImmediate(() => {
      pool.warm();
      front.handOver();
    });
  });
  // The client closing standard input ends the session, once the calls it sent are answered.
  process.stdin.once('end', () => { void pool.idle().then(() => (server ?? transport).close()); });
  await transport.start();
  return { closed };
}
