import type { ScenarioCheck } from './checks';
import { commentText, printValue, stringLiteral } from './literal';
import { fileFolder, importSpecifier, isModule, isTypeScript, moduleImports, type TestFileFormat } from './module-format';
import { loaderOf, mocksExpression, runAndChecks, runnerImports, type MockWriting, type RunSetting, type ScaffoldSource, type TestRunner } from './tests';
import type { StateMachineDefinition } from '../../asl';
import type { MachineType } from '../../asl/aws-defaults';
import { DEFAULT_SEED } from '../../asl/random';
import { allStates } from '../../asl/state-tree';
import type { Counterexample, PathProperty, VerifyProperty, VerifyReport } from '../../explore';
import type { RunCheckOptions } from '../mocks';

/*
 * What `stepwright verify --write-tests` writes: a jest (or vitest) test per VIOLATED property that runs its
 * counterexample (input and Task answers, written as explore's tests write them) and asserts the
 * violation, so the test keeps failing the property until the machine is fixed, and then says so.
 */

/** Options of {@link scaffoldVerifyTests}. @internal */
export interface ScaffoldVerifyTestsOptions {
  /** How the file loads the state machine. */
  readonly source: ScaffoldSource;
  readonly definition: StateMachineDefinition;
  /** The properties verify checked, by name (the module's exports). */
  readonly properties: Readonly<Record<string, VerifyProperty<never>>>;
  /**
   * The property module, relative to the test file's directory, '/'-separated: a test of a
   * function of the run requires it to call the function. @default - none
   */
  readonly propertyModule?: string;
  readonly seed?: number;
  readonly type?: MachineType;
  /** The local S3 folder verify read, relative to the test file's directory. */
  readonly s3?: string;
  /** The MockConfigFile test case verify answered Tasks from, the file relative to the test file's directory: each test loads it too. */
  readonly mockConfig?: RunSetting['mockConfig'];
  /** The check options verify ran with: each test runs with the same ones. */
  readonly checks?: RunCheckOptions;
  /** The command line, for the file's first comment. */
  readonly generatedBy: string;
  /** @default 'stepwright/testing' */
  readonly importFrom?: string;
  /** The test runner the file is for: `'vitest'` imports `describe`, `expect` and `it` from 'vitest'. @default 'jest' */
  readonly runner?: TestRunner;
  /** The kind of file to write (see scaffoldTests' option). @default 'typescript' */
  readonly format?: TestFileFormat;
  /**
   * How the file loads the property module: `require()` it (a CommonJS file), or `import` it (an
   * ES module, or a TypeScript file of a `"type": "module"` project, where a `require()` of an ES
   * module property file needs Node 20.19 or later).
   * @default - 'import' in an ES module file, else 'require'
   */
  readonly propertyImport?: 'require' | 'import';
}

/** How the run ended and the path it took: the first checks of every test. */
function outcomeChecks(c: Counterexample): ScenarioCheck[] {
  const end: ScenarioCheck = c.status === 'SUCCEEDED'
    ? { kind: 'succeeds' }
    : c.status === 'FAILED' ? { kind: 'fails', ...(c.error !== undefined ? { error: c.error } : {}) } : { kind: 'status', status: c.status };
  return [end, { kind: 'path', states: [...c.path] }];
}

/** The lines that assert a path property is broken by `run`, as verify judges it. */
function violationLines(p: PathProperty, c: Counterexample): string[] {
  const s = stringLiteral;
  switch (p.kind) {
    case 'never': return [`expect(run).toHaveVisited(${s(p.state)});`];
    case 'leadsTo': return [
      `// '${commentText(p.from)}' is entered, and none of the states it must lead to after its last entry.`,
      `expect(run).toHaveVisited(${s(p.from)});`,
      `const after = run.path.slice(run.path.lastIndexOf(${s(p.from)}) + 1);`,
      ...p.to.map((t) => `expect(after).not.toContain(${s(t)});`),
    ];
    case 'precedes': return [
      `expect(run).toHaveVisited(${s(p.then)});`,
      `expect(run.path.slice(0, run.path.indexOf(${s(p.then)}))).not.toContain(${s(p.first)});`,
    ];
    case 'atMost': return [`expect(run.path.filter((state) => state === ${s(p.state)}).length).toBeGreaterThan(${p.times});`];
    case 'endsWith':
      if (p.statuses !== undefined && !p.statuses.includes(c.status)) return [`expect(${printValue([...p.statuses], 4, 11)}).not.toContain(run.status);`];
      return [`expect(${printValue([...(p.errors ?? [])], 4, 11)}).not.toContain(run.error);`];
    case 'maxTransitions': return [`expect(run.path.length).toBeGreaterThan(${p.limit});`];
    case 'maxSeconds': return [`expect((run.stopDate.getTime() - run.startDate.getTime()) / 1000).toBeGreaterThan(${p.limit});`];
  }
}

/**
 * A jest (or vitest) file with one test per VIOLATED property of `report`: it runs the counterexample's
 * input with its Task answers, checks the run ends and goes as verify saw it, and asserts the
 * property is broken. A file with no VIOLATED property holds one test saying so.
 * @internal
 */
export function scaffoldVerifyTests(report: VerifyReport, options: ScaffoldVerifyTestsOptions): string {
  const w: MockWriting = { used: new Set(), states: allStates(options.definition) };
  const run: RunSetting = {
    seed: options.seed ?? DEFAULT_SEED,
    ...(options.s3 !== undefined ? { s3: options.s3 } : {}),
    ...(options.checks !== undefined ? { checks: options.checks } : {}),
    ...(options.mockConfig !== undefined ? { mockConfig: options.mockConfig } : {}),
    ...(options.format !== undefined ? { format: options.format } : {}),
  };
  const body = '    ';
  let needsModule = false;
  const tests: string[] = [];
  for (const [name, verdict] of Object.entries(report.properties)) {
    const c = verdict.counterexample;
    if (verdict.verdict !== 'VIOLATED' || c === undefined) continue;
    const p = options.properties[name];
    const lines = [`  // verify: ${commentText(verdict.reason)}`, `  it(${stringLiteral(`${name} is violated: ${verdict.property}`)}, async () => {`];
    const mocks = Object.keys(c.mocks).length > 0 ? mocksExpression(c.mocks, body.length + 2, w) : undefined;
    lines.push(...runAndChecks(c.input, mocks, run, outcomeChecks(c), body));
    if (typeof p === 'function' || (p !== undefined && p.kind === 'run')) {
      if (options.propertyModule === undefined) {
        lines.push(`${body}// A function of the run: call it on run to see it false.`);
      } else {
        needsModule = true;
        const call = typeof p === 'function' ? `properties[${stringLiteral(name)}]` : `properties[${stringLiteral(name)}].test`;
        // No type assertion: the file may be JavaScript (`--write-tests x.test.js`), and require() gives TypeScript `any`.
        lines.push(`${body}expect(${call}(run)).toBe(false);`);
      }
    } else if (p !== undefined) {
      lines.push(...violationLines(p, c).map((l) => `${body}${l}`));
    }
    lines.push('  });');
    tests.push(lines.join('\n'));
  }
  const loaded = loaderOf(options.source, options.type, options.format);
  const pathImport = "import * as path from 'path';";
  const needsPath = run.s3 !== undefined || run.mockConfig !== undefined;
  const imports = needsPath && !loaded.imports.includes(pathImport) ? [pathImport, ...loaded.imports] : [...loaded.imports];
  const module = options.propertyModule;
  const imported = needsModule && module !== undefined && (options.propertyImport ?? (isModule(options.format) ? 'import' : 'require')) === 'import';
  if (needsModule && !imported && !imports.includes(pathImport)) imports.unshift(pathImport);
  const names = ['Workflow', ...['delay', 'fail', 'succeed'].filter((n) => w.used.has(n))];
  const from = options.importFrom ?? 'stepwright/testing';
  const header = [
    `Counterexamples \`stepwright verify\` found for ${report.machine}: each test runs the input and Task`,
    'answers of a run that breaks a property and asserts that it does. Once the machine is fixed, the',
    'test fails: the property holds on this run (run verify again), and the test can go.',
    `Written by: ${options.generatedBy}`,
  ];
  return [
    ...header.map((l) => `// ${commentText(l)}`),
    ...moduleImports([
      ...imports,
      ...runnerImports(options.runner),
      `import { ${names.join(', ')} } from ${stringLiteral(from)};`,
      // An ES module's property file is imported: require() of one needs Node 20.19.
      ...(imported ? [...untypedImport(options.format, module!), `import * as propertyModule from ${importSpecifier(module!)};`] : []),
    ], options.format),
    '',
    ...(imported ? importedProperties(options.format) : []),
    ...loaded.setup,
    ...(needsModule && module !== undefined && !imported
      ? ['// eslint-disable-next-line @typescript-eslint/no-require-imports -- the property module verify loaded',
        `const properties = require(path.resolve(${fileFolder(options.format)}, ${stringLiteral(module)}));`]
      : []),
    '',
    `describe(${stringLiteral(`${report.machine}: the properties verify found violated`)}, () => {`,
    tests.length > 0 ? tests.join('\n\n') : [
      "  it('loads the state machine (verify found no property violated)', () => {",
      '    expect(Object.keys(wf.definition.States).length).toBeGreaterThan(0);',
      '  });',
    ].join('\n'),
    '});',
    '',
  ].join('\n');
}

/**
 * The properties an imported module gives, read as verify's loader reads them: its exports by
 * name, or its default export's fields when that is all it has (`export default { … }`). A
 * CommonJS module imported by an ES module is its default export, `module.exports`, and the names
 * beside it are only those the loader's scan of its code found: jest finds none in
 * `module.exports = { … }`, so its functions are read from the default export.
 */
function importedProperties(format: TestFileFormat | undefined): string[] {
  const typed = isTypeScript(format);
  return [
    "// The module's exports by name, or its default export's fields when that is all it has (a CommonJS module's exports).",
    typed
      ? 'const propertyExports = propertyModule as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the JavaScript module verify loaded'
      : 'const propertyExports = propertyModule;',
    `const properties${typed ? ': Record<string, any>' : ''} = Object.keys(propertyExports).some((name) => name !== 'default') ? propertyExports : propertyExports.default;${typed ? ' // eslint-disable-line @typescript-eslint/no-explicit-any' : ''}`,
    '',
  ];
}

/**
 * The lines before a TypeScript file's import of a JavaScript property module: TypeScript types
 * one only under `allowJs` or with a declaration file, and a strict project (a CDK app's) refuses
 * the import of one it cannot type (TS7016); `@ts-ignore`, not `@ts-expect-error`, which an
 * `allowJs` project would refuse as unused. Nothing for a JavaScript file or a TypeScript module.
 */
function untypedImport(format: TestFileFormat | undefined, module: string): string[] {
  if (!isTypeScript(format) || !/\.[cm]?js$/i.test(module)) return [];
  return [
    '// eslint-disable-next-line @typescript-eslint/ban-ts-comment -- the property module verify loaded is JavaScript',
    '// @ts-ignore: TypeScript types a JavaScript module only with allowJs or a declaration file',
  ];
}
