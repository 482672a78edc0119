import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCommandArgs } from './args';
import { CliError, outputFiles, UsageError } from './cli-error';
import type { Streams } from './streams';
import { printable, printableJson } from './terminal';
import { AwsLimits } from '../asl/limits';
import { nameProblem } from '../asl/names';
import { MissingPackageError } from '../workbench/common/optional-peers';
import { checkOutputFiles, writeOutputFiles } from '../workbench/common/output-files';
import { record, recordExecutions, RecordingError, type RecordExecutionsOptions, type Recording } from '../workbench/replay';

/** @internal */
export const RECORD_USAGE = `Usage: stepwright record <executionArn> [options]
       stepwright record --executions <stateMachineArn> [--status FAILED] [--max 50] --out <dir> [options]

Records an execution with the AWS SDK (DescribeExecution, the definition that
ran it, the whole history with its data) into one JSON file that
'stepwright replay' and replay() run locally. Credentials come from the
standard chain (environment, --profile, SSO, instance role); a loopback
--endpoint (stepwright serve) needs none.

Options:
  --endpoint <url>            Step Functions endpoint. Default: AWS's for the region
  --region <region>           Region. Default: the SDK's (AWS_REGION, the profile)
  --profile <name>            Shared-config profile for credentials.
  --out <file|dir>            Write the recording here (a directory with --executions).
                              Default: standard output
  --redact <jsonpath>         Replace this path's values by "<redacted>" in every input,
                              output, variable and error of the recording, and the same
                              values wherever else they appear (under other keys, inside
                              messages and causes), e.g. '$..password'; repeat for more.
  --executions <arn>          Record the newest executions of this state machine instead,
                              one file each in --out, with progress on standard error.
  --status <status>           With --executions: only RUNNING, SUCCEEDED, FAILED,
                              TIMED_OUT, ABORTED or PENDING_REDRIVE ones.
  --max <n>                   With --executions: at most n. Default: 50
  --help                      Print this help.
`;

const SPEC = {
  command: 'record',
  values: ['endpoint', 'region', 'profile', 'out', 'executions', 'status', 'max'],
  lists: ['redact'],
  flags: ['help'],
};

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

/** `stepwright record`. @internal */
export async function recordCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, RECORD_USAGE, io);
  if (!parsed) return 0;
  const v = parsed.values;
  const options = { endpoint: v.endpoint, region: v.region, profile: v.profile, redact: parsed.lists.redact };
  try {
    if (v.executions !== undefined) {
      if (parsed.positionals.length) throw new UsageError(`'record --executions' takes no execution ARN, got ${parsed.positionals.join(' ')}`);
      if (v.out === undefined) throw new UsageError('--executions writes one file per execution: name a directory with --out <dir>');
      const status = v.status === undefined ? undefined : STATUSES.find((s) => s === v.status!.toUpperCase());
      if (v.status !== undefined && !status) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}, got '${v.status}'`);
      const max = v.max === undefined ? 50 : Number(v.max);
      if (!Number.isInteger(max) || max < 1) throw new UsageError(`--max must be a positive integer, got '${v.max}'`);
      fs.mkdirSync(v.out, { recursive: true });
      const many: RecordExecutionsOptions = {
        ...options,
        status,
        max,
        onProgress: (done, total, arn) => io.err.write(`recorded ${done}/${total} ${printable(arn)}\n`),
      };
      const recordings = await recordExecutions(v.executions, many);
      const used = new Set<string>();
      // Replaced when recorded again, but never through a link or into a pipe that the folder holds.
      const files = recordings.map((r) => ({ file: path.join(v.out!, fileNameOf(r, used)), option: '--out', text: `${JSON.stringify(r, null, 2)}\n` }));
      outputFiles(() => writeOutputFiles(files, { command: 'record', force: true }));
      io.err.write(`${recordings.length} recording${recordings.length === 1 ? '' : 's'} written to ${printable(v.out)}\n`);
      return 0;
    }
    if (v.status !== undefined || v.max !== undefined) throw new UsageError('--status and --max go with --executions <stateMachineArn>');
    if (parsed.positionals.length !== 1) throw new UsageError(`'record' takes one execution ARN, got ${parsed.positionals.length}: stepwright record <executionArn>`);
    // A file that cannot be written is refused before AWS is asked.
    if (v.out !== undefined) outputFiles(() => checkOutputFiles([{ file: v.out!, option: '--out' }], { command: 'record', force: true }));
    const recording = await record(parsed.positionals[0], options);
    const text = `${JSON.stringify(recording, null, 2)}\n`;
    if (v.out === undefined) io.out.write(printableJson(text));
    else outputFiles(() => writeOutputFiles([{ file: v.out!, option: '--out', text }], { command: 'record', force: true }));
    return 0;
  } catch (e) {
    if (e instanceof CliError || e instanceof MissingPackageError) throw e;
    if (e instanceof RecordingError) throw new CliError(e.message, 2);
    // The SDK's errors (ExecutionDoesNotExist, AccessDenied, no credentials) carry their name and a message.
    const err = e as Error;
    if (/Region is missing/.test(err.message)) throw new CliError('no region: pass --region <region> or set AWS_REGION', 2);
    throw new CliError(`${err.name}: ${err.message}`, 1);
  }
}

/**
 * The file a recording is written to in --out: the execution's name, which
 * the endpoint chose. A name AWS would not accept (a `/`, a control
 * character) is not used as it is, so that no endpoint can write outside
 * --out; a name met twice gets a number.
 */
function fileNameOf(r: Recording, used: Set<string>): string {
  const name = r.execution.name ?? r.execution.arn.split(':').pop() ?? '';
  const base = nameProblem(name) === undefined ? name : name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_').slice(0, AwsLimits.NAME_CHARS) || 'execution';
  let file = `${base}.json`;
  for (let n = 2; used.has(file); n++) file = `${base}-${n}.json`;
  used.add(file);
  return file;
}
