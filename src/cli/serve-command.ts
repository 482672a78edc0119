import { parseArgs } from './args';
import { CliError, UsageError } from './errors';
import type { Streams } from './streams';
import { startServer, type ServerOptions } from '../server';
import { MockConfigError } from '../testing/mock-config';

/** @internal */
export const SERVE_USAGE = `Usage: stepwright serve [options]

Serves the AWS Step Functions API on a local endpoint for the AWS SDKs and the
AWS CLI (aws stepfunctions --endpoint-url <url> ...), running executions on
stepwright's interpreter. Prints the endpoint URL; stops on SIGINT or SIGTERM.

Options:
  --port <n>              Port. Default: 8083 (Step Functions Local's); 0 picks a free one
  --host <address>        Address to listen on. Default: 127.0.0.1
  --region <region>       Region in ARNs. Default: us-east-1
  --account <id>          Account id in ARNs. Default: 123456789012
  --mock-config <file>    A Step Functions Local MockConfigFile; start an execution on
                          <stateMachineArn>#<TestCase> to use a test case.
  --handlers <module>     A JavaScript module whose exports, keyed by state name or
                          resource ARN, answer Task states: (input, request) => result.
  --data-dir <dir>        Keep state machines, activities and executions here; they
                          survive a restart or crash, and waiting executions resume.
  --compact-journal-at <bytes>
                          Compact the --data-dir journal past this size. Default: 67108864 (64 MiB)
  --time-scale <n>        Run Wait, retries, timeouts and heartbeats n times faster. Default: 1
  --verbose               Log one line per request to standard error.
  --help                  Print this help.
`;

const SPEC = {
  command: 'serve',
  values: ['port', 'host', 'region', 'account', 'mock-config', 'handlers', 'data-dir', 'compact-journal-at', 'time-scale'],
  flags: ['verbose', 'help'],
};

/** Resolves when the process is asked to stop. @internal */
export type StopSignal = Promise<unknown>;

/** `stepwright serve`: parses the flags, starts the server, serves until SIGINT/SIGTERM. @internal */
export async function serveCommand(args: readonly string[], io: Streams, stop: StopSignal = signalled()): Promise<number> {
  const parsed = parseArgs(args, SPEC);
  if (parsed.flags.has('help')) {
    io.out.write(SERVE_USAGE);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`'serve' takes no positional arguments, got ${parsed.positionals.join(' ')}`);
  const v = parsed.values;
  const options: ServerOptions = {
    port: v.port === undefined ? undefined : integer('--port', v.port, 0, 65535),
    host: v.host,
    region: v.region,
    account: v.account,
    mockConfig: v['mock-config'],
    handlers: v.handlers,
    dataDir: v['data-dir'],
    compactJournalAt: v['compact-journal-at'] === undefined ? undefined : integer('--compact-journal-at', v['compact-journal-at'], 1, Number.MAX_SAFE_INTEGER),
    timeScale: v['time-scale'] === undefined ? undefined : positive('--time-scale', v['time-scale']),
    verbose: parsed.flags.has('verbose'),
    log: (line) => io.err.write(`${line}\n`),
  };
  let server;
  try {
    server = await startServer(options);
  } catch (e) {
    if (e instanceof MockConfigError) throw new CliError(`--mock-config ${e.message}`, 2);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${options.port ?? 8083} is in use; pick another with --port <n> (0 for any free port)`, 2);
    throw new CliError((e as Error).message, 2);
  }
  io.out.write(`${server.endpoint}\n`);
  await stop;
  await server.close();
  return 0;
}

function signalled(): StopSignal {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got '${text}'`);
  return n;
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag} must be a positive number, got '${text}'`);
  return n;
}
