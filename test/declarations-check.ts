/*
 * What test/declarations.test.ts checks, in a module of its own so that it runs in a worker thread
 * (test/in-thread.ts): the programs below hold over a gigabyte, which then leaves with the thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build's own CommonJS script
export const { markOptionalPeerImports, optionalPeers, MARK } = require('../scripts/optional-peer-types.cjs') as {
  MARK: string;
  markOptionalPeerImports(text: string, peers: readonly string[], file: string): string;
  optionalPeers(root: string): string[];
};

const ROOT = path.join(__dirname, '..');
/** Where the emitted declarations are placed (in memory), so that they resolve aws-cdk-lib and the rest from node_modules. */
const OUT = path.join(ROOT, 'lib');

/** The optional peer dependencies (package.json's peerDependenciesMeta): a user may not have them. */
export const OPTIONAL_PEERS: string[] = optionalPeers(ROOT);

/** The entry points of package.json's `exports`, by their source under src/. */
const ENTRY_POINTS = ['index', 'testing/index', 'testing/setup', 'testing/reporter', 'testing/vitest-reporter', 'interpreter/index', 'server/index'];

/** Files both programs read (the declarations of node_modules: aws-cdk-lib's alone are thousands), parsed once. */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** A compiler host that parses each file once for both programs, as a language service does. */
function sharedHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  // As tsc parses, for the compile that writes lib/ and for a consumer's (its default since
  // TypeScript 5.3): JSDoc only where it can change an error, not aws-cdk-lib's many pages of it.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    // How a file parses depends on these settings; both programs are strict, and the other options that
    // change how a file is bound (switch fallthrough, labels, unreachable code) concern code that a .d.ts
    // has none of. Sources (src/, the emitted declarations) are parsed fresh for each program.
    const v = typeof languageVersion === 'object' ? languageVersion : { languageVersion };
    const key = `${v.languageVersion}:${v.impliedNodeFormat ?? ''}:${v.jsDocParsingMode ?? ''}:${path.resolve(name)}`;
    if (!name.includes(`${path.sep}node_modules${path.sep}`) || !name.endsWith('.d.ts') || shouldCreate) {
      return getSourceFile(name, languageVersion, onError, shouldCreate);
    }
    if (!parsed.has(key)) parsed.set(key, getSourceFile(name, languageVersion, onError));
    return parsed.get(key);
  };
  return host;
}

/**
 * The declarations `npx projen compile` writes into lib/ for the entry points and every module they
 * load, made in memory from src/ with the project's compiler options (stripInternal among them).
 */
function emitDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  const options: ts.CompilerOptions = {
    ...config.options,
    declaration: true,
    emitDeclarationOnly: true,
    noEmit: false,
    declarationMap: false,
    incremental: false,
    tsBuildInfoFile: undefined,
  };
  const program = ts.createProgram(ENTRY_POINTS.map((e) => path.join(ROOT, 'src', `${e}.ts`)), options, sharedHost(options));
  const files = new Map<string, string>();
  // As `npx projen compile` does after tsc (scripts/optional-peer-types.cjs).
  const write = (file: string, text: string): void => {
    if (file.endsWith('.d.ts')) files.set(path.resolve(file), markOptionalPeerImports(text, OPTIONAL_PEERS, file));
  };
  const emitted = program.emit(undefined, write, undefined, true);
  if (emitted.emitSkipped) throw new Error('declaration emit was skipped');
  return files;
}

/**
 * The declarations in lib/ when tsc --build finds lib/ up to date with src/ and tsconfig.json (as
 * `npm install` and `npx projen compile` leave it, and as CI's test step finds it): the files the
 * package ships, which are what emitDeclarations makes again from src/, without type-checking all
 * of src/ a second time (measured: 42 s of CPU for the whole check instead of 55). Marked as the
 * compile marks them (the marking is idempotent), in case the compile stopped between tsc and it.
 * Undefined when a source, tsconfig.json or lib/ itself is newer or missing: then they are emitted.
 */
function builtDeclarations(): Map<string, string> | undefined {
  const quiet = (): void => undefined;
  const builder = ts.createSolutionBuilder(ts.createSolutionBuilderHost(ts.sys, undefined, quiet, quiet), [path.join(ROOT, 'tsconfig.json')], {});
  if (builder.getNextInvalidatedProject() !== undefined) return undefined;
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.isFile() && e.name.endsWith('.d.ts')) files.set(path.resolve(file), markOptionalPeerImports(fs.readFileSync(file, 'utf8'), OPTIONAL_PEERS, path.relative(ROOT, file)));
    }
  };
  if (!fs.existsSync(OUT)) return undefined;
  walk(OUT);
  return files;
}

/**
 * Type-checks the entry points' declarations as a consumer's tsc does, with skipLibCheck: false;
 * `hidden` packages are made unresolvable, as in an app that has not installed them.
 */
function typeCheck(declarations: Map<string, string>, hidden: readonly string[]): string[] {
  const entries = ENTRY_POINTS.map((e) => path.join(OUT, `${e}.d.ts`));
  const options: ts.CompilerOptions = {
    noEmit: true,
    strict: true,
    skipLibCheck: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts'],
    types: ['node', 'jest'],
    esModuleInterop: true,
  };
  const host = sharedHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  const isHidden = (name: string): boolean => hidden.some((p) => path.resolve(name).includes(`${path.sep}node_modules${path.sep}${p.split('/').join(path.sep)}`));
  host.readFile = (name) => declarations.get(path.resolve(name)) ?? (isHidden(name) ? undefined : readFile(name));
  const onDisk = (name: string): boolean => !path.resolve(name).startsWith(OUT + path.sep) && !isHidden(name) && fileExists(name);
  host.fileExists = (name) => declarations.has(path.resolve(name)) || onDisk(name);
  if (directoryExists) host.directoryExists = (name) => !isHidden(name) && directoryExists(name);
  const program = ts.createProgram(entries, options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}


/** What the declarations test asserts, computed in one go. */
export interface DeclarationChecks {
  /** Entry points whose declaration was not emitted. */
  readonly missingEntries: readonly string[];
  /** Problems a consumer's tsc finds with skipLibCheck: false. */
  readonly problems: readonly string[];
  /** The same, in an app with none of the optional peers installed. */
  readonly problemsWithoutOptionalPeers: readonly string[];
  /** Whether some declaration imports an optional peer's types (the check without them is not vacuous). */
  readonly importsAnOptionalPeer: boolean;
}

/** Takes the declarations of lib/ or emits them from src/, and type-checks them as a consumer would, with and without the optional peers. */
export function checkDeclarations(): DeclarationChecks {
  const declarations = builtDeclarations() ?? emitDeclarations();
  return {
    missingEntries: ENTRY_POINTS.filter((e) => !declarations.has(path.join(OUT, `${e}.d.ts`))),
    problems: typeCheck(declarations, []),
    problemsWithoutOptionalPeers: typeCheck(declarations, OPTIONAL_PEERS),
    importsAnOptionalPeer: [...declarations.values()].some((text) => text.includes("from '@aws-sdk/client-sfn'")),
  };
}
