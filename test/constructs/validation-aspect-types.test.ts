import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Aspects, type IAspect } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { StateMachineValidator } from '../../src/constructs/validation-aspect';

/*
 * The builders guide (docs/builders.md) tells users to write `Aspects.of(app).add(new StateMachineValidator())`.
 * They compile against the published declarations, which tsc emits with
 * `stripInternal`: a `visit` marked @internal vanishes from them and the
 * class no longer satisfies IAspect (TS2345). tsc type-checks this file
 * against src/ (test/tsconfig.json); the compiler check below reproduces the
 * consumer's view, declarations and all.
 */

// Compiled by tsc with the project's tests: the declared type is an IAspect.
const asAspect: IAspect = new StateMachineValidator({ warnings: false });

const ROOT = path.join(__dirname, '..', '..');
/** Where the in-memory consumer files pretend to live: under the repo, so aws-cdk-lib resolves. */
const CONSUMER_DIR = path.join(ROOT, 'test', 'constructs', 'consumer-project');

/** Library files parsed once for every program of this file. */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** Type-checks a consumer file that imports the validator's emitted declarations; returns `TS<code>` problems. */
function compileAgainstDeclarations(consumer: string): string[] {
  const source = readFileSync(path.join(ROOT, 'src', 'constructs', 'validation-aspect.ts'), 'utf8');
  // aws-cdk-lib/core declares the same IAspect as the package root and is much quicker to load.
  const declarations = ts.transpileDeclaration(source, { compilerOptions: { stripInternal: true } }).outputText
    .replace(/from 'aws-cdk-lib'/g, "from 'aws-cdk-lib/core'");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
  };
  const files = new Map([
    [path.join(CONSUMER_DIR, 'validator.d.ts'), declarations],
    [path.join(CONSUMER_DIR, 'app.ts'), consumer],
  ]);
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.fileExists = (f) => files.has(f) || ts.sys.fileExists(f);
  host.directoryExists = (d) => d === CONSUMER_DIR || ts.sys.directoryExists(d);
  host.readFile = (f) => files.get(f) ?? ts.sys.readFile(f);
  host.getSourceFile = (f, version, onError) => {
    const text = files.get(f);
    if (text !== undefined) return ts.createSourceFile(f, text, version, true);
    if (!parsed.has(f)) parsed.set(f, read(f, version, onError));
    return parsed.get(f);
  };
  const program = ts.createProgram([path.join(CONSUMER_DIR, 'app.ts')], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

// The first program parses aws-cdk-lib's types: about a second alone, and 18 s were measured with
// two busy loops on a shared 2-core machine (scripts/test-under-load.sh).
jest.setTimeout(300_000);

describe('StateMachineValidator as an IAspect', () => {
  it('is accepted by Aspects.of(app).add in a project compiled against the published declarations', () => {
    const problems = compileAgainstDeclarations([
      "import { App, Aspects } from 'aws-cdk-lib/core';",
      "import { StateMachineValidator } from './validator';",
      'const app = new App();',
      'Aspects.of(app).add(new StateMachineValidator());',
      'Aspects.of(app).add(new StateMachineValidator({ warnings: false }));',
    ].join('\n'));
    expect(problems).toEqual([]);
  });

  it('reports the TS2345 a user would see when the consumer passes something that is not an aspect', () => {
    // Proves the check above type-checks the consumer at all.
    const problems = compileAgainstDeclarations([
      "import { App, Aspects } from 'aws-cdk-lib/core';",
      'Aspects.of(new App()).add({});',
    ].join('\n'));
    expect(problems).toEqual([expect.stringMatching(/^TS2345: .*IAspect/s)]);
  });

  it('is added with the aspects of an app', () => {
    const app = new App();
    Aspects.of(app).add(asAspect);
    expect(Aspects.of(app).all).toContain(asAspect);
  });
});
