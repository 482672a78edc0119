import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from './args';
import { CliError, UsageError } from './errors';
import type { Streams } from './streams';
import { record, recordExecutions, RecordingError, type RecordExecutionsOptions } from '../testing/replay';

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
  const parsed = parseArgs(args, SPEC);
  if (parsed.flags.has('help')) {
    io.out.write(RECORD_USAGE);
    return 0;
  }
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
        onProgress: (done, total, arn) => io.err.write(`recorded ${done}/${total} ${arn}\n`),
      };
      const recordings = await recordExecutions(v.executions, many);
      for (const r of recordings) fs.writeFileSync(path.join(v.out, `${r.execution.name ?? r.execution.arn.split(':').pop()}.json`), `${JSON.stringify(r, null, 2)}\n`);
      io.err.write(`${recordings.length} recording${recordings.length === 1 ? '' : 's'} written to ${v.out}\n`);
      return 0;
    }
    if (v.status !== undefined || v.max !== undefined) throw new UsageError('--status and --max go with --executions <stateMachineArn>');
    if (parsed.positionals.length !== 1) throw new UsageError(`'record' takes one execution ARN, got ${parsed.positionals.length}: stepwright record <executionArn>`);
    const recording = await record(parsed.positionals[0], options);
    const text = `${JSON.stringify(recording, null, 2)}\n`;
    if (v.out === undefined) io.out.write(text);
    else fs.writeFileSync(v.out, text);
    return 0;
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof RecordingError) throw new CliError(e.message, 2);
    // The SDK's errors (ExecutionDoesNotExist, AccessDenied, no credentials) carry their name and a message.
    const err = e as Error;
    if (/Region is missing/.test(err.message)) throw new CliError('no region: pass --region <region> or set AWS_REGION', 2);
    throw new CliError(`${err.name}: ${err.message}`, 1);
  }
}
