import { parseCommandArgs, oneDefinition, parametersOf } from './args';
import { CliError, UsageError } from './cli-error';
import { CHECK_FLAGS_USAGE, positiveOption, readMocks, testCaseOf } from './explore-options';
import { checkFlags } from './mock-validation-flag';
import { readInput, workflowType } from './run-command';
import { checkScaffoldOutputs, testFileExtensionsHelp, testFileKind, testRunnerOption, writeScaffold } from './scaffold-output';
import type { Streams } from './streams';
import { printable, printableJson, printableLines } from './terminal';
import { EXPRESS_DURATION_WORDS, PAYLOAD_WORDS } from '../asl/limits';
import { DEFAULT_SEED } from '../asl/random';
import type { CategoryReport, ExploreReport } from '../explore';
import { DEFAULT_BUDGET_SECONDS, DEFAULT_MAX_SCENARIOS } from '../explore/context';
import { loadMachines, loadOneMachine } from '../workbench/commands';
import { defaultJobs, exploreInWorkers, exploreMachine, type ExploreOutcome, type ExploreSettings } from '../workbench/commands/explore-machines';
import { shellCommand, withParameterValuesHidden, writtenParameters } from '../workbench/scaffold/command';
import type { WorkflowEngine } from '../workbench/workflow';

/** @internal */
export const EXPLORE_USAGE = `Usage: stepwright explore <definition> [options]

Searches for execution inputs and Task answers that together reach every
state, transition, Choice rule (each rule true once, the Default once), Catch,
Retry and callback outcome, and prints them as scenarios (input, mocks, path,
status), with what no input can reach and why, what was not reached and why,
and findings: errors nothing handles, loops that run into AWS's history limit,
payloads that outgrow ${PAYLOAD_WORDS}, EXPRESS runs past ${EXPRESS_DURATION_WORDS}.

<definition> is an ASL file (.asl.json), a CloudFormation template (JSON) or
a cdk.out directory; every state machine in it is explored, or the one that
--state-machine (and --stack) select.

Options:
  --state-machine <selector>  In a template or cdk.out: logical id, StateMachineName or construct path.
  --parameter <Name=Value>  A template parameter's value, over its Default (repeatable); also
                            ParameterKey=Name,ParameterValue=Value pairs or file://params.json.
  --config-file <file>      A SAM configuration file whose parameter_overrides give values below
                            --parameter. Default: samconfig.toml beside the template.
  --config-env <env>        The environment of the SAM configuration file. Default: default.
  --machine <selector>        The same as --state-machine.
  --stack <name>              In a cdk.out: the stack (artifact id, name or display path).
  --type STANDARD|EXPRESS     Workflow type. Default: the template's, else STANDARD
  --input <json|@file>        The input the search starts from. Default: {}
  --mocks <file>              Answers to use as given, not made up (the items an ItemReader reads
                              from S3): {"<state>": <value> | {"Return": <value>}
                              | {"Throw": {"Error": "...", "Cause": "..."}} | [<one per call>]},
                              or an AWS MockConfigFile with --test-case: its responses answer
                              the Tasks the test case names, explore the others.
  --test-case <name>          The MockConfigFile test case to use.
  --mock-state-machine <name> The MockConfigFile state machine, when the file has several.
${CHECK_FLAGS_USAGE}
  --s3-dir <dir>              A local S3: a folder per bucket, a file per key. A Distributed Map's
                              ItemReader reads its items there instead of explore making them up;
                              the folder is only read (result files are checked, not written).
  --max-scenarios <n>         The most scenarios to report. Default: ${DEFAULT_MAX_SCENARIOS}
  --budget-seconds <s>        Time the search may take per state machine. Default: ${DEFAULT_BUDGET_SECONDS}
  --seed <n>                  Seed of the runs' random source. Default: ${DEFAULT_SEED}
  --jobs <n>                  Machines explored at once, each in a worker thread, when the source has
                              several; the output is the same as one at a time. Default: the CPU count
  --json                      Print the report as JSON (an array when several machines are explored).
  --write-tests <file>        Write a jest test file with one test per scenario (one machine only).
${testFileExtensionsHelp(30)}
  --runner <jest|vitest>      The runner --write-tests writes for: vitest imports describe, expect and
                              it from 'vitest' (setupFiles in the vitest config). Default: the
                              project's, vitest when the nearest package.json lists vitest and
                              not jest; else jest
  --mock-config <file>        Write a MockConfigFile with one test case per scenario, for serve and
                              Step Functions Local (one machine only).
  --force                     Overwrite the files --write-tests and --mock-config name.
  --help                      Print this help.

The same machine and options give the same report, byte for byte, when the
search ends within its budget, whatever --jobs is. A worker thread that
crashes, or is still busy at twice --budget-seconds plus a minute, is stopped
and its machine reported on standard error.

Exit codes: 0 explored; 1 a definition is invalid or its exploration stopped
(the others are still explored); 2 bad usage or input that cannot be read.
`;

const SPEC = {
  command: 'explore',
  values: ['config-file', 'config-env', 'state-machine', 'machine', 'stack', 'type', 'input', 'mocks', 'test-case', 'mock-state-machine', 'mock-validation', 'mock-advice', 'request-checks', 'max-scenarios', 'budget-seconds', 'seed', 'write-tests', 'mock-config', 's3-dir', 'jobs', 'runner'],
  lists: ['parameter'],
  flags: ['json', 'help', 'force'],
};

/** Most worker threads `--jobs` may ask for. */
const MAX_JOBS = 64;

function jobsOption(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_JOBS) throw new UsageError(`--jobs must be an integer from 1 to ${MAX_JOBS}, got '${text}'`);
  return n;
}

/** `stepwright explore`. @internal */
export async function exploreCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, EXPLORE_USAGE, io);
  if (!parsed) return 0;
  const definition = oneDefinition(parsed, 'explore');
  const v = parsed.values;
  if (v.machine !== undefined && v['state-machine'] !== undefined && v.machine !== v['state-machine']) {
    throw new UsageError('--machine and --state-machine name the same thing; give one');
  }
  const selector = v['state-machine'] ?? v.machine;
  const type = workflowType(v.type);
  const maxScenarios = positiveOption('max-scenarios', v['max-scenarios'], true);
  const budgetSeconds = positiveOption('budget-seconds', v['budget-seconds'], false);
  let seed: number | undefined;
  if (v.seed !== undefined) {
    seed = Number(v.seed);
    if (v.seed.trim() === '' || !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${v.seed}'`);
  }
  const jobs = v.jobs === undefined ? defaultJobs() : jobsOption(v.jobs);
  const input = readInput(v.input);
  const checks = checkFlags(v);
  if (v.mocks === undefined && (v['test-case'] !== undefined || v['mock-state-machine'] !== undefined)) {
    throw new UsageError(`--${v['test-case'] !== undefined ? 'test-case' : 'mock-state-machine'} needs --mocks <MockConfigFile>`);
  }
  const given = v.mocks === undefined ? {} : readMocks(v.mocks, { testCase: v['test-case'], stateMachine: v['mock-state-machine'] });
  const target = definition;
  const withParameters = parametersOf(parsed, io);
  const { parameters, samConfig } = withParameters;
  // What a worker thread reads the source with: the same values and SAM configuration.
  const workerLoad = { ...(parameters ? { parameters } : {}), ...(samConfig ? { samConfig } : {}) };
  const machines = selector !== undefined || v.stack !== undefined
    ? [loadOneMachine(target, { stack: v.stack, stateMachine: selector, ...withParameters })]
    : loadMachines(target, withParameters);
  if (machines.length === 0) throw new CliError(`${target}: no state machines found`, 2);
  const scaffold = v['write-tests'] !== undefined || v['mock-config'] !== undefined;
  const runner = testRunnerOption(v.runner, v['write-tests']);
  // A vitest file named .cjs is refused before the search.
  if (v['write-tests'] !== undefined) testFileKind(v['write-tests'], runner?.runner ?? 'jest');
  if (scaffold && machines.length !== 1) {
    throw new UsageError(`--write-tests and --mock-config write the scenarios of one state machine; ${target} has ${machines.length}: `
      + `choose one with --state-machine (and --stack):\n${machines.map((m) => `  - ${printable(m.label)}`).join('\n')}`);
  }
  // A file that cannot be written is refused before the search, not after it.
  if (scaffold) checkScaffoldOutputs({ testsFile: v['write-tests'], mockConfigFile: v['mock-config'], force: parsed.flags.has('force') });
  const settings: ExploreSettings = {
    input,
    ...checks,
    ...(given.mocks ? { mocks: given.mocks } : {}),
    ...(given.mockConfig ? { mockConfig: given.mockConfig } : {}),
    ...(maxScenarios !== undefined ? { maxScenarios } : {}),
    ...(budgetSeconds !== undefined ? { budgetSeconds } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(v['s3-dir'] !== undefined ? { s3Dir: v['s3-dir'] } : {}),
    ...(type !== undefined ? { type } : {}),
  };
  // Several machines go to worker threads; the outcomes come back in the machines' order, so the
  // output is the one a search one at a time prints.
  const explored = jobs > 1 && machines.length > 1 ? await exploreInWorkers(target, machines, settings, jobs, workerLoad) : undefined;
  const reports: Array<ExploreReport & { source: string }> = [];
  let invalid = false;
  for (const [i, m] of machines.entries()) {
    const outcome: ExploreOutcome & { workflow?: WorkflowEngine } = explored ? explored[i] : await exploreMachine(m, settings);
    if (!outcome.ok) {
      const error = commandError(outcome, m.label, v.mocks);
      // One machine that cannot be explored among several does not stop the others.
      if (error.exitCode !== 1 || machines.length === 1) throw error;
      io.err.write(`stepwright explore: ${printableLines(error.message)}\n`);
      invalid = true;
      continue;
    }
    const report = outcome.report;
    reports.push({ source: m.label, ...report });
    if (scaffold) {
      writeScaffold(report, outcome.workflow!, m.from, {
        testsFile: v['write-tests'],
        mockConfigFile: v['mock-config'],
        force: parsed.flags.has('force'),
        seed,
        type,
        ...(runner !== undefined ? { runner } : {}),
        ...(v['s3-dir'] !== undefined ? { s3Dir: v['s3-dir'] } : {}),
        checks,
        ...(given.mockConfig && v.mocks !== undefined ? { mockConfigIn: { file: v.mocks, ...testCaseOf(given.mockConfig) } } : {}),
        ...(parameters ? { parameters: writtenParameters(parameters, m.origin?.template ?? {}) } : {}),
        ...(samConfig ? { samConfig } : {}),
        command: shellCommand(['stepwright', 'explore', ...withParameterValuesHidden(args.filter((a) => a !== '--force' && a !== '--json'))]),
      }, io);
    }
  }
  if (parsed.flags.has('json')) {
    const value = reports.length === 1 ? reports[0] : reports;
    io.out.write(`${printableJson(JSON.stringify(value, null, 2))}\n`);
  } else {
    for (const r of reports) io.out.write(textReport(r));
  }
  return invalid ? 1 : 0;
}

/** The message and exit code of a machine that could not be explored, as the command has always said them. */
function commandError(outcome: Extract<ExploreOutcome, { ok: false }>, label: string, mocksFile: string | undefined): CliError {
  switch (outcome.failure) {
    case 'invalid-definition': return new CliError(`${label}: ${outcome.message}`, 1);
    case 'cannot-run': return new CliError(`${label}: the definition cannot run: ${outcome.message}`, 1);
    case 's3-dir': return new CliError(`--s3-dir: ${outcome.message}`, 2);
    case 'mock-key': return new CliError(`${mocksFile}: ${outcome.message}`, 2);
    case 'input': return new CliError(`the input cannot run: ${outcome.message}`, 2);
    case 'stopped': return new CliError(`${label}: ${outcome.message}`, 1);
  }
}

const CATEGORY_WORDS = [
  ['states', 'states'], ['transitions', 'transitions'], ['choiceRules', 'Choice rules'], ['catches', 'catches'], ['retries', 'retries'], ['callbacks', 'callback outcomes'],
] as const;

function itemOf(note: Readonly<Record<string, string>>): string {
  return Object.entries(note).find(([k]) => k !== 'reason')?.[1] ?? '';
}

/** Goals listed per category and kind (unreachable, not reached) in the text report; the rest are counted. */
const LISTED = 20;
/** States of a path printed at its start and at its end when it is longer than both and the count between. */
const PATH_HEAD = 20;
const PATH_TAIL = 5;

/** A scenario's path as the text report prints it: a long one by its first and last states, with how many it entered. */
function printedPath(path: readonly string[], pathLength: number | undefined): string {
  const total = pathLength ?? path.length;
  if (total <= PATH_HEAD + PATH_TAIL + 1) return path.map(printable).join(' -> ');
  // A path cut by explore holds its first states only: its end is not known here.
  const tail = pathLength === undefined ? path.slice(-PATH_TAIL) : [];
  const between = total - PATH_HEAD - tail.length;
  return [...path.slice(0, PATH_HEAD).map(printable), `... (${between} more)`, ...tail.map(printable)].join(' -> ') + ` (${total} states)`;
}

function textReport(r: ExploreReport & { source: string }): string {
  const lines: string[] = [];
  const counts = CATEGORY_WORDS.filter(([c]) => r[c].total > 0).map(([c, words]) => `${r[c].reached}/${r[c].total} ${words}`).join(', ');
  const ended = r.search.stoppedBy !== undefined ? ` (stopped by ${r.search.stoppedBy})` : r.search.complete ? '' : ' (incomplete: each goal not reached says why, and what to give with --input or --mocks)';
  lines.push(`${printable(r.source)}: ${counts || 'no goals'}; ${r.scenarios.length} scenario${r.scenarios.length === 1 ? '' : 's'} from ${r.search.runs} runs${ended}`);
  for (const f of r.findings.filter((x) => x.kind === 'needs-data')) lines.push(`  needs: ${printable(f.message)}`);
  for (const [c, words] of CATEGORY_WORDS) {
    const cat: CategoryReport<string> = r[c];
    for (const n of cat.unreachable.slice(0, LISTED)) lines.push(`  unreachable ${printable(itemOf(n))}: ${printable(n.reason)}`);
    if (cat.unreachable.length > LISTED) lines.push(`  unreachable: ${cat.unreachable.length - LISTED} more ${words} (--json lists them all)`);
  }
  for (const [c, words] of CATEGORY_WORDS) {
    const cat: CategoryReport<string> = r[c];
    for (const n of cat.notReached.slice(0, LISTED)) lines.push(`  not reached ${printable(itemOf(n))}: ${printable(n.reason)}`);
    if (cat.notReached.length > LISTED) lines.push(`  not reached: ${cat.notReached.length - LISTED} more ${words} (--json lists them all)`);
  }
  for (const f of r.findings.filter((x) => x.kind !== 'needs-data')) {
    lines.push(`  ${f.kind}${f.state !== undefined ? ` at ${printable(f.state)}` : ''}: ${printable(f.message)}${f.scenario !== undefined ? ` [${printable(f.scenario)}]` : ''}`);
  }
  r.scenarios.forEach((s, i) => {
    const end = s.status === 'SUCCEEDED' ? 'SUCCEEDED' : `${s.status}${s.error ? ` ${printable(s.error)}` : ''}`;
    const path = printedPath(s.path, s.pathLength);
    lines.push(`  ${i + 1}. ${printable(s.name)}: ${end}`, `     ${path}`);
  });
  return `${lines.join('\n')}\n`;
}
