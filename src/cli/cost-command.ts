import { parseCommandArgs, oneDefinition, parametersOf } from './args';
import { CliError, UsageError } from './cli-error';
import { readInput, workflowType } from './run-command';
import type { Streams } from './streams';
import { printableJson, printableLines } from './terminal';
import { AwsDefaults } from '../asl/aws-defaults';
import { EXPRESS_DURATION_WORDS } from '../asl/limits';
import { checkPriceTable, CostError, costDiffMarkdown, formatEstimate, type CostReport, type MemoryAssumption, type PriceTable } from '../cost';
import { VIRTUAL_CLOCK_START } from '../interpreter/clock';
import { loadOneMachine, readJsonFile } from '../workbench/commands';
import { loadMocks } from '../workbench/commands/mocks';
import { clockStartingAt, machineWorkflow, runWorkflow, START_TIME_RULE } from '../workbench/commands/run';
import { cost, usageCountsFromReport } from '../workbench/coverage';
import type { WorkflowRun } from '../workbench/workflow';

/** @internal */
export const COST_USAGE = `Usage: stepwright cost <definition> --per-month <executions> [options]
       stepwright cost --diff <before.json> <after.json>

Estimates what a state machine would cost a month on AWS as a Standard and as
an Express workflow, from runs of it, and says whether it may be an Express
workflow (no activities, callbacks or .sync; every run within ${EXPRESS_DURATION_WORDS}).
The runs are --input files run locally with --mocks, or the runs a test suite
made under the stepwright reporter (--coverage <its outputFile>). A run that did
not succeed (a Task without a mock, say) is named and left out of the estimate,
unless --include-failed prices it as it ran.

Options:
  --per-month <n>           Executions a month to estimate for (required).
  --input <json|@file>      An execution input to run; repeat it for each path. Default: {}
  --mocks <file>            Task results for the runs, as for stepwright run.
  --test-case <name>        The MockConfigFile test case to use.
  --s3-dir <dir>            A local S3 for the runs, as for stepwright run: a folder per
                            bucket, a file per key (Map ItemReaders, ResultWriters,
                            aws-sdk:s3 Tasks no mock answers). Only read: what a run
                            writes is kept in memory for that run.
  --start-time <date-time>  When each run starts on its virtual clock, as for stepwright
                            run (2025-03-01T09:00:00Z). Default: ${VIRTUAL_CLOCK_START}
  --coverage <report.json>  Estimate from the runs a coverage report kept instead.
  --region <code>           AWS region whose prices apply. Default: ${AwsDefaults.REGION}
  --prices <file>           A price table of your own (same shape as the built-in one),
                            laid over it region by region.
  --memory-mb <n|estimate>  Express memory to bill, in MB (rounded up to 64 MB).
                            Default: estimate, AWS's formula from the pricing page
  --no-free-tier            Leave out the 4,000 free Standard transitions a month.
  --include-failed          Price the runs that did not succeed as they ran (they are
                            named either way).
  --type STANDARD|EXPRESS   Run the inputs as this type. Default: the template's
  --stack <name>            In a cdk.out: the stack.
  --state-machine <sel>     In a template or cdk.out: logical id, name or construct path.
  --parameter <Name=Value> A template parameter's value, over its Default (repeatable); also
                           ParameterKey=Name,ParameterValue=Value pairs or file://params.json.
  --config-file <file>      A SAM configuration file whose parameter_overrides give values below
                            --parameter. Default: samconfig.toml beside the template.
  --config-env <env>        The environment of the SAM configuration file. Default: default.
  --json                    Print the estimate as one JSON object (standard.stateTransitions,
                            standard.usdPerMonth, express.requests, express.gbSeconds,
                            express.usdPerMonth, express.eligible, express.reasons, ...).
  --diff <before.json>      Compare the cost rows of two coverage reports (before and after
                            a change) and print them as a Markdown table.
  --help                    Print this help.

Exit codes: 0 the estimate was printed; 1 a run did not succeed, so it is not
priced (the estimate of the others, if any, is printed); 2 bad usage, input,
report or prices.
`;

const SPEC = {
  command: 'cost',
  values: ['config-file', 'config-env', 'per-month', 'mocks', 'test-case', 'coverage', 'region', 'prices', 'memory-mb', 'type', 'stack', 'state-machine', 'diff', 's3-dir', 'start-time'],
  lists: ['input', 'parameter'],
  flags: ['json', 'no-free-tier', 'include-failed', 'help'],
};

/** `stepwright cost`. @internal */
export async function costCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, COST_USAGE, io);
  if (!parsed) return 0;
  if (parsed.values.diff !== undefined) {
    if (parsed.positionals.length !== 1) throw new UsageError("'cost --diff' takes the report before the change and the one after: stepwright cost --diff before.json after.json");
    const before = readJsonFile(parsed.values.diff, 'coverage report') as CostReport;
    const after = readJsonFile(parsed.positionals[0], 'coverage report') as CostReport;
    try {
      io.out.write(printableLines(costDiffMarkdown(before, after)));
    } catch (e) {
      if (e instanceof CostError) throw new CliError(e.message, 2);
      throw e;
    }
    return 0;
  }
  const definition = oneDefinition(parsed, 'cost', ' --per-month <executions>');
  const perMonth = perMonthOf(parsed.values['per-month']);
  const memory = memoryOf(parsed.values['memory-mb']);
  if (parsed.values.coverage !== undefined && (parsed.lists.input ?? []).length > 0) throw new UsageError('give --input files or --coverage, not both');
  if (parsed.values.coverage !== undefined && parsed.values['s3-dir'] !== undefined) {
    throw new UsageError('--s3-dir is for the runs of --input; a coverage report holds runs already made');
  }
  const startTime = parsed.values['start-time'];
  if (startTime !== undefined) {
    if (parsed.values.coverage !== undefined) throw new UsageError('--start-time is for the runs of --input; a coverage report holds runs already made');
    if (clockStartingAt(startTime) === undefined) throw new UsageError(`--start-time must be ${START_TIME_RULE}, got '${startTime}'`);
  }
  const prices = parsed.values.prices === undefined ? undefined : pricesOf(parsed.values.prices);
  const machine = loadOneMachine(definition, { stack: parsed.values.stack, stateMachine: parsed.values['state-machine'], ...parametersOf(parsed, io) });
  const workflow = machineWorkflow(machine, workflowType(parsed.values.type));
  let runs: Parameters<typeof cost>[1];
  if (parsed.values.coverage !== undefined) {
    try {
      runs = usageCountsFromReport(readJsonFile(parsed.values.coverage, 'coverage report'), workflow);
    } catch (e) {
      if (e instanceof CostError) throw new CliError(`${parsed.values.coverage}: ${e.message}`, 2);
      throw e;
    }
  } else {
    const mocks = parsed.values.mocks === undefined ? {} : loadMocks(parsed.values.mocks, { testCase: parsed.values['test-case'] });
    const inputs = parsed.lists.input ?? ['{}'];
    const done: WorkflowRun[] = [];
    for (const input of inputs) {
      done.push(await runWorkflow(workflow, readInput(input), {
        mocks,
        ...(parsed.values.mocks !== undefined ? { mocksLabel: parsed.values.mocks } : {}),
        // A run's messages name the command line's options (--mocks), as stepwright run's do.
        door: 'cli',
        // Read, never written: cost prices runs, and what they would write is checked and dropped.
        ...(parsed.values['s3-dir'] === undefined ? {} : { s3Dir: parsed.values['s3-dir'], s3ReadOnly: true }),
        // A clock of its own for each run, starting where the first did.
        ...(startTime === undefined ? {} : { clock: clockStartingAt(startTime)! }),
      }));
    }
    runs = done;
  }
  const includeFailed = parsed.flags.has('include-failed');
  const options = {
    perMonth,
    ...(parsed.values.region !== undefined ? { region: parsed.values.region } : {}),
    ...(prices ? { prices } : {}),
    expressMemoryMb: memory,
    freeTier: !parsed.flags.has('no-free-tier'),
    includeFailed,
  };
  let estimate;
  try {
    estimate = cost(workflow, runs, options);
  } catch (e) {
    if (!(e instanceof CostError)) throw e;
    // Every run failed: the message names them; like stepwright run, a run that did not succeed exits 1.
    throw new CliError(e.message, e.field === 'runs' && !includeFailed && hasFailedRun(runs) ? 1 : 2);
  }
  if (parsed.flags.has('json')) io.out.write(`${printableJson(JSON.stringify(estimate, null, 2))}\n`);
  else io.out.write(printableLines(formatEstimate(estimate, machine.label)));
  return estimate.failedRuns > 0 && !estimate.failedRunsPriced ? 1 : 0;
}

function hasFailedRun(runs: Parameters<typeof cost>[1]): boolean {
  return runs.some((r) => {
    const status = 'usage' in r ? r.usage.status : r.status;
    return status !== undefined && status !== 'SUCCEEDED';
  });
}

function perMonthOf(value: string | undefined): number {
  if (value === undefined) throw new UsageError('--per-month <executions> is required: how many executions a month to estimate for');
  const n = Number(value.replace(/[_,]/g, ''));
  if (!/^\s*[\d_,]+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`--per-month must be a whole number of executions, got '${value}'`);
  return n;
}

function memoryOf(value: string | undefined): MemoryAssumption {
  if (value === undefined || value === 'estimate') return 'estimate';
  const n = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(n > 0) || !Number.isFinite(n)) throw new UsageError(`--memory-mb must be a number of MB above 0, or 'estimate', got '${value}'`);
  return n;
}

function pricesOf(file: string): PriceTable {
  try {
    return checkPriceTable(readJsonFile(file, 'price table'));
  } catch (e) {
    if (e instanceof CostError) throw new CliError(`${file}: ${e.message}`, 2);
    throw e;
  }
}
