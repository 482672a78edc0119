import * as path from 'node:path';
import { parseCommandArgs, oneDefinition } from './args';
import { CliError, outputFiles, UsageError } from './cli-error';
import { readInput, workflowType } from './run-command';
import { scaffoldSource, testRunnerOption } from './scaffold-output';
import type { Streams } from './streams';
import { printable, printableJson } from './terminal';
import type { JsonValue, StateMachineDefinition } from '../asl';
import { DefinitionError } from '../asl/states-errors';
import { InvalidDefinitionError } from '../asl/validate';
import { PropertyError, type VerifyProgress, type VerifyReport } from '../explore';
import { loadOneMachine, readJsonFile } from '../workbench/commands';
import { loadPropertyModule, verifyJson } from '../workbench/commands/verify';
import { checkOutputFiles, realPath, writeOutputFiles } from '../workbench/common/output-files';
import { InvalidMockError, MockKeyError } from '../workbench/mocks';
import { MockJsonError } from '../workbench/mocks/json';
import { scaffoldVerifyTests } from '../workbench/scaffold';
import { shellCommand } from '../workbench/scaffold/command';

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

When standard error is a terminal, a line there shows the runs made, the
properties broken so far and the time spent (never with --json).

Options:
  --property <module>         The property module (required).
  --state-machine <selector>  In a template or cdk.out: logical id, StateMachineName or construct path.
  --stack <name>              In a cdk.out: the stack.
  --type STANDARD|EXPRESS     Workflow type. Default: the template's, else STANDARD
  --input <json|@file>        The input the search starts from. Default: {}
  --mocks <file>              Answers to use as given, not made up, in the --mocks format of run.
  --s3-dir <dir>              A local S3 folder a Distributed Map's ItemReader reads (only read).
  --budget-seconds <s>        Time the search may take. Default: 30
  --seed <n>                  Seed of the runs' random source. Default: 0
  --json                      Print one object keyed by property name: verdict, reason, and for
                              VIOLATED a counterexample with input, mocks and path.
  --write-tests <file>        Write a jest test per VIOLATED property: it runs the counterexample
                              (input and mocks) and asserts the violation.
  --runner <jest|vitest>      The runner --write-tests writes for: vitest imports describe, expect and
                              it from 'vitest' (setupFiles in the vitest config). Default: jest
  --force                     Overwrite the file --write-tests names.
  --help                      Print this help.

Exit codes: 0 no property VIOLATED; 1 some property VIOLATED, or the definition
is invalid; 2 bad usage or input that cannot be read.
`;

const SPEC = {
  command: 'verify',
  values: ['property', 'state-machine', 'machine', 'stack', 'type', 'input', 'mocks', 's3-dir', 'budget-seconds', 'seed', 'write-tests', 'runner'],
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
  let budgetSeconds: number | undefined;
  if (v['budget-seconds'] !== undefined) {
    budgetSeconds = Number(v['budget-seconds']);
    if (v['budget-seconds'].trim() === '' || !Number.isFinite(budgetSeconds) || budgetSeconds <= 0) {
      throw new UsageError(`--budget-seconds must be a positive number, got '${v['budget-seconds']}'`);
    }
  }
  let seed: number | undefined;
  if (v.seed !== undefined) {
    seed = Number(v.seed);
    if (v.seed.trim() === '' || !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${v.seed}'`);
  }
  const input = readInput(v.input);
  const mocks = v.mocks === undefined ? undefined : readJsonFile(v.mocks, 'mocks file');
  if (mocks !== undefined && (mocks === null || typeof mocks !== 'object' || Array.isArray(mocks))) {
    throw new UsageError(`--mocks ${v.mocks}: expected an object keyed by state name, in the --mocks format of stepwright run`);
  }
  const testsFile = v['write-tests'];
  const runner = testRunnerOption(v.runner, testsFile);
  const force = parsed.flags.has('force');
  // A file that cannot be written is refused before the search, not after it.
  if (testsFile !== undefined) outputFiles(() => checkOutputFiles([{ file: testsFile, option: '--write-tests' }], { command: 'verify', force }));
  const properties = await userCodeOnStderr(() => loadPropertyModule(v.property!));
  const m = loadOneMachine(definition, { stack: v.stack, stateMachine: v['state-machine'] ?? v.machine });
  if (testsFile !== undefined && m.from === undefined) throw new UsageError('--write-tests needs the state machine in a file, for the test file to load it from');
  let workflowDefinition: StateMachineDefinition | undefined;
  let report: VerifyReport;
  // A terminal sees where the search is; --json and a pipe or file get the report only.
  const progress = !parsed.flags.has('json') && isTerminal(io.err) ? new TerminalProgress(io.err) : undefined;
  try {
    const workflow = m.workflow(type);
    workflowDefinition = workflow.definition;
    report = await userCodeOnStderr(() => workflow.verify(properties, {
      input,
      ...(mocks !== undefined ? { mocks: mocks as Record<string, JsonValue> } : {}),
      ...(budgetSeconds !== undefined ? { budgetSeconds } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(v['s3-dir'] !== undefined ? { s3Dir: v['s3-dir'] } : {}),
      ...(progress ? { onProgress: (p: VerifyProgress) => progress.show(p) } : {}),
    }));
  } catch (e) {
    if (e instanceof PropertyError) throw new CliError(`${v.property}: ${e.message}`, 2);
    if (e instanceof InvalidDefinitionError || e instanceof DefinitionError) throw new CliError(`${printable(m.label)}: ${e.message}`, 1);
    if (e instanceof MockKeyError || e instanceof MockJsonError || e instanceof InvalidMockError) throw new CliError(`--mocks ${v.mocks ?? ''}: ${e.message}`, 2);
    throw e;
  } finally {
    progress?.clear();
  }
  const violated = Object.values(report.properties).some((p) => p.verdict === 'VIOLATED');
  if (testsFile !== undefined) {
    const dir = realPath(path.dirname(path.resolve(testsFile)));
    const rel = (p: string) => path.relative(dir, realPath(p)).split(path.sep).join('/');
    const text = scaffoldVerifyTests(report, {
      source: scaffoldSource(m.from!, path.dirname(path.resolve(testsFile))),
      definition: workflowDefinition!,
      properties,
      propertyModule: rel(v.property),
      ...(seed !== undefined ? { seed } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(runner !== undefined ? { runner } : {}),
      ...(v['s3-dir'] !== undefined ? { s3: rel(v['s3-dir']) } : {}),
      generatedBy: shellCommand(['stepwright', 'verify', ...args.filter((a) => a !== '--force' && a !== '--json')]),
    });
    outputFiles(() => writeOutputFiles([{ file: testsFile, option: '--write-tests', text }], { command: 'verify', force }));
    const n = Object.values(report.properties).filter((p) => p.verdict === 'VIOLATED').length;
    io.err.write(`wrote ${printable(testsFile)}: ${n} test${n === 1 ? '' : 's'}, one per VIOLATED property\n`);
  }
  if (parsed.flags.has('json')) {
    const out = verifyJson(report);
    io.out.write(`${printableJson(JSON.stringify(out, null, 2))}\n`);
  } else {
    const lines = [`${printable(m.label)}: ${report.runs} runs${report.complete ? ', every goal reached or proved unreachable' : ', coverage not complete'}${report.stoppedBy ? ` (stopped by ${report.stoppedBy})` : ''}`];
    for (const [name, p] of Object.entries(report.properties)) {
      lines.push(`  ${p.verdict.padEnd(8)} ${printable(name)}: ${printable(p.property)}`, `           ${printable(p.reason)}`);
      if (p.counterexample) {
        const c = p.counterexample;
        lines.push(
          `           input: ${printable(JSON.stringify(c.input))}`,
          `           mocks: ${printable(JSON.stringify(c.mocks))}`,
          `           path:  ${printable(c.path.join(' -> '))} (${c.status}${c.error !== undefined ? ` ${printable(c.error)}` : ''})`,
        );
      }
    }
    io.out.write(`${lines.join('\n')}\n`);
  }
  return violated ? 1 : 0;
}

/**
 * Runs `fn`, in which the user's property module is loaded or its functions of the run are
 * called, with what that code prints to this process's standard output sent to standard error:
 * a `console.log` in a module or a predicate would otherwise land in the middle of the report,
 * and `--json` would no longer print one JSON object. A `process.exit` there would end verify
 * with no report and its own exit code (0 reads as "nothing violated"): it throws instead, so the
 * module's load fails naming it, or the predicate that called it throws.
 */
async function userCodeOnStderr<T>(fn: () => Promise<T>): Promise<T> {
  const stdout = process.stdout;
  const own = Object.prototype.hasOwnProperty.call(stdout, 'write');
  const write = stdout.write;
  const exit = process.exit;
  stdout.write = ((...args: Parameters<typeof stdout.write>) => process.stderr.write(...(args as [string]))) as typeof stdout.write;
  process.exit = ((code?: number | string | null) => {
    throw new Error(`it called process.exit(${code ?? ''}), which would end verify before its report`);
  }) as typeof process.exit;
  try {
    return await fn();
  } finally {
    if (own) stdout.write = write;
    else delete (stdout as { write?: unknown }).write;
    process.exit = exit;
  }
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
