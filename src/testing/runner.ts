/**
 * The test runner stepwright/testing runs inside (jest or vitest), found from globals so that no
 * module of stepwright imports either runner.
 * @packageDocumentation
 */

/** What stepwright uses of a runner's `expect`: jest's and vitest's alike. @internal */
export interface RunnerExpect {
  extend(matchers: object): void;
  addSnapshotSerializer(serializer: object): void;
  /** The state of the test running now: its name, and the file it is in (`testPath`). */
  getState?(): { currentTestName?: string; testPath?: unknown };
}

/** The test runner a module was loaded by, as far as stepwright needs it. @internal */
export interface Runner {
  /** Which runner: their hooks differ in what they allow (see src/testing/synth-cleanup.ts). */
  readonly name: 'jest' | 'vitest';
  readonly expect: RunnerExpect;
  readonly afterAll?: (fn: () => void) => void;
  /**
   * Runs `fn` when the worker that runs the test files ends (vitest's worker state's `onCleanup`,
   * which vitest 3 calls in its threads and forks pools and vitest 4 and 5 in all of theirs).
   * Undefined where the runner has none (jest: every test file loads the setup file afresh).
   */
  readonly onWorkerEnd?: (fn: () => void) => void;
}

/**
 * The runner that loaded this module, or undefined outside both. vitest gives a file its `expect`
 * only as an ES import (its package refuses `require`, and stepwright is CommonJS); its worker
 * keeps the module's exports on `globalThis.__vitest_index__` before setup files run (vitest 4
 * and 5), so they are read there, with and without vitest's `globals`. jest provides `expect` as
 * a global in setupFilesAfterEnv and test files.
 * @internal
 */
export function findRunner(): Runner | undefined {
  // The runners' globals are not in this file's types: each is read by name, as what it is.
  const vitest = Reflect.get(globalThis, '__vitest_index__') as Partial<Runner> | undefined;
  if (vitest?.expect) {
    const worker = Reflect.get(globalThis, '__vitest_worker__') as { onCleanup?: unknown } | undefined;
    const onCleanup = worker?.onCleanup;
    const onWorkerEnd = typeof onCleanup === 'function' ? (fn: () => void) => { Reflect.apply(onCleanup, worker, [fn]); } : undefined;
    return { name: 'vitest', expect: vitest.expect, afterAll: vitest.afterAll, ...(onWorkerEnd ? { onWorkerEnd } : {}) };
  }
  const expect = Reflect.get(globalThis, 'expect') as RunnerExpect | undefined;
  const afterAll = Reflect.get(globalThis, 'afterAll') as ((fn: () => void) => void) | undefined;
  if (expect) return { name: 'jest', expect, afterAll };
  return undefined;
}

/**
 * The test file running now (an absolute path), from the runner's `expect.getState().testPath`:
 * jest and vitest both keep it there. Undefined outside a runner.
 * @internal
 */
export function currentTestFile(): string | undefined {
  const expect = findRunner()?.expect;
  const testPath = typeof expect?.getState === 'function' ? expect.getState().testPath : undefined;
  return typeof testPath === 'string' ? testPath : undefined;
}
