import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Workflow } from '../../src/testing/workflow';
import { cleanupSynthOutput } from '../../src/workbench/template/synth-output';

/** jest's own expect, which the fake jest's globals hide while a body runs. */
const check = expect;

/** An app aws-cdk-lib gives a cdk.out folder in the temp dir, synthesized by the harness. */
function synthesized(): string {
  const app = new App();
  const stack = new Stack(app, 'S');
  new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
  Workflow.fromStack(stack);
  check(fs.existsSync(app.outdir)).toBe(true);
  return app.outdir;
}

/** What a runner shows the setup file: the test file and test running now, and the hooks it was given. */
interface FakeRunner {
  state: { testPath: string; currentTestName?: string };
  readonly fileHooks: Array<() => void>;
  readonly workerEnd: Array<() => void>;
}

type Globals = Record<'__vitest_index__' | '__vitest_worker__' | 'expect' | 'afterAll', unknown>;
const NAMES = ['__vitest_index__', '__vitest_worker__', 'expect', 'afterAll'] as const;

/**
 * Runs `body` with a fake vitest (or jest) in the globals the setup file reads, the setup file
 * loaded once, as vitest loads it once per worker where it keeps modules between files
 * (`isolate: false`, the vm pools); then puts jest's globals back.
 */
function withRunner(kind: 'vitest' | 'jest', body: (runner: FakeRunner) => void): void {
  const runner: FakeRunner = { state: { testPath: '/app/test/a.test.ts' }, fileHooks: [], workerEnd: [] };
  const expectApi = { extend: () => undefined, addSnapshotSerializer: () => undefined, getState: () => runner.state };
  const afterAll = (fn: () => void) => { runner.fileHooks.push(fn); };
  const g = globalThis as unknown as Globals;
  const saved = Object.fromEntries(NAMES.map((n) => [n, Object.getOwnPropertyDescriptor(g, n)]));
  const set = (name: keyof Globals, value: unknown) => Object.defineProperty(g, name, { value, configurable: true, writable: true });
  if (kind === 'vitest') {
    set('__vitest_index__', { expect: expectApi, afterAll });
    set('__vitest_worker__', { onCleanup: (fn: () => void) => { runner.workerEnd.push(fn); } });
  } else {
    set('expect', expectApi);
    set('afterAll', afterAll);
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => { require('../../src/testing/setup'); });
    body(runner);
  } finally {
    for (const n of NAMES) {
      const d = saved[n];
      if (d) Object.defineProperty(g, n, d);
      else delete g[n];
    }
    cleanupSynthOutput();
  }
}

describe('the setup file removes synthesized apps after each test file', () => {
  it('removes the folder an earlier test file made when the next file in the worker synthesizes (setup loaded once, isolate: false)', () => {
    withRunner('vitest', (runner) => {
      runner.state = { testPath: '/app/test/a.test.ts', currentTestName: 'a test' };
      const first = synthesized();
      // vitest's next file: it does not load the setup file again.
      runner.state = { testPath: '/app/test/b.test.ts' };
      const second = synthesized();
      expect(fs.existsSync(first)).toBe(false);
      expect(fs.existsSync(second)).toBe(true);
      // The second file got an afterAll of its own, added while it was collected.
      expect(runner.fileHooks).toHaveLength(2);
      runner.fileHooks[1]();
      expect(fs.existsSync(second)).toBe(false);
    });
  });

  it("removes what the worker's last file made inside a test when vitest's worker ends", () => {
    withRunner('vitest', (runner) => {
      runner.state = { testPath: '/app/test/b.test.ts', currentTestName: 'a test' };
      const made = synthesized();
      // No hook can be added from inside a test: only the setup file's, for the first file.
      expect(runner.fileHooks).toHaveLength(1);
      expect(fs.existsSync(made)).toBe(true);
      expect(runner.workerEnd).toHaveLength(1);
      runner.workerEnd[0]();
      expect(fs.existsSync(made)).toBe(false);
    });
  });

  it('adds no hook under jest beyond the setup file\'s, which jest loads for every file (a hook added once tests run is an error there)', () => {
    withRunner('jest', (runner) => {
      synthesized();
      check(runner.fileHooks).toHaveLength(1);
      runner.fileHooks[0]();
      check(cleanupSynthOutput()).toBe(0);
    });
  });

  it('never removes a cdk.out folder in the temp dir that this process did not synthesize', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out'));
    try {
      withRunner('vitest', (runner) => {
        synthesized();
        runner.state = { testPath: '/app/test/b.test.ts' };
        synthesized();
        for (const end of runner.workerEnd) end();
        for (const hook of runner.fileHooks) hook();
      });
      expect(fs.existsSync(other)).toBe(true);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
