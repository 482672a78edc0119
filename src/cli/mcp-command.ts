import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCommandArgs } from './args';
import { CliError, UsageError } from './cli-error';
import type { Streams } from './streams';
import { printableLines } from './terminal';
import { checkOptionalPeers } from '../workbench/common/optional-peers';
import { packageVersion } from '../workbench/common/package-root';

/** @internal */
export const MCP_USAGE = `Usage: stepwright mcp [options]

Serves stepwright's tools to a coding agent over the Model Context Protocol,
on standard input and output: validate, run, test_state, render, check_iam,
list_state_machines, explore and parity. Everything runs offline: no AWS
account, no credentials, no network (parity calls a loopback endpoint, and
AWS only with --allow-aws). Files are read only inside the folder the server
runs in (or --root); nothing is written.

Configure it in an MCP client as the command \`npx stepwright mcp\`.

Options:
  --root <folder>       The only folder the tools may read; relative paths are
                        relative to it. Default: the current folder
  --timeout <seconds>   Real time one tool call may run before it is stopped
                        and answered with an error. Default: 30
  --max-memory <MiB>    Heap one tool call may use before it is stopped. Default: 1024
  --workers <n>         Tool calls running at once (each in its own thread);
                        more wait their turn. Default: 2
  --allow-aws           Let the parity tool call AWS's TestState with this
                        process's credentials (the standard chain). Without it,
                        parity compares with stepwright serve's TestState at a
                        loopback endpoint, or with recorded case files, only.
  --help                Print this help.
`;

const SPEC = { command: 'mcp', values: ['root', 'timeout', 'max-memory', 'workers'], flags: ['allow-aws', 'help'] };

function number(flag: string, text: string | undefined, fallback: number, min: number, max: number, integer: boolean): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

/** `stepwright mcp`: runs until the client closes standard input. @internal */
export async function mcpCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, MCP_USAGE, io);
  if (!parsed) return 0;
  if (parsed.positionals.length > 0) throw new UsageError(`'mcp' takes no positional arguments, got ${parsed.positionals.join(' ')}`);
  const timeout = number('--timeout', parsed.values.timeout, 30, 0.001, 86_400, false);
  const memory = number('--max-memory', parsed.values['max-memory'], 1024, 64, 65_536, true);
  const workers = number('--workers', parsed.values.workers, 2, 1, 64, true);
  const root = path.resolve(parsed.values.root ?? '.');
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(root);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) throw new CliError(`--root ${root}: not a folder; give the folder the tools may read`, 2);
  // Relative paths in tool calls are relative to the root, in the server and in its workers alike.
  process.chdir(root);
  // Standard output carries MCP messages only: anything a library prints goes to standard error.
  console.log = console.error;
  console.info = console.error;
  // A line may quote what the client sent (a request's id, a message's fields): none may drive a terminal.
  const log = (text: string): void => { io.err.write(printableLines(text)); };
  // The MCP SDK is loaded by this command only (an optional peer): `stepwright run` and `import 'stepwright'` never pay for it.
  checkOptionalPeers('the MCP server (stepwright mcp)', [['@modelcontextprotocol/sdk', '/server/index.js'], 'zod']);
  const { serveMcp } = await import('../mcp');
  const { closed } = await serveMcp({ root, version: packageVersion(), timeoutMs: timeout * 1000, memoryMb: memory, workers, log, allowAws: parsed.flags.has('allow-aws') });
  await closed;
  return 0;
}
