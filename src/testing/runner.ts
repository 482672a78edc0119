/**
 * The test runner stepwright/testing runs inside (jest or vitest), found from globals so that no
 * module of stepwright imports either runner.
 * @packageDocumentation
 */
import { memberOf } from '../asl/own';

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
  // The runners' globals are not in this file's types: each is read by name, and kept only as what it is.
  const vitest = memberOf(globalThis, '__vitest_index__');
  const vitestExpect = memberOf(vitest, 'expect');
  if (isRunnerExpect(vitestExpect)) {
    const worker = memberOf(globalThis, '__vitest_worker__');
    const onCleanup = memberOf(worker, 'onCleanup');
    const onWorkerEnd = typeof onCleanup === 'function' ? (fn: () => void) => { Reflect.apply(onCleanup, worker, [fn]); } : undefined;
    return { name: 'vitest', expect: vitestExpect, afterAll: hookOf(memberOf(vitest, 'afterAll')), ...(onWorkerEnd ? { onWorkerEnd } : {}) };
  }
  const expect = memberOf(globalThis, 'expect');
  if (isRunnerExpect(expect)) return { name: 'jest', expect, afterAll: hookOf(memberOf(globalThis, 'afterAll')) };
  return undefined;
}

/** True for a runner's `expect` as stepwright finds it: jest's is a function, the one vitest keeps an object, each with its members. */
function isRunnerExpect(value: unknown): value is RunnerExpect {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

/** True for a runner's hook (`afterAll`): a function it calls with the function it is given. */
function isHook(value: unknown): value is (fn: () => void) => void {
  return typeof value === 'function';
}

/** A runner's hook (`afterAll`), when the runner gives one. */
function hookOf(value: unknown): ((fn: () => void) => void) | undefined {
  return isHook(value) ? value : undefined;
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
