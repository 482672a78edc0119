import { CliError } from './cli-error';
import type { Streams } from './streams';
import { printable, printableLines } from './terminal';
import { CommandInputError } from '../workbench/common/command-errors';
import { packageVersion } from '../workbench/common/package-root';

const USAGE = `Usage: stepwright <command> [options]

Commands:
  run <definition> [--input <json|@file>] [--mocks <file>] [--name <name>] [--json] [--history] [--cost]
      Run a state machine locally and print its status, output or error, and path.
  cost <definition> --per-month <n> [--input <json|@file>]... [--mocks <file>] [--coverage <report.json>] [--json]
  cost --diff <before.json> <after.json>
      Estimate the monthly cost as Standard and as Express from runs, and whether Express is eligible.
  validate <file...> [--type STANDARD|EXPRESS] [--json]
      Check definitions (ASL files, CloudFormation templates, cdk.out) and print the findings.
  explore <definition> [--machine <name>] [--json] [--max-scenarios N] [--budget-seconds S] [--seed N]
          [--write-tests <file.test.ts> [--runner jest|vitest]] [--mock-config <MockConfigFile.json>]
      Find inputs and Task answers that reach every state, branch, Catch and Retry, as test scenarios,
      and write them as a jest (or vitest) test file and a MockConfigFile.
  verify <definition> --property <module> [--input <json|@file>] [--mocks <file>] [--json] [--budget-seconds S]
          [--write-tests <file> [--runner jest|vitest]]
      Check properties over every path of a machine: HOLDS, VIOLATED with a counterexample, or UNKNOWN.
  render <definition> [--format mermaid|html|svg|asl-json|asl-yaml] [--run <result.json>] [--coverage <coverage.json>] [--out <file>]
      Draw a state machine, with an execution's path and test coverage on it.
  record <executionArn> [--endpoint <url>] [--region <r>] [--profile <p>] [--out <file>] [--redact <jsonpath>]
  record --executions <stateMachineArn> [--status FAILED] [--max 50] --out <dir>
      Record executions (definition, input, full history) into replayable files.
  replay <recording.json...> [--definition <file>] [--json]
      Run recorded executions locally and check they behave as recorded.
  diff --state-machine <arn> --inputs <dir> [--endpoint <url>]
      Run inputs on a deployed machine, replay each locally, and table the differences.
  parity (--runs <file> | <definition> --mocks <file> | --cases <dir>) [--region <r>] [--endpoint <url>] [--write-cases <dir>]
      Send each state visit of local runs to AWS's TestState and table where AWS answers otherwise.
  coverage merge <report.json>... [--out <merged.json>] [--summary <file.md>] [--threshold <cat=pct,...>] [--budget <field=n,...>]
      Add up the coverage reports of jest shards, apply the threshold and cost budget, write a job summary.
  mcp [--root <folder>] [--timeout <seconds>]
      Serve validate, run, test_state, render and the IAM check to a coding agent over MCP (stdio).
  serve [--port 8083] [--load <template|cdk.out>] [--mock-config <file>] [--handlers <module>] [--data-dir <dir>] [--time-scale <n>]
      Serve the AWS Step Functions API locally for the AWS SDKs and the AWS CLI.

  <command> --help   Options of a command.
  --version          Print the version.
  --help             Print this help.
`;

const COMMANDS: Record<string, (args: readonly string[], io: Streams) => Promise<number>> = {
  // Each command is loaded when it runs, so that one command does not pay for loading the others
  // (`serve` answers its first request sooner without the CDK loaders of `run` and `validate`).
  run: async (args, io) => (await import('./run-command')).runCommand(args, io),
  cost: async (args, io) => (await import('./cost-command')).costCommand(args, io),
  validate: async (args, io) => (await import('./validate-command')).validateCommand(args, io),
  explore: async (args, io) => (await import('./explore-command')).exploreCommand(args, io),
  verify: async (args, io) => (await import('./verify-command')).verifyCommand(args, io),
  serve: async (args, io) => (await import('./serve-command')).serveCommand(args, io),
  render: async (args, io) => (await import('./render-command')).renderCommand(args, io),
  record: async (args, io) => (await import('./record-command')).recordCommand(args, io),
  replay: async (args, io) => (await import('./replay-command')).replayCommand(args, io),
  diff: async (args, io) => (await import('./diff-command')).diffCommand(args, io),
  parity: async (args, io) => (await import('./parity-command')).parityCommand(args, io),
  mcp: async (args, io) => (await import('./mcp-command')).mcpCommand(args, io),
  coverage: async (args, io) => (await import('./coverage-command')).coverageCommand(args, io),
};

/**
 * Runs the command line with the given arguments and returns the exit code:
 * 0 success, 1 a failed execution or an invalid definition, 2 bad usage or
 * unreadable input. Messages go to `err`, results to `out`; nothing throws
 * for bad input.
 * @internal
 */
export async function main(
  args: readonly string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? err : out).write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    out.write(`${packageVersion()}\n`);
    return 0;
  }
  const handler = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!handler) {
    err.write(`stepwright: unknown command '${printable(command)}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await handler(rest, { out, err });
  } catch (e) {
    if (e instanceof CliError) {
      err.write(`stepwright ${command}: ${printableLines(e.message)}\n`);
      if (e.exitCode === 2 && e.name === 'UsageError') err.write(`Run 'stepwright ${command} --help' for the options.\n`);
      return e.exitCode;
    }
    if (e instanceof CommandInputError) {
      err.write(`stepwright ${command}: ${printableLines(e.message)}\n`);
      return e.invalidDefinition ? 1 : 2;
    }
    throw e;
  }
}
