import * as path from 'node:path';
import * as ts from 'typescript';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build's own CommonJS script
const { markOptionalPeerImports, optionalPeers, MARK } = require('../scripts/optional-peer-types.cjs') as {
  MARK: string;
  markOptionalPeerImports(text: string, peers: readonly string[], file: string): string;
  optionalPeers(root: string): string[];
};

const ROOT = path.join(__dirname, '..');
/** Where the emitted declarations are placed (in memory), so that they resolve aws-cdk-lib and the rest from node_modules. */
const OUT = path.join(ROOT, 'lib');

/** The optional peer dependencies (package.json's peerDependenciesMeta): a user may not have them. */
const OPTIONAL_PEERS: string[] = optionalPeers(ROOT);

/** The entry points of package.json's `exports`, by their source under src/. */
const ENTRY_POINTS = ['index', 'testing/index', 'testing/setup', 'testing/reporter', 'interpreter/index', 'server/index'];

/** Files both programs read (the declarations of node_modules: aws-cdk-lib's alone are thousands), parsed once. */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** A compiler host that parses each file once for both programs, as a language service does. */
function sharedHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
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
 * Type-checks the entry points' declarations as a consumer's tsc does, with skipLibCheck: false;
 * `hidden` packages are made unresolvable, as in an app that has not installed them.
 */
function typeCheck(declarations: Map<string, string>, hidden: readonly string[]): string[] {
  const entries = ENTRY_POINTS.map((e) => path.join(OUT, `${e}.d.ts`));
  for (const e of entries) expect(declarations.has(e)).toBe(true);
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

describe('the declarations users compile against', () => {
  // `cdk init` and TypeScript's own default is skipLibCheck: false: a consumer's tsc then checks
  // every .d.ts its imports reach, and a declaration that refers to one stripInternal removed
  // breaks their build (as the getting-started app of every earlier release compiles:
  // scripts/consumer-check.sh does the same with the packed tarball, in CI only).
  let declarations: Map<string, string>;
  beforeAll(() => {
    declarations = emitDeclarations();
  }, 600_000); // about 60 s alone: it type-checks all of src/ to emit the declarations

  it('type-check with skipLibCheck: false from each entry point of package.json, as a new CDK app compiles them', () => {
    expect(typeCheck(declarations, [])).toEqual([]);
  }, 600_000);

  it('type-check with skipLibCheck: false in an app that has none of the optional peers (the AWS SDK clients, the MCP SDK, zod)', () => {
    expect(OPTIONAL_PEERS).toEqual(expect.arrayContaining(['@aws-sdk/client-sfn', '@modelcontextprotocol/sdk', 'zod']));
    // The case is not vacuous: the declarations do import an optional peer's types.
    expect([...declarations.values()].some((text) => text.includes("from '@aws-sdk/client-sfn'"))).toBe(true);
    expect(typeCheck(declarations, OPTIONAL_PEERS)).toEqual([]);
  }, 600_000);

  it('fails the build when a declaration names an optional peer other than by a top-level import', () => {
    expect(() => markOptionalPeerImports("export declare function f(): import('zod').ZodType;\n", ['zod'], 'lib/x.d.ts'))
      .toThrow(/lib\/x\.d\.ts: 'import\('zod'\)' needs an optional peer dependency/);
    expect(markOptionalPeerImports("import type {\n  A,\n  B } from 'zod/v4';\n", ['zod'], 'lib/x.d.ts'))
      .toBe(`${MARK}\nimport type { A, B } from 'zod/v4';\n`);
  });
});
