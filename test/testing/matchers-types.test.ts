import { readFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import type { Compiled } from './consumer-types';
import { inThread } from '../in-thread';

/*
 * The matchers' types must reach a project that imports only
 * 'stepwright/testing': its test files say `expect(run).toSucceed()` without
 * naming the setup file anywhere TypeScript would see it. Each check compiles
 * tiny in-memory files of such a project with the TypeScript compiler
 * (consumer-types.ts, in a worker thread), with 'stepwright/testing' resolved
 * to the package entry as the published package maps it, and nothing else of
 * stepwright in the program.
 */

const ROOT = path.join(__dirname, '..', '..');

/** A consumer test file: a run from the harness and the matchers used on it. */
const USES_MATCHERS = `
import type { WorkflowRun } from 'stepwright/testing';
declare const run: WorkflowRun;
expect(run).toSucceed();
expect(run).not.toFail('Payment.Declined', /declined/);
expect(run).toFail(expect.stringContaining('Payment'), 'card declined');
expect(run).toHaveVisited('Validate', 'Charge');
expect(run).toHavePath(['Validate', 'Charge']);
expect(run).toHavePath(expect.arrayContaining(['Charge']));
expect(run).toHavePath(['Validate', expect.stringMatching(/^Ch/)]);
expect(run).toHaveVisited(expect.stringMatching(/^Ch/), 'Validate');
const failedFiles: number = run.mapResults().manifest.ResultFiles.FAILED.length;
const sizes: number[] = run.mapResults().manifest.ResultFiles.SUCCEEDED.map((f) => f.Size);
export { failedFiles, sizes };
expect(run).toHaveRetried('Charge', 1);
expect(run).toHaveOutput({ shipped: true });
`;

// One program loads stepwright's testing entry and aws-cdk-lib's types: about 5 s alone, and 118 s
// were measured with two busy loops on a shared 2-core machine (scripts/test-under-load.sh).
jest.setTimeout(300_000);

/** The consumer projects the tests compile, all in one worker thread. */
const PROJECTS = {
  entry: { 'run.test.ts': USES_MATCHERS },
  setupAlone: {
    'setup.ts': "import 'stepwright/testing/setup';\n",
    'run.test.ts': 'declare const run: { status: string };\nexpect(run).toSucceed();\nexpect(run).toHaveRetried(\'Charge\', 1);\nexport {};\n',
  },
  unknownMatcher: { 'run.test.ts': `${USES_MATCHERS}expect(run).toShipTheOrder();\n` },
  noStepwright: { 'run.test.ts': 'declare const run: { status: string };\nexpect(run).toSucceed();\nexport {};\n' },
};
let compiled: Record<keyof typeof PROJECTS, Compiled>;
beforeAll(async () => {
  const names = Object.keys(PROJECTS) as Array<keyof typeof PROJECTS>;
  const results = await inThread<Compiled[]>(path.join(__dirname, 'consumer-types.ts'), 'compileAll', [names.map((n) => PROJECTS[n])]);
  compiled = Object.fromEntries(names.map((n, i) => [n, results[i]])) as typeof compiled;
});

describe('the matchers\' types', () => {
  it('reach a test file that imports only from stepwright/testing', () => {
    const { problems, stepwrightFiles } = compiled.entry;
    expect(problems).toEqual([]);
    // The declaration comes through the entry, not from the setup file being in the program.
    expect(stepwrightFiles).toContain('src/testing/index.ts');
    expect(stepwrightFiles).not.toContain('src/testing/setup.ts');
  });

  it('still come with the setup file alone', () => {
    const { problems, stepwrightFiles } = compiled.setupAlone;
    expect(problems).toEqual([]);
    expect(stepwrightFiles).not.toContain('src/testing/index.ts');
  });

  it('are checked: a matcher stepwright does not have is an error (TS2339)', () => {
    const { problems } = compiled.unknownMatcher;
    expect(problems).toEqual([expect.stringMatching(/^TS2339: Property 'toShipTheOrder' does not exist on type 'JestMatchers<WorkflowRun>'/)]);
  });

  it('are absent from a project that imports nothing of stepwright (the check can tell)', () => {
    const { problems } = compiled.noStepwright;
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
