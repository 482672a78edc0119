import * as path from 'node:path';
import { CliError, outputFiles, UsageError } from './cli-error';
import type { Streams } from './streams';
import { printable } from './terminal';
import type { ExploreReport } from '../explore';
import type { MachineOrigin } from '../workbench/commands';
import { checkOutputFiles, realPath, writeOutputFiles, type OutputFile, type OutputPath } from '../workbench/common/output-files';
import { loadMockConfig } from '../workbench/mocks';
import { scaffoldMockConfig, scaffoldTests, TEST_RUNNERS, type ScaffoldSource, type TestRunner } from '../workbench/scaffold';
import type { WorkflowEngine } from '../workbench/workflow';

/**
 * The runner `--runner` names for the file `--write-tests` writes (explore's and verify's).
 * @throws UsageError for another runner, or `--runner` without `--write-tests`
 * @internal
 */
export function testRunnerOption(runner: string | undefined, testsFile: string | undefined): TestRunner | undefined {
  if (runner === undefined) return undefined;
  const known = TEST_RUNNERS.find((r) => r === runner);
  if (known === undefined) throw new UsageError(`--runner must be ${TEST_RUNNERS.join(' or ')}, got '${printable(runner)}'`);
  if (testsFile === undefined) throw new UsageError('--runner names the runner --write-tests writes for; give --write-tests <file>');
  return known;
}

/** What `explore --write-tests` and `--mock-config` write, and how. @internal */
export interface ScaffoldOutput {
  readonly testsFile?: string;
  readonly mockConfigFile?: string;
  /** Overwrite files that exist (a user's edits are lost). */
  readonly force: boolean;
  readonly seed?: number;
  /** The runner the test file is for (`--runner`). */
  readonly runner?: TestRunner;
  readonly type?: 'STANDARD' | 'EXPRESS';
  /** The command line, for the file's first comment. */
  readonly command: string;
  /** The local S3's folder explore read (`--s3-dir`): the tests run on it too. */
  readonly s3Dir?: string;
  /** The MockConfigFile test case explore answered Tasks from (`--mocks` with `--test-case`): the tests load it too. */
  readonly mockConfigIn?: { readonly file: string; readonly testCase: string; readonly stateMachine?: string };
}

/** The machine's source, as the test file (in `dir`) loads it: paths relative to the file, between real directories. @internal */
export function scaffoldSource(from: MachineOrigin, dir: string): ScaffoldSource {
  const rel = (p: string) => path.relative(realPath(dir), realPath(p)).split(path.sep).join('/');
  switch (from.kind) {
    case 'definition': return { definition: rel(from.file) };
    case 'template': return { template: rel(from.file), stateMachine: from.logicalId };
    case 'cdk-out': return { cdkOut: rel(from.dir), stack: from.stack, stateMachine: from.logicalId };
  }
}

/**
 * Checks the files `--write-tests` and `--mock-config` name, before explore
 * runs (and again before they are written).
 * @internal
 */
export function checkScaffoldOutputs(out: Pick<ScaffoldOutput, 'testsFile' | 'mockConfigFile' | 'force'>): void {
  const outputs: OutputPath[] = [];
  if (out.testsFile !== undefined) outputs.push({ file: out.testsFile, option: '--write-tests' });
  if (out.mockConfigFile !== undefined) outputs.push({ file: out.mockConfigFile, option: '--mock-config' });
  outputFiles(() => checkOutputFiles(outputs, { command: 'explore', force: out.force }));
}

/**
 * Writes the jest file and the MockConfigFile scaffolded from one explore
 * report, refusing to overwrite a file unless forced. Both are made and
 * checked before either is written, so a refusal leaves nothing half done.
 * @internal
 */
export function writeScaffold(report: ExploreReport, workflow: WorkflowEngine, from: MachineOrigin | undefined, out: ScaffoldOutput,
  io: Streams): void {
  const writes: Array<OutputFile & { what: string }> = [];
  const given = out.mockConfigIn;
  if (given !== undefined && out.mockConfigFile !== undefined && path.resolve(given.file) === path.resolve(out.mockConfigFile)) {
    throw new CliError(`--mock-config ${out.mockConfigFile} is the MockConfigFile --mocks reads: the tests load it as it is; write the new one elsewhere`, 2);
  }
  if (out.testsFile !== undefined) {
    // The command line always names a file; a machine given inline has no path for the test file to load it by.
    if (from === undefined) throw new CliError('--write-tests needs the state machine in a file, for the test file to load it from', 2);
    const dir = path.dirname(path.resolve(out.testsFile));
    const text = scaffoldTests(report, {
      source: scaffoldSource(from, dir),
      ...(out.s3Dir !== undefined ? { s3: path.relative(realPath(dir), realPath(out.s3Dir)).split(path.sep).join('/') } : {}),
      ...(given !== undefined ? { mockConfig: { ...given, file: path.relative(realPath(dir), realPath(given.file)).split(path.sep).join('/') } } : {}),
      definition: workflow.definition,
      ...(out.seed !== undefined ? { seed: out.seed } : {}),
      ...(out.runner !== undefined ? { runner: out.runner } : {}),
      ...(out.type !== undefined ? { type: out.type } : {}),
      generatedBy: out.command,
    });
    const n = report.scenarios.length;
    writes.push({ file: out.testsFile, option: '--write-tests', text, what: `${n} test${n === 1 ? '' : 's'}, one per scenario` });
  }
  if (out.mockConfigFile !== undefined) {
    const config = scaffoldMockConfig(report, {
      definition: workflow.definition,
      ...(given !== undefined ? { given: { ...given, config: loadMockConfig(given.file) } } : {}),
    });
    const n = report.scenarios.length;
    writes.push({
      file: out.mockConfigFile,
      option: '--mock-config',
      text: `${JSON.stringify(config, null, 2)}\n`,
      what: `${n} test case${n === 1 ? '' : 's'} for state machine '${printable(report.machine)}'`,
    });
  }
  outputFiles(() => writeOutputFiles(writes, { command: 'explore', force: out.force }));
  for (const w of writes) io.err.write(`wrote ${printable(w.file)}: ${w.what}\n`);
}
