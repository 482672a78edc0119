import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { ROOT, where, type CodeBlock } from './markdown';
import { inThread } from '../in-thread';

/** Contexts a fragment may ask for: `<!-- check: typecheck <name> -->` declares the names of test/docs/contexts/<name>.ts. */
const CONTEXTS = path.join(ROOT, 'test', 'docs', 'contexts');

/**
 * Type-checks TypeScript and JavaScript blocks as users would compile them,
 * with 'stepwright' and its subpaths mapped to src/ (test/tsconfig.json's paths),
 * in one program, and returns each block's errors (empty when it compiles).
 *
 * A block that is a module (it has `export`) is checked as it is. Any other block
 * is a fragment: its imports stay at the top and the rest becomes the body of an
 * async function whose `this` is a CDK Stack, so `Task.lambdaInvoke(this, ...)`
 * and `await` read as they do in a stack's constructor or a test. Names it uses
 * but does not define come from its context, which declares them with their types.
 */
export function typecheck(blocks: readonly CodeBlock[]): Map<CodeBlock, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'test', 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    allowJs: true,
    checkJs: true,
    // A fragment shows one step; what it declares for the next one is not an error.
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  const files = new Map<string, { block: CodeBlock; text: string }>();
  blocks.forEach((block, i) => {
    const ext = block.lang === 'js' ? 'js' : 'ts';
    const file = path.join(ROOT, 'docs', `.block-${i}-${path.basename(block.doc, '.md')}-${block.line}.${ext}`);
    files.set(file, { block, text: virtualSource(block, ext) });
  });
  const host = ts.createCompilerHost(options);
  // As tsc parses (its default since TypeScript 5.3): JSDoc only where it can change an error (in
  // JavaScript blocks and contexts, and @see/@link naming an import), not the JSDoc that makes up
  // most of aws-cdk-lib's declarations and of src/.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    const v = files.get(path.resolve(name));
    return v ? ts.createSourceFile(name, v.text, language, true) : getSourceFile(name, language, ...rest);
  };
  host.fileExists = (name) => files.has(path.resolve(name)) || fileExists(name);
  host.readFile = (name) => files.get(path.resolve(name))?.text ?? readFile(name);
  // The matchers' types come with 'stepwright/testing'; a block that only calls them gets them from here.
  const matchers = path.join(ROOT, 'src', 'testing', 'matchers.ts');
  const ofKind = (ext: string) => [...files.keys()].filter((f) => f.endsWith(`.${ext}`));
  const typed = ts.createProgram([...ofKind('ts'), matchers], options, host);
  // A JavaScript file declares no types, so nothing in it is implicitly any: users' jest setup files
  // set globalThis fields, which strict checking of JavaScript would refuse. The second program
  // reuses the first one's files, so it costs little.
  const untyped = ts.createProgram([...ofKind('js'), matchers], { ...options, noImplicitAny: false }, host, typed);
  const errors = new Map<CodeBlock, string[]>(blocks.map((b) => [b, []]));
  // Each program checks the blocks it holds and the contexts they import, not all of src/: the test
  // command's first step (tsc -p test/tsconfig.json) checks the library with stricter options than
  // these, and checking it again here took most of this test's time. The checker reads what a block
  // uses from src/ all the same, so a block that misuses the library still fails.
  const checked = (program: ts.Program, ext: string) => program.getSourceFiles()
    .filter((f) => (f.fileName.endsWith(`.${ext}`) && files.has(path.resolve(f.fileName))) || path.resolve(f.fileName).startsWith(CONTEXTS + path.sep));
  const diagnostics = [typed, untyped].flatMap((program, i) => [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...checked(program, i === 0 ? 'ts' : 'js').flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ]);
  const seen = new Set<string>();
  for (const d of diagnostics) {
    // An error outside the blocks shows up in both programs: report it once.
    const key = `${d.file?.fileName}:${d.start}:${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const v = d.file ? files.get(path.resolve(d.file.fileName)) : undefined;
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!v) {
      // An error outside the blocks (a context file, the library) is every block's problem.
      const at = d.file ? `${path.relative(ROOT, d.file.fileName)}: ` : '';
      for (const list of errors.values()) list.push(`${at}${message}`);
      continue;
    }
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    const text = v.text.split('\n')[line].trim();
    errors.get(v.block)!.push(`${where(v.block)}: ${message}\n    at: ${text}`);
  }
  return errors;
}

/** {@link typecheck}'s errors, one list per block in the blocks' order: what a worker thread can send back. */
export function typecheckErrors(blocks: readonly CodeBlock[]): string[][] {
  const errors = typecheck(blocks);
  return blocks.map((b) => errors.get(b)!);
}

/**
 * {@link typecheck} in a worker thread (test/in-thread.ts): the two programs it builds hold about
 * 1.4 GB, which then leave with the thread instead of staying in the jest worker.
 */
export async function typecheckInThread(blocks: readonly CodeBlock[]): Promise<Map<CodeBlock, string[]>> {
  const errors = await inThread<string[][]>(__filename, 'typecheckErrors', [blocks]);
  return new Map(blocks.map((b, i) => [b, errors[i]]));
}

function virtualSource(block: CodeBlock, ext: 'ts' | 'js'): string {
  const source = ts.createSourceFile(`block.${ext}`, block.code, ts.ScriptTarget.ES2022, true);
  const isModule = source.statements.some((s) => ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    || source.statements.some((s) => ts.isExportAssignment(s) || ts.isExportDeclaration(s));
  const context = block.check === 'typecheck' && block.argument ? contextImport(block.argument, source) : '';
  if (isModule || ext === 'js') return `${block.code}\n${context}\n${ext === 'ts' && !isModule ? 'export {};\n' : ''}`;
  // Imports stay at the top; every other line keeps its place inside the function, so messages quote the right line.
  let body = block.code;
  const imports: string[] = [];
  for (const s of [...source.statements].reverse()) {
    if (!ts.isImportDeclaration(s) && !ts.isImportEqualsDeclaration(s)) continue;
    imports.unshift(s.getText(source));
    body = body.slice(0, s.getStart(source)) + s.getText(source).replace(/[^\n]/g, ' ') + body.slice(s.getEnd());
  }
  return `${imports.join('\n')}\n${context}\nexport async function block(this: import('aws-cdk-lib').Stack): Promise<void> {\n${body}\n}\n`;
}

/** `import { a, b } from '<context>'` for every name the context exports and the block does not import itself. */
function contextImport(name: string, block: ts.SourceFile): string {
  const file = path.join(CONTEXTS, `${name}.ts`);
  if (!fs.existsSync(file)) throw new Error(`no context '${name}': ${path.relative(ROOT, file)} does not exist`);
  const context = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const imported = new Set<string>();
  for (const s of block.statements) {
    const clause = ts.isImportDeclaration(s) ? s.importClause : undefined;
    if (clause?.name) imported.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) imported.add(e.name.text);
    if (bindings && ts.isNamespaceImport(bindings)) imported.add(bindings.name.text);
  }
  const names: string[] = [];
  for (const s of context.statements) {
    if (!ts.canHaveModifiers(s) || !ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) {
      names.push(s.name.text);
    }
  }
  const wanted = names.filter((n) => !imported.has(n));
  const specifier = file.replace(/\.ts$/, '').split(path.sep).join('/');
  return wanted.length ? `import { ${wanted.join(', ')} } from '${specifier}';` : '';
}
