import * as path from 'path';
import * as ts from 'typescript';

/*
 * Compiles the in-memory test files of a project that imports only 'stepwright/testing', for
 * test/testing/matchers-types.test.ts, which runs it in a worker thread: 'stepwright/testing'
 * resolves to the package entry as the published package maps it, and nothing else of
 * stepwright is in the program.
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

export interface Compiled {
  /** `TS<code>: <message>` of each problem found in the consumer files. */
  readonly problems: string[];
  /** Files of stepwright's src/ that the program loaded, relative to the repo root. */
  readonly stepwrightFiles: string[];
}

/** Type-checks `files` (name -> text) as the test files of a consumer project. */
export function compile(files: Record<string, string>): Compiled {
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


/**
 * Each project compiled in turn, sharing the parsed files: what the test runs in a worker thread
 * (test/in-thread.ts), so the programs' memory (700 MB) leaves with the thread.
 */
export function compileAll(projects: ReadonlyArray<Record<string, string>>): Compiled[] {
  return projects.map(compile);
}
