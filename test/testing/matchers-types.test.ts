import { readFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/*
 * The matchers' types must reach a project that imports only
 * 'stepwright/testing': its test files say `expect(run).toSucceed()` without
 * naming the setup file anywhere TypeScript would see it. Each check compiles
 * tiny in-memory files of such a project with the TypeScript compiler, with
 * 'stepwright/testing' resolved to the package entry as the published
 * package maps it, and nothing else of stepwright in the program.
 */

const ROOT = path.join(__dirname, '..', '..');
/** Where the in-memory consumer files pretend to live: under the repo, so @types/jest resolves. */
const CONSUMER_DIR = path.join(ROOT, 'test', 'testing', 'consumer-project');

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  types: ['jest'],
  esModuleInterop: true,
  baseUrl: ROOT,
  paths: {
    'stepwright/testing': ['src/testing/index.ts'],
    'stepwright/testing/setup': ['src/testing/setup.ts'],
  },
};

/** Parsed files shared by every program of this file: stepwright and aws-cdk-lib are parsed once. */
const parsed = new Map<string, ts.SourceFile | undefined>();

interface Compiled {
  /** `TS<code>: <message>` of each problem found in the consumer files. */
  readonly problems: string[];
  /** Files of stepwright's src/ that the program loaded, relative to the repo root. */
  readonly stepwrightFiles: string[];
}

/** Type-checks `files` (name -> text) as the test files of a consumer project. */
function compile(files: Record<string, string>): Compiled {
  const virtual = new Map(Object.entries(files).map(([name, text]) => [path.join(CONSUMER_DIR, name), text]));
  const host = ts.createCompilerHost(OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => virtual.has(f) || ts.sys.fileExists(f);
  host.readFile = (f) => virtual.get(f) ?? ts.sys.readFile(f);
  host.getSourceFile = (f, languageVersion, onError) => {
    const text = virtual.get(f);
    if (text !== undefined) return ts.createSourceFile(f, text, languageVersion, true);
    if (!parsed.has(f)) parsed.set(f, getSourceFile(f, languageVersion, onError));
    return parsed.get(f);
  };
  const program = ts.createProgram([...virtual.keys()], OPTIONS, host);
  const problems = [...virtual.keys()].flatMap((f) => {
    const source = program.getSourceFile(f)!;
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
      .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  });
  const src = path.join(ROOT, 'src') + path.sep;
  const stepwrightFiles = program.getSourceFiles()
    .map((s) => path.normalize(s.fileName))
    .filter((f) => f.startsWith(src))
    .map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
  return { problems, stepwrightFiles };
}

/** A consumer test file: a run from the harness and the matchers used on it. */
const USES_MATCHERS = `
import type { WorkflowRun } from 'stepwright/testing';
declare const run: WorkflowRun;
expect(run).toSucceed();
expect(run).not.toFail('Payment.Declined', /declined/);
expect(run).toFail(expect.stringContaining('Payment'), 'card declined');
expect(run).toHaveVisited('Validate', 'Charge');
expect(run).toHavePath(['Validate', 'Charge']);
expect(run).toHaveRetried('Charge', 1);
expect(run).toHaveOutput({ shipped: true });
`;

// One program loads stepwright's testing entry and aws-cdk-lib's types: about 5 s alone, and 118 s
// were measured with two busy loops on a shared 2-core machine (scripts/test-under-load.sh).
jest.setTimeout(300_000);

describe('the matchers\' types', () => {
  it('reach a test file that imports only from stepwright/testing', () => {
    const { problems, stepwrightFiles } = compile({ 'run.test.ts': USES_MATCHERS });
    expect(problems).toEqual([]);
    // The declaration comes through the entry, not from the setup file being in the program.
    expect(stepwrightFiles).toContain('src/testing/index.ts');
    expect(stepwrightFiles).not.toContain('src/testing/setup.ts');
  });

  it('still come with the setup file alone', () => {
    const { problems, stepwrightFiles } = compile({
      'setup.ts': "import 'stepwright/testing/setup';\n",
      'run.test.ts': 'declare const run: { status: string };\nexpect(run).toSucceed();\nexpect(run).toHaveRetried(\'Charge\', 1);\nexport {};\n',
    });
    expect(problems).toEqual([]);
    expect(stepwrightFiles).not.toContain('src/testing/index.ts');
  });

  it('are checked: a matcher stepwright does not have is an error (TS2339)', () => {
    const { problems } = compile({ 'run.test.ts': `${USES_MATCHERS}expect(run).toShipTheOrder();\n` });
    expect(problems).toEqual([expect.stringMatching(/^TS2339: Property 'toShipTheOrder' does not exist on type 'JestMatchers<WorkflowRun>'/)]);
  });

  it('are absent from a project that imports nothing of stepwright (the check can tell)', () => {
    const { problems } = compile({ 'run.test.ts': 'declare const run: { status: string };\nexpect(run).toSucceed();\nexport {};\n' });
    expect(problems).toEqual([expect.stringMatching(/^TS2339: Property 'toSucceed' does not exist/)]);
  });

  it('are kept in the declaration files the package ships (lib/testing/*.d.ts)', () => {
    // Declarations as `tsc` emits them for lib/, with the project's stripInternal.
    const declarations = (file: string) => ts.transpileDeclaration(readFileSync(path.join(ROOT, 'src', 'testing', file), 'utf8'), {
      fileName: file, compilerOptions: { stripInternal: true },
    }).outputText;
    const d = declarations('matchers.ts');
    expect(d).toMatch(/interface StepwrightMatchers<R> \{[^]*toSucceed\(\): R;/);
    expect(d).toMatch(/declare global \{\s*namespace jest \{\s*interface Matchers<R> extends StepwrightMatchers<R>/);
    expect(d).toMatch(/declare module 'expect' \{\s*interface Matchers<R extends void \| Promise<void>, T = unknown> extends StepwrightMatchers<R>/);
    expect(declarations('index.ts')).toMatch(/from '\.\/matchers'/);
    expect(declarations('setup.ts')).toMatch(/^import '\.\/matchers';$/m);
  });
});
