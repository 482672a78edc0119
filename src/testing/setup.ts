/**
 * The setup file of stepwright for jest and vitest: list it in jest's
 * `setupFilesAfterEnv` or vitest's `test.setupFiles` to get the run matchers
 * and the snapshot serializer for runs and histories, installed into the
 * runner that loads it.
 * The matchers' types (`expect(run).toSucceed()`) come with
 * `stepwright/testing` and with this file alike.
 *
 * @example
 * // jest.config.js
 * module.exports = { setupFilesAfterEnv: ['stepwright/testing/setup'] };
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['stepwright/testing/setup'] } });
 * @packageDocumentation
 */
// The side-effect import is the one setup.d.ts keeps (a value import is
// dropped from it), so this file still carries the matchers' types.
// eslint-disable-next-line import/no-duplicates
import './matchers';
// eslint-disable-next-line import/no-duplicates
import { matchers } from './matchers';
import { runSerializer } from './serializer';
import { cleanupSynthOutput } from '../workbench/template/synth-output';

/** What setup uses of a runner's `expect`: jest's and vitest's alike. */
interface RunnerExpect {
  extend(matchers: object): void;
  addSnapshotSerializer(serializer: object): void;
  getState?(): { currentTestName?: string };
}

/** The test runner this file was loaded by, as far as setup needs it. */
interface Runner {
  readonly expect: RunnerExpect;
  readonly afterAll?: (fn: () => void) => void;
}

/**
 * The runner that loaded this file, read from globals so that this module imports neither jest
 * nor vitest. vitest gives a setup file its `expect` only as an ES import (its package refuses
 * `require`, and this file is CommonJS); its worker keeps the module's exports on
 * `globalThis.__vitest_index__` before setup files run (vitest 4 and 5), so setup reads them
 * there, and works with and without vitest's `globals`. jest provides `expect` as a global in
 * setupFilesAfterEnv.
 */
function findRunner(): Runner | undefined {
  // The runners' globals are not in this file's types: each is read by name, as what it is.
  const vitest = Reflect.get(globalThis, '__vitest_index__') as Partial<Runner> | undefined;
  if (vitest?.expect) return { expect: vitest.expect, afterAll: vitest.afterAll };
  const expect = Reflect.get(globalThis, 'expect') as RunnerExpect | undefined;
  const afterAll = Reflect.get(globalThis, 'afterAll') as ((fn: () => void) => void) | undefined;
  if (expect) return { expect, afterAll };
  return undefined;
}

const runner = findRunner();
if (!runner) {
  throw new Error("stepwright/testing/setup must run inside jest or vitest: list it in jest's 'setupFilesAfterEnv' or in vitest's 'test.setupFiles'");
}
runner.expect.extend(matchers);
runner.expect.addSnapshotSerializer(runSerializer);

// Each test file's synthesized apps are done with when the file is: remove
// their cdk.out folders, so a test run does not fill the temp dir.
// jest allows hooks only outside tests: loaded from inside one, there is no file-level hook to add.
const insideTest = runner.expect.getState?.().currentTestName !== undefined;
if (!insideTest) runner.afterAll?.(() => { cleanupSynthOutput(); });

export {};
