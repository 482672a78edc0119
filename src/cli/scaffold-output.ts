import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, outputFiles, UsageError } from './cli-error';
import type { Streams } from './streams';
import { printable } from './terminal';
import type { MachineType } from '../asl/aws-defaults';
import { fieldOf } from '../asl/own';
import type { ExploreReport } from '../explore';
import { DATA_FILE_LIMIT, parseJsonText, readTextFile, type MachineOrigin } from '../workbench/commands';
import { checkOutputFiles, realPath, writeOutputFiles, type OutputFile, type OutputPath } from '../workbench/common/output-files';
import { loadMockConfig, MockConfigError, type RunCheckOptions } from '../workbench/mocks';
import {
  scaffoldMockConfig, scaffoldTests, TEST_RUNNERS, type ScaffoldParameter, type ScaffoldSource, type TestFileFormat, type TestRunner,
} from '../workbench/scaffold';
import type { SamConfigOptions } from '../workbench/template';
import type { WorkflowEngine } from '../workbench/workflow';

/** The runner a test file is written for, and, when no `--runner` named it, the package.json it was read from. @internal */
export interface TestRunnerChoice {
  readonly runner: TestRunner;
  /** The package.json whose project runs vitest: the file is for vitest without `--runner`. */
  readonly from?: string;
}

/**
 * The runner the file `--write-tests` writes is for (explore's and verify's): the one `--runner`
 * names; else the project's, when the nearest package.json above the file lists vitest and not
 * jest (see {@link projectTestRunner}); else jest.
 * @throws UsageError for another runner, or `--runner` without `--write-tests`
 * @internal
 */
export function testRunnerOption(runner: string | undefined, testsFile: string | undefined): TestRunnerChoice | undefined {
  if (runner === undefined) return testsFile === undefined ? undefined : projectTestRunner(testsFile);
  const known = TEST_RUNNERS.find((r) => r === runner);
  if (known === undefined) throw new UsageError(`--runner must be ${TEST_RUNNERS.join(' or ')}, got '${printable(runner)}'`);
  if (testsFile === undefined) throw new UsageError('--runner names the runner --write-tests writes for; give --write-tests <file>');
  return { runner: known };
}

/** A runner's own config files, which a project keeps beside its package.json. */
const RUNNER_CONFIGS: Readonly<Record<TestRunner, RegExp>> = {
  jest: /^jest\.config\.(?:[cm]?[jt]s|json)$/,
  vitest: /^vitest\.config\.[cm]?[jt]s$/,
};

/**
 * The runner of the project a test file is written into: the nearest package.json in the
 * file's folder or above it says. The project runs vitest when that package.json lists vitest
 * among its dependencies (or a vitest config sits beside it) and lists no jest (nor a `jest`
 * block, nor a jest config beside it): a project with both, or neither, gets a jest file, as
 * before. A package.json that cannot be read is no answer.
 * @internal
 */
export function projectTestRunner(testsFile: string): TestRunnerChoice | undefined {
  const found = nearestManifest(testsFile);
  if (found === undefined) return undefined;
  const { file, manifest } = found;
  const beside = fs.readdirSync(path.dirname(file));
  const lists = (name: TestRunner) => ['dependencies', 'devDependencies'].some((field) => fieldOf(fieldOf(manifest, field), name) !== undefined)
    || beside.some((f) => RUNNER_CONFIGS[name].test(f));
  const jest = lists('jest') || fieldOf(manifest, 'jest') !== undefined;
  return lists('vitest') && !jest ? { runner: 'vitest', from: file } : undefined;
}

/** The nearest package.json in a file's folder or above it, read; undefined when there is none or it cannot be read. */
function nearestManifest(testsFile: string): { readonly file: string; readonly manifest: object } | undefined {
  for (let dir = path.dirname(path.resolve(testsFile)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      let manifest: unknown;
      try {
        manifest = parseJsonText(readTextFile(file, 'package.json', DATA_FILE_LIMIT), file);
      } catch {
        return undefined;
      }
      return manifest === null || typeof manifest !== 'object' || Array.isArray(manifest) ? undefined : { file, manifest };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Whether Node (and jest) load `file` as an ES module: `.mjs` and `.mts` always, `.cjs` and `.cts`
 * never, any other as the nearest package.json's `"type"` says.
 * @internal
 */
export function isEsModuleFile(file: string): boolean {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.mjs' || ext === '.mts') return true;
  if (ext === '.cjs' || ext === '.cts') return false;
  return fieldOf(nearestManifest(file)?.manifest, 'type') === 'module';
}

/** How a file `--write-tests` names is written: its kind of file, and how it loads verify's property module. @internal */
export interface TestFileKind {
  readonly format: TestFileFormat;
  /** How verify's test loads the property module: `import` in an ES module, `require()` in CommonJS. */
  readonly propertyImport: 'import' | 'require';
}

/** One extension `--write-tests` knows: what it writes there, and for which runners. @internal */
export interface TestFileExtension {
  readonly ext: string;
  /** What the file holds, as `--help` and the guides say it. */
  readonly holds: string;
  /** The runners that run it as written. */
  readonly runners: readonly TestRunner[];
  /** Its kind, in a project whose package.json does (or does not) say `"type": "module"`, for `runner`. */
  readonly kind: (esmProject: boolean, runner: TestRunner) => TestFileKind;
}

/**
 * What `--write-tests` writes by the file's extension (explore's and verify's; `--help` prints
 * it). Node's rules decide what is a module: `.mts` and `.mjs` always, `.cts` and `.cjs` never,
 * `.ts` and `.js` as the nearest package.json's `"type"` says; vitest reads every `.js` as a
 * module, and cannot be loaded by `require()`, so a `.cjs` or `.cts` file is not written for it
 * (vite does not compile `.cts` either). jest runs plain JavaScript untransformed under the
 * README's config, and an ES module with `node --experimental-vm-modules`.
 * @internal
 */
export const TEST_FILE_EXTENSIONS: readonly TestFileExtension[] = [
  {
    ext: '.ts',
    holds: 'TypeScript',
    runners: ['jest', 'vitest'],
    kind: (esm) => ({ format: 'typescript', propertyImport: esm ? 'import' : 'require' }),
  },
  { ext: '.mts', holds: 'TypeScript, an ES module', runners: ['jest', 'vitest'], kind: () => ({ format: 'typescript-module', propertyImport: 'import' }) },
  { ext: '.cts', holds: 'TypeScript, CommonJS', runners: ['jest'], kind: () => ({ format: 'typescript', propertyImport: 'require' }) },
  {
    ext: '.js',
    holds: 'JavaScript: ES module if "type": "module" or for vitest, else CommonJS',
    runners: ['jest', 'vitest'],
    kind: (esm, runner) => (esm || runner === 'vitest' ? { format: 'module', propertyImport: 'import' } : { format: 'commonjs', propertyImport: 'require' }),
  },
  { ext: '.mjs', holds: 'JavaScript, an ES module', runners: ['jest', 'vitest'], kind: () => ({ format: 'module', propertyImport: 'import' }) },
  { ext: '.cjs', holds: 'JavaScript, CommonJS', runners: ['jest'], kind: () => ({ format: 'commonjs', propertyImport: 'require' }) },
];

/** The row of `.ts`, which any name the table does not list (`.tsx`, none) is written as. */
const TYPESCRIPT = TEST_FILE_EXTENSIONS[0];

/**
 * `--help`'s lines on what `--write-tests` writes, from {@link TEST_FILE_EXTENSIONS}, each
 * indented by `indent` spaces.
 * @internal
 */
export function testFileExtensionsHelp(indent: number): string {
  const pad = ' '.repeat(indent);
  const lines = TEST_FILE_EXTENSIONS.map((e) => `${pad}${e.ext.padEnd(5)}${e.holds}${e.runners.length === 1 ? `; ${e.runners[0]} only` : ''}`);
  return [`${pad}By the file's extension, for jest and vitest (any other name: as .ts):`, ...lines].join('\n');
}

/**
 * The kind of file `--write-tests` writes, by its name and project: the row of
 * {@link TEST_FILE_EXTENSIONS} its extension names, `.ts`'s for any other name.
 * @throws UsageError for a file the runner cannot run as written (a vitest `.cjs` or `.cts`: vitest cannot be loaded by require())
 * @internal
 */
export function testFileKind(testsFile: string, runner: TestRunner): TestFileKind {
  const esmProject = fieldOf(nearestManifest(testsFile)?.manifest, 'type') === 'module';
  const ext = path.extname(testsFile).toLowerCase();
  const row = TEST_FILE_EXTENSIONS.find((e) => e.ext === ext) ?? TYPESCRIPT;
  if (!row.runners.includes(runner)) {
    const names = TEST_FILE_EXTENSIONS.filter((e) => e.runners.includes(runner)).map((e) => e.ext);
    throw new UsageError(`--write-tests ${printable(testsFile)}: ${runner} cannot be loaded by require(); name the file ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`);
  }
  return row.kind(esmProject, runner);
}

/** What the line saying a test file was written adds about its runner: nothing for a jest file `--runner` did not name. @internal */
export function runnerNote(choice: TestRunnerChoice | undefined): string {
  if (choice?.from !== undefined) return ` for vitest (${printable(choice.from)} lists vitest, not jest; --runner jest writes a jest file)`;
  return choice?.runner === 'vitest' ? ' for vitest' : '';
}

/** What `explore --write-tests` and `--mock-config` write, and how. @internal */
export interface ScaffoldOutput {
  readonly testsFile?: string;
  readonly mockConfigFile?: string;
  /** Overwrite files that exist (a user's edits are lost). */
  readonly force: boolean;
  readonly seed?: number;
  /** The runner the test file is for (`--runner`, or the project's). */
  readonly runner?: TestRunnerChoice;
  readonly type?: MachineType;
  /** The command line, for the file's first comment. */
  readonly command: string;
  /** The local S3's folder explore read (`--s3-dir`): the tests run on it too. */
  readonly s3Dir?: string;
  /** The check flags explore ran with (`--mock-validation`, `--mock-advice`, `--request-checks`): the tests run with them too. */
  readonly checks?: RunCheckOptions;
  /** The MockConfigFile test case explore answered Tasks from (`--mocks` with `--test-case`): the tests load it too. */
  readonly mockConfigIn?: { readonly file: string; readonly testCase: string; readonly stateMachine?: string };
  /** The template parameters' values explore loaded the machine with (`--parameter`): the tests load it with them too. */
  readonly parameters?: Readonly<Record<string, ScaffoldParameter>>;
  /** The SAM configuration explore read the template's parameters from (`--config-file`, `--config-env`): the tests read it too. */
  readonly samConfig?: SamConfigOptions;
}

/**
 * The machine's source, as the test file (in `dir`) loads it: paths relative to the file, between
 * real directories; a template with the `parameters` the command loaded it with, and the SAM
 * configuration (`--config-file`, `--config-env`) it read parameters from.
 * @internal
 */
export function scaffoldSource(
  from: MachineOrigin, dir: string, parameters?: Readonly<Record<string, ScaffoldParameter>>, samConfig: SamConfigOptions = {},
): ScaffoldSource {
  const rel = (p: string) => path.relative(realPath(dir), realPath(p)).split(path.sep).join('/');
  const given = parameters !== undefined && Object.keys(parameters).length > 0 ? { parameters } : {};
  switch (from.kind) {
    case 'definition': return { definition: rel(from.file) };
    case 'template': return {
      template: rel(from.file),
      stateMachine: from.logicalId,
      ...(samConfig.configFile !== undefined ? { configFile: rel(samConfig.configFile) } : {}),
      ...(samConfig.configEnv !== undefined ? { configEnv: samConfig.configEnv } : {}),
      ...given,
    };
    case 'cdk-out': return { cdkOut: rel(from.dir), stack: from.stack, stateMachine: from.logicalId, ...given };
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
      source: scaffoldSource(from, dir, out.parameters, out.samConfig),
      ...(out.s3Dir !== undefined ? { s3: path.relative(realPath(dir), realPath(out.s3Dir)).split(path.sep).join('/') } : {}),
      ...(out.checks !== undefined ? { checks: out.checks } : {}),
      ...(given !== undefined ? { mockConfig: { ...given, file: path.relative(realPath(dir), realPath(given.file)).split(path.sep).join('/') } } : {}),
      definition: workflow.definition,
      ...(out.seed !== undefined ? { seed: out.seed } : {}),
      ...(out.runner !== undefined ? { runner: out.runner.runner } : {}),
      format: testFileKind(out.testsFile, out.runner?.runner ?? 'jest').format,
      ...(out.type !== undefined ? { type: out.type } : {}),
      generatedBy: out.command,
    });
    const n = report.scenarios.length;
    writes.push({ file: out.testsFile, option: '--write-tests', text, what: `${n} test${n === 1 ? '' : 's'}, one per scenario${runnerNote(out.runner)}` });
  }
  if (out.mockConfigFile !== undefined) {
    let config;
    try {
      config = scaffoldMockConfig(report, {
        definition: workflow.definition,
        ...(given !== undefined ? { given: { ...given, config: loadMockConfig(given.file) } } : {}),
      });
    } catch (e) {
      // A scenario the format cannot carry (an answer with heartbeats): nothing is written.
      if (e instanceof MockConfigError && e.file === undefined) throw new CliError(`--mock-config ${printable(out.mockConfigFile)}: ${e.message}; nothing was written`, 2);
      throw e;
    }
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
