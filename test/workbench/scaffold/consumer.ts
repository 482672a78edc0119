import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as ts from 'typescript';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..', '..');
const LIB = path.join(ROOT, 'lib');

/** Throws, saying how to build it, unless the compiled library (what a user installs) is there. */
export function requireCompiledLibrary(): void {
  for (const f of ['testing/index.js', 'testing/index.d.ts', 'testing/setup.js', 'index.js', 'index.d.ts']) {
    if (!fs.existsSync(path.join(LIB, f))) throw new Error(`lib/${f} is missing: scaffolded files are checked against the compiled package; run \`npx projen compile\``);
  }
}

/** One test file's result, as jest's --json reports it. */
export interface JestFileResult {
  readonly file: string;
  readonly status: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly message: string;
}

/**
 * Runs jest on the `*.explore.test.ts` files of `dir` (or those `match` names) as a user's
 * project would: 'stepwright', 'stepwright/testing' and its setup file resolve to the compiled
 * package (lib/), TypeScript goes through @swc/jest and nothing else is transformed (the
 * README's config, with `.mts` and `.cts` besides), nothing is changed in the files; `env` is
 * added to the environment jest runs in; `esm` runs jest with Node's `--experimental-vm-modules`,
 * as jest runs ES modules, and a `.mts` file as one.
 */
export async function runJest(dir: string, options: {
  readonly env?: Readonly<Record<string, string>>;
  readonly match?: string;
  readonly esm?: boolean;
} = {}): Promise<JestFileResult[]> {
  const config = {
    rootDir: dir,
    testMatch: [options.match ?? '<rootDir>/*.explore.test.ts'],
    testEnvironment: 'node',
    // .mts and .cts too: a project that keeps tests in them adds them to the README's pattern.
    transform: { '^.+\\.[cm]?ts$': [require.resolve('@swc/jest'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
    moduleFileExtensions: ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'json', 'node'],
    ...(options.esm ? { extensionsToTreatAsEsm: ['.mts'] } : {}),
    moduleNameMapper: {
      '^stepwright$': path.join(LIB, 'index.js'),
      '^stepwright/testing$': path.join(LIB, 'testing', 'index.js'),
    },
    setupFilesAfterEnv: [path.join(LIB, 'testing', 'setup.js')],
    modulePaths: [path.join(ROOT, 'node_modules')],
    cacheDirectory: path.join(dir, '.jest-cache'),
    ci: true,
  };
  fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify(config));
  const out = path.join(dir, 'results.json');
  await promisify(execFile)(process.execPath, [...(options.esm ? ['--experimental-vm-modules', '--no-warnings'] : []), require.resolve('jest/bin/jest'), '--config', path.join(dir, 'jest.config.json'), '--json', '--outputFile', out, '--silent'], {
    cwd: dir, maxBuffer: 64 * 1024 * 1024, ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  }).catch((e: { code?: number }) => {
    // jest exits 1 when a test fails: the results file says which.
    if (!fs.existsSync(out)) throw e;
  });
  return fileResults(out);
}

/**
 * Type-checks files as a CDK app's tests are checked (`cdk init`'s strict
 * options, unused names refused) with `skipLibCheck: false`: stepwright's
 * compiled declarations the program loads are checked whole too (those under
 * node_modules by test/declarations.test.ts); `module: 'nodenext'` checks them as a project
 * of ES modules does (`.mts` files are modules). Returns
 * `file(line): TS<code>: message` for each problem.
 */
export function typeCheck(files: readonly string[], as: { readonly module?: 'commonjs' | 'nodenext' } = {}): string[] {
  // NodeNext for a project whose files may be ES modules: a .mts file is one, as Node runs it.
  const nodeNext = as.module === 'nodenext';
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    module: nodeNext ? ts.ModuleKind.NodeNext : ts.ModuleKind.CommonJS,
    moduleResolution: nodeNext ? ts.ModuleResolutionKind.NodeNext : ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: ['jest', 'node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    esModuleInterop: true,
    baseUrl: ROOT,
    paths: {
      'stepwright': ['lib/index.d.ts'],
      'stepwright/testing': ['lib/testing/index.d.ts'],
      '*': ['node_modules/*', 'node_modules/@types/*'],
    },
  };
  const host = ts.createCompilerHost(options);
  // As tsc parses (its default since TypeScript 5.3): JSDoc only where it can change an error (in
  // JavaScript, and @see/@link naming an import). aws-cdk-lib's declarations are mostly JSDoc,
  // and parsing all of it was a third of this check's time.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const program = ts.createProgram([...files], options, host);
  // Every file but node_modules' is checked whole: the files, the examples' stacks they load and
  // stepwright's compiled declarations. The declarations under node_modules (aws-cdk-lib's,
  // constructs', @types', TypeScript's own lib) are checked whole, with skipLibCheck: false and
  // the options that change what they report, by test/declarations.test.ts, which loads them from
  // the same entry points; checking them again here was half this check's CPU (25 s; 12 s without).
  // Here, of theirs, only what the files and stepwright's declarations use is checked.
  const ours = program.getSourceFiles().filter((f) => !f.fileName.split(/[\\/]/).includes('node_modules'));
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...ours.flatMap((f) => program.getSyntacticDiagnostics(f)),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((f) => program.getSemanticDiagnostics(f)),
  ];
  return diagnostics.map((d) => {
    const where = d.file ? `${path.relative(ROOT, d.file.fileName)}(${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})` : '';
    return `${where}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/**
 * Runs the real vitest (the project's devDependency) on the files of `dir` that `include` names,
 * as a vitest project runs them: 'stepwright' is the package installed in the project's
 * node_modules (a link to this repository, so its `exports` lead to the compiled lib/), vitest
 * is the project's too, the config's `setupFiles` is `stepwright/testing/setup` (docs/testing.md,
 * 'With vitest') and nothing is changed in the files. Returns each file's result, as vitest's
 * json reporter gives it.
 */
export async function runVitest(dir: string, include: string): Promise<JestFileResult[]> {
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  const installed = path.join(ROOT, 'node_modules', 'vitest');
  if (!fs.existsSync(path.join(installed, 'package.json'))) throw new Error('vitest is missing from node_modules: it is a devDependency (.projenrc.ts); run `npm install`');
  for (const [name, target] of [['stepwright', ROOT], ['vitest', installed]] as const) {
    if (!fs.existsSync(path.join(modules, name))) fs.symlinkSync(target, path.join(modules, name), 'dir');
  }
  fs.writeFileSync(path.join(dir, 'vitest.config.mjs'), [
    'export default {',
    `  test: { include: [${JSON.stringify(include)}], setupFiles: ['stepwright/testing/setup'] },`,
    '};',
    '',
  ].join('\n'));
  const out = path.join(dir, 'vitest-results.json');
  const vitest = path.join(installed, 'vitest.mjs');
  await promisify(execFile)(process.execPath, [vitest, 'run', '--config', path.join(dir, 'vitest.config.mjs'), '--reporter=json', '--outputFile', out], {
    cwd: dir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  }).catch((e: unknown) => {
    // vitest exits 1 when a test fails: the results file says which.
    if (!fs.existsSync(out)) throw e;
  });
  return fileResults(out);
}

/** Each file's result in a report jest's --json or vitest's json reporter wrote (vitest writes jest's shape). */
function fileResults(out: string): JestFileResult[] {
  const results = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    testResults: Array<{ name: string; status: string; message: string; assertionResults: Array<{ status: string }> }>;
  };
  return results.testResults.map((t) => ({
    file: path.basename(t.name),
    status: t.status,
    passed: t.assertionResults.filter((a) => a.status === 'passed').length,
    failed: t.assertionResults.filter((a) => a.status === 'failed').length,
    skipped: t.assertionResults.filter((a) => a.status !== 'passed' && a.status !== 'failed').length,
    message: t.message,
  })).sort((a, b) => a.file.localeCompare(b.file));
}
