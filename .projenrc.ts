import * as fs from 'node:fs';
import { javascript, JsonFile, TaskShell, typescript } from 'projen';
import { ApiErrors } from './src/asl/api-errors';

// Versions are pinned on purpose: several `latest` tags are broken on Node 20
// (aws-cdk 3.0.0, typescript 7, jsonpath-plus 11 needs Node 22).
const CDK_LIB = '2.245.0';
const CONSTRUCTS = '10.5.1';

// Optional peer dependencies: what only some features need, so that a CDK app testing with
// stepwright does not install them (issue 51 §4). A user adds one when using its feature; until then
// src/workbench/common/optional-peers.ts (which lists the same ranges) says which to add.
const OPTIONAL_PEERS = [
  // Reading executions from AWS (record, diff), client() of 'stepwright/server'.
  '@aws-sdk/client-sfn@^3.700.0',
  // Sending Tasks to an endpoint (`--endpoint lambda=…`, a run's `endpoints`).
  '@aws-sdk/client-lambda@~3.1163.0', '@aws-sdk/client-sqs@~3.1163.0', '@aws-sdk/client-sns@~3.1163.0', '@aws-sdk/client-dynamodb@~3.1163.0',
  // An S3-compatible server in place of the local S3 folder (`--endpoint s3=…`).
  '@aws-sdk/client-s3@~3.1163.0',
  // The MCP server (`stepwright mcp`). Pinned: it is a protocol.
  '@modelcontextprotocol/sdk@1.32.2', 'zod@4.6.7',
];
const OPTIONAL_PEERS_FOR_TESTS = [
  '@aws-sdk/client-sfn@3.1163.0', '@aws-sdk/client-lambda@3.1163.0', '@aws-sdk/client-sqs@3.1163.0', '@aws-sdk/client-sns@3.1163.0',
  '@aws-sdk/client-dynamodb@3.1163.0', '@aws-sdk/client-s3@3.1163.0', '@modelcontextprotocol/sdk@1.32.2', 'zod@4.6.7',
];

// Paths jest never looks for tests in (its own output, the integ apps, the examples' own suites).
const TEST_PATH_IGNORE = ['/node_modules/', '/lib/', '/integ/', '/examples/'];

// The slow tier: the test files that take the longest, measured with jest's per-file times (`jest
// --json`: 889 of 2,199 summed seconds on a loaded machine, docs/contributing.md "The slow tier").
// `npx projen test` (the README's and CI's command) runs them; `npx projen test:quick`, the local
// loop, leaves them out and says so. test/jest-config.test.ts checks each one exists.
const SLOW_TESTS: ReadonlyArray<{ readonly file: string; readonly why: string }> = [
  { file: 'test/declarations.test.ts', why: 'type-checks the declarations from each entry point as a new CDK app compiles them' },
  { file: 'test/cases/cases.test.ts', why: 'every behaviour case through jest, stepwright run, serve and MCP' },
  { file: 'test/cases/generated.test.ts', why: 'generated machines through jest, stepwright run, serve and MCP' },
  { file: 'test/workbench/scaffold/e2e.test.ts', why: 'runs the tests explore scaffolds for the examples with jest, against lib/' },
  { file: 'test/docs/docs.test.ts', why: 'checks every code block of the guides' },
  { file: 'test/fuzz/fuzz.test.ts', why: "the fuzzer's properties on a quick budget" },
  { file: 'test/testing/matchers-types.test.ts', why: "type-checks the matchers' declarations as a test file sees them" },
];

// The files jest starts first, longest first (test/jest/sequencer.js): the slow tier, then the other
// files that took 15 s or more in a CI run on a fresh clone (/tmp, 29 November: `.ci/run`'s log).
// jest orders a run by the times it kept from the last one, and by file size where it has none, as
// on CI's fresh machine: there the 40-second declarations check started last but one and ran alone
// at the end: the test step took 700 s there (552 s at the last stop, whose run had the times).
// Two workers take the longest files first, so no long file is left for the end.
// test/jest-config.test.ts checks each one exists and that the sequencer runs every file once.
const RUN_FIRST: readonly string[] = [
  'test/workbench/scaffold/e2e.test.ts',
  'test/fuzz/fuzz.test.ts',
  'test/mcp/message-bounds.test.ts',
  'test/docs/docs.test.ts',
  'test/declarations.test.ts',
  'test/cases/cases.test.ts',
  'test/server/map-run-children-restart.test.ts',
  'test/mcp/tools.test.ts',
  'test/mcp/bounds.test.ts',
  'test/server/durability.test.ts',
  'test/verify/cli.test.ts',
  'test/workbench/scaffold/vitest-files.test.ts',
  'test/package-contents.test.ts',
  'test/contracts/tables.test.ts',
  'test/render/html.browser.test.ts',
  'test/server/console/console-memory.test.ts',
  'test/server/journal-files.test.ts',
  'test/server/token-table-bound.test.ts',
  'test/server/console/console-machines.test.ts',
  'test/server/console/console.browser.test.ts',
  'test/testing/matchers-types.test.ts',
  'test/render/mermaid.browser.test.ts',
  'test/render/rank.test.ts',
  'test/cases/generated.test.ts',
];

const project = new typescript.TypeScriptProject({
  name: 'stepwright',
  description:
    'Build, run locally and test AWS Step Functions state machines made with the AWS CDK: typed construct builders, an in-process ASL interpreter (JSONPath + JSONata) and a jest harness.',
  license: 'Apache-2.0',
  copyrightOwner: 'The stepwright authors',
  authorName: 'The stepwright authors',
  keywords: ['aws-cdk', 'step-functions', 'asl', 'stepfunctions', 'testing', 'jest', 'jsonata', 'interpreter'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: '0.103.25',
  minNodeVersion: '20.0.0',
  typescriptVersion: '~5.9.3',

  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  buildWorkflow: false,
  sampleCode: false,

  peerDeps: [`aws-cdk-lib@^${CDK_LIB}`, `constructs@^${CONSTRUCTS}`, ...OPTIONAL_PEERS],
  // Our tests run against the versions devDeps name (a peer's lowest version would downgrade the SDK).
  peerDependencyOptions: { pinnedDevDependency: false },
  deps: ['jsonpath-plus@~10.3.0', 'jsonata@^2.2.0', 're2js@^2.10.0', '@dagrejs/dagre@^3.1.3', 'yaml@^2.9.1', 'smol-toml@1.9.1',
    // A Distributed Map's PARQUET ItemReader, loaded only when one reads a file. Pure JS, no dependencies.
    'hyparquet@1.31.5',
    // A JSON ItemReader's array read an item at a time (never the whole file), and the GZIP and ZSTD
    // compressed input AWS reads, decompressed a chunk at a time. Pure JS, no dependencies, loaded
    // the first time a reader needs them.
    '@streamparser/json@0.0.26', 'fflate@0.8.2', 'fzstd@0.1.1'],
  devDeps: [
    `aws-cdk-lib@${CDK_LIB}`,
    `constructs@${CONSTRUCTS}`,
    // The optional peers, for stepwright's own tests (at the versions the lock file holds).
    ...OPTIONAL_PEERS_FOR_TESTS,
    'aws-cdk@^2.1148.1',
    'ts-node@^10.9.2',
    '@aws-cdk/integ-runner@^2.197.10',
    `@aws-cdk/integ-tests-alpha@${CDK_LIB}-alpha.0`,
    '@swc/core@^1.15.0',
    '@swc/jest@^0.2.39',
    // jest's own sequencer, which test/jest/sequencer.js extends (the version jest 29 carries).
    '@jest/test-sequencer@29.7.0',
    'typedoc@^0.28.14',
    'typedoc-plugin-markdown@^4.9.0',
    // Browser checks of the diagrams: drives the system's Chromium, downloads no browser.
    'playwright-core@~1.65.1',
    // Bundles the serve console's front end (console/app) into lib/console at build time.
    'esbuild@0.25.9',
    'mermaid@~11.17.2',
    // Property-based fuzzing of the validator and the interpreter.
    'fast-check@^4.3.0',
    // Writes the PARQUET reader's test fixture (scripts/write-parquet-fixture.mjs).
    'hyparquet-writer@0.17.0',
    // Runs the files `--write-tests` writes for vitest (test/workbench/scaffold/vitest-files.test.ts).
    // vitest 4, the newest major that runs on Node 20 (5 asks for Node 22), with a vite whose own esbuild leaves
    // the console's esbuild as it is (vite 8 asks for esbuild 0.27 or 0.28 beside it).
    'vitest@4.1.12',
    'vite@7.3.8',
  ],

  jestOptions: {
    jestVersion: '^29',
    // A changed snapshot must fail CI, never be rewritten by it; `test:update` rewrites on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    // In its own file, so the published package.json carries no jest block.
    configFilePath: 'jest.config.json',
    // No coverage in `npx projen test`: instrumenting every module made the suite about 2.6 times
    // the CPU (a sample of 2,538 tests: 30.5 s against 11.5 s) and nothing reads the report; CI
    // has 15 minutes. `npx projen test:coverage` runs the suite with it.
    jestConfig: {
      collectCoverage: false,
      testEnvironment: 'node',
      testPathIgnorePatterns: TEST_PATH_IGNORE,
      // One scratch TMPDIR for the run, removed at the end: no cdk.out* folders left in /tmp.
      globalSetup: '<rootDir>/test/jest/global-setup.js',
      globalTeardown: '<rootDir>/test/jest/global-teardown.js',
      // The longest files first, on a machine that kept no times of its own too (RUN_FIRST above).
      testSequencer: '<rootDir>/test/jest/sequencer.js',
      // jest's default is one worker fewer than the cores: one worker on CI's 2 cores. Two run
      // the suite in about 5 minutes instead of 12 there, with the same results.
      maxWorkers: 2,
      // The guides' examples (test/docs/examples) import the package by its name, as users do.
      moduleNameMapper: {
        '^stepwright$': '<rootDir>/src/index.ts',
        '^stepwright/testing$': '<rootDir>/src/testing/index.ts',
        '^stepwright/testing/setup$': '<rootDir>/src/testing/setup.ts',
        '^stepwright/testing/reporter$': '<rootDir>/src/testing/reporter.ts',
        '^stepwright/interpreter$': '<rootDir>/src/interpreter/index.ts',
        '^stepwright/server$': '<rootDir>/src/server/index.ts',
      },
      // jest's default of 5 s per test and hook fails on a loaded machine a test that takes 1.5 s
      // alone (a server test that restarts, a CDK synth, a browser launch). Tests wait for events,
      // not time; this bound is only against a hang, and a 10x slowdown of the slowest test without
      // its own timeout still meets it (docs/contributing.md, "Tests on a loaded machine").
      testTimeout: 60_000,
    },
  },
  // Tests run through @swc/jest (no type checks, ~1 s per CDK file); tsc checks their types instead.
  typecheckTests: true,
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
      // Source maps in files of their own, pointing at the src/ the package ships: an inline map
      // is two thirds of each compiled file, text every process that imports the library reads
      // and scans (a seventh of what importing the interpreter and running one machine adds to bare node).
      inlineSourceMap: false,
      inlineSources: false,
      sourceMap: true,
    },
  },
  tsconfigDev: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
      // examples/ imports the library by its package name, as users do; type-check it against src/.
      paths: {
        'stepwright': ['../src/index.ts'],
        'stepwright/testing': ['../src/testing/index.ts'],
        'stepwright/testing/setup': ['../src/testing/setup.ts'],
        'stepwright/server': ['../src/server/index.ts'],
        'stepwright/interpreter': ['../src/interpreter/index.ts'],
        'stepwright/testing/reporter': ['../src/testing/reporter.ts'],
        'stepwright/testing/vitest-reporter': ['../src/testing/vitest-reporter.ts'],
      },
    },
    include: ['../src/**/*.ts', '../examples/**/*.ts', '../integ/**/*.ts', '../console/**/*.ts', '../bench/**/*.ts'],
    // The vitest app needs vitest's types, which the project does not install: scripts/consumer-check.sh
    // type-checks it in a project of its own with vitest 5, 4 and 3.2 (skipLibCheck: false).
    exclude: ['node_modules', '../examples/getting-started-vitest'],
  },
});

// ---- jest: @swc/jest instead of ts-jest
project.deps.removeDependency('ts-jest');
project.jest!.config.transform = {
  // JSONata's evaluator with the built-ins it reads at every step bound as locals of its module:
  // a global read in jest's vm context costs 17 times one in node (test/jest/local-builtins.js).
  // First, so that it and not swc takes the file.
  '/node_modules/jsonata/jsonata\\.js$': new javascript.Transform('<rootDir>/test/jest/local-builtins.js'),
  '^.+\\.(t|j)sx?$': new javascript.Transform('@swc/jest', {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    // The source map beside the code (jest keeps it in a .map file of its cache and maps stack
    // frames through it, as before), not inline, @swc/jest's default: an inline map was two thirds
    // of each cached module, bytes every test file re-read, hashed and handed to V8 for each module
    // it loads (20 files importing stepwright/testing: 8.1-8.6 CPU-s in band, 6.9 without).
    sourceMaps: true,
  }),
};
// hyparquet is published as ES modules only: jest runs it through swc like the sources (node
// itself loads it with require()). JSONata's one file goes through local-builtins.js.
project.jest!.config.transformIgnorePatterns = ['/node_modules/(?!hyparquet/|jsonata/jsonata\\.js$)'];

// ---- package entry points
project.package.addField('peerDependenciesMeta', Object.fromEntries(
  OPTIONAL_PEERS.map((spec) => [spec.slice(0, spec.lastIndexOf('@')), { optional: true }]),
));
// Each entry point loads one bundle of them all (scripts/bundle-entries.mjs, lib/entry/): jest
// loads a test file's modules once per file, and one file costs far less than two hundred.
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/entry/index.js' },
  './testing': { types: './lib/testing/index.d.ts', default: './lib/entry/testing.js' },
  './interpreter': { types: './lib/interpreter/index.d.ts', default: './lib/entry/interpreter.js' },
  './testing/setup': { types: './lib/testing/setup.d.ts', default: './lib/entry/testing-setup.js' },
  './testing/reporter': { types: './lib/testing/reporter.d.ts', default: './lib/entry/testing-reporter.js' },
  './testing/vitest-reporter': { types: './lib/testing/vitest-reporter.d.ts', default: './lib/entry/testing-vitest-reporter.js' },
  // Declarations only: the matchers' types for vitest 5 and for vitest 4 and 3.2, hand-written in types/
  // (an augmentation of 'vitest' does not compile without vitest, which stepwright does not need).
  './testing/vitest': { types: './types/vitest.d.ts' },
  './testing/vitest4': { types: './types/vitest4.d.ts' },
  './server': { types: './lib/server/index.d.ts', default: './lib/entry/server.js' },
  './package.json': './package.json',
});
project.package.addField('typesVersions', {
  '*': {
    'testing': ['lib/testing/index.d.ts'],
    'testing/setup': ['lib/testing/setup.d.ts'],
    'testing/reporter': ['lib/testing/reporter.d.ts'],
    'testing/vitest-reporter': ['lib/testing/vitest-reporter.d.ts'],
    'testing/vitest': ['types/vitest.d.ts'],
    'testing/vitest4': ['types/vitest4.d.ts'],
    'interpreter': ['lib/interpreter/index.d.ts'],
    'server': ['lib/server/index.d.ts'],
  },
});
project.addBins({ stepwright: 'lib/cli/main.js' });
// `npm install` on a fresh clone builds lib/, so `npx stepwright …` works at once (npm runs a
// package's own `prepare` after installing its dependencies; never for users installing it).
project.package.setScript('prepare', 'projen compile');
// @swc/core's postinstall only checks that its native binding loads; approving it keeps npm 11
// from asking every contributor to review it.
project.package.addAllowedScripts('@swc/core');
// tsc writes files without the executable bit; npm only sets it at install, before lib/ exists.
project.compileTask.exec('chmod +x lib/cli/main.js');
// The serve console's page script and style sheet, bundled into lib/console (shipped with lib/).
project.compileTask.exec('node scripts/build-console.mjs');
// The entry points' modules in one CommonJS file with its source map (lib/entry), from tsc's output.
project.compileTask.exec('node scripts/bundle-entries.mjs');
// Its front end is browser code: a project of its own (the DOM's types, no Node's; esbuild emits
// it), the project eslint types console/app in (below), linted like the rest of the code.
new javascript.TypescriptConfig(project, {
  fileName: 'console/tsconfig.json',
  include: ['app/**/*.ts'],
  compilerOptions: {
    target: 'ES2020',
    module: 'ES2020',
    moduleResolution: javascript.TypeScriptModuleResolution.BUNDLER,
    lib: ['es2022', 'dom', 'dom.iterable'],
    types: [],
    strict: true,
    noEmit: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    skipLibCheck: true,
  },
});
project.eslint?.addLintPattern('console');
// The generators and checks in scripts/ written in TypeScript are linted like src/ (a generator outside
// every eslint project went unchecked: scripts/generate-answer-outcome-docs.ts).
project.eslint?.addLintPattern('scripts');
// Type-aware lint builds one TypeScript program for all it lints but console/app. The project service
// (projen's default) took each file's nearest tsconfig: src/ in tsconfig.json, test/ in
// test/tsconfig.json (which takes in src/ again), .projenrc.ts in a default project of its own:
// three programs, src/ and the declarations of aws-cdk-lib, the SDK and node read, bound and
// checked two or three times over (measured: docs/contributing.md, "Lint in one program").
// tsconfig.eslint.json has test/tsconfig.json's options (what tsc checks the suite with) and every
// linted file; a linted file it lacks is a parse error, never a file linted without types. The
// console keeps its own project (the DOM's types, none of Node's), listed first so it takes its files.
new javascript.TypescriptConfig(project, {
  fileName: 'tsconfig.eslint.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['./test/tsconfig.json']),
  include: ['src/**/*.ts', 'test/**/*.ts', 'build-tools/**/*.ts', 'projenrc/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts'],
  exclude: ['node_modules'],
});
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addDeletionOverride('parserOptions.projectService');
eslintrc?.addOverride('parserOptions.project', ['./console/tsconfig.json', './tsconfig.eslint.json']);
// Optional peers' types in lib/'s declarations: `any` for a user who has not installed the peer
// (their skipLibCheck: false build passes), exact once they have.
project.compileTask.exec('node scripts/optional-peer-types.cjs');
project.package.addEngine('node', '>=20');

// ---- API.md, generated from TSDoc on every build and committed
const docgen = project.addTask('docgen', {
  description: 'Generate API.md from the TSDoc of the public entry points',
  exec: 'node scripts/api-md.mjs',
});
project.postCompileTask.spawn(docgen);
project.npmignore?.exclude('/scripts/', '/integ/', '/bench/', '/examples/', '/API.md.tmp/', '/.ci/', '/docs/');
// The tarball users install is packed from a staging folder with only what they need
// (scripts/pack.mjs): lib/, the src/ its source maps name, docs, and a package.json
// without contributors' scripts, devDependencies or jest block.
project.packageTask.reset('node scripts/pack.mjs');
// `npm pack` or `npm publish` at the root would make a different package: refuse, and point at the one above.
project.package.setScript('prepack', 'node scripts/refuse-root-pack.mjs');
project.gitignore.exclude('/.api-md/', '/coverage-stepwright/', '*.tsbuildinfo');
// A worktree links its node_modules to another checkout's: 'node_modules/' matches only a folder.
project.gitignore.exclude('/node_modules');
// Only the root coverage/ folder is jest output; src/testing/coverage is source.
project.gitignore.removePatterns('coverage');
project.gitignore.exclude('/coverage/', '/.stepwright/', '/stepwright-coverage.json');
// The example's coverage report and its HTML pages (`npx projen example`).
project.gitignore.exclude('/examples/order-workflow/stepwright-coverage*', '/examples/vacation-booking/stepwright-coverage*');
// `stepwright run examples/distributed-map/orders.asl.json --s3-dir examples/distributed-map/s3` writes its result files there.
project.gitignore.exclude('/examples/distributed-map/s3/orders-bucket/results/');
// Likewise for eslint: lint src/testing/coverage, skip only the jest output.
project.eslint?.config.ignorePatterns.splice(project.eslint.config.ignorePatterns.indexOf('coverage'), 1, '/coverage/');
// The MCP SDK is imported by its documented subpaths (`@modelcontextprotocol/sdk/server/index.js`), which
// its exports map resolves for node and its typesVersions for tsc, but eslint's resolvers do not follow.
project.eslint?.addRules({ 'import/no-unresolved': ['error', { ignore: ['^@modelcontextprotocol/sdk/'] }] });

// ---- aws-cdk-lib's core by its own subpath in src/: the package root re-exports every service
// module, so a TypeScript program that reaches it from src/ (the build, typedoc, the declarations
// and type tests) parses about 37.7 MB of declarations instead of 12.8 MB. `aws-cdk-lib/core` is in
// aws-cdk-lib's `exports` at our peer floor and declares the same classes.
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      paths: [{ name: 'aws-cdk-lib', message: "Import core names from 'aws-cdk-lib/core': the package root loads every service module's declarations." }],
    }],
  },
});

// ---- one home for each AWS fact (issue 76, docs/architecture.md "Where each fact lives"): outside
// its module, a literal of a fact is refused, so that the next AWS change (a new error name, a new
// limit) is made in one place and the rule keeps itself. A message quoting AWS may keep its literal
// with `// eslint-disable-next-line no-restricted-syntax -- <why>`.
interface FactRule {
  /**
   * The module (a file, or a folder ending in `/**`) where the fact lives and may be written; or
   * the modules, one for each fact, where facts that share a number live; none for a form refused everywhere.
   */
  readonly home: string | readonly string[];
  readonly selector: string;
  readonly message: string;
}
/** The definition's types (src/asl/definition-types.ts) that a value read from outside must never be cast to. */
const DEFINITION_TYPES = 'StateMachineDefinition|StateDefinition|StateBase|PassState|TaskState|ChoiceState|WaitState|SucceedState|FailState|ParallelState|MapState|SubMachine';
/**
 * The shapes of a local own-key helper: a function of two parameters (or an arrow given a name) whose
 * whole body reads `Object.hasOwn(o, k)` or `Object.prototype.hasOwnProperty.call(o, k)`, alone or
 * as the test of `… ? o[k] : undefined`.
 */
function ownKeyCopies(): string[] {
  const args = "[arguments.length=2][arguments.0.type='Identifier'][arguments.1.type='Identifier']";
  const calls = [`CallExpression[callee.object.name='Object'][callee.property.name='hasOwn']${args}`,
    `CallExpression[callee.property.name='call'][callee.object.property.name='hasOwnProperty']${args}`];
  const bodies = [...calls, ...calls.map((call) => `ConditionalExpression[alternate.name='undefined']:has(${call})`)];
  return [
    ...bodies.map((body) => `:function[params.length=2] > BlockStatement.body[body.length=1] > ReturnStatement > ${body}.argument`),
    ...bodies.map((body) => `VariableDeclarator > ArrowFunctionExpression.init[params.length=2] > ${body}.body`),
  ];
}
const FACT_RULES: readonly FactRule[] = [
  {
    home: 'src/asl/**',
    selector: 'Literal[value=/^States\\./]',
    message: "A 'States.' name is written once, in src/asl/: import StatesErrors or InternalErrors (asl/states-errors.ts) or IntrinsicNames (asl/intrinsics/names.ts).",
  },
  ...['Literal[value=262144]', "BinaryExpression[operator='*'][left.value=256][right.value=1024]"].map((selector) => ({
    home: 'src/asl/limits.ts',
    selector,
    message: 'The payload limit (256 KiB) is written once: use AwsLimits.PAYLOAD_BYTES (src/asl/limits.ts), where AWS\'s other limits are too.',
  })),
  {
    home: 'src/asl/lambda-errors.ts',
    // Lambda.Unknown, a function's error with no errorType, is the catalogue's Lambda row (asl/integrations.ts).
    selector: 'Literal[value=/^Lambda\\.(?!Unknown$)[A-Z]/]',
    message: "A 'Lambda.' error name is written once: use LambdaErrors (src/asl/lambda-errors.ts).",
  },
  // AWS's limits no other number shares: an error's cause (32,768 characters), the history's events
  // (25,000), a Task's default timeout and the seconds bound (99,999,999), Retry's MaxDelaySeconds (31,622,401),
  // a Standard execution's year (31,536,000 seconds).
  ...[32_768, 25_000, 99_999_999, 31_622_401, 31_536_000].map((limit) => ({
    home: 'src/asl/limits.ts',
    selector: `Literal[value=${limit}]`,
    message: `AWS's limit ${limit.toLocaleString('en-US')} is written once: use its name in AwsLimits (src/asl/limits.ts).`,
  })),
  // 2^31 and 2^31 - 1: three facts share them, each with its home. The range of an integer member of
  // AWS's API (Java's int), Node's longest timer, and the seeds stepwright draws.
  ...['Literal[value=2147483647]', 'Literal[value=2147483648]', "BinaryExpression[operator='**'][left.value=2][right.value=31]"].map((selector) => ({
    home: ['src/asl/limits.ts', 'src/asl/timer.ts', 'src/asl/random.ts'],
    selector,
    message: "2^31 is written once for each fact it bounds: AwsLimits.INTEGER_MIN/INTEGER_MAX for an integer member of AWS's API (src/asl/limits.ts), "
      + "LONGEST_TIMER_MS for Node's longest timer (src/asl/timer.ts), SEED_BOUND for a seed (src/asl/random.ts).",
  })),
  // explore's and verify's options: their defaults and their check live in explore/context.ts, which
  // every door (the CLI, the harness, the report) reads; a door with a default of its own names it apart.
  ...['VariableDeclarator[id.name=/^DEFAULT_(BUDGET_SECONDS|MAX_SCENARIOS)$/]',
    "LogicalExpression[operator='??'][left.property.name=/^(budgetSeconds|maxScenarios)$/] > Literal.right"].map((selector) => ({
    home: 'src/explore/context.ts',
    selector,
    message: "explore's options are declared once: use DEFAULT_BUDGET_SECONDS, DEFAULT_MAX_SCENARIOS, isPositive and positiveRule (src/explore/context.ts).",
  })),
  // The names of a service's errors that no operation of its model names (the base exception, the
  // SDK's client exception, the client's time limit, a denied role): built from a prefix in one place.
  ...[...['name', 'property.name'].map((key) => `TemplateLiteral[expressions.0.${key}=/^(prefix|errorPrefix|errorService)$/] > TemplateElement[tail=true][value.raw=/Exception$/]`),
    // Lambda's are LambdaErrors' (the rule above).
    'Literal[value=/^(?!Lambda\\.)[A-Z][A-Za-z0-9]*\\.(SdkClientException|ClientExecutionTimeoutException|AccessDeniedException)$/]',
    'Literal[value=/^([A-Z][A-Za-z0-9]*)\\.\\1Exception$/]'].map((selector) => ({
    home: 'src/asl/service-errors.ts',
    selector,
    message: "A service's error name that no model gives is built once: use ServiceErrors (src/asl/service-errors.ts), whose base, sdkClient, clientExecutionTimeout, accessDenied and named take the integration's prefix.",
  })),
  ...['Literal[value=/123456789012/]', 'TemplateElement[value.raw=/123456789012/]'].map((selector) => ({
    home: 'src/asl/aws-defaults.ts',
    selector,
    message: 'The default account is written once: use AwsDefaults.ACCOUNT or defaultArn() (src/asl/aws-defaults.ts).',
  })),
  // A state machine's type when none is given (CreateStateMachine: "The default is STANDARD").
  ...["LogicalExpression[operator=/^(\\?\\?|\\|\\|)$/] > Literal.right[value='STANDARD']",
    "ConditionalExpression[test.operator='==='][test.right.name='undefined'] > Literal.consequent[value='STANDARD']"].map((selector) => ({
    home: 'src/asl/aws-defaults.ts',
    selector,
    message: "A state machine's type defaults in one place: use AwsDefaults.MACHINE_TYPE (src/asl/aws-defaults.ts).",
  })),
  // The default partition: AWS's commercial one, AwsDefaults.PARTITION.
  ...["LogicalExpression[operator=/^(\\?\\?|\\|\\|)$/] > Literal.right[value='aws']", "AssignmentPattern > Literal.right[value='aws']",
    "CallExpression[arguments.0.value='AWS::Partition'] > Literal.arguments[value='aws']"].map((selector) => ({
    home: 'src/asl/aws-defaults.ts',
    selector,
    message: 'The default partition is written once: use AwsDefaults.PARTITION (src/asl/aws-defaults.ts).',
  })),
  // An ARN's format (the AWS General Reference's "Amazon Resource Names"): built by awsArn or statesArn.
  {
    home: 'src/asl/aws-defaults.ts',
    selector: 'TemplateLiteral > TemplateElement:first-child[value.raw=/^arn:/]',
    message: "An ARN is built in one place: use awsArn, statesArn or defaultArn (src/asl/aws-defaults.ts), with the partition, region and account of the door's scope.",
  },
  {
    home: 'src/asl/task-resource.ts',
    selector: 'Literal[regex.pattern=/arn:.*(states:::|lambda:)/]',
    message: "A Task's Resource is taken apart once: use taskResource() (src/asl/task-resource.ts), whose TaskResource names the kind, service, action, pattern and a Lambda ARN's name and qualifier.",
  },
  // A Resource's integration pattern, its activity or its Lambda invoke read off its text is a second parse of it.
  ...['CallExpression[callee.property.name=/^(endsWith|includes|startsWith|indexOf)$/] > Literal.arguments[value=/^(\\.sync|\\.waitForTaskToken|:activity:)/]',
    'Literal[regex.pattern=/\\.sync|waitForTaskToken|:activity:|:lambda:invoke/]'].map((selector) => ({
    home: 'src/asl/task-resource.ts',
    selector,
    message: "A Task's Resource is taken apart once: read its pattern and kind with taskResource() (src/asl/task-resource.ts), or isSyncJob, answeredByWorker or expressUnsupported.",
  })),
  {
    home: 'src/asl/history-events.ts',
    selector: "CallExpression[callee.property.name='endsWith'][arguments.0.value='EventDetails']",
    message: "An event's details are read in one place: use detailsOf, factsOf or isDetailsKey (src/asl/history-events.ts), which know the members AWS's model names.",
  },
  // The error names of Step Functions' API (src/asl/api-errors.ts, from botocore's model). TaskTimedOut is
  // also a history event's type (asl/history-event-types.ts): it is refused where an ApiError is made.
  ...[`Literal[value=/^(${Object.values(ApiErrors).filter((name) => name !== ApiErrors.TaskTimedOut).join('|')})$/]`,
    "NewExpression[callee.name='ApiError'] > Literal.arguments:first-child"].map((selector) => ({
    home: 'src/asl/api-errors.ts',
    selector,
    message: "An error name of Step Functions' API is written once: use ApiErrors (src/asl/api-errors.ts), generated from botocore's model.",
  })),
  // A page's size (an API listing's maxResults, its default, an S3 listing's keys) is AwsLimits'.
  ...['Property[key.name=/^(maxResults|MaxKeys|pageSize)$/] > Literal.value',
    'LogicalExpression[operator=/^(\\|\\||\\?\\?)$/][left.property.name=/^(maxResults|MaxKeys|pageSize)$/] > Literal.right',
    "CallExpression[callee.object.name='Math'][callee.property.name=/^(min|max)$/] > Literal.arguments[value=1000]"].map((selector) => ({
    home: 'src/asl/limits.ts',
    selector,
    message: "A page's size is written once: use AwsLimits.PAGE_SIZE, PAGE_SIZE_DEFAULT, VALIDATION_DIAGNOSTICS or LISTING_PAGE_KEYS (src/asl/limits.ts).",
  })),
  // What AWS refuses in a LoggingConfiguration (asl/logging-configuration.ts): serve and validate read it there.
  ...["CallExpression[callee.property.name='endsWith'][arguments.0.value=':*']", 'Literal[value=/^Invalid Logging Configuration/]'].map((selector) => ({
    home: 'src/asl/logging-configuration.ts',
    selector,
    message: 'What AWS refuses in a LoggingConfiguration is written once: use loggingRefusal and LoggingRefusals (src/asl/logging-configuration.ts).',
  })),
  // Which errors pass every Catch is the error rules' (asl/error-rules.ts): a list of the two is a copy of them.
  {
    home: 'src/asl/error-rules.ts',
    selector: "ArrayExpression[elements.length=2]:has(> MemberExpression[object.name='StatesErrors'][property.name='RUNTIME']):has(> MemberExpression[object.name='StatesErrors'][property.name='DATA_LIMIT_EXCEEDED'])",
    message: 'Which errors pass every Catch is written once: use TERMINAL_ERRORS, or errorMatches and findCatcher (src/asl/error-rules.ts).',
  },
  // A definition is typed by passing the validator (checkDefinition, src/asl/validate/index.ts), never by a cast.
  ...['TSAsExpression > TSTypeReference.typeAnnotation[typeName.name=\'StateMachineDefinition\']',
    'TSTypeAssertion > TSTypeReference.typeAnnotation[typeName.name=\'StateMachineDefinition\']',
    `TSAsExpression[expression.type='TSAsExpression'] > TSTypeReference.typeAnnotation[typeName.name=/^(${DEFINITION_TYPES})$/]`].map((selector) => ({
    home: 'src/asl/validate/index.ts',
    selector,
    message: 'A definition is typed by passing the validator, never by a cast: use checkDefinition or checkedDefinition (src/asl/validate/index.ts), or checkWithContracts (src/contracts/validate.ts).',
  })),
  // A ValidationException's words for a member that breaks the model (StartExecution's oversized
  // input, a null member, a length): worded once, for serve, the harness, run, MCP and TestState.
  ...['Literal[value=/validation errors? detected|failed to satisfy constraint: Member must/]',
    'TemplateElement[value.raw=/validation errors? detected|failed to satisfy constraint: Member must/]'].map((selector) => ({
    home: 'src/asl/validation-messages.ts',
    selector,
    message: "A ValidationException's words are written once: use payloadTooLargeMessage, validationErrorsDetected, constraintFailure or boundConstraint (src/asl/validation-messages.ts).",
  })),
  // A state machine's type as a type (STANDARD or EXPRESS): MachineType, beside its default.
  {
    home: 'src/asl/aws-defaults.ts',
    selector: "TSUnionType:has(TSLiteralType > Literal.literal[value='STANDARD']):has(TSLiteralType > Literal.literal[value='EXPRESS'])",
    message: "A state machine's type is written once as a type: use MachineType (src/asl/aws-defaults.ts).",
  },
  // What a CloudFormation parameter's name may be (alphanumeric): checked by a template's Parameters,
  // `--parameter` and MCP's `parameters` alike, from one rule.
  ...['Literal[regex.pattern="^[A-Za-z0-9]+$"]', 'Literal[value="[A-Za-z0-9]+"]', 'Literal[value="^[A-Za-z0-9]+$"]'].map((selector) => ({
    home: 'src/cfn/parameter-name.ts',
    selector,
    message: "A CloudFormation parameter's name is checked by one rule: use isParameterName, PARAMETER_NAME or PARAMETER_NAME_SOURCE (src/cfn/parameter-name.ts).",
  })),
  // The values of a closed set that a schema or a reader offers: a machine's type, a mock's validation
  // mode (TestState's fieldValidationMode), each listed once beside its type.
  {
    home: 'src/asl/aws-defaults.ts',
    selector: "ArrayExpression[elements.length=2]:has(> Literal[value='STANDARD']):has(> Literal[value='EXPRESS'])",
    message: 'The machine types are listed once: use MACHINE_TYPES (src/asl/aws-defaults.ts).',
  },
  {
    home: 'src/workbench/mocks/validation-mode.ts',
    selector: "ArrayExpression[elements.length=3]:has(> Literal[value='STRICT']):has(> Literal[value='PRESENT']):has(> Literal[value='NONE'])",
    message: 'The mock validation modes are listed once: use MOCK_VALIDATION_MODES (src/workbench/mocks/validation-mode.ts).',
  },
  // A run's seed when none is given is DEFAULT_SEED, as every door states it.
  {
    home: 'src/asl/random.ts',
    selector: "LogicalExpression[operator='??']:matches([left.property.name='seed'], [left.name='seed']) > Literal.right[value=0]",
    message: "A run's seed defaults in one place: use DEFAULT_SEED (src/asl/random.ts).",
  },
  // A limit or a run's default stated in a text (a help text, a schema's description, a message) is
  // built from its home, so that the text changes with the number: "256 KiB", "5 minutes", "25,000".
  ...['Literal', 'TemplateElement'].map((node) => ({
    home: ['src/asl/limits.ts', 'src/interpreter/clock.ts', 'src/interpreter/execution-types.ts'],
    selector: `${node}[${node === 'Literal' ? 'value' : 'value.raw'}=/(^|[^0-9,.])(25,000|262,144|1,000,000)([^0-9,]|$)|256 KiB|\\b(5|[Ff]ive)[- ]minutes?\\b|Default: 2024-01-01T00:00:00Z/]`,
    message: "A limit or a run's default is stated from its home: AwsLimits (with withThousands, asl/shorten.ts), PAYLOAD_WORDS or EXPRESS_DURATION_WORDS "
      + '(src/asl/limits.ts), VIRTUAL_CLOCK_START (src/interpreter/clock.ts), EXPRESS_MAX_TRANSITIONS (src/interpreter/execution-types.ts).',
  })),
  // A cast through unknown (`x as unknown as T`) says nothing the compiler can check: a value is typed
  // (a guard, a generated type, a typed reader), and where it cannot be (a third party's private field,
  // its typings narrower than its code) the line above says why, in the disable comment's reason.
  // No home: refused everywhere in src/.
  {
    home: [],
    selector: "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']",
    message: 'A value is typed, never cast through unknown: use a type guard or a typed reader. Where it cannot be typed (a third party\'s '
      + 'private field, typings narrower than the code), say why: // eslint-disable-next-line no-restricted-syntax -- <why>.',
  },
  // A state's query language when it names none: its machine's, else JSONPath (DEFAULT_QUERY_LANGUAGE,
  // queryLanguageOf: src/asl/query-language.ts). 9 defaults were written out at first (2026-11-30).
  {
    home: 'src/asl/query-language.ts',
    selector: "LogicalExpression[operator=/^(\\?\\?|\\|\\|)$/] > Literal.right[value='JSONPath']",
    message: "A query language named by none is DEFAULT_QUERY_LANGUAGE, or a state's is queryLanguageOf(state, machine): src/asl/query-language.ts.",
  },
  // Casts by another name. Reflect.get reads a field its type does not name and types it any: a field
  // is read by fieldOf (JSON from outside: its own fields) or memberOf (a live object: a module's
  // exports, a runner's globals), both in src/asl/own.ts, typed unknown for a guard to narrow. A
  // Proxy's get trap forwarding with its receiver (three arguments) is what Reflect.get is for.
  {
    home: 'src/asl/own.ts',
    selector: "CallExpression[callee.object.name='Reflect'][callee.property.name='get'][arguments.length<3]",
    message: "A field a type does not name is read with fieldOf (JSON from outside) or memberOf (a module's exports, a runner's globals), src/asl/own.ts, "
      + 'and narrowed with a guard: Reflect.get types it any. Where a type says what the field holds, say why: '
      + '// eslint-disable-next-line no-restricted-syntax -- <why>.',
  },
  // A cast to a type parameter (`x as T`) claims what only a caller knows: a generic is typed by its
  // signature (overloads, a box for a value that may be undefined, a guard), and where it cannot be
  // (a module's exports, typed by the caller's import) the line above says why. A type parameter is
  // named by one capital letter here; scripts/count-fact-homes.mjs counts casts to any type built of one.
  {
    home: [],
    selector: ':matches(TSAsExpression, TSTypeAssertion) > TSTypeReference.typeAnnotation[typeName.name=/^[A-Z]$/]',
    message: 'A generic is typed by its signature, never by a cast to its type parameter (as T): use overloads, a guard, or a type that says '
      + 'what the value is. Where it cannot be typed (a module loaded by name), say why: // eslint-disable-next-line no-restricted-syntax -- <why>.',
  },
  // A record's own value is read by one helper (ownValue, src/asl/own.ts), an own key's presence by
  // Object.hasOwn: a function of two parameters that only wraps either is a new copy of them.
  ...ownKeyCopies().map((selector) => ({
    home: 'src/asl/own.ts',
    selector,
    message: "A record's own value is read with ownValue (src/asl/own.ts) and an own key's presence with Object.hasOwn: no local copy of either.",
  })),
];
/** A rule's homes, one or several. */
const homesOf = (rule: FactRule): readonly string[] => (typeof rule.home === 'string' ? [rule.home] : rule.home);
/** True when a path or glob lies inside one of a fact's homes. */
const withinHome = (where: string, rule: FactRule): boolean => homesOf(rule)
  .some((home) => (home.endsWith('/**') ? where.startsWith(home.slice(0, -2)) : where === home));
const factRulesFor = (where: string): unknown[] => FACT_RULES
  .filter((rule) => !withinHome(where, rule))
  .map(({ selector, message }) => ({ selector, message }));
// eslint takes the last override that matches a file whole: the broadest first, each home after it.
const FACT_HOMES = [...new Set(FACT_RULES.flatMap(homesOf))]
  .sort((a, b) => Number(!a.endsWith('/**')) - Number(!b.endsWith('/**')) || a.length - b.length);
// (A rule given only a severity keeps the options before it: a home where no rule is left turns it off.)
for (const where of ['src/**', ...FACT_HOMES]) {
  const rules = factRulesFor(where);
  project.eslint?.addOverride({
    files: [where.endsWith('/**') ? `${where}/*.ts` : where],
    rules: { 'no-restricted-syntax': rules.length > 0 ? ['error', ...rules] : 'off' },
  });
}

// ---- snapshots are updated on purpose only
// (projen adds `test:update` when updateSnapshot is NEVER.)

// ---- the suite with coverage of the library's own code (coverage/), on request only
project.addTask('test:coverage', {
  description: 'Run the whole jest suite with coverage of the library (written to coverage/)',
  exec: 'jest --coverage --ci',
});

// ---- integ tests: integ-runner in snapshot mode, no deploy, no credentials
// integ-runner synthesizes each app twice (once to read its integ manifest, once for the snapshot
// it compares: its own FIXME), and each app imports the builders from src/, which ts-node's
// TypeScript transpiler spent most of a synthesis on (1.35 s of CPU per app, 2.8 s for blue-green,
// which loads the validator). swc, which jest already transpiles src/ with, makes the same
// templates (the snapshots are unchanged) in 0.5 s per app (0.65 s): the step took 28-30 s of CPU
// before, 12 s after.
const integApp = 'ts-node --swc {filePath}';
// Two workers, one per core of CI: integ-runner's default of 16 starts a worker per app, and each
// worker loads the CDK toolkit again (8 apps: 110 s of CPU with 8 workers, 67 s with 2; the same
// apps checked against the same snapshots).
// The CDK toolkit inside integ-runner looks up a default region and credentials before each of its
// two syntheses of an app: with no region in the environment or ~/.aws it asks the EC2 metadata
// service, which on a machine without one times out after four tries (7.4 s of waiting per app, 59 s
// over the 8 apps, seen with strace), then falls back to us-east-1. The region is given as that same
// fallback, and the SDK's metadata lookups for credentials are turned off, so no app waits on a
// network CI does not have; the snapshots are unchanged (the apps are environment-agnostic).
const integEnv = { AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
project.addTask('integ', {
  description: 'Check the integ/ CDK apps against their committed snapshots (no deploy)',
  env: integEnv,
  exec: `integ-runner --directory integ --language typescript --max-workers 2 --app "${integApp}"`,
});
project.addTask('integ:update', {
  description: 'Re-synthesize the integ/ snapshots on purpose (no deploy)',
  env: integEnv,
  exec: `integ-runner --directory integ --language typescript --app "${integApp}" --update-on-failed --dry-run`,
});

// ---- the checks against ../shared (AWS recordings, validator corpus, benchmark)
project.addTask('contracts:extract', {
  description: 'Re-extract scripts/contracts/botocore-models.json.gz and botocore-examples.json.gz from the botocore installed with pip (or --data / BOTOCORE_DATA)',
  exec: 'node -r ts-node/register/transpile-only scripts/extract-botocore-models.ts',
});
const contracts = project.addTask('contracts', {
  description: 'Regenerate src/contracts/data (the service contracts) serve\'s request model (src/server/validation/stepfunctions-model.generated.ts) and the API\'s error names (src/asl/api-errors.generated.ts) from the committed extract of botocore\'s models',
  exec: 'node -r ts-node/register/transpile-only scripts/generate-service-contracts.ts',
});
contracts.exec('node -r ts-node/register/transpile-only scripts/generate-serve-model.ts');
project.addTask('history-events', {
  description: 'Regenerate src/asl/history-event-types.ts (the history event types) from the stepfunctions model in the committed extract of botocore\'s models',
  exec: 'node -r ts-node/register/transpile-only scripts/generate-history-events.ts',
});
project.addTask('mcp:listing', {
  description: 'Regenerate src/mcp/tool-listing.json (what `stepwright mcp` answers tools/list with before zod is loaded) from the tools\' zod schemas',
  exec: 'node -r ts-node/register/transpile-only scripts/write-mcp-listing.ts',
});
project.addTask('conformance', {
  description: 'Score the compiled interpreter on the AWS-recorded executions in ../shared/conformance; fails below test/conformance/floor.json',
  exec: 'node test/conformance/check.mjs',
});
project.addTask('serve-api', {
  description: "Score the compiled serve on AWS's recorded API answers in ../shared/serve-api; fails below test/serve-api/floor.json",
  exec: 'node test/serve-api/check.mjs',
});
project.addTask('validation', {
  description: 'Score the compiled validator on the corpus in ../shared/validation; fails below test/validation/floor.json',
  exec: 'node test/validation/check.mjs',
});
const bench = project.addTask('bench', {
  description: "Print stepwright's own figures on the ../shared/bench workloads, serve's and MCP's start-up and footprint beside node's, the jest loop, then what an install costs",
  exec: 'node bench/run.mjs',
  receiveArgs: true,
});
// serve's first answer and idle memory, and MCP's tools/list, beside a bare node process and the published figures.
bench.spawn(project.addTask('bench:start', {
  description: "Print how soon stepwright serve and stepwright mcp answer after spawn, and serve's idle memory, beside a bare node process",
  exec: 'node bench/start-footprint.mjs',
  receiveArgs: true,
}));
// What stepwright adds to each test file of a user's jest run, beyond jest's own floor.
bench.spawn(project.addTask('bench:jest-loop', {
  description: 'Print the CPU a test file that imports stepwright/testing and runs a machine costs beyond an empty jest test file (50 files each, in band)',
  exec: 'node bench/jest-loop.mjs overhead',
  receiveArgs: true,
}));
// retry-wait's first runs beside the floor and a minimal interpreter: what V8's tiering costs any interpreter.
bench.spawn(project.addTask('bench:cold-runs', {
  description: "Print runs 1-8 of fresh processes for retry-wait: the floor, a minimal interpreter of the same definition, and stepwright (what V8's tiering costs any interpreter)",
  exec: 'node bench/cold-runs.mjs',
  receiveArgs: true,
}));
// What installing the packed tarball adds to a new CDK app (packages, MB, per dependency).
bench.spawn(project.addTask('bench:install', {
  description: 'Print what installing the packed stepwright adds to a new CDK app: packages and MB, per dependency, and with every optional peer',
  exec: 'node bench/install-footprint.mjs',
}));
project.package.setScript('bench', 'npx projen bench');
project.addTask('bench:console', {
  description: 'Time the serve console in Chromium: 10,000 executions listed, an execution of 25,000 events opened, and what one page watching a running execution costs serve (needs compile and /usr/bin/chromium; --lib <dir> measures another build)',
  exec: 'node bench/console.mjs',
  receiveArgs: true,
});
project.addTask('bench:render', {
  description: 'Time drawing a 500-state machine as Mermaid, as laid-out HTML and as SVG (needs compile)',
  exec: 'node bench/render.mjs',
  receiveArgs: true,
});
project.addTask('bench:harness', {
  description: 'Time a jest file that synthesizes a stack and runs 10 executions, and Workflow.fromTemplate on ../shared/cdk-templates (needs compile)',
  exec: 'node bench/harness.mjs',
  receiveArgs: true,
});
project.addTask('bench:explore', {
  description: 'Score explore with no hand input on the old corpus (../shared/validation/realworld and ../shared/cdk-templates) and the modern corpus (bench/modern-corpus), or given files: goals reached per corpus, time per machine, crashes, unreachable claims, the written tests\' mutation score; --corpus old|modern keeps one; --scaffold <dir> also runs and type-checks the scaffolded tests (needs compile)',
  exec: 'node bench/explore-corpus.mjs',
  receiveArgs: true,
});
project.addTask('bench:verify', {
  description: 'verify on the modern corpus: a property family per machine judged as built (every VIOLATED must reproduce), the proved ones on seeded mutants, each seed found, missed (an explore run breaks a proved property) or broken by no run found; verdict counts and time (needs compile)',
  exec: 'node bench/verify-corpus.mjs',
  receiveArgs: true,
});
project.addTask('bench:verify-outside', {
  description: 'verify judged from outside: bench/verify-outside machines and property modules through `stepwright verify --json`, every counterexample re-run through `stepwright run`, and a random search that must break no HOLDS (needs compile)',
  exec: 'node bench/verify-outside.mjs',
  receiveArgs: true,
});
project.addTask('bench:mcp', {
  description: 'Time `stepwright mcp` from spawn to answering tools/list through the MCP SDK client, median of 10 (needs compile; target 300 ms)',
  exec: 'node bench/mcp-start.mjs',
  receiveArgs: true,
});
project.addTask('bench:map', {
  description: 'Time and peak RSS of a Map over 10^6 items, inline and distributed, at MaxConcurrency 0 and 40, read from a local S3 (a JSONL and a CSV file, a listing of 10^5 keys, in serve and the CLI), and in a 48 MB heap (needs compile)',
  exec: 'node bench/map-scale.mjs --items 1000000 --concurrency 0 --no-history && node bench/map-scale.mjs --items 1000000 --concurrency 40 --no-history --s3'
    // A million items read from a JSONL and a CSV file, through a Pass, results to S3, in a 48 MB old space.
    + ' && node bench/map-scale.mjs --only S3-JSONL --items 1000000 --concurrency 40 --no-history --s3 --pass --heap 48'
    + ' && node bench/map-scale.mjs --only S3-CSV --items 1000000 --concurrency 40 --no-history --s3 --pass --heap 48',
});

// ---- the suite on a loaded machine: tests wait for events, not time (docs/contributing.md, "Tests on a loaded machine")
project.addTask('test:load', {
  description: 'Run the test suite with two CPU-bound busy loops beside it and print its time and the load average (--runs N, --busy N, or another command)',
  exec: 'bash scripts/test-under-load.sh "$@"',
  receiveArgs: true,
});
// projen's built-in shell reports a step killed by a signal (the OOM killer, a stray `pkill`) as
// exit code 0: `npx projen test` passed once with jest killed before it ran a test. The system
// shell reports it as a failure.
project.testTask.shell = TaskShell.system();
if (project.eslint) project.eslint.eslintTask.shell = TaskShell.system();
// tsc over the test suite and eslint are one single-threaded process each: run one after the other
// they left a core of CI's two idle for both their times (64 s and 171 s of CPU alone); side by side
// before jest, one core still idled while eslint went on alone after tsc (about 100 s). The type
// check and the lint now run beside jest (scripts/typecheck-and-lint.sh runs them, then jest with
// the task's arguments, and fails the task if any of the three fails), so jest's workers take up
// whatever CPU they leave. The suite passes with two CPU-bound processes beside it
// (the developers' guide; `npx projen test:load` runs it so). Since then the type check and the
// lint share one TypeScript program in one process (scripts/typecheck-and-lint.mjs), which saves
// the second type-check of src/ and its declarations (docs/contributing.md).
{
  const steps = project.testTask.steps;
  const typecheck = steps.findIndex((s) => s.execArgs?.[0] === 'tsc');
  const jestStep = steps.findIndex((s) => s.execArgs?.[0] === 'jest');
  const lint = steps.findIndex((s) => s.spawn === 'eslint');
  if (typecheck !== 0 || jestStep !== 1 || lint !== 2 || steps.length !== 3) {
    throw new Error(`the test task's steps are not tsc, jest, eslint: ${JSON.stringify(steps)}`);
  }
  project.testTask.removeStep(lint);
  project.testTask.removeStep(jestStep);
  project.testTask.updateStep(typecheck, {
    name: 'Type-check the test suite (tsc) and lint (eslint) beside jest',
    exec: 'bash scripts/typecheck-and-lint.sh jest --ci',
    receiveArgs: true,
  });
}

// ---- the local loop: the suite without its slow tier, which it names (CI and `npx projen test` run everything)
const quick = project.addTask('test:quick', {
  description: 'Run the test suite without its slow tier (the files SLOW_TESTS in .projenrc.ts lists), for the local loop; `npx projen test` runs everything',
});
quick.say(`test:quick leaves out the slow tier, which npx projen test and CI run:\n${SLOW_TESTS.map((t) => `  ${t.file}: ${t.why}`).join('\n')}`);
quick.exec(`jest --ci ${[...TEST_PATH_IGNORE, ...SLOW_TESTS.map((t) => `/${t.file.replace(/\./g, '\\.')}$`)].map((p) => `--testPathIgnorePatterns='${p}'`).join(' ')}`, { receiveArgs: true });
quick.shell = TaskShell.system();

// ---- property-based fuzzing of the validator and the interpreter (jest runs a quick budget of the same properties)
project.addTask('fuzz', {
  description: 'Fuzz the validator and the interpreter with 10^6 generated definitions and inputs; prints counts per outcome class and cases/s',
  exec: 'node -r ts-node/register/transpile-only test/fuzz/run.ts --runs 1000000',
  receiveArgs: true,
});
project.addTask('fuzz:doors', {
  description: 'Generate machines and run each through jest, stepwright run, serve and MCP (needs lib/: npx projen compile); prints every difference between doors. --seed N --runs N --out dir',
  exec: 'node -r ts-node/register/transpile-only test/cases/generated/run.ts',
  receiveArgs: true,
});
project.addTask('fuzz:http', {
  description: 'Fuzz the HTTP API: 10^5 random requests to a live serve with a data directory, then kill -9 and a restart; prints counts per operation and answer',
  exec: 'node -r ts-node/register/transpile-only test/fuzz/run.ts --family http --runs 100000',
  receiveArgs: true,
});
project.addTask('fuzz:cost', {
  description: 'Fuzz stepwright cost with 10^5 hostile coverage reports, price tables and diffs; prints counts per family, mutation and exit code',
  exec: 'node -r ts-node/register/transpile-only test/fuzz/run.ts --family cost --runs 100000',
  receiveArgs: true,
});
project.addTask('fuzz:mcp', {
  description: 'Fuzz `stepwright mcp`: 10^4 raw JSON-RPC lines (over 10 MiB, answers over 8 MiB, odd progress tokens, 1e999, deep JSON, lone surrogates); prints counts per family and answer',
  exec: 'node -r ts-node/register/transpile-only test/fuzz/run.ts --family mcp --runs 10000',
  receiveArgs: true,
});

// ---- the examples: their own jest configs map 'stepwright' to src/. The order workflow's
// coverage reporter is loaded untransformed, so this runs after compile (lib/testing/reporter.js).
const example = project.addTask('example', {
  description: 'Test examples/order-workflow and examples/vacation-booking, printing the state machine coverage of each test file (needs compile)',
  exec: 'jest --ci --config examples/order-workflow/jest.coverage.config.js',
});
example.exec('jest --ci --config examples/vacation-booking/jest.coverage.config.js');
project.addTask('example:scaffold', {
  description: "Write the examples' scaffolded test files and the explore guide's example from explore's reports (needs compile; --check only compares)",
  exec: 'node scripts/scaffold-examples.mjs',
  receiveArgs: true,
});

// projen deletes every file it generates and writes it again, so each `npx projen` gave
// tsconfig.json a new time even when its text was the same, and the `tsc --build` after it (CI's
// build step: `npx projen default`, then compile) took the whole of lib/ as out of date and
// compiled it all again (43 s of CPU, against 1 s when up to date). A tsconfig whose text did not
// change keeps its time; one that changed gets a new one, as before.
const TSC_CONFIGS = ['tsconfig.json', 'tsconfig.dev.json', 'test/tsconfig.json'];
const before = new Map(TSC_CONFIGS.filter((f) => fs.existsSync(f)).map((f) => [f, { text: fs.readFileSync(f, 'utf8'), stat: fs.statSync(f) }]));
// The sequencer's list, written where it reads it (one home: RUN_FIRST above).
new JsonFile(project, 'test/jest/run-first.json', { obj: { files: RUN_FIRST }, marker: true });

project.synth();
for (const [file, { text, stat }] of before) {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) fs.utimesSync(file, stat.atime, new Date(Math.floor(stat.mtimeMs)));
}
