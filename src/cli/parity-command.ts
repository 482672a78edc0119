import { parseCommandArgs, parametersOf } from './args';
import { CliError, UsageError } from './cli-error';
import { mockValidationFlag } from './mock-validation-flag';
import { readInput } from './run-command';
import type { Streams } from './streams';
import { printable, printableJson } from './terminal';
import { loadOneMachine } from '../workbench/commands';
import { MissingPackageError } from '../workbench/common/optional-peers';
import {
  checkParity, loadCases, parityTable, ParityError, readRunsFile, runsOfRecordings, type LoadedCase, type ParityOptions, type ParityRun,
} from '../workbench/parity';
import { failedLocalRuns, failedRunsText, localRuns, type FailedLocalRun } from '../workbench/parity/local-runs';

/** @internal */
export const PARITY_USAGE = `Usage: stepwright parity --runs <file> [options]
       stepwright parity <definition> [--mocks <file>] [--test-case <name>]... [--input <json|@file>]... [options]
       stepwright parity --cases <file|dir> [--recorded | options]

Sends each state visit of your local runs to AWS Step Functions' TestState,
with the input, variables, Context Object and mock the state had at that
visit, and compares AWS's answer with what stepwright did there: status,
output, next state, error and cause, and each stage of the data flow. Prints
a table per state machine, a line per state with the first difference.
Credentials come from the standard chain (environment, --profile, SSO,
instance role); a loopback --endpoint (stepwright serve) needs none.

What to check:
  --runs <file>               Runs: the file the jest reporter's parity option writes (JSON
                              Lines of recordings), or a recording of 'stepwright record'.
                              Repeat for more.
  <definition>                Run this state machine here first (an ASL file, a template or
                              cdk.out), once per --input and per test case, and check its runs.
  --mocks <file>              With <definition>: its mocks, a mocks file or an AWS
                              MockConfigFile, as 'stepwright run --mocks' takes them.
  --test-case <name>          A MockConfigFile test case; repeat for more. Default: every
                              test case of the state machine.
  --mock-state-machine <name> The MockConfigFile state machine, when the file has several.
  --input <json|@file>        An execution input; repeat for more. Default: {}
  --mock-validation STRICT|PRESENT|NONE
                              How the runs here check their mocks, as 'stepwright run'
                              does. Default: as 'stepwright run' (STRICT; PRESENT for a
                              MockConfigFile's answers)
  --s3-dir <dir>              With <definition>: a local S3 the runs read, as for
                              'stepwright run': a folder per bucket, a file per key. Map
                              ItemReaders read it, and aws-sdk:s3 Tasks no mock answers read
                              it; what a run writes there is checked and dropped.
  --stack <name>              In a cdk.out: the stack.
  --state-machine <selector>  In a template or cdk.out: the state machine.
  --parameter <Name=Value>  A template parameter's value, over its Default (repeatable); also
                            ParameterKey=Name,ParameterValue=Value pairs or file://params.json.
  --config-file <file>      A SAM configuration file whose parameter_overrides give values below
                            --parameter. Default: samconfig.toml beside the template.
  --config-env <env>        The environment of the SAM configuration file. Default: default.
  --cases <file|dir>          Conformance case files, as --write-cases writes them (a folder:
                              every *.json in it). Repeat for more.

How:
  --endpoint <url>            Step Functions endpoint: stepwright serve's to try it offline.
                              Default: AWS's for the region
  --region <region>           Region. Default: the SDK's (AWS_REGION, the profile)
  --profile <name>            Shared-config profile for credentials.
  --recorded                  With --cases only: compare with the AWS answers the case files
                              hold, and call nothing.
  --concurrency <n>           TestState calls at once, 1 to 10. Default: 2
  --max-calls <n>             TestState calls in all, retries after a throttle included; the
                              visits past it are reported unchecked. Default: 1000
  --inspection-level INFO|DEBUG
                              DEBUG also compares each stage of the data flow. Default: DEBUG
  --field-validation STRICT|PRESENT|NONE
                              Send this mock.fieldValidationMode with each mocked result.
                              Default: none sent, AWS's STRICT
  --write-cases <dir>         Write a conformance case file for each difference: the request
                              and both answers, to attach to a bug report.
  --json                      Print the report as JSON.
  --help                      Print this help.

A run made here that did not succeed is named after the table, with its
error and cause. One that failed in a Fail state, or with an error a mock's
answer raised, failed as it was written to; one that failed on anything else
(a Task no mock answers, a refused mock, an S3 folder or object missing, a
path that fails: an error Step Functions raises itself) never visited the
states after the failure, so they were never checked.

Exit codes: 0 no visit differs and every run made here ran as written; 1 a
visit differs, or a run made here failed on something neither the machine
nor its mocks say; 2 bad usage, input that cannot be read, or a TestState
that cannot be reached.
`;

const SPEC = {
  command: 'parity',
  values: ['config-file', 'config-env', 'mocks', 'mock-state-machine', 'mock-validation', 'stack', 'state-machine', 's3-dir', 'endpoint', 'region', 'profile', 'concurrency', 'max-calls',
    'inspection-level', 'field-validation', 'write-cases'],
  lists: ['runs', 'cases', 'test-case', 'input', 'parameter'],
  flags: ['recorded', 'json', 'help'],
};

/** `stepwright parity`. @internal */
export async function parityCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, PARITY_USAGE, io);
  if (!parsed) return 0;
  const v = parsed.values;
  const lists = parsed.lists;
  if (parsed.positionals.length > 1) throw new UsageError(`'parity' takes at most one definition, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
  const definition = parsed.positionals[0];
  if (definition === undefined && !lists.runs && !lists.cases) {
    throw new UsageError("'parity' needs something to check: --runs <file>, a definition to run (with --mocks), or --cases <file|dir>");
  }
  for (const flag of ['mocks', 'mock-state-machine', 'mock-validation', 'stack', 'state-machine', 's3-dir'] as const) {
    if (definition === undefined && v[flag] !== undefined) throw new UsageError(`--${flag} goes with a definition to run: stepwright parity <definition> --${flag} ...`);
  }
  if (definition === undefined && (lists['test-case'] || lists.input)) throw new UsageError('--test-case and --input go with a definition to run: stepwright parity <definition> --mocks <file> ...');
  const recorded = parsed.flags.has('recorded');
  if (recorded && (definition !== undefined || lists.runs)) throw new UsageError('--recorded compares with the AWS answers case files hold: give --cases only');
  if (recorded && (v.endpoint !== undefined || v.region !== undefined || v.profile !== undefined)) throw new UsageError('--recorded calls nothing: drop --endpoint, --region and --profile');
  const options: ParityOptions = {
    recorded,
    ...(v.endpoint !== undefined ? { endpoint: v.endpoint } : {}),
    ...(v.region !== undefined ? { region: v.region } : {}),
    ...(v.profile !== undefined ? { profile: v.profile } : {}),
    concurrency: whole(v.concurrency, '--concurrency', 2, 1, 10),
    maxCalls: whole(v['max-calls'], '--max-calls', 1000, 1, Number.MAX_SAFE_INTEGER),
    inspectionLevel: level(v['inspection-level']),
    ...(v['field-validation'] !== undefined ? { fieldValidationMode: mockValidationFlag(v['field-validation']) } : {}),
    ...(v['write-cases'] !== undefined ? { writeCases: v['write-cases'] } : {}),
    ...(parsed.flags.has('json') ? {} : { onProgress: (done: number, total: number) => { if (done === total || done % 50 === 0) io.err.write(`${done}/${total} visits compared\n`); } }),
  };
  try {
    const runs: ParityRun[] = [];
    for (const file of lists.runs ?? []) runs.push(...runsOfRecordings(readRunsFile(file)));
    let failed: FailedLocalRun[] = [];
    if (definition !== undefined) {
      const machine = loadOneMachine(definition, { stack: v.stack, stateMachine: v['state-machine'], ...parametersOf(parsed, io) });
      const here = await localRuns(machine, {
        ...(v.mocks !== undefined ? { mocksFile: v.mocks } : {}),
        ...(lists['test-case'] ? { testCases: lists['test-case'] } : {}),
        ...(v['mock-state-machine'] !== undefined ? { mockStateMachine: v['mock-state-machine'] } : {}),
        ...(v['mock-validation'] !== undefined ? { mockValidation: mockValidationFlag(v['mock-validation']) } : {}),
        ...(v['s3-dir'] !== undefined ? { s3Dir: v['s3-dir'] } : {}),
        inputs: (lists.input ?? []).map(readInput),
      });
      // The runs made here are judged as they ended, beside their visits: a green check of a run that never got far is no check.
      failed = failedLocalRuns(here);
      runs.push(...here);
    }
    const cases: LoadedCase[] = loadCases(lists.cases ?? []);
    const report = await checkParity({ runs, cases }, options);
    if (parsed.flags.has('json')) {
      io.out.write(`${printableJson(JSON.stringify(failed.length > 0 ? { ...report, failedRuns: failed } : report, null, 2))}\n`);
    } else {
      io.out.write(`${parityTable(report)}\n${failed.length > 0 ? `${failedRunsText(failed)}\n` : ''}`);
    }
    if (report.stopped !== undefined) throw new CliError(`stopped before the end: ${printable(report.stopped)}`, 2);
    return report.counts.differs > 0 || failed.some((f) => f.unplanned) ? 1 : 0;
  } catch (e) {
    if (e instanceof CliError || e instanceof MissingPackageError) throw e;
    if (e instanceof ParityError) throw new CliError(e.message, 2);
    throw e;
  }
}

function whole(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`}, got '${value}'`);
  }
  return n;
}

function level(value: string | undefined): 'INFO' | 'DEBUG' {
  if (value === undefined) return 'DEBUG';
  const upper = value.toUpperCase();
  if (upper !== 'INFO' && upper !== 'DEBUG') throw new UsageError(`--inspection-level must be INFO or DEBUG, got '${value}'`);
  return upper;
}
