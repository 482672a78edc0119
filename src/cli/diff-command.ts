import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCommandArgs } from './args';
import { CliError, UsageError } from './cli-error';
import type { Streams } from './streams';
import { printable, printableLines } from './terminal';
import type { JsonValue } from '../asl';
import { INPUT_LIMIT, parseJsonText, readTextFile } from '../workbench/commands';
import { MissingPackageError } from '../workbench/common/optional-peers';
import { diffDeployed, diffTable, type DiffInput } from '../workbench/replay';

/** @internal */
export const DIFF_USAGE = `Usage: stepwright diff --state-machine <arn> --inputs <dir> [options]

Starts each input (every *.json file of --inputs) on the deployed state
machine, waits for it to end, records it and replays it locally, then prints
a table: input, AWS outcome, local outcome, and "equal" or the first
difference. A pre-release check that local tests still speak for AWS.

Options:
  --state-machine <arn>  The deployed state machine (or an alias or version ARN).
  --inputs <dir>         Directory of execution inputs, one JSON file each.
  --definition <file>    Replay locally with this ASL definition instead of the deployed
                         one: does the new definition behave as production does?
  --endpoint <url>       Step Functions endpoint. Default: AWS's for the region
  --region <region>      Region. Default: the SDK's
  --profile <name>       Shared-config profile for credentials.
  --timeout <seconds>    How long to wait for each execution. Default: 300
  --help                 Print this help.

Exit codes: 0 every input behaves the same; 1 some differ; 2 bad usage.
`;

const SPEC = { command: 'diff', values: ['state-machine', 'inputs', 'definition', 'endpoint', 'region', 'profile', 'timeout'], flags: ['help'] };

/** `stepwright diff`. @internal */
export async function diffCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, DIFF_USAGE, io);
  if (!parsed) return 0;
  const v = parsed.values;
  if (parsed.positionals.length) throw new UsageError(`'diff' takes no positional arguments, got ${parsed.positionals.join(' ')}`);
  if (v['state-machine'] === undefined || v.inputs === undefined) throw new UsageError("'diff' needs --state-machine <arn> and --inputs <dir>");
  const timeout = v.timeout === undefined ? 300 : Number(v.timeout);
  if (!(timeout > 0) || !Number.isFinite(timeout)) throw new UsageError(`--timeout must be a positive number of seconds, got '${v.timeout}'`);
  let names: string[];
  try {
    names = fs.readdirSync(v.inputs).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    throw new CliError(`cannot read --inputs ${v.inputs}: ${(e as Error).message}`, 2);
  }
  if (names.length === 0) throw new UsageError(`--inputs ${v.inputs} holds no .json file; put one execution input per file there`);
  const inputs: DiffInput[] = names.map((name) => {
    const file = path.join(v.inputs, name);
    return { name, input: parseJsonText(readTextFile(file, 'input file', INPUT_LIMIT), file) as JsonValue };
  });
  const definition = v.definition === undefined ? undefined : readTextFile(v.definition, 'definition');
  if (definition !== undefined) parseJsonText(definition, v.definition!);
  let rows;
  try {
    rows = await diffDeployed(v['state-machine'], inputs, {
      endpoint: v.endpoint,
      region: v.region,
      profile: v.profile,
      timeoutMs: timeout * 1000,
      ...(definition === undefined ? {} : { replay: { definition } }),
      onProgress: (row) => io.err.write(`${printable(row.input)}: ${row.equal ? 'equal' : 'differs'}\n`),
    });
  } catch (e) {
    if (e instanceof MissingPackageError) throw e;
    const err = e as Error;
    if (/Region is missing/.test(err.message)) throw new CliError('no region: pass --region <region> or set AWS_REGION', 2);
    throw new CliError(`${err.name}: ${err.message}`, 1);
  }
  // Every cell is others' text: file names, error names, the difference (which quotes causes and state names).
  io.out.write(`${diffTable(rows.map((r) => ({
    ...r,
    input: printable(r.input),
    aws: printable(r.aws),
    local: printable(r.local),
    ...(r.difference === undefined ? {} : { difference: printableLines(r.difference) }),
  })))}\n`);
  const differ = rows.filter((r) => !r.equal).length;
  io.out.write(differ === 0 ? `all ${rows.length} inputs behave the same locally\n` : `${differ} of ${rows.length} inputs differ\n`);
  return differ === 0 ? 0 : 1;
}
