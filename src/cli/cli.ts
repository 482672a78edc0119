import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const USAGE = `Usage: stepwright <command> [options]

Commands:
  run <definition.json> [--input <json|@file>] [--mocks <file>]
      Run a state machine locally and print its status, output or error, and path.
  --version   Print the version.
  --help      Print this help.
`;

/**
 * Runs the command line with the given arguments and returns the exit code.
 * @internal
 */
export async function main(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const [command] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    out.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    out.write(`${pkg.version}\n`);
    return 0;
  }
  out.write(`stepwright: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}
