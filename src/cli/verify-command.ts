import * as path from 'node:path';
import { parseCommandArgs, oneDefinition, parametersOf } from './args';
import { CliError, outputFiles, UsageError } from './cli-error';
import { CHECK_FLAGS_USAGE, positiveOption, readMocks, testCaseOf } from './explore-options';
import { checkFlags } from './mock-validation-flag';
import { readInput, workflowType } from './run-command';
import { isEsModuleFile, runnerNote, scaffoldSource, testFileExtensionsHelp, testFileKind, testRunnerOption } from './scaffold-output';
import type { Streams } from './streams';
import { printable, printableJson } from './terminal';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../asl';
import { DEFAULT_SEED } from '../asl/random';
import { DefinitionError } from '../asl/states-errors';
import { InvalidDefinitionError } from '../asl/validate';
import { PropertyError, type VerifyProgress, type VerifyReport } from '../explore';
import { DEFAULT_BUDGET_SECONDS } from '../explore/context';
import { loadOneMachine } from '../workbench/commands';
import { PROPERTY_LIMITS, PropertyThread, verifyJson } from '../workbench/commands/verify';
import { checkOutputFiles, realPath, writeOutputFiles } from '../workbench/common/output-files';
import { InvalidMockError, MockConfigError, MockKeyError, type RunCheckOptions } from '../workbench/mocks';
import { MockJsonError } from '../workbench/mocks/json';
import { HEARTBEATS_FIELD } from '../workbench/mocks/mock-config';
import { scaffoldVerifyTests } from '../workbench/scaffold';
import { shellCommand, withParameterValuesHidden, writtenParameters } from '../workbench/scaffold/command';
import type { MockConfigOptions } from '../workbench/workflow';

/** @internal */
export const VERIFY_USAGE = `Usage: stepwright verify <definition> --property <module> [options]

Checks each property the module exports over every path of the state machine:
explore's search makes the runs (inputs and Task answers that reach every
state, transition, Choice rule, Retry and Catch), and each property gets a
verdict:
  VIOLATED  a run breaks it: its counterexample (input, mocks, path) was run
            again from its mocks, as \`stepwright run --input … --mocks …\` runs it
  HOLDS     explore reached or proved unreachable every goal, and the property
            holds on every path of the machine's graph
  UNKNOWN   neither: the reason says what was not covered and what to give

<module> is a CommonJS or ES module exporting its properties by name: each
built with Property from stepwright/testing, written as data
({ "kind": "never", "state": "Ship" }), or a function (run) => boolean.
It is loaded, and its functions called, in a worker thread of its own: a
function that does not return within --predicate-timeout-ms on a run, or
that uses more than ${PROPERTY_LIMITS.memoryMb} MiB, is stopped and its property refused
(exit code 2) with the others' verdicts; the module's top-level code gets
six times that limit to load.

When standard error is a terminal, a line there shows the runs made, the
properties broken so far and the time spent (never with --json).

Options:
  --property <module>         The property module (required).
  --state-machine <selector>  In a template or cdk.out: logical id, StateMachineName or construct path.
  --parameter <Name=Value>  A template parameter's value, over its Default (repeatable); also
                            ParameterKey=Name,ParameterValue=Value pairs or file://params.json.
  --config-file <file>      A SAM configuration file whose parameter_overrides give values below
                            --parameter. Default: samconfig.toml beside the template.
  --config-env <env>        The environment of the SAM configuration file. Default: default.
  --stack <name>              In a cdk.out: the stack.
  --type STANDARD|EXPRESS     Workflow type. Default: the template's, else STANDARD
  --input <json|@file>        The input the search starts from. Default: {}
  --mocks <file>              Answers to use as given, not made up, in the --mocks format of run,
                              or an AWS MockConfigFile with --test-case, as explore takes it.
  --test-case <name>          The MockConfigFile test case to use.
  --mock-state-machine <name> The MockConfigFile state machine, when the file has several.
${CHECK_FLAGS_USAGE}
  --s3-dir <dir>              A local S3 folder a Distributed Map's ItemReader reads (only read).
  --budget-seconds <s>        Time the search may take. Default: ${DEFAULT_BUDGET_SECONDS}
  --seed <n>                  Seed of the runs' random source. Default: ${DEFAULT_SEED}
  --max-loop-turns <n>        The most times a run goes round a loop the definition does not
                              bound: a HOLDS that rests on it says so. Default: none
  --max-map-items <n>         The most items a run of a Map has where the definition does not
                              bound them: a HOLDS that rests on it says so. Default: none
  --predicate-timeout-ms <ms> Real milliseconds a function of the run may take on one run.
                              Default: ${PROPERTY_LIMITS.callMs}
  --json                      Print one object keyed by property name: verdict, reason, and for
                              VIOLATED a counterexample with input, mocks and path.
  --write-tests <file>        Write a jest test per VIOLATED property: it runs the counterexample
                              (input and mocks) and asserts the violation.
${testFileExtensionsHelp(30)}
  --runner <jest|vitest>      The runner --write-tests writes for: vitest imports describe, expect and
                              it from 'vitest' (setupFiles in the vitest config). Default: the
                              project's, vitest when the nearest package.json lists vitest and
                              not jest; else jest
  --force                     Overwrite the file --write-tests names.
  --help                      Print this help.

Exit codes: 0 no property VIOLATED; 1 some property VIOLATED, or the definition
is invalid; 2 bad usage, input that cannot be read, or a property that cannot
be checked (a function of the run that returns no boolean or is stopped: the
report still gives every verdict, that property's UNKNOWN with why).
`;

const SPEC = {
  command: 'verify',
  values: ['config-file', 'config-env', 'property', 'state-machine', 'machine', 'stack', 'type', 'input', 'mocks', 'test-case', 'mock-state-machine', 'mock-validation', 'mock-advice', 'request-checks', 's3-dir', 'budget-seconds', 'seed', 'max-loop-turns', 'max-map-items', 'write-tests', 'runner', 'predicate-timeout-ms'],
  lists: ['parameter'],
  flags: ['json', 'help', 'force'],
};

/** `stepwright verify`. @internal */
export async function verifyCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, VERIFY_USAGE, io);
  if (!parsed) return 0;
  const definition = oneDefinition(parsed, 'verify', ' --property <module>');
  const v = parsed.values;
  if (v.property === undefined) throw new UsageError('verify needs --property <module>: a module exporting the properties to check by name');
  const type = workflowType(v.type);
  const budgetSeconds = positiveOption('budget-seconds', v['budget-seconds'], false);
  const loopTurns = positiveOption('max-loop-turns', v['max-loop-turns'], true);
  const mapItems = positiveOption('max-map-items', v['max-map-items'], true);
  let seed: number | undefined;
  if (v.seed !== undefined) {
    seed = Number(v.seed);
    if (v.seed.trim() === '' || !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${v.seed}'`);
  }
  const input = readInput(v.input);
  const checks = checkFlags(v);
  if (v.mocks === undefined && (v['test-case'] !== undefined || v['mock-state-machine'] !== undefined)) {
    throw new UsageError(`--${v['test-case'] !== undefined ? 'test-case' : 'mock-state-machine'} needs --mocks <MockConfigFile>`);
  }
  // As explore reads it: a map keyed by state name, or a MockConfigFile test case.
  const read = v.mocks === undefined ? {} : readMocks(v.mocks, { testCase: v['test-case'], stateMachine: v['mock-state-machine'] });
  const { mocks, mockConfig } = read;
  const testsFile = v['write-tests'];
  const runner = testRunnerOption(v.runner, testsFile);
  // A vitest file named .cjs is refused before the search.
  if (testsFile !== undefined) testFileKind(testsFile, runner?.runner ?? 'jest');
  const force = parsed.flags.has('force');
  // A file that cannot be written is refused before the search, not after it.
  if (testsFile !== undefined) outputFiles(() => checkOutputFiles([{ file: testsFile, option: '--write-tests' }], { command: 'verify', force }));
  let callMs: number | undefined;
  if (v['predicate-timeout-ms'] !== undefined) {
    callMs = Number(v['predicate-timeout-ms']);
    if (v['predicate-timeout-ms'].trim() === '' || !Number.isInteger(callMs) || callMs <= 0 || callMs > MAX_PREDICATE_MS) {
      throw new UsageError(`--predicate-timeout-ms must be a whole number of milliseconds from 1 to ${MAX_PREDICATE_MS}, got '${v['predicate-timeout-ms']}'`);
    }
  }
  // The user's module runs in a thread of its own, bounded: verify's own thread runs none of its code.
  const thread = await PropertyThread.load(v.property, {
    ...(callMs !== undefined ? { limits: { callMs, loadMs: callMs * LOAD_TIMES_CALL } } : {}),
    output: io.err,
    callLimitOption: '--predicate-timeout-ms',
    loadLimitOption: `--predicate-timeout-ms (loading gets ${LOAD_TIMES_CALL} times as long)`,
  });
  try {
    if (testsFile !== undefined) refuseUnloadableModule(testsFile, runner?.runner ?? 'jest', v.property, thread.properties);
    const run = { definition, type, input, mocks, mockConfig, checks, budgetSeconds, loopTurns, mapItems, seed, testsFile, runner, force, args };
    const given = { ...run, ...parametersOf(parsed, io) };
    return await verifyWith(thread, parsed.flags, v, given, io);
  } finally {
    await thread.close();
  }
}

/**
 * Refuses, before the search, a CommonJS test file that would `require()` an ES module property
 * module to call its functions of the run: jest loads a test's `require()` itself, and refuses an
 * ES module there whatever node's version (`SyntaxError: Unexpected token 'export'`), so the
 * written tests could never run. A module of path properties only is never loaded by the tests.
 * @throws UsageError naming both files and the fix
 */
function refuseUnloadableModule(testsFile: string, runner: 'jest' | 'vitest', module: string, properties: object): void {
  if (runner !== 'jest' || testFileKind(testsFile, runner).propertyImport !== 'require' || !isEsModuleFile(module)) return;
  const functions = Object.entries(properties).filter(([, p]) => typeof p === 'function' || (p as { kind?: unknown }).kind === 'run').map(([name]) => name);
  if (functions.length === 0) return;
  throw new UsageError(`--write-tests ${printable(testsFile)} is CommonJS, and its tests of ${functions.slice(0, 3).map((n) => `'${printable(n)}'`).join(', ')}${functions.length > 3 ? ', …' : ''} `
    + `(functions of the run) would require() the ES module ${printable(module)}, which jest cannot: name the test file .mjs or .mts `
    + '(jest runs it with node --experimental-vm-modules), or write the property module as CommonJS (.cjs, exports.name = …)');
}

/** The most milliseconds --predicate-timeout-ms takes: ten minutes, a bound on one call of a user's function. */
const MAX_PREDICATE_MS = 600_000;
/** How many times a call's limit the module's top-level code may take to load. */
const LOAD_TIMES_CALL = PROPERTY_LIMITS.loadMs / PROPERTY_LIMITS.callMs;

interface VerifyArgs {
  readonly definition: string;
  readonly type: ReturnType<typeof workflowType>;
  readonly input: JsonValue;
  readonly mocks: Record<string, JsonValue> | undefined;
  /** A MockConfigFile test case (`--mocks <MockConfigFile> --test-case`), its file already read. */
  readonly mockConfig: MockConfigOptions | undefined;
  /** The check flags, as `stepwright run` reads them. */
  readonly checks: RunCheckOptions;
  readonly budgetSeconds: number | undefined;
  readonly loopTurns: number | undefined;
  readonly mapItems: number | undefined;
  readonly seed: number | undefined;
  readonly testsFile: string | undefined;
  readonly runner: ReturnType<typeof testRunnerOption>;
  readonly force: boolean;
  readonly args: readonly string[];
  readonly parameters?: Record<string, string>;
  readonly samConfig?: { configFile?: string; configEnv?: string };
  readonly onNote?: (message: string) => void;
}

async function verifyWith(
  thread: PropertyThread, flags: ReadonlySet<string>, v: Readonly<Record<string, string | undefined>>, a: VerifyArgs, io: Streams,
): Promise<number> {
  const { definition, type, input, mocks, mockConfig, checks, budgetSeconds, seed, testsFile, runner, force, args } = a;
  const { parameters, samConfig, onNote } = a;
  const { loopTurns, mapItems } = a;
  const properties = thread.properties;
  const m = loadOneMachine(definition, { stack: v.stack, stateMachine: v['state-machine'] ?? v.machine, ...(parameters ? { parameters } : {}), ...(samConfig ? { samConfig } : {}), ...(onNote ? { onNote } : {}) });
  if (testsFile !== undefined && m.from === undefined) throw new UsageError('--write-tests needs the state machine in a file, for the test file to load it from');
  let workflowDefinition: StateMachineDefinition | undefined;
  let report: VerifyReport;
  // A terminal sees where the search is; --json and a pipe or file get the report only.
  const progress = !flags.has('json') && isTerminal(io.err) ? new TerminalProgress(io.err) : undefined;
  /** A property that could not be checked: the others' verdicts are printed, then why, with exit code 2. */
  let refused: CliError | undefined;
  try {
    const workflow = m.workflow(type);
    workflowDefinition = workflow.definition;
    thread.definition = workflow.definition;
    report = await workflow.verify(properties, {
      input,
      ...checks,
      ...(mocks !== undefined ? { mocks } : {}),
      ...(mockConfig !== undefined ? { mockConfig } : {}),
      ...(budgetSeconds !== undefined ? { budgetSeconds } : {}),
      ...(loopTurns !== undefined ? { loopTurns } : {}),
      ...(mapItems !== undefined ? { mapItems } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(v['s3-dir'] !== undefined ? { s3Dir: v['s3-dir'] } : {}),
      ...(progress ? { onProgress: (p: VerifyProgress) => progress.show(p) } : {}),
    }, 'cli');
  } catch (e) {
    if (!(e instanceof PropertyError && e.report !== undefined)) throw cliErrorOf(e, v, m.label);
    report = e.report;
    refused = new CliError(`${v.property}: ${e.message}`, 2);
  } finally {
    progress?.clear();
  }
  const violated = Object.values(report.properties).some((p) => p.verdict === 'VIOLATED');
  if (testsFile !== undefined && refused === undefined) {
    const dir = realPath(path.dirname(path.resolve(testsFile)));
    const rel = (p: string) => path.relative(dir, realPath(p)).split(path.sep).join('/');
    const written = parameters ? writtenParameters(parameters, m.origin?.template ?? {}) : undefined;
    const kind = testFileKind(testsFile, runner?.runner ?? 'jest');
    const text = scaffoldVerifyTests(report, {
      source: scaffoldSource(m.from!, path.dirname(path.resolve(testsFile)), written, samConfig),
      definition: workflowDefinition!,
      properties,
      propertyModule: rel(v.property!),
      ...(seed !== undefined ? { seed } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(runner !== undefined ? { runner: runner.runner } : {}),
      format: kind.format,
      propertyImport: kind.propertyImport,
      ...(v['s3-dir'] !== undefined ? { s3: rel(v['s3-dir']) } : {}),
      ...(mockConfig !== undefined && v.mocks !== undefined ? { mockConfig: { ...testCaseOf(mockConfig), file: rel(v.mocks) } } : {}),
      checks,
      generatedBy: shellCommand(['stepwright', 'verify', ...withParameterValuesHidden(args.filter((arg) => arg !== '--force' && arg !== '--json'))]),
    });
    outputFiles(() => writeOutputFiles([{ file: testsFile, option: '--write-tests', text }], { command: 'verify', force }));
    const n = Object.values(report.properties).filter((p) => p.verdict === 'VIOLATED').length;
    io.err.write(`wrote ${printable(testsFile)}: ${n} test${n === 1 ? '' : 's'}, one per VIOLATED property${runnerNote(runner)}\n`);
  }
  if (flags.has('json')) {
    const out = verifyJson(report);
    io.out.write(`${printableJson(JSON.stringify(out, null, 2))}\n`);
  } else {
    const hit = (report.boundsHit ?? []).map((k) => (k === 'loopTurns' ? `--max-loop-turns ${loopTurns}` : `--max-map-items ${mapItems}`));
    const within = hit.length > 0 ? `; a HOLDS below rests on ${hit.join(' and ')}` : '';
    const lines = [`${printable(m.label)}: ${report.runs} runs${report.complete ? ', every goal reached or proved unreachable' : ', coverage not complete'}${report.stoppedBy ? ` (stopped by ${report.stoppedBy})` : ''}${within}`];
    for (const [name, p] of Object.entries(report.properties)) {
      lines.push(`  ${p.verdict.padEnd(8)} ${printable(name)}: ${printable(p.property)}`, `           ${printable(p.reason)}`);
      if (p.counterexample) {
        const c = p.counterexample;
        lines.push(
          `           input: ${printable(JSON.stringify(c.input))}`,
          `           mocks: ${printable(JSON.stringify(c.mocks))}`,
          `           path:  ${printable(c.path.join(' -> '))} (${c.status}${c.error !== undefined ? ` ${printable(c.error)}` : ''})`,
        );
        const beating = statesWithHeartbeats(c.mocks);
        if (beating.length > 0) {
          lines.push(`           (the --mocks format carries ${beating.map((st) => `'${printable(st)}'`).join(', ')}'s Heartbeats: a MockConfigFile has no field for them)`);
        }
      }
    }
    io.out.write(`${lines.join('\n')}\n`);
  }
  if (refused) throw refused;
  return violated ? 1 : 0;
}

/** What the CLI says of an error verify threw: the module's, the machine's or the mocks', or the error itself. */
function cliErrorOf(e: unknown, v: Readonly<Record<string, string | undefined>>, label: string): unknown {
  if (e instanceof PropertyError) return new CliError(`${v.property}: ${e.message}`, 2);
  if (e instanceof InvalidDefinitionError || e instanceof DefinitionError) return new CliError(`${printable(label)}: ${e.message}`, 1);
  if (e instanceof MockKeyError || e instanceof MockConfigError || e instanceof MockJsonError || e instanceof InvalidMockError) return new CliError(`--mocks ${v.mocks ?? ''}: ${e.message}`, 2);
  return e;
}

/** Whether a stream is a terminal (a TTY), where a line that rewrites itself reads as progress. */
function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: unknown }).isTTY === true;
}

/** Seconds, on explore's clock, between two progress lines of the search. */
const PROGRESS_EVERY_SECONDS = 0.25;

/** One line on standard error that rewrites itself as verify goes, cleared before the report is printed. */
class TerminalProgress {
  private shownAt = -Infinity;
  private shown = false;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  show(p: VerifyProgress): void {
    if (p.phase === 'search' && p.elapsedSeconds - this.shownAt < PROGRESS_EVERY_SECONDS) return;
    this.shownAt = p.elapsedSeconds;
    const broken = `${p.broken} propert${p.broken === 1 ? 'y' : 'ies'} broken`;
    const line = p.phase === 'search'
      ? `verify: ${p.runs} run${p.runs === 1 ? '' : 's'}, ${broken}, ${p.elapsedSeconds.toFixed(1)} s of ${p.budgetSeconds} s`
      : `verify: ${p.runs} run${p.runs === 1 ? '' : 's'}, ${broken}: minimizing and confirming the counterexamples`;
    this.stream.write(`\r\u001b[K${line}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\u001b[K');
    this.shown = false;
  }
}

/**
 * The states whose answers in a counterexample's mocks carry `Heartbeats`: a worker's heartbeats,
 * which only the `--mocks` format carries (AWS's MockConfigFile entry holds a Return or a Throw).
 */
function statesWithHeartbeats(mocks: JsonObject): string[] {
  const beats = (e: unknown): boolean => e !== null && typeof e === 'object' && !Array.isArray(e) && Object.hasOwn(e, HEARTBEATS_FIELD);
  return Object.entries(mocks).filter(([, m]) => (Array.isArray(m) ? m.some(beats) : beats(m))).map(([st]) => st);
}
