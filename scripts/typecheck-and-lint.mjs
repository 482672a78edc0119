// The type check and the lint of the test task, on one TypeScript program (scripts/typecheck-and-lint.sh
// runs this beside jest). `tsc --noEmit -p test/tsconfig.json` and the eslint task each built and
// type-checked src/, test/ and the declarations of aws-cdk-lib, the SDK and Node: ESLint's
// type-aware rules asked a second checker every type tsc had already worked out. Here the program
// is built once, from test/tsconfig.json's options over its files and tsconfig.eslint.json's (which
// adds .projenrc.ts), and both use its checker (docs/contributing.md, "Type check and lint in one process").
//
// - tsc's part prints what `tsc --noEmit -p test/tsconfig.json` prints, in its order and format,
//   for the files that program holds (a second program over test/tsconfig.json's roots alone, built
//   on the first's parsed files, names them: a file only .projenrc.ts brings in is not tsc's).
// - ESLint's part lints the eslint task's paths with .eslintrc.json, given parserOptions.programs:
//   console/tsconfig.json's program (its DOM types) first, as its parserOptions.project does, then
//   the shared one. It does not fix: a program's files are the text it parsed, and a fix changes
//   the text under it. `npx projen eslint` fixes, as before.
//
// Exit: 0 when both are clean; otherwise 1, after printing both reports.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadESLint } from 'eslint';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

/** A tsconfig's parsed command line, and its errors as tsc reports them. */
function parseConfig(file) {
  const errors = [];
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => errors.push(d) };
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, file), undefined, host);
  if (!parsed) return { errors };
  return { parsed, errors: [...errors, ...parsed.errors] };
}

const formatHost = {
  getCurrentDirectory: () => ts.sys.getCurrentDirectory(),
  getCanonicalFileName: (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()),
  getNewLine: () => ts.sys.newLine,
};

function typecheck() {
  const test = parseConfig('test/tsconfig.json');
  const lint = parseConfig('tsconfig.eslint.json');
  if (!test.parsed || !lint.parsed) {
    const errors = [...test.errors, ...lint.errors];
    process.stdout.write(ts.formatDiagnostics(errors, formatHost));
    return { ok: false };
  }
  const options = test.parsed.options;
  const host = ts.createCompilerHost(options);
  const configFileParsingDiagnostics = ts.getConfigFileParsingDiagnostics(test.parsed);
  // tsc's own program: only its file set is wanted, so its checker is never made.
  const tscProgram = ts.createProgram({
    rootNames: test.parsed.fileNames,
    options,
    host,
    projectReferences: test.parsed.projectReferences,
    configFileParsingDiagnostics,
  });
  const shared = ts.createProgram({
    rootNames: [...new Set([...test.parsed.fileNames, ...lint.parsed.fileNames])],
    options,
    host,
    projectReferences: test.parsed.projectReferences,
    configFileParsingDiagnostics,
    oldProgram: tscProgram,
  });
  const files = tscProgram.getSourceFiles().map((f) => shared.getSourceFile(f.fileName));
  // As tsc's emitFilesAndReportErrors gathers them: a kind is asked only while none before it reported.
  const all = [...shared.getConfigFileParsingDiagnostics()];
  const before = all.length;
  all.push(...files.flatMap((f) => shared.getSyntacticDiagnostics(f)));
  if (all.length === before) {
    all.push(...shared.getOptionsDiagnostics());
    all.push(...shared.getGlobalDiagnostics());
    if (all.length === before) all.push(...files.flatMap((f) => shared.getSemanticDiagnostics(f)));
    if (options.noEmit && (options.declaration || options.composite) && all.length === before) {
      all.push(...files.flatMap((f) => shared.getDeclarationDiagnostics(f)));
    }
  }
  const diagnostics = ts.sortAndDeduplicateDiagnostics(all);
  process.stdout.write('-- tsc --noEmit -p test/tsconfig.json (its files, in the shared program)\n');
  for (const d of diagnostics) process.stdout.write(ts.formatDiagnostic(d, formatHost));
  return { ok: diagnostics.length === 0, shared };
}

/** The eslint task's paths and extensions (.projen/tasks.json): one list, the task's. */
function eslintTaskArgs() {
  const args = JSON.parse(fs.readFileSync('.projen/tasks.json', 'utf8')).tasks.eslint.steps[0].execArgs;
  const paths = [];
  let extensions = ['.ts'];
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '--ext') extensions = args[++i].split(',');
    else if (!args[i].startsWith('-') && args[i] !== '$@') paths.push(args[i]);
  }
  return { paths, extensions };
}

async function lint(shared) {
  const consoleConfig = parseConfig('console/tsconfig.json');
  if (!consoleConfig.parsed) throw new Error('console/tsconfig.json: ' + ts.formatDiagnostics(consoleConfig.errors, formatHost));
  const consoleProgram = ts.createProgram({ rootNames: consoleConfig.parsed.fileNames, options: consoleConfig.parsed.options });
  const { paths, extensions } = eslintTaskArgs();
  const ESLint = await loadESLint({ useFlatConfig: false });
  const eslint = new ESLint({
    cwd: root,
    extensions,
    errorOnUnmatchedPattern: false,
    overrideConfig: { parserOptions: { programs: [consoleProgram, shared] } },
  });
  const results = await eslint.lintFiles(paths.filter((p) => fs.existsSync(p)));
  const formatter = await eslint.loadFormatter('stylish');
  const text = await formatter.format(results);
  process.stdout.write(`-- eslint: ${results.length} files linted (the eslint task's paths, without --fix)\n`);
  if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return results.every((r) => r.errorCount === 0 && r.fatalErrorCount === 0);
}

const checked = typecheck();
let linted = false;
if (checked.shared) {
  linted = await lint(checked.shared);
} else {
  process.stdout.write('eslint: not run, the test tsconfig did not parse\n');
}
process.exitCode = checked.ok && linted ? 0 : 1;
