/**
 * The jest setup file of stepwright: list it in `setupFilesAfterEnv` to get
 * the run matchers and the snapshot serializer for runs and histories.
 *
 * @example
 * // jest.config.js
 * module.exports = { setupFilesAfterEnv: ['stepwright/testing/setup'] };
 * @packageDocumentation
 */
import { matchers } from './matchers';
import { runSerializer } from './serializer';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Passes when the execution SUCCEEDED. */
      toSucceed(): R;
      /**
       * Passes when the execution FAILED, TIMED_OUT or was ABORTED and, when
       * given, with this error and cause (strings, asymmetric matchers, or a RegExp for the cause).
       */
      toFail(error?: string | AsymmetricMatcherLike, cause?: string | RegExp | AsymmetricMatcherLike): R;
      /** Passes when every one of these states was entered; with `.not`, when none was. */
      toHaveVisited(...states: string[]): R;
      /** Passes when the states entered are exactly these, in order. */
      toHavePath(states: readonly string[]): R;
      /** Passes when the state was retried exactly `times` times. */
      toHaveRetried(state: string, times: number): R;
      /** Passes when the execution SUCCEEDED with this output (deep equality, asymmetric matchers allowed). */
      toHaveOutput(output: unknown): R;
    }
  }
}

/** Anything with `asymmetricMatch`, like `expect.stringContaining('x')`. */
interface AsymmetricMatcherLike {
  asymmetricMatch(other: unknown): boolean;
}

// jest provides `expect` as a global in setupFilesAfterEnv; read it from there so
// this module does not import jest itself.
const jestExpect = (globalThis as unknown as { expect?: { extend(m: object): void; addSnapshotSerializer(s: object): void } }).expect;
if (!jestExpect) {
  throw new Error("stepwright/testing/setup must run inside jest: list it in jest's 'setupFilesAfterEnv'");
}
jestExpect.extend(matchers);
jestExpect.addSnapshotSerializer(runSerializer);

export {};
